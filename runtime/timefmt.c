/*
 * timefmt.c - RFC 3339 timestamps as Step Functions reads and prints them, the
 * wall clock, and scaled sleeping.
 *
 * AWS (Choice state and Wait state pages of the Step Functions developer
 * guide): "Timestamps must conform to the RFC3339 profile of ISO 8601, with the
 * further restrictions that an uppercase T must separate the date and time
 * portions, and an uppercase Z must denote that a numeric time zone offset is
 * not present, for example, 2016-08-18T17:33:00Z." So `t`, `z` and the space
 * separator that RFC 3339 section 5.6 tolerates are rejected here.
 *
 * No timegm(), mktime() or locale: dates are converted with the proleptic
 * Gregorian day count below (H. Hinnant's days_from_civil / civil_from_days).
 */
#include "rt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000L

/* Days from 1970-01-01 to the civil date y-m-d (m 1..12, d 1..31), negative
 * before the epoch. Valid for every year an int64_t can hold here. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                                   /* [0, 399]     */
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365]     */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096]  */
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil: the civil date of day z after the epoch. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;                                        /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0, 399]    */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 /* [0, 365]    */
	mp = (5 * doy + 2) / 153;                                      /* [0, 11]     */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Read exactly n decimal digits at *p into *out and advance *p. Returns 0, or
 * -1 when fewer than n digits are there. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Read the expected character c at *p and advance. Returns 0 or -1. */
static int expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/*
 * Parse s (borrowed) as an RFC 3339 date-time:
 *     YYYY-MM-DD "T" hh:mm:ss [ "." 1*9DIGIT ] ( "Z" / ("+" / "-") hh:mm )
 * and store the instant it names in *t (untouched on failure). Fields are
 * range-checked, including the day against the month's length in that year
 * (Feb 29 only in leap years). Seconds run 00..59: a leap second (:60) is
 * rejected, as are fractions longer than nanoseconds (more than 9 digits), the
 * lowercase `t`/`z` and trailing text. Returns 0, or -1 when malformed.
 */
int rt_time_parse(const char *s, struct aslrt_time *t)
{
	int year, mon, day, hour, min, sec, oh = 0, om = 0, sign = 0;
	long nsec = 0;
	const char *p = s;

	if (!s || !t)
		return -1;
	if (digits(&p, 4, &year) || expect(&p, '-') || digits(&p, 2, &mon) ||
	    expect(&p, '-') || digits(&p, 2, &day) || expect(&p, 'T') ||
	    digits(&p, 2, &hour) || expect(&p, ':') || digits(&p, 2, &min) ||
	    expect(&p, ':') || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		int n = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, n++) {
			if (n == 9)
				return -1;
			nsec = nsec * 10 + (*p - '0');
		}
		if (n == 0)
			return -1;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		p++;
		if (digits(&p, 2, &oh) || expect(&p, ':') || digits(&p, 2, &om))
			return -1;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
	    hour > 23 || min > 59 || sec > 59 || oh > 23 || om > 59)
		return -1;
	t->sec = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec -
		 (int64_t)sign * (oh * 3600 + om * 60);
	t->nsec = (int32_t)nsec;
	return 0;
}

/*
 * Format t into buf (caller's, at least 40 bytes) in UTC as AWS prints
 * $$.Execution.StartTime: "2019-03-26T20:14:13.192Z", the fraction without
 * trailing zeros and with no '.' at all when it is zero. A t.nsec outside
 * [0, 1e9) is first carried into the seconds. Returns buf.
 */
char *rt_time_format(struct aslrt_time t, char *buf)
{
	int64_t sec = t.sec, days, secs_of_day, year;
	long nsec = t.nsec;
	int mon, day, len;

	/* Defensive: normalise nsec into [0, 1e9) without overflowing sec. */
	if (nsec < 0 || nsec >= NSEC_PER_SEC) {
		long carry = nsec / NSEC_PER_SEC - (nsec % NSEC_PER_SEC < 0);

		nsec -= carry * NSEC_PER_SEC;
		if ((carry > 0 && sec > INT64_MAX - carry) ||
		    (carry < 0 && sec < INT64_MIN - carry))
			nsec = 0;
		else
			sec += carry;
	}
	secs_of_day = sec % 86400;          /* floor division, without overflow */
	days = sec / 86400 - (secs_of_day < 0);
	if (secs_of_day < 0)
		secs_of_day += 86400;
	civil_from_days(days, &year, &mon, &day);
	len = snprintf(buf, 40, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)year, mon,
		       day, (int)(secs_of_day / 3600), (int)(secs_of_day / 60 % 60),
		       (int)(secs_of_day % 60));
	if (len < 0 || len > 28) {
		/* Defensive: unreachable, an int64_t second count has at most
		 * 13 year characters, which leaves room for ".nnnnnnnnnZ". */
		buf[0] = '\0';
		return buf;
	}
	if (nsec != 0) {
		int n = 9;

		while (nsec % 10 == 0) {        /* drop trailing zeros */
			nsec /= 10;
			n--;
		}
		buf[len++] = '.';
		for (int i = n - 1; i >= 0; i--, nsec /= 10)
			buf[len + i] = (char)('0' + nsec % 10);
		len += n;
	}
	buf[len++] = 'Z';
	buf[len] = '\0';
	return buf;
}

/* The wall clock (CLOCK_REALTIME) now; {0, 0} in the never-seen case that the
 * clock cannot be read. */
struct aslrt_time rt_time_now(void)
{
	struct timespec ts;
	struct aslrt_time t = { 0, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.sec = (int64_t)ts.tv_sec;
		t.nsec = (int32_t)ts.tv_nsec;
	}
	return t;
}

/*
 * Sleep for seconds * opt->time_scale of real time (opt NULL: scale 1).
 * Nothing happens when that product is <= 0 or NaN; it is capped at about
 * 31,700 years so that it fits a time_t. A signal does not shorten the sleep:
 * nanosleep is resumed with the time remaining.
 */
void rt_sleep_scaled(const struct aslrt_options *opt, double seconds)
{
	double d = seconds * (opt ? opt->time_scale : 1.0);
	struct timespec req, rem;
	double whole;

	if (!(d > 0))
		return;
	if (d > 1e12)
		d = 1e12;
	whole = floor(d);
	req.tv_sec = (time_t)whole;
	req.tv_nsec = (long)((d - whole) * 1e9 + 0.5);
	if (req.tv_nsec >= NSEC_PER_SEC) {
		req.tv_sec++;
		req.tv_nsec -= NSEC_PER_SEC;
	}
	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}
