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
 * Memory: every struct asl_jnb_node and every string of a parse is allocated
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
enum asl_jnb_type {
	JB_BINARY, JB_UNARY, JB_NAME, JB_STRING, JB_NUMBER, JB_VALUE, JB_REGEX,
	JB_VARIABLE, JB_WILDCARD, JB_DESCENDANT, JB_PARENT, JB_FUNCTION, JB_PARTIAL,
	JB_LAMBDA, JB_CONDITION, JB_ELVIS, JB_COALESCE, JB_BLOCK, JB_TRANSFORM,
	JB_OPERATOR,       /* `?` placeholder; and/or/in read as names           */
	JB_PATH, JB_BIND, JB_APPLY, JB_SORT, JB_FILTER, JB_INDEX
};

struct asl_jnb_node;

/* A growable list of nodes. */
struct asl_jnb_vec {
	struct asl_jnb_node **v;
	int n, cap;
};

/* A `%` slot of the ancestry analysis (shared by reference, as in JS). */
struct asl_jnb_slot {
	char label[16];
	int level;
	int index;
};

struct asl_jnb_slots {
	struct asl_jnb_slot **v;
	int n, cap;
};

struct asl_jnb_node {
	enum asl_jnb_type type;
	const char *value;         /* operator ("+", "[", ".") or name text    */
	char *str;                 /* STRING contents, NAME/VARIABLE name       */
	size_t len;
	double num;
	int vkind;                 /* VALUE: 1 true, 0 false, 2 null            */
	int pos;
	struct asl_jnb_node *lhs, *rhs, *expression, *procedure, *body;
	struct asl_jnb_node *condition, *then, *els;
	struct asl_jnb_node *pattern, *update, *del;
	struct asl_jnb_vec list;        /* expressions, arguments, steps, terms      */
	struct asl_jnb_vec pairs;       /* object constructor: key, value, ...       */
	struct asl_jnb_vec group;       /* group-by pairs: key, value, ...           */
	int has_group, group_pos;
	struct asl_jnb_vec predicate;   /* FILTER nodes                              */
	struct asl_jnb_vec stages;      /* FILTER and INDEX nodes                    */
	int has_predicate, has_stages;
	int keep_array, keep_singleton, consarray, tuple, thunk, descending;
	char *focus, *index;
	struct asl_jnb_slot *slot;      /* PARENT                                    */
	struct asl_jnb_slot *ancestor;  /* a step bound as an ancestor               */
	struct asl_jnb_slots *seeking;  /* seekingParent (shared, as in JS), or NULL */
	char *sig;                 /* LAMBDA signature text                     */
	int sig_pos;
	const struct aslrt_jn_regex *re;
	struct asl_jnb_node *expr;      /* FILTER                                    */
};

/* The state of one parse, shared by scanner, parser and builders. */
struct asl_jn_b {
	const char *text;
	size_t len;
	int off;                   /* scanner: offset of the next byte          */
	int last_tok;              /* scanner: the previous token ends an operand */
	int prev_tok;              /* scanner: the previous token               */
	int open_depth;            /* scanner: brackets open                    */
	int paren_depth;           /* scanner: depth inside lambda parameters   */
	int re_start, re_depth;    /* scanner: regex literal being read         */
	struct aslrt_jn_error err; /* first error                               */
	int has_err;
	struct asl_jnb_node *result;
	/* allocations of this parse */
	void **mem;
	size_t nmem, capmem;
	/* ancestry analysis */
	int ancestor_label, ancestor_index;
	struct asl_jnb_node **ancestry;
	int nancestry, capancestry;
};

/* The glue in grammar/jsonata.y: scan and parse b->text into b->result (the
 * raw tree). Returns 0, or non-zero with b->err set. */
int asl_jn_run_parser(struct asl_jn_b *b);

/* ---- memory and errors */

/* n zeroed bytes owned by b; NULL after recording "out of memory". */
void *asl_jnb_alloc(struct asl_jn_b *b, size_t n);
char *asl_jnb_strndup(struct asl_jn_b *b, const char *s, size_t n);
int asl_jnb_push(struct asl_jn_b *b, struct asl_jnb_vec *v, struct asl_jnb_node *n);

/* Record error `code` at offset pos (the first error wins). Returns -1. */
int asl_jnb_error(struct asl_jn_b *b, const char *code, int pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A syntax error at loc: the offending token and whether the parser could
 * have taken an operand (an expression start) or the end there. Chooses
 * the reference implementation's code (S0201, S0202, S0203, S0207, S0211,
 * S0214). after_focus: the previous token was `@` or `#`. */
void asl_jnb_syntax(struct asl_jn_b *b, struct asl_jn_loc loc, int at_end, int want_operand,
		    int end_ok, int after_focus, const char *expected);

/* ---- scanner helpers (return NULL with the error recorded) */

/* A string literal token (with its quotes): escapes decoded. */
struct asl_jnb_node *asl_jnb_string(struct asl_jn_b *b, const char *tok, size_t len, int pos);
struct asl_jnb_node *asl_jnb_number(struct asl_jn_b *b, const char *tok, size_t len, int pos);
/* A name (plain or `backticked` without the backticks). */
struct asl_jnb_node *asl_jnb_name(struct asl_jn_b *b, const char *s, size_t len, int pos);
struct asl_jnb_node *asl_jnb_variable(struct asl_jn_b *b, const char *s, size_t len, int pos);
/* A regex literal: pattern text and flags. */
struct asl_jnb_node *asl_jnb_regex(struct asl_jn_b *b, const char *pat, size_t len,
				   const char *flags, size_t flen, int pos);
/* An operator token read as an operand (and, or, in) or `?`. */
struct asl_jnb_node *asl_jnb_operator(struct asl_jn_b *b, const char *op, int pos);

/* ---- the raw tree, as the Pratt parser builds it */

struct asl_jnb_node *asl_jnb_new(struct asl_jn_b *b, enum asl_jnb_type type, const char *value,
				 int pos);
struct asl_jnb_node *asl_jnb_value(struct asl_jn_b *b, int vkind, int pos);
struct asl_jnb_node *asl_jnb_binary(struct asl_jn_b *b, const char *op, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *rhs, int pos);
struct asl_jnb_node *asl_jnb_negate(struct asl_jn_b *b, struct asl_jnb_node *e, int pos);
/* Array constructor holding first (NULL: empty); asl_jnb_append adds. */
struct asl_jnb_node *asl_jnb_array(struct asl_jn_b *b, struct asl_jnb_node *first, int pos);
/* Add item to the list of a carrier (array, block, arguments); returns it. */
struct asl_jnb_node *asl_jnb_append(struct asl_jn_b *b, struct asl_jnb_node *list,
				    struct asl_jnb_node *item);
struct asl_jnb_node *asl_jnb_range(struct asl_jn_b *b, struct asl_jnb_node *lo,
				   struct asl_jnb_node *hi, int pos);
/* Object constructor (lhs == NULL) or group-by on lhs, taking the pairs
 * collected in the carrier `pairs` (NULL: a new empty carrier). */
struct asl_jnb_node *asl_jnb_object(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *pairs, int pos);
int asl_jnb_pair(struct asl_jn_b *b, struct asl_jnb_node *obj, struct asl_jnb_node *k,
		 struct asl_jnb_node *v);
/* A new pairs carrier holding k: v. */
struct asl_jnb_node *asl_jnb_pairs(struct asl_jn_b *b, struct asl_jnb_node *k,
				   struct asl_jnb_node *v, int pos);
/* A block holding first (NULL: empty). */
struct asl_jnb_node *asl_jnb_block(struct asl_jn_b *b, struct asl_jnb_node *first, int pos);
/* `lhs[rhs]` (predicate / index). */
struct asl_jnb_node *asl_jnb_filter(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				    struct asl_jnb_node *rhs, int pos);
/* `lhs[]`: keep singleton arrays. */
struct asl_jnb_node *asl_jnb_keep_array(struct asl_jn_b *b, struct asl_jnb_node *lhs);
/* `lhs(args)`: a call; partial when an argument is `?`. */
struct asl_jnb_node *asl_jnb_call(struct asl_jn_b *b, struct asl_jnb_node *proc,
				  struct asl_jnb_node *args, int pos);
/* Argument lists (and parameter lists, sort terms) are BLOCK-typed
 * carriers of `list`, holding first unless it is NULL. */
struct asl_jnb_node *asl_jnb_args(struct asl_jn_b *b, struct asl_jnb_node *first, int pos);
/* function(params)<sig>{body}: params is a carrier of VARIABLE nodes. */
struct asl_jnb_node *asl_jnb_lambda(struct asl_jn_b *b, struct asl_jnb_node *params,
				    const char *sig, size_t siglen, int sig_pos, struct asl_jnb_node *body, int pos);
struct asl_jnb_node *asl_jnb_condition(struct asl_jn_b *b, struct asl_jnb_node *c,
				       struct asl_jnb_node *t, struct asl_jnb_node *e, int pos);
/* The reference rejects `x := ...` as soon as it sees `:=` after a
 * non-variable (S0212). Returns 0 or -1. */
int asl_jnb_bind_check(struct asl_jn_b *b, const struct asl_jnb_node *lhs);
struct asl_jnb_node *asl_jnb_bind(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				  struct asl_jnb_node *rhs, int pos);
/* `lhs @ $v` / `lhs # $v`: rhs must be a variable (S0214). */
struct asl_jnb_node *asl_jnb_focus(struct asl_jn_b *b, const char *op, struct asl_jnb_node *lhs,
				   struct asl_jnb_node *rhs, int pos);
/* Sort: terms are SORT carriers (lhs expression, descending flag). */
struct asl_jnb_node *asl_jnb_sort(struct asl_jn_b *b, struct asl_jnb_node *lhs,
				  struct asl_jnb_node *terms, int pos);
struct asl_jnb_node *asl_jnb_sort_term(struct asl_jn_b *b, struct asl_jnb_node *e, int descending);
struct asl_jnb_node *asl_jnb_transform(struct asl_jn_b *b, struct asl_jnb_node *pattern,
				       struct asl_jnb_node *update, struct asl_jnb_node *del, int pos);

/* ---- processing (jsonata_process.c) */

/* processAST on the raw tree; returns the processed tree or NULL. */
struct asl_jnb_node *asl_jnb_process(struct asl_jn_b *b, struct asl_jnb_node *raw);

/* ---- freezing (jsonata_freeze.c) */

/* Copy the processed tree into a new expression (free with asl_jn_free). */
const struct aslrt_jn_expr *asl_jnb_freeze(struct asl_jn_b *b, struct asl_jnb_node *root);

/* ---- regex (jsonata_regex.c) */

/* Compile a JavaScript regex into a new program: one malloc'd block
 * holding the struct, its instructions, ranges and source (free() releases
 * it). NULL with *msg a static message on a syntax error (or NULL *msg when
 * out of memory). */
struct aslrt_jn_regex *asl_jn_regex_compile(const char *pat, size_t len, unsigned flags,
					    const char **msg);

#endif
