/*
 * numfmt.c - numbers as JavaScript writes them. JSONata is JavaScript: its
 * numbers are doubles and $string, `&` and every message print them with
 * Number.prototype.toString (ECMA-262 "Number::toString": the fewest
 * significant digits that read back to the same double, plain notation for
 * exponents in [-7, 21), else "1e+21" style). toPrecision and toFixed follow
 * the same specification: when two decimal candidates are equally close,
 * the larger wins (not round-half-even as printf would do).
 */
#include "jn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest digits of d > 0 (finite): writes the significant digits to
 * dig (NUL-terminated, no dot) and returns the decimal exponent n such that
 * d = 0.dig * 10^n. */
static int shortest(double d, char *dig)
{
	char buf[40];
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, d);
		if (strtod(buf, NULL) == d || p == 17)
			break;
	}
	/* buf is d.ddde[+-]xx */
	int k = 0;
	const char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			dig[k++] = *s;
	dig[k] = '\0';
	while (k > 1 && dig[k - 1] == '0')
		dig[--k] = '\0';
	return atoi(s + 1) + 1;
}

char *jn_num_to_str(double d, char *out)
{
	if (isnan(d))
		return strcpy(out, "NaN");
	if (d == 0)
		return strcpy(out, "0");
	if (isinf(d))
		return strcpy(out, d < 0 ? "-Infinity" : "Infinity");
	char *o = out;
	if (d < 0) {
		*o++ = '-';
		d = -d;
	}
	char dig[24];
	int n = shortest(d, dig);
	int k = (int)strlen(dig);
	if (k <= n && n <= 21) {
		memcpy(o, dig, (size_t)k);
		o += k;
		for (int i = 0; i < n - k; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, dig, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, dig + n, (size_t)(k - n));
		o += k - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, dig, (size_t)k);
		o += k;
	} else {
		*o++ = dig[0];
		if (k > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)(k - 1));
			o += k - 1;
		}
		o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	*o = '\0';
	return out;
}

/* Round the decimal digit string dig (ndig digits) to p digits, ties and
 * above going up (JS). Returns 1 when rounding carried into a new leading
 * digit: dig then holds p + 1 digits (1 and zeros) and the exponent grows
 * by one. */
static int round_digits(char *dig, int ndig, int p)
{
	if (ndig <= p) {
		for (int i = ndig; i < p; i++)
			dig[i] = '0';
		dig[p] = '\0';
		return 0;
	}
	int up = dig[p] >= '5';
	dig[p] = '\0';
	if (!up)
		return 0;
	for (int i = p - 1; i >= 0; i--) {
		if (dig[i] == '9') {
			dig[i] = '0';
		} else {
			dig[i]++;
			return 0;
		}
	}
	/* all nines: one more digit, 10...0 */
	memmove(dig + 1, dig, (size_t)p);
	dig[0] = '1';
	dig[p + 1] = '\0';
	return 1;
}

double jn_num_round_sig(double d, int p)
{
	if (!isfinite(d) || d == 0)
		return d;
	char buf[64], dig[48];
	int neg = d < 0;
	snprintf(buf, sizeof buf, "%.39e", fabs(d));
	int k = 0;
	const char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			dig[k++] = *s;
	int e = atoi(s + 1);
	e += round_digits(dig, k, p);
	snprintf(buf, sizeof buf, "%s%c.%se%d", neg ? "-" : "", dig[0], dig + 1, e);
	return strtod(buf, NULL);
}

char *jn_num_fixed(double d, int dp, char *out, size_t outsz)
{
	/* the exact decimal expansion of d has at most 1074 fractional digits */
	char buf[1200];
	if (!isfinite(d) || fabs(d) >= 1e21) {
		/* toFixed gives the plain ToString there */
		char t[40];
		snprintf(out, outsz, "%s", jn_num_to_str(d, t));
		return out;
	}
	if (dp < 0)
		dp = 0;
	if (dp > 100)
		dp = 100;
	int neg = d < 0;   /* (-0.001).toFixed(2) is "-0.00" in JS */
	snprintf(buf, sizeof buf, "%.1080f", fabs(d));
	char *dot = strchr(buf, '.');
	size_t ilen = (size_t)(dot - buf);
	/* digits: integer part then dp fraction digits, rounded half up */
	char dig[1200];
	memcpy(dig, buf, ilen);
	memcpy(dig + ilen, dot + 1, (size_t)dp + 1);
	int carry = round_digits(dig, (int)ilen + dp + 1, (int)ilen + dp);
	size_t il = ilen + (size_t)carry;
	char *o = out;
	size_t room = outsz;
	if (neg && room > 1) {
		*o++ = '-';
		room--;
	}
	snprintf(o, room, "%.*s%s%.*s", (int)il, dig, dp > 0 ? "." : "", dp, dig + il);
	return out;
}

/* The number syntax $number accepts (jsonata 2.0 functions.js number()):
 * -?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?, finite. */
int jn_num_parse(const char *s, size_t len, double *out)
{
	size_t i = 0;
	if (i < len && s[i] == '-')
		i++;
	size_t st = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == st)
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		st = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return -1;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		st = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return -1;
	}
	if (i != len)
		return -1;
	char tmp[512];
	if (len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	double d = strtod(tmp, NULL);
	if (!isfinite(d))
		return -1;
	*out = d;
	return 0;
}
