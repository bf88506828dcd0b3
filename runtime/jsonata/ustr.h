/*
 * ustr.h - strings as arrays of code points, for the picture-string
 * functions ($formatNumber, $formatInteger, $parseInteger, $fromMillis,
 * $toMillis) whose specifications (XPath F&O 3.1 sections 4.7 and 9.8)
 * count characters, and whose reference implementation indexes them.
 * All memory is the evaluation's arena.
 */
#ifndef JN_USTR_H
#define JN_USTR_H

#include "jn.h"

struct ustr {
	unsigned *v;
	int n;
};

/* The code points of the len UTF-8 bytes at s; n = -1 when out of memory. */
struct ustr jnus_from(struct jn_ctx *c, const char *s, size_t len);
struct ustr jnus_cstr(struct jn_ctx *c, const char *s);
/* A new string value of u. */
struct jval *jnus_value(struct jn_ctx *c, struct ustr u);
/* s.substring(a, b) (clamped), s.indexOf(t, from), s.lastIndexOf(t). */
struct ustr jnus_sub(struct ustr s, int a, int b);
int jnus_index(struct ustr s, struct ustr t, int from);
int jnus_last_index(struct ustr s, struct ustr t);
int jnus_index_cp(struct ustr s, unsigned cp, int from);
int jnus_eq(struct ustr a, struct ustr b);
/* a + b (new memory). */
struct ustr jnus_cat(struct jn_ctx *c, struct ustr a, struct ustr b);
/* s with t inserted at position at. */
struct ustr jnus_insert(struct jn_ctx *c, struct ustr s, int at, struct ustr t);
/* n copies of cp. */
struct ustr jnus_repeat(struct jn_ctx *c, unsigned cp, int n);
/* The one-character string of cp (a view of a static buffer is not safe:
 * new memory). */
struct ustr jnus_char(struct jn_ctx *c, unsigned cp);

#endif
