/*
 * check_warn.c - the warnings of AWS's ValidateStateMachineDefinition (API
 * Reference, ValidateStateMachineDefinitionDiagnostic, "List of warning
 * codes"). A warning never stops compilation (-Werror makes it fatal):
 *
 *   NO_DOLLAR              "No .$ on a field that appears to be a JSONPath or
 *                          Intrinsic Function": in Parameters, ResultSelector,
 *                          ItemSelector and Assign, a key without ".$" whose
 *                          string value is a path or an intrinsic call is
 *                          passed on as that literal text (also in the
 *                          Assign of a Choice rule or a catcher).
 *   NO_PATH                "Field value looks like a path, but field name does
 *                          not end with 'Path'": a Fail's Error or Cause, or a
 *                          Choice rule's string comparison, given a path
 *                          (ErrorPath, CausePath, StringEqualsPath ... exist).
 *   PASS_RESULT_IS_STATIC  "Attempt to use a path in the result of a pass
 *                          state": Result is used as is, so a `key.$` in it,
 *                          or a Result that is a path, is never evaluated.
 *
 * Rows of table rules[]: the field, the state types it applies to, the check.
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"

/* s reads as a JSONPath ($..., $$..., $variable) that parses. */
static int looks_like_path(const char *s)
{
	if (s[0] != '$')
		return 0;
	char *err = NULL;
	int off;
	struct aslrt_path *p = asl_path_parse(s, ASL_PATH_FULL, &err, &off);
	free(err);
	asl_path_free(p);
	return p != NULL;
}

/* s reads as an intrinsic call: States.Name( ... ). */
static int looks_like_call(const char *s)
{
	if (strncmp(s, "States.", 7) != 0)
		return 0;
	const char *p = s + 7;
	while ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
		p++;
	return p > s + 7 && *p == '(' && s[strlen(s) - 1] == ')';
}

static int ends_dollar(const char *key)
{
	size_t n = strlen(key);
	return n >= 2 && strcmp(key + n - 2, ".$") == 0;
}

/* NO_DOLLAR over a payload template v, recursively (depth is bounded by the
 * loader's ASL_JSON_MAX_DEPTH). */
static void no_dollar(struct checker *c, const struct asl_json *v)
{
	for (int i = 0; i < v->n; i++) {
		const struct asl_json *val = v->type == ASL_J_ARRAY ? v->items[i] : v->members[i].val;
		size_t l = v->type == ASL_J_ARRAY ? push_index(c, i) : push(c, v->members[i].key);
		if (v->type == ASL_J_OBJECT && ends_dollar(v->members[i].key)) {
			pop(c, l);
			continue;
		}
		if (val->type == ASL_J_STRING && (looks_like_path(val->str) ||
						  looks_like_call(val->str)))
			warn(c, val, "NO_DOLLAR", NULL,
			     "\"%s\" looks like a%s, but the key does not end in \".$\": it is "
			     "passed on as this literal text", val->str,
			     val->str[0] == '$' ? " JSONPath" : "n intrinsic function call");
		else if (val->type == ASL_J_OBJECT || val->type == ASL_J_ARRAY)
			no_dollar(c, val);
		pop(c, l);
	}
}

static void payload(struct checker *c, const struct asl_json *v, const char *field)
{
	if (v->type != ASL_J_OBJECT && v->type != ASL_J_ARRAY)
		return;
	size_t l = push(c, field);
	no_dollar(c, v);
	pop(c, l);
}

static void fail_text(struct checker *c, const struct asl_json *v, const char *field)
{
	if (v->type == ASL_J_STRING && (looks_like_path(v->str) || looks_like_call(v->str)))
		warn(c, v, "NO_PATH", field,
		     "\"%s\" looks like a%s, but \"%s\" takes text as is: use \"%sPath\"", v->str,
		     v->str[0] == '$' ? " path" : "n intrinsic function call", field, field);
}

/* NO_PATH in Choice rules: a string operator whose operand is a path. */
static void choice_rule(struct checker *c, const struct asl_json *rule)
{
	if (rule->type != ASL_J_OBJECT)
		return;
	for (int i = 0; i < rule->n; i++) {
		const struct asl_member *m = &rule->members[i];
		if (strcmp(m->key, "And") == 0 || strcmp(m->key, "Or") == 0) {
			if (m->val->type != ASL_J_ARRAY)
				continue;
			size_t l = push(c, m->key);
			for (int k = 0; k < m->val->n; k++) {
				size_t lk = push_index(c, k);
				choice_rule(c, m->val->items[k]);
				pop(c, lk);
			}
			pop(c, l);
		} else if (strcmp(m->key, "Not") == 0) {
			size_t l = push(c, m->key);
			choice_rule(c, m->val);
			pop(c, l);
		} else if (strncmp(m->key, "String", 6) == 0 && !strstr(m->key, "Path") &&
			   m->val->type == ASL_J_STRING && looks_like_path(m->val->str)) {
			warn(c, m->val, "NO_PATH", m->key,
			     "\"%s\" looks like a path, but \"%s\" compares with this literal "
			     "text: use \"%sPath\"", m->val->str, m->key, m->key);
		}
	}
}

/* Rows of Choices or Catch: their own checks, and NO_DOLLAR in the Assign a
 * top-level rule or a catcher may have. */
static void rows(struct checker *c, const struct asl_json *v, const char *field)
{
	if (v->type != ASL_J_ARRAY)
		return;
	size_t l = push(c, field);
	for (int i = 0; i < v->n; i++) {
		size_t li = push_index(c, i);
		const struct asl_json *assign = asl_json_get(v->items[i], "Assign");
		if (field[1] == 'h')           /* Choices */
			choice_rule(c, v->items[i]);
		if (assign)
			payload(c, assign, "Assign");
		pop(c, li);
	}
	pop(c, l);
}

/* `key.$` anywhere in a Pass state's Result. */
static void static_keys(struct checker *c, const struct asl_json *v)
{
	for (int i = 0; v->type == ASL_J_OBJECT && i < v->n; i++) {
		const struct asl_member *m = &v->members[i];
		size_t l = push(c, m->key);
		if (ends_dollar(m->key))
			asl_diag_add(c->d, ASL_WARNING, m->key_loc, "PASS_RESULT_IS_STATIC", c->ptr,
				     "\"%s\": a Pass state's \"Result\" is used as is, so this "
				     "path is never evaluated: use \"Parameters\" to build it from "
				     "the input", m->key);
		static_keys(c, m->val);
		pop(c, l);
	}
	for (int i = 0; v->type == ASL_J_ARRAY && i < v->n; i++) {
		size_t l = push_index(c, i);
		static_keys(c, v->items[i]);
		pop(c, l);
	}
}

static void pass_result(struct checker *c, const struct asl_json *v, const char *field)
{
	if (v->type == ASL_J_STRING && looks_like_path(v->str))
		warn(c, v, "PASS_RESULT_IS_STATIC", field,
		     "\"Result\" is the literal text \"%s\", not the value at that path: use "
		     "\"Parameters\" or \"OutputPath\" to select input", v->str);
	size_t l = push(c, field);
	static_keys(c, v);
	pop(c, l);
}

static const struct rule {
	const char *field;
	unsigned types;
	void (*check)(struct checker *c, const struct asl_json *v, const char *field);
} rules[] = {
	{ "Parameters", T(PASS) | T(TASK) | T(PARALLEL) | T(MAP), payload },
	{ "ResultSelector", T(TASK) | T(PARALLEL) | T(MAP), payload },
	{ "ItemSelector", T(MAP), payload },
	{ "Assign", ALL_TYPES, payload },
	{ "Error", T(FAIL), fail_text },
	{ "Cause", T(FAIL), fail_text },
	{ "Choices", T(CHOICE), rows },
	{ "Catch", T(TASK) | T(PARALLEL) | T(MAP), rows },
	{ "Result", T(PASS), pass_result },
};

void check_warnings(struct checker *c, int i)
{
	const struct asl_ir_state *st = &c->ir->states[i];
	for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++) {
		const struct asl_json *v = asl_json_get(st->node, rules[k].field);
		if (v && (rules[k].types & (1u << st->s.type))) {
			strcpy(c->ptr, st->s.pointer);
			rules[k].check(c, v, rules[k].field);
		}
	}
}
