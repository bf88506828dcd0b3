/*
 * intrinsic.h - intrinsic function calls of JSONPath states (`States.Format(...)`
 * and the 17 others), parsed at compile time (grammar/intrinsic.l,
 * grammar/intrinsic.y) into the struct aslrt_call the runtime evaluates, and
 * written out as static C data.
 */
#ifndef ASL_INTRINSIC_H
#define ASL_INTRINSIC_H

#include <stdio.h>
#include "aslrt.h"

/* "You can nest up to 10 intrinsic functions within a field" (AWS, Intrinsic
 * functions for JSONPath states): the outermost call is level 1. */
#define ASL_INTRINSIC_MAX_DEPTH 10

/* Parse text, a whole `.$` value such as "States.Format('{}', $.a)". Checks
 * the function names, argument counts, the types of literal arguments and of
 * nested calls' results, and the literal values AWS constrains (Hash
 * algorithms, ArrayRange bounds, Format placeholders, ...). Returns new memory
 * (free with asl_intrinsic_free) or NULL with *err a new message (free()) and
 * *erroff the 0-based byte offset in text where the problem is. */
struct aslrt_call *asl_intrinsic_parse(const char *text, char **err, int *erroff);

/* Free c and everything it owns (texts, arguments, paths, nested calls).
 * NULL is fine. */
void asl_intrinsic_free(struct aslrt_call *c);

/* Write c as static const C data. The call itself is named cname
 * (`static const struct aslrt_call cname = {...};`); its argument array,
 * literals, paths and nested calls get names that start with cname followed
 * by `_`. Borrows c. */
void asl_emit_call(FILE *out, const struct aslrt_call *c, const char *cname);

#endif
