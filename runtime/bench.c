/*
 * bench.c - `PROG bench`: run executions of the compiled machine back to back,
 * in one process, for a fixed time, and print one JSON line of totals:
 *
 *   {"executions":N,"transitions":T,"seconds":S,"peak_rss_kb":K,"failed":F,
 *    "in_flight":N}
 *
 * transitions are the states entered, counted as AWS counts StateEntered
 * events (inside Map iterations and Parallel branches too): the sum of
 * aslrt_result.transitions. With --in-flight N, N threads each run executions
 * one after another until the time is up (N executions in flight at every
 * moment). Parallel branches and Map iterations run on the calling thread
 * unless --workers asks for the worker pool, so one in flight means one core.
 * Every execution gets its own copy of the input, as a StartExecution would.
 * Like cli.c, this file prints (its results and one-line messages).
 */
#include "bench.h"
#include "progress.h"
#include "rt.h"
#include "taskutil.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define MAX_IN_FLIGHT 1024

/* The options, as given (borrowed from argv). */
struct bench_args {
	const char *input, *duration, *in_flight, *workers, *mock_config, *test_case;
};

static const struct {
	const char *name;
	size_t off;
} bench_options[] = {
	{ "input", offsetof(struct bench_args, input) },
	{ "duration", offsetof(struct bench_args, duration) },
	{ "in-flight", offsetof(struct bench_args, in_flight) },
	{ "workers", offsetof(struct bench_args, workers) },
	{ "mock-config", offsetof(struct bench_args, mock_config) },
	{ "test-case", offsetof(struct bench_args, test_case) },
};

/* Print "PROG: message" on stderr; returns EXIT_USAGE. */
static int say(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static int say(const char *prog, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_USAGE;
}

static void bench_help(const char *prog)
{
	printf("Usage: %s bench --input JSON|@FILE --duration SECONDS [--in-flight N]\n"
	       "           [--workers N] [--mock-config FILE --test-case NAME]\n"
	       "\n"
	       "Runs executions back to back for SECONDS and prints one JSON line:\n"
	       "{\"executions\",\"transitions\",\"seconds\",\"peak_rss_kb\",\"failed\",\"in_flight\"}.\n"
	       "\n"
	       "  --input JSON|@FILE   every execution's input (@- reads standard input)\n"
	       "  --duration SECONDS   how long to keep starting executions (> 0)\n"
	       "  --in-flight N        N executions at a time, one thread each (default 1)\n"
	       "  --workers N          threads for Parallel branches and Map iterations\n"
	       "                       (default 1: on the execution's own thread; 0 = cores)\n"
	       "  --mock-config FILE   Step Functions Local MockConfigFile, with\n"
	       "  --test-case NAME     the test case of this machine to use\n",
	       prog);
}

/* Parse argv[2..] into a. Returns 0, 1 when --help was printed, or
 * EXIT_USAGE after complaining. */
static int parse_args(const char *prog, int argc, char **argv, struct bench_args *a)
{
	size_t nopt = sizeof bench_options / sizeof bench_options[0];
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			bench_help(prog);
			return 1;
		}
		if (strncmp(arg, "--", 2) != 0)
			return say(prog, "bench: unexpected argument '%s' (try '%s bench --help')",
				   arg, prog);
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2), k = 0;
		while (k < nopt && !(strlen(bench_options[k].name) == len &&
				     strncmp(bench_options[k].name, arg + 2, len) == 0))
			k++;
		if (k == nopt)
			return say(prog, "bench: unknown option '%.*s' (try '%s bench --help')",
				   (int)len + 2, arg, prog);
		const char **slot = (const char **)(void *)((char *)a + bench_options[k].off);
		if (*slot)
			return say(prog, "bench: option --%s is given twice", bench_options[k].name);
		if (eq)
			*slot = eq + 1;
		else if (i + 1 < argc)
			*slot = argv[++i];
		else
			return say(prog, "bench: option --%s needs a value", bench_options[k].name);
	}
	if (!a->input)
		return say(prog, "bench: --input JSON|@FILE is required");
	if (!a->duration)
		return say(prog, "bench: --duration SECONDS is required");
	if (!a->mock_config != !a->test_case)
		return say(prog, "bench: --mock-config and --test-case go together");
	return 0;
}

/* A number in [lo, hi] (integral when integer is set) from s, or -1 after
 * complaining about option. */
static int parse_num(const char *prog, const char *option, const char *s, double lo,
		     double hi, int integer, double *out)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < lo || v > hi ||
	    (integer && v != floor(v))) {
		say(prog, "bench: --%s must be %s from %g to %g, not '%s'", option,
		    integer ? "an integer" : "a number", lo, hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The input from spec (JSON text, @FILE, @-). Returns new memory, or NULL
 * after complaining. */
static cJSON *load_input(const char *prog, const char *spec)
{
	char *why = NULL, *text;
	size_t len = 0;
	if (spec[0] == '@' && strcmp(spec + 1, "-") == 0)
		text = rt_read_fd(STDIN_FILENO, &len, &why);
	else if (spec[0] == '@')
		text = rt_read_file(spec + 1, &len, &why);
	else
		text = rt_strdup(spec), len = strlen(spec);
	cJSON *v = text ? rt_json_parse(text, len, &why) : NULL;
	if (!v)
		say(prog, "bench: input %s: %s", spec[0] == '@' ? spec + 1 : "--input",
		    why ? why : "out of memory");
	rt_free(text);
	rt_free(why);
	return v;
}

/* What one thread runs and counts. */
struct bench_lane {
	const struct aslrt_machine *m;
	const struct aslrt_options *opt;
	const cJSON *input;
	double deadline;               /* rt_monotonic() time to stop starting  */
	long executions, transitions, failed;
	int broken;                    /* the runtime failed (out of memory)    */
	struct rt_progress *progress;  /* shared by the lanes                   */
	pthread_t thread;
};

static void *lane_run(void *arg)
{
	struct bench_lane *l = arg;
	do {
		struct aslrt_result res;
		cJSON *in = rt_json_copy(l->input);
		if (!in || aslrt_run(l->m, l->opt, in, &res) != 0) {
			if (in)
				aslrt_result_clear(&res);
			l->broken = 1;
			break;
		}
		l->executions++;
		l->transitions += res.transitions;
		l->failed += res.status != ASLRT_SUCCEEDED;
		rt_progress_add(l->progress, 1, res.status != ASLRT_SUCCEEDED);
		aslrt_result_clear(&res);
	} while (rt_monotonic() < l->deadline);
	return NULL;
}

/* Run n lanes (lane 0 on this thread) until the deadline; returns the
 * number of lanes that ran. */
static int run_lanes(struct bench_lane *lanes, int n)
{
	int started = 1;
	for (int i = 1; i < n; i++, started++)
		if (pthread_create(&lanes[i].thread, NULL, lane_run, &lanes[i]) != 0)
			break;
	lane_run(&lanes[0]);
	for (int i = 1; i < started; i++)
		pthread_join(lanes[i].thread, NULL);
	return started;
}

/* The process's peak resident set in KiB: VmHWM of /proc/self/status, which
 * belongs to this program's image only (getrusage's ru_maxrss also counts the
 * image of the parent that forked it, e.g. a 20 MiB Python harness); getrusage
 * where /proc is not there. */
static long peak_rss_kb(void)
{
	long kb = -1;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && kb < 0 && fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	struct rusage ru;
	if (kb < 0 && getrusage(RUSAGE_SELF, &ru) == 0)
		kb = ru.ru_maxrss;
	return kb;
}

int rt_bench_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv)
{
	struct bench_args a = { 0 };
	int rc = parse_args(prog, argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	double duration, in_flight = 1, workers = 1;
	if (parse_num(prog, "duration", a.duration, 1e-3, 1e6, 0, &duration) ||
	    (a.in_flight && parse_num(prog, "in-flight", a.in_flight, 1, MAX_IN_FLIGHT, 1,
				      &in_flight)) ||
	    (a.workers && parse_num(prog, "workers", a.workers, 0, MAX_IN_FLIGHT, 1, &workers)))
		return EXIT_USAGE;
	char *why = NULL;
	struct aslrt_mock *mock = NULL;
	if (a.mock_config &&
	    !(mock = rt_mock_load(a.mock_config, m->name ? m->name : "", a.test_case, &why))) {
		rc = say(prog, "bench: %s", why ? why : "out of memory");
		rt_free(why);
		return rc;
	}
	struct aslrt_options opt = { .time_scale = 1, .mock = mock, .workers = (int)workers };
	struct aslrt_error cerr = { NULL, NULL };
	cJSON *input = NULL;
	int n = (int)in_flight;
	struct bench_lane *lanes = NULL;
	if (aslrt_check_bindings(m, &opt, &cerr) < 0) {
		rc = say(prog, "bench: %s", cerr.cause ? cerr.cause : "a Task resource is unbound");
		goto done;
	}
	if (!(input = load_input(prog, a.input))) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (!(lanes = rt_calloc((size_t)n, sizeof *lanes))) {
		rc = say(prog, "bench: out of memory");
		goto done;
	}
	struct rt_progress progress;
	rt_progress_begin(&progress, "  bench: executions", 0, duration);
	double t0 = rt_monotonic();
	for (int i = 0; i < n; i++)
		lanes[i] = (struct bench_lane){ .m = m, .opt = &opt, .input = input,
						.deadline = t0 + duration, .progress = &progress };
	int ran = run_lanes(lanes, n);
	rt_progress_end(&progress);
	double seconds = rt_monotonic() - t0;
	long executions = 0, transitions = 0, failed = 0;
	int broken = 0;
	for (int i = 0; i < ran; i++) {
		executions += lanes[i].executions;
		transitions += lanes[i].transitions;
		failed += lanes[i].failed;
		broken |= lanes[i].broken;
	}
	printf("{\"executions\":%ld,\"transitions\":%ld,\"seconds\":%.6f,\"peak_rss_kb\":%ld,"
	       "\"failed\":%ld,\"in_flight\":%d}\n",
	       executions, transitions, seconds, peak_rss_kb(), failed, ran);
	fflush(stdout);
	rc = 0;
	if (broken) {
		say(prog, "bench: runtime failure (out of memory)");
		rc = 1;
	}
	if (ran < n)
		rc = say(prog, "bench: only %d of %d threads could be started", ran, n);
done:
	aslrt_error_clear(&cerr);
	rt_free(lanes);
	cJSON_Delete(input);
	rt_mock_free(mock);
	return rc;
}
