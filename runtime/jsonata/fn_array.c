/*
 * fn_array.c - array and object functions (functions.js): $append,
 * $reverse, $shuffle, $distinct, $zip, $sort (the reference's stable merge
 * sort), $keys, $lookup, $spread, $merge, $clone.
 */
#include "fn.h"

#include <math.h>
#include <string.h>

struct jval *jn_lookup(struct jn_ctx *c, struct jval *input, const char *key, size_t len);

FN(jn_fn_append)
{
	return jnv_append(k->c, jn_arg(k, 0), jn_arg(k, 1));
}

FN(jn_fn_reverse)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF || jnv_arr(a)->n <= 1)
		return a;
	size_t n = jnv_arr(a)->n;
	struct jarr *r = jnv_arr_new(k->c, n);
	if (!r)
		return JN_ERR;
	for (size_t i = 0; i < n; i++)
		r->it[i] = jnv_arr(a)->it[n - 1 - i];
	r->n = n;
	return &r->h;
}

/* The 'inside-out' Fisher-Yates shuffle of the reference. */
FN(jn_fn_shuffle)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF || jnv_arr(a)->n <= 1)
		return a;
	size_t n = jnv_arr(a)->n;
	struct jarr *r = jnv_arr_new(k->c, n);
	if (!r)
		return JN_ERR;
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)floor(jn_rand_double(k->c) * (double)(i + 1));
		if (i != j)
			r->it[i] = r->it[j];
		r->it[j] = jnv_arr(a)->it[i];
	}
	return &r->h;
}

FN(jn_fn_distinct)
{
	struct jval *a = jn_arg(k, 0);
	if (jnv_type(a) != JT_ARR || jnv_arr(a)->n <= 1)
		return a;
	struct jarr *r = (jnv_arr(a)->fl & JA_SEQ) ? jnv_seq_new(k->c) : jnv_arr_new(k->c, 0);
	if (!r)
		return JN_ERR;
	for (size_t i = 0; i < jnv_arr(a)->n; i++) {
		struct jval *v = jnv_arr(a)->it[i];
		int dup = 0;
		for (size_t j = 0; j < r->n && !dup; j++)
			dup = jnv_deep_equal(v, r->it[j]);
		if (!dup && jnv_arr_push(k->c, r, v))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_zip)
{
	size_t len = (size_t)-1;
	for (int i = 0; i < k->nargs; i++) {
		struct jval *a = k->args[i];
		size_t n = jnv_type(a) == JT_ARR ? jnv_arr(a)->n : 0;
		if (n < len)
			len = n;
	}
	if (k->nargs == 0)
		len = 0;
	struct jarr *r = jnv_arr_new(k->c, len);
	if (!r)
		return JN_ERR;
	for (size_t i = 0; i < len; i++) {
		struct jarr *t = jnv_arr_new(k->c, (size_t)k->nargs);
		if (!t)
			return JN_ERR;
		for (int j = 0; j < k->nargs; j++)
			t->it[t->n++] = jnv_arr(k->args[j])->it[i];
		r->it[r->n++] = &t->h;
	}
	return &r->h;
}

/* ------------------------------------------------------------ sorting */

struct sorter {
	struct jn_ctx *c;
	int (*cmp)(void *ctx, struct jval *a, struct jval *b);
	void *ctx;
	int err;
};

/* msort of the reference: split at floor(n/2), sort each half, merge
 * taking from the right only when the comparator says left > right. */
static struct jval **msort(struct sorter *s, struct jval **a, size_t n)
{
	if (n <= 1 || s->err)
		return a;
	size_t mid = n / 2;
	struct jval **l = msort(s, a, mid);
	struct jval **r = msort(s, a + mid, n - mid);
	if (s->err)
		return a;
	struct jval **out = jn_alloc(s->c, n * sizeof *out);
	if (!out) {
		s->err = 1;
		return a;
	}
	size_t i = 0, j = 0, o = 0;
	while (i < mid && j < n - mid) {
		int gt = s->cmp(s->ctx, l[i], r[j]);
		if (gt < 0) {
			s->err = 1;
			return a;
		}
		out[o++] = gt ? r[j++] : l[i++];
	}
	while (i < mid)
		out[o++] = l[i++];
	while (j < n - mid)
		out[o++] = r[j++];
	return out;
}

struct jval *jn_msort(struct jn_ctx *c, struct jarr *arr,
		      int (*cmp)(void *ctx, struct jval *a, struct jval *b), void *ctx)
{
	if (arr->n <= 1)
		return &arr->h;
	struct sorter s = { c, cmp, ctx, 0 };
	struct jval **copy = jn_alloc(c, arr->n * sizeof *copy);
	if (!copy)
		return JN_ERR;
	memcpy(copy, arr->it, arr->n * sizeof *copy);
	struct jval **res = msort(&s, copy, arr->n);
	if (s.err)
		return JN_ERR;
	struct jarr *r = jnv_arr_new(c, 0);
	if (!r)
		return JN_ERR;
	r->it = res;
	r->n = r->cap = arr->n;
	return &r->h;
}

/* The default comparator: a > b for numbers or strings. */
static int default_gt(void *ctx, struct jval *a, struct jval *b)
{
	(void)ctx;
	if (jnv_type(a) == JT_NUM)
		return jnv_num(a) > jnv_num(b);
	const struct jstr *x = jnv_str(a), *y = jnv_str(b);
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->s, y->s, n);
	return r > 0 || (r == 0 && x->len > y->len);
}

/* JavaScript truthiness of a comparator's result. */
static int js_truthy(const struct jval *v)
{
	switch (jnv_type(v)) {
	case JT_UNDEF:
	case JT_NULL:
		return 0;
	case JT_BOOL:
		return v->b;
	case JT_NUM:
		return jnv_num(v) != 0 && !isnan(jnv_num(v));
	case JT_STR:
		return jnv_str(v)->len > 0;
	default:
		return 1;
	}
}

struct fn_cmp {
	struct jn_call *k;
	struct jval *fn;
};

static int fn_gt(void *ctx, struct jval *a, struct jval *b)
{
	struct fn_cmp *f = ctx;
	struct jval *args[2] = { a, b };
	struct jval *r = jn_apply(f->k->c, f->fn, args, 2, JV_NULL, f->k->env, -1);
	if (r == JN_ERR)
		return -1;
	return js_truthy(r);
}

FN(jn_fn_sort)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF || jnv_arr(a)->n <= 1)
		return a;
	struct jval *fn = jn_arg(k, 1);
	if (fn == JV_UNDEF) {
		int nums = jn_is_array_of_numbers(k->c, a);
		if (nums < 0)
			return JN_ERR;
		if (!nums && !jnv_is_array_of_strings(a)) {
			jn_error(k->c, "D3070", -1, JV_UNDEF);
			k->c->err.index = 1;
			return JN_ERR;
		}
		return jn_msort(k->c, jnv_arr(a), default_gt, NULL);
	}
	struct fn_cmp f = { k, fn };
	return jn_msort(k->c, jnv_arr(a), fn_gt, &f);
}

/* ----------------------------------------------------------- objects */

static int keys_into(struct jn_ctx *c, struct jobj *seen, struct jarr *out, struct jval *v)
{
	if (jn_stack_check(c))
		return -1;
	if (jnv_type(v) == JT_ARR) {
		for (size_t i = 0; i < jnv_arr(v)->n; i++)
			if (keys_into(c, seen, out, jnv_arr(v)->it[i]))
				return -1;
		return 0;
	}
	if (jnv_type(v) != JT_OBJ)
		return 0;
	const struct jobj *o = jnv_obj(v);
	for (size_t i = 0; i < o->n; i++) {
		struct jstr *key = o->kv[i].k;
		if (jnv_obj_has(seen, key->s, key->len))
			continue;
		if (jnv_obj_set(c, seen, key, JV_TRUE) || jnv_arr_push(c, out, &key->h))
			return -1;
	}
	return 0;
}

FN(jn_fn_keys)
{
	struct jobj *seen = jnv_obj_new(k->c);
	struct jarr *r = jnv_seq_new(k->c);
	if (!seen || !r || keys_into(k->c, seen, r, jn_arg(k, 0)))
		return JN_ERR;
	return &r->h;
}

FN(jn_fn_lookup)
{
	struct jval *key = jn_arg(k, 1);
	return jn_lookup(k->c, jn_arg(k, 0), jnv_str(key)->s, jnv_str(key)->len);
}

static struct jval *spread(struct jn_ctx *c, struct jval *v)
{
	if (jn_stack_check(c))
		return JN_ERR;
	if (jnv_type(v) == JT_ARR) {
		struct jval *r;
		struct jarr *s = jnv_seq_new(c);
		if (!s)
			return JN_ERR;
		r = &s->h;
		for (size_t i = 0; i < jnv_arr(v)->n; i++) {
			struct jval *x = spread(c, jnv_arr(v)->it[i]);
			JTRY(x);
			r = jnv_append(c, r, x);
			JTRY(r);
		}
		return r;
	}
	if (jnv_type(v) != JT_OBJ)
		return v;
	struct jarr *r = jnv_seq_new(c);
	if (!r)
		return JN_ERR;
	const struct jobj *o = jnv_obj(v);
	for (size_t i = 0; i < o->n; i++) {
		struct jobj *one = jnv_obj_new(c);
		if (!one || jnv_obj_set(c, one, o->kv[i].k, o->kv[i].v) ||
		    jnv_arr_push(c, r, &one->h))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_spread)
{
	return spread(k->c, jn_arg(k, 0));
}

FN(jn_fn_merge)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	struct jobj *r = jnv_obj_new(k->c);
	if (!r)
		return JN_ERR;
	for (size_t i = 0; i < jnv_arr(a)->n; i++) {
		const struct jobj *o = jnv_obj(jnv_arr(a)->it[i]);
		for (size_t j = 0; j < o->n; j++)
			if (jnv_obj_set(k->c, r, o->kv[j].k, o->kv[j].v))
				return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_clone)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	return jn_json_clone(k->c, v);
}
