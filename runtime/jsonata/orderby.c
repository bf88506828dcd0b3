/*
 * orderby.c - the order-by operator `^(...)` (jsonata.js
 * evaluateSortExpression): the terms are evaluated on both sides of every
 * comparison of the merge sort; undefined sorts last, numbers compare with
 * numbers and strings with strings (T2008 otherwise, T2007 for a mix),
 * `>` reverses a term.
 */
#include "fn.h"

#include <string.h>

struct term_cmp {
	struct jn_ctx *c;
	const struct aslrt_jn_node *sort;
	struct jframe *env;
	int tuples;
};

/* Evaluate term e for item x (a tuple in tuple mode). */
static struct jval *term_value(struct term_cmp *t, const struct aslrt_jn_node *e, struct jval *x)
{
	struct jframe *env = t->env;
	struct jval *ctx = x;
	if (t->tuples && jnv_type(x) == JT_OBJ) {
		const struct jobj *o = jnv_obj(x);
		if (!(env = jn_frame_new(t->c, t->env)))
			return JN_ERR;
		for (size_t i = 0; i < o->n; i++)
			if (jn_frame_bind(t->c, env, o->kv[i].k->s, o->kv[i].v))
				return JN_ERR;
		ctx = jnv_obj_get(o, "@", 1);
	}
	return jn_eval(t->c, e, ctx, env);
}

/* 1 when a goes after b, 0 when not, -1 on error. */
static int term_gt(void *ctx, struct jval *a, struct jval *b)
{
	struct term_cmp *t = ctx;
	int comp = 0;
	for (int i = 0; comp == 0 && i < t->sort->n; i++) {
		const struct aslrt_jn_node *term = t->sort->kids[i];
		struct jval *aa = term_value(t, term->lhs, a);
		if (aa == JN_ERR)
			return -1;
		struct jval *bb = term_value(t, term->lhs, b);
		if (bb == JN_ERR)
			return -1;
		enum jt at = jnv_type(aa), bt = jnv_type(bb);
		if (at == JT_UNDEF) {
			comp = bt == JT_UNDEF ? 0 : 1;
			continue;
		}
		if (bt == JT_UNDEF) {
			comp = -1;
			continue;
		}
		if ((at != JT_NUM && at != JT_STR) || (bt != JT_NUM && bt != JT_STR)) {
			jn_error(t->c, "T2008", t->sort->pos,
				 (at != JT_NUM && at != JT_STR) ? aa : bb);
			return -1;
		}
		if (at != bt) {
			jn_error(t->c, "T2007", t->sort->pos, aa);
			t->c->err.value2 = bb;
			return -1;
		}
		if (at == JT_NUM) {
			double x = jnv_num(aa), y = jnv_num(bb);
			if (x == y)
				continue;
			comp = x < y ? -1 : 1;
		} else {
			const struct jstr *x = jnv_str(aa), *y = jnv_str(bb);
			size_t n = x->len < y->len ? x->len : y->len;
			int r = memcmp(x->s, y->s, n);
			if (r == 0)
				r = x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
			if (r == 0)
				continue;
			comp = r < 0 ? -1 : 1;
		}
		if (term->flags & ASLRT_JN_DESCENDING)
			comp = -comp;
	}
	return comp == 1;
}

struct jval *jn_sort(struct jn_ctx *c, struct jarr *arr, const struct aslrt_jn_node *sort,
		     struct jframe *env, int tuples)
{
	struct term_cmp t = { c, sort, env, tuples || (arr->fl & JA_TUPLES) };
	return jn_msort(c, arr, term_gt, &t);
}
