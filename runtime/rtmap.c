/*
 * rtmap.c - see rtmap.h.
 */
#include "rtmap.h"
#include "rt.h"

#include <stdint.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h;
}

static int same(const char *k, const char *key, size_t nlen)
{
	return strncmp(k, key, nlen) == 0 && k[nlen] == '\0';
}

void *rt_map_get(const struct rt_map *m, const char *key, size_t nlen)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key, nlen) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (same(m->keys[i], key, nlen))
			return m->vals[i];
	}
}

static int grow(struct rt_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	const char **keys = rt_calloc(cap, sizeof *keys);
	void **vals = rt_calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		rt_free(keys);
		rt_free(vals);
		return -1;
	}
	for (size_t j = 0; j < m->cap; j++) {
		if (!m->keys[j])
			continue;
		size_t i = hash(m->keys[j], strlen(m->keys[j])) & (cap - 1);
		while (keys[i])
			i = (i + 1) & (cap - 1);
		keys[i] = m->keys[j];
		vals[i] = m->vals[j];
	}
	rt_free(m->keys);
	rt_free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int rt_map_put(struct rt_map *m, const char *key, void *val)
{
	if ((m->n + 1) * 10 > m->cap * 7 && grow(m) != 0)
		return -1;
	size_t n = strlen(key);
	size_t i = hash(key, n) & (m->cap - 1);
	while (m->keys[i] && !same(m->keys[i], key, n))
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

void *rt_map_del(struct rt_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t n = strlen(key), mask = m->cap - 1;
	size_t i = hash(key, n) & mask;
	while (m->keys[i] && !same(m->keys[i], key, n))
		i = (i + 1) & mask;
	if (!m->keys[i])
		return NULL;
	void *val = m->vals[i];
	/* Backward-shift: move later members of the probe run into the hole
	 * when their home slot does not lie cyclically in (hole, j]. */
	size_t hole = i;
	for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
		size_t home = hash(m->keys[j], strlen(m->keys[j])) & mask;
		int between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (between)
			continue;
		m->keys[hole] = m->keys[j];
		m->vals[hole] = m->vals[j];
		hole = j;
	}
	m->keys[hole] = NULL;
	m->vals[hole] = NULL;
	m->n--;
	return val;
}

void rt_map_free(struct rt_map *m)
{
	rt_free(m->keys);
	rt_free(m->vals);
	memset(m, 0, sizeof *m);
}
