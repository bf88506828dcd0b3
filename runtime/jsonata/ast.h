/*
 * ast.h - a parsed JSONata expression as the evaluator reads it.
 *
 * aslc parses an expression at compile time (grammar/jsonata.l, .y and
 * compiler/jsonata_*.c), post-processes it the way the reference
 * implementation (jsonata-js 2.0.6, parser.js "processAST") does, and writes
 * the result out as static const C data (compiler/emit_jsonata.c). The
 * runtime evaluates that data (runtime/jsonata/eval*.c) without parsing
 * anything. Every pointer here points to const data: a tree built by the
 * compiler in malloc'd memory and a tree emitted as static data look the
 * same to the evaluator.
 *
 * The node kinds are the post-processed node types of the reference
 * implementation: location paths are flattened into PATH nodes whose steps
 * carry their predicates ("stages"), focus (`@$v`) and index (`#$i`)
 * bindings, parent-operator slots and group-by objects.
 */
#ifndef ASLRT_JSONATA_AST_H
#define ASLRT_JSONATA_AST_H

#include <stddef.h>

enum aslrt_jn_kind {
	ASLRT_JN_PATH,        /* kids: the steps                                 */
	ASLRT_JN_BINARY,      /* op, lhs, rhs                                    */
	ASLRT_JN_NEGATE,      /* unary minus: lhs                                */
	ASLRT_JN_ARRAY,       /* array constructor: kids                         */
	ASLRT_JN_OBJECT,      /* object constructor: kids = key, value, ...      */
	ASLRT_JN_NAME,        /* field name: str                                 */
	ASLRT_JN_STRING,      /* str, len                                        */
	ASLRT_JN_NUMBER,      /* num                                             */
	ASLRT_JN_VALUE,       /* op = ASLRT_JN_OP_TRUE, _FALSE or _NULL          */
	ASLRT_JN_WILDCARD,    /* `*`                                             */
	ASLRT_JN_DESCENDANT,  /* `**`                                            */
	ASLRT_JN_PARENT,      /* `%`: str = the ancestor slot's label            */
	ASLRT_JN_CONDITION,   /* lhs ? rhs : third (third may be NULL)           */
	ASLRT_JN_ELVIS,       /* lhs ?: rhs                                      */
	ASLRT_JN_COALESCE,    /* lhs ?? rhs                                      */
	ASLRT_JN_BLOCK,       /* ( kids; ... )                                   */
	ASLRT_JN_BIND,        /* $str := lhs                                     */
	ASLRT_JN_REGEX,       /* re                                              */
	ASLRT_JN_FUNCTION,    /* lhs(kids...)                                    */
	ASLRT_JN_PARTIAL,     /* lhs(kids...) with some kids PLACEHOLDER         */
	ASLRT_JN_PLACEHOLDER, /* `?` argument of a partial application           */
	ASLRT_JN_VARIABLE,    /* $str ("" is `$`, "$" is `$$`)                   */
	ASLRT_JN_LAMBDA,      /* function(kids: VARIABLE params)<sig>{lhs}       */
	ASLRT_JN_APPLY,       /* lhs ~> rhs                                      */
	ASLRT_JN_SORT,        /* a path step: kids = SORT_TERMs                  */
	ASLRT_JN_SORT_TERM,   /* lhs; flag DESCENDING                            */
	ASLRT_JN_TRANSFORM    /* | lhs | rhs , third |                           */
};

enum aslrt_jn_op {
	ASLRT_JN_OP_NONE,
	ASLRT_JN_OP_ADD, ASLRT_JN_OP_SUB, ASLRT_JN_OP_MUL, ASLRT_JN_OP_DIV,
	ASLRT_JN_OP_MOD,
	ASLRT_JN_OP_EQ, ASLRT_JN_OP_NE, ASLRT_JN_OP_LT, ASLRT_JN_OP_LE,
	ASLRT_JN_OP_GT, ASLRT_JN_OP_GE,
	ASLRT_JN_OP_CONCAT, ASLRT_JN_OP_AND, ASLRT_JN_OP_OR, ASLRT_JN_OP_IN,
	ASLRT_JN_OP_RANGE,
	ASLRT_JN_OP_TRUE, ASLRT_JN_OP_FALSE, ASLRT_JN_OP_NULL
};

/* Node flags (the reference implementation's boolean annotations). */
#define ASLRT_JN_KEEP_ARRAY     0x01u /* keepArray: `[]` applied             */
#define ASLRT_JN_KEEP_SINGLETON 0x02u /* PATH keepSingletonArray             */
#define ASLRT_JN_CONSARRAY      0x04u /* array constructor first/last step   */
#define ASLRT_JN_TUPLE          0x08u /* step or path joins a tuple stream   */
#define ASLRT_JN_THUNK          0x10u /* LAMBDA wrapping a tail call         */
#define ASLRT_JN_DESCENDING     0x20u /* SORT_TERM `>`                        */
#define ASLRT_JN_GROUP          0x40u /* has a group-by (possibly empty)     */

struct aslrt_jn_node;

/* One stage of a path step: a filter `[expr]` or an index binding `#$var`
 * that follows a filter. */
struct aslrt_jn_stage {
	const struct aslrt_jn_node *filter; /* NULL for an index binding      */
	const char *index;                  /* the variable's name, or NULL   */
	int pos;
};

/* A function signature such as <s-nn?:s>: one parameter per type symbol.
 * type: s n b l o a f j x, or '(' for a choice listed in `choice`. */
struct aslrt_jn_sigparam {
	char type;
	char quant;                 /* 0, '?' (optional) or '+' (one or more)  */
	unsigned char context;      /* '-': the context stands in when missing */
	const char *choice;         /* '(': the symbols, e.g. "sao"            */
	const char *subtype;        /* a<...> / f<...>: the text inside, or NULL */
};

struct aslrt_jn_sig {
	int n;
	const struct aslrt_jn_sigparam *params;
};

/* A JavaScript regular expression compiled into a backtracking program
 * (compiler/jsonata_regex.c) run by runtime/jsonata/regex.c. */
enum aslrt_jn_reop {
	ASLRT_JN_RE_CHAR,       /* x: a code point                              */
	ASLRT_JN_RE_ANY,        /* `.`: anything but a line terminator          */
	ASLRT_JN_RE_CLASS,      /* ranges [x, x+y) of the range table           */
	ASLRT_JN_RE_NCLASS,     /* the complement of that                       */
	ASLRT_JN_RE_BOL,        /* ^                                            */
	ASLRT_JN_RE_EOL,        /* $                                            */
	ASLRT_JN_RE_WORDB,      /* \b                                           */
	ASLRT_JN_RE_NWORDB,     /* \B                                           */
	ASLRT_JN_RE_SAVE,       /* capture slot x := position                   */
	ASLRT_JN_RE_SPLIT,      /* try x first, then y                          */
	ASLRT_JN_RE_JMP,        /* go to x                                      */
	ASLRT_JN_RE_MATCH,      /* success                                      */
	ASLRT_JN_RE_BACKREF,    /* the text of group x again                    */
	ASLRT_JN_RE_LOOK,       /* lookahead: sub-program at pc+1, continue at x;
				   y = 1 for a negative lookahead               */
	ASLRT_JN_RE_MARK,       /* loop counter slot x := position              */
	ASLRT_JN_RE_PROGRESS    /* fail unless position moved past slot x       */
};

struct aslrt_jn_reinst {
	unsigned char op;
	int x, y;
};

#define ASLRT_JN_RE_ICASE     0x1u /* flag i */
#define ASLRT_JN_RE_MULTILINE 0x2u /* flag m */

struct aslrt_jn_regex {
	const char *source;            /* the pattern as written               */
	unsigned flags;
	int ninst;
	const struct aslrt_jn_reinst *inst;
	const unsigned *ranges;        /* pairs lo, hi (inclusive)             */
	int ngroups;                   /* capture groups, not counting group 0 */
	int nmarks;                    /* loop counter slots                   */
};

/* One node. Which fields are used depends on kind (see the enum); the
 * annotations after `flags` can appear on several kinds. */
struct aslrt_jn_node {
	enum aslrt_jn_kind kind;
	enum aslrt_jn_op op;
	unsigned flags;
	int pos;                       /* offset in the source, for errors      */
	double num;
	const char *str;               /* NUL-terminated; len bytes (STRING may
					  hold NULs)                             */
	size_t len;
	const struct aslrt_jn_node *lhs, *rhs, *third;
	int n;
	const struct aslrt_jn_node *const *kids;
	/* predicate: filters applied to the node's value (non-step nodes) */
	int npred;
	const struct aslrt_jn_node *const *pred;
	/* stages: filters and index bindings of a path step */
	int nstages;
	const struct aslrt_jn_stage *stages;
	/* group-by: key, value, key, value... (ngroup pairs) */
	int ngroup;
	const struct aslrt_jn_node *const *group;
	int group_pos;
	const char *focus;             /* step `@$focus`                         */
	const char *index;             /* step `#$index`                         */
	const char *ancestor;          /* step bound as a `%` ancestor: label    */
	const struct aslrt_jn_sig *sig;/* LAMBDA signature, or NULL              */
	const struct aslrt_jn_regex *re;
};

/* A whole compiled expression. */
struct aslrt_jn_expr {
	const char *text;              /* the source, for messages               */
	const struct aslrt_jn_node *root;
};

#endif
