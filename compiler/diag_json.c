/*
 * diag_json.c - diagnostics as the response of AWS's
 * ValidateStateMachineDefinition API (API Reference,
 * "ValidateStateMachineDefinition", Response Syntax):
 *     {"result": "OK" | "FAIL",
 *      "diagnostics": [{"severity": "ERROR" | "WARNING", "code": "...",
 *                       "message": "...", "location": "/States/A/Next"}],
 *      "truncated": false}
 * "location" is "the location of the issue in the state machine, if
 * available ... in the format /States/<StateName>/<FieldName>": our JSON
 * pointer, left out when there is none. aslc never truncates.
 */
#include "diag.h"

#include <string.h>

#include "utf8.h"

/* s as a JSON string; bytes that are not UTF-8 (a message cut short inside a
 * character) become U+FFFD, so the output is always valid JSON text. */
static void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	fputc('"', out);
	while (n > 0) {
		unsigned cp;
		int len = asl_utf8_decode(p, n, &cp);
		if (len == 0) {
			fputs("\\ufffd", out);
			len = 1;
		} else if (cp == '"' || cp == '\\') {
			fprintf(out, "\\%c", (int)cp);
		} else if (cp < 0x20 || cp == 0x7f) {
			fprintf(out, "\\u%04x", cp);
		} else {
			fwrite(p, 1, (size_t)len, out);
		}
		p += len;
		n -= (size_t)len;
	}
	fputc('"', out);
}

void asl_diag_print_json(struct asl_diags *d, FILE *out, int fail)
{
	asl_diag_sort(d);
	fprintf(out, "{\n  \"result\": \"%s\",\n  \"diagnostics\": [", fail ? "FAIL" : "OK");
	for (int i = 0; i < d->n; i++) {
		const struct asl_diag *g = &d->v[i];
		fprintf(out, "%s\n    {\"severity\": \"%s\", \"code\": ", i ? "," : "",
			g->sev == ASL_ERROR ? "ERROR" : "WARNING");
		json_string(out, g->code);
		fputs(", \"message\": ", out);
		json_string(out, g->msg);
		if (*g->pointer) {
			fputs(", \"location\": ", out);
			json_string(out, g->pointer);
		}
		fputc('}', out);
	}
	fprintf(out, "%s],\n  \"truncated\": false\n}\n", d->n ? "\n  " : "");
}
