/*
 * test_jsonata_parse.c - the JSONata grammar and its post-processing
 * (grammar/jsonata.[ly], compiler/jsonata_*.c): operator precedence as the
 * reference Pratt parser has it, paths, bindings, parent, group-by and
 * order-by, evaluated over a small document; syntax errors with the
 * reference's codes (at the offending token's first byte); and the static
 * C data compiler/emit_jsonata.c writes, which must compile with
 * -std=c11 -Wall -Wextra -Wpedantic -Werror. Expected values are the
 * reference implementation's (jsonata-js) results for the same input.
 */
#include "jsonata.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *doc =
	"{\"Account\":{\"Account Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\","
	"\"Product\":[{\"Price\":34.45,\"Quantity\":2},{\"Price\":21.67,\"Quantity\":1}]},"
	"{\"OrderID\":\"order104\",\"Product\":[{\"Price\":34.45,\"Quantity\":4},"
	"{\"Price\":107.99,\"Quantity\":1}]}]}}";

/* The result of text over doc as compact JSON, "undefined" or
 * "error CODE@POS" (new memory). */
static char *eval(const char *text)
{
	struct aslrt_jn_error err;
	char *r = malloc(64);
	const struct aslrt_jn_expr *e = asl_jn_parse(text, strlen(text), &err);
	if (!e) {
		snprintf(r, 64, "error %s@%d", err.code, err.pos);
		aslrt_jn_error_clear(&err);
		return r;
	}
	cJSON *in = cJSON_Parse(doc);
	cJSON *out = NULL;
	if (aslrt_jn_evaluate(e, in, NULL, 0, NULL, &out, &err)) {
		snprintf(r, 64, "error %s", err.code);
		aslrt_jn_error_clear(&err);
	} else if (!out) {
		strcpy(r, "undefined");
	} else {
		free(r);
		r = cJSON_PrintUnformatted(out);
		cJSON_Delete(out);
	}
	cJSON_Delete(in);
	asl_jn_free(e);
	return r;
}

static void is(const char *text, const char *want)
{
	char *got = eval(text);
	ck_assert_msg(!strcmp(got, want), "%s gave %s, want %s", text, got, want);
	free(got);
}

START_TEST(precedence)
{
	is("1 + 2 * 3", "7");
	is("-2 * 3 + 1", "-5");
	is("true or false and false", "true");
	is("($x := true ? 'a' : 'b'; $x)", "\"a\"");
	is("1 ? 2 : 3 ? 4 : 5", "2");
	is("'a' & 1 + 2", "error T2001");
	is("1 < 2 = true", "true");
	is("(function($x){$x * 2})(3)", "6");
	is("[1..3].($ * 2)", "[2,4,6]");
	is("(1; 2; 3)", "3");
	is("$a := [1,2]", "[1,2]");
	is("$nothing ?? 5", "5");
	is("null ?? 5", "null");
	is("0 ?: 5", "5");
	is("'x' ?: 'y'", "\"x\"");
}
END_TEST

START_TEST(paths)
{
	is("Account.Order[0].OrderID", "\"order103\"");
	is("Account.Order.Product[Price > 30].Price", "[34.45,34.45,107.99]");
	is("Account.Order^(>OrderID).OrderID", "[\"order104\",\"order103\"]");
	is("Account.Order{OrderID: $count(Product)}", "{\"order103\":2,\"order104\":2}");
	is("Account.Order.Product.%.OrderID", "[\"order103\",\"order103\",\"order104\",\"order104\"]");
	is("Account.Order#$i.Product[0].($i)", "0");
	is("$sum(Account.Order.Product.(Price * Quantity))", "336.36");
	is("**.Price[0]", "[34.45,21.67,34.45,107.99]");
	is("Account.Order[-1].OrderID", "\"order104\"");
	is("$keys(Account)", "[\"Account Name\",\"Order\"]");
	is("[1,2,3][[0,2]]", "[1,3]");
	is("$.Account.`Account Name`", "\"Firefly\"");
	is("$uppercase(Account.`Account Name`) ~> $substringBefore(' ')", "\"FIREFLY\"");
	is("$map([1,2,3], function($v, $i){$v + $i})", "[1,3,5]");
	is("Account.Order.Product.Price[]", "[34.45,21.67,34.45,107.99]");
	is("Account.Order[0].Product[0].Price[]", "[34.45]");
}
END_TEST

START_TEST(syntax_errors)
{
	is("1 +", "error S0207@3");
	is("(1", "error S0203@2");
	is("[1,2)", "error S0202@4");
	is("1 2", "error S0201@2");
	is("\"abc", "error S0101@4");
	is("@x", "error S0211@0");
	is("$.7", "error S0213@2");
	is("x:=1", "error S0212@0");
	is("function(a){1}", "error S0208@9");
	is("$f(1))", "error S0201@5");
	is("/ab", "error S0302@3");
	is("1 ! 2", "error S0204@2");
	is("a /* open", "error S0106@2");
	is("`name", "error S0105@5");
	is("'\\q'", "error S0103@2");
	is("%", "error S0217@0");
	is("λ($x)<n<n>>{$x}", "error S0401@8");   /* λ is two bytes */
	is("a ~> 5", "error T2006");
}
END_TEST

/* The C data emitted for text (new memory). */
static char *emit_one(const char *text, const char *cname)
{
	struct aslrt_jn_error err;
	const struct aslrt_jn_expr *e = asl_jn_parse(text, strlen(text), &err);
	ck_assert_msg(e != NULL, "%s: %s", text, err.message ? err.message : "?");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	asl_emit_jsonata(f, e, cname);
	fclose(f);
	asl_jn_free(e);
	return buf;
}

START_TEST(emit_shape)
{
	char *c = emit_one("a.b", "x");
	ck_assert_ptr_nonnull(strstr(c, "static const struct aslrt_jn_expr x = {"));
	ck_assert_ptr_nonnull(strstr(c, ".kind = ASLRT_JN_PATH"));
	ck_assert_ptr_nonnull(strstr(c, ".str = \"b\", .len = 1"));
	free(c);
}
END_TEST

START_TEST(emit_compiles)
{
	/* a long literal (over ISO C's 4095-byte string minimum), a regex, a
	 * signature, a NUL in a string, every kind of node */
	char *big = malloc(6000);
	memset(big, 'q', 5990);
	big[0] = '\'';
	big[5989] = '\'';
	big[5990] = '\0';
	const char *texts[] = {
		big,
		"$replace('a\\u0000b', /[a-c](?=b)/i, function($m)<o:s>{$uppercase($m.match)})",
		"Account.Order#$i.Product@$p{`Account Name`: $sum(Price)}",
		"Account.Order.Product[Price > 1]^(>Price, Quantity).Quantity ~> $sort()",
		"Account.Order.Product[Price > 1].%.OrderID",
		"|Account|{'y': 1}, ['z']| ~> $f(?, 2) ? -1 : [1..3] ?? ($a := 1; $a)",
	};
	char dir[] = "/tmp/test_jsonata_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/exprs.c", dir);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#include \"jsonata/ast.h\"\n", f);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char name[16];
		snprintf(name, sizeof name, "e%zu", i);
		char *code = emit_one(texts[i], name);
		fputs(code, f);
		free(code);
	}
	fputs("int main(void)\n{\n\tconst struct aslrt_jn_expr *all[] = { &e0, &e1, &e2, &e3, &e4, &e5 };\n"
	      "\treturn all[0]->root->kind;\n}\n", f);
	fclose(f);
	free(big);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I%s/runtime %s",
		 TEST_SOURCE_ROOT, file);
	int rc = system(cmd);
	ck_assert_msg(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		      "emitted expressions do not compile: %s (kept %s)", cmd, file);
	unlink(file);
	rmdir(dir);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("jsonata_parse");
	TCase *t = tcase_create("grammar");
	TCase *em = tcase_create("emit");
	tcase_add_test(t, precedence);
	tcase_add_test(t, paths);
	tcase_add_test(t, syntax_errors);
	tcase_add_test(em, emit_shape);
	tcase_add_test(em, emit_compiles);
	tcase_set_timeout(em, 60);
	suite_add_tcase(s, t);
	suite_add_tcase(s, em);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
