/*
 * test_mock.c - MockConfigFile loading (runtime/mock.c): the AWS documentation's
 * example, invocation keys and ranges, and the message for every malformed part.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"
#include "tmpdir.h"

/* The example of "Configuration file for mocked service integrations". */
static const char doc_example[] =
	"{\n"
	"  \"StateMachines\":{\n"
	"    \"LambdaSQSIntegration\":{\n"
	"      \"TestCases\":{\n"
	"        \"HappyPath\":{\n"
	"          \"LambdaState\":\"MockedLambdaSuccess\",\n"
	"          \"SQSState\":\"MockedSQSSuccess\"\n"
	"        },\n"
	"        \"RetryPath\":{\n"
	"          \"LambdaState\":\"MockedLambdaRetry\",\n"
	"          \"SQSState\":\"MockedSQSSuccess\"\n"
	"        },\n"
	"        \"HybridPath\":{\n"
	"          \"LambdaState\":\"MockedLambdaSuccess\"\n"
	"        }\n"
	"      }\n"
	"    }\n"
	"  },\n"
	"  \"MockedResponses\":{\n"
	"    \"MockedLambdaSuccess\":{\n"
	"      \"0\":{\"Return\":{\"StatusCode\":200,\"Payload\":{\"StatusCode\":200,"
	"\"body\":\"Hello from Lambda!\"}}}\n"
	"    },\n"
	"    \"LambdaMockedResourceNotReady\":{\n"
	"      \"0\":{\"Throw\":{\"Error\":\"Lambda.ResourceNotReadyException\","
	"\"Cause\":\"Lambda resource is not ready.\"}}\n"
	"    },\n"
	"    \"MockedSQSSuccess\":{\n"
	"      \"0\":{\"Return\":{\"MD5OfMessageBody\":\"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51\","
	"\"MessageId\":\"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51\"}}\n"
	"    },\n"
	"    \"MockedLambdaRetry\":{\n"
	"      \"0\":{\"Throw\":{\"Error\":\"Lambda.ResourceNotReadyException\","
	"\"Cause\":\"Lambda resource is not ready.\"}},\n"
	"      \"1-2\":{\"Throw\":{\"Error\":\"Lambda.TimeoutException\","
	"\"Cause\":\"Lambda timed out.\"}},\n"
	"      \"3\":{\"Return\":{\"StatusCode\":200,\"Payload\":{\"StatusCode\":200,"
	"\"body\":\"Hello from Lambda!\"}}}\n"
	"    }\n"
	"  }\n"
	"}\n";

/* A one-machine, one-test-case file: SM(test case) MR(response R). */
#define SM(tc) "{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":" tc "}}},"
#define MR(r) "\"MockedResponses\":{\"R\":" r "}}"
#define OK_TC "{\"S\":\"R\"}"
#define OK_R "{\"0\":{\"Return\":1}}"

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

/* Load text as a mock file; returns the mock (NULL with *why on failure). */
static struct aslrt_mock *load_text(const char *text, const char *machine, const char *tc,
				    char **why, char **path)
{
	*path = td_write(dir, "MockConfigFile.json", text, 0644);
	return rt_mock_load(*path, machine, tc, why);
}

/* Assert that the response of state for invocation n is Return equal to json. */
static void assert_return(const struct aslrt_mock *mk, const char *state, int n,
			  const char *json)
{
	const cJSON *ret = (const cJSON *)1, *thrown = (const cJSON *)1;
	ck_assert_int_eq(rt_mock_response(mk, state, n, &ret, &thrown), 1);
	ck_assert_ptr_null(thrown);
	ck_assert_ptr_nonnull(ret);
	char *s = cJSON_PrintUnformatted(ret);
	ck_assert_str_eq(s, json);
	cJSON_free(s);
}

static void assert_throw(const struct aslrt_mock *mk, const char *state, int n,
			 const char *error, const char *cause)
{
	const cJSON *ret = (const cJSON *)1, *thrown = NULL;
	ck_assert_int_eq(rt_mock_response(mk, state, n, &ret, &thrown), 1);
	ck_assert_ptr_null(ret);
	ck_assert_ptr_nonnull(thrown);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(thrown, "Error")->valuestring, error);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(thrown, "Cause")->valuestring, cause);
}

static void assert_none(const struct aslrt_mock *mk, const char *state, int n, int expect)
{
	const cJSON *ret = (const cJSON *)1, *thrown = (const cJSON *)1;
	ck_assert_int_eq(rt_mock_response(mk, state, n, &ret, &thrown), expect);
	ck_assert_ptr_null(ret);
	ck_assert_ptr_null(thrown);
}

START_TEST(doc_happy_path)
{
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(doc_example, "LambdaSQSIntegration", "HappyPath",
					  &why, &path);
	ck_assert_ptr_null(why);
	ck_assert_ptr_nonnull(mk);
	ck_assert_int_eq(rt_mock_has(mk, "LambdaState"), 1);
	ck_assert_int_eq(rt_mock_has(mk, "SQSState"), 1);
	ck_assert_int_eq(rt_mock_has(mk, "Other"), 0);
	ck_assert_int_eq(rt_mock_has(mk, NULL), 0);
	/* Return is the Task's result as is: the whole Invoke response. */
	assert_return(mk, "LambdaState", 0,
		      "{\"StatusCode\":200,\"Payload\":{\"StatusCode\":200,"
		      "\"body\":\"Hello from Lambda!\"}}");
	assert_return(mk, "SQSState", 0,
		      "{\"MD5OfMessageBody\":\"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51\","
		      "\"MessageId\":\"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51\"}");
	assert_none(mk, "LambdaState", 1, -1);
	assert_none(mk, "LambdaState", -1, -1);
	assert_none(mk, "Other", 0, 0);
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(doc_retry_path_ranges)
{
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(doc_example, "LambdaSQSIntegration", "RetryPath",
					  &why, &path);
	ck_assert_ptr_nonnull(mk);
	assert_throw(mk, "LambdaState", 0, "Lambda.ResourceNotReadyException",
		     "Lambda resource is not ready.");
	assert_throw(mk, "LambdaState", 1, "Lambda.TimeoutException", "Lambda timed out.");
	assert_throw(mk, "LambdaState", 2, "Lambda.TimeoutException", "Lambda timed out.");
	assert_return(mk, "LambdaState", 3,
		      "{\"StatusCode\":200,\"Payload\":{\"StatusCode\":200,"
		      "\"body\":\"Hello from Lambda!\"}}");
	assert_none(mk, "LambdaState", 4, -1);
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(doc_hybrid_path)
{
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(doc_example, "LambdaSQSIntegration", "HybridPath",
					  &why, &path);
	ck_assert_ptr_nonnull(mk);
	ck_assert_int_eq(rt_mock_has(mk, "LambdaState"), 1);
	ck_assert_int_eq(rt_mock_has(mk, "SQSState"), 0);
	assert_none(mk, "SQSState", 0, 0);
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(keys_and_wide_ranges)
{
	static const char text[] =
		"{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{\"A\":\"R\",\"B\":\"R\"}}}},"
		"\"MockedResponses\":{\"R\":{\"5-2147483647\":{\"Return\":null},"
		"\"0-0\":{\"Return\":0},\"1-4\":{\"Return\":[1]}}}}";
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(text, "M", "T", &why, &path);
	ck_assert_ptr_null(why);
	ck_assert_ptr_nonnull(mk);
	assert_return(mk, "A", 0, "0");
	assert_return(mk, "A", 1, "[1]");
	assert_return(mk, "A", 4, "[1]");
	assert_return(mk, "A", 5, "null");
	assert_return(mk, "B", 2147483647, "null");
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(empty_test_case)
{
	static const char text[] =
		"{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{}}}},\"MockedResponses\":{}}";
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(text, "M", "T", &why, &path);
	ck_assert_ptr_nonnull(mk);
	ck_assert_int_eq(rt_mock_has(mk, "A"), 0);
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(empty_response)
{
	/* mocked, but no invocation has a response: a state a test never reaches */
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(SM(OK_TC) MR("{}"), "M", "T", &why, &path);
	ck_assert_ptr_null(why);
	ck_assert_ptr_nonnull(mk);
	ck_assert_int_eq(rt_mock_has(mk, "S"), 1);
	assert_none(mk, "S", 0, -1);
	rt_mock_free(mk);
	free(path);
}
END_TEST

START_TEST(null_mock)
{
	const cJSON *ret, *thrown;
	ck_assert_int_eq(rt_mock_has(NULL, "A"), 0);
	ck_assert_int_eq(rt_mock_response(NULL, "A", 0, &ret, &thrown), 0);
	rt_mock_free(NULL);
}
END_TEST

START_TEST(missing_file)
{
	char *why = NULL;
	char *path = td_path(dir, "nope.json");
	ck_assert_ptr_null(rt_mock_load(path, "M", "T", &why));
	char expect[512];
	snprintf(expect, sizeof expect, "%s: cannot read: No such file or directory", path);
	ck_assert_str_eq(why, expect);
	rt_free(why);
	free(path);
}
END_TEST

/* One malformed file: machine and test case asked for, and the message after
 * "PATH: ". */
struct bad {
	const char *text;
	const char *machine, *tc;
	const char *message;
};


static const struct bad bad[] = {
	{ "{\n  \"StateMachines\": ,\n}", "M", "T",
	  "not valid JSON at line 2, column 20" },
	{ "{\"StateMachines\": {", "M", "T",
	  "not valid JSON at line 1, column 20" },
	{ "", "M", "T", "empty (no JSON value)" },
	{ "[]", "M", "T",
	  "the top level must be an object with fields StateMachines and MockedResponses" },
	{ "{\"StateMachines\":{},\"MockedResponses\":{},\"Comment\":1}", "M", "T",
	  "unknown top-level field \"Comment\" (expected StateMachines and MockedResponses)" },
	{ "{\"MockedResponses\":{}}", "M", "T", "missing top-level field StateMachines" },
	{ "{\"StateMachines\":[],\"MockedResponses\":{}}", "M", "T",
	  "StateMachines must be an object" },
	{ "{\"StateMachines\":{}}", "M", "T", "missing top-level field MockedResponses" },
	{ "{\"StateMachines\":{},\"MockedResponses\":1}", "M", "T",
	  "MockedResponses must be an object" },
	{ "{\"StateMachines\":{},\"MockedResponses\":{}}", "M", "T",
	  "no state machine named \"M\" in StateMachines" },
	{ SM(OK_TC) MR(OK_R), "M", "Sad",
	  "state machine \"M\" has no test case named \"Sad\"" },
	{ "{\"StateMachines\":{\"M\":{}},\"MockedResponses\":{}}", "M", "T",
	  "state machine \"M\": missing field TestCases" },
	{ "{\"StateMachines\":{\"M\":1},\"MockedResponses\":{}}", "M", "T",
	  "state machine \"M\": must be an object with a field TestCases" },
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":[]}},\"MockedResponses\":{}}", "M", "T",
	  "state machine \"M\": TestCases must be an object" },
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":{},\"X\":1}},\"MockedResponses\":{}}", "M",
	  "T", "state machine \"M\": unknown field \"X\" (expected TestCases)" },
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":{}},\"M\":{\"TestCases\":{}}},"
	  "\"MockedResponses\":{}}", "M", "T",
	  "state machine \"M\" is defined twice in StateMachines" },
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{},\"T\":{}}}},"
	  "\"MockedResponses\":{}}", "M", "T",
	  "state machine \"M\": test case \"T\" is defined twice" },
	{ SM("[]") MR(OK_R), "M", "T",
	  "test case \"T\" of state machine \"M\": must be an object mapping state names to "
	  "mocked response names" },
	{ SM("{\"S\":1}") MR(OK_R), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": the mocked response name must "
	  "be a string" },
	{ SM("{\"S\":\"Nope\"}") MR(OK_R), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"Nope\" is not "
	  "defined in MockedResponses" },
	{ SM("{\"S\":\"R\",\"S\":\"R\"}") MR(OK_R), "M", "T",
	  "test case \"T\" of state machine \"M\": state \"S\" is listed twice" },
	{ SM(OK_TC) "\"MockedResponses\":{\"R\":{\"0\":{\"Return\":1}},\"R\":{}}}", "M", "T",
	  "mocked response \"R\" is defined twice in MockedResponses" },
	{ SM(OK_TC) MR("[]"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\": must be "
	  "an object mapping invocation numbers to responses" },
	{ SM(OK_TC) MR("{\"first\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"first\": not an invocation number or range (expected e.g. \"0\", \"3\" or "
	  "\"1-2\")" },
	{ SM(OK_TC) MR("{\"-1\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"-1\": not an invocation number or range (expected e.g. \"0\", \"3\" or \"1-2\")" },
	{ SM(OK_TC) MR("{\"1-\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"1-\": not an invocation number or range (expected e.g. \"0\", \"3\" or \"1-2\")" },
	{ SM(OK_TC) MR("{\" 1\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\" 1\": not an invocation number or range (expected e.g. \"0\", \"3\" or \"1-2\")" },
	{ SM(OK_TC) MR("{\"2147483648\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"2147483648\": not an invocation number or range (expected e.g. \"0\", \"3\" or "
	  "\"1-2\")" },
	{ SM(OK_TC) MR("{\"3-1\":{\"Return\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"3-1\": the range starts after it ends" },
	{ SM(OK_TC) MR("{\"0-2\":{\"Return\":1},\"2\":{\"Return\":2}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"2\": invocation 2 is also covered by key \"0-2\"" },
	{ SM(OK_TC) MR("{\"1-4\":{\"Return\":1},\"0-2\":{\"Return\":2}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0-2\": invocation 1 is also covered by key \"1-4\"" },
	{ SM(OK_TC) MR("{\"0\":{\"Return\":1,\"Throw\":{\"Error\":\"E\",\"Cause\":\"C\"}}}"),
	  "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": has both Return and Throw (exactly one is allowed)" },
	{ SM(OK_TC) MR("{\"0\":{}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": must be an object with a single field Return or Throw" },
	{ SM(OK_TC) MR("{\"0\":5}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": must be an object with a single field Return or Throw" },
	{ SM(OK_TC) MR("{\"0\":{\"Retrun\":1}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": unknown field \"Retrun\" (expected Return or Throw)" },
	{ SM(OK_TC) MR("{\"0\":{\"Return\":1,\"Return\":2}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": field Return is given twice" },
	{ SM(OK_TC) MR("{\"0\":{\"Throw\":\"E\"}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": Throw must be an object with string fields Error and Cause" },
	{ SM(OK_TC) MR("{\"0\":{\"Throw\":{\"Cause\":\"C\"}}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": Throw.Error must be a string" },
	{ SM(OK_TC) MR("{\"0\":{\"Throw\":{\"Error\":\"E\"}}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": Throw.Cause must be a string" },
	{ SM(OK_TC) MR("{\"0\":{\"Throw\":{\"Error\":1,\"Cause\":\"C\"}}}"), "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": Throw.Error must be a string" },
	{ SM(OK_TC) MR("{\"0\":{\"Throw\":{\"Error\":\"E\",\"Cause\":\"C\",\"Code\":1}}}"),
	  "M", "T",
	  "test case \"T\" of state machine \"M\", state \"S\": mocked response \"R\", key "
	  "\"0\": Throw has unknown field \"Code\" (expected Error and Cause)" },
	/* A malformed response no test case uses is still reported. */
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{}}}},"
	  "\"MockedResponses\":{\"Unused\":{\"x\":{\"Return\":1}}}}", "M", "T",
	  "mocked response \"Unused\", key \"x\": not an invocation number or range (expected "
	  "e.g. \"0\", \"3\" or \"1-2\")" },
	/* So is a malformed test case of another machine. */
	{ "{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{}}},"
	  "\"N\":{\"TestCases\":{\"U\":{\"S\":\"Gone\"}}}},\"MockedResponses\":{}}", "M", "T",
	  "test case \"U\" of state machine \"N\", state \"S\": mocked response \"Gone\" is not "
	  "defined in MockedResponses" },
};

START_TEST(malformed)
{
	const struct bad *b = &bad[_i];
	char *why = NULL, *path;
	struct aslrt_mock *mk = load_text(b->text, b->machine, b->tc, &why, &path);
	ck_assert_ptr_null(mk);
	ck_assert_ptr_nonnull(why);
	char expect[1024];
	snprintf(expect, sizeof expect, "%s: %s", path, b->message);
	ck_assert_str_eq(why, expect);
	rt_free(why);
	free(path);
}
END_TEST

int main(void)
{
	rt_alloc_init();
	Suite *s = suite_create("mock");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, doc_happy_path);
	tcase_add_test(tc, doc_retry_path_ranges);
	tcase_add_test(tc, doc_hybrid_path);
	tcase_add_test(tc, keys_and_wide_ranges);
	tcase_add_test(tc, empty_test_case);
	tcase_add_test(tc, empty_response);
	tcase_add_test(tc, null_mock);
	tcase_add_test(tc, missing_file);
	tcase_add_loop_test(tc, malformed, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
