/*
 * json.c - printing JSON. cJSON's printer loses digits: it prints a double
 * with 15 significant digits whenever that reads back within DBL_EPSILON,
 * so 9007199254740991 comes out as 9.00719925474099e+15. Step Functions
 * passes numbers through exactly, so every number here is printed with the
 * fewest digits that read back to exactly the same double.
 */
#include "rt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

/* Append n bytes (the text is NUL-terminated once, at the end). */
static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 <= b->cap) {   /* the common case: it fits */
		memcpy(b->p + b->len, s, n);
		b->len += n;
		return;
	}
	if (b->oom)
		return;
	{
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = rt_realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

char *rt_json_number(double d, char *out)
{
	if (!isfinite(d)) {            /* JSON has no NaN or Infinity */
		strcpy(out, "null");
		return out;
	}
	if (d == floor(d) && fabs(d) < 9007199254740992.0) {
		/* an exact integer: its digits by hand, as "%.0f" would print
		 * them (no "-0"), without printf's arbitrary-precision path */
		long long v = (long long)d;
		char tmp[24];
		int n = 0, neg = v < 0;
		unsigned long long u = neg ? 0ull - (unsigned long long)v : (unsigned long long)v;
		do
			tmp[n++] = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		char *o = out;
		if (neg)
			*o++ = '-';
		while (n > 0)
			*o++ = tmp[--n];
		*o = '\0';
		return out;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	return out;
}

static void put_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put(b, "\"", 1);
	const char *run = s;
	for (;; s++) {
		while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
			s++;                   /* a run that needs no escape */
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc) {
			put(b, run, (size_t)(s - run));
			put(b, esc, strlen(esc));
			run = s + 1;
		}
	}
	put(b, run, (size_t)(s - run));
	put(b, "\"", 1);
}

static void put_value(struct buf *b, const cJSON *v)
{
	char num[32];
	switch (v->type & 0xff) {
	case cJSON_NULL: put(b, "null", 4); break;
	case cJSON_True: put(b, "true", 4); break;
	case cJSON_False: put(b, "false", 5); break;
	case cJSON_Number:
		rt_json_number(v->valuedouble, num);
		put(b, num, strlen(num));
		break;
	case cJSON_String: put_string(b, v->valuestring ? v->valuestring : ""); break;
	case cJSON_Raw: put(b, v->valuestring, strlen(v->valuestring)); break;
	case cJSON_Array:
	case cJSON_Object: {
		int obj = cJSON_IsObject(v);
		put(b, obj ? "{" : "[", 1);
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child)
				put(b, ",", 1);
			if (obj) {
				put_string(b, c->string ? c->string : "");
				put(b, ":", 1);
			}
			put_value(b, c);
		}
		put(b, obj ? "}" : "]", 1);
		break;
	}
	default: put(b, "null", 4); break;
	}
}

char *rt_json_print(const cJSON *v)
{
	struct buf b = { 0 };
	put_value(&b, v);
	put(&b, "", 1);                  /* the terminating NUL */
	if (b.oom) {
		rt_free(b.p);
		return NULL;
	}
	return b.p;
}

/* A copy of the string s in new memory (rt_malloc), or NULL. */
static char *copy_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = rt_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

cJSON *rt_json_copy(const cJSON *v)
{
	/* A short string's text goes in the node's own block, which it then
	 * "refers" to (cJSON_IsReference: cJSON_Delete frees the block once,
	 * cJSON_Duplicate copies the text): one allocation instead of two. */
	enum { INLINE_TEXT = 64 };
	size_t len = v->valuestring ? strlen(v->valuestring) : 0;
	int inline_text = v->valuestring && (v->type & 0xFF) == cJSON_String &&
			  len < INLINE_TEXT;
	cJSON *n = rt_malloc(sizeof *n + (inline_text ? len + 1 : 0));
	if (!n)
		return NULL;
	*n = (cJSON){ .type = v->type & ~cJSON_IsReference, .valueint = v->valueint,
		      .valuedouble = v->valuedouble };
	if (inline_text) {
		n->valuestring = memcpy(n + 1, v->valuestring, len + 1);
		n->type |= cJSON_IsReference;
	} else if (v->valuestring && !(n->valuestring = copy_string(v->valuestring))) {
		goto fail;
	}
	if (v->string)   /* a constant key stays shared, as cJSON_Duplicate keeps it */
		if (!(n->string = v->type & cJSON_StringIsConst ? v->string
								: copy_string(v->string)))
			goto fail;
	cJSON *last = NULL;
	for (const cJSON *c = v->child; c; c = c->next) {
		cJSON *k = rt_json_copy(c);
		if (!k)
			goto fail;
		if (last) {
			last->next = k;
			k->prev = last;
		} else {
			n->child = k;
		}
		last = k;
	}
	if (n->child)
		n->child->prev = last;   /* cJSON's invariant: first->prev is the last */
	return n;
fail:
	cJSON_Delete(n);
	return NULL;
}
