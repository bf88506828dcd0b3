/*
 * test_intrinsic.c - unit tests of the intrinsic functions: parsing and
 * compile-time checks (compiler/intrinsic.c and grammar/intrinsic.[ly]),
 * evaluation (runtime/intrinsics.c, runtime/intr_text.c), the digests
 * (runtime/digest.c) and the C data asl_emit_call writes.
 *
 * Examples and expected outputs come from the AWS Step Functions Developer
 * Guide page "Intrinsic functions for JSONPath states in Step Functions"
 * ([docs]) and the Amazon States Language specification's "Intrinsic
 * Functions" ([spec]); digest vectors from RFC 1321 and FIPS 180-2 (appendix
 * examples).
 */
#include "intrinsic.h"
#include "rt.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

static struct aslrt_call *parse_ok(const char *text)
{
	char *err = NULL;
	int off = -1;
	struct aslrt_call *c = asl_intrinsic_parse(text, &err, &off);
	ck_assert_msg(c != NULL, "rejected \"%s\": %s at %d", text, err ? err : "?", off);
	ck_assert_ptr_null(err);
	return c;
}

/* Parse text and require the error msg at offset off. */
static void parse_err(const char *text, const char *msg, int off)
{
	char *err = NULL;
	int at = -1;
	struct aslrt_call *c = asl_intrinsic_parse(text, &err, &at);
	ck_assert_msg(c == NULL, "accepted \"%s\"", text);
	ck_assert_msg(err && strcmp(err, msg) == 0, "\"%s\": got \"%s\", want \"%s\"", text,
		      err ? err : "(null)", msg);
	ck_assert_msg(at == off, "\"%s\": error at %d, want %d", text, at, off);
	free(err);
}

/* Evaluate text against the JSON document input; returns the compact JSON
 * of the result (new memory), or NULL with *err filled. */
static char *eval(const char *text, const char *input, struct aslrt_error *err)
{
	struct aslrt_call *c = parse_ok(text);
	cJSON *doc = cJSON_Parse(input);
	ck_assert_msg(doc != NULL, "bad test input %s", input);
	struct rt_roots r = { .input = doc };
	cJSON *v = rt_call_eval(c, &r, err);
	char *s = v ? cJSON_PrintUnformatted(v) : NULL;
	cJSON_Delete(v);
	cJSON_Delete(doc);
	asl_intrinsic_free(c);
	return s;
}

static void eval_eq(const char *text, const char *input, const char *want)
{
	struct aslrt_error err = { 0 };
	char *got = eval(text, input, &err);
	ck_assert_msg(got != NULL, "%s failed: %s: %s", text, err.error ? err.error : "?",
		      err.cause ? err.cause : "?");
	ck_assert_msg(strcmp(got, want) == 0, "%s: got %s, want %s", text, got, want);
	free(got);
	aslrt_error_clear(&err);
}

/* Evaluation must fail with error name and exact cause. */
static void eval_fail(const char *text, const char *input, const char *error,
		      const char *cause)
{
	struct aslrt_error err = { 0 };
	char *got = eval(text, input, &err);
	ck_assert_msg(got == NULL, "%s: succeeded with %s", text, got ? got : "");
	ck_assert_str_eq(err.error, error);
	ck_assert_msg(err.cause && strcmp(err.cause, cause) == 0, "%s: cause \"%s\", want \"%s\"",
		      text, err.cause ? err.cause : "(null)", cause);
	aslrt_error_clear(&err);
}

#define FAIL_PREFIX "The intrinsic function '"

/* ------------------------------------------------------------ parsing */

START_TEST(parse_structure)
{
	struct aslrt_call *c =
		parse_ok("States.Format('Hi {}, {}!', $.name, States.Array(1, -2.5e1, true, "
			 "false, null, $$.Execution.Id))");
	ck_assert_int_eq(c->fn, ASLRT_FN_FORMAT);
	ck_assert_int_eq(c->nargs, 3);
	/* A literal format string is pre-split at its placeholders. */
	ck_assert_int_eq(c->args[0].kind, ASLRT_ARG_LITERAL);
	ck_assert_int_eq(c->args[0].lit->kind, ASLRT_T_ARRAY);
	ck_assert_int_eq(c->args[0].lit->n, 3);
	ck_assert_str_eq(c->args[0].lit->items[0].str, "Hi ");
	ck_assert_str_eq(c->args[0].lit->items[1].str, ", ");
	ck_assert_str_eq(c->args[0].lit->items[2].str, "!");
	ck_assert_int_eq(c->args[1].kind, ASLRT_ARG_PATH);
	ck_assert_str_eq(c->args[1].path->text, "$.name");
	ck_assert_int_eq(c->args[2].kind, ASLRT_ARG_CALL);
	const struct aslrt_call *a = c->args[2].call;
	ck_assert_int_eq(a->fn, ASLRT_FN_ARRAY);
	ck_assert_str_eq(a->text, "States.Array(1, -2.5e1, true, false, null, $$.Execution.Id)");
	ck_assert_int_eq(a->nargs, 6);
	ck_assert_double_eq(a->args[0].lit->num, 1);
	ck_assert_double_eq(a->args[1].lit->num, -25);
	ck_assert_int_eq(a->args[2].lit->kind, ASLRT_T_TRUE);
	ck_assert_int_eq(a->args[3].lit->kind, ASLRT_T_FALSE);
	ck_assert_int_eq(a->args[4].lit->kind, ASLRT_T_NULL);
	ck_assert_int_eq(a->args[5].path->root, ASLRT_ROOT_CONTEXT);
	ck_assert_str_eq(a->args[5].path->text, "$$.Execution.Id");
	asl_intrinsic_free(c);

	c = parse_ok("States.UUID()");
	ck_assert_int_eq(c->fn, ASLRT_FN_UUID);
	ck_assert_int_eq(c->nargs, 0);
	ck_assert_ptr_null(c->args);
	asl_intrinsic_free(c);
}
END_TEST

START_TEST(parse_strings_and_paths)
{
	/* [docs] Reserved characters: \' \{ \} \\ . */
	struct aslrt_call *c = parse_ok("States.Array('it\\'s \\{x\\} a\\\\b', 'a,b)')");
	ck_assert_str_eq(c->args[0].lit->str, "it's {x} a\\b");
	ck_assert_str_eq(c->args[1].lit->str, "a,b)");
	asl_intrinsic_free(c);

	/* A path runs to a ',' or ')' outside quotes at depth 0: filters,
	 * quoted names with commas and parentheses stay whole; blanks around
	 * it are dropped. */
	c = parse_ok("States.Array( $.a[?(@.b == 'x,y)')].c , $['p, (q)'][0] ,$)");
	ck_assert_int_eq(c->nargs, 3);
	ck_assert_str_eq(c->args[0].path->text, "$.a[?(@.b == 'x,y)')].c");
	ck_assert_int_eq(c->args[0].path->definite, 0);
	ck_assert_str_eq(c->args[1].path->text, "$['p, (q)'][0]");
	ck_assert_str_eq(c->args[2].path->text, "$");
	asl_intrinsic_free(c);

	/* Blanks between tokens, and around the whole call. */
	c = parse_ok("  States.MathAdd ( 1 ,2 )  ");
	ck_assert_str_eq(c->text, "States.MathAdd ( 1 ,2 )");
	asl_intrinsic_free(c);

	/* Format: escaped braces are text, not placeholders. */
	c = parse_ok("States.Format('\\{}{}\\{\\}', 1)");
	ck_assert_int_eq(c->args[0].lit->n, 2);
	ck_assert_str_eq(c->args[0].lit->items[0].str, "{}");
	ck_assert_str_eq(c->args[0].lit->items[1].str, "{}");
	asl_intrinsic_free(c);
}
END_TEST

START_TEST(parse_syntax_errors)
{
	parse_err("States.Foo()", "unknown intrinsic function 'States.Foo'", 0);
	parse_err("Foo.bar()", "unknown intrinsic function 'Foo.bar'", 0);
	parse_err("States.Array(States.Nope)", "unknown intrinsic function 'States.Nope'", 13);
	parse_err("States.Array(tru)", "unknown intrinsic function 'tru'", 13);
	parse_err("States.Array(1,)",
		  "unexpected ')'; expected function name, string, number, path, true, false "
		  "or null", 15);
	parse_err("States.Array(",
		  "unexpected end of input; expected function name, ')', string, number, path, "
		  "true, false or null", 13);
	parse_err("States.Array", "unexpected end of input; expected '('", 12);
	parse_err("States.Array(1 2)", "unexpected '2'; expected ')' or ','", 15);
	parse_err("States.Array(1) x", "unexpected 'x'; expected end of input", 16);
	parse_err("States.Array($.a)$", "unexpected '$'; expected end of input", 17);
	parse_err("States.Array(\"x\")",
		  "unexpected '\"'; expected function name, ')', string, number, path, true, "
		  "false or null", 13);
	parse_err("States.Array($.a", "unexpected end of input; expected ')' or ','", 16);
	parse_err("States.Format('a\\n')",
		  "invalid escape in string: only \\', \\{, \\} and \\\\ are allowed", 16);
	parse_err("States.Format('abc", "unterminated string", 14);
	parse_err("States.Array(1e999)", "number 1e999 is out of range", 13);
	/* Path errors point into the path. */
	parse_err("States.Array($.a b)",
		  "invalid path '$.a b': unexpected ' '; expected '.', '..', '[' or end of path",
		  16);
	parse_err("States.Array($.a[)",
		  "invalid path '$.a[)': unexpected ')'; expected string, integer, '*', ':' or '?'",
		  17);
}
END_TEST

START_TEST(parse_arity_and_types)
{
	parse_err("States.ArrayLength()", "States.ArrayLength takes 1 argument, not 0", 0);
	parse_err("States.ArrayLength($.a, $.b)", "States.ArrayLength takes 1 argument, not 2", 0);
	parse_err("States.UUID(1)", "States.UUID takes no arguments, not 1", 0);
	parse_err("States.MathRandom(1)", "States.MathRandom takes 2 or 3 arguments, not 1", 0);
	parse_err("States.Format()", "States.Format takes at least 1 argument, not 0", 0);
	parse_err("States.ArrayRange(1, 2)", "States.ArrayRange takes 3 arguments, not 2", 0);
	parse_err("States.Array(States.ArrayLength(), 1)",
		  "States.ArrayLength takes 1 argument, not 0", 13);
	parse_err("States.ArrayLength('x')",
		  "argument 1 of States.ArrayLength must be an array, not a string", 19);
	parse_err("States.ArrayRange(1, 'a', 1)",
		  "argument 2 of States.ArrayRange must be a number, not a string", 21);
	parse_err("States.JsonMerge($.a, 1, false)",
		  "argument 2 of States.JsonMerge must be an object, not a number", 22);
	parse_err("States.JsonMerge($.a, $.b, 'false')",
		  "argument 3 of States.JsonMerge must be a boolean, not a string", 27);
	parse_err("States.StringSplit($.s, null)",
		  "argument 2 of States.StringSplit must be a string, not null", 24);
	parse_err("States.Format(1)", "argument 1 of States.Format must be a string, not a number",
		  14);
	parse_err("States.Hash(true, 'MD5')",
		  "argument 1 of States.Hash must be a string, not a boolean", 12);
	parse_err("States.ArrayLength(States.UUID())",
		  "argument 1 of States.ArrayLength must be an array, but States.UUID returns a "
		  "string", 19);
	parse_err("States.MathAdd(States.ArrayContains($.a, 1), 1)",
		  "argument 1 of States.MathAdd must be a number, but States.ArrayContains "
		  "returns a boolean", 15);
	parse_err("States.JsonToString('a')",
		  "the argument of States.JsonToString must be a path or an intrinsic function, "
		  "not a literal", 20);
	/* Results of unknown type and paths are checked at run time. */
	asl_intrinsic_free(parse_ok("States.ArrayLength(States.StringToJson($.s))"));
	asl_intrinsic_free(parse_ok("States.ArrayLength(States.ArrayGetItem($.a, 0))"));
	asl_intrinsic_free(parse_ok("States.MathAdd($.a, States.ArrayLength($.b))"));
}
END_TEST

START_TEST(parse_literal_values)
{
	parse_err("States.Hash('x', 'SHA-2')",
		  "unknown hash algorithm 'SHA-2': expected MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
		  17);
	parse_err("States.Hash('x', 'sha-1')",
		  "unknown hash algorithm 'sha-1': expected MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
		  17);
	parse_err("States.JsonMerge($.a, $.b, true)",
		  "the third argument of States.JsonMerge must be false: only shallow merging is "
		  "supported", 27);
	parse_err("States.ArrayRange(1, 2, 0)", "the step of States.ArrayRange must not be 0", 24);
	parse_err("States.ArrayRange(1, 2, 0.4)", "the step of States.ArrayRange must not be 0",
		  24);
	parse_err("States.ArrayRange(1, 1001, 1)",
		  "States.ArrayRange would make 1001 items; at most 1000 are allowed", 0);
	asl_intrinsic_free(parse_ok("States.ArrayRange(1, 1000, 1)"));
	asl_intrinsic_free(parse_ok("States.ArrayRange(0, -999, -1)"));
	parse_err("States.Format('{} {}', 1)",
		  "the format string has 2 placeholders '{}' but 1 value follows", 14);
	parse_err("States.Format('none', 1, 2)",
		  "the format string has 0 placeholders '{}' but 2 values follow", 14);
	parse_err("States.Format('\\{}', 1)",
		  "the format string has 0 placeholders '{}' but 1 value follows", 14);
	parse_err("States.MathAdd(2147483648, 1)",
		  "argument 1 of States.MathAdd is outside the range -2147483648 to 2147483647",
		  15);
	parse_err("States.MathAdd(1, -2147483648.6)",
		  "argument 2 of States.MathAdd is outside the range -2147483648 to 2147483647",
		  18);
	asl_intrinsic_free(parse_ok("States.MathAdd(2147483647.4, -2147483648)"));
	parse_err("States.ArrayPartition($.a, 0.4)",
		  "the chunk size of States.ArrayPartition must be a positive integer", 27);
	parse_err("States.ArrayPartition($.a, -3)",
		  "the chunk size of States.ArrayPartition must be a positive integer", 27);
	parse_err("States.ArrayGetItem($.a, -1)",
		  "the index of States.ArrayGetItem must be a non-negative integer", 25);
	parse_err("States.ArrayGetItem($.a, 1.5)",
		  "the index of States.ArrayGetItem must be a non-negative integer", 25);
	parse_err("States.MathRandom(5, 5)",
		  "the end of States.MathRandom must be greater than its start", 21);
	parse_err("States.MathRandom(5, 5.4, 1)",
		  "the end of States.MathRandom must be greater than its start", 21);

	/* 10,000 characters are allowed, not one more (characters, not bytes). */
	char text[40100];
	strcpy(text, "States.Base64Encode('");
	size_t n = strlen(text);
	for (int i = 0; i < 10000; i++) {
		memcpy(text + n, "\xc3\xa9", 2);
		n += 2;
	}
	strcpy(text + n, "')");
	asl_intrinsic_free(parse_ok(text));
	memmove(text + 22, text + 21, strlen(text + 21) + 1);
	text[21] = 'x';
	parse_err(text, "the input of States.Base64Encode is longer than 10000 characters", 20);
}
END_TEST

/* "States.Array(" n times, "1", ")" n times. */
static char *nested(int n)
{
	char *s = malloc((size_t)n * 14 + 2), *p = s;
	for (int i = 0; i < n; i++)
		p += sprintf(p, "States.Array(");
	*p++ = '1';
	for (int i = 0; i < n; i++)
		*p++ = ')';
	*p = '\0';
	return s;
}

START_TEST(parse_nesting_limit)
{
	/* [docs] "You can nest up to 10 intrinsic functions within a field". */
	char *ten = nested(10), *eleven = nested(11), *deep = nested(5000);
	struct aslrt_call *c = parse_ok(ten);
	int depth = 0;
	for (const struct aslrt_call *k = c; k; k = k->args[0].kind == ASLRT_ARG_CALL ?
						     k->args[0].call : NULL)
		depth++;
	ck_assert_int_eq(depth, 10);
	asl_intrinsic_free(c);
	parse_err(eleven, "intrinsic functions nest more than 10 deep", 10 * 13);
	parse_err(deep, "intrinsic functions nest more than 10 deep", 10 * 13);
	free(ten);
	free(eleven);
	free(deep);

	/* The docs' nested example (its format string corrected to two
	 * placeholders, since it passes two values). */
	eval_eq("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit("
		"States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), "
		"States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit("
		"$.ImageRecipe.Arn, '/'), 2), '.'), 1))",
		"{\"ImageRecipe\": {\"Arn\": \"arn:aws:imagebuilder:us-east-1:123456789012:"
		"image-recipe/my-recipe/2.7.1\"}}",
		"\"2.7\"");
}
END_TEST

/* -------------------------------------------------- the docs' examples */

START_TEST(docs_arrays)
{
	const char *nine = "{\"inputArray\": [1,2,3,4,5,6,7,8,9], \"lookingFor\": 5, \"index\": 5}";
	eval_eq("States.Array($.Id)", "{\"Id\": 123456}", "[123456]");
	/* [spec] States.Array example. */
	eval_eq("States.Array('Foo', 2020, $.someJson, null)",
		"{\"someJson\": {\"random\": \"abcdefg\"}, \"zebra\": \"stripe\"}",
		"[\"Foo\",2020,{\"random\":\"abcdefg\"},null]");
	eval_eq("States.Array()", "{}", "[]");
	eval_eq("States.ArrayPartition($.inputArray,4)", nine, "[[1,2,3,4],[5,6,7,8],[9]]");
	eval_eq("States.ArrayContains($.inputArray, $.lookingFor)", nine, "true");
	eval_eq("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]");
	eval_eq("States.ArrayGetItem($.inputArray, $.index)", nine, "6");
	eval_eq("States.ArrayLength($.inputArray)", nine, "9");
	eval_eq("States.ArrayUnique($.inputArray)", "{\"inputArray\": [1,2,3,3,3,3,3,3,4]}",
		"[1,2,3,4]");
}
END_TEST

START_TEST(docs_encoding_hash_json)
{
	eval_eq("States.Base64Encode($.input)", "{\"input\": \"Data to encode\"}",
		"\"RGF0YSB0byBlbmNvZGU=\"");
	/* The docs print "Decoded data" as the result of decoding
	 * "RGF0YSB0byBlbmNvZGU=", which is the encoding of "Data to encode". */
	eval_eq("States.Base64Decode($.base64)", "{\"base64\": \"RGF0YSB0byBlbmNvZGU=\"}",
		"\"Data to encode\"");
	/* The docs print 39 hex digits (a digit is lost); SHA-1 has 40. */
	eval_eq("States.Hash($.Data, $.Algorithm)",
		"{\"Data\": \"input data\", \"Algorithm\": \"SHA-1\"}",
		"\"aaff4a450a104cd177d28d18d74485e8cae074b7\"");
	eval_eq("States.JsonMerge($.json1, $.json2, false)",
		"{\"json1\": {\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}, "
		"\"json2\": {\"a\": {\"a3\": 1, \"a4\": 2}, \"c\": 3}}",
		"{\"a\":{\"a3\":1,\"a4\":2},\"b\":2,\"c\":3}");
	eval_eq("States.StringToJson($.escapedJsonString)",
		"{\"escapedJsonString\": \"{\\\"foo\\\": \\\"bar\\\"}\"}", "{\"foo\":\"bar\"}");
	/* [spec] StringToJson and JsonToString examples. */
	eval_eq("States.StringToJson($.someString)",
		"{\"someString\": \"{\\\"number\\\": 20}\", \"zebra\": \"stripe\"}",
		"{\"number\":20}");
	eval_eq("States.JsonToString($.unescapedJson)", "{\"unescapedJson\": {\"foo\": \"bar\"}}",
		"\"{\\\"foo\\\":\\\"bar\\\"}\"");
	eval_eq("States.JsonToString($.someJson)",
		"{\"someJson\": {\"name\": \"Foo\", \"year\": 2020}, \"zebra\": \"stripe\"}",
		"\"{\\\"name\\\":\\\"Foo\\\",\\\"year\\\":2020}\"");
}
END_TEST

START_TEST(docs_math_strings_uuid)
{
	eval_eq("States.MathAdd($.value1, $.step)", "{\"value1\": 111, \"step\": -1}", "110");
	eval_eq("States.StringSplit($.inputString, $.splitter)",
		"{\"inputString\": \"1,2,3,4,5\", \"splitter\": \",\"}",
		"[\"1\",\"2\",\"3\",\"4\",\"5\"]");
	eval_eq("States.StringSplit($.inputString, $.splitter)",
		"{\"inputString\": \"This.is+a,test=string\", \"splitter\": \".+,=\"}",
		"[\"This\",\"is\",\"a\",\"test\",\"string\"]");
	eval_eq("States.Format('Hello, my name is {}.', $.name)", "{\"name\": \"Arnav\"}",
		"\"Hello, my name is Arnav.\"");
	eval_eq("States.Format($.template, $.name)",
		"{\"name\": \"Arnav\", \"template\": \"Hello, my name is {}.\"}",
		"\"Hello, my name is Arnav.\"");
	/* [spec] Format example. */
	eval_eq("States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
		"{\"name\": \"Foo\", \"zebra\": \"stripe\"}",
		"\"Your name is Foo, we are in the year 2020\"");

	/* MathRandom: start inclusive, end exclusive; a seed repeats. */
	struct aslrt_error err = { 0 };
	for (int i = 0; i < 200; i++) {
		char *s = eval("States.MathRandom($.start, $.end)", "{\"start\": 1, \"end\": 4}", &err);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(!strcmp(s, "1") || !strcmp(s, "2") || !strcmp(s, "3"), "got %s", s);
		free(s);
	}
	char *a = eval("States.MathRandom(1, 999, 42)", "{}", &err);
	char *b = eval("States.MathRandom(1, 999, $.seed)", "{\"seed\": 42}", &err);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* Regression value of our generator for seed 7 (not AWS's number). */
	eval_eq("States.MathRandom(1, 999, 7)", "{}", "390");
	eval_eq("States.MathRandom(-5, -4, 123)", "{}", "-5");

	/* UUID: version 4, RFC 4122 variant, lowercase, different each time. */
	char *u1 = eval("States.UUID()", "{}", &err), *u2 = eval("States.UUID()", "{}", &err);
	ck_assert_int_eq(strlen(u1), 38);
	for (int i = 1; i < 37; i++) {
		if (i == 9 || i == 14 || i == 19 || i == 24)
			ck_assert_int_eq(u1[i], '-');
		else
			ck_assert_msg(strchr("0123456789abcdef", u1[i]), "%s", u1);
	}
	ck_assert_int_eq(u1[15], '4');
	ck_assert_ptr_nonnull(strchr("89ab", u1[20]));
	ck_assert_str_ne(u1, u2);
	free(u1);
	free(u2);
}
END_TEST

/* ------------------------------------------------------ more behaviour */

START_TEST(format_rendering)
{
	/* Strings as they are; other values as JSON text. */
	eval_eq("States.Format('{}|{}|{}|{}|{}|{}|{}', $.s, $.i, $.f, $.t, $.n, $.a, $.o)",
		"{\"s\": \"x \\\"y\\\"\", \"i\": 42, \"f\": 1.5, \"t\": false, \"n\": null, "
		"\"a\": [1, \"b\"], \"o\": {\"k\": \"v\"}}",
		"\"x \\\"y\\\"|42|1.5|false|null|[1,\\\"b\\\"]|{\\\"k\\\":\\\"v\\\"}\"");
	eval_eq("States.Format('\\{\\} {} \\\\ \\' {}', 'a', States.MathAdd(1, 2))", "{}",
		"\"{} a \\\\ ' 3\"");
	eval_eq("States.Format('no placeholders')", "{}", "\"no placeholders\"");
	/* A computed format string: every "{}" is a placeholder. */
	eval_eq("States.Format($.t, 1, 2)", "{\"t\": \"{}{}\"}", "\"12\"");
	eval_eq("States.Format($.t)", "{\"t\": \"a{b}c\"}", "\"a{b}c\"");
	eval_eq("States.Format('{}', $.u)", "{\"u\": \"h\\u00e9 \\u2713\"}", "\"h\xc3\xa9 \xe2\x9c\x93\"");
}
END_TEST

START_TEST(array_edges)
{
	eval_eq("States.ArrayPartition($.a, 2)", "{\"a\": []}", "[]");
	eval_eq("States.ArrayPartition($.a, 5)", "{\"a\": [1, 2]}", "[[1,2]]");
	eval_eq("States.ArrayPartition($.a, 2.5)", "{\"a\": [1, 2, 3, 4]}", "[[1,2,3],[4]]");
	eval_eq("States.ArrayContains($.a, $.v)", "{\"a\": [1, {\"x\": [1, 2]}], \"v\": {\"x\": [1, 2]}}",
		"true");
	eval_eq("States.ArrayContains($.a, 'x')", "{\"a\": []}", "false");
	eval_eq("States.ArrayContains($.a, 1)", "{\"a\": [\"1\", true]}", "false");
	eval_eq("States.ArrayRange(9, 1, -3)", "{}", "[9,6,3]");
	eval_eq("States.ArrayRange(1, 9, -1)", "{}", "[]");
	eval_eq("States.ArrayRange(5, 5, 1)", "{}", "[5]");
	eval_eq("States.ArrayRange(0.6, 3.4, 1.2)", "{}", "[1,2,3]");
	eval_eq("States.ArrayGetItem($.a, 0)", "{\"a\": [{\"k\": [1]}]}", "{\"k\":[1]}");
	eval_eq("States.ArrayGetItem($.a, 2.0)", "{\"a\": [1, 2, 3]}", "3");
	eval_eq("States.ArrayLength($.a)", "{\"a\": []}", "0");
	eval_eq("States.ArrayUnique($.a)",
		"{\"a\": [{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}, \"x\", 1, \"x\", [1], 1.0, null, null]}",
		"[{\"a\":1,\"b\":2},\"x\",1,[1],null]");
	/* Indefinite paths yield arrays (Jayway), usable as arguments. */
	eval_eq("States.ArrayLength($.items[*].id)", "{\"items\": [{\"id\": 1}, {\"id\": 2}, {}]}",
		"2");
}
END_TEST

START_TEST(string_edges)
{
	eval_eq("States.StringSplit($.s, ',')", "{\"s\": \",,a,,b,\"}", "[\"a\",\"b\"]");
	eval_eq("States.StringSplit($.s, ',')", "{\"s\": \",,,,\"}", "[]");
	eval_eq("States.StringSplit($.s, ',')", "{\"s\": \"\"}", "[]");
	eval_eq("States.StringSplit($.s, '')", "{\"s\": \"a b\"}", "[\"a b\"]");
	eval_eq("States.StringSplit($.s, ' ')", "{\"s\": \" , \"}", "[\",\"]");
	eval_eq("States.StringSplit($.s, $.d)",
		"{\"s\": \"a\\u2192b\\u00e9c\", \"d\": \"\\u2192\\u00e9\"}", "[\"a\",\"b\",\"c\"]");
	eval_eq("States.Base64Encode($.s)", "{\"s\": \"h\\u00e9llo \\u2713\"}",
		"\"aMOpbGxvIOKckw==\"");
	eval_eq("States.Base64Decode('aMOpbGxvIOKckw==')", "{}", "\"h\xc3\xa9llo \xe2\x9c\x93\"");
	eval_eq("States.Base64Decode('aMOpbGxvIOKckw')", "{}", "\"h\xc3\xa9llo \xe2\x9c\x93\"");
	eval_eq("States.Base64Encode('')", "{}", "\"\"");
	eval_eq("States.Base64Encode('a')", "{}", "\"YQ==\"");
	eval_eq("States.Base64Encode('ab')", "{}", "\"YWI=\"");
	eval_eq("States.Base64Decode('YW\nJj')", "{}", "\"abc\"");
	/* Bytes that are not UTF-8 become U+FFFD. */
	eval_eq("States.Base64Decode('/2E=')", "{}", "\"\xef\xbf\xbd" "a\"");
	eval_eq("States.Base64Decode('4oI=')", "{}", "\"\xef\xbf\xbd\"");
	eval_eq("States.Hash('', 'MD5')", "{}", "\"d41d8cd98f00b204e9800998ecf8427e\"");
	eval_eq("States.Hash($.s, 'SHA-256')", "{\"s\": \"h\\u00e9llo \\u2713\"}",
		"\"5657cdef8a85a584e0e961e6f8247cf5d3f8ed21496ed6fdbcfd43a761e94245\"");
	eval_eq("States.StringToJson(' [1, \"a\"] ')", "{}", "[1,\"a\"]");
	eval_eq("States.StringToJson('null')", "{}", "null");
	eval_eq("States.JsonToString($.s)", "{\"s\": \"q\\\"\"}", "\"\\\"q\\\\\\\"\\\"\"");
	eval_eq("States.JsonMerge($.a, $.b, false)", "{\"a\": {}, \"b\": {\"x\": 1}}", "{\"x\":1}");
	eval_eq("States.MathAdd(1.5, 1)", "{}", "3");
	eval_eq("States.MathAdd(-1.5, 0)", "{}", "-2");
	eval_eq("States.MathAdd(2147483647, 2147483647)", "{}", "4294967294");
	eval_eq("States.MathAdd($.a, $.b)", "{\"a\": -2147483648, \"b\": 0.4}", "-2147483648");
}
END_TEST

START_TEST(runtime_failures)
{
	const char *E = ASLRT_ERR_INTRINSIC;
	eval_fail("States.ArrayGetItem($.a, 3)", "{\"a\": [1, 2, 3]}", E,
		  FAIL_PREFIX "States.ArrayGetItem($.a, 3)' failed: the index 3 is out of bounds "
			      "for an array of 3 items");
	eval_fail("States.ArrayGetItem($.a, $.i)", "{\"a\": [1], \"i\": -1}", E,
		  FAIL_PREFIX "States.ArrayGetItem($.a, $.i)' failed: the index -1 is not a "
			      "non-negative integer");
	eval_fail("States.ArrayGetItem($.a, $.i)", "{\"a\": [1], \"i\": 0.5}", E,
		  FAIL_PREFIX "States.ArrayGetItem($.a, $.i)' failed: the index 0.5 is not a "
			      "non-negative integer");
	eval_fail("States.ArrayLength($.a)", "{\"a\": {\"x\": 1}}", E,
		  FAIL_PREFIX "States.ArrayLength($.a)' failed: argument 1 must be an array, not an "
			      "object");
	eval_fail("States.ArrayRange(1, $.n, 1)", "{\"n\": 1001}", E,
		  FAIL_PREFIX "States.ArrayRange(1, $.n, 1)' failed: the range would have 1001 "
			      "items; at most 1000 are allowed");
	eval_fail("States.ArrayRange(1, 5, $.s)", "{\"s\": 0.2}", E,
		  FAIL_PREFIX "States.ArrayRange(1, 5, $.s)' failed: the step (argument 3) must not "
			      "be 0");
	eval_fail("States.ArrayPartition($.a, $.n)", "{\"a\": [1], \"n\": 0.4}", E,
		  FAIL_PREFIX "States.ArrayPartition($.a, $.n)' failed: the chunk size (0.4) must "
			      "be a positive integer");
	eval_fail("States.StringToJson($.s)", "{\"s\": \"{\\\"a\\\": 1\"}", E,
		  FAIL_PREFIX "States.StringToJson($.s)' failed: the string is not valid JSON");
	eval_fail("States.StringToJson($.s)", "{\"s\": \"1 2\"}", E,
		  FAIL_PREFIX "States.StringToJson($.s)' failed: the string is not valid JSON");
	eval_fail("States.Base64Decode($.s)", "{\"s\": \"ab$c\"}", E,
		  FAIL_PREFIX "States.Base64Decode($.s)' failed: the input is not valid Base64: "
			      "unexpected '$' at offset 2");
	eval_fail("States.Base64Decode($.s)", "{\"s\": \"abcde\"}", E,
		  FAIL_PREFIX "States.Base64Decode($.s)' failed: the input is not valid Base64: it "
			      "ends in the middle of a character");
	eval_fail("States.Base64Decode($.s)", "{\"s\": \"AA==\"}", E,
		  FAIL_PREFIX "States.Base64Decode($.s)' failed: the decoded data contains a NUL "
			      "character");
	eval_fail("States.Hash($.d, $.alg)", "{\"d\": \"x\", \"alg\": \"SHA-3\"}", E,
		  FAIL_PREFIX "States.Hash($.d, $.alg)' failed: unknown hash algorithm 'SHA-3': "
			      "expected MD5, SHA-1, SHA-256, SHA-384 or SHA-512");
	eval_fail("States.Hash($.d, 'MD5')", "{\"d\": 12}", E,
		  FAIL_PREFIX "States.Hash($.d, 'MD5')' failed: argument 1 must be a string, not a "
			      "number");
	eval_fail("States.JsonMerge($.a, $.b, $.deep)",
		  "{\"a\": {}, \"b\": {}, \"deep\": true}", E,
		  FAIL_PREFIX "States.JsonMerge($.a, $.b, $.deep)' failed: deep merging is not "
			      "supported: the third argument must be false");
	eval_fail("States.MathAdd($.a, 1)", "{\"a\": 2147483648}", E,
		  FAIL_PREFIX "States.MathAdd($.a, 1)' failed: argument 1 (2147483648) is outside "
			      "the range -2147483648 to 2147483647");
	eval_fail("States.MathAdd($.a, 1)", "{\"a\": \"1\"}", E,
		  FAIL_PREFIX "States.MathAdd($.a, 1)' failed: argument 1 must be a number, not a "
			      "string");
	eval_fail("States.MathRandom($.a, $.b)", "{\"a\": 3, \"b\": 3.4}", E,
		  FAIL_PREFIX "States.MathRandom($.a, $.b)' failed: the end (3) must be greater "
			      "than the start (3)");
	eval_fail("States.Format($.t, 1)", "{\"t\": \"{}{}\"}", E,
		  FAIL_PREFIX "States.Format($.t, 1)' failed: the format string has 2 placeholders "
			      "'{}' but 1 value follows");
	eval_fail("States.StringSplit($.s, ',')", "{\"s\": [\"a\"]}", E,
		  FAIL_PREFIX "States.StringSplit($.s, ',')' failed: argument 1 must be a string, "
			      "not an array");
	/* The innermost failing call is named. */
	eval_fail("States.Array(States.ArrayGetItem($.a, 1))", "{\"a\": []}", E,
		  FAIL_PREFIX "States.ArrayGetItem($.a, 1)' failed: the index 1 is out of bounds "
			      "for an array of 0 items");

	/* 10,000 characters pass, 10,001 fail. */
	char *doc = malloc(10100);
	strcpy(doc, "{\"s\": \"");
	size_t n = strlen(doc);
	memset(doc + n, 'a', 10000);
	strcpy(doc + n + 10000, "\"}");
	struct aslrt_error err = { 0 };
	char *ok = eval("States.Hash($.s, 'SHA-1')", doc, &err);
	ck_assert_ptr_nonnull(ok);
	free(ok);
	memmove(doc + n + 1, doc + n, 10003);
	doc[n] = 'a';
	eval_fail("States.Base64Encode($.s)", doc, E,
		  FAIL_PREFIX "States.Base64Encode($.s)' failed: the input has 10001 characters; "
			      "at most 10000 are allowed");
	free(doc);

	/* A path that selects nothing is a path failure, as in any template. */
	eval_fail("States.Format('{}', $.missing)", "{\"a\": 1}", ASLRT_ERR_RUNTIME,
		  "The JSONPath '$.missing' specified for the intrinsic function "
		  "'States.Format('{}', $.missing)' could not be found in the input '{\"a\":1}'");
}
END_TEST

/* ------------------------------------------------------------ digests */

static void digest_is(enum rt_digest_alg alg, const char *msg, size_t n, const char *want)
{
	char hex[129];
	ck_assert_uint_eq(rt_digest_hex(alg, msg, n, hex), strlen(want));
	ck_assert_str_eq(hex, want);
}

START_TEST(digest_vectors)
{
	static const char *const m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char *const m896 =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
		"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	digest_is(RT_MD5, "", 0, "d41d8cd98f00b204e9800998ecf8427e");
	digest_is(RT_MD5, "abc", 3, "900150983cd24fb0d6963f7d28e17f72");
	digest_is(RT_MD5, m448, 56, "8215ef0796a20bcaaae116d3876c664a");
	digest_is(RT_SHA1, "", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	digest_is(RT_SHA1, "abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	digest_is(RT_SHA1, m448, 56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	digest_is(RT_SHA256, "", 0,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_is(RT_SHA256, "abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_is(RT_SHA256, m448, 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	digest_is(RT_SHA384, "abc", 3,
		  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		  "8086072ba1e7cc2358baeca134c825a7");
	digest_is(RT_SHA384, m896, 112,
		  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
		  "fcc7c71a557e2db966c3e9fa91746039");
	digest_is(RT_SHA512, "", 0,
		  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	digest_is(RT_SHA512, "abc", 3,
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	digest_is(RT_SHA512, m896, 112,
		  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");

	/* One million 'a' (FIPS 180-2), across many blocks. */
	char *million = malloc(1000000);
	memset(million, 'a', 1000000);
	digest_is(RT_MD5, million, 1000000, "7707d6ae4e027c70eea2a935c2296f21");
	digest_is(RT_SHA1, million, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	digest_is(RT_SHA256, million, 1000000,
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	digest_is(RT_SHA384, million, 1000000,
		  "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
		  "07b8b3dc38ecc4ebae97ddd87f3d8985");
	digest_is(RT_SHA512, million, 1000000,
		  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
		  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
	free(million);

	/* Names as AWS spells them, and the other algorithms via States.Hash. */
	ck_assert_int_eq(rt_digest_lookup("SHA-384"), RT_SHA384);
	ck_assert_int_eq(rt_digest_lookup("sha-384"), -1);
	eval_eq("States.Hash('input data', 'MD5')", "{}", "\"812f45842bc6d66ee14572ce20db8e86\"");
	eval_eq("States.Hash('input data', 'SHA-384')", "{}",
		"\"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b"
		"87525bdc835ebb27e1fb9e9374a15562\"");
	eval_eq("States.Hash('input data', 'SHA-512')", "{}",
		"\"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce"
		"2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4\"");
}
END_TEST

/* --------------------------------------------------- allocation faults */

/* In a child process: make runtime allocation number n fail, then evaluate
 * calls touching every function family. Each must give its exact result or
 * fail cleanly (NULL with an error). Exits 3 when nothing failed (n is past
 * the last allocation), 0 when the failures were clean, 1 otherwise. */
static int fault_child(long n)
{
	static const char *const texts[] = {
		"States.Format('{} {}', States.ArrayPartition($.a, 2), States.JsonToString($.o))",
		"States.ArrayUnique(States.StringSplit(States.Base64Decode(States.Base64Encode($.s)), ','))",
		"States.JsonMerge($.o, States.StringToJson('{\"y\": [1]}'), false)",
		"States.Array(States.Hash($.s, 'SHA-512'), States.ArrayRange(1, 3, 1), "
		"States.ArrayGetItem($.a, 1), States.ArrayContains($.a, 2), States.MathAdd(1, 2))",
	};
	static const char *const want[] = {
		"\"[[1,2],[3]] {\\\"x\\\":1}\"",
		"[\"a\",\"b\"]",
		"{\"x\":1,\"y\":[1]}",
		NULL, /* computed below */
	};
	struct aslrt_call *cs[4];
	for (int i = 0; i < 4; i++)
		cs[i] = parse_ok(texts[i]);
	cJSON *doc = cJSON_Parse("{\"a\": [1, 2, 3], \"o\": {\"x\": 1}, \"s\": \"a,b,a\"}");
	/* The SHA-512 of "a,b,a", computed before faults start. */
	char hex[129];
	rt_digest_hex(RT_SHA512, "a,b,a", 5, hex);
	char want3[400];
	snprintf(want3, sizeof want3, "[\"%s\",[1,2,3],2,true,3]", hex);
	char env[32];
	snprintf(env, sizeof env, "%ld", n);
	setenv("ASLRT_FAIL_ALLOC_AT", env, 1);
	rt_alloc_init();

	int failures = 0, bad = 0;
	struct rt_roots r = { .input = doc };
	for (int i = 0; i < 4; i++) {
		struct aslrt_error err = { 0 };
		cJSON *v = rt_call_eval(cs[i], &r, &err);
		char *s = v ? cJSON_PrintUnformatted(v) : NULL;
		if (!v) {
			failures++;
			bad |= err.error == NULL;
		} else if (!s) {
			failures++;
		} else if (strcmp(s, i == 3 ? want3 : want[i])) {
			fprintf(stderr, "allocation %ld: call %d gave %s\n", n, i, s);
			bad = 1;
		}
		cJSON_free(s);
		cJSON_Delete(v);
		aslrt_error_clear(&err);
	}
	setenv("ASLRT_FAIL_ALLOC_AT", "0", 1);
	cJSON_Delete(doc);
	for (int i = 0; i < 4; i++)
		asl_intrinsic_free(cs[i]);
	return bad ? 1 : failures ? 0 : 3;
}

START_TEST(allocation_failures)
{
	int done = 0;
	long n = 1;
	for (; n < 3000 && !done; n++) {
		fflush(NULL);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			exit(fault_child(n));
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_msg(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3),
			      "failing allocation %ld: status %d", n, st);
		done = WEXITSTATUS(st) == 3;
	}
	ck_assert_msg(done, "never ran without a failing allocation");
	/* The calls allocate a lot (arguments of up to 8 on the stack do not):
	 * every one of those allocations was made to fail once. */
	ck_assert_int_gt(n, 50);
}
END_TEST

/* -------------------------------------------------------------- emitting */

static char *emit_one(const char *text, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	struct aslrt_call *c = parse_ok(text);
	asl_emit_call(f, c, name);
	asl_intrinsic_free(c);
	fclose(f);
	return buf;
}

START_TEST(emit_exact)
{
	char *s = emit_one("States.Format('{} */ {}', $.a, States.Array(true))", "k");
	ck_assert_str_eq(s,
		"/* Intrinsic States.Format('{} * / {}', $.a, States.Array(true)) */\n"
		"static const struct aslrt_tmpl k_a0_k_items[] = {\n"
		"\t{ .kind = ASLRT_T_STRING, .str = \"\" },\n"
		"\t{ .kind = ASLRT_T_STRING, .str = \" */ \" },\n"
		"\t{ .kind = ASLRT_T_STRING, .str = \"\" },\n"
		"};\n"
		"static const struct aslrt_tmpl k_a0_k = { .kind = ASLRT_T_ARRAY, .n = 3, "
		".items = k_a0_k_items };\n"
		"/* JSONPath $.a */\n"
		"static const struct aslrt_seg k_a1_p_seg[] = {\n"
		"\t{ .kind = ASLRT_SEG_FIELD, .name = \"a\" },\n"
		"};\n"
		"static const struct aslrt_path k_a1_p = {\n"
		"\t.text = \"$.a\",\n"
		"\t.root = ASLRT_ROOT_INPUT,\n"
		"\t.nseg = 1,\n"
		"\t.seg = k_a1_p_seg,\n"
		"\t.definite = 1,\n"
		"};\n"
		"static const struct aslrt_tmpl k_a2_c_a0_k = { .kind = ASLRT_T_TRUE };\n"
		"static const struct aslrt_arg k_a2_c_args[] = {\n"
		"\t{ .kind = ASLRT_ARG_LITERAL, .lit = &k_a2_c_a0_k },\n"
		"};\n"
		"static const struct aslrt_call k_a2_c = {\n"
		"\t.fn = ASLRT_FN_ARRAY,\n"
		"\t.nargs = 1,\n"
		"\t.args = k_a2_c_args,\n"
		"\t.text = \"States.Array(true)\",\n"
		"};\n"
		"static const struct aslrt_arg k_args[] = {\n"
		"\t{ .kind = ASLRT_ARG_LITERAL, .lit = &k_a0_k },\n"
		"\t{ .kind = ASLRT_ARG_PATH, .path = &k_a1_p },\n"
		"\t{ .kind = ASLRT_ARG_CALL, .call = &k_a2_c },\n"
		"};\n"
		"static const struct aslrt_call k = {\n"
		"\t.fn = ASLRT_FN_FORMAT,\n"
		"\t.nargs = 3,\n"
		"\t.args = k_args,\n"
		"\t.text = \"States.Format('{} */ {}', $.a, States.Array(true))\",\n"
		"};\n");
	free(s);
}
END_TEST

START_TEST(emit_compiles)
{
	static const char *const texts[] = {
		"States.UUID()",
		"States.Format('a\\'\"?\?=\\\\ {}', States.MathRandom(1, 2.5, -3e2))",
		"States.Array($$.Execution.Id, $['a', 'b'][?(@ > 1)], null, false, 'x')",
		"States.JsonMerge($.a, States.StringToJson(States.Format($.t, 1)), false)",
	};
	char dir[] = "/tmp/test_intrinsic_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/calls.c", dir);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#include \"aslrt.h\"\n", f);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char name[16];
		snprintf(name, sizeof name, "c%zu", i);
		char *code = emit_one(texts[i], name);
		fputs(code, f);
		free(code);
	}
	fputs("int main(void)\n{\n\tconst struct aslrt_call *all[] = { &c0, &c1, &c2, &c3 };\n"
	      "\treturn all[0]->nargs;\n}\n", f);
	fclose(f);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I%s/runtime/include "
		 "$(pkg-config --cflags libcjson) %s", TEST_SOURCE_ROOT, file);
	int rc = system(cmd);
	ck_assert_msg(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		      "generated calls do not compile: %s (kept %s)", cmd, file);
	unlink(file);
	rmdir(dir);
}
END_TEST

static Suite *intrinsic_suite(void)
{
	Suite *s = suite_create("intrinsic");
	TCase *parse = tcase_create("parse");
	TCase *docs = tcase_create("docs");
	TCase *eval_tc = tcase_create("eval");
	TCase *digest = tcase_create("digest");
	TCase *emit = tcase_create("emit");

	tcase_add_test(parse, parse_structure);
	tcase_add_test(parse, parse_strings_and_paths);
	tcase_add_test(parse, parse_syntax_errors);
	tcase_add_test(parse, parse_arity_and_types);
	tcase_add_test(parse, parse_literal_values);
	tcase_add_test(parse, parse_nesting_limit);
	tcase_add_test(docs, docs_arrays);
	tcase_add_test(docs, docs_encoding_hash_json);
	tcase_add_test(docs, docs_math_strings_uuid);
	tcase_add_test(eval_tc, format_rendering);
	tcase_add_test(eval_tc, array_edges);
	tcase_add_test(eval_tc, string_edges);
	tcase_add_test(eval_tc, runtime_failures);
	tcase_add_test(eval_tc, allocation_failures);
	tcase_set_timeout(eval_tc, 300);
	tcase_add_test(digest, digest_vectors);
	tcase_set_timeout(digest, 60);
	tcase_add_test(emit, emit_exact);
	tcase_add_test(emit, emit_compiles);
	tcase_set_timeout(emit, 60);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, docs);
	suite_add_tcase(s, eval_tc);
	suite_add_tcase(s, digest);
	suite_add_tcase(s, emit);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(intrinsic_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
