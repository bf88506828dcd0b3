/*
 * emit_fast.c - specialised C for the states whose definition allows it, so
 * that the hot states of a machine run as direct code instead of through the
 * runtime's generic tables (struct aslrt_cond, aslrt_tmpl, aslrt_path):
 *
 *   - a Choice whose rules test definite `$` paths against constants
 *     (Numeric*, BooleanEquals, StringEquals, Is*; And, Or, Not): a member
 *     walk and the comparison inline;
 *   - a Pass whose Parameters or Result, and a Task whose Parameters, are
 *     built from constants, definite `$` paths and States.MathAdd of such
 *     paths and integer literals: the value built directly (a Task's as a
 *     view of its input, as rt_tmpl_view builds it), with aslc's bound of
 *     its size for the payload check (aslrt_fx_bound).
 *
 * The function selects every value first and returns 0 (the generic code
 * runs the state) when a path selects nothing or a value is not one the fast
 * code takes as it is; nothing has changed then, so the generic code raises
 * exactly its usual error. Everything after the built value (the payload
 * checks, the task, ResultPath, OutputPath, the transition) is the runtime's
 * generic pipeline (runtime/fast.c). States without InputPath only; JSONPath
 * states only.
 */
#include "emit_fast.h"

#include <string.h>

#include "aslrt_fast.h"
#include "emit_util.h"

/* At most this many values selected by one specialised state. */
enum { MAX_VALUES = 32 };

/* What one specialised function selects first: a0.. (paths), n0.. (the
 * numbers of States.MathAdd arguments taken from a0..). */
struct fx {
	FILE *out;
	int nvals, nnums, ncont;
	const struct aslrt_path *vals[MAX_VALUES];
	int num_of[MAX_VALUES];          /* aN -> nM for MathAdd arguments, or -1 */
};

/* ------------------------------------------------------------ eligibility */

/* A definite path from `$` of member names and non-negative indexes. */
static int path_ok(const struct aslrt_path *p)
{
	if (!p || p->root != ASLRT_ROOT_INPUT || !p->definite)
		return 0;
	for (int i = 0; i < p->nseg; i++) {
		const struct aslrt_seg *s = &p->seg[i];
		if (!(s->kind == ASLRT_SEG_FIELD && s->name) &&
		    !(s->kind == ASLRT_SEG_INDEX && s->index >= 0))
			return 0;
	}
	return 1;
}

/* A literal argument of States.MathAdd that it takes as it is: an integer
 * in range (the runtime rounds others). */
static int int_literal(const struct aslrt_tmpl *t)
{
	return t && t->kind == ASLRT_T_NUMBER && t->num >= -2147483648.0 &&
	       t->num <= 2147483647.0 && t->num == (double)(long)t->num;
}

static int call_ok(const struct aslrt_call *c)
{
	if (!c || c->fn != ASLRT_FN_MATH_ADD || c->nargs != 2)
		return 0;
	for (int i = 0; i < 2; i++) {
		const struct aslrt_arg *a = &c->args[i];
		if (!(a->kind == ASLRT_ARG_PATH && path_ok(a->path)) &&
		    !(a->kind == ASLRT_ARG_LITERAL && int_literal(a->lit)))
			return 0;
	}
	return 1;
}

/* Template t can be built by the fast code; *paths counts its paths (and
 * MathAdd's), *nodes its nodes. */
static int tmpl_ok(const struct aslrt_tmpl *t, int *paths, int *nodes)
{
	++*nodes;
	switch (t->kind) {
	case ASLRT_T_NULL: case ASLRT_T_TRUE: case ASLRT_T_FALSE: case ASLRT_T_NUMBER:
		return 1;
	case ASLRT_T_STRING:
		return t->str != NULL;
	case ASLRT_T_PATH:
		++*paths;
		return path_ok(t->path);
	case ASLRT_T_INTRINSIC:
		*paths += 2;
		return call_ok(t->call);
	case ASLRT_T_ARRAY:
	case ASLRT_T_OBJECT:
		for (int i = 0; i < t->n; i++)
			if ((t->kind == ASLRT_T_OBJECT && !t->items[i].key) ||
			    !tmpl_ok(&t->items[i], paths, nodes))
				return 0;
		return 1;
	default:
		return 0;
	}
}

static int leaf_ok(const struct aslrt_cond *c)
{
	if (!path_ok(c->var) || c->rhs_path)
		return 0;
	switch (c->op) {
	case ASLRT_C_NUMERIC_EQ: case ASLRT_C_NUMERIC_LT: case ASLRT_C_NUMERIC_GT:
	case ASLRT_C_NUMERIC_LE: case ASLRT_C_NUMERIC_GE: case ASLRT_C_BOOLEAN_EQ:
	case ASLRT_C_IS_NULL: case ASLRT_C_IS_PRESENT: case ASLRT_C_IS_NUMERIC:
	case ASLRT_C_IS_STRING: case ASLRT_C_IS_BOOLEAN:
		return 1;
	case ASLRT_C_STRING_EQ:
		return c->str != NULL;
	default:
		return 0;
	}
}

static int rule_ok(const struct asl_rule *r, int *leaves)
{
	if (r->kind == ASL_RULE_LEAF)
		return ++*leaves <= MAX_VALUES && leaf_ok(&r->cond);
	for (int i = 0; i < r->n; i++)
		if (!rule_ok(&r->kids[i], leaves))
			return 0;
	return r->n > 0;
}

int asl_fast_eligible(const struct asl_ir_state *st)
{
	const struct aslrt_state *s = &st->s;
	if (st->jsonata || s->jsonata || s->io.input_path || s->io.input_null)
		return 0;
	int n = 0, nodes = 0;
	switch (s->type) {
	case ASLRT_CHOICE:
		if (s->io.output_path || s->io.output_null || s->assign || st->nrules == 0)
			return 0;
		for (int i = 0; i < st->nrules; i++)
			if (st->rules[i].assign || !rule_ok(&st->rules[i], &n))
				return 0;
		return 1;
	case ASLRT_PASS:
		if (!s->io.parameters == !s->result)   /* exactly one of them */
			return 0;
		return tmpl_ok(s->io.parameters ? s->io.parameters : s->result, &n, &nodes) &&
		       n <= MAX_VALUES;
	case ASLRT_TASK:   /* the view's nodes live on the stack */
		return s->io.parameters && tmpl_ok(s->io.parameters, &n, &nodes) &&
		       n <= MAX_VALUES && nodes <= MAX_VALUES;
	default:
		return 0;
	}
}

int asl_fast_any(const struct asl_ir *ir)
{
	for (int i = 0; i < ir->nstates; i++)
		if (asl_fast_eligible(&ir->states[i]))
			return 1;
	return 0;
}

/* ------------------------------------------------------------- emission */

/* The member walk of the first nseg steps of p from `in`. */
static void walk(FILE *out, const struct aslrt_path *p, int nseg)
{
	if (nseg == 0) {
		fputs("in", out);
		return;
	}
	const struct aslrt_seg *s = &p->seg[nseg - 1];
	fputs(s->kind == ASLRT_SEG_FIELD ? "aslrt_fx_member(" : "aslrt_fx_index(", out);
	walk(out, p, nseg - 1);
	if (s->kind == ASLRT_SEG_FIELD) {
		fputs(", ", out);
		asl_emit_cstr(out, s->name);
	} else {
		fprintf(out, ", %ldL", s->index);
	}
	fputc(')', out);
}

/* A new value slot aN selected with p; returns N. */
static int value(struct fx *f, const struct aslrt_path *p, int is_number)
{
	int n = f->nvals++;
	f->vals[n] = p;
	f->num_of[n] = is_number ? f->nnums++ : -1;
	return n;
}

/* The selections a Choice's rule tree makes, leaves in preorder. */
static void rule_values(struct fx *f, const struct asl_rule *r)
{
	if (r->kind == ASL_RULE_LEAF)
		value(f, r->cond.var, 0);
	for (int i = 0; r->kind != ASL_RULE_LEAF && i < r->n; i++)
		rule_values(f, &r->kids[i]);
}

/* The selections a template makes, in the order build() uses them. */
static void tmpl_values(struct fx *f, const struct aslrt_tmpl *t)
{
	if (t->kind == ASLRT_T_PATH)
		value(f, t->path, 0);
	if (t->kind == ASLRT_T_INTRINSIC)
		for (int i = 0; i < 2; i++)
			if (t->call->args[i].kind == ASLRT_ARG_PATH)
				value(f, t->call->args[i].path, 1);
	if (t->kind == ASLRT_T_ARRAY || t->kind == ASLRT_T_OBJECT)
		for (int i = 0; i < t->n; i++)
			tmpl_values(f, &t->items[i]);
}

/* `const cJSON *aN = ...;` for every slot, then the early returns: a path
 * that selects nothing (not for IsPresent), a MathAdd argument that is not
 * an integer in range. present[] marks IsPresent slots (may be NULL). */
static void select_values(struct fx *f, const unsigned char *present)
{
	if (f->nvals)
		fputs("\tconst cJSON *in = aslrt_fx_input(x);\n", f->out);
	for (int i = 0; i < f->nvals; i++) {
		fprintf(f->out, "\tconst cJSON *a%d = ", i);
		walk(f->out, f->vals[i], f->vals[i]->nseg);
		fputs(";\n", f->out);
	}
	if (f->nnums)
		fprintf(f->out, "\tdouble n[%d];\n", f->nnums);
	for (int i = 0; i < f->nvals; i++) {
		if (present && present[i])
			continue;
		fprintf(f->out, "\tif (!a%d", i);
		if (f->num_of[i] >= 0)
			fprintf(f->out, " || !aslrt_fx_int32(a%d, &n[%d])", i, f->num_of[i]);
		fputs(")\n\t\treturn 0;\n", f->out);
	}
}

/* ---- Choice */

static void leaf_expr(struct fx *f, const struct aslrt_cond *c, int a)
{
	static const char *const rel[] = {
		[ASLRT_C_NUMERIC_EQ] = "==", [ASLRT_C_NUMERIC_LT] = "<",
		[ASLRT_C_NUMERIC_GT] = ">", [ASLRT_C_NUMERIC_LE] = "<=", [ASLRT_C_NUMERIC_GE] = ">=",
	};
	FILE *out = f->out;
	const char *is = c->boolean ? "" : "!";
	switch (c->op) {
	case ASLRT_C_NUMERIC_EQ: case ASLRT_C_NUMERIC_LT: case ASLRT_C_NUMERIC_GT:
	case ASLRT_C_NUMERIC_LE: case ASLRT_C_NUMERIC_GE:
		/* NaN compares false, as choice.c's isnan() test makes it */
		fprintf(out, "(aslrt_fx_is(a%d, cJSON_Number) && a%d->valuedouble %s ", a, a,
			rel[c->op]);
		asl_emit_double(out, c->num);
		fputc(')', out);
		return;
	case ASLRT_C_BOOLEAN_EQ:
		fprintf(out, "aslrt_fx_is(a%d, %s)", a, c->boolean ? "cJSON_True" : "cJSON_False");
		return;
	case ASLRT_C_STRING_EQ:   /* Java's compareTo is 0 only for equal strings */
		fprintf(out, "(aslrt_fx_is(a%d, cJSON_String) && a%d->valuestring && "
			"strcmp(a%d->valuestring, ", a, a, a);
		asl_emit_cstr(out, c->str);
		fputs(") == 0)", out);
		return;
	case ASLRT_C_IS_NULL:
		fprintf(out, "%saslrt_fx_is(a%d, cJSON_NULL)", is, a);
		return;
	case ASLRT_C_IS_NUMERIC:
		fprintf(out, "%saslrt_fx_is(a%d, cJSON_Number)", is, a);
		return;
	case ASLRT_C_IS_STRING:
		fprintf(out, "%saslrt_fx_is(a%d, cJSON_String)", is, a);
		return;
	case ASLRT_C_IS_BOOLEAN:
		fprintf(out, "%s(aslrt_fx_is(a%d, cJSON_True) || aslrt_fx_is(a%d, cJSON_False))", is,
			a, a);
		return;
	case ASLRT_C_IS_PRESENT:
		fprintf(out, "(a%d %s NULL)", a, c->boolean ? "!=" : "==");
		return;
	default:                           /* not eligible (leaf_ok) */
		fputc('0', out);
		return;
	}
}

/* The C expression of rule r; *a walks the slots in rule_values' order. */
static void rule_expr(struct fx *f, const struct asl_rule *r, int *a)
{
	switch (r->kind) {
	case ASL_RULE_LEAF:
		leaf_expr(f, &r->cond, (*a)++);
		return;
	case ASL_RULE_NOT:
		fputc('!', f->out);
		rule_expr(f, &r->kids[0], a);
		return;
	default:
		fputc('(', f->out);
		for (int i = 0; i < r->n; i++) {
			if (i)
				fputs(r->kind == ASL_RULE_AND ? " && " : " || ", f->out);
			rule_expr(f, &r->kids[i], a);
		}
		fputc(')', f->out);
	}
}

/* Mark the IsPresent leaves' slots, in rule_values' order. */
static void mark_present(const struct asl_rule *r, unsigned char *present, int *a)
{
	if (r->kind == ASL_RULE_LEAF) {
		present[(*a)++] = r->cond.op == ASLRT_C_IS_PRESENT;
		return;
	}
	for (int i = 0; i < r->n; i++)
		mark_present(&r->kids[i], present, a);
}

static void choice_body(struct fx *f, const char *m, const struct asl_ir *ir,
			const struct asl_ir_state *st)
{
	unsigned char present[MAX_VALUES] = { 0 };
	int a = 0;
	for (int i = 0; i < st->nrules; i++) {
		rule_values(f, &st->rules[i]);
		mark_present(&st->rules[i], present, &a);
	}
	select_values(f, present);
	fputs("\t(void)s;\n", f->out);
	a = 0;
	for (int i = 0; i < st->nrules; i++) {
		fputs("\tif (", f->out);
		rule_expr(f, &st->rules[i], &a);
		fprintf(f->out, ")\n\t\treturn aslrt_fx_goto(x, %s_S_%s);\n", m,
			ir->states[st->rules[i].next].cname);
	}
	if (st->s.default_next >= 0)
		fprintf(f->out, "\treturn aslrt_fx_goto(x, %s_S_%s);\n", m,
			ir->states[st->s.default_next].cname);
	else
		fputs("\treturn 0;   /* no Default: States.NoChoiceMatched */\n", f->out);
}

/* ---- Pass and Task */

/* aslc's bound of the value t builds, as limits.c bounds a template (every
 * string byte as a six-byte escape, a number as 24 bytes, a path as the
 * whole input): bytes c + k * input, levels max(lc, dp + input's). */
static void bound(const struct aslrt_tmpl *t, int depth, struct aslrt_fx_bound *b)
{
	switch (t->kind) {
	case ASLRT_T_NULL: case ASLRT_T_TRUE: case ASLRT_T_FALSE: b->c += 5; return;
	case ASLRT_T_NUMBER: case ASLRT_T_INTRINSIC: b->c += 24; return;   /* MathAdd */
	case ASLRT_T_STRING: b->c += 6 * strlen(t->str) + 2; return;
	case ASLRT_T_PATH:
		b->k++;
		if (depth > b->dp)
			b->dp = depth;
		return;
	case ASLRT_T_ARRAY:
	case ASLRT_T_OBJECT:
		if (depth + 1 > b->lc)
			b->lc = depth + 1;
		b->c += 2;
		for (int i = 0; i < t->n; i++) {
			bound(&t->items[i], depth + 1, b);
			b->c += 1;
			if (t->kind == ASLRT_T_OBJECT)
				b->c += 6 * strlen(t->items[i].key) + 3;
		}
		return;
	default:
		return;
	}
}

/* An operand of MathAdd: its number slot or its literal. */
static void math_arg(struct fx *f, const struct aslrt_arg *arg, int *a)
{
	if (arg->kind == ASLRT_ARG_PATH)
		fprintf(f->out, "n[%d]", f->num_of[(*a)++]);
	else
		asl_emit_double(f->out, arg->lit->num);
}

/* The expression of scalar node t (a new cJSON value, NULL when out of
 * memory); *a walks the slots in tmpl_values' order. */
static void scalar_expr(struct fx *f, const struct aslrt_tmpl *t, int *a)
{
	FILE *out = f->out;
	switch (t->kind) {
	case ASLRT_T_NULL: fputs("cJSON_CreateNull()", out); return;
	case ASLRT_T_TRUE: fputs("cJSON_CreateTrue()", out); return;
	case ASLRT_T_FALSE: fputs("cJSON_CreateFalse()", out); return;
	case ASLRT_T_NUMBER:
		fputs("cJSON_CreateNumber(", out);
		asl_emit_double(out, t->num);
		fputc(')', out);
		return;
	case ASLRT_T_STRING:
		fputs("cJSON_CreateString(", out);
		asl_emit_cstr(out, t->str);
		fputc(')', out);
		return;
	case ASLRT_T_PATH:
		fprintf(out, "cJSON_Duplicate(a%d, 1)", *a);
		++*a;
		return;
	default:                           /* States.MathAdd (call_ok) */
		fputs("cJSON_CreateNumber(", out);
		math_arg(f, &t->call->args[0], a);
		fputs(" + ", out);
		math_arg(f, &t->call->args[1], a);
		fputc(')', out);
		return;
	}
}

/* Statements that fill container vN (t, an ARRAY or OBJECT) with t's items,
 * each attached once built (ok turns 0 when memory runs out). */
static void fill(struct fx *f, const struct aslrt_tmpl *t, int n, int *a)
{
	for (int i = 0; i < t->n; i++) {
		const struct aslrt_tmpl *it = &t->items[i];
		int kid = -1;
		if (it->kind == ASLRT_T_ARRAY || it->kind == ASLRT_T_OBJECT) {
			kid = ++f->ncont;
			fprintf(f->out, "\tcJSON *v%d = cJSON_Create%s();\n\tok = ok && v%d != NULL;\n",
				kid, it->kind == ASLRT_T_ARRAY ? "Array" : "Object", kid);
			fill(f, it, kid, a);
		}
		if (t->kind == ASLRT_T_OBJECT) {
			fprintf(f->out, "\tok = aslrt_fx_put(v%d, ", n);
			asl_emit_cstr(f->out, it->key);
			fputs(", ", f->out);
		} else {
			fprintf(f->out, "\tok = aslrt_fx_push(v%d, ", n);
		}
		if (kid >= 0)
			fprintf(f->out, "v%d", kid);
		else
			scalar_expr(f, it, a);
		fputs(", ok);\n", f->out);
	}
}

/* Statements that make v[n] the view of t (a Task's Parameters), its items
 * in the slots from *slot on; *a walks the slots in tmpl_values' order. */
static void view(struct fx *f, const struct aslrt_tmpl *t, int n, int *slot, int *a)
{
	static const char *const types[] = {
		[ASLRT_T_NULL] = "cJSON_NULL", [ASLRT_T_TRUE] = "cJSON_True",
		[ASLRT_T_FALSE] = "cJSON_False", [ASLRT_T_ARRAY] = "cJSON_Array",
		[ASLRT_T_OBJECT] = "cJSON_Object",
	};
	FILE *out = f->out;
	switch (t->kind) {
	case ASLRT_T_PATH:
		fprintf(out, "\taslrt_fx_view_ref(&v[%d], a%d);\n", n, (*a)++);
		return;
	case ASLRT_T_NUMBER:
		fprintf(out, "\taslrt_fx_view_num(&v[%d], ", n);
		asl_emit_double(out, t->num);
		fputs(");\n", out);
		return;
	case ASLRT_T_INTRINSIC:            /* States.MathAdd (call_ok) */
		fprintf(out, "\taslrt_fx_view_num(&v[%d], ", n);
		math_arg(f, &t->call->args[0], a);
		fputs(" + ", out);
		math_arg(f, &t->call->args[1], a);
		fputs(");\n", out);
		return;
	case ASLRT_T_STRING:
		fprintf(out, "\taslrt_fx_view_str(&v[%d], ", n);
		asl_emit_cstr(out, t->str);
		fputs(");\n", out);
		return;
	default:
		fprintf(out, "\taslrt_fx_view(&v[%d], %s);\n", n, types[t->kind]);
		break;
	}
	for (int i = 0; (t->kind == ASLRT_T_ARRAY || t->kind == ASLRT_T_OBJECT) && i < t->n; i++) {
		int k = (*slot)++;
		view(f, &t->items[i], k, slot, a);
		fprintf(out, "\taslrt_fx_link(&v[%d], &v[%d], ", n, k);
		if (t->kind == ASLRT_T_OBJECT)
			asl_emit_cstr(out, t->items[i].key);
		else
			fputs("NULL", out);
		fputs(");\n", out);
	}
}

/* Nodes of template t. */
static int nodes_of(const struct aslrt_tmpl *t)
{
	int n = 1;
	for (int i = 0; (t->kind == ASLRT_T_ARRAY || t->kind == ASLRT_T_OBJECT) && i < t->n; i++)
		n += nodes_of(&t->items[i]);
	return n;
}

static void build_body(struct fx *f, const struct aslrt_state *s)
{
	int task = s->type == ASLRT_TASK, params = s->io.parameters != NULL;
	const struct aslrt_tmpl *t = params ? s->io.parameters : s->result;
	struct aslrt_fx_bound b = { 0, 0, 0, -1 };
	bound(t, 0, &b);
	fprintf(f->out, "\tstatic const struct aslrt_fx_bound b = { %lu, %d, %d, %d };\n", b.c,
		b.k, b.lc, b.dp);
	tmpl_values(f, t);
	select_values(f, NULL);
	if (b.k) {   /* what the paths selected, for the bound */
		fputs("\tconst cJSON *const sel[] = {", f->out);
		for (int i = 0; i < f->nvals; i++)
			if (f->num_of[i] < 0)
				fprintf(f->out, " a%d,", i);
		fputs(" };\n", f->out);
	}
	const char *sel = b.k ? "sel" : "NULL";
	int a = 0, slot = 1;
	if (task) {
		fprintf(f->out, "\tcJSON v[%d];   /* the view: the task only reads it */\n",
			nodes_of(t));
		view(f, t, 0, &slot, &a);
		fprintf(f->out, "\treturn aslrt_fx_task(x, s, &v[0], &b, %s);\n", sel);
		return;
	}
	if (t->kind == ASLRT_T_ARRAY || t->kind == ASLRT_T_OBJECT) {
		fprintf(f->out, "\tcJSON *v0 = cJSON_Create%s();\n\tint ok = v0 != NULL;\n",
			t->kind == ASLRT_T_ARRAY ? "Array" : "Object");
		fill(f, t, 0, &a);
	} else {
		fputs("\tcJSON *v0 = ", f->out);
		scalar_expr(f, t, &a);
		fputs(";\n\tint ok = v0 != NULL;\n", f->out);
	}
	fprintf(f->out, "\treturn aslrt_fx_pass(x, s, v0, ok, %d, &b, %s);\n", params, sel);
}

int asl_emit_fast_fn(FILE *out, const char *m, const struct asl_ir *ir,
		     const struct asl_ir_state *st)
{
	if (!asl_fast_eligible(st))
		return 0;
	struct fx f = { .out = out };
	fputs("\n/* ", out);
	asl_emit_comment_text(out, st->s.name);
	fputs(": specialised (emit_fast.c); 0 lets the generic code run it */\n", out);
	fprintf(out, "static int %s_fast_%s(struct aslrt_exec *x, const struct aslrt_state *s)\n{\n",
		m, st->cname);
	if (st->s.type == ASLRT_CHOICE)
		choice_body(&f, m, ir, st);
	else
		build_body(&f, &st->s);
	fputs("}\n", out);
	return 1;
}

void asl_emit_fast_call(FILE *out, const char *m, const struct asl_ir_state *st)
{
	fprintf(out, "\t\tif (%s_fast_%s(x, s))\n\t\t\treturn;\n", m, st->cname);
}
