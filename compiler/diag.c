/*
 * diag.c - the diagnostics list: collected by every phase, printed once.
 */
#include "diag.h"
#include "fmt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* Append a diagnostic. Out of memory drops it but still counts the error, so a
 * broken definition is never accepted. */
void asl_diag_add(struct asl_diags *d, enum asl_severity sev, struct asl_loc loc,
		  const char *code, const char *pointer, const char *fmt, ...)
{
	if (sev == ASL_ERROR)
		d->errors++;
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 16;
		struct asl_diag *v = realloc(d->v, (size_t)cap * sizeof *v);
		if (!v)
			return;
		d->v = v;
		d->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = asl_vfmt(fmt, ap);
	va_end(ap);
	struct asl_diag *g = &d->v[d->n++];
	g->sev = sev;
	g->loc = loc;
	g->code = dup_or_empty(code);
	g->pointer = dup_or_empty(pointer);
	g->msg = msg ? msg : dup_or_empty("out of memory");
}

/* qsort order: by position; at the same position by the order found (the
 * entries are pointers into d->v, whose addresses follow that order). */
static int by_position(const void *a, const void *b)
{
	const struct asl_diag *x = *(const struct asl_diag *const *)a;
	const struct asl_diag *y = *(const struct asl_diag *const *)b;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Stable sort by position in O(n log n): a definition with 10^5 states can
 * have 10^5 diagnostics. Out of memory leaves the order found. */
void asl_diag_sort(struct asl_diags *d)
{
	struct asl_diag **p = malloc((size_t)(d->n ? d->n : 1) * sizeof *p);
	struct asl_diag *v = malloc((size_t)(d->n ? d->n : 1) * sizeof *v);
	if (p && v && d->n > 0) {   /* memcpy to a NULL d->v is undefined, even of 0 bytes */
		for (int i = 0; i < d->n; i++)
			p[i] = &d->v[i];
		qsort(p, (size_t)d->n, sizeof *p, by_position);
		for (int i = 0; i < d->n; i++)
			v[i] = *p[i];
		memcpy(d->v, v, (size_t)d->n * sizeof *v);
	}
	free(p);
	free(v);
}

/* s with control characters written as \n, \t or \xNN, so that a name
 * holding a newline cannot split a diagnostic's line. */
static void put_text(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
}

/* GCC's form, which editors and CI annotate; a diagnostic without a place in
 * the file (an unreadable file, --name) leaves out line and column. Each line
 * is built in memory and written at once: stderr is unbuffered, and 10^5
 * diagnostics must not cost a system call per character. */
void asl_diag_print(struct asl_diags *d, FILE *dest)
{
	asl_diag_sort(d);
	for (int i = 0; i < d->n; i++) {
		const struct asl_diag *g = &d->v[i];
		char *line = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&line, &len);
		if (!out)
			out = dest;
		fprintf(out, "%s:", d->file ? d->file : "<input>");
		if (g->loc.line > 0)
			fprintf(out, "%d:%d:", g->loc.line, g->loc.col);
		fprintf(out, " %s[%s]: ", g->sev == ASL_ERROR ? "error" : "warning", g->code);
		if (*g->pointer) {
			put_text(out, g->pointer);
			fputs(": ", out);
		}
		put_text(out, g->msg);
		fputc('\n', out);
		if (out != dest) {
			fclose(out);
			fwrite(line, 1, len, dest);
		}
		free(line);
	}
}

void asl_diag_free(struct asl_diags *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].code);
		free(d->v[i].pointer);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = d->errors = 0;
}
