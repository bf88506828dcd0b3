/*
 * jscan.h - reading a few members of a JSON object without parsing it
 * (report_agg.c reads 1.3 million checkpoint records of the demo's store;
 * building a cJSON tree of each, their state inputs included, would be
 * most of the report's time). Spans point into the caller's text: nothing
 * is allocated, nothing is copied.
 */
#ifndef ASLRT_JSCAN_H
#define ASLRT_JSCAN_H

#include <stddef.h>
#include <stdint.h>

/* A value's text inside a document: p == NULL when the member is absent. */
struct rt_jspan {
	const char *p;
	size_t n;
};

/* Find the members named keys[0..nkeys) at the top level of the object
 * text[0..len) and set out[i] to the span of each one's value (p NULL when
 * absent; the first occurrence wins). Keys are compared as written, without
 * decoding escapes (record payloads have plain ASCII keys). Returns 0, or -1
 * when the text is not an object or is cut short. */
int rt_jscan_members(const char *text, size_t len, const char *const *keys, int nkeys,
		     struct rt_jspan *out);
/* The span as a whole number (a JSON number's integer part), or dflt when
 * absent or not a number. */
int64_t rt_jspan_int(struct rt_jspan v, int64_t dflt);
/* 1 when the span is the JSON string "lit" written without escapes. */
int rt_jspan_is(struct rt_jspan v, const char *lit);
/* The string the span holds, decoded, into new memory (rt_free); NULL when
 * absent, not a string, or out of memory. */
char *rt_jspan_str(struct rt_jspan v);

#endif /* ASLRT_JSCAN_H */
