/*
 * suite_files.c - reading the JSONata test suite's files (suite_files.h).
 */
#include "suite_files.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ files */

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 >= cap) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hexv(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* cJSON rejects a \uD800-style escape without its pair; JavaScript keeps
 * such a lone surrogate as a string character. Rewrite each lone one as
 * its three-byte (WTF-8) form so the case stays readable. */
static void fix_lone_surrogates(char *s)
{
	for (char *p = s; (p = strstr(p, "\\u")) != NULL;) {
		/* an escaped backslash before it makes it plain text */
		int bs = 0;
		for (char *q = p - 1; q >= s && *q == '\\'; q--)
			bs++;
		long c = strlen(p) >= 6 ? hex4(p + 2) : -1;
		if (bs % 2 || c < 0xd800 || c > 0xdfff) {
			p += 2;
			continue;
		}
		if (c < 0xdc00 && p[6] == '\\' && p[7] == 'u') {
			long lo = hex4(p + 8);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				p += 12;
				continue;
			}
		}
		/* 6 bytes become 3 */
		p[0] = (char)(0xe0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		p[2] = (char)(0x80 | (c & 0x3f));
		memmove(p + 3, p + 6, strlen(p + 6) + 1);
		p += 3;
	}
}

cJSON *parse_file(const char *path)
{
	char *text = read_file(path, NULL);
	if (!text)
		return NULL;
	fix_lone_surrogates(text);
	cJSON *j = cJSON_Parse(text);
	free(text);
	return j;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir ending with suffix (or directories if NULL). */
char **list_dir(const char *dir, const char *suffix, int *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	int cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *ent;
	while ((ent = readdir(d)) != NULL) {
		const char *nm = ent->d_name;
		if (nm[0] == '.')
			continue;
		if (suffix) {
			size_t l = strlen(nm), s = strlen(suffix);
			if (l < s || strcmp(nm + l - s, suffix))
				continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, (size_t)cap * sizeof *v);
		}
		v[(*n)++] = strdup(nm);
	}
	closedir(d);
	qsort(v, (size_t)*n, sizeof *v, cmpstr);
	return v;
}

