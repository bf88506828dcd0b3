/*
 * fn_format.c - $formatNumber: the XPath F&O 3.1 fn:format-number picture
 * language (section 4.7) as the reference implementation (functions.js
 * formatNumber) applies it: sub-pictures for positive and negative
 * values, prefix and suffix, mandatory and optional digits of any decimal
 * digit family, grouping (regular or at given positions), percent and
 * per-mille, exponents; the decimal format properties can be overridden by
 * the options object. Picture errors are D3080..D3093.
 *
 * $formatInteger and $parseInteger are in datetime.c, with the date/time
 * pictures that share their integer-picture language.
 */
#include "fn.h"
#include "ustr.h"

#include <math.h>
#include <string.h>

double jn_round_half_even(double arg, double precision);

enum {
	P_DECIMAL, P_GROUPING, P_EXPONENT, P_INFINITY, P_MINUS, P_NAN, P_PERCENT,
	P_PERMILLE, P_ZERO, P_DIGIT, P_PATTERN, P_COUNT
};

static const char *const prop_names[P_COUNT] = {
	"decimal-separator", "grouping-separator", "exponent-separator", "infinity",
	"minus-sign", "NaN", "percent", "per-mille", "zero-digit", "digit", "pattern-separator"
};
static const char *const prop_defaults[P_COUNT] = {
	".", ",", "e", "Infinity", "-", "NaN", "%", "\xe2\x80\xb0", "0", "#", ";"
};

struct fmt {
	struct jn_ctx *c;
	struct ustr p[P_COUNT];
	unsigned family[10];           /* the decimal digit family          */
};

static int in_family(const struct fmt *f, unsigned ch)
{
	return ch >= f->family[0] && ch <= f->family[9];
}

/* activeChars.indexOf(ch) !== -1: a digit, or a one-character property
 * among the decimal, exponent and grouping separators, the digit sign and
 * the pattern separator. */
static int active(const struct fmt *f, unsigned ch)
{
	static const int props[] = { P_DECIMAL, P_EXPONENT, P_GROUPING, P_DIGIT, P_PATTERN };
	if (in_family(f, ch))
		return 1;
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
		if (f->p[props[i]].n == 1 && f->p[props[i]].v[0] == ch)
			return 1;
	return 0;
}

static int is_prop(const struct fmt *f, int prop, unsigned ch)
{
	return f->p[prop].n == 1 && f->p[prop].v[0] == ch;
}

struct parts {
	struct ustr prefix, suffix, active, mantissa, exponent, integer, fraction, sub;
	int has_exponent;
};

static struct parts split_parts(const struct fmt *f, struct ustr sub)
{
	struct parts r;
	memset(&r, 0, sizeof r);
	r.sub = sub;
	int i;
	for (i = 0; i < sub.n; i++)
		if (active(f, sub.v[i]) && !is_prop(f, P_EXPONENT, sub.v[i]))
			break;
	r.prefix = jnus_sub(sub, 0, i < sub.n ? i : 0);
	for (i = sub.n - 1; i >= 0; i--)
		if (active(f, sub.v[i]) && !is_prop(f, P_EXPONENT, sub.v[i]))
			break;
	r.suffix = i >= 0 ? jnus_sub(sub, i + 1, sub.n) : jnus_sub(sub, 0, 0);
	r.active = jnus_sub(sub, r.prefix.n, sub.n - r.suffix.n);
	int ep = jnus_index(sub, f->p[P_EXPONENT], r.prefix.n);
	if (ep == -1 || ep > sub.n - r.suffix.n) {
		r.mantissa = r.active;
	} else {
		/* the reference indexes the active part with a position in the
		 * whole sub-picture */
		r.mantissa = jnus_sub(r.active, 0, ep);
		r.exponent = jnus_sub(r.active, ep + 1, r.active.n);
		r.has_exponent = 1;
	}
	int dp = jnus_index(r.mantissa, f->p[P_DECIMAL], 0);
	if (dp == -1) {
		r.integer = r.mantissa;
		r.fraction = r.suffix;
	} else {
		r.integer = jnus_sub(r.mantissa, 0, dp);
		r.fraction = jnus_sub(r.mantissa, dp + 1, r.mantissa.n);
	}
	return r;
}

static int count_digits(const struct fmt *f, struct ustr s, int optional_too)
{
	int n = 0;
	for (int i = 0; i < s.n; i++)
		if (in_family(f, s.v[i]) || (optional_too && is_prop(f, P_DIGIT, s.v[i])))
			n++;
	return n;
}

/* F&O 4.7.3: the errors a sub-picture can have (the last one found wins,
 * as in the reference). */
static const char *validate(const struct fmt *f, const struct parts *pp)
{
	const char *err = NULL;
	struct ustr sub = pp->sub;
	int dpos = jnus_index(sub, f->p[P_DECIMAL], 0);
	if (dpos != jnus_last_index(sub, f->p[P_DECIMAL]))
		err = "D3081";
	if (jnus_index(sub, f->p[P_PERCENT], 0) != jnus_last_index(sub, f->p[P_PERCENT]))
		err = "D3082";
	if (jnus_index(sub, f->p[P_PERMILLE], 0) != jnus_last_index(sub, f->p[P_PERMILLE]))
		err = "D3083";
	if (jnus_index(sub, f->p[P_PERCENT], 0) != -1 && jnus_index(sub, f->p[P_PERMILLE], 0) != -1)
		err = "D3084";
	if (count_digits(f, pp->mantissa, 1) == 0)
		err = "D3085";
	for (int i = 0; i < pp->active.n; i++)
		if (!active(f, pp->active.v[i]))
			err = "D3086";
	if (dpos != -1) {
		if ((dpos > 0 && is_prop(f, P_GROUPING, sub.v[dpos - 1])) ||
		    (dpos + 1 < sub.n && is_prop(f, P_GROUPING, sub.v[dpos + 1])))
			err = "D3087";
	} else if (pp->integer.n && is_prop(f, P_GROUPING, pp->integer.v[pp->integer.n - 1])) {
		err = "D3088";
	}
	struct ustr gg = jnus_cat(f->c, f->p[P_GROUPING], f->p[P_GROUPING]);
	if (gg.n > 0 && jnus_index(sub, gg, 0) != -1)
		err = "D3089";
	int opt = jnus_index(pp->integer, f->p[P_DIGIT], 0);
	if (opt != -1 && count_digits(f, jnus_sub(pp->integer, 0, opt), 0) > 0)
		err = "D3090";
	opt = jnus_last_index(pp->fraction, f->p[P_DIGIT]);
	if (opt != -1 && count_digits(f, jnus_sub(pp->fraction, opt, pp->fraction.n), 0) > 0)
		err = "D3091";
	if (pp->has_exponent && pp->exponent.n > 0 &&
	    (jnus_index(sub, f->p[P_PERCENT], 0) != -1 || jnus_index(sub, f->p[P_PERMILLE], 0) != -1))
		err = "D3092";
	if (pp->has_exponent &&
	    (pp->exponent.n == 0 || count_digits(f, pp->exponent, 0) != pp->exponent.n))
		err = "D3093";
	return err;
}

struct pic {
	int grouping[64], ngrouping;   /* integer part grouping positions   */
	int regular;
	int min_int, scaling;
	struct ustr prefix, suffix, picture;
	int fgrouping[64], nfgrouping;
	int min_frac, max_frac, min_exp;
};

/* getGroupingPositions (with the reference's quirk: the next separator is
 * always searched in the integer part). */
static int grouping_positions(const struct fmt *f, struct ustr part, struct ustr integer,
			      int to_left, int *out)
{
	int n = 0;
	int gp = jnus_index(part, f->p[P_GROUPING], 0);
	while (gp != -1 && n < 64) {
		struct ustr side = to_left ? jnus_sub(part, 0, gp) : jnus_sub(part, gp, part.n);
		out[n++] = count_digits(f, side, 1);
		gp = jnus_index(integer, f->p[P_GROUPING], gp + 1);
	}
	return n;
}

static int gcd(int a, int b)
{
	return b == 0 ? a : gcd(b, a % b);
}

static void analyse(const struct fmt *f, const struct parts *pp, struct pic *p)
{
	memset(p, 0, sizeof *p);
	p->ngrouping = grouping_positions(f, pp->integer, pp->integer, 0, p->grouping);
	if (p->ngrouping > 0) {
		int factor = p->grouping[0];
		for (int i = 1; i < p->ngrouping; i++)
			factor = gcd(factor, p->grouping[i]);
		p->regular = factor;
		for (int k = 1; k <= p->ngrouping && p->regular; k++) {
			int found = 0;
			for (int i = 0; i < p->ngrouping; i++)
				found |= p->grouping[i] == k * factor;
			if (!found)
				p->regular = 0;
		}
	}
	p->nfgrouping = grouping_positions(f, pp->fraction, pp->integer, 1, p->fgrouping);
	p->min_int = count_digits(f, pp->integer, 0);
	p->scaling = p->min_int;
	p->min_frac = count_digits(f, pp->fraction, 0);
	p->max_frac = count_digits(f, pp->fraction, 1);
	if (p->min_int == 0 && p->max_frac == 0) {
		if (pp->has_exponent) {
			p->min_frac = 1;
			p->max_frac = 1;
		} else {
			p->min_int = 1;
		}
	}
	if (pp->has_exponent && p->min_int == 0 && jnus_index(pp->integer, f->p[P_DIGIT], 0) != -1)
		p->min_int = 1;
	if (p->min_int == 0 && p->min_frac == 0)
		p->min_frac = 1;
	if (pp->has_exponent)
		p->min_exp = count_digits(f, pp->exponent, 0);
	p->prefix = pp->prefix;
	p->suffix = pp->suffix;
	p->picture = pp->sub;
}

/* Math.abs(v).toFixed(dp) in the picture's digit family. */
static struct ustr make_string(const struct fmt *f, double v, int dp)
{
	char buf[1400];
	jn_num_fixed(fabs(v), dp > 100 ? 100 : dp, buf, sizeof buf);
	struct ustr r = jnus_cstr(f->c, buf);
	for (int i = 0; i < r.n; i++)
		if (r.v[i] >= '0' && r.v[i] <= '9')
			r.v[i] = f->family[r.v[i] - '0'];
	return r;
}

FN(jn_fn_format_number)
{
	struct jn_ctx *c = k->c;
	struct jval *v = jn_arg(k, 0), *pv = jn_arg(k, 1), *opts = jn_arg(k, 2);
	if (v == JV_UNDEF)
		return JV_UNDEF;
	double value = jnv_num(v);
	if (!isfinite(value)) {
		/* XPath: NaN and infinity print the NaN / infinity properties */
		const char *name = isnan(value) ? "NaN" : "infinity";
		struct jval *o = jnv_type(opts) == JT_OBJ ?
				 jnv_obj_get(jnv_obj(opts), name, strlen(name)) : JV_UNDEF;
		if (jnv_type(o) == JT_STR)
			return o;
		return jnv_cstring(c, isnan(value) ? "NaN" : value < 0 ? "-Infinity" : "Infinity");
	}
	struct fmt f;
	memset(&f, 0, sizeof f);
	f.c = c;
	for (int i = 0; i < P_COUNT; i++) {
		struct jval *o = jnv_type(opts) == JT_OBJ ?
				 jnv_obj_get(jnv_obj(opts), prop_names[i], strlen(prop_names[i])) :
				 JV_UNDEF;
		if (jnv_type(o) == JT_STR)
			f.p[i] = jnus_from(c, jnv_str(o)->s, jnv_str(o)->len);
		else
			f.p[i] = jnus_cstr(c, prop_defaults[i]);
		if (f.p[i].n < 0)
			return JN_ERR;
	}
	unsigned zero = f.p[P_ZERO].n ? f.p[P_ZERO].v[0] : '0';
	for (int i = 0; i < 10; i++)
		f.family[i] = zero + (unsigned)i;
	struct ustr picture = jnus_from(c, jnv_str(pv)->s, jnv_str(pv)->len);
	if (picture.n < 0)
		return JN_ERR;
	/* picture.split(pattern-separator) */
	struct ustr subs[3];
	int nsub = 0, from = 0;
	for (;;) {
		int at = f.p[P_PATTERN].n ? jnus_index(picture, f.p[P_PATTERN], from) : -1;
		if (nsub == 2 && at != -1)
			return jn_error(c, "D3080", -1, JV_UNDEF);
		if (at == -1) {
			subs[nsub++] = jnus_sub(picture, from, picture.n);
			break;
		}
		subs[nsub++] = jnus_sub(picture, from, at);
		from = at + f.p[P_PATTERN].n;
	}
	if (nsub > 2)
		return jn_error(c, "D3080", -1, JV_UNDEF);
	struct parts parts[2];
	for (int i = 0; i < nsub; i++) {
		parts[i] = split_parts(&f, subs[i]);
		const char *err = validate(&f, &parts[i]);
		if (err)
			return jn_error(c, err, -1, JV_UNDEF);
	}
	struct pic pics[2];
	for (int i = 0; i < nsub; i++)
		analyse(&f, &parts[i], &pics[i]);
	if (nsub == 1) {
		pics[1] = pics[0];
		pics[1].prefix = jnus_cat(c, f.p[P_MINUS], pics[0].prefix);
	}
	struct pic *pic = value >= 0 ? &pics[0] : &pics[1];
	double adjusted = value;
	if (jnus_index(pic->picture, f.p[P_PERCENT], 0) != -1)
		adjusted = value * 100;
	else if (jnus_index(pic->picture, f.p[P_PERMILLE], 0) != -1)
		adjusted = value * 1000;
	double mantissa = adjusted, exponent = 0;
	int has_exp = pic->min_exp != 0;
	if (has_exp && mantissa != 0 && isfinite(mantissa)) {
		double maxm = pow(10, pic->scaling), minm = pow(10, pic->scaling - 1);
		while (fabs(mantissa) < minm) {
			mantissa *= 10;
			exponent -= 1;
		}
		while (fabs(mantissa) > maxm) {
			mantissa /= 10;
			exponent += 1;
		}
	}
	double rounded = jn_round_half_even(mantissa, pic->max_frac);
	struct ustr s = make_string(&f, rounded, pic->max_frac);
	struct ustr dec = f.p[P_DECIMAL];
	struct ustr dot = jnus_cstr(c, ".");
	int dpos = jnus_index(s, dot, 0);
	if (dpos == -1)
		s = jnus_cat(c, s, dec);
	else
		s = jnus_cat(c, jnus_cat(c, jnus_sub(s, 0, dpos), dec), jnus_sub(s, dpos + 1, s.n));
	while (s.n > 0 && s.v[0] == zero)
		s = jnus_sub(s, 1, s.n);
	while (s.n > 0 && s.v[s.n - 1] == zero)
		s = jnus_sub(s, 0, s.n - 1);
	dpos = jnus_index(s, dec, 0);
	int pad_left = pic->min_int - dpos;
	int pad_right = pic->min_frac - (s.n - dpos - 1);
	if (pad_left > 0)
		s = jnus_cat(c, jnus_repeat(c, zero, pad_left), s);
	if (pad_right > 0)
		s = jnus_cat(c, s, jnus_repeat(c, zero, pad_right));
	dpos = jnus_index(s, dec, 0);
	struct ustr gsep = f.p[P_GROUPING];
	if (pic->regular > 0) {
		int groups = (dpos - 1) / pic->regular;
		for (int g = 1; g <= groups; g++)
			s = jnus_insert(c, s, dpos - g * pic->regular, gsep);
	} else {
		for (int i = 0; i < pic->ngrouping; i++) {
			s = jnus_insert(c, s, dpos - pic->grouping[i], gsep);
			dpos++;
		}
	}
	dpos = jnus_index(s, dec, 0);
	for (int i = 0; i < pic->nfgrouping; i++)
		s = jnus_insert(c, s, pic->fgrouping[i] + dpos + 1, gsep);
	dpos = jnus_index(s, dec, 0);
	if (jnus_index(pic->picture, dec, 0) == -1 || dpos == s.n - 1)
		s = jnus_sub(s, 0, s.n - 1);
	if (has_exp) {
		struct ustr e = make_string(&f, exponent, 0);
		int pad = pic->min_exp - e.n;
		if (pad > 0)
			e = jnus_cat(c, jnus_repeat(c, zero, pad), e);
		s = jnus_cat(c, s, f.p[P_EXPONENT]);
		if (exponent < 0)
			s = jnus_cat(c, s, f.p[P_MINUS]);
		s = jnus_cat(c, s, e);
	}
	s = jnus_cat(c, jnus_cat(c, pic->prefix, s), pic->suffix);
	return jnus_value(c, s);
}
