/*
 * ustr.c - code point strings for the picture-string functions (ustr.h).
 */
#include "ustr.h"

#include <string.h>

struct ustr jnus_from(struct jn_ctx *c, const char *s, size_t len)
{
	struct ustr u = { NULL, 0 };
	u.v = jn_alloc(c, (len + 1) * sizeof *u.v);
	if (!u.v) {
		u.n = -1;
		return u;
	}
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += (size_t)jn_utf8_get(s + i, len - i, &cp);
		u.v[u.n++] = cp;
	}
	return u;
}

struct ustr jnus_cstr(struct jn_ctx *c, const char *s)
{
	return jnus_from(c, s, strlen(s));
}

struct jval *jnus_value(struct jn_ctx *c, struct ustr u)
{
	if (u.n < 0) {
		jn_error(c, "U1002", -1, NULL);   /* no-op when an error is set */
		return JN_ERR;
	}
	struct jbuf b;
	jnbuf_init(&b, c);
	for (int i = 0; i < u.n; i++)
		jnbuf_cp(&b, u.v[i]);
	return jnbuf_value(&b);
}

struct ustr jnus_sub(struct ustr s, int a, int b)
{
	if (s.n < 0)
		return s;
	if (a < 0)
		a = 0;
	if (b > s.n)
		b = s.n;
	if (a > s.n)
		a = s.n;
	if (b < a) {
		int t = a;
		a = b;
		b = t;
	}
	struct ustr r = { s.v + a, b - a };
	return r;
}

int jnus_index(struct ustr s, struct ustr t, int from)
{
	if (from < 0)
		from = 0;
	for (int i = from; i + t.n <= s.n; i++)
		if (t.n == 0 || !memcmp(s.v + i, t.v, (size_t)t.n * sizeof *t.v))
			return i;
	return -1;
}

int jnus_last_index(struct ustr s, struct ustr t)
{
	for (int i = s.n - t.n; i >= 0; i--)
		if (t.n == 0 || !memcmp(s.v + i, t.v, (size_t)t.n * sizeof *t.v))
			return i;
	return -1;
}

int jnus_index_cp(struct ustr s, unsigned cp, int from)
{
	for (int i = from < 0 ? 0 : from; i < s.n; i++)
		if (s.v[i] == cp)
			return i;
	return -1;
}

int jnus_eq(struct ustr a, struct ustr b)
{
	return a.n == b.n && (a.n == 0 || !memcmp(a.v, b.v, (size_t)a.n * sizeof *a.v));
}

struct ustr jnus_cat(struct jn_ctx *c, struct ustr a, struct ustr b)
{
	if (a.n < 0 || b.n < 0) {
		struct ustr bad = { NULL, -1 };
		return bad;
	}
	struct ustr r = { jn_alloc(c, (size_t)(a.n + b.n + 1) * sizeof(unsigned)), a.n + b.n };
	if (!r.v) {
		r.n = -1;
		return r;
	}
	if (a.n)
		memcpy(r.v, a.v, (size_t)a.n * sizeof *r.v);
	if (b.n)
		memcpy(r.v + a.n, b.v, (size_t)b.n * sizeof *r.v);
	return r;
}

struct ustr jnus_insert(struct jn_ctx *c, struct ustr s, int at, struct ustr t)
{
	if (at < 0)
		at = 0;
	if (at > s.n)
		at = s.n;
	struct ustr r = jnus_cat(c, jnus_sub(s, 0, at), t);
	if (r.n < 0)
		return r;
	return jnus_cat(c, r, jnus_sub(s, at, s.n));
}

struct ustr jnus_repeat(struct jn_ctx *c, unsigned cp, int n)
{
	if (n > (1 << 24)) {
		struct ustr bad = { NULL, -1 };
		jn_error(c, "U1002", -1, NULL);
		return bad;
	}
	struct ustr r = { jn_alloc(c, (size_t)(n > 0 ? n : 1) * sizeof(unsigned)), n > 0 ? n : 0 };
	if (!r.v) {
		r.n = -1;
		return r;
	}
	for (int i = 0; i < r.n; i++)
		r.v[i] = cp;
	return r;
}

struct ustr jnus_char(struct jn_ctx *c, unsigned cp)
{
	return jnus_repeat(c, cp, 1);
}
