/*
 * rtmap.h - a hash map from borrowed C strings to pointers for the durable
 * runtime (executions by name, parked tasks by token): open addressing,
 * linear probing with backward-shift deletion, FNV-1a. Keys are borrowed and
 * must outlive their entry; values are not owned.
 */
#ifndef ASLRT_RTMAP_H
#define ASLRT_RTMAP_H

#include <stddef.h>

struct rt_map {
	size_t cap, n;                 /* cap is 0 or a power of two            */
	const char **keys;             /* NULL = empty slot                     */
	void **vals;
};

/* The value stored for key (nlen bytes, not necessarily terminated), or
 * NULL. */
void *rt_map_get(const struct rt_map *m, const char *key, size_t nlen);
/* Store key -> val, replacing an earlier value. Returns 0, or -1 out of
 * memory. */
int rt_map_put(struct rt_map *m, const char *key, void *val);
/* Remove key; returns its value or NULL. */
void *rt_map_del(struct rt_map *m, const char *key);
/* Free the table (not keys or values); m is left empty and reusable. */
void rt_map_free(struct rt_map *m);

#endif /* ASLRT_RTMAP_H */
