/*
 * fn_hof.c - higher-order functions (functions.js): $map, $filter, $single,
 * $reduce, $sift, $each; and $eval, which needs a parser at run time: it
 * works only when the embedder supplies one (aslrt_jn_options.parse), as
 * the test-suite runner does. Step Functions does not support $eval ("use
 * $parse() instead of $eval"), and aslc's generated programs carry no
 * parser, so there it fails with D3120.
 */
#include "fn.h"

#include "rt.h"

#include <string.h>

/* hofFuncArgs: the value, then the index/key and the whole structure if
 * the function takes that many parameters. */
struct jval *jn_hof_call(struct jn_call *k, struct jval *fn, struct jval *a1, struct jval *a2,
			 struct jval *a3)
{
	struct jval *args[3] = { a1, a2, a3 };
	int arity = jn_fn_arity(fn);
	int n = arity >= 3 ? 3 : arity >= 2 ? 2 : 1;
	return jn_apply(k->c, fn, args, n, JV_NULL, k->env, -1);
}

FN(jn_fn_map)
{
	struct jval *a = jn_arg(k, 0), *fn = jn_arg(k, 1);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	struct jarr *r = jnv_seq_new(k->c);
	if (!r)
		return JN_ERR;
	const struct jarr *arr = jnv_arr(a);
	for (size_t i = 0; i < arr->n; i++) {
		struct jval *v = jn_hof_call(k, fn, arr->it[i], jnv_number(k->c, (double)i), a);
		JTRY(v);
		if (v != JV_UNDEF && jnv_arr_push(k->c, r, v))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_filter)
{
	struct jval *a = jn_arg(k, 0), *fn = jn_arg(k, 1);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	struct jarr *r = jnv_seq_new(k->c);
	if (!r)
		return JN_ERR;
	const struct jarr *arr = jnv_arr(a);
	for (size_t i = 0; i < arr->n; i++) {
		struct jval *v = jn_hof_call(k, fn, arr->it[i], jnv_number(k->c, (double)i), a);
		JTRY(v);
		if (jnv_truthy(v) == 1 && jnv_arr_push(k->c, r, arr->it[i]))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_single)
{
	struct jval *a = jn_arg(k, 0), *fn = jn_arg(k, 1);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	const struct jarr *arr = jnv_arr(a);
	struct jval *found = JV_UNDEF;
	int have = 0;
	for (size_t i = 0; i < arr->n; i++) {
		int ok = 1;
		if (fn != JV_UNDEF) {
			struct jval *v = jn_hof_call(k, fn, arr->it[i], jnv_number(k->c, (double)i), a);
			JTRY(v);
			ok = jnv_truthy(v) == 1;
		}
		if (!ok)
			continue;
		if (have) {
			jn_error(k->c, "D3138", -1, JV_UNDEF);
			k->c->err.index = (int)i;
			return JN_ERR;
		}
		found = arr->it[i];
		have = 1;
	}
	if (!have)
		return jn_error(k->c, "D3139", -1, JV_UNDEF);
	return found;
}

FN(jn_fn_reduce)
{
	struct jval *a = jn_arg(k, 0), *fn = jn_arg(k, 1), *init = jn_arg(k, 2);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	int arity = jn_fn_arity(fn);
	if (arity < 2) {
		jn_error(k->c, "D3050", -1, JV_UNDEF);
		k->c->err.index = 1;
		return JN_ERR;
	}
	const struct jarr *arr = jnv_arr(a);
	struct jval *r;
	size_t i;
	if (init == JV_UNDEF && arr->n > 0) {
		r = arr->it[0];
		i = 1;
	} else {
		r = init;
		i = 0;
	}
	for (; i < arr->n; i++) {
		struct jval *args[4] = { r, arr->it[i], jnv_number(k->c, (double)i), a };
		r = jn_apply(k->c, fn, args, arity >= 4 ? 4 : arity >= 3 ? 3 : 2, JV_NULL, k->env, -1);
		JTRY(r);
	}
	return r;
}

FN(jn_fn_sift)
{
	struct jval *o = jn_arg(k, 0), *fn = jn_arg(k, 1);
	if (jnv_type(o) != JT_OBJ)
		return JV_UNDEF;
	struct jobj *r = jnv_obj_new(k->c);
	if (!r)
		return JN_ERR;
	const struct jobj *obj = jnv_obj(o);
	for (size_t i = 0; i < obj->n; i++) {
		struct jval *v = jn_hof_call(k, fn, obj->kv[i].v, &obj->kv[i].k->h, o);
		JTRY(v);
		if (jnv_truthy(v) == 1 && jnv_obj_set(k->c, r, obj->kv[i].k, obj->kv[i].v))
			return JN_ERR;
	}
	return r->n ? &r->h : JV_UNDEF;
}

FN(jn_fn_each)
{
	struct jval *o = jn_arg(k, 0), *fn = jn_arg(k, 1);
	struct jarr *r = jnv_seq_new(k->c);
	if (!r)
		return JN_ERR;
	if (jnv_type(o) != JT_OBJ)
		return &r->h;
	const struct jobj *obj = jnv_obj(o);
	for (size_t i = 0; i < obj->n; i++) {
		struct jval *v = jn_hof_call(k, fn, obj->kv[i].v, &obj->kv[i].k->h, o);
		JTRY(v);
		if (v != JV_UNDEF && jnv_arr_push(k->c, r, v))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_eval)
{
	struct jn_ctx *c = k->c;
	struct jval *src = jn_arg(k, 0), *focus = jn_arg(k, 1);
	if (src == JV_UNDEF)
		return JV_UNDEF;
	if (!c->opt->parse) {
		jn_error(c, "D3120", -1, src);
		c->err.msg = "$eval is not supported: use $parse() to read JSON text";
		return JN_ERR;
	}
	struct jval *input = k->input;
	if (focus != JV_UNDEF) {
		input = focus;
		if (jnv_type(input) == JT_ARR && !(jnv_arr(input)->fl & JA_SEQ)) {
			struct jarr *w = jnv_seq_of(c, input);
			if (!w)
				return JN_ERR;
			w->fl |= JA_OUTER;
			input = &w->h;
		}
	}
	struct aslrt_jn_error perr;
	memset(&perr, 0, sizeof perr);
	const struct aslrt_jn_expr *e = c->opt->parse(jnv_str(src)->s, &perr, c->opt->parse_user);
	if (!e) {
		aslrt_jn_error_clear(&perr);
		return jn_error(c, "D3120", -1, src);
	}
	/* the parsed expression lives until the evaluation ends: values may
	 * point into it */
	if (c->nevals == c->capevals) {
		int cap = c->capevals ? c->capevals * 2 : 4;
		const struct aslrt_jn_expr **v = rt_realloc(c->evals, (size_t)cap * sizeof *v);
		if (!v) {
			if (c->opt->free_parsed)
				c->opt->free_parsed(e, c->opt->parse_user);
			return jn_error(c, "U1002", -1, NULL);
		}
		c->evals = v;
		c->capevals = cap;
	}
	c->evals[c->nevals++] = e;
	struct jval *r = jn_eval(c, e->root, input, k->env);
	if (r == JN_ERR) {
		/* D3121 wraps whatever went wrong inside */
		c->err.set = 0;
		jn_error(c, "D3121", -1, src);
		return JN_ERR;
	}
	return r;
}
