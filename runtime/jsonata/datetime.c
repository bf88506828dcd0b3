/*
 * datetime.c - integer and date/time picture strings (XPath F&O 3.1,
 * fn:format-integer section 4.6 and fn:format-dateTime section 9.8) as the
 * reference implementation (jsonata-js datetime.js) implements them:
 * $formatInteger, $parseInteger, $fromMillis, $toMillis and $now.
 *
 * Integer pictures: decimal digit patterns of any Unicode decimal digit
 * family with optional digits (#), grouping separators (regular or not)
 * and the ordinal modifier (;o); A/a letters, I/i roman numerals, W/w/Ww
 * English words. Date/time pictures: [component presentation,width]
 * markers for Y M D d F W w X x H h P m s f Z z C E, names for months and
 * days, literal text with [[ and ]]. Parsing ($toMillis with a picture,
 * $parseInteger) follows the reference: the picture becomes a pattern,
 * matched case-insensitively here by a small backtracking matcher, and the
 * components found are combined, the missing ones taken from $now() (more
 * significant) or zero (less significant); a gap is D3136.
 *
 * All times are UTC, shifted by the optional timezone offset (+hhmm).
 */
#include "fn.h"
#include "ustr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ calendar */

#define DAY_MS 86400000.0

/* Days since 1970-01-01 of the proleptic Gregorian y-m-d (m 1..12). */
static double days_from_civil(double y, double m, double d)
{
	y -= m <= 2;
	double era = floor(y / 400);
	double yoe = y - era * 400;
	double mp = fmod(m + 9, 12);
	double doy = floor((153 * mp + 2) / 5) + d - 1;
	double doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

struct civil {
	double y, m, d;     /* m 1..12 */
	double H, M, S, ms;
	int wday;           /* 0 = Sunday, like getUTCDay */
};

static void civil_from_ms(double t, struct civil *c)
{
	double days = floor(t / DAY_MS);
	double rem = t - days * DAY_MS;
	double z = days + 719468;
	double era = floor(z / 146097);
	double doe = z - era * 146097;
	double yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
	double y = yoe + era * 400;
	double doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
	double mp = floor((5 * doy + 2) / 153);
	c->d = doy - floor((153 * mp + 2) / 5) + 1;
	c->m = mp < 10 ? mp + 3 : mp - 9;
	c->y = y + (c->m <= 2);
	c->H = floor(rem / 3600000);
	c->M = floor(fmod(rem, 3600000) / 60000);
	c->S = floor(fmod(rem, 60000) / 1000);
	c->ms = fmod(rem, 1000);
	c->wday = (int)fmod(fmod(days + 4, 7) + 7, 7);
}

/* Date.UTC(y, mon (0-based, may overflow), d, H, M, S, ms). */
static double date_utc(double y, double mon, double d, double H, double M, double S, double ms)
{
	if (y >= 0 && y <= 99 && y == floor(y))
		y += 1900;   /* MakeFullYear */
	y += floor(mon / 12);
	mon = fmod(fmod(mon, 12) + 12, 12);
	double days = days_from_civil(y, mon + 1, 1) + d - 1;
	return days * DAY_MS + H * 3600000 + M * 60000 + S * 1000 + ms;
}

/* ------------------------------------------------------------ integers */

enum { IF_DECIMAL, IF_LETTERS, IF_ROMAN, IF_WORDS, IF_SEQUENCE };
enum { TC_LOWER, TC_UPPER, TC_TITLE };

struct sep {
	int pos;
	unsigned ch;
};

struct ifmt {
	int primary, tcase, ordinal;
	unsigned zero;
	int mandatory, optional;
	int regular;                  /* > 0: regular grouping, this interval */
	unsigned regchar;
	struct sep seps[32];
	int nseps;
	struct ustr token;            /* IF_SEQUENCE: the unsupported token   */
	int n;                        /* digits a year takes when parsed      */
	int parse_width;              /* digits when a marker follows at once */
};

static const unsigned decimal_groups[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
	0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946,
	0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
	0xA9F0, 0xAA50, 0xABF0, 0xFF10
};

static int gcd(int a, int b)
{
	return b == 0 ? a : gcd(b, a % b);
}

static int ustr_is(struct ustr s, const char *t)
{
	size_t n = strlen(t);
	if ((size_t)s.n != n)
		return 0;
	for (int i = 0; i < s.n; i++)
		if (s.v[i] != (unsigned char)t[i])
			return 0;
	return 1;
}

/* analyseIntegerPicture. Returns 0, or -1 with D3131 recorded. */
static int analyse_integer(struct jn_ctx *c, struct ustr picture, struct ifmt *f)
{
	memset(f, 0, sizeof *f);
	f->primary = IF_DECIMAL;
	f->tcase = TC_LOWER;
	f->zero = 0x30;
	struct ustr primary = picture;
	int semi = jnus_last_index(picture, jnus_cstr(c, ";"));
	if (semi != -1) {
		primary = jnus_sub(picture, 0, semi);
		struct ustr mod = jnus_sub(picture, semi + 1, picture.n);
		if (mod.n > 0 && mod.v[0] == 'o')
			f->ordinal = 1;
	}
	if (ustr_is(primary, "A")) {
		f->tcase = TC_UPPER;
		f->primary = IF_LETTERS;
	} else if (ustr_is(primary, "a")) {
		f->primary = IF_LETTERS;
	} else if (ustr_is(primary, "I")) {
		f->tcase = TC_UPPER;
		f->primary = IF_ROMAN;
	} else if (ustr_is(primary, "i")) {
		f->primary = IF_ROMAN;
	} else if (ustr_is(primary, "W")) {
		f->tcase = TC_UPPER;
		f->primary = IF_WORDS;
	} else if (ustr_is(primary, "Ww")) {
		f->tcase = TC_TITLE;
		f->primary = IF_WORDS;
	} else if (ustr_is(primary, "w")) {
		f->primary = IF_WORDS;
	} else {
		int have_zero = 0, seppos = 0;
		struct sep seps[32];
		int nseps = 0;
		for (int i = primary.n - 1; i >= 0; i--) {
			unsigned cp = primary.v[i];
			int digit = 0;
			for (size_t g = 0; g < sizeof decimal_groups / sizeof decimal_groups[0]; g++) {
				unsigned grp = decimal_groups[g];
				if (cp >= grp && cp <= grp + 9) {
					digit = 1;
					f->mandatory++;
					seppos++;
					if (!have_zero) {
						f->zero = grp;
						have_zero = 1;
					} else if (grp != f->zero) {
						jn_error(c, "D3131", -1, JV_UNDEF);
						return -1;
					}
					break;
				}
			}
			if (digit)
				continue;
			if (cp == '#') {
				seppos++;
				f->optional++;
			} else if (nseps < 32) {
				seps[nseps].pos = seppos;
				seps[nseps].ch = cp;
				nseps++;
			}
		}
		if (f->mandatory > 0) {
			int regular = 0;
			if (nseps > 0) {
				int same = 1;
				for (int i = 1; i < nseps; i++)
					same &= seps[i].ch == seps[0].ch;
				if (same) {
					int factor = seps[0].pos;
					for (int i = 1; i < nseps; i++)
						factor = gcd(factor, seps[i].pos);
					regular = factor;
					for (int k = 1; k <= nseps && regular; k++) {
						int found = 0;
						for (int i = 0; i < nseps; i++)
							found |= seps[i].pos == k * factor;
						if (!found)
							regular = 0;
					}
				}
			}
			if (regular > 0) {
				f->regular = regular;
				f->regchar = seps[0].ch;
			} else {
				memcpy(f->seps, seps, (size_t)nseps * sizeof *seps);
				f->nseps = nseps;
			}
		} else {
			f->primary = IF_SEQUENCE;
			f->token = primary;
		}
	}
	return 0;
}

static const char *const few[] = {
	"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
	"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
	"Eighteen", "Nineteen"
};
static const char *const ordinals[] = {
	"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
	"Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
	"Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"
};
static const char *const decades[] = {
	"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"
};
static const char *const magnitudes[] = { "Thousand", "Million", "Billion", "Trillion" };

/* numberToWords' lookup. */
static void words(struct jbuf *b, double num, int prev, int ord)
{
	if (num <= 19) {
		if (prev)
			jnbuf_puts(b, " and ");
		jnbuf_puts(b, ord ? ordinals[(int)num] : few[(int)num]);
	} else if (num < 100) {
		int tens = (int)floor(num / 10);
		double rem = fmod(num, 10);
		if (prev)
			jnbuf_puts(b, " and ");
		const char *d = decades[tens - 2];
		if (rem > 0) {
			jnbuf_puts(b, d);
			jnbuf_putc(b, '-');
			words(b, rem, 0, ord);
		} else if (ord) {
			jnbuf_put(b, d, strlen(d) - 1);
			jnbuf_puts(b, "ieth");
		} else {
			jnbuf_puts(b, d);
		}
	} else if (num < 1000) {
		int hundreds = (int)floor(num / 100);
		double rem = fmod(num, 100);
		if (prev)
			jnbuf_puts(b, ", ");
		jnbuf_puts(b, few[hundreds]);
		jnbuf_puts(b, " Hundred");
		if (rem > 0)
			words(b, rem, 1, ord);
		else if (ord)
			jnbuf_puts(b, "th");
	} else {
		int mag = (int)floor(log10(num) / 3);
		if (mag > 4)
			mag = 4;
		double factor = pow(10, mag * 3);
		double mant = floor(num / factor);
		double rem = num - mant * factor;
		if (prev)
			jnbuf_puts(b, ", ");
		words(b, mant, 0, 0);
		jnbuf_putc(b, ' ');
		jnbuf_puts(b, magnitudes[mag - 1]);
		if (rem > 0)
			words(b, rem, 1, ord);
		else if (ord)
			jnbuf_puts(b, "th");
	}
}

static void roman(struct jbuf *b, double v)
{
	static const struct { int v; const char *s; } t[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
		{ 90, "xc" }, { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" },
		{ 4, "iv" }, { 1, "i" }
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0] && v > 0 && !b->err;) {
		if (v >= t[i].v) {
			jnbuf_puts(b, t[i].s);
			v -= t[i].v;
		} else {
			i++;
		}
	}
}

static void upcase(struct ustr s)
{
	for (int i = 0; i < s.n; i++)
		if (s.v[i] >= 'a' && s.v[i] <= 'z')
			s.v[i] -= 32;
}

static void downcase(struct ustr s)
{
	for (int i = 0; i < s.n; i++)
		if (s.v[i] >= 'A' && s.v[i] <= 'Z')
			s.v[i] += 32;
}

/* _formatInteger. Returns the text, or n = -1 after recording an error. */
static struct ustr format_int(struct jn_ctx *c, double value, struct ifmt *f)
{
	struct ustr bad = { NULL, -1 };
	if (!isfinite(value)) {
		jn_error(c, "D1001", -1, jnv_number(c, value));
		return bad;
	}
	if (f->primary == IF_ROMAN && value > 1e7) {
		/* a thousand 'M's per million: over any budget long before */
		jn_error(c, "U1002", -1, NULL);
		return bad;
	}
	int negative = value < 0;
	value = fabs(value);
	struct jbuf b;
	jnbuf_init(&b, c);
	struct ustr r;
	switch (f->primary) {
	case IF_LETTERS: {
		char tmp[64];
		int n = 0;
		unsigned a = f->tcase == TC_UPPER ? 'A' : 'a';
		while (value > 0 && n < 63) {
			tmp[n++] = (char)(a + (unsigned)fmod(value - 1, 26));
			value = floor((value - 1) / 26);
		}
		for (int i = n - 1; i >= 0; i--)
			jnbuf_putc(&b, tmp[i]);
		r = jnus_from(c, b.p ? b.p : "", b.len);
		break;
	}
	case IF_ROMAN:
		roman(&b, value);
		r = jnus_from(c, b.p ? b.p : "", b.len);
		if (f->tcase == TC_UPPER)
			upcase(r);
		break;
	case IF_WORDS:
		words(&b, value, 0, f->ordinal);
		r = jnus_from(c, b.p ? b.p : "", b.len);
		if (f->tcase == TC_UPPER)
			upcase(r);
		else if (f->tcase == TC_LOWER)
			downcase(r);
		break;
	case IF_DECIMAL: {
		char num[40];
		jn_num_to_str(value, num);
		r = jnus_cstr(c, num);
		int pad = f->mandatory - r.n;
		if (pad > 0)
			r = jnus_cat(c, jnus_repeat(c, '0', pad), r);
		if (f->zero != 0x30)
			for (int i = 0; i < r.n; i++)
				r.v[i] = r.v[i] + f->zero - 0x30;
		if (f->regular) {
			int n = (r.n - 1) / f->regular;
			struct ustr sep = jnus_char(c, f->regchar);
			for (int ii = n; ii > 0; ii--)
				r = jnus_insert(c, r, r.n - ii * f->regular, sep);
		} else {
			for (int i = f->nseps - 1; i >= 0; i--)
				r = jnus_insert(c, r, r.n - f->seps[i].pos, jnus_char(c, f->seps[i].ch));
		}
		if (f->ordinal && r.n > 0) {
			unsigned last = r.v[r.n - 1];
			const char *suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
			if (r.n > 1 && r.v[r.n - 2] == '1')
				suffix = "th";
			r = jnus_cat(c, r, jnus_cstr(c, suffix));
		}
		break;
	}
	default: {
		struct jval *t = jnus_value(c, f->token);
		jn_error(c, "D3130", -1, t == JN_ERR ? JV_UNDEF : t);
		return bad;
	}
	}
	if (b.err)
		return bad;
	if (negative)
		r = jnus_cat(c, jnus_cstr(c, "-"), r);
	return r;
}

FN(jn_fn_format_integer)
{
	struct jval *v = jn_arg(k, 0), *p = jn_arg(k, 1);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	struct ifmt f;
	struct ustr pic = jnus_from(k->c, jnv_str(p)->s, jnv_str(p)->len);
	if (pic.n < 0 || analyse_integer(k->c, pic, &f))
		return JN_ERR;
	struct ustr r = format_int(k->c, floor(jnv_num(v)), &f);
	if (r.n < 0)
		return JN_ERR;
	return jnus_value(k->c, r);
}

/* ------------------------------------------------------- parsing ints */

static double letters_to_decimal(struct ustr s, unsigned a)
{
	double d = 0;
	for (int i = 0; i < s.n; i++)
		d += (double)((int)s.v[s.n - i - 1] - (int)a + 1) * pow(26, i);
	return d;
}

static double roman_to_decimal(struct ustr s)
{
	double dec = 0, max = 1;
	for (int i = s.n - 1; i >= 0; i--) {
		unsigned ch = s.v[i];
		if (ch >= 'a' && ch <= 'z')
			ch -= 32;
		double v = ch == 'M' ? 1000 : ch == 'D' ? 500 : ch == 'C' ? 100 : ch == 'L' ? 50 :
			   ch == 'X' ? 10 : ch == 'V' ? 5 : ch == 'I' ? 1 : NAN;
		if (v < max) {
			dec -= v;
		} else {
			max = v;
			dec += v;
		}
	}
	return dec;
}

/* The value of one English number word (lower case), or NAN. */
static double word_value(const char *w, size_t n)
{
	char lw[32];
	for (int i = 0; i < 20; i++) {
		snprintf(lw, sizeof lw, "%s", few[i]);
		lw[0] = (char)(lw[0] | 0x20);
		if (strlen(lw) == n && !memcmp(lw, w, n))
			return i;
		snprintf(lw, sizeof lw, "%s", ordinals[i]);
		lw[0] = (char)(lw[0] | 0x20);
		if (strlen(lw) == n && !memcmp(lw, w, n))
			return i;
	}
	for (int i = 0; i < 8; i++) {
		snprintf(lw, sizeof lw, "%s", decades[i]);
		lw[0] = (char)(lw[0] | 0x20);
		if (strlen(lw) == n && !memcmp(lw, w, n))
			return (i + 2) * 10;
		size_t l = strlen(lw);
		lw[l - 1] = '\0';
		strcat(lw, "ieth");
		if (strlen(lw) == n && !memcmp(lw, w, n))
			return (i + 2) * 10;
	}
	if (n == 7 && !memcmp(w, "hundred", 7))
		return 100;
	if (n == 9 && !memcmp(w, "hundredth", 9))
		return 100;
	for (int i = 0; i < 4; i++) {
		snprintf(lw, sizeof lw, "%s", magnitudes[i]);
		lw[0] = (char)(lw[0] | 0x20);
		size_t l = strlen(lw);
		if ((l == n || (l + 2 == n && w[l] == 't' && w[l + 1] == 'h')) && !memcmp(lw, w, l))
			return pow(10, (i + 1) * 3);
	}
	return NAN;
}

/* wordsToNumber: split at ", ", " and ", blanks and hyphens; sum the
 * segments as the reference does. */
static double words_to_number(struct ustr s)
{
	char text[1024];
	int n = 0;
	for (int i = 0; i < s.n && n < 1023; i++) {
		unsigned ch = s.v[i];
		text[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch < 0x80 ? ch : '?');
	}
	text[n] = '\0';
	double segs[64];
	int ns = 1;
	segs[0] = 0;
	int i = 0;
	while (i <= n) {
		/* the next part ends at a separator: ", " " and " blank '-' */
		int j = i;
		int seplen = 0;
		while (j < n) {
			if (text[j] == ',' && j + 1 < n && (text[j + 1] == ' ' || text[j + 1] == '\t')) {
				seplen = 2;
				break;
			}
			if (text[j] == ' ' && !strncmp(text + j, " and ", 5)) {
				seplen = 5;
				break;
			}
			if (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '-' ||
			    text[j] == '\\') {
				seplen = 1;
				break;
			}
			j++;
		}
		double v = word_value(text + i, (size_t)(j - i));
		if (v < 100 || isnan(v)) {
			double top = segs[--ns];
			if (top >= 1000) {
				segs[ns++] = top;
				top = 0;
			}
			segs[ns++] = top + v;
		} else {
			segs[ns - 1] *= v;
		}
		if (ns >= 63)
			break;
		if (j >= n)
			break;
		i = j + seplen;
	}
	double r = 0;
	for (int k = 0; k < ns; k++)
		r += segs[k];
	return r;
}

/* JS parseInt(digits, 10) of a code point string. */
static double parse_int_digits(struct ustr s)
{
	int i = 0;
	while (i < s.n && (s.v[i] == ' ' || s.v[i] == '\t' || s.v[i] == '\n'))
		i++;
	int neg = 0;
	if (i < s.n && (s.v[i] == '-' || s.v[i] == '+'))
		neg = s.v[i++] == '-';
	double v = 0;
	int any = 0;
	for (; i < s.n && s.v[i] >= '0' && s.v[i] <= '9'; i++) {
		v = v * 10 + (s.v[i] - '0');
		any = 1;
	}
	if (!any)
		return NAN;
	return neg ? -v : v;
}

/* The integer format's matcher.parse. */
static double parse_with(struct jn_ctx *c, const struct ifmt *f, struct ustr value)
{
	switch (f->primary) {
	case IF_LETTERS:
		return letters_to_decimal(value, f->tcase == TC_UPPER ? 'A' : 'a');
	case IF_ROMAN:
		return roman_to_decimal(value);
	case IF_WORDS:
		return words_to_number(value);
	default: {
		struct ustr d = value;
		if (f->ordinal)
			d = jnus_sub(value, 0, value.n - 2);
		/* strip the separators */
		struct ustr out = jnus_repeat(c, 0, d.n);
		if (out.n < 0 && d.n)
			return NAN;
		int n = 0;
		for (int i = 0; i < d.n; i++) {
			unsigned ch = d.v[i];
			int sep = 0;
			if (f->regular)
				sep = ch == ',';
			else
				for (int s = 0; s < f->nseps; s++)
					sep |= f->seps[s].ch == ch;
			if (!sep)
				out.v[n++] = f->zero != 0x30 ? ch - f->zero + 0x30 : ch;
		}
		out.n = n;
		return parse_int_digits(out);
	}
	}
}

FN(jn_fn_parse_integer)
{
	struct jval *v = jn_arg(k, 0), *p = jn_arg(k, 1);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	struct ifmt f;
	struct ustr pic = jnus_from(k->c, jnv_str(p)->s, jnv_str(p)->len);
	if (pic.n < 0 || analyse_integer(k->c, pic, &f))
		return JN_ERR;
	if (f.primary == IF_SEQUENCE) {
		struct jval *t = jnus_value(k->c, f.token);
		return jn_error(k->c, "D3130", -1, t == JN_ERR ? JV_UNDEF : t);
	}
	struct ustr val = jnus_from(k->c, jnv_str(v)->s, jnv_str(v)->len);
	if (val.n < 0)
		return JN_ERR;
	return jnv_number(k->c, parse_with(k->c, &f, val));
}

/* --------------------------------------------------- date/time pictures */

struct part {
	int literal;
	struct ustr text;             /* literal                             */
	unsigned component;
	int wmin, wmax;               /* -1: not given                       */
	struct ustr pres1;
	unsigned pres2;
	int ordinal;
	int names;                    /* -1, or TC_*                          */
	int has_int;
	struct ifmt ifmt;
	int n;
};

struct dtpic {
	struct part parts[64];
	int n;
};

static const char *default_presentation(unsigned comp)
{
	switch (comp) {
	case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x':
	case 'H': case 'h': case 'f':
		return "1";
	case 'F': case 'P': case 'C': case 'E':
		return "n";
	case 'm': case 's':
		return "01";
	case 'Z': case 'z':
		return "01:01";
	}
	return NULL;
}

static int add_literal(struct jn_ctx *c, struct dtpic *d, struct ustr pic, int start, int end)
{
	if (end <= start || d->n >= 64)
		return 0;
	struct ustr lit = jnus_sub(pic, start, end);
	/* ]] stands for ] */
	struct ustr out = jnus_repeat(c, 0, lit.n);
	if (out.n < 0 && lit.n)
		return -1;
	int n = 0;
	for (int i = 0; i < lit.n; i++) {
		out.v[n++] = lit.v[i];
		if (lit.v[i] == ']' && i + 1 < lit.n && lit.v[i + 1] == ']')
			i++;
	}
	out.n = n;
	d->parts[d->n].literal = 1;
	d->parts[d->n].text = out;
	d->n++;
	return 0;
}

static int parse_width(struct ustr w)
{
	if (w.n == 0 || (w.n == 1 && w.v[0] == '*'))
		return -1;
	double v = parse_int_digits(w);
	return isnan(v) || v < 0 ? -1 : v > 1000 ? 1000 : (int)v;
}

/* analyseDateTimePicture. Returns 0 or -1 (error recorded). */
static int analyse_datetime(struct jn_ctx *c, struct ustr pic, struct dtpic *d)
{
	memset(d, 0, sizeof *d);
	int start = 0, pos = 0;
	while (pos < pic.n) {
		if (pic.v[pos] != '[') {
			pos++;
			continue;
		}
		if (pos + 1 < pic.n && pic.v[pos + 1] == '[') {
			if (add_literal(c, d, pic, start, pos))
				return -1;
			if (d->n < 64) {
				d->parts[d->n].literal = 1;
				d->parts[d->n].text = jnus_cstr(c, "[");
				d->n++;
			}
			pos += 2;
			start = pos;
			continue;
		}
		if (add_literal(c, d, pic, start, pos))
			return -1;
		start = pos;
		pos = jnus_index_cp(pic, ']', start);
		if (pos == -1) {
			jn_error(c, "D3135", -1, JV_UNDEF);
			return -1;
		}
		if (d->n >= 64) {
			start = pos + 1;
			pos++;
			continue;
		}
		/* the marker without blanks */
		struct ustr raw = jnus_sub(pic, start + 1, pos);
		struct ustr mk = jnus_repeat(c, 0, raw.n);
		int mn = 0;
		for (int i = 0; i < raw.n; i++)
			if (raw.v[i] != ' ' && raw.v[i] != '\t' && raw.v[i] != '\n' && raw.v[i] != '\r')
				mk.v[mn++] = raw.v[i];
		mk.n = mn;
		struct part *p = &d->parts[d->n];
		memset(p, 0, sizeof *p);
		p->wmin = p->wmax = -1;
		p->names = -1;
		p->component = mk.n ? mk.v[0] : 0;
		int comma = jnus_last_index(mk, jnus_cstr(c, ","));
		struct ustr pres;
		if (comma != -1) {
			struct ustr wm = jnus_sub(mk, comma + 1, mk.n);
			int dash = jnus_index_cp(wm, '-', 0);
			if (dash == -1) {
				p->wmin = parse_width(wm);
			} else {
				p->wmin = parse_width(jnus_sub(wm, 0, dash));
				p->wmax = parse_width(jnus_sub(wm, dash + 1, wm.n));
			}
			pres = jnus_sub(mk, 1, comma);
		} else {
			pres = jnus_sub(mk, 1, mk.n);
		}
		if (pres.n == 1) {
			p->pres1 = pres;
		} else if (pres.n > 1) {
			unsigned last = pres.v[pres.n - 1];
			if (last == 'a' || last == 't' || last == 'c' || last == 'o') {
				p->pres2 = last;
				p->ordinal = last == 'o';
				p->pres1 = jnus_sub(pres, 0, pres.n - 1);
			} else {
				p->pres1 = pres;
			}
		} else {
			const char *dp = default_presentation(p->component);
			if (!dp) {
				struct jval *cv = jnus_value(c, jnus_sub(mk, 0, mk.n ? 1 : 0));
				jn_error(c, "D3132", -1, cv == JN_ERR ? JV_UNDEF : cv);
				return -1;
			}
			p->pres1 = jnus_cstr(c, dp);
		}
		unsigned p0 = p->pres1.n ? p->pres1.v[0] : 0;
		if (p0 == 'n') {
			p->names = TC_LOWER;
		} else if (p0 == 'N') {
			p->names = p->pres1.n > 1 && p->pres1.v[1] == 'n' ? TC_TITLE : TC_UPPER;
		} else if (p->component && strchr("YMDdFWwXxHhmsf", (int)p->component)) {
			struct ustr ip = p->pres1;
			if (p->pres2) {
				ip = jnus_cat(c, ip, jnus_cstr(c, ";"));
				ip = jnus_cat(c, ip, jnus_char(c, p->pres2));
			}
			if (analyse_integer(c, ip, &p->ifmt))
				return -1;
			p->has_int = 1;
			if (p->wmin != -1 && p->ifmt.mandatory < p->wmin)
				p->ifmt.mandatory = p->wmin;
			if (p->component == 'Y') {
				p->n = -1;
				if (p->wmax != -1) {
					p->n = p->wmax;
					p->ifmt.mandatory = p->n;
				} else {
					int w = p->ifmt.mandatory + p->ifmt.optional;
					if (w >= 2)
						p->n = w;
				}
			}
		}
		if (p->has_int && d->n > 0 && !d->parts[d->n - 1].literal &&
		    d->parts[d->n - 1].has_int) {
			/* an integer right after another: the earlier one's width
			 * for parsing must be exact */
			struct ifmt *prev = &d->parts[d->n - 1].ifmt;
			prev->parse_width = prev->mandatory;
		}
		if (p->component == 'Z' || p->component == 'z') {
			if (analyse_integer(c, p->pres1, &p->ifmt))
				return -1;
			p->has_int = 1;
		}
		d->n++;
		start = pos + 1;
		pos++;
	}
	return add_literal(c, d, pic, start, pos);
}

static const char *const day_names[] = {
	"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};
static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December"
};

/* startOfFirstWeek: the Monday of the week holding the first Thursday of
 * the month (ISO 8601, extended by F&O to months). */
static double start_of_first_week(double year, double month)
{
	double jan1 = date_utc(year, month, 1, 0, 0, 0, 0);
	struct civil cv;
	civil_from_ms(jan1, &cv);
	int dow = cv.wday == 0 ? 7 : cv.wday;
	return dow > 4 ? jan1 + (8 - dow) * DAY_MS : jan1 - (dow - 1) * DAY_MS;
}

/* getDateTimeFragment for the integer components; *name set for P/C/E. */
static double fragment(double t, unsigned comp, const char **name)
{
	struct civil cv;
	civil_from_ms(t, &cv);
	*name = NULL;
	switch (comp) {
	case 'Y':
		return cv.y;
	case 'M':
		return cv.m;
	case 'D':
		return cv.d;
	case 'd': {
		double today = date_utc(cv.y, cv.m - 1, cv.d, 0, 0, 0, 0);
		return (today - date_utc(cv.y, 0, 1, 0, 0, 0, 0)) / DAY_MS + 1;
	}
	case 'F':
		return cv.wday == 0 ? 7 : cv.wday;
	case 'W': {
		double s1 = start_of_first_week(cv.y, 0);
		double today = date_utc(cv.y, cv.m - 1, cv.d, 0, 0, 0, 0);
		double week = (today - s1) / (DAY_MS * 7) + 1;
		if (week > 52) {
			if (today >= start_of_first_week(cv.y + 1, 0))
				week = 1;
		} else if (week < 1) {
			week = (today - start_of_first_week(cv.y - 1, 0)) / (DAY_MS * 7) + 1;
		}
		return floor(week);
	}
	case 'w': {
		double s1 = start_of_first_week(cv.y, cv.m - 1);
		double today = date_utc(cv.y, cv.m - 1, cv.d, 0, 0, 0, 0);
		double week = (today - s1) / (DAY_MS * 7) + 1;
		if (week > 4) {
			double ny = cv.m == 12 ? cv.y + 1 : cv.y, nm = cv.m == 12 ? 0 : cv.m;
			if (today >= start_of_first_week(ny, nm))
				week = 1;
		} else if (week < 1) {
			double py = cv.m == 1 ? cv.y - 1 : cv.y, pm = cv.m == 1 ? 11 : cv.m - 2;
			week = (today - start_of_first_week(py, pm)) / (DAY_MS * 7) + 1;
		}
		return floor(week);
	}
	case 'X': {
		double s = start_of_first_week(cv.y, 0), e = start_of_first_week(cv.y + 1, 0);
		return t < s ? cv.y - 1 : t >= e ? cv.y + 1 : cv.y;
	}
	case 'x': {
		double ny = cv.m == 12 ? cv.y + 1 : cv.y, nm = cv.m == 12 ? 0 : cv.m;
		double s = start_of_first_week(cv.y, cv.m - 1), e = start_of_first_week(ny, nm);
		if (t < s)
			return cv.m == 1 ? 12 : cv.m - 1;
		if (t >= e)
			return nm + 1;
		return cv.m;
	}
	case 'H':
		return cv.H;
	case 'h': {
		double h = fmod(cv.H, 12);
		return h == 0 ? 12 : h;
	}
	case 'P':
		*name = cv.H >= 12 ? "pm" : "am";
		return NAN;
	case 'm':
		return cv.M;
	case 's':
		return cv.S;
	case 'f':
		return cv.ms;
	case 'C':
	case 'E':
		*name = "ISO";
		return NAN;
	}
	return NAN;
}

static const char *iso_picture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/* formatDateTime. */
static struct jval *format_datetime(struct jn_ctx *c, double millis, struct ustr picture,
				    struct jval *tz)
{
	double oh = 0, om = 0;
	if (tz != JV_UNDEF) {
		double off = parse_int_digits(jnus_from(c, jnv_str(tz)->s, jnv_str(tz)->len));
		if (!(fabs(off) < 1e6))
			off = 0;   /* parseInt gave NaN (or nonsense): no offset */
		oh = floor(off / 100);
		om = fmod(off, 100);
	}
	struct dtpic *d = jn_alloc(c, sizeof *d);
	if (!d || analyse_datetime(c, picture, d))
		return JN_ERR;
	double t = millis + (60 * oh + om) * 60000;
	struct ustr out = { NULL, 0 };
	for (int i = 0; i < d->n; i++) {
		struct part *p = &d->parts[i];
		if (p->literal) {
			out = jnus_cat(c, out, p->text);
			continue;
		}
		struct ustr piece = { NULL, 0 };
		const char *name;
		double v = fragment(t, p->component, &name);
		unsigned comp = p->component;
		if (comp && strchr("YMDdFWwXxHhms", (int)comp)) {
			if (comp == 'Y' && p->n != -1)
				v = fmod(v, pow(10, p->n));
			if (p->names != -1) {
				const char *nm;
				if (comp == 'M' || comp == 'x')
					nm = month_names[(int)v - 1];
				else if (comp == 'F')
					nm = day_names[(int)v];
				else {
					struct jval *cv = jnus_value(c, jnus_char(c, comp));
					return jn_error(c, "D3133", -1, cv == JN_ERR ? JV_UNDEF : cv);
				}
				piece = jnus_cstr(c, nm);
				if (p->names == TC_UPPER)
					upcase(piece);
				else if (p->names == TC_LOWER)
					downcase(piece);
				if (p->wmax != -1 && piece.n > p->wmax)
					piece = jnus_sub(piece, 0, p->wmax);
			} else {
				piece = format_int(c, v, &p->ifmt);
			}
		} else if (comp == 'f') {
			piece = format_int(c, v, &p->ifmt);
		} else if (comp == 'Z' || comp == 'z') {
			double off = oh * 100 + om;
			if (p->ifmt.regular) {
				piece = format_int(c, off, &p->ifmt);
			} else {
				int nd = p->ifmt.mandatory;
				if (nd == 1 || nd == 2) {
					piece = format_int(c, oh, &p->ifmt);
					if (om != 0 && piece.n >= 0) {
						/* ':' + formatInteger(minutes, '00'), the
						 * sign of a negative offset's minutes kept */
						struct ifmt two;
						analyse_integer(c, jnus_cstr(c, "00"), &two);
						piece = jnus_cat(c, piece, jnus_cstr(c, ":"));
						piece = jnus_cat(c, piece, format_int(c, om, &two));
					}
				} else if (nd == 3 || nd == 4) {
					piece = format_int(c, off, &p->ifmt);
				} else {
					return jn_error(c, "D3134", -1, jnv_number(c, nd));
				}
			}
			if (piece.n < 0)
				return JN_ERR;
			if (off >= 0)
				piece = jnus_cat(c, jnus_cstr(c, "+"), piece);
			if (comp == 'z')
				piece = jnus_cat(c, jnus_cstr(c, "GMT"), piece);
			if (off == 0 && p->pres2 == 't')
				piece = jnus_cstr(c, "Z");
		} else if (name) {
			piece = jnus_cstr(c, name);
			if (comp == 'P' && p->names == TC_UPPER)
				upcase(piece);
		} else if (!comp || !strchr("YMDdFWwXxHhPmsfZzCE", (int)comp)) {
			/* an unknown component with a presentation: the
			 * reference appends its undefined value as text */
			piece = jnus_cstr(c, "undefined");
		}
		if (piece.n < 0)
			return JN_ERR;
		out = jnus_cat(c, out, piece);
		if (out.n < 0)
			return JN_ERR;
	}
	return jnus_value(c, out);
}

FN(jn_fn_from_millis)
{
	struct jval *v = jn_arg(k, 0), *pic = jn_arg(k, 1), *tz = jn_arg(k, 2);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	struct ustr p = pic == JV_UNDEF ? jnus_cstr(k->c, iso_picture) :
			jnus_from(k->c, jnv_str(pic)->s, jnv_str(pic)->len);
	if (p.n < 0)
		return JN_ERR;
	double ms = trunc(jnv_num(v));
	/* new Date(ms) is invalid beyond +-8.64e15 ms (and for NaN) */
	if (!(fabs(ms) <= 8.64e15))
		return JV_UNDEF;
	return format_datetime(k->c, ms, p, tz);
}

FN(jn_fn_now)
{
	struct jval *pic = jn_arg(k, 0), *tz = jn_arg(k, 1);
	struct ustr p = pic == JV_UNDEF ? jnus_cstr(k->c, iso_picture) :
			jnus_from(k->c, jnv_str(pic)->s, jnv_str(pic)->len);
	if (p.n < 0)
		return JN_ERR;
	return format_datetime(k->c, k->c->now_ms, p, tz);
}

FN(jn_fn_millis)
{
	return jnv_number(k->c, k->c->now_ms);
}

/* ------------------------------------------------------ parsing dates */

enum { M_LIT, M_DIGITS, M_LETTERS, M_ROMAN, M_WORDS, M_NAME, M_TZ };

struct mpart {
	int kind;
	struct ustr lit;
	int count;                   /* M_DIGITS: exact count, 0 = one or more */
	int ordinal;                 /* M_DIGITS: th/st/nd/rd follows          */
	int gmt;                     /* M_TZ: "GMT" first                      */
	unsigned sep;                /* M_TZ: separator, 0 = none              */
	struct part *p;
	int start, len;              /* the match                              */
};

static unsigned lower(unsigned ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static int is_digit(unsigned ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_alpha(unsigned ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* How many code points from pos the part's class can take, most first
 * (lengths in out, at most max). Literals and fixed forms give one. */
static int candidates(const struct mpart *m, struct ustr s, int pos, int *out, int max)
{
	int n = 0, run = 0;
	switch (m->kind) {
	case M_LIT:
		if (pos + m->lit.n > s.n)
			return 0;
		for (int i = 0; i < m->lit.n; i++)
			if (lower(s.v[pos + i]) != lower(m->lit.v[i]))
				return 0;
		out[0] = m->lit.n;
		return 1;
	case M_DIGITS:
		while (pos + run < s.n && is_digit(s.v[pos + run]))
			run++;
		if (m->count > 0) {
			if (run < m->count)
				return 0;
			run = m->count;
		}
		for (int l = run; l >= (m->count > 0 ? m->count : 1) && n < max; l--) {
			if (m->ordinal) {
				if (pos + l + 2 > s.n)
					continue;
				unsigned a = lower(s.v[pos + l]), b = lower(s.v[pos + l + 1]);
				if (!((a == 't' && b == 'h') || (a == 's' && b == 't') ||
				      (a == 'n' && b == 'd') || (a == 'r' && b == 'd')))
					continue;
				out[n++] = l + 2;
			} else {
				out[n++] = l;
			}
		}
		return n;
	case M_LETTERS:
	case M_NAME:
		while (pos + run < s.n && is_alpha(s.v[pos + run]))
			run++;
		break;
	case M_ROMAN:
		while (pos + run < s.n && strchr("mdclxvi", (int)lower(s.v[pos + run])) &&
		       s.v[pos + run] != 0)
			run++;
		break;
	case M_WORDS: {
		/* (?:word|and|[-, ])+ : every end a sequence of tokens reaches */
		char reach[512];
		int lim = s.n - pos < 511 ? s.n - pos : 511;
		memset(reach, 0, (size_t)lim + 1);
		reach[0] = 1;
		for (int a = 0; a < lim; a++) {
			if (!reach[a])
				continue;
			unsigned ch = s.v[pos + a];
			if (ch == '-' || ch == ',' || ch == ' ')
				reach[a + 1] = 1;
			int b = a;
			while (b < lim && is_alpha(s.v[pos + b]))
				b++;
			for (int e = b; e > a; e--) {
				char w[40];
				int wl = e - a;
				if (wl >= (int)sizeof w)
					continue;
				for (int q = 0; q < wl; q++)
					w[q] = (char)lower(s.v[pos + a + q]);
				if ((wl == 3 && !memcmp(w, "and", 3)) || !isnan(word_value(w, (size_t)wl)))
					reach[e] = 1;
			}
		}
		for (int l = lim; l >= 1 && n < max; l--)
			if (reach[l])
				out[n++] = l;
		return n;
	}
	case M_TZ: {
		int i = pos;
		if (m->gmt) {
			if (i + 3 > s.n || lower(s.v[i]) != 'g' || lower(s.v[i + 1]) != 'm' ||
			    lower(s.v[i + 2]) != 't')
				return 0;
			i += 3;
		}
		if (i >= s.n || (s.v[i] != '+' && s.v[i] != '-'))
			return 0;
		i++;
		int d = 0;
		while (i + d < s.n && is_digit(s.v[i + d]))
			d++;
		if (!d)
			return 0;
		for (int l = d; l >= 1 && n < max; l--) {
			if (m->sep) {
				int j = i + l;
				if (j >= s.n || s.v[j] != m->sep)
					continue;
				j++;
				int e = 0;
				while (j + e < s.n && is_digit(s.v[j + e]))
					e++;
				for (int l2 = e; l2 >= 1 && n < max; l2--)
					out[n++] = j + l2 - pos;
			} else {
				out[n++] = i + l - pos;
			}
		}
		return n;
	}
	}
	for (int l = run; l >= 1 && n < max; l--)
		out[n++] = l;
	return n;
}

/* Match parts[i..] against s from pos to the end; backtracking, greedy. */
static int match_parts(struct mpart *m, int i, int n, struct ustr s, int pos, int budget[1])
{
	if (--budget[0] < 0)
		return 0;
	if (i == n)
		return pos == s.n;
	int cand[256];
	int nc = candidates(&m[i], s, pos, cand, 256);
	for (int k = 0; k < nc; k++) {
		m[i].start = pos;
		m[i].len = cand[k];
		if (match_parts(m, i + 1, n, s, pos + cand[k], budget))
			return 1;
	}
	return 0;
}

struct comps {
	double v[128];
	unsigned char set[128];
};

static void comp_set(struct comps *cs, unsigned comp, double v)
{
	if (comp < 128) {
		cs->v[comp] = v;
		cs->set[comp] = 1;
	}
}

/* The value a name part stands for (months 1..12, days 1..7, am 0/pm 1),
 * or NAN when the name is not one (the reference's lookup then yields
 * undefined). */
static double name_value(struct jn_ctx *c, const struct part *p, struct ustr text)
{
	if (p->component == 'M' || p->component == 'x') {
		for (int i = 0; i < 12; i++) {
			struct ustr nm = jnus_cstr(c, month_names[i]);
			if (p->wmax > 0)
				nm = jnus_sub(nm, 0, p->wmax);
			if (jnus_eq(nm, text))
				return i + 1;
		}
		return NAN;
	}
	if (p->component == 'F') {
		for (int i = 1; i < 8; i++) {
			struct ustr nm = jnus_cstr(c, day_names[i]);
			if (p->wmax > 0)
				nm = jnus_sub(nm, 0, p->wmax);
			if (jnus_eq(nm, text))
				return i;
		}
		return NAN;
	}
	if (ustr_is(text, "am") || ustr_is(text, "AM"))
		return 0;
	if (ustr_is(text, "pm") || ustr_is(text, "PM"))
		return 1;
	return NAN;
}

/* parseDateTime: millis, or NAN for "no match" (undefined). Returns -1
 * after recording an error. */
static int parse_datetime(struct jn_ctx *c, struct ustr ts, struct ustr picture, double *out)
{
	struct dtpic *d = jn_alloc(c, sizeof *d);
	if (!d || analyse_datetime(c, picture, d))
		return -1;
	struct mpart m[64];
	memset(m, 0, sizeof m);
	for (int i = 0; i < d->n; i++) {
		struct part *p = &d->parts[i];
		m[i].p = p;
		if (p->literal) {
			m[i].kind = M_LIT;
			m[i].lit = p->text;
		} else if (p->component == 'Z' || p->component == 'z') {
			m[i].kind = M_TZ;
			m[i].gmt = p->component == 'z';
			if (p->ifmt.regular)
				m[i].sep = p->ifmt.regchar;
		} else if (p->has_int) {
			switch (p->ifmt.primary) {
			case IF_LETTERS: m[i].kind = M_LETTERS; break;
			case IF_ROMAN: m[i].kind = M_ROMAN; break;
			case IF_WORDS: m[i].kind = M_WORDS; break;
			case IF_DECIMAL:
				m[i].kind = M_DIGITS;
				m[i].count = p->ifmt.parse_width;
				m[i].ordinal = p->ifmt.ordinal;
				break;
			default: {
				struct jval *t = jnus_value(c, p->ifmt.token);
				jn_error(c, "D3130", -1, t == JN_ERR ? JV_UNDEF : t);
				return -1;
			}
			}
		} else {
			if (p->component != 'M' && p->component != 'x' && p->component != 'F' &&
			    p->component != 'P') {
				struct jval *cv = jnus_value(c, jnus_char(c, p->component));
				jn_error(c, "D3133", -1, cv == JN_ERR ? JV_UNDEF : cv);
				return -1;
			}
			m[i].kind = M_NAME;
		}
	}
	int budget = 100000;
	if (!match_parts(m, 0, d->n, ts, 0, &budget)) {
		*out = NAN;
		return 0;
	}
	struct comps cs;
	memset(&cs, 0, sizeof cs);
	int any = 0;
	for (int i = 0; i < d->n; i++) {
		if (m[i].kind == M_LIT)
			continue;
		struct part *p = m[i].p;
		struct ustr text = jnus_sub(ts, m[i].start, m[i].start + m[i].len);
		double v;
		if (m[i].kind == M_TZ) {
			struct ustr t = text;
			if (p->component == 'z')
				t = jnus_sub(t, 3, t.n);
			double hh = 0, mm = 0;
			int sp = m[i].sep ? jnus_index_cp(t, m[i].sep, 0) : -1;
			if (sp != -1) {
				hh = parse_int_digits(jnus_sub(t, 0, sp));
				mm = parse_int_digits(jnus_sub(t, sp + 1, t.n));
			} else if (t.n - 1 <= 2) {
				hh = parse_int_digits(t);
			} else {
				hh = parse_int_digits(jnus_sub(t, 0, 3));
				mm = parse_int_digits(jnus_sub(t, 3, t.n));
			}
			v = hh * 60 + mm;
		} else if (m[i].kind == M_NAME) {
			v = name_value(c, p, text);
		} else {
			v = parse_with(c, &p->ifmt, text);
		}
		any = 1;
		if (!isnan(v))
			comp_set(&cs, p->component, v);
		else if (p->component < 128)
			cs.set[p->component] = 2;   /* present but undefined */
	}
	if (!any) {
		*out = NAN;
		return 0;
	}
	/* which date and time forms were given (bit masks as the reference) */
	int mask = 0;
	const char *dparts = "YXMxWwdD";
	for (const char *q = dparts; *q; q++)
		mask = (mask << 1) | (cs.set[(int)*q] == 1 && cs.v[(int)*q] != 0);
#define IS_TYPE(t) (!(~(t) & mask) && !!((t) & mask))
	int dateA = IS_TYPE(161);
	int dateB = !dateA && IS_TYPE(130);
	int dateC = IS_TYPE(84);
	int dateD = !dateC && IS_TYPE(72);
	mask = 0;
	for (const char *q = "PHhmsf"; *q; q++)
		mask = (mask << 1) | (cs.set[(int)*q] == 1 && cs.v[(int)*q] != 0);
	int timeA = IS_TYPE(23);
	int timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
	const char *dc = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD";
	const char *tc = timeB ? "Phmsf" : "Hmsf";
	char comps[16];
	snprintf(comps, sizeof comps, "%s%s", dc, tc);
	int start_specified = 0, end_specified = 0;
	for (const char *q = comps; *q; q++) {
		int part = *q;
		if (cs.set[part] != 1) {
			if (start_specified) {
				comp_set(&cs, (unsigned)part, strchr("MDd", part) ? 1 : 0);
				end_specified = 1;
			} else {
				const char *name;
				double v = fragment(c->now_ms, (unsigned)part, &name);
				comp_set(&cs, (unsigned)part, v);
			}
		} else {
			start_specified = 1;
			if (end_specified)
				return jn_error(c, "D3136", -1, JV_UNDEF), -1;
		}
	}
	double M = cs.v['M'] > 0 ? cs.v['M'] - 1 : 0;
	double D = cs.v['D'];
	if (dateB) {
		double first = date_utc(cs.v['Y'], 0, 1, 0, 0, 0, 0);
		struct civil cv;
		civil_from_ms(first + (cs.v['d'] - 1) * DAY_MS, &cv);
		M = cv.m - 1;
		D = cv.d;
	}
	if (dateC || dateD)
		return jn_error(c, "D3136", -1, JV_UNDEF), -1;
	double H = cs.v['H'];
	if (timeB) {
		H = cs.v['h'] == 12 ? 0 : cs.v['h'];
		if (cs.set['P'] == 1 && cs.v['P'] == 1)
			H += 12;
	}
	double millis = date_utc(cs.v['Y'], M, D, H, cs.v['m'], cs.v['s'], cs.v['f']);
	double z = cs.set['Z'] == 1 && cs.v['Z'] ? cs.v['Z'] : cs.set['z'] == 1 ? cs.v['z'] : 0;
	if (z)
		millis -= z * 60000;
	*out = millis;
	return 0;
}

/* Date.parse of the ISO 8601 forms the reference's pattern admits:
 * ^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?
 * ([+-][0-2]\d:?[0-5]\d|Z)?$ . Returns 1 and *ms, or 0 when the text does
 * not have that shape (D3110), or 1 with NAN for an impossible date. */
static int parse_iso(const char *s, size_t len, double *ms)
{
	size_t i = 0;
	double f[3] = { 0, 1, 1 };
	int nf = 0;
	for (int k = 0; k < 4; k++)
		if (i >= len || !is_digit((unsigned char)s[i++]))
			return 0;
	f[0] = atof(s);
	nf = 1;
	while (i < len && s[i] == '-' && nf < 3) {
		if (i + 2 >= len || !is_digit((unsigned char)s[i + 1]) ||
		    !is_digit((unsigned char)s[i + 2]))
			return 0;
		f[nf++] = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
		i += 3;
	}
	double hh = 0, mi = 0, ss = 0, frac = 0;
	int has_time = 0;
	if (i < len && s[i] == 'T') {
		if (i + 9 > len)
			return 0;
		const char *t = s + i + 1;
		if (!(is_digit((unsigned char)t[0]) && is_digit((unsigned char)t[1]) && t[2] == ':' &&
		      is_digit((unsigned char)t[3]) && is_digit((unsigned char)t[4]) && t[5] == ':' &&
		      is_digit((unsigned char)t[6]) && is_digit((unsigned char)t[7])))
			return 0;
		hh = (t[0] - '0') * 10 + (t[1] - '0');
		mi = (t[3] - '0') * 10 + (t[4] - '0');
		ss = (t[6] - '0') * 10 + (t[7] - '0');
		has_time = 1;
		i += 9;
	}
	if (i < len && s[i] == '.') {
		i++;
		size_t st = i;
		double scale = 100;
		while (i < len && is_digit((unsigned char)s[i])) {
			if (scale >= 1)
				frac += (s[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == st)
			return 0;
	}
	double off = 0;
	if (i < len && s[i] == 'Z') {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		i++;
		if (i + 1 >= len || !is_digit((unsigned char)s[i]) || !is_digit((unsigned char)s[i + 1]))
			return 0;
		double oh = (s[i] - '0') * 10 + (s[i + 1] - '0');
		i += 2;
		if (i < len && s[i] == ':')
			i++;
		if (i + 1 >= len || !is_digit((unsigned char)s[i]) || !is_digit((unsigned char)s[i + 1]))
			return 0;
		double om = (s[i] - '0') * 10 + (s[i + 1] - '0');
		i += 2;
		off = sign * (oh * 60 + om);
	}
	if (i != len)
		return 0;
	(void)has_time;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || hh > 24 || mi > 59 || ss > 59) {
		*ms = NAN;
		return 1;
	}
	*ms = date_utc(f[0], f[1] - 1, f[2], hh, mi, ss, frac) - off * 60000;
	return 1;
}

FN(jn_fn_to_millis)
{
	struct jval *v = jn_arg(k, 0), *pic = jn_arg(k, 1);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	double ms;
	if (pic == JV_UNDEF) {
		if (!parse_iso(jnv_str(v)->s, jnv_str(v)->len, &ms))
			return jn_error(k->c, "D3110", -1, v);
		return jnv_number(k->c, ms);
	}
	struct ustr ts = jnus_from(k->c, jnv_str(v)->s, jnv_str(v)->len);
	struct ustr p = jnus_from(k->c, jnv_str(pic)->s, jnv_str(pic)->len);
	if (ts.n < 0 || p.n < 0)
		return JN_ERR;
	if (parse_datetime(k->c, ts, p, &ms))
		return JN_ERR;
	if (isnan(ms))
		return JV_UNDEF;
	return jnv_number(k->c, ms);
}
