/*
 * strmap.h - a hash map from borrowed C strings to ints (open addressing,
 * linear probing, FNV-1a), so lookups by name stay O(1) when a definition has
 * 10^5 states. Keys are borrowed: they must outlive the map.
 */
#ifndef ASL_STRMAP_H
#define ASL_STRMAP_H

#include <stddef.h>

struct asl_strmap {
	size_t cap, n;                 /* cap is 0 or a power of two            */
	const char **keys;             /* NULL = empty slot                     */
	int *vals;
};

/* The value stored for key, or -1 when there is none. */
int asl_strmap_get(const struct asl_strmap *m, const char *key);
/* Store key -> val unless key is already there. Returns the value now stored
 * for key (the earlier one when key was present), or -2 out of memory. */
int asl_strmap_add(struct asl_strmap *m, const char *key, int val);
/* Free the table (not the keys); m is left empty and reusable. */
void asl_strmap_free(struct asl_strmap *m);

#endif
