/*
 * check.c - validation of a definition against the Amazon States Language
 * (JSONPath mode), and construction of the IR from it. Every problem becomes a
 * located diagnostic and checking goes on, so one run reports them all.
 *
 * Field rules are one table (fields[]): which state types allow a field, which
 * require it, and what kind of value it takes.
 */
#include "check.h"

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
	{ "Credentials", T(TASK), 0, K_LATER },
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
	{ "Branches", T(PARALLEL), T(PARALLEL), K_LATER },
	{ "ItemsPath", T(MAP), 0, K_LATER },
	{ "ItemSelector", T(MAP), 0, K_LATER },
	{ "ItemProcessor", T(MAP), 0, K_LATER },
	{ "Iterator", T(MAP), 0, K_LATER },
	{ "ItemReader", T(MAP), 0, K_LATER },
	{ "ItemBatcher", T(MAP), 0, K_LATER },
	{ "ResultWriter", T(MAP), 0, K_LATER },
	{ "MaxConcurrency", T(MAP), 0, K_LATER },
	{ "MaxConcurrencyPath", T(MAP), 0, K_LATER },
	{ "ToleratedFailurePercentage", T(MAP), 0, K_LATER },
	{ "ToleratedFailureCount", T(MAP), 0, K_LATER },
	{ "ToleratedFailurePercentagePath", T(MAP), 0, K_LATER },
	{ "ToleratedFailureCountPath", T(MAP), 0, K_LATER },
	{ "Label", T(MAP), 0, K_LATER },
	{ "Assign", ALL_TYPES & ~T(SUCCEED) & ~T(FAIL), 0, K_LATER },
	{ "QueryLanguage", ALL_TYPES, 0, K_LATER },
	{ "Arguments", T(TASK) | T(PARALLEL) | T(MAP), 0, K_LATER },
	{ "Output", ALL_TYPES & ~T(FAIL), 0, K_LATER },
	{ "Items", T(MAP), 0, K_LATER },
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
	for (int i = 0; i < n->n; i++) {
		const struct asl_member *m = &n->members[i];
		const struct field *f = find_field(m->key);
		if (!f || !(f->types & bit)) {
			report(c, m->val, "SCHEMA_VALIDATION_FAILED", m->key,
			       "field \"%s\" is not allowed in a %s state", m->key,
			       type_names[st->s.type]);
			continue;
		}
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
	if ((v = asl_json_get(n, "Timestamp")) && v->type == ASL_J_STRING) {
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
		if (strncmp(v->str, "arn:", 4) != 0)
			report(c, v, "INVALID_RESOURCE", "Resource",
			       "\"%s\" is not an ARN (arn:partition:service:region:account:...)",
			       v->str);
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
	st->s.error_path = io_path(c, n, "ErrorPath", ASL_PATH_FULL, NULL);
	st->s.cause_path = io_path(c, n, "CausePath", ASL_PATH_FULL, NULL);
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
	struct aslrt_io *io = &st->s.io;
	io->input_path = io_path(c, n, "InputPath", ASL_PATH_FULL, &io->input_null);
	io->output_path = io_path(c, n, "OutputPath", ASL_PATH_FULL, &io->output_null);
	io->result_path = io_path(c, n, "ResultPath", ASL_PATH_REFERENCE, &io->result_null);
	const struct asl_json *v;
	if ((v = asl_json_get(n, "Parameters")))
		io->parameters = tmpl(c, v, "Parameters", 1);
	if ((v = asl_json_get(n, "ResultSelector")) && v->type == ASL_J_OBJECT)
		io->result_selector = tmpl(c, v, "ResultSelector", 1);
	if ((v = asl_json_get(n, "Result")))
		st->s.result = tmpl(c, v, "Result", 0);
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
		if ((v = asl_json_get(n, "Choices")) && v->type == ASL_J_ARRAY)
			check_choices(c, st, v);
		if ((v = asl_json_get(n, "Default")) && v->type == ASL_J_STRING)
			st->s.default_next = target(c, v, "Default");
		break;
	default: break;
	}
}

int asl_check(const struct asl_json *def, struct asl_ir *ir, struct asl_diags *d)
{
	struct checker c = { .d = d, .ir = ir, .a = &ir->arena };
	int errors0 = d->errors;
	ir->start = -1;
	if (def->type != ASL_J_OBJECT) {
		report(&c, def, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a state machine definition must be a JSON object");
		return -1;
	}
	static const char *const top_fields[] = { "StartAt", "States", "Comment", "Version",
						  "TimeoutSeconds", NULL };
	for (int i = 0; i < def->n; i++) {
		const char *k = def->members[i].key;
		if (strcmp(k, "QueryLanguage") == 0)
			report(&c, def->members[i].val, "UNSUPPORTED_FEATURE", k,
			       "\"QueryLanguage\" is not supported by this version of aslc");
	}
	only_fields(&c, def, top_fields);
	const struct asl_json *start = asl_json_get(def, "StartAt");
	const struct asl_json *states = asl_json_get(def, "States");
	const struct asl_json *v;
	if ((v = asl_json_get(def, "Comment")) && v->type == ASL_J_STRING)
		ir->comment = v->str;
	else if (v)
		report(&c, v, "SCHEMA_VALIDATION_FAILED", "Comment", "\"Comment\" must be a string");
	if ((v = asl_json_get(def, "Version")) && v->type != ASL_J_STRING)
		report(&c, v, "SCHEMA_VALIDATION_FAILED", "Version", "\"Version\" must be a string");
	if ((v = asl_json_get(def, "TimeoutSeconds")) && !is_int_in(v, 1, 99999999))
		report(&c, v, "SCHEMA_VALIDATION_FAILED", "TimeoutSeconds",
		       "\"TimeoutSeconds\" must be a positive integer");
	if (!start)
		report(&c, def, "SCHEMA_VALIDATION_FAILED", NULL, "\"StartAt\" is required");
	else if (start->type != ASL_J_STRING)
		report(&c, start, "SCHEMA_VALIDATION_FAILED", "StartAt", "\"StartAt\" must be a string");
	if (!states) {
		report(&c, def, "SCHEMA_VALIDATION_FAILED", NULL, "\"States\" is required");
		return -1;
	}
	if (states->type != ASL_J_OBJECT || states->n == 0) {
		report(&c, states, "SCHEMA_VALIDATION_FAILED", "States",
		       "\"States\" must be an object with at least one state");
		return -1;
	}
	c.states = states;
	ir->states = calloc((size_t)states->n, sizeof *ir->states);
	if (!ir->states)
		return -1;
	ir->nstates = states->n;
	strcpy(c.ptr, "/States");
	for (int i = 0; i < states->n; i++) {
		const struct asl_member *m = &states->members[i];
		ir->states[i].s.name = m->key;
		ir->states[i].loc = m->key_loc;
		ir->states[i].node = m->val;
		if (strlen(m->key) > 80 || strlen(m->key) == 0)
			asl_diag_add(d, ASL_ERROR, m->key_loc, "INVALID_STATE_NAME", "/States",
				     "state names must be 1 to 80 characters long");
	}
	if (start && start->type == ASL_J_STRING) {
		ir->start = state_index(&c, start->str);
		if (ir->start < 0) {
			c.ptr[0] = '\0';
			report(&c, start, "MISSING_TRANSITION_TARGET", "StartAt",
			       "no state named \"%s\" in this state machine", start->str);
		}
	}
	for (int i = 0; i < states->n; i++) {
		strcpy(c.ptr, "/States");
		size_t l = push(&c, ir->states[i].s.name);
		char *p = asl_arena_alloc(c.a, strlen(c.ptr) + 1);
		if (p)
			strcpy(p, c.ptr);
		ir->states[i].s.pointer = p;
		check_state(&c, i);
		pop(&c, l);
	}
	strcpy(c.ptr, "/States");
	if (d->errors == errors0)
		check_graph(&c);
	if (d->errors != errors0)
		return -1;
	if (collect_resources(ir) || name_states(ir) || !(ir->cname = asl_mangle(ir->name)))
		return -1;
	return 0;
}

