/*
 * fuzz_load.c - the JSON front end: any bytes given to asl_load_text either
 * become a tree or diagnostics, never a crash, leak or hang; the diagnostics
 * print (text and JSON) whatever bytes they quote.
 */
#include "fuzz.h"

#include <stdio.h>

#include "load.h"

/* Print d both ways into a throwaway buffer. */
static void print_diags(struct asl_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	asl_diag_print(d, f);
	asl_diag_print_json(d, f, d->errors > 0);
	fclose(f);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asl_diags d = { .file = "fuzz.asl.json" };
	struct asl_json *j = asl_load_text((const char *)data, size, &d);
	if (j && d.errors)
		abort();               /* a tree comes only without errors */
	if (!j && !d.errors)
		abort();               /* no tree: at least one error says why */
	print_diags(&d);
	asl_json_free(j);
	asl_diag_free(&d);
	return 0;
}
