/*
 * test_path.c - unit tests of JSONPath: parsing (compiler/path.c and the
 * grammar), evaluation and ResultPath storing (runtime/path.c), and the C
 * data asl_emit_path writes.
 *
 * Documents come from the AWS Step Functions Developer Guide pages "Using
 * JSONPath paths", "Reference Paths", "InputPath, Parameters and
 * ResultSelector" and "Specifying state output using ResultPath", and from
 * the Jayway JsonPath README's bookstore (AWS evaluates paths with Jayway).
 */
#include "path.h"
#include "rt.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* "Using JSONPath paths" / "Reference Paths" example input. */
static const char *const FOO_DOC =
	"{\"foo\": 123, \"bar\": [\"a\", \"b\", \"c\"], \"car\": {\"cdr\": true}}";

/* Jayway's README document. */
static const char *const STORE_DOC =
	"{\"store\": {\"book\": ["
	"{\"category\": \"reference\", \"author\": \"Nigel Rees\","
	" \"title\": \"Sayings of the Century\", \"price\": 8.95},"
	"{\"category\": \"fiction\", \"author\": \"Evelyn Waugh\","
	" \"title\": \"Sword of Honour\", \"price\": 12.99},"
	"{\"category\": \"fiction\", \"author\": \"Herman Melville\","
	" \"title\": \"Moby Dick\", \"isbn\": \"0-553-21311-3\", \"price\": 8.99},"
	"{\"category\": \"fiction\", \"author\": \"J. R. R. Tolkien\","
	" \"title\": \"The Lord of the Rings\", \"isbn\": \"0-395-19395-8\", \"price\": 22.99}"
	"], \"bicycle\": {\"color\": \"red\", \"price\": 19.95}}, \"expensive\": 10}";

#define BOOK1 "{\"category\":\"reference\",\"author\":\"Nigel Rees\",\"title\":\"Sayings of the Century\",\"price\":8.95}"
#define BOOK2 "{\"category\":\"fiction\",\"author\":\"Evelyn Waugh\",\"title\":\"Sword of Honour\",\"price\":12.99}"
#define BOOK3 "{\"category\":\"fiction\",\"author\":\"Herman Melville\",\"title\":\"Moby Dick\",\"isbn\":\"0-553-21311-3\",\"price\":8.99}"
#define BOOK4 "{\"category\":\"fiction\",\"author\":\"J. R. R. Tolkien\",\"title\":\"The Lord of the Rings\",\"isbn\":\"0-395-19395-8\",\"price\":22.99}"

/* ------------------------------------------------------------ helpers */

static struct aslrt_path *parse_ok(const char *text, enum asl_path_mode mode)
{
	char *err = NULL;
	int off = -1;
	struct aslrt_path *p = asl_path_parse(text, mode, &err, &off);
	ck_assert_msg(p != NULL, "rejected \"%s\": %s at %d", text, err ? err : "?", off);
	ck_assert_ptr_null(err);
	return p;
}

/* Parse text in mode and require the error msg at offset off. */
static void parse_err(const char *text, enum asl_path_mode mode, const char *msg, int off)
{
	char *err = NULL;
	int at = -1;
	struct aslrt_path *p = asl_path_parse(text, mode, &err, &at);
	ck_assert_msg(p == NULL, "accepted \"%s\"", text);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(!strcmp(err, msg) && at == off, "\"%s\": got \"%s\" at %d, want \"%s\" at %d",
		      text, err, at, msg, off);
	free(err);
}

static char *print(const cJSON *v)
{
	return v ? cJSON_PrintUnformatted(v) : strdup("NONE");
}

/* Select with the full-mode path text on the documents given as JSON (ctx may
 * be NULL) and return the result printed compactly, "NONE" for no node. */
static char *select_ctx(const char *text, const char *input, const char *ctx)
{
	struct aslrt_path *p = parse_ok(text, ASL_PATH_FULL);
	cJSON *in = cJSON_Parse(input), *cx = ctx ? cJSON_Parse(ctx) : NULL;
	ck_assert_ptr_nonnull(in);
	struct rt_roots r = { .input = in, .context = cx };
	cJSON *scratch = (cJSON *)1;
	const cJSON *v = rt_path_select(p, &r, &scratch);
	if (p->definite)
		ck_assert_ptr_null(scratch);
	else
		ck_assert_ptr_eq(scratch, v);
	char *s = print(v);
	cJSON_Delete(scratch);
	cJSON_Delete(in);
	cJSON_Delete(cx);
	asl_path_free(p);
	return s;
}

#define ck_select(text, doc, want)                                             \
	do {                                                                   \
		char *got_ = select_ctx((text), (doc), NULL);                  \
		ck_assert_msg(!strcmp(got_, (want)), "%s: got %s, want %s",    \
			      (text), got_, (want));                           \
		free(got_);                                                    \
	} while (0)

static int is_definite(const char *text)
{
	struct aslrt_path *p = parse_ok(text, ASL_PATH_FULL);
	int d = p->definite;
	asl_path_free(p);
	return d;
}

/* rt_path_set with the reference path text on doc and value (JSON); require
 * success and the document want. */
static void set_ok(const char *text, const char *doc, const char *value, const char *want)
{
	struct aslrt_path *p = parse_ok(text, ASL_PATH_REFERENCE);
	cJSON *d = cJSON_Parse(doc), *v = cJSON_Parse(value);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(v);
	char *why = (char *)1;
	ck_assert_int_eq(rt_path_set(p, &d, v, &why), 0);
	ck_assert_ptr_null(why);
	char *got = print(d);
	ck_assert_str_eq(got, want);
	free(got);
	cJSON_Delete(d);
	asl_path_free(p);
}

/* rt_path_set must fail with message want and leave doc unchanged. */
static void set_fails(const char *text, const char *doc, const char *value, const char *want)
{
	struct aslrt_path *p = parse_ok(text, ASL_PATH_REFERENCE);
	cJSON *d = cJSON_Parse(doc), *v = cJSON_Parse(value), *orig = cJSON_Duplicate(d, 1);
	char *why = NULL;
	ck_assert_int_eq(rt_path_set(p, &d, v, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, want);
	ck_assert_msg(cJSON_Compare(d, orig, 1), "document changed by a failed set");
	rt_free(why);
	cJSON_Delete(d);
	cJSON_Delete(orig);
	asl_path_free(p);
}

/* ---------------------------------------------------- parsing: shapes */

START_TEST(parse_segments)
{
	struct aslrt_path *p = parse_ok("$.a['b c'][3][-1]", ASL_PATH_FULL);
	ck_assert_str_eq(p->text, "$.a['b c'][3][-1]");
	ck_assert_int_eq(p->root, ASLRT_ROOT_INPUT);
	ck_assert_int_eq(p->nseg, 4);
	ck_assert_int_eq(p->seg[0].kind, ASLRT_SEG_FIELD);
	ck_assert_str_eq(p->seg[0].name, "a");
	ck_assert_int_eq(p->seg[1].kind, ASLRT_SEG_FIELD);
	ck_assert_str_eq(p->seg[1].name, "b c");
	ck_assert_int_eq(p->seg[2].kind, ASLRT_SEG_INDEX);
	ck_assert_int_eq(p->seg[2].index, 3);
	ck_assert_int_eq(p->seg[3].index, -1);
	ck_assert_int_eq(p->definite, 1);
	asl_path_free(p);

	p = parse_ok("$$", ASL_PATH_REFERENCE);
	ck_assert_int_eq(p->root, ASLRT_ROOT_CONTEXT);
	ck_assert_int_eq(p->nseg, 0);
	ck_assert_int_eq(p->definite, 1);
	asl_path_free(p);

	/* "Using JSONPath paths": special characters need brackets, $.abc.['def ghi'] */
	p = parse_ok("$.abc.['def ghi']", ASL_PATH_REFERENCE);
	ck_assert_int_eq(p->nseg, 2);
	ck_assert_str_eq(p->seg[1].name, "def ghi");
	asl_path_free(p);

	p = parse_ok("$[1:3][::2][-2:][:5:-1]", ASL_PATH_FULL);
	ck_assert_int_eq(p->nseg, 4);
	ck_assert_int_eq(p->seg[0].kind, ASLRT_SEG_SLICE);
	ck_assert_int_eq(p->seg[0].has_start, 1);
	ck_assert_int_eq(p->seg[0].start, 1);
	ck_assert_int_eq(p->seg[0].has_end, 1);
	ck_assert_int_eq(p->seg[0].end, 3);
	ck_assert_int_eq(p->seg[0].has_step, 0);
	ck_assert_int_eq(p->seg[1].has_start, 0);
	ck_assert_int_eq(p->seg[1].has_end, 0);
	ck_assert_int_eq(p->seg[1].has_step, 1);
	ck_assert_int_eq(p->seg[1].step, 2);
	ck_assert_int_eq(p->seg[2].start, -2);
	ck_assert_int_eq(p->seg[2].has_end, 0);
	ck_assert_int_eq(p->seg[3].has_start, 0);
	ck_assert_int_eq(p->seg[3].end, 5);
	ck_assert_int_eq(p->seg[3].step, -1);
	ck_assert_int_eq(p->definite, 0);
	asl_path_free(p);

	p = parse_ok("$['a', \"b\\\"\", 'c'][0, -1]..x..*.*[*]", ASL_PATH_FULL);
	ck_assert_int_eq(p->nseg, 6);
	ck_assert_int_eq(p->seg[0].kind, ASLRT_SEG_UNION);
	ck_assert_int_eq(p->seg[0].n, 3);
	ck_assert_str_eq(p->seg[0].names[0], "a");
	ck_assert_str_eq(p->seg[0].names[1], "b\"");
	ck_assert_str_eq(p->seg[0].names[2], "c");
	ck_assert_ptr_null(p->seg[0].indexes);
	ck_assert_int_eq(p->seg[1].kind, ASLRT_SEG_UNION);
	ck_assert_int_eq(p->seg[1].n, 2);
	ck_assert_int_eq(p->seg[1].indexes[0], 0);
	ck_assert_int_eq(p->seg[1].indexes[1], -1);
	ck_assert_ptr_null(p->seg[1].names);
	ck_assert_int_eq(p->seg[2].kind, ASLRT_SEG_DESCENT);
	ck_assert_str_eq(p->seg[2].name, "x");
	ck_assert_int_eq(p->seg[3].kind, ASLRT_SEG_DESCENT);
	ck_assert_ptr_null(p->seg[3].name);
	ck_assert_int_eq(p->seg[4].kind, ASLRT_SEG_WILDCARD);
	ck_assert_int_eq(p->seg[5].kind, ASLRT_SEG_WILDCARD);
	asl_path_free(p);
}
END_TEST

/* $name roots a path at a workflow variable, with segments after it. */
START_TEST(parse_variables)
{
	struct aslrt_path *p = parse_ok("$order.lines[0].sku", ASL_PATH_FULL);
	ck_assert_int_eq(p->root, ASLRT_ROOT_VAR);
	ck_assert_str_eq(p->var, "order");
	ck_assert_int_eq(p->nseg, 3);
	ck_assert_str_eq(p->seg[0].name, "lines");
	ck_assert_int_eq(p->definite, 1);
	asl_path_free(p);
	p = parse_ok("$x", ASL_PATH_REFERENCE);
	ck_assert_int_eq(p->root, ASLRT_ROOT_VAR);
	ck_assert_str_eq(p->var, "x");
	ck_assert_int_eq(p->nseg, 0);
	asl_path_free(p);
	p = parse_ok("$.a[?(@.v == $limit)]", ASL_PATH_FULL);
	ck_assert_int_eq(p->seg[1].filter->rhs_path->root, ASLRT_ROOT_VAR);
	ck_assert_str_eq(p->seg[1].filter->rhs_path->var, "limit");
	asl_path_free(p);
}
END_TEST

START_TEST(parse_filters)
{
	struct aslrt_path *p =
		parse_ok("$.a[?(@.price < 10 && @.x == 'y' || !(@.z))]", ASL_PATH_FULL);
	ck_assert_int_eq(p->nseg, 2);
	ck_assert_int_eq(p->seg[1].kind, ASLRT_SEG_FILTER);
	const struct aslrt_filter *f = p->seg[1].filter;
	/* && binds tighter than || */
	ck_assert_int_eq(f->op, ASLRT_F_OR);
	ck_assert_int_eq(f->a->op, ASLRT_F_AND);
	const struct aslrt_filter *lt = f->a->a, *eq = f->a->b, *not = f->b;
	ck_assert_int_eq(lt->op, ASLRT_F_LT);
	ck_assert_str_eq(lt->lhs->text, "@.price");
	ck_assert_int_eq(lt->lhs->root, ASLRT_ROOT_CURRENT);
	ck_assert_int_eq(lt->lhs->definite, 1);
	ck_assert_int_eq(lt->rhs->kind, ASLRT_T_NUMBER);
	ck_assert_double_eq(lt->rhs->num, 10.0);
	ck_assert_ptr_null(lt->rhs_path);
	ck_assert_int_eq(eq->op, ASLRT_F_EQ);
	ck_assert_int_eq(eq->rhs->kind, ASLRT_T_STRING);
	ck_assert_str_eq(eq->rhs->str, "y");
	ck_assert_int_eq(not->op, ASLRT_F_NOT);
	ck_assert_int_eq(not->a->op, ASLRT_F_EXISTS);
	ck_assert_str_eq(not->a->lhs->text, "@.z");
	ck_assert_ptr_null(not->a->rhs);
	asl_path_free(p);

	/* A constant on the left mirrors the operator; paths on both sides. */
	p = parse_ok("$[?(2.5e1 >= @.n)][?(@.a != $.b[0])][?(@ == null)]", ASL_PATH_FULL);
	f = p->seg[0].filter;
	ck_assert_int_eq(f->op, ASLRT_F_LE);
	ck_assert_double_eq(f->rhs->num, 25.0);
	f = p->seg[1].filter;
	ck_assert_int_eq(f->op, ASLRT_F_NE);
	ck_assert_str_eq(f->rhs_path->text, "$.b[0]");
	ck_assert_int_eq(f->rhs_path->root, ASLRT_ROOT_INPUT);
	ck_assert_ptr_null(f->rhs);
	f = p->seg[2].filter;
	ck_assert_int_eq(f->lhs->nseg, 0);
	ck_assert_int_eq(f->rhs->kind, ASLRT_T_NULL);
	asl_path_free(p);

	p = parse_ok("$[?(@.t == true || @.f == false)][?(@.s == \"d\\u00e9j\\u00e0\")]",
		     ASL_PATH_FULL);
	ck_assert_int_eq(p->seg[0].filter->a->rhs->kind, ASLRT_T_TRUE);
	ck_assert_int_eq(p->seg[0].filter->b->rhs->kind, ASLRT_T_FALSE);
	ck_assert_str_eq(p->seg[1].filter->rhs->str, "d\xc3\xa9j\xc3\xa0");
	asl_path_free(p);
}
END_TEST

START_TEST(parse_definite)
{
	ck_assert_int_eq(is_definite("$"), 1);
	ck_assert_int_eq(is_definite("$.a.b[0]['c'][-1]"), 1);
	ck_assert_int_eq(is_definite("$$.Execution.Id"), 1);
	ck_assert_int_eq(is_definite("$.a[*]"), 0);
	ck_assert_int_eq(is_definite("$.*"), 0);
	ck_assert_int_eq(is_definite("$.a[0:1]"), 0);
	ck_assert_int_eq(is_definite("$.a[0,1]"), 0);
	ck_assert_int_eq(is_definite("$['a','b']"), 0);
	ck_assert_int_eq(is_definite("$..a"), 0);
	ck_assert_int_eq(is_definite("$.a[?(@.b)]"), 0);
	ck_assert_int_eq(is_definite("$.a[?(@.b)].c"), 0);
}
END_TEST

START_TEST(parse_errors)
{
	const enum asl_path_mode F = ASL_PATH_FULL;
	parse_err("", F, "a path must start with '$'", 0);
	parse_err("foo.bar", F, "a path must start with '$'", 0);
	parse_err("$.", F, "'.' must be followed by a name, '*' or '['", 1);
	parse_err("$.a.", F, "'.' must be followed by a name, '*' or '['", 3);
	parse_err("$..", F, "'..' must be followed by a name or '*'", 1);
	parse_err("$.a]", F, "unexpected ']'; expected '.', '..', '[' or end of path", 3);
	parse_err("$.a b", F, "unexpected ' '; expected '.', '..', '[' or end of path", 3);
	parse_err("$$$", F, "unexpected '$'; expected '.', '..', '[' or end of path", 2);
	parse_err("$foo bar", F, "unexpected ' '; expected '.', '..', '[' or end of path", 4);
	parse_err("$.a[", F,
		  "unexpected end of path; expected string, integer, '*', ':' or '?'", 4);
	parse_err("$.a[]", F,
		  "unexpected ']'; expected string, integer, '*', ':' or '?'", 4);
	parse_err("$.a[0", F, "unexpected end of path; expected ']', ':' or ','", 5);
	parse_err("$.a['x", F, "unterminated string", 4);
	parse_err("$['a\\q']", F, "invalid escape '\\q' in string", 4);
	parse_err("$['\\ud800']", F, "invalid \\u escape in string", 3);
	parse_err("$['a', 1]", F, "unexpected '1'; expected string", 7);
	parse_err("$[0, 'a']", F, "unexpected 'a'; expected integer", 5);
	parse_err("$[1:2:0]", F, "slice step cannot be 0", 6);
	parse_err("$[99999999999]", F, "index 99999999999 is out of range", 2);
	parse_err("$[abc]", F, "unexpected 'a'; expected string, integer, '*', ':' or '?'", 2);
	parse_err("$.a[?(@.x = 1)]", F,
		  "unexpected '='; expected '.', '..', '[', ')', '==', '!=', '<', '<=', '>', '>=', '&&' or '||'",
		  10);
	parse_err("$.a[?(@.x == )]", F,
		  "unexpected ')'; expected '$', '$$', '@', variable, string, integer, number, true, false or null",
		  13);
	parse_err("$.a[?(1 == 2)]", F,
		  "unexpected '2'; expected '$', '$$', '@' or variable", 11);
	parse_err("$.a[?(@.x)", F, "unexpected end of path; expected ']'", 10);
	parse_err("$.a[?@.x]", F, "unexpected '@'; expected '('", 5);
	parse_err("$.a[?(@.x == 1e999)]", F, "number 1e999 is out of range", 13);
	parse_err("$.\x01", F, "'.' must be followed by a name, '*' or '['", 1);
	parse_err("$[\xc3\xa9]", F,
		  "unexpected byte 0xc3; expected string, integer, '*', ':' or '?'", 2);
}
END_TEST

START_TEST(parse_reference_mode)
{
	const enum asl_path_mode R = ASL_PATH_REFERENCE;
	struct aslrt_path *p = parse_ok("$.a['b'][0].c", R);
	ck_assert_int_eq(p->nseg, 4);
	asl_path_free(p);
	parse_err("$.a[*]", R, "the wildcard '*' is not allowed in a reference path", 4);
	parse_err("$.*", R, "the wildcard '*' is not allowed in a reference path", 1);
	parse_err("$..a", R, "the descendant operator '..' is not allowed in a reference path", 1);
	parse_err("$..*", R, "the descendant operator '..' is not allowed in a reference path", 1);
	parse_err("$.a[1:2]", R, "a slice ':' is not allowed in a reference path", 5);
	parse_err("$.a[:x]", R, "a slice ':' is not allowed in a reference path", 4);
	parse_err("$['a','b']", R, "a union ',' is not allowed in a reference path", 5);
	parse_err("$[0,1]", R, "a union ',' is not allowed in a reference path", 3);
	parse_err("$.a[?(@.x)]", R, "a filter '?' is not allowed in a reference path", 4);
	parse_err("$.a[-1]", R, "a negative index is not allowed in a reference path", 4);
	parse_err("@.a", R, "a path must start with '$'", 0);
}
END_TEST

/* ------------------------------------------------------------ selecting */

START_TEST(select_reference_paths)
{
	/* "Reference Paths": $.foo => 123, $.bar => ["a","b","c"], $.car.cdr => true */
	ck_select("$.foo", FOO_DOC, "123");
	ck_select("$.bar", FOO_DOC, "[\"a\",\"b\",\"c\"]");
	ck_select("$.car.cdr", FOO_DOC, "true");
	ck_select("$", FOO_DOC, "{\"foo\":123,\"bar\":[\"a\",\"b\",\"c\"],\"car\":{\"cdr\":true}}");
	ck_select("$['car']['cdr']", FOO_DOC, "true");
	ck_select("$.bar[0]", FOO_DOC, "\"a\"");
	ck_select("$.nope", FOO_DOC, "NONE");
	ck_select("$.foo.x", FOO_DOC, "NONE");
	ck_select("$.bar.x", FOO_DOC, "NONE");
	ck_select("$.car[0]", FOO_DOC, "NONE");
	ck_select("$.bar[3]", FOO_DOC, "NONE");
}
END_TEST

START_TEST(select_input_path_examples)
{
	/* "InputPath, Parameters and ResultSelector": InputPath $.dataset2 */
	const char *in = "{\"comment\": \"Example for InputPath.\","
			 " \"dataset1\": {\"val1\": 1, \"val2\": 2, \"val3\": 3},"
			 " \"dataset2\": {\"val1\": \"a\", \"val2\": \"b\", \"val3\": \"c\"}}";
	ck_select("$.dataset2", in, "{\"val1\":\"a\",\"val2\":\"b\",\"val3\":\"c\"}");
	ck_select("$.dataset1.val2", in, "2");
	/* The ASL specification's Parameters example: $.vals[0] and $.vals[3:] */
	const char *vals = "{\"flagged\": 7, \"vals\": [0, 10, 20, 30, 40, 50]}";
	ck_select("$.vals[0]", vals, "0");
	ck_select("$.vals[3:]", vals, "[30,40,50]");
	/* Flattening an array of arrays in ResultSelector: $[*][*] */
	ck_select("$[*][*]", "[[1, 2, 3], [4, 5], [6]]", "[1,2,3,4,5,6]");
}
END_TEST

START_TEST(select_context)
{
	const char *ctx = "{\"Execution\": {\"Id\": \"arn:aws:states:us-east-1:123456789012:"
			  "execution:m:e1\", \"Input\": {\"k\": 1}}, \"State\": {\"Name\": \"S\","
			  " \"RetryCount\": 0}}";
	char *got = select_ctx("$$.Execution.Id", "{}", ctx);
	ck_assert_str_eq(got, "\"arn:aws:states:us-east-1:123456789012:execution:m:e1\"");
	free(got);
	got = select_ctx("$$.State.RetryCount", "{\"State\": 5}", ctx);
	ck_assert_str_eq(got, "0");
	free(got);
	got = select_ctx("$$.*", "{}", ctx);
	ck_assert_str_eq(got, "[{\"Id\":\"arn:aws:states:us-east-1:123456789012:execution:m:e1\","
			      "\"Input\":{\"k\":1}},{\"Name\":\"S\",\"RetryCount\":0}]");
	free(got);
	/* No context document and no execution: nothing selected. */
	got = select_ctx("$$.Execution", "{}", NULL);
	ck_assert_str_eq(got, "NONE");
	free(got);
}
END_TEST

START_TEST(select_negative_index)
{
	ck_select("$.bar[-1]", FOO_DOC, "\"c\"");
	ck_select("$.bar[-3]", FOO_DOC, "\"a\"");
	ck_select("$.bar[-4]", FOO_DOC, "NONE");
	ck_select("$[-1][-1]", "[[1], [2, [3, 4]]]", "[3,4]");
}
END_TEST

START_TEST(select_wildcards)
{
	ck_select("$.*", FOO_DOC, "[123,[\"a\",\"b\",\"c\"],{\"cdr\":true}]");
	ck_select("$.bar[*]", FOO_DOC, "[\"a\",\"b\",\"c\"]");
	ck_select("$.bar.*", FOO_DOC, "[\"a\",\"b\",\"c\"]");
	ck_select("$.foo[*]", FOO_DOC, "[]");
	ck_select("$.nope[*]", FOO_DOC, "[]");
	ck_select("$.store.book[*].author", STORE_DOC,
		  "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]");
	ck_select("$.store.book[*].isbn", STORE_DOC, "[\"0-553-21311-3\",\"0-395-19395-8\"]");
	ck_select("$.store.*", STORE_DOC,
		  "[[" BOOK1 "," BOOK2 "," BOOK3 "," BOOK4 "],{\"color\":\"red\",\"price\":19.95}]");
}
END_TEST

START_TEST(select_slices)
{
	const char *a = "[0, 1, 2, 3, 4, 5]";
	ck_select("$[1:3]", a, "[1,2]");
	ck_select("$[:2]", a, "[0,1]");
	ck_select("$[4:]", a, "[4,5]");
	ck_select("$[-2:]", a, "[4,5]");
	ck_select("$[:-4]", a, "[0,1]");
	ck_select("$[-3:-1]", a, "[3,4]");
	ck_select("$[::2]", a, "[0,2,4]");
	ck_select("$[1::2]", a, "[1,3,5]");
	ck_select("$[::-1]", a, "[5,4,3,2,1,0]");
	ck_select("$[4:1:-2]", a, "[4,2]");
	ck_select("$[-1:-4:-1]", a, "[5,4,3]");
	ck_select("$[:]", a, "[0,1,2,3,4,5]");
	ck_select("$[3:1]", a, "[]");
	ck_select("$[10:]", a, "[]");
	ck_select("$[-10:2]", a, "[0,1]");
	ck_select("$[:100]", a, "[0,1,2,3,4,5]");
	ck_select("$[100::-1]", a, "[5,4,3,2,1,0]");
	ck_select("$[:-100:-1]", a, "[5,4,3,2,1,0]");
	ck_select("$[0:6:100]", a, "[0]");
	ck_select("$[1:3]", "[]", "[]");
	ck_select("$[::-1]", "[]", "[]");
	ck_select("$[0:1]", "{\"0\": 1}", "[]");
	ck_select("$..book[:2].price", STORE_DOC, "[8.95,12.99]");
}
END_TEST

START_TEST(select_unions)
{
	ck_select("$['foo','car']", FOO_DOC, "[123,{\"cdr\":true}]");
	ck_select("$['car','foo','nope']", FOO_DOC, "[{\"cdr\":true},123]");
	ck_select("$.bar[0,2]", FOO_DOC, "[\"a\",\"c\"]");
	ck_select("$.bar[2,0,-1,7]", FOO_DOC, "[\"c\",\"a\",\"c\"]");
	ck_select("$.bar['a','b']", FOO_DOC, "[]");
	ck_select("$..book[0,1].title", STORE_DOC,
		  "[\"Sayings of the Century\",\"Sword of Honour\"]");
}
END_TEST

START_TEST(select_descendants)
{
	ck_select("$..author", STORE_DOC,
		  "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]");
	ck_select("$.store..price", STORE_DOC, "[8.95,12.99,8.99,22.99,19.95]");
	ck_select("$..book[2]", STORE_DOC, "[" BOOK3 "]");
	ck_select("$..book[-2]", STORE_DOC, "[" BOOK3 "]");
	ck_select("$..nope", STORE_DOC, "[]");
	/* A node comes before its descendants. */
	ck_select("$..a", "{\"a\": {\"a\": 1, \"b\": [{\"a\": 2}]}, \"c\": {\"a\": 3}}",
		  "[{\"a\":1,\"b\":[{\"a\":2}]},1,2,3]");
	/* ..* lists each node's children, parents first. */
	ck_select("$..*", "{\"a\": {\"b\": 1}, \"c\": [2, [3]]}",
		  "[{\"b\":1},[2,[3]],1,2,[3],3]");
	ck_select("$..*", "7", "[]");
}
END_TEST

START_TEST(select_filters)
{
	ck_select("$..book[?(@.isbn)].title", STORE_DOC, "[\"Moby Dick\",\"The Lord of the Rings\"]");
	ck_select("$.store.book[?(@.price < 10)].price", STORE_DOC, "[8.95,8.99]");
	ck_select("$.store.book[?(10 > @.price)].price", STORE_DOC, "[8.95,8.99]");
	ck_select("$.store.book[?(@.price <= 8.99)].price", STORE_DOC, "[8.95,8.99]");
	ck_select("$.store.book[?(@.price >= 12.99)].price", STORE_DOC, "[12.99,22.99]");
	ck_select("$..book[?(@.price <= $['expensive'])].title", STORE_DOC,
		  "[\"Sayings of the Century\",\"Moby Dick\"]");
	ck_select("$.store.book[?(@.category == 'reference')].author", STORE_DOC, "[\"Nigel Rees\"]");
	ck_select("$.store.book[?(@.category != \"fiction\")].author", STORE_DOC, "[\"Nigel Rees\"]");
	ck_select("$.store.book[?(@.author < 'H')].author", STORE_DOC, "[\"Evelyn Waugh\"]");
	ck_select("$.store.book[?(@.author >= 'J')].author", STORE_DOC,
		  "[\"Nigel Rees\",\"J. R. R. Tolkien\"]");
	/* && || ! and parentheses */
	ck_select("$.store.book[?(@.price < 10 && @.category == 'fiction')].title", STORE_DOC,
		  "[\"Moby Dick\"]");
	ck_select("$.store.book[?(@.price > 20 || @.author == \"Nigel Rees\")].price", STORE_DOC,
		  "[8.95,22.99]");
	ck_select("$.store.book[?(!(@.isbn))].price", STORE_DOC, "[8.95,12.99]");
	ck_select("$.store.book[?(!@.isbn && @.price > 10)].price", STORE_DOC, "[12.99]");
	ck_select("$.store.book[?(@.price < 9 && (@.isbn || @.category == 'x'))].price",
		  STORE_DOC, "[8.99]");
	ck_select("$.store.book[?(@.price > 100 || @.price < 9 && @.isbn)].price", STORE_DOC,
		  "[8.99]");
	/* Applied to an object, a filter tests the object itself (Jayway). */
	ck_select("$.store.bicycle[?(@.color == 'red')].price", STORE_DOC, "[19.95]");
	ck_select("$.store.bicycle[?(@.color == 'blue')]", STORE_DOC, "[]");
	ck_select("$.expensive[?(@ > 1)]", STORE_DOC, "[]");
	/* @ alone, paths on both sides */
	ck_select("$[?(@ > 2)]", "[1, 2, 3, 4, \"5\"]", "[3,4]");
	ck_select("$[?(@.a == @.b)]",
		  "[{\"a\": 1, \"b\": 1}, {\"a\": 1, \"b\": 2}, {\"a\": [1], \"b\": [1]}, {\"a\": 1}]",
		  "[{\"a\":1,\"b\":1},{\"a\":[1],\"b\":[1]}]");
}
END_TEST

START_TEST(select_filter_types)
{
	const char *d = "[{\"a\": true}, {\"a\": false}, {\"a\": null}, {\"b\": 1}, {\"a\": 1},"
			" {\"a\": \"1\"}]";
	ck_select("$[?(@.a)]", d,
		  "[{\"a\":true},{\"a\":false},{\"a\":null},{\"a\":1},{\"a\":\"1\"}]");
	ck_select("$[?(!@.a)]", d, "[{\"b\":1}]");
	ck_select("$[?(@.a == true)]", d, "[{\"a\":true}]");
	ck_select("$[?(@.a != true)]", d, "[{\"a\":false}]");
	ck_select("$[?(@.a == false)]", d, "[{\"a\":false}]");
	ck_select("$[?(@.a == null)]", d, "[{\"a\":null}]");
	ck_select("$[?(@.a != null)]", d, "[]");
	ck_select("$[?(@.a == 1)]", d, "[{\"a\":1}]");
	ck_select("$[?(@.a == '1')]", d, "[{\"a\":\"1\"}]");
	/* Different types, or nothing selected: every comparison is false. */
	ck_select("$[?(@.a != 2)]", d, "[{\"a\":1}]");
	ck_select("$[?(@.a < true)]", d, "[]");
	ck_select("$[?(@.a >= null)]", d, "[]");
	ck_select("$[?(@.b < 5)]", d, "[{\"b\":1}]");
	ck_select("$[?(@.c != 5)]", d, "[]");
	/* An indefinite filter path yields a list: exists when not empty. */
	ck_select("$[?(@.x[*])]", "[{\"x\": []}, {\"x\": [0]}, {\"x\": 3}]", "[{\"x\":[0]}]");
	/* Filters inside filters */
	ck_select("$[?(@.k[?(@ > 2)])].n",
		  "[{\"n\": 1, \"k\": [1, 2]}, {\"n\": 2, \"k\": [1, 3]}]", "[2]");
}
END_TEST

/* ------------------------------------------------------------- setting */

START_TEST(set_result_path_examples)
{
	/* "Specifying state output using ResultPath" */
	const char *in = "{\"comment\": \"This is a test\", \"details\": \"Default example\","
			 " \"who\": \"Step Functions\"}";
	set_ok("$", in, "\"Hello, Step Functions!\"", "\"Hello, Step Functions!\"");
	set_ok("$.taskresult", in, "\"Hello, Step Functions!\"",
	       "{\"comment\":\"This is a test\",\"details\":\"Default example\","
	       "\"who\":\"Step Functions\",\"taskresult\":\"Hello, Step Functions!\"}");
	set_ok("$.strings.lambdaresult",
	       "{\"comment\": \"An input comment.\", \"strings\": {\"string1\": \"foo\","
	       " \"string2\": \"bar\", \"string3\": \"baz\"}, \"who\": \"AWS Step Functions\"}",
	       "\"Hello, AWS Step Functions!\"",
	       "{\"comment\":\"An input comment.\",\"strings\":{\"string1\":\"foo\","
	       "\"string2\":\"bar\",\"string3\":\"baz\",\"lambdaresult\":\"Hello, AWS Step "
	       "Functions!\"},\"who\":\"AWS Step Functions\"}");
	/* Updating a node of the input: $.master.detail replaces what is there. */
	set_ok("$.master.detail", "{\"master\": {\"detail\": [1, 2, 3]}}", "\"Hello\"",
	       "{\"master\":{\"detail\":\"Hello\"}}");
	/* Catch's usual "ResultPath": "$.error" */
	set_ok("$.error", "{\"a\": 1}", "{\"Error\": \"States.ALL\", \"Cause\": \"x\"}",
	       "{\"a\":1,\"error\":{\"Error\":\"States.ALL\",\"Cause\":\"x\"}}");
	set_ok("$['a b']", "{}", "1", "{\"a b\":1}");
}
END_TEST

START_TEST(set_creates_and_indexes)
{
	set_ok("$.a.b.c", "{}", "[1]", "{\"a\":{\"b\":{\"c\":[1]}}}");
	set_ok("$.a.b.c", "{\"a\": {\"x\": 0}}", "true", "{\"a\":{\"x\":0,\"b\":{\"c\":true}}}");
	set_ok("$.a[1]", "{\"a\": [1, 2, 3]}", "{}", "{\"a\":[1,{},3]}");
	set_ok("$.a[0].b", "{\"a\": [{}, 2]}", "null", "{\"a\":[{\"b\":null},2]}");
	set_ok("$[0]", "[5]", "6", "[6]");

	/* p == NULL is "$" */
	cJSON *d = cJSON_Parse("{\"x\": 1}");
	char *why = NULL;
	ck_assert_int_eq(rt_path_set(NULL, &d, cJSON_CreateString("r"), &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_str_eq(d->valuestring, "r");
	cJSON_Delete(d);
}
END_TEST

START_TEST(set_failures)
{
	set_fails("$.a.b", "{\"a\": 1}", "2",
		  "Unable to apply step \"b\" of ResultPath \"$.a.b\" to input {\"a\":1}");
	set_fails("$.a.b.c", "{\"a\": {\"b\": \"s\"}}", "2",
		  "Unable to apply step \"c\" of ResultPath \"$.a.b.c\" to input {\"a\":{\"b\":\"s\"}}");
	set_fails("$.a", "[1]", "2", "Unable to apply step \"a\" of ResultPath \"$.a\" to input [1]");
	set_fails("$.a", "\"str\"", "2",
		  "Unable to apply step \"a\" of ResultPath \"$.a\" to input \"str\"");
	set_fails("$.a[5]", "{\"a\": [1, 2, 3]}", "2",
		  "Unable to apply step \"[5]\" of ResultPath \"$.a[5]\" to input {\"a\":[1,2,3]}");
	set_fails("$.a[0]", "{\"a\": {\"0\": 1}}", "2",
		  "Unable to apply step \"[0]\" of ResultPath \"$.a[0]\" to input {\"a\":{\"0\":1}}");
	/* A missing member is created only when nothing but names follows. */
	set_fails("$.x[0]", "{}", "2",
		  "Unable to apply step \"[0]\" of ResultPath \"$.x[0]\" to input {}");
	set_fails("$.x.y[0].z", "{\"q\": 1}", "2",
		  "Unable to apply step \"[0]\" of ResultPath \"$.x.y[0].z\" to input {\"q\":1}");

	/* $$ is no place for a result. */
	struct aslrt_path *p = parse_ok("$$.a", ASL_PATH_REFERENCE);
	cJSON *d = cJSON_CreateObject();
	char *why = NULL;
	ck_assert_int_eq(rt_path_set(p, &d, cJSON_CreateTrue(), &why), -1);
	ck_assert_str_eq(why, "ResultPath \"$$.a\" must start with '$'");
	rt_free(why);
	cJSON_Delete(d);
	asl_path_free(p);

	/* A long input is clipped in the message. */
	char big[600];
	memset(big, 'x', sizeof big);
	big[0] = '"';
	big[sizeof big - 2] = '"';
	big[sizeof big - 1] = '\0';
	p = parse_ok("$.k", ASL_PATH_REFERENCE);
	d = cJSON_Parse(big);
	ck_assert_int_eq(rt_path_set(p, &d, cJSON_CreateTrue(), &why), -1);
	ck_assert_int_eq(strlen(why), strlen("Unable to apply step \"k\" of ResultPath \"$.k\" to input ")
					      + 200 + 3);
	ck_assert_str_eq(why + strlen(why) - 5, "xx...");
	rt_free(why);
	cJSON_Delete(d);
	asl_path_free(p);
}
END_TEST

/* --------------------------------------------------- allocation faults */

/* A wrong result in fault_child: say where. */
#define BAD(c)                                                                 \
	do {                                                                   \
		if (c) {                                                       \
			bad = 1;                                               \
			fprintf(stderr, "allocation %ld: check at line %d\n", n, __LINE__); \
		}                                                              \
	} while (0)

/* In a child process: make runtime allocation number n fail, then select and
 * set. Each operation must either give its exact result or fail cleanly
 * (NULL / -1, document untouched). Exits 3 when nothing failed (n is past
 * the last allocation), 0 when the failures were clean, 1 otherwise. */
static int fault_child(long n)
{
	struct aslrt_path *q1 = parse_ok("$..book[?(@.price < 10 && @.isbn)].title",
					 ASL_PATH_FULL);
	struct aslrt_path *q2 = parse_ok("$.store.book[::-1].price", ASL_PATH_FULL);
	struct aslrt_path *q3 = parse_ok("$.a.b.c", ASL_PATH_REFERENCE);
	struct aslrt_path *q4 = parse_ok("$.x.y", ASL_PATH_REFERENCE);
	cJSON *store = cJSON_Parse(STORE_DOC), *doc = cJSON_Parse("{\"x\": 1}");
	cJSON *doc2 = cJSON_Duplicate(doc, 1);
	char env[32];
	snprintf(env, sizeof env, "%ld", n);
	setenv("ASLRT_FAIL_ALLOC_AT", env, 1);
	rt_alloc_init();

	int failures = 0, bad = 0;
	struct rt_roots r = { .input = store };
	cJSON *scratch;
	const char *want[] = { "[\"Moby Dick\"]", "[22.99,8.99,12.99,8.95]" };
	struct aslrt_path *qs[] = { q1, q2 };
	for (int i = 0; i < 2; i++) {
		const cJSON *v = rt_path_select(qs[i], &r, &scratch);
		if (!v) {
			failures++;
			BAD(scratch != NULL);
			continue;
		}
		char *s = cJSON_PrintUnformatted(v);
		BAD(s && strcmp(s, want[i]));
		failures += !s;
		if (s)
			cJSON_free(s);
		cJSON_Delete(scratch);
	}

	char *why = NULL;
	cJSON *v = cJSON_Parse("[1, 2]");
	if (v && rt_path_set(q3, &doc, v, &why) == 0) {
		char *s = cJSON_PrintUnformatted(doc);
		BAD(s && strcmp(s, "{\"x\":1,\"a\":{\"b\":{\"c\":[1,2]}}}"));
		failures += !s;
		if (s)
			cJSON_free(s);
	} else {
		failures++;
		char *s = cJSON_PrintUnformatted(doc);
		BAD(s && strcmp(s, "{\"x\":1}"));
		BAD(why && strcmp(why, "out of memory applying ResultPath \"$.a.b.c\""));
		if (s)
			cJSON_free(s);
	}
	rt_free(why);
	why = NULL;
	v = cJSON_CreateNull();
	BAD(v && rt_path_set(q4, &doc2, v, &why) != -1);
	/* The message prints the input; without memory for that, "null". */
	const char *full = "Unable to apply step \"y\" of ResultPath \"$.x.y\" to input {\"x\":1}";
	const char *bare = "Unable to apply step \"y\" of ResultPath \"$.x.y\" to input null";
	BAD(why && strcmp(why, full) && strcmp(why, bare));
	failures += !v || !why || strcmp(why, full);
	rt_free(why);

	cJSON_Delete(store);
	cJSON_Delete(doc);
	cJSON_Delete(doc2);
	asl_path_free(q1);
	asl_path_free(q2);
	asl_path_free(q3);
	asl_path_free(q4);
	return bad ? 1 : failures ? 0 : 3;
}

START_TEST(allocation_failures)
{
	int done = 0;
	for (long n = 1; n < 2000 && !done; n++) {
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
}
END_TEST

/* -------------------------------------------------------------- emitting */

static const char *const EMIT_PATHS[] = {
	"$",
	"$$.Execution.Id",
	"$.a['b \"c\" */ ?\?='][3][-1]",
	"$['x','y'][0,-2][1:][::-1][*]..n..*",
	"$.s[?(@.price < 10 && @.x == 'y\\n' || !(@.z) || 1.5 >= @.q)].t",
	"$[?(@.a == $.b[?(@ == true)] && @.c != null && @.d == false)]",
};

/* Emit every path of EMIT_PATHS as p0, p1, ... into a new string. */
static char *emit_all(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < sizeof EMIT_PATHS / sizeof *EMIT_PATHS; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%zu", i);
		struct aslrt_path *p = parse_ok(EMIT_PATHS[i], ASL_PATH_FULL);
		asl_emit_path(f, p, name);
		asl_path_free(p);
	}
	fclose(f);
	return buf;
}

START_TEST(emit_exact)
{
	struct aslrt_path *p = parse_ok("$.a[0]", ASL_PATH_FULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	asl_emit_path(f, p, "rp");
	fclose(f);
	ck_assert_str_eq(buf,
			 "/* JSONPath $.a[0] */\n"
			 "static const struct aslrt_seg rp_seg[] = {\n"
			 "\t{ .kind = ASLRT_SEG_FIELD, .name = \"a\" },\n"
			 "\t{ .kind = ASLRT_SEG_INDEX, .index = 0 },\n"
			 "};\n"
			 "static const struct aslrt_path rp = {\n"
			 "\t.text = \"$.a[0]\",\n"
			 "\t.root = ASLRT_ROOT_INPUT,\n"
			 "\t.nseg = 2,\n"
			 "\t.seg = rp_seg,\n"
			 "\t.definite = 1,\n"
			 "};\n");
	free(buf);
	asl_path_free(p);

	p = parse_ok("$[?(@ > 1)]", ASL_PATH_FULL);
	f = open_memstream(&buf, &len);
	asl_emit_path(f, p, "q");
	fclose(f);
	ck_assert_str_eq(buf,
			 "/* JSONPath $[?(@ > 1)] */\n"
			 "static const struct aslrt_path q_s0_f_lhs = {\n"
			 "\t.text = \"@\",\n"
			 "\t.root = ASLRT_ROOT_CURRENT,\n"
			 "\t.nseg = 0,\n"
			 "\t.seg = NULL,\n"
			 "\t.definite = 1,\n"
			 "};\n"
			 "static const struct aslrt_tmpl q_s0_f_k = { .kind = ASLRT_T_NUMBER, .num = 1.0 };\n"
			 "static const struct aslrt_filter q_s0_f = { .op = ASLRT_F_GT, .lhs = &q_s0_f_lhs, .rhs = &q_s0_f_k };\n"
			 "static const struct aslrt_seg q_seg[] = {\n"
			 "\t{ .kind = ASLRT_SEG_FILTER, .filter = &q_s0_f },\n"
			 "};\n"
			 "static const struct aslrt_path q = {\n"
			 "\t.text = \"$[\\077(@ > 1)]\",\n"
			 "\t.root = ASLRT_ROOT_INPUT,\n"
			 "\t.nseg = 1,\n"
			 "\t.seg = q_seg,\n"
			 "\t.definite = 0,\n"
			 "};\n");
	free(buf);
	asl_path_free(p);
}
END_TEST

START_TEST(emit_deterministic)
{
	char *a = emit_all(), *b = emit_all();
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(emit_compiles)
{
	char dir[] = "/tmp/test_path_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/paths.c", dir);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#include \"aslrt.h\"\n", f);
	char *code = emit_all();
	fputs(code, f);
	free(code);
	fputs("int main(void)\n{\n\tconst struct aslrt_path *all[] = {", f);
	for (size_t i = 0; i < sizeof EMIT_PATHS / sizeof *EMIT_PATHS; i++)
		fprintf(f, " &p%zu,", i);
	fputs(" };\n\treturn all[0]->nseg;\n}\n", f);
	fclose(f);

	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I%s/runtime/include %s",
		 TEST_SOURCE_ROOT, file);
	int rc = system(cmd);
	ck_assert_msg(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		      "generated paths do not compile: %s (kept %s)", cmd, file);
	unlink(file);
	rmdir(dir);
}
END_TEST

static Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *parse = tcase_create("parse");
	TCase *sel = tcase_create("select");
	TCase *set = tcase_create("set");
	TCase *emit = tcase_create("emit");

	tcase_add_test(parse, parse_segments);
	tcase_add_test(parse, parse_variables);
	tcase_add_test(parse, parse_filters);
	tcase_add_test(parse, parse_definite);
	tcase_add_test(parse, parse_errors);
	tcase_add_test(parse, parse_reference_mode);
	tcase_add_test(sel, select_reference_paths);
	tcase_add_test(sel, select_input_path_examples);
	tcase_add_test(sel, select_context);
	tcase_add_test(sel, select_negative_index);
	tcase_add_test(sel, select_wildcards);
	tcase_add_test(sel, select_slices);
	tcase_add_test(sel, select_unions);
	tcase_add_test(sel, select_descendants);
	tcase_add_test(sel, select_filters);
	tcase_add_test(sel, select_filter_types);
	tcase_add_test(set, set_result_path_examples);
	tcase_add_test(set, set_creates_and_indexes);
	tcase_add_test(set, set_failures);
	tcase_add_test(set, allocation_failures);
	tcase_set_timeout(set, 120);
	tcase_add_test(emit, emit_exact);
	tcase_add_test(emit, emit_deterministic);
	tcase_add_test(emit, emit_compiles);
	tcase_set_timeout(emit, 60);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, sel);
	suite_add_tcase(s, set);
	suite_add_tcase(s, emit);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(path_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
