/*
 * diag.c - the diagnostics list: collected by every phase, printed once.
 */
#include "diag.h"

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
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len >= 0 && (msg = malloc((size_t)len + 1))) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	struct asl_diag *g = &d->v[d->n++];
	g->sev = sev;
	g->loc = loc;
	g->code = dup_or_empty(code);
	g->pointer = dup_or_empty(pointer);
	g->msg = msg ? msg : dup_or_empty("out of memory");
}

static int before(const struct asl_diag *x, const struct asl_diag *y)
{
	return x->loc.line != y->loc.line ? x->loc.line < y->loc.line
					  : x->loc.col < y->loc.col;
}

/* Insertion sort: stable (same position keeps the order found), and lists
 * are short. */
void asl_diag_print(struct asl_diags *d, FILE *out)
{
	for (int i = 1; i < d->n; i++) {
		struct asl_diag g = d->v[i];
		int j = i;
		for (; j > 0 && before(&g, &d->v[j - 1]); j--)
			d->v[j] = d->v[j - 1];
		d->v[j] = g;
	}
	for (int i = 0; i < d->n; i++) {
		const struct asl_diag *g = &d->v[i];
		fprintf(out, "%s:%d:%d: %s[%s]: %s%s%s\n", d->file ? d->file : "<input>",
			g->loc.line, g->loc.col, g->sev == ASL_ERROR ? "error" : "warning",
			g->code, g->pointer, *g->pointer ? ": " : "", g->msg);
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
