/*
 * check_jsonata.c - QueryLanguage and the JSONata fields of a state
 * (AWS: "Transforming data with JSONata in Step Functions"). A machine's
 * QueryLanguage (default JSONPath) applies to its states; a state may switch
 * JSONPath -> JSONata but never back. In a JSONata state the JSONPath fields
 * are errors and a value may be a "{% expr %}" string, or a JSON template
 * whose string leaves may be such expressions; each expression is parsed here
 * (asl_jn_parse) and a syntax error is a located diagnostic, as is a read of
 * $states.result outside a Task/Parallel/Map's Output and Assign, or of
 * $states.errorOutput outside a Catch ("Passing data between states with
 * variables", reserved variable $states), or of `$` / `$$` at the top level
 * of an expression.
 *
 * Every state type runs in JSONata: Arguments, Output, Assign (state, Choice
 * rule, Catch), Choice Condition, Map Items/ItemSelector/MaxConcurrency/
 * ToleratedFailure*, expression-valued Wait Seconds/Timestamp, Task
 * TimeoutSeconds/HeartbeatSeconds and Fail Error/Cause. A Map in Distributed
 * mode has these too; its ItemReader, ItemBatcher and ResultWriter are
 * check_distributed.c's, which builds their expressions with
 * jsonata_field (check_jsonata.h).
 */
#include "check_jsonata.h"

#include <stdlib.h>
#include <string.h>

#include "jnrefs.h"
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

/* Where $states.result and $states.errorOutput may be read. */
enum { JN_ALLOW_RESULT = 1, JN_ALLOW_ERROR_OUTPUT = 2 };

struct placement {
	struct checker *c;
	const struct asl_json *v;      /* the "{% %}" string                    */
	unsigned allow;
};

static void placement_ref(void *ctx, enum rt_jn_ref_kind kind, const char *name,
			  const char *member, const struct aslrt_jn_node *node)
{
	struct placement *p = ctx;
	if (kind != RT_JN_READ || strcmp(name, "states") != 0 || !member)
		return;
	int result = strcmp(member, "result") == 0;
	if (!(result && !(p->allow & JN_ALLOW_RESULT)) &&
	    !(strcmp(member, "errorOutput") == 0 && !(p->allow & JN_ALLOW_ERROR_OUTPUT)))
		return;
	struct asl_loc loc = p->v->loc;
	if (loc.line > 0)
		loc.col += 3 + (node->pos > 0 ? node->pos : 0);
	asl_diag_add(p->c->d, ASL_ERROR, loc, "SCHEMA_VALIDATION_FAILED", p->c->ptr,
		     result ? "$states.result is available only in the Output and Assign of a "
			      "Task, Parallel or Map state"
			    : "$states.errorOutput is available only in the Output and Assign "
			      "of a Catch");
}

/* Report the reads of $states.result / $states.errorOutput in e (the
 * expression of string v) that allow does not permit. */
static void check_placement(struct checker *c, const struct asl_json *v,
			    const struct aslrt_jn_expr *e, unsigned allow)
{
	struct placement p = { c, v, allow };
	rt_jn_refs(e->root, placement_ref, &p);
}

/* Report, in the expression of string v, each `$$` and each `$` that
 * reads the expression's own input: AWS evaluates Step Functions'
 * expressions against no input (data comes only through $states and
 * variables), and its "Transforming data with JSONata in Step Functions"
 * (limitations) rejects `$` and `$$` at the top level of an expression.
 * top: n is evaluated against that input, i.e. n is not inside a path
 * step after the first, a predicate or filter, a group-by, a sort, a
 * transform or a function body, where `$` is the current item. `$$` is
 * the input wherever it stands. */
static void top_dollar(struct checker *c, const struct asl_json *v,
		       const struct aslrt_jn_node *n, int top)
{
	if (!n)
		return;
	if (n->kind == ASLRT_JN_VARIABLE && (strcmp(n->str, "$") == 0 || (top && !n->str[0]))) {
		struct asl_loc loc = v->loc;
		if (loc.line > 0)
			loc.col += 3 + (n->pos > 0 ? n->pos : 0);
		asl_diag_add(c->d, ASL_ERROR, loc, "SCHEMA_VALIDATION_FAILED", c->ptr,
			     "%s cannot be used at the top level of a JSONata expression in Step "
			     "Functions: read the state's input with $states.input",
			     n->str[0] ? "$$" : "$");
	}
	int inner = top && n->kind != ASLRT_JN_LAMBDA && n->kind != ASLRT_JN_SORT &&
		    n->kind != ASLRT_JN_SORT_TERM && n->kind != ASLRT_JN_TRANSFORM;
	top_dollar(c, v, n->lhs, inner);
	top_dollar(c, v, n->rhs, inner);
	top_dollar(c, v, n->third, inner);
	int nk = n->kind == ASLRT_JN_OBJECT ? 2 * n->n : n->kind == ASLRT_JN_LAMBDA ? 0 : n->n;
	for (int i = 0; n->kids && i < nk; i++)   /* a path's later steps: the current item */
		top_dollar(c, v, n->kids[i], inner && (n->kind != ASLRT_JN_PATH || i == 0));
	for (int i = 0; n->pred && i < n->npred; i++)
		top_dollar(c, v, n->pred[i], 0);
	for (int i = 0; n->stages && i < n->nstages; i++)
		top_dollar(c, v, n->stages[i].filter, 0);
	for (int i = 0; n->group && i < 2 * n->ngroup; i++)
		top_dollar(c, v, n->group[i], 0);
}

/* v as a template whose "{% %}" strings are ASLRT_T_JSONATA nodes (arena
 * memory; allow: where $states.result/errorOutput may be read), or NULL
 * after a syntax error or when out of memory. */
static const struct aslrt_tmpl *jn_tmpl(struct checker *c, const struct asl_json *v,
					struct aslrt_tmpl *t, unsigned allow)
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
			check_placement(c, v, t->jn, allow);
			top_dollar(c, v, t->jn->root, 1);
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
		const struct aslrt_tmpl *bad = t;
		for (int i = 0; i < v->n; i++) {
			size_t l = obj ? push(c, v->members[i].key) : push_index(c, i);
			const struct aslrt_tmpl *k = jn_tmpl(c, obj ? v->members[i].val : v->items[i],
							     &kids[i], allow);
			pop(c, l);
			if (!k)
				bad = NULL;    /* go on: every expression is checked */
			if (obj)
				kids[i].key = v->members[i].key;
		}
		return bad;
	}
	}
	return t;
}

/* Field v (named field, under c->ptr) as a template (arena memory), or
 * NULL after reporting. */
static const struct aslrt_tmpl *field_tmpl(struct checker *c, const struct asl_json *v,
					   const char *field, unsigned allow)
{
	struct aslrt_tmpl *t = asl_arena_alloc(c->a, sizeof *t);
	size_t l = push(c, field);
	const struct aslrt_tmpl *r = t ? jn_tmpl(c, v, t, allow) : NULL;
	pop(c, l);
	return r;
}

const struct aslrt_tmpl *jsonata_field(struct checker *c, const struct asl_json *v,
				       const char *field)
{
	return field_tmpl(c, v, field, 0);
}

/* Member name of object n as a template when it is a "{% %}" expression
 * (a constant is in the state's plain fields), else NULL. */
static const struct aslrt_tmpl *expr_field(struct checker *c, const struct asl_json *n,
					   const char *name)
{
	const struct asl_json *v = asl_json_get(n, name);
	return v && is_jsonata_expr(v) ? field_tmpl(c, v, name, 0) : NULL;
}

/* Assign: an object of variable names (checked as in JSONPath, but no
 * `.$` keys) whose values are templates with expressions. */
static const struct aslrt_tmpl *assign_jn(struct checker *c, const struct asl_json *v,
					  unsigned allow)
{
	if (v->type != ASL_J_OBJECT) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Assign", "\"Assign\" must be an object");
		return NULL;
	}
	check_variable_names(c, v, 1);
	return field_tmpl(c, v, "Assign", allow);
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
		r->condition = field_tmpl(c, v, "Condition", 0);
	if ((v = asl_json_get(row, "Assign")))
		r->assign = assign_jn(c, v, 0);
	if ((v = asl_json_get(row, "Output")))
		r->output = field_tmpl(c, v, "Output", 0);
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

void check_jsonata_catcher(struct checker *c, const struct asl_json *row, struct aslrt_catcher *k)
{
	const struct asl_json *v;
	if ((v = asl_json_get(row, "ResultPath")))
		report(c, v, "SCHEMA_VALIDATION_FAILED", "ResultPath",
		       "field \"ResultPath\" is not allowed in a JSONata state");
	if ((v = asl_json_get(row, "Output")))
		k->output = field_tmpl(c, v, "Output", JN_ALLOW_ERROR_OUTPUT);
	if ((v = asl_json_get(row, "Assign")))
		k->assign = assign_jn(c, v, JN_ALLOW_ERROR_OUTPUT);
}

void check_jsonata_state(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	struct aslrt_state *s = &st->s;
	int results = s->type == ASLRT_TASK || s->type == ASLRT_PARALLEL || s->type == ASLRT_MAP;
	unsigned allow = results ? JN_ALLOW_RESULT : 0;
	const struct asl_json *v;
	s->jsonata = 1;
	if ((v = asl_json_get(n, "Output")))
		s->output = field_tmpl(c, v, "Output", allow);
	if ((v = asl_json_get(n, "Assign")))
		s->assign = assign_jn(c, v, allow);
	if ((v = asl_json_get(n, "Arguments")))
		s->arguments = field_tmpl(c, v, "Arguments", 0);
	if (s->type == ASLRT_MAP && (v = asl_json_get(n, "ItemSelector"))) {
		if (v->type != ASL_J_OBJECT && !is_jsonata_expr(v))
			report(c, v, "SCHEMA_VALIDATION_FAILED", "ItemSelector",
			       "\"ItemSelector\" must be an object or a {%% %%} expression");
		else
			s->item_selector = field_tmpl(c, v, "ItemSelector", 0);
	}
	if ((v = asl_json_get(n, "Items"))) {
		if (v->type != ASL_J_ARRAY && !is_jsonata_expr(v))
			report(c, v, "SCHEMA_VALIDATION_FAILED", "Items",
			       "\"Items\" must be an array or a {%% %%} expression");
		else
			s->items = field_tmpl(c, v, "Items", 0);
	}
	s->timeout_expr = expr_field(c, n, "TimeoutSeconds");
	s->heartbeat_expr = expr_field(c, n, "HeartbeatSeconds");
	s->seconds_expr = expr_field(c, n, "Seconds");
	s->timestamp_expr = expr_field(c, n, "Timestamp");
	s->max_concurrency_expr = expr_field(c, n, "MaxConcurrency");
	s->tolerated_percent_expr = expr_field(c, n, "ToleratedFailurePercentage");
	s->tolerated_count_expr = expr_field(c, n, "ToleratedFailureCount");
	s->error_expr = expr_field(c, n, "Error");
	s->cause_expr = expr_field(c, n, "Cause");
	if (s->type == ASLRT_CHOICE && (v = asl_json_get(n, "Choices")) && v->type == ASL_J_ARRAY)
		check_choices_jn(c, st, v);
}
