/*
 * catalog.c - folding the records of a store back into executions
 * (docs/durable.md): what `list` and `describe` report, the history of one
 * execution, the checkpoint a redrive restarts from, recovery of the
 * unfinished executions of the live log, and the compaction policy.
 *
 * Only the records that matter are parsed: a header (kind, flags, name) says
 * whether an execution finished, so a fold parses START, FINAL and REOPEN
 * records for summaries and everything only for the executions it needs.
 */
#include "durable.h"
#include "rtmap.h"
#include "taskutil.h"

#include <string.h>

/* A name from a record (not terminated) as a new string. */
static char *name_of(const struct rt_rec *r)
{
	char *s = rt_malloc(r->nlen + 1);
	if (s) {
		memcpy(s, r->name, r->nlen);
		s[r->nlen] = '\0';
	}
	return s;
}

/* Whether r's name can be an execution's: not empty, no NUL byte (the
 * folds key executions by C strings; no writer makes such a record, so one
 * is skipped like an unreadable payload). */
static int name_ok(const struct rt_rec *r)
{
	return r->nlen > 0 && !memchr(r->name, '\0', r->nlen);
}

static int name_is(const struct rt_rec *r, const char *name)
{
	return strlen(name) == r->nlen && memcmp(name, r->name, r->nlen) == 0;
}

/* The payload of r parsed (new memory), or NULL: with *oom set when memory
 * ran out (a fold must then fail, not go on without the record), left alone
 * when the payload is not JSON (a record no writer made: skipped). */
static cJSON *payload(const struct rt_rec *r, int *oom)
{
	long before = rt_alloc_failures();
	cJSON *p = rt_rec_json(r);
	if (!p && rt_alloc_failures() != before)
		*oom = 1;
	return p;
}

void rt_summary_free(struct rt_summary *s)
{
	rt_free(s->name);
	cJSON_Delete(s->input);
	cJSON_Delete(s->output);
	rt_free(s->error);
	rt_free(s->cause);
	memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- list */

struct listing {
	const char *only;              /* one name, or NULL for all             */
	struct rt_map index;           /* name -> summary index + 1             */
	struct rt_summary *v;
	size_t n, cap;
	int oom;
};

/* Replace *dst by a copy of src (or NULL). Returns 0, or -1 when out of
 * memory. */
static int set_str(char **dst, const char *src)
{
	rt_free(*dst);
	*dst = src ? rt_strdup(src) : NULL;
	return src && !*dst ? -1 : 0;
}

static int list_visit(void *ctx, const struct rt_rec *r)
{
	struct listing *l = ctx;
	if ((l->only && !name_is(r, l->only)) || !name_ok(r))
		return 0;
	if (r->kind != RT_REC_START && !(r->flags & (RT_REC_FINAL | RT_REC_REOPEN)))
		return 0;
	size_t at = (size_t)(uintptr_t)rt_map_get(&l->index, r->name, r->nlen);
	if (!at && r->kind != RT_REC_START)
		return 0;
	cJSON *p = payload(r, &l->oom);
	if (!p)
		return l->oom ? -1 : 0;        /* defensive: a record we cannot read */
	struct rt_summary *s;
	if (!at) {
		if (l->n == l->cap) {
			size_t nc = l->cap ? l->cap * 2 : 64;
			struct rt_summary *nv = rt_realloc(l->v, nc * sizeof *nv);
			if (!nv)
				goto oom;
			l->v = nv;
			l->cap = nc;
		}
		s = &l->v[l->n];
		memset(s, 0, sizeof *s);
		s->name = name_of(r);
		if (!s->name || rt_map_put(&l->index, s->name, (void *)(uintptr_t)(l->n + 1))) {
			rt_free(s->name);
			goto oom;
		}
		l->n++;
		s->status = ASLRT_RUNNING;
		s->start_us = rt_j_int(p, "t");
		if (l->only)
			s->input = cJSON_DetachItemFromObjectCaseSensitive(p, "input");
	} else {
		s = &l->v[at - 1];
	}
	if (r->flags & RT_REC_REOPEN) {
		s->status = ASLRT_RUNNING;
		s->redrive_count = (int)rt_j_int(p, "n");
		s->redrive_us = rt_j_int(p, "t");
		s->stop_us = 0;
		cJSON_Delete(s->output);
		s->output = NULL;
		set_str(&s->error, NULL);
		set_str(&s->cause, NULL);
	} else if (r->flags & RT_REC_FINAL) {
		const cJSON *src = r->kind == RT_REC_STEP ? cJSON_GetObjectItemCaseSensitive(p, "cp") : p;
		int st = rt_status_parse(rt_j_str(src, "s"));
		s->status = st > 0 ? (enum aslrt_status)st : ASLRT_FAILED;
		s->stop_us = rt_j_int(p, r->kind == RT_REC_STEP ? "t1" : "t");
		if (set_str(&s->error, rt_j_str(src, "err")) ||
		    set_str(&s->cause, rt_j_str(src, "cause")))
			goto oom;
		if (l->only && s->status == ASLRT_SUCCEEDED) {
			cJSON_Delete(s->output);
			s->output = cJSON_DetachItemFromObjectCaseSensitive((cJSON *)src, "out");
		}
	}
	cJSON_Delete(p);
	return 0;
oom:
	cJSON_Delete(p);
	l->oom = 1;
	return -1;
}

int rt_catalog_list(struct rt_store *st, const char *name, struct rt_summary **out, size_t *n)
{
	struct listing l = { .only = name };
	int rc = st->m->scan(st, RT_SCAN_ALL, list_visit, &l);
	rt_map_free(&l.index);
	if (rc != 0) {
		for (size_t i = 0; i < l.n; i++)
			rt_summary_free(&l.v[i]);
		rt_free(l.v);
		*out = NULL;
		*n = 0;
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

/* ------------------------------------------------------------- history */

struct hfold {
	const char *name;
	struct rt_hist h;
	int started;
	int oom;
};

static int hist_visit(void *ctx, const struct rt_rec *r)
{
	struct hfold *f = ctx;
	if (!name_is(r, f->name))
		return 0;
	cJSON *p = payload(r, &f->oom);
	if (!p)
		return f->oom ? -1 : 0;
	f->started |= r->kind == RT_REC_START;
	rt_hist_feed(&f->h, r->kind, p);
	cJSON_Delete(p);
	return 0;
}

cJSON *rt_catalog_history(struct rt_store *st, const struct aslrt_machine *m,
			  const char *name, int reverse, int *oom)
{
	*oom = 0;
	cJSON *doc = cJSON_CreateObject();
	cJSON *events = doc ? cJSON_AddArrayToObject(doc, "events") : NULL;
	if (!events) {
		cJSON_Delete(doc);
		*oom = 1;
		return NULL;
	}
	struct hfold f = { .name = name };
	rt_hist_init(&f.h, m, events);
	int rc = st->m->scan(st, RT_SCAN_ALL, hist_visit, &f);
	rt_hist_end(&f.h);
	rt_hist_free(&f.h);
	if (rc != 0 || !f.started) {
		*oom = rc != 0;
		cJSON_Delete(doc);
		return NULL;
	}
	if (reverse) {
		/* not cJSON_ReplaceItemInObject: out of memory, 1.7.15 leaves the
		 * new member nameless */
		cJSON *rev = cJSON_CreateArray();
		while (rev && events->child) {
			cJSON *last = events->child->prev;   /* cJSON keeps the tail here */
			cJSON_AddItemToArray(rev, cJSON_DetachItemViaPointer(events, last));
		}
		cJSON_Delete(cJSON_DetachItemViaPointer(doc, events));
		if (rt_j_add_take(doc, "events", rev) != 0) {
			*oom = 1;
			cJSON_Delete(doc);
			return NULL;
		}
	}
	return doc;
}

/* --------------------------------------------------------------- redrive */

struct rfold {
	const char *name;
	cJSON *point;                  /* {"input","t","to","cp","n"}           */
	int oom;
};

static int redrive_visit(void *ctx, const struct rt_rec *r)
{
	struct rfold *f = ctx;
	if (!name_is(r, f->name) ||
	    (r->kind != RT_REC_START && r->kind != RT_REC_STEP && r->kind != RT_REC_REDRIVE))
		return 0;
	cJSON *p = payload(r, &f->oom);
	if (!p)
		return f->oom ? -1 : 0;
	int ok = 1;
	if (r->kind == RT_REC_START) {
		cJSON_Delete(f->point);
		f->point = cJSON_CreateObject();
		cJSON *in = cJSON_DetachItemFromObjectCaseSensitive(p, "input");
		ok = f->point && (!in || rt_j_add_take(f->point, "input", in) == 0) &&
		     cJSON_AddNumberToObject(f->point, "t", (double)rt_j_int(p, "t")) &&
		     cJSON_AddNumberToObject(f->point, "to", (double)rt_j_int(p, "to")) &&
		     cJSON_AddNumberToObject(f->point, "n", 0);
		if (!f->point)
			cJSON_Delete(in);  /* else taken, even when adding it failed */
	} else if (f->point) {
		/* members are deleted and added, never replaced: out of memory,
		 * cJSON 1.7.15's replace leaves the new member nameless */
		cJSON *cp = cJSON_GetObjectItemCaseSensitive(p, "cp");
		const char *s = rt_j_str(cp, "s");
		if (s && strcmp(s, "RUNNING") == 0) {
			cJSON_DeleteItemFromObjectCaseSensitive(f->point, "cp");
			ok = rt_j_add_take(f->point, "cp",
					   cJSON_DetachItemFromObjectCaseSensitive(p, "cp")) == 0;
		}
		if (ok && r->kind == RT_REC_REDRIVE) {
			cJSON_DeleteItemFromObjectCaseSensitive(f->point, "n");
			ok = cJSON_AddNumberToObject(f->point, "n", (double)rt_j_int(p, "n")) != NULL;
		}
	}
	cJSON_Delete(p);
	if (!ok)
		f->oom = 1;
	return ok ? 0 : -1;
}

cJSON *rt_catalog_redrive_point(struct rt_store *st, const char *name)
{
	struct rfold f = { name, NULL, 0 };
	if (st->m->scan(st, RT_SCAN_ALL, redrive_visit, &f) != 0) {
		cJSON_Delete(f.point);
		return NULL;
	}
	return f.point;
}

/* ------------------------------------------------------------ recovery */

/* Pass 1: every name's fate (finished or not, the status it ended with). */
struct fate {
	char *name;
	int finished;
	enum aslrt_status status;
	/* pass 2, unfinished only */
	cJSON *start, *cp, *park, *tasks, *parks;
	int redrive_count;
	int64_t redrive_us;
	long events;
	struct fate *next;             /* in order of first appearance          */
};

struct recovery {
	struct rt_map by_name;
	struct fate *first, *last;
	int oom;
};

static int fate_visit(void *ctx, const struct rt_rec *r)
{
	struct recovery *rc = ctx;
	if (!name_ok(r))
		return 0;
	struct fate *f = rt_map_get(&rc->by_name, r->name, r->nlen);
	if (!f) {
		f = rt_calloc(1, sizeof *f);
		if (!f || !(f->name = name_of(r)) || rt_map_put(&rc->by_name, f->name, f)) {
			if (f)
				rt_free(f->name);
			rt_free(f);
			rc->oom = 1;
			return -1;
		}
		if (rc->last)
			rc->last->next = f;
		else
			rc->first = f;
		rc->last = f;
		f->status = ASLRT_RUNNING;
	}
	if (r->flags & RT_REC_REOPEN) {
		f->finished = 0;
		f->status = ASLRT_RUNNING;
	} else if (r->flags & RT_REC_FINAL) {
		f->finished = 1;
		cJSON *p = payload(r, &rc->oom);
		if (!p && rc->oom)
			return -1;         /* its status would be lost */
		const cJSON *src = r->kind == RT_REC_STEP ? cJSON_GetObjectItemCaseSensitive(p, "cp")
							  : p;
		int st = rt_status_parse(rt_j_str(src, "s"));
		f->status = st > 0 ? (enum aslrt_status)st : ASLRT_FAILED;
		cJSON_Delete(p);
	}
	return 0;
}

static void replace(cJSON **slot, cJSON *v_take)
{
	cJSON_Delete(*slot);
	*slot = v_take;
}

/* Pass 2: the latest state of each unfinished execution. */
static int state_visit(void *ctx, const struct rt_rec *r)
{
	struct recovery *rc = ctx;
	struct fate *f = rt_map_get(&rc->by_name, r->name, r->nlen);
	if (!f || f->finished)
		return 0;
	cJSON *p = payload(r, &rc->oom);
	if (!p)
		return rc->oom ? -1 : 0;   /* never recover without a record */
	switch (r->kind) {
	case RT_REC_START:
		replace(&f->start, p);
		f->events = 1;
		return 0;
	case RT_REC_STEP:
	case RT_REC_REDRIVE: {
		/* "park": the token the step waits for, or an array of them (a
		 * Parallel or Map whose children parked); f->park gets their park
		 * records, an array */
		const cJSON *tokens = r->kind == RT_REC_STEP ? cJSON_GetObjectItemCaseSensitive(p, "park")
							     : NULL;
		cJSON *park = tokens ? cJSON_CreateArray() : NULL;
		for (cJSON *k = f->parks ? f->parks->child : NULL, *next; park && k; k = next) {
			next = k->next;
			const char *t = rt_j_str(k, "token");
			int want = 0;
			if (t && cJSON_IsString(tokens))
				want = strcmp(t, tokens->valuestring) == 0;
			for (const cJSON *e = cJSON_IsArray(tokens) ? tokens->child : NULL; t && e;
			     e = e->next)
				want |= cJSON_IsString(e) && strcmp(t, e->valuestring) == 0;
			if (want)
				cJSON_AddItemToArray(park, cJSON_DetachItemViaPointer(f->parks, k));
		}
		replace(&f->park, park);
		replace(&f->parks, NULL);
		if (!tokens)       /* a parked step runs again: it replays them */
			replace(&f->tasks, NULL);
		replace(&f->cp, cJSON_DetachItemFromObjectCaseSensitive(p, "cp"));
		f->events = (long)rt_j_int(p, "hc");
		if (r->kind == RT_REC_REDRIVE) {
			/* self-contained: the START may be archived by now */
			f->redrive_count = (int)rt_j_int(p, "n");
			f->redrive_us = rt_j_int(p, "t");
			cJSON *start = cJSON_CreateObject();
			cJSON *in = cJSON_DetachItemFromObjectCaseSensitive(p, "input");
			int ok = start && (!in || rt_j_add_take(start, "input", in) == 0) &&
				 cJSON_AddNumberToObject(start, "t", (double)rt_j_int(p, "start")) &&
				 cJSON_AddNumberToObject(start, "to", (double)rt_j_int(p, "to"));
			if (!start)
				cJSON_Delete(in);
			replace(&f->start, ok ? start : NULL);
			if (!ok) {
				cJSON_Delete(start);
				cJSON_Delete(p);
				rc->oom = 1;
				return -1;
			}
		}
		break;
	}
	case RT_REC_PARK:
	case RT_REC_TASK: {
		if (!rt_j_str(p, "key"))
			break;             /* no writer makes one: nothing to replay */
		cJSON **list = r->kind == RT_REC_PARK ? &f->parks : &f->tasks;
		if (!*list)
			*list = cJSON_CreateArray();
		if (*list) {
			cJSON_AddItemToArray(*list, p);
			return 0;
		}
		cJSON_Delete(p);
		rc->oom = 1;               /* a recorded result would be lost */
		return -1;
	}
	default:
		break;
	}
	cJSON_Delete(p);
	return 0;
}

static void fate_free(struct fate *f)
{
	rt_free(f->name);
	cJSON_Delete(f->start);
	cJSON_Delete(f->cp);
	cJSON_Delete(f->park);
	cJSON_Delete(f->parks);
	cJSON_Delete(f->tasks);
	rt_free(f);
}

int rt_catalog_recover(struct rt_store *st, const struct aslrt_machine *m,
		       int (*visit)(void *ctx, const struct rt_recovered *r),
		       int (*finished)(void *ctx, const char *name, enum aslrt_status s), void *ctx)
{
	(void)m;
	struct recovery rc = { 0 };
	int ret = st->m->scan(st, RT_SCAN_ALL, fate_visit, &rc);
	if (ret == 0)
		ret = st->m->scan(st, RT_SCAN_LIVE, state_visit, &rc);
	for (struct fate *f = rc.first; ret == 0 && f; f = f->next) {
		if (f->finished) {
			ret = finished(ctx, f->name, f->status);
		} else if (f->start) {
			struct rt_recovered r = { f->name, f->start, f->cp, f->park, f->tasks,
						  f->redrive_count, f->redrive_us, f->events };
			ret = visit(ctx, &r);
		}
	}
	for (struct fate *f = rc.first, *next; f; f = next) {
		next = f->next;
		fate_free(f);
	}
	rt_map_free(&rc.by_name);
	return rc.oom ? -1 : ret;
}

/* ---------------------------------------------------------- compaction */

struct centry {
	char *name;
	int finished;
};

struct rt_compactor {
	struct rt_map by_name;         /* name -> struct centry                 */
	struct centry **v;
	size_t n, cap;
};

struct rt_compactor *rt_compactor_new(void)
{
	return rt_calloc(1, sizeof(struct rt_compactor));
}

int rt_compactor_prepare(void *ctx, const struct rt_rec *r)
{
	struct rt_compactor *c = ctx;
	if (!name_ok(r))
		return 0;                  /* routed live, as an unknown name */
	struct centry *e = rt_map_get(&c->by_name, r->name, r->nlen);
	if (!e) {
		if (c->n == c->cap) {
			size_t nc = c->cap ? c->cap * 2 : 256;
			struct centry **nv = rt_realloc(c->v, nc * sizeof *nv);
			if (!nv)
				return -1;
			c->v = nv;
			c->cap = nc;
		}
		e = rt_calloc(1, sizeof *e);
		if (!e || !(e->name = name_of(r)) || rt_map_put(&c->by_name, e->name, e)) {
			if (e)
				rt_free(e->name);
			rt_free(e);
			return -1;
		}
		c->v[c->n++] = e;
	}
	if (r->flags & RT_REC_FINAL)
		e->finished = 1;
	else if (r->flags & RT_REC_REOPEN)
		e->finished = 0;
	return 0;
}

enum rt_route rt_compactor_route(void *ctx, const struct rt_rec *r)
{
	struct rt_compactor *c = ctx;
	const struct centry *e = rt_map_get(&c->by_name, r->name, r->nlen);
	return e && e->finished ? RT_ROUTE_ARCHIVE : RT_ROUTE_LIVE;
}

void rt_compactor_free(struct rt_compactor *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		rt_free(c->v[i]->name);
		rt_free(c->v[i]);
	}
	rt_free(c->v);
	rt_map_free(&c->by_name);
	rt_free(c);
}
