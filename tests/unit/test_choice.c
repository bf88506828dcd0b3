/*
 * test_choice.c - unit tests of runtime/choice.c: every data-test operator of
 * a Choice rule (rt_cond_test) and StringMatches patterns (rt_string_matches),
 * with the examples of the AWS "Choice workflow state" page and the edge cases
 * around types, numbers, strings and timestamps.
 */
#include "rt.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

/* Stands for the `...Path` operand: rt_cond_test only checks it is set. */
static const struct aslrt_path bar_path = { "$.bar", ASLRT_ROOT_INPUT, NULL, 0, NULL, 1 };

/* Parse JSON text that must be valid; free with cJSON_Delete. */
static cJSON *js(const char *text)
{
	cJSON *v = cJSON_Parse(text);

	ck_assert_msg(v != NULL, "bad JSON in test: %s", text);
	return v;
}

/* The truth of a constant test op/operand against the JSON value `var`. */
static int test_str(enum aslrt_cop op, const char *var, const char *operand)
{
	struct aslrt_cond c = { .op = op, .str = operand };
	cJSON *v = js(var);
	int r = rt_cond_test(&c, v, NULL);

	cJSON_Delete(v);
	return r;
}

static int test_num(enum aslrt_cop op, const char *var, double operand)
{
	struct aslrt_cond c = { .op = op, .num = operand };
	cJSON *v = js(var);
	int r = rt_cond_test(&c, v, NULL);

	cJSON_Delete(v);
	return r;
}

/* Boolean operand: BooleanEquals, or the expected truth of an Is* test. */
static int test_bool(enum aslrt_cop op, const char *var, int operand)
{
	struct aslrt_cond c = { .op = op, .boolean = operand };
	cJSON *v = var ? js(var) : NULL;
	int r = rt_cond_test(&c, v, NULL);

	cJSON_Delete(v);
	return r;
}

static int test_ts(enum aslrt_cop op, const char *var, const char *operand)
{
	struct aslrt_cond c = { .op = op };
	cJSON *v = js(var);
	int r;

	ck_assert_int_eq(rt_time_parse(operand, &c.ts), 0);
	r = rt_cond_test(&c, v, NULL);
	cJSON_Delete(v);
	return r;
}

/* A `...Path` test: var and rhs are JSON texts, rhs NULL = nothing selected. */
static int test_path(enum aslrt_cop op, const char *var, const char *rhs)
{
	struct aslrt_cond c = { .op = op, .rhs_path = &bar_path };
	cJSON *v = js(var), *r = rhs ? js(rhs) : NULL;
	int res = rt_cond_test(&c, v, r);

	cJSON_Delete(v);
	cJSON_Delete(r);
	return res;
}

/* ------------------------------------------------- the AWS page's rules */

START_TEST(aws_choice_state_example)
{
	/* Input {"type": "Private", "value": 22} goes to ValueInTwenties:
	 * Not(StringEquals "Private") is false, NumericEquals 0 is false, and
	 * NumericGreaterThanEquals 20 And NumericLessThan 30 is true. */
	cJSON *in = js("{\"type\": \"Private\", \"value\": 22}");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(in, "type");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(in, "value");
	struct aslrt_cond not_private = { .op = ASLRT_C_STRING_EQ, .str = "Private" };
	struct aslrt_cond zero = { .op = ASLRT_C_NUMERIC_EQ, .num = 0 };
	struct aslrt_cond ge20 = { .op = ASLRT_C_NUMERIC_GE, .num = 20 };
	struct aslrt_cond lt30 = { .op = ASLRT_C_NUMERIC_LT, .num = 30 };

	ck_assert_int_eq(!rt_cond_test(&not_private, type, NULL), 0);
	ck_assert_int_eq(rt_cond_test(&zero, value, NULL), 0);
	ck_assert_int_eq(rt_cond_test(&ge20, value, NULL), 1);
	ck_assert_int_eq(rt_cond_test(&lt30, value, NULL), 1);
	cJSON_Delete(in);
}
END_TEST

START_TEST(aws_rule_examples)
{
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "1", 1), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"MyString\"", "MyString"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"MyStringABD\"", "MyStringABC"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"MyStringABC\"", "MyStringABC"), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "null", 1), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_MATCHES, "\"log-2021.txt\"", "log-*.txt"), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"",
				 "2001-01-01T12:00:00Z"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"x\"", "\"x\""), 1);
}
END_TEST

START_TEST(aws_is_present_guards_string_equals)
{
	/* And [IsPresent true, StringEquals "foo"] on $.keyThatMightNotExist:
	 * absent, IsPresent is false (and the StringEquals is never reached). */
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, NULL, 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, "\"foo\"", 1), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"foo\"", "foo"), 1);
}
END_TEST

/* --------------------------------------------------------------- strings */

START_TEST(string_comparisons)
{
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"abc\"", "abc"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"abc\"", "ABC"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"\"", ""), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"abc\"", "abd"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"abc\"", "abcd"), 1); /* prefix */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"\"", "a"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"abc\"", "abc"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LE, "\"abc\"", "abc"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LE, "\"abd\"", "abc"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"b\"", "abc"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"abc\"", "abc"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GE, "\"abc\"", "abc"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GE, "\"ab\"", "abc"), 0);
	/* Lexical, case-sensitive: 'Z' (0x5A) sorts before 'a' (0x61). */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"Zebra\"", "apple"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"10\"", "9"), 1); /* not numeric */
	/* Non-ASCII: U+00E9 sorts after 'z'. */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"\\u00e9\"", "z"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"\\u00e9\"", "\xc3\xa9"), 1);
}
END_TEST

START_TEST(string_order_is_java_compare_to)
{
	/* Java compareTo orders UTF-16 code units: U+1F600 (surrogates D83D DE00)
	 * sorts before U+FF21 (FULLWIDTH A), although its UTF-8 bytes are greater. */
	const char *grin = "\xf0\x9f\x98\x80", *fw_a = "\xef\xbc\xa1";

	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"\\ud83d\\ude00\"", fw_a), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"\\uff21\"", grin), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"x\\ud83d\\ude00\"", "x\xee\x80\x80"), 0);
	/* Below U+E000 the byte order and the UTF-16 order agree. */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_GT, "\"\\ud83d\\ude00\"", "\xed\x9f\xbf"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_LT, "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x81"), 1);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"\\ud83d\\ude00\"", grin), 1);
}
END_TEST

START_TEST(string_wrong_types_are_false)
{
	static const char *const others[] = { "5", "true", "false", "null", "[\"a\"]",
					       "{\"a\": \"a\"}" };

	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		for (int op = ASLRT_C_STRING_EQ; op <= ASLRT_C_STRING_MATCHES; op++) {
			ck_assert_int_eq(test_str((enum aslrt_cop)op, others[i], "a"), 0);
			ck_assert_int_eq(test_str((enum aslrt_cop)op, others[i], "*"), 0);
		}
	}
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "5", "5"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "true", "true"), 0);
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "null", "null"), 0);
}
END_TEST

START_TEST(string_timestamps_compare_as_strings)
{
	/* "because timestamp fields are logically strings, it's possible that a
	 * field considered to be a timestamp can be matched by a StringEquals". */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"2001-01-01T12:00:00Z\"",
				  "2001-01-01T12:00:00Z"), 1);
	/* The same instant in another zone is a different string. */
	ck_assert_int_eq(test_str(ASLRT_C_STRING_EQ, "\"2001-01-01T13:00:00+01:00\"",
				  "2001-01-01T12:00:00Z"), 0);
}
END_TEST

/* --------------------------------------------------------------- numbers */

START_TEST(numeric_comparisons)
{
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "1.0", 1), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "1", 1.0), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "1e2", 100), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "-0", 0), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "1.5", 1), 0);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_EQ, "0.1", 0.1), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_LT, "29.999", 30), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_LT, "30", 30), 0);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_LE, "30", 30), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_LE, "30.001", 30), 0);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_GT, "-1", -2), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_GT, "-2", -2), 0);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_GE, "-2", -2), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_GE, "-2.5", -2), 0);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_GT, "1e308", 1e307), 1);
	ck_assert_int_eq(test_num(ASLRT_C_NUMERIC_LT, "-9007199254740991", 0), 1);
}
END_TEST

START_TEST(numeric_nan_is_never_equal)
{
	/* JSON has no NaN, but a value built at run time might: no relation holds. */
	cJSON *nan = cJSON_CreateNumber(NAN), *five = cJSON_CreateNumber(5);

	for (int op = ASLRT_C_NUMERIC_EQ; op <= ASLRT_C_NUMERIC_GE; op++) {
		struct aslrt_cond c = { .op = (enum aslrt_cop)op, .num = 5 };
		struct aslrt_cond cn = { .op = (enum aslrt_cop)op, .num = NAN };
		struct aslrt_cond cp = { .op = (enum aslrt_cop)op, .rhs_path = &bar_path };

		ck_assert_int_eq(rt_cond_test(&c, nan, NULL), 0);
		ck_assert_int_eq(rt_cond_test(&cn, five, NULL), 0);
		ck_assert_int_eq(rt_cond_test(&cp, five, nan), 0);
	}
	cJSON_Delete(nan);
	cJSON_Delete(five);
}
END_TEST

START_TEST(numeric_wrong_types_are_false)
{
	/* "Step Functions doesn't attempt to match a numeric field to a string
	 * value": the string "5" is not the number 5. */
	static const char *const others[] = { "\"5\"", "\"1.0\"", "true", "false", "null",
					       "[5]", "{\"n\": 5}" };

	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		for (int op = ASLRT_C_NUMERIC_EQ; op <= ASLRT_C_NUMERIC_GE; op++) {
			ck_assert_int_eq(test_num((enum aslrt_cop)op, others[i], 5), 0);
			ck_assert_int_eq(test_num((enum aslrt_cop)op, others[i], 1), 0);
			ck_assert_int_eq(test_num((enum aslrt_cop)op, others[i], 0), 0);
		}
}
END_TEST

/* -------------------------------------------------------------- booleans */

START_TEST(boolean_equals)
{
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "true", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "false", 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "true", 0), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "false", 1), 0);
	/* No truthiness: 1, "true", null, [] are not booleans. */
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "1", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "0", 0), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "\"true\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "null", 0), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_BOOLEAN_EQ, "[]", 0), 0);
}
END_TEST

/* ------------------------------------------------------------ timestamps */

START_TEST(timestamp_comparisons)
{
	const char *noon = "2001-01-01T12:00:00Z";

	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00.000Z\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00.001Z\"", noon), 0);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_GT, "\"2001-01-01T12:00:00.000000001Z\"",
				 noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_LT, "\"2001-01-01T11:59:59.999999999Z\"",
				 noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_LT, "\"2001-01-01T12:00:00Z\"", noon), 0);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_LE, "\"2001-01-01T12:00:00Z\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_GE, "\"2001-01-01T12:00:00Z\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_GE, "\"2000-12-31T12:00:00Z\"", noon), 0);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_GT, "\"2001-01-02T00:00:00Z\"", noon), 1);
}
END_TEST

START_TEST(timestamp_offsets_compare_instants)
{
	const char *noon = "2001-01-01T12:00:00Z";

	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T13:00:00+01:00\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T07:00:00-05:00\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-02T01:30:00+13:30\"", noon), 1);
	/* 12:30+01:00 is 11:30Z: earlier, although its clock reading is later. */
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_LT, "\"2001-01-01T12:30:00+01:00\"", noon), 1);
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_GT, "\"2001-01-01T11:30:00-01:00\"", noon), 1);
	/* Operand with an offset: 2001-01-01T12:00:00Z == 2001-01-01T09:00:00-03:00. */
	ck_assert_int_eq(test_ts(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"",
				 "2001-01-01T09:00:00-03:00"), 1);
}
END_TEST

START_TEST(timestamp_invalid_values_are_false)
{
	static const char *const bad[] = {
		"\"2001-01-01 12:00:00Z\"", "\"2001-01-01t12:00:00Z\"", "\"2001-01-01T12:00:00z\"",
		"\"2001-02-30T12:00:00Z\"", "\"2001-01-01T12:00:00\"",  "\"2001-01-01\"",
		"\"\"",                     "\"tomorrow\"",             "978350400",
		"true",                     "null",                     "[\"2001-01-01T12:00:00Z\"]",
	};
	const char *noon = "2001-01-01T12:00:00Z";

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		for (int op = ASLRT_C_TIMESTAMP_EQ; op <= ASLRT_C_TIMESTAMP_GE; op++)
			ck_assert_msg(test_ts((enum aslrt_cop)op, bad[i], noon) == 0,
				      "op %d true for %s", op, bad[i]);
}
END_TEST

/* ------------------------------------------------------------ Path forms */

START_TEST(path_operands)
{
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"a\"", "\"a\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"a\"", "\"b\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_LT, "\"a\"", "\"b\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_GT, "\"a\"", "\"b\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_LE, "\"b\"", "\"b\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_GE, "\"a\"", "\"b\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_EQ, "1", "1.0"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_LT, "1", "2"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_GT, "1", "2"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_LE, "2", "2"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_GE, "1", "2"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "true", "true"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "false", "false"), 1);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "true", "false"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"",
				   "\"2001-01-01T14:00:00+02:00\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_LT, "\"2001-01-01T12:00:00Z\"",
				   "\"2001-01-01T13:00:00+02:00\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_GT, "\"2001-01-01T12:00:00Z\"",
				   "\"2001-01-01T13:00:00+02:00\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_LE, "\"2001-01-01T12:00:00Z\"",
				   "\"2001-01-01T12:00:00.000Z\""), 1);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_GE, "\"2001-01-01T11:00:00Z\"",
				   "\"2001-01-01T12:00:00Z\""), 0);
}
END_TEST

START_TEST(path_operand_wrong_types_are_false)
{
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"5\"", "5"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"null\"", "null"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_EQ, "5", "\"5\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_GE, "5", "[1]"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "true", "1"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "false", "null"), 0);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"",
				   "\"2001-01-01\""), 0);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_LE, "\"2001-01-01T12:00:00Z\"",
				   "978350400"), 0);
	/* Nothing selected by the Path operand: false, never a crash. */
	ck_assert_int_eq(test_path(ASLRT_C_STRING_EQ, "\"a\"", NULL), 0);
	ck_assert_int_eq(test_path(ASLRT_C_NUMERIC_EQ, "1", NULL), 0);
	ck_assert_int_eq(test_path(ASLRT_C_BOOLEAN_EQ, "true", NULL), 0);
	ck_assert_int_eq(test_path(ASLRT_C_TIMESTAMP_EQ, "\"2001-01-01T12:00:00Z\"", NULL), 0);
}
END_TEST

START_TEST(constant_ignores_rhs)
{
	/* Without rhs_path the constant is the operand, whatever rhs is. */
	struct aslrt_cond c = { .op = ASLRT_C_NUMERIC_EQ, .num = 3 };
	cJSON *v = js("3"), *other = js("4");

	ck_assert_int_eq(rt_cond_test(&c, v, other), 1);
	cJSON_Delete(v);
	cJSON_Delete(other);
}
END_TEST

/* -------------------------------------------------------------- Is* tests */

START_TEST(is_null)
{
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "null", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "null", 0), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "0", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "0", 0), 1); /* "IsNull": false */
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "\"null\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "false", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, "{}", 0), 1);
}
END_TEST

START_TEST(is_present)
{
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, NULL, 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, NULL, 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, "null", 1), 1); /* null is present */
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, "null", 0), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, "false", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_PRESENT, "\"\"", 1), 1);
}
END_TEST

START_TEST(is_numeric_string_boolean)
{
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, "5", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, "-0.5e-3", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, "\"5\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, "\"5\"", 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, "null", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, "\"\"", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, "\"5\"", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, "5", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, "null", 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, "[\"a\"]", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_BOOLEAN, "true", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_BOOLEAN, "false", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_BOOLEAN, "\"true\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_BOOLEAN, "0", 0), 1);
}
END_TEST

START_TEST(is_timestamp)
{
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-03-14T01:59:00Z\"", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-03-14T01:59:00.5+05:30\"", 1),
			 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-02-29T00:00:00Z\"", 1), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2015-02-29T00:00:00Z\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-02-30T00:00:00Z\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-03-14t01:59:00z\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-03-14\"", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "\"2016-03-14\"", 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "1457920740", 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, "null", 0), 1);
}
END_TEST

START_TEST(is_tests_of_absent_value)
{
	/* Defensive: only IsPresent should see an absent value, but every other
	 * test treats it as "not of that type". */
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NULL, NULL, 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_NUMERIC, NULL, 0), 1);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_STRING, NULL, 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_BOOLEAN, NULL, 1), 0);
	ck_assert_int_eq(test_bool(ASLRT_C_IS_TIMESTAMP, NULL, 1), 0);
	for (int op = ASLRT_C_STRING_EQ; op <= ASLRT_C_TIMESTAMP_GE; op++) {
		struct aslrt_cond c = { .op = (enum aslrt_cop)op, .str = "*", .boolean = 0 };

		ck_assert_int_eq(rt_cond_test(&c, NULL, NULL), 0);
	}
}
END_TEST

/* --------------------------------------------------------- StringMatches */

#define MATCH(s, p) ck_assert_msg(rt_string_matches((s), (p)) == 1, \
				  "\"%s\" should match \"%s\"", (s), (p))
#define NO_MATCH(s, p) ck_assert_msg(rt_string_matches((s), (p)) == 0, \
				     "\"%s\" should not match \"%s\"", (s), (p))

START_TEST(matches_aws_examples)
{
	/* "StringMatches": "log-*.txt" */
	MATCH("log-2021-01-01.txt", "log-*.txt");
	MATCH("log-.txt", "log-*.txt");
	MATCH("log-a.txt.txt", "log-*.txt");
	NO_MATCH("log-1.txt.bak", "log-*.txt");
	NO_MATCH("Log-1.txt", "log-*.txt");
	NO_MATCH("log.txt", "log-*.txt");
	NO_MATCH("xlog-1.txt", "log-*.txt");
	/* "*.log" */
	MATCH("app.log", "*.log");
	MATCH(".log", "*.log");
	MATCH("a.log.log", "*.log");
	NO_MATCH("app.log.1", "*.log");
	NO_MATCH("applog", "*.log");
	NO_MATCH("log", "*.log");
}
END_TEST

START_TEST(matches_literal_and_stars)
{
	MATCH("", "");
	NO_MATCH("a", "");
	NO_MATCH("", "a");
	MATCH("abc", "abc");
	NO_MATCH("abc", "ab");
	NO_MATCH("ab", "abc");
	NO_MATCH("ABC", "abc");
	MATCH("", "*");
	MATCH("anything at all", "*");
	MATCH("", "**");
	MATCH("abc", "a**c");
	MATCH("xxaxxbxx", "*a*b*");
	NO_MATCH("xxbxxa", "*a*b*");
	MATCH("aab", "*ab");     /* needs backtracking */
	MATCH("abababc", "*abc");
	MATCH("mississippi", "m*iss*ppi");
	NO_MATCH("mississippi", "m*iss*ppix");
	MATCH("abcbc", "a*bc");
	/* Only '*' is special: '?', '.', '[' and '+' are literals. */
	MATCH("a?c", "a?c");
	NO_MATCH("abc", "a?c");
	NO_MATCH("abc", "a.c");
	MATCH("[x]+", "[x]+");
	/* UTF-8 passes through byte for byte. */
	MATCH("caf\xc3\xa9 cr\xc3\xa8me", "caf\xc3\xa9*");
	MATCH("\xf0\x9f\x98\x80", "*");
}
END_TEST

START_TEST(matches_escapes)
{
	/* The JSON "\\*" arrives here as backslash-star: a literal '*'. */
	MATCH("*", "\\*");
	NO_MATCH("a", "\\*");
	NO_MATCH("", "\\*");
	MATCH("a*b", "a\\*b");
	NO_MATCH("axb", "a\\*b");
	MATCH("2*3=6", "*\\**");
	NO_MATCH("2x3=6", "*\\**");
	/* backslash-backslash: one literal backslash. */
	MATCH("\\", "\\\\");
	NO_MATCH("\\\\", "\\\\");
	MATCH("C:\\dir", "C:\\\\*");
	NO_MATCH("C:dir", "C:\\\\*");
	/* A literal backslash followed by a wildcard, then an escaped star. */
	MATCH("foo\\bar*", "foo\\\\*\\*");
	NO_MATCH("foo\\bar", "foo\\\\*\\*");
	/* A backslash before any other character, or at the end, is itself. */
	MATCH("\\a", "\\a");
	NO_MATCH("a", "\\a");
	MATCH("a\\", "a\\");
	NO_MATCH("a", "a\\");
	ck_assert_int_eq(rt_string_matches("x", NULL), 0);
	ck_assert_int_eq(rt_string_matches(NULL, "*"), 0);
}
END_TEST

START_TEST(matches_via_cond)
{
	struct aslrt_cond c = { .op = ASLRT_C_STRING_MATCHES, .str = "log-*.txt" };
	cJSON *yes = js("\"log-7.txt\""), *no = js("\"log-7.csv\""), *num = js("7");

	ck_assert_int_eq(rt_cond_test(&c, yes, NULL), 1);
	ck_assert_int_eq(rt_cond_test(&c, no, NULL), 0);
	ck_assert_int_eq(rt_cond_test(&c, num, NULL), 0);
	cJSON_Delete(yes);
	cJSON_Delete(no);
	cJSON_Delete(num);
}
END_TEST

static Suite *choice_suite(void)
{
	Suite *s = suite_create("choice");
	TCase *aws = tcase_create("aws");
	TCase *types = tcase_create("types");
	TCase *paths = tcase_create("paths");
	TCase *is = tcase_create("is");
	TCase *match = tcase_create("matches");

	tcase_add_test(aws, aws_choice_state_example);
	tcase_add_test(aws, aws_rule_examples);
	tcase_add_test(aws, aws_is_present_guards_string_equals);
	tcase_add_test(types, string_comparisons);
	tcase_add_test(types, string_order_is_java_compare_to);
	tcase_add_test(types, string_wrong_types_are_false);
	tcase_add_test(types, string_timestamps_compare_as_strings);
	tcase_add_test(types, numeric_comparisons);
	tcase_add_test(types, numeric_nan_is_never_equal);
	tcase_add_test(types, numeric_wrong_types_are_false);
	tcase_add_test(types, boolean_equals);
	tcase_add_test(types, timestamp_comparisons);
	tcase_add_test(types, timestamp_offsets_compare_instants);
	tcase_add_test(types, timestamp_invalid_values_are_false);
	tcase_add_test(paths, path_operands);
	tcase_add_test(paths, path_operand_wrong_types_are_false);
	tcase_add_test(paths, constant_ignores_rhs);
	tcase_add_test(is, is_null);
	tcase_add_test(is, is_present);
	tcase_add_test(is, is_numeric_string_boolean);
	tcase_add_test(is, is_timestamp);
	tcase_add_test(is, is_tests_of_absent_value);
	tcase_add_test(match, matches_aws_examples);
	tcase_add_test(match, matches_literal_and_stars);
	tcase_add_test(match, matches_escapes);
	tcase_add_test(match, matches_via_cond);
	suite_add_tcase(s, aws);
	suite_add_tcase(s, types);
	suite_add_tcase(s, paths);
	suite_add_tcase(s, is);
	suite_add_tcase(s, match);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(choice_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
