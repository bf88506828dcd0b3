/*
 * test_time.c - unit tests of runtime/timefmt.c: RFC 3339 parsing as Step
 * Functions accepts it, UTC formatting as AWS prints it, the clock and scaled
 * sleeping. Expected instants were computed independently (Python's datetime).
 */
#include "rt.h"

#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Parse s, requiring success, and return the instant. */
static struct aslrt_time parse_ok(const char *s)
{
	struct aslrt_time t = { -7, -7 };

	ck_assert_msg(rt_time_parse(s, &t) == 0, "rejected valid timestamp \"%s\"", s);
	return t;
}

#define ck_assert_time(s, want_sec, want_nsec)                                 \
	do {                                                                   \
		struct aslrt_time t_ = parse_ok(s);                            \
		ck_assert_int_eq(t_.sec, (want_sec));                          \
		ck_assert_int_eq(t_.nsec, (want_nsec));                        \
	} while (0)

static void reject(const char *s)
{
	struct aslrt_time t = { 11, 22 };

	ck_assert_msg(rt_time_parse(s, &t) == -1, "accepted invalid timestamp \"%s\"", s);
	ck_assert_int_eq(t.sec, 11); /* untouched on failure */
	ck_assert_int_eq(t.nsec, 22);
}

static const char *fmt(int64_t sec, int32_t nsec, char *buf)
{
	struct aslrt_time t = { sec, nsec };

	return rt_time_format(t, buf);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- parsing */

START_TEST(parse_aws_examples)
{
	/* Wait state and Choice state pages. */
	ck_assert_time("2016-03-14T01:59:00Z", 1457920740, 0);
	ck_assert_time("2016-08-18T17:33:00Z", 1471541580, 0);
	ck_assert_time("2001-01-01T12:00:00Z", 978350400, 0);
	ck_assert_time("1970-01-01T00:00:00Z", 0, 0);
}
END_TEST

START_TEST(parse_offsets)
{
	/* The same instant, 2016-03-14T01:59:00Z, written in three zones. */
	ck_assert_time("2016-03-14T03:59:00+02:00", 1457920740, 0);
	ck_assert_time("2016-03-13T20:59:00-05:00", 1457920740, 0);
	ck_assert_time("2016-03-14T07:29:00+05:30", 1457920740, 0);
	ck_assert_time("2016-03-14T01:59:00+00:00", 1457920740, 0);
	ck_assert_time("2016-03-14T01:59:00-00:00", 1457920740, 0);
	/* An offset that moves the instant across a year boundary. */
	ck_assert_time("2000-12-31T23:30:00-01:00", 978309000, 0);
	ck_assert_time("2001-01-01T00:30:00+23:59", 978222660, 0);
}
END_TEST

START_TEST(parse_fractions)
{
	ck_assert_time("2019-03-26T20:14:13.192Z", 1553631253, 192000000);
	ck_assert_time("2019-03-26T20:14:13.1Z", 1553631253, 100000000);
	ck_assert_time("2019-03-26T20:14:13.000Z", 1553631253, 0);
	ck_assert_time("2019-03-26T20:14:13.123456789Z", 1553631253, 123456789);
	ck_assert_time("2019-03-26T20:14:13.000000001Z", 1553631253, 1);
	ck_assert_time("2019-03-26T22:14:13.5+02:00", 1553631253, 500000000);
	reject("2019-03-26T20:14:13.1234567891Z"); /* finer than nanoseconds */
	reject("2019-03-26T20:14:13.Z");
	reject("2019-03-26T20:14:13,5Z");
}
END_TEST

START_TEST(parse_extremes)
{
	ck_assert_time("0000-01-01T00:00:00Z", -62167219200LL, 0);
	ck_assert_time("0001-01-01T00:00:00Z", -62135596800LL, 0);
	ck_assert_time("1969-12-31T23:59:59Z", -1, 0);
	ck_assert_time("1969-12-31T23:59:59.999999999Z", -1, 999999999);
	ck_assert_time("1600-01-01T00:00:00Z", -11676096000LL, 0);
	ck_assert_time("9999-12-31T23:59:59Z", 253402300799LL, 0);
	ck_assert_time("2400-12-31T00:00:00Z", 13601001600LL, 0);
}
END_TEST

START_TEST(parse_leap_years)
{
	ck_assert_time("2000-02-29T00:00:00Z", 951782400, 0); /* divisible by 400 */
	ck_assert_time("2024-02-29T12:00:00Z", 1709208000, 0);
	reject("1900-02-29T00:00:00Z"); /* divisible by 100, not 400 */
	reject("2100-02-29T00:00:00Z");
	reject("2023-02-29T00:00:00Z");
	ck_assert_int_eq(parse_ok("2024-03-01T00:00:00Z").sec -
			 parse_ok("2024-02-28T00:00:00Z").sec, 2 * 86400);
	ck_assert_int_eq(parse_ok("2100-03-01T00:00:00Z").sec -
			 parse_ok("2100-02-28T00:00:00Z").sec, 86400);
	ck_assert_int_eq(parse_ok("1900-03-01T00:00:00Z").sec, -2203891200LL);
	ck_assert_int_eq(parse_ok("2001-01-01T00:00:00Z").sec -
			 parse_ok("2000-01-01T00:00:00Z").sec, 366 * 86400);
	ck_assert_int_eq(parse_ok("2002-01-01T00:00:00Z").sec -
			 parse_ok("2001-01-01T00:00:00Z").sec, 365 * 86400);
}
END_TEST

START_TEST(parse_rejects_out_of_range)
{
	reject("2016-02-30T00:00:00Z");
	reject("2016-04-31T00:00:00Z");
	reject("2016-06-31T00:00:00Z");
	reject("2016-09-31T00:00:00Z");
	reject("2016-11-31T00:00:00Z");
	reject("2016-01-32T00:00:00Z");
	reject("2016-13-01T00:00:00Z");
	reject("2016-00-10T00:00:00Z");
	reject("2016-01-00T00:00:00Z");
	reject("2016-01-01T24:00:00Z");
	reject("2016-01-01T23:60:00Z");
	reject("2016-12-31T23:59:60Z"); /* leap seconds are not accepted */
	reject("2016-01-01T00:00:00+24:00");
	reject("2016-01-01T00:00:00+05:60");
	parse_ok("2016-01-31T00:00:00Z");
	parse_ok("2016-04-30T23:59:59Z");
	parse_ok("2016-12-31T23:59:59Z");
}
END_TEST

START_TEST(parse_rejects_syntax)
{
	/* AWS: uppercase T and Z only. */
	reject("2016-03-14t01:59:00Z");
	reject("2016-03-14T01:59:00z");
	reject("2016-03-14 01:59:00Z");
	reject("2016-03-14T01:59:00");     /* no zone */
	reject("2016-03-14T01:59Z");       /* no seconds */
	reject("2016-03-14T01:59:00+0200");
	reject("2016-03-14T01:59:00+02");
	reject("2016-03-14T01:59:00 Z");
	reject("2016-03-14T01:59:00Z ");
	reject("2016-03-14T01:59:00ZZ");
	reject(" 2016-03-14T01:59:00Z");
	reject("16-03-14T01:59:00Z");
	reject("2016-3-14T01:59:00Z");
	reject("2016-03-14T1:59:00Z");
	reject("20160314T015900Z");
	reject("2016-03-14");
	reject("+2016-03-14T01:59:00Z");
	reject("2016-03-14T01:59:00UTC");
	reject("");
	reject("now");
	ck_assert_int_eq(rt_time_parse(NULL, &(struct aslrt_time){ 0, 0 }), -1);
}
END_TEST

/* ----------------------------------------------------------- formatting */

START_TEST(format_aws_shape)
{
	char buf[40];

	ck_assert_str_eq(fmt(1553631253, 192000000, buf), "2019-03-26T20:14:13.192Z");
	ck_assert_ptr_eq(rt_time_format((struct aslrt_time){ 0, 0 }, buf), buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	ck_assert_str_eq(fmt(1553631253, 0, buf), "2019-03-26T20:14:13Z");
	ck_assert_str_eq(fmt(1553631253, 500000000, buf), "2019-03-26T20:14:13.5Z");
	ck_assert_str_eq(fmt(1553631253, 120000000, buf), "2019-03-26T20:14:13.12Z");
	ck_assert_str_eq(fmt(1553631253, 1, buf), "2019-03-26T20:14:13.000000001Z");
	ck_assert_str_eq(fmt(1553631253, 999999999, buf), "2019-03-26T20:14:13.999999999Z");
	ck_assert_str_eq(fmt(1553631253, 100000, buf), "2019-03-26T20:14:13.0001Z");
	ck_assert_str_eq(fmt(951782400, 0, buf), "2000-02-29T00:00:00Z");
	ck_assert_str_eq(fmt(-1, 0, buf), "1969-12-31T23:59:59Z");
	ck_assert_str_eq(fmt(-62135596800LL, 0, buf), "0001-01-01T00:00:00Z");
	ck_assert_str_eq(fmt(253402300799LL, 999000000, buf), "9999-12-31T23:59:59.999Z");
}
END_TEST

START_TEST(format_normalises_nsec)
{
	char buf[40];

	ck_assert_str_eq(fmt(0, -1, buf), "1969-12-31T23:59:59.999999999Z");
	ck_assert_str_eq(fmt(0, 1500000000, buf), "1970-01-01T00:00:01.5Z");
	ck_assert_str_eq(fmt(10, -1000000000, buf), "1970-01-01T00:00:09Z");
}
END_TEST

START_TEST(format_extreme_fits_buffer)
{
	char buf[40];

	memset(buf, 'x', sizeof buf);
	rt_time_format((struct aslrt_time){ INT64_MIN, 999999999 }, buf);
	ck_assert_ptr_ne(memchr(buf, '\0', sizeof buf), NULL);
	ck_assert_int_eq(buf[strlen(buf) - 1], 'Z');
	memset(buf, 'x', sizeof buf);
	rt_time_format((struct aslrt_time){ INT64_MAX, 999999999 }, buf);
	ck_assert_ptr_ne(memchr(buf, '\0', sizeof buf), NULL);
	ck_assert_int_eq(buf[strlen(buf) - 1], 'Z');
}
END_TEST

START_TEST(round_trips)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2019-03-26T20:14:13.192Z", "2019-03-26T20:14:13.192Z" },
		{ "2016-03-14T03:59:00.250+02:00", "2016-03-14T01:59:00.25Z" },
		{ "2016-03-13T20:59:00.000-05:00", "2016-03-14T01:59:00Z" },
		{ "2000-03-01T00:30:00+01:00", "2000-02-29T23:30:00Z" },
		{ "2020-12-31T23:59:59.999999999Z", "2020-12-31T23:59:59.999999999Z" },
		{ "2021-01-01T05:00:00+05:00", "2021-01-01T00:00:00Z" },
		{ "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z" },
	};
	char buf[40];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_str_eq(rt_time_format(parse_ok(cases[i].in), buf), cases[i].out);
}
END_TEST

START_TEST(round_trip_every_day)
{
	/* Every day from 0000-01-01 to 9999-12-31 formats to a string that parses
	 * back to the same instant, and consecutive days format increasingly. */
	const int64_t first = -62167219200LL / 86400, last = 253402300799LL / 86400;
	char buf[40], prev[40] = "";
	int64_t days = 0;

	for (int64_t d = first; d <= last; d++, days++) {
		struct aslrt_time t = { d * 86400 + 43261, 7000 }, back;

		/* Plain ifs: check's asserts record a mark point on every call,
		 * which is too slow for 3.6 million iterations. */
		rt_time_format(t, buf);
		if (rt_time_parse(buf, &back) != 0 || back.sec != t.sec ||
		    back.nsec != t.nsec || strcmp(prev, buf) >= 0)
			ck_abort_msg("day %lld: \"%s\" after \"%s\" does not round-trip",
				     (long long)d, buf, prev);
		memcpy(prev, buf, sizeof buf);
	}
	ck_assert_int_eq(days, 3652425); /* 10000 Gregorian years */
	ck_assert_str_eq(buf, "9999-12-31T12:01:01.000007Z");
}
END_TEST

/* ----------------------------------------------------------- clock, sleep */

START_TEST(now_is_wall_clock)
{
	time_t before = time(NULL);
	struct aslrt_time t = rt_time_now();
	time_t after = time(NULL);

	ck_assert_int_ge(t.sec, (int64_t)before);
	ck_assert_int_le(t.sec, (int64_t)after);
	ck_assert_int_ge(t.nsec, 0);
	ck_assert_int_lt(t.nsec, 1000000000);
}
END_TEST

START_TEST(sleep_scaled)
{
	struct aslrt_options zero = { .time_scale = 0 }, fast = { .time_scale = 0.01 };
	double t0;

	t0 = mono_now();
	rt_sleep_scaled(&zero, 1000);
	rt_sleep_scaled(NULL, 0);
	rt_sleep_scaled(NULL, -5);
	rt_sleep_scaled(NULL, NAN);
	rt_sleep_scaled(&fast, -1000);
	ck_assert_double_lt(mono_now() - t0, 0.05);

	t0 = mono_now();
	rt_sleep_scaled(NULL, 0.05);
	ck_assert_double_ge(mono_now() - t0, 0.05);

	t0 = mono_now();
	rt_sleep_scaled(&fast, 8); /* 0.08 s of real time */
	ck_assert_double_ge(mono_now() - t0, 0.08);
	ck_assert_double_lt(mono_now() - t0, 2.0);
}
END_TEST

static volatile sig_atomic_t got_signal;

static void on_usr1(int sig)
{
	(void)sig;
	got_signal = 1;
}

START_TEST(sleep_resumes_after_signal)
{
	struct sigaction sa;
	pid_t child;
	double t0;
	int status;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: nanosleep returns EINTR */
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);

	t0 = mono_now();
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct timespec d = { 0, 50000000 };

		nanosleep(&d, NULL);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	rt_sleep_scaled(NULL, 0.3);
	ck_assert_double_ge(mono_now() - t0, 0.3);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_int_eq(got_signal, 1);
}
END_TEST

static Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *parse = tcase_create("parse");
	TCase *format = tcase_create("format");
	TCase *clock = tcase_create("clock");

	tcase_add_test(parse, parse_aws_examples);
	tcase_add_test(parse, parse_offsets);
	tcase_add_test(parse, parse_fractions);
	tcase_add_test(parse, parse_extremes);
	tcase_add_test(parse, parse_leap_years);
	tcase_add_test(parse, parse_rejects_out_of_range);
	tcase_add_test(parse, parse_rejects_syntax);
	tcase_add_test(format, format_aws_shape);
	tcase_add_test(format, format_normalises_nsec);
	tcase_add_test(format, format_extreme_fits_buffer);
	tcase_add_test(format, round_trips);
	tcase_add_test(format, round_trip_every_day);
	tcase_set_timeout(format, 60);
	tcase_add_test(clock, now_is_wall_clock);
	tcase_add_test(clock, sleep_scaled);
	tcase_add_test(clock, sleep_resumes_after_signal);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, format);
	suite_add_tcase(s, clock);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(time_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
