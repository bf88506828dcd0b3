/*
 * itemreader.c - the items of a Distributed Map read from a file, one at a
 * time, as AWS documents them ("ItemReader (Map)", "How Step Functions
 * parses input CSV files"):
 *   JSON   the file holds an array (or, with ItemsPointer, a document in
 *          which the pointer selects an array); each element is an item;
 *   JSONL  each non-blank line is one JSON value;
 *   CSV    each record becomes an object whose keys are the column headers
 *          (from the first row or from CSVHeaders) and whose values are the
 *          fields, always strings.
 * The file is never loaded whole: a JSON array is scanned element by
 * element and only the element being read is kept, so memory is bounded by
 * the largest item (8 MiB, AWS's limit for one item read from a file).
 * Every error is States.ItemReaderFailed with the file, line and column.
 */
#include "dmap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_LIMIT (8u * 1024u * 1024u)
#define MAX_DEPTH 512

struct rt_reader {
	FILE *f;
	char *name;
	struct rt_reader_config cfg;
	unsigned char buf[65536];
	size_t pos, len;
	int eof, io_error;
	long line, col;                /* of the next byte                      */
	long count;                    /* items returned                        */
	int done;
	/* the text of the item being read */
	char *text;
	size_t tlen, tcap;
	int too_big;
	/* CSV: field offsets into text; the header row when read from the file */
	size_t *fields;
	int nfields, fcap;
	char **own_headers;
	int nown;
	/* JSON: the array or object is open (elements or members follow);
	 * close is the byte that ends it, ']' or '}' */
	int close, first;
};

/* ------------------------------------------------------------ bytes */

static int fill(struct rt_reader *r)
{
	if (r->eof)
		return -1;
	r->len = fread(r->buf, 1, sizeof r->buf, r->f);
	r->pos = 0;
	if (r->len == 0) {
		r->eof = 1;
		r->io_error = ferror(r->f) != 0;
		return -1;
	}
	return 0;
}

static int peek(struct rt_reader *r)
{
	if (r->pos == r->len && fill(r) != 0)
		return EOF;
	return r->buf[r->pos];
}

static int get(struct rt_reader *r)
{
	int c = peek(r);
	if (c == EOF)
		return EOF;
	r->pos++;
	if (c == '\n') {
		r->line++;
		r->col = 1;
	} else {
		r->col++;
	}
	return c;
}

/* Append byte c to the item text (a NUL is kept after it). Past the item
 * limit the text stops growing and too_big is set. */
static void put(struct rt_reader *r, int c)
{
	if (r->tlen + 2 > r->tcap) {
		if (r->tlen + 2 > ITEM_LIMIT) {
			r->too_big = 1;
			return;
		}
		size_t cap = r->tcap ? r->tcap * 2 : 256;
		char *t = rt_realloc(r->text, cap);
		if (!t) {
			r->too_big = 1;
			return;
		}
		r->text = t;
		r->tcap = cap;
	}
	r->text[r->tlen++] = (char)c;
	r->text[r->tlen] = '\0';
}

/* ------------------------------------------------------------ errors */

/* Set err to States.ItemReaderFailed: "<file>: line L, column C: <what>". */
static int fail_at(struct rt_reader *r, long line, long col, struct aslrt_error *err,
		   const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
static int fail_at(struct rt_reader *r, long line, long col, struct aslrt_error *err,
		   const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (r->io_error)
		aslrt_error_set(err, ASLRT_ERR_ITEM_READER, "%s: read error: %s", r->name,
				strerror(EIO));
	else
		aslrt_error_set(err, ASLRT_ERR_ITEM_READER, "%s: line %ld, column %ld: %s",
				r->name, line, col, what);
	r->done = 1;
	return -1;
}

static int fail_here(struct rt_reader *r, struct aslrt_error *err, const char *what)
{
	return fail_at(r, r->line, r->col, err, "%s", what);
}

static int too_big(struct rt_reader *r, long line, struct aslrt_error *err)
{
	return fail_at(r, line, 1, err, "the item starting here is larger than 8 MiB");
}

/* -------------------------------------------------------------- JSON */

/* Consume the byte c when it comes next; 0 when it did, -1 (nothing
 * consumed, so errors point at the byte) when not. */
static int expect(struct rt_reader *r, int c)
{
	if (peek(r) != c)
		return -1;
	get(r);
	return 0;
}

static void skip_ws(struct rt_reader *r)
{
	for (int c = peek(r); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek(r))
		get(r);
}

/* Scan a string token (the opening quote is next), appending it to the
 * text when keep. Returns 0 or -1 with err set. */
static int scan_string(struct rt_reader *r, int keep, struct aslrt_error *err)
{
	long line = r->line, col = r->col;
	int c = get(r);
	if (keep)
		put(r, c);
	for (;;) {
		c = get(r);
		if (c == EOF)
			return fail_at(r, line, col, err, "unterminated string");
		if (keep)
			put(r, c);
		if (c == '"')
			return 0;
		if (c == '\\') {
			c = get(r);
			if (c == EOF)
				return fail_at(r, line, col, err, "unterminated string");
			if (keep)
				put(r, c);
		}
	}
}

/* Scan one JSON value (appending it to the text when keep) without
 * building it: brackets are matched, strings skipped whole; the value's own
 * syntax is checked by cJSON when it is kept. Returns 0 or -1. */
static int scan_value(struct rt_reader *r, int keep, struct aslrt_error *err)
{
	skip_ws(r);
	long line = r->line, col = r->col;
	int c = peek(r);
	if (c == '"')
		return scan_string(r, keep, err);
	if (c != '{' && c != '[') {            /* a number, true, false, null */
		while ((c = peek(r)) != EOF && !strchr(",]} \t\r\n", c)) {
			get(r);
			if (keep)
				put(r, c);
		}
		return r->too_big ? too_big(r, line, err) : 0;
	}
	char stack[MAX_DEPTH];
	int depth = 0;
	for (;;) {
		c = peek(r);
		if (c == EOF)
			return fail_at(r, line, col, err, "unexpected end of file in a JSON value");
		if (c == '"') {
			if (scan_string(r, keep, err))
				return -1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == MAX_DEPTH)
				return fail_here(r, err, "JSON nested too deeply");
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (stack[depth - 1] != c)
				return fail_here(r, err, "mismatched bracket");
			depth--;
		}
		get(r);
		if (keep)
			put(r, c);
		if (r->too_big)
			return too_big(r, line, err);
		if (depth == 0)
			return 0;
	}
}

/* Parse the text gathered for one item; line/col locate it for errors. */
static int parse_text(struct rt_reader *r, long line, long col, cJSON **item,
		      struct aslrt_error *err)
{
	const char *end = NULL;
	*item = cJSON_ParseWithLengthOpts(r->text ? r->text : "", r->tlen, &end, 0);
	if (*item) {
		while (end && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
			end++;
		if (!end || end == r->text + r->tlen)
			return 0;
		cJSON_Delete(*item);
		*item = NULL;
	}
	long at = end && r->text && end >= r->text ? (long)(end - r->text) : 0;
	/* A one-line item (JSON Lines) can name its column exactly. */
	const char *nl = r->text ? memchr(r->text, '\n', (size_t)at) : NULL;
	return fail_at(r, line, nl ? col : col + at, err, "not a valid JSON value");
}

/* Read a member key (a string token) and decode it; new memory or NULL. */
static char *read_key(struct rt_reader *r, struct aslrt_error *err)
{
	r->tlen = 0;
	long line = r->line, col = r->col;
	if (peek(r) != '"') {
		fail_here(r, err, "expected a member name");
		return NULL;
	}
	if (scan_string(r, 1, err))
		return NULL;
	cJSON *k = cJSON_ParseWithLength(r->text, r->tlen);
	char *s = k && cJSON_IsString(k) ? rt_strdup(k->valuestring) : NULL;
	cJSON_Delete(k);
	if (!s)
		fail_at(r, line, col, err, "invalid member name");
	return s;
}

/* The next reference token of an RFC 6901 pointer at *p (advanced past it),
 * decoded (~1 is '/', ~0 is '~'), as new memory; NULL at the end. */
static char *pointer_token(const char **p)
{
	if (**p != '/')
		return NULL;
	const char *s = ++*p;
	size_t n = strcspn(s, "/");
	char *t = rt_malloc(n + 1), *o = t;
	for (size_t i = 0; t && i < n; i++) {
		if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
			*o++ = s[i + 1] == '0' ? '~' : '/';
			i++;
		} else {
			*o++ = s[i];
		}
	}
	if (t)
		*o = '\0';
	*p = s + n;
	return t;
}

/* Step into the member or element named tok of the container that comes
 * next. Returns 0 positioned at its value, or -1 with err set. */
static int descend(struct rt_reader *r, const char *tok, struct aslrt_error *err)
{
	skip_ws(r);
	int c = peek(r);
	if (c == '{' || c == '[')
		get(r);
	if (c == '{') {
		for (int first = 1;; first = 0) {
			skip_ws(r);
			if (peek(r) == '}')
				break;
			if (!first) {
				if (expect(r, ','))
					return fail_here(r, err, "expected ',' or '}'");
				skip_ws(r);
			}
			char *key = read_key(r, err);
			if (!key)
				return -1;
			skip_ws(r);
			int match = strcmp(key, tok) == 0;
			rt_free(key);
			if (expect(r, ':'))
				return fail_here(r, err, "expected ':'");
			if (match)
				return 0;
			if (scan_value(r, 0, err))
				return -1;
		}
	} else if (c == '[') {
		char *end;
		errno = 0;
		long want = strtol(tok, &end, 10);
		if (*tok && !*end && errno == 0 && want >= 0) {
			for (long i = 0;; i++) {
				skip_ws(r);
				if (peek(r) == ']')
					break;
				if (i > 0 && expect(r, ','))
					return fail_here(r, err, "expected ',' or ']'");
				if (i == want)
					return 0;
				if (scan_value(r, 0, err))
					return -1;
			}
		}
	}
	return fail_here(r, err, "the ItemsPointer selects nothing in this file");
}

/* Position r inside the array the items come from. Returns 0 or -1. */
static int json_open(struct rt_reader *r, struct aslrt_error *err)
{
	const char *p = r->cfg.items_pointer ? r->cfg.items_pointer : "";
	if (*p && *p != '/')
		return fail_at(r, 1, 1, err, "the ItemsPointer \"%s\" is not a JSON pointer", p);
	for (char *tok; (tok = pointer_token(&p));) {
		int rc = descend(r, tok, err);
		rt_free(tok);
		if (rc)
			return -1;
	}
	skip_ws(r);
	/* an object's members are items too, each named by its key
	 * ($$.Map.Item.Key), as an ItemsPath object is (distributed.c) */
	int c = peek(r);
	if (c != '[' && c != '{')
		return fail_here(r, err, r->cfg.items_pointer ?
				 "the ItemsPointer must select a JSON array or object" :
				 "the file must hold a JSON array or object");
	get(r);
	r->close = c == '[' ? ']' : '}';
	r->first = 1;
	return 0;
}

static int json_next(struct rt_reader *r, cJSON **item, struct aslrt_error *err)
{
	int object = r->close == '}';
	skip_ws(r);
	int c = peek(r);
	if (c == r->close) {
		get(r);
		r->done = 1;
		return 0;
	}
	if (!r->first && expect(r, ','))
		return fail_here(r, err, c == EOF ? object ? "unexpected end of file in the object"
						       : "unexpected end of file in the array"
				 : object ? "expected ',' or '}' after an object member"
					  : "expected ',' or ']' after an array element");
	r->first = 0;
	skip_ws(r);
	char *key = NULL;
	if (object) {
		if (!(key = read_key(r, err)))
			return -1;
		skip_ws(r);
		if (expect(r, ':')) {
			rt_free(key);
			return fail_here(r, err, "expected ':' after a member name");
		}
		skip_ws(r);
	}
	long line = r->line, col = r->col;
	if (peek(r) == r->close || peek(r) == EOF) {
		rt_free(key);
		return fail_here(r, err, object ? "expected a member value" : "expected an array element");
	}
	r->tlen = 0;
	if (scan_value(r, 1, err) || parse_text(r, line, col, item, err)) {
		rt_free(key);
		return -1;
	}
	(*item)->string = key;         /* freed by cJSON_Delete (rt_free hooks) */
	return 1;
}

/* ------------------------------------------------------------- JSONL */

static int jsonl_next(struct rt_reader *r, cJSON **item, struct aslrt_error *err)
{
	for (;;) {
		r->tlen = 0;
		long line = r->line;
		int c, blank = 1;
		while ((c = get(r)) != EOF && c != '\n') {
			put(r, c);
			blank &= c == ' ' || c == '\t' || c == '\r';
		}
		if (r->too_big)
			return too_big(r, line, err);
		if (!blank)
			return parse_text(r, line, 1, item, err) ? -1 : 1;
		if (c == EOF) {
			r->done = 1;
			return r->io_error ? fail_here(r, err, "read error") : 0;
		}
	}
}

/* --------------------------------------------------------------- CSV */

/* End the current field: remember where the next one starts. */
static int csv_field(struct rt_reader *r)
{
	put(r, '\0');
	if (r->nfields == r->fcap) {
		int cap = r->fcap ? r->fcap * 2 : 16;
		size_t *v = rt_realloc(r->fields, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		r->fields = v;
		r->fcap = cap;
	}
	r->fields[r->nfields++] = r->tlen;
	return 0;
}

/* Read one record into fields (text holds them NUL-separated, field k at
 * fields[k-1], field 0 at 0). Blank lines are skipped. Returns 1, 0 at the
 * end of the file, or -1 with err set.
 *
 * AWS's rules: the delimiter separates fields and newlines separate records
 * (\n, \r\n or \r); double quotes may enclose a field, which may then hold
 * delimiters and newlines; "" inside quotes is one quote; a backslash
 * escapes a backslash, a quote or the delimiter, and a backslash before any
 * other character is dropped. */
static int csv_record(struct rt_reader *r, struct aslrt_error *err)
{
	char d = r->cfg.delimiter;
	int c;
	while ((c = peek(r)) == '\n' || c == '\r')
		get(r);                        /* blank lines */
	if (c == EOF) {
		r->done = 1;
		return r->io_error ? fail_here(r, err, "read error") : 0;
	}
	long line = r->line;
	r->tlen = 0;
	r->nfields = 0;
	int quoted = 0, after_quote = 0, field_start = 1;
	long qline = 0, qcol = 0;
	for (;;) {
		long cline = r->line, ccol = r->col;
		c = get(r);
		if (r->too_big)
			return too_big(r, line, err);
		if (c == EOF) {
			if (quoted)
				return fail_at(r, qline, qcol, err, "unterminated quoted field");
			break;
		}
		if (quoted) {
			if (c == '"' && peek(r) == '"') {
				get(r);
				put(r, '"');
			} else if (c == '"') {
				quoted = 0;
				after_quote = 1;
			} else if (c == '\\') {
				int e = get(r);        /* \\ \" \<delimiter>; else dropped */
				if (e != EOF)
					put(r, e);
			} else {
				put(r, c);
			}
			continue;
		}
		if (c == d) {
			if (csv_field(r))
				return fail_at(r, line, 1, err, "out of memory");
			after_quote = 0;
			field_start = 1;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (c == '\r' && peek(r) == '\n')
				get(r);
			break;
		}
		if (after_quote)
			return fail_at(r, cline, ccol, err,
				       "unexpected character after a closing quote");
		if (c == '"' && !field_start && peek(r) == '"') {
			get(r);                /* "" is a quote outside quotes too */
			put(r, '"');
			continue;
		}
		if (c == '"' && field_start) {
			quoted = 1;
			qline = cline;
			qcol = ccol;
			field_start = 0;
			continue;
		}
		field_start = 0;
		if (c == '\\') {
			int e = peek(r);
			if (e == '\\' || e == '"' || e == d) {
				get(r);
				put(r, e);
			}
			continue;              /* before any other: the backslash is dropped */
		}
		put(r, c);
	}
	if (csv_field(r) || r->too_big)
		return too_big(r, line, err);
	return 1;
}

/* Field k of the record just read. */
static const char *csv_at(const struct rt_reader *r, int k)
{
	return r->text + (k == 0 ? 0 : r->fields[k - 1]);
}

/* The header row: the first record, or nothing for an empty file. */
static int csv_header(struct rt_reader *r, struct aslrt_error *err)
{
	int rc = csv_record(r, err);
	if (rc <= 0)
		return rc;
	r->own_headers = rt_calloc((size_t)r->nfields, sizeof *r->own_headers);
	if (!r->own_headers)
		return fail_at(r, 1, 1, err, "out of memory");
	for (int k = 0; k < r->nfields; k++) {
		for (int j = 0; j < k; j++)
			if (strcmp(r->own_headers[j], csv_at(r, k)) == 0)
				return fail_at(r, 1, 1, err, "the header row names column \"%s\" twice",
					       csv_at(r, k));
		if (!(r->own_headers[k] = rt_strdup(csv_at(r, k))))
			return fail_at(r, 1, 1, err, "out of memory");
		r->nown = k + 1;
	}
	r->cfg.headers = (const char *const *)r->own_headers;
	r->cfg.nheaders = r->nown;
	return 1;
}

static int csv_next(struct rt_reader *r, cJSON **item, struct aslrt_error *err)
{
	long line = r->line;
	int rc = csv_record(r, err);
	if (rc <= 0)
		return rc;
	cJSON *o = cJSON_CreateObject();
	/* Fewer fields than headers: empty strings; more: the rest is skipped. */
	for (int k = 0; o && k < r->cfg.nheaders; k++) {
		cJSON *v = cJSON_CreateString(k < r->nfields ? csv_at(r, k) : "");
		if (!v || !cJSON_AddItemToObject(o, r->cfg.headers[k], v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			o = NULL;
		}
	}
	if (!o)
		return fail_at(r, line, 1, err, "out of memory");
	*item = o;
	return 1;
}

/* ------------------------------------------------------------ public */

struct rt_reader *rt_reader_open_stream(FILE *f_take, const char *name,
					const struct rt_reader_config *cfg,
					struct aslrt_error *err)
{
	struct rt_reader *r = rt_calloc(1, sizeof *r);
	if (!r || !(r->name = rt_strdup(name))) {
		rt_free(r);
		fclose(f_take);
		aslrt_error_set(err, ASLRT_ERR_ITEM_READER, "out of memory");
		return NULL;
	}
	r->f = f_take;
	r->cfg = *cfg;
	r->line = r->col = 1;
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	if (peek(r) == bom[0] && r->len - r->pos >= 3 && memcmp(r->buf + r->pos, bom, 3) == 0)
		r->pos += 3;
	int rc = 0;
	if (cfg->type == ASLRT_INPUT_JSON)
		rc = json_open(r, err);
	else if (cfg->type == ASLRT_INPUT_CSV && !cfg->headers_given)
		rc = csv_header(r, err);
	if (rc < 0) {
		rt_reader_close(r);
		return NULL;
	}
	return r;
}

struct rt_reader *rt_reader_open(const char *path, const struct rt_reader_config *cfg,
				 struct aslrt_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		aslrt_error_set(err, ASLRT_ERR_ITEM_READER, "cannot read %s: %s", path,
				strerror(errno));
		return NULL;
	}
	return rt_reader_open_stream(f, path, cfg, err);
}

int rt_reader_next(struct rt_reader *r, cJSON **item, struct aslrt_error *err)
{
	*item = NULL;
	if (r->done || (r->cfg.max_items > 0 && r->count >= r->cfg.max_items))
		return 0;
	int rc;
	switch (r->cfg.type) {
	case ASLRT_INPUT_JSON: rc = json_next(r, item, err); break;
	case ASLRT_INPUT_JSONL: rc = jsonl_next(r, item, err); break;
	default: rc = csv_next(r, item, err); break;
	}
	if (rc > 0)
		r->count++;
	if (rc < 0 && !err->error)
		aslrt_error_set(err, ASLRT_ERR_ITEM_READER, "%s: out of memory", r->name);
	return rc;
}

void rt_reader_close(struct rt_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	for (int k = 0; k < r->nown; k++)
		rt_free(r->own_headers[k]);
	rt_free(r->own_headers);
	rt_free(r->fields);
	rt_free(r->text);
	rt_free(r->name);
	rt_free(r);
}
