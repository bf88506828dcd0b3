/*
 * fn_aggregate.c - $sum, $count, $max, $min, $average (functions.js). The
 * signatures (<a<n>:n>, <a:n>) have already made the argument an array of
 * numbers.
 */
#include "fn.h"

#include <math.h>

FN(jn_fn_sum)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	double t = 0;
	for (size_t i = 0; i < jnv_arr(a)->n; i++)
		t += jnv_num(jnv_arr(a)->it[i]);
	return jnv_number(k->c, t);
}

FN(jn_fn_count)
{
	struct jval *a = jn_arg(k, 0);
	return jnv_number(k->c, a == JV_UNDEF ? 0 : (double)jnv_arr(a)->n);
}

static struct jval *extreme(struct jn_call *k, int max)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF || jnv_arr(a)->n == 0)
		return JV_UNDEF;
	double m = max ? -INFINITY : INFINITY;
	for (size_t i = 0; i < jnv_arr(a)->n; i++) {
		double x = jnv_num(jnv_arr(a)->it[i]);
		if (isnan(x))
			return jnv_number(k->c, NAN);
		if (max ? x > m : x < m)
			m = x;
	}
	return jnv_number(k->c, m);
}

FN(jn_fn_max)
{
	return extreme(k, 1);
}

FN(jn_fn_min)
{
	return extreme(k, 0);
}

FN(jn_fn_average)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF || jnv_arr(a)->n == 0)
		return JV_UNDEF;
	double t = 0;
	for (size_t i = 0; i < jnv_arr(a)->n; i++)
		t += jnv_num(jnv_arr(a)->it[i]);
	return jnv_number(k->c, t / (double)jnv_arr(a)->n);
}
