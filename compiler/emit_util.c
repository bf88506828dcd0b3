/*
 * emit_util.c - writing C source text that no input can break out of.
 */
#include "emit_util.h"

#include <math.h>
#include <string.h>

/* C11 5.2.4.1: a compiler need only accept string literals of 4095
 * characters, and -Wpedantic (-Woverlength-strings) rejects longer ones. */
#define MAX_LITERAL 4095

/* s as a compound literal array of character constants, for a string too
 * long to be a literal: at file scope, where aslc writes every string, it
 * has static storage, as a literal has. Same escapes as below. */
static void emit_char_array(FILE *out, const char *s)
{
	fputs("(const char[]){", out);
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (n++ % 16 == 0)
			fputs("\n\t", out);
		if (*p == '\'' || *p == '\\')
			fprintf(out, "'\\%c',", *p);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			fprintf(out, "'\\%03o',", *p);
		else
			fprintf(out, "'%c',", *p);
	}
	fputs(" 0}", out);
}

/* Octal escapes are always exactly three digits, so the byte after one can
 * never be read as part of it. '?' is escaped too: no trigraph can form. */
void asl_emit_cstr(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	if (strlen(s) > MAX_LITERAL) {   /* found by the emit fuzz target */
		emit_char_array(out, s);
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
		/* Never emit a backslash that could splice lines, and break "*" "/"
		 * (end of comment) and "/" "*" (nested-comment warning), also when
		 * the "/" was a backslash ("*\\" ended the comment: emit fuzz). */
		if (c == '\\')
			c = '/';
		if ((prev == '*' && c == '/') || (prev == '/' && c == '*'))
			fputc(' ', out);
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
