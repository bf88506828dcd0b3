/*
 * fn_logic.c - $boolean, $not, $exists, $type, $error, $assert
 * (functions.js).
 */
#include "fn.h"

#include <math.h>

FN(jn_fn_boolean)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	return jnv_bool(jnv_truthy(v) == 1);
}

FN(jn_fn_not)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	return jnv_bool(jnv_truthy(v) != 1);
}

FN(jn_fn_exists)
{
	return jnv_bool(jn_arg(k, 0) != JV_UNDEF);
}

FN(jn_fn_type)
{
	struct jval *v = jn_arg(k, 0);
	const char *t;
	switch (jnv_type(v)) {
	case JT_UNDEF:
		return JV_UNDEF;
	case JT_NULL: t = "null"; break;
	case JT_NUM:
		if (isnan(jnv_num(v)))
			return jnv_cstring(k->c, "object");
		if (isinf(jnv_num(v)))
			return jn_error(k->c, "D1001", -1, v);
		t = "number";
		break;
	case JT_STR: t = "string"; break;
	case JT_BOOL: t = "boolean"; break;
	case JT_ARR: t = "array"; break;
	case JT_FN: t = "function"; break;
	default: t = "object"; break;
	}
	return jnv_cstring(k->c, t);
}

/* The text of a message argument (a string by signature), as a C string
 * in the arena. */
static const char *message(struct jn_call *k, int i, const char *dflt)
{
	struct jval *m = jn_arg(k, i);
	if (jnv_type(m) != JT_STR || jnv_str(m)->len == 0)
		return dflt;
	return jnv_str(m)->s;
}

FN(jn_fn_error)
{
	const char *msg = message(k, 0, "$error() function evaluated");
	jn_error(k->c, "D3137", -1, JV_UNDEF);
	k->c->err.msg = msg;
	return JN_ERR;
}

FN(jn_fn_assert)
{
	struct jval *cond = jn_arg(k, 0);
	/* if (!condition) in the reference: undefined fails too */
	if (cond == JV_UNDEF || (jnv_type(cond) == JT_BOOL && !cond->b)) {
		const char *msg = message(k, 1, "$assert() statement failed");
		jn_error(k->c, "D3141", -1, JV_UNDEF);
		k->c->err.msg = msg;
		return JN_ERR;
	}
	return JV_UNDEF;
}
