/*
 * check_choice.c - Choice rules: one operator per rule, operand types, And/Or/Not
 * nesting, Next only at the top level (States Language: "Choice Rules").
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

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
		} else if (strcmp(m->key, "Assign") == 0) {
			if (top)
				r->assign = check_assign(c, m->val);
			else
				report(c, m->val, "SCHEMA_VALIDATION_FAILED", "Assign",
				       "\"Assign\" is only allowed in a top-level Choice rule");
		} else if (strcmp(m->key, "Condition") == 0 || strcmp(m->key, "Output") == 0) {
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

void check_choices(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
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
	for (int i = 0; i < arr->n; i++)
		st->rules[i].next = -1;        /* until a rule's Next resolves */
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
