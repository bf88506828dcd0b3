/*
 * fn_aws.c - the functions Step Functions adds to JSONata (AWS developer
 * guide, "Transforming data with JSONata in Step Functions", functions
 * provided by Step Functions): $partition(array, size), $range(start, end,
 * step), $hash(value, algorithm), $uuid() and $parse(json). ($random with a
 * seed is in fn_numeric.c.) Non-integer arguments that must be integers
 * are rounded down. Their failures have codes of this implementation
 * (D3201..D3205), which Step Functions reports as
 * States.QueryEvaluationError like every evaluation error.
 */
#include "fn.h"

#include "rt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static struct jval *fail(struct jn_call *k, const char *code, const char *msg, struct jval *v)
{
	jn_error(k->c, code, -1, v);
	k->c->err.msg = msg;
	return JN_ERR;
}

FN(jn_fn_partition)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	double size = floor(jnv_num(jn_arg(k, 1)));
	if (!(size >= 1))
		return fail(k, "D3201", "The chunk size of $partition must be a positive integer",
			    jn_arg(k, 1));
	const struct jarr *arr = jnv_arr(a);
	struct jarr *r = jnv_arr_new(k->c, 0);
	if (!r)
		return JN_ERR;
	if (size > (double)arr->n)
		size = arr->n ? (double)arr->n : 1;   /* one chunk (and no overflow) */
	for (size_t i = 0; i < arr->n; i += (size_t)size) {
		size_t m = arr->n - i < (size_t)size ? arr->n - i : (size_t)size;
		struct jarr *chunk = jnv_arr_new(k->c, m);
		if (!chunk)
			return JN_ERR;
		memcpy(chunk->it, arr->it + i, m * sizeof *chunk->it);
		chunk->n = m;
		if (jnv_arr_push(k->c, r, &chunk->h))
			return JN_ERR;
	}
	return &r->h;
}

FN(jn_fn_range)
{
	struct jval *sv = jn_arg(k, 0), *ev = jn_arg(k, 1), *stv = jn_arg(k, 2);
	if (sv == JV_UNDEF || ev == JV_UNDEF)
		return JV_UNDEF;
	double start = floor(jnv_num(sv)), end = floor(jnv_num(ev));
	double step = stv == JV_UNDEF ? 1 : floor(jnv_num(stv));
	if (step == 0 || !isfinite(step) || !isfinite(start) || !isfinite(end))
		return fail(k, "D3202", "The step of $range must be a non-zero integer", stv);
	double count = floor((end - start) / step) + 1;
	if (count < 0)
		count = 0;
	if (count > 1e7)
		return jn_error(k->c, "D2014", -1, jnv_number(k->c, count));
	struct jarr *r = jnv_arr_new(k->c, (size_t)count);
	if (!r)
		return JN_ERR;
	for (size_t i = 0; i < (size_t)count; i++)
		r->it[r->n++] = jnv_number(k->c, start + step * (double)i);
	return &r->h;
}

FN(jn_fn_hash)
{
	struct jval *s = jn_arg(k, 0), *alg = jn_arg(k, 1);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const char *name = alg == JV_UNDEF ? "SHA-256" : jnv_str(alg)->s;
	int a = rt_digest_lookup(name);
	if (a < 0)
		return fail(k, "D3203",
			    "The algorithm of $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
			    alg);
	char hex[130];
	if (!rt_digest_hex((enum rt_digest_alg)a, jnv_str(s)->s, jnv_str(s)->len, hex))
		return jn_error(k->c, "U1002", -1, NULL);
	return jnv_cstring(k->c, hex);
}

/* A version 4 UUID from the evaluation's generator. */
FN(jn_fn_uuid)
{
	unsigned char u[16];
	for (int i = 0; i < 16; i += 8) {
		uint64_t x = jn_rand_next(k->c);
		for (int j = 0; j < 8; j++)
			u[i + j] = (unsigned char)(x >> (8 * j));
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	char s[37];
	snprintf(s, sizeof s,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
	return jnv_cstring(k->c, s);
}

FN(jn_fn_parse)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	int bad;
	struct jval *v = jn_parse_json(k->c, jnv_str(s)->s, jnv_str(s)->len, &bad);
	if (bad)
		return fail(k, "D3204", "The argument of $parse is not valid JSON", s);
	return v;
}
