/*
 * jsonata_build.c - the builders the JSONata grammar calls (see
 * jsonata_build.h), the parse-state memory pool, error recording, and the
 * public entry asl_jn_parse that runs scanner, parser, processing and
 * freezing in turn.
 *
 * The raw tree mirrors the objects the reference Pratt parser (jsonata-js
 * parser.js) creates, field for field, so that processing can follow
 * processAST step by step. Compile-time memory: malloc/free.
 */
#include "jsonata_build.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#include "utf8.h"

#include "jsonata.h"
#include "jsonata/jn.h"

/* ------------------------------------------------------------ memory */

/* Register the malloc'd block p with b's pool (freed with it). Returns p,
 * or NULL (p freed) after recording "out of memory". */
static void *pool_adopt(struct asl_jn_b *b, void *p)
{
	if (!p) {
		asl_jnb_error(b, "S0500", b->off, "out of memory");
		return NULL;
	}
	if (b->nmem == b->capmem) {
		size_t cap = b->capmem ? b->capmem * 2 : 64;
		void **m = realloc(b->mem, cap * sizeof *m);
		if (!m) {
			free(p);
			asl_jnb_error(b, "S0500", b->off, "out of memory");
			return NULL;
		}
		b->mem = m;
		b->capmem = cap;
	}
	b->mem[b->nmem++] = p;
	return p;
}

void *asl_jnb_alloc(struct asl_jn_b *b, size_t n)
{
	return pool_adopt(b, calloc(1, n ? n : 1));
}

char *asl_jnb_strndup(struct asl_jn_b *b, const char *s, size_t n)
{
	char *d = asl_jnb_alloc(b, n + 1);
	if (d && n)
		memcpy(d, s, n);
	return d;
}

int asl_jnb_push(struct asl_jn_b *b, struct asl_jnb_vec *v, struct asl_jnb_node *n)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 4;
		struct asl_jnb_node **p = asl_jnb_alloc(b, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		if (v->n)
			memcpy(p, v->v, (size_t)v->n * sizeof *p);
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = n;
	return 0;
}

/* ------------------------------------------------------------- errors */

int asl_jnb_error(struct asl_jn_b *b, const char *code, int pos, const char *fmt, ...)
{
	if (b->has_err)
		return -1;
	b->has_err = 1;
	snprintf(b->err.code, sizeof b->err.code, "%s", code);
	b->err.pos = pos;
	va_list ap;
	va_start(ap, fmt);
	b->err.message = asl_vfmt(fmt, ap);
	va_end(ap);
	return -1;
}

/* The token at loc as written (clipped), for messages. */
static void token_text(const struct asl_jn_b *b, struct asl_jn_loc loc, char *out, size_t n)
{
	int len = loc.last - loc.first;
	if (len <= 0 || loc.first < 0 || (size_t)loc.first >= b->len) {
		snprintf(out, n, "(end)");
		return;
	}
	if (len > 24)
		len = 24;
	snprintf(out, n, "%.*s", len, b->text + loc.first);
}

/* The codes the reference parser gives the same situations:
 *   S0207  the expression ends where an operand is due ("1 =");
 *   S0203  it ends before a required token ("$f(1", "$f(1,");
 *   S0214  it ends right after `@` or `#`;
 *   S0211  a token that cannot start an operand stands where one is due;
 *   S0201  a complete expression is followed by more tokens;
 *   S0202  a required token (a closing bracket, ':') is missing. */
void asl_jnb_syntax(struct asl_jn_b *b, struct asl_jn_loc loc, int at_end, int want_operand,
		    int end_ok, int after_focus, const char *expected)
{
	char tok[32];
	token_text(b, loc, tok, sizeof tok);
	if (at_end) {
		/* the reference reads (end) as an operand and fails later: at
		 * the check of `@`/`#` (S0214), at a missing closing bracket
		 * (S0203), or at the top (S0207) */
		if (want_operand && after_focus)
			asl_jnb_error(b, "S0214", loc.first,
				      "the right side of @ or # must be a variable name");
		else if (want_operand && b->open_depth <= 0)
			asl_jnb_error(b, "S0207", loc.first, "unexpected end of expression");
		else
			asl_jnb_error(b, "S0203", loc.first, "expected %s before end of expression",
				      expected ? expected : "more");
	} else if (want_operand) {
		asl_jnb_error(b, "S0211", loc.first,
			      "the symbol %s cannot be used as a unary operator", tok);
	} else if (end_ok) {
		asl_jnb_error(b, "S0201", loc.first, "syntax error: %s", tok);
	} else {
		asl_jnb_error(b, "S0202", loc.first, "expected %s, got %s",
			      expected ? expected : "another token", tok);
	}
}

/* ---------------------------------------------------- scanner helpers */

struct asl_jnb_node *asl_jnb_new(struct asl_jn_b *b, enum asl_jnb_type type, const char *value,
				 int pos)
{
	struct asl_jnb_node *n = asl_jnb_alloc(b, sizeof *n);
	if (n) {
		n->type = type;
		n->value = value;
		n->pos = pos;
	}
	return n;
}

/* JSON escapes: \" \\ \/ \b \f \n \r \t \uXXXX (a surrogate pair joins into
 * one character); anything else after a backslash is S0103, a \u without
 * four hex digits S0104. */
struct asl_jnb_node *asl_jnb_string(struct asl_jn_b *b, const char *tok, size_t len, int pos)
{
	const char *s = tok + 1, *end = tok + len - 1;
	char *out = asl_jnb_alloc(b, len + 1);
	if (!out)
		return NULL;
	char *d = out;
	while (s < end) {
		if (*s != '\\') {
			*d++ = *s++;
			continue;
		}
		s++;
		int at = pos + (int)(s - tok);
		switch (*s) {
		case '"': *d++ = '"'; s++; break;
		case '\\': *d++ = '\\'; s++; break;
		case '/': *d++ = '/'; s++; break;
		case 'b': *d++ = '\b'; s++; break;
		case 'f': *d++ = '\f'; s++; break;
		case 'n': *d++ = '\n'; s++; break;
		case 'r': *d++ = '\r'; s++; break;
		case 't': *d++ = '\t'; s++; break;
		case 'u': {
			long c = asl_hex4(s + 1, end);
			if (c < 0) {
				asl_jnb_error(b, "S0104", at,
					 "the escape sequence \\u must be followed by 4 hex digits");
				return NULL;
			}
			s += 5;
			if (c >= 0xd800 && c < 0xdc00 && end - s >= 6 && s[0] == '\\' &&
			    s[1] == 'u') {
				long lo = asl_hex4(s + 2, end);
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
					s += 6;
				}
			}
			d = asl_utf8_put(d, (unsigned long)c);
			break;
		}
		default:
			asl_jnb_error(b, "S0103", at, "unsupported escape sequence: \\%c", *s);
			return NULL;
		}
	}
	*d = '\0';
	struct asl_jnb_node *n = asl_jnb_new(b, JB_STRING, NULL, pos);
	if (!n)
		return NULL;
	n->str = out;
	n->len = (size_t)(d - out);
	return n;
}

struct asl_jnb_node *asl_jnb_number(struct asl_jn_b *b, const char *tok, size_t len, int pos)
{
	char *t = asl_jnb_strndup(b, tok, len);
	if (!t)
		return NULL;
	errno = 0;
	double v = strtod(t, NULL);
	if (!isfinite(v)) {
		asl_jnb_error(b, "S0102", pos, "number out of range: %s", t);
		return NULL;
	}
	struct asl_jnb_node *n = asl_jnb_new(b, JB_NUMBER, NULL, pos);
	if (n)
		n->num = v;
	return n;
}

struct asl_jnb_node *asl_jnb_name(struct asl_jn_b *b, const char *s, size_t len, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_NAME, NULL, pos);
	if (!n || !(n->str = asl_jnb_strndup(b, s, len)))
		return NULL;
	n->len = len;
	return n;
}

struct asl_jnb_node *asl_jnb_variable(struct asl_jn_b *b, const char *s, size_t len, int pos)
{
	struct asl_jnb_node *n = asl_jnb_name(b, s, len, pos);
	if (n)
		n->type = JB_VARIABLE;
	return n;
}

struct asl_jnb_node *asl_jnb_regex(struct asl_jn_b *b, const char *pat, size_t len,
				   const char *flags, size_t flen, int pos)
{
	unsigned fl = 0;
	for (size_t i = 0; i < flen; i++)
		fl |= flags[i] == 'i' ? ASLRT_JN_RE_ICASE : ASLRT_JN_RE_MULTILINE;
	const char *msg = NULL;
	struct aslrt_jn_regex *re = asl_jn_regex_compile(pat, len, fl, &msg);
	if (!re) {
		asl_jnb_error(b, "S0303", pos, "invalid regular expression: %s",
			 msg ? msg : "out of memory");
		return NULL;
	}
	if (!pool_adopt(b, re))   /* one block: free() releases it */
		return NULL;
	struct asl_jnb_node *n = asl_jnb_new(b, JB_REGEX, NULL, pos);
	if (n)
		n->re = re;
	return n;
}

struct asl_jnb_node *asl_jnb_operator(struct asl_jn_b *b, const char *op, int pos)
{
	return asl_jnb_new(b, JB_OPERATOR, op, pos);
}

/* ------------------------------------------------------- raw tree */

struct asl_jnb_node *asl_jnb_value(struct asl_jn_b *b, int vkind, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_VALUE, NULL, pos);
	if (n)
		n->vkind = vkind;
	return n;
}

struct asl_jnb_node *asl_jnb_binary(struct asl_jn_b *b, const char *op, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *rhs, int pos)
{
	enum asl_jnb_type t = JB_BINARY;
	if (!strcmp(op, "?:"))
		t = JB_ELVIS;
	else if (!strcmp(op, "??"))
		t = JB_COALESCE;
	struct asl_jnb_node *n = asl_jnb_new(b, t, op, pos);
	if (n) {
		n->lhs = lhs;
		n->rhs = rhs;
	}
	return n;
}

/* Unary minus: the reference folds it into a number literal later
 * (processAST), so the raw node stays a unary. */
struct asl_jnb_node *asl_jnb_negate(struct asl_jn_b *b, struct asl_jnb_node *e, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_UNARY, "-", pos);
	if (n)
		n->expression = e;
	return n;
}

/* A carrier n holding first, or NULL (n is then ignored: pool memory). */
static struct asl_jnb_node *with_first(struct asl_jn_b *b, struct asl_jnb_node *n,
				       struct asl_jnb_node *first)
{
	if (n && first && asl_jnb_push(b, &n->list, first))
		return NULL;
	return n;
}

struct asl_jnb_node *asl_jnb_array(struct asl_jn_b *b, struct asl_jnb_node *first, int pos)
{
	return with_first(b, asl_jnb_new(b, JB_UNARY, "[", pos), first);
}

struct asl_jnb_node *asl_jnb_append(struct asl_jn_b *b, struct asl_jnb_node *list,
				    struct asl_jnb_node *item)
{
	return asl_jnb_push(b, &list->list, item) ? NULL : list;
}

struct asl_jnb_node *asl_jnb_pairs(struct asl_jn_b *b, struct asl_jnb_node *k,
				   struct asl_jnb_node *v, int pos)
{
	struct asl_jnb_node *n = asl_jnb_object(b, NULL, NULL, pos);
	if (!n || asl_jnb_pair(b, n, k, v))
		return NULL;
	return n;
}

struct asl_jnb_node *asl_jnb_range(struct asl_jn_b *b, struct asl_jnb_node *lo,
				   struct asl_jnb_node *hi, int pos)
{
	return asl_jnb_binary(b, "..", lo, hi, pos);
}

struct asl_jnb_node *asl_jnb_object(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *pairs, int pos)
{
	struct asl_jnb_node *n = lhs ? asl_jnb_new(b, JB_BINARY, "{", pos) : asl_jnb_new(b,
											 JB_UNARY, "{", pos);
	if (!n)
		return NULL;
	n->lhs = lhs;
	if (pairs)
		n->pairs = pairs->pairs;
	return n;
}

int asl_jnb_pair(struct asl_jn_b *b, struct asl_jnb_node *obj, struct asl_jnb_node *k,
		 struct asl_jnb_node *v)
{
	if (asl_jnb_push(b, &obj->pairs, k) || asl_jnb_push(b, &obj->pairs, v))
		return -1;
	return 0;
}

struct asl_jnb_node *asl_jnb_block(struct asl_jn_b *b, struct asl_jnb_node *first, int pos)
{
	return with_first(b, asl_jnb_new(b, JB_BLOCK, "(", pos), first);
}

struct asl_jnb_node *asl_jnb_args(struct asl_jn_b *b, struct asl_jnb_node *first, int pos)
{
	return with_first(b, asl_jnb_new(b, JB_BLOCK, "args", pos), first);
}

struct asl_jnb_node *asl_jnb_filter(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *rhs, int pos)
{
	return asl_jnb_binary(b, "[", lhs, rhs, pos);
}

/* parser.js infix "[" with an empty predicate: the flag goes on the step
 * under any chain of predicates. */
struct asl_jnb_node *asl_jnb_keep_array(struct asl_jn_b *b, struct asl_jnb_node *lhs)
{
	(void)b;
	struct asl_jnb_node *step = lhs;
	while (step && step->type == JB_BINARY && !strcmp(step->value, "["))
		step = step->lhs;
	if (step)
		step->keep_array = 1;
	return lhs;
}

struct asl_jnb_node *asl_jnb_call(struct asl_jn_b *b, struct asl_jnb_node *proc,
				  struct asl_jnb_node *args, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_FUNCTION, "(", pos);
	if (!n)
		return NULL;
	n->procedure = proc;
	n->list = args->list;
	for (int i = 0; i < n->list.n; i++)
		if (n->list.v[i]->type == JB_OPERATOR && !strcmp(n->list.v[i]->value, "?"))
			n->type = JB_PARTIAL;
	return n;
}

struct asl_jnb_node *asl_jnb_lambda(struct asl_jn_b *b, struct asl_jnb_node *params,
				    const char *sig, size_t siglen, int sig_pos, struct asl_jnb_node *body, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_LAMBDA, "function", pos);
	if (!n)
		return NULL;
	n->list = params->list;
	n->body = body;
	if (sig) {
		/* the reference concatenates the signature's tokens: blanks
		 * go, the text ends at the `>` that closes the first `<` */
		char *t = asl_jnb_alloc(b, siglen + 1);
		if (!t)
			return NULL;
		size_t k = 0;
		int depth = 0;
		for (size_t i = 0; i < siglen; i++) {
			char c = sig[i];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v')
				continue;
			t[k++] = c;
			if (c == '<')
				depth++;
			else if (c == '>' && --depth == 0)
				break;
		}
		if (depth != 0 || k != strlen(t)) {
			asl_jnb_error(b, "S0202", sig_pos + (int)siglen,
				      "expected '>' ending the signature");
			return NULL;
		}
		/* the reference parses the signature before reading on */
		struct aslrt_jn_sigparam params[16];
		struct aslrt_jn_sig parsed;
		char pool[256];
		const char *code = NULL;
		int off = 0;
		if (jn_sig_parse(t, &parsed, params, 16, pool, sizeof pool, &code, &off)) {
			asl_jnb_error(b, code, sig_pos + off, "invalid function signature %s", t);
			return NULL;
		}
		/* anything between the closing '>' and '{' is an error */
		size_t used = 0;
		for (depth = 0; used < siglen; used++) {
			if (sig[used] == '<')
				depth++;
			else if (sig[used] == '>' && --depth == 0)
				break;
		}
		for (size_t i = used + 1; i < siglen; i++) {
			char c = sig[i];
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v') {
				asl_jnb_error(b, "S0202", sig_pos + (int)i,
					      "expected '{', got '%c'", c);
				return NULL;
			}
		}
		n->sig = t;
		n->sig_pos = sig_pos;
	}
	return n;
}

struct asl_jnb_node *asl_jnb_condition(struct asl_jn_b *b, struct asl_jnb_node *c,
				       struct asl_jnb_node *t, struct asl_jnb_node *e, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_CONDITION, "?", pos);
	if (n) {
		n->condition = c;
		n->then = t;
		n->els = e;
	}
	return n;
}

int asl_jnb_bind_check(struct asl_jn_b *b, const struct asl_jnb_node *lhs)
{
	if (lhs->type == JB_VARIABLE)
		return 0;
	return asl_jnb_error(b, "S0212", lhs->pos,
			     "the left side of := must be a variable name (start with $)");
}

/* parser.js infixr ":=": the left side must be a variable (S0212). */
struct asl_jnb_node *asl_jnb_bind(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				  struct asl_jnb_node *rhs, int pos)
{
	if (lhs->type != JB_VARIABLE) {
		asl_jnb_error(b, "S0212", lhs->pos,
			 "the left side of := must be a variable name (start with $)");
		return NULL;
	}
	return asl_jnb_binary(b, ":=", lhs, rhs, pos);
}

struct asl_jnb_node *asl_jnb_focus(struct asl_jn_b *b, const char *op, struct asl_jnb_node *lhs,
				   struct asl_jnb_node *rhs, int pos)
{
	if (rhs->type != JB_VARIABLE) {
		asl_jnb_error(b, "S0214", rhs->pos,
			 "the right side of %s must be a variable name (start with $)", op);
		return NULL;
	}
	return asl_jnb_binary(b, op, lhs, rhs, pos);
}

struct asl_jnb_node *asl_jnb_sort(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				  struct asl_jnb_node *terms, int pos)
{
	struct asl_jnb_node *n = asl_jnb_binary(b, "^", lhs, NULL, pos);
	if (n)
		n->list = terms->list;
	return n;
}

struct asl_jnb_node *asl_jnb_sort_term(struct asl_jn_b *b, struct asl_jnb_node *e, int descending)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_SORT, "term", e->pos);
	if (n) {
		n->expression = e;
		n->descending = descending;
	}
	return n;
}

struct asl_jnb_node *asl_jnb_transform(struct asl_jn_b *b, struct asl_jnb_node *pattern,
				       struct asl_jnb_node *update, struct asl_jnb_node *del, int pos)
{
	struct asl_jnb_node *n = asl_jnb_new(b, JB_TRANSFORM, "|", pos);
	if (n) {
		n->pattern = pattern;
		n->update = update;
		n->del = del;
	}
	return n;
}

/* ------------------------------------------------------------- entry */

/* Release everything b allocated. */
static void pool_free(struct asl_jn_b *b)
{
	for (size_t i = 0; i < b->nmem; i++)
		free(b->mem[i]);
	free(b->mem);
	b->mem = NULL;
	b->nmem = b->capmem = 0;
}

const struct aslrt_jn_expr *asl_jn_parse(const char *text, size_t len, struct aslrt_jn_error *err)
{
	struct asl_jn_b b;
	memset(&b, 0, sizeof b);
	b.text = text;
	b.len = len;
	memset(err, 0, sizeof *err);
	err->pos = -1;
	const struct aslrt_jn_expr *e = NULL;
	if (asl_jn_run_parser(&b) == 0 && b.result && !b.has_err) {
		struct asl_jnb_node *p = asl_jnb_process(&b, b.result);
		if (p && !b.has_err)
			e = asl_jnb_freeze(&b, p);
	}
	if (!e && !b.has_err)
		asl_jnb_error(&b, "S0500", 0, "out of memory");
	if (!e) {
		*err = b.err;
		b.err.message = NULL;
	}
	free(b.err.message);
	pool_free(&b);
	return e;
}
