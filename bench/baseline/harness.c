/*
 * harness.c - main() of a hand-written baseline: `run` and `bench` (see
 * harness.h), measured exactly as runtime/bench.c measures a generated
 * program: every execution on its own copy of the input, N threads each
 * running executions back to back until the time is up.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------- what handlers.c links to */

#define MAX_HANDLERS 32

static struct {
	const char *arn;
	aslrt_task_fn fn;
} handlers[MAX_HANDLERS];
static int nhandlers;

int aslrt_task_register(const char *pattern, aslrt_task_fn fn, void *user)
{
	(void)user;
	if (nhandlers == MAX_HANDLERS)
		return -1;
	handlers[nhandlers].arn = pattern;
	handlers[nhandlers++].fn = fn;
	return 0;
}

aslrt_task_fn bl_handler(const char *arn)
{
	for (int i = 0; i < nhandlers; i++)
		if (strcmp(handlers[i].arn, arn) == 0)
			return handlers[i].fn;
	return NULL;
}

void aslrt_error_clear(struct aslrt_error *e)
{
	free(e->error);
	free(e->cause);
	e->error = e->cause = NULL;
}

void aslrt_error_set(struct aslrt_error *e, const char *error, const char *cause_fmt, ...)
{
	aslrt_error_clear(e);
	e->error = error ? strdup(error) : NULL;
	if (cause_fmt) {
		va_list ap;
		va_start(ap, cause_fmt);
		if (vasprintf(&e->cause, cause_fmt, ap) < 0)
			e->cause = NULL;
		va_end(ap);
	}
}

/* ---------------------------------------------------------- the loop */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct lane {
	const cJSON *input;
	double deadline;
	long executions, transitions, failed;
	pthread_t thread;
};

static void *lane_run(void *arg)
{
	struct lane *l = arg;
	do {
		cJSON *out = NULL;
		struct aslrt_error err = { NULL, NULL };
		l->failed += bl_execute(cJSON_Duplicate(l->input, 1), &out, &err, &l->transitions);
		l->executions++;
		cJSON_Delete(out);
		aslrt_error_clear(&err);
	} while (now() < l->deadline);
	return NULL;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s run --input JSON|@FILE\n"
			"       %s bench --input JSON|@FILE --duration SECONDS [--in-flight N]\n",
		prog, prog);
	return 2;
}

static cJSON *load(const char *spec)
{
	if (spec[0] != '@')
		return cJSON_Parse(spec);
	FILE *f = fopen(spec + 1, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;
	while (m && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	if (!m)
		return NULL;
	fclose(m);
	cJSON *v = cJSON_Parse(buf);
	free(buf);
	return v;
}

int main(int argc, char **argv)
{
	const char *input = NULL;
	double duration = 0;
	int in_flight = 1;
	if (argc < 2)
		return usage(argv[0]);
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--input") == 0)
			input = argv[i + 1];
		else if (strcmp(argv[i], "--duration") == 0)
			duration = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--in-flight") == 0)
			in_flight = atoi(argv[i + 1]);
		else
			return usage(argv[0]);
	}
	cJSON *in = input ? load(input) : NULL;
	if (!in) {
		fprintf(stderr, "%s: no input, or not JSON\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "run") == 0) {
		cJSON *out = NULL;
		struct aslrt_error err = { NULL, NULL };
		long transitions = 0;
		int failed = bl_execute(in, &out, &err, &transitions);
		if (failed) {
			printf("{\"Error\":\"%s\",\"Cause\":\"%s\"}\n", err.error ? err.error : "",
			       err.cause ? err.cause : "");
			aslrt_error_clear(&err);
			return 1;
		}
		char *s = cJSON_PrintUnformatted(out);
		puts(s);
		free(s);
		cJSON_Delete(out);
		return 0;
	}
	if (strcmp(argv[1], "bench") != 0 || duration <= 0 || in_flight < 1 || in_flight > 1024)
		return usage(argv[0]);
	struct lane *lanes = calloc((size_t)in_flight, sizeof *lanes);
	double t0 = now();
	for (int i = 0; i < in_flight; i++) {
		lanes[i].input = in;
		lanes[i].deadline = t0 + duration;
	}
	for (int i = 1; i < in_flight; i++)
		pthread_create(&lanes[i].thread, NULL, lane_run, &lanes[i]);
	lane_run(&lanes[0]);
	for (int i = 1; i < in_flight; i++)
		pthread_join(lanes[i].thread, NULL);
	double seconds = now() - t0;
	long executions = 0, transitions = 0, failed = 0;
	for (int i = 0; i < in_flight; i++) {
		executions += lanes[i].executions;
		transitions += lanes[i].transitions;
		failed += lanes[i].failed;
	}
	long kb = 0;
	char line[256];
	FILE *st = fopen("/proc/self/status", "r");   /* VmHWM: this image only */
	while (st && fgets(line, sizeof line, st))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (st)
		fclose(st);
	printf("{\"executions\":%ld,\"transitions\":%ld,\"seconds\":%.6f,\"peak_rss_kb\":%ld,"
	       "\"failed\":%ld,\"in_flight\":%d}\n",
	       executions, transitions, seconds, kb, failed, in_flight);
	free(lanes);
	cJSON_Delete(in);
	return 0;
}
