/*
 * path.c - JSONPath text into struct aslrt_path (asl_path_parse), and the
 * builder functions the grammar (grammar/path.l, grammar/path.y) calls.
 *
 * Everything here is compiler memory (malloc/free), not runtime memory. A
 * parsed path owns all it points to: its text, its segment array, the names
 * and index arrays of its segments, and their filters; asl_path_free releases
 * the lot.
 */
#include "path_build.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#include "utf8.h"

/* ------------------------------------------------------------ freeing */

/* Free what s points to (not s itself). */
static void seg_clear(struct aslrt_seg *s)
{
	free((void *)s->name);
	if (s->names) {
		for (int i = 0; i < s->n; i++)
			free((void *)s->names[i]);
		free((void *)s->names);
	}
	free((void *)s->indexes);
	asl_path_filter_free((struct aslrt_filter *)s->filter);
	memset(s, 0, sizeof *s);
}

void asl_path_seg_free(struct aslrt_seg *s)
{
	if (!s)
		return;
	seg_clear(s);
	free(s);
}

void asl_path_tmpl_free(struct aslrt_tmpl *t)
{
	if (!t)
		return;
	free((void *)t->str);
	free(t);
}

void asl_path_filter_free(struct aslrt_filter *f)
{
	if (!f)
		return;
	asl_path_free((struct aslrt_path *)f->lhs);
	asl_path_free((struct aslrt_path *)f->rhs_path);
	asl_path_tmpl_free((struct aslrt_tmpl *)f->rhs);
	asl_path_filter_free((struct aslrt_filter *)f->a);
	asl_path_filter_free((struct aslrt_filter *)f->b);
	free(f);
}

/* Free p and everything it owns. NULL is fine. */
void asl_path_free(struct aslrt_path *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nseg; i++)
		seg_clear((struct aslrt_seg *)&p->seg[i]);
	free((void *)p->seg);
	free((void *)p->text);
	free((void *)p->var);
	free(p);
}

/* ------------------------------------------------------------- errors */

void asl_path_b_error(struct asl_path_b *b, int off, const char *fmt, ...)
{
	if (b->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	b->err = asl_vfmt(fmt, ap);
	va_end(ap);
	b->erroff = off;
}

static void *oom(struct asl_path_b *b)
{
	asl_path_b_error(b, b->off, "out of memory");
	return NULL;
}

/* The message reads "unexpected X; expected A, B or C": X is the token as
 * written (clipped), the expected names are deduplicated and "end of path"
 * comes last. */
void asl_path_b_syntax(struct asl_path_b *b, struct asl_path_loc loc, int at_end,
		       const char *const *expected, int n)
{
	char what[48];
	const unsigned char *t = (const unsigned char *)b->text + loc.first;
	int len = loc.last - loc.first;
	if (at_end || len <= 0)
		snprintf(what, sizeof what, "end of path");
	else if (*t < 0x20 || *t >= 0x7f)
		snprintf(what, sizeof what, "byte 0x%02x", *t);
	else if (*t == '\'' || *t == '"')
		snprintf(what, sizeof what, "%.*s%s", len > 24 ? 24 : len, (const char *)t,
			 len > 24 ? "..." : "");
	else
		snprintf(what, sizeof what, "'%.*s%s'", len > 24 ? 24 : len, (const char *)t,
			 len > 24 ? "..." : "");

	const char *uniq[64];
	int m = 0, has_end = 0;
	for (int i = 0; i < n && m < 64; i++) {
		if (!strcmp(expected[i], "end of path")) {
			has_end = 1;
			continue;
		}
		int dup = 0;
		for (int j = 0; j < m; j++)
			dup |= !strcmp(uniq[j], expected[i]);
		if (!dup)
			uniq[m++] = expected[i];
	}
	if (has_end && m < 64)
		uniq[m++] = "end of path";

	char list[512];
	size_t used = 0;
	list[0] = '\0';
	for (int i = 0; i < m; i++) {
		const char *sep = i == 0 ? "; expected " : i == m - 1 ? " or " : ", ";
		int w = snprintf(list + used, sizeof list - used, "%s%s", sep, uniq[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	asl_path_b_error(b, loc.first, "unexpected %s%s", what, list);
}

int asl_path_b_allow(struct asl_path_b *b, const char *what, struct asl_path_loc loc)
{
	if (b->mode != ASL_PATH_REFERENCE)
		return 0;
	asl_path_b_error(b, loc.first, "%s is not allowed in a reference path", what);
	return -1;
}

/* ----------------------------------------------------- scanner helpers */

char *asl_path_b_name(struct asl_path_b *b, const char *s, size_t len)
{
	char *d = malloc(len + 1);
	if (!d)
		return oom(b);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *asl_path_b_unquote(struct asl_path_b *b, const char *tok, size_t len, int off)
{
	/* Decoded text is never longer than the token. */
	char *out = malloc(len + 1), *d = out;
	if (!out)
		return oom(b);
	const char *s = tok + 1, *end = tok + len - 1;
	while (s < end) {
		if (*s != '\\') {
			*d++ = *s++;
			continue;
		}
		int at = off + (int)(s - tok);
		s++;
		switch (*s) {
		case '\\': case '\'': case '"': case '/':
			*d++ = *s++;
			continue;
		case 'b': *d++ = '\b'; s++; continue;
		case 'f': *d++ = '\f'; s++; continue;
		case 'n': *d++ = '\n'; s++; continue;
		case 'r': *d++ = '\r'; s++; continue;
		case 't': *d++ = '\t'; s++; continue;
		case 'u':
			break;
		default:
			asl_path_b_error(b, at, "invalid escape '\\%c' in string", *s);
			free(out);
			return NULL;
		}
		long c = asl_hex4(s + 1, end);
		s += 5;
		if (c >= 0xd800 && c < 0xdc00 && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
			long lo = asl_hex4(s + 2, end);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			}
		}
		if (c < 0 || (c >= 0xd800 && c < 0xe000) || c == 0) {
			asl_path_b_error(b, at, "invalid \\u escape in string");
			free(out);
			return NULL;
		}
		d = asl_utf8_put(d, (unsigned long)c);
	}
	*d = '\0';
	return out;
}

/* ------------------------------------------------------ path builders */

struct aslrt_path *asl_path_b_root(struct asl_path_b *b, enum aslrt_root root)
{
	struct aslrt_path *p = calloc(1, sizeof *p);
	if (!p)
		return oom(b);
	p->root = root;
	p->definite = 1;
	return p;
}

struct aslrt_path *asl_path_b_var(struct asl_path_b *b, char *name_take)
{
	struct aslrt_path *p = asl_path_b_root(b, ASLRT_ROOT_VAR);
	if (!p) {
		free(name_take);
		return NULL;
	}
	p->var = name_take;
	return p;
}

/* The most segments one path may have. Each segment can be one level of
 * recursion when the runtime walks an indefinite path, and one level of
 * nesting that a ResultPath creates: a path of 300,000 `.a` overflowed the
 * stack of the compiled program. As deep as a definition may nest
 * (ASL_JSON_MAX_DEPTH in load.h), far beyond any real path. */
#define MAX_SEGMENTS 1000

struct aslrt_path *asl_path_b_append(struct asl_path_b *b, struct aslrt_path *p,
				     struct aslrt_seg *s)
{
	if (p->nseg >= MAX_SEGMENTS) {
		asl_path_b_error(b, b->off, "a path may have at most %d segments", MAX_SEGMENTS);
		asl_path_free(p);
		asl_path_seg_free(s);
		return NULL;
	}
	struct aslrt_seg *v = realloc((void *)p->seg, (size_t)(p->nseg + 1) * sizeof *v);
	if (!v) {
		asl_path_free(p);
		asl_path_seg_free(s);
		return oom(b);
	}
	v[p->nseg++] = *s;
	p->seg = v;
	free(s);
	return p;
}

/* Definite: every segment selects at most one node (aslrt.h). */
static int is_definite(const struct aslrt_path *p)
{
	for (int i = 0; i < p->nseg; i++)
		if (p->seg[i].kind != ASLRT_SEG_FIELD && p->seg[i].kind != ASLRT_SEG_INDEX)
			return 0;
	return 1;
}

struct aslrt_path *asl_path_b_seal(struct asl_path_b *b, struct aslrt_path *p,
				   struct asl_path_loc loc)
{
	char *t = asl_path_b_name(b, b->text + loc.first, (size_t)(loc.last - loc.first));
	if (!t) {
		asl_path_free(p);
		return NULL;
	}
	p->text = t;
	p->definite = is_definite(p);
	return p;
}

int asl_path_b_finish(struct asl_path_b *b, struct aslrt_path *p)
{
	struct asl_path_loc all = { 0, (int)strlen(b->text) };
	if (!(p = asl_path_b_seal(b, p, all)))
		return -1;
	b->result = p;
	return 0;
}

int asl_path_b_long(struct asl_path_b *b, char *text, struct asl_path_loc loc, long *out)
{
	errno = 0;
	long v = strtol(text, NULL, 10);
	int bad = errno == ERANGE || v > INT_MAX || v < -INT_MAX;
	if (bad)
		asl_path_b_error(b, loc.first, "index %s is out of range", text);
	free(text);
	*out = v;
	return bad ? -1 : 0;
}

static struct aslrt_seg *new_seg(struct asl_path_b *b, enum aslrt_seg_kind kind)
{
	struct aslrt_seg *s = calloc(1, sizeof *s);
	if (!s)
		return oom(b);
	s->kind = kind;
	return s;
}

struct aslrt_seg *asl_path_b_field(struct asl_path_b *b, char *name)
{
	struct aslrt_seg *s = new_seg(b, ASLRT_SEG_FIELD);
	if (!s) {
		free(name);
		return NULL;
	}
	s->name = name;
	return s;
}

struct aslrt_seg *asl_path_b_wildcard(struct asl_path_b *b, struct asl_path_loc loc)
{
	if (asl_path_b_allow(b, "the wildcard '*'", loc))
		return NULL;
	return new_seg(b, ASLRT_SEG_WILDCARD);
}

struct aslrt_seg *asl_path_b_descent(struct asl_path_b *b, char *name,
				     struct asl_path_loc loc)
{
	struct aslrt_seg *s = NULL;
	if (!asl_path_b_allow(b, "the descendant operator '..'", loc))
		s = new_seg(b, ASLRT_SEG_DESCENT);
	if (!s) {
		free(name);
		return NULL;
	}
	s->name = name;
	return s;
}

struct aslrt_seg *asl_path_b_index(struct asl_path_b *b, long i, struct asl_path_loc loc)
{
	if (i < 0 && asl_path_b_allow(b, "a negative index", loc))
		return NULL;
	struct aslrt_seg *s = new_seg(b, ASLRT_SEG_INDEX);
	if (s)
		s->index = i;
	return s;
}

struct aslrt_seg *asl_path_b_slice(struct asl_path_b *b, struct asl_path_opt start,
				   struct asl_path_opt end, struct asl_path_opt step,
				   struct asl_path_loc step_loc)
{
	if (step.has && step.v == 0) {
		asl_path_b_error(b, step_loc.first, "slice step cannot be 0");
		return NULL;
	}
	struct aslrt_seg *s = new_seg(b, ASLRT_SEG_SLICE);
	if (!s)
		return NULL;
	s->start = start.has ? start.v : 0;
	s->end = end.has ? end.v : 0;
	s->step = step.has ? step.v : 1;
	s->has_start = (unsigned char)start.has;
	s->has_end = (unsigned char)end.has;
	s->has_step = (unsigned char)step.has;
	return s;
}

/* s is a FIELD (first name) or a UNION of names; add name. */
struct aslrt_seg *asl_path_b_names(struct asl_path_b *b, struct aslrt_seg *s, char *name)
{
	int n = s->kind == ASLRT_SEG_FIELD ? 1 : s->n;
	const char **v = realloc((void *)s->names, (size_t)(n + 1) * sizeof *v);
	if (!v) {
		free(name);
		asl_path_seg_free(s);
		return oom(b);
	}
	if (s->kind == ASLRT_SEG_FIELD) {
		v[0] = s->name;
		s->name = NULL;
		s->kind = ASLRT_SEG_UNION;
	}
	v[n] = name;
	s->names = v;
	s->n = n + 1;
	return s;
}

/* s is an INDEX (first index) or a UNION of indexes; add i. */
struct aslrt_seg *asl_path_b_indexes(struct asl_path_b *b, struct aslrt_seg *s, long i)
{
	int n = s->kind == ASLRT_SEG_INDEX ? 1 : s->n;
	long *v = realloc((void *)s->indexes, (size_t)(n + 1) * sizeof *v);
	if (!v) {
		asl_path_seg_free(s);
		return oom(b);
	}
	if (s->kind == ASLRT_SEG_INDEX) {
		v[0] = s->index;
		s->index = 0;
		s->kind = ASLRT_SEG_UNION;
	}
	v[n] = i;
	s->indexes = v;
	s->n = n + 1;
	return s;
}

struct aslrt_seg *asl_path_b_filter(struct asl_path_b *b, struct aslrt_filter *f)
{
	struct aslrt_seg *s = new_seg(b, ASLRT_SEG_FILTER);
	if (!s) {
		asl_path_filter_free(f);
		return NULL;
	}
	s->filter = f;
	return s;
}

/* ---------------------------------------------------- filter builders */

static enum aslrt_filter_op mirror(enum aslrt_filter_op op)
{
	switch (op) {
	case ASLRT_F_LT: return ASLRT_F_GT;
	case ASLRT_F_LE: return ASLRT_F_GE;
	case ASLRT_F_GT: return ASLRT_F_LT;
	case ASLRT_F_GE: return ASLRT_F_LE;
	default: return op;
	}
}

struct aslrt_filter *asl_path_b_cmp(struct asl_path_b *b, enum aslrt_filter_op op,
				    struct aslrt_path *lhs, struct aslrt_path *rhs_path,
				    struct aslrt_tmpl *rhs, int swapped)
{
	struct aslrt_filter *f = calloc(1, sizeof *f);
	if (!f) {
		asl_path_free(lhs);
		asl_path_free(rhs_path);
		asl_path_tmpl_free(rhs);
		return oom(b);
	}
	f->op = swapped ? mirror(op) : op;
	f->lhs = lhs;
	f->rhs_path = rhs_path;
	f->rhs = rhs;
	return f;
}

struct aslrt_filter *asl_path_b_logic(struct asl_path_b *b, enum aslrt_filter_op op,
				      struct aslrt_filter *a, struct aslrt_filter *c)
{
	struct aslrt_filter *f = calloc(1, sizeof *f);
	if (!f) {
		asl_path_filter_free(a);
		asl_path_filter_free(c);
		return oom(b);
	}
	f->op = op;
	f->a = a;
	f->b = c;
	return f;
}

static struct aslrt_tmpl *new_const(struct asl_path_b *b, enum aslrt_tkind kind)
{
	struct aslrt_tmpl *t = calloc(1, sizeof *t);
	if (!t)
		return oom(b);
	t->kind = kind;
	return t;
}

struct aslrt_tmpl *asl_path_b_const_str(struct asl_path_b *b, char *s)
{
	struct aslrt_tmpl *t = new_const(b, ASLRT_T_STRING);
	if (!t) {
		free(s);
		return NULL;
	}
	t->str = s;
	return t;
}

struct aslrt_tmpl *asl_path_b_const_num(struct asl_path_b *b, char *text,
					struct asl_path_loc loc)
{
	double v = strtod(text, NULL);
	if (!isfinite(v)) {
		asl_path_b_error(b, loc.first, "number %s is out of range", text);
		free(text);
		return NULL;
	}
	free(text);
	struct aslrt_tmpl *t = new_const(b, ASLRT_T_NUMBER);
	if (t)
		t->num = v;
	return t;
}

struct aslrt_tmpl *asl_path_b_const_kw(struct asl_path_b *b, enum aslrt_tkind kind)
{
	return new_const(b, kind);
}

/* ---------------------------------------------------------- the entry */

struct aslrt_path *asl_path_parse(const char *text, enum asl_path_mode mode,
				  char **err, int *erroff)
{
	struct asl_path_b b = { .text = text, .mode = mode };
	*err = NULL;
	*erroff = 0;
	if (text[0] != '$') {
		asl_path_b_error(&b, 0, "a path must start with '$'");
	} else if (asl_path_run_parser(&b) == 0 && b.result) {
		return b.result;
	} else if (!b.err) {
		asl_path_b_error(&b, b.off, "out of memory");
	}
	asl_path_free(b.result);
	*err = b.err;
	*erroff = b.erroff;
	return NULL;
}
