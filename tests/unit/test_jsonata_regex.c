/*
 * test_jsonata_regex.c - JavaScript regular expressions: compiled by
 * compiler/jsonata_regex.c, run by runtime/jsonata/regex.c. Each match is
 * checked against what JavaScript's RegExp.prototype.exec returns for the
 * same pattern and subject (positions are byte offsets here).
 */
#include "jsonata_build.h"
#include "jsonata/jn.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Compile pat with flags ("i", "m") and exec it on s from 0. Returns the
 * match result; caps (room for 20) receives the offsets. */
static int run(const char *pat, const char *flags, const char *s, long *caps)
{
	unsigned fl = 0;
	for (const char *f = flags; *f; f++)
		fl |= *f == 'i' ? ASLRT_JN_RE_ICASE : ASLRT_JN_RE_MULTILINE;
	const char *msg = NULL;
	struct aslrt_jn_regex *re = asl_jn_regex_compile(pat, strlen(pat), fl, &msg);
	ck_assert_msg(re != NULL, "/%s/ rejected: %s", pat, msg ? msg : "?");
	ck_assert_int_le(re->ngroups, 9);
	int r = jn_regex_exec(re, s, strlen(s), 0, caps);
	free(re);
	return r;
}

/* The match (group g) as text, or "-" when the group did not take part. */
static void group_is(const char *s, const long *caps, int g, const char *want)
{
	char got[256];
	if (caps[2 * g] < 0)
		strcpy(got, "-");
	else
		snprintf(got, sizeof got, "%.*s", (int)(caps[2 * g + 1] - caps[2 * g]), s + caps[2 * g]);
	ck_assert_msg(!strcmp(got, want), "group %d is \"%s\", want \"%s\"", g, got, want);
}

static void match_is(const char *pat, const char *flags, const char *s, const char *m0,
		     const char *m1, const char *m2)
{
	long caps[20];
	int r = run(pat, flags, s, caps);
	ck_assert_msg(r == 1, "/%s/%s does not match \"%s\"", pat, flags, s);
	group_is(s, caps, 0, m0);
	if (m1)
		group_is(s, caps, 1, m1);
	if (m2)
		group_is(s, caps, 2, m2);
}

static void no_match(const char *pat, const char *flags, const char *s)
{
	long caps[20];
	ck_assert_msg(run(pat, flags, s, caps) == 0, "/%s/%s matches \"%s\"", pat, flags, s);
}

START_TEST(literals_and_classes)
{
	match_is("a(b+)c", "", "xabbbcx", "abbbc", "bbb", NULL);
	match_is("[a-c]+", "", "xxcabz", "cab", NULL, NULL);
	match_is("[^a-c]+", "", "abxyzc", "xyz", NULL, NULL);
	match_is("\\d+\\.\\d*", "", "pi is 3.14!", "3.14", NULL, NULL);
	match_is("\\w+\\s\\w+", "", "  hello world  ", "hello world", NULL, NULL);
	match_is("[\\d.]+", "", "v1.2.3-rc", "1.2.3", NULL, NULL);
	match_is("\\D\\W\\S", "", "1a b", "a b", NULL, NULL);
	match_is("a.c", "", "a\nc abc", "abc", NULL, NULL);
	match_is("[M#1]", "", "x#y", "#", NULL, NULL);
	match_is("\\u00e9|\\x41", "", "zA", "A", NULL, NULL);
	match_is("caf\xc3\xa9.", "", "un caf\xc3\xa9s", "caf\xc3\xa9s", NULL, NULL);
	match_is("a{2,3}", "", "aaaa", "aaa", NULL, NULL);
	match_is("a{2}b{1,}c{0,1}", "", "xaabbbc", "aabbbc", NULL, NULL);
	match_is("x{", "", "ax{b", "x{", NULL, NULL);   /* Annex B: a literal brace */
	no_match("^abc$", "", "abcd");
}
END_TEST

START_TEST(backtracking_order)
{
	match_is("a.*a", "", "banana", "anana", NULL, NULL);
	match_is("a.*?a", "", "banana", "ana", NULL, NULL);
	match_is("(ab)|(a)", "", "xab", "ab", "ab", "-");
	match_is("(a)|(ab)", "", "xab", "a", "a", "-");
	match_is("^(.*?)d(.*)$", "", "abcdefd", "abcdefd", "abc", "efd");
	match_is("(a*)*b", "", "aab", "aab", "aa", NULL);   /* an empty iteration fails */
	match_is("(a|ab)(c|bcd)(d*)", "", "abcd", "abcd", "a", "bcd");
	match_is("A+?", "", "AAA", "A", NULL, NULL);
	match_is(".*?", "", "xyz", "", NULL, NULL);
}
END_TEST

START_TEST(anchors_and_flags)
{
	match_is("hat", "i", "That HAT", "hat", NULL, NULL);
	match_is("(h)(at)", "i", "THE HAT", "HAT", "H", "AT");
	match_is("[a-z]+", "i", "123ABC", "ABC", NULL, NULL);
	match_is("^b", "m", "a\nb", "b", NULL, NULL);
	no_match("^b", "", "a\nb");
	match_is("a$", "m", "a\nb", "a", NULL, NULL);
	match_is("\\bis\\b", "", "this is it", "is", NULL, NULL);
	match_is("\\Bis", "", "this is it", "is", NULL, NULL);
	match_is("F\\b", "", "68F today", "F", NULL, NULL);
}
END_TEST

START_TEST(groups_and_lookaround)
{
	match_is("(a)\\1", "", "xaab", "aa", "a", NULL);
	match_is("(?:ab)+", "", "ababa", "abab", NULL, NULL);
	match_is("a(?=b)", "", "acab", "a", NULL, NULL);
	match_is("a(?!b)", "", "abac", "a", NULL, NULL);
	long caps[20];
	ck_assert_int_eq(run("a(?!b)", "", "ab", caps), 0);
	match_is("(-?\\d+(?:\\.\\d*)?)F\\b", "", "temperature = 68F today", "68F", "68", NULL);
	match_is("(a)(b)(c)(d)(e)(f)(g)(h)(i)", "", "abcdefghi", "abcdefghi", "a", "b");
	match_is("(?<y>\\d{4})-(?<m>\\d\\d)", "", "on 2024-05", "2024-05", "2024", "05");
}
END_TEST

START_TEST(syntax_errors)
{
	static const char *const bad[] = { "(", "a)", "[ab", "*a", "a**", "a{3,2}", "(?<=a)b",
					   "\\" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *msg = NULL;
		struct aslrt_jn_regex *re = asl_jn_regex_compile(bad[i], strlen(bad[i]), 0, &msg);
		ck_assert_msg(re == NULL, "/%s/ accepted", bad[i]);
		ck_assert_ptr_nonnull(msg);
	}
}
END_TEST

START_TEST(from_offset)
{
	const char *msg = NULL;
	struct aslrt_jn_regex *re = asl_jn_regex_compile("a.", 2, 0, &msg);
	ck_assert_ptr_nonnull(re);
	long caps[2];
	ck_assert_int_eq(jn_regex_exec(re, "abacad", 6, 1, caps), 1);
	ck_assert_int_eq(caps[0], 2);
	ck_assert_int_eq(caps[1], 4);
	ck_assert_int_eq(jn_regex_exec(re, "abacad", 6, 5, caps), 0);
	free(re);
}
END_TEST

static Suite *regex_suite(void)
{
	Suite *s = suite_create("jsonata_regex");
	TCase *t = tcase_create("regex");
	tcase_add_test(t, literals_and_classes);
	tcase_add_test(t, backtracking_order);
	tcase_add_test(t, anchors_and_flags);
	tcase_add_test(t, groups_and_lookaround);
	tcase_add_test(t, syntax_errors);
	tcase_add_test(t, from_offset);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(regex_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
