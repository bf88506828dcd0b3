/*
 * eval_ops.c - JSONata's operators (jsonata.js evaluateBinary and
 * evaluateUnary '-'): arithmetic, = and != (deep equality), ordering
 * comparisons, and/or (short-circuit), & (string concatenation with
 * $string), the range .. and `in`. Type errors carry the operator as token
 * and its position: T2001/T2002 (arithmetic operand), T2003/T2004 (range
 * bound), T2009/T2010 (comparison), D1001 (infinite number), D1002
 * (negating a non-number), D2014 (range too large).
 */
#include "jn.h"

#include <math.h>
#include <string.h>

struct jval *jn_fn_string(struct jn_ctx *c, struct jval *v, int pretty);

static const char *op_text(enum aslrt_jn_op op)
{
	switch (op) {
	case ASLRT_JN_OP_ADD: return "+";
	case ASLRT_JN_OP_SUB: return "-";
	case ASLRT_JN_OP_MUL: return "*";
	case ASLRT_JN_OP_DIV: return "/";
	case ASLRT_JN_OP_MOD: return "%";
	case ASLRT_JN_OP_EQ: return "=";
	case ASLRT_JN_OP_NE: return "!=";
	case ASLRT_JN_OP_LT: return "<";
	case ASLRT_JN_OP_LE: return "<=";
	case ASLRT_JN_OP_GT: return ">";
	case ASLRT_JN_OP_GE: return ">=";
	case ASLRT_JN_OP_CONCAT: return "&";
	case ASLRT_JN_OP_AND: return "and";
	case ASLRT_JN_OP_OR: return "or";
	case ASLRT_JN_OP_IN: return "in";
	case ASLRT_JN_OP_RANGE: return "..";
	default: return "?";
	}
}

/* Give an error raised by an operator its position and token. */
static struct jval *locate(struct jn_ctx *c, const struct aslrt_jn_node *e)
{
	c->err.pos = e->pos;
	c->err.token = op_text(e->op);
	return JN_ERR;
}

static struct jval *numeric(struct jn_ctx *c, enum aslrt_jn_op op, struct jval *l,
			    struct jval *r)
{
	int ln = l == JV_UNDEF ? 1 : jn_is_numeric(c, l);
	if (ln < 0)
		return JN_ERR;
	if (!ln)
		return jn_error(c, "T2001", -1, l);
	int rn = r == JV_UNDEF ? 1 : jn_is_numeric(c, r);
	if (rn < 0)
		return JN_ERR;
	if (!rn)
		return jn_error(c, "T2002", -1, r);
	if (l == JV_UNDEF || r == JV_UNDEF)
		return JV_UNDEF;
	double a = jnv_num(l), b = jnv_num(r), x;
	switch (op) {
	case ASLRT_JN_OP_ADD: x = a + b; break;
	case ASLRT_JN_OP_SUB: x = a - b; break;
	case ASLRT_JN_OP_MUL: x = a * b; break;
	case ASLRT_JN_OP_DIV: x = a / b; break;
	default: x = fmod(a, b); break;
	}
	return jnv_number(c, x);
}

/* evaluateComparisonExpression: strings with strings, numbers with
 * numbers; undefined compares to nothing. */
static struct jval *compare(struct jn_ctx *c, enum aslrt_jn_op op, struct jval *l,
			    struct jval *r)
{
	enum jt lt = jnv_type(l), rt = jnv_type(r);
	int lc = lt == JT_UNDEF || lt == JT_STR || lt == JT_NUM;
	int rc = rt == JT_UNDEF || rt == JT_STR || rt == JT_NUM;
	if (!lc || !rc)
		return jn_error(c, "T2010", -1, (lt == JT_STR || lt == JT_NUM) ? r : l);
	if (lt == JT_UNDEF || rt == JT_UNDEF)
		return JV_UNDEF;
	if (lt != rt) {
		jn_error(c, "T2009", -1, l);
		c->err.value2 = r;
		return JN_ERR;
	}
	int cmp;
	if (lt == JT_NUM) {
		double a = jnv_num(l), b = jnv_num(r);
		if (isnan(a) || isnan(b))
			return JV_FALSE;
		cmp = a < b ? -1 : a > b ? 1 : 0;
	} else {
		const struct jstr *a = jnv_str(l), *b = jnv_str(r);
		size_t n = a->len < b->len ? a->len : b->len;
		cmp = memcmp(a->s, b->s, n);
		if (cmp == 0)
			cmp = a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
	}
	switch (op) {
	case ASLRT_JN_OP_LT: return jnv_bool(cmp < 0);
	case ASLRT_JN_OP_LE: return jnv_bool(cmp <= 0);
	case ASLRT_JN_OP_GT: return jnv_bool(cmp > 0);
	default: return jnv_bool(cmp >= 0);
	}
}

/* JavaScript's === on two values. */
static int strict_equal(const struct jval *a, const struct jval *b)
{
	enum jt ta = jnv_type(a), tb = jnv_type(b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case JT_NUM: return jnv_num(a) == jnv_num(b);
	case JT_STR: return jnv_deep_equal(a, b);
	case JT_BOOL: return a->b == b->b;
	case JT_NULL: return 1;
	default: return a == b;
	}
}

static struct jval *range(struct jn_ctx *c, struct jval *l, struct jval *r)
{
	if (l != JV_UNDEF && (jnv_type(l) != JT_NUM || jnv_num(l) != floor(jnv_num(l)) ||
			      !isfinite(jnv_num(l))))
		return jn_error(c, "T2003", -1, l);
	if (r != JV_UNDEF && (jnv_type(r) != JT_NUM || jnv_num(r) != floor(jnv_num(r)) ||
			      !isfinite(jnv_num(r))))
		return jn_error(c, "T2004", -1, r);
	if (l == JV_UNDEF || r == JV_UNDEF)
		return JV_UNDEF;
	double lo = jnv_num(l), hi = jnv_num(r);
	if (lo > hi)
		return JV_UNDEF;
	double size = hi - lo + 1;
	if (size > 1e7)
		return jn_error(c, "D2014", -1, jnv_number(c, size));
	struct jarr *a = jnv_arr_new(c, (size_t)size);
	if (!a)
		return JN_ERR;
	a->fl = JA_SEQ;
	for (size_t i = 0; i < (size_t)size; i++)
		a->it[i] = jnv_number(c, lo + (double)i);
	a->n = (size_t)size;
	return &a->h;
}

struct jval *jn_eval_binary(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env)
{
	struct jval *l = jn_eval(c, e->lhs, input, env);
	JTRY(l);
	if (e->op == ASLRT_JN_OP_AND || e->op == ASLRT_JN_OP_OR) {
		int lb = jnv_truthy(l) == 1;
		if (e->op == ASLRT_JN_OP_AND ? !lb : lb)
			return jnv_bool(lb);
		struct jval *r = jn_eval(c, e->rhs, input, env);
		JTRY(r);
		return jnv_bool(jnv_truthy(r) == 1);
	}
	struct jval *r = jn_eval(c, e->rhs, input, env);
	JTRY(r);
	struct jval *res;
	switch (e->op) {
	case ASLRT_JN_OP_ADD: case ASLRT_JN_OP_SUB: case ASLRT_JN_OP_MUL:
	case ASLRT_JN_OP_DIV: case ASLRT_JN_OP_MOD:
		res = numeric(c, e->op, l, r);
		break;
	case ASLRT_JN_OP_EQ:
	case ASLRT_JN_OP_NE:
		if (l == JV_UNDEF || r == JV_UNDEF)
			return JV_FALSE;
		return jnv_bool(jnv_deep_equal(l, r) == (e->op == ASLRT_JN_OP_EQ));
	case ASLRT_JN_OP_LT: case ASLRT_JN_OP_LE: case ASLRT_JN_OP_GT: case ASLRT_JN_OP_GE:
		res = compare(c, e->op, l, r);
		break;
	case ASLRT_JN_OP_CONCAT: {
		struct jval *ls = l == JV_UNDEF ? JV_UNDEF : jn_fn_string(c, l, 0);
		if (ls == JN_ERR)
			return locate(c, e);
		struct jval *rs = r == JV_UNDEF ? JV_UNDEF : jn_fn_string(c, r, 0);
		if (rs == JN_ERR)
			return locate(c, e);
		struct jbuf b;
		jnbuf_init(&b, c);
		if (ls != JV_UNDEF)
			jnbuf_put(&b, jnv_str(ls)->s, jnv_str(ls)->len);
		if (rs != JV_UNDEF)
			jnbuf_put(&b, jnv_str(rs)->s, jnv_str(rs)->len);
		return jnbuf_value(&b);
	}
	case ASLRT_JN_OP_RANGE:
		res = range(c, l, r);
		break;
	case ASLRT_JN_OP_IN: {
		if (l == JV_UNDEF || r == JV_UNDEF)
			return JV_FALSE;
		if (jnv_type(r) != JT_ARR)
			return jnv_bool(strict_equal(l, r));
		const struct jarr *a = jnv_arr(r);
		for (size_t i = 0; i < a->n; i++)
			if (strict_equal(a->it[i], l))
				return JV_TRUE;
		return JV_FALSE;
	}
	default:
		return JV_UNDEF;
	}
	if (res == JN_ERR)
		return locate(c, e);
	return res;
}

struct jval *jn_eval_negate(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env)
{
	struct jval *v = jn_eval(c, e->lhs, input, env);
	JTRY(v);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	int n = jn_is_numeric(c, v);
	if (n < 0)
		return JN_ERR;
	if (!n)
		return jn_error_tok(c, "D1002", e->pos, "-", v);
	return jnv_number(c, -jnv_num(v));
}
