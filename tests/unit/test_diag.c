/* Unit tests of compiler/diag.c: format and stable order by position. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

START_TEST(sorted_stable_and_formatted)
{
	struct asl_diags d = { .file = "m.asl.json" };
	asl_diag_add(&d, ASL_ERROR, (struct asl_loc){ 9, 2 }, "B", "/States/B", "second %d", 2);
	asl_diag_add(&d, ASL_WARNING, (struct asl_loc){ 3, 7 }, "A", "", "first");
	asl_diag_add(&d, ASL_ERROR, (struct asl_loc){ 9, 2 }, "C", "/States/C", "third");
	ck_assert_int_eq(d.errors, 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	asl_diag_print(&d, f);
	fclose(f);
	ck_assert_str_eq(buf, "m.asl.json:3:7: warning[A]: first\n"
			      "m.asl.json:9:2: error[B]: /States/B: second 2\n"
			      "m.asl.json:9:2: error[C]: /States/C: third\n");
	free(buf);
	asl_diag_free(&d);
	ck_assert_int_eq(d.n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("diag");
	tcase_add_test(tc, sorted_stable_and_formatted);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
