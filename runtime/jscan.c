/*
 * jscan.c - members of a JSON object without a parse tree (jscan.h). The
 * scanner only finds where values end: strings up to their unescaped
 * quote, arrays and objects by counting brackets outside strings, scalars
 * up to a delimiter. It trusts that the text is JSON (records are written
 * by cJSON and guarded by a CRC); on anything else it returns -1 rather
 * than read past the end.
 */
#include "jscan.h"
#include "rt.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at an opening quote: the position after the closing one, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return NULL;
		size_t bs = 0;                     /* backslashes right before it */
		while (q - bs > p && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return q + 1;
		p = q + 1;
	}
	return NULL;
}

/* p at a value: the position after it, or NULL. */
static const char *skip_value(const char *p, const char *end)
{
	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[') {
		/* bytes that matter inside a container; the rest are skipped by a
		 * table lookup, which is most of the report's time on big inputs */
		static const unsigned char special[256] = {
			['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1,
		};
		long depth = 0;
		while (p < end) {
			while (p < end && !special[(unsigned char)*p])
				p++;
			if (p >= end)
				break;
			char c = *p;
			if (c == '"') {
				if (!(p = skip_string(p, end)))
					return NULL;
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return NULL;
	}
	while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
	       *p != '\t' && *p != '\r')
		p++;
	return p;
}

int rt_jscan_members(const char *text, size_t len, const char *const *keys, int nkeys,
		     struct rt_jspan *out)
{
	const char *p = text, *end = text + len;
	for (int i = 0; i < nkeys; i++)
		out[i].p = NULL, out[i].n = 0;
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return -1;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return 0;
	while (p < end) {
		if (*p != '"')
			return -1;
		const char *k = p + 1, *ke = skip_string(p, end);
		if (!ke)
			return -1;
		size_t klen = (size_t)(ke - 1 - k);
		p = skip_ws(ke, end);
		if (p >= end || *p != ':')
			return -1;
		p = skip_ws(p + 1, end);
		const char *v = p;
		if (!(p = skip_value(p, end)))
			return -1;
		for (int i = 0; i < nkeys; i++)
			if (!out[i].p && strlen(keys[i]) == klen && memcmp(keys[i], k, klen) == 0) {
				out[i].p = v;
				out[i].n = (size_t)(p - v);
			}
		p = skip_ws(p, end);
		if (p < end && *p == '}')
			return 0;
		if (p >= end || *p != ',')
			return -1;
		p = skip_ws(p + 1, end);
	}
	return -1;
}

int64_t rt_jspan_int(struct rt_jspan v, int64_t dflt)
{
	if (!v.p || v.n == 0 || v.n > 40 || !(v.p[0] == '-' || (v.p[0] >= '0' && v.p[0] <= '9')))
		return dflt;
	char buf[48];
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	return (int64_t)strtod(buf, NULL);
}

int rt_jspan_is(struct rt_jspan v, const char *lit)
{
	size_t n = strlen(lit);
	return v.p && v.n == n + 2 && v.p[0] == '"' && memcmp(v.p + 1, lit, n) == 0;
}

char *rt_jspan_str(struct rt_jspan v)
{
	if (!v.p || v.n < 2 || v.p[0] != '"')
		return NULL;
	if (!memchr(v.p, '\\', v.n)) {             /* the common case: no escapes */
		char *s = rt_malloc(v.n - 1);
		if (s) {
			memcpy(s, v.p + 1, v.n - 2);
			s[v.n - 2] = '\0';
		}
		return s;
	}
	cJSON *j = cJSON_ParseWithLength(v.p, v.n);
	char *s = cJSON_IsString(j) ? rt_strdup(j->valuestring) : NULL;
	cJSON_Delete(j);
	return s;
}
