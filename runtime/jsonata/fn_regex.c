/*
 * fn_regex.c - regular expressions as functions, and the functions that
 * take a "matcher" (jsonata.js evaluateRegex; functions.js $match,
 * $contains, $replace, $split, evaluateMatcher).
 *
 * A regex value, called with (str, fromIndex), returns a match object
 * {match, start, end, groups, next}; next() continues from the end of the
 * match and fails with D1004 on an empty match (it would never progress).
 * The matcher functions accept any function returning that structure
 * (T1010 otherwise), so user-written matchers work too. Indices count code
 * points.
 */
#include "fn.h"

#include <math.h>
#include <string.h>

static size_t cp_index(const char *s, size_t byte)
{
	return jn_utf8_len(s, byte);
}

/* A match object for the match at caps (byte offsets) in str. */
static struct jval *match_object(struct jn_ctx *c, const struct aslrt_jn_regex *re,
				 const struct jstr *str, const long *caps)
{
	struct jobj *o = jnv_obj_new(c);
	struct jarr *groups = jnv_arr_new(c, (size_t)re->ngroups);
	struct jfn *next = jnv_fn_new(c, JFK_REGEX_NEXT);
	if (!o || !groups || !next)
		return JN_ERR;
	for (int g = 1; g <= re->ngroups; g++) {
		struct jval *v = JV_UNDEF;
		if (caps[2 * g] >= 0) {
			v = jnv_string(c, str->s + caps[2 * g], (size_t)(caps[2 * g + 1] - caps[2 * g]));
			JTRY(v);
		}
		groups->it[groups->n++] = v;
	}
	struct jval *m = jnv_string(c, str->s + caps[0], (size_t)(caps[1] - caps[0]));
	JTRY(m);
	next->re = re;
	next->str = str;
	next->last = (size_t)caps[1];
	if (jnv_obj_setc(c, o, "match", m) ||
	    jnv_obj_setc(c, o, "start", jnv_number(c, (double)cp_index(str->s, (size_t)caps[0]))) ||
	    jnv_obj_setc(c, o, "end", jnv_number(c, (double)cp_index(str->s, (size_t)caps[1]))) ||
	    jnv_obj_setc(c, o, "groups", &groups->h) || jnv_obj_setc(c, o, "next", &next->h))
		return JN_ERR;
	return &o->h;
}

static struct jval *exec_from(struct jn_ctx *c, const struct aslrt_jn_regex *re,
			      const struct jstr *str, size_t from)
{
	if (from > str->len)
		return JV_UNDEF;
	long capbuf[32];
	long *caps = capbuf;
	if (2 * (re->ngroups + 1) > 32) {
		caps = jn_alloc(c, (size_t)(2 * (re->ngroups + 1)) * sizeof *caps);
		if (!caps)
			return JN_ERR;
	}
	int r = jn_regex_exec(re, str->s, str->len, from, caps);
	if (r < 0) {
		jn_error(c, "U1001", -1, NULL);
		c->err.msg = "Regular expression evaluation exceeded its step budget";
		return JN_ERR;
	}
	if (r == 0)
		return JV_UNDEF;
	return match_object(c, re, str, caps);
}

struct jval *jn_regex_call(struct jn_ctx *c, struct jfn *f, struct jval **args, int n)
{
	struct jval *s = n > 0 ? args[0] : JV_UNDEF;
	if (jnv_type(s) != JT_STR)
		return JV_UNDEF;
	const struct jstr *str = jnv_str(s);
	size_t from = 0;
	if (n > 1 && jnv_type(args[1]) == JT_NUM && jnv_num(args[1]) > 0)
		from = jn_utf8_off(str->s, str->len, (size_t)jnv_num(args[1]));
	return exec_from(c, f->re, str, from);
}

struct jval *jn_regex_next(struct jn_ctx *c, struct jfn *f)
{
	if (f->last >= f->str->len)
		return JV_UNDEF;
	struct jval *m = exec_from(c, f->re, f->str, f->last);
	JTRY(m);
	if (m != JV_UNDEF) {
		struct jval *t = jnv_obj_get(jnv_obj(m), "match", 5);
		if (jnv_type(t) == JT_STR && jnv_str(t)->len == 0) {
			struct jval *src = jnv_cstring(c, f->re->source);
			return jn_error(c, "D1004", f->pos, src == JN_ERR ? JV_UNDEF : src);
		}
	}
	return m;
}

/* evaluateMatcher: call the matcher on str; its result must look like a
 * match object (T1010). */
static struct jval *run_matcher(struct jn_call *k, struct jval *matcher, struct jval *str)
{
	if (jnv_type(matcher) != JT_FN)
		return JV_UNDEF;
	struct jval *r = jn_apply(k->c, matcher, &str, 1, JV_NULL, k->env, -1);
	JTRY(r);
	if (r == JV_UNDEF || jnv_type(r) == JT_NULL)
		return r;
	int ok = 0;
	if (jnv_type(r) == JT_OBJ) {
		const struct jobj *o = jnv_obj(r);
		ok = jnv_type(jnv_obj_get(o, "start", 5)) == JT_NUM ||
		     jnv_type(jnv_obj_get(o, "groups", 6)) == JT_ARR ||
		     jnv_type(jnv_obj_get(o, "next", 4)) == JT_FN;
	}
	if (!ok) {
		jn_error(k->c, "T1010", -1, JV_UNDEF);
		return JN_ERR;
	}
	return r;
}

static struct jval *next_match(struct jn_call *k, struct jval *m)
{
	struct jval *next = jnv_obj_get(jnv_obj(m), "next", 4);
	return run_matcher(k, next, JV_UNDEF);
}

static struct jval *member(struct jval *m, const char *name)
{
	return jnv_type(m) == JT_OBJ ? jnv_obj_get(jnv_obj(m), name, strlen(name)) : JV_UNDEF;
}

static int neg_limit(struct jn_call *k, int i, const char *code)
{
	struct jval *l = jn_arg(k, i);
	if (l != JV_UNDEF && jnv_num(l) < 0) {
		jn_error(k->c, code, -1, l);
		k->c->err.index = i + 1;
		return 1;
	}
	return 0;
}

static int under_limit(struct jval *limit, double count)
{
	return limit == JV_UNDEF || count < jnv_num(limit);
}

FN(jn_fn_match)
{
	struct jval *s = jn_arg(k, 0), *re = jn_arg(k, 1), *limit = jn_arg(k, 2);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	if (neg_limit(k, 2, "D3040"))
		return JN_ERR;
	struct jarr *r = jnv_seq_new(k->c);
	if (!r)
		return JN_ERR;
	if (limit != JV_UNDEF && jnv_num(limit) <= 0)
		return &r->h;
	struct jval *m = run_matcher(k, re, s);
	for (double count = 0; m != JV_UNDEF && jnv_type(m) != JT_NULL && under_limit(limit, count);
	     count++) {
		JTRY(m);
		struct jobj *o = jnv_obj_new(k->c);
		if (!o || jnv_obj_setc(k->c, o, "match", member(m, "match")) ||
		    jnv_obj_setc(k->c, o, "index", member(m, "start")) ||
		    jnv_obj_setc(k->c, o, "groups", member(m, "groups")) ||
		    jnv_arr_push(k->c, r, &o->h))
			return JN_ERR;
		m = next_match(k, m);
	}
	JTRY(m);
	return &r->h;
}

FN(jn_fn_contains)
{
	struct jval *s = jn_arg(k, 0), *tok = jn_arg(k, 1);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	if (jnv_type(tok) == JT_STR) {
		const struct jstr *a = jnv_str(s), *b = jnv_str(tok);
		if (b->len == 0)
			return JV_TRUE;
		for (size_t i = 0; i + b->len <= a->len; i++)
			if (!memcmp(a->s + i, b->s, b->len))
				return JV_TRUE;
		return JV_FALSE;
	}
	struct jval *m = run_matcher(k, tok, s);
	JTRY(m);
	return jnv_bool(m != JV_UNDEF);
}

/* JS String.prototype.substring on code point indices. */
static void put_sub(struct jbuf *b, const struct jstr *s, double from, double to)
{
	double len = (double)jn_utf8_len(s->s, s->len);
	if (isnan(from) || from < 0)
		from = 0;
	if (isnan(to) || to < 0)
		to = 0;
	if (from > len)
		from = len;
	if (to > len)
		to = len;
	if (from > to) {
		double t = from;
		from = to;
		to = t;
	}
	size_t a = jn_utf8_off(s->s, s->len, (size_t)from);
	size_t e = jn_utf8_off(s->s, s->len, (size_t)to);
	jnbuf_put(b, s->s + a, e - a);
}

/* The replacement text for a match: $0 the match, $n a group (as many
 * digits as the group count allows), $$ a dollar. */
static void substitute(struct jbuf *b, const struct jstr *rep, struct jval *m)
{
	struct jval *mt = member(m, "match"), *g = member(m, "groups");
	size_t ng = jnv_type(g) == JT_ARR ? jnv_arr(g)->n : 0;
	const char *s = rep->s;
	size_t len = rep->len, pos = 0;
	while (pos < len) {
		const char *d = memchr(s + pos, '$', len - pos);
		if (!d) {
			jnbuf_put(b, s + pos, len - pos);
			return;
		}
		size_t idx = (size_t)(d - s);
		jnbuf_put(b, s + pos, idx - pos);
		pos = idx + 1;
		if (pos < len && s[pos] == '$') {
			jnbuf_putc(b, '$');
			pos++;
		} else if (pos < len && s[pos] == '0') {
			if (jnv_type(mt) == JT_STR)
				jnbuf_put(b, jnv_str(mt)->s, jnv_str(mt)->len);
			pos++;
		} else {
			int maxd = ng == 0 ? 1 : (int)floor(log10((double)ng)) + 1;
			size_t k = 0;
			long val = 0;
			while ((int)k < maxd && pos + k < len && s[pos + k] >= '0' && s[pos + k] <= '9') {
				val = val * 10 + (s[pos + k] - '0');
				k++;
			}
			if (maxd > 1 && k == (size_t)maxd && (size_t)val > ng) {
				k--;
				val /= 10;
			}
			if (k == 0) {
				jnbuf_putc(b, '$');   /* not a group reference */
				continue;
			}
			if (ng > 0 && val >= 1 && (size_t)val <= ng) {
				struct jval *sub = jnv_arr(g)->it[val - 1];
				if (jnv_type(sub) == JT_STR)
					jnbuf_put(b, jnv_str(sub)->s, jnv_str(sub)->len);
			}
			pos += k;
		}
	}
}

FN(jn_fn_replace)
{
	struct jval *s = jn_arg(k, 0), *pat = jn_arg(k, 1), *rep = jn_arg(k, 2),
		    *limit = jn_arg(k, 3);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	if (jnv_type(pat) == JT_STR && jnv_str(pat)->len == 0) {
		jn_error(k->c, "D3010", -1, pat);
		k->c->err.index = 2;
		return JN_ERR;
	}
	if (neg_limit(k, 3, "D3011"))
		return JN_ERR;
	const struct jstr *str = jnv_str(s);
	if (limit != JV_UNDEF && jnv_num(limit) <= 0)
		return s;
	struct jbuf b;
	jnbuf_init(&b, k->c);
	if (jnv_type(pat) == JT_STR) {
		const struct jstr *p = jnv_str(pat);
		size_t pos = 0;
		double count = 0;
		for (;;) {
			const char *hit = NULL;
			for (size_t i = pos; i + p->len <= str->len; i++)
				if (!memcmp(str->s + i, p->s, p->len)) {
					hit = str->s + i;
					break;
				}
			if (!hit || !under_limit(limit, count))
				break;
			jnbuf_put(&b, str->s + pos, (size_t)(hit - str->s) - pos);
			if (jnv_type(rep) == JT_STR)
				jnbuf_put(&b, jnv_str(rep)->s, jnv_str(rep)->len);
			pos = (size_t)(hit - str->s) + p->len;
			count++;
		}
		jnbuf_put(&b, str->s + pos, str->len - pos);
		return jnbuf_value(&b);
	}
	struct jval *m = run_matcher(k, pat, s);
	JTRY(m);
	if (m == JV_UNDEF)
		return s;
	double position = 0;
	for (double count = 0; m != JV_UNDEF && under_limit(limit, count); count++) {
		double start = jnv_num(member(m, "start"));
		put_sub(&b, str, position, start);
		if (jnv_type(rep) == JT_STR) {
			substitute(&b, jnv_str(rep), m);
		} else {
			struct jval *w = jn_apply(k->c, rep, &m, 1, JV_NULL, k->env, -1);
			JTRY(w);
			if (jnv_type(w) != JT_STR)
				return jn_error(k->c, "D3012", -1, w);
			jnbuf_put(&b, jnv_str(w)->s, jnv_str(w)->len);
		}
		struct jval *mt = member(m, "match");
		double mlen = jnv_type(mt) == JT_STR ? (double)jn_utf8_len(jnv_str(mt)->s, jnv_str(mt)->len) : 0;
		position = start + mlen;
		m = next_match(k, m);
		JTRY(m);
	}
	put_sub(&b, str, position, (double)jn_utf8_len(str->s, str->len));
	return jnbuf_value(&b);
}

FN(jn_fn_split)
{
	struct jval *s = jn_arg(k, 0), *sep = jn_arg(k, 1), *limit = jn_arg(k, 2);
	if (s == JV_UNDEF)
		return JV_UNDEF;
	if (neg_limit(k, 2, "D3020"))
		return JN_ERR;
	struct jarr *r = jnv_arr_new(k->c, 0);
	if (!r)
		return JN_ERR;
	if (limit != JV_UNDEF && jnv_num(limit) <= 0)
		return &r->h;
	const struct jstr *str = jnv_str(s);
	if (jnv_type(sep) == JT_STR) {
		/* String.prototype.split(separator, limit) */
		const struct jstr *p = jnv_str(sep);
		/* split(separator, limit): ToUint32 of the limit (NaN is 0) */
		double lim = limit == JV_UNDEF ? -1 : jnv_num(limit);
		size_t max = limit == JV_UNDEF ? (size_t)-1 : isnan(lim) ? 0 :
			     lim > 4294967295.0 ? (size_t)4294967295u : (size_t)lim;
		if (p->len == 0) {
			for (size_t i = 0; i < str->len && r->n < max;) {
				unsigned cp;
				int l = jn_utf8_get(str->s + i, str->len - i, &cp);
				struct jval *x = jnv_string(k->c, str->s + i, (size_t)l);
				if (x == JN_ERR || jnv_arr_push(k->c, r, x))
					return JN_ERR;
				i += (size_t)l;
			}
			return &r->h;
		}
		size_t pos = 0;
		while (r->n < max) {
			size_t i = pos;
			for (; i + p->len <= str->len; i++)
				if (!memcmp(str->s + i, p->s, p->len))
					break;
			if (i + p->len > str->len) {
				struct jval *x = jnv_string(k->c, str->s + pos, str->len - pos);
				if (x == JN_ERR || jnv_arr_push(k->c, r, x))
					return JN_ERR;
				break;
			}
			struct jval *x = jnv_string(k->c, str->s + pos, i - pos);
			if (x == JN_ERR || jnv_arr_push(k->c, r, x))
				return JN_ERR;
			pos = i + p->len;
		}
		return &r->h;
	}
	struct jval *m = run_matcher(k, sep, s);
	JTRY(m);
	if (m == JV_UNDEF) {
		if (jnv_arr_push(k->c, r, s))
			return JN_ERR;
		return &r->h;
	}
	double start = 0, count = 0;
	for (; m != JV_UNDEF && under_limit(limit, count); count++) {
		struct jbuf b;
		jnbuf_init(&b, k->c);
		put_sub(&b, str, start, jnv_num(member(m, "start")));
		struct jval *x = jnbuf_value(&b);
		if (x == JN_ERR || jnv_arr_push(k->c, r, x))
			return JN_ERR;
		start = jnv_num(member(m, "end"));
		m = next_match(k, m);
		JTRY(m);
	}
	if (under_limit(limit, count)) {
		struct jbuf b;
		jnbuf_init(&b, k->c);
		put_sub(&b, str, start, (double)jn_utf8_len(str->s, str->len));
		struct jval *x = jnbuf_value(&b);
		if (x == JN_ERR || jnv_arr_push(k->c, r, x))
			return JN_ERR;
	}
	return &r->h;
}
