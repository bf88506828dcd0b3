/*
 * check.c - validation of a definition against the Amazon States Language
 * (JSONPath mode), and construction of the IR from it. Every problem becomes a
 * located diagnostic and checking goes on, so one run reports them all.
 *
 * Field rules are one table (fields[]): which state types allow a field, which
 * require it, and what kind of value it takes.
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "rt.h"

enum kind {
	K_STRING,      /* any string                                           */
	K_TRUE,        /* End: must be true                                    */
	K_PATH,        /* JSONPath (full) or null                              */
	K_REFPATH,     /* reference path, or null where nullable               */
	K_REFPATH_STR, /* reference path, never null                           */
	K_ANY,         /* any JSON                                             */
	K_OBJECT,
	K_ARRAY,
	K_POS_INT,     /* 1 .. 99999999                                        */
	K_NONNEG_INT,  /* 0 .. 99999999                                        */
	K_PERCENT,     /* a number from 0 to 100                               */
	K_LATER        /* a real ASL field aslc does not support yet           */
};

static const struct field {
	const char *name;
	unsigned types;
	unsigned required;
	enum kind kind;
} fields[] = {
	{ "Type", ALL_TYPES, ALL_TYPES, K_STRING },
	{ "Comment", ALL_TYPES, 0, K_STRING },
	{ "Next", FLOWING, 0, K_STRING },
	{ "End", FLOWING, 0, K_TRUE },
	{ "InputPath", ALL_TYPES & ~T(FAIL), 0, K_PATH },
	{ "OutputPath", ALL_TYPES & ~T(FAIL), 0, K_PATH },
	{ "Parameters", T(PASS) | T(TASK) | T(PARALLEL) | T(MAP), 0, K_ANY },
	{ "ResultSelector", T(TASK) | T(PARALLEL) | T(MAP), 0, K_OBJECT },
	{ "ResultPath", T(PASS) | T(TASK) | T(PARALLEL) | T(MAP), 0, K_REFPATH },
	{ "Result", T(PASS), 0, K_ANY },
	{ "Resource", T(TASK), T(TASK), K_STRING },
	{ "TimeoutSeconds", T(TASK), 0, K_POS_INT },
	{ "TimeoutSecondsPath", T(TASK), 0, K_REFPATH_STR },
	{ "HeartbeatSeconds", T(TASK), 0, K_POS_INT },
	{ "HeartbeatSecondsPath", T(TASK), 0, K_REFPATH_STR },
	{ "Retry", T(TASK) | T(PARALLEL) | T(MAP), 0, K_ARRAY },
	{ "Catch", T(TASK) | T(PARALLEL) | T(MAP), 0, K_ARRAY },
	{ "Credentials", T(TASK), 0, K_OBJECT },
	{ "Choices", T(CHOICE), T(CHOICE), K_ARRAY },
	{ "Default", T(CHOICE), 0, K_STRING },
	{ "Seconds", T(WAIT), 0, K_NONNEG_INT },
	{ "Timestamp", T(WAIT), 0, K_STRING },
	{ "SecondsPath", T(WAIT), 0, K_REFPATH_STR },
	{ "TimestampPath", T(WAIT), 0, K_REFPATH_STR },
	{ "Error", T(FAIL), 0, K_STRING },
	{ "Cause", T(FAIL), 0, K_STRING },
	{ "ErrorPath", T(FAIL), 0, K_REFPATH_STR },
	{ "CausePath", T(FAIL), 0, K_REFPATH_STR },
	{ "Branches", T(PARALLEL), T(PARALLEL), K_ARRAY },
	{ "ItemsPath", T(MAP), 0, K_REFPATH_STR },
	{ "ItemSelector", T(MAP), 0, K_OBJECT },
	{ "ItemProcessor", T(MAP), 0, K_OBJECT },
	{ "Iterator", T(MAP), 0, K_OBJECT },
	{ "ItemReader", T(MAP), 0, K_OBJECT },
	{ "ItemBatcher", T(MAP), 0, K_OBJECT },
	{ "ResultWriter", T(MAP), 0, K_OBJECT },
	{ "MaxConcurrency", T(MAP), 0, K_NONNEG_INT },
	{ "MaxConcurrencyPath", T(MAP), 0, K_REFPATH_STR },
	{ "ToleratedFailurePercentage", T(MAP), 0, K_PERCENT },
	{ "ToleratedFailureCount", T(MAP), 0, K_NONNEG_INT },
	{ "ToleratedFailurePercentagePath", T(MAP), 0, K_REFPATH_STR },
	{ "ToleratedFailureCountPath", T(MAP), 0, K_REFPATH_STR },
	{ "Label", T(MAP), 0, K_STRING },
	{ "Assign", ALL_TYPES & ~T(SUCCEED) & ~T(FAIL), 0, K_ANY },
	{ "QueryLanguage", ALL_TYPES, 0, K_STRING },  /* value: check_jsonata.c */
	{ "Arguments", T(TASK) | T(PARALLEL) | T(MAP), 0, K_ANY },
	{ "Output", ALL_TYPES & ~T(FAIL), 0, K_ANY },
	{ "Items", T(MAP), 0, K_ANY },
};

static const char *const type_names[] = { "Pass", "Task", "Choice", "Wait", "Succeed",
					  "Fail", "Parallel", "Map" };


static const char *kind_text(enum kind k)
{
	switch (k) {
	case K_STRING: return "a string";
	case K_TRUE: return "true";
	case K_PATH: case K_REFPATH: return "a path string or null";
	case K_REFPATH_STR: return "a path string";
	case K_OBJECT: return "an object";
	case K_ARRAY: return "an array";
	case K_POS_INT: return "a positive integer (1 to 99999999)";
	case K_NONNEG_INT: return "an integer from 0 to 99999999";
	case K_PERCENT: return "a number from 0 to 100";
	default: return "a value";
	}
}

/* Check v against its field rule's value kind. Returns 1 when well-formed. */
static int check_kind(struct checker *c, const struct field *f, const struct asl_json *v)
{
	int ok;
	switch (f->kind) {
	case K_STRING: ok = v->type == ASL_J_STRING; break;
	case K_TRUE: ok = v->type == ASL_J_TRUE; break;
	case K_PATH: case K_REFPATH: ok = v->type == ASL_J_STRING || v->type == ASL_J_NULL; break;
	case K_REFPATH_STR: ok = v->type == ASL_J_STRING; break;
	case K_OBJECT: ok = v->type == ASL_J_OBJECT; break;
	case K_ARRAY: ok = v->type == ASL_J_ARRAY; break;
	case K_POS_INT: ok = is_int_in(v, 1, 99999999); break;
	case K_NONNEG_INT: ok = is_int_in(v, 0, 99999999); break;
	case K_PERCENT: ok = v->type == ASL_J_NUMBER && v->num >= 0 && v->num <= 100; break;
	case K_LATER:
		report(c, v, "UNSUPPORTED_FEATURE", f->name,
		       "\"%s\" is valid ASL but not supported by this version of aslc", f->name);
		return 0;
	default: ok = 1; break;
	}
	if (!ok)
		report(c, v, "SCHEMA_VALIDATION_FAILED", f->name, "\"%s\" must be %s, not %s%s",
		       f->name, kind_text(f->kind),
		       v->type == ASL_J_TRUE || v->type == ASL_J_FALSE ? "a " : "",
		       v->type == ASL_J_NUMBER ? v->str : asl_json_type_name(v->type));
	return ok;
}

/* ---------------------------------------------------------------- states */

static enum aslrt_type type_of(const char *s, int *ok)
{
	for (int i = 0; i < (int)(sizeof type_names / sizeof type_names[0]); i++)
		if (strcmp(s, type_names[i]) == 0) {
			*ok = 1;
			return (enum aslrt_type)i;
		}
	*ok = 0;
	return ASLRT_PASS;
}

static const struct field *find_field(const char *name)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* Path-valued pipeline field: NULL when absent, sets *is_null on null. */
static const struct aslrt_path *io_path(struct checker *c, const struct asl_json *st,
					const char *name, enum asl_path_mode mode,
					unsigned char *is_null)
{
	const struct asl_json *v = asl_json_get(st, name);
	if (!v)
		return NULL;
	if (v->type == ASL_J_NULL) {
		if (is_null)
			*is_null = 1;
		return NULL;
	}
	return v->type == ASL_J_STRING ? parse_path(c, v, name, mode) : NULL;
}

/* Fields and their value kinds; returns 0 when the state's type is unknown. */
static int check_fields(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	const struct asl_json *type = asl_json_get(n, "Type");
	int known = 0;
	if (!type) {
		report(c, n, "SCHEMA_VALIDATION_FAILED", NULL, "\"Type\" is required");
		return 0;
	}
	if (type->type == ASL_J_STRING)
		st->s.type = type_of(type->str, &known);
	if (!known) {
		report(c, type, "SCHEMA_VALIDATION_FAILED", "Type",
		       "\"Type\" must be one of Pass, Task, Choice, Wait, Succeed, Fail, "
		       "Parallel, Map");
		return 0;
	}
	unsigned bit = 1u << st->s.type;
	st->jsonata = (unsigned char)state_is_jsonata(c, n);
	for (int i = 0; i < n->n; i++) {
		const struct asl_member *m = &n->members[i];
		const struct field *f = find_field(m->key);
		if (!f || !(f->types & bit)) {
			report(c, m->val, "SCHEMA_VALIDATION_FAILED", m->key,
			       "field \"%s\" is not allowed in a %s state", m->key,
			       type_names[st->s.type]);
			continue;
		}
		if (!jsonata_field_rule(c, m->val, m->key, st->jsonata))
			check_kind(c, f, m->val);
	}
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if ((fields[i].required & bit) && !asl_json_get(n, fields[i].name))
			report(c, n, "SCHEMA_VALIDATION_FAILED", NULL,
			       "a %s state requires \"%s\"", type_names[st->s.type], fields[i].name);
	return 1;
}

/* Next / End: exactly one for flowing states. */
static void check_flow(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	const struct asl_json *next = asl_json_get(n, "Next"), *end = asl_json_get(n, "End");
	st->s.next = ASLRT_END;
	if (!((1u << st->s.type) & FLOWING))
		return;
	if (next && end)
		report(c, end, "SCHEMA_VALIDATION_FAILED", "End",
		       "a state cannot have both \"Next\" and \"End\"");
	else if (!next && !end)
		report(c, n, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a %s state needs \"Next\" or \"End\": true", type_names[st->s.type]);
	else if (next)
		st->s.next = target(c, next, "Next");
}

static void check_wait(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	static const char *const names[] = { "Seconds", "Timestamp", "SecondsPath",
					     "TimestampPath" };
	int count = 0;
	for (int i = 0; i < 4; i++)
		count += asl_json_get(n, names[i]) != NULL;
	if (count != 1) {
		report(c, n, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a Wait state needs exactly one of \"Seconds\", \"Timestamp\", "
		       "\"SecondsPath\", \"TimestampPath\" (found %d)", count);
		return;
	}
	const struct asl_json *v;
	if ((v = asl_json_get(n, "Seconds")) && v->type == ASL_J_NUMBER) {
		st->s.has_seconds = 1;
		st->s.seconds = v->num;
	}
	if ((v = asl_json_get(n, "Timestamp")) && v->type == ASL_J_STRING &&
	    !is_jsonata_expr(v)) {
		st->s.has_timestamp = 1;
		if (rt_time_parse(v->str, &st->s.timestamp) != 0)
			report(c, v, "SCHEMA_VALIDATION_FAILED", "Timestamp",
			       "\"%s\" is not an RFC 3339 timestamp (e.g. 2026-03-14T01:59:00Z)",
			       v->str);
	}
	st->s.seconds_path = io_path(c, n, "SecondsPath", ASL_PATH_REFERENCE, NULL);
	st->s.timestamp_path = io_path(c, n, "TimestampPath", ASL_PATH_REFERENCE, NULL);
}

static void check_task(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	const struct asl_json *v = asl_json_get(n, "Resource");
	if (v && v->type == ASL_J_STRING) {
		st->s.resource = v->str;
		check_resource(c, v);
	}
	if ((v = asl_json_get(n, "TimeoutSeconds")) && v->type == ASL_J_NUMBER)
		st->s.timeout_s = v->num;
	if ((v = asl_json_get(n, "HeartbeatSeconds")) && v->type == ASL_J_NUMBER) {
		st->s.heartbeat_s = v->num;
		if (st->s.timeout_s > 0 && v->num >= st->s.timeout_s)
			report(c, v, "SCHEMA_VALIDATION_FAILED", "HeartbeatSeconds",
			       "\"HeartbeatSeconds\" must be smaller than \"TimeoutSeconds\"");
	}
	if (asl_json_get(n, "TimeoutSeconds") && asl_json_get(n, "TimeoutSecondsPath"))
		report(c, asl_json_get(n, "TimeoutSecondsPath"), "SCHEMA_VALIDATION_FAILED",
		       "TimeoutSecondsPath",
		       "\"TimeoutSeconds\" and \"TimeoutSecondsPath\" are mutually exclusive");
	if (asl_json_get(n, "HeartbeatSeconds") && asl_json_get(n, "HeartbeatSecondsPath"))
		report(c, asl_json_get(n, "HeartbeatSecondsPath"), "SCHEMA_VALIDATION_FAILED",
		       "HeartbeatSecondsPath",
		       "\"HeartbeatSeconds\" and \"HeartbeatSecondsPath\" are mutually exclusive");
	/* Credentials (a role to assume) mean nothing to a local run, but their
	 * paths and intrinsics are checked like any Parameters. */
	if ((v = asl_json_get(n, "Credentials")) && v->type == ASL_J_OBJECT)
		(void)tmpl(c, v, "Credentials", 1);
	st->s.timeout_path = io_path(c, n, "TimeoutSecondsPath", ASL_PATH_REFERENCE, NULL);
	st->s.heartbeat_path = io_path(c, n, "HeartbeatSecondsPath", ASL_PATH_REFERENCE, NULL);
}

static void check_fail(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	const struct asl_json *v;
	if ((v = asl_json_get(n, "Error")) && v->type == ASL_J_STRING)
		st->s.error = v->str;
	if ((v = asl_json_get(n, "Cause")) && v->type == ASL_J_STRING)
		st->s.cause = v->str;
	if (asl_json_get(n, "Error") && asl_json_get(n, "ErrorPath"))
		report(c, asl_json_get(n, "ErrorPath"), "SCHEMA_VALIDATION_FAILED", "ErrorPath",
		       "\"Error\" and \"ErrorPath\" are mutually exclusive");
	if (asl_json_get(n, "Cause") && asl_json_get(n, "CausePath"))
		report(c, asl_json_get(n, "CausePath"), "SCHEMA_VALIDATION_FAILED", "CausePath",
		       "\"Cause\" and \"CausePath\" are mutually exclusive");
	/* AWS: ErrorPath and CausePath take a path or an intrinsic function. */
	if ((v = asl_json_get(n, "ErrorPath")) && v->type == ASL_J_STRING)
		st->s.error_expr = dynamic_value(c, v, "ErrorPath");
	if ((v = asl_json_get(n, "CausePath")) && v->type == ASL_J_STRING)
		st->s.cause_expr = dynamic_value(c, v, "CausePath");
}

/* Branches were collected as nested machines (check_machine.c); each branch
 * is named by its StartAt. */
static void check_parallel(struct checker *c, struct asl_ir_state *st,
			   const struct asl_json *n)
{
	const struct asl_json *b = asl_json_get(n, "Branches");
	if (b && b->type == ASL_J_ARRAY && b->n == 0)
		report(c, b, "SCHEMA_VALIDATION_FAILED", "Branches",
		       "\"Branches\" must hold at least one state machine");
	int *starts = asl_arena_alloc(c->a, (size_t)(st->nsub ? st->nsub : 1) * sizeof *starts);
	if (!starts)
		return;
	for (int k = 0; k < st->nsub; k++)
		starts[k] = c->ir->machines[st->sub[k]].start;
	st->s.branches = starts;
	st->s.nbranches = st->nsub;
}

/* Inline Map: ItemProcessor (or Iterator) collected as a nested machine;
 * the legacy Parameters is the ItemSelector of old. */
static void check_map(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	const struct asl_json *sel = asl_json_get(n, "ItemSelector");
	const struct asl_json *params = asl_json_get(n, "Parameters");
	if (sel && params)
		report(c, params, "SCHEMA_VALIDATION_FAILED", "Parameters",
		       "\"ItemSelector\" and \"Parameters\" are mutually exclusive");
	if (!sel)
		sel = params;
	if (sel && sel->type == ASL_J_OBJECT && !st->jsonata)
		st->s.item_selector = tmpl(c, sel, sel == params ? "Parameters" : "ItemSelector", 1);
	if (st->nsub == 0)
		report(c, n, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a Map state requires \"ItemProcessor\" (or \"Iterator\")");
	else
		st->s.processor = c->ir->machines[st->sub[0]].start;
	st->s.items_path = io_path(c, n, "ItemsPath", ASL_PATH_REFERENCE, NULL);
	st->s.max_concurrency_path = io_path(c, n, "MaxConcurrencyPath", ASL_PATH_REFERENCE, NULL);
	st->s.tolerated_percent_path =
		io_path(c, n, "ToleratedFailurePercentagePath", ASL_PATH_REFERENCE, NULL);
	st->s.tolerated_count_path =
		io_path(c, n, "ToleratedFailureCountPath", ASL_PATH_REFERENCE, NULL);
	const struct asl_json *v;
	/* is_int_in: an out-of-range value is reported by the field table, and
	 * must not reach the int conversion (undefined for 1e74; fuzz_check) */
	if ((v = asl_json_get(n, "MaxConcurrency")) && is_int_in(v, 0, 99999999))
		st->s.max_concurrency = (int)v->num;
	if ((v = asl_json_get(n, "ToleratedFailurePercentage")) && v->type == ASL_J_NUMBER) {
		st->s.has_tolerated_percent = 1;
		st->s.tolerated_percent = v->num;
	}
	if ((v = asl_json_get(n, "ToleratedFailureCount")) && is_int_in(v, 0, 99999999)) {
		st->s.has_tolerated_count = 1;
		st->s.tolerated_count = (int)v->num;
	}
	if ((v = asl_json_get(n, "Label")) && v->type == ASL_J_STRING)
		st->s.label = v->str;
	static const char *const pairs[][2] = {
		{ "MaxConcurrency", "MaxConcurrencyPath" },
		{ "ToleratedFailurePercentage", "ToleratedFailurePercentagePath" },
		{ "ToleratedFailureCount", "ToleratedFailureCountPath" },
	};
	for (int k = 0; k < 3; k++)
		if (asl_json_get(n, pairs[k][0]) && asl_json_get(n, pairs[k][1]))
			report(c, asl_json_get(n, pairs[k][1]), "SCHEMA_VALIDATION_FAILED",
			       pairs[k][1], "\"%s\" and \"%s\" are mutually exclusive",
			       pairs[k][0], pairs[k][1]);
	check_distributed(c, st, n);
}

static void check_state(struct checker *c, int i)
{
	struct asl_ir_state *st = &c->ir->states[i];
	const struct asl_json *n = st->node;
	if (n->type != ASL_J_OBJECT) {
		report(c, n, "SCHEMA_VALIDATION_FAILED", NULL, "a state must be an object");
		return;
	}
	if (!check_fields(c, st, n))
		return;
	check_flow(c, st, n);
	if (st->jsonata)
		check_jsonata_state(c, st, n);
	struct aslrt_io *io = &st->s.io;
	io->input_path = io_path(c, n, "InputPath", ASL_PATH_FULL, &io->input_null);
	io->output_path = io_path(c, n, "OutputPath", ASL_PATH_FULL, &io->output_null);
	io->result_path = io_path(c, n, "ResultPath", ASL_PATH_REFERENCE, &io->result_null);
	if (io->result_path && io->result_path->root != ASLRT_ROOT_INPUT)
		report(c, asl_json_get(n, "ResultPath"), "SCHEMA_VALIDATION_FAILED", "ResultPath",
		       "\"ResultPath\" must start with \"$\": it names a place in the state's input");
	const struct asl_json *v;
	if ((v = asl_json_get(n, "Parameters")) && st->s.type != ASLRT_MAP)
		io->parameters = tmpl(c, v, "Parameters", 1);
	if ((v = asl_json_get(n, "ResultSelector")) && v->type == ASL_J_OBJECT)
		io->result_selector = tmpl(c, v, "ResultSelector", 1);
	if ((v = asl_json_get(n, "Result")))
		st->s.result = tmpl(c, v, "Result", 0);
	if ((v = asl_json_get(n, "Assign")) && !st->jsonata)
		st->s.assign = check_assign(c, v);
	if ((v = asl_json_get(n, "Retry")) && v->type == ASL_J_ARRAY)
		check_retry(c, st, v);
	if ((v = asl_json_get(n, "Catch")) && v->type == ASL_J_ARRAY)
		check_catch(c, st, v);
	st->s.default_next = ASLRT_END;
	switch (st->s.type) {
	case ASLRT_TASK: check_task(c, st, n); break;
	case ASLRT_WAIT: check_wait(c, st, n); break;
	case ASLRT_FAIL: check_fail(c, st, n); break;
	case ASLRT_CHOICE:
		if ((v = asl_json_get(n, "Choices")) && v->type == ASL_J_ARRAY && !st->jsonata)
			check_choices(c, st, v);
		if ((v = asl_json_get(n, "Default")) && v->type == ASL_J_STRING)
			st->s.default_next = target(c, v, "Default");
		break;
	case ASLRT_PARALLEL: check_parallel(c, st, n); break;
	case ASLRT_MAP: check_map(c, st, n); break;
	default: break;
	}
}

int asl_check(const struct asl_json *def, struct asl_ir *ir, struct asl_diags *d)
{
	struct checker c = { .d = d, .ir = ir, .a = &ir->arena };
	int errors0 = d->errors, rc = -1;
	ir->start = -1;
	if (def->type == ASL_J_NULL) {
		/* ValidateStateMachineDefinitionDiagnostic: "MISSING_DESCRIPTION:
		 * Received a null or empty workflow input." */
		asl_diag_add(d, ASL_ERROR, def->loc, "MISSING_DESCRIPTION", "",
			     "the definition is null");
		return -1;
	}
	if (collect_machine(&c, def, "", -1) != 0 ||
	    !(c.broken = calloc((size_t)ir->nmachines, 1)))
		goto out;
	const struct asl_json *v = asl_json_get(def, "Comment");
	if (v && v->type == ASL_J_STRING)
		ir->comment = v->str;
	ir->start = ir->machines[0].start;
	for (int i = 0; i < ir->nstates; i++) {
		const struct asl_json *n = ir->states[i].node, *t;
		int known = 0;
		c.m = &ir->machines[ir->states[i].machine];
		strcpy(c.ptr, ir->states[i].s.pointer ? ir->states[i].s.pointer : "");
		check_state(&c, i);
		if (n->type == ASL_J_OBJECT && (t = asl_json_get(n, "Type")) &&
		    t->type == ASL_J_STRING)
			type_of(t->str, &known);
		if (!known || !transitions_known(&ir->states[i]))
			c.broken[ir->states[i].machine] = 1;
		if (known)
			check_warnings(&c, i);
	}
	check_labels(&c);
	/* Graph checks run despite errors elsewhere, unless this machine's own
	 * graph is incomplete: then they would only echo the first error. */
	for (int m = 0; m < ir->nmachines; m++)
		if (!c.broken[m]) {
			check_graph(&c, m);
			check_lints(&c, m);
		}
	if (d->errors == errors0)
		check_variables(&c);
	if (d->errors != errors0)
		goto out;
	if (collect_resources(ir) || name_states(ir) || !(ir->cname = asl_mangle(ir->name)))
		goto out;
	rc = 0;
out:
	asl_strmap_free(&c.names);
	free(c.same_name);
	free(c.broken);
	return rc;
}
