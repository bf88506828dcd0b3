/*
 * pool.c - the worker pool that runs Parallel branches and Map iterations.
 *
 * One pool per process, its threads started on first use (sized to the
 * machine's cores unless told otherwise), never a thread per item. Work comes
 * in groups: a group is n calls fn(ctx, i) with at most `limit` in flight. The
 * thread that runs a group takes part in it, claiming items itself while it
 * waits, so nested groups (a Map inside a Parallel branch) can never deadlock:
 * every claimed item is being run by some thread, and a waiting thread only
 * ever waits for items that are.
 *
 * A stream group (rt_pool_stream, for the Distributed Map) has no n: its
 * jobs come from a pull() callback, one puller at a time, for as long as it
 * has jobs and its room() window allows.
 */
#include "dmap.h"

#include <pthread.h>
#include <unistd.h>

struct rt_group {
	void (*fn)(void *ctx, long i);
	void *ctx;
	long n, next, done, in_flight, limit;
	struct rt_group *link;         /* open groups, newest first             */
	const struct rt_stream *st;    /* stream groups only, else NULL         */
	int pulling, ended;            /* stream: a pull under way; no more jobs */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct rt_group *open_groups;
static int nthreads;               /* started so far                        */

static int claimable(const struct rt_group *g)
{
	if (g->in_flight >= g->limit)
		return 0;
	if (g->st)
		return !g->ended && !g->pulling && g->st->room(g->ctx);
	return g->next < g->n;
}

/* Pull one job of stream group g and run it outside the lock; called with
 * mu held, returns with it. */
static void run_stream_one(struct rt_group *g)
{
	void *job = NULL;
	g->pulling = 1;
	g->in_flight++;
	pthread_mutex_unlock(&mu);
	int got = g->st->pull(g->ctx, &job);
	pthread_mutex_lock(&mu);
	g->pulling = 0;
	if (got) {
		g->next++;
		pthread_mutex_unlock(&mu);
		g->st->run(g->ctx, job);
		pthread_mutex_lock(&mu);
		g->done++;
	} else {
		g->ended = 1;
	}
	g->in_flight--;
	pthread_cond_broadcast(&cv);
}

/* Run item i of g outside the lock; called with mu held, returns with it. */
static void run_one(struct rt_group *g)
{
	long i = g->next++;
	g->in_flight++;
	pthread_mutex_unlock(&mu);
	g->fn(g->ctx, i);
	pthread_mutex_lock(&mu);
	g->in_flight--;
	g->done++;
	pthread_cond_broadcast(&cv);
}

static void *worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&mu);
	for (;;) {
		struct rt_group *g = open_groups;
		while (g && !claimable(g))
			g = g->link;
		if (g && g->st)
			run_stream_one(g);
		else if (g)
			run_one(g);
		else
			pthread_cond_wait(&cv, &mu);
	}
	return NULL;
}

/* Start threads up to want - 1 (the caller is the last worker). */
static void grow(int want)
{
	while (nthreads < want - 1) {
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		int rc = pthread_create(&t, &attr, worker, NULL);
		pthread_attr_destroy(&attr);
		if (rc != 0)
			break;          /* fewer threads: the caller still runs all */
		nthreads++;
	}
}

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int rt_pool_threads(int workers)
{
	return workers > 0 ? workers : cores();
}

/* Take g off the list of open groups; called with mu held. */
static void unlink_group(struct rt_group *g)
{
	struct rt_group **p = &open_groups;
	while (*p != g)
		p = &(*p)->link;
	*p = g->link;
}

void rt_pool_run(int workers, long n, long limit, void (*fn)(void *ctx, long i), void *ctx)
{
	workers = rt_pool_threads(workers);
	if (limit <= 0 || limit > n)
		limit = n;
	if (workers == 1 || limit == 1 || n <= 1) {
		for (long i = 0; i < n; i++)   /* in order, on this thread */
			fn(ctx, i);
		return;
	}
	struct rt_group g = { fn, ctx, n, 0, 0, 0, limit, NULL, NULL, 0, 0 };
	pthread_mutex_lock(&mu);
	grow(workers);
	g.link = open_groups;
	open_groups = &g;
	pthread_cond_broadcast(&cv);
	while (g.done < g.n) {
		if (claimable(&g))
			run_one(&g);
		else
			pthread_cond_wait(&cv, &mu);
	}
	unlink_group(&g);
	pthread_mutex_unlock(&mu);
}

void rt_pool_stream(int workers, long limit, const struct rt_stream *st, void *ctx)
{
	workers = rt_pool_threads(workers);
	if (limit <= 0)
		limit = workers;
	if (workers == 1 || limit == 1) {
		void *job;                     /* in order, on this thread */
		while (st->pull(ctx, &job))
			st->run(ctx, job);
		return;
	}
	struct rt_group g = { NULL, ctx, 0, 0, 0, 0, limit, NULL, st, 0, 0 };
	pthread_mutex_lock(&mu);
	grow(workers);
	g.link = open_groups;
	open_groups = &g;
	pthread_cond_broadcast(&cv);
	while (!g.ended || g.in_flight > 0) {
		if (claimable(&g))
			run_stream_one(&g);
		else
			pthread_cond_wait(&cv, &mu);
	}
	unlink_group(&g);
	pthread_mutex_unlock(&mu);
}
