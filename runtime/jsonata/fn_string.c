/*
 * fn_string.c - the string functions of JSONata 2.0.6 (functions.js):
 * $string, $substring, $substringBefore, $substringAfter, $lowercase,
 * $uppercase, $length, $trim, $pad, $join. Lengths and offsets count
 * Unicode code points (the reference splits strings with Array.from).
 */
#include "fn.h"

#include <math.h>
#include <string.h>

/* JSON.stringify's replacer in $string calls isNumeric on every number,
 * which rejects infinities (D1001). */
static int check_finite(struct jn_ctx *c, const struct jval *v)
{
	if (jn_stack_check(c))
		return -1;
	switch (jnv_type(v)) {
	case JT_NUM:
		if (isinf(jnv_num(v))) {
			jn_error(c, "D1001", -1, (struct jval *)v);
			return -1;
		}
		return 0;
	case JT_ARR:
		for (size_t i = 0; i < jnv_arr(v)->n; i++)
			if (check_finite(c, jnv_arr(v)->it[i]))
				return -1;
		return 0;
	case JT_OBJ:
		for (size_t i = 0; i < jnv_obj(v)->n; i++)
			if (check_finite(c, jnv_obj(v)->kv[i].v))
				return -1;
		return 0;
	default:
		return 0;
	}
}

struct jval *jn_fn_string(struct jn_ctx *c, struct jval *v, int pretty)
{
	switch (jnv_type(v)) {
	case JT_UNDEF:
		return JV_UNDEF;
	case JT_STR:
		return v;
	case JT_FN:
		return jnv_string_static(c, "", 0);
	case JT_NUM:
		if (!isfinite(jnv_num(v)))
			return jn_error(c, "D3001", -1, v);
		break;
	default:
		break;
	}
	if (jnv_type(v) == JT_ARR && (jnv_arr(v)->fl & JA_OUTER) && jnv_arr(v)->n)
		v = jnv_arr(v)->it[0];
	if (check_finite(c, v))
		return JN_ERR;
	return jn_stringify(c, v, pretty);
}

FN(jn_fn_string_)
{
	struct jval *p = jn_arg(k, 1);
	return jn_fn_string(k->c, jn_arg(k, 0), jnv_type(p) == JT_BOOL && p->b);
}

/* Array.prototype.slice's index rule: ToIntegerOrInfinity, negative counts
 * from the end, clamped to [0, len]. */
static double slice_index(double x, double len)
{
	if (isnan(x))
		x = 0;
	x = trunc(x);
	if (x < 0)
		x = x + len < 0 ? 0 : x + len;
	return x > len ? len : x;
}

FN(jn_fn_substring)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const struct jstr *str = jnv_str(s);
	double len = (double)jn_utf8_len(str->s, str->len);
	double start = jnv_num(jn_arg(k, 1));
	struct jval *lv = jn_arg(k, 2);
	if (len + start < 0)
		start = 0;
	double end = len;
	if (lv != JV_UNDEF) {
		double l = jnv_num(lv);
		if (l <= 0)
			return jnv_string_static(k->c, "", 0);
		end = start >= 0 ? start + l : len + start + l;
		end = slice_index(end, len);
	}
	start = slice_index(start, len);
	if (end <= start)
		return jnv_string_static(k->c, "", 0);
	size_t a = jn_utf8_off(str->s, str->len, (size_t)start);
	size_t b = jn_utf8_off(str->s, str->len, (size_t)end);
	return jnv_string(k->c, str->s + a, b - a);
}

/* The byte offset of needle in hay, or -1. */
static long find(const struct jstr *hay, const struct jstr *needle)
{
	if (needle->len == 0)
		return 0;
	if (needle->len > hay->len)
		return -1;
	for (size_t i = 0; i + needle->len <= hay->len; i++)
		if (!memcmp(hay->s + i, needle->s, needle->len))
			return (long)i;
	return -1;
}

FN(jn_fn_substring_before)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	long p = find(jnv_str(s), jnv_str(jn_arg(k, 1)));
	if (p < 0)
		return s;
	return jnv_string(k->c, jnv_str(s)->s, (size_t)p);
}

FN(jn_fn_substring_after)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const struct jstr *needle = jnv_str(jn_arg(k, 1));
	long p = find(jnv_str(s), needle);
	if (p < 0)
		return s;
	size_t from = (size_t)p + needle->len;
	return jnv_string(k->c, jnv_str(s)->s + from, jnv_str(s)->len - from);
}

/* toLowerCase / toUpperCase for the alphabets with simple one-to-one
 * case pairs: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic. */
static unsigned case_map(unsigned c, int upper)
{
	if (upper) {
		if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
			return c - 32;
		if (c == 0xff)
			return 0x178;
		if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 &&
		    c != 0x149 && c != 0x17f) {
			int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e);
			if (odd_upper ? (c % 2 == 0) : (c % 2 == 1))
				return c - 1;
			return c;
		}
		if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
			return c - 32;
		if (c == 0x3c2)
			return 0x3a3;
		if (c >= 0x430 && c <= 0x44f)
			return c - 32;
		if (c >= 0x450 && c <= 0x45f)
			return c - 80;
		return c;
	}
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7))
		return c + 32;
	if (c == 0x178)
		return 0xff;
	if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 &&
	    c != 0x149 && c != 0x17f) {
		int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e);
		if (odd_upper ? (c % 2 == 1) : (c % 2 == 0))
			return c + 1;
		return c;
	}
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

static struct jval *map_case(struct jn_call *k, int upper)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const struct jstr *str = jnv_str(s);
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < str->len;) {
		unsigned cp;
		i += (size_t)jn_utf8_get(str->s + i, str->len - i, &cp);
		if (upper && cp == 0xdf)
			jnbuf_put(&b, "SS", 2);
		else
			jnbuf_cp(&b, case_map(cp, upper));
	}
	return jnbuf_value(&b);
}

FN(jn_fn_lowercase)
{
	return map_case(k, 0);
}

FN(jn_fn_uppercase)
{
	return map_case(k, 1);
}

FN(jn_fn_length)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	return jnv_number(k->c, (double)jn_utf8_len(jnv_str(s)->s, jnv_str(s)->len));
}

/* Runs of blanks become one space; one leading and one trailing space go. */
FN(jn_fn_trim)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	const struct jstr *str = jnv_str(s);
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < str->len;) {
		char ch = str->s[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			while (i < str->len && (str->s[i] == ' ' || str->s[i] == '\t' ||
						str->s[i] == '\n' || str->s[i] == '\r'))
				i++;
			jnbuf_putc(&b, ' ');
		} else {
			jnbuf_putc(&b, ch);
			i++;
		}
	}
	struct jval *r = jnbuf_value(&b);
	JTRY(r);
	struct jstr *t = jnv_str(r);
	const char *p = t->s;
	size_t n = t->len;
	if (n && p[0] == ' ') {
		p++;
		n--;
	}
	if (n && p[n - 1] == ' ')
		n--;
	return jnv_string(k->c, p, n);
}

FN(jn_fn_pad)
{
	struct jval *s = jn_arg(k, 0);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	double width = jnv_num(jn_arg(k, 1));
	struct jval *cv = jn_arg(k, 2);
	const char *ch = " ";
	size_t chlen = 1;
	if (cv != JV_UNDEF && jnv_str(cv)->len > 0) {
		ch = jnv_str(cv)->s;
		chlen = jnv_str(cv)->len;
	}
	const struct jstr *str = jnv_str(s);
	double padlen = floor(fabs(width)) - (double)jn_utf8_len(str->s, str->len);
	if (!(padlen > 0))   /* NaN too */
		return s;
	if (padlen > 1e7)
		return jn_error(k->c, "U1002", -1, NULL);
	/* the pad characters repeated, cut to padlen code points */
	struct jbuf pad;
	jnbuf_init(&pad, k->c);
	size_t chcp = jn_utf8_len(ch, chlen);
	size_t need = (size_t)padlen;
	while (need >= chcp) {
		jnbuf_put(&pad, ch, chlen);
		need -= chcp;
	}
	if (need)
		jnbuf_put(&pad, ch, jn_utf8_off(ch, chlen, need));
	struct jbuf b;
	jnbuf_init(&b, k->c);
	if (width > 0) {
		jnbuf_put(&b, str->s, str->len);
		jnbuf_put(&b, pad.p, pad.len);
	} else {
		jnbuf_put(&b, pad.p, pad.len);
		jnbuf_put(&b, str->s, str->len);
	}
	if (pad.err)
		return JN_ERR;
	return jnbuf_value(&b);
}

FN(jn_fn_join)
{
	struct jval *a = jn_arg(k, 0);
	if (a == JV_UNDEF)
		return JV_UNDEF;
	struct jval *sep = jn_arg(k, 1);
	struct jbuf b;
	jnbuf_init(&b, k->c);
	for (size_t i = 0; i < jnv_arr(a)->n; i++) {
		if (i && sep != JV_UNDEF)
			jnbuf_put(&b, jnv_str(sep)->s, jnv_str(sep)->len);
		struct jval *x = jnv_arr(a)->it[i];
		jnbuf_put(&b, jnv_str(x)->s, jnv_str(x)->len);
	}
	return jnbuf_value(&b);
}
