/*
 * intr.h - what the files of the intrinsic functions share (intrinsics.c:
 * evaluation, arrays, JSON and math; intr_text.c: strings, encodings, hashes
 * and identifiers). Private to the runtime.
 *
 * Every function here takes the call c (for its name and text in error
 * messages) and its argument values v[0..c->nargs-1], all borrowed; it
 * returns new memory, or NULL with err set (States.IntrinsicFailure, or
 * States.Runtime when out of memory).
 */
#ifndef ASLRT_INTR_H
#define ASLRT_INTR_H

#include "rt.h"

typedef cJSON *(*rt_intr_fn)(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err);

/* Value types as a mask, for argument checks and their messages. */
enum {
	RT_V_STR = 1, RT_V_NUM = 2, RT_V_BOOL = 4, RT_V_NULL = 8, RT_V_ARR = 16,
	RT_V_OBJ = 32
};

/* [docs] Base64Encode/Decode and Hash take "up to 10,000 characters". */
#define RT_INTR_MAX_CHARS 10000

/* Fail with States.IntrinsicFailure: the cause names the call and says why
 * (printf format). Returns NULL, for `return rt_intr_fail(...)`. */
void *rt_intr_fail(struct aslrt_error *err, const struct aslrt_call *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Out of memory: States.Runtime. Returns NULL. */
void *rt_intr_oom(struct aslrt_error *err);

/* Check that argument i (0-based) has one of the types in mask; fails err and
 * returns -1 when not. */
int rt_intr_want(const struct aslrt_call *c, const cJSON *const *v, int i, unsigned mask,
		 struct aslrt_error *err);

/* Argument i as a number rounded to the nearest integer (half away from
 * zero, as aslc's compile-time checks do), required within [lo, hi]. Returns
 * 0, or -1 with err set. */
int rt_intr_int(const struct aslrt_call *c, const cJSON *const *v, int i, double lo,
		double hi, double *out, struct aslrt_error *err);

/* Characters (Unicode code points) of the UTF-8 string s. */
long rt_utf8_chars(const char *s);

/* Fill buf with n bytes from the kernel's CSPRNG. Returns 0 or -1. */
int rt_random_bytes(void *buf, size_t n);

/* A growing string (runtime memory). oom is set when an append failed. */
struct rt_sbuf {
	char *s;
	size_t len, cap;
	int oom;
};
void rt_sbuf_add(struct rt_sbuf *b, const char *s, size_t n);

/* intr_text.c */
cJSON *rt_intr_format(const struct aslrt_call *c, const cJSON *const *v,
		      struct aslrt_error *err);
cJSON *rt_intr_string_split(const struct aslrt_call *c, const cJSON *const *v,
			    struct aslrt_error *err);
cJSON *rt_intr_base64_encode(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err);
cJSON *rt_intr_base64_decode(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err);
cJSON *rt_intr_hash(const struct aslrt_call *c, const cJSON *const *v,
		    struct aslrt_error *err);
cJSON *rt_intr_uuid(const struct aslrt_call *c, const cJSON *const *v,
		    struct aslrt_error *err);

#endif
