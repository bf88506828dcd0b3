/* Unit tests of the payload quota and the depth limit (runtime/limits.c) and
 * of where the runtime applies them: the execution input, a Task's result
 * (catchable only by name), the input after Parameters and every state's
 * output, on machines built by hand. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "rt.h"
#include "taskutil.h"

#define LIMIT 100

/* A string value of n bytes as JSON ("" included). */
static cJSON *string_of(size_t n, char fill)
{
	char *s = malloc(n - 1);
	memset(s, fill, n - 2);
	s[n - 2] = '\0';
	cJSON *v = cJSON_CreateString(s);
	free(s);
	return v;
}

static size_t printed(const cJSON *v)
{
	char *s = rt_json_print(v);
	size_t n = strlen(s);
	rt_free(s);
	return n;
}

/* rt_payload_measure without the nesting. */
static int measure(const cJSON *v, size_t *bytes)
{
	int levels;
	return rt_payload_measure(v, bytes, &levels);
}

static void limits_setup(void)
{
	ck_assert_int_eq(rt_limits_set(LIMIT, 1000), 0);
}

START_TEST(test_measure_at_the_limit)
{
	size_t bytes = 7;
	cJSON *v = string_of(LIMIT, 'a');
	ck_assert_uint_eq(printed(v), LIMIT);
	ck_assert_int_eq(measure(v, &bytes), 0);
	cJSON_Delete(v);
	v = string_of(LIMIT + 1, 'a');
	ck_assert_int_eq(measure(v, &bytes), 1);
	ck_assert_uint_eq(bytes, LIMIT + 1);
	cJSON_Delete(v);
}
END_TEST

/* Escapes count as printed: 49 quotes are 98 bytes inside the quotes. */
START_TEST(test_measure_counts_escapes)
{
	size_t bytes;
	cJSON *v = string_of(51, '"');
	ck_assert_uint_eq(printed(v), 100);
	ck_assert_int_eq(measure(v, &bytes), 0);
	cJSON_Delete(v);
	v = cJSON_CreateString("\x01\x02\x03\x04\x05\x06\x07\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16");
	ck_assert_uint_eq(printed(v), 17 * 6 + 2);
	ck_assert_int_eq(measure(v, &bytes), 1);
	ck_assert_uint_eq(bytes, 104);
	cJSON_Delete(v);
}
END_TEST

/* Numbers estimated at 24 bytes each are printed to know: 30 copies of 0.5
 * are 121 bytes as "[0.5,...]" (over) but 30 copies of 1 are 61 (under). */
START_TEST(test_measure_numbers)
{
	size_t bytes;
	cJSON *a = cJSON_CreateArray(), *b = cJSON_CreateArray();
	for (int i = 0; i < 30; i++) {
		cJSON_AddItemToArray(a, cJSON_CreateNumber(0.5));
		cJSON_AddItemToArray(b, cJSON_CreateNumber(1));
	}
	ck_assert_int_eq(measure(a, &bytes), 1);
	ck_assert_uint_eq(bytes, printed(a));
	ck_assert_uint_eq(bytes, 121);
	ck_assert_int_eq(measure(b, &bytes), 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
	/* 20 numbers of 3 or 4 bytes that the estimate puts at 24: 94 bytes, fits */
	cJSON *c = cJSON_CreateArray();
	for (int i = 0; i < 20; i++)
		cJSON_AddItemToArray(c, cJSON_CreateNumber(0.25 * (i % 3 + 1)));
	ck_assert_uint_le(printed(c), LIMIT);
	ck_assert_int_eq(measure(c, &bytes), 0);
	cJSON_Delete(c);
	/* integers are exact: -1234567 is 8 bytes */
	cJSON *d = cJSON_CreateNumber(-1234567);
	ck_assert_int_eq(measure(d, &bytes), 0);
	cJSON_Delete(d);
}
END_TEST

static cJSON *nested(int levels)
{
	cJSON *v = cJSON_CreateNumber(1);
	for (int i = 0; i < levels; i++) {
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, v);
		v = a;
	}
	return v;
}

START_TEST(test_depth)
{
	size_t bytes;
	int levels;
	ck_assert_int_eq(rt_limits_set(0, 50), 0);
	cJSON *ok = nested(50), *deep = nested(51);
	ck_assert_int_eq(rt_payload_measure(ok, &bytes, &levels), 0);
	ck_assert_int_eq(levels, 50);
	ck_assert_int_eq(measure(deep, &bytes), 2);
	struct aslrt_error e = { NULL, NULL };
	ck_assert_int_eq(rt_payload_check(deep, RT_PAYLOAD_STATE_OUTPUT, "S", &e), -1);
	ck_assert_str_eq(e.error, "States.DataLimitExceeded");
	ck_assert_str_eq(e.cause, "The output of state 'S' is nested more than 50 levels deep, "
				  "the limit of this runtime.");
	aslrt_error_clear(&e);
	cJSON_Delete(ok);
	cJSON_Delete(deep);
	ck_assert_int_eq(rt_limits_set(0, 100001), -1);
}
END_TEST

START_TEST(test_no_payload_limit)
{
	size_t bytes;
	ck_assert_int_eq(rt_limits_set(0, 0), 0);
	cJSON *v = string_of(100000, 'x');
	ck_assert_int_eq(measure(v, &bytes), 0);
	cJSON_Delete(v);
}
END_TEST

START_TEST(test_messages)
{
	struct aslrt_error e = { NULL, NULL };
	cJSON *v = string_of(LIMIT + 5, 'a');
	ck_assert_int_eq(rt_payload_check(v, RT_PAYLOAD_TASK_RESULT, "arn:x", &e), -1);
	ck_assert_str_eq(e.error, "States.DataLimitExceeded");
	ck_assert_str_eq(e.cause, "The state/task 'arn:x' returned a result with a size exceeding "
				  "the maximum number of bytes service limit (105 bytes; the limit "
				  "is 100).");
	ck_assert_int_eq(rt_payload_check(v, RT_PAYLOAD_EXEC_INPUT, "ignored", &e), -1);
	ck_assert_str_eq(e.cause, "The execution input has a size exceeding the maximum number of "
				  "bytes service limit (105 bytes; the limit is 100).");
	ck_assert_int_eq(rt_payload_check(v, RT_PAYLOAD_STATE_INPUT, "P", &e), -1);
	ck_assert_str_eq(e.cause, "The input of state 'P' has a size exceeding the maximum number "
				  "of bytes service limit (105 bytes; the limit is 100).");
	aslrt_error_clear(&e);
	cJSON_Delete(v);
	/* counting stops past the limit: no exact size then */
	cJSON *big = cJSON_CreateArray();
	for (int i = 0; i < 100; i++)
		cJSON_AddItemToArray(big, cJSON_CreateString("abcdefgh"));
	ck_assert_int_eq(rt_payload_check(big, RT_PAYLOAD_STATE_OUTPUT, "S", &e), -1);
	ck_assert_str_eq(e.cause, "The output of state 'S' has a size exceeding the maximum number "
				  "of bytes service limit (more than the 100 bytes allowed).");
	aslrt_error_clear(&e);
	cJSON_Delete(big);
}
END_TEST

/* The program's input: cJSON reads 1000 levels, and says so past them. */
START_TEST(test_input_nesting_message)
{
	char text[2 * 1001 + 1];
	char *why = NULL;
	memset(text, '[', 1001);
	memset(text + 1001, ']', 1001);
	text[2002] = '\0';
	ck_assert_ptr_null(rt_json_parse(text, 2002, &why));
	ck_assert_str_eq(why, "nested more than 1000 levels deep at line 1, column 1001");
	rt_free(why);
	text[2001] = '\0';            /* 1000 levels: fine */
	cJSON *ok = rt_json_parse(text + 1, 2000, &why);
	ck_assert_ptr_nonnull(ok);
	cJSON_Delete(ok);
	ck_assert_ptr_null(rt_json_parse("[1,", 3, &why));
	ck_assert_str_eq(why, "not valid JSON at line 1, column 4");
	rt_free(why);
}
END_TEST

/* ---------------------------------------------------- whole executions */

static size_t result_bytes;        /* what the task handler returns */

static int big_result(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
		      struct aslrt_error *err)
{
	(void)ctx;
	(void)in;
	(void)err;
	*out = string_of(result_bytes, 'r');
	return 0;
}

static const char *const data_limit[] = { "States.DataLimitExceeded" };
static const char *const all_errors[] = { "States.ALL" };
static struct aslrt_catcher catcher = { .nerrors = 1, .errors = data_limit, .next = 1 };
static struct aslrt_state states[2];
static const char *const resources[] = { "arn:aws:lambda:us-east-1:1:function:big" };

static void step(struct aslrt_exec *x)
{
	const struct aslrt_state *s = &states[aslrt_current(x)];
	if (s->type == ASLRT_TASK)
		aslrt_task(x, s);
	else
		aslrt_succeed(x, s);
}

static const struct aslrt_machine machine = { .name = "m", .nstates = 2, .states = states,
					      .step = step, .nresources = 1, .resources = resources };

static void machine_setup(void)
{
	limits_setup();
	memset(states, 0, sizeof states);
	states[0] = (struct aslrt_state){ .name = "Call", .type = ASLRT_TASK,
		.resource = resources[0], .next = 1, .ncatch = 1, .catchers = &catcher };
	states[1] = (struct aslrt_state){ .name = "Done", .type = ASLRT_SUCCEED, .next = ASLRT_END };
	catcher.errors = data_limit;
	aslrt_task_register(resources[0], big_result, NULL);
}

static char *run(const char *input, struct aslrt_result *res)
{
	struct aslrt_options opt = { .time_scale = 0, .execution_name = "e1", .workers = 1 };
	ck_assert_int_eq(aslrt_run(&machine, &opt, cJSON_Parse(input), res), 0);
	return res->output ? cJSON_PrintUnformatted(res->output) : NULL;
}

/* {"r":"rrr..."}: the result of n bytes replaces the input (ResultPath $). */
START_TEST(test_task_result_within_limit)
{
	struct aslrt_result res;
	result_bytes = LIMIT;
	char *out = run("{}", &res);
	ck_assert_int_eq(res.status, ASLRT_SUCCEEDED);
	ck_assert_uint_eq(strlen(out), LIMIT);
	free(out);
	aslrt_result_clear(&res);
}
END_TEST

/* The error output (about 220 bytes) replaces the input: a limit of 250. */
START_TEST(test_task_result_caught_by_name)
{
	struct aslrt_result res;
	rt_limits_set(250, 0);
	result_bytes = 251;
	char *out = run("{\"a\":1}", &res);
	ck_assert_msg(res.status == ASLRT_SUCCEEDED, "%s: %s", res.error.error, res.error.cause);
	ck_assert_str_eq(out, "{\"Error\":\"States.DataLimitExceeded\",\"Cause\":\"The state/task "
			      "'arn:aws:lambda:us-east-1:1:function:big' returned a result with a "
			      "size exceeding the maximum number of bytes service limit (251 bytes; "
			      "the limit is 250).\"}");
	free(out);
	aslrt_result_clear(&res);
}
END_TEST

/* AWS: States.ALL "can't catch the States.DataLimitExceeded terminal error". */
START_TEST(test_task_result_not_caught_by_all)
{
	struct aslrt_result res;
	catcher.errors = all_errors;
	result_bytes = LIMIT + 1;
	char *out = run("{}", &res);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(res.status, ASLRT_FAILED);
	ck_assert_str_eq(res.error.error, "States.DataLimitExceeded");
	aslrt_result_clear(&res);
}
END_TEST

/* The output of Call ({"a":..., "res":...} with ResultPath $.res) is over. */
START_TEST(test_state_output_over)
{
	struct aslrt_result res;
	result_bytes = 60;
	states[0].io.result_path = asl_path_parse("$.res", ASL_PATH_REFERENCE, &(char *){ NULL },
						  &(int){ 0 });
	char *out = run("{\"a\":\"0123456789012345678901234567890123456789\"}", &res);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(res.status, ASLRT_FAILED);
	ck_assert_str_eq(res.error.error, "States.DataLimitExceeded");
	ck_assert_str_eq(res.error.cause, "The output of state 'Call' has a size exceeding the "
					  "maximum number of bytes service limit (115 bytes; the "
					  "limit is 100).");
	aslrt_result_clear(&res);
	asl_path_free((struct aslrt_path *)states[0].io.result_path);
}
END_TEST

START_TEST(test_execution_input_over)
{
	struct aslrt_result res;
	result_bytes = 10;
	char *out = run("[\"0123456789\",\"0123456789\",\"0123456789\",\"0123456789\","
			"\"0123456789\",\"0123456789\",\"0123456789\",\"0123456789\"]", &res);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(res.status, ASLRT_FAILED);
	ck_assert_str_eq(res.error.error, "States.DataLimitExceeded");
	ck_assert_str_eq(res.error.cause, "The execution input has a size exceeding the maximum "
					  "number of bytes service limit (105 bytes; the limit is "
					  "100).");
	ck_assert_int_eq(res.transitions, 0);
	aslrt_result_clear(&res);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("limits");
	TCase *m = tcase_create("measure");
	tcase_add_checked_fixture(m, limits_setup, NULL);
	tcase_add_test(m, test_measure_at_the_limit);
	tcase_add_test(m, test_measure_counts_escapes);
	tcase_add_test(m, test_measure_numbers);
	tcase_add_test(m, test_depth);
	tcase_add_test(m, test_no_payload_limit);
	tcase_add_test(m, test_messages);
	tcase_add_test(m, test_input_nesting_message);
	suite_add_tcase(s, m);
	TCase *e = tcase_create("executions");
	tcase_add_checked_fixture(e, machine_setup, NULL);
	tcase_add_test(e, test_task_result_within_limit);
	tcase_add_test(e, test_task_result_caught_by_name);
	tcase_add_test(e, test_task_result_not_caught_by_all);
	tcase_add_test(e, test_state_output_over);
	tcase_add_test(e, test_execution_input_over);
	suite_add_tcase(s, e);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
