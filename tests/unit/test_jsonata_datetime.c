/*
 * test_jsonata_datetime.c - picture strings: $fromMillis, $toMillis, $now,
 * $formatInteger, $parseInteger (runtime/jsonata/datetime.c) and
 * $formatNumber (runtime/jsonata/fn_format.c), evaluated end to end. The
 * expected strings are the reference implementation's output for the same
 * expressions (jsonata-js; XPath F&O 3.1 sections 4.6, 4.7 and 9.8).
 */
#include "jsonata.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Evaluate text with $now() fixed at now_ms; the result as compact JSON
 * (new memory), "undefined", or "error CODE". */
static char *eval(const char *text, long long now_ms)
{
	struct aslrt_jn_error err;
	const struct aslrt_jn_expr *e = asl_jn_parse(text, strlen(text), &err);
	if (!e) {
		char *r = malloc(32);
		snprintf(r, 32, "error %s", err.code);
		aslrt_jn_error_clear(&err);
		return r;
	}
	struct aslrt_jn_options opt;
	memset(&opt, 0, sizeof opt);
	opt.now_ms = now_ms;
	cJSON *out = NULL;
	char *r;
	if (aslrt_jn_evaluate(e, NULL, NULL, 0, &opt, &out, &err)) {
		r = malloc(32);
		snprintf(r, 32, "error %s", err.code);
		aslrt_jn_error_clear(&err);
	} else if (!out) {
		r = strdup("undefined");
	} else {
		r = cJSON_PrintUnformatted(out);
		cJSON_Delete(out);
	}
	asl_jn_free(e);
	return r;
}

static void is(const char *text, const char *want)
{
	char *got = eval(text, 1521801216617LL);
	ck_assert_msg(!strcmp(got, want), "%s gave %s, want %s", text, got, want);
	free(got);
}

START_TEST(from_millis)
{
	is("$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\"");
	is("$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]')",
	   "\"friday, 23/3/2018 10:33:36 AM\"");
	is("$fromMillis(1521801216617, '[FNn], [D1o] [MNn] [Y] [H01]:[m01] [z]', '-0500')",
	   "\"Friday, 23rd March 2018 05:33 GMT-05:00\"");
	is("$fromMillis(1521801216617, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]', '+0530')",
	   "\"2018-03-23T16:03:36.617+05:30\"");
	is("$fromMillis(1704067200000, '[W] [w] [X] [x] [d] [F]')", "\"1 1 2024 1 1 monday\"");
	is("$fromMillis(1735603200000, 'week [W01] of [X], day [d]')",
	   "\"week 01 of 2025, day 366\"");
	is("$fromMillis(951782400000, '[d] [D] [MNn,3-3]')", "\"60 29 Feb\"");
	is("$fromMillis(0, '[[[Y]]]')", "\"[1970]\"");
	is("$fromMillis(0, '[Q]')", "error D3132");
	is("$fromMillis(0, '[Y')", "error D3135");
	is("$fromMillis(0, '[YN]')", "error D3133");
}
END_TEST

START_TEST(to_millis)
{
	is("$toMillis('2018-02-05T12:30:00.000Z')", "1517833800000");
	is("$toMillis('2018-02-05T12:30:00+01:00')", "1517830200000");
	is("$toMillis('2018')", "1514764800000");
	is("$toMillis('05/02/2018 10:30 pm', '[D01]/[M01]/[Y0001] [h]:[m01] [P]')",
	   "1517869800000");
	is("$toMillis('Monday, 5 February 2018', '[FNn], [D] [MNn] [Y]')", "1517788800000");
	is("$toMillis('2018-036', '[Y]-[d]')", "1517788800000");
	is("$toMillis('20180205', '[Y0001][M01][D01]')", "1517788800000");
	is("$toMillis('not a date')", "error D3110");
	/* what the picture leaves out comes from $now() (2018-03-23) */
	is("$toMillis('10:30', '[H]:[m]')", "1521801000000");
	is("$toMillis('x', 'y')", "undefined");
}
END_TEST

START_TEST(now_fixed)
{
	is("$now()", "\"2018-03-23T10:33:36.617Z\"");
	is("$millis()", "1521801216617");
	is("$now('[Y]')", "\"2018\"");
	is("$now() = $now()", "true");
}
END_TEST

START_TEST(integers)
{
	is("$formatInteger(2018, 'w')", "\"two thousand and eighteen\"");
	is("$formatInteger(1999, 'I')", "\"MCMXCIX\"");
	is("$formatInteger(-1234567, '#,##0')", "\"-1,234,567\"");
	is("$formatInteger(3, '0;o')", "\"3rd\"");
	is("$formatInteger(13, 'w;o')", "\"thirteenth\"");
	is("$formatInteger(703, 'A')", "\"AAA\"");
	is("$parseInteger('two thousand and eighteen', 'w')", "2018");
	is("$parseInteger('MCMXCIX', 'I')", "1999");
	is("$parseInteger('1,234,567', '#,##0')", "1234567");
	is("$formatInteger(5, '#')", "error D3130");
}
END_TEST

START_TEST(numbers)
{
	is("$formatNumber(1234.5, '#,##0.00')", "\"1,234.50\"");
	is("$formatNumber(-0.125, '0.00;(0.00)')", "\"(0.12)\"");
	is("$formatNumber(0.5, '0%')", "\"50%\"");
	is("$formatNumber(1234.5678, '00.000e0')", "\"12.346e2\"");
	is("$formatNumber(0, '0.0e0')", "\"0.0e0\"");
	is("$formatNumber(12, '#;#;#')", "error D3080");
}
END_TEST

static Suite *datetime_suite(void)
{
	Suite *s = suite_create("jsonata_datetime");
	TCase *t = tcase_create("pictures");
	tcase_add_test(t, from_millis);
	tcase_add_test(t, to_millis);
	tcase_add_test(t, now_fixed);
	tcase_add_test(t, integers);
	tcase_add_test(t, numbers);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(datetime_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
