/*
 * jnfield.c - the JSONata side of a state's life (AWS, "Transforming data
 * with JSONata in Step Functions"): fields whose value is an expression
 * checked for the type the field needs, and the end of a state, where
 * Assign and Output are built against the same bindings before any
 * variable changes ("Passing data between states with variables").
 */
#include "rt.h"

#include <math.h>
#include <string.h>

/* Build t against the state's input (and x->jn_result as it is). New
 * memory, or NULL with err set. */
static cJSON *build(struct aslrt_exec *x, const struct aslrt_tmpl *t, struct aslrt_error *err)
{
	struct rt_roots r = { x->input, x->context, x, NULL };
	return rt_tmpl_build(t, &r, err);
}

/* err := States.QueryEvaluationError about field of state s. */
static void bad_value(struct aslrt_error *err, const struct aslrt_state *s, const char *field,
		      const char *what)
{
	aslrt_error_set(err, ASLRT_ERR_QUERY_EVAL,
			"An error occurred while executing the state '%s'. The field '%s' must "
			"evaluate to %s", s->name, field, what);
}

int rt_jn_number(struct aslrt_exec *x, const struct aslrt_state *s,
		 const struct aslrt_tmpl *t, const char *field, double lo, double hi,
		 int integer, double *out, struct aslrt_error *err)
{
	cJSON *v = build(x, t, err);
	if (!v)
		return -1;
	int ok = cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi &&
		 (!integer || v->valuedouble == floor(v->valuedouble));
	if (ok)
		*out = v->valuedouble;
	cJSON_Delete(v);
	if (!ok) {
		char what[96];
		snprintf(what, sizeof what, "%s from %.0f to %.0f", integer ? "an integer" : "a number",
			 lo, hi);
		bad_value(err, s, field, what);
	}
	return ok ? 0 : -1;
}

int rt_jn_time(struct aslrt_exec *x, const struct aslrt_state *s, const struct aslrt_tmpl *t,
	       const char *field, struct aslrt_time *out, struct aslrt_error *err)
{
	cJSON *v = build(x, t, err);
	if (!v)
		return -1;
	int ok = cJSON_IsString(v) && rt_time_parse(v->valuestring, out) == 0;
	cJSON_Delete(v);
	if (!ok)
		bad_value(err, s, field, "an RFC 3339 timestamp string (e.g. 2026-03-14T01:59:00Z)");
	return ok ? 0 : -1;
}

/* The values of assign with those of rule over them (new memory), or NULL
 * with err set. */
static cJSON *assign_values(struct aslrt_exec *x, const struct aslrt_tmpl *assign,
			    const struct aslrt_tmpl *rule, struct aslrt_error *err)
{
	struct rt_roots r = { x->input, x->context, x, NULL };
	cJSON *values = rt_assign_build(assign, &r, err);
	cJSON *over = values && rule ? rt_assign_build(rule, &r, err) : NULL;
	if (!values || (rule && !over)) {
		cJSON_Delete(values);
		return NULL;
	}
	while (over && over->child) {
		cJSON *v = cJSON_DetachItemViaPointer(over, over->child);
		cJSON_DeleteItemFromObjectCaseSensitive(values, v->string);
		cJSON_AddItemToArray(values, v);   /* keeps its key, allocates nothing */
	}
	cJSON_Delete(over);
	return values;
}

int rt_jn_finish(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *result_take,
		 const struct aslrt_tmpl *assign, const struct aslrt_tmpl *rule,
		 const struct aslrt_tmpl *output, int next, struct aslrt_error *err)
{
	(void)s;
	const cJSON *saved = x->jn_result;
	if (result_take)
		x->jn_result = result_take;
	int assigns = assign || rule;
	cJSON *values = assigns ? assign_values(x, assign, rule, err) : NULL;
	cJSON *out = NULL;
	if (!assigns || values)
		out = output ? build(x, output, err) : result_take ? result_take : x->input;
	x->jn_result = saved;
	if (out != result_take)
		cJSON_Delete(result_take);
	if (!out || (assigns && !values)) {
		if (out != x->input)
			cJSON_Delete(out);
		cJSON_Delete(values);
		return -1;
	}
	if (values && rt_assign_store(x, values, err) != 0) {
		if (out != x->input)
			cJSON_Delete(out);
		return -1;
	}
	rt_transition(x, out, next);
	return 0;
}

int rt_jn_arguments(struct aslrt_exec *x, const struct aslrt_state *s, cJSON **out_take)
{
	struct aslrt_error e = { 0 };
	*out_take = NULL;
	if (!s->arguments || (*out_take = build(x, s->arguments, &e)))
		return 0;
	rt_state_error(x, s, &e);
	return -1;
}

const cJSON *rt_jn_map_items(struct aslrt_exec *x, const struct aslrt_state *s,
			     cJSON **scratch)
{
	struct aslrt_error e = { 0 };
	*scratch = NULL;
	if (!s->items) {
		if (cJSON_IsArray(x->input))
			return x->input;
		bad_value(&e, s, "Items", "a JSON array (the state input is not one)");
	} else if ((*scratch = build(x, s->items, &e)) && cJSON_IsArray(*scratch)) {
		return *scratch;
	} else if (*scratch) {
		bad_value(&e, s, "Items", "a JSON array");
	}
	cJSON_Delete(*scratch);
	*scratch = NULL;
	rt_state_error(x, s, &e);
	return NULL;
}

int rt_jn_map_limits(struct aslrt_exec *x, const struct aslrt_state *s, long *limit,
		     double *pct, double *count)
{
	struct aslrt_error e = { 0 };
	double mc = s->max_concurrency;
	*pct = s->has_tolerated_percent ? s->tolerated_percent : -1;
	*count = s->has_tolerated_count ? s->tolerated_count : -1;
	if ((s->max_concurrency_expr &&
	     rt_jn_number(x, s, s->max_concurrency_expr, "MaxConcurrency", 0, 99999999, 1, &mc,
			  &e)) ||
	    (s->tolerated_percent_expr &&
	     rt_jn_number(x, s, s->tolerated_percent_expr, "ToleratedFailurePercentage", 0, 100,
			  0, pct, &e)) ||
	    (s->tolerated_count_expr &&
	     rt_jn_number(x, s, s->tolerated_count_expr, "ToleratedFailureCount", 0, 99999999, 1,
			  count, &e))) {
		rt_state_error(x, s, &e);
		return -1;
	}
	*limit = (long)mc;
	return 0;
}
