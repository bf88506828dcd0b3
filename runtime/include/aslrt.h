/*
 * aslrt.h - the one public header of libaslrt, the runtime that the C emitted by
 * aslc links against.
 *
 * Three audiences:
 *   1. generated code: the static description types (paths, templates, retry and
 *      catch tables, states, machines) and the per-state entry points it calls
 *      from its switch;
 *   2. embedders: aslrt_run() runs one execution of a compiled machine;
 *   3. task handlers: aslrt_task_fn and ASLRT_TASK() bind C functions to
 *      Task resources.
 *
 * Ownership rule for cJSON values, stated once: a cJSON pointer parameter is
 * BORROWED unless its name ends in `_take`, in which case the callee owns it from
 * then on (and frees it even when it fails). A `cJSON **out` result is new memory
 * the caller frees with cJSON_Delete(). Strings in struct aslrt_error are owned by
 * the struct (aslrt_error_clear frees them).
 */
#ifndef ASLRT_H
#define ASLRT_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ASLRT_API __attribute__((visibility("default")))
#else
#define ASLRT_API
#endif

#define ASLRT_VERSION "0.1.0"

/* ------------------------------------------------------------------ errors */

/* An ASL error as data: States.TaskFailed, States.Timeout, a user's error name.
 * Both strings are malloc'd and owned by the struct; NULL means unset. */
struct aslrt_error {
	char *error;
	char *cause;
};

/* Replace e's contents. cause is a printf format (may be NULL for no cause). */
ASLRT_API void aslrt_error_set(struct aslrt_error *e, const char *error,
			       const char *cause_fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
ASLRT_API void aslrt_error_clear(struct aslrt_error *e);

/* Error names the runtime raises (AWS's spelling). */
#define ASLRT_ERR_ALL "States.ALL"
#define ASLRT_ERR_RUNTIME "States.Runtime"
#define ASLRT_ERR_TIMEOUT "States.Timeout"
#define ASLRT_ERR_TASK_FAILED "States.TaskFailed"
#define ASLRT_ERR_PERMISSIONS "States.Permissions"
#define ASLRT_ERR_RESULT_PATH "States.ResultPathMatchFailure"
#define ASLRT_ERR_PARAMETER_PATH "States.ParameterPathFailure"
#define ASLRT_ERR_NO_CHOICE "States.NoChoiceMatched"
#define ASLRT_ERR_INTRINSIC "States.IntrinsicFailure"
#define ASLRT_ERR_HEARTBEAT "States.HeartbeatTimeout"
#define ASLRT_ERR_DATA_LIMIT "States.DataLimitExceeded"
#define ASLRT_ERR_TOLERATED "States.ExceedToleratedFailureThreshold"
#define ASLRT_ERR_ITEM_READER "States.ItemReaderFailed"
#define ASLRT_ERR_RESULT_WRITER "States.ResultWriterFailed"
#define ASLRT_ERR_QUERY_EVAL "States.QueryEvaluationError"

/* ------------------------------------------------------- compiled JSONPath */

/* Where a path starts: `$` (the effective input of the step that evaluates it),
 * `$$` (the context object), `@` (the current node, inside filters only) or a
 * workflow variable `$name` (later issue). */
enum aslrt_root {
	ASLRT_ROOT_INPUT,
	ASLRT_ROOT_CONTEXT,
	ASLRT_ROOT_CURRENT,
	ASLRT_ROOT_VAR
};

enum aslrt_seg_kind {
	ASLRT_SEG_FIELD,    /* .name or ['name']                                   */
	ASLRT_SEG_INDEX,    /* [3] or [-1] (negative counts from the end)          */
	ASLRT_SEG_WILDCARD, /* .* or [*]: every member or element                  */
	ASLRT_SEG_SLICE,    /* [start:end:step]; has_* flags say which were given  */
	ASLRT_SEG_UNION,    /* ['a','b'] (names) or [0,2] (indexes)                */
	ASLRT_SEG_DESCENT,  /* ..name / ..* : name==NULL means every node           */
	ASLRT_SEG_FILTER    /* [?( expr )]                                        */
};

struct aslrt_filter;

struct aslrt_seg {
	enum aslrt_seg_kind kind;
	const char *name;              /* FIELD, DESCENT (NULL = ..*)            */
	long index;                    /* INDEX                                  */
	long start, end, step;         /* SLICE                                  */
	unsigned char has_start, has_end, has_step;
	int n;                         /* UNION: count of names or indexes       */
	const char *const *names;      /* UNION of names (else NULL)             */
	const long *indexes;           /* UNION of indexes (else NULL)           */
	const struct aslrt_filter *filter; /* FILTER                             */
};

/* A compiled path. `definite` is 1 when it can select at most one node (only
 * FIELD and INDEX segments): such a path yields that node itself; an indefinite
 * one yields a JSON array of every match (as AWS's Jayway JSONPath does). */
struct aslrt_path {
	const char *text;              /* the source text, for error messages    */
	enum aslrt_root root;
	const char *var;               /* ASLRT_ROOT_VAR: the variable's name    */
	int nseg;
	const struct aslrt_seg *seg;
	int definite;
};

enum aslrt_filter_op {
	ASLRT_F_EXISTS,  /* [?(@.x)] : lhs selects something                      */
	ASLRT_F_EQ, ASLRT_F_NE, ASLRT_F_LT, ASLRT_F_LE, ASLRT_F_GT, ASLRT_F_GE,
	ASLRT_F_AND, ASLRT_F_OR, ASLRT_F_NOT
};

struct aslrt_tmpl;

/* Filter expression tree. Comparisons: lhs (a path, usually @-rooted) against
 * either rhs_path or the constant rhs. AND/OR use a and b; NOT uses a. */
struct aslrt_filter {
	enum aslrt_filter_op op;
	const struct aslrt_path *lhs;
	const struct aslrt_path *rhs_path;
	const struct aslrt_tmpl *rhs;
	const struct aslrt_filter *a, *b;
};

/* ------------------------------------------------------ payload templates */

/* A JSON value known at compile time, possibly with dynamic parts: the compiled
 * form of Pass `Result`, `Parameters`, `ResultSelector` (keys ending in `.$`
 * become PATH or INTRINSIC nodes whose key has the `.$` removed). */
enum aslrt_tkind {
	ASLRT_T_NULL, ASLRT_T_TRUE, ASLRT_T_FALSE, ASLRT_T_NUMBER, ASLRT_T_STRING,
	ASLRT_T_ARRAY, ASLRT_T_OBJECT,
	ASLRT_T_PATH,      /* value selected by `path`                              */
	ASLRT_T_INTRINSIC, /* value computed by `call` (intrinsics issue)           */
	ASLRT_T_JSONATA    /* value of the JSONata expression `jn` ({% %} string)   */
};

struct aslrt_call;
struct aslrt_jn_expr;

struct aslrt_tmpl {
	enum aslrt_tkind kind;
	const char *key;                /* member name inside an OBJECT, else NULL */
	double num;                     /* NUMBER                                  */
	const char *str;                /* STRING                                  */
	int n;                          /* ARRAY/OBJECT: number of items           */
	const struct aslrt_tmpl *items; /* ARRAY elements / OBJECT members         */
	const struct aslrt_path *path;  /* PATH                                    */
	const struct aslrt_call *call;  /* INTRINSIC                               */
	const struct aslrt_jn_expr *jn; /* JSONATA (runtime/jsonata/ast.h)         */
};

/* ------------------------------------------------------ intrinsic calls */

/* The intrinsic functions of JSONPath states ("Intrinsic functions for
 * JSONPath states in Step Functions"), each `States.<Name>`. */
enum aslrt_fn {
	ASLRT_FN_FORMAT, ASLRT_FN_STRING_TO_JSON, ASLRT_FN_JSON_TO_STRING,
	ASLRT_FN_ARRAY, ASLRT_FN_ARRAY_PARTITION, ASLRT_FN_ARRAY_CONTAINS,
	ASLRT_FN_ARRAY_RANGE, ASLRT_FN_ARRAY_GET_ITEM, ASLRT_FN_ARRAY_LENGTH,
	ASLRT_FN_ARRAY_UNIQUE, ASLRT_FN_BASE64_ENCODE, ASLRT_FN_BASE64_DECODE,
	ASLRT_FN_HASH, ASLRT_FN_JSON_MERGE, ASLRT_FN_MATH_RANDOM, ASLRT_FN_MATH_ADD,
	ASLRT_FN_STRING_SPLIT, ASLRT_FN_UUID
};

enum aslrt_arg_kind {
	ASLRT_ARG_LITERAL,  /* `lit`: a scalar (string, number, true, false, null) */
	ASLRT_ARG_PATH,     /* `path`: rooted at $, $$ or a variable                */
	ASLRT_ARG_CALL      /* `call`: a nested intrinsic                          */
};

/* One argument of a call. The first argument of States.Format, when it is a
 * literal, is pre-split by aslc at its `{}` placeholders: `lit` is then an
 * ASLRT_T_ARRAY of n+1 ASLRT_T_STRING pieces for n placeholders (escapes
 * already decoded), so nothing is parsed at run time. */
struct aslrt_arg {
	enum aslrt_arg_kind kind;
	const struct aslrt_tmpl *lit;
	const struct aslrt_path *path;
	const struct aslrt_call *call;
};

/* A compiled intrinsic invocation: the value of a template node of kind
 * ASLRT_T_INTRINSIC. `text` is its source text, for error messages. */
struct aslrt_call {
	enum aslrt_fn fn;
	int nargs;
	const struct aslrt_arg *args;
	const char *text;
};

/* ---------------------------------------------------------- retry, catch */

enum aslrt_jitter { ASLRT_JITTER_NONE, ASLRT_JITTER_FULL };

/* One Retry row, in ASL order. Defaults are filled in by aslc, so every field
 * is the effective value: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0,
 * MaxDelaySeconds 0 = no cap. */
struct aslrt_retrier {
	int nerrors;
	const char *const *errors;     /* ErrorEquals                            */
	double interval_s;
	int max_attempts;
	double backoff_rate;
	double max_delay_s;
	enum aslrt_jitter jitter;
};

/* One Catch row, in ASL order. result_path NULL with discard_result 0 means
 * `$` (the default: the error output replaces the input). */
struct aslrt_catcher {
	int nerrors;
	const char *const *errors;
	const struct aslrt_path *result_path;
	unsigned char discard_result;  /* "ResultPath": null                     */
	int next;                      /* index of the Next state                */
	const struct aslrt_tmpl *assign; /* Assign, with $ = the error output    */
	/* JSONata states: Output, with $states.errorOutput = the error output;
	 * NULL: the error output itself is the output. */
	const struct aslrt_tmpl *output;
};

/* ------------------------------------------------------------ choice rules */

enum aslrt_cop {
	ASLRT_C_STRING_EQ, ASLRT_C_STRING_LT, ASLRT_C_STRING_GT,
	ASLRT_C_STRING_LE, ASLRT_C_STRING_GE, ASLRT_C_STRING_MATCHES,
	ASLRT_C_NUMERIC_EQ, ASLRT_C_NUMERIC_LT, ASLRT_C_NUMERIC_GT,
	ASLRT_C_NUMERIC_LE, ASLRT_C_NUMERIC_GE,
	ASLRT_C_BOOLEAN_EQ,
	ASLRT_C_TIMESTAMP_EQ, ASLRT_C_TIMESTAMP_LT, ASLRT_C_TIMESTAMP_GT,
	ASLRT_C_TIMESTAMP_LE, ASLRT_C_TIMESTAMP_GE,
	ASLRT_C_IS_NULL, ASLRT_C_IS_PRESENT, ASLRT_C_IS_NUMERIC,
	ASLRT_C_IS_STRING, ASLRT_C_IS_BOOLEAN, ASLRT_C_IS_TIMESTAMP
};

/* An RFC 3339 instant: seconds since the epoch (UTC) plus nanoseconds. */
struct aslrt_time {
	int64_t sec;
	int32_t nsec;
};

/* One data-test expression (a leaf of a Choice rule). The operand is either a
 * constant (str / num / boolean / ts, by op family; boolean also holds the
 * expected truth of Is* tests) or, for the `...Path` variants, rhs_path. */
struct aslrt_cond {
	enum aslrt_cop op;
	const struct aslrt_path *var;  /* Variable                               */
	const struct aslrt_path *rhs_path; /* non-NULL for ...Path operators     */
	const char *str;               /* String*, StringMatches pattern         */
	double num;                    /* Numeric*                               */
	int boolean;                   /* BooleanEquals, Is* expected value      */
	struct aslrt_time ts;          /* Timestamp* (parsed by aslc)            */
};

/* ------------------------------------------------------------------ states */

enum aslrt_type {
	ASLRT_PASS, ASLRT_TASK, ASLRT_CHOICE, ASLRT_WAIT, ASLRT_SUCCEED, ASLRT_FAIL,
	ASLRT_PARALLEL, ASLRT_MAP
};

/* The input/output pipeline fields every state type shares (unused ones NULL).
 * A NULL path means the default `$`; the *_null flags record an explicit JSON
 * null: InputPath null -> input {}, ResultPath null -> result discarded,
 * OutputPath null -> output {}. */
struct aslrt_io {
	const struct aslrt_path *input_path;
	const struct aslrt_tmpl *parameters;
	const struct aslrt_tmpl *result_selector;
	const struct aslrt_path *result_path;
	const struct aslrt_path *output_path;
	unsigned char input_null, result_null, output_null;
};

#define ASLRT_END (-1)

/* Everything about one state that is known at compile time. One flat struct for
 * every type; fields a type does not use stay zero. */
struct aslrt_state {
	const char *name;
	enum aslrt_type type;
	const char *pointer;           /* JSON pointer in the definition         */
	struct aslrt_io io;
	int next;                      /* index of Next, or ASLRT_END            */
	/* Pass */
	const struct aslrt_tmpl *result;
	/* Task */
	const char *resource;
	int resource_index;            /* index into machine->resources          */
	double timeout_s;              /* 0 = none (AWS default 99999999)        */
	const struct aslrt_path *timeout_path;
	double heartbeat_s;
	const struct aslrt_path *heartbeat_path;
	int nretry;
	const struct aslrt_retrier *retry;
	int ncatch;
	const struct aslrt_catcher *catchers;
	/* Wait (exactly one of the four) */
	double seconds;                /* valid when has_seconds                 */
	unsigned char has_seconds, has_timestamp;
	struct aslrt_time timestamp;
	const struct aslrt_path *seconds_path;
	const struct aslrt_path *timestamp_path;
	/* Choice */
	int default_next;              /* index of Default, or ASLRT_END = none  */
	/* Fail */
	const char *error, *cause;
	const struct aslrt_tmpl *error_expr, *cause_expr; /* ErrorPath, CausePath:
					  a path or an intrinsic, yielding a string */
	/* Parallel: each branch is a nested machine, named by its StartAt index
	 * into the same states array (all nested machines share it). */
	int nbranches;
	const int *branches;
	/* Map (inline) */
	int processor;                 /* StartAt of ItemProcessor / Iterator    */
	const struct aslrt_path *items_path;   /* NULL: "$"                      */
	const struct aslrt_tmpl *item_selector;/* ItemSelector (or Parameters)   */
	int max_concurrency;           /* 0 = as many as the workers allow       */
	const struct aslrt_path *max_concurrency_path;
	unsigned char has_tolerated_percent, has_tolerated_count;
	double tolerated_percent;
	int tolerated_count;
	const struct aslrt_path *tolerated_percent_path;
	const struct aslrt_path *tolerated_count_path;
	const char *label;
	/* Assign (an object template; keys are variable names) */
	const struct aslrt_tmpl *assign;
	/* Map in Distributed mode (ProcessorConfig Mode DISTRIBUTED) */
	unsigned char distributed;
	unsigned char express_children;    /* ExecutionType EXPRESS            */
	const struct aslrt_reader *reader;     /* ItemReader, or NULL          */
	const struct aslrt_batcher *batcher;   /* ItemBatcher, or NULL         */
	const struct aslrt_writer *writer;     /* ResultWriter, or NULL        */
	/* QueryLanguage JSONata ("Transforming data with JSONata in Step
	 * Functions"): Output, a template whose leaves may be ASLRT_T_JSONATA;
	 * NULL: the state's output is its input (Pass, Succeed). */
	unsigned char jsonata;
	const struct aslrt_tmpl *output;
	const struct aslrt_tmpl *arguments;    /* Task, Parallel: Arguments    */
	/* JSONata fields whose value is an expression, evaluated when the state
	 * runs (type-checked: States.QueryEvaluationError naming the field);
	 * NULL when absent or a constant (then in the fields above). */
	const struct aslrt_tmpl *timeout_expr, *heartbeat_expr;  /* Task   */
	const struct aslrt_tmpl *seconds_expr, *timestamp_expr;  /* Wait   */
	const struct aslrt_tmpl *items;        /* Map Items: array or expression */
	const struct aslrt_tmpl *max_concurrency_expr;
	const struct aslrt_tmpl *tolerated_percent_expr, *tolerated_count_expr;
};

/* ------------------------------------------------- Distributed Map data */

/* AWS: "ItemReader (Map)", "ItemBatcher (Map)", "ResultWriter (Map)". The
 * S3 objects they name are local files: Bucket + Key is the file
 * $ASLRT_S3_ROOT/Bucket/Key (default root ./s3); without a Bucket, Key is a
 * plain file path. */
enum aslrt_input_type { ASLRT_INPUT_JSON, ASLRT_INPUT_JSONL, ASLRT_INPUT_CSV };

struct aslrt_reader {
	const struct aslrt_tmpl *parameters;   /* Bucket, Key (`.$` allowed)   */
	enum aslrt_input_type input_type;
	char csv_delimiter;                    /* CSVDelimiter: , | ; space tab*/
	unsigned char csv_headers_given;       /* CSVHeaderLocation GIVEN      */
	int ncsv_headers;
	const char *const *csv_headers;        /* CSVHeaders                   */
	const char *items_pointer;             /* JSON: RFC 6901; NULL = root  */
	long max_items;                        /* MaxItems; 0 = every item     */
	const struct aslrt_path *max_items_path;
	const struct aslrt_tmpl *max_items_expr; /* JSONata MaxItems "{% %}"   */
};

struct aslrt_batcher {
	long max_items;                        /* MaxItemsPerBatch; 0 = none   */
	const struct aslrt_path *max_items_path;
	long max_bytes;                        /* MaxInputBytesPerBatch; 0 = 256 KiB */
	const struct aslrt_path *max_bytes_path;
	const struct aslrt_tmpl *batch_input;  /* BatchInput, or NULL          */
	/* JSONata: MaxItemsPerBatch / MaxInputBytesPerBatch as "{% %}" */
	const struct aslrt_tmpl *max_items_expr, *max_bytes_expr;
};

enum aslrt_transform { ASLRT_TRANSFORM_NONE, ASLRT_TRANSFORM_COMPACT,
		       ASLRT_TRANSFORM_FLATTEN };

struct aslrt_writer {
	const struct aslrt_tmpl *parameters;   /* Bucket, Prefix; NULL: only
						  WriterConfig (no export)     */
	enum aslrt_transform transform;        /* defaults resolved by aslc    */
	unsigned char jsonl;                   /* OutputType JSONL             */
};

struct aslrt_exec;

/* Executes the current state (aslrt_current()) of x by calling one of the entry
 * points below. Emitted by aslc as a switch over the state index. */
typedef void (*aslrt_step_fn)(struct aslrt_exec *x);

struct aslrt_machine {
	const char *name;              /* --name, or the file's name             */
	const char *comment;
	int nstates;
	const struct aslrt_state *states;
	int start;
	aslrt_step_fn step;
	int nresources;                /* distinct Task resources, sorted        */
	const char *const *resources;
	int express;                   /* --type express                         */
	/* 1 when aslc found no path of the machine that reads the context object
	 * ($$): executions then keep no copy of their input for
	 * $$.Execution.Input and read no clock as they enter each state. 0, as
	 * in code emitted before this field existed, is always correct. */
	int context_free;
	/* The top-level TimeoutSeconds (Standard mode: the execution fails
	 * with TIMED_OUT after this long); 0 = none. */
	double timeout_s;
	/* The machine drawn by aslc (`--emit svg`'s document, Graphviz's dot
	 * layout), for `PROG report`: each state is an SVG <g> with
	 * id="aslc-s<I>" (I: index into states) and class "aslc-state
	 * aslc-<type>"; each transition a <g> with id="aslc-e<F>-<T>-<K>" (F, T:
	 * state indexes, T = -1 for the end; K: 0,1,... for several edges F->T)
	 * and class "aslc-edge aslc-<next|choice|default|catch|retry>". NULL in
	 * programs emitted without it. */
	const char *graph_svg;
};

/* --------------------------------------- entry points called by the step */

/* Index of the state x is executing. */
ASLRT_API int aslrt_current(const struct aslrt_exec *x);

/* Run the whole state s (the state x is in) of the given type: pipeline, task
 * invocation with retry and catch, wait, terminal states. Each sets the next
 * state (or ends or fails the execution) before returning. */
ASLRT_API void aslrt_pass(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_task(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_wait(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_succeed(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_fail(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_parallel(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API void aslrt_map(struct aslrt_exec *x, const struct aslrt_state *s);

/* Choice, compiled to C by aslc:
 *     if (aslrt_choice_begin(x, s)) return;          // InputPath failed
 *     if (aslrt_cond(x, &c0) && !aslrt_cond(x, &c1)) { aslrt_choice_end(x, s, 4, &a0); return; }
 *     aslrt_choice_end(x, s, s->default_next, s->assign);
 * aslrt_cond returns 1/0; a run-time error (path not found, ...) is recorded in
 * x and makes aslrt_choice_end fail the state instead of transitioning.
 * choice_end with ASLRT_END raises States.NoChoiceMatched; assign is the
 * matching rule's Assign (the state's own for Default), or NULL. */
ASLRT_API int aslrt_choice_begin(struct aslrt_exec *x, const struct aslrt_state *s);
ASLRT_API int aslrt_cond(struct aslrt_exec *x, const struct aslrt_cond *c);
/* A JSONata Choice rule's Condition (a template of kind ASLRT_T_JSONATA, or
 * TRUE/FALSE) against the Choice's input: 1 when it is true. An evaluation
 * error or a non-boolean value (States.QueryEvaluationError) is kept for
 * aslrt_choice_end, which fails the execution with it; later rules then
 * return 0. */
ASLRT_API int aslrt_jn_cond(struct aslrt_exec *x, const struct aslrt_tmpl *cond);
/* The end of a JSONata Choice: like aslrt_choice_end, but the state's own
 * Assign always applies, together with the matching rule's assign (NULL for
 * Default; its values win), and the output is the rule's output, else the
 * state's Output, else the input (AWS, "Choice workflow state": a rule's
 * Assign applies when it matches, the state-level one whichever matches). */
ASLRT_API void aslrt_jn_choice_end(struct aslrt_exec *x, const struct aslrt_state *s,
				   int next, const struct aslrt_tmpl *assign,
				   const struct aslrt_tmpl *output);
ASLRT_API void aslrt_choice_end(struct aslrt_exec *x, const struct aslrt_state *s,
				int next, const struct aslrt_tmpl *assign);

/* ------------------------------------------------------------ task handlers */

/* What a handler knows about the invocation it serves. */
struct aslrt_task_ctx {
	const char *resource;          /* the Task's Resource ARN                */
	const char *state;             /* the Task state's name                  */
	const char *execution;         /* the execution's name                   */
	int attempt;                   /* 0 first, then 1, 2... on retries       */
	void *user;                    /* the pointer given at registration      */
	/* Standard mode: "<execution>/<entry>/<state>/<attempt>", the same
	 * when an invocation is repeated because the process died before its
	 * result was recorded, different for every other invocation of the
	 * execution, so a handler can make a repeat harmless; inside a Parallel
	 * branch or Map iteration <entry> carries the child's path, e.g.
	 * "5[2]3" (docs/durable.md). Valid during the call. NULL in Express
	 * mode. */
	const char *idempotency_key;
};

/* A C task handler. On success it returns 0 and stores its result (new memory,
 * may not be NULL) in *result. On failure it returns non-zero and fills err
 * (err->error NULL becomes States.TaskFailed); *result is then ignored. */
typedef int (*aslrt_task_fn)(const struct aslrt_task_ctx *ctx, const cJSON *input,
			     cJSON **result, struct aslrt_error *err);

/* Bind resources matching `pattern` (exact ARN, or a glob with `*` and `?`) to fn.
 * Later registrations win over earlier ones. Returns 0, or -1 out of memory. */
ASLRT_API int aslrt_task_register(const char *pattern, aslrt_task_fn fn, void *user);

/* In a handler source file: ASLRT_TASK("arn:...:function:pay", pay) registers
 * pay() before main() runs (a constructor), so `aslc def.asl.json -o prog
 * handlers.c` needs no glue code. */
#define ASLRT_TASK(pattern, fn)                                               \
	__attribute__((constructor)) static void aslrt_reg_##fn(void)         \
	{                                                                      \
		(void)aslrt_task_register((pattern), (fn), NULL);             \
	}

/* ------------------------------------------------------------ running */

/* TIMED_OUT and ABORTED happen only in Standard mode: the machine's
 * top-level TimeoutSeconds passed, or the execution was stopped. */
enum aslrt_status { ASLRT_RUNNING, ASLRT_SUCCEEDED, ASLRT_FAILED, ASLRT_TIMED_OUT,
		    ASLRT_ABORTED };

struct aslrt_mock;                /* parsed MockConfigFile test case (opaque) */
struct aslrt_bindings;            /* parsed bindings file (opaque)            */

struct aslrt_options {
	double time_scale;             /* 1 = real time, 0 = never sleep         */
	const char *execution_name;    /* NULL: a random UUID                    */
	const struct aslrt_mock *mock;          /* may be NULL                   */
	const struct aslrt_bindings *bindings;  /* may be NULL                   */
	int workers;                   /* threads for Parallel/Map; 0 = cores    */
};

struct aslrt_result {
	enum aslrt_status status;
	cJSON *output;                 /* SUCCEEDED: the output (owned)          */
	struct aslrt_error error;      /* FAILED                                 */
	long transitions;              /* states entered                         */
};

/* Run one execution of m on input_take to its end. Returns 0 and fills res (free
 * with aslrt_result_clear), or -1 when the runtime itself failed (out of memory)
 * with a message in res->error.cause. */
ASLRT_API int aslrt_run(const struct aslrt_machine *m, const struct aslrt_options *opt,
			cJSON *input_take, struct aslrt_result *res);
ASLRT_API void aslrt_result_clear(struct aslrt_result *res);

/* Check before a run that every Task resource of m is served by a mock, a
 * bindings entry or a registered handler. Returns 0, or -1 with the first
 * unbound resource's state and ARN described in err (States.Runtime). */
ASLRT_API int aslrt_check_bindings(const struct aslrt_machine *m,
				   const struct aslrt_options *opt,
				   struct aslrt_error *err);

/* ------------------------------------------- Standard mode (durable runs) */

/* An engine runs many executions of one machine durably: every transition
 * and task result is written to a checkpoint store in a directory before it
 * is acknowledged, and opening the engine again after a crash resumes every
 * unfinished execution (docs/durable.md). Executions are data, run by a few
 * worker threads; records of many executions share one fsync (group
 * commit). */
struct aslrt_engine;

struct aslrt_engine_options {
	const char *store;             /* the store's directory (created 0700)   */
	const char *sync;              /* "batch" (NULL: default), "always", "none" */
	int workers;                   /* step threads; 0 = the cores            */
	double time_scale;             /* as aslrt_options (0 never waits)       */
	const struct aslrt_mock *mock;          /* may be NULL                   */
	const struct aslrt_bindings *bindings;  /* may be NULL                   */
	long history_limit;            /* events per execution; 0 = 25,000       */
	unsigned long long compact_bytes; /* compact the log past this; 0 = 256 MiB */
	int serve_inbox;               /* answer `start`, `send-task-*`... from
					  other processes (the `worker` command) */
	/* Called once for each execution that finishes while the engine runs,
	 * on one of its threads (never two at a time); res is borrowed for the
	 * call. It may call aslrt_engine_start. */
	void (*on_finish)(void *ctx, const char *name, const struct aslrt_result *res);
	void *ctx;
};

struct aslrt_engine_stats {
	long steps;                    /* steps run since open                   */
	long finished;                 /* executions finished since open         */
	unsigned long long records, bytes, writes, syncs, compactions, live_bytes;
};

/* Open the store and recover its unfinished executions (they run when
 * aslrt_engine_run is called). Returns 0 with *out, or -1 with err set
 * (States.Runtime and a cause naming the problem, e.g. the store is in use
 * by another process). */
ASLRT_API int aslrt_engine_open(const struct aslrt_machine *m,
				const struct aslrt_engine_options *o,
				struct aslrt_engine **out, struct aslrt_error *err);
/* Start execution `name` (NULL: a UUID) on input_take. Starting a name that
 * is running with the same input again succeeds and does nothing, as AWS's
 * StartExecution does; another input, or a finished execution of that name,
 * is ExecutionAlreadyExists. Returns 0, or -1 with err (its error is the
 * AWS error name). Thread-safe. */
ASLRT_API int aslrt_engine_start(struct aslrt_engine *e, const char *name, cJSON *input_take,
				 struct aslrt_error *err);
/* Run executions until aslrt_engine_stop is called or, with until_idle, no
 * execution is left unfinished. Returns 0, or -1 with err when the store
 * failed (the engine must then be closed; reopening recovers). */
ASLRT_API int aslrt_engine_run(struct aslrt_engine *e, int until_idle, struct aslrt_error *err);
/* Make aslrt_engine_run return soon; safe in a signal handler. */
ASLRT_API void aslrt_engine_stop(struct aslrt_engine *e);
ASLRT_API void aslrt_engine_stats(struct aslrt_engine *e, struct aslrt_engine_stats *out);
ASLRT_API void aslrt_engine_close(struct aslrt_engine *e);

/* The program's command line (`PROG run --input JSON|@FILE ...`), see
 * docs/cli.md. Returns the process exit status: 0 SUCCEEDED, 1 FAILED, 2 usage. */
ASLRT_API int aslrt_main(const struct aslrt_machine *m, int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* ASLRT_H */
