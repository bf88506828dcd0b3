/*
 * report.c - writing the report of a store (report.h, docs/visibility.md).
 * Two passes over the store, read-only (a worker may be running):
 *
 *   1. every record through rt_agg_feed: counts, statuses, durations;
 *   2. only the records of the executions shown in detail, parsed and fed
 *      to the history (history.c), so their event tables are exactly what
 *      `PROG history` prints.
 *
 * Which executions are shown in detail: those named, else the ones that did
 * not succeed first (failed, timed out, aborted, then running), then the
 * succeeded ones, each group in the order they started, at most
 * max_details, so a report of 100,000 executions stays a few megabytes.
 * The file is written to a temporary name and renamed into place.
 */
#include "durable.h"
#include "report.h"
#include "taskutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_DETAILS 20

/* An execution name from a name or an execution ARN (after its last ':'). */
static const char *bare_name(const char *s)
{
	const char *c = strrchr(s, ':');
	return c ? c + 1 : s;
}

/* ------------------------------------------------- choosing details */

static int rank_of(enum aslrt_status s)
{
	switch (s) {
	case ASLRT_FAILED: return 0;
	case ASLRT_TIMED_OUT: return 1;
	case ASLRT_ABORTED: return 2;
	case ASLRT_RUNNING: return 3;
	default: return 4;
	}
}

/* The executions to show, as indexes into a->x (new array, *n of them). */
static size_t *choose(const struct rt_agg *a, const char *const *names, int nnames, size_t max,
		      size_t *n)
{
	*n = 0;
	size_t *v = rt_malloc((a->nx ? a->nx : 1) * sizeof *v);
	if (!v)
		return NULL;
	if (nnames > 0) {                   /* as named, each once */
		for (int i = 0; i < nnames; i++) {
			const struct rt_agg_exec *x = rt_map_get(&a->by_name, names[i],
								  strlen(names[i]));
			int dup = 0;
			for (size_t k = 0; x && k < *n; k++)
				dup |= a->x[v[k]] == x;
			if (x && !dup)
				v[(*n)++] = (size_t)x->seq;
		}
		return v;
	}
	for (int r = 0; r <= 4; r++)
		for (size_t i = 0; i < a->nx && *n < max; i++)
			if (rank_of(a->x[i]->status) == r)
				v[(*n)++] = i;
	return v;
}

/* ------------------------------------------------- pass 2: details */

struct dfold {
	const struct aslrt_machine *m;
	struct rt_map by_name;         /* name -> struct dstate                 */
};

struct dstate {
	struct rt_report_detail *d;
	struct rt_hist h;
};

static void replace(cJSON **slot, cJSON *v_take)
{
	cJSON_Delete(*slot);
	*slot = v_take;
}

static void set_str(char **slot, const char *s)
{
	rt_free(*slot);
	*slot = s ? rt_strdup(s) : NULL;
}

static int detail_visit(void *ctx, const struct rt_rec *r)
{
	struct dfold *f = ctx;
	struct dstate *ds = rt_map_get(&f->by_name, r->name, r->nlen);
	if (!ds)
		return 0;
	cJSON *p = rt_rec_json(r);
	if (!p)
		return 0;                          /* defensive: not JSON */
	struct rt_report_detail *d = ds->d;
	rt_hist_feed(&ds->h, r->kind, p);
	const cJSON *cp = cJSON_GetObjectItemCaseSensitive(p, "cp");
	switch (r->kind) {
	case RT_REC_START:
		replace(&d->input, cJSON_DetachItemFromObjectCaseSensitive(p, "input"));
		break;
	case RT_REC_STEP:
	case RT_REC_REDRIVE:
		if (cJSON_GetObjectItemCaseSensitive(cp, "vars"))
			replace(&d->vars, cJSON_DetachItemFromObjectCaseSensitive((cJSON *)cp,
										  "vars"));
		if (r->flags & RT_REC_FINAL) {
			replace(&d->output, cJSON_DetachItemFromObjectCaseSensitive((cJSON *)cp,
										    "out"));
			set_str(&d->error, rt_j_str(cp, "err"));
			set_str(&d->cause, rt_j_str(cp, "cause"));
		}
		if (r->flags & RT_REC_REOPEN) {
			replace(&d->output, NULL);
			set_str(&d->error, NULL);
			set_str(&d->cause, NULL);
		}
		break;
	case RT_REC_END:
		set_str(&d->error, rt_j_str(p, "err"));
		set_str(&d->cause, rt_j_str(p, "cause"));
		break;
	default:
		break;
	}
	cJSON_Delete(p);
	return 0;
}

static void details_free(struct rt_report_detail *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		rt_free(v[i].name);
		cJSON_Delete(v[i].events);
		cJSON_Delete(v[i].input);
		cJSON_Delete(v[i].output);
		cJSON_Delete(v[i].vars);
		rt_free(v[i].error);
		rt_free(v[i].cause);
		rt_free(v[i].vis);
	}
	rt_free(v);
}

/* Fill details[0..n) for the executions at idx[] of a: pass 2. */
static int load_details(struct rt_store *st, const struct rt_agg *a, const size_t *idx,
			size_t n, struct rt_report_detail *details)
{
	struct dfold f = { a->m, { 0 } };
	struct dstate *ds = rt_calloc(n ? n : 1, sizeof *ds);
	int rc = ds ? 0 : -1;
	size_t ns = (size_t)a->m->nstates;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const struct rt_agg_exec *x = a->x[idx[k]];
		struct rt_report_detail *d = &details[k];
		d->status = x->status;
		ds[k].d = d;
		if (!(d->name = rt_strdup(x->name)) || !(d->events = cJSON_CreateArray()) ||
		    !(d->vis = rt_malloc(ns ? ns : 1)) || rt_map_put(&f.by_name, d->name, &ds[k])) {
			rc = -1;
			break;
		}
		memcpy(d->vis, x->vis, ns);
		rt_hist_init(&ds[k].h, a->m, d->events);
	}
	if (rc == 0 && n > 0)
		rc = st->m->scan(st, RT_SCAN_ALL, detail_visit, &f);
	for (size_t k = 0; ds && k < n; k++)
		if (ds[k].d && ds[k].d->events) {
			rt_hist_end(&ds[k].h);
			rt_hist_free(&ds[k].h);
		}
	rt_free(ds);
	rt_map_free(&f.by_name);
	return rc;
}

/* ------------------------------------------------------------ write */

int rt_report_write(const struct aslrt_machine *m, const struct rt_report_options *o,
		    struct rt_report_info *info, char **why)
{
	double t0 = rt_monotonic();
	memset(info, 0, sizeof *info);
	*why = NULL;
	const char **names = NULL;
	if (o->nnames > 0 && !(names = rt_calloc((size_t)o->nnames, sizeof *names))) {
		*why = rt_fmt("out of memory");
		return -1;
	}
	for (int i = 0; i < o->nnames; i++)
		names[i] = bare_name(o->names[i]);
	struct rt_store *st = NULL;
	struct rt_agg *a = NULL;
	struct rt_report_detail *details = NULL;
	size_t *idx = NULL, n = 0;
	char *tmp = NULL;
	FILE *f = NULL;
	int rc = -1;
	if (rt_store_open_log(o->store, m->name ? m->name : "", RT_SYNC_BATCH, NULL,
			      RT_STORE_READONLY, &st, why) != 0)
		goto out;
	if (!(a = rt_agg_new(m, names, o->nnames)) ||
	    st->m->scan(st, RT_SCAN_ALL, rt_agg_feed, a) != 0 || a->oom) {
		*why = rt_fmt("cannot read the store %s: %s", o->store,
			      a && !a->oom ? st->m->error(st) : "out of memory");
		goto out;
	}
	rt_agg_finish(a);
	size_t max = o->max_details < 0 ? DEFAULT_DETAILS : (size_t)o->max_details;
	if (!(idx = choose(a, names, o->nnames, max, &n)) ||
	    !(details = rt_calloc(n ? n : 1, sizeof *details)) ||
	    load_details(st, a, idx, n, details) != 0) {
		*why = rt_fmt("cannot read the store %s: out of memory", o->store);
		goto out;
	}
	struct rt_report_page page = {
		.m = m, .agg = a, .svg = o->svg ? o->svg : m->graph_svg, .store = o->store,
		.details = details, .ndetails = n, .max_details = max,
		.generated_us = rt_now_us(),
	};
	if (!(tmp = rt_fmt("%s.tmp-%ld", o->out, (long)getpid())) || !(f = fopen(tmp, "w"))) {
		*why = rt_fmt("cannot write %s: %s", tmp ? tmp : o->out,
			      tmp ? strerror(errno) : "out of memory");
		goto out;
	}
	int bad = rt_report_page_write(f, &page) != 0;
	bad |= fclose(f) != 0;
	f = NULL;
	if (bad || rename(tmp, o->out) != 0) {
		*why = rt_fmt("cannot write %s: %s", o->out, strerror(errno));
		unlink(tmp);
		goto out;
	}
	info->executions = (long)a->nx;
	info->details = (long)n;
	info->records = a->records;
	info->bytes = a->bytes;
	rc = 0;
out:
	if (f) {
		fclose(f);
		unlink(tmp);
	}
	rt_free(tmp);
	details_free(details, n);
	rt_free(idx);
	rt_agg_free(a);
	if (st)
		st->m->close(st);
	rt_free(names);
	info->seconds = rt_monotonic() - t0;
	return rc;
}
