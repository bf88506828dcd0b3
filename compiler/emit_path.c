/*
 * emit_path.c - a parsed path (struct aslrt_path) as static const C data.
 *
 * Every object gets a name derived from the caller's cname, children before
 * parents so each is defined before it is referenced:
 *   cname             the path            cname_seg       its segment array
 *   cname_s<i>_names  union names         cname_s<i>_idx  union indexes
 *   cname_s<i>_f      a filter node, whose children are <f>_a, <f>_b (AND,
 *                     OR, NOT), <f>_lhs, <f>_rhs (paths) and <f>_k (constant)
 * Each name is its parent's plus a suffix no sibling shares, so no two clash.
 */
#include "path.h"
#include "emit_util.h"

#include <stdlib.h>
#include <string.h>

static void emit_path_rec(FILE *out, const struct aslrt_path *p, const char *cname);

/* "base" + "suffix" (new memory), or NULL when out of memory. */
static char *join(const char *base, const char *suffix)
{
	size_t n = strlen(base), m = strlen(suffix);
	char *s = malloc(n + m + 1);
	if (s) {
		memcpy(s, base, n);
		memcpy(s + n, suffix, m + 1);
	}
	return s;
}

/* Out of memory while naming: make the generated file fail to compile rather
 * than be silently incomplete. */
static void emit_oom(FILE *out)
{
	fputs("#error \"aslc: out of memory while writing a path\"\n", out);
}

static const char *root_name(enum aslrt_root r)
{
	switch (r) {
	case ASLRT_ROOT_INPUT: return "ASLRT_ROOT_INPUT";
	case ASLRT_ROOT_CONTEXT: return "ASLRT_ROOT_CONTEXT";
	case ASLRT_ROOT_CURRENT: return "ASLRT_ROOT_CURRENT";
	case ASLRT_ROOT_VAR: return "ASLRT_ROOT_VAR";
	}
	return "ASLRT_ROOT_INPUT";
}

static const char *kind_name(enum aslrt_seg_kind k)
{
	switch (k) {
	case ASLRT_SEG_FIELD: return "ASLRT_SEG_FIELD";
	case ASLRT_SEG_INDEX: return "ASLRT_SEG_INDEX";
	case ASLRT_SEG_WILDCARD: return "ASLRT_SEG_WILDCARD";
	case ASLRT_SEG_SLICE: return "ASLRT_SEG_SLICE";
	case ASLRT_SEG_UNION: return "ASLRT_SEG_UNION";
	case ASLRT_SEG_DESCENT: return "ASLRT_SEG_DESCENT";
	case ASLRT_SEG_FILTER: return "ASLRT_SEG_FILTER";
	}
	return "ASLRT_SEG_FIELD";
}

static const char *op_name(enum aslrt_filter_op op)
{
	switch (op) {
	case ASLRT_F_EXISTS: return "ASLRT_F_EXISTS";
	case ASLRT_F_EQ: return "ASLRT_F_EQ";
	case ASLRT_F_NE: return "ASLRT_F_NE";
	case ASLRT_F_LT: return "ASLRT_F_LT";
	case ASLRT_F_LE: return "ASLRT_F_LE";
	case ASLRT_F_GT: return "ASLRT_F_GT";
	case ASLRT_F_GE: return "ASLRT_F_GE";
	case ASLRT_F_AND: return "ASLRT_F_AND";
	case ASLRT_F_OR: return "ASLRT_F_OR";
	case ASLRT_F_NOT: return "ASLRT_F_NOT";
	}
	return "ASLRT_F_EXISTS";
}

/* A filter constant: only scalar kinds occur. */
static void emit_const(FILE *out, const struct aslrt_tmpl *t, const char *name)
{
	fprintf(out, "static const struct aslrt_tmpl %s = { ", name);
	switch (t->kind) {
	case ASLRT_T_TRUE:
		fputs(".kind = ASLRT_T_TRUE", out);
		break;
	case ASLRT_T_FALSE:
		fputs(".kind = ASLRT_T_FALSE", out);
		break;
	case ASLRT_T_NUMBER:
		fputs(".kind = ASLRT_T_NUMBER, .num = ", out);
		asl_emit_double(out, t->num);
		break;
	case ASLRT_T_STRING:
		fputs(".kind = ASLRT_T_STRING, .str = ", out);
		asl_emit_cstr(out, t->str);
		break;
	default:
		fputs(".kind = ASLRT_T_NULL", out);
		break;
	}
	fputs(" };\n", out);
}

static void emit_filter(FILE *out, const struct aslrt_filter *f, const char *name);

/* Emit the child object named name + suffix: exactly one of ff (a filter
 * node), pp (a path) or tt (a constant) is given. */
static void emit_filter_child(FILE *out, const char *name, const char *suffix,
			      const struct aslrt_filter *ff, const struct aslrt_path *pp,
			      const struct aslrt_tmpl *tt)
{
	char *sub = join(name, suffix);
	if (!sub) {
		emit_oom(out);
		return;
	}
	if (ff)
		emit_filter(out, ff, sub);
	else if (pp)
		emit_path_rec(out, pp, sub);
	else if (tt)
		emit_const(out, tt, sub);
	free(sub);
}

/* A filter node after its children. */
static void emit_filter(FILE *out, const struct aslrt_filter *f, const char *name)
{
	if (f->a)
		emit_filter_child(out, name, "_a", f->a, NULL, NULL);
	if (f->b)
		emit_filter_child(out, name, "_b", f->b, NULL, NULL);
	if (f->lhs)
		emit_filter_child(out, name, "_lhs", NULL, f->lhs, NULL);
	if (f->rhs_path)
		emit_filter_child(out, name, "_rhs", NULL, f->rhs_path, NULL);
	if (f->rhs)
		emit_filter_child(out, name, "_k", NULL, NULL, f->rhs);
	fprintf(out, "static const struct aslrt_filter %s = { .op = %s", name, op_name(f->op));
	if (f->lhs)
		fprintf(out, ", .lhs = &%s_lhs", name);
	if (f->rhs_path)
		fprintf(out, ", .rhs_path = &%s_rhs", name);
	if (f->rhs)
		fprintf(out, ", .rhs = &%s_k", name);
	if (f->a)
		fprintf(out, ", .a = &%s_a", name);
	if (f->b)
		fprintf(out, ", .b = &%s_b", name);
	fputs(" };\n", out);
}

/* The helper objects of segment i (names, indexes, filter). */
static void emit_seg_helpers(FILE *out, const struct aslrt_seg *s, int i, const char *cname)
{
	if (s->kind == ASLRT_SEG_UNION && s->names) {
		fprintf(out, "static const char *const %s_s%d_names[] = { ", cname, i);
		for (int k = 0; k < s->n; k++) {
			if (k)
				fputs(", ", out);
			asl_emit_cstr(out, s->names[k]);
		}
		fputs(" };\n", out);
	} else if (s->kind == ASLRT_SEG_UNION && s->indexes) {
		fprintf(out, "static const long %s_s%d_idx[] = { ", cname, i);
		for (int k = 0; k < s->n; k++)
			fprintf(out, "%s%ld", k ? ", " : "", s->indexes[k]);
		fputs(" };\n", out);
	} else if (s->kind == ASLRT_SEG_FILTER && s->filter) {
		char suffix[32];
		snprintf(suffix, sizeof suffix, "_s%d_f", i);
		emit_filter_child(out, cname, suffix, s->filter, NULL, NULL);
	}
}

/* One element of the segment array. */
static void emit_seg(FILE *out, const struct aslrt_seg *s, int i, const char *cname)
{
	fprintf(out, "\t{ .kind = %s", kind_name(s->kind));
	switch (s->kind) {
	case ASLRT_SEG_FIELD:
	case ASLRT_SEG_DESCENT:
		fputs(", .name = ", out);
		asl_emit_cstr(out, s->name);
		break;
	case ASLRT_SEG_INDEX:
		fprintf(out, ", .index = %ld", s->index);
		break;
	case ASLRT_SEG_SLICE:
		fprintf(out, ", .start = %ld, .end = %ld, .step = %ld", s->start, s->end, s->step);
		fprintf(out, ", .has_start = %d, .has_end = %d, .has_step = %d",
			s->has_start, s->has_end, s->has_step);
		break;
	case ASLRT_SEG_UNION:
		fprintf(out, ", .n = %d", s->n);
		if (s->names)
			fprintf(out, ", .names = %s_s%d_names", cname, i);
		if (s->indexes)
			fprintf(out, ", .indexes = %s_s%d_idx", cname, i);
		break;
	case ASLRT_SEG_FILTER:
		fprintf(out, ", .filter = &%s_s%d_f", cname, i);
		break;
	case ASLRT_SEG_WILDCARD:
		break;
	}
	fputs(" },\n", out);
}

static void emit_path_rec(FILE *out, const struct aslrt_path *p, const char *cname)
{
	for (int i = 0; i < p->nseg; i++)
		emit_seg_helpers(out, &p->seg[i], i, cname);
	if (p->nseg > 0) {
		fprintf(out, "static const struct aslrt_seg %s_seg[] = {\n", cname);
		for (int i = 0; i < p->nseg; i++)
			emit_seg(out, &p->seg[i], i, cname);
		fputs("};\n", out);
	}
	fprintf(out, "static const struct aslrt_path %s = {\n\t.text = ", cname);
	asl_emit_cstr(out, p->text);
	fprintf(out, ",\n\t.root = %s,\n", root_name(p->root));
	if (p->var) {
		fputs("\t.var = ", out);
		asl_emit_cstr(out, p->var);
		fputs(",\n", out);
	}
	fprintf(out, "\t.nseg = %d,\n", p->nseg);
	if (p->nseg > 0)
		fprintf(out, "\t.seg = %s_seg,\n", cname);
	else
		fputs("\t.seg = NULL,\n", out);
	fprintf(out, "\t.definite = %d,\n};\n", p->definite ? 1 : 0);
}

/* Write p as static const C data named cname (see the file comment for the
 * helper names). Borrows p; writes to out only. */
void asl_emit_path(FILE *out, const struct aslrt_path *p, const char *cname)
{
	fputs("/* JSONPath ", out);
	asl_emit_comment_text(out, p->text);
	fputs(" */\n", out);
	emit_path_rec(out, p, cname);
}
