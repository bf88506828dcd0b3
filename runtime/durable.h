/*
 * durable.h - private interfaces of Standard mode (docs/durable.md) between
 * journal.c (what records say), history.c (events derived from records),
 * catalog.c (folding a store's records back into executions), sched.c (the
 * scheduler), dtask.c (tasks: replay, record, park), inbox.c (requests from
 * other processes), engine.c and cli_durable.c. Ownership follows rt.h:
 * cJSON parameters are borrowed unless named *_take; returned pointers are
 * new memory unless said otherwise.
 */
#ifndef ASLRT_DURABLE_H
#define ASLRT_DURABLE_H

#include "rt.h"
#include "store.h"

#include <pthread.h>

/* ---------------------------------------------------------------- time */

/* Microseconds since the epoch, wall clock: every time in a record. */
int64_t rt_now_us(void);
/* t (microseconds since the epoch) as an instant of the context object. */
struct aslrt_time rt_time_of_us(int64_t t);
/* t (microseconds since the epoch) as the AWS CLI prints a timestamp:
 * "2024-01-15T10:20:30.123000+00:00". buf holds 40 bytes. Returns buf. */
char *rt_time_cli(int64_t t, char *buf);

/* ------------------------------------------------------------- records */

/* Print payload and append it to st as a record of kind/flags for the
 * execution name. Returns 0 with *lsn set, or -1 (the store's error). */
int rt_rec_put(struct rt_store *st, uint8_t kind, uint8_t flags, const char *name,
	       const cJSON *payload, uint64_t *lsn);
/* The payload of r parsed (new memory), or NULL when it is not JSON. */
cJSON *rt_rec_json(const struct rt_rec *r);

/* The execution status names of the API ("RUNNING", ...) and back (-1 when
 * unknown). */
const char *rt_status_name(enum aslrt_status s);
int rt_status_parse(const char *s);

/* A checkpoint of x's resumable fields (docs/durable.md, "Checkpoints"):
 * a new object whose "in", "out" and "vars" members are references to x's
 * documents, so it is valid only while x is unchanged. wake_us is the
 * absolute wait deadline (0 = none). */
cJSON *rt_cp_encode(const struct aslrt_exec *x, int64_t wake_us);
/* Restore a checkpoint into x (a fresh execution of the same machine).
 * Returns 0 with *wake_us set, or -1 with *why (rt_free) when cp does not
 * fit the machine. */
int rt_cp_apply(struct aslrt_exec *x, const cJSON *cp, int64_t *wake_us, char **why);

/* Integer and string members of a payload (0 / NULL when absent; 0 too for
 * a number outside int64_t's range). */
int64_t rt_j_int(const cJSON *o, const char *key);
const char *rt_j_str(const cJSON *o, const char *key);
/* Add a reference to item (borrowed: it must outlive o) / add item_take as
 * member key of o. cJSON's own calls leak the item or reference when they
 * run out of memory; these free it. Return 0, or -1 (nothing added). */
int rt_j_add_ref(cJSON *o, const char *key, const cJSON *item);
int rt_j_add_take(cJSON *o, const char *key, cJSON *item_take);


/* ------------------------------------------------------------- history */

/* Derives GetExecutionHistory events from an execution's records, fed in
 * log order. With events NULL it only counts (the scheduler enforces the
 * history limit this way); otherwise each event is appended to events, an
 * array the caller owns. Task and park records are held back until the
 * step record that follows them (so StateEntered comes first); rt_hist_end
 * emits whatever is still held. */
struct rt_hist {
	const struct aslrt_machine *m;
	cJSON *events;                 /* borrowed; NULL: count only            */
	long count;
	cJSON *last_input;             /* raw input of the next state (owned)   */
	cJSON *held;                   /* task/park/note payloads (owned array) */
	long nheld;                    /* count mode: events held back          */
	int closed;                    /* ended (stopped, timed out): records a
					  step under way wrote after that are not
					  history; a redrive reopens            */
	int wait_state;                /* a Wait state's exit is due, or -1     */
	int64_t wait_until;
	cJSON *wait_output;            /* owned                                  */
	cJSON *seen;                   /* notes of the children of the state
					  running now, by id: a re-run (resume,
					  recovery) notes them again (owned)    */
};

void rt_hist_init(struct rt_hist *h, const struct aslrt_machine *m, cJSON *events);
void rt_hist_feed(struct rt_hist *h, uint8_t kind, const cJSON *payload);
void rt_hist_end(struct rt_hist *h);
void rt_hist_free(struct rt_hist *h);

/* ------------------------------------------------------------- catalog */

/* What describe/list report about one execution. */
struct rt_summary {
	char *name;
	enum aslrt_status status;
	int64_t start_us, stop_us, redrive_us;
	cJSON *input, *output;         /* owned; output only when SUCCEEDED     */
	char *error, *cause;
	int redrive_count;
};

void rt_summary_free(struct rt_summary *s);

/* Every execution of the store st (archived and live), in the order they
 * started, into *out (new array of *n summaries; free each and the array).
 * With name set, only that one (*n is 0 or 1). Returns 0 or -1. */
int rt_catalog_list(struct rt_store *st, const char *name, struct rt_summary **out, size_t *n);
/* The history of execution name as {"events": [...]}: new memory, or NULL
 * when there is no such execution (or out of memory: *oom set). */
cJSON *rt_catalog_history(struct rt_store *st, const struct aslrt_machine *m,
			  const char *name, int reverse, int *oom);
/* The checkpoint to redrive name from: the last one before it stopped
 * (or its start), as a new object {"input": original input, "t": start,
 * "to": deadline, "cp": checkpoint or absent, "n": redrive count so far};
 * NULL when name is unknown. */
cJSON *rt_catalog_redrive_point(struct rt_store *st, const char *name);

/* Recovery: the live log folded into executions. For each execution that
 * is unfinished, visit gets its start payload, its latest checkpoint (or
 * NULL), the park records the checkpoint waits for (an array, or NULL), the
 * task records to replay (an array: those after the checkpoint, and those of
 * the parked steps of the same state before it), the redrive count and the events
 * so far; finished gets the name of each finished one (archived ones too).
 * All borrowed for the call. Returns 0, -1 on a store error, or what a
 * callback returned (non-zero stops). */
struct rt_recovered {
	const char *name;
	const cJSON *start, *cp, *park, *tasks;
	int redrive_count;
	int64_t redrive_us;            /* when it was redriven last, or 0       */
	long events;
};
int rt_catalog_recover(struct rt_store *st, const struct aslrt_machine *m,
		       int (*visit)(void *ctx, const struct rt_recovered *r),
		       int (*finished)(void *ctx, const char *name, enum aslrt_status s), void *ctx);

/* Compaction policy (the store's prepare/route): records of finished
 * executions go to the archive, everything else stays live. */
struct rt_compactor;
struct rt_compactor *rt_compactor_new(void);
int rt_compactor_prepare(void *c, const struct rt_rec *r);
enum rt_route rt_compactor_route(void *c, const struct rt_rec *r);
void rt_compactor_free(struct rt_compactor *c);

/* ----------------------------------------------------------- scheduler */

enum rt_where {
	RT_W_NEW,                      /* not placed yet                         */
	RT_W_RUNQ,                     /* waiting for a worker                   */
	RT_W_STEP,                     /* a worker runs its step                 */
	RT_W_DURABLE,                  /* waiting for its records to be durable  */
	RT_W_TIMER,                    /* waiting for a Wait or retry deadline   */
	RT_W_PARKED,                   /* waiting for a task token's result      */
	RT_W_DONE                      /* finished                               */
};

/* A recorded task result, replayed when the step runs again. */
struct rt_trec {
	char *key;
	cJSON *result;                 /* success, or NULL                       */
	char *error, *cause;
	struct rt_trec *next;
};

/* A task parked on a token. */
struct rt_park {
	char token[48];
	char *key;
	int state;
	char *activity;                /* activity name, or NULL for a callback  */
	cJSON *input;                  /* activity input (owned), or NULL        */
	int64_t timeout_at;            /* absolute, 0 = none                     */
	double heartbeat_s;            /* 0 = none                               */
	int64_t heartbeat_at;
	int result_in;                 /* the result is recorded                 */
	struct rt_park *next;          /* the step's other parked tasks (a
					  Parallel or Map parks on several)     */
};

/* One Standard execution. x->journal points at its `j`. */
struct rt_journal {
	struct rt_sched *sc;
	struct aslrt_exec *x;          /* NULL once finished                     */
	char *name;                    /* owned copy                             */
	enum aslrt_status status;
	enum rt_where where;
	uint64_t lsn;                  /* its latest record                      */
	int64_t wake_us;               /* Wait / retry deadline                  */
	int64_t start_us, deadline_us; /* execution TimeoutSeconds deadline      */
	int resume;                    /* the next step re-runs a parked state   */
	int ended;                     /* stopped or timed out: END recorded     */
	struct rt_hist hist;           /* counts events for the history limit   */
	struct aslrt_error end_err;    /* why it was stopped or timed out       */
	struct rt_trec *recorded;
	struct rt_park *park;
	struct rt_park *resumed;       /* during a resumed step: its old park   */
	char *token;                   /* $$.Task.Token of the running step     */
	const char *key;               /* the invocation's key during the call  */
	/* A Parallel branch or Map iteration has a journal of its own, made by
	 * rt_journal_child: root is the execution's (records, replay table and
	 * parks live there), path its key prefix ("5[2]": entry 5 of the
	 * enclosing state, child 2); x, key and token are the child's. Both NULL
	 * for the execution itself. */
	struct rt_journal *root;
	char *path;
	long index;                    /* a child's branch or iteration index   */
	unsigned timer_gen;
	struct rt_journal *hnext, *tnext, *qnext;
};

struct rt_sched;

struct rt_sched_options {
	const char *dir;
	enum rt_sync_mode sync;
	int workers;                   /* 0: the cores                          */
	struct aslrt_options run;      /* time_scale, mock, bindings            */
	long history_limit;            /* 0: 25,000                             */
	uint64_t compact_bytes;        /* 0: 256 MiB                            */
	int inbox;                     /* serve DIR/inbox                       */
	double inbox_poll_s;           /* 0: 0.02                                */
	void (*on_finish)(void *ctx, const char *name, const struct aslrt_result *res);
	void *ctx;
	struct rt_store_io *io;        /* NULL: the real OS                     */
};

/* Open the store and recover every unfinished execution. Returns 0 with
 * *out (rt_sched_close), -2 when another process holds the store, or -1,
 * with *why (rt_free) on failure. */
int rt_sched_open(const struct aslrt_machine *m, const struct rt_sched_options *o,
		  struct rt_sched **out, char **why);
/* Start execution name on input_take, or find it (StartExecution's
 * idempotence: same name, same input, still running). Returns 0 with
 * *arn_out/start_us, or -1 with err (ExecutionAlreadyExists, ...). The
 * START record is appended, not yet durable: *lsn says when it is. */
int rt_sched_start(struct rt_sched *sc, const char *name, cJSON *input_take, uint64_t *lsn,
		   int64_t *start_us, struct aslrt_error *err);
/* Run: steps, commits, timers, the inbox, until stopped or (until_idle)
 * until no execution is unfinished. Returns 0, or -1 when the store
 * failed (*why). */
int rt_sched_run(struct rt_sched *sc, int until_idle, char **why);
/* Ask rt_sched_run to return (safe from a signal handler). */
void rt_sched_stop(struct rt_sched *sc);
/* Make everything appended durable (used when no rt_sched_run is under
 * way). Returns 0, or -1 when the store failed. */
int rt_sched_flush(struct rt_sched *sc);
/* Wait until lsn is durable. Returns 0, or -1 when the store failed. */
int rt_sched_wait(struct rt_sched *sc, uint64_t lsn);
void rt_sched_close(struct rt_sched *sc);
struct rt_store *rt_sched_store(struct rt_sched *sc);
const struct aslrt_machine *rt_sched_machine(struct rt_sched *sc);
/* Counters for reports: steps run, executions finished, store stats. */
void rt_sched_stats(struct rt_sched *sc, long *steps, long *finished, struct rt_store_stats *ss);

/* The control requests (inbox.c and engine.c call them). Each returns a
 * response object (new memory) or NULL with err set to the API error
 * (TaskDoesNotExist, ExecutionDoesNotExist, ...), and the LSN its records
 * must reach before the response is given. */
cJSON *rt_sched_task_result(struct rt_sched *sc, const char *token, cJSON *output_take,
			    const char *error, const char *cause, uint64_t *lsn,
			    struct aslrt_error *err);
cJSON *rt_sched_heartbeat(struct rt_sched *sc, const char *token, struct aslrt_error *err);
cJSON *rt_sched_stop_exec(struct rt_sched *sc, const char *name, const char *error,
			  const char *cause, uint64_t *lsn, struct aslrt_error *err);
cJSON *rt_sched_redrive(struct rt_sched *sc, const char *name, uint64_t *lsn,
			struct aslrt_error *err);
cJSON *rt_sched_activity_started(struct rt_sched *sc, const char *token, const char *worker,
				 uint64_t *lsn, struct aslrt_error *err);

/* Used by dtask.c during a step (the execution belongs to the calling
 * worker): append a record of this execution, and keep its payload for the
 * history count. payload_take is kept. Returns 0 or -1. Children of one
 * step call it at once: dtask.c serializes them. */
int rt_sched_put(struct rt_journal *j, uint8_t kind, cJSON *payload_take);
/* Add a recorded task result (ok copied, or error/cause) to j's replay
 * table. Returns 0 or -1 (out of memory). Not locked: the caller owns j, or
 * serializes (dtask.c). */
int rt_trec_add(struct rt_journal *j, const char *key, const cJSON *ok, const char *error,
		const char *cause);
/* Free a list of parks (next-linked). */
void rt_park_free(struct rt_park *p);

/* ---------------------------------------------------- children (dtask.c) */

/* Parallel branches and Map iterations of a Standard execution
 * (docs/durable.md, "Inside Parallel and Map"). rt_journal_child gives the
 * child c of x (the index-th branch or iteration of x's current state) a
 * journal, when x has one, and notes the iteration's start; c->journal is
 * set (or left NULL). rt_journal_child_end notes how it ended and frees the
 * journal. rt_journal_child_enter notes that c enters its current state
 * (after the entry, before the state runs; nothing for a retry), and
 * rt_journal_child_exit that the step of state ran is done. A
 * child whose task parked ends with status ASLRT_ABORTED; the state that
 * ran it then calls rt_journal_fanout_end: with parked set the state parks
 * too (returns 1: no transition; a nested state stops its own child as
 * parked); otherwise the parks its children made are dropped (returns 0).
 * x->transitions must then be the state's entry number, as the children's
 * keys have it (without the transitions of the children themselves). */
void rt_journal_child(struct aslrt_exec *x, struct aslrt_exec *c, long index);
void rt_journal_child_end(struct aslrt_exec *c);
void rt_journal_child_enter(struct aslrt_exec *c);
void rt_journal_child_exit(struct aslrt_exec *c, int ran);
int rt_journal_fanout_end(struct aslrt_exec *x, int parked);
/* rt_run_child for the index-th child of x's current state (exec.c). */
void rt_run_child_at(struct aslrt_exec *x, int start, long index, cJSON *input_take,
		     const int *cancel, struct aslrt_result *res);

/* --------------------------------------------------------------- tasks */

/* A fresh task token (43 characters of base64url from /dev/urandom) into
 * buf (48 bytes). Returns 0, or -1 when the kernel gives no randomness. */
int rt_token_new(char *buf);
/* Write the activity task file DIR/activities/NAME/TOKEN.json (atomic:
 * tmp + rename) unless it exists or was claimed. Returns 0 or -1. */
int rt_activity_offer(const char *dir, const char *name, const char *token,
		      const cJSON *input);
/* Remove an activity task's file (the task finished). */
void rt_activity_withdraw(const char *dir, const char *name, const char *token);
/* Claim one task of activity name: {"taskToken", "input"} (new memory), or
 * NULL when none is waiting. */
cJSON *rt_activity_claim(const char *dir, const char *name);

/* -------------------------------------------------------------- inbox */

/* Serve every request waiting in DIR/inbox: each is applied to sc and its
 * reply written once its records are durable. Returns the number served. */
int rt_inbox_serve(struct rt_sched *sc, const char *dir);
/* Client side: send request req (borrowed) to the store in dir and wait up
 * to timeout_s for the reply (new memory: {"ok": response} or {"error",
 * "cause"}). When no process owns the store, serve_self is called to serve
 * the inbox in this process (it returns 0 or -1 with *why). Returns NULL
 * with *why on failure. */
cJSON *rt_inbox_call(const char *dir, const cJSON *req, double timeout_s,
		     int (*serve_self)(void *ctx, char **why), void *ctx, char **why);

#endif /* ASLRT_DURABLE_H */
