/*
 * rt.h - libaslrt's private interfaces between its files. Nothing here is
 * installed. Ownership follows aslrt.h: cJSON parameters are borrowed unless
 * named *_take; cJSON ** outputs are new memory.
 */
#ifndef ASLRT_RT_H
#define ASLRT_RT_H

#include "aslrt.h"

#include <stdio.h>

/* --------------------------------------------------------------- alloc */

/* Every allocation of the runtime goes through these (one hook, so tests can
 * fail the Nth call). cJSON is pointed at them by rt_alloc_init(). */
void *rt_malloc(size_t n);
void *rt_calloc(size_t n, size_t size);
void *rt_realloc(void *p, size_t n);
void rt_free(void *p);
char *rt_strdup(const char *s);
void rt_alloc_init(void);
/* Allocations counted so far (only while ASLRT_FAIL_ALLOC_AT or
 * ASLRT_ALLOC_COUNT is set: the allocation-failure sweep's total), and
 * allocations that returned NULL (always counted). */
long rt_alloc_count(void);
long rt_alloc_failures(void);

/* ---------------------------------------------------------------- exec */

/* One execution. Created and owned by aslrt_run (exec.c). */
struct aslrt_exec {
	const struct aslrt_machine *m;
	const struct aslrt_options *opt;
	int state;                     /* index of the current state            */
	enum aslrt_status status;
	cJSON *input;                  /* current state's raw input (owned)     */
	cJSON *output;                 /* SUCCEEDED: final output (owned)       */
	struct aslrt_error err;        /* FAILED: the execution's error         */
	struct aslrt_error cond_err;   /* Choice: first error of aslrt_cond     */
	const cJSON *choice_input;     /* Choice: effective input (borrowed)    */
	cJSON *scratch;                /* owned temporary of the current step   */
	int retrying;                  /* re-entering the same state to retry   */
	double wait_s;                 /* seconds to wait before the next step  */
	long transitions;              /* states entered                        */
	/* context object ($$) */
	char *exec_name;
	char *exec_arn;
	char *machine_arn;
	cJSON *exec_input;             /* the execution's original input        */
	struct aslrt_time start_time;
	struct aslrt_time entered_time;
	int retry_count;               /* $$.State.RetryCount                   */
	cJSON *context;                /* built on demand, NULL when stale      */
	/* per-state counters */
	int *retry_attempts;           /* attempts per retrier of current state */
	int max_retriers;
	int *task_calls;               /* invocations so far, per state (shared
					  by children: updated atomically)      */
	/* nested machines */
	struct aslrt_exec *parent;     /* NULL for the execution itself         */
	const int *cancel;    /* children: stop when set               */
	cJSON *vars;                   /* this scope's workflow variables, or
					  NULL before the first Assign          */
	size_t vars_bytes;             /* their serialized size, for the limit  */
	const cJSON *map_item;         /* during a Map's ItemSelector: the item */
	long map_index;                /* $$.Map.Item.Index; map_item->string is
					  $$.Map.Item.Key when the items are an
					  object's members                      */
	const char *map_source;        /* $$.Map.Item.Source; NULL: STATE_DATA  */
	/* Standard mode (docs/durable.md); both zero in Express */
	struct rt_journal *journal;    /* the durable side: task hook, tokens    */
	int redrive_count;             /* $$.Execution.RedriveCount             */
	struct aslrt_time redrive_time; /* $$.Execution.RedriveTime (sec 0: never) */
	long alloc_failures;           /* rt_alloc_failures() at the state's entry */
	/* limits.c: bounds of the input's size as JSON text (0: not known) and
	 * nesting, and of the output rt_finish is about to pass on */
	size_t in_bytes, out_bytes;
	int in_levels, out_levels;
	const cJSON *result;           /* the task result measured last, with   */
	size_t result_bytes;           /* its bounds (rt_payload_task_result)   */
	int result_levels;
	const cJSON *jn_result;        /* $states.result while a JSONata Output
					  is built (states.c rt_finish), else NULL */
	const cJSON *jn_error_output;  /* $states.errorOutput while a JSONata
					  Catch's Output/Assign is built (retry.c) */
};

/* Standard mode (sched.c) drives executions one step at a time. rt_exec_new
 * creates an execution of m named name (NULL: a random UUID) on input_take,
 * with opt borrowed for its lifetime; NULL when out of memory (input_take is
 * freed). Free it with rt_exec_free. rt_exec_step enters x's current state
 * and runs it, exactly one iteration of the Express loop; with resume set it
 * runs the state again without a new entry (a parked task's result came). */
struct aslrt_exec *rt_exec_new(const struct aslrt_machine *m, const struct aslrt_options *opt,
			       const char *name, cJSON *input_take);
void rt_exec_free(struct aslrt_exec *x);
void rt_exec_step(struct aslrt_exec *x, int resume);

/* The durable side of an execution (dtask.c): rt_task_invoke hands every
 * invocation of an execution with a journal to rt_journal_task, which replays
 * a recorded result, records a new one before returning it, or parks the
 * task (returns 1: aslrt_task then returns without a transition). The token
 * of the callback task x is about to run, for $$.Task.Token, comes from
 * rt_journal_token (borrowed; NULL when the state is not a callback task). */
struct rt_journal;
int rt_journal_task(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		    double timeout_s, int attempt, cJSON **result, struct aslrt_error *err);
const char *rt_journal_token(struct aslrt_exec *x);
/* The idempotency key of the invocation rt_journal_task is making for x
 * (borrowed, valid during the call), or NULL. */
const char *rt_journal_key(struct aslrt_exec *x);

/* The context object of x as of now (borrowed; rebuilt lazily). NULL only when
 * out of memory. */
const cJSON *rt_context(struct aslrt_exec *x);

/* Leave the current state with output_take as the next state's input: go to
 * state next, or end the execution successfully when next is ASLRT_END. */
void rt_transition(struct aslrt_exec *x, cJSON *output_take, int next);

/* ---- the state pipeline (states.c), shared by every state type ---- */

/* Effective input of s (InputPath over x->input): borrowed from x->input or
 * x->scratch; NULL after failing the execution. */
const cJSON *rt_effective_input(struct aslrt_exec *x, const struct aslrt_state *s);
/* Parameters of s over in: 0 with *out_take new (NULL when s has none), or -1
 * after failing the execution. */
int rt_parameters(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		  cJSON **out_take);
/* rt_parameters as a view of in (rt_tmpl_view): *out_take is valid only while
 * in is unchanged, for a Task's input. */
int rt_parameters_view(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		       cJSON **out_take);
/* ResultSelector, ResultPath, OutputPath on result_take, then the transition
 * to s->next. Returns 0 (done, or the execution failed), or -1 with err set
 * to a catchable States.ResultPathMatchFailure. */
int rt_finish(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *result_take,
	      struct aslrt_error *err);
/* The rest of Task state s once its effective input in and the task's
 * input task_input (borrowed: in, or its Parameters) are known, with timeout
 * its TimeoutSeconds: TimeoutSecondsPath, the invocation, the payload check
 * of its result, rt_finish, retry and catch (aslrt_task, fast.c).
 * params_take (may be NULL) is freed once the task has read its input. */
void rt_task_run(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		 const cJSON *task_input, cJSON *params_take, double timeout);
/* An error raised by s: retried, caught or failing the execution (takes
 * err's contents). */
void rt_state_error(struct aslrt_exec *x, const struct aslrt_state *s,
		    struct aslrt_error *err);
/* An integer read with path p from in, in [1 or 0, 99999999]: 0, or -1 after
 * failing the execution naming field. */
int rt_seconds_at(struct aslrt_exec *x, const struct aslrt_state *s,
		  const struct aslrt_path *p, const cJSON *in, const char *field,
		  int positive, double *out);

/* End the execution as FAILED with err's contents (moved out of err). */
void rt_fail_exec(struct aslrt_exec *x, struct aslrt_error *err);

/* ---------------------------------------------------------------- pool */

/* Call fn(ctx, i) for i in [0, n) on the process's worker pool (sized to
 * `workers` threads, 0 = the cores), at most limit (<= 0: no limit) at once,
 * and return when all are done. The calling thread takes part. With one
 * worker, or limit 1, the calls run in order on the calling thread. */
void rt_pool_run(int workers, long n, long limit, void (*fn)(void *ctx, long i), void *ctx);

/* Run a nested machine of x (a Parallel branch or a Map iteration) from
 * state `start` on input_take to its end, as a child execution sharing x's
 * identity, context and counters. Fills res like aslrt_run (free with
 * aslrt_result_clear). cancel, when non-NULL and set, stops the child at its
 * next transition. Thread-safe with respect to other children of x. */
void rt_run_child(struct aslrt_exec *x, int start, cJSON *input_take,
		  const int *cancel, struct aslrt_result *res);

/* ------------------------------------------------------- retry, catch */

/* 1 when error matches the ErrorEquals list (States.ALL, States.TaskFailed
 * wildcards as AWS defines them; States.Runtime matches nothing). */
int rt_error_matches(const char *const *errors, int n, const char *error);

/* Decide on a retry of state s after error: 1 and *delay_s set (attempt
 * counted in x) when the first retrier matching the error still has attempts
 * left; 0 otherwise. */
int rt_retry_decide(struct aslrt_exec *x, const struct aslrt_state *s, const char *error,
		    double *delay_s);

/* The catcher of s that matches error, or NULL. */
const struct aslrt_catcher *rt_catch_find(const struct aslrt_state *s, const char *error);

/* ----------------------------------------------------------- variables */

/* The value of workflow variable name as seen from x: its own scope, then
 * the scopes of the Parallel branches / Map iterations enclosing it
 * (borrowed), or NULL when unassigned. */
const cJSON *rt_var_get(const struct aslrt_exec *x, const char *name);

/* Apply an Assign: every value of assign (an object template) is computed
 * first, with $ = dollar and the variables as they are, then all are stored
 * in x's scope at once. Returns 0, or -1 with err set (the template's error,
 * or States.DataLimitExceeded past 256 KiB for one variable or 10 MiB for
 * the execution's). NULL assign does nothing. */
int rt_assign(struct aslrt_exec *x, const struct aslrt_tmpl *assign, const cJSON *dollar,
	      struct aslrt_error *err);
/* rt_assign in two steps, for JSONata states, whose Output must see the
 * variables as they were (AWS, "Passing data between states with
 * variables"): rt_assign_build computes the values of assign (NULL: an empty
 * object) against r into a new object (cJSON_Delete), or returns NULL with
 * err set; rt_assign_store takes such an object and stores its members in
 * x's scope at once: 0, or -1 with err set (the limits of rt_assign). */
struct rt_roots;
cJSON *rt_assign_build(const struct aslrt_tmpl *assign, const struct rt_roots *r,
		       struct aslrt_error *err);
int rt_assign_store(struct aslrt_exec *x, cJSON *values_take, struct aslrt_error *err);

/* ------------------------------------------------------------- JSONata */

/* A JSONata state's value-typed field (jnfield.c): template t (constant or
 * expression) built against the state's input, with the result (when not
 * NULL) as $states.result; the number must be an integer in [lo, hi]
 * (integer set) or a number in [lo, hi]. Returns 0 with *out, or -1 with err
 * set to States.QueryEvaluationError naming field. */
int rt_jn_number(struct aslrt_exec *x, const struct aslrt_state *s,
		 const struct aslrt_tmpl *t, const char *field, double lo, double hi,
		 int integer, double *out, struct aslrt_error *err);
/* The same for an RFC 3339 timestamp string (Wait Timestamp). */
int rt_jn_time(struct aslrt_exec *x, const struct aslrt_state *s, const struct aslrt_tmpl *t,
	       const char *field, struct aslrt_time *out, struct aslrt_error *err);
/* The end of a JSONata state (jnfield.c): Assign (assign, then rule's
 * values over them: a Choice rule's; either may be NULL) and Output all
 * built with the same bindings ($states.input = x->input, $states.result =
 * result_take when not NULL, the variables as on entry), then the values
 * stored and the execution moved on to next with the output: Output, else
 * result_take, else the input. Takes result_take. Returns 0, or -1 with err
 * set (nothing assigned, no transition). */
int rt_jn_finish(struct aslrt_exec *x, const struct aslrt_state *s, cJSON *result_take,
		 const struct aslrt_tmpl *assign, const struct aslrt_tmpl *rule,
		 const struct aslrt_tmpl *output, int next, struct aslrt_error *err);
/* JSONata Parallel Arguments (the branches' input), into *out_take (new
 * memory; NULL when s has none). Returns 0, or -1 after handing the error
 * to Retry/Catch (rt_state_error). */
int rt_jn_arguments(struct aslrt_exec *x, const struct aslrt_state *s, cJSON **out_take);
/* A JSONata inline Map's Items (default: the state input), which must be an
 * array (AWS, "Map workflow state"): borrowed from x->input or *scratch
 * (new memory, NULL when not used), or NULL after handing
 * States.QueryEvaluationError to Retry/Catch. */
const cJSON *rt_jn_map_items(struct aslrt_exec *x, const struct aslrt_state *s,
			     cJSON **scratch);
/* Its MaxConcurrency (*limit, 0 = no limit), ToleratedFailurePercentage and
 * ToleratedFailureCount (*pct, *count; -1 when absent), constants or
 * expressions. Returns 0, or -1 after handing the error to Retry/Catch. */
int rt_jn_map_limits(struct aslrt_exec *x, const struct aslrt_state *s, long *limit,
		     double *pct, double *count);
/* A JSONata Catch (retry.c): catcher c of state s handles error err (taken):
 * Assign and Output with $states.errorOutput = {"Error", "Cause"}, default
 * output the error output ("Transforming data with JSONata in Step
 * Functions"), then the transition to c->next; an evaluation error fails
 * the execution. */
void rt_jn_catch(struct aslrt_exec *x, const struct aslrt_state *s,
		 const struct aslrt_catcher *c, struct aslrt_error *err);

/* ---------------------------------------------------------------- json */

/* v as compact JSON text, every number printed with the fewest digits that
 * read back to the same double (cJSON's printer rounds to 15). New memory
 * (rt_free), NULL when out of memory. Recursion is bounded by the nesting
 * of v. */
char *rt_json_print(const cJSON *v);
/* One number as JSON text into out (32 bytes); non-finite prints null. */
char *rt_json_number(double d, char *out);
/* A deep copy of v, as cJSON_Duplicate(v, 1) makes it (constant keys stay
 * shared) but allocating straight from rt_malloc, a short string's text in
 * its node's block (that node is then marked cJSON_IsReference to its own
 * text, which cJSON_SetValuestring refuses): new memory (cJSON_Delete), or
 * NULL when out of memory. Recursion is bounded by the nesting of v. For
 * `PROG bench`'s copies of the input. */
cJSON *rt_json_copy(const cJSON *v);

/* -------------------------------------------------------------- limits */

/* The limits an execution's data must respect (limits.c): payload bytes as
 * compact JSON (0 = no limit; default 256 KiB, AWS's quota) and nesting
 * depth (default 1000). Read from ASLRT_PAYLOAD_LIMIT / ASLRT_DEPTH_LIMIT
 * once, unless rt_limits_set (the program's options) set them first. */
struct rt_limits {
	size_t payload;
	int depth;
};
const struct rt_limits *rt_limits(void);
/* Set both (depth 0 keeps the current one). Call before any execution
 * starts. Returns 0, or -1 when depth is out of [0, 100000]. */
int rt_limits_set(size_t payload, int depth);

/* Which payload a check is about, for the message. */
enum rt_payload {
	RT_PAYLOAD_EXEC_INPUT, RT_PAYLOAD_STATE_INPUT, RT_PAYLOAD_STATE_OUTPUT,
	RT_PAYLOAD_TASK_RESULT
};
/* 0 when v (borrowed; NULL is fine) is within the limits, with *bytes a
 * bound of its size (exact when near the limit) and *levels its nesting
 * (0 for a scalar); 1 when larger than the payload limit (*bytes its size,
 * or 0 when counting stopped early); 2 when nested deeper than the depth
 * limit; -1 out of memory. Allocates only when v is within a few bytes per
 * number of the limit. */
int rt_payload_measure(const cJSON *v, size_t *bytes, int *levels);
/* rt_payload_measure as an error: 0, or -1 with err set to
 * States.DataLimitExceeded naming what and name (the state, or for a task
 * result its resource), or States.Runtime when out of memory. */
int rt_payload_check(const cJSON *v, enum rt_payload what, const char *name,
		     struct aslrt_error *err);
/* The execution input x->input: rt_payload_check, and x's bounds set. */
int rt_payload_start(struct aslrt_exec *x, struct aslrt_error *err);
/* A Task's result (borrowed) against the limits: rt_payload_check with
 * RT_PAYLOAD_TASK_RESULT and s->resource; its bounds are kept in x for
 * rt_payload_result. */
int rt_payload_task_result(struct aslrt_exec *x, const struct aslrt_state *s,
			   const cJSON *result, struct aslrt_error *err);
/* The input of state s after Parameters, params (borrowed), against the
 * limits: 0, or -1 with err set as rt_payload_check. Walks params only when
 * the template and x's bounds do not show that it fits. */
int rt_payload_params(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *params,
		      struct aslrt_error *err);
/* rt_finish, before ResultPath: the bound of the output of state s (of x)
 * once result (after ResultSelector; borrowed) is in place. */
void rt_payload_result(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *result);
/* rt_transition: out (borrowed), the output of x's current state, within
 * the limits? 0 (x's bounds now those of out), or -1 with err set to
 * States.DataLimitExceeded. Walks out only when no bound shows it fits. */
int rt_payload_output(struct aslrt_exec *x, const cJSON *out, struct aslrt_error *err);

/* --------------------------------------------------------------- paths */

/* The documents a path can start from. */
struct rt_roots {
	const cJSON *input;            /* `$`                                   */
	const cJSON *context;          /* `$$` (may be NULL: rt_context later)  */
	struct aslrt_exec *x;          /* for lazy context, may be NULL         */
	const cJSON *current;          /* `@` inside filters                    */
};

/* Select with p. A definite path returns the node itself (borrowed from the
 * root) or NULL when nothing is there. An indefinite path returns a new array
 * of copies of every match (possibly empty), stored in *scratch too so the
 * caller frees it (cJSON_Delete(*scratch)) when done; *scratch is set to NULL
 * for definite paths. NULL is also returned when out of memory. */
const cJSON *rt_path_select(const struct aslrt_path *p, const struct rt_roots *r,
			    cJSON **scratch);

/* Store value_take at the reference path p inside *doc, creating missing
 * objects on the way (AWS ResultPath semantics). p == NULL or "$" replaces
 * *doc entirely. Returns 0, or -1 when a non-object stands in the way (value
 * freed; *why set to a new message naming the path). */
int rt_path_set(const struct aslrt_path *p, cJSON **doc, cJSON *value_take, char **why);

/* ----------------------------------------------------------- templates */

/* Build the JSON value of t against r. Returns new memory, or NULL with err
 * set (States.Runtime: a path that matches nothing, naming the field). */
cJSON *rt_tmpl_build(const struct aslrt_tmpl *t, const struct rt_roots *r,
		     struct aslrt_error *err);
/* rt_tmpl_build, but the values that paths select are not copied: the result
 * refers to r's documents (cJSON references) and is valid only while they
 * stay unchanged. For a value that is read and dropped, such as a Task's
 * input. Free it with cJSON_Delete (which frees none of the referred nodes). */
cJSON *rt_tmpl_view(const struct aslrt_tmpl *t, const struct rt_roots *r,
		    struct aslrt_error *err);

/* ---------------------------------------------------------- intrinsics */

/* Evaluate the compiled intrinsic call c against r (intrinsics.c). Returns
 * new memory, or NULL with err set: States.IntrinsicFailure when a function
 * rejects its arguments (cause naming the call and the reason),
 * States.Runtime when an argument's path selects nothing or memory runs
 * out. */
cJSON *rt_call_eval(const struct aslrt_call *c, const struct rt_roots *r,
		    struct aslrt_error *err);

/* The digests of States.Hash (digest.c). */
enum rt_digest_alg { RT_MD5, RT_SHA1, RT_SHA256, RT_SHA384, RT_SHA512 };

/* The algorithm AWS calls name ("MD5", "SHA-1", "SHA-256", "SHA-384",
 * "SHA-512"), or -1. */
int rt_digest_lookup(const char *name);

/* The digest of the n bytes at data as lowercase hex, NUL-terminated, in hex
 * (129 bytes hold any). Returns the number of hex digits, 0 when out of
 * memory. */
size_t rt_digest_hex(enum rt_digest_alg alg, const void *data, size_t n, char *hex);

/* -------------------------------------------------------------- choice */

/* The truth of data test c for variable value v and, for ...Path operators,
 * rhs (both borrowed). v is NULL only for ASLRT_C_IS_PRESENT (absent).
 * Mismatched types are false, as AWS documents. */
int rt_cond_test(const struct aslrt_cond *c, const cJSON *v, const cJSON *rhs);

/* AWS StringMatches: `*` matches any run of characters, `\*` a literal star,
 * `\\` a literal backslash. */
int rt_string_matches(const char *s, const char *pattern);

/* ---------------------------------------------------------------- time */

/* Parse an RFC 3339 timestamp as AWS accepts it ("2016-03-14T01:59:00Z",
 * offsets, fractional seconds). Returns 0, or -1 when malformed. */
int rt_time_parse(const char *s, struct aslrt_time *t);

/* Format t in UTC the way AWS prints timestamps: 2019-03-26T20:14:13.192Z, with
 * trailing fractional zeros dropped (and no '.' when the fraction is 0). buf
 * must hold 40 bytes. Returns buf. */
char *rt_time_format(struct aslrt_time t, char *buf);

/* Wall-clock now. */
struct aslrt_time rt_time_now(void);

/* Sleep for seconds * opt->time_scale of real time (nothing when 0). */
void rt_sleep_scaled(const struct aslrt_options *opt, double seconds);

/* --------------------------------------------------------------- tasks */

/* Invoke the Task of state s on input (borrowed), in this order: the mock test
 * case (by state name and invocation count), the bindings file (external
 * program), a registered C handler. attempt counts from 0. Returns 0 with
 * *result new, or -1 with err filled (States.TaskFailed when the handler gave
 * no name; States.Timeout when s's timeout elapsed). */
int rt_task_invoke(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		   double timeout_s, int attempt, cJSON **result, struct aslrt_error *err);

/* rt_task_invoke without Standard mode's journal: the mock, bindings and
 * handler dispatch itself (it counts the invocation in x->task_calls). */
int rt_task_call(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		 double timeout_s, int attempt, cJSON **result, struct aslrt_error *err);

/* The idempotency key of an invocation of state by x at attempt, into buf
 * (RT_KEY_MAX bytes): "<execution>/<entry>/<state>/<attempt>". */
#define RT_KEY_MAX 320
void rt_task_key(const struct aslrt_exec *x, const char *state, int attempt, char *buf);

/* 1 when resource is a callback integration (".waitForTaskToken"), 2 when
 * it is an activity (arn:aws:states:REGION:ACCOUNT:activity:NAME), else 0
 * (journal.c). */
int rt_task_kind(const char *resource);
/* The activity's name in an activity ARN (borrowed from it), or NULL. */
const char *rt_activity_name(const char *resource);

/* The registered C handler for resource, or NULL. */
aslrt_task_fn rt_task_lookup(const char *resource, void **user);

/* MockConfigFile: load test case `test_case` of machine `machine` from path.
 * Returns new memory (free with rt_mock_free), or NULL with *why set. */
struct aslrt_mock *rt_mock_load(const char *path, const char *machine,
				const char *test_case, char **why);
void rt_mock_free(struct aslrt_mock *mk);
/* 1 when the test case mocks state `state`. */
int rt_mock_has(const struct aslrt_mock *mk, const char *state);
/* The mocked response of state for its invocation-th call (0-based): returns 1
 * and sets exactly one of *ret / *thrown (borrowed: the Return value or the
 * Throw object {"Error","Cause"}); 0 when the state is not mocked; -1 when it is
 * mocked but has no response for that invocation. */
int rt_mock_response(const struct aslrt_mock *mk, const char *state, int invocation,
		     const cJSON **ret, const cJSON **thrown);

/* Bindings file: {"<resource or glob>": {"command": ["prog", "arg"...],
 * "timeout": seconds?, "env": {...}?}, ...}. Returns new memory or NULL + *why. */
struct aslrt_bindings *rt_bindings_load(const char *path, char **why);
void rt_bindings_free(struct aslrt_bindings *b);
/* 1 when some entry matches resource. */
int rt_bindings_has(const struct aslrt_bindings *b, const char *resource);
/* Run the external program bound to resource: input JSON on stdin, result JSON
 * on stdout; non-zero exit = failure with {"Error","Cause"} on stdout (other
 * output: States.TaskFailed with the exit status). Killed after timeout_s
 * (> 0): States.Timeout. Never through a shell. Returns 0 / -1 as
 * rt_task_invoke. */
int rt_bindings_run(const struct aslrt_bindings *b, const char *resource,
		    const cJSON *input, double timeout_s, cJSON **result,
		    struct aslrt_error *err);

/* 1 when glob (with `*` and `?`) matches s. */
int rt_glob_match(const char *glob, const char *s);

#endif /* ASLRT_RT_H */
