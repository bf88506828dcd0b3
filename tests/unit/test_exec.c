/* Unit tests of the execution core (exec.c, states.c, retry.c, tmpl.c) on
 * machines built by hand, with task handlers registered in C. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "rt.h"

static struct aslrt_path *P(const char *text, enum asl_path_mode mode)
{
	char *err = NULL;
	int off;
	struct aslrt_path *p = asl_path_parse(text, mode, &err, &off);
	ck_assert_msg(p != NULL, "%s: %s", text, err ? err : "?");
	return p;
}

static int calls, fail_first;

/* Fails with "Flaky" fail_first times, then returns {"n": calls}. */
static int flaky(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
		 struct aslrt_error *err)
{
	(void)in;
	ck_assert_int_eq(ctx->attempt, calls);
	if (calls++ < fail_first) {
		aslrt_error_set(err, "Flaky", "attempt %d", ctx->attempt);
		return 1;
	}
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "n", calls);
	return 0;
}

static const char *const flaky_errors[] = { "Flaky" };
static const char *const all_errors[] = { "States.ALL" };

static struct aslrt_retrier retry = { .nerrors = 1, .errors = flaky_errors, .interval_s = 1,
				      .max_attempts = 2, .backoff_rate = 2.0 };
static struct aslrt_catcher catcher = { .nerrors = 1, .errors = all_errors, .next = 1 };
static struct aslrt_state states[2];

static void step(struct aslrt_exec *x)
{
	const struct aslrt_state *s = &states[aslrt_current(x)];
	if (s->type == ASLRT_TASK)
		aslrt_task(x, s);
	else
		aslrt_succeed(x, s);
}

static const char *const resources[] = { "arn:aws:lambda:us-east-1:1:function:flaky" };
static const struct aslrt_machine machine = { .name = "m", .nstates = 2, .states = states,
					      .step = step, .nresources = 1, .resources = resources };

static void setup(void)
{
	memset(states, 0, sizeof states);
	states[0] = (struct aslrt_state){ .name = "Call", .type = ASLRT_TASK,
		.resource = resources[0], .next = 1, .nretry = 1, .retry = &retry,
		.ncatch = 1, .catchers = &catcher };
	states[0].io.result_path = P("$.result", ASL_PATH_REFERENCE);
	states[1] = (struct aslrt_state){ .name = "Done", .type = ASLRT_SUCCEED, .next = ASLRT_END };
	catcher.result_path = P("$.error", ASL_PATH_REFERENCE);
	calls = 0;
	aslrt_task_register("arn:aws:lambda:*:function:flaky", flaky, NULL);
}

static void teardown(void)
{
	asl_path_free((struct aslrt_path *)states[0].io.result_path);
	asl_path_free((struct aslrt_path *)catcher.result_path);
}

static char *run(double scale, struct aslrt_result *res)
{
	struct aslrt_options opt = { .time_scale = scale, .execution_name = "e1" };
	ck_assert_int_eq(aslrt_run(&machine, &opt, cJSON_Parse("{\"a\":1}"), res), 0);
	return res->output ? cJSON_PrintUnformatted(res->output) : NULL;
}

START_TEST(retries_then_succeeds)
{
	fail_first = 2;
	struct aslrt_result res;
	char *out = run(0, &res);
	ck_assert_int_eq(res.status, ASLRT_SUCCEEDED);
	ck_assert_str_eq(out, "{\"a\":1,\"result\":{\"n\":3}}");
	ck_assert_int_eq(res.transitions, 2);  /* retries are not new states */
	free(out);
	aslrt_result_clear(&res);
}
END_TEST

START_TEST(exhausted_retries_are_caught)
{
	fail_first = 5;
	struct aslrt_result res;
	char *out = run(0, &res);
	ck_assert_int_eq(res.status, ASLRT_SUCCEEDED);
	ck_assert_int_eq(calls, 3);           /* first try + MaxAttempts 2 */
	ck_assert_str_eq(out, "{\"a\":1,\"error\":{\"Error\":\"Flaky\",\"Cause\":\"attempt 2\"}}");
	free(out);
	aslrt_result_clear(&res);
}
END_TEST

START_TEST(uncaught_error_fails_execution)
{
	fail_first = 5;
	states[0].ncatch = 0;
	struct aslrt_result res;
	char *out = run(0, &res);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(res.status, ASLRT_FAILED);
	ck_assert_str_eq(res.error.error, "Flaky");
	ck_assert_str_eq(res.error.cause, "attempt 2");
	aslrt_result_clear(&res);
}
END_TEST

START_TEST(backoff_delays)
{
	struct aslrt_exec x = { 0 };
	int attempts[1] = { 0 };
	x.retry_attempts = attempts;
	struct aslrt_retrier r = { .nerrors = 1, .errors = flaky_errors, .interval_s = 3,
				   .max_attempts = 4, .backoff_rate = 2.0, .max_delay_s = 10 };
	struct aslrt_state s = { .name = "S", .nretry = 1, .retry = &r };
	double d;
	ck_assert(rt_retry_decide(&x, &s, "Flaky", &d) && d == 3);
	ck_assert(rt_retry_decide(&x, &s, "Flaky", &d) && d == 6);
	ck_assert(rt_retry_decide(&x, &s, "Flaky", &d) && d == 10); /* MaxDelaySeconds */
	ck_assert(rt_retry_decide(&x, &s, "Flaky", &d) && d == 10);
	ck_assert(!rt_retry_decide(&x, &s, "Flaky", &d));
	ck_assert(!rt_retry_decide(&x, &s, "Other", &d));
	r.jitter = ASLRT_JITTER_FULL;
	attempts[0] = 0;
	for (int i = 0; i < 100; i++) {
		attempts[0] = 0;
		ck_assert(rt_retry_decide(&x, &s, "Flaky", &d) && d >= 0 && d < 3);
	}
}
END_TEST

START_TEST(error_matching)
{
	static const char *const tf[] = { "States.TaskFailed" };
	ck_assert(rt_error_matches(all_errors, 1, "Anything"));
	ck_assert(rt_error_matches(all_errors, 1, "States.Timeout"));
	ck_assert(!rt_error_matches(all_errors, 1, "States.Runtime"));
	ck_assert(!rt_error_matches(all_errors, 1, "States.DataLimitExceeded"));
	ck_assert(rt_error_matches(tf, 1, "MyError"));
	ck_assert(!rt_error_matches(tf, 1, "States.Timeout"));
	ck_assert(rt_error_matches(flaky_errors, 1, "Flaky"));
	ck_assert(!rt_error_matches(flaky_errors, 1, "flaky"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, retries_then_succeeds);
	tcase_add_test(tc, exhausted_retries_are_caught);
	tcase_add_test(tc, uncaught_error_fails_execution);
	tcase_add_test(tc, backoff_delays);
	tcase_add_test(tc, error_matching);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
