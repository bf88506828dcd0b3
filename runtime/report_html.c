/*
 * report_html.c - writing untrusted text into the report (report.h): state
 * names, execution names, inputs and outputs, error causes all come from
 * users, so every one goes through rt_html_esc (text and attributes) or
 * rt_html_script_json (data for the page's script), and the page is plain
 * ASCII. Also marking the machine's SVG (the contract of graph_svg in
 * aslrt.h) with each state's status and count.
 */
#include "report.h"
#include "rt.h"

#include <stdlib.h>
#include <string.h>

/* Decode one UTF-8 character at s (n bytes left). Returns its length and
 * sets *cp, or returns 1 with *cp = U+FFFD for a byte that does not start a
 * valid, shortest-form sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char c = s[0];
	size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
	if (c >= 0xF8)
		len = 0;
	if (len == 0 || len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned long v = c & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	static const unsigned long min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return len;
}

void rt_html_esc_n(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		const unsigned char *run = p;          /* plain characters in one go */
		while (p < end && *p >= 0x20 && *p < 0x7F && *p != '&' && *p != '<' && *p != '>' &&
		       *p != '"' && *p != '\'')
			p++;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		if (p >= end)
			break;
		unsigned long cp;
		switch (*p) {
		case '&': fputs("&amp;", f); p++; continue;
		case '<': fputs("&lt;", f); p++; continue;
		case '>': fputs("&gt;", f); p++; continue;
		case '"': fputs("&quot;", f); p++; continue;
		case '\'': fputs("&#39;", f); p++; continue;
		case '\n': case '\t': fputc(*p++, f); continue;
		default: break;
		}
		if (*p < 0x80) {                       /* other control characters */
			cp = 0xFFFD;
			p++;
		} else {
			p += utf8_decode(p, (size_t)(end - p), &cp);
		}
		fprintf(f, "&#x%lX;", cp);
	}
}

void rt_html_esc(FILE *f, const char *s)
{
	if (s)
		rt_html_esc_n(f, s, strlen(s));
}

void rt_html_json(FILE *f, const cJSON *v, size_t limit)
{
	char *s = v ? cJSON_Print(v) : NULL;
	if (!s) {
		fputs(v ? "(out of memory)" : "null", f);
		return;
	}
	size_t n = strlen(s);
	if (limit && n > limit) {
		size_t cut = limit;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;                         /* not inside a character */
		rt_html_esc_n(f, s, cut);
		fprintf(f, "\n&#x2026; (%zu more bytes)", n - cut);
	} else {
		rt_html_esc_n(f, s, n);
	}
	cJSON_free(s);
}

void rt_html_script_json(FILE *f, const cJSON *v)
{
	char *s = v ? cJSON_PrintUnformatted(v) : NULL;
	if (!s) {
		fputs("null", f);
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '<' || c == '>' || c == '&') {
			fprintf(f, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, f);
			i++;
		} else {                   /* only inside strings: \u escapes */
			unsigned long cp;
			i += utf8_decode(p + i, n - i, &cp);
			if (cp >= 0x10000) {
				cp -= 0x10000;
				fprintf(f, "\\u%04lx\\u%04lx", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
			} else {
				fprintf(f, "\\u%04lx", cp);
			}
		}
	}
	cJSON_free(s);
}

/* Copy n bytes of markup: ASCII as it is, every other character as a
 * character reference (the page stays plain ASCII; markup is not escaped). */
static void put_markup(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p < 0x80)
			p++;
		fwrite(run, 1, (size_t)(p - run), f);
		if (p < end) {
			unsigned long cp;
			p += utf8_decode(p, (size_t)(end - p), &cp);
			fprintf(f, "&#x%lX;", cp);
		}
	}
}

/* Parse "aslc-s<I>" or "aslc-e<F>-<T>-<K>" from the id value at v (n
 * bytes). Returns 's' or 'e' with the numbers set, or 0. */
static int parse_id(const char *v, size_t n, long num[3])
{
	if (n < 6 || memcmp(v, "aslc-", 5) != 0 || (v[5] != 's' && v[5] != 'e'))
		return 0;
	int want = v[5] == 's' ? 1 : 3;
	const char *p = v + 6, *end = v + n;
	for (int i = 0; i < want; i++) {
		if (i > 0) {
			if (p >= end || *p != '-')
				return 0;
			p++;
		}
		char *e = NULL;
		char buf[24];
		size_t len = 0;
		while (p + len < end && len < sizeof buf - 1 &&
		       ((p[len] >= '0' && p[len] <= '9') || (len == 0 && p[len] == '-')))
			len++;
		memcpy(buf, p, len);
		buf[len] = '\0';
		num[i] = strtol(buf, &e, 10);
		if (len == 0 || *e)
			return 0;
		p += len;
	}
	return p == end ? v[5] : 0;
}

/* The id="..." value of the tag text [t, end): its span, or NULL. */
static const char *find_id(const char *t, const char *end, size_t *n)
{
	for (const char *p = t; p + 4 < end; p++) {
		if ((p[0] == ' ' || p[0] == '\t' || p[0] == '\n') && p[1] == 'i' && p[2] == 'd' &&
		    p[3] == '=' && (p[4] == '"' || p[4] == '\'')) {
			const char *v = p + 5;
			const char *q = memchr(v, p[4], (size_t)(end - v));
			if (!q)
				return NULL;
			*n = (size_t)(q - v);
			return v;
		}
	}
	return NULL;
}

/* The transitions F->T counted in a, split by Catch or not (caught < 0:
 * both). */
static long edge_count(const struct rt_agg *a, long from, long to, int caught)
{
	if (from < 0 || from >= a->m->nstates)
		return 0;
	long n = 0;
	const struct rt_agg_state *s = &a->st[from];
	for (int i = 0; i < s->nedges; i++)
		if (s->edges[i].to == to && (caught < 0 || s->edges[i].caught == caught))
			n += s->edges[i].n;
	return n;
}

/* 1 when the tag text [t, end) mentions the class k. */
static int has_class(const char *t, const char *end, const char *k)
{
	size_t n = strlen(k);
	for (const char *p = t; p + n <= end; p++)
		if (memcmp(p, k, n) == 0 && (p + n == end || p[n] == '"' || p[n] == ' ' ||
					     p[n] == '\''))
			return 1;
	return 0;
}

int rt_html_svg_mark(FILE *f, const char *svg, const struct rt_agg *a)
{
	const char *p = strstr(svg, "<svg");
	if (!p)
		return -1;
	while (*p) {
		const char *tag = strstr(p, "<g");
		while (tag && !(tag[2] == ' ' || tag[2] == '\t' || tag[2] == '\n'))
			tag = strstr(tag + 2, "<g");
		if (!tag) {
			put_markup(f, p, strlen(p));
			break;
		}
		const char *end = strchr(tag, '>');
		if (!end) {
			put_markup(f, p, strlen(p));
			break;
		}
		put_markup(f, p, (size_t)(tag + 2 - p));  /* up to and with "<g" */
		size_t n = 0;
		const char *id = find_id(tag + 2, end, &n);
		long num[3];
		int kind = id ? parse_id(id, n, num) : 0;
		if (kind == 's' && num[0] >= 0 && num[0] < a->m->nstates) {
			const struct rt_agg_state *s = &a->st[num[0]];
			enum rt_vis vis = s->vis;
			fprintf(f, " data-status=\"%s\" data-count=\"%ld\" data-entries=\"%ld\"",
				rt_agg_not_recorded(a, (int)num[0]) ? "not-recorded"
								     : rt_vis_name(vis),
				s->count, s->entries);
			fputs(" data-name=\"", f);
			rt_html_esc(f, a->m->states[num[0]].name);
			fputc('"', f);
		} else if (kind == 'e') {
			/* several drawn edges F->T (K = 0, 1...): the Catch ones
			 * count caught transitions, a Retry loop the attempts, the
			 * first other one the rest */
			long c = has_class(tag, end, "aslc-catch") ? edge_count(a, num[0], num[1], 1)
				 : has_class(tag, end, "aslc-retry")
					 ? (num[0] >= 0 && num[0] < a->m->nstates ? a->st[num[0]].retries
										  : 0)
				 : num[2] == 0 ? edge_count(a, num[0], num[1], 0) : 0;
			fprintf(f, " data-count=\"%ld\" data-status=\"%s\"", c,
				c ? "taken" : "not-taken");
		}
		p = tag + 2;
	}
	return 0;
}
