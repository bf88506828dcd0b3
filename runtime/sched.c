/*
 * sched.c - the scheduler of Standard executions (docs/durable.md, "The
 * scheduler"). Executions are data (struct rt_journal + struct aslrt_exec);
 * no thread belongs to one. Worker threads take runnable executions and run
 * one step each (tasks run inline on the worker), appending the step's
 * checkpoint; the committer thread makes appended records durable in groups
 * (one write and one fdatasync for everything appended meanwhile) and only
 * then lets an execution go on; the thread that calls rt_sched_run fires
 * timers (Wait, retry backoff, task timeouts, heartbeats, the execution's
 * TimeoutSeconds) and serves the inbox.
 *
 * Locking: one mutex (sc->mu) guards the run queue, the timer heap, the
 * maps, the pending list and every journal's `where`; a step runs outside
 * it on an execution that only its worker touches. Lock order: sc->mu, then
 * the store's own locks; sync() is never called with sc->mu held.
 */
#include "counters.h"
#include "durable.h"
#include "rtmap.h"
#include "taskutil.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_HISTORY_LIMIT 25000
#define DEFAULT_COMPACT_BYTES (256ull << 20)

enum timer_kind { TM_WAKE, TM_EXEC_TIMEOUT, TM_TASK_TIMEOUT, TM_HEARTBEAT };

struct timer {
	int64_t at;
	struct rt_journal *j;
	unsigned gen;
	unsigned char kind;
	struct rt_park *pk;            /* TM_TASK_TIMEOUT, TM_HEARTBEAT: whose  */
};

struct done {                       /* finished, waiting for on_finish      */
	struct rt_journal *j;
	struct aslrt_exec *x;
	struct aslrt_error err;        /* ABORTED / TIMED_OUT                   */
	struct done *next;
};

struct rt_sched {
	const struct aslrt_machine *m;
	struct rt_sched_options o;
	char *dir;
	struct rt_store *st;
	pthread_mutex_t mu;
	pthread_cond_t work_cv, commit_cv, main_cv, durable_cv;
	struct rt_journal *rq_head, *rq_tail;
	long rq_len;
	struct rt_journal **pend;
	size_t npend, pend_cap;
	struct timer *heap;
	size_t nheap, heap_cap;
	struct rt_map by_name, by_token;
	struct rt_journal **all;       /* every journal, for rt_sched_close     */
	size_t nall, all_cap;
	uint64_t durable, want;
	volatile sig_atomic_t stop_flag;
	int stopping, commit_exit, threads_up;
	int failed;
	char *fail_why;
	long live, steps, finished;
	int nworkers;
	pthread_t *workers, committer;
	struct done *done_head;
	int delivering;                /* a thread runs on_finish callbacks     */
	pthread_t compactor;           /* compacts the log off the commit path  */
	pthread_cond_t compact_cv;
	int compact_wanted, compacting, compact_exit, compactor_up;
	struct rt_counters cnt;        /* for top and --metrics (counters.h)    */
};

/* ----------------------------------------------------------- utilities */

static void fail(struct rt_sched *sc, const char *why)
{
	if (!sc->failed) {
		sc->failed = 1;
		sc->fail_why = rt_strdup(why ? why : "the store failed");
	}
	sc->stopping = 1;
	pthread_cond_broadcast(&sc->main_cv);
	pthread_cond_broadcast(&sc->work_cv);
}

static void store_failed(struct rt_sched *sc)
{
	fail(sc, sc->st->m->error(sc->st));
}

static void trec_free_all(struct rt_trec **list)
{
	for (struct rt_trec *t = *list, *n; t; t = n) {
		n = t->next;
		rt_free(t->key);
		cJSON_Delete(t->result);
		rt_free(t->error);
		rt_free(t->cause);
		rt_free(t);
	}
	*list = NULL;
}

void rt_park_free(struct rt_park *p)
{
	for (struct rt_park *next; p; p = next) {
		next = p->next;
		rt_free(p->key);
		rt_free(p->activity);
		cJSON_Delete(p->input);
		rt_free(p);
	}
}

/* 1 when every task the step of j parked on has its result. */
static int parks_done(const struct rt_journal *j)
{
	for (const struct rt_park *p = j->park; p; p = p->next)
		if (!p->result_in)
			return 0;
	return 1;
}

/* The park of j whose token is token, or NULL. */
static struct rt_park *park_of(struct rt_journal *j, const char *token)
{
	struct rt_park *p = j->park;
	while (p && strcmp(p->token, token) != 0)
		p = p->next;
	return p;
}

/* Record a task result to replay (durable.h). Returns 0 or -1 (out of
 * memory; what was added is freed with the list). */
int rt_trec_add(struct rt_journal *j, const char *key, const cJSON *ok, const char *error,
		const char *cause)
{
	struct rt_trec *t = rt_calloc(1, sizeof *t);
	if (!t)
		return -1;
	t->key = rt_strdup(key);
	t->result = ok ? cJSON_Duplicate(ok, 1) : NULL;
	t->error = ok ? NULL : rt_strdup(error ? error : ASLRT_ERR_TASK_FAILED);
	t->cause = !ok && cause ? rt_strdup(cause) : NULL;
	t->next = j->recorded;
	j->recorded = t;
	if (!t->key || (ok && !t->result) || (!ok && !t->error))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ the heap */

/* Push a timer of j (for its parked task pk, or NULL). */
static int heap_push_pk(struct rt_sched *sc, struct rt_journal *j, struct rt_park *pk, int kind,
			int64_t at)
{
	if (sc->nheap == sc->heap_cap) {
		size_t nc = sc->heap_cap ? sc->heap_cap * 2 : 256;
		struct timer *nv = rt_realloc(sc->heap, nc * sizeof *nv);
		if (!nv)
			return -1;
		sc->heap = nv;
		sc->heap_cap = nc;
	}
	size_t i = sc->nheap++;
	struct timer t = { at, j, j->timer_gen, (unsigned char)kind, pk };
	while (i > 0 && sc->heap[(i - 1) / 2].at > at) {
		sc->heap[i] = sc->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	sc->heap[i] = t;
	pthread_cond_signal(&sc->main_cv);
	return 0;
}

static int heap_push(struct rt_sched *sc, struct rt_journal *j, int kind, int64_t at)
{
	return heap_push_pk(sc, j, NULL, kind, at);
}

static struct timer heap_pop(struct rt_sched *sc)
{
	struct timer top = sc->heap[0];
	struct timer last = sc->heap[--sc->nheap];
	size_t i = 0, n = sc->nheap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && sc->heap[c + 1].at < sc->heap[c].at)
			c++;
		if (sc->heap[c].at >= last.at)
			break;
		sc->heap[i] = sc->heap[c];
		i = c;
	}
	if (n)
		sc->heap[i] = last;
	return top;
}

/* ------------------------------------------------------- moving around */

/* Queue j for a worker. The caller wakes the workers (work_cv) once it
 * has queued what it had: one wake-up for many executions. */
static void runq_push(struct rt_sched *sc, struct rt_journal *j)
{
	j->where = RT_W_RUNQ;
	j->qnext = NULL;
	if (sc->rq_tail)
		sc->rq_tail->qnext = j;
	else
		sc->rq_head = j;
	sc->rq_tail = j;
	sc->rq_len++;
}

static struct rt_journal *runq_pop(struct rt_sched *sc)
{
	struct rt_journal *j = sc->rq_head;
	sc->rq_head = j->qnext;
	if (!sc->rq_head)
		sc->rq_tail = NULL;
	sc->rq_len--;
	return j;
}

static void runq_remove(struct rt_sched *sc, struct rt_journal *j)
{
	struct rt_journal *prev = NULL;
	for (struct rt_journal *q = sc->rq_head; q; prev = q, q = q->qnext) {
		if (q != j)
			continue;
		if (prev)
			prev->qnext = q->qnext;
		else
			sc->rq_head = q->qnext;
		if (sc->rq_tail == q)
			sc->rq_tail = prev;
		sc->rq_len--;
		return;
	}
}

static int pend_push(struct rt_sched *sc, struct rt_journal *j)
{
	if (sc->npend == sc->pend_cap) {
		size_t nc = sc->pend_cap ? sc->pend_cap * 2 : 256;
		struct rt_journal **nv = rt_realloc(sc->pend, nc * sizeof *nv);
		if (!nv)
			return -1;
		sc->pend = nv;
		sc->pend_cap = nc;
	}
	j->where = RT_W_DURABLE;
	sc->pend[sc->npend++] = j;
	if (sc->npend == 1)           /* the committer sleeps only when none waits */
		pthread_cond_signal(&sc->commit_cv);
	return 0;
}

static void unpark_token(struct rt_sched *sc, struct rt_journal *j)
{
	for (struct rt_park *p = j->park; p; p = p->next)
		if (!p->result_in)
			rt_map_del(&sc->by_token, p->token);
}

/* ------------------------------------------------------------- records */

int rt_sched_put(struct rt_journal *j, uint8_t kind, cJSON *payload_take)
{
	uint64_t lsn = 0;
	int rc = rt_rec_put(j->sc->st, kind, 0, j->name, payload_take, &lsn);
	if (rc == 0)
		rt_hist_feed(&j->hist, kind, payload_take);   /* counts only */
	cJSON_Delete(payload_take);
	return rc;
}

/* Append a record of j under sc->mu; *lsn_io is raised to its LSN. */
/* A new record payload: an empty object, or NULL. Allocation failures from
 * here on (in any thread: conservative) make put_locked refuse the record,
 * so that a payload missing a member cJSON could not add is never written. */
static _Thread_local long rec_failures;
static cJSON *rec_new(void)
{
	rec_failures = rt_alloc_failures();
	return cJSON_CreateObject();
}

static int put_locked(struct rt_sched *sc, struct rt_journal *j, uint8_t kind, uint8_t flags,
		      cJSON *payload_take)
{
	uint64_t lsn = 0;
	int whole = payload_take && rt_alloc_failures() == rec_failures;
	int rc = whole ? rt_rec_put(sc->st, kind, flags, j->name, payload_take, &lsn) : -1;
	if (rc == 0) {
		rt_hist_feed(&j->hist, kind, payload_take);
		if (lsn > j->lsn)
			j->lsn = lsn;
	} else {
		store_failed(sc);
	}
	cJSON_Delete(payload_take);
	return rc;
}

/* End j as status (ABORTED or TIMED_OUT), wherever it is. sc->mu held. */
static int end_exec(struct rt_sched *sc, struct rt_journal *j, enum aslrt_status status,
		    const char *error, const char *cause)
{
	cJSON *p = rec_new();
	if (p) {
		cJSON_AddNumberToObject(p, "t", (double)rt_now_us());
		cJSON_AddStringToObject(p, "s", rt_status_name(status));
		if (error)
			cJSON_AddStringToObject(p, "err", error);
		if (cause)
			cJSON_AddStringToObject(p, "cause", cause);
	}
	if (put_locked(sc, j, RT_REC_END, RT_REC_FINAL, p) != 0)
		return -1;
	j->ended = 1;
	j->status = status;
	aslrt_error_set(&j->end_err, error ? error : "", cause ? "%s" : NULL, cause);
	if (!error) {
		rt_free(j->end_err.error);
		j->end_err.error = NULL;
	}
	unpark_token(sc, j);
	for (struct rt_park *pk = j->park; pk; pk = pk->next)
		if (pk->activity)
			rt_activity_withdraw(sc->dir, pk->activity, pk->token);
	j->timer_gen++;
	switch (j->where) {
	case RT_W_RUNQ:
		runq_remove(sc, j);
		/* fall through */
	case RT_W_TIMER:
	case RT_W_PARKED:
	case RT_W_NEW:
		return pend_push(sc, j);
	default:                        /* a step or a commit is under way */
		return 0;
	}
}

/* ------------------------------------------------------------ finishing */

static void finish(struct rt_sched *sc, struct rt_journal *j)
{
	struct done *d = rt_calloc(1, sizeof *d);
	j->where = RT_W_DONE;
	if (!j->ended)
		j->status = j->x->status;
	rt_counters_finished(&sc->cnt, (int)j->status,
			     j->ended ? j->end_err.error : j->x->err.error);
	unpark_token(sc, j);
	if (d) {
		d->j = j;
		d->x = j->x;
		d->err = j->end_err;
		j->end_err.error = j->end_err.cause = NULL;
		d->next = sc->done_head;
		sc->done_head = d;
	} else {
		rt_exec_free(j->x);
		sc->live--;
		/* the result cannot be handed on; the final record is durable, so
		 * the next process reports it */
		fail(sc, "out of memory");
	}
	j->x = NULL;
	rt_park_free(j->park);
	j->park = NULL;
	trec_free_all(&j->recorded);
	rt_hist_free(&j->hist);
	sc->finished++;
}

/* Deliver finished executions to on_finish (sc->mu released meanwhile), on
 * one thread at a time: a thread that finds another delivering leaves its
 * executions to it. */
static void deliver(struct rt_sched *sc)
{
	if (sc->delivering)
		return;
	sc->delivering = 1;
	while (sc->done_head) {
		struct done *list = sc->done_head;
		sc->done_head = NULL;
		pthread_mutex_unlock(&sc->mu);
		long n = 0;
		for (struct done *d = list, *next; d; d = next, n++) {
			next = d->next;
			struct aslrt_result res = { 0 };
			res.status = d->j->status;
			res.transitions = d->x->transitions;
			if (d->j->ended) {
				res.error = d->err;
			} else {
				res.output = d->x->output;
				d->x->output = NULL;
				res.error = d->x->err;
				d->x->err.error = d->x->err.cause = NULL;
			}
			if (sc->o.on_finish)
				sc->o.on_finish(sc->o.ctx, d->j->name, &res);
			aslrt_result_clear(&res);
			rt_exec_free(d->x);
			rt_free(d);
		}
		pthread_mutex_lock(&sc->mu);
		sc->live -= n;
		pthread_cond_broadcast(&sc->main_cv);
	}
	sc->delivering = 0;
}

/* j's records are durable: let it go on. sc->mu held. */
static void post_durable(struct rt_sched *sc, struct rt_journal *j)
{
	struct aslrt_exec *x = j->x;
	if (j->ended || x->status != ASLRT_RUNNING) {
		finish(sc, j);
		return;
	}
	if (j->park && parks_done(j)) {
		j->resume = 1;
		runq_push(sc, j);
	} else if (j->park) {
		j->where = RT_W_PARKED;
		for (struct rt_park *p = j->park; p; p = p->next) {
			if (p->result_in)
				continue;
			if (p->timeout_at)
				heap_push_pk(sc, j, p, TM_TASK_TIMEOUT, p->timeout_at);
			if (p->heartbeat_s > 0) {
				p->heartbeat_at = rt_now_us() + (int64_t)(p->heartbeat_s * 1e6);
				heap_push_pk(sc, j, p, TM_HEARTBEAT, p->heartbeat_at);
			}
			if (p->activity &&
			    rt_activity_offer(sc->dir, p->activity, p->token, p->input) != 0)
				fail(sc, "cannot write an activity task file");
		}
	} else if (j->wake_us > rt_now_us()) {
		j->where = RT_W_TIMER;
		heap_push(sc, j, TM_WAKE, j->wake_us);
	} else {
		runq_push(sc, j);
	}
}

/* ---------------------------------------------------------- committing */

/* One group commit: sync the store and release every execution whose
 * records it covered. Called with sc->mu held; releases it meanwhile. */
static void commit_round(struct rt_sched *sc)
{
	pthread_mutex_unlock(&sc->mu);
	uint64_t d = 0;
	int rc = sc->st->m->sync(sc->st, &d);
	pthread_mutex_lock(&sc->mu);
	if (rc != 0) {
		store_failed(sc);
		pthread_cond_broadcast(&sc->durable_cv);
		return;
	}
	if (d > sc->durable)
		sc->durable = d;
	for (size_t i = 0; i < sc->npend;) {
		struct rt_journal *j = sc->pend[i];
		if (j->lsn <= sc->durable) {
			sc->pend[i] = sc->pend[--sc->npend];
			post_durable(sc, j);
		} else {
			i++;
		}
	}
	pthread_cond_broadcast(&sc->durable_cv);
	if (sc->rq_head)
		pthread_cond_broadcast(&sc->work_cv);
	deliver(sc);
}

/* Ask the compactor for a compaction when the live log has grown past the
 * threshold. sc->mu held. */
static void maybe_compact(struct rt_sched *sc)
{
	struct rt_store_stats ss;
	sc->st->m->stats(sc->st, &ss);
	if (ss.live_bytes < sc->o.compact_bytes || sc->failed || sc->compacting ||
	    !sc->compactor_up)
		return;
	sc->compact_wanted = 1;
	pthread_cond_signal(&sc->compact_cv);
}

/* The compactor thread: compactions run here, so group commits go on. */
static void *compactor_main(void *arg)
{
	struct rt_sched *sc = arg;
	pthread_mutex_lock(&sc->mu);
	for (;;) {
		while (!sc->compact_wanted && !sc->compact_exit)
			pthread_cond_wait(&sc->compact_cv, &sc->mu);
		if (sc->compact_exit)
			break;
		sc->compact_wanted = 0;
		sc->compacting = 1;
		pthread_mutex_unlock(&sc->mu);
		struct rt_compactor *c = rt_compactor_new();
		int rc = c ? sc->st->m->compact(sc->st, rt_compactor_prepare, rt_compactor_route, c)
			   : -1;
		rt_compactor_free(c);
		struct rt_store_stats ss;
		sc->st->m->stats(sc->st, &ss);
		pthread_mutex_lock(&sc->mu);
		sc->compacting = 0;
		/* a log that stays big (many running executions) is compacted
		 * again only when it has doubled; a failed compaction is not
		 * retried before the log has doubled either */
		if (rc != 0 || ss.live_bytes * 2 > sc->o.compact_bytes)
			sc->o.compact_bytes = ss.live_bytes * 2;
	}
	pthread_mutex_unlock(&sc->mu);
	return NULL;
}

static void *committer_main(void *arg)
{
	struct rt_sched *sc = arg;
	pthread_mutex_lock(&sc->mu);
	for (;;) {
		while (!sc->npend && sc->want <= sc->durable && !sc->commit_exit && !sc->failed)
			pthread_cond_wait(&sc->commit_cv, &sc->mu);
		if (sc->failed || (sc->commit_exit && !sc->npend && sc->want <= sc->durable))
			break;
		commit_round(sc);
		maybe_compact(sc);
	}
	pthread_cond_broadcast(&sc->durable_cv);
	pthread_mutex_unlock(&sc->mu);
	return NULL;
}

/* Wait until lsn is durable (committing inline when no committer runs).
 * sc->mu held. Returns 0, or -1 when the store failed. */
static int wait_durable(struct rt_sched *sc, uint64_t lsn)
{
	if (lsn > sc->want)
		sc->want = lsn;
	while (sc->durable < lsn && !sc->failed) {
		if (!sc->threads_up) {
			commit_round(sc);
		} else {
			pthread_cond_signal(&sc->commit_cv);
			pthread_cond_wait(&sc->durable_cv, &sc->mu);
		}
	}
	return sc->failed ? -1 : 0;
}

/* ------------------------------------------------------------- stepping */

/* Run one step of j on this worker (sc->mu not held). Returns the step
 * record's payload text (new memory), or NULL when out of memory. */
static char *run_step(struct rt_sched *sc, struct rt_journal *j)
{
	struct aslrt_exec *x = j->x;
	int resume = j->resume, ran = x->state, re = x->retrying;
	struct rt_park *old = NULL;
	if (resume) {                   /* the parked task's result is recorded */
		old = j->resumed = j->park;
		j->park = NULL;
	}
	j->resume = 0;
	int64_t t0 = rt_now_us();
	rt_exec_step(x, resume);
	int64_t t1 = rt_now_us();
	rt_counters_step(&sc->cnt, ran, !re && !resume,
			 x->status == ASLRT_RUNNING && x->retrying);
	j->wake_us = 0;
	if (x->status == ASLRT_RUNNING && x->wait_s > 0) {
		double us = x->wait_s * sc->o.run.time_scale * 1e6;
		j->wake_us = us >= 1 ? t1 + (int64_t)us : 0;
	}
	x->wait_s = 0;
	j->resumed = NULL;
	rt_park_free(old);
	rt_free(j->token);
	j->token = NULL;

	/* the history limit (AWS: 25,000 events), counted as history.c
	 * derives events; the step's own events are at most five */
	if (x->status == ASLRT_RUNNING && j->hist.count + j->hist.nheld + 5 > sc->o.history_limit) {
		struct aslrt_error e = { 0 };
		aslrt_error_set(&e, ASLRT_ERR_RUNTIME,
				"The execution history reached the limit of %ld events",
				sc->o.history_limit);
		rt_fail_exec(x, &e);
	}
	if (x->status != ASLRT_RUNNING && j->park) {   /* not registered yet */
		rt_park_free(j->park);
		j->park = NULL;
	}
	cJSON *p = rec_new();
	cJSON *cp = rt_cp_encode(x, j->wake_us);
	/* "park": the token the step waits for; an array when it waits for
	 * several (a Parallel or Map whose children parked) */
	cJSON *parks = !j->park ? NULL : !j->park->next ? cJSON_CreateString(j->park->token)
							: cJSON_CreateArray();
	for (const struct rt_park *k = j->park; parks && cJSON_IsArray(parks) && k; k = k->next)
		if (!cJSON_AddItemToArray(parks, cJSON_CreateString(k->token))) {
			cJSON_Delete(parks);
			parks = NULL;
		}
	char *text = NULL;
	if (p && cp && cJSON_AddNumberToObject(p, "ran", ran) &&
	    cJSON_AddNumberToObject(p, "t0", (double)t0) &&
	    cJSON_AddNumberToObject(p, "t1", (double)t1) &&
	    (!re || cJSON_AddNumberToObject(p, "re", 1)) &&
	    (!resume || cJSON_AddNumberToObject(p, "resume", 1)) &&
	    (!j->park || (parks && cJSON_AddItemToObject(p, "park", parks))) &&
	    cJSON_AddItemToObject(p, "cp", cp)) {
		parks = NULL;
		cp = NULL;
		rt_hist_feed(&j->hist, RT_REC_STEP, p);
		cJSON_AddNumberToObject(p, "hc", (double)j->hist.count);
		text = rt_json_print(p);
	}
	cJSON_Delete(parks);
	cJSON_Delete(cp);
	cJSON_Delete(p);
	return text;
}

/* After a step: append its record (unless the execution was ended
 * meanwhile) and wait for durability. sc->mu held. */
static void after_step(struct rt_sched *sc, struct rt_journal *j, char *text)
{
	sc->steps++;
	if (!j->park)                   /* consumed by the step; a step that */
		trec_free_all(&j->recorded);   /* parked runs again and replays */
	if (!text) {
		fail(sc, "out of memory");
		return;
	}
	if (!j->ended) {
		uint8_t flags = j->x->status != ASLRT_RUNNING ? RT_REC_FINAL : 0;
		struct rt_rec r = { RT_REC_STEP, flags, j->name, strlen(j->name), text, strlen(text) };
		uint64_t lsn = 0;
		if (sc->st->m->append(sc->st, &r, &lsn) != 0) {
			store_failed(sc);
		} else if (lsn > j->lsn) {
			j->lsn = lsn;
		}
		for (struct rt_park *pk = j->park; pk; pk = pk->next)
			if (rt_map_put(&sc->by_token, pk->token, j) != 0)
				fail(sc, "out of memory");
	}
	rt_free(text);
	if (pend_push(sc, j) != 0)
		fail(sc, "out of memory");
}

#define BATCH 16

/* A worker takes a share of the run queue (up to BATCH executions, so the
 * lock is taken twice per batch rather than twice per step), steps each
 * once, then hands them all to the committer. */
static void *worker_main(void *arg)
{
	struct rt_sched *sc = arg;
	struct rt_journal *batch[BATCH];
	char *text[BATCH];
	pthread_mutex_lock(&sc->mu);
	for (;;) {
		while (!sc->stopping && !sc->rq_head)
			pthread_cond_wait(&sc->work_cv, &sc->mu);
		if (sc->stopping)
			break;
		long share = sc->rq_len / (sc->nworkers > 0 ? sc->nworkers : 1);
		int n = 0;
		while (sc->rq_head && n < BATCH && (n == 0 || n < share)) {
			batch[n] = runq_pop(sc);
			batch[n++]->where = RT_W_STEP;
		}
		pthread_mutex_unlock(&sc->mu);
		for (int i = 0; i < n; i++)
			text[i] = run_step(sc, batch[i]);
		pthread_mutex_lock(&sc->mu);
		for (int i = 0; i < n; i++)
			after_step(sc, batch[i], text[i]);
	}
	pthread_mutex_unlock(&sc->mu);
	return NULL;
}

/* ---------------------------------------------------------------- timers */

static void task_expired(struct rt_sched *sc, struct rt_journal *j, struct rt_park *pk,
			 const char *error, const char *cause);

/* pk when it is one of j's parks, else NULL (a stale timer's). */
static struct rt_park *park_in(struct rt_journal *j, const struct rt_park *pk)
{
	struct rt_park *p = j->park;
	while (p && p != pk)
		p = p->next;
	return p;
}

static void fire(struct rt_sched *sc, struct timer t)
{
	struct rt_journal *j = t.j;
	struct rt_park *pk;
	if (j->where == RT_W_DONE || j->ended)
		return;
	switch (t.kind) {
	case TM_WAKE:
		if (j->where == RT_W_TIMER && t.gen == j->timer_gen && t.at == j->wake_us) {
			j->timer_gen++;
			runq_push(sc, j);
			pthread_cond_signal(&sc->work_cv);
		}
		break;
	case TM_EXEC_TIMEOUT:
		if (t.at == j->deadline_us)
			end_exec(sc, j, ASLRT_TIMED_OUT, ASLRT_ERR_TIMEOUT,
				 "The execution ran longer than the state machine's "
				 "TimeoutSeconds");
		break;
	case TM_TASK_TIMEOUT:          /* t.pk is looked for, not read, until found */
		if (j->where == RT_W_PARKED && t.gen == j->timer_gen &&
		    (pk = park_in(j, t.pk)) && !pk->result_in && t.at == pk->timeout_at)
			task_expired(sc, j, pk, ASLRT_ERR_TIMEOUT, "The task did not finish in time");
		break;
	case TM_HEARTBEAT:
		if (j->where == RT_W_PARKED && t.gen == j->timer_gen &&
		    (pk = park_in(j, t.pk)) && !pk->result_in && t.at == pk->heartbeat_at)
			task_expired(sc, j, pk, ASLRT_ERR_HEARTBEAT,
				     "The task sent no heartbeat in time");
		break;
	}
}

/* Fire every due timer; returns microseconds until the next one (or -1). */
static int64_t fire_due(struct rt_sched *sc)
{
	int64_t now = rt_now_us();
	while (sc->nheap && sc->heap[0].at <= now)
		fire(sc, heap_pop(sc));
	return sc->nheap ? sc->heap[0].at - now : -1;
}

/* ------------------------------------------------------------ requests */

static void set_api_error(struct aslrt_error *err, const char *name, const char *fmt,
			  const char *arg)
{
	aslrt_error_set(err, name, fmt, arg);
}

/* The result of the parked task of j: record it and resume j. */
static cJSON *park_result(struct rt_sched *sc, struct rt_journal *j, struct rt_park *pk,
			  const cJSON *ok, const char *error, const char *cause, int timed_out,
			  uint64_t *lsn)
{
	cJSON *p = rec_new();
	int64_t now = rt_now_us();
	if (p) {
		cJSON_AddStringToObject(p, "key", pk->key);
		cJSON_AddNumberToObject(p, "st", pk->state);
		cJSON_AddNumberToObject(p, "t0", (double)now);
		cJSON_AddNumberToObject(p, "t1", (double)now);
		cJSON_AddNumberToObject(p, "cb", 1);
		if (ok) {
			rt_j_add_ref(p, "ok", ok);
		} else {
			cJSON_AddStringToObject(p, "err", error ? error : ASLRT_ERR_TASK_FAILED);
			if (cause)
				cJSON_AddStringToObject(p, "cause", cause);
			if (timed_out)
				cJSON_AddNumberToObject(p, "to", 1);
		}
	}
	if (put_locked(sc, j, RT_REC_TASK, 0, p) != 0 ||
	    rt_trec_add(j, pk->key, ok, error, cause) != 0) {
		fail(sc, sc->failed ? NULL : "out of memory");
		return NULL;
	}
	rt_map_del(&sc->by_token, pk->token);
	pk->result_in = 1;
	if (pk->activity)
		rt_activity_withdraw(sc->dir, pk->activity, pk->token);
	/* a step parked on several tasks runs again once all have results */
	if (j->where == RT_W_PARKED && parks_done(j)) {
		j->timer_gen++;
		pend_push(sc, j);
	}
	if (lsn)
		*lsn = j->lsn;
	return cJSON_CreateObject();
}

static void task_expired(struct rt_sched *sc, struct rt_journal *j, struct rt_park *pk,
			 const char *error, const char *cause)
{
	cJSON *r = park_result(sc, j, pk, NULL, error, cause, 1, NULL);
	cJSON_Delete(r);
}

cJSON *rt_sched_task_result(struct rt_sched *sc, const char *token, cJSON *output_take,
			    const char *error, const char *cause, uint64_t *lsn,
			    struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = token ? rt_map_get(&sc->by_token, token, strlen(token)) : NULL;
	struct rt_park *pk = j ? park_of(j, token) : NULL;
	cJSON *r = NULL;
	if (!pk || pk->result_in || j->ended) {
		/* AWS SendTaskSuccess: TaskDoesNotExist for unknown tokens,
		 * TaskTimedOut when the task is closed. */
		set_api_error(err, "TaskDoesNotExist",
			      "Task Token does not exist or the task has already closed: %s",
			      token ? token : "");
	} else {
		r = park_result(sc, j, pk, output_take, error, cause, 0, lsn);
		if (!r && !err->error)
			aslrt_error_set(err, "ServiceFailure", "%s",
					sc->fail_why ? sc->fail_why : "out of memory");
	}
	pthread_mutex_unlock(&sc->mu);
	cJSON_Delete(output_take);
	return r;
}

cJSON *rt_sched_heartbeat(struct rt_sched *sc, const char *token, struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = token ? rt_map_get(&sc->by_token, token, strlen(token)) : NULL;
	struct rt_park *p = j ? park_of(j, token) : NULL;
	cJSON *r = NULL;
	if (!p || p->result_in || j->ended) {
		set_api_error(err, "TaskDoesNotExist",
			      "Task Token does not exist or the task has already closed: %s",
			      token ? token : "");
	} else {
		if (p->heartbeat_s > 0 && j->where == RT_W_PARKED) {
			p->heartbeat_at = rt_now_us() + (int64_t)(p->heartbeat_s * 1e6);
			heap_push_pk(sc, j, p, TM_HEARTBEAT, p->heartbeat_at);
		}
		r = cJSON_CreateObject();
	}
	pthread_mutex_unlock(&sc->mu);
	return r;
}

cJSON *rt_sched_activity_started(struct rt_sched *sc, const char *token, const char *worker,
				 uint64_t *lsn, struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = token ? rt_map_get(&sc->by_token, token, strlen(token)) : NULL;
	struct rt_park *pk = j ? park_of(j, token) : NULL;
	cJSON *r = NULL;
	if (!pk || !pk->activity || pk->result_in || j->ended) {
		set_api_error(err, "TaskDoesNotExist", "no activity task has the token %s",
			      token ? token : "");
	} else {
		cJSON *p = rec_new();
		if (p) {
			cJSON_AddNumberToObject(p, "t", (double)rt_now_us());
			cJSON_AddNumberToObject(p, "st", pk->state);
			cJSON_AddStringToObject(p, "worker", worker ? worker : "");
		}
		if (put_locked(sc, j, RT_REC_NOTE, 0, p) == 0) {
			*lsn = j->lsn;
			r = cJSON_CreateObject();
		}
	}
	pthread_mutex_unlock(&sc->mu);
	return r;
}

static struct rt_journal *find(struct rt_sched *sc, const char *name, struct aslrt_error *err)
{
	struct rt_journal *j = name ? rt_map_get(&sc->by_name, name, strlen(name)) : NULL;
	if (!j)
		set_api_error(err, "ExecutionDoesNotExist", "Execution Does Not Exist: '%s'",
			      name ? name : "");
	return j;
}

cJSON *rt_sched_stop_exec(struct rt_sched *sc, const char *name, const char *error,
			  const char *cause, uint64_t *lsn, struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = find(sc, name, err);
	cJSON *r = NULL;
	if (j && j->status == ASLRT_RUNNING && !j->ended) {
		if (end_exec(sc, j, ASLRT_ABORTED, error, cause) == 0)
			r = cJSON_CreateObject();
		*lsn = j->lsn;
	} else if (j) {
		r = cJSON_CreateObject();      /* already closed: nothing to do */
	}
	if (r) {
		char ts[40];
		cJSON_AddStringToObject(r, "stopDate", rt_time_cli(rt_now_us(), ts));
	}
	pthread_mutex_unlock(&sc->mu);
	return r;
}

/* ---------------------------------------------------- making executions */

static struct rt_journal *journal_new(struct rt_sched *sc, const char *name)
{
	struct rt_journal *j = rt_calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->sc = sc;
	j->name = rt_strdup(name);
	rt_hist_init(&j->hist, sc->m, NULL);
	if (!j->name || rt_map_put(&sc->by_name, j->name, j) != 0) {
		rt_free(j->name);
		rt_free(j);
		return NULL;
	}
	if (sc->nall == sc->all_cap) {
		size_t nc = sc->all_cap ? sc->all_cap * 2 : 256;
		struct rt_journal **nv = rt_realloc(sc->all, nc * sizeof *nv);
		if (!nv) {
			rt_map_del(&sc->by_name, j->name);
			rt_free(j->name);
			rt_free(j);
			return NULL;
		}
		sc->all = nv;
		sc->all_cap = nc;
	}
	sc->all[sc->nall++] = j;
	return j;
}

/* Arm the execution TimeoutSeconds of j (the machine's top level). */
static void arm_deadline(struct rt_sched *sc, struct rt_journal *j, int64_t deadline)
{
	j->deadline_us = deadline;
	if (deadline)
		heap_push(sc, j, TM_EXEC_TIMEOUT, deadline);
}

int rt_sched_start(struct rt_sched *sc, const char *name, cJSON *input_take, uint64_t *lsn,
		   int64_t *start_us, struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = name ? rt_map_get(&sc->by_name, name, strlen(name)) : NULL;
	int rc = -1;
	if (j) {
		/* StartExecution: "If StartExecution is called with the same name
		 * and input as a running execution, the call succeeds and return the
		 * same response as the original request." */
		if (j->status == ASLRT_RUNNING && !j->ended && j->x &&
		    cJSON_Compare(j->x->exec_input, input_take, 1)) {
			*lsn = j->lsn;
			*start_us = j->start_us;
			rc = 0;
		} else {
			set_api_error(err, "ExecutionAlreadyExists",
				      "Execution Already Exists: '%s'", name);
		}
		pthread_mutex_unlock(&sc->mu);
		cJSON_Delete(input_take);
		return rc;
	}
	struct aslrt_exec *x = rt_exec_new(sc->m, &sc->o.run, name, input_take);
	j = x ? journal_new(sc, x->exec_name) : NULL;
	if (!j) {
		rt_exec_free(x);
		aslrt_error_set(err, "ServiceFailure", "out of memory");
		pthread_mutex_unlock(&sc->mu);
		return -1;
	}
	j->x = x;
	x->journal = j;
	j->status = ASLRT_RUNNING;
	j->start_us = rt_now_us();
	x->start_time.sec = j->start_us / 1000000;
	x->start_time.nsec = (int32_t)(j->start_us % 1000000) * 1000;
	int64_t deadline = sc->m->timeout_s > 0 ? j->start_us + (int64_t)(sc->m->timeout_s * 1e6)
						: 0;
	cJSON *p = rec_new();
	if (p) {
		rt_j_add_ref(p, "input", x->exec_input);
		cJSON_AddNumberToObject(p, "t", (double)j->start_us);
		if (deadline)
			cJSON_AddNumberToObject(p, "to", (double)deadline);
	}
	sc->live++;
	if (put_locked(sc, j, RT_REC_START, 0, p) == 0 && pend_push(sc, j) == 0) {
		arm_deadline(sc, j, deadline);
		sc->cnt.started++;
		*lsn = j->lsn;
		*start_us = j->start_us;
		rc = 0;
	} else {
		aslrt_error_set(err, "ServiceFailure", "%s",
				sc->fail_why ? sc->fail_why : "out of memory");
	}
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

/* A new running execution from a recovered or redriven state: start is
 * {"input","t"}, cp a checkpoint or NULL, deadline the absolute end of its
 * TimeoutSeconds (0: none). sc->mu held. */
static struct rt_journal *revive(struct rt_sched *sc, struct rt_journal *j, const char *name,
				 const cJSON *start, const cJSON *cp, int64_t deadline,
				 char **why)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(start, "input");
	cJSON *input = in ? cJSON_Duplicate(in, 1) : cJSON_CreateObject();
	struct aslrt_exec *x = rt_exec_new(sc->m, &sc->o.run, name, input);
	if (!j && x)
		j = journal_new(sc, name);
	if (!x || !j) {
		rt_exec_free(x);
		*why = rt_fmt("out of memory");
		return NULL;
	}
	j->x = x;
	x->journal = j;
	j->status = ASLRT_RUNNING;
	j->start_us = rt_j_int(start, "t");
	x->start_time.sec = j->start_us / 1000000;
	x->start_time.nsec = (int32_t)(j->start_us % 1000000) * 1000;
	if (cp && rt_cp_apply(x, cp, &j->wake_us, why) != 0)
		return NULL;
	sc->live++;
	arm_deadline(sc, j, deadline);
	return j;
}

cJSON *rt_sched_redrive(struct rt_sched *sc, const char *name, uint64_t *lsn,
			struct aslrt_error *err)
{
	pthread_mutex_lock(&sc->mu);
	struct rt_journal *j = find(sc, name, err);
	cJSON *r = NULL, *point = NULL;
	if (j && (j->status == ASLRT_RUNNING || j->status == ASLRT_SUCCEEDED)) {
		/* RedriveExecution: only FAILED, TIMED_OUT or ABORTED executions */
		set_api_error(err, "ExecutionNotRedrivable",
			      "Execution '%s' is not in a redrivable state (it is RUNNING or "
			      "SUCCEEDED)", name);
		j = NULL;
	}
	/* an execution just stopped may still have a step or a commit under
	 * way: let it settle first */
	while (j && j->where != RT_W_DONE && !sc->failed) {
		if (sc->threads_up)
			pthread_cond_wait(&sc->durable_cv, &sc->mu);
		else
			commit_round(sc);
	}
	if (j) {
		pthread_mutex_unlock(&sc->mu);   /* reading the store takes a while */
		point = rt_catalog_redrive_point(sc->st, name);
		pthread_mutex_lock(&sc->mu);
	}
	if (j && point && j->where == RT_W_DONE) {
		cJSON *cp = cJSON_GetObjectItemCaseSensitive(point, "cp");
		if (cp) {   /* from the state that did not finish, retries reset */
			cJSON_DeleteItemFromObjectCaseSensitive(cp, "ry");
			cJSON_DeleteItemFromObjectCaseSensitive(cp, "rc");
			cJSON_DeleteItemFromObjectCaseSensitive(cp, "ra");
			cJSON_DeleteItemFromObjectCaseSensitive(cp, "wd");
		}
		char *why = NULL;
		int n = (int)rt_j_int(point, "n") + 1;
		j->ended = 0;
		j->resume = 0;
		rt_hist_init(&j->hist, sc->m, NULL);
		/* each attempt gets the whole TimeoutSeconds again */
		int64_t deadline = sc->m->timeout_s > 0
					   ? rt_now_us() + (int64_t)(sc->m->timeout_s * 1e6) : 0;
		if (revive(sc, j, name, point, cp, deadline, &why)) {
			int64_t now = rt_now_us();
			j->x->redrive_count = n;
			sc->cnt.redriven++;
			j->x->redrive_time = rt_time_of_us(now);
			j->hist.count = 1;     /* counted from the redrive on */
			cJSON *p = rec_new();
			cJSON *cp2 = rt_cp_encode(j->x, 0);
			if (p && cp2) {
				cJSON_AddNumberToObject(p, "t", (double)now);
				cJSON_AddNumberToObject(p, "n", n);
				rt_j_add_ref(p, "input", j->x->exec_input);
				cJSON_AddNumberToObject(p, "start", (double)j->start_us);
				cJSON_AddNumberToObject(p, "to", (double)j->deadline_us);
				cJSON_AddNumberToObject(p, "hc", 1);
				cJSON_AddItemToObject(p, "cp", cp2);
				cp2 = NULL;
			}
			cJSON_Delete(cp2);
			if (put_locked(sc, j, RT_REC_REDRIVE, RT_REC_REOPEN, p) == 0 &&
			    pend_push(sc, j) == 0) {
				*lsn = j->lsn;
				r = cJSON_CreateObject();
				char ts[40];
				if (r)
					cJSON_AddStringToObject(r, "redriveDate", rt_time_cli(now, ts));
			}
		} else {
			aslrt_error_set(err, "ServiceFailure", "%s", why ? why : "out of memory");
		}
		rt_free(why);
	} else if (j) {
		set_api_error(err, "ExecutionNotRedrivable",
			      "Execution '%s' has no checkpoint to redrive from", name);
	}
	cJSON_Delete(point);
	pthread_mutex_unlock(&sc->mu);
	return r;
}

/* ------------------------------------------------------------- recovery */

static int recover_finished(void *ctx, const char *name, enum aslrt_status s)
{
	struct rt_sched *sc = ctx;
	struct rt_journal *j = journal_new(sc, name);
	if (!j)
		return -1;
	j->status = s;
	j->where = RT_W_DONE;
	rt_hist_free(&j->hist);
	return 0;
}

static int recover_visit(void *ctx, const struct rt_recovered *r)
{
	struct rt_sched *sc = ctx;
	char *why = NULL;
	struct rt_journal *j = revive(sc, NULL, r->name, r->start, r->cp,
				      rt_j_int(r->start, "to"), &why);
	if (!j) {
		fail(sc, why ? why : "out of memory");
		rt_free(why);
		return -1;
	}
	j->x->redrive_count = r->redrive_count;
	if (r->redrive_us)
		j->x->redrive_time = rt_time_of_us(r->redrive_us);
	j->hist.count = r->events;
	for (const cJSON *t = r->tasks ? r->tasks->child : NULL; t; t = t->next) {
		const cJSON *ok = cJSON_GetObjectItemCaseSensitive(t, "ok");
		if (rt_trec_add(j, rt_j_str(t, "key"), ok, rt_j_str(t, "err"), rt_j_str(t, "cause")))
			return -1;
		rt_hist_feed(&j->hist, RT_REC_TASK, t);
	}
	/* r->park: the park records of the parks the checkpoint waits for */
	for (const cJSON *rp = r->park ? r->park->child : NULL; rp; rp = rp->next) {
		struct rt_park *p = rt_calloc(1, sizeof *p);
		const char *token = rt_j_str(rp, "token");
		const char *act = rt_j_str(rp, "act");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(rp, "in");
		if (!p || !token || strlen(token) >= sizeof p->token) {
			rt_free(p);
			return -1;
		}
		strcpy(p->token, token);
		p->key = rt_strdup(rt_j_str(rp, "key") ? rt_j_str(rp, "key") : "");
		p->state = (int)rt_j_int(rp, "st");
		p->activity = act ? rt_strdup(act) : NULL;
		p->input = act && in ? cJSON_Duplicate(in, 1) : NULL;
		p->timeout_at = rt_j_int(rp, "to");
		const cJSON *hb = cJSON_GetObjectItemCaseSensitive(rp, "hb");
		p->heartbeat_s = cJSON_IsNumber(hb) ? hb->valuedouble : 0;
		p->next = j->park;
		j->park = p;
		for (const struct rt_trec *t = j->recorded; t; t = t->next)
			p->result_in |= p->key && strcmp(t->key, p->key) == 0;
		if (!p->result_in && rt_map_put(&sc->by_token, p->token, j) != 0)
			return -1;
	}
	/* as if its last record had just become durable */
	post_durable(sc, j);
	return sc->failed ? -1 : 0;
}

/* ---------------------------------------------------------------- life */

int rt_sched_open(const struct aslrt_machine *m, const struct rt_sched_options *o,
		  struct rt_sched **out, char **why)
{
	*out = NULL;
	*why = NULL;
	struct rt_sched *sc = rt_calloc(1, sizeof *sc);
	if (!sc) {
		*why = rt_fmt("out of memory");
		return -1;
	}
	rt_alloc_init();
	sc->m = m;
	sc->o = *o;
	if (!sc->o.history_limit)
		sc->o.history_limit = DEFAULT_HISTORY_LIMIT;
	if (!sc->o.compact_bytes)
		sc->o.compact_bytes = DEFAULT_COMPACT_BYTES;
	if (!(sc->o.inbox_poll_s > 0))
		sc->o.inbox_poll_s = 0.02;
	sc->o.run.execution_name = NULL;
	pthread_mutex_init(&sc->mu, NULL);
	pthread_cond_init(&sc->work_cv, NULL);
	pthread_cond_init(&sc->commit_cv, NULL);
	pthread_cond_init(&sc->main_cv, NULL);
	pthread_cond_init(&sc->durable_cv, NULL);
	pthread_cond_init(&sc->compact_cv, NULL);
	sc->dir = rt_counters_init(&sc->cnt, m->nstates) == 0 ? rt_strdup(o->dir) : NULL;
	int rc = sc->dir ? rt_store_open_log(o->dir, m->name ? m->name : "", o->sync, o->io, 0,
					     &sc->st, why)
			 : -1;
	if (rc == 0) {
		pthread_mutex_lock(&sc->mu);
		rc = rt_catalog_recover(sc->st, m, recover_visit, recover_finished, sc);
		pthread_mutex_unlock(&sc->mu);
		if (rc != 0)
			*why = rt_fmt("cannot recover the store %s: %s", o->dir,
				      sc->fail_why ? sc->fail_why : sc->st->m->error(sc->st));
	} else if (!*why) {
		*why = rt_fmt("out of memory");
	}
	if (rc != 0) {
		rt_sched_close(sc);
		return rc == -2 ? -2 : -1;
	}
	*out = sc;
	return 0;
}

static int start_threads(struct rt_sched *sc)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	sc->nworkers = sc->o.workers > 0 ? sc->o.workers : cores > 0 ? (int)cores : 1;
	sc->workers = rt_calloc((size_t)sc->nworkers, sizeof *sc->workers);
	sc->stopping = sc->commit_exit = 0;
	if (!sc->workers || pthread_create(&sc->committer, NULL, committer_main, sc) != 0) {
		sc->nworkers = 0;          /* stop_threads joins no one */
		return -1;
	}
	sc->threads_up = 1;
	sc->compact_exit = 0;
	sc->compactor_up = pthread_create(&sc->compactor, NULL, compactor_main, sc) == 0;
	int started = 0;
	for (int i = 0; i < sc->nworkers; i++)
		if (pthread_create(&sc->workers[i], NULL, worker_main, sc) == 0)
			started++;
		else
			break;
	sc->nworkers = started;
	return started ? 0 : -1;
}

/* Stop the workers, then let the committer make everything durable. */
static void stop_threads(struct rt_sched *sc)
{
	pthread_mutex_lock(&sc->mu);
	sc->stopping = 1;
	pthread_cond_broadcast(&sc->work_cv);
	pthread_mutex_unlock(&sc->mu);
	for (int i = 0; i < sc->nworkers; i++)
		pthread_join(sc->workers[i], NULL);
	pthread_mutex_lock(&sc->mu);
	sc->compact_exit = 1;              /* a compaction under way finishes */
	pthread_cond_broadcast(&sc->compact_cv);
	pthread_mutex_unlock(&sc->mu);
	if (sc->compactor_up)
		pthread_join(sc->compactor, NULL);
	sc->compactor_up = 0;
	pthread_mutex_lock(&sc->mu);
	sc->commit_exit = 1;
	pthread_cond_broadcast(&sc->commit_cv);
	pthread_mutex_unlock(&sc->mu);
	if (sc->threads_up)
		pthread_join(sc->committer, NULL);
	sc->threads_up = 0;
	rt_free(sc->workers);
	sc->workers = NULL;
	sc->nworkers = 0;
}

int rt_sched_run(struct rt_sched *sc, int until_idle, char **why)
{
	*why = NULL;
	pthread_mutex_lock(&sc->mu);
	sc->stop_flag = 0;
	int rc = sc->failed ? -1 : 0;
	pthread_mutex_unlock(&sc->mu);
	if (rc == 0 && start_threads(sc) != 0) {
		pthread_mutex_lock(&sc->mu);
		fail(sc, "cannot start the scheduler's threads");
		pthread_mutex_unlock(&sc->mu);
	}
	int64_t next_poll = 0;
	pthread_mutex_lock(&sc->mu);
	while (!sc->failed && !sc->stop_flag) {
		int64_t wait = fire_due(sc);
		if (until_idle && sc->live == 0 && !sc->npend && !sc->done_head)
			break;
		int64_t now = rt_now_us();
		if (sc->o.inbox && now >= next_poll) {
			pthread_mutex_unlock(&sc->mu);
			rt_inbox_serve(sc, sc->dir);
			pthread_mutex_lock(&sc->mu);
			next_poll = rt_now_us() + (int64_t)(sc->o.inbox_poll_s * 1e6);
		}
		int64_t cap = sc->o.inbox ? next_poll - rt_now_us() : 100000;
		if (wait < 0 || wait > cap)
			wait = cap;
		if (wait > 0) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			int64_t ns = (int64_t)ts.tv_nsec + wait * 1000;
			ts.tv_sec += (time_t)(ns / 1000000000);
			ts.tv_nsec = (long)(ns % 1000000000);
			pthread_cond_timedwait(&sc->main_cv, &sc->mu, &ts);
		}
	}
	pthread_mutex_unlock(&sc->mu);
	stop_threads(sc);
	pthread_mutex_lock(&sc->mu);
	deliver(sc);
	rc = sc->failed ? -1 : 0;
	if (rc)
		*why = rt_strdup(sc->fail_why ? sc->fail_why : "the store failed");
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

void rt_sched_stop(struct rt_sched *sc)
{
	sc->stop_flag = 1;      /* the main loop looks at least every 100 ms */
}

int rt_sched_flush(struct rt_sched *sc)
{
	pthread_mutex_lock(&sc->mu);
	if (!sc->threads_up && !sc->failed)
		commit_round(sc);
	while (sc->threads_up && sc->npend && !sc->failed)
		pthread_cond_wait(&sc->durable_cv, &sc->mu);
	deliver(sc);
	int rc = sc->failed ? -1 : 0;
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

int rt_sched_wait(struct rt_sched *sc, uint64_t lsn)
{
	pthread_mutex_lock(&sc->mu);
	int rc = wait_durable(sc, lsn);
	deliver(sc);
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

void rt_sched_close(struct rt_sched *sc)
{
	if (!sc)
		return;
	if (sc->threads_up)
		stop_threads(sc);
	for (size_t i = 0; i < sc->nall; i++) {
		struct rt_journal *j = sc->all[i];
		rt_exec_free(j->x);
		rt_park_free(j->park);
		trec_free_all(&j->recorded);
		rt_hist_free(&j->hist);
		aslrt_error_clear(&j->end_err);
		rt_free(j->token);
		rt_free(j->name);
		rt_free(j);
	}
	for (struct done *d = sc->done_head, *n; d; d = n) {
		n = d->next;
		rt_exec_free(d->x);
		aslrt_error_clear(&d->err);
		rt_free(d);
	}
	rt_free(sc->all);
	rt_map_free(&sc->by_name);
	rt_map_free(&sc->by_token);
	rt_free(sc->pend);
	rt_free(sc->heap);
	if (sc->st)
		sc->st->m->close(sc->st);
	pthread_mutex_destroy(&sc->mu);
	pthread_cond_destroy(&sc->work_cv);
	pthread_cond_destroy(&sc->commit_cv);
	pthread_cond_destroy(&sc->main_cv);
	pthread_cond_destroy(&sc->durable_cv);
	pthread_cond_destroy(&sc->compact_cv);
	rt_free(sc->fail_why);
	rt_free(sc->dir);
	rt_counters_free(&sc->cnt);
	rt_free(sc);
}

struct rt_store *rt_sched_store(struct rt_sched *sc)
{
	return sc->st;
}

const struct aslrt_machine *rt_sched_machine(struct rt_sched *sc)
{
	return sc->m;
}

void rt_sched_stats(struct rt_sched *sc, long *steps, long *finished, struct rt_store_stats *ss)
{
	pthread_mutex_lock(&sc->mu);
	*steps = sc->steps;
	*finished = sc->finished;
	pthread_mutex_unlock(&sc->mu);
	sc->st->m->stats(sc->st, ss);
}

void rt_sched_counters(struct rt_sched *sc, struct rt_counters *out)
{
	pthread_mutex_lock(&sc->mu);
	rt_counters_copy(out, &sc->cnt);
	memset(out->where, 0, sizeof out->where);
	for (int i = 0; out->at && i < out->nstates; i++)
		out->at[i] = 0;
	/* an execution's state is its worker's during a step; between steps
	 * it changes only under sc->mu, which is held */
	for (size_t i = 0; i < sc->nall; i++) {
		const struct rt_journal *j = sc->all[i];
		if ((unsigned)j->where < 7)
			out->where[j->where]++;
		if (j->where != RT_W_STEP && j->where != RT_W_DONE && j->x && out->at &&
		    j->x->state >= 0 && j->x->state < out->nstates)
			out->at[j->x->state]++;
	}
	pthread_mutex_unlock(&sc->mu);
	sc->st->m->stats(sc->st, &out->store);
}
