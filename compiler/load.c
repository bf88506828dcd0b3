/*
 * load.c - builders for the JSON tree (called from grammar/json.y actions)
 * and the entry points that read a definition file.
 */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int asl_json_parse_text(const char *text, size_t len, struct asl_json_parse *ctx);

static struct asl_loc at(int line, int col)
{
	struct asl_loc l = { line, col };
	return l;
}

struct asl_json *asl_json_new(enum asl_jtype t, int line, int col)
{
	struct asl_json *j = calloc(1, sizeof *j);
	if (j) {
		j->type = t;
		j->loc = at(line, col);
	}
	return j;
}

struct asl_json *asl_json_number(const char *text, int line, int col)
{
	struct asl_json *j = asl_json_new(ASL_J_NUMBER, line, col);
	if (j && !(j->str = strdup(text))) {
		free(j);
		return NULL;
	}
	if (j)
		j->num = strtod(text, NULL);
	return j;
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *p = (unsigned char *)*o;
	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xc0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xe0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (unsigned char)(0xf0 | cp >> 18);
		*p++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)p;
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* Unescape a lexically valid JSON string token (with its quotes). \u0000 and
 * unpaired surrogates are reported: a C string cannot hold the first, and
 * neither can be valid UTF-8. */
struct asl_json *asl_json_string(const char *quoted, size_t len, int line, int col,
				 struct asl_json_parse *ctx)
{
	struct asl_json *j = asl_json_new(ASL_J_STRING, line, col);
	char *out = j ? malloc(len) : NULL;
	if (!out) {
		free(j);
		return NULL;
	}
	j->str = out;
	const char *s = quoted + 1, *end = quoted + len - 1;
	while (s < end) {
		if (*s != '\\') {
			*out++ = *s++;
			continue;
		}
		s++;
		char c = *s++;
		switch (c) {
		case 'b': *out++ = '\b'; break;
		case 'f': *out++ = '\f'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		case 't': *out++ = '\t'; break;
		case 'u': {
			unsigned cp = hex4(s);
			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - s >= 6 && s[0] == '\\' &&
			    s[1] == 'u' && hex4(s + 2) >= 0xdc00 && hex4(s + 2) < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(s + 2) - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				asl_json_syntax_error(ctx, line, col, "unpaired UTF-16 surrogate in string");
				cp = 0xfffd;
			} else if (cp == 0) {
				asl_json_syntax_error(ctx, line, col, "\\u0000 is not supported in strings");
				cp = 0xfffd;
			}
			put_utf8(&out, cp);
			break;
		}
		default: *out++ = c; break; /* " \ / */
		}
	}
	*out = '\0';
	return j;
}

void asl_json_free(struct asl_json *j)
{
	if (!j)
		return;
	for (int i = 0; i < j->n; i++) {
		if (j->type == ASL_J_ARRAY) {
			asl_json_free(j->items[i]);
		} else {
			free(j->members[i].key);
			asl_json_free(j->members[i].val);
		}
	}
	free(j->items);
	free(j->members);
	free(j->str);
	free(j);
}

static int grow(struct asl_json *j, size_t elem, void **v)
{
	if (j->n < j->cap)
		return 0;
	int cap = j->cap ? j->cap * 2 : 4;
	void *p = realloc(*v, (size_t)cap * elem);
	if (!p)
		return -1;
	*v = p;
	j->cap = cap;
	return 0;
}

struct asl_json *asl_json_push(struct asl_json *arr, struct asl_json *item)
{
	if (!arr || !item || grow(arr, sizeof *arr->items, (void **)&arr->items)) {
		asl_json_free(arr);
		asl_json_free(item);
		return NULL;
	}
	arr->items[arr->n++] = item;
	return arr;
}

/* Add key: val to obj. A key seen before is an error (AWS rejects duplicate
 * keys); the later value is dropped so the tree stays a map. */
struct asl_json *asl_json_add(struct asl_json *obj, struct asl_json *key,
			      struct asl_json *val, struct asl_json_parse *ctx)
{
	if (!obj || !key || !val || grow(obj, sizeof *obj->members, (void **)&obj->members)) {
		asl_json_free(obj);
		asl_json_free(key);
		asl_json_free(val);
		return NULL;
	}
	const struct asl_member *prev = asl_json_member(obj, key->str);
	if (prev) {
		asl_diag_add(ctx->diags, ASL_ERROR, key->loc, "INVALID_JSON_DESCRIPTION", "",
			     "duplicate key \"%s\" (first at line %d, column %d)", key->str,
			     prev->key_loc.line, prev->key_loc.col);
		ctx->failed = 1;
		asl_json_free(key);
		asl_json_free(val);
		return obj;
	}
	struct asl_member *m = &obj->members[obj->n++];
	m->key = key->str;
	m->key_loc = key->loc;
	m->val = val;
	key->str = NULL;
	asl_json_free(key);
	return obj;
}

void asl_json_syntax_error(struct asl_json_parse *ctx, int line, int col, const char *msg)
{
	const char *p = strncmp(msg, "syntax error, ", 14) ? msg : msg + 14;
	asl_diag_add(ctx->diags, ASL_ERROR, at(line, col), "INVALID_JSON_DESCRIPTION", "",
		     "%s", p);
	ctx->failed = 1;
}

struct asl_json *asl_load_text(const char *text, size_t len, struct asl_diags *d)
{
	struct asl_json_parse ctx = { d, NULL, 0 };
	if (memchr(text, '\0', len)) {
		asl_diag_add(d, ASL_ERROR, at(1, 1), "INVALID_JSON_DESCRIPTION", "",
			     "the definition contains a NUL byte");
		return NULL;
	}
	int rc = asl_json_parse_text(text, len, &ctx);
	if (rc != 0 || ctx.failed) {
		if (rc != 0 && !ctx.failed)
			asl_diag_add(d, ASL_ERROR, at(1, 1), "INVALID_JSON_DESCRIPTION", "",
				     "out of memory while reading the definition");
		asl_json_free(ctx.root);
		return NULL;
	}
	return ctx.root;
}

struct asl_json *asl_load_file(const char *path, struct asl_diags *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		asl_diag_add(d, ASL_ERROR, at(0, 0), "INVALID_JSON_DESCRIPTION", "",
			     "cannot open: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		free(buf);
		asl_diag_add(d, ASL_ERROR, at(0, 0), "INVALID_JSON_DESCRIPTION", "",
			     err ? "read error" : "out of memory");
		return NULL;
	}
	struct asl_json *j = asl_load_text(buf, len, d);
	free(buf);
	return j;
}

const struct asl_member *asl_json_member(const struct asl_json *obj, const char *key)
{
	if (!obj || obj->type != ASL_J_OBJECT)
		return NULL;
	for (int i = 0; i < obj->n; i++)
		if (strcmp(obj->members[i].key, key) == 0)
			return &obj->members[i];
	return NULL;
}

struct asl_json *asl_json_get(const struct asl_json *obj, const char *key)
{
	const struct asl_member *m = asl_json_member(obj, key);
	return m ? m->val : NULL;
}

const char *asl_json_type_name(enum asl_jtype t)
{
	static const char *const names[] = { "null", "boolean", "boolean", "number",
					     "string", "array", "object" };
	return names[t];
}
