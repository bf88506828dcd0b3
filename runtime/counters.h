/*
 * counters.h - what a running scheduler counts for `PROG top` and
 * `PROG worker --metrics` (docs/visibility.md): executions started and
 * finished by status, states entered and Retry attempts per state,
 * executions failed per error name, and a census of where the executions
 * are now. sched.c keeps one in struct rt_sched (counters.c holds the
 * logic); rt_sched_counters copies it out, metrics.c publishes it.
 */
#ifndef ASLRT_COUNTERS_H
#define ASLRT_COUNTERS_H

#include "store.h"

#include <stdint.h>

#define RT_COUNT_NAMES 32              /* error names counted one by one    */

struct rt_sched;

struct rt_counters {
	int nstates;
	double since;                  /* rt_monotonic() when it began          */
	unsigned long long started, redriven, steps;
	unsigned long long finished[5];/* by enum aslrt_status (0: unused)      */
	unsigned long long *entered;   /* per state: times entered              */
	unsigned long long *retries;   /* per state: Retry attempts decided     */
	struct rt_count_name {
		char name[80];
		unsigned long long n;
	} fails[RT_COUNT_NAMES];       /* executions failed, by error name      */
	int nfails;
	unsigned long long fails_other;/* ... once the table is full            */
	/* the census, taken by rt_sched_counters */
	long *at;                      /* per state: executions there between
					  steps (waiting to run, for a commit,
					  a timer or a task token)               */
	long where[7];                 /* by enum rt_where (durable.h)          */
	struct rt_store_stats store;
};

/* Make c empty for a machine of nstates states. Returns 0, or -1 out of
 * memory (c is then safe to free). */
int rt_counters_init(struct rt_counters *c, int nstates);
void rt_counters_free(struct rt_counters *c);
/* Count an execution that finished with status and (when it did not
 * succeed) error, which may be NULL. The caller serialises calls. */
void rt_counters_finished(struct rt_counters *c, int status, const char *error);
/* Count one step of state `state`: entered (a new entry, not a retry or a
 * resumed callback), retry (it decided to retry). Thread-safe (atomics). */
void rt_counters_step(struct rt_counters *c, int state, int entered, int retry);
/* Copy src into dst (made with rt_counters_init for the same machine),
 * reading the per-state counts atomically. */
void rt_counters_copy(struct rt_counters *dst, const struct rt_counters *src);

/* A copy of sc's counters with a fresh census and the store's statistics,
 * into out (made with rt_counters_init for sc's machine). Thread-safe. */
void rt_sched_counters(struct rt_sched *sc, struct rt_counters *out);

#endif /* ASLRT_COUNTERS_H */
