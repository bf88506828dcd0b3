/*
 * fn_numeric.c - $number, $floor, $ceil, $round (half to even, with the
 * reference's decimal shifting through the number's text), $abs, $sqrt,
 * $power, $random and $formatBase (functions.js).
 */
#include "fn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FN(jn_fn_number)
{
	struct jval *v = jn_arg(k, 0);
	switch (jnv_type(v)) {
	case JT_UNDEF:
		return JV_UNDEF;
	case JT_NUM:
		return v;
	case JT_BOOL:
		return jnv_number(k->c, v->b ? 1 : 0);
	case JT_STR: {
		const struct jstr *s = jnv_str(v);
		double d;
		if (jn_num_parse(s->s, s->len, &d) == 0)
			return jnv_number(k->c, d);
		/* 0x.., 0o.., 0b.. (Number() of a prefixed literal) */
		if (s->len > 2 && s->s[0] == '0') {
			int base = 0;
			char p = (char)(s->s[1] | 0x20);
			base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
			if (base) {
				double r = 0;
				size_t i = 2;
				for (; i < s->len; i++) {
					int ch = s->s[i], dv;
					if (ch >= '0' && ch <= '9')
						dv = ch - '0';
					else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
						dv = (ch | 0x20) - 'a' + 10;
					else
						break;
					if (dv >= base)
						break;
					r = r * base + dv;
				}
				if (i == s->len)
					return jnv_number(k->c, r);
			}
		}
		break;
	}
	default:
		break;
	}
	jn_error(k->c, "D3030", -1, v);
	k->c->err.index = 1;
	return JN_ERR;
}

FN(jn_fn_floor)
{
	struct jval *v = jn_arg(k, 0);
	return v == JV_UNDEF ? JV_UNDEF : jnv_number(k->c, floor(jnv_num(v)));
}

FN(jn_fn_ceil)
{
	struct jval *v = jn_arg(k, 0);
	return v == JV_UNDEF ? JV_UNDEF : jnv_number(k->c, ceil(jnv_num(v)));
}

FN(jn_fn_abs)
{
	struct jval *v = jn_arg(k, 0);
	return v == JV_UNDEF ? JV_UNDEF : jnv_number(k->c, fabs(jnv_num(v)));
}

/* Math.round: half-way cases go up (towards +Infinity). */
static double js_round(double x)
{
	if (!isfinite(x))
		return x;
	double r = floor(x);
	if (x - r >= 0.5)
		r += 1;
	return r;
}

/* +(mantissa + 'e' + (exponent + shift)) on the JS text of x. */
static double shift(double x, double by)
{
	char s[40], t[64];
	jn_num_to_str(x, s);
	char *e = strchr(s, 'e');
	double ex = by;
	if (e) {
		*e = '\0';
		ex += atof(e + 1);
	}
	snprintf(t, sizeof t, "%se%.0f", s, ex);
	return strtod(t, NULL);
}

double jn_round_half_even(double arg, double precision)
{
	if (precision != 0)
		arg = shift(arg, precision);
	double r = js_round(arg);
	double diff = r - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(r, 2)) == 1)
		r -= 1;
	if (precision != 0)
		r = shift(r, -precision);
	if (r == 0)
		r = 0;   /* no -0 */
	return r;
}

FN(jn_fn_round)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	struct jval *p = jn_arg(k, 1);
	double prec = p == JV_UNDEF ? 0 : jnv_num(p);
	return jnv_number(k->c, jn_round_half_even(jnv_num(v), prec));
}

FN(jn_fn_sqrt)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	if (jnv_num(v) < 0) {
		jn_error(k->c, "D3060", -1, v);
		k->c->err.index = 1;
		return JN_ERR;
	}
	return jnv_number(k->c, sqrt(jnv_num(v)));
}

FN(jn_fn_power)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	double r = pow(jnv_num(v), jnv_num(jn_arg(k, 1)));
	if (!isfinite(r)) {
		jn_error(k->c, "D3061", -1, v);
		k->c->err.index = 1;
		return JN_ERR;
	}
	return jnv_number(k->c, r);
}

/* $random() in [0, 1); Step Functions adds an optional seed: the same seed
 * gives the same number (AWS, "Functions provided by Step Functions":
 * $random(seed)). A non-integer seed is rounded down. */
FN(jn_fn_random)
{
	struct jval *seed = jn_arg(k, 0);
	if (seed == JV_UNDEF)
		return jnv_number(k->c, jn_rand_double(k->c));
	struct jn_ctx tmp;
	memset(&tmp, 0, sizeof tmp);
	jn_rand_seed(&tmp, (uint64_t)(int64_t)floor(jnv_num(seed)));
	return jnv_number(k->c, jn_rand_double(&tmp));
}

FN(jn_fn_format_base)
{
	struct jval *v = jn_arg(k, 0);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	double x = jn_round_half_even(jnv_num(v), 0);
	struct jval *rv = jn_arg(k, 1);
	double radix = rv == JV_UNDEF ? 10 : jn_round_half_even(jnv_num(rv), 0);
	if (!(radix >= 2 && radix <= 36)) {
		jn_error(k->c, "D3100", -1, rv);
		return JN_ERR;
	}
	char buf[1100];
	if (!isfinite(x)) {
		char t[40];
		return jnv_cstring(k->c, jn_num_to_str(x, t));
	}
	int neg = x < 0;
	x = fabs(x);
	int n = 0;
	do {
		double d = fmod(x, radix);
		buf[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)d];
		x = floor(x / radix);
	} while (x > 0 && n < (int)sizeof buf - 2);
	if (neg)
		buf[n++] = '-';
	for (int i = 0; i < n / 2; i++) {
		char t = buf[i];
		buf[i] = buf[n - 1 - i];
		buf[n - 1 - i] = t;
	}
	return jnv_string(k->c, buf, (size_t)n);
}
