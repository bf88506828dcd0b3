/*
 * fixture.h - the JSON document the path and intrinsic targets evaluate
 * against: objects, arrays, every scalar type, nesting, and strings that
 * need escaping. fixture_doc() returns new memory (cJSON_Delete).
 */
#ifndef ASL_FUZZ_FIXTURE_H
#define ASL_FUZZ_FIXTURE_H

#include <cjson/cJSON.h>

static const char fixture_json[] =
	"{\"a\":{\"b\":[1,2.5,-3,{\"c\":\"x\"},[true,false,null]],\"d\":\"s\\\"q\"},"
	"\"items\":[{\"price\":8,\"name\":\"n1\",\"tags\":[\"t\"]},{\"price\":12,\"name\":\"n2\"},"
	"{\"price\":null}],\"s\":\"a,b,,c\",\"n\":42,\"f\":0.1,\"big\":9007199254740993,"
	"\"t\":true,\"z\":null,\"e\":{},\"ea\":[],\"json\":\"{\\\"k\\\":[1,2]}\","
	"\"b64\":\"aGVsbG8=\",\"u\":\"\\u00e9\\u2603\\ud83d\\ude00\",\"arr\":[1,1,2,3,5,8]}";

static inline cJSON *fixture_doc(void)
{
	return cJSON_Parse(fixture_json);
}

#endif
