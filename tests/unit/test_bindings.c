/*
 * test_bindings.c - bindings files (runtime/bindings.c): loading and its
 * messages, which entry serves a resource, and running small /bin/sh scripts
 * written at test time: success, failure JSON, garbage output, exec failure,
 * signals, timeouts, 1 MB in and out, environment.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "tmpdir.h"

/* rt_monotonic lives in task.c (taskutil.h). */
#include "taskutil.h"

static char *dir;

static void setup(void)
{
	dir = td_make();
}

static void teardown(void)
{
	td_remove(dir);
	dir = NULL;
}

/* Write the bindings file text (and return it loaded, failing the test if it
 * does not load). */
static struct aslrt_bindings *load(const char *text)
{
	char *path = td_write(dir, "bindings.json", text, 0644);
	char *why = NULL;
	struct aslrt_bindings *b = rt_bindings_load(path, &why);
	if (!b)
		ck_abort_msg("bindings did not load: %s", why ? why : "(out of memory)");
	free(path);
	return b;
}

static void script(const char *name, const char *body)
{
	free(td_write(dir, name, body, 0755));
}

/* Run resource with input (JSON text); returns rc, result and err. */
static int run(const struct aslrt_bindings *b, const char *resource, const char *input,
	       double timeout_s, cJSON **result, struct aslrt_error *err)
{
	cJSON *in = cJSON_Parse(input);
	ck_assert_ptr_nonnull(in);
	int rc = rt_bindings_run(b, resource, in, timeout_s, result, err);
	cJSON_Delete(in);
	return rc;
}

/* Assert a successful run whose result prints as expect. */
static void assert_result(const struct aslrt_bindings *b, const char *resource,
			  const char *input, const char *expect)
{
	cJSON *res = NULL;
	struct aslrt_error err = { NULL, NULL };
	int rc = run(b, resource, input, 0, &res, &err);
	if (rc != 0)
		ck_abort_msg("run failed: %s: %s", err.error, err.cause ? err.cause : "(null)");
	char *s = cJSON_PrintUnformatted(res);
	ck_assert_str_eq(s, expect);
	cJSON_free(s);
	cJSON_Delete(res);
}

/* Assert a failed run with exactly this error and cause (NULL = none). */
static void assert_error(const struct aslrt_bindings *b, const char *resource,
			 const char *input, double timeout_s, const char *error,
			 const char *cause)
{
	cJSON *res = (cJSON *)1;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(run(b, resource, input, timeout_s, &res, &err), -1);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(err.error, error);
	if (cause)
		ck_assert_str_eq(err.cause, cause);
	else
		ck_assert_ptr_null(err.cause);
	aslrt_error_clear(&err);
}

START_TEST(success_relative_to_file)
{
	script("echo.sh", "#!/bin/sh\nread -r line\nprintf '{\"got\":%s}\\n' \"$line\"\n");
	struct aslrt_bindings *b = load("{\"arn:x:echo\":{\"command\":[\"./echo.sh\"]}}");
	/* the test's working directory is not dir: ./echo.sh is found through
	 * the bindings file's directory */
	assert_result(b, "arn:x:echo", "{\"a\": [1, 2], \"s\": \"h\\u00e9\"}",
		      "{\"got\":{\"a\":[1,2],\"s\":\"h\xc3\xa9\"}}");
	rt_bindings_free(b);
}
END_TEST

START_TEST(arguments_and_path_search)
{
	struct aslrt_bindings *b = load(
		"{\"arn:x:sh\":{\"command\":[\"sh\",\"-c\","
		"\"cat >/dev/null; printf '\\\"%s-%s\\\"' \\\"$0\\\" \\\"$1\\\"\","
		"\"zero\",\"one two\"]}}");
	assert_result(b, "arn:x:sh", "{}", "\"zero-one two\"");
	rt_bindings_free(b);
}
END_TEST

START_TEST(failure_json)
{
	script("fail.sh", "#!/bin/sh\ncat >/dev/null\n"
			  "printf '{\"Error\":\"Pay.Declined\",\"Cause\":\"card expired\"}'\nexit 3\n");
	script("nocause.sh", "#!/bin/sh\necho '{\"Error\":\"E\"}'\nexit 1\n");
	script("objcause.sh", "#!/bin/sh\necho '{\"Error\":\"E\",\"Cause\":{\"a\":1}}'\nexit 1\n");
	struct aslrt_bindings *b = load("{\"arn:x:fail\":{\"command\":[\"./fail.sh\"]},"
					"\"arn:x:nocause\":{\"command\":[\"./nocause.sh\"]},"
					"\"arn:x:objcause\":{\"command\":[\"./objcause.sh\"]}}");
	assert_error(b, "arn:x:fail", "{}", 0, "Pay.Declined", "card expired");
	assert_error(b, "arn:x:nocause", "{}", 0, "E", NULL);
	assert_error(b, "arn:x:objcause", "{}", 0, "E", "{\"a\":1}");
	rt_bindings_free(b);
}
END_TEST

START_TEST(failure_without_json)
{
	script("stderr.sh", "#!/bin/sh\necho 'not json'\necho 'first line' >&2\n"
			    "echo 'something broke' >&2\nexit 4\n");
	script("quiet.sh", "#!/bin/sh\nexit 5\n");
	script("kill.sh", "#!/bin/sh\nkill -9 $$\n");
	script("json_not_error.sh", "#!/bin/sh\necho '{\"error\":\"lowercase\"}'\nexit 2\n");
	struct aslrt_bindings *b = load("{\"arn:x:stderr\":{\"command\":[\"./stderr.sh\"]},"
					"\"arn:x:quiet\":{\"command\":[\"./quiet.sh\"]},"
					"\"arn:x:kill\":{\"command\":[\"./kill.sh\"]},"
					"\"arn:x:jne\":{\"command\":[\"./json_not_error.sh\"]}}");
	assert_error(b, "arn:x:stderr", "{}", 0, "States.TaskFailed",
		     "command \"./stderr.sh\" exited with status 4; stderr: first line\n"
		     "something broke");
	assert_error(b, "arn:x:quiet", "{}", 0, "States.TaskFailed",
		     "command \"./quiet.sh\" exited with status 5");
	assert_error(b, "arn:x:kill", "{}", 0, "States.TaskFailed",
		     "command \"./kill.sh\" was killed by signal 9");
	assert_error(b, "arn:x:jne", "{}", 0, "States.TaskFailed",
		     "command \"./json_not_error.sh\" exited with status 2");
	rt_bindings_free(b);
}
END_TEST

START_TEST(stderr_tail_is_bounded)
{
	/* 3000 'x' then "END": the cause quotes only the last 1000 bytes. */
	script("loud.sh", "#!/bin/sh\nhead -c 3000 /dev/zero | tr '\\0' x >&2\n"
			  "echo END >&2\nexit 1\n");
	struct aslrt_bindings *b = load("{\"arn:x:loud\":{\"command\":[\"./loud.sh\"]}}");
	cJSON *res = NULL;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(run(b, "arn:x:loud", "{}", 0, &res, &err), -1);
	const char *prefix = "command \"./loud.sh\" exited with status 1; stderr: ";
	ck_assert_int_eq(strncmp(err.cause, prefix, strlen(prefix)), 0);
	const char *tail = err.cause + strlen(prefix);
	ck_assert_uint_eq(strlen(tail), 1000);
	ck_assert_str_eq(tail + 997, "END");
	ck_assert_int_eq(strspn(tail, "x"), 997);
	aslrt_error_clear(&err);
	rt_bindings_free(b);
}
END_TEST

START_TEST(garbage_output)
{
	script("garbage.sh", "#!/bin/sh\necho 'not json'\n");
	script("empty.sh", "#!/bin/sh\n");
	script("trailing.sh", "#!/bin/sh\necho '{\"a\":1}'\necho '{\"b\":2}'\n");
	struct aslrt_bindings *b = load("{\"arn:x:garbage\":{\"command\":[\"./garbage.sh\"]},"
					"\"arn:x:empty\":{\"command\":[\"./empty.sh\"]},"
					"\"arn:x:trailing\":{\"command\":[\"./trailing.sh\"]}}");
	assert_error(b, "arn:x:garbage", "{}", 0, "States.TaskFailed",
		     "command \"./garbage.sh\" exited with status 0 but its output is not valid "
		     "JSON at line 1, column 1: not json");
	assert_error(b, "arn:x:empty", "{}", 0, "States.TaskFailed",
		     "command \"./empty.sh\" exited with status 0 but its output is empty (no "
		     "JSON value)");
	assert_error(b, "arn:x:trailing", "{}", 0, "States.TaskFailed",
		     "command \"./trailing.sh\" exited with status 0 but its output is not valid "
		     "JSON at line 2, column 1: {\"a\":1}\n{\"b\":2}");
	rt_bindings_free(b);
}
END_TEST

START_TEST(cannot_execute)
{
	free(td_write(dir, "noexec.sh", "#!/bin/sh\necho 1\n", 0644));
	struct aslrt_bindings *b = load("{\"arn:x:missing\":{\"command\":[\"./missing.sh\"]},"
					"\"arn:x:noexec\":{\"command\":[\"./noexec.sh\"]},"
					"\"arn:x:nopath\":{\"command\":[\"aslrt-no-such-program\"]}}");
	assert_error(b, "arn:x:missing", "{}", 0, "States.TaskFailed",
		     "cannot execute \"./missing.sh\": No such file or directory");
	assert_error(b, "arn:x:noexec", "{}", 0, "States.TaskFailed",
		     "cannot execute \"./noexec.sh\": Permission denied");
	assert_error(b, "arn:x:nopath", "{}", 0, "States.TaskFailed",
		     "cannot execute \"aslrt-no-such-program\": No such file or directory");
	assert_error(b, "arn:x:unbound", "{}", 0, "States.Runtime",
		     "no binding for resource \"arn:x:unbound\"");
	rt_bindings_free(b);
}
END_TEST

START_TEST(timeouts)
{
	script("sleep.sh", "#!/bin/sh\nexec sleep 5\n");
	/* not exec: the shell waits for its child; both must die */
	script("sleep_child.sh", "#!/bin/sh\nsleep 5\necho 1\n");
	/* closes its output early, then lingers */
	script("linger.sh", "#!/bin/sh\necho 1\nexec >&- 2>&-\nsleep 5\n");
	struct aslrt_bindings *b = load(
		"{\"arn:x:sleep\":{\"command\":[\"./sleep.sh\"],\"timeout\":0.3},"
		"\"arn:x:child\":{\"command\":[\"./sleep_child.sh\"],\"timeout\":10},"
		"\"arn:x:linger\":{\"command\":[\"./linger.sh\"]}}");
	double t0 = rt_monotonic();
	assert_error(b, "arn:x:sleep", "{}", 0, "States.Timeout",
		     "Task timed out after 0.30 seconds");
	/* the state's timeout wins when it is shorter */
	assert_error(b, "arn:x:sleep", "{}", 0.2, "States.Timeout",
		     "Task timed out after 0.20 seconds");
	assert_error(b, "arn:x:child", "{}", 0.25, "States.Timeout",
		     "Task timed out after 0.25 seconds");
	assert_error(b, "arn:x:linger", "{}", 0.3, "States.Timeout",
		     "Task timed out after 0.30 seconds");
	double took = rt_monotonic() - t0;
	ck_assert_double_ge(took, 1.05);
	ck_assert_double_lt(took, 3.0);
	rt_bindings_free(b);
}
END_TEST

/* A JSON string of n 'a's. */
static char *big_string(size_t n)
{
	char *s = malloc(n + 3);
	ck_assert_ptr_nonnull(s);
	s[0] = '"';
	memset(s + 1, 'a', n);
	s[n + 1] = '"';
	s[n + 2] = '\0';
	return s;
}

START_TEST(large_output)
{
	script("big.sh", "#!/bin/sh\nprintf '\"'\nhead -c 1048576 /dev/zero | tr '\\0' a\n"
			 "printf '\"'\n");
	struct aslrt_bindings *b = load("{\"arn:x:big\":{\"command\":[\"./big.sh\"]}}");
	cJSON *res = NULL;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(run(b, "arn:x:big", "{}", 10, &res, &err), 0);
	ck_assert(cJSON_IsString(res));
	ck_assert_uint_eq(strlen(res->valuestring), 1048576);
	ck_assert_uint_eq(strspn(res->valuestring, "a"), 1048576);
	cJSON_Delete(res);
	rt_bindings_free(b);
}
END_TEST

START_TEST(large_input_and_output_together)
{
	/* cat writes its output while we are still writing its input: with a
	 * blocking write-then-read this deadlocks once both pipes fill up. */
	struct aslrt_bindings *b = load("{\"arn:x:cat\":{\"command\":[\"cat\"]},"
					"\"arn:x:ignore\":{\"command\":[\"sh\",\"-c\",\"echo 7\"]}}");
	char *in = big_string(1 << 20);
	cJSON *res = NULL;
	struct aslrt_error err = { NULL, NULL };
	ck_assert_int_eq(run(b, "arn:x:cat", in, 10, &res, &err), 0);
	ck_assert(cJSON_IsString(res));
	ck_assert_uint_eq(strlen(res->valuestring), 1 << 20);
	ck_assert_uint_eq(strspn(res->valuestring, "a"), 1 << 20);
	cJSON_Delete(res);
	/* a program that never reads its input: no SIGPIPE, no hang */
	assert_result(b, "arn:x:ignore", in, "7");
	free(in);
	rt_bindings_free(b);
}
END_TEST

START_TEST(environment)
{
	script("env.sh", "#!/bin/sh\ncat >/dev/null\n"
			 "printf '{\"foo\":\"%s\",\"keep\":\"%s\",\"new\":\"%s\"}' \"$FOO\" "
			 "\"$ASLRT_TEST_KEEP\" \"$ASLRT_TEST_NEW\"\n");
	setenv("FOO", "old", 1);
	setenv("ASLRT_TEST_KEEP", "yes", 1);
	unsetenv("ASLRT_TEST_NEW");
	struct aslrt_bindings *b = load(
		"{\"arn:x:env\":{\"command\":[\"./env.sh\"],"
		"\"env\":{\"FOO\":\"bar baz\",\"ASLRT_TEST_NEW\":\"x=y\"}},"
		"\"arn:x:plain\":{\"command\":[\"./env.sh\"]}}");
	assert_result(b, "arn:x:env", "{}",
		      "{\"foo\":\"bar baz\",\"keep\":\"yes\",\"new\":\"x=y\"}");
	assert_result(b, "arn:x:plain", "{}", "{\"foo\":\"old\",\"keep\":\"yes\",\"new\":\"\"}");
	/* our own environment is untouched */
	ck_assert_str_eq(getenv("FOO"), "old");
	ck_assert_ptr_null(getenv("ASLRT_TEST_NEW"));
	rt_bindings_free(b);
}
END_TEST

START_TEST(which_entry_serves)
{
	struct aslrt_bindings *b = load(
		"{\"arn:aws:lambda:*:*:function:*\":{\"command\":[\"sh\",\"-c\",\"echo 1\"]},"
		"\"arn:aws:lambda:us-east-1:*:function:pay\":{\"command\":[\"sh\",\"-c\",\"echo 2\"]},"
		"\"arn:aws:lambda:us-east-1:123:function:pay\":{\"command\":[\"sh\",\"-c\",\"echo 3\"]},"
		"\"arn:aws:states:::lambda:invoke\":{\"command\":[\"sh\",\"-c\",\"echo 4\"]}}");
	ck_assert_int_eq(rt_bindings_has(b, "arn:aws:lambda:us-east-1:123:function:pay"), 1);
	ck_assert_int_eq(rt_bindings_has(b, "arn:aws:lambda:eu-west-1:9:function:ship"), 1);
	ck_assert_int_eq(rt_bindings_has(b, "arn:aws:states:::lambda:invoke"), 1);
	ck_assert_int_eq(rt_bindings_has(b, "arn:aws:states:::sqs:sendMessage"), 0);
	ck_assert_int_eq(rt_bindings_has(b, NULL), 0);
	ck_assert_int_eq(rt_bindings_has(NULL, "arn:aws:states:::lambda:invoke"), 0);
	/* exact key first */
	assert_result(b, "arn:aws:lambda:us-east-1:123:function:pay", "{}", "3");
	/* else the first matching glob in file order */
	assert_result(b, "arn:aws:lambda:us-east-1:456:function:pay", "{}", "1");
	assert_result(b, "arn:aws:states:::lambda:invoke", "{}", "4");
	rt_bindings_free(b);
}
END_TEST

START_TEST(empty_file_and_free_null)
{
	struct aslrt_bindings *b = load("{}");
	ck_assert_int_eq(rt_bindings_has(b, "arn:x"), 0);
	rt_bindings_free(b);
	rt_bindings_free(NULL);
}
END_TEST

START_TEST(missing_file)
{
	char *path = td_path(dir, "nope.json");
	char *why = NULL;
	ck_assert_ptr_null(rt_bindings_load(path, &why));
	char expect[512];
	snprintf(expect, sizeof expect, "%s: cannot read: No such file or directory", path);
	ck_assert_str_eq(why, expect);
	rt_free(why);
	free(path);
}
END_TEST

struct bad {
	const char *text;
	const char *message;
};

static const struct bad bad[] = {
	{ "{\"a\":{\"command\":[\"x\"]},}", "not valid JSON at line 1, column 25" },
	{ "{\"a\":\n {\"command\":[\"x\"]}", "not valid JSON at line 2, column 19" },
	{ "[]", "the top level must be an object mapping resources (or globs) to bindings" },
	{ "{\"a\":{\"command\":[\"x\"]},\"a\":{\"command\":[\"y\"]}}",
	  "binding \"a\" is defined twice" },
	{ "{\"\":{\"command\":[\"x\"]}}", "a binding's resource pattern must not be empty" },
	{ "{\"a\":[\"x\"]}", "binding \"a\": must be an object with a field command" },
	{ "{\"a\":{}}", "binding \"a\": missing field command" },
	{ "{\"a\":{\"command\":\"x\"}}",
	  "binding \"a\": command must be a non-empty array of strings (the program and its "
	  "arguments)" },
	{ "{\"a\":{\"command\":[]}}",
	  "binding \"a\": command must be a non-empty array of strings (the program and its "
	  "arguments)" },
	{ "{\"a\":{\"command\":[\"x\",1]}}", "binding \"a\": command[1] must be a string" },
	{ "{\"a\":{\"command\":[\"\"]}}",
	  "binding \"a\": command[0] (the program) must not be empty" },
	{ "{\"a\":{\"command\":[\"x\"],\"timeout\":0}}",
	  "binding \"a\": timeout must be a positive number of seconds" },
	{ "{\"a\":{\"command\":[\"x\"],\"timeout\":\"5\"}}",
	  "binding \"a\": timeout must be a positive number of seconds" },
	{ "{\"a\":{\"command\":[\"x\"],\"env\":[]}}", "binding \"a\": env must be an object of strings" },
	{ "{\"a\":{\"command\":[\"x\"],\"env\":{\"K\":1}}}", "binding \"a\": env.K must be a string" },
	{ "{\"a\":{\"command\":[\"x\"],\"env\":{\"K=V\":\"1\"}}}",
	  "binding \"a\": env name \"K=V\" must be non-empty and must not contain '='" },
	{ "{\"a\":{\"command\":[\"x\"],\"env\":{\"\":\"1\"}}}",
	  "binding \"a\": env name \"\" must be non-empty and must not contain '='" },
	{ "{\"a\":{\"command\":[\"x\"],\"env\":{\"K\":\"1\",\"K\":\"2\"}}}",
	  "binding \"a\": env.K is given twice" },
	{ "{\"a\":{\"command\":[\"x\"],\"cmd\":[\"y\"]}}",
	  "binding \"a\": unknown field \"cmd\" (expected command, timeout, env)" },
	{ "{\"a\":{\"command\":[\"x\"],\"command\":[\"y\"]}}",
	  "binding \"a\": field command is given twice" },
};

START_TEST(malformed)
{
	char *path = td_write(dir, "bindings.json", bad[_i].text, 0644);
	char *why = NULL;
	ck_assert_ptr_null(rt_bindings_load(path, &why));
	ck_assert_ptr_nonnull(why);
	char expect[1024];
	snprintf(expect, sizeof expect, "%s: %s", path, bad[_i].message);
	ck_assert_str_eq(why, expect);
	rt_free(why);
	free(path);
}
END_TEST

int main(void)
{
	rt_alloc_init();
	Suite *s = suite_create("bindings");
	TCase *load_tc = tcase_create("load");
	tcase_add_checked_fixture(load_tc, setup, teardown);
	tcase_add_test(load_tc, which_entry_serves);
	tcase_add_test(load_tc, empty_file_and_free_null);
	tcase_add_test(load_tc, missing_file);
	tcase_add_loop_test(load_tc, malformed, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, load_tc);
	TCase *run_tc = tcase_create("run");
	tcase_add_checked_fixture(run_tc, setup, teardown);
	tcase_set_timeout(run_tc, 30);
	tcase_add_test(run_tc, success_relative_to_file);
	tcase_add_test(run_tc, arguments_and_path_search);
	tcase_add_test(run_tc, failure_json);
	tcase_add_test(run_tc, failure_without_json);
	tcase_add_test(run_tc, stderr_tail_is_bounded);
	tcase_add_test(run_tc, garbage_output);
	tcase_add_test(run_tc, cannot_execute);
	tcase_add_test(run_tc, timeouts);
	tcase_add_test(run_tc, large_output);
	tcase_add_test(run_tc, large_input_and_output_together);
	tcase_add_test(run_tc, environment);
	suite_add_tcase(s, run_tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
