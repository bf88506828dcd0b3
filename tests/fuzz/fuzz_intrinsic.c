/*
 * fuzz_intrinsic.c - the intrinsic-function parser, emitter and evaluator:
 * the input is the text of a `.$` value ("States.Format('{}', $.a)"). A call
 * that parses is written out as C data (into memory) and evaluated against a
 * fixed document; it yields a value or an error, never a crash, leak or hang.
 */
#include "fuzz.h"

#include <stdio.h>

#include "fixture.h"
#include "intrinsic.h"
#include "rt.h"

static void emit(const struct aslrt_call *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	asl_emit_call(f, c, "fuzz_call");
	fclose(f);
	free(buf);
}

static void evaluate(const struct aslrt_call *c)
{
	cJSON *doc = fixture_doc();
	if (!doc)
		return;
	struct rt_roots r = { doc, doc, NULL, NULL };
	struct aslrt_error err = { NULL, NULL };
	cJSON *v = rt_call_eval(c, &r, &err);
	if (v) {
		char *s = rt_json_print(v);
		rt_free(s);
		if (err.error)
			abort();           /* a value and an error at once */
	} else if (!err.error) {
		abort();                   /* no value and no error */
	}
	cJSON_Delete(v);
	aslrt_error_clear(&err);
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_alloc_init();
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	char *err = NULL;
	int off = -1;
	struct aslrt_call *c = asl_intrinsic_parse(text, &err, &off);
	if (c) {
		emit(c);
		evaluate(c);
		asl_intrinsic_free(c);
	} else if (!err || off < 0 || (size_t)off > strlen(text)) {
		abort();
	}
	free(err);
	free(text);
	return 0;
}
