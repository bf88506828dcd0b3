/*
 * intrinsic.c - intrinsic function calls into struct aslrt_call
 * (asl_intrinsic_parse), the builder functions the grammar
 * (grammar/intrinsic.l, grammar/intrinsic.y) calls, and the compile-time
 * checks of each function's arguments.
 *
 * The rules come from the AWS Step Functions Developer Guide, "Intrinsic
 * functions for JSONPath states in Step Functions" (cited below as [docs]),
 * and the Amazon States Language specification, "Intrinsic Functions"
 * ([spec]). A check that needs a value is made only when that value is a
 * literal; the runtime (runtime/intrinsics.c) repeats every check on the
 * values it computes.
 *
 * Everything here is compiler memory (malloc/free). A parsed call owns its
 * text, its argument array, the literal templates (and their strings), the
 * paths and the nested calls of its arguments; asl_intrinsic_free releases
 * the lot.
 */
#include "intrinsic_build.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#include "path.h"

/* ------------------------------------------------------ function table */

/* Value types as a mask: what a literal is, what a call returns, what a
 * parameter accepts. */
enum {
	V_STR = 1, V_NUM = 2, V_BOOL = 4, V_NULL = 8, V_ARR = 16, V_OBJ = 32,
	V_ANY = 63
};

struct sig {
	const char *name;
	int min, max;                  /* argument count; max -1: no limit      */
	unsigned char param[3];        /* types of the first three arguments    */
	unsigned char rest;            /* type of any further argument          */
	unsigned char result;          /* type of the call's value              */
};

/* Indexed by enum aslrt_fn. Types per [docs]; StringToJson and ArrayGetItem
 * can return anything. */
static const struct sig sigs[] = {
	[ASLRT_FN_FORMAT] = { "States.Format", 1, -1, { V_STR }, V_ANY, V_STR },
	[ASLRT_FN_STRING_TO_JSON] = { "States.StringToJson", 1, 1, { V_STR }, 0, V_ANY },
	[ASLRT_FN_JSON_TO_STRING] = { "States.JsonToString", 1, 1, { V_ANY }, 0, V_STR },
	[ASLRT_FN_ARRAY] = { "States.Array", 0, -1, { V_ANY, V_ANY, V_ANY }, V_ANY, V_ARR },
	[ASLRT_FN_ARRAY_PARTITION] = { "States.ArrayPartition", 2, 2, { V_ARR, V_NUM }, 0,
				       V_ARR },
	[ASLRT_FN_ARRAY_CONTAINS] = { "States.ArrayContains", 2, 2, { V_ARR, V_ANY }, 0,
				      V_BOOL },
	[ASLRT_FN_ARRAY_RANGE] = { "States.ArrayRange", 3, 3, { V_NUM, V_NUM, V_NUM }, 0,
				   V_ARR },
	[ASLRT_FN_ARRAY_GET_ITEM] = { "States.ArrayGetItem", 2, 2, { V_ARR, V_NUM }, 0,
				      V_ANY },
	[ASLRT_FN_ARRAY_LENGTH] = { "States.ArrayLength", 1, 1, { V_ARR }, 0, V_NUM },
	[ASLRT_FN_ARRAY_UNIQUE] = { "States.ArrayUnique", 1, 1, { V_ARR }, 0, V_ARR },
	[ASLRT_FN_BASE64_ENCODE] = { "States.Base64Encode", 1, 1, { V_STR }, 0, V_STR },
	[ASLRT_FN_BASE64_DECODE] = { "States.Base64Decode", 1, 1, { V_STR }, 0, V_STR },
	[ASLRT_FN_HASH] = { "States.Hash", 2, 2, { V_STR, V_STR }, 0, V_STR },
	[ASLRT_FN_JSON_MERGE] = { "States.JsonMerge", 3, 3, { V_OBJ, V_OBJ, V_BOOL }, 0,
				  V_OBJ },
	[ASLRT_FN_MATH_RANDOM] = { "States.MathRandom", 2, 3, { V_NUM, V_NUM, V_NUM }, 0,
				   V_NUM },
	[ASLRT_FN_MATH_ADD] = { "States.MathAdd", 2, 2, { V_NUM, V_NUM }, 0, V_NUM },
	[ASLRT_FN_STRING_SPLIT] = { "States.StringSplit", 2, 2, { V_STR, V_STR }, 0, V_ARR },
	[ASLRT_FN_UUID] = { "States.UUID", 0, 0, { 0 }, 0, V_STR },
};
#define NFN ((int)(sizeof sigs / sizeof sigs[0]))

/* [docs] "The data you provide must be ... 10,000 characters or less"
 * (Hash), "a data string of up to 10,000 characters" (Base64Encode/Decode). */
#define MAX_CHARS 10000
/* [docs] ArrayRange: "The new array can contain up to 1000 elements." */
#define MAX_RANGE 1000

/* ------------------------------------------------------------ freeing */

static void tmpl_free(struct aslrt_tmpl *t)
{
	if (!t)
		return;
	for (int i = 0; t->items && i < t->n; i++)
		free((void *)t->items[i].str);
	free((void *)t->items);
	free((void *)t->str);
	free(t);
}

/* Free what a points to (not a itself). */
static void arg_clear(struct aslrt_arg *a)
{
	tmpl_free((struct aslrt_tmpl *)a->lit);
	asl_path_free((struct aslrt_path *)a->path);
	asl_intrinsic_free((struct aslrt_call *)a->call);
	memset(a, 0, sizeof *a);
}

void asl_intrinsic_free(struct aslrt_call *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nargs; i++)
		arg_clear((struct aslrt_arg *)&c->args[i]);
	free((void *)c->args);
	free((void *)c->text);
	free(c);
}

void asl_intr_arg_free(struct asl_intr_arg *a)
{
	if (!a)
		return;
	arg_clear(&a->a);
	free(a->raw);
	free(a);
}

void asl_intr_args_free(struct asl_intr_args *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->n; i++) {
		arg_clear(&l->v[i].a);
		free(l->v[i].raw);
	}
	free(l->v);
	free(l);
}

/* ------------------------------------------------------------- errors */

void asl_intr_b_error(struct asl_intr_b *b, int off, const char *fmt, ...)
{
	if (b->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	b->err = asl_vfmt(fmt, ap);
	va_end(ap);
	b->erroff = off;
}

static void *oom(struct asl_intr_b *b)
{
	asl_intr_b_error(b, b->off, "out of memory");
	return NULL;
}

/* "unexpected X; expected A, B or C": X is the token as written (clipped);
 * the expected names come in the parser's order, "end of input" last. */
void asl_intr_b_syntax(struct asl_intr_b *b, struct asl_intr_loc loc, int at_end,
		       const char *const *expected, int n)
{
	char what[48];
	const unsigned char *t = (const unsigned char *)b->text + loc.first;
	int len = loc.last - loc.first;
	if (at_end || len <= 0)
		snprintf(what, sizeof what, "end of input");
	else if (*t < 0x20 || *t >= 0x7f)
		snprintf(what, sizeof what, "byte 0x%02x", *t);
	else
		snprintf(what, sizeof what, "'%.*s%s'", len > 24 ? 24 : len, (const char *)t,
			 len > 24 ? "..." : "");

	const char *names[64];
	int m = 0, has_end = 0;
	for (int i = 0; i < n && m < 63; i++) {
		if (!strcmp(expected[i], "end of input"))
			has_end = 1;
		else
			names[m++] = expected[i];
	}
	if (has_end)
		names[m++] = "end of input";
	char list[512];
	size_t used = 0;
	list[0] = '\0';
	for (int i = 0; i < m; i++) {
		const char *sep = i == 0 ? "; expected " : i == m - 1 ? " or " : ", ";
		int w = snprintf(list + used, sizeof list - used, "%s%s", sep, names[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	asl_intr_b_error(b, loc.first, "unexpected %s%s", what, list);
}

/* ----------------------------------------------------- scanner helpers */

int asl_intr_b_fn(const char *name, size_t len)
{
	for (int f = 0; f < NFN; f++)
		if (strlen(sigs[f].name) == len && memcmp(sigs[f].name, name, len) == 0)
			return f;
	return -1;
}

char *asl_intr_b_string(struct asl_intr_b *b, const char *tok, size_t len, int off)
{
	/* [docs] "Reserved characters in intrinsic functions": \' \{ \} \\ are
	 * the escapes; "If an open escape backslash \ is found in the intrinsic
	 * invocation string, the interpreter will return a runtime error." We
	 * report it at compile time. */
	for (size_t i = 1; i + 1 < len; i++) {
		if (tok[i] != '\\')
			continue;
		char c = tok[i + 1];
		if (c != '\'' && c != '{' && c != '}' && c != '\\') {
			asl_intr_b_error(b, off + (int)i,
					 "invalid escape in string: only \\', \\{, \\} and \\\\ "
					 "are allowed");
			return NULL;
		}
		i++;
	}
	char *s = malloc(len + 1);
	if (!s)
		return oom(b);
	memcpy(s, tok, len);
	s[len] = '\0';
	return s;
}

int asl_intr_b_number(struct asl_intr_b *b, const char *tok, int off, double *out)
{
	*out = strtod(tok, NULL);
	if (!isfinite(*out)) {
		asl_intr_b_error(b, off, "number %s is out of range", tok);
		return -1;
	}
	return 0;
}

struct aslrt_path *asl_intr_b_path(struct asl_intr_b *b, struct asl_intr_loc *loc)
{
	while (loc->last > loc->first && strchr(" \t\r\n", b->text[loc->last - 1]))
		loc->last--;
	size_t len = (size_t)(loc->last - loc->first);
	char *text = malloc(len + 1);
	if (!text)
		return oom(b);
	memcpy(text, b->text + loc->first, len);
	text[len] = '\0';
	char *err = NULL;
	int erroff = 0;
	struct aslrt_path *p = asl_path_parse(text, ASL_PATH_FULL, &err, &erroff);
	if (!p)
		asl_intr_b_error(b, loc->first + erroff, "invalid path '%s': %s", text,
				 err ? err : "out of memory");
	free(err);
	free(text);
	return p;
}

/* ----------------------------------------------------------- arguments */

static struct asl_intr_arg *new_arg(struct asl_intr_b *b, enum aslrt_arg_kind kind,
				    struct asl_intr_loc loc)
{
	struct asl_intr_arg *a = calloc(1, sizeof *a);
	if (!a)
		return oom(b);
	a->a.kind = kind;
	a->loc = loc;
	return a;
}

/* A new literal argument of the given kind. */
static struct asl_intr_arg *new_lit(struct asl_intr_b *b, enum aslrt_tkind kind,
				    struct asl_intr_loc loc)
{
	struct aslrt_tmpl *t = calloc(1, sizeof *t);
	struct asl_intr_arg *a = t ? new_arg(b, ASLRT_ARG_LITERAL, loc) : oom(b);
	if (!a) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	a->a.lit = t;
	return a;
}

/* Decode the escapes of the raw string token (quotes included) bytes
 * [from, to) into a new string. */
static char *unescape(struct asl_intr_b *b, const char *from, const char *to)
{
	char *s = malloc((size_t)(to - from) + 1), *d = s;
	if (!s)
		return oom(b);
	while (from < to) {
		if (*from == '\\' && from + 1 < to)
			from++;
		*d++ = *from++;
	}
	*d = '\0';
	return s;
}

struct asl_intr_arg *asl_intr_b_lit_string(struct asl_intr_b *b, char *raw,
					   struct asl_intr_loc loc)
{
	size_t len = strlen(raw);
	struct asl_intr_arg *a = new_lit(b, ASLRT_T_STRING, loc);
	char *s = a ? unescape(b, raw + 1, raw + len - 1) : NULL;
	if (!s) {
		asl_intr_arg_free(a);
		free(raw);
		return NULL;
	}
	((struct aslrt_tmpl *)a->a.lit)->str = s;
	a->raw = raw;
	return a;
}

struct asl_intr_arg *asl_intr_b_lit_number(struct asl_intr_b *b, double v,
					   struct asl_intr_loc loc)
{
	struct asl_intr_arg *a = new_lit(b, ASLRT_T_NUMBER, loc);
	if (a)
		((struct aslrt_tmpl *)a->a.lit)->num = v;
	return a;
}

struct asl_intr_arg *asl_intr_b_lit_kw(struct asl_intr_b *b, enum aslrt_tkind kind,
				       struct asl_intr_loc loc)
{
	return new_lit(b, kind, loc);
}

struct asl_intr_arg *asl_intr_b_arg_path(struct asl_intr_b *b, struct aslrt_path *p,
					 struct asl_intr_loc loc)
{
	struct asl_intr_arg *a = new_arg(b, ASLRT_ARG_PATH, loc);
	if (!a) {
		asl_path_free(p);
		return NULL;
	}
	a->a.path = p;
	return a;
}

struct asl_intr_arg *asl_intr_b_arg_call(struct asl_intr_b *b, struct aslrt_call *c,
					 struct asl_intr_loc loc)
{
	struct asl_intr_arg *a = new_arg(b, ASLRT_ARG_CALL, loc);
	if (!a) {
		asl_intrinsic_free(c);
		return NULL;
	}
	a->a.call = c;
	return a;
}

struct asl_intr_args *asl_intr_b_append(struct asl_intr_b *b, struct asl_intr_args *list,
					struct asl_intr_arg *a)
{
	if (!list && !(list = calloc(1, sizeof *list))) {
		asl_intr_arg_free(a);
		return oom(b);
	}
	struct asl_intr_arg *v = realloc(list->v, (size_t)(list->n + 1) * sizeof *v);
	if (!v) {
		asl_intr_arg_free(a);
		asl_intr_args_free(list);
		return oom(b);
	}
	v[list->n++] = *a;
	list->v = v;
	free(a);
	return list;
}

/* ------------------------------------------------------------ checking */

/* The type mask of argument a: a literal's kind, a call's result, or
 * anything for a path (known only at run time). */
static unsigned type_of(const struct aslrt_arg *a)
{
	switch (a->kind) {
	case ASLRT_ARG_LITERAL:
		switch (a->lit->kind) {
		case ASLRT_T_STRING: return V_STR;
		case ASLRT_T_NUMBER: return V_NUM;
		case ASLRT_T_TRUE:
		case ASLRT_T_FALSE: return V_BOOL;
		default: return V_NULL;
		}
	case ASLRT_ARG_CALL:
		return sigs[a->call->fn].result;
	case ASLRT_ARG_PATH:
		break;
	}
	return V_ANY;
}

/* "a string", "a number or a string", ... for a type mask. */
static const char *type_words(unsigned m, char *buf, size_t size)
{
	static const char *const names[] = { "a string", "a number", "a boolean", "null",
					     "an array", "an object" };
	if (m == V_ANY)
		return "any JSON value";
	size_t used = 0;
	int k = 0, total = 0;
	for (int i = 0; i < 6; i++)
		total += (m >> i) & 1;
	buf[0] = '\0';
	for (int i = 0; i < 6; i++) {
		if (!((m >> i) & 1))
			continue;
		const char *sep = k == 0 ? "" : k == total - 1 ? " or " : ", ";
		int w = snprintf(buf + used, size - used, "%s%s", sep, names[i]);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
		k++;
	}
	return buf;
}

/* Round half away from zero: [docs] "If you specify a non-integer value ...
 * Step Functions will round it off to the nearest integer" (ArrayPartition,
 * ArrayRange, MathRandom, MathAdd). The runtime rounds the same way. */
static double rounded(double v)
{
	return round(v);
}

/* Characters (Unicode code points) of the UTF-8 string s. */
static long chars_of(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static const struct aslrt_tmpl *lit(const struct asl_intr_args *l, int i)
{
	return i < l->n && l->v[i].a.kind == ASLRT_ARG_LITERAL ? l->v[i].a.lit : NULL;
}

/* Check arity and types. Returns 0 or -1 (error recorded). */
static int check_types(struct asl_intr_b *b, int fn, struct asl_intr_loc name,
		       const struct asl_intr_args *l)
{
	const struct sig *s = &sigs[fn];
	char want[96], got[96];
	if (l->n < s->min || (s->max >= 0 && l->n > s->max)) {
		if (s->max == 0)
			asl_intr_b_error(b, name.first, "%s takes no arguments, not %d", s->name,
					 l->n);
		else if (s->max < 0)
			asl_intr_b_error(b, name.first, "%s takes at least %d argument%s, not %d",
					 s->name, s->min, s->min == 1 ? "" : "s", l->n);
		else if (s->min == s->max)
			asl_intr_b_error(b, name.first, "%s takes %d argument%s, not %d", s->name,
					 s->min, s->min == 1 ? "" : "s", l->n);
		else
			asl_intr_b_error(b, name.first, "%s takes %d or %d arguments, not %d",
					 s->name, s->min, s->max, l->n);
		return -1;
	}
	for (int i = 0; i < l->n; i++) {
		unsigned param = i < 3 && s->param[i] ? s->param[i] : s->rest;
		const struct aslrt_arg *a = &l->v[i].a;
		unsigned t = type_of(a);
		if (t & param)
			continue;
		type_words(param, want, sizeof want);
		type_words(t, got, sizeof got);
		if (a->kind == ASLRT_ARG_CALL)
			asl_intr_b_error(b, l->v[i].loc.first,
					 "argument %d of %s must be %s, but %s returns %s", i + 1,
					 s->name, want, sigs[a->call->fn].name, got);
		else
			asl_intr_b_error(b, l->v[i].loc.first, "argument %d of %s must be %s, not %s",
					 i + 1, s->name, want, got);
		return -1;
	}
	/* [spec] States.JsonToString: "This argument MUST be a Path." A nested
	 * call is taken too (it yields a value the same way). */
	if (fn == ASLRT_FN_JSON_TO_STRING && l->v[0].a.kind == ASLRT_ARG_LITERAL) {
		asl_intr_b_error(b, l->v[0].loc.first,
				 "the argument of States.JsonToString must be a path or an "
				 "intrinsic function, not a literal");
		return -1;
	}
	return 0;
}

/* Check the literal values [docs] constrains. Returns 0 or -1. */
static int check_values(struct asl_intr_b *b, int fn, struct asl_intr_loc name,
			const struct asl_intr_args *l)
{
	const struct aslrt_tmpl *k;
	switch (fn) {
	case ASLRT_FN_ARRAY_PARTITION:
		/* "a non-zero, positive integer for the second argument" */
		if ((k = lit(l, 1)) && rounded(k->num) < 1) {
			asl_intr_b_error(b, l->v[1].loc.first,
					 "the chunk size of States.ArrayPartition must be a positive "
					 "integer");
			return -1;
		}
		break;
	case ASLRT_FN_ARRAY_GET_ITEM:
		if ((k = lit(l, 1)) && (k->num < 0 || k->num != floor(k->num))) {
			asl_intr_b_error(b, l->v[1].loc.first,
					 "the index of States.ArrayGetItem must be a non-negative "
					 "integer");
			return -1;
		}
		break;
	case ASLRT_FN_ARRAY_RANGE: {
		/* "a non-zero value for the third argument"; "can't contain more
		 * than 1000 items" */
		const struct aslrt_tmpl *from = lit(l, 0), *to = lit(l, 1);
		if ((k = lit(l, 2)) && rounded(k->num) == 0) {
			asl_intr_b_error(b, l->v[2].loc.first,
					 "the step of States.ArrayRange must not be 0");
			return -1;
		}
		if (k && from && to) {
			double n = floor((rounded(to->num) - rounded(from->num)) / rounded(k->num)) + 1;
			if (n > MAX_RANGE) {
				asl_intr_b_error(b, name.first,
						 "States.ArrayRange would make %.0f items; at most %d "
						 "are allowed", n, MAX_RANGE);
				return -1;
			}
		}
		break;
	}
	case ASLRT_FN_BASE64_ENCODE:
	case ASLRT_FN_BASE64_DECODE:
	case ASLRT_FN_HASH:
		if ((k = lit(l, 0)) && chars_of(k->str) > MAX_CHARS) {
			asl_intr_b_error(b, l->v[0].loc.first,
					 "the input of %s is longer than %d characters",
					 sigs[fn].name, MAX_CHARS);
			return -1;
		}
		if (fn == ASLRT_FN_HASH && (k = lit(l, 1))) {
			static const char *const algs[] = { "MD5", "SHA-1", "SHA-256", "SHA-384",
							    "SHA-512" };
			for (int i = 0; i < 5; i++)
				if (!strcmp(k->str, algs[i]))
					return 0;
			asl_intr_b_error(b, l->v[1].loc.first,
					 "unknown hash algorithm '%s': expected MD5, SHA-1, SHA-256, "
					 "SHA-384 or SHA-512", k->str);
			return -1;
		}
		break;
	case ASLRT_FN_JSON_MERGE:
		/* "you must specify the boolean value as false" */
		if ((k = lit(l, 2)) && k->kind != ASLRT_T_FALSE) {
			asl_intr_b_error(b, l->v[2].loc.first,
					 "the third argument of States.JsonMerge must be false: only "
					 "shallow merging is supported");
			return -1;
		}
		break;
	case ASLRT_FN_MATH_RANDOM: {
		const struct aslrt_tmpl *from = lit(l, 0), *to = lit(l, 1);
		if (from && to && rounded(to->num) <= rounded(from->num)) {
			asl_intr_b_error(b, l->v[1].loc.first,
					 "the end of States.MathRandom must be greater than its start");
			return -1;
		}
		break;
	}
	case ASLRT_FN_MATH_ADD:
		/* "integer values in the range of -2147483648 and 2147483647" */
		for (int i = 0; i < 2; i++) {
			if ((k = lit(l, i)) &&
			    (rounded(k->num) < -2147483648.0 || rounded(k->num) > 2147483647.0)) {
				asl_intr_b_error(b, l->v[i].loc.first,
						 "argument %d of States.MathAdd is outside the range "
						 "-2147483648 to 2147483647", i + 1);
				return -1;
			}
		}
		break;
	default:
		break;
	}
	return 0;
}

/* The format string of States.Format, a literal, as its pieces between
 * placeholders: an ASLRT_T_ARRAY of STRING items replacing a->lit. Only an
 * unescaped `{}` is a placeholder ([spec]: "the { and } characters can be
 * escaped respectively as \{ and \}"). *n gets the placeholder count.
 * Returns 0 or -1. */
static int split_format(struct asl_intr_b *b, struct asl_intr_arg *a, int *n)
{
	const char *raw = a->raw + 1, *end = a->raw + strlen(a->raw) - 1;
	int pieces = 1;
	for (const char *p = raw; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (p[0] == '{' && p[1] == '}')
			pieces++, p++;
	}
	struct aslrt_tmpl *t = calloc(1, sizeof *t);
	struct aslrt_tmpl *items = calloc((size_t)pieces, sizeof *items);
	if (!t || !items) {
		free(t);
		free(items);
		oom(b);
		return -1;
	}
	t->kind = ASLRT_T_ARRAY;
	t->n = pieces;
	t->items = items;
	int i = 0;
	const char *from = raw;
	for (const char *p = raw;; p++) {
		if (p < end && *p == '\\') {
			p++;
			continue;
		}
		if (p < end && !(p[0] == '{' && p[1] == '}'))
			continue;
		items[i].kind = ASLRT_T_STRING;
		if (!(items[i].str = unescape(b, from, p))) {
			tmpl_free(t);
			return -1;
		}
		i++;
		if (p >= end)
			break;
		from = ++p + 1;
	}
	tmpl_free((struct aslrt_tmpl *)a->a.lit);
	a->a.lit = t;
	*n = pieces - 1;
	return 0;
}

int asl_intr_b_enter(struct asl_intr_b *b, int fn, struct asl_intr_loc loc)
{
	if (fn < 0) {
		asl_intr_b_error(b, loc.first, "unknown intrinsic function '%.*s'",
				 loc.last - loc.first, b->text + loc.first);
		return -1;
	}
	if (++b->open_calls > ASL_INTRINSIC_MAX_DEPTH) {
		asl_intr_b_error(b, loc.first,
				 "intrinsic functions nest more than %d deep",
				 ASL_INTRINSIC_MAX_DEPTH);
		return -1;
	}
	return 0;
}

struct aslrt_call *asl_intr_b_call(struct asl_intr_b *b, int fn, struct asl_intr_loc name,
				   struct asl_intr_args *args, struct asl_intr_loc all)
{
	struct asl_intr_args none = { 0, NULL };
	const struct asl_intr_args *l = args ? args : &none;
	struct aslrt_call *c = NULL;
	b->open_calls--;
	if (check_types(b, fn, name, l) || check_values(b, fn, name, l))
		goto out;
	if (fn == ASLRT_FN_FORMAT && lit(l, 0)) {
		int holes;
		if (split_format(b, &args->v[0], &holes))
			goto out;
		if (holes != l->n - 1) {
			asl_intr_b_error(b, l->v[0].loc.first,
					 "the format string has %d placeholder%s '{}' but %d "
					 "value%s follow%s", holes, holes == 1 ? "" : "s", l->n - 1,
					 l->n - 1 == 1 ? "" : "s", l->n - 1 == 1 ? "s" : "");
			goto out;
		}
	}
	size_t tlen = (size_t)(all.last - all.first);
	char *text = malloc(tlen + 1);
	struct aslrt_arg *v = l->n ? calloc((size_t)l->n, sizeof *v) : NULL;
	c = calloc(1, sizeof *c);
	if (!text || (l->n && !v) || !c) {
		free(text);
		free(v);
		free(c);
		c = oom(b);
		goto out;
	}
	memcpy(text, b->text + all.first, tlen);
	text[tlen] = '\0';
	for (int i = 0; i < l->n; i++) {
		v[i] = args->v[i].a;
		memset(&args->v[i].a, 0, sizeof args->v[i].a);
	}
	c->fn = (enum aslrt_fn)fn;
	c->nargs = l->n;
	c->args = v;
	c->text = text;
out:
	asl_intr_args_free(args);
	return c;
}

int asl_intr_b_finish(struct asl_intr_b *b, struct aslrt_call *c)
{
	b->result = c;
	return 0;
}

/* ---------------------------------------------------------- the entry */

struct aslrt_call *asl_intrinsic_parse(const char *text, char **err, int *erroff)
{
	struct asl_intr_b b = { .text = text };
	*err = NULL;
	*erroff = 0;
	if (asl_intr_run_parser(&b) == 0 && b.result)
		return b.result;
	if (!b.err)
		asl_intr_b_error(&b, b.off, "out of memory");
	asl_intrinsic_free(b.result);
	*err = b.err;
	*erroff = b.erroff;
	return NULL;
}
