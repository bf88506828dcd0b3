/*
 * check_retry.c - Retry and Catch rows (States Language: "Errors").
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

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

void check_retry(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
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

void check_catch(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr)
{
	static const char *const allowed[] = { "ErrorEquals", "Next", "ResultPath", "Comment",
					       "Assign", "Output",
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
		const struct asl_json *as = asl_json_get(row, "Assign");
		if (st->jsonata) {             /* Output/Assign/ResultPath: check_jsonata.c */
			check_jsonata_catcher(c, row, &k[i]);
			pop(c, l);
			continue;
		}
		if (asl_json_get(row, "Output"))
			report(c, asl_json_get(row, "Output"), "SCHEMA_VALIDATION_FAILED", "Output",
			       "field \"Output\" needs \"QueryLanguage\": \"JSONata\"");
		if (as)
			k[i].assign = check_assign(c, as);
		const struct asl_json *rp = asl_json_get(row, "ResultPath");
		if (rp && rp->type == ASL_J_NULL)
			k[i].discard_result = 1;
		else if (rp && rp->type == ASL_J_STRING)
			k[i].result_path = parse_path(c, rp, "ResultPath", ASL_PATH_REFERENCE);
		else if (rp)
			report(c, rp, "SCHEMA_VALIDATION_FAILED", "ResultPath",
			       "\"ResultPath\" must be a path string or null");
		if (k[i].result_path && k[i].result_path->root != ASLRT_ROOT_INPUT)
			report(c, rp, "SCHEMA_VALIDATION_FAILED", "ResultPath",
			       "\"ResultPath\" must start with \"$\": it names a place in the state's input");
		pop(c, l);
	}
	pop(c, l0);
	st->s.catchers = k;
	st->s.ncatch = arr->n;
}
