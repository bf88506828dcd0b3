/*
 * fast.c - the runtime side of the states aslc specialises
 * (compiler/emit_fast.c; interface in include/aslrt_fast.h). The generated
 * code selects the values and builds Parameters or Result itself; what
 * follows it (payload checks, the task, ResultPath, OutputPath, the
 * transition) is the generic pipeline of states.c, so a specialised state
 * behaves exactly as the generic one. Only the payload check of the built
 * value is cheaper: aslc's bound of the template, instead of a walk.
 */
#include "aslrt_fast.h"
#include "rt.h"

int aslrt_fx_put(cJSON *o, const char *key, cJSON *v_take, int ok)
{
	if (!ok || !v_take) {
		cJSON_Delete(v_take);
		return 0;
	}
	cJSON_AddItemToObjectCS(o, key, v_take);   /* cannot fail: o and key set */
	return 1;
}

int aslrt_fx_push(cJSON *a, cJSON *v_take, int ok)
{
	if (!ok || !v_take) {
		cJSON_Delete(v_take);
		return 0;
	}
	cJSON_AddItemToArray(a, v_take);
	return 1;
}

const cJSON *aslrt_fx_input(const struct aslrt_exec *x)
{
	return x->input;
}

/* 1 when bytes and levels are within the limits. */
static int within(size_t bytes, int levels)
{
	const struct rt_limits *l = rt_limits();
	return (!l->payload || bytes <= l->payload) && levels <= l->depth;
}

/* 1 when a bound shows that the value built with b from the selections sel
 * fits the limits; then *bytes and *levels are that bound. First the bound
 * from x's input (no walk), else the selections measured (small values are
 * cheap to walk; a large one costs what the generic walk of the built value
 * would). 0: not shown (the generic check walks the value). */
static int fits(const struct aslrt_exec *x, const struct aslrt_fx_bound *b,
		const cJSON *const *sel, size_t *bytes, int *levels)
{
	if (!b->k || x->in_bytes) {
		*bytes = b->c + (size_t)b->k * x->in_bytes;
		*levels = b->dp >= 0 && b->dp + x->in_levels > b->lc ? b->dp + x->in_levels
								     : b->lc;
		if (within(*bytes, *levels))
			return 1;
	}
	size_t sum = b->c;
	int deepest = 0;
	for (int i = 0; i < b->k; i++) {
		size_t n;
		int lv;
		if (rt_payload_measure(sel[i], &n, &lv) != 0)
			return 0;
		sum += n;
		if (lv > deepest)
			deepest = lv;
	}
	*bytes = sum;
	*levels = b->dp >= 0 && b->dp + deepest > b->lc ? b->dp + deepest : b->lc;
	return within(*bytes, *levels);
}

int aslrt_fx_goto(struct aslrt_exec *x, int next)
{
	/* rt_transition's payload check shortened: a Choice's output is its
	 * input, whose bound x carries (limits.c keeps_within). */
	if (!x->in_bytes || !within(x->in_bytes, x->in_levels)) {
		rt_transition(x, x->input, next);
		return 1;
	}
	if (next == ASLRT_END) {
		x->output = x->input;
		x->input = NULL;
		x->status = ASLRT_SUCCEEDED;
	} else {
		x->state = next;
	}
	return 1;
}

/* Fail x: building a value ran out of memory (rt_fail_exec words it). */
static int out_of_memory(struct aslrt_exec *x)
{
	struct aslrt_error e = { 0 };
	aslrt_error_set(&e, ASLRT_ERR_RUNTIME, "out of memory");
	rt_fail_exec(x, &e);
	return 1;
}

/* The input of s after Parameters, params (borrowed; built with b from the
 * selections sel), within the limits? 0, or -1 after failing x (as states.c's
 * parameters()). *bytes and *levels get the bound that showed it (*bytes 0
 * when the generic walk had to). */
static int params_check(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *params,
			const struct aslrt_fx_bound *b, const cJSON *const *sel, size_t *bytes,
			int *levels)
{
	struct aslrt_error e = { 0 };
	*bytes = 0;
	if (fits(x, b, sel, bytes, levels))
		return 0;
	*bytes = 0;
	if (rt_payload_params(x, s, params, &e) == 0)
		return 0;
	rt_fail_exec(x, &e);
	return -1;
}

int aslrt_fx_pass(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *value_take,
		  int ok, int params, const struct aslrt_fx_bound *b, const cJSON *const *sel)
{
	if (!ok) {
		cJSON_Delete(value_take);
		return out_of_memory(x);
	}
	size_t bytes = 0;
	int levels = 0;
	if (params && params_check(x, s, value_take, b, sel, &bytes, &levels)) {
		cJSON_Delete(value_take);
		return 1;
	}
	if (!params && !fits(x, b, sel, &bytes, &levels))
		bytes = 0;
	/* The result's bound for rt_payload_result, which would walk it. */
	if (bytes) {
		x->result = value_take;
		x->result_bytes = bytes;
		x->result_levels = levels;
	}
	struct aslrt_error e = { 0 };
	if (rt_finish(x, s, value_take, &e))
		rt_fail_exec(x, &e);
	return 1;
}

int aslrt_fx_task(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *params,
		  const struct aslrt_fx_bound *b, const cJSON *const *sel)
{
	size_t bytes;
	int levels;
	if (params_check(x, s, params, b, sel, &bytes, &levels) == 0)
		rt_task_run(x, s, x->input, params, NULL, s->timeout_s);
	return 1;
}
