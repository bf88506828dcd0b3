/*
 * cli.c - aslrt_main, the command line of a program built by aslc (see
 * docs/cli.md). The only file of libaslrt that prints: results on stdout,
 * one-line messages on stderr that start with the program's name.
 *
 * Exit status: 0 SUCCEEDED (output JSON on stdout), 1 FAILED ({"Error",
 * "Cause"} on stdout), 2 usage or setup error (message on stderr).
 */
#include "bench.h"
#include "cli_durable.h"
#include "metrics.h"
#include "report.h"
#include "rt.h"
#include "taskutil.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_USAGE 2

/* The options of `run`, as given (borrowed from argv). */
struct run_args {
	const char *input;
	const char *mock_config;
	const char *test_case;
	const char *bindings;
	const char *time_scale;
	const char *name;
	const char *payload_limit;
	const char *depth_limit;
};

static const struct {
	const char *name;
	size_t off;
} run_options[] = {
	{ "input", offsetof(struct run_args, input) },
	{ "mock-config", offsetof(struct run_args, mock_config) },
	{ "test-case", offsetof(struct run_args, test_case) },
	{ "bindings", offsetof(struct run_args, bindings) },
	{ "time-scale", offsetof(struct run_args, time_scale) },
	{ "name", offsetof(struct run_args, name) },
	{ "payload-limit", offsetof(struct run_args, payload_limit) },
	{ "depth-limit", offsetof(struct run_args, depth_limit) },
};

/* Print "PROG: message" on stderr; returns EXIT_USAGE. */
static int complain(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static int complain(const char *prog, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_USAGE;
}

static void print_help(const char *prog, const struct aslrt_machine *m)
{
	printf("Usage: %s run [--input JSON|@FILE] [--mock-config FILE --test-case NAME]\n"
	       "           [--bindings FILE] [--time-scale X] [--name EXECUTION_NAME]\n"
	       "           [--payload-limit BYTES] [--depth-limit N]\n"
	       "       %s start|worker|list|describe|history|stop|redrive|send-task-success|...\n"
	       "           Standard mode: durable executions in a store (docs/cli.md)\n"
	       "       %s report [-o FILE] [EXECUTION...] | top [--once]\n"
	       "           an HTML report of a store; a live view of its worker\n"
	       "       %s --help | help\n"
	       "       %s --version\n"
	       "\n"
	       "Runs one execution of the state machine \"%s\" and prints its result.\n"
	       "\n"
	       "  --input JSON|@FILE     the execution's input: JSON text, @FILE to read a\n"
	       "                         file, @- to read standard input (default {})\n"
	       "  --mock-config FILE     Step Functions Local MockConfigFile with mocked\n"
	       "  --test-case NAME       Task responses; use test case NAME of this machine\n"
	       "  --bindings FILE        serve Task resources with external programs\n"
	       "  --time-scale X         multiply waits and retry delays by X (0: no sleeping;\n"
	       "                         default 1)\n"
	       "  --name EXECUTION_NAME  the execution's name (default: a random UUID)\n"
	       "  --payload-limit BYTES  largest state input/output and task result, as JSON\n"
	       "                         text (default 262144, AWS's 256 KiB; 0: no limit);\n"
	       "                         larger raises States.DataLimitExceeded\n"
	       "  --depth-limit N        deepest nesting of arrays and objects in a payload\n"
	       "                         (default 1000, at most 100000)\n"
	       "Options also take the form --option=value.\n"
	       "\n"
	       "Exit status: 0 SUCCEEDED (output JSON on stdout), 1 FAILED ({\"Error\",\n"
	       "\"Cause\"} on stdout), 2 usage or setup error (message on stderr).\n",
	       prog, prog, prog, prog, prog, m && m->name ? m->name : "");
}

/* The base name of argv[0], or "aslrt" when there is none. */
static const char *prog_name(int argc, char **argv)
{
	if (argc < 1 || !argv || !argv[0] || !*argv[0])
		return "aslrt";
	const char *s = strrchr(argv[0], '/');
	return s && s[1] ? s + 1 : argv[0];
}

/* Parse the options after `run` into a. Returns 0, 1 when --help was asked
 * (printed), or EXIT_USAGE after complaining. */
static int parse_run(const char *prog, const struct aslrt_machine *m, int argc, char **argv,
		     struct run_args *a)
{
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_help(prog, m);
			return 1;
		}
		if (strncmp(arg, "--", 2) != 0)
			return complain(prog, "unexpected argument '%s' (try '%s --help')", arg, prog);
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		size_t k = 0, n = sizeof run_options / sizeof run_options[0];
		while (k < n && !(strlen(run_options[k].name) == len &&
				  strncmp(run_options[k].name, arg + 2, len) == 0))
			k++;
		if (k == n)
			return complain(prog, "unknown option '%.*s' (try '%s --help')",
					(int)len + 2, arg, prog);
		const char **slot = (const char **)(void *)((char *)a + run_options[k].off);
		if (*slot)
			return complain(prog, "option --%s is given twice", run_options[k].name);
		if (eq) {
			*slot = eq + 1;
		} else if (i + 1 < argc) {
			*slot = argv[++i];
		} else {
			return complain(prog, "option --%s needs a value", run_options[k].name);
		}
	}
	if (a->mock_config && !a->test_case)
		return complain(prog, "--mock-config needs --test-case NAME");
	if (a->test_case && !a->mock_config)
		return complain(prog, "--test-case needs --mock-config FILE");
	return 0;
}

/* The execution's input from --input (NULL: {}). Returns 0 with *out new, or
 * EXIT_USAGE after complaining. */
static int load_input(const char *prog, const char *spec, cJSON **out)
{
	if (!spec)
		spec = "{}";
	char *text = NULL, *why = NULL;
	size_t len = 0;
	const char *what;
	char *label = NULL;
	if (spec[0] == '@') {
		const char *path = spec + 1;
		if (!*path)
			return complain(prog, "--input @ needs a file name after '@' (or @- for "
					"standard input)");
		if (strcmp(path, "-") == 0) {
			label = rt_strdup("standard input");
			text = rt_read_fd(STDIN_FILENO, &len, &why);
		} else {
			label = rt_fmt("input file '%s'", path);
			text = rt_read_file(path, &len, &why);
		}
		what = label ? label : "input";
		if (!text) {
			int rc = complain(prog, "%s: %s", what, why ? why : "out of memory");
			rt_free(why);
			rt_free(label);
			return rc;
		}
	} else {
		what = "--input";
		len = strlen(spec);
		text = rt_strdup(spec);
		if (!text)
			return complain(prog, "out of memory");
	}
	*out = rt_json_parse(text, len, &why);
	rt_free(text);
	int rc = 0;
	if (!*out)
		rc = complain(prog, "%s is %s", what, why ? why : "not valid JSON (out of memory)");
	rt_free(why);
	rt_free(label);
	return rc;
}

/* A whole number in [lo, hi] from s into *out (untouched when s is NULL).
 * Returns 0, or -1 when s is not one. */
static int parse_count(const char *s, unsigned long long lo, unsigned long long hi,
		       unsigned long long *out)
{
	if (!s)
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* --payload-limit and --depth-limit (limits.c). Returns 0 (limits set), or
 * EXIT_USAGE after complaining. */
static int parse_limits(const char *prog, const char *payload, const char *depth)
{
	const struct rt_limits *l = rt_limits();
	unsigned long long p = l->payload, d = (unsigned long long)l->depth;
	if (parse_count(payload, 0, (size_t)-1 / 2, &p))
		return complain(prog, "--payload-limit must be a number of bytes (0: no limit), "
				"not '%s'", payload);
	if (parse_count(depth, 1, 100000, &d))
		return complain(prog, "--depth-limit must be a whole number from 1 to 100000, "
				"not '%s'", depth);
	rt_limits_set((size_t)p, (int)d);
	return 0;
}

/* --time-scale: a finite number >= 0. */
static int parse_scale(const char *prog, const char *s, double *out)
{
	*out = 1;
	if (!s)
		return 0;
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0)
		return complain(prog, "--time-scale must be a number >= 0, not '%s'", s);
	*out = v;
	return 0;
}

/* AWS StartExecution's rules for `name`: 1-80 characters; no whitespace,
 * brackets < > { } [ ], wildcards ? *, any of " # % \ ^ | ~ ` $ & , ; : /, or
 * control characters (U+0000-001F, U+007F-009F). */
static int check_name(const char *prog, const char *name)
{
	if (!name)
		return 0;
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		int c1 = *p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
		if (*p <= 0x20 || *p == 0x7F || c1 || strchr("<>{}[]?*\"#%\\^|~`$&,;:/", *p))
			return complain(prog, "--name '%s': an execution name must not contain "
					"whitespace, control characters or any of <>{}[]?*\"#%%\\^|~`$&,;:/",
					name);
	}
	if (chars < 1 || chars > 80)
		return complain(prog, "--name '%s': an execution name must be 1 to 80 characters "
				"long", name);
	return 0;
}

/* Print v on one line to stdout. Returns 0, or EXIT_USAGE after complaining. */
static int print_json(const char *prog, const cJSON *v)
{
	char *s = rt_json_print(v);
	if (!s)
		return complain(prog, "out of memory");
	int bad = fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) == EOF;
	rt_free(s);
	if (bad)
		return complain(prog, "cannot write the result: %s", strerror(errno));
	return 0;
}

/* Print the FAILED result {"Error", "Cause"}. */
static int print_error(const char *prog, const struct aslrt_error *e)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "Error", e->error ? e->error : ASLRT_ERR_RUNTIME) ||
	    (e->cause && !cJSON_AddStringToObject(o, "Cause", e->cause))) {
		cJSON_Delete(o);
		return complain(prog, "out of memory");
	}
	int rc = print_json(prog, o);
	cJSON_Delete(o);
	return rc;
}

/* Everything `run` loads; freed by run_free. */
struct run_state {
	struct aslrt_mock *mock;
	struct aslrt_bindings *bindings;
	cJSON *input;
};

static void run_free(struct run_state *st)
{
	rt_mock_free(st->mock);
	rt_bindings_free(st->bindings);
	cJSON_Delete(st->input);
}

/* Load --mock-config and --bindings. Returns 0 or EXIT_USAGE. */
static int load_files(const char *prog, const struct aslrt_machine *m,
		      const struct run_args *a, struct run_state *st)
{
	char *why = NULL;
	if (a->mock_config) {
		st->mock = rt_mock_load(a->mock_config, m->name ? m->name : "", a->test_case,
					&why);
		if (!st->mock) {
			int rc = complain(prog, "%s", why ? why : "out of memory");
			rt_free(why);
			return rc;
		}
	}
	if (a->bindings) {
		st->bindings = rt_bindings_load(a->bindings, &why);
		if (!st->bindings) {
			int rc = complain(prog, "%s", why ? why : "out of memory");
			rt_free(why);
			return rc;
		}
	}
	return 0;
}

/* `PROG run ...`. */
static int cmd_run(const char *prog, const struct aslrt_machine *m, int argc, char **argv)
{
	struct run_args a = { 0 };
	int rc = parse_run(prog, m, argc, argv, &a);
	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	double scale;
	if ((rc = parse_scale(prog, a.time_scale, &scale)) || (rc = check_name(prog, a.name)) ||
	    (rc = parse_limits(prog, a.payload_limit, a.depth_limit)))
		return rc;

	struct run_state st = { NULL, NULL, NULL };
	if ((rc = load_input(prog, a.input, &st.input)) || (rc = load_files(prog, m, &a, &st))) {
		run_free(&st);
		return rc;
	}
	struct aslrt_options opt = {
		.time_scale = scale,
		.execution_name = a.name,
		.mock = st.mock,
		.bindings = st.bindings,
	};
	struct aslrt_error cerr = { NULL, NULL };
	if (aslrt_check_bindings(m, &opt, &cerr) < 0) {
		rc = complain(prog, "%s", cerr.cause ? cerr.cause : "a Task resource is unbound");
		aslrt_error_clear(&cerr);
		run_free(&st);
		return rc;
	}

	struct aslrt_result res;
	memset(&res, 0, sizeof res);
	cJSON *input = st.input;
	st.input = NULL;
	if (aslrt_run(m, &opt, input, &res) < 0) {
		rc = complain(prog, "runtime failure: %s",
			      res.error.cause ? res.error.cause : "out of memory");
	} else if (res.status == ASLRT_SUCCEEDED) {
		rc = res.output ? print_json(prog, res.output)
				: complain(prog, "runtime failure: no output");
	} else if (res.status == ASLRT_FAILED) {
		rc = print_error(prog, &res.error);
		if (rc == 0)
			rc = 1;
	} else {
		rc = complain(prog, "runtime failure: the execution did not finish");
	}
	aslrt_result_clear(&res);
	run_free(&st);
	return rc;
}

int aslrt_main(const struct aslrt_machine *m, int argc, char **argv)
{
	rt_alloc_init();
	const char *prog = prog_name(argc, argv);
	if (!m)
		return complain(prog, "no state machine");
	if (argc < 2 || !argv[1])
		return complain(prog, "missing command (try '%s --help')", prog);
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		print_help(prog, m);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("%s (state machine \"%s\") aslrt %s\n", prog, m->name ? m->name : "",
		       ASLRT_VERSION);
		return 0;
	}
	int drc = rt_cli_durable(m, prog, &argc, argv);   /* Standard mode: cli_durable.c */
	if (drc >= 0)
		return drc;
	if (strcmp(cmd, "run") == 0) {
		int rc = cmd_run(prog, m, argc, argv);
		if (getenv("ASLRT_ALLOC_COUNT"))   /* for the allocation-failure sweep */
			fprintf(stderr, "%s: %ld allocations\n", prog, rt_alloc_count());
		return rc;
	}
	if (strcmp(cmd, "bench") == 0)
		return rt_bench_main(m, prog, argc, argv);
	if (strcmp(cmd, "report") == 0)                /* report_cli.c */
		return rt_report_main(m, prog, argc, argv);
	if (strcmp(cmd, "top") == 0)                   /* top.c */
		return rt_top_main(m, prog, argc, argv);
	return complain(prog, "unknown command '%s' (try '%s --help')", cmd, prog);
}
