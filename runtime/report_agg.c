/*
 * report_agg.c - folding a store's records into what `PROG report` shows
 * (report.h): per state, the executions that reached it by their last
 * status there, entries, Retry attempts, task errors, the transitions taken
 * (and which were a Catch), the time from entering it to leaving it
 * (p50/p99, from the step records' t0/t1 as the history's
 * StateEntered/StateExited, a Wait's deadline as its exit); per execution,
 * its status and duration.
 *
 * Records are read with jscan (no parse tree): a step record is a few
 * numbers around the state's whole input, which is skipped, not parsed.
 */
#include "durable.h"
#include "jscan.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *const vis_names[RT_VIS_N] = {
	"not-reached", "succeeded", "in-progress", "cancelled", "caught", "failed",
};

const char *rt_vis_name(enum rt_vis v)
{
	return (unsigned)v < RT_VIS_N ? vis_names[v] : "not-reached";
}

int rt_agg_inner(const struct aslrt_machine *m, int i)
{
	const char *p = m->states[i].pointer;
	int slashes = 0;
	for (; p && *p; p++)
		slashes += *p == '/';
	return slashes > 2;
}

struct rt_agg *rt_agg_new(const struct aslrt_machine *m, const char *const *only, int nonly)
{
	struct rt_agg *a = rt_calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->m = m;
	a->st = rt_calloc((size_t)(m->nstates > 0 ? m->nstates : 1), sizeof *a->st);
	if (!a->st) {
		rt_free(a);
		return NULL;
	}
	for (int i = 0; i < nonly; i++)
		if (rt_map_put(&a->only, only[i], (void *)1) != 0) {
			rt_agg_free(a);
			return NULL;
		}
	a->filtered = nonly > 0;
	return a;
}

static void counts_free(struct rt_agg_count *v, int n)
{
	for (int i = 0; i < n; i++)
		rt_free(v[i].name);
	rt_free(v);
}

void rt_agg_free(struct rt_agg *a)
{
	if (!a)
		return;
	for (int i = 0; a->st && i < a->m->nstates; i++) {
		rt_free(a->st[i].dur);
		counts_free(a->st[i].errors, a->st[i].nerrors);
		counts_free(a->st[i].fails, a->st[i].nfails);
		rt_free(a->st[i].edges);
	}
	rt_free(a->st);
	for (size_t i = 0; i < a->nx; i++) {
		rt_free(a->x[i]->name);
		rt_free(a->x[i]->error);
		rt_free(a->x[i]);
	}
	rt_free(a->x);
	rt_free(a->edur);
	rt_map_free(&a->by_name);
	rt_map_free(&a->only);
	rt_free(a);
}

/* Count one more `name` (a span of a JSON string, or a plain string when
 * plain is set) in *v. Returns 0 or -1. */
static int count_name(struct rt_agg_count **v, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0) {
			(*v)[i].n++;
			return 0;
		}
	struct rt_agg_count *nv = rt_realloc(*v, (size_t)(*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n].name = rt_strdup(name)))
		return -1;
	nv[(*n)++].n = 1;
	return 0;
}

static int add_edge(struct rt_agg_state *s, int to, int caught)
{
	for (int i = 0; i < s->nedges; i++)
		if (s->edges[i].to == to && s->edges[i].caught == caught) {
			s->edges[i].n++;
			return 0;
		}
	struct rt_agg_edge *nv = rt_realloc(s->edges, (size_t)(s->nedges + 1) * sizeof *nv);
	if (!nv)
		return -1;
	s->edges = nv;
	nv[s->nedges++] = (struct rt_agg_edge){ to, caught, 1 };
	return 0;
}

static int push_i64(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t *nv = rt_realloc(*v, nc * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* The execution a record belongs to, made on its first record. NULL when
 * it is filtered out (or out of memory: a->oom). */
static struct rt_agg_exec *exec_of(struct rt_agg *a, const struct rt_rec *r)
{
	if (a->filtered && !rt_map_get(&a->only, r->name, r->nlen))
		return NULL;
	struct rt_agg_exec *x = rt_map_get(&a->by_name, r->name, r->nlen);
	if (x)
		return x;
	size_t ns = (size_t)(a->m->nstates > 0 ? a->m->nstates : 1);
	if (a->nx == a->capx) {
		size_t nc = a->capx ? a->capx * 2 : 256;
		struct rt_agg_exec **nv = rt_realloc(a->x, nc * sizeof *nv);
		if (!nv)
			goto oom;
		a->x = nv;
		a->capx = nc;
	}
	x = rt_calloc(1, sizeof *x + ns);
	if (!x || !(x->name = rt_malloc(r->nlen + 1))) {
		rt_free(x);
		goto oom;
	}
	memcpy(x->name, r->name, r->nlen);
	x->name[r->nlen] = '\0';
	if (rt_map_put(&a->by_name, x->name, x) != 0) {
		rt_free(x->name);
		rt_free(x);
		goto oom;
	}
	x->seq = (long)a->nx;
	x->status = ASLRT_RUNNING;
	x->cur = a->m->start;
	a->x[a->nx++] = x;
	return x;
oom:
	a->oom = 1;
	return NULL;
}

/* 1 when `to` is the Next of one of s's catchers (and not its own Next). */
static int catch_target(const struct aslrt_state *s, int to)
{
	if (to == s->next)
		return 0;
	for (int i = 0; i < s->ncatch; i++)
		if (s->catchers[i].next == to)
			return 1;
	return 0;
}

static void set_error(struct rt_agg_exec *x, struct rt_jspan err)
{
	rt_free(x->error);
	x->error = rt_jspan_str(err);
}

static void seen(struct rt_agg *a, int64_t t)
{
	if (t > 0 && (!a->first_us || t < a->first_us))
		a->first_us = t;
	if (t > a->last_us)
		a->last_us = t;
}

/* A step record: {"ran","t0","t1","re","resume","park","cp":{"st","s",
 * "ry","wd","err"}} (docs/durable.md, Records). */
static int feed_step(struct rt_agg *a, struct rt_agg_exec *x, const struct rt_rec *r)
{
	static const char *const keys[] = { "ran", "t0", "t1", "re", "resume", "park", "cp" };
	static const char *const cpkeys[] = { "st", "s", "ry", "wd", "err" };
	struct rt_jspan v[7], c[5];
	if (rt_jscan_members(r->data, r->len, keys, 7, v) != 0 || !v[6].p ||
	    rt_jscan_members(v[6].p, v[6].n, cpkeys, 5, c) != 0)
		return 0;                          /* defensive: not a step we know */
	int ran = (int)rt_jspan_int(v[0], -1);
	if (ran < 0 || ran >= a->m->nstates)
		return 0;
	const struct aslrt_state *s = &a->m->states[ran];
	struct rt_agg_state *as = &a->st[ran];
	int64_t t0 = rt_jspan_int(v[1], 0), t1 = rt_jspan_int(v[2], 0);
	seen(a, t1);
	if (!rt_jspan_int(v[3], 0) && !rt_jspan_int(v[4], 0)) {
		as->entries++;
		x->t_enter = t0;
		x->cur = ran;
		if (x->vis[ran] == RT_VIS_NONE)
			x->vis[ran] = RT_VIS_IN_PROGRESS;
	}
	int task_err = x->task_err;
	x->task_err = 0;
	int rc = 0;
	if (rt_jspan_is(c[1], "RUNNING")) {
		if (rt_jspan_int(c[2], 0)) {           /* retrying */
			as->retries++;
			x->vis[ran] = RT_VIS_IN_PROGRESS;
			return 0;
		}
		if (v[5].p) {                          /* parked on a task token */
			x->vis[ran] = RT_VIS_IN_PROGRESS;
			return 0;
		}
		int to = (int)rt_jspan_int(c[0], -1);
		int64_t exit = s->type == ASLRT_WAIT && rt_jspan_int(c[3], 0) ? rt_jspan_int(c[3], 0)
									      : t1;
		int caught = task_err || catch_target(s, to);
		x->vis[ran] = caught ? RT_VIS_CAUGHT : RT_VIS_SUCCEEDED;
		rc = add_edge(as, to, caught) ||
		     push_i64(&as->dur, &as->ndur, &as->capdur, exit - x->t_enter);
		if (to >= 0 && to < a->m->nstates)
			x->cur = to;
	} else if (rt_jspan_is(c[1], "SUCCEEDED")) {
		x->vis[ran] = RT_VIS_SUCCEEDED;
		x->status = ASLRT_SUCCEEDED;
		x->t_stop = t1;
		rc = add_edge(as, -1, 0) ||
		     push_i64(&as->dur, &as->ndur, &as->capdur, t1 - x->t_enter);
	} else {                                       /* FAILED */
		x->vis[ran] = RT_VIS_FAILED;
		x->status = ASLRT_FAILED;
		x->t_stop = t1;
		set_error(x, c[4]);
		rc = count_name(&as->fails, &as->nfails, x->error ? x->error : ASLRT_ERR_RUNTIME);
		if (!rc && s->type == ASLRT_FAIL)      /* its drawn edge to the end */
			rc = add_edge(as, -1, 0);
	}
	return rc;
}

/* A task record: {"st", "err", "to", ...}: its error, if any. */
static int feed_task(struct rt_agg *a, struct rt_agg_exec *x, const struct rt_rec *r)
{
	static const char *const keys[] = { "st", "err", "to", "ok" };
	struct rt_jspan v[4];
	if (rt_jscan_members(r->data, r->len, keys, 4, v) != 0)
		return 0;
	int st = (int)rt_jspan_int(v[0], -1);
	if (v[3].p || st < 0 || st >= a->m->nstates) {
		x->task_err = 0;
		return 0;
	}
	x->task_err = 1;
	char *e = rt_jspan_str(v[1]);
	const char *name = e ? e : rt_jspan_int(v[2], 0) ? ASLRT_ERR_TIMEOUT : ASLRT_ERR_TASK_FAILED;
	int rc = count_name(&a->st[st].errors, &a->st[st].nerrors, name);
	rt_free(e);
	return rc;
}

int rt_agg_feed(void *ctx, const struct rt_rec *r)
{
	struct rt_agg *a = ctx;
	struct rt_agg_exec *x = exec_of(a, r);
	if (!x)
		return a->oom ? -1 : 0;
	a->records++;
	a->bytes += r->len;
	int rc = 0;
	switch (r->kind) {
	case RT_REC_START: {
		static const char *const keys[] = { "t" };
		struct rt_jspan v[1];
		if (rt_jscan_members(r->data, r->len, keys, 1, v) == 0)
			x->t_start = rt_jspan_int(v[0], 0);
		seen(a, x->t_start);
		break;
	}
	case RT_REC_STEP:
		rc = feed_step(a, x, r);
		break;
	case RT_REC_TASK:
		rc = feed_task(a, x, r);
		break;
	case RT_REC_END: {
		static const char *const keys[] = { "t", "s", "err" };
		struct rt_jspan v[3];
		if (rt_jscan_members(r->data, r->len, keys, 3, v) != 0)
			break;
		int timed_out = rt_jspan_is(v[1], "TIMED_OUT");
		x->status = timed_out ? ASLRT_TIMED_OUT : ASLRT_ABORTED;
		x->t_stop = rt_jspan_int(v[0], 0);
		set_error(x, v[2]);
		if (x->cur >= 0 && x->cur < a->m->nstates) {
			x->vis[x->cur] = timed_out ? RT_VIS_FAILED : RT_VIS_CANCELLED;
			rc = count_name(&a->st[x->cur].fails, &a->st[x->cur].nfails,
					x->error ? x->error
						 : timed_out ? ASLRT_ERR_TIMEOUT : "Aborted");
		}
		break;
	}
	case RT_REC_REDRIVE: {
		static const char *const keys[] = { "cp" };
		static const char *const cpkeys[] = { "st" };
		struct rt_jspan v[1], c[1];
		x->status = ASLRT_RUNNING;
		x->t_stop = 0;
		x->redrives++;
		rt_free(x->error);
		x->error = NULL;
		if (rt_jscan_members(r->data, r->len, keys, 1, v) == 0 && v[0].p &&
		    rt_jscan_members(v[0].p, v[0].n, cpkeys, 1, c) == 0 && c[0].p) {
			int st = (int)rt_jspan_int(c[0], -1);
			if (st >= 0 && st < a->m->nstates)
				x->cur = st;
		} else {
			x->cur = a->m->start;
		}
		break;
	}
	default:
		break;
	}
	if (rc)
		a->oom = 1;
	return rc ? -1 : 0;
}

static int cmp_i64(const void *p, const void *q)
{
	int64_t a = *(const int64_t *)p, b = *(const int64_t *)q;
	return a < b ? -1 : a > b;
}

int64_t rt_agg_quantile(int64_t *v, size_t n, double q)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_i64);
	double rank = q * (double)n;
	size_t k = (size_t)rank;
	if ((double)k < rank)
		k++;                                   /* ceil */
	return v[k > 0 ? k - 1 : 0];
}

void rt_agg_finish(struct rt_agg *a)
{
	size_t cap = 0;
	for (size_t i = 0; i < a->nx; i++) {
		struct rt_agg_exec *x = a->x[i];
		if (x->status == ASLRT_RUNNING && x->cur >= 0 && x->cur < a->m->nstates)
			x->vis[x->cur] = RT_VIS_IN_PROGRESS;
		if ((unsigned)x->status < 5)
			a->by_status[x->status]++;
		if (x->status != ASLRT_RUNNING && x->t_stop >= x->t_start &&
		    push_i64(&a->edur, &a->nedur, &cap, x->t_stop - x->t_start) != 0)
			a->oom = 1;
		for (int s = 0; s < a->m->nstates; s++)
			if (x->vis[s] != RT_VIS_NONE) {
				a->st[s].count++;
				a->st[s].by[x->vis[s]]++;
			}
	}
	for (int s = 0; s < a->m->nstates; s++) {
		struct rt_agg_state *as = &a->st[s];
		as->vis = RT_VIS_NONE;
		for (int v = RT_VIS_N - 1; v > 0 && as->vis == RT_VIS_NONE; v--)
			if (as->by[v])
				as->vis = (enum rt_vis)v;
		as->p50 = rt_agg_quantile(as->dur, as->ndur, 0.5);
		as->p99 = rt_agg_quantile(as->dur, as->ndur, 0.99);
		as->max = as->ndur ? as->dur[as->ndur - 1] : 0;
	}
	a->ep50 = rt_agg_quantile(a->edur, a->nedur, 0.5);
	a->ep99 = rt_agg_quantile(a->edur, a->nedur, 0.99);
	a->emax = a->nedur ? a->edur[a->nedur - 1] : 0;
}
