/*
 * fuzz_path.c - the JSONPath parser, emitter and evaluator. The first byte
 * picks the mode (even: reference path, odd: full path); the rest is the
 * path text. A path that parses is written out as C data (into memory),
 * selected against a fixed document, and, for a reference path, used as a
 * ResultPath on a copy of it. Never a crash, leak or hang; a rejected path
 * always has a message and an offset inside the text.
 */
#include "fuzz.h"

#include <stdio.h>

#include "fixture.h"
#include "path.h"
#include "rt.h"

static void emit(const struct aslrt_path *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	asl_emit_path(f, p, "fuzz_path");
	fclose(f);
	free(buf);
}

static void evaluate(const struct aslrt_path *p, enum asl_path_mode mode)
{
	cJSON *doc = fixture_doc();
	if (!doc)
		return;
	struct rt_roots r = { doc, doc, NULL, doc };
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(p, &r, &scratch);
	if (v) {
		char *s = rt_json_print(v);
		rt_free(s);
	}
	cJSON_Delete(scratch);
	if (mode == ASL_PATH_REFERENCE && p->definite) {
		char *why = NULL;
		cJSON *val = cJSON_CreateString("v");
		if (rt_path_set(p, &doc, val, &why) != 0 && !why)
			abort();           /* a failed ResultPath says why */
		rt_free(why);
	}
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	rt_alloc_init();
	enum asl_path_mode mode = data[0] & 1 ? ASL_PATH_FULL : ASL_PATH_REFERENCE;
	char *text = fuzz_text(data + 1, size - 1);
	if (!text)
		return 0;
	char *err = NULL;
	int off = -1;
	struct aslrt_path *p = asl_path_parse(text, mode, &err, &off);
	if (p) {
		emit(p);
		evaluate(p, mode);
		asl_path_free(p);
	} else if (!err || off < 0 || (size_t)off > strlen(text)) {
		abort();
	}
	free(err);
	free(text);
	return 0;
}
