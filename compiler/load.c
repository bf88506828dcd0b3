/*
 * load.c - builders for the JSON tree (called from grammar/json.y actions)
 * and the entry points that read a definition file.
 */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "utf8.h"

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
			unsigned cp = (unsigned)asl_hex4(s, end);
			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - s >= 6 && s[0] == '\\' &&
			    s[1] == 'u' && asl_hex4(s + 2, end) >= 0xdc00 && asl_hex4(s + 2, end) < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned)asl_hex4(s + 2, end) - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				asl_json_syntax_error(ctx, line, col, "unpaired UTF-16 surrogate in string");
				cp = 0xfffd;
			} else if (cp == 0) {
				asl_json_syntax_error(ctx, line, col, "\\u0000 is not supported in strings");
				cp = 0xfffd;
			}
			out = asl_utf8_put(out, cp);
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
	if (j->index)
		asl_strmap_free(j->index);
	free(j->index);
	free(j);
}

/* Objects with more members than this get a hash index, so that duplicate
 * detection and lookups stay linear overall (a States object can have 10^5
 * members). */
enum { INDEXED = 16 };

/* Index obj's members (all of them the first time). Returns 0 or -1. */
static int index_members(struct asl_json *obj)
{
	if (!obj->index && !(obj->index = calloc(1, sizeof *obj->index)))
		return -1;
	for (int i = obj->index->n ? obj->n - 1 : 0; i < obj->n; i++)
		if (asl_strmap_add(obj->index, obj->members[i].key, i) < -1)
			return -1;
	return 0;
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
	if (obj->n > INDEXED && index_members(obj) != 0) {
		asl_json_free(obj);
		return NULL;
	}
	return obj;
}

/* A parse error. After TOO_DEEPLY_NESTED the parser's own complaint about
 * the TOO_DEEP token is noise and is dropped. Bison's "memory exhausted" is
 * its stack limit (YYMAXDEPTH) when nesting is deep: reachable only without
 * the scanner's limit, but never a crash either way. */
void asl_json_syntax_error(struct asl_json_parse *ctx, int line, int col, const char *msg)
{
	ctx->failed = 1;
	if (ctx->too_deep)
		return;
	if (strcmp(msg, "memory exhausted") == 0 && ctx->depth > 100) {
		ctx->too_deep = 1;
		asl_diag_add(ctx->diags, ASL_ERROR, at(line, col), "TOO_DEEPLY_NESTED", "",
			     "arrays and objects nested %d deep exhaust the parser's stack",
			     ctx->depth);
		return;
	}
	const char *p = strncmp(msg, "syntax error, ", 14) ? msg : msg + 14;
	asl_diag_add(ctx->diags, ASL_ERROR, at(line, col), "INVALID_JSON_DESCRIPTION", "",
		     "%s", p);
}

int asl_json_enter(struct asl_json_parse *ctx, int line, int col)
{
	if (++ctx->depth <= ctx->max_depth || ctx->max_depth <= 0)
		return 0;
	if (!ctx->too_deep)
		asl_diag_add(ctx->diags, ASL_ERROR, at(line, col), "TOO_DEEPLY_NESTED", "",
			     "arrays and objects are nested more than %d deep", ctx->max_depth);
	ctx->too_deep = ctx->failed = 1;
	return 1;
}

void asl_json_leave(struct asl_json_parse *ctx)
{
	ctx->depth--;
}

/* Every invalid UTF-8 sequence of text, located like the scanner does (line,
 * byte column), up to a few; returns how many there are. RFC 8259 section
 * 8.1: JSON text exchanged between systems MUST be encoded using UTF-8. */
static int check_utf8(const char *text, size_t len, struct asl_diags *d)
{
	enum { SHOWN = 10 };
	const unsigned char *s = (const unsigned char *)text;
	int line = 1, col = 1, bad = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		int n = asl_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {          /* one report for a byte and its trailers */
			if (bad++ < SHOWN)
				asl_diag_add(d, ASL_ERROR, at(line, col), "INVALID_JSON_DESCRIPTION", "",
					     "invalid UTF-8 (byte 0x%02x): the definition must be "
					     "UTF-8 text", s[i]);
			n = 1;
			while (n < 4 && i + (size_t)n < len && (s[i + (size_t)n] & 0xc0) == 0x80)
				n++;
		}
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col += n;
		}
		i += (size_t)n;
	}
	if (bad > SHOWN)
		asl_diag_add(d, ASL_ERROR, at(line, col), "INVALID_JSON_DESCRIPTION", "",
			     "%d more invalid UTF-8 sequences not shown", bad - SHOWN);
	return bad;
}

struct asl_json *asl_load_text(const char *text, size_t len, struct asl_diags *d)
{
	struct asl_json_parse ctx = { d, NULL, 0, 0, ASL_JSON_MAX_DEPTH, 0 };
	size_t blank = 0;
	while (blank < len && strchr(" \t\r\n", text[blank]) && text[blank])
		blank++;
	if (blank == len) {
		/* ValidateStateMachineDefinitionDiagnostic: "MISSING_DESCRIPTION:
		 * Received a null or empty workflow input." */
		asl_diag_add(d, ASL_ERROR, at(1, 1), "MISSING_DESCRIPTION", "",
			     "the definition is empty");
		return NULL;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		struct asl_loc l = { 1, 1 };
		for (const char *p = text; p < nul; p++)
			l = *p == '\n' ? at(l.line + 1, 1) : at(l.line, l.col + 1);
		asl_diag_add(d, ASL_ERROR, l, "INVALID_JSON_DESCRIPTION", "",
			     "the definition contains a NUL byte");
		return NULL;
	}
	if (check_utf8(text, len, d))
		return NULL;
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
	if (len > 0x7fffffff) {
		free(buf);
		asl_diag_add(d, ASL_ERROR, at(0, 0), "INVALID_JSON_DESCRIPTION", "",
			     "the file is %zu bytes; aslc reads definitions of at most 2 GiB", len);
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
	if (obj->index) {
		int i = asl_strmap_get(obj->index, key);
		return i >= 0 ? &obj->members[i] : NULL;
	}
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
