/*
 * test_itemreader.c - the Distributed Map's item readers (runtime/itemreader.c)
 * and the local S3 paths (runtime/s3local.c): CSV as AWS parses it ("How
 * Step Functions parses input CSV files": quoting, doubled quotes, backslash
 * escapes, newlines in quotes, short and long rows, every CSVDelimiter, a
 * byte order mark), JSON Lines, JSON arrays with ItemsPointer, MaxItems, and
 * the exact, located message of every bad input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmap.h"

static const char *const no_headers[] = { NULL };

static struct rt_reader_config csv_cfg(char delim)
{
	struct rt_reader_config c = { ASLRT_INPUT_CSV, delim, 0, 0, no_headers, NULL, 0 };
	return c;
}

/* Every item of the len bytes at text, as one compact JSON array; or, when
 * the reader fails, "ERROR <name>: <cause>"; items named by a key (the
 * members of an object) are printed as an object. New memory (free). */
static char *read_all(const char *text, size_t len, const struct rt_reader_config *cfg)
{
	FILE *f = fmemopen((void *)text, len, "r");
	ck_assert_ptr_nonnull(f);
	struct aslrt_error err = { 0 };
	struct rt_reader *r = rt_reader_open_stream(f, "data", cfg, &err);
	cJSON *all = NULL;
	int rc = r ? 1 : -1;
	while (rc > 0) {
		cJSON *item = NULL;
		rc = rt_reader_next(r, &item, &err);
		if (rc > 0 && !all)
			all = item->string ? cJSON_CreateObject() : cJSON_CreateArray();
		if (rc > 0)
			cJSON_AddItemToArray(all, item);   /* keeps item->string */
	}
	if (!all)
		all = cJSON_CreateArray();
	rt_reader_close(r);
	char *out;
	if (rc < 0) {
		size_t n = strlen(err.error) + strlen(err.cause ? err.cause : "") + 16;
		out = malloc(n);
		snprintf(out, n, "ERROR %s: %s", err.error, err.cause ? err.cause : "");
	} else {
		char *s = rt_json_print(all);
		out = strdup(s);
		rt_free(s);
	}
	cJSON_Delete(all);
	aslrt_error_clear(&err);
	return out;
}

#define READS(text, cfg, expect)                                              \
	do {                                                                  \
		struct rt_reader_config c_ = (cfg);                           \
		char *got_ = read_all((text), sizeof(text) - 1, &c_);         \
		ck_assert_str_eq(got_, (expect));                             \
		free(got_);                                                   \
	} while (0)

/* ---------------------------------------------------------------- CSV */

START_TEST(csv_header_row)
{
	READS("userId,movieId,rating\n1,307,3.5\n1,481,3.5\n", csv_cfg(','),
	      "[{\"userId\":\"1\",\"movieId\":\"307\",\"rating\":\"3.5\"},"
	      "{\"userId\":\"1\",\"movieId\":\"481\",\"rating\":\"3.5\"}]");
}
END_TEST

/* The example of "How Step Functions parses input CSV files", with the
 * headers given. */
START_TEST(csv_doc_example)
{
	static const char *const h[] = { "MyLetters", "MyNumbers", "MyString", "MyObject",
					 "MyArray" };
	struct rt_reader_config c = { ASLRT_INPUT_CSV, ',', 1, 5, h, NULL, 0 };
	READS("abc,123,\"This string contains commas, a double quotation marks (\"\"), and a "
	      "newline (\n)\",{\"\"MyKey\"\":\"\"MyValue\"\"},\"[1,2,3]\"", c,
	      "[{\"MyLetters\":\"abc\",\"MyNumbers\":\"123\",\"MyString\":\"This string "
	      "contains commas, a double quotation marks (\\\"), and a newline (\\n)\","
	      "\"MyObject\":\"{\\\"MyKey\\\":\\\"MyValue\\\"}\",\"MyArray\":\"[1,2,3]\"}]");
}
END_TEST

START_TEST(csv_backslashes)
{
	/* \\ is a backslash, \" a quote, \, the delimiter; before anything
	 * else the backslash is dropped. The doc's path example first. */
	READS("path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\n", csv_cfg(','),
	      "[{\"path\":\"C:\\\\Program Files\\\\MyApp.exe\",\"size\":\"6534512\"}]");
	READS("a,b\nx\\,y,say \\\"hi\\\"\n\\q\\z,\"in \\\" quotes\"\n", csv_cfg(','),
	      "[{\"a\":\"x,y\",\"b\":\"say \\\"hi\\\"\"},{\"a\":\"qz\",\"b\":\"in \\\" quotes\"}]");
}
END_TEST

START_TEST(csv_short_and_long_rows)
{
	/* Fewer fields: empty strings; more fields: skipped. */
	READS("a,b,c\n1\n1,2,3,4,5\n,,\n", csv_cfg(','),
	      "[{\"a\":\"1\",\"b\":\"\",\"c\":\"\"},{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"},"
	      "{\"a\":\"\",\"b\":\"\",\"c\":\"\"}]");
}
END_TEST

START_TEST(csv_given_headers)
{
	static const char *const h[] = { "userId", "movieId", "rating", "timestamp" };
	struct rt_reader_config c = { ASLRT_INPUT_CSV, ',', 1, 4, h, NULL, 0 };
	READS("1,307,3.5,1256677221\n1,481,3.5,1256677456\n", c,
	      "[{\"userId\":\"1\",\"movieId\":\"307\",\"rating\":\"3.5\",\"timestamp\":"
	      "\"1256677221\"},{\"userId\":\"1\",\"movieId\":\"481\",\"rating\":\"3.5\","
	      "\"timestamp\":\"1256677456\"}]");
}
END_TEST

/* PIPE, SEMICOLON, SPACE, TAB: the delimiter splits, a comma does not. */
static const char delims[] = { '|', ';', ' ', '\t' };

START_TEST(csv_delimiters)
{
	char d = delims[_i];
	char text[64];
	int n = snprintf(text, sizeof text, "k%cv\na,b%c\"x%cy\"\n", d, d, d);
	char expect[96];
	snprintf(expect, sizeof expect, "[{\"k\":\"a,b\",\"v\":\"x%sy\"}]", d == '\t' ? "\\t" :
		 d == ' ' ? " " : d == '|' ? "|" : ";");
	struct rt_reader_config c = csv_cfg(d);
	char *got = read_all(text, (size_t)n, &c);
	ck_assert_str_eq(got, expect);
	free(got);
}
END_TEST

START_TEST(csv_bom_crlf_blank_lines)
{
	READS("\xEF\xBB\xBFid,name\r\n1,one\r\n\r\n\n2,two\r3,three", csv_cfg(','),
	      "[{\"id\":\"1\",\"name\":\"one\"},{\"id\":\"2\",\"name\":\"two\"},"
	      "{\"id\":\"3\",\"name\":\"three\"}]");
}
END_TEST

START_TEST(csv_empty_and_header_only)
{
	READS("", csv_cfg(','), "[]");
	READS("a,b\n", csv_cfg(','), "[]");
	READS("\n\n", csv_cfg(','), "[]");
}
END_TEST

START_TEST(csv_max_items)
{
	struct rt_reader_config c = csv_cfg(',');
	c.max_items = 2;
	READS("n\n1\n2\n3\n4\n", c, "[{\"n\":\"1\"},{\"n\":\"2\"}]");
}
END_TEST

START_TEST(csv_errors)
{
	READS("a,b\n1,2\n3,\"open\n4,5\n", csv_cfg(','),
	      "ERROR States.ItemReaderFailed: data: line 3, column 3: unterminated quoted field");
	READS("a,b\n\"x\"y,2\n", csv_cfg(','),
	      "ERROR States.ItemReaderFailed: data: line 2, column 4: unexpected character "
	      "after a closing quote");
	READS("a,b,a\n1,2,3\n", csv_cfg(','),
	      "ERROR States.ItemReaderFailed: data: line 1, column 1: the header row names "
	      "column \"a\" twice");
}
END_TEST

/* --------------------------------------------------------------- JSONL */

static struct rt_reader_config jsonl_cfg(void)
{
	struct rt_reader_config c = { ASLRT_INPUT_JSONL, ',', 0, 0, no_headers, NULL, 0 };
	return c;
}

START_TEST(jsonl_lines)
{
	READS("\xEF\xBB\xBF{\"verdict\": \"true\"}\r\n\n  \n[1, 2]\n\"s\"\n7\r\n{\"last\":null}",
	      jsonl_cfg(), "[{\"verdict\":\"true\"},[1,2],\"s\",7,{\"last\":null}]");
}
END_TEST

START_TEST(jsonl_errors)
{
	READS("{\"a\":1}\n{\"a\":2,}\n", jsonl_cfg(),
	      "ERROR States.ItemReaderFailed: data: line 2, column 8: not a valid JSON value");
	READS("{\"a\":1} x\n", jsonl_cfg(),
	      "ERROR States.ItemReaderFailed: data: line 1, column 9: not a valid JSON value");
}
END_TEST

START_TEST(jsonl_max_items)
{
	struct rt_reader_config c = jsonl_cfg();
	c.max_items = 1;
	READS("1\n2\n", c, "[1]");
}
END_TEST

/* ---------------------------------------------------------------- JSON */

static struct rt_reader_config json_cfg(const char *pointer)
{
	struct rt_reader_config c = { ASLRT_INPUT_JSON, ',', 0, 0, no_headers, pointer, 0 };
	return c;
}

START_TEST(json_array)
{
	READS(" [ {\"s\": \"a ] } [ , \\\" x\"}, [1, [2]] ,3,\"x\",true,null, {} ]  ",
	      json_cfg(NULL), "[{\"s\":\"a ] } [ , \\\" x\"},[1,[2]],3,\"x\",true,null,{}]");
	READS("[]", json_cfg(NULL), "[]");
	READS("\xEF\xBB\xBF[\n1,\n2\n]\n", json_cfg(NULL), "[1,2]");
}
END_TEST

START_TEST(json_items_pointer)
{
	static const char doc[] =
		"{\"skip\": {\"inventory\": [1]}, \"inventory\": {\"a/b\": 0, \"products\": "
		"{\"other\": [9, 9], \"featured\": [{\"id\": 1}, {\"id\": 2}]}}}";
	READS(doc, json_cfg("/inventory/products/featured"), "[{\"id\":1},{\"id\":2}]");
	READS("{\"x\": [[0], [1, 2]], \"a/b~c\": [5]}", json_cfg("/x/1"), "[1,2]");
	READS("{\"x\": [[0], [1, 2]], \"a/b~c\": [5]}", json_cfg("/a~1b~0c"), "[5]");
	READS(doc, json_cfg("/inventory/missing"),
	      "ERROR States.ItemReaderFailed: data: line 1, column 119: the ItemsPointer "
	      "selects nothing in this file");
	READS(doc, json_cfg("/inventory/a~1b"),
	      "ERROR States.ItemReaderFailed: data: line 1, column 51: the ItemsPointer must "
	      "select a JSON array or object");
	/* an object's members, each named by its key */
	READS(doc, json_cfg("/inventory/products"),
	      "{\"other\":[9,9],\"featured\":[{\"id\":1},{\"id\":2}]}");
}
END_TEST

START_TEST(json_object_members)
{
	READS("{\"a\": 1, \"b\\\"c\": {\"d\": [2]}, \"\": null}", json_cfg(NULL),
	      "{\"a\":1,\"b\\\"c\":{\"d\":[2]},\"\":null}");
	READS("{}", json_cfg(NULL), "[]");
	READS("{\"a\": 1 \"b\": 2}", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 9: expected ',' or '}' "
	      "after an object member");
	READS("{\"a\" 1}", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 6: expected ':' after a "
	      "member name");
	READS("{\"a\": }", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 7: expected a member value");
	READS("{\"a\": 1,", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 9: expected a member name");
	READS("{7: 1}", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 2: expected a member name");
}
END_TEST

START_TEST(json_max_items)
{
	struct rt_reader_config c = json_cfg(NULL);
	c.max_items = 2;
	READS("[1, 2, 3, {\"never\": \"parsed\"", c, "[1,2]");
}
END_TEST

START_TEST(json_errors)
{
	READS("42", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 1: the file must hold a "
	      "JSON array or object");
	READS("[1,\n 2\n 3]", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 3, column 2: expected ',' or ']' "
	      "after an array element");
	READS("[1, tru]", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 5: not a valid JSON value");
	READS("[1, {\"a\": [}]", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 12: mismatched bracket");
	READS("[1, {\"a\": 2", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 5: unexpected end of file "
	      "in a JSON value");
	READS("[1, 2", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 6: unexpected end of file "
	      "in the array");
	READS("[1,]", json_cfg(NULL),
	      "ERROR States.ItemReaderFailed: data: line 1, column 4: expected an array "
	      "element");
}
END_TEST

START_TEST(item_over_8_mib)
{
	size_t n = 9u * 1024 * 1024;
	char *text = malloc(n + 16);
	memcpy(text, "x\n\"", 3);
	memset(text + 3, 'a', n);
	memcpy(text + 3 + n, "\"\n", 2);
	struct rt_reader_config c = csv_cfg(',');
	char *got = read_all(text, n + 5, &c);
	ck_assert_str_eq(got, "ERROR States.ItemReaderFailed: data: line 2, column 1: the "
			      "item starting here is larger than 8 MiB");
	free(got);
	free(text);
}
END_TEST

START_TEST(missing_file)
{
	struct aslrt_error err = { 0 };
	struct rt_reader_config c = jsonl_cfg();
	ck_assert_ptr_null(rt_reader_open("/nonexistent/dir/items.jsonl", &c, &err));
	ck_assert_str_eq(err.error, "States.ItemReaderFailed");
	ck_assert_str_eq(err.cause, "cannot read /nonexistent/dir/items.jsonl: No such file or "
				    "directory");
	aslrt_error_clear(&err);
}
END_TEST

/* ------------------------------------------------------------ S3 paths */

START_TEST(s3_paths)
{
	setenv("ASLRT_S3_ROOT", "/data/s3", 1);
	char *p = rt_s3_path("bucket", "csvDataset/ratings.csv");
	ck_assert_str_eq(p, "/data/s3/bucket/csvDataset/ratings.csv");
	rt_free(p);
	p = rt_s3_path(NULL, "s3://b/k/x.json");
	ck_assert_str_eq(p, "/data/s3/b/k/x.json");
	rt_free(p);
	p = rt_s3_path(NULL, "local/items.jsonl");
	ck_assert_str_eq(p, "local/items.jsonl");
	rt_free(p);
	unsetenv("ASLRT_S3_ROOT");
	p = rt_s3_path("b", "k");
	ck_assert_str_eq(p, "./s3/b/k");
	rt_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("itemreader");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, csv_header_row);
	tcase_add_test(tc, csv_doc_example);
	tcase_add_test(tc, csv_backslashes);
	tcase_add_test(tc, csv_short_and_long_rows);
	tcase_add_test(tc, csv_given_headers);
	tcase_add_loop_test(tc, csv_delimiters, 0, (int)sizeof delims);
	tcase_add_test(tc, csv_bom_crlf_blank_lines);
	tcase_add_test(tc, csv_empty_and_header_only);
	tcase_add_test(tc, csv_max_items);
	tcase_add_test(tc, csv_errors);
	tcase_add_test(tc, jsonl_lines);
	tcase_add_test(tc, jsonl_errors);
	tcase_add_test(tc, jsonl_max_items);
	tcase_add_test(tc, json_array);
	tcase_add_test(tc, json_items_pointer);
	tcase_add_test(tc, json_max_items);
	tcase_add_test(tc, json_errors);
	tcase_add_test(tc, json_object_members);
	tcase_add_test(tc, item_over_8_mib);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, s3_paths);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
