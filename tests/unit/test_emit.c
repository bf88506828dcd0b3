/* Unit tests of the C emitter: emitted strings read back byte for byte, and
 * machines with hostile names compile cleanly under -Wall -Wextra -Wpedantic
 * -Werror and keep their names. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit_util.h"
#include "ir.h"
#include "load.h"

static char dir[] = "/tmp/aslc-test-emit-XXXXXX";

static int sh(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(cstr_round_trip)
{
	static const char nasty[] = "a\"b\\c?\?/d*/e\n\t\x01\xc3\xa9?\?=?\?(end";
	char path[256], cmd[1024];
	snprintf(path, sizeof path, "%s/s.c", dir);
	FILE *f = fopen(path, "w");
	fputs("#include <stdio.h>\nint main(void) { fputs(", f);
	asl_emit_cstr(f, nasty);
	fputs(", stdout); /* ", f);
	asl_emit_comment_text(f, "x*/y/*z\\\n");
	fputs(" */ return 0; }\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "cc -std=c11 -trigraphs -Wall -Wextra -Wpedantic -Werror -o %s/s %s "
		 "&& %s/s > %s/out", dir, path, dir, dir);
	ck_assert_int_eq(sh(cmd), 0);
	snprintf(path, sizeof path, "%s/out", dir);
	f = fopen(path, "rb");
	char got[256] = { 0 };
	size_t n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	ck_assert_uint_eq(n, strlen(nasty));
	ck_assert_str_eq(got, nasty);
}
END_TEST

/* Compile text as a definition and the emitted C with strict warnings. */
static void compile_definition(const char *text, const char *name)
{
	struct asl_diags d = { .file = "x.asl.json" };
	struct asl_json *j = asl_load_text(text, strlen(text), &d);
	ck_assert_ptr_nonnull(j);
	struct asl_ir ir = { .file = "x.asl.json", .name = name };
	int rc = asl_check(j, &ir, &d);
	asl_diag_print(&d, stderr);
	ck_assert_int_eq(rc, 0);
	char path[256], cmd[1024];
	snprintf(path, sizeof path, "%s/m.c", dir);
	FILE *f = fopen(path, "w");
	asl_emit_c(f, &ir, 1);
	fclose(f);
	snprintf(cmd, sizeof cmd, "cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only "
		 "-I%s/runtime/include %s", TEST_SOURCE_ROOT, path);
	ck_assert_int_eq(sh(cmd), 0);
	snprintf(path, sizeof path, "%s/m.dot", dir);
	f = fopen(path, "w");
	asl_emit_dot(f, &ir);
	fclose(f);
	asl_ir_free(&ir);
	asl_json_free(j);
	asl_diag_free(&d);
}

START_TEST(hostile_names_compile)
{
	compile_definition(
		"{\"Comment\": \"*/ #error x\", \"StartAt\": \"a*/b\\\"c\",\n"
		"\"States\": {\"a*/b\\\"c\": {\"Type\": \"Pass\", \"Result\": {\"k\\\\\": \"?\?/\"},"
		"  \"Next\": \"int\"},\n"
		"\"int\": {\"Type\": \"Choice\", \"Choices\": [{\"And\": [{\"Variable\": \"$.k\\\\\","
		"  \"StringMatches\": \"*?\?=\"}, {\"Not\": {\"Variable\": \"$['k*/']\", \"IsNull\": true}}],"
		"  \"Next\": \"\\u00e9\\n\"}], \"Default\": \"a-b\"},\n"
		"\"\\u00e9\\n\": {\"Type\": \"Succeed\"}, \"a-b\": {\"Type\": \"Fail\", \"Error\": \"\\\"\"}}}",
		"my machine");
}
END_TEST

START_TEST(order_example_compiles)
{
	char path[512];
	snprintf(path, sizeof path, "%s/examples/order/order.asl.json", TEST_SOURCE_ROOT);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	compile_definition(text, "order");
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return EXIT_FAILURE;
	Suite *s = suite_create("emit");
	TCase *tc = tcase_create("emit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cstr_round_trip);
	tcase_add_test(tc, hostile_names_compile);
	tcase_add_test(tc, order_example_compiles);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)sh(cmd);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
