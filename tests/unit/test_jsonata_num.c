/*
 * test_jsonata_num.c - numbers as JSONata (JavaScript) writes them
 * (runtime/jsonata/numfmt.c): Number.prototype.toString's shortest
 * round-trip digits and notation thresholds (ECMA-262 Number::toString),
 * toPrecision(15) as $string applies it, toFixed's rounding (the larger
 * candidate on a tie) and the number syntax $number accepts. Expected
 * strings are what Node.js prints for the same values.
 */
#include "jsonata/jn.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void str_is(double d, const char *want)
{
	char buf[40];
	jn_num_to_str(d, buf);
	ck_assert_msg(!strcmp(buf, want), "%.17g printed %s, want %s", d, buf, want);
}

START_TEST(to_string_shortest)
{
	str_is(0.1 + 0.2, "0.30000000000000004");
	str_is(0.1, "0.1");
	str_is(1.0 / 3, "0.3333333333333333");
	str_is(100, "100");
	str_is(-42.5, "-42.5");
	str_is(9007199254740993.0, "9007199254740992");
	str_is(123456789012345680000.0, "123456789012345680000");
	str_is(5e-324, "5e-324");
	str_is(1.7976931348623157e308, "1.7976931348623157e+308");
	str_is(-0.0, "0");
	str_is(9.33262154439441e155, "9.33262154439441e+155");
}
END_TEST

START_TEST(to_string_notation)
{
	str_is(1e21, "1e+21");
	str_is(1e20, "100000000000000000000");
	str_is(1.5e21, "1.5e+21");
	str_is(0.000001, "0.000001");
	str_is(1e-7, "1e-7");
	str_is(1.5e-7, "1.5e-7");
	str_is(0.00001234, "0.00001234");
	str_is(NAN, "NaN");
	str_is(INFINITY, "Infinity");
	str_is(-INFINITY, "-Infinity");
}
END_TEST

START_TEST(round_significant)
{
	ck_assert(jn_num_round_sig(0.1 + 0.2, 15) == 0.3);
	ck_assert(jn_num_round_sig(1.0 / 3, 15) == 0.333333333333333);
	ck_assert(jn_num_round_sig(123456789012345678.0, 15) == 123456789012346000.0);
	/* a tie goes up, as toPrecision specifies */
	ck_assert(jn_num_round_sig(1234567890123455.0, 15) == 1234567890123460.0);
	ck_assert(jn_num_round_sig(-2.5, 1) == -3);
	ck_assert(jn_num_round_sig(0, 15) == 0);
}
END_TEST

static void fixed_is(double d, int dp, const char *want)
{
	char buf[1400];
	jn_num_fixed(d, dp, buf, sizeof buf);
	ck_assert_msg(!strcmp(buf, want), "(%.17g).toFixed(%d) = %s, want %s", d, dp, buf, want);
}

START_TEST(to_fixed)
{
	fixed_is(0.5, 0, "1");
	fixed_is(2.5, 0, "3");
	fixed_is(1.005, 2, "1.00");    /* 1.005 is 1.00499999999999989... */
	fixed_is(1.45, 1, "1.4");      /* 1.4500000000000000177... rounds up? no: 1.45 is below */
	fixed_is(-1.5, 0, "-2");
	fixed_is(-0.0001, 2, "-0.00");
	fixed_is(123.456, 5, "123.45600");
	fixed_is(999.996, 2, "1000.00");
	fixed_is(0, 3, "0.000");
}
END_TEST

static void parse_is(const char *s, double want)
{
	double d;
	ck_assert_msg(jn_num_parse(s, strlen(s), &d) == 0, "%s rejected", s);
	ck_assert_msg(d == want, "%s parsed as %.17g", s, d);
}

static void parse_bad(const char *s)
{
	double d;
	ck_assert_msg(jn_num_parse(s, strlen(s), &d) != 0, "%s accepted", s);
}

START_TEST(number_syntax)
{
	parse_is("0", 0);
	parse_is("-0.05", -0.05);
	parse_is("1e2", 100);
	parse_is("1.0e-2", 0.01);
	parse_is("0123", 123);
	parse_is("-007", -7);
	parse_is("000.00123000", 0.00123);
	parse_bad("");
	parse_bad("1.");
	parse_bad(".5");
	parse_bad("1e");
	parse_bad("1 ");
	parse_bad("10e500");
	parse_bad("0x12");
}
END_TEST

static Suite *num_suite(void)
{
	Suite *s = suite_create("jsonata_num");
	TCase *t = tcase_create("numbers");
	tcase_add_test(t, to_string_shortest);
	tcase_add_test(t, to_string_notation);
	tcase_add_test(t, round_significant);
	tcase_add_test(t, to_fixed);
	tcase_add_test(t, number_syntax);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(num_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
