/*
 * check.c - validation of a definition against the Amazon States Language
 * (JSONPath mode), and construction of the IR from it. Every problem becomes a
 * located diagnostic and checking goes on, so one run reports them all.
 *
 * Field rules are one table (fields[]): which state types allow a field, which
 * require it, and what kind of value it takes.
 */
#include "ir.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "rt.h"

#define T(x) (1u << ASLRT_##x)
#define ALL_TYPES (T(PASS) | T(TASK) | T(CHOICE) | T(WAIT) | T(SUCCEED) | T(FAIL) | \
		   T(PARALLEL) | T(MAP))
#define FLOWING (T(PASS) | T(TASK) | T(WAIT) | T(PARALLEL) | T(MAP))

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

struct checker {
	struct asl_diags *d;
	struct asl_ir *ir;
	struct asl_arena *a;
	const struct asl_json *states;  /* the States object                   */
	char ptr[1024];                 /* JSON pointer being checked          */
};

/* ------------------------------------------------------------ reporting */

static void report(struct checker *c, const struct asl_json *at, const char *code,
		   const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Error at the value `at`; the pointer is c->ptr plus "/field" when given. */
static void report(struct checker *c, const struct asl_json *at, const char *code,
		   const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char ptr[1200];
	snprintf(ptr, sizeof ptr, "%s%s%s", c->ptr, field ? "/" : "", field ? field : "");
	struct asl_loc loc = at ? at->loc : (struct asl_loc){ 0, 0 };
	asl_diag_add(c->d, ASL_ERROR, loc, code, ptr, "%s", msg);
}

/* Append /seg (escaped per RFC 6901) to c->ptr; returns the old length so the
 * caller can restore it with pop(). */
static size_t push(struct checker *c, const char *seg)
{
	size_t len = strlen(c->ptr), o = len;
	if (o + 1 < sizeof c->ptr)
		c->ptr[o++] = '/';
	for (; *seg && o + 2 < sizeof c->ptr; seg++) {
		if (*seg == '~' || *seg == '/') {
			c->ptr[o++] = '~';
			c->ptr[o++] = *seg == '~' ? '0' : '1';
		} else {
			c->ptr[o++] = *seg;
		}
	}
	c->ptr[o] = '\0';
	return len;
}

static size_t push_index(struct checker *c, int i)
{
	char b[16];
	snprintf(b, sizeof b, "%d", i);
	return push(c, b);
}

static void pop(struct checker *c, size_t len)
{
	c->ptr[len] = '\0';
}

/* --------------------------------------------------------------- values */

static int is_int_in(const struct asl_json *v, double lo, double hi)
{
	return v->type == ASL_J_NUMBER && v->num == floor(v->num) && v->num >= lo &&
	       v->num <= hi && !strpbrk(v->str, ".eE");
}

/* Parse a path field value (string) in the given mode; report a located
 * error naming the field. Returns the path (kept by the arena) or NULL. */
static const struct aslrt_path *parse_path(struct checker *c, const struct asl_json *v,
					   const char *field, enum asl_path_mode mode)
{
	char *err = NULL;
	int off = 0;
	struct aslrt_path *p = asl_path_parse(v->str, mode, &err, &off);
	if (!p) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", field,
		       "invalid %s \"%s\": %s (at offset %d)",
		       mode == ASL_PATH_REFERENCE ? "reference path" : "JSONPath", v->str,
		       err ? err : "out of memory", off);
		free(err);
		return NULL;
	}
	return asl_arena_keep_path(c->a, p);
}

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

/* ------------------------------------------------------------ lookups */

static int state_index(const struct checker *c, const char *name)
{
	for (int i = 0; i < c->ir->nstates; i++)
		if (strcmp(c->ir->states[i].s.name, name) == 0)
			return i;
	return -1;
}

/* Resolve a transition target named by string v in field; -1 + report when
 * missing. */
static int target(struct checker *c, const struct asl_json *v, const char *field)
{
	if (!v || v->type != ASL_J_STRING)
		return -1;
	int i = state_index(c, v->str);
	if (i < 0)
		report(c, v, "MISSING_TRANSITION_TARGET", field,
		       "no state named \"%s\" in this state machine", v->str);
	return i;
}

/* ---------------------------------------------------------- templates */

static struct aslrt_tmpl *build_tmpl(struct checker *c, const struct asl_json *v,
				     int dynamic, struct aslrt_tmpl *t);

/* The value of a `key.$` member: a path ($ or $$) or an intrinsic. */
static void build_dynamic(struct checker *c, const struct asl_json *v, const char *key,
			  struct aslrt_tmpl *t)
{
	if (v->type != ASL_J_STRING) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "the value of \"%s\" must be a JSONPath or intrinsic function string",
		       key);
		return;
	}
	if (strncmp(v->str, "States.", 7) == 0) {
		report(c, v, "UNSUPPORTED_FEATURE", NULL,
		       "intrinsic functions are not supported by this version of aslc");
		return;
	}
	if (v->str[0] != '$') {
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "the value of \"%s\" must start with \"$\" (a path) or \"States.\" "
		       "(an intrinsic function)", key);
		return;
	}
	t->kind = ASLRT_T_PATH;
	t->path = parse_path(c, v, NULL, ASL_PATH_FULL);
}

/* Fill t from v. dynamic: keys ending in ".$" are paths (Parameters,
 * ResultSelector); otherwise everything is literal (Pass Result). */
static struct aslrt_tmpl *build_tmpl(struct checker *c, const struct asl_json *v,
				     int dynamic, struct aslrt_tmpl *t)
{
	switch (v->type) {
	case ASL_J_NULL: t->kind = ASLRT_T_NULL; break;
	case ASL_J_TRUE: t->kind = ASLRT_T_TRUE; break;
	case ASL_J_FALSE: t->kind = ASLRT_T_FALSE; break;
	case ASL_J_NUMBER: t->kind = ASLRT_T_NUMBER; t->num = v->num; break;
	case ASL_J_STRING: t->kind = ASLRT_T_STRING; t->str = v->str; break;
	case ASL_J_ARRAY:
	case ASL_J_OBJECT: {
		t->kind = v->type == ASL_J_ARRAY ? ASLRT_T_ARRAY : ASLRT_T_OBJECT;
		t->n = v->n;
		struct aslrt_tmpl *items = asl_arena_alloc(c->a, (size_t)v->n * sizeof *items);
		t->items = items;
		for (int i = 0; items && i < v->n; i++) {
			if (v->type == ASL_J_ARRAY) {
				size_t l = push_index(c, i);
				build_tmpl(c, v->items[i], dynamic, &items[i]);
				pop(c, l);
				continue;
			}
			const struct asl_member *m = &v->members[i];
			size_t klen = strlen(m->key);
			size_t l = push(c, m->key);
			if (dynamic && klen >= 2 && strcmp(m->key + klen - 2, ".$") == 0) {
				char *key = asl_arena_alloc(c->a, klen - 1);
				if (key)
					memcpy(key, m->key, klen - 2);
				items[i].key = key;
				build_dynamic(c, m->val, m->key, &items[i]);
			} else {
				items[i].key = m->key;
				build_tmpl(c, m->val, dynamic, &items[i]);
			}
			pop(c, l);
		}
		break;
	}
	}
	return t;
}

static const struct aslrt_tmpl *tmpl(struct checker *c, const struct asl_json *v,
				     const char *field, int dynamic)
{
	struct aslrt_tmpl *t = asl_arena_alloc(c->a, sizeof *t);
	if (!t)
		return NULL;
	size_t l = push(c, field);
	build_tmpl(c, v, dynamic, t);
	pop(c, l);
	return t;
}

/* --------------------------------------------------------- errors lists */

/* ErrorEquals of a retrier or catcher: a non-empty array of strings;
 * States.ALL must be alone (and, checked by the caller, in the last row). */
static const char *const *error_list(struct checker *c, const struct asl_json *row,
				     int *n, int *has_all)
{
	const struct asl_json *v = asl_json_get(row, "ErrorEquals");
	*n = 0;
	*has_all = 0;
	if (!v) {
		report(c, row, "SCHEMA_VALIDATION_FAILED", NULL, "\"ErrorEquals\" is required");
		return NULL;
	}
	if (v->type != ASL_J_ARRAY || v->n == 0) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", "ErrorEquals",
		       "\"ErrorEquals\" must be a non-empty array of error names");
		return NULL;
	}
	const char **names = asl_arena_alloc(c->a, (size_t)v->n * sizeof *names);
	for (int i = 0; names && i < v->n; i++) {
		const struct asl_json *e = v->items[i];
		if (e->type != ASL_J_STRING) {
			report(c, e, "SCHEMA_VALIDATION_FAILED", "ErrorEquals",
			       "error names must be strings");
			continue;
		}
		names[i] = e->str;
		if (strcmp(e->str, ASLRT_ERR_ALL) == 0) {
			*has_all = 1;
			if (v->n > 1)
				report(c, e, "SCHEMA_VALIDATION_FAILED", "ErrorEquals",
				       "\"States.ALL\" must appear alone in \"ErrorEquals\"");
		}
	}
	*n = v->n;
	return names;
}

static int only_fields(struct checker *c, const struct asl_json *row, const char *const *allowed)
{
	int ok = 1;
	for (int i = 0; i < row->n; i++) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, row->members[i].key) != 0)
			a++;
		if (!*a) {
			report(c, row->members[i].val, "SCHEMA_VALIDATION_FAILED", row->members[i].key,
			       "unknown field \"%s\"", row->members[i].key);
			ok = 0;
		}
	}
	return ok;
}

static double num_field(struct checker *c, const struct asl_json *row, const char *name,
			double dflt, double lo, double hi, int integer)
{
	const struct asl_json *v = asl_json_get(row, name);
	if (!v)
		return dflt;
	if (v->type != ASL_J_NUMBER || v->num < lo || v->num > hi ||
	    (integer && !is_int_in(v, lo, hi))) {
		char range[64];
		snprintf(range, sizeof range, hi >= 99999999 ? "at least %g" : "from %g to %g", lo, hi);
		report(c, v, "SCHEMA_VALIDATION_FAILED", name, "\"%s\" must be %s %s", name,
		       integer ? "an integer" : "a number", range);
		return dflt;
	}
	return v->num;
}

static void check_retry(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
{
	static const char *const allowed[] = { "ErrorEquals", "IntervalSeconds", "MaxAttempts",
		"BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment", NULL };
	struct aslrt_retrier *r = asl_arena_alloc(c->a, (size_t)arr->n * sizeof *r);
	if (!r)
		return;
	size_t l0 = push(c, "Retry");
	for (int i = 0; i < arr->n; i++) {
		const struct asl_json *row = arr->items[i];
		size_t l = push_index(c, i);
		if (row->type != ASL_J_OBJECT) {
			report(c, row, "SCHEMA_VALIDATION_FAILED", NULL, "a retrier must be an object");
			pop(c, l);
			continue;
		}
		only_fields(c, row, allowed);
		int has_all;
		r[i].errors = error_list(c, row, &r[i].nerrors, &has_all);
		if (has_all && i != arr->n - 1)
			report(c, asl_json_get(row, "ErrorEquals"), "SCHEMA_VALIDATION_FAILED",
			       "ErrorEquals", "\"States.ALL\" must be in the last retrier");
		/* Defaults: States Language spec, "Retrying after error". */
		r[i].interval_s = num_field(c, row, "IntervalSeconds", 1, 1, 99999999, 1);
		r[i].max_attempts = (int)num_field(c, row, "MaxAttempts", 3, 0, 99999999, 1);
		r[i].backoff_rate = num_field(c, row, "BackoffRate", 2.0, 1.0, 1e300, 0);
		r[i].max_delay_s = num_field(c, row, "MaxDelaySeconds", 0, 1, 31622400, 1);
		const struct asl_json *j = asl_json_get(row, "JitterStrategy");
		if (j && (j->type != ASL_J_STRING ||
			  (strcmp(j->str, "FULL") != 0 && strcmp(j->str, "NONE") != 0)))
			report(c, j, "SCHEMA_VALIDATION_FAILED", "JitterStrategy",
			       "\"JitterStrategy\" must be \"FULL\" or \"NONE\"");
		r[i].jitter = j && j->type == ASL_J_STRING && strcmp(j->str, "FULL") == 0
				      ? ASLRT_JITTER_FULL : ASLRT_JITTER_NONE;
		pop(c, l);
	}
	pop(c, l0);
	st->s.retry = r;
	st->s.nretry = arr->n;
}

static void check_catch(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
{
	static const char *const allowed[] = { "ErrorEquals", "Next", "ResultPath", "Comment",
					       NULL };
	struct aslrt_catcher *k = asl_arena_alloc(c->a, (size_t)arr->n * sizeof *k);
	if (!k)
		return;
	size_t l0 = push(c, "Catch");
	for (int i = 0; i < arr->n; i++) {
		const struct asl_json *row = arr->items[i];
		size_t l = push_index(c, i);
		k[i].next = -1;
		if (row->type != ASL_J_OBJECT) {
			report(c, row, "SCHEMA_VALIDATION_FAILED", NULL, "a catcher must be an object");
			pop(c, l);
			continue;
		}
		only_fields(c, row, allowed);
		int has_all;
		k[i].errors = error_list(c, row, &k[i].nerrors, &has_all);
		if (has_all && i != arr->n - 1)
			report(c, asl_json_get(row, "ErrorEquals"), "SCHEMA_VALIDATION_FAILED",
			       "ErrorEquals", "\"States.ALL\" must be in the last catcher");
		const struct asl_json *next = asl_json_get(row, "Next");
		if (!next)
			report(c, row, "SCHEMA_VALIDATION_FAILED", NULL, "\"Next\" is required");
		else if (next->type != ASL_J_STRING)
			report(c, next, "SCHEMA_VALIDATION_FAILED", "Next", "\"Next\" must be a string");
		else
			k[i].next = target(c, next, "Next");
		const struct asl_json *rp = asl_json_get(row, "ResultPath");
		if (rp && rp->type == ASL_J_NULL)
			k[i].discard_result = 1;
		else if (rp && rp->type == ASL_J_STRING)
			k[i].result_path = parse_path(c, rp, "ResultPath", ASL_PATH_REFERENCE);
		else if (rp)
			report(c, rp, "SCHEMA_VALIDATION_FAILED", "ResultPath",
			       "\"ResultPath\" must be a path string or null");
		pop(c, l);
	}
	pop(c, l0);
	st->s.catchers = k;
	st->s.ncatch = arr->n;
}

/* -------------------------------------------------------------- Choice */

static const struct op {
	const char *name;
	enum aslrt_cop op;
	enum asl_jtype operand;        /* STRING, NUMBER, TRUE (boolean)         */
	int path;                      /* the ...Path variant                    */
} ops[] = {
#define OP(n, o, t) { n, ASLRT_C_##o, ASL_J_##t, 0 }, { n "Path", ASLRT_C_##o, ASL_J_STRING, 1 }
	OP("StringEquals", STRING_EQ, STRING), OP("StringLessThan", STRING_LT, STRING),
	OP("StringGreaterThan", STRING_GT, STRING), OP("StringLessThanEquals", STRING_LE, STRING),
	OP("StringGreaterThanEquals", STRING_GE, STRING),
	OP("NumericEquals", NUMERIC_EQ, NUMBER), OP("NumericLessThan", NUMERIC_LT, NUMBER),
	OP("NumericGreaterThan", NUMERIC_GT, NUMBER),
	OP("NumericLessThanEquals", NUMERIC_LE, NUMBER),
	OP("NumericGreaterThanEquals", NUMERIC_GE, NUMBER),
	OP("BooleanEquals", BOOLEAN_EQ, TRUE),
	OP("TimestampEquals", TIMESTAMP_EQ, STRING), OP("TimestampLessThan", TIMESTAMP_LT, STRING),
	OP("TimestampGreaterThan", TIMESTAMP_GT, STRING),
	OP("TimestampLessThanEquals", TIMESTAMP_LE, STRING),
	OP("TimestampGreaterThanEquals", TIMESTAMP_GE, STRING),
#undef OP
	{ "StringMatches", ASLRT_C_STRING_MATCHES, ASL_J_STRING, 0 },
	{ "IsNull", ASLRT_C_IS_NULL, ASL_J_TRUE, 0 },
	{ "IsPresent", ASLRT_C_IS_PRESENT, ASL_J_TRUE, 0 },
	{ "IsNumeric", ASLRT_C_IS_NUMERIC, ASL_J_TRUE, 0 },
	{ "IsString", ASLRT_C_IS_STRING, ASL_J_TRUE, 0 },
	{ "IsBoolean", ASLRT_C_IS_BOOLEAN, ASL_J_TRUE, 0 },
	{ "IsTimestamp", ASLRT_C_IS_TIMESTAMP, ASL_J_TRUE, 0 },
};

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

static int is_timestamp_op(enum aslrt_cop op)
{
	return op >= ASLRT_C_TIMESTAMP_EQ && op <= ASLRT_C_TIMESTAMP_GE;
}

/* The operand of a data test. */
static void check_operand(struct checker *c, const struct op *o, const struct asl_json *v,
			  struct aslrt_cond *cond)
{
	int bool_ok = o->operand == ASL_J_TRUE && (v->type == ASL_J_TRUE || v->type == ASL_J_FALSE);
	if (!bool_ok && v->type != o->operand) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", o->name, "\"%s\" takes %s", o->name,
		       o->path ? "a reference path string"
		       : o->operand == ASL_J_STRING ? "a string"
		       : o->operand == ASL_J_NUMBER ? "a number" : "a boolean");
		return;
	}
	if (o->path) {
		cond->rhs_path = parse_path(c, v, o->name, ASL_PATH_REFERENCE);
	} else if (o->operand == ASL_J_NUMBER) {
		cond->num = v->num;
	} else if (o->operand == ASL_J_TRUE) {
		cond->boolean = v->type == ASL_J_TRUE;
	} else if (is_timestamp_op(o->op)) {
		if (rt_time_parse(v->str, &cond->ts) != 0)
			report(c, v, "SCHEMA_VALIDATION_FAILED", o->name,
			       "\"%s\" is not an RFC 3339 timestamp", v->str);
	} else {
		cond->str = v->str;
	}
}

static void check_rule(struct checker *c, const struct asl_json *v, struct asl_rule *r, int top);

/* And / Or operands, or the Not operand. */
static void check_combination(struct checker *c, const struct asl_json *v,
			      struct asl_rule *r, const char *key)
{
	size_t l = push(c, key);
	if (r->kind == ASL_RULE_NOT) {
		if (v->type != ASL_J_OBJECT) {
			report(c, v, "SCHEMA_VALIDATION_FAILED", NULL, "\"Not\" must be a rule object");
		} else if ((r->kids = asl_arena_alloc(c->a, sizeof *r->kids))) {
			r->n = 1;
			check_rule(c, v, r->kids, 0);
		}
	} else if (v->type != ASL_J_ARRAY || v->n == 0) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "\"%s\" must be a non-empty array of rules", key);
	} else if ((r->kids = asl_arena_alloc(c->a, (size_t)v->n * sizeof *r->kids))) {
		r->n = v->n;
		for (int i = 0; i < v->n; i++) {
			size_t li = push_index(c, i);
			if (v->items[i]->type != ASL_J_OBJECT)
				report(c, v->items[i], "SCHEMA_VALIDATION_FAILED", NULL,
				       "a rule must be an object");
			else
				check_rule(c, v->items[i], &r->kids[i], 0);
			pop(c, li);
		}
	}
	pop(c, l);
}

/* One Choice rule: exactly one operator (a data test with Variable, or And /
 * Or / Not); Next on top-level rules only. States Language: "Choice Rules". */
static void check_rule(struct checker *c, const struct asl_json *v, struct asl_rule *r, int top)
{
	const struct asl_json *var = NULL, *opv = NULL, *next = NULL;
	const struct op *op = NULL;
	int nops = 0;
	r->next = -1;
	for (int i = 0; i < v->n; i++) {
		const struct asl_member *m = &v->members[i];
		const struct op *o;
		if (strcmp(m->key, "Variable") == 0) {
			var = m->val;
		} else if (strcmp(m->key, "Next") == 0) {
			next = m->val;
		} else if (strcmp(m->key, "Comment") == 0) {
			if (m->val->type != ASL_J_STRING)
				report(c, m->val, "SCHEMA_VALIDATION_FAILED", "Comment",
				       "\"Comment\" must be a string");
		} else if (strcmp(m->key, "And") == 0 || strcmp(m->key, "Or") == 0 ||
			   strcmp(m->key, "Not") == 0) {
			if (nops++ == 0) {
				r->kind = m->key[0] == 'A' ? ASL_RULE_AND
					  : m->key[0] == 'O' ? ASL_RULE_OR : ASL_RULE_NOT;
				check_combination(c, m->val, r, m->key);
			}
			opv = m->val;
		} else if ((o = find_op(m->key))) {
			if (nops++ == 0) {
				r->kind = ASL_RULE_LEAF;
				r->cond.op = o->op;
				op = o;
				check_operand(c, o, m->val, &r->cond);
			}
			opv = m->val;
		} else if (strcmp(m->key, "Assign") == 0 || strcmp(m->key, "Condition") == 0 ||
			   strcmp(m->key, "Output") == 0) {
			report(c, m->val, "UNSUPPORTED_FEATURE", m->key,
			       "\"%s\" is valid ASL but not supported by this version of aslc", m->key);
		} else {
			report(c, m->val, "SCHEMA_VALIDATION_FAILED", m->key,
			       "unknown field \"%s\" in a Choice rule", m->key);
		}
	}
	if (nops == 0)
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a Choice rule needs exactly one comparison operator, \"And\", \"Or\" or \"Not\"");
	else if (nops > 1)
		report(c, opv, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a Choice rule must have exactly one comparison operator; found %d", nops);
	if (op && !var)
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL, "\"%s\" needs a \"Variable\"", op->name);
	else if (var && !op && nops)
		report(c, var, "SCHEMA_VALIDATION_FAILED", "Variable",
		       "\"Variable\" is only allowed with a comparison operator");
	if (var && op) {
		if (var->type != ASL_J_STRING)
			report(c, var, "SCHEMA_VALIDATION_FAILED", "Variable",
			       "\"Variable\" must be a path string");
		else
			r->cond.var = parse_path(c, var, "Variable", ASL_PATH_FULL);
	}
	if (top && !next)
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a top-level Choice rule needs \"Next\"");
	else if (!top && next)
		report(c, next, "SCHEMA_VALIDATION_FAILED", "Next",
		       "\"Next\" is only allowed in a top-level Choice rule");
	else if (next && next->type != ASL_J_STRING)
		report(c, next, "SCHEMA_VALIDATION_FAILED", "Next", "\"Next\" must be a string");
	else if (next)
		r->next = target(c, next, "Next");
}

static void check_choices(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
{
	if (arr->n == 0) {
		report(c, arr, "SCHEMA_VALIDATION_FAILED", "Choices",
		       "\"Choices\" must hold at least one rule");
		return;
	}
	st->rules = asl_arena_alloc(c->a, (size_t)arr->n * sizeof *st->rules);
	if (!st->rules)
		return;
	st->nrules = arr->n;
	size_t l0 = push(c, "Choices");
	for (int i = 0; i < arr->n; i++) {
		size_t l = push_index(c, i);
		if (arr->items[i]->type != ASL_J_OBJECT)
			report(c, arr->items[i], "SCHEMA_VALIDATION_FAILED", NULL,
			       "a Choice rule must be an object");
		else
			check_rule(c, arr->items[i], &st->rules[i], 1);
		pop(c, l);
	}
	pop(c, l0);
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

/* ------------------------------------------------------------ the graph */

static void visit(int target, int *stack, int *top, char *seen)
{
	if (target >= 0 && !seen[target]) {
		seen[target] = 1;
		stack[(*top)++] = target;
	}
}

/* Unreachable states (AWS rejects them) and the existence of a terminal one. */
static void check_graph(struct checker *c)
{
	int n = c->ir->nstates;
	char *seen = calloc((size_t)n + 1, 1);
	int *stack = malloc(((size_t)n + 1) * sizeof *stack), top = 0;
	if (!seen || !stack)
		goto out;
	visit(c->ir->start, stack, &top, seen);
	int terminal = 0;
	while (top > 0) {
		const struct asl_ir_state *st = &c->ir->states[stack[--top]];
		if (st->s.type == ASLRT_SUCCEED || st->s.type == ASLRT_FAIL ||
		    (((1u << st->s.type) & FLOWING) && asl_json_get(st->node, "End")))
			terminal = 1;
		visit(st->s.next, stack, &top, seen);
		visit(st->s.default_next, stack, &top, seen);
		for (int k = 0; k < st->s.ncatch; k++)
			visit(st->s.catchers[k].next, stack, &top, seen);
		for (int k = 0; k < st->nrules; k++)
			visit(st->rules[k].next, stack, &top, seen);
	}
	if (!terminal && c->ir->start >= 0)
		report(c, c->states, "MISSING_END_STATE", NULL,
		       "no terminal state (Succeed, Fail, or \"End\": true) can be reached");
	for (int i = 0; i < n; i++)
		if (!seen[i] && c->ir->start >= 0) {
			size_t l = push(c, c->ir->states[i].s.name);
			asl_diag_add(c->d, ASL_ERROR, c->ir->states[i].loc, "SCHEMA_VALIDATION_FAILED",
				     c->ptr, "state \"%s\" is not reachable from \"StartAt\"",
				     c->ir->states[i].s.name);
			pop(c, l);
		}
out:
	free(seen);
	free(stack);
}

/* Distinct resources, sorted; each Task's resource_index. */
static int collect_resources(struct asl_ir *ir)
{
	ir->resources = calloc((size_t)ir->nstates + 1, sizeof *ir->resources);
	if (!ir->resources)
		return -1;
	for (int i = 0; i < ir->nstates; i++) {
		const char *r = ir->states[i].s.resource;
		if (!r)
			continue;
		int k = 0;
		while (k < ir->nresources && strcmp(ir->resources[k], r) < 0)
			k++;
		if (k < ir->nresources && strcmp(ir->resources[k], r) == 0)
			continue;
		memmove(&ir->resources[k + 1], &ir->resources[k],
			(size_t)(ir->nresources - k) * sizeof *ir->resources);
		ir->resources[k] = r;
		ir->nresources++;
	}
	for (int i = 0; i < ir->nstates; i++)
		for (int k = 0; ir->states[i].s.resource && k < ir->nresources; k++)
			if (strcmp(ir->resources[k], ir->states[i].s.resource) == 0)
				ir->states[i].s.resource_index = k;
	return 0;
}

/* Unique C names for states: mangled, collisions numbered in document order. */
static int name_states(struct asl_ir *ir)
{
	for (int i = 0; i < ir->nstates; i++) {
		char *m = asl_mangle(ir->states[i].s.name);
		if (!m)
			return -1;
		for (int k = 2, clash = 1; clash; k++) {
			clash = 0;
			for (int j = 0; j < i; j++)
				clash |= strcmp(ir->states[j].cname, m) == 0;
			if (clash) {
				char *base = asl_mangle(ir->states[i].s.name);
				size_t len = strlen(base) + 16;
				free(m);
				m = malloc(len);
				if (!m) {
					free(base);
					return -1;
				}
				snprintf(m, len, "%s_%d", base, k);
				free(base);
			}
		}
		ir->states[i].cname = m;
	}
	return 0;
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
