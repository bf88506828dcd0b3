/*
 * choice.c - the data-test expressions of Choice rules (JSONPath mode): one
 * comparison of a Variable's value against a constant or, for the ...Path
 * operators, against a second value from the input.
 *
 * The rules followed are those of the "Choice workflow state" page of the AWS
 * Step Functions developer guide:
 *   - "For each of these operators, the corresponding value must be of the
 *     appropriate type: string, number, Boolean, or timestamp. Step Functions
 *     doesn't attempt to match a numeric field to a string value." A value of
 *     the wrong type makes the comparison false, never an error.
 *   - Timestamps are strings holding an RFC 3339 instant (rt_time_parse); they
 *     are compared as instants, so offsets are taken into account.
 *   - "To understand the behavior of string comparisons, see the Java compareTo
 *     documentation": strings are ordered by UTF-16 code units (java_strcmp).
 *   - StringMatches: "*" is the only special character; "\\*" (in the JSON
 *     text, i.e. backslash star) is a literal star.
 */
#include "rt.h"

#include <math.h>

/* The operand type an operator wants, and the relation it tests. */
enum family { FAM_STRING, FAM_MATCH, FAM_NUMERIC, FAM_BOOLEAN, FAM_TIMESTAMP, FAM_IS };
enum rel { REL_EQ, REL_LT, REL_GT, REL_LE, REL_GE };

static const struct {
	enum family fam;
	enum rel rel;
} ops[] = {
	[ASLRT_C_STRING_EQ] = { FAM_STRING, REL_EQ },
	[ASLRT_C_STRING_LT] = { FAM_STRING, REL_LT },
	[ASLRT_C_STRING_GT] = { FAM_STRING, REL_GT },
	[ASLRT_C_STRING_LE] = { FAM_STRING, REL_LE },
	[ASLRT_C_STRING_GE] = { FAM_STRING, REL_GE },
	[ASLRT_C_STRING_MATCHES] = { FAM_MATCH, REL_EQ },
	[ASLRT_C_NUMERIC_EQ] = { FAM_NUMERIC, REL_EQ },
	[ASLRT_C_NUMERIC_LT] = { FAM_NUMERIC, REL_LT },
	[ASLRT_C_NUMERIC_GT] = { FAM_NUMERIC, REL_GT },
	[ASLRT_C_NUMERIC_LE] = { FAM_NUMERIC, REL_LE },
	[ASLRT_C_NUMERIC_GE] = { FAM_NUMERIC, REL_GE },
	[ASLRT_C_BOOLEAN_EQ] = { FAM_BOOLEAN, REL_EQ },
	[ASLRT_C_TIMESTAMP_EQ] = { FAM_TIMESTAMP, REL_EQ },
	[ASLRT_C_TIMESTAMP_LT] = { FAM_TIMESTAMP, REL_LT },
	[ASLRT_C_TIMESTAMP_GT] = { FAM_TIMESTAMP, REL_GT },
	[ASLRT_C_TIMESTAMP_LE] = { FAM_TIMESTAMP, REL_LE },
	[ASLRT_C_TIMESTAMP_GE] = { FAM_TIMESTAMP, REL_GE },
	[ASLRT_C_IS_NULL] = { FAM_IS, REL_EQ },
	[ASLRT_C_IS_PRESENT] = { FAM_IS, REL_EQ },
	[ASLRT_C_IS_NUMERIC] = { FAM_IS, REL_EQ },
	[ASLRT_C_IS_STRING] = { FAM_IS, REL_EQ },
	[ASLRT_C_IS_BOOLEAN] = { FAM_IS, REL_EQ },
	[ASLRT_C_IS_TIMESTAMP] = { FAM_IS, REL_EQ },
};

/* Whether the three-way comparison result cmp (<0, 0, >0) satisfies r. */
static int holds(enum rel r, int cmp)
{
	switch (r) {
	case REL_EQ: return cmp == 0;
	case REL_LT: return cmp < 0;
	case REL_GT: return cmp > 0;
	case REL_LE: return cmp <= 0;
	case REL_GE: return cmp >= 0;
	}
	return 0;
}

/*
 * Java's String.compareTo for two UTF-8 strings (borrowed): order by UTF-16
 * code units. That is UTF-8 byte order except for one case: a code point above
 * U+FFFF (UTF-8 lead byte F0..F4, UTF-16 surrogates D800..DFFF) sorts BEFORE
 * one in U+E000..U+FFFF (lead byte EE or EF) in UTF-16, after it in bytes. The
 * first differing bytes decide; when they are both lead bytes of those two
 * classes, the byte order is reversed. (Where they are continuation bytes, the
 * lead bytes were equal, so both code points are in the same class.)
 */
static int java_strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	if ((*x >= 0xF0 && (*y == 0xEE || *y == 0xEF)) ||
	    (*y >= 0xF0 && (*x == 0xEE || *x == 0xEF)))
		return *x < *y ? 1 : -1;
	return *x < *y ? -1 : 1;
}

/* Three-way comparison of two instants. */
static int time_cmp(struct aslrt_time a, struct aslrt_time b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

/* 1 and the instant in *t when v (borrowed) is a string holding a valid
 * RFC 3339 timestamp, else 0. */
static int as_time(const cJSON *v, struct aslrt_time *t)
{
	return cJSON_IsString(v) && v->valuestring && rt_time_parse(v->valuestring, t) == 0;
}

/* The truth of Is* test op for v (NULL = absent), before comparing it with the
 * expected value. */
static int type_fact(enum aslrt_cop op, const cJSON *v)
{
	struct aslrt_time t;

	switch (op) {
	case ASLRT_C_IS_NULL: return cJSON_IsNull(v);
	case ASLRT_C_IS_PRESENT: return v != NULL;
	case ASLRT_C_IS_NUMERIC: return cJSON_IsNumber(v);
	case ASLRT_C_IS_STRING: return cJSON_IsString(v);
	case ASLRT_C_IS_BOOLEAN: return cJSON_IsBool(v);
	case ASLRT_C_IS_TIMESTAMP: return as_time(v, &t);
	default: return 0;
	}
}

/*
 * The truth (1 or 0) of data test c for the Variable's value v and, when
 * c->rhs_path is set (a ...Path operator), the value rhs it selected; all
 * borrowed. Otherwise the operand is the constant of c's family: c->str,
 * c->num, c->boolean or c->ts. For Is* tests c->boolean is the expected truth
 * ("IsNull": false means "is not null"). v == NULL means absent: IsPresent
 * tests that; every other test of an absent value (or absent rhs) is false.
 * A value of the wrong type is false too: the string "5" is not numeric, a
 * timestamp operand must be a string that rt_time_parse accepts.
 */
int rt_cond_test(const struct aslrt_cond *c, const cJSON *v, const cJSON *rhs)
{
	int use_rhs;
	enum rel rel;

	if (!c || (unsigned)c->op >= sizeof ops / sizeof ops[0])
		return 0;
	rel = ops[c->op].rel;
	use_rhs = c->rhs_path != NULL;
	if (use_rhs && !rhs && ops[c->op].fam != FAM_IS && ops[c->op].fam != FAM_MATCH)
		return 0;

	switch (ops[c->op].fam) {
	case FAM_IS:
		return type_fact(c->op, v) == (c->boolean != 0);
	case FAM_MATCH:
		/* AWS has no StringMatchesPath: the pattern is always constant. */
		return cJSON_IsString(v) && v->valuestring && c->str &&
		       rt_string_matches(v->valuestring, c->str);
	case FAM_STRING: {
		const char *b = use_rhs ? (cJSON_IsString(rhs) ? rhs->valuestring : NULL) : c->str;

		if (!cJSON_IsString(v) || !v->valuestring || !b)
			return 0;
		return holds(rel, java_strcmp(v->valuestring, b));
	}
	case FAM_NUMERIC: {
		double a, b;

		if (!cJSON_IsNumber(v) || (use_rhs && !cJSON_IsNumber(rhs)))
			return 0;
		a = v->valuedouble;
		b = use_rhs ? rhs->valuedouble : c->num;
		if (isnan(a) || isnan(b))
			return 0;
		return holds(rel, a < b ? -1 : a > b ? 1 : 0);
	}
	case FAM_BOOLEAN:
		if (!cJSON_IsBool(v) || (use_rhs && !cJSON_IsBool(rhs)))
			return 0;
		return cJSON_IsTrue(v) == (use_rhs ? cJSON_IsTrue(rhs) : c->boolean != 0);
	case FAM_TIMESTAMP: {
		struct aslrt_time a, b = c->ts;

		if (!as_time(v, &a) || (use_rhs && !as_time(rhs, &b)))
			return 0;
		return holds(rel, time_cmp(a, b));
	}
	}
	return 0;
}

/*
 * Read the pattern token at p: sets *lit to the byte it matches and returns its
 * length, or returns 1 with *lit = -1 for an unescaped `*`. `\*` is a literal
 * star and `\\` a literal backslash; a backslash before anything else (or at
 * the end) stands for itself, since "no characters other than * have any
 * special meaning".
 */
static size_t pat_token(const char *p, int *lit)
{
	if (p[0] == '\\' && (p[1] == '*' || p[1] == '\\')) {
		*lit = (unsigned char)p[1];
		return 2;
	}
	*lit = p[0] == '*' ? -1 : (unsigned char)p[0];
	return 1;
}

/*
 * AWS StringMatches: 1 when all of s matches pattern (both borrowed), else 0.
 * `*` matches any run of bytes, possibly empty. Greedy with backtracking to
 * the latest star only, which is enough for star-only patterns and keeps the
 * match O(len(s) * len(pattern)) at worst.
 */
int rt_string_matches(const char *s, const char *pattern)
{
	const char *p = pattern, *star_p = NULL, *star_s = NULL;
	int lit;

	if (!s || !pattern)
		return 0;
	while (*s) {
		size_t n = *p ? pat_token(p, &lit) : 0;

		if (n && lit < 0) {
			p += n;
			star_p = p;
			star_s = s;
		} else if (n && lit == (unsigned char)*s) {
			p += n;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*p && pat_token(p, &lit) == 1 && lit < 0)
		p++;
	return *p == '\0';
}
