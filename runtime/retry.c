/*
 * retry.c - matching errors against Retry and Catch rows, and retry delays.
 * AWS: "Handling errors in Step Functions workflows" and the States Language
 * spec, "Retrying after error" / "Fallback states".
 */
#include "rt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* States.ALL matches every error but States.Runtime (and
 * States.DataLimitExceeded, a terminal error). States.TaskFailed "acts as a
 * wildcard that matches any known error name except for States.Timeout".
 * AWS, "Handling errors": States.ALL "can't catch the States.DataLimitExceeded
 * terminal error type and runtime error types"; a row that names
 * States.DataLimitExceeded itself does match it (no wildcard does). */
int rt_error_matches(const char *const *errors, int n, const char *error)
{
	if (strcmp(error, ASLRT_ERR_RUNTIME) == 0)
		return 0;
	if (strcmp(error, ASLRT_ERR_DATA_LIMIT) == 0) {
		for (int i = 0; i < n; i++)
			if (strcmp(errors[i], ASLRT_ERR_DATA_LIMIT) == 0)
				return 1;
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(errors[i], error) == 0 || strcmp(errors[i], ASLRT_ERR_ALL) == 0)
			return 1;
		if (strcmp(errors[i], ASLRT_ERR_TASK_FAILED) == 0 &&
		    strcmp(error, ASLRT_ERR_TIMEOUT) != 0)
			return 1;
	}
	return 0;
}

/* Uniform in [0, 1) from a per-process xorshift state seeded once. Jitter does
 * not need to be unpredictable, only spread. */
static double unit_random(void)
{
	static uint64_t s;
	if (!s)
		s = (uint64_t)rt_time_now().nsec * 2654435761u + 0x9e3779b97f4a7c15u;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (double)(s >> 11) / 9007199254740992.0;
}

/* Only the first retrier whose ErrorEquals matches applies; once its
 * MaxAttempts are spent the error goes on to Catch (spec: "Retrying after
 * error"). Delay: IntervalSeconds * BackoffRate^(attempt), capped by
 * MaxDelaySeconds, then drawn uniformly from [0, delay) with FULL jitter. */
int rt_retry_decide(struct aslrt_exec *x, const struct aslrt_state *s, const char *error,
		    double *delay_s)
{
	for (int i = 0; i < s->nretry; i++) {
		const struct aslrt_retrier *r = &s->retry[i];
		if (!rt_error_matches(r->errors, r->nerrors, error))
			continue;
		int done = x->retry_attempts[i];
		if (done >= r->max_attempts)
			return 0;
		x->retry_attempts[i] = done + 1;
		double d = r->interval_s * pow(r->backoff_rate, done);
		if (r->max_delay_s > 0 && d > r->max_delay_s)
			d = r->max_delay_s;
		if (r->jitter == ASLRT_JITTER_FULL)
			d *= unit_random();
		*delay_s = d;
		return 1;
	}
	return 0;
}

const struct aslrt_catcher *rt_catch_find(const struct aslrt_state *s, const char *error)
{
	for (int i = 0; i < s->ncatch; i++)
		if (rt_error_matches(s->catchers[i].errors, s->catchers[i].nerrors, error))
			return &s->catchers[i];
	return NULL;
}

/* The error output of err: {"Error": ..., "Cause": ...} (no Cause member
 * when there is none). New memory, or NULL out of memory. */
static cJSON *error_output(const struct aslrt_error *err)
{
	cJSON *eo = cJSON_CreateObject();
	if (eo && (!cJSON_AddStringToObject(eo, "Error", err->error) ||
		   (err->cause && !cJSON_AddStringToObject(eo, "Cause", err->cause)))) {
		cJSON_Delete(eo);
		eo = NULL;
	}
	return eo;
}

/* AWS, "Transforming data with JSONata in Step Functions": in a Catch,
 * $states.errorOutput is the error output; the catcher's Output (default:
 * the error output) is the state's output and its Assign sets variables,
 * both evaluated before any of them changes. The state's own Assign does not
 * run. */
void rt_jn_catch(struct aslrt_exec *x, const struct aslrt_state *s,
		 const struct aslrt_catcher *c, struct aslrt_error *err)
{
	cJSON *eo = error_output(err);
	if (!eo) {
		rt_fail_exec(x, err);
		return;
	}
	aslrt_error_clear(err);
	x->jn_error_output = eo;
	int rc = rt_jn_finish(x, s, c->output ? NULL : eo, c->assign, NULL, c->output, c->next,
			      err);
	x->jn_error_output = NULL;
	if (c->output)
		cJSON_Delete(eo);
	if (rc != 0)
		rt_fail_exec(x, err);
}
