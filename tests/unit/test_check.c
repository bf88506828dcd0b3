/* Unit tests of compiler/check.c: each rule reports the right code, place and
 * pointer, and every problem of a definition is reported in one run. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "load.h"
#include "strmap.h"
#include "utf8.h"

int asl_json_parse_text(const char *text, size_t len, struct asl_json_parse *ctx);

struct run {
	struct asl_diags d;
	struct asl_json *j;
	struct asl_ir ir;
	int rc;
};

static void check_text(struct run *r, const char *text)
{
	memset(r, 0, sizeof *r);
	r->d.file = "t.asl.json";
	r->ir.name = "t";
	r->ir.file = "t.asl.json";
	r->j = asl_load_text(text, strlen(text), &r->d);
	ck_assert_msg(r->j != NULL, "definition must parse");
	r->rc = asl_check(r->j, &r->ir, &r->d);
}

static void done(struct run *r)
{
	asl_ir_free(&r->ir);
	asl_json_free(r->j);
	asl_diag_free(&r->d);
}

/* The diagnostic with this code and pointer must exist at line:col. */
static void expect(struct run *r, const char *code, const char *pointer, int line, int col)
{
	for (int i = 0; i < r->d.n; i++)
		if (strcmp(r->d.v[i].code, code) == 0 && strcmp(r->d.v[i].pointer, pointer) == 0) {
			ck_assert_int_eq(r->d.v[i].loc.line, line);
			ck_assert_int_eq(r->d.v[i].loc.col, col);
			return;
		}
	for (int i = 0; i < r->d.n; i++)
		fprintf(stderr, "  have %s %s %d:%d %s\n", r->d.v[i].code, r->d.v[i].pointer,
			r->d.v[i].loc.line, r->d.v[i].loc.col, r->d.v[i].msg);
	ck_abort_msg("no %s at %s", code, pointer);
}

START_TEST(valid_machine_builds_ir)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {"
		       "\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:f\","
		       "  \"Retry\": [{\"ErrorEquals\": [\"E\"], \"MaxAttempts\": 0}],"
		       "  \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"C\"}], \"Next\": \"B\"},"
		       "\"B\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.x\", \"NumericEquals\": 1,"
		       "  \"Next\": \"C\"}], \"Default\": \"D\"},"
		       "\"C\": {\"Type\": \"Succeed\"}, \"D\": {\"Type\": \"Fail\", \"Error\": \"E\"}}}");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(r.d.n, 0);
	ck_assert_int_eq(r.ir.nstates, 4);
	ck_assert_int_eq(r.ir.start, 0);
	ck_assert_int_eq(r.ir.states[0].s.next, 1);
	ck_assert_int_eq(r.ir.states[0].s.nretry, 1);
	ck_assert_int_eq(r.ir.states[0].s.retry[0].max_attempts, 0);
	ck_assert(r.ir.states[0].s.retry[0].interval_s == 1.0);
	ck_assert(r.ir.states[0].s.retry[0].backoff_rate == 2.0);
	ck_assert_int_eq(r.ir.states[0].s.catchers[0].next, 2);
	ck_assert_int_eq(r.ir.states[1].nrules, 1);
	ck_assert_int_eq(r.ir.states[1].rules[0].next, 2);
	ck_assert_int_eq(r.ir.states[1].s.default_next, 3);
	ck_assert_int_eq(r.ir.nresources, 1);
	ck_assert_str_eq(r.ir.states[1].s.pointer, "/States/B");
	done(&r);
}
END_TEST

START_TEST(every_problem_in_one_run)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\",\n"
		       " \"States\": {\n"
		       "  \"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\", \"Bogus\": 1},\n"
		       "  \"B\": {\"Type\": \"Wait\", \"End\": true},\n"
		       "  \"C\": {\"Type\": \"Task\", \"End\": true, \"Next\": \"A\"}\n"
		       "}}");
	ck_assert_int_ne(r.rc, 0);
	expect(&r, "MISSING_TRANSITION_TARGET", "/States/A/Next", 3, 33);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Bogus", 3, 50);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/B", 4, 8);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/C", 5, 8);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/C/End", 5, 32);
	ck_assert_int_eq(r.d.errors, 5);
	done(&r);
}
END_TEST

START_TEST(start_at_and_terminal)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"X\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}");
	expect(&r, "MISSING_TRANSITION_TARGET", "/StartAt", 1, 13);
	done(&r);
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"},"
		       "\"B\": {\"Type\": \"Pass\", \"Next\": \"A\"}}}");
	expect(&r, "MISSING_END_STATE", "/States", 1, 28);
	done(&r);
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"},\n"
		       "\"Lost\": {\"Type\": \"Succeed\"}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/Lost", 2, 1);
	done(&r);
}
END_TEST

START_TEST(paths_and_choice_rules)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\n"
		       "\"A\": {\"Type\": \"Pass\", \"ResultPath\": \"$.a[*]\", \"Next\": \"B\"},\n"
		       "\"B\": {\"Type\": \"Choice\", \"Choices\": [\n"
		       " {\"Variable\": \"$.x\", \"NumericEquals\": \"1\", \"Next\": \"C\"},\n"
		       " {\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"IsNull\": true, \"Next\": \"C\"},\n"
		       " {\"Not\": {\"Variable\": \"$.x\", \"IsPresent\": true, \"Next\": \"C\"}, \"Next\": \"C\"},\n"
		       " {\"Variable\": \"$.t\", \"TimestampEquals\": \"yesterday\", \"Next\": \"C\"}]},\n"
		       "\"C\": {\"Type\": \"Succeed\"}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/ResultPath", 2, 37);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/B/Choices/0/NumericEquals", 4, 39);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/B/Choices/1", 5, 53);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/B/Choices/2/Not/Next", 6, 57);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/B/Choices/3/TimestampEquals", 7, 41);
	done(&r);
}
END_TEST

START_TEST(retry_rules)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\",\n"
		       "\"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:f\", \"End\": true,\n"
		       "\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, {\"ErrorEquals\": [\"X\"],\n"
		       " \"BackoffRate\": 0.5, \"IntervalSeconds\": 0, \"JitterStrategy\": \"SOME\"}]}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Retry/0/ErrorEquals", 3, 27);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Retry/1/BackoffRate", 4, 17);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Retry/1/IntervalSeconds", 4, 41);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Retry/1/JitterStrategy", 4, 62);
	done(&r);
}
END_TEST

START_TEST(wait_needs_exactly_one)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": 1,"
		       " \"SecondsPath\": \"$.s\", \"End\": true}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A", 1, 34);
	done(&r);
}
END_TEST

START_TEST(mangled_names_are_unique)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"a b\", \"States\": {\"a b\": {\"Type\": \"Pass\", \"Next\": \"a-b\"},"
		       "\"a-b\": {\"Type\": \"Pass\", \"Next\": \"1x\"}, \"1x\": {\"Type\": \"Succeed\"}}}");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.ir.states[0].cname, "a_b");
	ck_assert_str_eq(r.ir.states[1].cname, "a_b_2");
	ck_assert_str_eq(r.ir.states[2].cname, "_1x");
	done(&r);
}
END_TEST

START_TEST(variables_scope_and_flow)
{
	struct run r;
	/* read before any path assigns it; assigned only on one branch is fine */
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\n"
		       "\"A\": {\"Type\": \"Pass\", \"Parameters\": {\"v.$\": \"$late\"}, \"Next\": \"B\"},\n"
		       "\"B\": {\"Type\": \"Pass\", \"Assign\": {\"late\": 1}, \"Next\": \"C\"},\n"
		       "\"C\": {\"Type\": \"Pass\", \"Parameters\": {\"v.$\": \"$nowhere\"}, \"End\": true}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A", 2, 1);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/C", 4, 1);
	ck_assert_int_eq(r.d.errors, 2);
	done(&r);
	/* a Map iteration may read but not assign an outer variable */
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\n"
		       "\"A\": {\"Type\": \"Pass\", \"Assign\": {\"x\": 1}, \"Next\": \"M\"},\n"
		       "\"M\": {\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": \"I\", \"States\": {\n"
		       "\"I\": {\"Type\": \"Pass\", \"Assign\": {\"x.$\": \"$x\"}, \"End\": true}}}, \"End\": true}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/States/I", 4, 1);
	ck_assert_int_eq(r.d.errors, 1);
	done(&r);
	/* bad names */
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\","
		       " \"Assign\": {\"9lives\": 1, \"states\": 2, \"ok_1\": 3}, \"End\": true}}}");
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Assign/9lives", 1, 72);
	expect(&r, "SCHEMA_VALIDATION_FAILED", "/States/A/Assign/states", 1, 85);
	ck_assert_int_eq(r.d.errors, 2);
	done(&r);
}
END_TEST


START_TEST(parser_stack_limit_is_a_diagnostic)
{
	/* Without the scanner's depth limit, bison's own stack (YYMAXDEPTH)
	 * runs out first: that must be a located TOO_DEEPLY_NESTED, not a crash. */
	size_t n = 40000;
	char *text = malloc(2 * n);
	memset(text, '[', n);
	memset(text + n, ']', n);
	struct asl_diags d = { .file = "t" };
	struct asl_json_parse ctx = { .diags = &d, .max_depth = 0 };
	ck_assert_int_ne(asl_json_parse_text(text, 2 * n, &ctx), 0);
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].code, "TOO_DEEPLY_NESTED");
	ck_assert_int_eq(d.v[0].loc.line, 1);
	asl_json_free(ctx.root);
	asl_diag_free(&d);
	/* With it, the bracket one level too deep is the place. */
	d = (struct asl_diags){ .file = "t" };
	ck_assert_ptr_null(asl_load_text(text, 2 * n, &d));
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].code, "TOO_DEEPLY_NESTED");
	ck_assert_int_eq(d.v[0].loc.col, ASL_JSON_MAX_DEPTH + 1);
	asl_diag_free(&d);
	free(text);
}
END_TEST

START_TEST(utf8_and_names)
{
	unsigned cp = 0;
	ck_assert_int_eq(asl_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	ck_assert_uint_eq(cp, 0xe9);
	ck_assert_int_eq(asl_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0);
	ck_assert_int_eq(asl_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	ck_assert_int_eq(asl_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	ck_assert_int_eq(asl_utf8_decode((const unsigned char *)"\xe2\x98", 2, &cp), 0);
	ck_assert_uint_eq(asl_utf8_count("caf\xc3\xa9"), 4);
	struct asl_diags d = { .file = "t" };
	asl_check_machine_name("ok-name_1", &d);
	ck_assert_int_eq(d.n, 0);
	asl_check_machine_name("", &d);
	asl_check_machine_name("a b", &d);
	char long_name[90];
	memset(long_name, 'x', 81);
	long_name[81] = '\0';
	asl_check_machine_name(long_name, &d);
	ck_assert_int_eq(d.n, 3);
	ck_assert_str_eq(d.v[0].code, "STATE_MACHINE_NAME_EMPTY");
	ck_assert_str_eq(d.v[1].code, "STATE_MACHINE_NAME_INVALID");
	ck_assert_str_eq(d.v[2].code, "STATE_MACHINE_NAME_TOO_LONG");
	asl_diag_free(&d);
}
END_TEST

START_TEST(strmap_many_keys)
{
	struct asl_strmap m = { 0 };
	static char keys[5000][8];
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		ck_assert_int_eq(asl_strmap_add(&m, keys[i], i), i);
	}
	ck_assert_int_eq(asl_strmap_add(&m, "k42", 7), 42);
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(asl_strmap_get(&m, keys[i]), i);
	ck_assert_int_eq(asl_strmap_get(&m, "k5000"), -1);
	asl_strmap_free(&m);
	ck_assert_int_eq(asl_strmap_get(&m, "k1"), -1);
}
END_TEST

START_TEST(transition_into_another_machine)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\n"
		       "\"A\": {\"Type\": \"Pass\", \"Next\": \"In\"},\n"
		       "\"P\": {\"Type\": \"Parallel\", \"End\": true, \"Branches\": [\n"
		       "  {\"StartAt\": \"In\", \"States\": {\"In\": {\"Type\": \"Pass\", \"Next\": \"A\"}}}]}}}");
	expect(&r, "MISSING_TRANSITION_TARGET", "/States/A/Next", 2, 31);
	expect(&r, "MISSING_TRANSITION_TARGET", "/States/P/Branches/0/States/In/Next", 4, 63);
	ck_assert_ptr_nonnull(strstr(r.d.v[0].msg, "/States/P/Branches/0/States/In"));
	ck_assert_int_eq(r.d.errors, 2);        /* no cascade of unreachable states */
	done(&r);
}
END_TEST

START_TEST(warnings_do_not_fail)
{
	struct run r;
	check_text(&r, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\",\n"
		       " \"Parameters\": {\"id\": \"$.id\"}, \"Result\": {\"k.$\": \"$.k\"},\n"
		       " \"Next\": \"L\"},\n"
		       "\"L\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.done\",\n"
		       " \"BooleanEquals\": true, \"Next\": \"Z\"}], \"Default\": \"A\"},\n"
		       "\"Z\": {\"Type\": \"Succeed\"}}}");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(r.d.errors, 0);
	expect(&r, "NO_DOLLAR", "/States/A/Parameters/id", 2, 23);
	expect(&r, "PASS_RESULT_IS_STATIC", "/States/A/Result/k.$", 2, 43);
	expect(&r, "BUSY_LOOP", "/States/A", 1, 29);
	ck_assert_int_eq(r.d.n, 3);
	done(&r);
}
END_TEST

START_TEST(json_response_shape)
{
	struct asl_diags d = { .file = "t" };
	asl_diag_add(&d, ASL_WARNING, (struct asl_loc){ 2, 1 }, "NO_PATH", "/States/A/Error", "w \"q\"\n");
	asl_diag_add(&d, ASL_ERROR, (struct asl_loc){ 1, 5 }, "INVALID_JSON_DESCRIPTION", "", "e\x01");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	asl_diag_print_json(&d, f, 1);
	fclose(f);
	ck_assert_str_eq(buf, "{\n  \"result\": \"FAIL\",\n  \"diagnostics\": [\n"
		"    {\"severity\": \"ERROR\", \"code\": \"INVALID_JSON_DESCRIPTION\", "
		"\"message\": \"e\\u0001\"},\n"
		"    {\"severity\": \"WARNING\", \"code\": \"NO_PATH\", \"message\": "
		"\"w \\\"q\\\"\\u000a\", \"location\": \"/States/A/Error\"}\n"
		"  ],\n  \"truncated\": false\n}\n");
	free(buf);
	asl_diag_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("check");
	tcase_add_test(tc, valid_machine_builds_ir);
	tcase_add_test(tc, every_problem_in_one_run);
	tcase_add_test(tc, start_at_and_terminal);
	tcase_add_test(tc, paths_and_choice_rules);
	tcase_add_test(tc, retry_rules);
	tcase_add_test(tc, wait_needs_exactly_one);
	tcase_add_test(tc, mangled_names_are_unique);
	tcase_add_test(tc, variables_scope_and_flow);
	tcase_add_test(tc, parser_stack_limit_is_a_diagnostic);
	tcase_add_test(tc, utf8_and_names);
	tcase_add_test(tc, strmap_many_keys);
	tcase_add_test(tc, transition_into_another_machine);
	tcase_add_test(tc, warnings_do_not_fail);
	tcase_add_test(tc, json_response_shape);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
