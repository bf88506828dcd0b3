/*
 * crash_driver.c - the program the crash test (crash_test.py) kills: a
 * workload (crash_workload.h: the PetSupply order workflow of examples/order
 * in crash_order.c, or Tasks inside Parallel branches and an inline Map in
 * crash_fanout.c) as Standard executions in one store, with every task
 * invocation logged before the handler runs.
 *
 *   crash_driver run STORE ORDERS LOG [COMPACT_BYTES]
 *       start orders ORD-1000001.. (starting an order that exists does
 *       nothing), run until every execution in the store has finished,
 *       compacting the log whenever it passes COMPACT_BYTES (default
 *       1 MiB, so that kills land in compactions too). Each invocation
 *       appends "IDEMPOTENCY_KEY PID" to LOG.
 *   crash_driver verify STORE ORDERS LOG PID...
 *       PID... are the pids of every `run`, in the order they ran. Checks:
 *       every order finished exactly once, with the status, output or
 *       error of an uncrashed in-memory run (aslrt_run) of the same order;
 *       every task result was recorded at most once; and no task whose
 *       result was recorded (by the run with pid P) was invoked again by P
 *       or by any run after P. Prints a summary; exit 0 when all hold.
 *
 * Exit status 2 on bad usage or a setup failure.
 */
#include "crash_workload.h"
#include "durable.h"
#include "rtmap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define FIRST_ORDER 1000001L

static int log_fd = -1;

/* ------------------------------------------------ logging the handlers */

struct wrap {
	aslrt_task_fn fn;
	void *user;
};

/* Log the invocation, then call the real handler. */
static int logged(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
		  struct aslrt_error *err)
{
	const struct wrap *w = ctx->user;
	char line[512];
	const char *key = ctx->idempotency_key ? ctx->idempotency_key : "-";
	int n = snprintf(line, sizeof line, "%s %ld\n", key, (long)getpid());
	if (n > 0 && n < (int)sizeof line && write(log_fd, line, (size_t)n) != n)
		return -1;
	struct aslrt_task_ctx inner = *ctx;
	inner.user = w->user;
	return w->fn(&inner, in, out, err);
}

/* Put `logged` in front of every handler of the machine (a later
 * registration wins). */
static int wrap_handlers(void)
{
	const struct aslrt_machine *m = crash_workload.machine;
	for (int i = 0; i < m->nresources; i++) {
		struct wrap *w = malloc(sizeof *w);
		if (!w)
			return -1;
		w->fn = rt_task_lookup(m->resources[i], &w->user);
		if (!w->fn || aslrt_task_register(m->resources[i], logged, w) != 0)
			return -1;
	}
	return 0;
}

static void name_of(long i, char *buf)
{
	snprintf(buf, 32, "ORD-%ld", FIRST_ORDER + i);
}

/* ------------------------------------------------------------------ run */

static int run(const char *store, long orders, long compact_bytes)
{
	struct aslrt_engine_options eo = { .store = store, .time_scale = 0,
					   .compact_bytes = (unsigned long long)compact_bytes };
	struct aslrt_engine *e = NULL;
	struct aslrt_error err = { NULL, NULL };
	if (aslrt_engine_open(crash_workload.machine, &eo, &e, &err) != 0) {
		fprintf(stderr, "crash_driver: %s\n", err.cause ? err.cause : "cannot open");
		return 2;
	}
	for (long i = 0; i < orders; i++) {
		char name[32];
		name_of(i, name);
		cJSON *in = crash_workload.input(FIRST_ORDER + i);
		if (aslrt_engine_start(e, name, in, &err) != 0) {
			if (!err.error || strcmp(err.error, "ExecutionAlreadyExists") != 0) {
				fprintf(stderr, "crash_driver: start %s: %s\n", name,
					err.cause ? err.cause : "?");
				aslrt_engine_close(e);
				return 2;
			}
			aslrt_error_clear(&err);   /* finished before: fine */
		}
	}
	puts("running");                 /* the crash test may now kill us mid-run */
	fflush(stdout);
	int rc = aslrt_engine_run(e, 1, &err);
	if (rc)
		fprintf(stderr, "crash_driver: %s\n", err.cause ? err.cause : "run failed");
	aslrt_engine_close(e);
	return rc ? 2 : 0;
}

/* --------------------------------------------------------------- verify */

struct outcome {
	int finals;                    /* FINAL records                          */
	int starts;
	cJSON *final;                  /* the last FINAL payload                 */
	int kind;                      /* its record kind                        */
};

struct recorded {                      /* a task record: key -> run index   */
	char *key;
	int run;
	int times;
};

struct verify {
	long orders;
	struct outcome *out;
	struct rt_map keys;            /* idempotency key -> struct recorded     */
	struct recorded **recs;
	size_t nrecs, cap;
	const long *pids;
	int npids;
	long tasks, bad_payload;
};

static int run_of_pid(const struct verify *v, long pid)
{
	for (int i = 0; i < v->npids; i++)
		if (v->pids[i] == pid)
			return i;
	return -1;
}

static int visit(void *ctx, const struct rt_rec *r)
{
	struct verify *v = ctx;
	char name[64];
	if (r->nlen >= sizeof name)
		return 0;
	memcpy(name, r->name, r->nlen);
	name[r->nlen] = '\0';
	const char *dash = strrchr(name, '-');
	long i = (dash ? strtol(dash + 1, NULL, 10) : 0) - FIRST_ORDER;
	if (i < 0 || i >= v->orders)
		return 0;
	struct outcome *o = &v->out[i];
	o->starts += r->kind == RT_REC_START;
	cJSON *p = NULL;
	if ((r->flags & RT_REC_FINAL) || r->kind == RT_REC_TASK) {
		p = rt_rec_json(r);
		if (!p) {
			v->bad_payload++;
			return 0;
		}
	}
	if (r->flags & RT_REC_FINAL) {
		o->finals++;
		cJSON_Delete(o->final);
		o->final = p;
		o->kind = r->kind;
		return 0;
	}
	if (r->kind == RT_REC_TASK) {
		const char *key = rt_j_str(p, "key");
		int run = run_of_pid(v, (long)rt_j_int(p, "pid"));
		struct recorded *rec = key ? rt_map_get(&v->keys, key, strlen(key)) : NULL;
		v->tasks++;
		if (!rec && key) {
			rec = calloc(1, sizeof *rec);
			if (v->nrecs == v->cap) {
				v->cap = v->cap ? v->cap * 2 : 1024;
				v->recs = realloc(v->recs, v->cap * sizeof *v->recs);
			}
			rec->key = strdup(key);
			rec->run = run;
			v->recs[v->nrecs++] = rec;
			rt_map_put(&v->keys, rec->key, rec);
		}
		if (rec)
			rec->times++;
	}
	cJSON_Delete(p);
	return 0;
}

/* The uncrashed reference: the same order run in memory. */
static int reference(long number, struct aslrt_result *res)
{
	char name[32];
	struct aslrt_options ro = { .time_scale = 0 };
	snprintf(name, sizeof name, "ORD-%ld", number);
	ro.execution_name = name;
	return aslrt_run(crash_workload.machine, &ro, crash_workload.input(number), res);
}

static int verify(const char *store, long orders, const char *logpath, const long *pids,
		  int npids)
{
	struct verify v = { .orders = orders, .pids = pids, .npids = npids };
	v.out = calloc((size_t)orders, sizeof *v.out);
	struct rt_store *st = NULL;
	char *why = NULL;
	if (!v.out || rt_store_open_log(store, crash_workload.machine->name, RT_SYNC_BATCH, NULL,
					RT_STORE_READONLY, &st, &why) != 0 ||
	    st->m->scan(st, RT_SCAN_ALL, visit, &v) != 0) {
		fprintf(stderr, "crash_driver: cannot read %s: %s\n", store, why ? why : "?");
		return 2;
	}
	st->m->close(st);
	long unfinished = 0, twice = 0, differ = 0, starts = 0;
	for (long i = 0; i < orders; i++) {
		struct outcome *o = &v.out[i];
		starts += o->starts != 1;
		if (o->finals == 0) {
			unfinished++;
			continue;
		}
		twice += o->finals > 1;
		struct aslrt_result res = { 0 };
		reference(FIRST_ORDER + i, &res);
		const cJSON *src = o->kind == RT_REC_STEP
					   ? cJSON_GetObjectItemCaseSensitive(o->final, "cp") : o->final;
		const char *s = rt_j_str(src, "s");
		int same = s && strcmp(s, rt_status_name(res.status)) == 0;
		if (same && res.status == ASLRT_SUCCEEDED)
			same = cJSON_Compare(cJSON_GetObjectItemCaseSensitive(src, "out"), res.output, 1);
		else if (same)
			same = !strcmp(rt_j_str(src, "err") ? rt_j_str(src, "err") : "",
				       res.error.error ? res.error.error : "") &&
			       !strcmp(rt_j_str(src, "cause") ? rt_j_str(src, "cause") : "",
				       res.error.cause ? res.error.cause : "");
		if (!same && differ++ < 5)
			fprintf(stderr, "ORD-%ld: stored result differs from the uncrashed run\n",
				FIRST_ORDER + i);
		aslrt_result_clear(&res);
		cJSON_Delete(o->final);
	}
	/* the invocation log against the recorded results */
	long invocations = 0, reinvoked = 0, recorded_twice = 0, unknown_pid = 0;
	FILE *f = fopen(logpath, "r");
	char line[512];
	struct rt_map seen = { 0 };       /* key -> count in the run it was recorded */
	while (f && fgets(line, sizeof line, f)) {
		char *sp = strrchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		long pid = strtol(sp + 1, NULL, 10);
		int run = run_of_pid(&v, pid);
		invocations++;
		if (run < 0) {
			unknown_pid++;
			continue;
		}
		struct recorded *rec = rt_map_get(&v.keys, line, strlen(line));
		if (!rec)
			continue;              /* in flight at a crash, never recorded */
		if (run > rec->run) {
			if (reinvoked++ < 5)
				fprintf(stderr, "%s: invoked again after its result was recorded\n",
					line);
		} else if (run == rec->run) {
			long n = (long)(uintptr_t)rt_map_get(&seen, rec->key, strlen(rec->key)) + 1;
			rt_map_put(&seen, rec->key, (void *)(uintptr_t)n);
			if (n > 1 && reinvoked++ < 5)
				fprintf(stderr, "%s: invoked twice by one run\n", line);
		}
	}
	if (f)
		fclose(f);
	for (size_t i = 0; i < v.nrecs; i++) {
		recorded_twice += v.recs[i]->times > 1;
		unknown_pid += v.recs[i]->run < 0;
	}
	printf("orders %ld, runs %d, task records %ld, invocations logged %ld\n", orders, npids,
	       v.tasks, invocations);
	printf("unfinished %ld, finished more than once %ld, started other than once %ld, "
	       "results differing from an uncrashed run %ld\n", unfinished, twice, starts,
	       differ);
	printf("task results recorded twice %ld, recorded tasks invoked again %ld, unknown "
	       "pids %ld, unreadable records %ld\n", recorded_twice, reinvoked, unknown_pid,
	       v.bad_payload);
	int ok = !unfinished && !twice && !starts && !differ && !recorded_twice && !reinvoked &&
		 !unknown_pid && !v.bad_payload && v.tasks > 0;
	printf("%s\n", ok ? "PASS" : "FAIL");
	for (size_t i = 0; i < v.nrecs; i++) {
		free(v.recs[i]->key);
		free(v.recs[i]);
	}
	free(v.recs);
	free(v.out);
	rt_map_free(&v.keys);
	rt_map_free(&seen);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 5 || (strcmp(argv[1], "run") && strcmp(argv[1], "verify"))) {
		fputs("usage: crash_driver run STORE ORDERS LOG [COMPACT_BYTES]\n"
		      "       crash_driver verify STORE ORDERS LOG PID...\n", stderr);
		return 2;
	}
	long orders = strtol(argv[3], NULL, 10);
	crash_workload.setup();
	if (orders < 1 || wrap_handlers() != 0)
		return 2;
	if (strcmp(argv[1], "run") == 0) {
		log_fd = open(argv[4], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (log_fd < 0)
			return 2;
		return run(argv[2], orders, argc > 5 ? strtol(argv[5], NULL, 10) : 1L << 20);
	}
	log_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int npids = argc - 5;
	long *pids = calloc((size_t)(npids > 0 ? npids : 1), sizeof *pids);
	for (int i = 0; i < npids; i++)
		pids[i] = strtol(argv[5 + i], NULL, 10);
	int rc = verify(argv[2], orders, argv[4], pids, npids);
	free(pids);
	return rc;
}
