/*
 * jsonio.c - values to and from JSON: cJSON conversion at the engine's
 * boundary, JSON.stringify as $string uses it, and $parse.
 */
#include "jn.h"
#include "rt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ------------------------------------------------------ JSON.stringify */

static void put_json_string(struct jbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	jnbuf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		const char *esc = NULL;
		char u[8];
		switch (ch) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (ch < 0x20) {
				snprintf(u, sizeof u, "\\u00%c%c", hex[ch >> 4], hex[ch & 15]);
				esc = u;
			} else if (ch == 0xed && i + 2 < len &&
				   ((unsigned char)s[i + 1] & 0xe0) == 0xa0) {
				/* a lone surrogate (WTF-8): JSON.stringify escapes it */
				unsigned cp;
				jn_utf8_get(s + i, len - i, &cp);
				snprintf(u, sizeof u, "\\u%04x", cp);
				jnbuf_put(b, s + run, i - run);
				jnbuf_puts(b, u);
				i += 2;
				run = i + 1;
				continue;
			}
		}
		if (esc) {
			jnbuf_put(b, s + run, i - run);
			jnbuf_puts(b, esc);
			run = i + 1;
		}
	}
	jnbuf_put(b, s + run, len - run);
	jnbuf_putc(b, '"');
}

static void indent(struct jbuf *b, int pretty, int level)
{
	if (!pretty)
		return;
	jnbuf_putc(b, '\n');
	for (int i = 0; i < level; i++)
		jnbuf_put(b, "  ", 2);
}

static void stringify(struct jbuf *b, const struct jval *v, int pretty, int level)
{
	char num[32];
	if (jn_stack_check(b->c)) {
		b->err = 1;
		return;
	}
	switch (jnv_type(v)) {
	case JT_UNDEF:
	case JT_NULL:
	case JT_ERR:
		jnbuf_put(b, "null", 4);
		break;
	case JT_BOOL:
		jnbuf_puts(b, v->b ? "true" : "false");
		break;
	case JT_NUM: {
		double d = jnv_num(v);
		if (!isfinite(d)) {
			jnbuf_put(b, "null", 4);
			break;
		}
		jnbuf_puts(b, jn_num_to_str(jn_num_round_sig(d, 15), num));
		break;
	}
	case JT_STR:
		put_json_string(b, jnv_str(v)->s, jnv_str(v)->len);
		break;
	case JT_FN:
		jnbuf_put(b, "\"\"", 2);
		break;
	case JT_ARR: {
		const struct jarr *a = jnv_arr(v);
		if (a->n == 0) {
			jnbuf_put(b, "[]", 2);
			break;
		}
		jnbuf_putc(b, '[');
		for (size_t i = 0; i < a->n; i++) {
			if (i)
				jnbuf_putc(b, ',');
			indent(b, pretty, level + 1);
			stringify(b, a->it[i], pretty, level + 1);
		}
		indent(b, pretty, level);
		jnbuf_putc(b, ']');
		break;
	}
	case JT_OBJ: {
		const struct jobj *o = jnv_obj(v);
		int first = 1;
		jnbuf_putc(b, '{');
		for (size_t i = 0; i < o->n; i++) {
			if (o->kv[i].v == JV_UNDEF)
				continue;
			if (!first)
				jnbuf_putc(b, ',');
			first = 0;
			indent(b, pretty, level + 1);
			put_json_string(b, o->kv[i].k->s, o->kv[i].k->len);
			jnbuf_putc(b, ':');
			if (pretty)
				jnbuf_putc(b, ' ');
			stringify(b, o->kv[i].v, pretty, level + 1);
		}
		if (!first)
			indent(b, pretty, level);
		jnbuf_putc(b, '}');
		break;
	}
	}
}

struct jval *jn_stringify(struct jn_ctx *c, struct jval *v, int pretty)
{
	struct jbuf b;
	jnbuf_init(&b, c);
	stringify(&b, v, pretty, 0);
	return jnbuf_value(&b);
}

/* ------------------------------------------------------------- cJSON */

/* j as the engine's value. With borrow set, strings and keys point into
 * j's own text instead of being copied: j must then outlive the
 * evaluation (the input and the bindings of aslrt_jn_evaluate do). Objects
 * get their member table sized once. */
static struct jval *from_cjson(struct jn_ctx *c, const cJSON *j, int borrow)
{
	if (!j)
		return JV_UNDEF;
	switch (j->type & 0xff) {
	case cJSON_NULL:
		return JV_NULL;
	case cJSON_True:
		return JV_TRUE;
	case cJSON_False:
		return JV_FALSE;
	case cJSON_Number:
		return jnv_number(c, j->valuedouble);
	case cJSON_String:
	case cJSON_Raw: {
		const char *s = j->valuestring ? j->valuestring : "";
		return borrow ? jnv_string_static(c, s, strlen(s)) : jnv_cstring(c, s);
	}
	case cJSON_Array: {
		size_t n = 0;
		for (const cJSON *e = j->child; e; e = e->next)
			n++;
		struct jarr *a = jnv_arr_new(c, n);
		if (!a)
			return JN_ERR;
		for (const cJSON *e = j->child; e; e = e->next) {
			struct jval *x = from_cjson(c, e, borrow);
			JTRY(x);
			if (jnv_arr_push(c, a, x))
				return JN_ERR;
		}
		return &a->h;
	}
	case cJSON_Object: {
		struct jobj *o = jnv_obj_new(c);
		if (!o)
			return JN_ERR;
		for (const cJSON *e = j->child; e; e = e->next) {
			struct jval *x = from_cjson(c, e, borrow);
			JTRY(x);
			const char *ks = e->string ? e->string : "";
			struct jval *k = borrow ? jnv_string_static(c, ks, strlen(ks)) : jnv_cstring(c, ks);
			JTRY(k);
			if (jnv_obj_set(c, o, jnv_str(k), x))
				return JN_ERR;
		}
		return &o->h;
	}
	default:
		return JV_NULL;
	}
}

struct jval *jn_from_cjson(struct jn_ctx *c, const void *p)
{
	return from_cjson(c, p, 0);
}

struct jval *jn_from_cjson_borrowed(struct jn_ctx *c, const void *p)
{
	return from_cjson(c, p, 1);
}

/* Values nest at most this deep in the result (deeper is an error). */
#define MAX_OUT_DEPTH 10000

static cJSON *to_cjson(const struct jval *v, int depth)
{
	if (depth > MAX_OUT_DEPTH)
		return NULL;
	switch (jnv_type(v)) {
	case JT_UNDEF:
	case JT_NULL:
	case JT_ERR:
		return cJSON_CreateNull();
	case JT_BOOL:
		return cJSON_CreateBool(v->b);
	case JT_NUM: {
		double d = jnv_num(v);
		return isfinite(d) ? cJSON_CreateNumber(d) : cJSON_CreateNull();
	}
	case JT_STR: {
		/* cJSON strings end at the first NUL */
		const struct jstr *s = jnv_str(v);
		if (s->s[s->len] == '\0' && memchr(s->s, 0, s->len) == NULL)
			return cJSON_CreateString(s->s);
		char *t = rt_malloc(s->len + 1);
		if (!t)
			return NULL;
		memcpy(t, s->s, s->len);
		t[s->len] = '\0';
		cJSON *r = cJSON_CreateString(t);
		rt_free(t);
		return r;
	}
	case JT_FN:
		return cJSON_CreateString("");
	case JT_ARR: {
		const struct jarr *a = jnv_arr(v);
		cJSON *r = cJSON_CreateArray();
		if (!r)
			return NULL;
		for (size_t i = 0; i < a->n; i++) {
			cJSON *x = to_cjson(a->it[i], depth + 1);
			if (!x) {
				cJSON_Delete(r);
				return NULL;
			}
			cJSON_AddItemToArray(r, x);
		}
		return r;
	}
	case JT_OBJ: {
		const struct jobj *o = jnv_obj(v);
		cJSON *r = cJSON_CreateObject();
		if (!r)
			return NULL;
		for (size_t i = 0; i < o->n; i++) {
			if (o->kv[i].v == JV_UNDEF)
				continue;
			cJSON *x = to_cjson(o->kv[i].v, depth + 1);
			if (!x) {
				cJSON_Delete(r);
				return NULL;
			}
			cJSON_AddItemToObject(r, o->kv[i].k->s, x);
		}
		return r;
	}
	}
	return NULL;
}

void *jn_to_cjson(const struct jval *v, int *oom)
{
	*oom = 0;
	if (v == JV_UNDEF)
		return NULL;
	cJSON *r = to_cjson(v, 0);
	if (!r)
		*oom = 1;
	return r;
}

struct jval *jn_parse_json(struct jn_ctx *c, const char *s, size_t len, int *bad)
{
	*bad = 0;
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (!j) {
		*bad = 1;
		return JV_UNDEF;
	}
	/* only blanks may follow the value */
	for (; end && (size_t)(end - s) < len; end++) {
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
			cJSON_Delete(j);
			*bad = 1;
			return JV_UNDEF;
		}
	}
	struct jval *v = jn_from_cjson(c, j);
	cJSON_Delete(j);
	return v;
}
