/*
 * emit_jsonata.c - a compiled JSONata expression (struct aslrt_jn_expr,
 * runtime/jsonata/ast.h) as static const C data, so the generated program
 * evaluates it without parsing anything.
 *
 * Every object is defined before it is referenced (children first) and
 * named cname_<number>, numbered in emission order; the expression itself
 * is cname. Strings are written with explicit lengths kept (a JSONata
 * string literal may hold NUL characters).
 */
#include "jsonata.h"
#include "emit_util.h"

#include <stdlib.h>
#include <string.h>

struct em {
	FILE *out;
	const char *cname;
	int next;
};

static const char *const kind_names[] = {
	"ASLRT_JN_PATH", "ASLRT_JN_BINARY", "ASLRT_JN_NEGATE", "ASLRT_JN_ARRAY",
	"ASLRT_JN_OBJECT", "ASLRT_JN_NAME", "ASLRT_JN_STRING", "ASLRT_JN_NUMBER",
	"ASLRT_JN_VALUE", "ASLRT_JN_WILDCARD", "ASLRT_JN_DESCENDANT", "ASLRT_JN_PARENT",
	"ASLRT_JN_CONDITION", "ASLRT_JN_ELVIS", "ASLRT_JN_COALESCE", "ASLRT_JN_BLOCK",
	"ASLRT_JN_BIND", "ASLRT_JN_REGEX", "ASLRT_JN_FUNCTION", "ASLRT_JN_PARTIAL",
	"ASLRT_JN_PLACEHOLDER", "ASLRT_JN_VARIABLE", "ASLRT_JN_LAMBDA", "ASLRT_JN_APPLY",
	"ASLRT_JN_SORT", "ASLRT_JN_SORT_TERM", "ASLRT_JN_TRANSFORM",
};

static const char *const op_names[] = {
	"ASLRT_JN_OP_NONE", "ASLRT_JN_OP_ADD", "ASLRT_JN_OP_SUB", "ASLRT_JN_OP_MUL",
	"ASLRT_JN_OP_DIV", "ASLRT_JN_OP_MOD", "ASLRT_JN_OP_EQ", "ASLRT_JN_OP_NE",
	"ASLRT_JN_OP_LT", "ASLRT_JN_OP_LE", "ASLRT_JN_OP_GT", "ASLRT_JN_OP_GE",
	"ASLRT_JN_OP_CONCAT", "ASLRT_JN_OP_AND", "ASLRT_JN_OP_OR", "ASLRT_JN_OP_IN",
	"ASLRT_JN_OP_RANGE", "ASLRT_JN_OP_TRUE", "ASLRT_JN_OP_FALSE", "ASLRT_JN_OP_NULL",
};

static const char *const reop_names[] = {
	"ASLRT_JN_RE_CHAR", "ASLRT_JN_RE_ANY", "ASLRT_JN_RE_CLASS", "ASLRT_JN_RE_NCLASS",
	"ASLRT_JN_RE_BOL", "ASLRT_JN_RE_EOL", "ASLRT_JN_RE_WORDB", "ASLRT_JN_RE_NWORDB",
	"ASLRT_JN_RE_SAVE", "ASLRT_JN_RE_SPLIT", "ASLRT_JN_RE_JMP", "ASLRT_JN_RE_MATCH",
	"ASLRT_JN_RE_BACKREF", "ASLRT_JN_RE_LOOK", "ASLRT_JN_RE_MARK", "ASLRT_JN_RE_PROGRESS",
};

/* The name of object number k (in buf, 160 bytes). */
static const char *objname(const struct em *m, int k, char *buf)
{
	snprintf(buf, 160, "%s_%d", m->cname, k);
	return buf;
}

/* A C string literal of the len bytes at s (octal escapes, so NULs and
 * anything else non-printable survive). */
static void emit_bytes(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '?')
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* ISO C only promises string literals up to 4095 bytes (-Wpedantic says
 * so): a longer text becomes a char array, defined before its user.
 * Returns its number, or -1 when the text fits in a literal. */
#define LONG_TEXT 4000

static int emit_long(struct em *m, const char *s, size_t len)
{
	char buf[160];
	if (!s || len <= LONG_TEXT)
		return -1;
	int k = m->next++;
	fprintf(m->out, "static const char %s[] = {", objname(m, k, buf));
	for (size_t i = 0; i < len; i++)
		fprintf(m->out, "%s%s%d", i ? "," : "", i % 16 ? " " : "\n\t", (unsigned char)s[i]);
	fputs(", 0\n};\n", m->out);
	return k;
}

/* A string field's value: the array k when there is one, else a literal. */
static void emit_text(struct em *m, int k, const char *s, size_t len)
{
	char buf[160];
	if (k >= 0)
		fputs(objname(m, k, buf), m->out);
	else if (s)
		emit_bytes(m->out, s, len);
	else
		fputs("NULL", m->out);
}

static void emit_str(FILE *out, const char *s)
{
	if (s)
		emit_bytes(out, s, strlen(s));
	else
		fputs("NULL", out);
}

static int emit_node(struct em *m, const struct aslrt_jn_node *n);

/* An array of node pointers; returns its number, or -1 for none. */
static int emit_kids(struct em *m, const struct aslrt_jn_node *const *kids, int n)
{
	if (!kids || n <= 0)
		return -1;
	int *ids = malloc((size_t)n * sizeof *ids);
	if (!ids) {
		fputs("#error \"aslc: out of memory while writing a JSONata expression\"\n", m->out);
		return -1;
	}
	for (int i = 0; i < n; i++)
		ids[i] = kids[i] ? emit_node(m, kids[i]) : -1;
	int k = m->next++;
	char buf[160], b2[160];
	fprintf(m->out, "static const struct aslrt_jn_node *const %s[] = {", objname(m, k, buf));
	for (int i = 0; i < n; i++) {
		if (ids[i] < 0)
			fprintf(m->out, "%s NULL", i ? "," : "");
		else
			fprintf(m->out, "%s &%s", i ? "," : "", objname(m, ids[i], b2));
	}
	fputs(" };\n", m->out);
	free(ids);
	return k;
}

static int emit_sig(struct em *m, const struct aslrt_jn_sig *s)
{
	char buf[160], b2[160];
	int pk = m->next++;
	fprintf(m->out, "static const struct aslrt_jn_sigparam %s[] = {\n", objname(m, pk, buf));
	for (int i = 0; i < s->n; i++) {
		const struct aslrt_jn_sigparam *p = &s->params[i];
		fprintf(m->out, "\t{ .type = '%c', .quant = %d, .context = %d, .choice = ", p->type,
			p->quant, p->context);
		emit_str(m->out, p->choice);
		fputs(", .subtype = ", m->out);
		emit_str(m->out, p->subtype);
		fputs(" },\n", m->out);
	}
	if (s->n == 0)
		fputs("\t{ .type = 0 },\n", m->out);
	fputs("};\n", m->out);
	int k = m->next++;
	fprintf(m->out, "static const struct aslrt_jn_sig %s = { %d, %s };\n", objname(m, k, buf),
		s->n, objname(m, pk, b2));
	return k;
}

static int emit_regex(struct em *m, const struct aslrt_jn_regex *re)
{
	char buf[160], b2[160];
	int ik = m->next++;
	fprintf(m->out, "static const struct aslrt_jn_reinst %s[] = {\n", objname(m, ik, buf));
	for (int i = 0; i < re->ninst; i++)
		fprintf(m->out, "\t{ %s, %d, %d },\n", reop_names[re->inst[i].op], re->inst[i].x,
			re->inst[i].y);
	fputs("};\n", m->out);
	int nr = 0;
	for (int i = 0; i < re->ninst; i++)
		if (re->inst[i].op == ASLRT_JN_RE_CLASS || re->inst[i].op == ASLRT_JN_RE_NCLASS)
			if (re->inst[i].x + re->inst[i].y > nr)
				nr = re->inst[i].x + re->inst[i].y;
	int rk = m->next++;
	fprintf(m->out, "static const unsigned %s[] = {", objname(m, rk, buf));
	for (int i = 0; i < 2 * nr; i++)
		fprintf(m->out, "%s%uu", i ? ", " : " ", re->ranges[i]);
	fputs(nr ? " };\n" : " 0 };\n", m->out);
	int src = emit_long(m, re->source, strlen(re->source));
	int k = m->next++;
	fprintf(m->out, "static const struct aslrt_jn_regex %s = {\n\t.source = ", objname(m, k, buf));
	emit_text(m, src, re->source, strlen(re->source));
	fprintf(m->out, ",\n\t.flags = %uu, .ninst = %d, .inst = %s, ", re->flags, re->ninst,
		objname(m, ik, b2));
	fprintf(m->out, ".ranges = %s,\n\t.ngroups = %d, .nmarks = %d,\n};\n", objname(m, rk, b2),
		re->ngroups, re->nmarks);
	return k;
}

static void ref(struct em *m, const char *field, int k)
{
	char buf[160];
	if (k >= 0)
		fprintf(m->out, "\t.%s = &%s,\n", field, objname(m, k, buf));
}

static void arr(struct em *m, const char *field, int k)
{
	char buf[160];
	if (k >= 0)
		fprintf(m->out, "\t.%s = %s,\n", field, objname(m, k, buf));
}

static int emit_node(struct em *m, const struct aslrt_jn_node *n)
{
	char buf[160];
	int lhs = n->lhs ? emit_node(m, n->lhs) : -1;
	int rhs = n->rhs ? emit_node(m, n->rhs) : -1;
	int third = n->third ? emit_node(m, n->third) : -1;
	/* an object constructor's kids are key, value pairs: 2n of them */
	int kids = emit_kids(m, n->kids, n->kind == ASLRT_JN_OBJECT ? 2 * n->n : n->n);
	int pred = emit_kids(m, n->pred, n->npred);
	int group = emit_kids(m, n->group, 2 * n->ngroup);
	int stages = -1;
	if (n->nstages > 0) {
		int *f = malloc((size_t)n->nstages * sizeof *f);
		if (!f)
			return -1;
		for (int i = 0; i < n->nstages; i++)
			f[i] = n->stages[i].filter ? emit_node(m, n->stages[i].filter) : -1;
		stages = m->next++;
		fprintf(m->out, "static const struct aslrt_jn_stage %s[] = {\n", objname(m, stages, buf));
		for (int i = 0; i < n->nstages; i++) {
			char b2[160];
			fputs("\t{ .filter = ", m->out);
			if (f[i] >= 0)
				fprintf(m->out, "&%s", objname(m, f[i], b2));
			else
				fputs("NULL", m->out);
			fputs(", .index = ", m->out);
			emit_str(m->out, n->stages[i].index);
			fprintf(m->out, ", .pos = %d },\n", n->stages[i].pos);
		}
		fputs("};\n", m->out);
		free(f);
	}
	int sig = n->sig ? emit_sig(m, n->sig) : -1;
	int re = n->re ? emit_regex(m, n->re) : -1;
	size_t slen = n->str ? (n->kind == ASLRT_JN_STRING ? n->len : strlen(n->str)) : 0;
	int strk = emit_long(m, n->str, slen);

	int k = m->next++;
	fprintf(m->out, "static const struct aslrt_jn_node %s = {\n", objname(m, k, buf));
	fprintf(m->out, "\t.kind = %s,\n", kind_names[n->kind]);
	if (n->op != ASLRT_JN_OP_NONE)
		fprintf(m->out, "\t.op = %s,\n", op_names[n->op]);
	if (n->flags)
		fprintf(m->out, "\t.flags = 0x%xu,\n", n->flags);
	fprintf(m->out, "\t.pos = %d,\n", n->pos);
	if (n->kind == ASLRT_JN_NUMBER) {
		fputs("\t.num = ", m->out);
		asl_emit_double(m->out, n->num);
		fputs(",\n", m->out);
	}
	if (n->str) {
		fputs("\t.str = ", m->out);
		emit_text(m, strk, n->str, slen);
		fprintf(m->out, ", .len = %zu,\n", n->len);
	}
	ref(m, "lhs", lhs);
	ref(m, "rhs", rhs);
	ref(m, "third", third);
	if (kids >= 0) {
		fprintf(m->out, "\t.n = %d,\n", n->n);
		arr(m, "kids", kids);
	}
	if (pred >= 0) {
		fprintf(m->out, "\t.npred = %d,\n", n->npred);
		arr(m, "pred", pred);
	}
	if (stages >= 0) {
		fprintf(m->out, "\t.nstages = %d,\n", n->nstages);
		arr(m, "stages", stages);
	}
	if (n->flags & ASLRT_JN_GROUP) {
		fprintf(m->out, "\t.ngroup = %d, .group_pos = %d,\n", n->ngroup, n->group_pos);
		arr(m, "group", group);
	}
	if (n->focus) {
		fputs("\t.focus = ", m->out);
		emit_str(m->out, n->focus);
		fputs(",\n", m->out);
	}
	if (n->index) {
		fputs("\t.index = ", m->out);
		emit_str(m->out, n->index);
		fputs(",\n", m->out);
	}
	if (n->ancestor) {
		fputs("\t.ancestor = ", m->out);
		emit_str(m->out, n->ancestor);
		fputs(",\n", m->out);
	}
	ref(m, "sig", sig);
	ref(m, "re", re);
	fputs("};\n", m->out);
	return k;
}

void asl_emit_jsonata(FILE *out, const struct aslrt_jn_expr *e, const char *cname)
{
	struct em m = { out, cname, 0 };
	int root = emit_node(&m, e->root);
	int text = emit_long(&m, e->text, strlen(e->text));
	char buf[160];
	fprintf(out, "static const struct aslrt_jn_expr %s = {\n\t.text = ", cname);
	emit_text(&m, text, e->text, strlen(e->text));
	fprintf(out, ",\n\t.root = &%s,\n};\n", objname(&m, root, buf));
}
