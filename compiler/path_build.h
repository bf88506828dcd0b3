/*
 * path_build.h - private interface between the JSONPath grammar
 * (grammar/path.l, grammar/path.y) and its builders in compiler/path.c.
 * Nothing outside those three files includes it.
 *
 * Ownership: every builder that takes a pointer argument owns it from then on
 * and frees it when it fails. A builder that fails returns NULL (or -1) after
 * recording the first error (message and byte offset) in the parse state; the
 * grammar action then aborts the parse.
 */
#ifndef ASL_PATH_BUILD_H
#define ASL_PATH_BUILD_H

#include <stddef.h>
#include "path.h"

/* A token's or rule's place in the text: byte offsets [first, last). */
struct asl_path_loc {
	int first, last;
};

/* The state of one asl_path_parse call, shared by scanner and parser. */
struct asl_path_b {
	const char *text;
	enum asl_path_mode mode;
	int off;                       /* scanner: offset of the next byte       */
	char *err;                     /* first error (malloc'd), NULL if none   */
	int erroff;
	struct aslrt_path *result;     /* the finished path (owned)              */
};

/* An optional slice bound. */
struct asl_path_opt {
	long v;
	int has;
};

/* The glue in grammar/path.y: scan and parse b->text. Returns 0 when
 * b->result holds the path, else non-zero (b->err set unless out of memory). */
int asl_path_run_parser(struct asl_path_b *b);

/* ---- errors */

/* Record msg (printf format) at offset off unless an error is already set. */
void asl_path_b_error(struct asl_path_b *b, int off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A syntax error at loc: the offending token, described from the text (or
 * "end of path"), and the n token names the parser could have accepted. */
void asl_path_b_syntax(struct asl_path_b *b, struct asl_path_loc loc, int at_end,
		       const char *const *expected, int n);

/* ---- scanner helpers: return new memory or NULL with the error recorded */

/* A copy of the len bytes at s (a dot name, a number's text). */
char *asl_path_b_name(struct asl_path_b *b, const char *s, size_t len);
/* A path rooted at workflow variable `name_take` ($name). */
struct aslrt_path *asl_path_b_var(struct asl_path_b *b, char *name_take);

/* The contents of a quoted string token (with its quotes), escapes decoded:
 * \\ \' \" \/ \b \f \n \r \t \uXXXX (surrogate pairs joined). */
char *asl_path_b_unquote(struct asl_path_b *b, const char *tok, size_t len, int off);

/* ---- paths and segments */

/* A new path with no segments starting at root. */
struct aslrt_path *asl_path_b_root(struct asl_path_b *b, enum aslrt_root root);

/* Append s to p (takes both). */
struct aslrt_path *asl_path_b_append(struct asl_path_b *b, struct aslrt_path *p,
				     struct aslrt_seg *s);

/* Give p its text (the source bytes at loc) and its definite flag. Takes p. */
struct aslrt_path *asl_path_b_seal(struct asl_path_b *b, struct aslrt_path *p,
				   struct asl_path_loc loc);

/* The whole text was p: store it in b->result. Takes p. Returns 0 or -1. */
int asl_path_b_finish(struct asl_path_b *b, struct aslrt_path *p);

/* In reference mode, fail with "<what> is not allowed in a reference path" at
 * loc. Returns 0 when allowed, -1 when not. */
int asl_path_b_allow(struct asl_path_b *b, const char *what, struct asl_path_loc loc);

/* The integer token text at loc as a long (takes text). Returns 0 or -1. */
int asl_path_b_long(struct asl_path_b *b, char *text, struct asl_path_loc loc, long *out);

struct aslrt_seg *asl_path_b_field(struct asl_path_b *b, char *name);
/* Wildcards and descents are refused in reference mode, at loc. */
struct aslrt_seg *asl_path_b_wildcard(struct asl_path_b *b, struct asl_path_loc loc);
/* name NULL: `..*`. */
struct aslrt_seg *asl_path_b_descent(struct asl_path_b *b, char *name,
				     struct asl_path_loc loc);
/* A negative index is refused in reference mode, at loc. */
struct aslrt_seg *asl_path_b_index(struct asl_path_b *b, long i, struct asl_path_loc loc);
struct aslrt_seg *asl_path_b_slice(struct asl_path_b *b, struct asl_path_opt start,
				   struct asl_path_opt end, struct asl_path_opt step,
				   struct asl_path_loc step_loc);
/* A union of names: add name to s, a FIELD or a UNION of names. */
struct aslrt_seg *asl_path_b_names(struct asl_path_b *b, struct aslrt_seg *s, char *name);
/* A union of indexes: add i to s, an INDEX or a UNION of indexes. */
struct aslrt_seg *asl_path_b_indexes(struct asl_path_b *b, struct aslrt_seg *s, long i);
struct aslrt_seg *asl_path_b_filter(struct asl_path_b *b, struct aslrt_filter *f);
void asl_path_seg_free(struct aslrt_seg *s);

/* ---- filter expressions */

/* A comparison of path lhs with path rhs_path or constant rhs (exactly one
 * given); op ASLRT_F_EXISTS takes lhs only. When swapped is set the constant
 * was written on the left (`10 < @.x`) and op is mirrored. */
struct aslrt_filter *asl_path_b_cmp(struct asl_path_b *b, enum aslrt_filter_op op,
				    struct aslrt_path *lhs, struct aslrt_path *rhs_path,
				    struct aslrt_tmpl *rhs, int swapped);
/* AND / OR of a and c, NOT of a (c NULL). */
struct aslrt_filter *asl_path_b_logic(struct asl_path_b *b, enum aslrt_filter_op op,
				      struct aslrt_filter *a, struct aslrt_filter *c);
void asl_path_filter_free(struct aslrt_filter *f);

/* Filter constants: a string (takes s), a number token's text (takes text),
 * or true / false / null (kind ASLRT_T_TRUE, _FALSE, _NULL). */
struct aslrt_tmpl *asl_path_b_const_str(struct asl_path_b *b, char *s);
struct aslrt_tmpl *asl_path_b_const_num(struct asl_path_b *b, char *text,
					struct asl_path_loc loc);
struct aslrt_tmpl *asl_path_b_const_kw(struct asl_path_b *b, enum aslrt_tkind kind);
void asl_path_tmpl_free(struct aslrt_tmpl *t);

#endif
