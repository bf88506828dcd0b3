/*
 * jn.h - private interfaces of the JSONata engine (runtime/jsonata/).
 * Nothing here is installed; jsonata.h is the engine's entry point.
 *
 * Values. The evaluator works on its own values (struct jval), modelled on
 * the JavaScript values of the reference implementation: NULL is
 * `undefined`; JN_ERR is the sentinel every function returns after recording
 * an error in the context (errors are values, never longjmp); integers that
 * a double holds exactly (|n| < 2^52, not -0) are tagged pointers, so most
 * numbers cost no memory; everything else lives in the evaluation's arena.
 *
 * Memory. One arena per evaluation (struct jn_ctx): every value, frame and
 * temporary is allocated there and released at once when the evaluation
 * ends. Values are shared freely, as JavaScript shares objects; the few
 * in-place updates the reference implementation makes (sequence flags, a
 * transform's copy) are made here too, on the same objects.
 *
 * Ownership: nothing returned by a jn_ function needs freeing except what
 * says so; all of it dies with the context.
 */
#ifndef JN_H
#define JN_H

#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <time.h>

#include "ast.h"
#include "jsonata.h"

/* ---------------------------------------------------------------- values */

enum jt {
	JT_UNDEF, JT_NULL, JT_BOOL, JT_NUM, JT_STR, JT_ARR, JT_OBJ, JT_FN, JT_ERR
};

struct jval {
	unsigned char t;               /* enum jt                                */
	unsigned char b;               /* JT_BOOL: its value                     */
};

struct jnum {
	struct jval h;
	double d;
};

/* A string: len bytes of UTF-8 at s, NUL-terminated (may hold NULs). */
struct jstr {
	struct jval h;
	size_t len;
	const char *s;
};

/* Array flags: the properties the reference implementation hangs on its
 * arrays. */
#define JA_SEQ    0x01u  /* a sequence (createSequence)                     */
#define JA_CONS   0x02u  /* built by an array constructor                   */
#define JA_KEEP   0x04u  /* keepSingleton                                   */
#define JA_OUTER  0x08u  /* outerWrapper: the input array, wrapped          */
#define JA_TUPLES 0x10u  /* tupleStream: items are tuple objects            */

struct jarr {
	struct jval h;
	unsigned fl;
	size_t n, cap;
	struct jval **it;
};

struct jkv {
	struct jstr *k;
	struct jval *v;
};

/* An object: members in insertion order; a hash index once it is large. */
struct jobj {
	struct jval h;
	size_t n, cap;
	struct jkv *kv;
	size_t *idx;                   /* open addressing, kv index + 1, or 0    */
	size_t idxcap;
};

enum jfk {
	JFK_LAMBDA,      /* a closure: node (LAMBDA), env, input                 */
	JFK_NATIVE,      /* a built-in function                                  */
	JFK_PARTIAL,     /* a built-in with some arguments bound                 */
	JFK_REGEX,       /* a regex literal: matcher (str, fromIndex)            */
	JFK_REGEX_NEXT,  /* the `next` of a regex match object                   */
	JFK_TRANSFORM,   /* | pattern | update, delete |                         */
	JFK_CHAIN        /* f ~> g of two functions: g(f(x))                     */
};

struct jframe;
struct jn_builtin;

struct jfn {
	struct jval h;
	unsigned char kind;            /* enum jfk                               */
	unsigned char thunk;           /* a tail call to trampoline              */
	const struct aslrt_jn_node *node; /* LAMBDA, TRANSFORM                   */
	struct jframe *env;            /* LAMBDA, PARTIAL: the closure's frame   */
	struct jval *input;            /* LAMBDA: the context it was made in     */
	int nparams;                   /* LAMBDA, PARTIAL: unbound parameters    */
	const char *const *params;     /* their names                            */
	const struct aslrt_jn_sig *sig;/* LAMBDA signature or NULL               */
	const struct jn_builtin *bi;   /* NATIVE, PARTIAL                        */
	const struct aslrt_jn_regex *re; /* REGEX, REGEX_NEXT                    */
	const struct jstr *str;        /* REGEX_NEXT: the subject                */
	size_t last;                   /* REGEX_NEXT: lastIndex (bytes)          */
	struct jval *f, *g;            /* CHAIN                                  */
	int pos;                       /* where it was made, for errors          */
};

/* The undefined value, the error sentinel and the constants. */
#define JV_UNDEF ((struct jval *)0)
extern struct jval jn_err_value, jn_null_value, jn_true_value, jn_false_value;
#define JN_ERR (&jn_err_value)
#define JV_NULL (&jn_null_value)
#define JV_TRUE (&jn_true_value)
#define JV_FALSE (&jn_false_value)

static inline int jnv_isint(const struct jval *v)
{
	return ((uintptr_t)v & 1u) != 0;
}

static inline enum jt jnv_type(const struct jval *v)
{
	return !v ? JT_UNDEF : jnv_isint(v) ? JT_NUM : (enum jt)v->t;
}

/* The accessors below are total: a value of another type (undefined, say,
 * which every typed signature parameter admits) reads as NaN, "", [] or {},
 * never as a wild pointer. */
extern struct jstr jn_empty_str;
extern struct jarr jn_empty_arr;
extern struct jobj jn_empty_obj;

static inline double jnv_num(const struct jval *v)
{
	if (jnv_isint(v))
		return (double)((intptr_t)v >> 1);
	return v && v->t == JT_NUM ? ((const struct jnum *)v)->d : NAN;
}

static inline struct jstr *jnv_str(const struct jval *v)
{
	return jnv_type(v) == JT_STR ? (struct jstr *)v : &jn_empty_str;
}

static inline struct jarr *jnv_arr(const struct jval *v)
{
	return jnv_type(v) == JT_ARR ? (struct jarr *)v : &jn_empty_arr;
}

static inline struct jobj *jnv_obj(const struct jval *v)
{
	return jnv_type(v) == JT_OBJ ? (struct jobj *)v : &jn_empty_obj;
}

static inline struct jfn *jnv_fn(const struct jval *v)
{
	return (struct jfn *)v;
}

static inline struct jval *jnv_bool(int b)
{
	return b ? JV_TRUE : JV_FALSE;
}

/* Return e from the enclosing function when it is the error sentinel. */
#define JTRY(e)                                                        \
	do {                                                           \
		if ((e) == JN_ERR)                                     \
			return JN_ERR;                                 \
	} while (0)

/* ------------------------------------------------------------- context */

/* An error as the reference implementation throws it: a code such as
 * "T2001", the position in the expression, the token (operator or function
 * name) and the offending value, from which the message is made. */
struct jn_err {
	int set;
	char code[8];
	int pos;                       /* -1 when unknown                        */
	const char *token;
	struct jval *value, *value2;
	int index;                     /* argument number, or 0                  */
	const char *msg;               /* $error/$assert text, or NULL           */
};

struct jn_chunk;

struct jn_ctx {
	/* arena */
	struct jn_chunk *chunks;
	char *cur, *end;               /* free space of the current chunk       */
	size_t bytes;                  /* allocated so far                       */
	size_t max_bytes;
	int oom;                       /* the allocator itself failed            */
	/* bounds */
	int depth, max_depth;
	const char *stack_base;        /* address of a local at the entry        */
	size_t max_stack;
	struct timespec start;
	double timeout_ms;
	unsigned long ticks;           /* evaluations since the last clock check */
	long steps, max_steps;         /* evaluations so far, and the budget    */
	/* the current error */
	struct jn_err err;
	/* environment */
	double now_ms;                 /* $now() / $millis(): fixed per run      */
	uint64_t rng[2];               /* $random, $shuffle, $uuid               */
	const struct aslrt_jn_options *opt;
	const struct aslrt_jn_expr *expr;
	/* expressions parsed by $eval, freed when the evaluation ends */
	const struct aslrt_jn_expr **evals;
	int nevals, capevals;
};

/* Allocate n bytes (zeroed) in c's arena. NULL after recording an error
 * (memory budget exceeded, or out of memory). */
void *jn_alloc(struct jn_ctx *c, size_t n);
/* Release the whole arena. */
void jn_arena_free(struct jn_ctx *c);

/* Record an error (the first one wins; later calls are ignored until it is
 * cleared) and return JN_ERR. value may be NULL. */
struct jval *jn_error(struct jn_ctx *c, const char *code, int pos, struct jval *value);
/* The same with the token (an operator, a function name) set. */
struct jval *jn_error_tok(struct jn_ctx *c, const char *code, int pos, const char *token,
			  struct jval *value);

/* Count one evaluation step against the bounds: depth, stack, time. Returns
 * 0, or -1 with the error recorded (U1001). */
int jn_enter(struct jn_ctx *c);
/* For the helpers that recurse over a value's nesting (which an expression
 * can make as deep as it likes): 0 while the C stack is within the budget,
 * else -1 with U1001 recorded. */
int jn_stack_check(struct jn_ctx *c);
static inline void jn_leave(struct jn_ctx *c)
{
	c->depth--;
}

/* ------------------------------------------------------------ builders */

struct jval *jnv_number(struct jn_ctx *c, double d);
/* A string value of the len bytes at s (copied). */
struct jval *jnv_string(struct jn_ctx *c, const char *s, size_t len);
struct jval *jnv_cstring(struct jn_ctx *c, const char *s);
/* A string value pointing at s without copying (s must outlive c: AST text). */
struct jval *jnv_string_static(struct jn_ctx *c, const char *s, size_t len);

struct jarr *jnv_arr_new(struct jn_ctx *c, size_t cap);
/* A new sequence (JA_SEQ). */
struct jarr *jnv_seq_new(struct jn_ctx *c);
/* Append v; returns 0 or -1 (error recorded). */
int jnv_arr_push(struct jn_ctx *c, struct jarr *a, struct jval *v);
/* Append every item of b to a. */
int jnv_arr_extend(struct jn_ctx *c, struct jarr *a, const struct jarr *b);

struct jobj *jnv_obj_new(struct jn_ctx *c);
/* Set member k (takes the key as a string value) to v, keeping the first
 * position of an existing member. Returns 0 or -1. */
int jnv_obj_set(struct jn_ctx *c, struct jobj *o, struct jstr *k, struct jval *v);
int jnv_obj_setc(struct jn_ctx *c, struct jobj *o, const char *k, struct jval *v);
/* The member named by the len bytes at k, or NULL (undefined). */
struct jval *jnv_obj_get(const struct jobj *o, const char *k, size_t len);
int jnv_obj_has(const struct jobj *o, const char *k, size_t len);
/* Remove member k if present. */
void jnv_obj_del(struct jobj *o, const char *k, size_t len);

struct jfn *jnv_fn_new(struct jn_ctx *c, enum jfk kind);

/* ------------------------------------------------------ value helpers */

/* isNumeric without the error: a finite number. */
int jnv_is_numeric(const struct jval *v);
/* utils.isNumeric: 1 for a finite number, 0 for anything else (NaN
 * included), -1 with D1001 recorded for an infinite number. */
int jn_is_numeric(struct jn_ctx *c, const struct jval *v);
/* isArrayOfNumbers with the same D1001 rule. */
int jn_is_array_of_numbers(struct jn_ctx *c, const struct jval *v);
/* A function of any kind. */
static inline int jnv_is_fn(const struct jval *v)
{
	return jnv_type(v) == JT_FN;
}
int jnv_is_array_of_strings(const struct jval *v);
int jnv_is_array_of_numbers(const struct jval *v);
/* createSequence(v): a sequence holding v (empty for undefined). */
struct jarr *jnv_seq_of(struct jn_ctx *c, struct jval *v);
/* fn.boolean: the effective boolean value; -1 for undefined. */
int jnv_truthy(const struct jval *v);
/* isDeepEqual. */
int jnv_deep_equal(const struct jval *a, const struct jval *b);
/* fn.append(a, b). */
struct jval *jnv_append(struct jn_ctx *c, struct jval *a, struct jval *b);
/* A deep copy of v (objects and arrays), for transforms. */
struct jval *jnv_clone(struct jn_ctx *c, struct jval *v);
/* Number of code points of s. */
size_t jn_utf8_len(const char *s, size_t len);
/* Byte offset of code point i in s (len if past the end). */
size_t jn_utf8_off(const char *s, size_t len, size_t i);
/* Decode one code point at s (n bytes left); returns its length (>= 1). An
 * invalid byte decodes as itself. */
int jn_utf8_get(const char *s, size_t n, unsigned *cp);
/* Encode cp at d; returns the length. */
int jn_utf8_put(char *d, unsigned cp);

/* ----------------------------------------------------- growable string */

struct jbuf {
	struct jn_ctx *c;
	char *p;
	size_t len, cap;
	int err;
};

void jnbuf_init(struct jbuf *b, struct jn_ctx *c);
void jnbuf_put(struct jbuf *b, const char *s, size_t n);
void jnbuf_puts(struct jbuf *b, const char *s);
void jnbuf_putc(struct jbuf *b, char ch);
void jnbuf_cp(struct jbuf *b, unsigned cp);
/* The result as a string value, or JN_ERR. */
struct jval *jnbuf_value(struct jbuf *b);

/* ------------------------------------------------------------- numbers */

/* JavaScript's Number.prototype.toString(): the fewest digits that read back
 * to d, in JS notation ("1e+21", "1.5e-7", "0.000001"). out holds 32 bytes.
 * Non-finite values print "Infinity", "-Infinity", "NaN". */
char *jn_num_to_str(double d, char *out);
/* Number(d.toPrecision(p)): d rounded to p significant digits. */
double jn_num_round_sig(double d, int p);
/* d.toFixed(dp) for |d| < 1e21 (the JS digits, exact decimal expansion). */
char *jn_num_fixed(double d, int dp, char *out, size_t outsz);
/* JS number parse of a whole string as JSONata's $number accepts it. */
int jn_num_parse(const char *s, size_t len, double *out);

/* --------------------------------------------------------------- JSON */

/* JSON.stringify(v) as $string does it: numbers rounded to 15 significant
 * digits, functions as "", undefined members dropped; indent 2 when pretty.
 * Returns the text as a string value, or JN_ERR. */
struct jval *jn_stringify(struct jn_ctx *c, struct jval *v, int pretty);
/* The cJSON value as a jval (deep conversion), or JN_ERR. */
struct jval *jn_from_cjson(struct jn_ctx *c, const void *cjson);
/* The same, but strings and keys point into cjson's text (no copy): cjson
 * must outlive the evaluation. */
struct jval *jn_from_cjson_borrowed(struct jn_ctx *c, const void *cjson);
/* v as new cJSON memory (cJSON_Delete); functions become "" and undefined
 * members are dropped. NULL when out of memory or v is undefined. */
void *jn_to_cjson(const struct jval *v, int *oom);
/* Parse JSON text into a value ($parse). Returns the value, or JN_ERR with
 * code D3140-like error recorded by the caller when *bad is set. */
struct jval *jn_parse_json(struct jn_ctx *c, const char *s, size_t len, int *bad);

/* ----------------------------------------------------------- functions */

/* A built-in: JS-style implementation taking validated arguments. arity is
 * the reference implementation's function.length (parameters before the
 * first defaulted one), which higher-order functions consult. */
struct jn_call;
typedef struct jval *(*jn_native_fn)(struct jn_call *k);

struct jn_builtin {
	const char *name;
	const char *sigtext;
	int arity;
	int nparams;                   /* declared parameters (partial apply)   */
	jn_native_fn fn;
};

/* The parsed signature of a built-in (parsed once, thread-safely). */
const struct aslrt_jn_sig *jn_builtin_sig(const struct jn_builtin *bi);

/* What a native implementation sees. */
struct jn_call {
	struct jn_ctx *c;
	struct jval **args;
	int nargs;
	struct jval *input;            /* the focus (`this.input`)              */
	struct jframe *env;
	const struct jn_builtin *bi;
};

/* The argument i, or undefined. */
static inline struct jval *jn_arg(const struct jn_call *k, int i)
{
	return i < k->nargs ? k->args[i] : JV_UNDEF;
}

/* The built-in named name (without `$`), or NULL. */
const struct jn_builtin *jn_builtin_find(const char *name);

/* Parse a signature such as "<s-nn?:s>" into sig, its parameters into
 * params (room for max) and the texts of choices and subtypes into pool
 * (poolsz bytes, which the parameters then point into). Returns 0, or -1
 * with *code "S0401"/"S0402" and *off (offset in text) set. */
int jn_sig_parse(const char *text, struct aslrt_jn_sig *sig,
		 struct aslrt_jn_sigparam *params, int max, char *pool, size_t poolsz,
		 const char **code, int *off);
/* Validate args against sig (the reference's signature.validate), writing
 * the validated argument list to out (room for max). Returns the count, or
 * -1 with the error recorded (T0410, T0411, T0412). */
int jn_sig_validate(struct jn_ctx *c, const struct aslrt_jn_sig *sig, struct jval **args,
		    int nargs, struct jval *context, struct jval **out, int max);

/* --------------------------------------------------------------- frames */

struct jbind {
	const char *name;
	struct jval *v;
};

struct jframe {
	struct jframe *parent;
	int n, cap;
	struct jbind *b;
};

struct jframe *jn_frame_new(struct jn_ctx *c, struct jframe *parent);
int jn_frame_bind(struct jn_ctx *c, struct jframe *f, const char *name, struct jval *v);
/* The value bound to name in f or its parents; *found says whether it was
 * bound at all (a binding may hold undefined). */
struct jval *jn_frame_lookup(const struct jframe *f, const char *name, int *found);

/* ------------------------------------------------------------ evaluator */

/* Evaluate e against input in env (jsonata.js evaluate()). */
struct jval *jn_eval(struct jn_ctx *c, const struct aslrt_jn_node *e, struct jval *input,
		     struct jframe *env);
/* Apply a function value to n arguments (jsonata.js apply(): validation,
 * trampolining of tail calls). input is the focus for context arguments;
 * pos the call's position for errors. */
struct jval *jn_apply(struct jn_ctx *c, struct jval *fn, struct jval **args, int n,
		      struct jval *input, struct jframe *env, int pos);
/* getFunctionArity. */
int jn_fn_arity(const struct jval *fn);

/* ---------------------------------------------------------------- regex */

/* Run re on s (len bytes) from byte offset `from`. Returns 1 on a match
 * with caps[0..2*(ngroups+1)) set to byte offsets (-1 for a group that did
 * not take part), 0 for no match, -1 when the step budget ran out. caps must
 * hold 2 * (re->ngroups + 1) entries. */
int jn_regex_exec(const struct aslrt_jn_regex *re, const char *s, size_t len, size_t from,
		  long *caps);

/* --------------------------------------------------------- random bits */

uint64_t jn_rand_next(struct jn_ctx *c);
/* Seed the generator (the same seed gives the same numbers). */
void jn_rand_seed(struct jn_ctx *c, uint64_t seed);
/* A double in [0, 1). */
double jn_rand_double(struct jn_ctx *c);

#endif
