/*
 * test_task.c - Task dispatch (runtime/task.c): glob matching, the handler
 * registry and its precedence, rt_task_invoke over mock / bindings / handler
 * (with a hand-built struct aslrt_exec), handler timeouts and failures, and
 * aslrt_check_bindings.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rt.h"
#include "tmpdir.h"

/* ------------------------------------------------------------- globs */

START_TEST(glob_matching)
{
	static const struct {
		const char *glob, *s;
		int match;
	} t[] = {
		{ "arn:aws:lambda:us-east-1:1:function:pay", "arn:aws:lambda:us-east-1:1:function:pay", 1 },
		{ "arn:aws:lambda:us-east-1:1:function:pay", "arn:aws:lambda:us-east-1:1:function:pa", 0 },
		{ "arn:aws:lambda:us-east-1:1:function:pa", "arn:aws:lambda:us-east-1:1:function:pay", 0 },
		{ "arn:*:function:pay", "arn:aws:lambda:us-east-1:1:function:pay", 1 },
		{ "arn:aws:lambda:*:*:function:*", "arn:aws:lambda:eu-west-1:2:function:ship", 1 },
		{ "arn:aws:lambda:*:*:function:*", "arn:aws:states:::lambda:invoke", 0 },
		{ "*", "", 1 },
		{ "*", "anything:at/all", 1 },
		{ "**", "x", 1 },
		{ "", "", 1 },
		{ "", "a", 0 },
		{ "?", "", 0 },
		{ "a?c", "abc", 1 },
		{ "a?c", "ac", 0 },
		{ "a?c", "abbc", 0 },
		{ "a?c", "a\xc3\xa9" "c", 1 },   /* ? is one character, not one byte */
		{ "*?", "", 0 },
		{ "*?", "\xc3\xa9", 1 },
		{ "*pay", "arn:pay", 1 },
		{ "*pay", "arn:payx", 0 },
		{ "a*b*c", "axxbyyc", 1 },
		{ "a*b*c", "axxbyy", 0 },
		{ "a*b*c", "abcbc", 1 },
		{ "a*b*c", "acb", 0 },
		{ "fn-*-v?", "fn-a-b-v2", 1 },
		{ "fn-*-v?", "fn-a-b-v22", 0 },
		{ "ARN", "arn", 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_msg(rt_glob_match(t[i].glob, t[i].s) == t[i].match,
			      "glob \"%s\" on \"%s\": expected %d", t[i].glob, t[i].s, t[i].match);
}
END_TEST

/* ---------------------------------------------------------- handlers */

/* What the last handler call saw. */
static struct {
	int calls;
	char resource[128], state[64], execution[64];
	int attempt;
	void *user;
	char *input;
} seen;

static void record(const struct aslrt_task_ctx *ctx, const cJSON *input)
{
	seen.calls++;
	snprintf(seen.resource, sizeof seen.resource, "%s", ctx->resource);
	snprintf(seen.state, sizeof seen.state, "%s", ctx->state);
	snprintf(seen.execution, sizeof seen.execution, "%s", ctx->execution);
	seen.attempt = ctx->attempt;
	seen.user = ctx->user;
	free(seen.input);
	char *s = cJSON_PrintUnformatted(input);
	seen.input = strdup(s);
	cJSON_free(s);
}

/* Returns {"by": <user as string>}. */
static int h_named(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		   struct aslrt_error *err)
{
	(void)err;
	record(ctx, input);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "by", ctx->user ? (const char *)ctx->user : "?");
	return 0;
}

static int h_other(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		   struct aslrt_error *err)
{
	return h_named(ctx, input, result, err);
}

static int h_third(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		   struct aslrt_error *err)
{
	return h_named(ctx, input, result, err);
}

static int h_fail_named(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
			struct aslrt_error *err)
{
	(void)result;
	record(ctx, input);
	aslrt_error_set(err, "Ship.NoTruck", "no truck before %d", 9);
	return 1;
}

static int h_fail_cause_only(const struct aslrt_task_ctx *ctx, const cJSON *input,
			     cJSON **result, struct aslrt_error *err)
{
	(void)ctx;
	(void)input;
	*result = cJSON_CreateNull(); /* ignored on failure; must not leak */
	cJSON_Delete(*result);
	*result = NULL;
	err->cause = rt_strdup("boom");
	return -1;
}

static int h_fail_bare(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		       struct aslrt_error *err)
{
	(void)ctx;
	(void)input;
	(void)result;
	(void)err;
	return 2;
}

static int h_null_result(const struct aslrt_task_ctx *ctx, const cJSON *input,
			 cJSON **result, struct aslrt_error *err)
{
	(void)ctx;
	(void)input;
	(void)err;
	*result = NULL;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int h_slow(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		  struct aslrt_error *err)
{
	sleep_ms(150);
	return h_named(ctx, input, result, err);
}

static int h_slow_fail(const struct aslrt_task_ctx *ctx, const cJSON *input, cJSON **result,
		       struct aslrt_error *err)
{
	sleep_ms(150);
	return h_fail_named(ctx, input, result, err);
}

START_TEST(registry_precedence)
{
	static char ua[] = "a", ub[] = "b";
	void *user = (void *)1;
	ck_assert(rt_task_lookup("arn:test:reg:x", &user) == NULL);
	ck_assert_ptr_eq(user, (void *)1);

	ck_assert_int_eq(aslrt_task_register("arn:test:reg:*", h_named, ua), 0);
	ck_assert(rt_task_lookup("arn:test:reg:x", &user) == h_named);
	ck_assert_ptr_eq(user, ua);

	/* a later exact registration wins for its resource only */
	ck_assert_int_eq(aslrt_task_register("arn:test:reg:x", h_other, ub), 0);
	ck_assert(rt_task_lookup("arn:test:reg:x", &user) == h_other);
	ck_assert_ptr_eq(user, ub);
	ck_assert(rt_task_lookup("arn:test:reg:y", &user) == h_named);
	ck_assert_ptr_eq(user, ua);

	/* a later glob wins even over an earlier exact pattern */
	ck_assert_int_eq(aslrt_task_register("arn:test:re*", h_third, NULL), 0);
	ck_assert(rt_task_lookup("arn:test:reg:x", &user) == h_third);
	ck_assert_ptr_null(user);
	ck_assert(rt_task_lookup("arn:test:reg:x", NULL) == h_third);
	ck_assert(rt_task_lookup("arn:other:reg:x", NULL) == NULL);
	ck_assert(rt_task_lookup(NULL, NULL) == NULL);

	/* the pattern is copied */
	char pattern[] = "arn:test:copy";
	ck_assert_int_eq(aslrt_task_register(pattern, h_other, NULL), 0);
	pattern[0] = 'X';
	ck_assert(rt_task_lookup("arn:test:copy", NULL) == h_other);

	ck_assert_int_eq(aslrt_task_register(NULL, h_named, NULL), -1);
	ck_assert_int_eq(aslrt_task_register("arn:x", NULL, NULL), -1);
}
END_TEST

/* ------------------------------------------------- a hand-built exec */

#define PAY "arn:test:invoke:pay"
#define SHIP "arn:test:invoke:ship"

static const struct aslrt_state states[] = {
	{ .name = "Pay", .type = ASLRT_TASK, .resource = PAY, .next = 1 },
	{ .name = "Ship", .type = ASLRT_TASK, .resource = SHIP, .next = 2 },
	{ .name = "Done", .type = ASLRT_SUCCEED, .next = ASLRT_END },
};

static const struct aslrt_machine machine = {
	.name = "Order",
	.nstates = 3,
	.states = states,
	.start = 0,
};

static char exec_name[] = "exec-1";

struct fixture {
	struct aslrt_exec x;
	struct aslrt_options opt;
	int calls[3];
};

static void fx_init(struct fixture *f, const struct aslrt_machine *m,
		    const struct aslrt_mock *mk, const struct aslrt_bindings *b)
{
	memset(f, 0, sizeof *f);
	f->opt.time_scale = 0;
	f->opt.mock = mk;
	f->opt.bindings = b;
	f->x.m = m;
	f->x.opt = &f->opt;
	f->x.task_calls = f->calls;
	f->x.exec_name = exec_name;
	f->x.status = ASLRT_RUNNING;
}

static char *dir;

static void setup(void)
{
	dir = td_make();
	memset(&seen, 0, sizeof seen);
}

static void teardown(void)
{
	td_remove(dir);
	dir = NULL;
	free(seen.input);
	seen.input = NULL;
}

/* Invoke state si of f's machine with input text; returns rc and sets
 * *out to the printed result (malloc'd) or NULL. */
static int invoke(struct fixture *f, int si, const char *input, double timeout_s, int attempt,
		  char **out, struct aslrt_error *err)
{
	cJSON *in = cJSON_Parse(input);
	ck_assert_ptr_nonnull(in);
	cJSON *res = (cJSON *)1;
	int rc = rt_task_invoke(&f->x, &f->x.m->states[si], in, timeout_s, attempt, &res, err);
	cJSON_Delete(in);
	*out = NULL;
	if (rc == 0) {
		ck_assert_ptr_nonnull(res);
		char *s = cJSON_PrintUnformatted(res);
		*out = strdup(s);
		cJSON_free(s);
		cJSON_Delete(res);
	} else {
		ck_assert_ptr_null(res);
	}
	return rc;
}

static void expect_ok(struct fixture *f, int si, const char *input, const char *want)
{
	char *out;
	struct aslrt_error err = { NULL, NULL };
	int rc = invoke(f, si, input, 0, 0, &out, &err);
	if (rc != 0)
		ck_abort_msg("invoke failed: %s: %s", err.error, err.cause ? err.cause : "(null)");
	ck_assert_str_eq(out, want);
	free(out);
}

static void expect_err(struct fixture *f, int si, double timeout_s, const char *error,
		       const char *cause)
{
	char *out;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(invoke(f, si, "{}", timeout_s, 0, &out, &err), -1);
	ck_assert_str_eq(err.error, error);
	if (cause)
		ck_assert_str_eq(err.cause, cause);
	else
		ck_assert_ptr_null(err.cause);
	aslrt_error_clear(&err);
}

static const char mock_text[] =
	"{\"StateMachines\":{\"Order\":{\"TestCases\":{\"Retry\":{\"Pay\":\"PayRetry\"}}}},"
	"\"MockedResponses\":{\"PayRetry\":{"
	"\"0\":{\"Throw\":{\"Error\":\"Lambda.ResourceNotReadyException\","
	"\"Cause\":\"Lambda resource is not ready.\"}},"
	"\"1-2\":{\"Throw\":{\"Error\":\"Lambda.TimeoutException\",\"Cause\":\"Lambda timed out.\"}},"
	"\"3\":{\"Return\":{\"StatusCode\":200,\"Payload\":{\"ok\":true}}}}}}";

static struct aslrt_mock *load_mock(void)
{
	char *path = td_write(dir, "mock.json", mock_text, 0644);
	char *why = NULL;
	struct aslrt_mock *mk = rt_mock_load(path, "Order", "Retry", &why);
	if (!mk)
		ck_abort_msg("mock did not load: %s", why);
	free(path);
	return mk;
}

START_TEST(invoke_mock_counts_invocations)
{
	struct aslrt_mock *mk = load_mock();
	/* a handler for Pay too: the mock must still win */
	ck_assert_int_eq(aslrt_task_register(PAY, h_named, NULL), 0);
	ck_assert_int_eq(aslrt_task_register(SHIP, h_named, "ship-handler"), 0);
	struct fixture f;
	fx_init(&f, &machine, mk, NULL);

	expect_err(&f, 0, 0, "Lambda.ResourceNotReadyException", "Lambda resource is not ready.");
	expect_err(&f, 0, 0, "Lambda.TimeoutException", "Lambda timed out.");
	expect_err(&f, 0, 0, "Lambda.TimeoutException", "Lambda timed out.");
	/* Return is passed through as is (the Lambda Invoke response) */
	expect_ok(&f, 0, "{}", "{\"StatusCode\":200,\"Payload\":{\"ok\":true}}");
	expect_err(&f, 0, 0, "States.Runtime",
		   "state \"Pay\": the mock test case has no response for invocation 4");
	ck_assert_int_eq(f.calls[0], 5);
	ck_assert_int_eq(seen.calls, 0);

	/* Ship is not in the test case: its handler serves it */
	expect_ok(&f, 1, "{\"n\":1}", "{\"by\":\"ship-handler\"}");
	ck_assert_int_eq(f.calls[1], 1);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_str_eq(seen.input, "{\"n\":1}");
	rt_mock_free(mk);
}
END_TEST

START_TEST(invoke_bindings_before_handler)
{
	char *path = td_write(dir, "bindings.json",
			      "{\"arn:test:invoke:*\":{\"command\":[\"sh\",\"-c\","
			      "\"cat >/dev/null; echo '{\\\"from\\\":\\\"bindings\\\"}'\"]}}",
			      0644);
	char *why = NULL;
	struct aslrt_bindings *b = rt_bindings_load(path, &why);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(aslrt_task_register(SHIP, h_named, "handler"), 0);
	struct fixture f;
	fx_init(&f, &machine, NULL, b);
	expect_ok(&f, 1, "{}", "{\"from\":\"bindings\"}");
	ck_assert_int_eq(seen.calls, 0);
	ck_assert_int_eq(f.calls[1], 1);
	/* without the bindings the handler serves it */
	f.opt.bindings = NULL;
	expect_ok(&f, 1, "{}", "{\"by\":\"handler\"}");
	ck_assert_int_eq(f.calls[1], 2);
	rt_bindings_free(b);
	free(path);
}
END_TEST

START_TEST(invoke_handler_context)
{
	static char user[] = "u";
	ck_assert_int_eq(aslrt_task_register(SHIP, h_named, user), 0);
	struct fixture f;
	fx_init(&f, &machine, NULL, NULL);
	char *out;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(invoke(&f, 1, "{\"a\":[1,\"x\"]}", 5, 2, &out, &err), 0);
	ck_assert_str_eq(out, "{\"by\":\"u\"}");
	free(out);
	ck_assert_ptr_null(err.error);
	ck_assert_str_eq(seen.resource, SHIP);
	ck_assert_str_eq(seen.state, "Ship");
	ck_assert_str_eq(seen.execution, "exec-1");
	ck_assert_int_eq(seen.attempt, 2);
	ck_assert_ptr_eq(seen.user, user);
	ck_assert_str_eq(seen.input, "{\"a\":[1,\"x\"]}");
}
END_TEST

START_TEST(invoke_handler_failures)
{
	struct fixture f;
	fx_init(&f, &machine, NULL, NULL);
	ck_assert_int_eq(aslrt_task_register(SHIP, h_fail_named, NULL), 0);
	expect_err(&f, 1, 0, "Ship.NoTruck", "no truck before 9");
	ck_assert_int_eq(aslrt_task_register(SHIP, h_fail_cause_only, NULL), 0);
	expect_err(&f, 1, 0, "States.TaskFailed", "boom");
	ck_assert_int_eq(aslrt_task_register(SHIP, h_fail_bare, NULL), 0);
	expect_err(&f, 1, 0, "States.TaskFailed", NULL);
	ck_assert_int_eq(aslrt_task_register(SHIP, h_null_result, NULL), 0);
	expect_err(&f, 1, 0, "States.Runtime",
		   "the handler of resource \"arn:test:invoke:ship\" returned success without a "
		   "result");
	ck_assert_int_eq(f.calls[1], 4);
}
END_TEST

START_TEST(invoke_handler_timeout)
{
	struct fixture f;
	fx_init(&f, &machine, NULL, NULL);
	ck_assert_int_eq(aslrt_task_register(SHIP, h_slow, NULL), 0);
	/* the result of a handler that took too long is discarded */
	expect_err(&f, 1, 0.05, "States.Timeout", "Task timed out after 0.05 seconds");
	ck_assert_int_eq(seen.calls, 1);
	/* so is its error */
	ck_assert_int_eq(aslrt_task_register(SHIP, h_slow_fail, NULL), 0);
	expect_err(&f, 1, 0.05, "States.Timeout", "Task timed out after 0.05 seconds");
	/* within the timeout, or with none, it succeeds */
	ck_assert_int_eq(aslrt_task_register(SHIP, h_slow, "slow"), 0);
	char *out;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(invoke(&f, 1, "{}", 5, 0, &out, &err), 0);
	ck_assert_str_eq(out, "{\"by\":\"slow\"}");
	free(out);
	ck_assert_int_eq(invoke(&f, 1, "{}", 0, 0, &out, &err), 0);
	free(out);
}
END_TEST

static const struct aslrt_state lonely_states[] = {
	{ .name = "Start", .type = ASLRT_PASS, .next = 1 },
	{ .name = "Lonely", .type = ASLRT_TASK, .resource = "arn:test:none", .next = ASLRT_END },
};

static const struct aslrt_machine lonely = {
	.name = "Lonely", .nstates = 2, .states = lonely_states, .start = 0,
};

START_TEST(invoke_unbound)
{
	struct fixture f;
	fx_init(&f, &lonely, NULL, NULL);
	expect_err(&f, 1, 0, "States.Runtime",
		   "state \"Lonely\": no mock, binding or registered handler for resource "
		   "\"arn:test:none\"");
	ck_assert_int_eq(f.calls[1], 1);
}
END_TEST

/* -------------------------------------------------- check_bindings */

static const struct aslrt_state check_states[] = {
	{ .name = "Intro", .type = ASLRT_PASS, .next = 1 },
	{ .name = "Pay", .type = ASLRT_TASK, .resource = "arn:test:check:pay", .next = 2 },
	{ .name = "Ship", .type = ASLRT_TASK, .resource = "arn:test:check:ship", .next = 3 },
	{ .name = "Done", .type = ASLRT_SUCCEED, .next = ASLRT_END },
};

static const struct aslrt_machine check_machine = {
	.name = "Order", .nstates = 4, .states = check_states, .start = 0,
};

START_TEST(check_bindings)
{
	struct aslrt_error err = { NULL, NULL };
	struct aslrt_options opt = { .time_scale = 1 };

	ck_assert_int_eq(aslrt_check_bindings(&check_machine, &opt, &err), -1);
	ck_assert_str_eq(err.error, "States.Runtime");
	ck_assert_str_eq(err.cause, "state \"Pay\": no mock, binding or registered handler for "
				    "resource \"arn:test:check:pay\"");
	aslrt_error_clear(&err);

	/* mocked by state name (the mock file's machine is "Order") */
	char *mpath = td_write(dir, "mock.json",
			       "{\"StateMachines\":{\"Order\":{\"TestCases\":{\"T\":{\"Pay\":\"R\"}}}},"
			       "\"MockedResponses\":{\"R\":{\"0\":{\"Return\":1}}}}", 0644);
	char *why = NULL;
	struct aslrt_mock *mk = rt_mock_load(mpath, "Order", "T", &why);
	ck_assert_ptr_nonnull(mk);
	opt.mock = mk;
	ck_assert_int_eq(aslrt_check_bindings(&check_machine, &opt, &err), -1);
	ck_assert_str_eq(err.cause, "state \"Ship\": no mock, binding or registered handler for "
				    "resource \"arn:test:check:ship\"");
	aslrt_error_clear(&err);

	char *bpath = td_write(dir, "b.json",
			       "{\"arn:test:check:s*\":{\"command\":[\"true\"]}}", 0644);
	struct aslrt_bindings *b = rt_bindings_load(bpath, &why);
	ck_assert_ptr_nonnull(b);
	opt.bindings = b;
	ck_assert_int_eq(aslrt_check_bindings(&check_machine, &opt, &err), 0);
	ck_assert_ptr_null(err.error);

	/* registered handlers alone, no options at all */
	ck_assert_int_eq(aslrt_check_bindings(&check_machine, NULL, &err), -1);
	aslrt_error_clear(&err);
	ck_assert_int_eq(aslrt_task_register("arn:test:check:*", h_named, NULL), 0);
	ck_assert_int_eq(aslrt_check_bindings(&check_machine, NULL, &err), 0);
	ck_assert_ptr_null(err.error);

	rt_mock_free(mk);
	rt_bindings_free(b);
	free(mpath);
	free(bpath);
}
END_TEST

int main(void)
{
	rt_alloc_init();
	Suite *s = suite_create("task");
	TCase *g = tcase_create("glob");
	tcase_add_test(g, glob_matching);
	tcase_add_test(g, registry_precedence);
	suite_add_tcase(s, g);
	TCase *inv = tcase_create("invoke");
	tcase_add_checked_fixture(inv, setup, teardown);
	tcase_add_test(inv, invoke_mock_counts_invocations);
	tcase_add_test(inv, invoke_bindings_before_handler);
	tcase_add_test(inv, invoke_handler_context);
	tcase_add_test(inv, invoke_handler_failures);
	tcase_add_test(inv, invoke_handler_timeout);
	tcase_add_test(inv, invoke_unbound);
	tcase_add_test(inv, check_bindings);
	suite_add_tcase(s, inv);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
