/*
 * emit_c.c - the IR as C: static data for every path, template, retry and
 * catch table and state, then a step function that switches over the state
 * index and runs exactly one state per call (so the runtime owns every
 * transition). Deterministic: no dates, no absolute paths, document order.
 */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

#include "emit_distributed.h"
#include "emit_fast.h"
#include "context_use.h"
#include "emit_util.h"
#include "intrinsic.h"
#include "jsonata.h"
#include "path.h"

struct emitter {
	FILE *out;
	const struct asl_ir *ir;
	const char *m;                 /* machine C name, prefix of every symbol */
	int npath, ntmpl, ncond, nerr, ncall, njn;
};

/* Emit path p (may be NULL) as data; returns its symbol number or -1. */
static int path(struct emitter *e, const struct aslrt_path *p)
{
	if (!p)
		return -1;
	char name[512];
	int id = e->npath++;
	snprintf(name, sizeof name, "%s_p%d", e->m, id);
	asl_emit_path(e->out, p, name);
	return id;
}

/* Emit what template node t refers to: its path as `<m>_pN`, or its
 * intrinsic call as `<m>_iN`. Returns N, or -1 when t has neither. */
static int ref(struct emitter *e, const struct aslrt_tmpl *t)
{
	if (t->kind == ASLRT_T_JSONATA && t->jn) {
		char name[512];
		int id = e->njn++;
		snprintf(name, sizeof name, "%s_j%d", e->m, id);
		asl_emit_jsonata(e->out, t->jn, name);
		return id;
	}
	if (t->kind != ASLRT_T_INTRINSIC || !t->call)
		return path(e, t->path);
	char name[512];
	int id = e->ncall++;
	snprintf(name, sizeof name, "%s_i%d", e->m, id);
	asl_emit_call(e->out, t->call, name);
	return id;
}


/* One `.field = &<m>_<kind>N,` line at the given depth, when id names one. */
static void ref_at(struct emitter *e, int depth, const char *field, const char *kind, int id)
{
	if (id < 0)
		return;
	for (int i = 0; i < depth; i++)
		fputc('\t', e->out);
	fprintf(e->out, ".%s = &%s_%s%d,\n", field, e->m, kind, id);
}

/* Emit the children of t first (post-order), then t's own item array. The
 * returned id names `<m>_tN_items` (or -1 when t has no items). */
static int tmpl_items(struct emitter *e, const struct aslrt_tmpl *t);

static void tmpl_fields(struct emitter *e, const struct aslrt_tmpl *t, int items, int pathid)
{
	static const char *const kinds[] = { "NULL", "TRUE", "FALSE", "NUMBER", "STRING",
					     "ARRAY", "OBJECT", "PATH", "INTRINSIC", "JSONATA" };
	fprintf(e->out, "{ .kind = ASLRT_T_%s", kinds[t->kind]);
	if (t->key) {
		fputs(", .key = ", e->out);
		asl_emit_cstr(e->out, t->key);
	}
	if (t->kind == ASLRT_T_NUMBER) {
		fputs(", .num = ", e->out);
		asl_emit_double(e->out, t->num);
	}
	if (t->kind == ASLRT_T_STRING) {
		fputs(", .str = ", e->out);
		asl_emit_cstr(e->out, t->str);
	}
	if (items >= 0)
		fprintf(e->out, ", .n = %d, .items = %s_t%d_items", t->n, e->m, items);
	if (pathid >= 0)
		fprintf(e->out, t->kind == ASLRT_T_INTRINSIC ? ", .call = &%s_i%d"
				: t->kind == ASLRT_T_JSONATA ? ", .jn = &%s_j%d"
							     : ", .path = &%s_p%d", e->m, pathid);
	fputs(" }", e->out);
}

static int tmpl_items(struct emitter *e, const struct aslrt_tmpl *t)
{
	if ((t->kind != ASLRT_T_ARRAY && t->kind != ASLRT_T_OBJECT) || t->n == 0)
		return -1;
	int *kid_items = calloc((size_t)t->n, sizeof *kid_items);
	int *kid_paths = calloc((size_t)t->n, sizeof *kid_paths);
	int id = -1;
	if (kid_items && kid_paths) {
		for (int i = 0; i < t->n; i++) {
			kid_items[i] = tmpl_items(e, &t->items[i]);
			kid_paths[i] = ref(e, &t->items[i]);
		}
		id = e->ntmpl++;
		fprintf(e->out, "static const struct aslrt_tmpl %s_t%d_items[] = {\n", e->m, id);
		for (int i = 0; i < t->n; i++) {
			fputc('\t', e->out);
			tmpl_fields(e, &t->items[i], kid_items[i], kid_paths[i]);
			fputs(",\n", e->out);
		}
		fputs("};\n", e->out);
	}
	free(kid_items);
	free(kid_paths);
	return id;
}

/* Emit template t as `<m>_tN`; returns N or -1 for NULL. */
static int tmpl(struct emitter *e, const struct aslrt_tmpl *t)
{
	if (!t)
		return -1;
	int items = tmpl_items(e, t);
	int pathid = ref(e, t);
	int id = e->ntmpl++;
	fprintf(e->out, "static const struct aslrt_tmpl %s_t%d = ", e->m, id);
	tmpl_fields(e, t, items, pathid);
	fputs(";\n", e->out);
	return id;
}

/* emit_distributed.c reaches path() and tmpl() through these. */
static int path_ref(void *e, const struct aslrt_path *p)
{
	return path(e, p);
}

static int tmpl_ref(void *e, const struct aslrt_tmpl *t)
{
	return tmpl(e, t);
}

static struct asl_emit_refs refs_of(struct emitter *e)
{
	struct asl_emit_refs r = { e->out, e->m, e, path_ref, tmpl_ref };
	return r;
}

/* An ErrorEquals list as `<m>_eN`. */
static int errors(struct emitter *e, int n, const char *const *names)
{
	int id = e->nerr++;
	fprintf(e->out, "static const char *const %s_e%d[] = { ", e->m, id);
	for (int i = 0; i < n; i++) {
		asl_emit_cstr(e->out, names[i]);
		fputs(i + 1 < n ? ", " : " ", e->out);
	}
	fputs("};\n", e->out);
	return id;
}

static void retry_table(struct emitter *e, const struct asl_ir_state *st)
{
	const struct aslrt_state *s = &st->s;
	if (s->nretry == 0)
		return;
	int *ids = calloc((size_t)s->nretry, sizeof *ids);
	if (!ids)
		return;
	for (int i = 0; i < s->nretry; i++)
		ids[i] = errors(e, s->retry[i].nerrors, s->retry[i].errors);
	fprintf(e->out, "static const struct aslrt_retrier %s_R_%s[] = {\n", e->m, st->cname);
	for (int i = 0; i < s->nretry; i++) {
		const struct aslrt_retrier *r = &s->retry[i];
		fprintf(e->out, "\t{ .nerrors = %d, .errors = %s_e%d, .interval_s = ", r->nerrors,
			e->m, ids[i]);
		asl_emit_double(e->out, r->interval_s);
		fprintf(e->out, ", .max_attempts = %d, .backoff_rate = ", r->max_attempts);
		asl_emit_double(e->out, r->backoff_rate);
		fputs(", .max_delay_s = ", e->out);
		asl_emit_double(e->out, r->max_delay_s);
		fprintf(e->out, ", .jitter = %s },\n",
			r->jitter == ASLRT_JITTER_FULL ? "ASLRT_JITTER_FULL" : "ASLRT_JITTER_NONE");
	}
	fputs("};\n", e->out);
	free(ids);
}

static void catch_table(struct emitter *e, const struct asl_ir_state *st)
{
	const struct aslrt_state *s = &st->s;
	if (s->ncatch == 0)
		return;
	int *ids = calloc((size_t)s->ncatch, sizeof *ids);
	int *paths = calloc((size_t)s->ncatch, sizeof *paths);
	int *assigns = calloc((size_t)s->ncatch, sizeof *assigns);
	int *outputs = calloc((size_t)s->ncatch, sizeof *outputs);
	if (ids && paths && assigns && outputs) {
		for (int i = 0; i < s->ncatch; i++) {
			ids[i] = errors(e, s->catchers[i].nerrors, s->catchers[i].errors);
			paths[i] = path(e, s->catchers[i].result_path);
			assigns[i] = tmpl(e, s->catchers[i].assign);
			outputs[i] = tmpl(e, s->catchers[i].output);    /* JSONata */
		}
		fprintf(e->out, "static const struct aslrt_catcher %s_C_%s[] = {\n", e->m,
			st->cname);
		for (int i = 0; i < s->ncatch; i++) {
			const struct aslrt_catcher *k = &s->catchers[i];
			fprintf(e->out, "\t{ .nerrors = %d, .errors = %s_e%d, ", k->nerrors, e->m,
				ids[i]);
			if (paths[i] >= 0)
				fprintf(e->out, ".result_path = &%s_p%d, ", e->m, paths[i]);
			if (assigns[i] >= 0)
				fprintf(e->out, ".assign = &%s_t%d, ", e->m, assigns[i]);
			if (outputs[i] >= 0)
				fprintf(e->out, ".output = &%s_t%d, ", e->m, outputs[i]);
			fprintf(e->out, ".discard_result = %d, .next = %s_S_%s },\n", k->discard_result,
				e->m, e->ir->states[k->next].cname);
		}
		fputs("};\n", e->out);
	}
	free(ids);
	free(paths);
	free(assigns);
	free(outputs);
}

/* Conditions of a rule tree, post-order, numbered into ids (preorder index). */
static void conds(struct emitter *e, const struct asl_rule *r)
{
	if (r->kind != ASL_RULE_LEAF) {
		for (int i = 0; i < r->n; i++)
			conds(e, &r->kids[i]);
		return;
	}
	static const char *const names[] = {
		"STRING_EQ", "STRING_LT", "STRING_GT", "STRING_LE", "STRING_GE",
		"STRING_MATCHES", "NUMERIC_EQ", "NUMERIC_LT", "NUMERIC_GT", "NUMERIC_LE",
		"NUMERIC_GE", "BOOLEAN_EQ", "TIMESTAMP_EQ", "TIMESTAMP_LT", "TIMESTAMP_GT",
		"TIMESTAMP_LE", "TIMESTAMP_GE", "IS_NULL", "IS_PRESENT", "IS_NUMERIC",
		"IS_STRING", "IS_BOOLEAN", "IS_TIMESTAMP"
	};
	const struct aslrt_cond *c = &r->cond;
	int var = path(e, c->var), rhs = path(e, c->rhs_path);
	int id = e->ncond++;
	fprintf(e->out, "static const struct aslrt_cond %s_c%d = {\n\t.op = ASLRT_C_%s,\n", e->m,
		id, names[c->op]);
	ref_at(e, 1, "var", "p", var);
	ref_at(e, 1, "rhs_path", "p", rhs);
	if (c->str) {
		fputs("\t.str = ", e->out);
		asl_emit_cstr(e->out, c->str);
		fputs(",\n", e->out);
	}
	if (c->num != 0) {
		fputs("\t.num = ", e->out);
		asl_emit_double(e->out, c->num);
		fputs(",\n", e->out);
	}
	if (c->boolean)
		fputs("\t.boolean = 1,\n", e->out);
	if (c->ts.sec || c->ts.nsec)
		fprintf(e->out, "\t.ts = { %lld, %ld },\n", (long long)c->ts.sec, (long)c->ts.nsec);
	fputs("};\n", e->out);
}

/* The C expression of rule r; *next_cond walks the numbering of conds(). */
static void rule_expr(struct emitter *e, const struct asl_rule *r, int *next_cond)
{
	switch (r->kind) {
	case ASL_RULE_LEAF:
		fprintf(e->out, "aslrt_cond(x, &%s_c%d)", e->m, (*next_cond)++);
		return;
	case ASL_RULE_NOT:
		fputs("!", e->out);
		rule_expr(e, &r->kids[0], next_cond);
		return;
	default:
		fputc('(', e->out);
		for (int i = 0; i < r->n; i++) {
			if (i)
				fputs(r->kind == ASL_RULE_AND ? " && " : " || ", e->out);
			rule_expr(e, &r->kids[i], next_cond);
		}
		fputc(')', e->out);
	}
}

static const char *const type_names[] = { "Pass", "Task", "Choice", "Wait", "Succeed",
					  "Fail", "Parallel", "Map" };

static void state_comment(struct emitter *e, const struct asl_ir_state *st)
{
	fputs("/* ", e->out);
	asl_emit_comment_text(e->out, st->s.name);
	fprintf(e->out, " (%s) ", type_names[st->s.type]);
	asl_emit_comment_text(e->out, st->s.pointer);
	fputs(" */", e->out);
}

static void target(struct emitter *e, const char *field, int t)
{
	if (t >= 0)
		fprintf(e->out, "\t\t.%s = %s_S_%s,\n", field, e->m, e->ir->states[t].cname);
	else
		fprintf(e->out, "\t\t.%s = ASLRT_END,\n", field);
}

struct state_syms {
	int in, out, res, params, sel, result, tpath, hpath, spath, tspath, epath, cpath;
	int items, isel, mcpath, tppath, tcpath, assign, output, arguments;
	int jn[8];                     /* JSONata expression fields (jn_fields) */
	int *rule_assign;              /* per top-level rule: Assign template id */
	int *rule_cond;                /* per JSONata rule: Condition template id */
	int *rule_output;              /* per JSONata rule: Output template id  */
	int first_cond;
};

/* The JSONata fields of struct aslrt_state that hold expressions, in the
 * order of state_syms.jn. */
static const char *const jn_names[8] = {
	"timeout_expr", "heartbeat_expr", "seconds_expr", "timestamp_expr", "items",
	"max_concurrency_expr", "tolerated_percent_expr", "tolerated_count_expr"
};

static void jn_fields(const struct aslrt_state *s, const struct aslrt_tmpl *f[8])
{
	f[0] = s->timeout_expr;
	f[1] = s->heartbeat_expr;
	f[2] = s->seconds_expr;
	f[3] = s->timestamp_expr;
	f[4] = s->items;
	f[5] = s->max_concurrency_expr;
	f[6] = s->tolerated_percent_expr;
	f[7] = s->tolerated_count_expr;
}

static void state_data(struct emitter *e, const struct asl_ir_state *st, struct state_syms *y)
{
	const struct aslrt_state *s = &st->s;
	fputs("\n", e->out);
	state_comment(e, st);
	fputs("\n", e->out);
	y->in = path(e, s->io.input_path);
	y->out = path(e, s->io.output_path);
	y->res = path(e, s->io.result_path);
	y->params = tmpl(e, s->io.parameters);
	y->sel = tmpl(e, s->io.result_selector);
	y->result = tmpl(e, s->result);
	y->tpath = path(e, s->timeout_path);
	y->hpath = path(e, s->heartbeat_path);
	y->spath = path(e, s->seconds_path);
	y->tspath = path(e, s->timestamp_path);
	y->epath = tmpl(e, s->error_expr);
	y->cpath = tmpl(e, s->cause_expr);
	y->items = path(e, s->items_path);
	y->isel = tmpl(e, s->item_selector);
	y->mcpath = path(e, s->max_concurrency_path);
	y->tppath = path(e, s->tolerated_percent_path);
	y->tcpath = path(e, s->tolerated_count_path);
	y->assign = tmpl(e, s->assign);
	y->output = tmpl(e, s->output);
	y->arguments = tmpl(e, s->arguments);
	const struct aslrt_tmpl *f[8];
	jn_fields(s, f);
	for (int i = 0; i < 8; i++)
		y->jn[i] = tmpl(e, f[i]);
	y->rule_assign = calloc((size_t)st->nrules + 1, sizeof *y->rule_assign);
	for (int i = 0; y->rule_assign && i < st->nrules; i++)
		y->rule_assign[i] = tmpl(e, st->rules[i].assign);
	y->rule_cond = calloc((size_t)st->nrules + 1, sizeof *y->rule_cond);
	for (int i = 0; y->rule_cond && i < st->nrules; i++)
		y->rule_cond[i] = tmpl(e, st->rules[i].condition);
	y->rule_output = calloc((size_t)st->nrules + 1, sizeof *y->rule_output);
	for (int i = 0; y->rule_output && i < st->nrules; i++)
		y->rule_output[i] = tmpl(e, st->rules[i].output);
	if (s->nbranches) {
		fprintf(e->out, "static const int %s_B_%s[] = {", e->m, st->cname);
		for (int i = 0; i < s->nbranches; i++)
			fprintf(e->out, " %s_S_%s,", e->m, e->ir->states[s->branches[i]].cname);
		fputs(" };\n", e->out);
	}
	struct asl_emit_refs refs = refs_of(e);
	asl_emit_distributed_data(&refs, st);
	retry_table(e, st);
	catch_table(e, st);
	y->first_cond = e->ncond;
	for (int i = 0; i < st->nrules && !s->jsonata; i++)
		conds(e, &st->rules[i]);
}

static void num_field(struct emitter *e, const char *name, double v)
{
	if (v != 0) {
		fprintf(e->out, "\t\t.%s = ", name);
		asl_emit_double(e->out, v);
		fputs(",\n", e->out);
	}
}

static void str_field(struct emitter *e, const char *name, const char *v)
{
	if (v) {
		fprintf(e->out, "\t\t.%s = ", name);
		asl_emit_cstr(e->out, v);
		fputs(",\n", e->out);
	}
}

static void state_init(struct emitter *e, const struct asl_ir_state *st,
		       const struct state_syms *y)
{
	static const char *const types[] = { "PASS", "TASK", "CHOICE", "WAIT", "SUCCEED",
					     "FAIL", "PARALLEL", "MAP" };
	const struct aslrt_state *s = &st->s;
	fprintf(e->out, "\t[%s_S_%s] = { ", e->m, st->cname);
	state_comment(e, st);
	fputs("\n", e->out);
	str_field(e, "name", s->name);
	fprintf(e->out, "\t\t.type = ASLRT_%s,\n", types[s->type]);
	str_field(e, "pointer", s->pointer);
	const struct aslrt_io *io = &s->io;
	if (y->in >= 0 || y->params >= 0 || y->sel >= 0 || y->res >= 0 || y->out >= 0 ||
	    io->input_null || io->result_null || io->output_null) {
		fputs("\t\t.io = {\n", e->out);
		ref_at(e, 3, "input_path", "p", y->in);
		ref_at(e, 3, "parameters", "t", y->params);
		ref_at(e, 3, "result_selector", "t", y->sel);
		ref_at(e, 3, "result_path", "p", y->res);
		ref_at(e, 3, "output_path", "p", y->out);
		if (io->input_null)
			fputs("\t\t\t.input_null = 1,\n", e->out);
		if (io->result_null)
			fputs("\t\t\t.result_null = 1,\n", e->out);
		if (io->output_null)
			fputs("\t\t\t.output_null = 1,\n", e->out);
		fputs("\t\t},\n", e->out);
	}
	target(e, "next", s->next);
	ref_at(e, 2, "result", "t", y->result);
	if (s->jsonata)
		fputs("\t\t.jsonata = 1,\n", e->out);
	ref_at(e, 2, "output", "t", y->output);
	ref_at(e, 2, "arguments", "t", y->arguments);
	str_field(e, "resource", s->resource);
	if (s->resource)
		fprintf(e->out, "\t\t.resource_index = %d,\n", s->resource_index);
	num_field(e, "timeout_s", s->timeout_s);
	num_field(e, "heartbeat_s", s->heartbeat_s);
	ref_at(e, 2, "timeout_path", "p", y->tpath);
	ref_at(e, 2, "heartbeat_path", "p", y->hpath);
	if (s->nretry)
		fprintf(e->out, "\t\t.nretry = %d,\n\t\t.retry = %s_R_%s,\n", s->nretry, e->m,
			st->cname);
	if (s->ncatch)
		fprintf(e->out, "\t\t.ncatch = %d,\n\t\t.catchers = %s_C_%s,\n", s->ncatch, e->m,
			st->cname);
	if (s->has_seconds) {
		fputs("\t\t.has_seconds = 1,\n", e->out);
		num_field(e, "seconds", s->seconds);
	}
	if (s->has_timestamp)
		fprintf(e->out, "\t\t.has_timestamp = 1,\n\t\t.timestamp = { %lld, %ld },\n",
			(long long)s->timestamp.sec, (long)s->timestamp.nsec);
	ref_at(e, 2, "seconds_path", "p", y->spath);
	ref_at(e, 2, "timestamp_path", "p", y->tspath);
	target(e, "default_next", s->type == ASLRT_CHOICE ? s->default_next : ASLRT_END);
	str_field(e, "error", s->error);
	str_field(e, "cause", s->cause);
	ref_at(e, 2, "error_expr", "t", y->epath);
	ref_at(e, 2, "cause_expr", "t", y->cpath);
	if (s->nbranches)
		fprintf(e->out, "\t\t.nbranches = %d,\n\t\t.branches = %s_B_%s,\n", s->nbranches,
			e->m, st->cname);
	if (s->type == ASLRT_MAP)
		fprintf(e->out, "\t\t.processor = %s_S_%s,\n", e->m,
			e->ir->states[s->processor].cname);
	ref_at(e, 2, "items_path", "p", y->items);
	ref_at(e, 2, "item_selector", "t", y->isel);
	if (s->max_concurrency)
		fprintf(e->out, "\t\t.max_concurrency = %d,\n", s->max_concurrency);
	ref_at(e, 2, "max_concurrency_path", "p", y->mcpath);
	if (s->has_tolerated_percent) {
		fputs("\t\t.has_tolerated_percent = 1,\n", e->out);
		num_field(e, "tolerated_percent", s->tolerated_percent);
	}
	if (s->has_tolerated_count)
		fprintf(e->out, "\t\t.has_tolerated_count = 1,\n\t\t.tolerated_count = %d,\n",
			s->tolerated_count);
	ref_at(e, 2, "tolerated_percent_path", "p", y->tppath);
	ref_at(e, 2, "tolerated_count_path", "p", y->tcpath);
	str_field(e, "label", s->label);
	struct asl_emit_refs refs = refs_of(e);
	asl_emit_distributed_init(&refs, st);
	ref_at(e, 2, "assign", "t", y->assign);
	for (int i = 0; i < 8; i++)
		ref_at(e, 2, jn_names[i], "t", y->jn[i]);
	fputs("\t},\n", e->out);
}

static void step_case(struct emitter *e, const struct asl_ir_state *st,
		      const struct state_syms *y)
{
	static const char *const fn[] = { "aslrt_pass", "aslrt_task", NULL, "aslrt_wait",
					   "aslrt_succeed", "aslrt_fail", "aslrt_parallel",
					   "aslrt_map" };
	fprintf(e->out, "\tcase %s_S_%s: ", e->m, st->cname);
	state_comment(e, st);
	fputs("\n", e->out);
	if (asl_fast_eligible(st))   /* emit_fast.c: specialised C first */
		asl_emit_fast_call(e->out, e->m, st);
	if (st->s.type != ASLRT_CHOICE) {
		fprintf(e->out, "\t\t%s(x, s);\n\t\treturn;\n", fn[st->s.type]);
		return;
	}
	fputs("\t\tif (aslrt_choice_begin(x, s))\n\t\t\treturn;\n", e->out);
	int next_cond = y->first_cond;
	for (int i = 0; i < st->nrules; i++) {
		fputs("\t\tif (", e->out);
		if (st->s.jsonata && y->rule_cond && y->rule_cond[i] >= 0)
			fprintf(e->out, "aslrt_jn_cond(x, &%s_t%d)", e->m, y->rule_cond[i]);
		else
			rule_expr(e, &st->rules[i], &next_cond);
		fprintf(e->out, ") {\n\t\t\taslrt_%schoice_end(x, s, %s_S_%s, ",
			st->s.jsonata ? "jn_" : "", e->m, e->ir->states[st->rules[i].next].cname);
		if (y->rule_assign && y->rule_assign[i] >= 0)
			fprintf(e->out, "&%s_t%d", e->m, y->rule_assign[i]);
		else
			fputs("NULL", e->out);
		if (st->s.jsonata && y->rule_output && y->rule_output[i] >= 0)
			fprintf(e->out, ", &%s_t%d", e->m, y->rule_output[i]);
		else if (st->s.jsonata)
			fputs(", NULL", e->out);
		fputs(");\n\t\t\treturn;\n\t\t}\n", e->out);
	}
	if (st->s.jsonata)   /* the state's Assign applies whichever way it goes */
		fputs("\t\taslrt_jn_choice_end(x, s, s->default_next, NULL, NULL);\n\t\treturn;\n",
		      e->out);
	else
		fputs("\t\taslrt_choice_end(x, s, s->default_next, s->assign);\n\t\treturn;\n",
		      e->out);
}

/* svg as `static const struct { char l0[..]; ... } <m>_graph_svg`: one
 * member per run of whole lines of at most 2048 bytes, each a string
 * literal that fits it exactly (no NUL, allowed by C11 6.7.9p14) but the
 * last, which holds the terminator. So no literal passes the 4095
 * characters every C compiler must accept (-Woverlength-strings), the text
 * stays readable, and the members, all char arrays, follow each other with
 * no padding: the struct's bytes are the string, which a _Static_assert in
 * the emitted code checks. */
/* The length of the run that starts at s (left bytes remain). */
static size_t svg_run(const char *s, size_t left)
{
	size_t len = 0;
	while (len < left) {
		const char *nl = memchr(s + len, '\n', left - len);
		size_t end = nl ? (size_t)(nl - s) + 1 : left;
		if (end > 2048)   /* a line longer than a run is cut */
			return len ? len : 2048;
		len = end;
	}
	return len;
}

static void graph_svg(FILE *out, const char *m, const char *svg)
{
	size_t total = strlen(svg);
	int n = 0;
	fputs("\n/* The machine drawn by aslc (graph_svg in aslrt.h). */\n"
	      "static const struct {\n", out);
	for (size_t at = 0, len; at < total; at += len) {   /* the members' sizes */
		len = svg_run(svg + at, total - at);
		fprintf(out, "\tchar l%d[%zu];\n", n++, len + (at + len == total));
	}
	fprintf(out, "} %s_graph_svg = {\n", m);
	for (size_t at = 0, len; at < total; at += len) {   /* the same runs' text */
		len = svg_run(svg + at, total - at);
		char *piece = strndup(svg + at, len);
		fputc('\t', out);
		asl_emit_cstr(out, piece ? piece : "");
		fputs(",\n", out);
		free(piece);
	}
	fprintf(out, "};\n_Static_assert(sizeof %s_graph_svg == %zu, \"graph_svg is contiguous\");\n",
		m, total + 1);
}

void asl_emit_c(FILE *out, const struct asl_ir *ir, int with_main)
{
	asl_emit_c_graph(out, ir, with_main, NULL);
}

void asl_emit_c_graph(FILE *out, const struct asl_ir *ir, int with_main, const char *svg)
{
	struct emitter e = { .out = out, .ir = ir, .m = ir->cname };
	struct state_syms *syms = calloc((size_t)ir->nstates, sizeof *syms);
	if (!syms)
		return;
	fprintf(out, "/* Generated by aslc %s from ", ASLRT_VERSION);
	asl_emit_comment_text(out, ir->file);
	fputs(". DO NOT EDIT.\n * State machine ", out);
	asl_emit_comment_text(out, ir->name);
	if (ir->comment) {
		fputs(": ", out);
		asl_emit_comment_text(out, ir->comment);
	}
	fputs("\n */\n#include <aslrt.h>\n", out);
	for (int i = 0; i < ir->nstates; i++)
		if (ir->states[i].s.jsonata) {   /* the expressions' data types */
			fputs("#include <jsonata/ast.h>\n", out);
			break;
		}
	if (asl_fast_any(ir))            /* emit_fast.c's helpers */
		fputs("#include <aslrt_fast.h>\n", out);
	fputs("\n/* State indexes, in document order. */\nenum {\n", out);
	for (int i = 0; i < ir->nstates; i++)
		fprintf(out, "\t%s_S_%s = %d,\n", e.m, ir->states[i].cname, i);
	fputs("};\n", out);
	for (int i = 0; i < ir->nstates; i++)
		state_data(&e, &ir->states[i], &syms[i]);
	fprintf(out, "\nstatic const struct aslrt_state %s_states[%d] = {\n", e.m, ir->nstates);
	for (int i = 0; i < ir->nstates; i++)
		state_init(&e, &ir->states[i], &syms[i]);
	fputs("};\n", out);

	for (int i = 0; i < ir->nstates; i++)
		asl_emit_fast_fn(out, e.m, ir, &ir->states[i]);
	fprintf(out, "\n/* One state per call: the runtime owns every transition. */\n"
		     "static void %s_step(struct aslrt_exec *x)\n{\n"
		     "\tconst struct aslrt_state *s = &%s_states[aslrt_current(x)];\n\n"
		     "\tswitch (aslrt_current(x)) {\n", e.m, e.m);
	for (int i = 0; i < ir->nstates; i++)
		step_case(&e, &ir->states[i], &syms[i]);
	fputs("\tdefault:\n\t\treturn;\n\t}\n}\n", out);

	fprintf(out, "\nstatic const char *const %s_resources[] = {\n", e.m);
	for (int i = 0; i < ir->nresources; i++) {
		fputc('\t', out);
		asl_emit_cstr(out, ir->resources[i]);
		fputs(",\n", out);
	}
	if (ir->nresources == 0)
		fputs("\tNULL\n", out);
	fputs("};\n", out);
	if (svg && *svg)
		graph_svg(out, e.m, svg);
	fprintf(out, "\nconst struct aslrt_machine %s_machine = {\n\t.name = ", e.m);
	asl_emit_cstr(out, ir->name);
	fputs(",\n\t.comment = ", out);
	asl_emit_cstr(out, ir->comment);
	fprintf(out, ",\n\t.nstates = %d,\n\t.states = %s_states,\n\t.start = %s_S_%s,\n"
		     "\t.step = %s_step,\n\t.nresources = %d,\n\t.resources = %s_resources,\n"
		     "\t.express = %d,\n\t.context_free = %d,\n", ir->nstates, e.m, e.m,
		ir->states[ir->start].cname, e.m, ir->nresources, e.m, ir->express,
		!asl_ir_reads_context(ir));
	if (ir->timeout_s > 0)          /* written only when set: goldens stay */
		fprintf(out, "\t.timeout_s = %.0f,\n", ir->timeout_s);
	if (svg && *svg)
		fprintf(out, "\t.graph_svg = (const char *)&%s_graph_svg,\n", e.m);
	fputs("};\n", out);
	if (with_main)
		fprintf(out, "\nint main(int argc, char **argv)\n{\n"
			     "\treturn aslrt_main(&%s_machine, argc, argv);\n}\n", e.m);
	for (int i = 0; i < ir->nstates; i++) {
		free(syms[i].rule_assign);
		free(syms[i].rule_cond);
		free(syms[i].rule_output);
	}
	free(syms);
}
