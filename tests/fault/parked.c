/*
 * parked.c - how much memory Standard executions take while they are
 * parked (docs/durable.md, "Known limits"): start N executions of a machine
 * that parks at once (on a Wait of an hour, or on a task token), wait until
 * every one has parked, then report the process's peak resident memory.
 *
 *   parked_wait STORE N [MAX_KB_EACH]      (built from parked_wait.asl.json)
 *   parked_callback STORE N [MAX_KB_EACH]  (parked_callback.asl.json)
 *
 * Prints one JSON line {"executions", "parked", "parked_after_s",
 * "peak_rss_kb", "kb_per_execution"}. Exit status 0 when every execution
 * parked (and the peak per execution is at most MAX_KB_EACH), 1 when not,
 * 2 on bad usage.
 */
#include <aslrt.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct aslrt_machine parked_machine;

/* The callback machine's integration: the message (with the token) would go
 * to a queue; here it goes nowhere. */
static int send_message(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
			struct aslrt_error *err)
{
	(void)ctx;
	(void)in;
	(void)err;
	*out = cJSON_CreateObject();
	return 0;
}
ASLRT_TASK("arn:aws:states:::sqs:sendMessage.waitForTaskToken", send_message)

static void *runner(void *e)
{
	struct aslrt_error err = { NULL, NULL };
	if (aslrt_engine_run(e, 0, &err) != 0)
		fprintf(stderr, "parked: %s\n", err.cause ? err.cause : "run failed");
	aslrt_error_clear(&err);
	return NULL;
}

static long peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return fputs("usage: parked STORE N [MAX_KB_EACH]\n", stderr), 2;
	double max_kb = argc == 4 ? strtod(argv[3], NULL) : 0;
	long n = strtol(argv[2], NULL, 10);
	struct aslrt_engine_options eo = { .store = argv[1], .time_scale = 1 };
	struct aslrt_engine *e;
	struct aslrt_error err = { NULL, NULL };
	if (n < 1 || aslrt_engine_open(&parked_machine, &eo, &e, &err) != 0) {
		fprintf(stderr, "parked: %s\n", err.cause ? err.cause : "bad usage");
		return 2;
	}
	double t0 = now_s();
	pthread_t th;
	pthread_create(&th, NULL, runner, e);
	for (long i = 0; i < n; i++) {
		char name[32], in[96];
		snprintf(name, sizeof name, "ORD-%ld", 1000001 + i);
		snprintf(in, sizeof in, "{\"orderId\":\"%s\",\"total\":%ld}", name, 1000 + i % 9000);
		if (aslrt_engine_start(e, name, cJSON_Parse(in), &err) != 0) {
			fprintf(stderr, "parked: %s\n", err.cause ? err.cause : "start failed");
			return 2;
		}
	}
	/* every execution parks after its first step and its record */
	struct aslrt_engine_stats st;
	do {
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
		aslrt_engine_stats(e, &st);
	} while (st.steps < n && now_s() - t0 < 300);
	double took = now_s() - t0;
	long kb = peak_rss_kb();
	aslrt_engine_stop(e);
	pthread_join(th, NULL);
	printf("{\"executions\":%ld,\"parked\":%ld,\"parked_after_s\":%.2f,\"peak_rss_kb\":%ld,"
	       "\"kb_per_execution\":%.2f}\n", n, st.steps, took, kb, (double)kb / (double)n);
	aslrt_engine_close(e);
	return st.steps >= n && (max_kb <= 0 || (double)kb / (double)n <= max_kb) ? 0 : 1;
}
