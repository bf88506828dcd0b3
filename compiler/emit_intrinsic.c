/*
 * emit_intrinsic.c - a parsed intrinsic call (struct aslrt_call) as static
 * const C data.
 *
 * Names derive from the caller's cname, children before parents so each is
 * defined before it is referenced:
 *   cname              the call          cname_args        its argument array
 *   cname_a<i>_k       a literal         cname_a<i>_k_items  Format's pieces
 *   cname_a<i>_p       a path (and its helpers, see emit_path.c)
 *   cname_a<i>_c       a nested call (and its own children)
 * Each name is its parent's plus a suffix no sibling shares, so no two clash.
 */
#include "intrinsic.h"

#include <stdlib.h>
#include <string.h>

#include "emit_util.h"
#include "path.h"

static const char *const fn_names[] = {
	"ASLRT_FN_FORMAT", "ASLRT_FN_STRING_TO_JSON", "ASLRT_FN_JSON_TO_STRING",
	"ASLRT_FN_ARRAY", "ASLRT_FN_ARRAY_PARTITION", "ASLRT_FN_ARRAY_CONTAINS",
	"ASLRT_FN_ARRAY_RANGE", "ASLRT_FN_ARRAY_GET_ITEM", "ASLRT_FN_ARRAY_LENGTH",
	"ASLRT_FN_ARRAY_UNIQUE", "ASLRT_FN_BASE64_ENCODE", "ASLRT_FN_BASE64_DECODE",
	"ASLRT_FN_HASH", "ASLRT_FN_JSON_MERGE", "ASLRT_FN_MATH_RANDOM", "ASLRT_FN_MATH_ADD",
	"ASLRT_FN_STRING_SPLIT", "ASLRT_FN_UUID"
};

static const char *const arg_kinds[] = { "ASLRT_ARG_LITERAL", "ASLRT_ARG_PATH",
					 "ASLRT_ARG_CALL" };

/* The fields of a scalar literal t, after `{ `. */
static void scalar_fields(FILE *out, const struct aslrt_tmpl *t)
{
	switch (t->kind) {
	case ASLRT_T_STRING:
		fputs(".kind = ASLRT_T_STRING, .str = ", out);
		asl_emit_cstr(out, t->str);
		break;
	case ASLRT_T_NUMBER:
		fputs(".kind = ASLRT_T_NUMBER, .num = ", out);
		asl_emit_double(out, t->num);
		break;
	case ASLRT_T_TRUE:
		fputs(".kind = ASLRT_T_TRUE", out);
		break;
	case ASLRT_T_FALSE:
		fputs(".kind = ASLRT_T_FALSE", out);
		break;
	default:
		fputs(".kind = ASLRT_T_NULL", out);
		break;
	}
}

/* A literal: a scalar, or the ARRAY of string pieces of a Format string. */
static void emit_lit(FILE *out, const struct aslrt_tmpl *t, const char *name)
{
	if (t->kind == ASLRT_T_ARRAY) {
		fprintf(out, "static const struct aslrt_tmpl %s_items[] = {\n", name);
		for (int i = 0; i < t->n; i++) {
			fputs("\t{ ", out);
			scalar_fields(out, &t->items[i]);
			fputs(" },\n", out);
		}
		fprintf(out, "};\nstatic const struct aslrt_tmpl %s = { .kind = ASLRT_T_ARRAY, "
			     ".n = %d, .items = %s_items };\n", name, t->n, name);
		return;
	}
	fprintf(out, "static const struct aslrt_tmpl %s = { ", name);
	scalar_fields(out, t);
	fputs(" };\n", out);
}

static void emit_call_rec(FILE *out, const struct aslrt_call *c, const char *cname);

/* The object argument i stands for, named cname_a<i>_<k|p|c>. */
static void emit_arg_child(FILE *out, const struct aslrt_arg *a, int i, const char *cname)
{
	size_t n = strlen(cname) + 32;
	char *sub = malloc(n);
	if (!sub) {
		fputs("#error \"aslc: out of memory while writing an intrinsic call\"\n", out);
		return;
	}
	snprintf(sub, n, "%s_a%d_%c", cname, i,
		 a->kind == ASLRT_ARG_LITERAL ? 'k' : a->kind == ASLRT_ARG_PATH ? 'p' : 'c');
	if (a->kind == ASLRT_ARG_LITERAL)
		emit_lit(out, a->lit, sub);
	else if (a->kind == ASLRT_ARG_PATH)
		asl_emit_path(out, a->path, sub);
	else
		emit_call_rec(out, a->call, sub);
	free(sub);
}

static void emit_call_rec(FILE *out, const struct aslrt_call *c, const char *cname)
{
	for (int i = 0; i < c->nargs; i++)
		emit_arg_child(out, &c->args[i], i, cname);
	if (c->nargs > 0) {
		fprintf(out, "static const struct aslrt_arg %s_args[] = {\n", cname);
		for (int i = 0; i < c->nargs; i++) {
			const struct aslrt_arg *a = &c->args[i];
			static const char *const fields[] = { "lit", "path", "call" };
			static const char kinds[] = { 'k', 'p', 'c' };
			fprintf(out, "\t{ .kind = %s, .%s = &%s_a%d_%c },\n", arg_kinds[a->kind],
				fields[a->kind], cname, i, kinds[a->kind]);
		}
		fputs("};\n", out);
	}
	fprintf(out, "static const struct aslrt_call %s = {\n\t.fn = %s,\n\t.nargs = %d,\n",
		cname, fn_names[c->fn], c->nargs);
	if (c->nargs > 0)
		fprintf(out, "\t.args = %s_args,\n", cname);
	else
		fputs("\t.args = NULL,\n", out);
	fputs("\t.text = ", out);
	asl_emit_cstr(out, c->text);
	fputs(",\n};\n", out);
}

/* Write c as static const C data named cname (see the file comment for the
 * helper names). Borrows c; writes to out only. */
void asl_emit_call(FILE *out, const struct aslrt_call *c, const char *cname)
{
	fputs("/* Intrinsic ", out);
	asl_emit_comment_text(out, c->text);
	fputs(" */\n", out);
	emit_call_rec(out, c, cname);
}
