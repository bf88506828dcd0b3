/*
 * states.c - what each state type does, as AWS documents it ("Processing input
 * and output in Step Functions"): InputPath -> Parameters -> task ->
 * ResultSelector -> ResultPath -> OutputPath. Values are moved, not copied:
 * the raw input is owned by the execution, the effective input is borrowed
 * from it, and ResultPath writes into it in place.
 */
#include "rt.h"

#include <math.h>
#include <string.h>

#include "jsonata/ast.h"

static struct rt_roots roots_of(struct aslrt_exec *x, const cJSON *input)
{
	struct rt_roots r = { input, x->context, x, NULL };
	return r;
}

/* Fail the execution with error/cause naming state s. */
static void fail_state(struct aslrt_exec *x, const char *error, const char *what,
		       const struct aslrt_state *s, const char *detail)
{
	struct aslrt_error e = { 0 };
	aslrt_error_set(&e, error, "An error occurred while executing the state '%s'. %s%s",
			s->name, what, detail ? detail : "");
	rt_fail_exec(x, &e);
}

static void path_missing(struct aslrt_exec *x, const struct aslrt_state *s,
			 const char *field, const struct aslrt_path *p)
{
	char what[512];
	snprintf(what, sizeof what, "Invalid path '%s' : No results for path: %s (%s)",
		 p->text, p->text, field);
	fail_state(x, ASLRT_ERR_RUNTIME, what, s, NULL);
}

/* Effective input (InputPath). Borrowed from x->input or x->scratch; NULL
 * after failing the execution. */
const cJSON *rt_effective_input(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (s->io.input_null)
		return x->scratch = cJSON_CreateObject();
	if (!s->io.input_path)
		return x->input;
	struct rt_roots r = roots_of(x, x->input);
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(s->io.input_path, &r, &scratch);
	if (scratch) {
		cJSON_Delete(x->scratch);
		x->scratch = scratch;
	}
	if (!v)
		path_missing(x, s, "InputPath", s->io.input_path);
	return v;
}

/* Apply Parameters to the effective input, as a copy or (view) as a view of
 * in. Returns new memory in *out_take (NULL when there are no Parameters: use
 * in), or -1 after failing x. */
static int parameters(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		      cJSON **out_take, int view)
{
	*out_take = NULL;
	if (!s->io.parameters)
		return 0;
	struct rt_roots r = roots_of(x, in);
	struct aslrt_error e = { 0 };
	*out_take = view ? rt_tmpl_view(s->io.parameters, &r, &e)
			 : rt_tmpl_build(s->io.parameters, &r, &e);
	if (*out_take && rt_payload_params(x, s, *out_take, &e) == 0)
		return 0;                  /* limits.c: the payload quota */
	cJSON_Delete(*out_take);
	*out_take = NULL;
	rt_fail_exec(x, &e);
	return -1;
}

int rt_parameters(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		  cJSON **out_take)
{
	return parameters(x, s, in, out_take, 0);
}

int rt_parameters_view(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		       cJSON **out_take)
{
	return parameters(x, s, in, out_take, 1);
}

/* Take v, the node that the definite `$` path p selects in doc, out of doc
 * as a value of its own (no key) and return it; v == doc returns doc. */
static cJSON *detach(cJSON *doc, const struct aslrt_path *p, const cJSON *v)
{
	if (v == doc)
		return doc;
	struct aslrt_path up = *p;     /* the parent: p without its last step */
	up.nseg--;
	struct rt_roots r = { doc, NULL, NULL, NULL };
	cJSON *scratch = NULL;
	cJSON *out = cJSON_DetachItemViaPointer((cJSON *)rt_path_select(&up, &r, &scratch),
						(cJSON *)v);
	if (out->string && !(out->type & cJSON_StringIsConst))
		cJSON_free(out->string);
	out->string = NULL;
	out->type &= ~cJSON_StringIsConst;
	return out;
}

/* OutputPath over doc_take. Returns new memory, or NULL after failing x.
 * Every caller's document ends here (doc_take, or x->input, which the
 * transition frees), so a definite selection is moved out, not copied. */
static cJSON *output_path(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *doc_take)
{
	if (s->io.output_null) {
		if (doc_take != x->input)
			cJSON_Delete(doc_take);
		return cJSON_CreateObject();
	}
	const struct aslrt_path *p = s->io.output_path;
	if (!p)
		return doc_take;
	struct rt_roots r = roots_of(x, doc_take);
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(p, &r, &scratch);
	cJSON *out;
	if (scratch)
		out = scratch;
	else if (v && p->definite && p->root == ASLRT_ROOT_INPUT)
		out = detach(doc_take, p, v);
	else
		out = v ? cJSON_Duplicate(v, 1) : NULL;
	if (doc_take != x->input && doc_take != out)
		cJSON_Delete(doc_take);
	if (!v)
		path_missing(x, s, "OutputPath", s->io.output_path);
	return out;
}

/* ResultSelector, ResultPath and OutputPath for result_take, then transition
 * to s->next. err gets ResultPathMatchFailure (catchable) when ResultPath
 * cannot be applied; other failures fail x. Returns 0, or -1 with err set. */
int rt_finish(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *result_take,
	      struct aslrt_error *err)
{
	if (s->jsonata)   /* no ResultSelector/ResultPath: Output, Assign */
		return rt_jn_finish(x, s, result_take, s->assign, NULL, s->output, s->next, err);
	if (s->io.result_selector) {
		struct rt_roots r = roots_of(x, result_take);
		cJSON *sel = rt_tmpl_build(s->io.result_selector, &r, err);
		cJSON_Delete(result_take);
		if (!sel) {
			rt_fail_exec(x, err);
			return 0;
		}
		result_take = sel;
	}
	/* Assign sees the result ($) after ResultSelector, before ResultPath. */
	if (s->assign && rt_assign(x, s->assign, result_take, err)) {
		cJSON_Delete(result_take);
		rt_fail_exec(x, err);
		return 0;
	}
	rt_payload_result(x, s, result_take);   /* limits.c: the output's bound */
	cJSON *doc;
	if (s->io.result_null) {
		cJSON_Delete(result_take);
		doc = x->input;
	} else {
		doc = x->input;
		char *why = NULL;
		if (rt_path_set(s->io.result_path, &doc, result_take, &why) != 0) {
			aslrt_error_set(err, ASLRT_ERR_RESULT_PATH,
					"Unable to apply ResultPath '%s' to the input of state '%s': %s",
					s->io.result_path ? s->io.result_path->text : "$", s->name,
					why ? why : "");
			rt_free(why);
			return -1;
		}
	}
	x->input = doc;           /* rt_path_set may have replaced the root */
	cJSON *out = output_path(x, s, doc);
	if (out)
		rt_transition(x, out, s->next);
	return 0;
}

/* The end of a JSONata Pass, Succeed, Wait or Choice: Assign (with a
 * Choice rule's) and Output evaluated with $states.input = the state's
 * input, the output without Output the input itself ("Transforming data
 * with JSONata in Step Functions"), then the transition to next. These
 * states have no Catch: an evaluation error (States.QueryEvaluationError)
 * fails the execution. */
static void jsonata_end(struct aslrt_exec *x, const struct aslrt_state *s,
			const struct aslrt_tmpl *rule_assign, const struct aslrt_tmpl *output,
			int next)
{
	struct aslrt_error e = { 0 };
	if (rt_jn_finish(x, s, NULL, s->type == ASLRT_SUCCEED ? NULL : s->assign, rule_assign,
			 output, next, &e))
		rt_fail_exec(x, &e);
}

void aslrt_pass(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (s->jsonata) {
		jsonata_end(x, s, NULL, s->output, s->next);
		return;
	}
	const cJSON *in = rt_effective_input(x, s);
	cJSON *params;
	if (!in || rt_parameters(x, s, in, &params))
		return;
	if (!params && !s->result && in == x->input && !s->io.result_path &&
	    !s->io.result_null) {
		/* The result is the whole input and replaces it: nothing to build. */
		struct aslrt_error e = { 0 };
		if (s->assign && rt_assign(x, s->assign, x->input, &e)) {
			rt_fail_exec(x, &e);
			return;
		}
		cJSON *out = output_path(x, s, x->input);
		if (out)
			rt_transition(x, out, s->next);
		return;
	}
	cJSON *result;
	if (s->result) {
		struct rt_roots r = roots_of(x, in);
		struct aslrt_error e = { 0 };
		result = rt_tmpl_build(s->result, &r, &e);
		cJSON_Delete(params);
		if (!result) {
			rt_fail_exec(x, &e);
			return;
		}
	} else {
		result = params ? params : cJSON_Duplicate(in, 1);
	}
	struct aslrt_error e = { 0 };
	if (rt_finish(x, s, result, &e))
		rt_fail_exec(x, &e);
}

/* A non-negative number read with a reference path from in (TimeoutSecondsPath,
 * SecondsPath...). Returns 0, or -1 after failing x with States.Runtime. */
int rt_seconds_at(struct aslrt_exec *x, const struct aslrt_state *s,
		      const struct aslrt_path *p, const cJSON *in, const char *field,
		      int positive, double *out)
{
	struct rt_roots r = roots_of(x, in);
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(p, &r, &scratch);
	int ok = v && cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
		 v->valuedouble >= (positive ? 1 : 0) && v->valuedouble <= 99999999;
	if (ok)
		*out = v->valuedouble;
	cJSON_Delete(scratch);
	if (!ok) {
		char what[512];
		snprintf(what, sizeof what, "The %s field '%s' must reference a %s integer, "
			 "but selected %s", field, p->text, positive ? "positive" : "non-negative",
			 v ? "another value" : "nothing");
		fail_state(x, ASLRT_ERR_RUNTIME, what, s, NULL);
	}
	return ok ? 0 : -1;
}

/* Add member key (a string literal: cJSON keeps the pointer, nothing to
 * allocate) with a copy of value to o. Returns 1, or 0 out of memory. */
static int add_string(cJSON *o, const char *key, const char *value)
{
	cJSON *s = cJSON_CreateString(value);
	if (!s)
		return 0;
	cJSON_AddItemToObjectCS(o, key, s);
	return 1;
}

/* An error from the task (or from applying its result): retry, catch, or
 * fail the execution. Takes err's contents. */
void rt_state_error(struct aslrt_exec *x, const struct aslrt_state *s,
		    struct aslrt_error *err)
{
	if (rt_alloc_failures() != x->alloc_failures) {
		rt_fail_exec(x, err);      /* out of memory: no retry, no catch */
		return;
	}
	double delay;
	if (rt_retry_decide(x, s, err->error, &delay)) {
		x->retrying = 1;
		x->wait_s = delay;
		aslrt_error_clear(err);
		return;
	}
	const struct aslrt_catcher *c = rt_catch_find(s, err->error);
	if (!c) {
		rt_fail_exec(x, err);
		return;
	}
	if (s->jsonata) {              /* Output, Assign, $states.errorOutput */
		rt_jn_catch(x, s, c, err);
		return;
	}
	/* The error output {"Error", "Cause"} goes through the catcher's
	 * ResultPath onto the state's raw input (default "$": it replaces it). */
	cJSON *eo = cJSON_CreateObject();
	if (eo && (!add_string(eo, "Error", err->error) ||
		   (err->cause && !add_string(eo, "Cause", err->cause)))) {
		cJSON_Delete(eo);          /* never an error output missing a part */
		eo = NULL;
	}
	if (!eo) {
		rt_fail_exec(x, err);
		return;
	}
	aslrt_error_clear(err);
	if (c->assign && rt_assign(x, c->assign, eo, err)) {   /* $ = error output */
		cJSON_Delete(eo);
		rt_fail_exec(x, err);
		return;
	}
	cJSON *doc = x->input;
	if (c->discard_result) {
		cJSON_Delete(eo);
	} else {
		char *why = NULL;
		if (rt_path_set(c->result_path, &doc, eo, &why) != 0) {
			aslrt_error_set(err, ASLRT_ERR_RESULT_PATH,
					"Unable to apply the Catch ResultPath '%s' of state '%s': %s",
					c->result_path ? c->result_path->text : "$", s->name,
					why ? why : "");
			rt_free(why);
			rt_fail_exec(x, err);
			return;
		}
	}
	aslrt_error_clear(err);
	x->input = doc;
	rt_transition(x, doc, c->next);
}

/* A JSONata Task's Arguments (into *params: new memory, NULL without
 * them) and expression-valued TimeoutSeconds / HeartbeatSeconds (positive
 * integers, AWS "Task workflow state"; the heartbeat is only checked).
 * Returns 0, or -1 after handing the error to Retry/Catch. */
static int jn_task_fields(struct aslrt_exec *x, const struct aslrt_state *s, cJSON **params,
			  double *timeout)
{
	struct rt_roots r = roots_of(x, x->input);
	struct aslrt_error e = { 0 };
	double heartbeat;
	if ((s->arguments && !(*params = rt_tmpl_build(s->arguments, &r, &e))) ||
	    (s->timeout_expr && rt_jn_number(x, s, s->timeout_expr, "TimeoutSeconds", 1,
					     99999999, 1, timeout, &e)) ||
	    (s->heartbeat_expr && rt_jn_number(x, s, s->heartbeat_expr, "HeartbeatSeconds", 1,
					       99999999, 1, &heartbeat, &e))) {
		cJSON_Delete(*params);
		*params = NULL;
		rt_state_error(x, s, &e);
		return -1;
	}
	return 0;
}

void aslrt_task(struct aslrt_exec *x, const struct aslrt_state *s)
{
	const cJSON *in = rt_effective_input(x, s);
	cJSON *params;   /* a view of in: the handler only reads it, then it goes */
	if (!in || rt_parameters_view(x, s, in, &params))
		return;
	double timeout = s->timeout_s;
	if (s->jsonata && jn_task_fields(x, s, &params, &timeout))
		return;
	rt_task_run(x, s, in, params ? params : in, params, timeout);
}

void rt_task_run(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		 const cJSON *task_input, cJSON *params_take, double timeout)
{
	cJSON *params = params_take;
	if (s->timeout_path && rt_seconds_at(x, s, s->timeout_path, in, "TimeoutSecondsPath", 1,
					  &timeout)) {
		cJSON_Delete(params);
		return;
	}
	cJSON *result = NULL;
	struct aslrt_error err = { 0 };
	int attempt = x->retry_count;
	int rc = rt_task_invoke(x, s, task_input, timeout, attempt, &result, &err);
	cJSON_Delete(params);
	if (rc > 0)       /* parked (Standard mode): run again when the result comes */
		return;
	if (rc == 0 && rt_payload_task_result(x, s, result, &err)) {
		cJSON_Delete(result);      /* limits.c: the payload quota */
		rc = -1;
	}
	if (rc == 0 && rt_finish(x, s, result, &err) == 0)
		return;
	if (!err.error)
		aslrt_error_set(&err, ASLRT_ERR_TASK_FAILED, NULL);
	if (strcmp(err.error, ASLRT_ERR_RUNTIME) == 0)
		rt_fail_exec(x, &err);
	else
		rt_state_error(x, s, &err);
}

/* A JSONata Wait: Seconds (an integer from 0 to 99999999) or Timestamp (an
 * RFC 3339 string), constants or expressions (AWS, "Wait workflow state"),
 * then Assign and Output. */
static void jn_wait(struct aslrt_exec *x, const struct aslrt_state *s)
{
	struct aslrt_error e = { 0 };
	double secs = s->seconds;
	struct aslrt_time until = s->timestamp;
	if ((s->seconds_expr &&
	     rt_jn_number(x, s, s->seconds_expr, "Seconds", 0, 99999999, 1, &secs, &e)) ||
	    (s->timestamp_expr && rt_jn_time(x, s, s->timestamp_expr, "Timestamp", &until, &e))) {
		rt_fail_exec(x, &e);
		return;
	}
	if (s->has_timestamp || s->timestamp_expr) {
		struct aslrt_time now = rt_time_now();
		secs = (double)(until.sec - now.sec) + (until.nsec - now.nsec) / 1e9;
	}
	x->wait_s = secs > 0 ? secs : 0;
	jsonata_end(x, s, NULL, s->output, s->next);
}

void aslrt_wait(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (s->jsonata) {
		jn_wait(x, s);
		return;
	}
	const cJSON *in = rt_effective_input(x, s);
	if (!in)
		return;
	double secs = 0;
	if (s->has_seconds) {
		secs = s->seconds;
	} else if (s->seconds_path) {
		if (rt_seconds_at(x, s, s->seconds_path, in, "SecondsPath", 0, &secs))
			return;
	} else {
		struct aslrt_time until = s->timestamp;
		if (s->timestamp_path) {
			struct rt_roots r = roots_of(x, in);
			cJSON *scratch = NULL;
			const cJSON *v = rt_path_select(s->timestamp_path, &r, &scratch);
			int ok = v && cJSON_IsString(v) && rt_time_parse(v->valuestring, &until) == 0;
			cJSON_Delete(scratch);
			if (!ok) {
				char what[512];
				snprintf(what, sizeof what, "The TimestampPath field '%s' must "
					 "reference an RFC 3339 timestamp string",
					 s->timestamp_path->text);
				fail_state(x, ASLRT_ERR_RUNTIME, what, s, NULL);
				return;
			}
		}
		struct aslrt_time now = rt_time_now();
		secs = (double)(until.sec - now.sec) + (until.nsec - now.nsec) / 1e9;
	}
	struct aslrt_error e = { 0 };
	if (s->assign && rt_assign(x, s->assign, in, &e)) {
		rt_fail_exec(x, &e);
		return;
	}
	cJSON *doc = in == x->input ? x->input : cJSON_Duplicate(in, 1);
	cJSON *out = output_path(x, s, doc);
	if (!out)
		return;
	x->wait_s = secs > 0 ? secs : 0;
	rt_transition(x, out, s->next);
}

void aslrt_succeed(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (s->jsonata) {
		jsonata_end(x, s, NULL, s->output, ASLRT_END);
		return;
	}
	const cJSON *in = rt_effective_input(x, s);
	if (!in)
		return;
	cJSON *doc = in == x->input ? x->input : cJSON_Duplicate(in, 1);
	cJSON *out = output_path(x, s, doc);
	if (out)
		rt_transition(x, out, ASLRT_END);
}

/* Error or Cause of a Fail state: the constant, or a string selected by the
 * ...Path field from the raw input. */
static int fail_field(struct aslrt_exec *x, const struct aslrt_state *s, const char *field,
		      const char *constant, const struct aslrt_tmpl *expr, char **out)
{
	*out = NULL;
	if (!expr) {
		*out = constant ? rt_strdup(constant) : NULL;
		return 0;
	}
	struct rt_roots r = roots_of(x, x->input);
	struct aslrt_error e = { 0 };
	cJSON *v = rt_tmpl_build(expr, &r, &e);
	if (v && cJSON_IsString(v))
		*out = rt_strdup(v->valuestring);
	cJSON_Delete(v);
	if (*out)
		return 0;
	if (e.error && strcmp(e.error, ASLRT_ERR_RUNTIME) != 0) {   /* IntrinsicFailure */
		rt_fail_exec(x, &e);
		return -1;
	}
	if (s->jsonata && e.error) {   /* JSONata Error/Cause: the evaluation's */
		rt_fail_exec(x, &e);
		return -1;
	}
	aslrt_error_clear(&e);
	char what[512];
	snprintf(what, sizeof what, "The %s field '%s' must yield a string", field,
		 expr->path ? expr->path->text : expr->call ? expr->call->text
		 : expr->jn ? expr->jn->text : "");
	fail_state(x, s->jsonata ? ASLRT_ERR_QUERY_EVAL : ASLRT_ERR_RUNTIME, what, s, NULL);
	return -1;
}

void aslrt_fail(struct aslrt_exec *x, const struct aslrt_state *s)
{
	struct aslrt_error e = { 0 };
	if (fail_field(x, s, s->jsonata ? "Error" : "ErrorPath", s->error, s->error_expr,
		       &e.error))
		return;
	if (fail_field(x, s, s->jsonata ? "Cause" : "CausePath", s->cause, s->cause_expr,
		       &e.cause)) {
		aslrt_error_clear(&e);
		return;
	}
	/* A Fail state may have neither Error nor Cause: both stay unset. */
	x->status = ASLRT_FAILED;
	aslrt_error_clear(&x->err);
	x->err = e;
}

int aslrt_choice_begin(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (x->cond_err.error || x->cond_err.cause)
		aslrt_error_clear(&x->cond_err);
	x->choice_input = rt_effective_input(x, s);
	return x->choice_input == NULL;
}

int aslrt_cond(struct aslrt_exec *x, const struct aslrt_cond *c)
{
	struct rt_roots r = roots_of(x, x->choice_input);
	cJSON *s1 = NULL, *s2 = NULL;
	const cJSON *v = rt_path_select(c->var, &r, &s1);
	const cJSON *rhs = c->rhs_path ? rt_path_select(c->rhs_path, &r, &s2) : NULL;
	int result = 0;
	if (!v && c->op != ASLRT_C_IS_PRESENT) {
		if (!x->cond_err.error)
			aslrt_error_set(&x->cond_err, ASLRT_ERR_RUNTIME,
					"Invalid path '%s': The choice state's condition path "
					"references an invalid value.", c->var->text);
	} else if (c->rhs_path && !rhs) {
		if (!x->cond_err.error)
			aslrt_error_set(&x->cond_err, ASLRT_ERR_RUNTIME,
					"Invalid path '%s': The choice state's condition path "
					"references an invalid value.", c->rhs_path->text);
	} else {
		result = rt_cond_test(c, v, rhs);
	}
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	return result;
}

int aslrt_jn_cond(struct aslrt_exec *x, const struct aslrt_tmpl *cond)
{
	if (x->cond_err.error)
		return 0;
	struct rt_roots r = roots_of(x, x->choice_input);
	cJSON *v = rt_tmpl_build(cond, &r, &x->cond_err);
	int result = v && cJSON_IsTrue(v);
	if (v && !cJSON_IsBool(v))
		aslrt_error_set(&x->cond_err, ASLRT_ERR_QUERY_EVAL,
				"The Condition of a Choice rule must evaluate to a boolean");
	cJSON_Delete(v);
	return result;
}

/* The end of a Choice in either language: 0 when a rule (or Default) chose
 * next, else -1 after failing x (a rule's evaluation error, or
 * States.NoChoiceMatched). */
static int choice_chose(struct aslrt_exec *x, const struct aslrt_state *s, int next)
{
	if (x->cond_err.error) {
		rt_fail_exec(x, &x->cond_err);
		return -1;
	}
	if (next == ASLRT_END) {
		fail_state(x, ASLRT_ERR_NO_CHOICE,
			   "No Choice rule matched and there is no Default.", s, NULL);
		return -1;
	}
	return 0;
}

void aslrt_choice_end(struct aslrt_exec *x, const struct aslrt_state *s, int next,
		      const struct aslrt_tmpl *assign)
{
	if (choice_chose(x, s, next))
		return;
	const cJSON *in = x->choice_input;
	struct aslrt_error e = { 0 };
	if (assign && rt_assign(x, assign, in, &e)) {
		rt_fail_exec(x, &e);
		return;
	}
	cJSON *doc = in == x->input ? x->input : cJSON_Duplicate(in, 1);
	cJSON *out = output_path(x, s, doc);
	if (out)
		rt_transition(x, out, next);
}

void aslrt_jn_choice_end(struct aslrt_exec *x, const struct aslrt_state *s, int next,
			 const struct aslrt_tmpl *assign, const struct aslrt_tmpl *output)
{
	if (choice_chose(x, s, next))
		return;
	jsonata_end(x, s, assign, output ? output : s->output, next);
}
