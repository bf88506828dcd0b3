/*
 * value.c - the engine's values (see jn.h): constructors, arrays, objects
 * with insertion order, and the generic helpers of the reference
 * implementation's utils.js and functions.js (boolean, deep equality,
 * append).
 */
#include "jn.h"

#include <math.h>
#include <string.h>

struct jval jn_err_value = { JT_ERR, 0 };
struct jval jn_null_value = { JT_NULL, 0 };
struct jval jn_true_value = { JT_BOOL, 1 };
struct jval jn_false_value = { JT_BOOL, 0 };
struct jstr jn_empty_str = { { JT_STR, 0 }, 0, "" };
struct jarr jn_empty_arr = { { JT_ARR, 0 }, 0, 0, 0, NULL };
struct jobj jn_empty_obj = { { JT_OBJ, 0 }, 0, 0, NULL, NULL, 0 };

/* Doubles below 2^52 in magnitude that are integers are tagged pointers. */
#define TAG_LIMIT 4503599627370496.0

struct jval *jnv_number(struct jn_ctx *c, double d)
{
	if (d == floor(d) && fabs(d) < TAG_LIMIT && !(d == 0 && signbit(d))) {
		intptr_t i = (intptr_t)d;
		return (struct jval *)(uintptr_t)(((uintptr_t)i << 1) | 1u);
	}
	struct jnum *n = jn_alloc(c, sizeof *n);
	if (!n)
		return JN_ERR;
	n->h.t = JT_NUM;
	n->d = d;
	return &n->h;
}

struct jval *jnv_string(struct jn_ctx *c, const char *s, size_t len)
{
	struct jstr *v = jn_alloc(c, sizeof *v + len + 1);
	if (!v)
		return JN_ERR;
	char *d = (char *)(v + 1);
	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	v->h.t = JT_STR;
	v->len = len;
	v->s = d;
	return &v->h;
}

struct jval *jnv_cstring(struct jn_ctx *c, const char *s)
{
	return jnv_string(c, s, strlen(s));
}

struct jval *jnv_string_static(struct jn_ctx *c, const char *s, size_t len)
{
	struct jstr *v = jn_alloc(c, sizeof *v);
	if (!v)
		return JN_ERR;
	v->h.t = JT_STR;
	v->len = len;
	v->s = s;
	return &v->h;
}

struct jarr *jnv_arr_new(struct jn_ctx *c, size_t cap)
{
	struct jarr *a = jn_alloc(c, sizeof *a);
	if (!a)
		return NULL;
	a->h.t = JT_ARR;
	if (cap) {
		a->it = jn_alloc(c, cap * sizeof *a->it);
		if (!a->it)
			return NULL;
		a->cap = cap;
	}
	return a;
}

struct jarr *jnv_seq_new(struct jn_ctx *c)
{
	struct jarr *a = jnv_arr_new(c, 0);
	if (a)
		a->fl = JA_SEQ;
	return a;
}

/* Make room for `more` items. */
static int arr_reserve(struct jn_ctx *c, struct jarr *a, size_t more)
{
	if (a->n + more <= a->cap)
		return 0;
	size_t cap = a->cap ? a->cap * 2 : 4;
	while (cap < a->n + more)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof *a->it) {
		jn_error(c, "U1002", -1, NULL);
		return -1;
	}
	struct jval **it = jn_alloc(c, cap * sizeof *it);
	if (!it)
		return -1;
	if (a->n)
		memcpy(it, a->it, a->n * sizeof *it);
	a->it = it;
	a->cap = cap;
	return 0;
}

int jnv_arr_push(struct jn_ctx *c, struct jarr *a, struct jval *v)
{
	if (arr_reserve(c, a, 1))
		return -1;
	a->it[a->n++] = v;
	return 0;
}

int jnv_arr_extend(struct jn_ctx *c, struct jarr *a, const struct jarr *b)
{
	if (!b->n)
		return 0;
	if (arr_reserve(c, a, b->n))
		return -1;
	memcpy(a->it + a->n, b->it, b->n * sizeof *a->it);
	a->n += b->n;
	return 0;
}

struct jobj *jnv_obj_new(struct jn_ctx *c)
{
	struct jobj *o = jn_alloc(c, sizeof *o);
	if (o)
		o->h.t = JT_OBJ;
	return o;
}

/* FNV-1a of the key. */
static size_t key_hash(const char *k, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

static int key_eq(const struct jstr *a, const char *k, size_t len)
{
	return a->len == len && (len == 0 || memcmp(a->s, k, len) == 0);
}

/* Position of member k in o, or o->n. */
static size_t obj_find(const struct jobj *o, const char *k, size_t len)
{
	if (o->idx) {
		size_t mask = o->idxcap - 1;
		for (size_t i = key_hash(k, len) & mask;; i = (i + 1) & mask) {
			size_t e = o->idx[i];
			if (!e)
				return o->n;
			if (key_eq(o->kv[e - 1].k, k, len))
				return e - 1;
		}
	}
	for (size_t i = 0; i < o->n; i++)
		if (key_eq(o->kv[i].k, k, len))
			return i;
	return o->n;
}

/* Rebuild the hash index for capacity cap (a power of two > 2n). */
static int obj_reindex(struct jn_ctx *c, struct jobj *o, size_t cap)
{
	size_t *idx = jn_alloc(c, cap * sizeof *idx);
	if (!idx)
		return -1;
	for (size_t j = 0; j < o->n; j++) {
		size_t i = key_hash(o->kv[j].k->s, o->kv[j].k->len) & (cap - 1);
		while (idx[i])
			i = (i + 1) & (cap - 1);
		idx[i] = j + 1;
	}
	o->idx = idx;
	o->idxcap = cap;
	return 0;
}

int jnv_obj_set(struct jn_ctx *c, struct jobj *o, struct jstr *k, struct jval *v)
{
	size_t i = obj_find(o, k->s, k->len);
	if (i < o->n) {
		o->kv[i].v = v;
		return 0;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 4;
		struct jkv *kv = jn_alloc(c, cap * sizeof *kv);
		if (!kv)
			return -1;
		if (o->n)
			memcpy(kv, o->kv, o->n * sizeof *kv);
		o->kv = kv;
		o->cap = cap;
	}
	o->kv[o->n].k = k;
	o->kv[o->n].v = v;
	o->n++;
	if (o->n > 8 && (o->idxcap == 0 || o->n * 2 > o->idxcap)) {
		size_t cap = 32;
		while (cap < o->n * 4)
			cap *= 2;
		return obj_reindex(c, o, cap);
	}
	if (o->idx) {
		size_t mask = o->idxcap - 1;
		size_t j = key_hash(k->s, k->len) & mask;
		while (o->idx[j])
			j = (j + 1) & mask;
		o->idx[j] = o->n;
	}
	return 0;
}

int jnv_obj_setc(struct jn_ctx *c, struct jobj *o, const char *k, struct jval *v)
{
	struct jval *ks = jnv_string_static(c, k, strlen(k));
	if (ks == JN_ERR)
		return -1;
	return jnv_obj_set(c, o, jnv_str(ks), v);
}

struct jval *jnv_obj_get(const struct jobj *o, const char *k, size_t len)
{
	size_t i = obj_find(o, k, len);
	return i < o->n ? o->kv[i].v : JV_UNDEF;
}

int jnv_obj_has(const struct jobj *o, const char *k, size_t len)
{
	return obj_find(o, k, len) < o->n;
}

void jnv_obj_del(struct jobj *o, const char *k, size_t len)
{
	size_t i = obj_find(o, k, len);
	if (i >= o->n)
		return;
	memmove(o->kv + i, o->kv + i + 1, (o->n - i - 1) * sizeof *o->kv);
	o->n--;
	if (o->idx) {
		/* positions moved: rebuild in place (same capacity) */
		memset(o->idx, 0, o->idxcap * sizeof *o->idx);
		for (size_t j = 0; j < o->n; j++) {
			size_t h = key_hash(o->kv[j].k->s, o->kv[j].k->len) & (o->idxcap - 1);
			while (o->idx[h])
				h = (h + 1) & (o->idxcap - 1);
			o->idx[h] = j + 1;
		}
	}
}

struct jfn *jnv_fn_new(struct jn_ctx *c, enum jfk kind)
{
	struct jfn *f = jn_alloc(c, sizeof *f);
	if (f) {
		f->h.t = JT_FN;
		f->kind = (unsigned char)kind;
		f->pos = -1;
	}
	return f;
}

/* ------------------------------------------------------------ helpers */

int jnv_is_numeric(const struct jval *v)
{
	return jnv_type(v) == JT_NUM && isfinite(jnv_num(v));
}

int jn_is_numeric(struct jn_ctx *c, const struct jval *v)
{
	if (jnv_type(v) != JT_NUM || isnan(jnv_num(v)))
		return 0;
	if (isinf(jnv_num(v))) {
		jn_error(c, "D1001", -1, (struct jval *)v);
		return -1;
	}
	return 1;
}

int jn_is_array_of_numbers(struct jn_ctx *c, const struct jval *v)
{
	if (jnv_type(v) != JT_ARR)
		return 0;
	const struct jarr *a = jnv_arr(v);
	for (size_t i = 0; i < a->n; i++) {
		int r = jn_is_numeric(c, a->it[i]);
		if (r != 1)
			return r;
	}
	return 1;
}

int jnv_is_array_of_strings(const struct jval *v)
{
	if (jnv_type(v) != JT_ARR)
		return 0;
	const struct jarr *a = jnv_arr(v);
	for (size_t i = 0; i < a->n; i++)
		if (jnv_type(a->it[i]) != JT_STR)
			return 0;
	return 1;
}

int jnv_is_array_of_numbers(const struct jval *v)
{
	if (jnv_type(v) != JT_ARR)
		return 0;
	const struct jarr *a = jnv_arr(v);
	for (size_t i = 0; i < a->n; i++)
		if (!jnv_is_numeric(a->it[i]))
			return 0;
	return 1;
}

struct jarr *jnv_seq_of(struct jn_ctx *c, struct jval *v)
{
	struct jarr *a = jnv_seq_new(c);
	if (a && v != JV_UNDEF && jnv_arr_push(c, a, v))
		return NULL;
	return a;
}

/* functions.js boolean(): arrays are true when any item is; objects when
 * they have members; functions are false. */
int jnv_truthy(const struct jval *v)
{
	switch (jnv_type(v)) {
	case JT_UNDEF:
		return -1;
	case JT_ARR: {
		const struct jarr *a = jnv_arr(v);
		if (a->n == 1)
			return jnv_truthy(a->it[0]) == 1;
		for (size_t i = 0; i < a->n; i++)
			if (jnv_truthy(a->it[i]) == 1)
				return 1;
		return 0;
	}
	case JT_STR:
		return jnv_str(v)->len > 0;
	case JT_NUM:
		return jnv_num(v) != 0 && !isnan(jnv_num(v));
	case JT_OBJ:
		return jnv_obj(v)->n > 0;
	case JT_BOOL:
		return v->b;
	default:
		return 0;
	}
}

/* Past this nesting two values compare unequal rather than overflow. */
#define MAX_EQ_DEPTH 10000

static int deep_equal(const struct jval *a, const struct jval *b, int depth)
{
	if (depth > MAX_EQ_DEPTH)
		return 0;
	if (a == b)
		return 1;
	enum jt ta = jnv_type(a), tb = jnv_type(b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case JT_NUM:
		return jnv_num(a) == jnv_num(b);
	case JT_STR:
		return key_eq(jnv_str(a), jnv_str(b)->s, jnv_str(b)->len);
	case JT_BOOL:
		return a->b == b->b;
	case JT_NULL:
	case JT_UNDEF:
		return 1;
	case JT_ARR: {
		const struct jarr *x = jnv_arr(a), *y = jnv_arr(b);
		if (x->n != y->n)
			return 0;
		for (size_t i = 0; i < x->n; i++)
			if (!deep_equal(x->it[i], y->it[i], depth + 1))
				return 0;
		return 1;
	}
	case JT_OBJ: {
		const struct jobj *x = jnv_obj(a), *y = jnv_obj(b);
		if (x->n != y->n)
			return 0;
		for (size_t i = 0; i < x->n; i++) {
			const struct jstr *k = x->kv[i].k;
			if (!jnv_obj_has(y, k->s, k->len) ||
			    !deep_equal(x->kv[i].v, jnv_obj_get(y, k->s, k->len), depth + 1))
				return 0;
		}
		return 1;
	}
	default:
		return 0;   /* functions: identity only */
	}
}

int jnv_deep_equal(const struct jval *a, const struct jval *b)
{
	return deep_equal(a, b, 0);
}

/* functions.js append(): undefined is dropped; non-arrays are wrapped; the
 * result is a new plain array (concat). */
struct jval *jnv_append(struct jn_ctx *c, struct jval *a, struct jval *b)
{
	if (a == JV_UNDEF)
		return b;
	if (b == JV_UNDEF)
		return a;
	size_t na = jnv_type(a) == JT_ARR ? jnv_arr(a)->n : 1;
	size_t nb = jnv_type(b) == JT_ARR ? jnv_arr(b)->n : 1;
	struct jarr *r = jnv_arr_new(c, na + nb);
	if (!r)
		return JN_ERR;
	if (jnv_type(a) == JT_ARR)
		jnv_arr_extend(c, r, jnv_arr(a));
	else
		r->it[r->n++] = a;
	if (jnv_type(b) == JT_ARR)
		jnv_arr_extend(c, r, jnv_arr(b));
	else
		r->it[r->n++] = b;
	return &r->h;
}

struct jval *jnv_clone(struct jn_ctx *c, struct jval *v)
{
	if (jn_stack_check(c))
		return JN_ERR;
	switch (jnv_type(v)) {
	case JT_ARR: {
		const struct jarr *a = jnv_arr(v);
		struct jarr *r = jnv_arr_new(c, a->n);
		if (!r)
			return JN_ERR;
		for (size_t i = 0; i < a->n; i++) {
			struct jval *x = jnv_clone(c, a->it[i]);
			JTRY(x);
			r->it[r->n++] = x;
		}
		return &r->h;
	}
	case JT_OBJ: {
		const struct jobj *o = jnv_obj(v);
		struct jobj *r = jnv_obj_new(c);
		if (!r)
			return JN_ERR;
		for (size_t i = 0; i < o->n; i++) {
			struct jval *x = jnv_clone(c, o->kv[i].v);
			JTRY(x);
			if (jnv_obj_set(c, r, o->kv[i].k, x))
				return JN_ERR;
		}
		return &r->h;
	}
	default:
		return v;
	}
}

/* ---------------------------------------------------------------- UTF-8 */

int jn_utf8_get(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c0 = u[0];
	if (c0 < 0x80 || n < 2) {
		*cp = c0;
		return 1;
	}
	int len = c0 >= 0xf0 ? 4 : c0 >= 0xe0 ? 3 : c0 >= 0xc0 ? 2 : 1;
	if (len == 1 || (size_t)len > n) {
		*cp = c0;
		return 1;
	}
	unsigned v = c0 & (0x7fu >> len);
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = c0;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3f);
	}
	*cp = v;
	return len;
}

int jn_utf8_put(char *d, unsigned c)
{
	unsigned char *u = (unsigned char *)d;
	if (c < 0x80) {
		u[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | (c >> 6));
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (c >> 12));
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | (c >> 18));
	u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

size_t jn_utf8_len(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += (size_t)jn_utf8_get(s + i, len - i, &cp);
		n++;
	}
	return n;
}

size_t jn_utf8_off(const char *s, size_t len, size_t k)
{
	size_t i = 0;
	while (k > 0 && i < len) {
		unsigned cp;
		i += (size_t)jn_utf8_get(s + i, len - i, &cp);
		k--;
	}
	return i;
}

/* ---------------------------------------------------------------- jbuf */

void jnbuf_init(struct jbuf *b, struct jn_ctx *c)
{
	memset(b, 0, sizeof *b);
	b->c = c;
}

void jnbuf_put(struct jbuf *b, const char *s, size_t n)
{
	if (b->err || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = jn_alloc(b->c, cap);
		if (!p) {
			b->err = 1;
			return;
		}
		if (b->len)
			memcpy(p, b->p, b->len);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void jnbuf_puts(struct jbuf *b, const char *s)
{
	jnbuf_put(b, s, strlen(s));
}

void jnbuf_putc(struct jbuf *b, char ch)
{
	jnbuf_put(b, &ch, 1);
}

void jnbuf_cp(struct jbuf *b, unsigned cp)
{
	char tmp[4];
	jnbuf_put(b, tmp, (size_t)jn_utf8_put(tmp, cp));
}

struct jval *jnbuf_value(struct jbuf *b)
{
	if (b->err)
		return JN_ERR;
	if (!b->p)
		return jnv_string_static(b->c, "", 0);
	return jnv_string_static(b->c, b->p, b->len);
}
