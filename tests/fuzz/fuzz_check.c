/*
 * fuzz_check.c - the validator and the emitters: any definition text goes
 * through asl_load_text and asl_check; one that passes is emitted as C and as
 * DOT (into memory). Never a crash, leak or hang; accepted means no error
 * diagnostics, rejected means at least one.
 *
 * With FUZZ_EMIT_DIR set in the environment, every accepted definition is
 * also written there (as <hash>.asl.json), for tests/fuzz/emit_diff.py to
 * compile and run: that is the `emit` target.
 */
#include "fuzz.h"

#include <stdio.h>

#include "ir.h"
#include "load.h"

/* FNV-1a of the input: a stable file name for an accepted definition. */
static unsigned long long fnv(const uint8_t *data, size_t size)
{
	unsigned long long h = 1469598103934665603ull;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211ull;
	return h;
}

static void keep_accepted(const uint8_t *data, size_t size)
{
	const char *dir = getenv("FUZZ_EMIT_DIR");
	if (!dir || !*dir)
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/%016llx.asl.json", dir, fnv(data, size));
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
}

/* Emit ir as C (with main) and as DOT into a throwaway buffer. */
static void emit_all(const struct asl_ir *ir)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	asl_emit_c(f, ir, 1);
	asl_emit_dot(f, ir);
	fclose(f);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asl_diags d = { .file = "fuzz.asl.json" };
	struct asl_ir ir = { .file = "fuzz.asl.json", .name = "fuzz" };
	struct asl_json *j = asl_load_text((const char *)data, size, &d);
	if (j) {
		int rc = asl_check(j, &ir, &d);
		if (rc == 0 && d.errors == 0) {
			emit_all(&ir);
			keep_accepted(data, size);
		} else if (d.errors == 0) {
			abort();       /* rejected without saying why */
		}
	}
	asl_ir_free(&ir);
	asl_json_free(j);
	asl_diag_free(&d);
	return 0;
}
