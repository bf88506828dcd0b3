/*
 * intrinsic_build.h - private interface between the intrinsic-call grammar
 * (grammar/intrinsic.l, grammar/intrinsic.y) and its builders in
 * compiler/intrinsic.c. Nothing outside those three files includes it.
 *
 * Ownership: every builder that takes a pointer argument owns it from then on
 * and frees it when it fails. A builder that fails returns NULL (or -1) after
 * recording the first error (message and byte offset) in the parse state; the
 * grammar action then aborts the parse.
 */
#ifndef ASL_INTRINSIC_BUILD_H
#define ASL_INTRINSIC_BUILD_H

#include <stddef.h>
#include "intrinsic.h"

/* A token's or rule's place in the text: byte offsets [first, last). */
struct asl_intr_loc {
	int first, last;
};

/* The state of one asl_intrinsic_parse call, shared by scanner and parser. */
struct asl_intr_b {
	const char *text;
	int off;                       /* scanner: offset of the next byte       */
	int path_start;                /* scanner: where the current path began  */
	int path_depth;                /* scanner: open [ and ( inside the path  */
	int open_calls;                /* parser: calls entered, not yet closed  */
	char *err;                     /* first error (malloc'd), NULL if none   */
	int erroff;
	struct aslrt_call *result;     /* the finished call (owned)              */
};

/* One argument while it is parsed: the runtime argument, where it stood and,
 * for a string literal, its token as written (quotes and escapes kept), which
 * States.Format needs to tell `{}` from `\{\}`. */
struct asl_intr_arg {
	struct aslrt_arg a;
	struct asl_intr_loc loc;
	char *raw;
};

/* An argument list under construction. */
struct asl_intr_args {
	int n;
	struct asl_intr_arg *v;
};

/* The glue in grammar/intrinsic.y: scan and parse b->text. Returns 0 when
 * b->result holds the call, else non-zero (b->err set unless out of memory). */
int asl_intr_run_parser(struct asl_intr_b *b);

/* ---- errors */

/* Record msg (printf format) at offset off unless an error is already set. */
void asl_intr_b_error(struct asl_intr_b *b, int off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A syntax error at loc: the offending token, described from the text (or
 * "end of input"), and the n token names the parser could have accepted. */
void asl_intr_b_syntax(struct asl_intr_b *b, struct asl_intr_loc loc, int at_end,
		       const char *const *expected, int n);

/* ---- scanner helpers */

/* The function named by the len bytes at name (a dotted identifier), as an
 * enum aslrt_fn; -1 when there is no such function (asl_intr_b_enter
 * reports it, once the parser knows a call stands there). */
int asl_intr_b_fn(const char *name, size_t len);

/* A single-quoted string token at offset off: a copy of it as written, after
 * checking that every backslash starts one of the escapes \' \{ \} \\. NULL
 * with the error recorded otherwise. */
char *asl_intr_b_string(struct asl_intr_b *b, const char *tok, size_t len, int off);

/* A number token (JSON number syntax) at off into *out. Returns 0 or -1. */
int asl_intr_b_number(struct asl_intr_b *b, const char *tok, int off, double *out);

/* The path the scanner isolated at *loc (trailing blanks are dropped and *loc
 * shrunk to match), parsed in full JSONPath mode. NULL with the error recorded
 * (its offset made relative to the whole text). */
struct aslrt_path *asl_intr_b_path(struct asl_intr_b *b, struct asl_intr_loc *loc);

/* ---- arguments */

struct asl_intr_arg *asl_intr_b_lit_string(struct asl_intr_b *b, char *raw,
					   struct asl_intr_loc loc);
struct asl_intr_arg *asl_intr_b_lit_number(struct asl_intr_b *b, double v,
					   struct asl_intr_loc loc);
/* kind: ASLRT_T_TRUE, ASLRT_T_FALSE or ASLRT_T_NULL. */
struct asl_intr_arg *asl_intr_b_lit_kw(struct asl_intr_b *b, enum aslrt_tkind kind,
				       struct asl_intr_loc loc);
struct asl_intr_arg *asl_intr_b_arg_path(struct asl_intr_b *b, struct aslrt_path *p,
					 struct asl_intr_loc loc);
struct asl_intr_arg *asl_intr_b_arg_call(struct asl_intr_b *b, struct aslrt_call *c,
					 struct asl_intr_loc loc);
/* Append a to list (NULL: a new list). Takes both. */
struct asl_intr_args *asl_intr_b_append(struct asl_intr_b *b, struct asl_intr_args *list,
					struct asl_intr_arg *a);
void asl_intr_arg_free(struct asl_intr_arg *a);
void asl_intr_args_free(struct asl_intr_args *l);

/* ---- calls */

/* A call of fn (-1: unknown) opens at the function name at loc: fails when
 * the function is unknown or when that makes more than
 * ASL_INTRINSIC_MAX_DEPTH calls nested in one another. Returns 0 or -1. */
int asl_intr_b_enter(struct asl_intr_b *b, int fn, struct asl_intr_loc loc);

/* The call of fn (its name at name) with args (NULL: none) spanning all:
 * checks arity, literal types and values, then builds the runtime call.
 * Takes args. Closes the call asl_intr_b_enter opened. */
struct aslrt_call *asl_intr_b_call(struct asl_intr_b *b, int fn, struct asl_intr_loc name,
				   struct asl_intr_args *args, struct asl_intr_loc all);

/* The whole text was c: store it in b->result. Takes c. Returns 0. */
int asl_intr_b_finish(struct asl_intr_b *b, struct aslrt_call *c);

#endif
