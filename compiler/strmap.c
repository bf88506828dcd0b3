/*
 * strmap.c - string -> int hash map (see strmap.h).
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of key, or of the empty slot where it would go. cap must be > 0. */
static size_t slot(const struct asl_strmap *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

int asl_strmap_get(const struct asl_strmap *m, const char *key)
{
	if (m->cap == 0)
		return -1;
	size_t i = slot(m, key);
	return m->keys[i] ? m->vals[i] : -1;
}

/* Double the table (kept at most half full). Returns 0 or -1. */
static int grow(struct asl_strmap *m)
{
	struct asl_strmap g = { m->cap ? m->cap * 2 : 64, m->n, NULL, NULL };
	g.keys = calloc(g.cap, sizeof *g.keys);
	g.vals = malloc(g.cap * sizeof *g.vals);
	if (!g.keys || !g.vals) {
		free(g.keys);
		free(g.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t k = slot(&g, m->keys[i]);
			g.keys[k] = m->keys[i];
			g.vals[k] = m->vals[i];
		}
	free(m->keys);
	free(m->vals);
	*m = g;
	return 0;
}

int asl_strmap_add(struct asl_strmap *m, const char *key, int val)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
		return -2;
	size_t i = slot(m, key);
	if (m->keys[i])
		return m->vals[i];
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return val;
}

void asl_strmap_free(struct asl_strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
