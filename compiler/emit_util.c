/*
 * emit_util.c - writing C source text that no input can break out of.
 */
#include "emit_util.h"

#include <math.h>
#include <string.h>

/* Octal escapes are always exactly three digits, so the byte after one can
 * never be read as part of it. '?' is escaped too: no trigraph can form. */
void asl_emit_cstr(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void asl_emit_comment_text(FILE *out, const char *s)
{
	if (!s)
		return;
	int prev = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int c = *p;
		if (c < 0x20 || c == 0x7f)
			c = '?';
		/* Break "*" "/" (end of comment) and "/" "*" (nested-comment warning),
		 * and never emit a backslash that could splice lines. */
		if ((prev == '*' && c == '/') || (prev == '/' && c == '*'))
			fputc(' ', out);
		if (c == '\\')
			c = '/';
		if (c == '?' && prev == '?')
			fputc(' ', out);
		fputc(c, out);
		prev = c;
	}
}

void asl_emit_double(FILE *out, double v)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		fprintf(out, "%.1f", v);
		return;
	}
	char buf[40];
	snprintf(buf, sizeof buf, "%.17g", v);
	fputs(buf, out);
	if (!strpbrk(buf, ".eEn"))
		fputs(".0", out);
}
