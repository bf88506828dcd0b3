/*
 * report_agg.c - folding a store's records into what `PROG report` shows
 * (report.h): per state, the executions that reached it by their last
 * status there, entries, Retry attempts, task errors, the transitions taken
 * (and which were a Catch), the time from entering it to leaving it
 * (p50/p99, from the step records' t0/t1 as the history's
 * StateEntered/StateExited, a Wait's deadline as its exit); per execution,
 * its status and duration.
 *
 * States inside a Parallel branch or a Map iteration are folded from the
 * notes the children write (dtask.c; docs/durable.md, "Inside Parallel and
 * Map"), read as history.c's child_note_events reads them, so the report
 * counts what the history shows.
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

int rt_agg_not_recorded(const struct rt_agg *a, int i)
{
	return a->st[i].count == 0 && a->notes == 0 && rt_agg_inner(a->m, i);
}

/* ---------------------------------------------------------- children */

/* One child (a Parallel branch, a Map iteration, nesting included) as its
 * notes tell it: the state it is in, the state it left for a next one not
 * entered yet, whether a task error came since its last step. */
struct kid {
	char *path;                    /* its key in the map (owned)            */
	int cur;                       /* the state it is in, or -1             */
	int from;                      /* the state it left (RUNNING), or -1    */
	int task_err;
	int caught;                    /* the exit of `from` followed an error  */
	int64_t t_enter;               /* when it entered cur                   */
};

/* The children of the state an execution runs: the ids of the notes seen
 * (a re-run of the state notes its steps again; history.c's hold shows
 * each id once, and so counts the fold) and the children by path. Both
 * live until the state's step record ends the state (no "park"). */
struct rt_agg_fan {
	struct rt_map seen;            /* id -> (void *)1; keys owned           */
	struct rt_map kids;            /* path -> struct kid; keys kid->path    */
};

/* Free fan (may be NULL) and everything it owns. */
static void fan_free(struct rt_agg_fan *fan)
{
	if (!fan)
		return;
	for (size_t i = 0; i < fan->seen.cap; i++)
		rt_free((char *)fan->seen.keys[i]);
	for (size_t i = 0; i < fan->kids.cap; i++)
		if (fan->kids.keys[i]) {
			struct kid *k = fan->kids.vals[i];
			rt_free(k->path);
			rt_free(k);
		}
	rt_map_free(&fan->seen);
	rt_map_free(&fan->kids);
	rt_free(fan);
}

/* Raise *v to at least `to` (enum rt_vis is in increasing precedence). */
static void raise_vis(unsigned char *v, enum rt_vis to)
{
	if (*v < to)
		*v = (unsigned char)to;
}

/* The state ends (or the execution stops, or the fold ends): each child
 * still inside a state raises it to vis (cancelled: its siblings failed
 * the state or the execution stopped; in progress: it runs still), then
 * x's children are forgotten. */
static void fan_close(struct rt_agg_exec *x, enum rt_vis vis)
{
	struct rt_agg_fan *fan = x->fan;
	for (size_t i = 0; fan && i < fan->kids.cap; i++)
		if (fan->kids.keys[i]) {
			const struct kid *k = fan->kids.vals[i];
			if (k->cur >= 0)
				raise_vis(&x->vis[k->cur], vis);
		}
	fan_free(fan);
	x->fan = NULL;
}

/* The length of the child path at the start of s[0..n): a note's id or a
 * child's task key after "EXEC/" (dtask.c: a path is one or more
 * "ENTRY[rATTEMPT][INDEX]", then the child's own "ENTRY/STATE/..." or an
 * iteration note's "<" / ">"). 0: none (a top-level task key). */
static size_t path_len(const char *s, size_t n)
{
	size_t i = 0, end = 0;
	for (;;) {
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return end;
		if (i < n && s[i] == 'r') {
			for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9';)
				i++;
			if (i == d)
				return end;
		}
		if (i >= n || s[i] != '[')
			return end;
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9';)
			i++;
		if (i == d || i >= n || s[i] != ']')
			return end;
		end = ++i;
	}
}

/* The child at path[0..n) of x, made on first sight. NULL out of memory. */
static struct kid *kid_of(struct rt_agg_exec *x, const char *path, size_t n)
{
	if (!x->fan && !(x->fan = rt_calloc(1, sizeof *x->fan)))
		return NULL;
	struct kid *k = rt_map_get(&x->fan->kids, path, n);
	if (k)
		return k;
	if (!(k = rt_calloc(1, sizeof *k)) || !(k->path = rt_malloc(n + 1))) {
		rt_free(k);
		return NULL;
	}
	memcpy(k->path, path, n);
	k->path[n] = '\0';
	k->cur = k->from = -1;
	if (rt_map_put(&x->fan->kids, k->path, k) != 0) {
		rt_free(k->path);
		rt_free(k);
		return NULL;
	}
	return k;
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
		fan_free(a->x[i]->fan);
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
	if (!v[5].p)                       /* the state ends: so do its children */
		fan_close(x, RT_VIS_CANCELLED);
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

/* The child whose task record has key span k ("EXEC/PATH..."), or NULL for
 * the execution's own tasks (or out of memory: a->oom). */
static struct kid *task_kid(struct rt_agg *a, struct rt_agg_exec *x, const struct rt_rec *r,
			    struct rt_jspan k)
{
	/* the raw text between the quotes: a name with escapes is not
	 * matched, and its task counts as the execution's (defensive) */
	if (!k.p || k.n < 2 || k.n - 2 <= r->nlen || memcmp(k.p + 1, r->name, r->nlen) != 0 ||
	    k.p[1 + r->nlen] != '/')
		return NULL;
	const char *p = k.p + 2 + r->nlen;
	size_t n = path_len(p, k.n - 3 - r->nlen);
	struct kid *kid = n ? kid_of(x, p, n) : NULL;
	if (n && !kid)
		a->oom = 1;
	return kid;
}

/* A task record: {"key", "st", "err", "to", ...}: its error, if any, for
 * the execution or for the child that ran it. */
static int feed_task(struct rt_agg *a, struct rt_agg_exec *x, const struct rt_rec *r)
{
	static const char *const keys[] = { "st", "err", "to", "ok", "key" };
	struct rt_jspan v[5];
	if (rt_jscan_members(r->data, r->len, keys, 5, v) != 0)
		return 0;
	int st = (int)rt_jspan_int(v[0], -1);
	struct kid *kid = task_kid(a, x, r, v[4]);
	if (a->oom)
		return -1;
	int *err_flag = kid ? &kid->task_err : &x->task_err;
	if (v[3].p || st < 0 || st >= a->m->nstates) {
		*err_flag = 0;
		return 0;
	}
	*err_flag = 1;
	char *e = rt_jspan_str(v[1]);
	const char *name = e ? e : rt_jspan_int(v[2], 0) ? ASLRT_ERR_TIMEOUT : ASLRT_ERR_TASK_FAILED;
	int rc = count_name(&a->st[st].errors, &a->st[st].nerrors, name);
	rt_free(e);
	return rc;
}

/* The outcome of one child's step in state st: outcomes of the children
 * combine to the most alarming (a Map of 100 iterations, one caught, is
 * caught), replacing the in-progress mark of an entry. */
static void child_outcome(struct rt_agg_exec *x, int st, enum rt_vis vis)
{
	if (x->vis[st] <= RT_VIS_IN_PROGRESS)
		x->vis[st] = (unsigned char)vis;
	else
		raise_vis(&x->vis[st], vis);
}

/* A child's note (dtask.c): {"ev", "id", "t", "st", "s", "on", "err", ...}
 * (docs/durable.md, "Inside Parallel and Map"). As history.c's
 * child_note_events shows them: "e" the child entered state st (an
 * entry); "x" its step there ended: with "on" it goes on (a retry, or a
 * parked task: an id ending "p"), RUNNING it left for the state its next
 * "e" names (the transition; a Catch's when that state is one of st's
 * catchers or a task error came first), SUCCEEDED it ended there (the
 * branch's end), FAILED it failed there; "i" a Map iteration (nothing
 * here). An id already seen is a re-run noting it again: skipped. Notes
 * without "ev" (an activity taken by a worker) are not children's. */
static int feed_note(struct rt_agg *a, struct rt_agg_exec *x, const struct rt_rec *r)
{
	static const char *const keys[] = { "ev", "id", "t", "st", "s", "on", "err" };
	struct rt_jspan v[7];
	if (rt_jscan_members(r->data, r->len, keys, 7, v) != 0 || !v[0].p || v[0].n < 3 ||
	    !v[1].p || v[1].n < 3)
		return 0;
	const char *id = v[1].p + 1;               /* the raw text: unique as is */
	size_t idn = v[1].n - 2;
	if (!x->fan && !(x->fan = rt_calloc(1, sizeof *x->fan)))
		return -1;
	if (rt_map_get(&x->fan->seen, id, idn))
		return 0;
	char *key = rt_malloc(idn + 1);
	if (!key)
		return -1;
	memcpy(key, id, idn);
	key[idn] = '\0';
	if (rt_map_put(&x->fan->seen, key, (void *)1) != 0) {
		rt_free(key);
		return -1;
	}
	a->notes++;
	char ev = v[0].p[1];
	int st = (int)rt_jspan_int(v[3], -1);
	int64_t t = rt_jspan_int(v[2], 0);
	if (ev == 'i' || st < 0 || st >= a->m->nstates)
		return 0;
	seen(a, t);
	struct kid *k = kid_of(x, id, path_len(id, idn));
	if (!k)
		return -1;
	struct rt_agg_state *as = &a->st[st];
	int rc = 0;
	if (ev == 'e') {
		as->entries++;
		if (k->from >= 0) {                /* the transition that led here */
			int caught = k->caught || catch_target(&a->m->states[k->from], st);
			rc = add_edge(&a->st[k->from], st, caught);
			if (caught)
				raise_vis(&x->vis[k->from], RT_VIS_CAUGHT);
		}
		k->from = -1;
		k->cur = st;
		k->t_enter = t;
		if (x->vis[st] == RT_VIS_NONE)
			x->vis[st] = RT_VIS_IN_PROGRESS;
		return rc;
	}
	if (ev != 'x')
		return 0;
	if (rt_jspan_int(v[5], 0)) {               /* it goes on */
		if (id[idn - 1] != 'p')
			as->retries++;
		return 0;
	}
	int task_err = k->task_err, entered = k->cur == st;
	k->task_err = 0;
	k->cur = -1;
	if (rt_jspan_is(v[4], "FAILED")) {
		child_outcome(x, st, RT_VIS_FAILED);
		char *e = rt_jspan_str(v[6]);
		rc = count_name(&as->fails, &as->nfails, e ? e : ASLRT_ERR_RUNTIME);
		rt_free(e);
		if (!rc && a->m->states[st].type == ASLRT_FAIL)
			rc = add_edge(as, -1, 0);
		return rc;
	}
	if (entered)                               /* a Wait's exit is its note's */
		rc = push_i64(&as->dur, &as->ndur, &as->capdur, t - k->t_enter);
	if (rt_jspan_is(v[4], "SUCCEEDED")) {     /* the end of its branch */
		child_outcome(x, st, RT_VIS_SUCCEEDED);
		return rc || add_edge(as, -1, 0) ? -1 : 0;
	}
	child_outcome(x, st, task_err ? RT_VIS_CAUGHT : RT_VIS_SUCCEEDED);
	k->from = st;
	k->caught = task_err;
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
	case RT_REC_NOTE:
		rc = feed_note(a, x, r);
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
		fan_close(x, RT_VIS_CANCELLED);
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
		fan_free(x->fan);                  /* a redrive notes afresh */
		x->fan = NULL;
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
		if (x->status == ASLRT_RUNNING)    /* children inside a parked state */
			fan_close(x, RT_VIS_IN_PROGRESS);
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
