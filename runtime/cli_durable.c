/*
 * cli_durable.c - the Standard-mode commands of a program built by aslc
 * (docs/cli.md, docs/durable.md), modelled on the AWS CLI's stepfunctions
 * commands: start, worker, list, describe, history, stop, redrive,
 * send-task-success, send-task-failure, send-task-heartbeat,
 * get-activity-task, and `run --type standard`. Like cli.c it prints:
 * results as JSON on stdout, one-line messages on stderr.
 *
 * Exit status: 0 done; 1 the request was refused (an AWS error name and
 * message on stderr) or, for `run`, the execution did not succeed; 2 usage
 * or setup error.
 */
#include "cli_durable.h"
#include "durable.h"
#include "metrics.h"
#include "taskutil.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define REQUEST_TIMEOUT_S 60.0

/* ------------------------------------------------------------- options */

/* Every option any of these commands takes; a command lists the ones it
 * accepts. Values are borrowed from argv. */
enum opt_id {
	O_STORE, O_NAME, O_ARN, O_INPUT, O_SYNC, O_WORKERS, O_TIME_SCALE, O_MOCK, O_TEST_CASE,
	O_BINDINGS, O_HISTORY_LIMIT, O_COMPACT, O_STATUS, O_REVERSE, O_ERROR, O_CAUSE, O_TOKEN,
	O_OUTPUT, O_ACTIVITY, O_WORKER_NAME, O_WAIT, O_TYPE, O_METRICS, O_NOPT
};

static const struct {
	const char *name;
	int flag;                      /* takes no value                        */
} opt_names[O_NOPT] = {
	[O_STORE] = { "store", 0 },          [O_NAME] = { "name", 0 },
	[O_ARN] = { "execution-arn", 0 },    [O_INPUT] = { "input", 0 },
	[O_SYNC] = { "sync", 0 },            [O_WORKERS] = { "workers", 0 },
	[O_TIME_SCALE] = { "time-scale", 0 }, [O_MOCK] = { "mock-config", 0 },
	[O_TEST_CASE] = { "test-case", 0 },  [O_BINDINGS] = { "bindings", 0 },
	[O_HISTORY_LIMIT] = { "history-limit", 0 }, [O_COMPACT] = { "compact-bytes", 0 },
	[O_STATUS] = { "status-filter", 0 }, [O_REVERSE] = { "reverse-order", 1 },
	[O_ERROR] = { "error", 0 },          [O_CAUSE] = { "cause", 0 },
	[O_TOKEN] = { "task-token", 0 },     [O_OUTPUT] = { "task-output", 0 },
	[O_ACTIVITY] = { "activity-arn", 0 }, [O_WORKER_NAME] = { "worker-name", 0 },
	[O_WAIT] = { "wait-seconds", 0 },    [O_TYPE] = { "type", 0 },
	[O_METRICS] = { "metrics", 0 },
};

struct cmd;

struct ctx {
	const struct aslrt_machine *m;
	const char *prog;
	const struct cmd *cmd;
	const char *v[O_NOPT];
	char *store_default;
};

static int say(const struct ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* "PROG: message" on stderr; returns EXIT_USAGE. */
static int say(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", c->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_USAGE;
}

/* An AWS error on stderr ("PROG: ExecutionDoesNotExist: ..."). */
static int refused(const struct ctx *c, const char *error, const char *cause)
{
	fprintf(stderr, "%s: %s%s%s\n", c->prog, error ? error : "ServiceFailure",
		cause ? ": " : "", cause ? cause : "");
	return EXIT_REFUSED;
}

static int print_json(const struct ctx *c, const cJSON *v)
{
	char *s = rt_json_print(v);
	if (!s)
		return say(c, "out of memory");
	int bad = puts(s) == EOF || fflush(stdout) == EOF;
	rt_free(s);
	return bad ? say(c, "cannot write the result: %s", strerror(errno)) : 0;
}

/* Parse argv[2..] against the options command allows (a list of ids
 * ending with O_NOPT). Returns 0 or EXIT_USAGE. */
static int parse(struct ctx *c, int argc, char **argv, const enum opt_id *allowed)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0)
			return say(c, "unexpected argument '%s' (try '%s --help')", a, c->prog);
		const char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		int id = -1;
		for (const enum opt_id *k = allowed; *k != O_NOPT && id < 0; k++)
			if (strlen(opt_names[*k].name) == len &&
			    strncmp(opt_names[*k].name, a + 2, len) == 0)
				id = (int)*k;
		if (id < 0)
			return say(c, "%s: unknown option '%.*s' (see docs/cli.md)", argv[1],
				   (int)len + 2, a);
		if (c->v[id])
			return say(c, "option --%s is given twice", opt_names[id].name);
		if (opt_names[id].flag)
			c->v[id] = "1";
		else if (eq)
			c->v[id] = eq + 1;
		else if (i + 1 < argc)
			c->v[id] = argv[++i];
		else
			return say(c, "option --%s needs a value", opt_names[id].name);
	}
	return 0;
}

const char *rt_cli_store(const struct aslrt_machine *m, const char *given, char **owned)
{
	if (given)
		return given;
	const char *env = getenv("ASLRT_STORE");
	if (env && *env)
		return env;
	if (!*owned)
		*owned = rt_fmt("%s.store", m->name ? m->name : "aslrt");
	return *owned ? *owned : "aslrt.store";
}

/* The store directory: --store, else $ASLRT_STORE, else ./MACHINE.store. */
static const char *store_of(struct ctx *c)
{
	return rt_cli_store(c->m, c->v[O_STORE], &c->store_default);
}

/* The execution name: --name, or the last part of --execution-arn. */
static const char *name_of(const struct ctx *c)
{
	if (c->v[O_NAME])
		return c->v[O_NAME];
	const char *arn = c->v[O_ARN];
	const char *colon = arn ? strrchr(arn, ':') : NULL;
	return colon ? colon + 1 : arn;
}

/* JSON text or @FILE (@- standard input). Returns new memory or NULL after
 * complaining. what names the option in messages. */
static cJSON *json_arg(const struct ctx *c, const char *spec, const char *what)
{
	char *why = NULL, *text = NULL;
	size_t len = 0;
	if (spec[0] == '@') {
		text = strcmp(spec + 1, "-") == 0 ? rt_read_fd(STDIN_FILENO, &len, &why)
						    : rt_read_file(spec + 1, &len, &why);
	} else {
		len = strlen(spec);
		text = rt_strdup(spec);
	}
	cJSON *v = text ? rt_json_parse(text, len, &why) : NULL;
	if (!v)
		say(c, "%s is %s", what, why ? why : "out of memory");
	rt_free(why);
	rt_free(text);
	return v;
}

/* A non-negative number option into *out (default def when absent). */
static int num_arg(const struct ctx *c, enum opt_id id, double def, double *out)
{
	*out = def;
	const char *s = c->v[id];
	if (!s)
		return 0;
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0)
		return say(c, "--%s must be a number >= 0, not '%s'", opt_names[id].name, s);
	*out = v;
	return 0;
}

/* AWS's rules for an execution name: 1-80 characters, none of whitespace,
 * brackets, wildcards, control characters or "#%\^|~`$&,;:/. */
static int check_name(const struct ctx *c, const char *name)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		chars += (*p & 0xC0) != 0x80;
		if (*p <= 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) ||
		    strchr("<>{}[]?*\"#%\\^|~`$&,;:/", *p))
			return say(c, "'%s' is not a valid execution name (AWS's rules: no "
				   "whitespace, control characters or <>{}[]?*\"#%%\\^|~`$&,;:/)",
				   name);
	}
	return chars >= 1 && chars <= 80 ? 0
					 : say(c, "an execution name has 1 to 80 characters: '%s'",
					       name);
}

/* --------------------------------------------------- talking to a store */

struct serve {
	const struct aslrt_machine *m;
	const char *dir;
};

/* Serve the inbox of a store no process owns, in this process. */
static int serve_self(void *arg, char **why)
{
	struct serve *sv = arg;
	struct rt_sched_options o = { .dir = sv->dir, .sync = RT_SYNC_BATCH };
	o.run.time_scale = 1;
	struct rt_sched *sc = NULL;
	int rc = rt_sched_open(sv->m, &o, &sc, why);
	if (rc == -2) {                  /* a worker took it meanwhile: it serves */
		rt_free(*why);
		*why = NULL;
		return 0;
	}
	if (rc != 0)
		return -1;
	rt_inbox_serve(sc, sv->dir);
	rt_sched_close(sc);
	return 0;
}

/* Send req (taken) to the store and print the response. */
static int request(struct ctx *c, cJSON *req_take)
{
	if (!req_take)
		return say(c, "out of memory");
	const char *dir = store_of(c);
	struct serve sv = { c->m, dir };
	char *why = NULL;
	cJSON *reply = rt_inbox_call(dir, req_take, REQUEST_TIMEOUT_S, serve_self, &sv, &why);
	cJSON_Delete(req_take);
	if (!reply) {
		int rc = say(c, "%s", why ? why : "out of memory");
		rt_free(why);
		return rc;
	}
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(reply, "ok");
	int rc = ok ? print_json(c, ok)
		    : refused(c, rt_j_str(reply, "error"), rt_j_str(reply, "cause"));
	cJSON_Delete(reply);
	return rc;
}

static cJSON *req_new(const char *op)
{
	cJSON *r = cJSON_CreateObject();
	if (r && !cJSON_AddStringToObject(r, "op", op)) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

static void req_str(cJSON *r, const char *key, const char *v)
{
	if (r && v)
		cJSON_AddStringToObject(r, key, v);
}

/* Open the store read-only. NULL after complaining. */
static struct rt_store *open_reader(struct ctx *c)
{
	struct rt_store *st = NULL;
	char *why = NULL;
	if (rt_store_open_log(store_of(c), c->m->name ? c->m->name : "", RT_SYNC_BATCH, NULL,
			      RT_STORE_READONLY, &st, &why) != 0) {
		say(c, "%s", why ? why : "out of memory");
		rt_free(why);
		return NULL;
	}
	return st;
}

/* ------------------------------------------------------------ commands */

static int cmd_start(struct ctx *c)
{
	const char *name = name_of(c);
	if (name && check_name(c, name))
		return EXIT_USAGE;
	cJSON *input = json_arg(c, c->v[O_INPUT] ? c->v[O_INPUT] : "{}", "--input");
	if (!input)
		return EXIT_USAGE;
	mkdir(store_of(c), 0700);        /* a new store: the first start makes it */
	cJSON *req = req_new("start");
	req_str(req, "name", name);
	if (req)
		cJSON_AddItemToObject(req, "input", input);
	else
		cJSON_Delete(input);
	return request(c, req);
}

static int cmd_send_success(struct ctx *c)
{
	if (!c->v[O_TOKEN] || !c->v[O_OUTPUT])
		return say(c, "send-task-success needs --task-token and --task-output");
	cJSON *out = json_arg(c, c->v[O_OUTPUT], "--task-output");
	if (!out)
		return EXIT_USAGE;
	cJSON *req = req_new("send-task-success");
	req_str(req, "token", c->v[O_TOKEN]);
	if (req)
		cJSON_AddItemToObject(req, "output", out);
	else
		cJSON_Delete(out);
	return request(c, req);
}

static int cmd_send_failure(struct ctx *c)
{
	if (!c->v[O_TOKEN])
		return say(c, "send-task-failure needs --task-token");
	cJSON *req = req_new("send-task-failure");
	req_str(req, "token", c->v[O_TOKEN]);
	req_str(req, "error", c->v[O_ERROR]);
	req_str(req, "cause", c->v[O_CAUSE]);
	return request(c, req);
}

static int cmd_send_heartbeat(struct ctx *c)
{
	if (!c->v[O_TOKEN])
		return say(c, "send-task-heartbeat needs --task-token");
	cJSON *req = req_new("send-task-heartbeat");
	req_str(req, "token", c->v[O_TOKEN]);
	return request(c, req);
}

static int cmd_stop(struct ctx *c)
{
	if (!name_of(c))
		return say(c, "stop needs --name (or --execution-arn)");
	cJSON *req = req_new("stop");
	req_str(req, "name", name_of(c));
	req_str(req, "error", c->v[O_ERROR]);
	req_str(req, "cause", c->v[O_CAUSE]);
	return request(c, req);
}

static int cmd_redrive(struct ctx *c)
{
	if (!name_of(c))
		return say(c, "redrive needs --name (or --execution-arn)");
	cJSON *req = req_new("redrive");
	req_str(req, "name", name_of(c));
	return request(c, req);
}

static int cmd_get_activity_task(struct ctx *c)
{
	const char *arn = c->v[O_ACTIVITY];
	const char *name = rt_activity_name(arn);
	if (!name)
		return say(c, "get-activity-task needs --activity-arn "
			   "arn:aws:states:REGION:ACCOUNT:activity:NAME");
	double wait;
	if (num_arg(c, O_WAIT, 60, &wait))   /* GetActivityTask polls for 60 s */
		return EXIT_USAGE;
	int64_t until = rt_now_us() + (int64_t)(wait * 1e6);
	cJSON *task;
	while (!(task = rt_activity_claim(store_of(c), name)) && rt_now_us() < until) {
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (!task) {                     /* nothing within the wait: an empty answer */
		int bad = puts("{}") == EOF || fflush(stdout) == EOF;
		return bad ? say(c, "cannot write the result: %s", strerror(errno)) : 0;
	}
	/* tell the owner, for the ActivityStarted event */
	cJSON *req = req_new("activity-started");
	req_str(req, "token", rt_j_str(task, "taskToken"));
	req_str(req, "worker", c->v[O_WORKER_NAME] ? c->v[O_WORKER_NAME] : "");
	const char *dir = store_of(c);
	struct serve sv = { c->m, dir };
	char *why = NULL;
	cJSON *reply = req ? rt_inbox_call(dir, req, REQUEST_TIMEOUT_S, serve_self, &sv, &why)
			   : NULL;
	cJSON_Delete(req);
	cJSON_Delete(reply);
	rt_free(why);
	int rc = print_json(c, task);
	cJSON_Delete(task);
	return rc;
}

static void add_time(cJSON *o, const char *key, int64_t us)
{
	char ts[40];
	if (us)
		cJSON_AddStringToObject(o, key, rt_time_cli(us, ts));
}

static char *exec_arn(const struct ctx *c, const char *name)
{
	return rt_fmt("arn:aws:states:us-east-1:123456789012:execution:%s:%s",
		      c->m->name ? c->m->name : "", name);
}

static char *machine_arn(const struct ctx *c)
{
	return rt_fmt("arn:aws:states:us-east-1:123456789012:stateMachine:%s",
		      c->m->name ? c->m->name : "");
}

/* The fields list-executions and describe-execution share. */
static cJSON *summary_json(const struct ctx *c, const struct rt_summary *s)
{
	cJSON *o = cJSON_CreateObject();
	char *arn = exec_arn(c, s->name), *marn = machine_arn(c);
	if (o && arn && marn) {
		cJSON_AddStringToObject(o, "executionArn", arn);
		cJSON_AddStringToObject(o, "stateMachineArn", marn);
		cJSON_AddStringToObject(o, "name", s->name);
		cJSON_AddStringToObject(o, "status", rt_status_name(s->status));
		add_time(o, "startDate", s->start_us);
		add_time(o, "stopDate", s->stop_us);
	}
	rt_free(arn);
	rt_free(marn);
	return o;
}

static int cmd_list(struct ctx *c)
{
	int filter = -1;
	if (c->v[O_STATUS] && (filter = rt_status_parse(c->v[O_STATUS])) < 0)
		return say(c, "--status-filter takes RUNNING, SUCCEEDED, FAILED, TIMED_OUT or "
			   "ABORTED, not '%s'", c->v[O_STATUS]);
	struct rt_store *st = open_reader(c);
	if (!st)
		return EXIT_USAGE;
	struct rt_summary *v = NULL;
	size_t n = 0;
	int rc = rt_catalog_list(st, NULL, &v, &n);
	st->m->close(st);
	if (rc != 0)
		return say(c, "cannot read the store %s", store_of(c));
	cJSON *doc = cJSON_CreateObject();
	cJSON *arr = doc ? cJSON_AddArrayToObject(doc, "executions") : NULL;
	/* ListExecutions lists the newest first */
	for (size_t i = n; arr && i-- > 0;) {
		if (filter < 0 || (int)v[i].status == filter) {
			cJSON *o = summary_json(c, &v[i]);
			if (o && v[i].redrive_count)
				cJSON_AddNumberToObject(o, "redriveCount", v[i].redrive_count);
			cJSON_AddItemToArray(arr, o);
		}
	}
	for (size_t i = 0; i < n; i++)
		rt_summary_free(&v[i]);
	rt_free(v);
	rc = arr ? print_json(c, doc) : say(c, "out of memory");
	cJSON_Delete(doc);
	return rc;
}

static void add_text(cJSON *o, const char *key, const char *dkey, const cJSON *v)
{
	char *s = v ? rt_json_print(v) : NULL;
	if (s) {
		cJSON_AddStringToObject(o, key, s);
		cJSON_AddBoolToObject(cJSON_AddObjectToObject(o, dkey), "included", 1);
	}
	rt_free(s);
}

static int cmd_describe(struct ctx *c)
{
	const char *name = name_of(c);
	if (!name)
		return say(c, "describe needs --name (or --execution-arn)");
	struct rt_store *st = open_reader(c);
	if (!st)
		return EXIT_USAGE;
	struct rt_summary *v = NULL;
	size_t n = 0;
	int rc = rt_catalog_list(st, name, &v, &n);
	st->m->close(st);
	if (rc != 0)
		return say(c, "cannot read the store %s", store_of(c));
	if (n == 0) {
		rt_free(v);
		return refused(c, "ExecutionDoesNotExist", "Execution Does Not Exist");
	}
	cJSON *o = summary_json(c, &v[0]);
	if (o) {
		add_text(o, "input", "inputDetails", v[0].input);
		add_text(o, "output", "outputDetails", v[0].output);
		if (v[0].error)
			cJSON_AddStringToObject(o, "error", v[0].error);
		if (v[0].cause)
			cJSON_AddStringToObject(o, "cause", v[0].cause);
		cJSON_AddNumberToObject(o, "redriveCount", v[0].redrive_count);
		add_time(o, "redriveDate", v[0].redrive_us);
		int redrivable = v[0].status == ASLRT_FAILED || v[0].status == ASLRT_TIMED_OUT ||
				 v[0].status == ASLRT_ABORTED;
		cJSON_AddStringToObject(o, "redriveStatus",
					redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
	}
	rt_summary_free(&v[0]);
	rt_free(v);
	rc = o ? print_json(c, o) : say(c, "out of memory");
	cJSON_Delete(o);
	return rc;
}

static int cmd_history(struct ctx *c)
{
	const char *name = name_of(c);
	if (!name)
		return say(c, "history needs --name (or --execution-arn)");
	struct rt_store *st = open_reader(c);
	if (!st)
		return EXIT_USAGE;
	int oom = 0;
	cJSON *doc = rt_catalog_history(st, c->m, name, c->v[O_REVERSE] != NULL, &oom);
	st->m->close(st);
	if (!doc)
		return oom ? say(c, "cannot read the store %s", store_of(c))
			   : refused(c, "ExecutionDoesNotExist", "Execution Does Not Exist");
	int rc = print_json(c, doc);
	cJSON_Delete(doc);
	return rc;
}

/* ------------------------------------------------- worker, run standard */

/* What worker and `run --type standard` load. */
struct runner {
	struct rt_sched_options o;
	struct aslrt_mock *mock;
	struct aslrt_bindings *bindings;
	const char *name;              /* run: the execution to wait for        */
	struct aslrt_result res;
	int done;
	struct rt_sched *sc;
};

static struct rt_sched *volatile signal_target;

static void on_signal(int sig)
{
	(void)sig;
	if (signal_target)
		rt_sched_stop(signal_target);
}

static int runner_setup(struct ctx *c, struct runner *r)
{
	memset(r, 0, sizeof *r);
	r->o.dir = store_of(c);
	double d;
	if (c->v[O_SYNC] && rt_sync_mode_parse(c->v[O_SYNC], &r->o.sync) != 0)
		return say(c, "--sync takes always, batch or none, not '%s'", c->v[O_SYNC]);
	if (num_arg(c, O_TIME_SCALE, 1, &r->o.run.time_scale) || num_arg(c, O_WORKERS, 0, &d))
		return EXIT_USAGE;
	r->o.workers = (int)d;
	if (num_arg(c, O_HISTORY_LIMIT, 0, &d))
		return EXIT_USAGE;
	r->o.history_limit = (long)d;
	if (num_arg(c, O_COMPACT, 0, &d))
		return EXIT_USAGE;
	r->o.compact_bytes = (uint64_t)d;
	if (!c->v[O_MOCK] != !c->v[O_TEST_CASE])
		return say(c, "--mock-config and --test-case go together");
	char *why = NULL;
	if (c->v[O_MOCK] &&
	    !(r->mock = rt_mock_load(c->v[O_MOCK], c->m->name ? c->m->name : "",
				     c->v[O_TEST_CASE], &why))) {
		int rc = say(c, "%s", why ? why : "out of memory");
		rt_free(why);
		return rc;
	}
	if (c->v[O_BINDINGS] && !(r->bindings = rt_bindings_load(c->v[O_BINDINGS], &why))) {
		int rc = say(c, "%s", why ? why : "out of memory");
		rt_free(why);
		return rc;
	}
	r->o.run.mock = r->mock;
	r->o.run.bindings = r->bindings;
	struct aslrt_error e = { 0 };
	if (aslrt_check_bindings(c->m, &r->o.run, &e) != 0) {
		int rc = say(c, "%s", e.cause ? e.cause : "a Task resource is unbound");
		aslrt_error_clear(&e);
		return rc;
	}
	return 0;
}

static void runner_free(struct runner *r)
{
	rt_sched_close(r->sc);
	rt_mock_free(r->mock);
	rt_bindings_free(r->bindings);
	aslrt_result_clear(&r->res);
}

static int open_sched(struct ctx *c, struct runner *r)
{
	char *why = NULL;
	int rc = rt_sched_open(c->m, &r->o, &r->sc, &why);
	if (rc != 0) {
		rc = say(c, "%s", why ? why : "out of memory");
		rt_free(why);
		return rc;
	}
	return 0;
}

static int run_until_stopped(struct ctx *c, struct runner *r, int until_idle)
{
	signal_target = r->sc;
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	char *why = NULL;
	int rc = rt_sched_run(r->sc, until_idle, &why);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	signal_target = NULL;
	if (rc != 0) {
		rc = say(c, "%s", why ? why : "the store failed");
		rt_free(why);
		return rc;
	}
	return 0;
}

static int cmd_worker(struct ctx *c)
{
	struct runner r;
	int rc = runner_setup(c, &r);
	r.o.inbox = 1;
	if (rc == 0)
		rc = open_sched(c, &r);
	/* counters for `top` (DIR/metrics.prom) and --metrics (metrics.c) */
	struct rt_publisher *pub = NULL;
	char *why = NULL;
	if (rc == 0 && !(pub = rt_publish_start(r.sc, c->m, store_of(c), c->v[O_METRICS], 1.0,
						&why))) {
		rc = say(c, "%s", why ? why : "out of memory");
		rt_free(why);
	}
	if (rc == 0)
		rc = run_until_stopped(c, &r, 0);
	if (rt_publish_stop(pub) != 0 && rc == 0)
		rc = say(c, "cannot write the metrics: %s", strerror(errno));
	runner_free(&r);
	return rc;
}

/* on_finish of `run --type standard`: keep our execution's result, stop. */
static void run_finished(void *arg, const char *name, const struct aslrt_result *res)
{
	struct runner *r = arg;
	if (strcmp(name, r->name) != 0)
		return;
	r->res = *res;
	r->res.output = res->output ? cJSON_Duplicate(res->output, 1) : NULL;
	r->res.error.error = res->error.error ? rt_strdup(res->error.error) : NULL;
	r->res.error.cause = res->error.cause ? rt_strdup(res->error.cause) : NULL;
	r->done = 1;
	rt_sched_stop(r->sc);
}

/* Print a finished result the way `run` does; returns the exit status. */
static int print_result(struct ctx *c, enum aslrt_status status, const cJSON *output,
			const char *error, const char *cause)
{
	if (status == ASLRT_SUCCEEDED)
		return output ? print_json(c, output) : say(c, "runtime failure: no output");
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "Error", error ? error : ASLRT_ERR_RUNTIME) ||
	    (cause && !cJSON_AddStringToObject(o, "Cause", cause))) {
		cJSON_Delete(o);
		return say(c, "out of memory");
	}
	int rc = print_json(c, o);
	cJSON_Delete(o);
	return rc ? rc : 1;
}

/* An execution that had finished before: report what it ended with. */
static int report_finished(struct ctx *c, struct runner *r, struct aslrt_error *err)
{
	struct rt_summary *v = NULL;
	size_t n = 0;
	int rc;
	if (strcmp(err->error, "ExecutionAlreadyExists") == 0 &&
	    rt_catalog_list(rt_sched_store(r->sc), r->name, &v, &n) == 0 && n == 1 &&
	    v[0].status != ASLRT_RUNNING)
		rc = print_result(c, v[0].status, v[0].output, v[0].error, v[0].cause);
	else
		rc = refused(c, err->error, err->cause);
	for (size_t i = 0; i < n; i++)
		rt_summary_free(&v[i]);
	rt_free(v);
	return rc;
}

static int cmd_run_standard(struct ctx *c)
{
	struct runner r;
	char uuid[48];
	int rc = runner_setup(c, &r);
	r.name = name_of(c);
	if (!r.name) {
		if (rt_token_new(uuid) != 0)
			snprintf(uuid, sizeof uuid, "%lld", (long long)rt_now_us());
		uuid[36] = '\0';
		r.name = uuid;
	}
	cJSON *input = NULL;
	if (rc == 0 && (rc = check_name(c, r.name)) == 0 &&
	    !(input = json_arg(c, c->v[O_INPUT] ? c->v[O_INPUT] : "{}", "--input")))
		rc = EXIT_USAGE;
	r.o.on_finish = run_finished;
	r.o.ctx = &r;
	if (rc == 0)
		rc = open_sched(c, &r);
	if (rc == 0) {
		struct aslrt_error err = { 0 };
		uint64_t lsn;
		int64_t t;
		int started = rt_sched_start(r.sc, r.name, input, &lsn, &t, &err);
		input = NULL;                /* taken */
		rc = started == 0 ? run_until_stopped(c, &r, 0) : report_finished(c, &r, &err);
		aslrt_error_clear(&err);
		if (started == 0 && rc == 0)
			rc = r.done ? print_result(c, r.res.status, r.res.output, r.res.error.error,
						   r.res.error.cause)
				    : say(c, "stopped before the execution finished");
	}
	cJSON_Delete(input);
	runner_free(&r);
	return rc;
}

/* ------------------------------------------------------------- dispatch */

struct cmd {
	const char *name;
	int (*fn)(struct ctx *c);
	enum opt_id opts[16];
};

#define END O_NOPT

static const struct cmd cmds[] = {
	{ "start", cmd_start, { O_STORE, O_NAME, O_INPUT, END } },
	{ "worker", cmd_worker, { O_STORE, O_SYNC, O_WORKERS, O_TIME_SCALE, O_MOCK, O_TEST_CASE,
				  O_BINDINGS, O_HISTORY_LIMIT, O_COMPACT, O_METRICS, END } },
	{ "list", cmd_list, { O_STORE, O_STATUS, END } },
	{ "describe", cmd_describe, { O_STORE, O_NAME, O_ARN, END } },
	{ "history", cmd_history, { O_STORE, O_NAME, O_ARN, O_REVERSE, END } },
	{ "stop", cmd_stop, { O_STORE, O_NAME, O_ARN, O_ERROR, O_CAUSE, END } },
	{ "redrive", cmd_redrive, { O_STORE, O_NAME, O_ARN, END } },
	{ "send-task-success", cmd_send_success, { O_STORE, O_TOKEN, O_OUTPUT, END } },
	{ "send-task-failure", cmd_send_failure, { O_STORE, O_TOKEN, O_ERROR, O_CAUSE, END } },
	{ "send-task-heartbeat", cmd_send_heartbeat, { O_STORE, O_TOKEN, END } },
	{ "get-activity-task", cmd_get_activity_task,
	  { O_STORE, O_ACTIVITY, O_WORKER_NAME, O_WAIT, END } },
	{ "run", cmd_run_standard, { O_TYPE, O_STORE, O_NAME, O_INPUT, O_SYNC, O_WORKERS,
				     O_TIME_SCALE, O_MOCK, O_TEST_CASE, O_BINDINGS,
				     O_HISTORY_LIMIT, END } },
};

/* Remove argv[i] and argv[i + 1] (an option and its value). */
static void drop_two(int *argc, char **argv, int i)
{
	for (int k = i; k + 2 <= *argc; k++)
		argv[k] = argv[k + 2];
	*argc -= 2;
}

int rt_cli_durable(const struct aslrt_machine *m, const char *prog, int *argc, char **argv)
{
	if (*argc < 2 || !argv[1])
		return -1;
	const char *cmd = argv[1];
	if (strcmp(cmd, "run") == 0) {
		/* `run --type express` is the plain run; --type standard is ours */
		int type = 0;
		for (int i = 2; i + 1 < *argc; i++)
			if (strcmp(argv[i], "--type") == 0) {
				type = strcmp(argv[i + 1], "standard") == 0 ? 2
				       : strcmp(argv[i + 1], "express") == 0 ? 1 : 3;
				if (type == 1)
					drop_two(argc, argv, i);
				break;
			}
		if (type < 2)
			return -1;
		if (type == 3) {
			fprintf(stderr, "%s: --type takes standard or express\n", prog);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(cmd, cmds[i].name) != 0)
			continue;
		struct ctx c = { .m = m, .prog = prog, .cmd = &cmds[i] };
		int rc = parse(&c, *argc, argv, cmds[i].opts);
		if (rc == 0)
			rc = cmds[i].fn(&c);
		rt_free(c.store_default);
		return rc;
	}
	return -1;
}
