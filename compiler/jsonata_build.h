/*
 * jsonata_build.h - private interface between the JSONata grammar
 * (grammar/jsonata.l, grammar/jsonata.y) and its builders
 * (compiler/jsonata_build.c), the post-processing pass
 * (compiler/jsonata_process.c) and the freezing into the runtime's node
 * type (compiler/jsonata_freeze.c). Nothing outside those files includes it.
 *
 * The parser builds the tree the reference implementation's Pratt parser
 * builds (a "raw" tree of binary/unary/... nodes); processing then rewrites
 * it as parser.js processAST does (paths, stages, tuple annotations,
 * ancestry), and freezing copies the result into struct aslrt_jn_node.
 *
 * Memory: every struct jb_node and every string of a parse is allocated
 * from the parse state (struct asl_jn_b) and released with it, so builders
 * never free what they are given and the tree may share nodes. A builder
 * that fails returns NULL after recording the first error (code, offset);
 * the grammar action then aborts.
 */
#ifndef ASL_JSONATA_BUILD_H
#define ASL_JSONATA_BUILD_H

#include <stddef.h>
#include "jsonata.h"

/* A token's or rule's place in the text: byte offsets [first, last). */
struct asl_jn_loc {
	int first, last;
};

/* Node types: the `type` strings of the reference implementation. */
enum jb_type {
	JB_BINARY, JB_UNARY, JB_NAME, JB_STRING, JB_NUMBER, JB_VALUE, JB_REGEX,
	JB_VARIABLE, JB_WILDCARD, JB_DESCENDANT, JB_PARENT, JB_FUNCTION, JB_PARTIAL,
	JB_LAMBDA, JB_CONDITION, JB_ELVIS, JB_COALESCE, JB_BLOCK, JB_TRANSFORM,
	JB_OPERATOR,       /* `?` placeholder; and/or/in read as names           */
	JB_PATH, JB_BIND, JB_APPLY, JB_SORT, JB_FILTER, JB_INDEX
};

struct jb_node;

/* A growable list of nodes. */
struct jb_vec {
	struct jb_node **v;
	int n, cap;
};

/* A `%` slot of the ancestry analysis (shared by reference, as in JS). */
struct jb_slot {
	char label[16];
	int level;
	int index;
};

struct jb_slots {
	struct jb_slot **v;
	int n, cap;
};

struct jb_node {
	enum jb_type type;
	const char *value;         /* operator ("+", "[", ".") or name text    */
	char *str;                 /* STRING contents, NAME/VARIABLE name       */
	size_t len;
	double num;
	int vkind;                 /* VALUE: 1 true, 0 false, 2 null            */
	int pos;
	struct jb_node *lhs, *rhs, *expression, *procedure, *body;
	struct jb_node *condition, *then, *els;
	struct jb_node *pattern, *update, *del;
	struct jb_vec list;        /* expressions, arguments, steps, terms      */
	struct jb_vec pairs;       /* object constructor: key, value, ...       */
	struct jb_vec group;       /* group-by pairs: key, value, ...           */
	int has_group, group_pos;
	struct jb_vec predicate;   /* FILTER nodes                              */
	struct jb_vec stages;      /* FILTER and INDEX nodes                    */
	int has_predicate, has_stages;
	int keep_array, keep_singleton, consarray, tuple, thunk, descending;
	char *focus, *index;
	struct jb_slot *slot;      /* PARENT                                    */
	struct jb_slot *ancestor;  /* a step bound as an ancestor               */
	struct jb_slots *seeking;  /* seekingParent (shared, as in JS), or NULL */
	char *sig;                 /* LAMBDA signature text                     */
	int sig_pos;
	const struct aslrt_jn_regex *re;
	struct jb_node *expr;      /* FILTER                                    */
};

/* The state of one parse, shared by scanner, parser and builders. */
struct asl_jn_b {
	const char *text;
	size_t len;
	int off;                   /* scanner: offset of the next byte          */
	int last_tok;              /* scanner: kind of the previous token       */
	int paren_depth;           /* scanner: depth inside lambda parameters   */
	int re_start, re_depth;    /* scanner: regex literal being read         */
	struct aslrt_jn_error err; /* first error                               */
	int has_err;
	struct jb_node *result;
	/* allocations of this parse */
	void **mem;
	size_t nmem, capmem;
	/* ancestry analysis */
	int ancestor_label, ancestor_index;
	struct jb_node **ancestry;
	int nancestry, capancestry;
};

/* The glue in grammar/jsonata.y: scan and parse b->text into b->result (the
 * raw tree). Returns 0, or non-zero with b->err set. */
int asl_jn_run_parser(struct asl_jn_b *b);

/* ---- memory and errors */

/* n zeroed bytes owned by b; NULL after recording "out of memory". */
void *jb_alloc(struct asl_jn_b *b, size_t n);
char *jb_strndup(struct asl_jn_b *b, const char *s, size_t n);
int jb_push(struct asl_jn_b *b, struct jb_vec *v, struct jb_node *n);

/* Record error `code` at offset pos (the first error wins). Returns -1. */
int jb_error(struct asl_jn_b *b, const char *code, int pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A syntax error at loc: the offending token and whether the parser could
 * have taken an operand (an expression start) or the end there. Chooses
 * the reference implementation's code (S0201, S0202, S0203, S0207, S0211). */
void jb_syntax(struct asl_jn_b *b, struct asl_jn_loc loc, int at_end, int want_operand,
	       int end_ok, const char *expected);

/* ---- scanner helpers (return NULL with the error recorded) */

/* A string literal token (with its quotes): escapes decoded. */
struct jb_node *jb_string(struct asl_jn_b *b, const char *tok, size_t len, int pos);
struct jb_node *jb_number(struct asl_jn_b *b, const char *tok, size_t len, int pos);
/* A name (plain or `backticked` without the backticks). */
struct jb_node *jb_name(struct asl_jn_b *b, const char *s, size_t len, int pos);
struct jb_node *jb_variable(struct asl_jn_b *b, const char *s, size_t len, int pos);
/* A regex literal: pattern text and flags. */
struct jb_node *jb_regex(struct asl_jn_b *b, const char *pat, size_t len, const char *flags,
			 size_t flen, int pos);
/* An operator token read as an operand (and, or, in) or `?`. */
struct jb_node *jb_operator(struct asl_jn_b *b, const char *op, int pos);

/* ---- the raw tree, as the Pratt parser builds it */

struct jb_node *jb_new(struct asl_jn_b *b, enum jb_type type, const char *value, int pos);
struct jb_node *jb_value(struct asl_jn_b *b, int vkind, int pos);
struct jb_node *jb_binary(struct asl_jn_b *b, const char *op, struct jb_node *lhs,
			  struct jb_node *rhs, int pos);
struct jb_node *jb_negate(struct asl_jn_b *b, struct jb_node *e, int pos);
/* Array constructor; items may be added with jb_push to its list. */
struct jb_node *jb_array(struct asl_jn_b *b, int pos);
struct jb_node *jb_range(struct asl_jn_b *b, struct jb_node *lo, struct jb_node *hi, int pos);
/* Object constructor (lhs == NULL) or group-by on lhs, taking the pairs
 * collected in the carrier `pairs` (NULL: a new empty carrier). */
struct jb_node *jb_object(struct asl_jn_b *b, struct jb_node *lhs, struct jb_node *pairs,
			  int pos);
int jb_pair(struct asl_jn_b *b, struct jb_node *obj, struct jb_node *k, struct jb_node *v);
struct jb_node *jb_block(struct asl_jn_b *b, int pos);
/* `lhs[rhs]` (predicate / index). */
struct jb_node *jb_filter(struct asl_jn_b *b, struct jb_node *lhs, struct jb_node *rhs,
			  int pos);
/* `lhs[]`: keep singleton arrays. */
struct jb_node *jb_keep_array(struct asl_jn_b *b, struct jb_node *lhs);
/* `lhs(args)`: a call; partial when an argument is `?`. */
struct jb_node *jb_call(struct asl_jn_b *b, struct jb_node *proc, struct jb_node *args,
			int pos);
/* Argument lists are BLOCK-typed carriers of `list`. */
struct jb_node *jb_args(struct asl_jn_b *b, int pos);
/* function(params)<sig>{body}: params is a carrier of VARIABLE nodes. */
struct jb_node *jb_lambda(struct asl_jn_b *b, struct jb_node *params, const char *sig,
			  size_t siglen, int sig_pos, struct jb_node *body, int pos);
struct jb_node *jb_condition(struct asl_jn_b *b, struct jb_node *c, struct jb_node *t,
			     struct jb_node *e, int pos);
struct jb_node *jb_bind(struct asl_jn_b *b, struct jb_node *lhs, struct jb_node *rhs, int pos);
/* `lhs @ $v` / `lhs # $v`: rhs must be a variable (S0214). */
struct jb_node *jb_focus(struct asl_jn_b *b, const char *op, struct jb_node *lhs,
			 struct jb_node *rhs, int pos);
/* Sort: terms are SORT carriers (lhs expression, descending flag). */
struct jb_node *jb_sort(struct asl_jn_b *b, struct jb_node *lhs, struct jb_node *terms,
			int pos);
struct jb_node *jb_sort_term(struct asl_jn_b *b, struct jb_node *e, int descending);
struct jb_node *jb_transform(struct asl_jn_b *b, struct jb_node *pattern,
			     struct jb_node *update, struct jb_node *del, int pos);

/* ---- processing (jsonata_process.c) */

/* processAST on the raw tree; returns the processed tree or NULL. */
struct jb_node *jb_process(struct asl_jn_b *b, struct jb_node *raw);

/* ---- freezing (jsonata_freeze.c) */

/* Copy the processed tree into a new expression (free with asl_jn_free). */
const struct aslrt_jn_expr *jb_freeze(struct asl_jn_b *b, struct jb_node *root);

/* ---- regex (jsonata_regex.c) */

/* Compile a JavaScript regex into a new program: one malloc'd block
 * holding the struct, its instructions, ranges and source (free() releases
 * it). NULL with *msg a static message on a syntax error (or NULL *msg when
 * out of memory). */
struct aslrt_jn_regex *asl_jn_regex_compile(const char *pat, size_t len, unsigned flags,
					    const char **msg);

#endif
