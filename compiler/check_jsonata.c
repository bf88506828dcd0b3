/*
 * check_jsonata.c - QueryLanguage and the JSONata fields of a state
 * (AWS: "Transforming data with JSONata in Step Functions"). A machine's
 * QueryLanguage (default JSONPath) applies to its states; a state may switch
 * JSONPath -> JSONata but never back. In a JSONata state the JSONPath fields
 * are errors and a value may be a "{% expr %}" string, or a JSON template
 * whose string leaves may be such expressions; each expression is parsed here
 * (asl_jn_parse) and a syntax error is a located diagnostic.
 *
 * What runs so far: JSONata Pass and Succeed (Output, with $states.input and
 * $states.context), Wait (constant Seconds/Timestamp), Choice (Condition,
 * state Output), Task (Arguments; Output with $states.result; constant
 * timeouts; no Catch) and Fail with constant Error/Cause, none with Assign; any
 * other valid JSONata state is reported as UNSUPPORTED_FEATURE (see
 * docs/jsonata.md, integration plan).
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

#include "jsonata.h"

/* The fields that belong to JSONPath mode only. */
static const char *const jsonpath_only[] = {
	"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
	"Result", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath",
	"TimestampPath", "ErrorPath", "CausePath", "ItemsPath", "MaxConcurrencyPath",
	"ToleratedFailurePercentagePath", "ToleratedFailureCountPath", NULL
};

/* The fields that belong to JSONata mode only. */
static const char *const jsonata_only[] = { "Arguments", "Output", "Items", NULL };

/* The JSONPath-mode fields whose value may be a "{% %}" string instead of
 * the plain kind the field table demands. */
static const char *const expr_or_kind[] = {
	"Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds", "MaxConcurrency",
	"ToleratedFailurePercentage", "ToleratedFailureCount", "Error", "Cause",
	"ItemSelector", NULL
};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int is_lang(const struct asl_json *v, const char *s)
{
	return v && v->type == ASL_J_STRING && strcmp(v->str, s) == 0;
}

/* Report v unless it is "JSONPath" or "JSONata". */
void check_query_language(struct checker *c, const struct asl_json *v)
{
	if (!is_lang(v, "JSONPath") && !is_lang(v, "JSONata"))
		report(c, v, "SCHEMA_VALIDATION_FAILED", "QueryLanguage",
		       "\"QueryLanguage\" must be \"JSONPath\" or \"JSONata\"");
}

int state_is_jsonata(struct checker *c, const struct asl_json *n)
{
	int machine = is_lang(asl_json_get(c->ir->machines[0].node, "QueryLanguage"), "JSONata");
	const struct asl_json *v = asl_json_get(n, "QueryLanguage");
	if (!v)
		return machine;
	check_query_language(c, v);
	if (machine && is_lang(v, "JSONPath"))
		report(c, v, "SCHEMA_VALIDATION_FAILED", "QueryLanguage",
		       "a state of a JSONata state machine cannot use JSONPath");
	return machine || is_lang(v, "JSONata");
}

int is_jsonata_expr(const struct asl_json *v)
{
	size_t n;
	return v->type == ASL_J_STRING && (n = strlen(v->str)) >= 4 &&
	       strncmp(v->str, "{%", 2) == 0 && strcmp(v->str + n - 2, "%}") == 0;
}

int jsonata_field_rule(struct checker *c, const struct asl_json *v, const char *key,
		       int jsonata)
{
	if (jsonata && in_list(jsonpath_only, key)) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", key,
		       "field \"%s\" is not allowed in a JSONata state", key);
		return 1;
	}
	if (!jsonata && in_list(jsonata_only, key)) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", key,
		       "field \"%s\" needs \"QueryLanguage\": \"JSONata\"", key);
		return 1;
	}
	if (jsonata && in_list(jsonata_only, key))
		return 1;                      /* checked by check_jsonata_state */
	return jsonata && in_list(expr_or_kind, key) && is_jsonata_expr(v);
}

/* Parse one "{% %}" string; returns the expression (owned by c->ir), or
 * NULL after reporting. A syntax error is reported at the offending
 * byte (the string's opening quote + 1 + 2 for "{%" + the offset; JSON
 * escapes before it are not accounted for). */
static const struct aslrt_jn_expr *parse_expr(struct checker *c, const struct asl_json *v)
{
	size_t n = strlen(v->str);
	struct aslrt_jn_error err = { 0 };
	const struct aslrt_jn_expr *e = asl_jn_parse(v->str + 2, n - 4, &err);
	if (e) {
		struct asl_ir *ir = c->ir;
		const struct aslrt_jn_expr **l = realloc(ir->jn, (size_t)(ir->njn + 1) * sizeof *l);
		if (!l) {
			asl_jn_free(e);
			return NULL;
		}
		ir->jn = l;
		ir->jn[ir->njn++] = e;
		return e;
	}
	struct asl_loc loc = v->loc;
	if (loc.line > 0)
		loc.col += 3 + (err.pos > 0 ? err.pos : 0);
	asl_diag_add(c->d, ASL_ERROR, loc, "SCHEMA_VALIDATION_FAILED", c->ptr,
		     "JSONata syntax error %s: %s", err.code,
		     err.message ? err.message : "");
	aslrt_jn_error_clear(&err);
	return NULL;
}

/* Walk a JSONata-mode value: every "{% %}" string leaf is parsed. */
static void walk(struct checker *c, const struct asl_json *v)
{
	if (v->type == ASL_J_STRING && is_jsonata_expr(v)) {
		parse_expr(c, v);
	} else if (v->type == ASL_J_OBJECT) {
		for (int i = 0; i < v->n; i++) {
			size_t l = push(c, v->members[i].key);
			walk(c, v->members[i].val);
			pop(c, l);
		}
	} else if (v->type == ASL_J_ARRAY) {
		for (int i = 0; i < v->n; i++) {
			size_t l = push_index(c, i);
			walk(c, v->items[i]);
			pop(c, l);
		}
	}
}

/* v as a template whose "{% %}" strings are ASLRT_T_JSONATA nodes (arena
 * memory), or NULL after a syntax error or when out of memory. */
static const struct aslrt_tmpl *jn_tmpl(struct checker *c, const struct asl_json *v,
					struct aslrt_tmpl *t)
{
	memset(t, 0, sizeof *t);
	switch (v->type) {
	case ASL_J_NULL: t->kind = ASLRT_T_NULL; break;
	case ASL_J_TRUE: t->kind = ASLRT_T_TRUE; break;
	case ASL_J_FALSE: t->kind = ASLRT_T_FALSE; break;
	case ASL_J_NUMBER: t->kind = ASLRT_T_NUMBER; t->num = v->num; break;
	case ASL_J_STRING:
		if (is_jsonata_expr(v)) {
			t->kind = ASLRT_T_JSONATA;
			if (!(t->jn = parse_expr(c, v)))
				return NULL;
		} else {
			t->kind = ASLRT_T_STRING;
			t->str = v->str;
		}
		break;
	case ASL_J_ARRAY:
	case ASL_J_OBJECT: {
		int obj = v->type == ASL_J_OBJECT;
		t->kind = obj ? ASLRT_T_OBJECT : ASLRT_T_ARRAY;
		t->n = v->n;
		struct aslrt_tmpl *kids = asl_arena_alloc(c->a, (size_t)(v->n ? v->n : 1) * sizeof *kids);
		if (!kids)
			return NULL;
		t->items = kids;
		for (int i = 0; i < v->n; i++) {
			size_t l = obj ? push(c, v->members[i].key) : push_index(c, i);
			const struct aslrt_tmpl *k = jn_tmpl(c, obj ? v->members[i].val : v->items[i],
							     &kids[i]);
			pop(c, l);
			if (!k)
				return NULL;
			if (obj)
				kids[i].key = v->members[i].key;
		}
		break;
	}
	}
	return t;
}

/* Field (Output, Arguments) as a template (arena memory), or NULL after
 * reporting. */
static const struct aslrt_tmpl *field_tmpl(struct checker *c, const struct asl_json *v,
					   const char *field)
{
	struct aslrt_tmpl *t = asl_arena_alloc(c->a, sizeof *t);
	size_t l = push(c, field);
	const struct aslrt_tmpl *r = t ? jn_tmpl(c, v, t) : NULL;
	pop(c, l);
	return r;
}

void check_jsonata_value(struct checker *c, const struct asl_json *v, const char *field)
{
	size_t l = push(c, field);
	walk(c, v);
	pop(c, l);
}

/* Assign: an object whose values are JSON templates with expressions. */
static void check_assign_jn(struct checker *c, const struct asl_json *v)
{
	if (v->type != ASL_J_OBJECT) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Assign", "\"Assign\" must be an object");
		return;
	}
	check_jsonata_value(c, v, "Assign");
}

/* A JSONata Choice rule: Condition (required), Next, Comment, Assign, Output. */
static void check_rule_jn(struct checker *c, const struct asl_json *row, struct asl_rule *r)
{
	static const char *const allowed[] = { "Condition", "Next", "Comment", "Assign",
					       "Output", NULL };
	only_fields(c, row, allowed);
	const struct asl_json *v = asl_json_get(row, "Condition");
	if (!v)
		report(c, row, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a JSONata Choice rule needs \"Condition\"");
	else if (v->type != ASL_J_TRUE && v->type != ASL_J_FALSE && !is_jsonata_expr(v))
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Condition",
		       "\"Condition\" must be a boolean or a {%% %%} expression");
	else
		r->condition = field_tmpl(c, v, "Condition");
	if ((v = asl_json_get(row, "Assign"))) {
		check_assign_jn(c, v);
		r->unrun = 1;
	}
	if ((v = asl_json_get(row, "Output"))) {
		check_jsonata_value(c, v, "Output");
		r->unrun = 1;
	}
	r->kind = ASL_RULE_LEAF;
	const struct asl_json *next = asl_json_get(row, "Next");
	if (!next)
		report(c, row, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a top-level Choice rule needs \"Next\"");
	else if (next->type != ASL_J_STRING)
		report(c, next, "SCHEMA_VALIDATION_FAILED", "Next", "\"Next\" must be a string");
	else
		r->next = target(c, next, "Next");
}

static void check_choices_jn(struct checker *c, struct asl_ir_state *st,
			     const struct asl_json *arr)
{
	if (arr->n == 0) {
		report(c, arr, "SCHEMA_VALIDATION_FAILED", "Choices",
		       "\"Choices\" must hold at least one rule");
		return;
	}
	st->rules = asl_arena_alloc(c->a, (size_t)arr->n * sizeof *st->rules);
	if (!st->rules)
		return;
	memset(st->rules, 0, (size_t)arr->n * sizeof *st->rules);
	st->nrules = arr->n;
	size_t l0 = push(c, "Choices");
	for (int i = 0; i < arr->n; i++) {
		size_t l = push_index(c, i);
		st->rules[i].next = -1;
		if (arr->items[i]->type != ASL_J_OBJECT)
			report(c, arr->items[i], "SCHEMA_VALIDATION_FAILED", NULL,
			       "a Choice rule must be an object");
		else
			check_rule_jn(c, arr->items[i], &st->rules[i]);
		pop(c, l);
	}
	pop(c, l0);
}

/* Catch in a JSONata state: ErrorEquals, Next, Comment, Output, Assign. */
static void check_catch_jn(struct checker *c, const struct asl_json *arr)
{
	size_t l0 = push(c, "Catch");
	for (int i = 0; i < arr->n; i++) {
		const struct asl_json *row = arr->items[i], *v;
		size_t l = push_index(c, i);
		if (row->type == ASL_J_OBJECT) {
			if ((v = asl_json_get(row, "ResultPath")))
				report(c, v, "SCHEMA_VALIDATION_FAILED", "ResultPath",
				       "field \"ResultPath\" is not allowed in a JSONata state");
			if ((v = asl_json_get(row, "Output")))
				check_jsonata_value(c, v, "Output");
			if ((v = asl_json_get(row, "Assign")))
				check_assign_jn(c, v);
		}
		pop(c, l);
	}
	pop(c, l0);
}

void check_jsonata_state(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	static const char *const exprs[] = { "Arguments", "Output", "Items", "ItemSelector",
					     "Seconds", "Timestamp", "TimeoutSeconds",
					     "HeartbeatSeconds", "MaxConcurrency",
					     "ToleratedFailurePercentage",
					     "ToleratedFailureCount", "Error", "Cause", NULL };
	const struct asl_json *v;
	for (int i = 0; exprs[i]; i++)
		if (strcmp(exprs[i], "Output") != 0 && strcmp(exprs[i], "Arguments") != 0 &&
		    (v = asl_json_get(n, exprs[i])))
			check_jsonata_value(c, v, exprs[i]);
	if ((v = asl_json_get(n, "Items")) && v->type != ASL_J_ARRAY && !is_jsonata_expr(v))
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Items",
		       "\"Items\" must be an array or a {%% %%} expression");
	if ((v = asl_json_get(n, "Assign")))
		check_assign_jn(c, v);
	if ((v = asl_json_get(n, "Catch")) && v->type == ASL_J_ARRAY)
		check_catch_jn(c, v);
	if (st->s.type == ASLRT_CHOICE && (v = asl_json_get(n, "Choices")) &&
	    v->type == ASL_J_ARRAY)
		check_choices_jn(c, st, v);
	/* What runs so far: Pass and Succeed (Output), Wait (constant Seconds
	 * or Timestamp; Output), Choice (Condition;
	 * no rule Output or Assign), Task (Arguments,
	 * Output; constant timeouts, no Catch), Fail with constant Error and
	 * Cause; none with Assign. */
	st->s.jsonata = 1;
	int task = st->s.type == ASLRT_TASK && !asl_json_get(n, "Catch") &&
		   !((v = asl_json_get(n, "TimeoutSeconds")) && is_jsonata_expr(v)) &&
		   !((v = asl_json_get(n, "HeartbeatSeconds")) && is_jsonata_expr(v));
	int wait = st->s.type == ASLRT_WAIT &&
		   !((v = asl_json_get(n, "Seconds")) && is_jsonata_expr(v)) &&
		   !((v = asl_json_get(n, "Timestamp")) && is_jsonata_expr(v));
	int choice = st->s.type == ASLRT_CHOICE;
	for (int i = 0; choice && i < st->nrules; i++)
		choice = !st->rules[i].unrun;
	int runs = !asl_json_get(n, "Assign") &&
		   (task || choice || wait || st->s.type == ASLRT_PASS || st->s.type == ASLRT_SUCCEED ||
		    (st->s.type == ASLRT_FAIL &&
		     !((v = asl_json_get(n, "Error")) && is_jsonata_expr(v)) &&
		     !((v = asl_json_get(n, "Cause")) && is_jsonata_expr(v))));
	if ((v = asl_json_get(n, "Output")) && runs)
		st->s.output = field_tmpl(c, v, "Output");
	else if (v)
		check_jsonata_value(c, v, "Output");
	if ((v = asl_json_get(n, "Arguments")) && runs)
		st->s.arguments = field_tmpl(c, v, "Arguments");
	else if (v)
		check_jsonata_value(c, v, "Arguments");
	if (runs)
		return;
	report(c, asl_json_get(n, "QueryLanguage") ? asl_json_get(n, "QueryLanguage") : n,
	       "UNSUPPORTED_FEATURE", NULL,
	       "JSONata states are validated but cannot run in this version of aslc");
}
