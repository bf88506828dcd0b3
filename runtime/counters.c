/*
 * counters.c - the counters of a running scheduler (counters.h).
 */
#include "counters.h"
#include "rt.h"
#include "taskutil.h"

#include <stdio.h>
#include <string.h>

int rt_counters_init(struct rt_counters *c, int nstates)
{
	memset(c, 0, sizeof *c);
	c->nstates = nstates;
	c->since = rt_monotonic();
	size_t n = (size_t)(nstates > 0 ? nstates : 1);
	c->entered = rt_calloc(n, sizeof *c->entered);
	c->retries = rt_calloc(n, sizeof *c->retries);
	c->at = rt_calloc(n, sizeof *c->at);
	return c->entered && c->retries && c->at ? 0 : -1;
}

void rt_counters_free(struct rt_counters *c)
{
	rt_free(c->entered);
	rt_free(c->retries);
	rt_free(c->at);
	c->entered = c->retries = NULL;
	c->at = NULL;
}

void rt_counters_finished(struct rt_counters *c, int status, const char *error)
{
	if (status > 0 && status < 5)
		c->finished[status]++;
	if (status <= 1)
		return;
	if (!error || !*error)
		error = status == 3 ? "States.Timeout" : status == 4 ? "Aborted" : "States.Runtime";
	for (int i = 0; i < c->nfails; i++)
		if (strcmp(c->fails[i].name, error) == 0) {
			c->fails[i].n++;
			return;
		}
	if (c->nfails == RT_COUNT_NAMES || strlen(error) >= sizeof c->fails[0].name) {
		c->fails_other++;
		return;
	}
	snprintf(c->fails[c->nfails].name, sizeof c->fails[0].name, "%s", error);
	c->fails[c->nfails++].n = 1;
}

void rt_counters_step(struct rt_counters *c, int state, int entered, int retry)
{
	__atomic_add_fetch(&c->steps, 1, __ATOMIC_RELAXED);
	if (!c->entered || state < 0 || state >= c->nstates)
		return;
	if (entered)
		__atomic_add_fetch(&c->entered[state], 1, __ATOMIC_RELAXED);
	if (retry)
		__atomic_add_fetch(&c->retries[state], 1, __ATOMIC_RELAXED);
}

void rt_counters_copy(struct rt_counters *dst, const struct rt_counters *src)
{
	unsigned long long *entered = dst->entered, *retries = dst->retries;
	long *at = dst->at;
	int n = dst->nstates < src->nstates ? dst->nstates : src->nstates;
	*dst = *src;
	dst->entered = entered;
	dst->retries = retries;
	dst->at = at;
	dst->nstates = n;
	dst->steps = __atomic_load_n(&src->steps, __ATOMIC_RELAXED);
	for (int i = 0; i < n && entered && src->entered; i++) {
		entered[i] = __atomic_load_n(&src->entered[i], __ATOMIC_RELAXED);
		retries[i] = __atomic_load_n(&src->retries[i], __ATOMIC_RELAXED);
		at[i] = src->at[i];
	}
}
