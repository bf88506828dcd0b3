/* Unit tests of compiler/load.c: JSON with source positions. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static struct asl_json *load(const char *text, struct asl_diags *d)
{
	memset(d, 0, sizeof *d);
	d->file = "t.json";
	return asl_load_text(text, strlen(text), d);
}

START_TEST(positions_of_values_and_keys)
{
	struct asl_diags d;
	struct asl_json *j = load("{\n  \"a\": 1,\n    \"bb\": [true, \"x\"]\n}", &d);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(d.n, 0);
	ck_assert_int_eq(j->type, ASL_J_OBJECT);
	ck_assert_int_eq(j->loc.line, 1);
	ck_assert_int_eq(j->loc.col, 1);
	const struct asl_member *a = asl_json_member(j, "a");
	ck_assert_int_eq(a->key_loc.line, 2);
	ck_assert_int_eq(a->key_loc.col, 3);
	ck_assert_int_eq(a->val->loc.col, 8);
	ck_assert_str_eq(a->val->str, "1");
	const struct asl_json *bb = asl_json_get(j, "bb");
	ck_assert_int_eq(bb->type, ASL_J_ARRAY);
	ck_assert_int_eq(bb->n, 2);
	ck_assert_int_eq(bb->items[1]->loc.line, 3);
	ck_assert_int_eq(bb->items[1]->loc.col, 18);
	ck_assert_str_eq(bb->items[1]->str, "x");
	asl_json_free(j);
	asl_diag_free(&d);
}
END_TEST

START_TEST(escapes_and_unicode)
{
	struct asl_diags d;
	struct asl_json *j = load("[\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\", -1.5e2]", &d);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(j->items[0]->str, "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert(j->items[1]->num == -150.0);
	asl_json_free(j);
	asl_diag_free(&d);
}
END_TEST

START_TEST(duplicate_key_is_located)
{
	struct asl_diags d;
	struct asl_json *j = load("{\"a\": 1,\n \"a\": 2}", &d);
	ck_assert_ptr_null(j);
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].code, "INVALID_JSON_DESCRIPTION");
	ck_assert_int_eq(d.v[0].loc.line, 2);
	ck_assert_int_eq(d.v[0].loc.col, 2);
	ck_assert_str_eq(d.v[0].msg, "duplicate key \"a\" (first at line 1, column 2)");
	asl_diag_free(&d);
}
END_TEST

START_TEST(syntax_error_is_located)
{
	struct asl_diags d;
	ck_assert_ptr_null(load("{\"a\": [1,\n 2,, 3]}", &d));
	ck_assert_int_eq(d.n, 1);
	ck_assert_int_eq(d.v[0].loc.line, 2);
	ck_assert_int_eq(d.v[0].loc.col, 4);
	asl_diag_free(&d);
	ck_assert_ptr_null(load("{\"a\": 01}", &d));
	ck_assert_int_eq(d.v[0].loc.col, 8);
	asl_diag_free(&d);
	ck_assert_ptr_null(load("", &d));
	ck_assert_int_eq(d.n, 1);
	asl_diag_free(&d);
	ck_assert_ptr_null(load("{\"a\": \"x\ty\"}", &d));
	ck_assert_str_eq(d.v[0].code, "INVALID_JSON_DESCRIPTION");
	asl_diag_free(&d);
}
END_TEST

START_TEST(nul_escape_rejected)
{
	struct asl_diags d;
	ck_assert_ptr_null(load("{\"a\": \"x\\u0000\"}", &d));
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].msg, "\\u0000 is not supported in strings");
	asl_diag_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, positions_of_values_and_keys);
	tcase_add_test(tc, escapes_and_unicode);
	tcase_add_test(tc, duplicate_key_is_located);
	tcase_add_test(tc, syntax_error_is_located);
	tcase_add_test(tc, nul_escape_rejected);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
