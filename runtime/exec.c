/*
 * exec.c - one execution: the transition loop, its bookkeeping, and the
 * context object ($$). The loop owns every transition: it counts the state
 * entered, resets per-state counters, waits what the last state asked for,
 * and calls the machine's step function for exactly one state.
 */
#include "durable.h"   /* the children of Standard executions (dtask.c) */
#include "rt.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define ARN_PREFIX "arn:aws:states:us-east-1:123456789012:"

/* Random bytes for execution names, refilled from the kernel's CSPRNG in
 * blocks so that starting an execution costs no system call. Per thread; a
 * forked child starts with an empty block, never reusing its parent's bytes. */
static _Thread_local unsigned char random_block[512];
static _Thread_local size_t random_left;

static void forget_random(void)
{
	random_left = 0;
}

static void register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, forget_random);
}

/* Fill b[0..n) (n <= sizeof random_block) from the block. Returns 0, or -1
 * when the kernel gives no randomness. */
static int random_bytes(unsigned char *b, size_t n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, register_fork_handler);
	if (random_left < n) {
		ssize_t got = getrandom(random_block, sizeof random_block, 0);
		if (got != (ssize_t)sizeof random_block) {
			int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
			got = fd >= 0 ? read(fd, random_block, sizeof random_block) : -1;
			if (fd >= 0)
				close(fd);
		}
		if (got != (ssize_t)sizeof random_block)
			return -1;
		random_left = sizeof random_block;
	}
	random_left -= n;
	memcpy(b, random_block + random_left, n);
	memset(random_block + random_left, 0, n);   /* each byte is used once */
	return 0;
}

/* An RFC 4122 version 4 UUID from the kernel's CSPRNG (falls back to the
 * clock only if it cannot be read). buf holds 37 bytes. */
static void uuid4(char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	if (random_bytes(b, sizeof b) != 0) {
		struct aslrt_time t = rt_time_now();
		for (int i = 0; i < 16; i++)
			b[i] = (unsigned char)((t.nsec >> (i % 4 * 8)) ^ (t.sec >> (i % 8)) ^ (i * 37));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	char *o = buf;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	*o = '\0';
}

/* Copy s without its NUL to o; returns the end of the copy. */
static char *put(char *o, const char *s)
{
	size_t n = strlen(s);
	memcpy(o, s, n);
	return o + n;
}

/* The execution's name and both ARNs in one block of new memory, which
 * x->exec_name owns (exec_arn and machine_arn point into it). Returns 0, or
 * -1 out of memory. */
static int identity(struct aslrt_exec *x, const char *name)
{
	const char *machine = x->m->name ? x->m->name : "";
	const char *kind = x->m->express ? "express:" : "execution:";
	size_t ln = strlen(name), lp = strlen(ARN_PREFIX), lm = strlen(machine);
	char *o = rt_malloc(ln + 1 + lp + strlen(kind) + lm + 1 + ln + 1 + lp +
			    strlen("stateMachine:") + lm + 1);
	if (!o)
		return -1;
	x->exec_name = o;
	o = put(o, name);
	*o++ = '\0';
	x->exec_arn = o;
	o = put(put(put(put(put(o, ARN_PREFIX), kind), machine), ":"), name);
	*o++ = '\0';
	x->machine_arn = o;
	o = put(put(put(o, ARN_PREFIX), "stateMachine:"), machine);
	*o = '\0';
	return 0;
}

static cJSON *time_string(struct aslrt_time t)
{
	char buf[40];
	return cJSON_CreateString(rt_time_format(t, buf));
}

/* Add v_take to o as member key, a string literal (cJSON keeps the pointer:
 * nothing to allocate). Returns 1, or 0 when v_take is NULL (out of memory). */
static int member(cJSON *o, const char *key, cJSON *v_take)
{
	if (!v_take)
		return 0;
	cJSON_AddItemToObjectCS(o, key, v_take);
	return 1;
}

/* Add a cJSON reference to v (not a copy; v must outlive o) to o as member
 * key, a string literal. Returns 1, or 0 out of memory. (Not
 * cJSON_AddItemReferenceToObject: in cJSON 1.7.15 it leaks the reference
 * when copying the key fails.) */
static int member_ref(cJSON *o, const char *key, cJSON *v)
{
	if (!cJSON_AddItemReferenceToArray(o, v))
		return 0;
	cJSON *ref = o->child;
	while (ref->next)
		ref = ref->next;
	ref->string = (char *)(void *)key;   /* const: cJSON never frees it */
	ref->type |= cJSON_StringIsConst;
	return 1;
}

/* The context object as AWS documents it ("Accessing execution data from the
 * Context object"): Execution, State, StateMachine. */
static cJSON *build_context(struct aslrt_exec *x)
{
	cJSON *ctx = cJSON_CreateObject();
	cJSON *ex = cJSON_AddObjectToObject(ctx, "Execution");
	cJSON *st = cJSON_AddObjectToObject(ctx, "State");
	cJSON *sm = cJSON_AddObjectToObject(ctx, "StateMachine");
	if (!ex || !st || !sm)
		goto oom;
	/* The input and the Map item are referred to, not copied: both outlive
	 * the context, which lasts one state at most, and nothing writes to it. */
	if (!member(ex, "Id", cJSON_CreateString(x->exec_arn)) ||
	    !member_ref(ex, "Input", x->exec_input) ||
	    !member(ex, "Name", cJSON_CreateString(x->exec_name)) ||
	    !member(ex, "RoleArn", cJSON_CreateString("arn:aws:iam::123456789012:role/aslc-local")) ||
	    !member(ex, "StartTime", time_string(x->start_time)) ||
	    !member(ex, "RedriveCount", cJSON_CreateNumber(x->redrive_count)) ||
	    /* "RedriveTime Context object is only available if you've redriven
	     * an execution" */
	    (x->redrive_time.sec &&
	     !member(ex, "RedriveTime", time_string(x->redrive_time))) ||
	    !member(st, "EnteredTime", time_string(x->entered_time)) ||
	    !member(st, "Name", cJSON_CreateString(x->m->states[x->state].name)) ||
	    !member(st, "RetryCount", cJSON_CreateNumber(x->retry_count)) ||
	    !member(sm, "Id", cJSON_CreateString(x->machine_arn)) ||
	    !member(sm, "Name", cJSON_CreateString(x->m->name)))
		goto oom;              /* never a context missing a member */
	if (x->map_item) {   /* only while a Map's ItemSelector is evaluated */
		cJSON *item = cJSON_AddObjectToObject(cJSON_AddObjectToObject(ctx, "Map"), "Item");
		/* "Key": "Only valid for JSON objects"; Source: "For state input,
		 * the value will be : STATE_DATA", else the S3 URI ("Context object
		 * data for Map states") */
		const char *key = x->map_item->string;
		if (!item || !member(item, "Index", cJSON_CreateNumber((double)x->map_index)) ||
		    (key && !member(item, "Key", cJSON_CreateString(key))) ||
		    !member_ref(item, "Value", (cJSON *)x->map_item) ||
		    !member(item, "Source", cJSON_CreateString(x->map_source ? x->map_source
										: "STATE_DATA")))
			goto oom;
	}
	const char *token = x->journal ? rt_journal_token(x) : NULL;
	if (token && !cJSON_AddStringToObject(cJSON_AddObjectToObject(ctx, "Task"), "Token", token))
		goto oom;              /* $$.Task.Token: a callback task (dtask.c) */
	return ctx;
oom:
	cJSON_Delete(ctx);
	return NULL;
}

const cJSON *rt_context(struct aslrt_exec *x)
{
	if (!x->context)
		x->context = build_context(x);
	return x->context;
}

void rt_transition(struct aslrt_exec *x, cJSON *output_take, int next)
{
	struct aslrt_error e = { NULL, NULL };
	if (rt_payload_output(x, output_take, &e)) {   /* limits.c: the payload quota */
		if (x->input != output_take)
			cJSON_Delete(output_take);
		rt_fail_exec(x, &e);
		return;
	}
	if (x->input != output_take)
		cJSON_Delete(x->input);
	x->input = NULL;
	if (next == ASLRT_END) {
		x->output = output_take;
		x->status = ASLRT_SUCCEEDED;
	} else {
		x->input = output_take;
		x->state = next;
	}
}

void rt_fail_exec(struct aslrt_exec *x, struct aslrt_error *err)
{
	/* An allocation failed since the state was entered: whatever error
	 * followed (a path that "selects nothing", a lost member...) is that
	 * failure, and says so (the allocation-failure sweep checks it). */
	if (rt_alloc_failures() != x->alloc_failures)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory while running state '%s'",
				x->m->states[x->state].name);
	aslrt_error_clear(&x->err);
	x->err = *err;
	err->error = err->cause = NULL;
	if (!x->err.error)
		x->err.error = rt_strdup(ASLRT_ERR_RUNTIME);
	x->status = ASLRT_FAILED;
}

int aslrt_current(const struct aslrt_exec *x)
{
	return x->state;
}

static int max_retriers(const struct aslrt_machine *m)
{
	int n = 1;
	for (int i = 0; i < m->nstates; i++)
		if (m->states[i].nretry > n)
			n = m->states[i].nretry;
	return n;
}

/* Set up x for machine m on input_take. Returns 0 or -1 out of memory. */
static int exec_init(struct aslrt_exec *x, const struct aslrt_machine *m,
		     const struct aslrt_options *opt, cJSON *input_take)
{
	char uuid[37];
	memset(x, 0, sizeof *x);
	x->m = m;
	x->opt = opt;
	x->state = m->start;
	x->status = ASLRT_RUNNING;
	x->input = input_take;
	x->start_time = rt_time_now();
	if (!opt->execution_name)
		uuid4(uuid);
	int named = identity(x, opt->execution_name ? opt->execution_name : uuid) == 0;
	/* $$.Execution.Input: the input as given, kept apart from the copy the
	 * states change, unless no path can read it. */
	x->exec_input = m->context_free ? NULL : cJSON_Duplicate(input_take, 1);
	x->max_retriers = max_retriers(m);
	/* One block: the retry counters, then the task counters (freed with
	 * retry_attempts; children have counters of their own). */
	x->retry_attempts = rt_calloc((size_t)x->max_retriers + (size_t)m->nstates,
				      sizeof *x->retry_attempts);
	x->task_calls = x->retry_attempts ? x->retry_attempts + x->max_retriers : NULL;
	return named && (x->exec_input || m->context_free) && x->retry_attempts ? 0 : -1;
}

static void exec_free(struct aslrt_exec *x)
{
	cJSON_Delete(x->input);
	cJSON_Delete(x->output);
	cJSON_Delete(x->context);
	cJSON_Delete(x->scratch);
	cJSON_Delete(x->vars);
	aslrt_error_clear(&x->err);
	aslrt_error_clear(&x->cond_err);
	rt_free(x->retry_attempts);
	if (x->parent)         /* a child borrows the execution's identity */
		return;
	cJSON_Delete(x->exec_input);
	rt_free(x->exec_name);        /* and the ARNs (identity())             */
}

/* Enter x->state: a new state counts one transition and starts with fresh
 * retry counters; a retry of the same state keeps them. */
static void enter(struct aslrt_exec *x)
{
	if (x->retrying) {
		x->retrying = 0;
		x->retry_count++;
	} else {
		x->transitions++;
		x->retry_count = 0;
		if (!x->m->context_free)   /* $$.State.EnteredTime only */
			x->entered_time = rt_time_now();
		memset(x->retry_attempts, 0, (size_t)x->max_retriers * sizeof *x->retry_attempts);
	}
	if (x->context) {   /* $$.State changes with every entry */
		cJSON_Delete(x->context);
		x->context = NULL;
	}
	x->alloc_failures = rt_alloc_failures();
	x->out_bytes = 0;
	x->result = NULL;
}

/* Step x until it ends (or its cancel flag is raised), then move its result
 * into res and free x. */
static void run_loop(struct aslrt_exec *x, struct aslrt_result *res)
{
	while (x->status == ASLRT_RUNNING) {
		if (x->cancel && __atomic_load_n(x->cancel, __ATOMIC_RELAXED)) {
			aslrt_error_set(&x->err, "States.Cancelled", NULL);
			x->status = ASLRT_FAILED;
			break;
		}
		if (x->wait_s > 0) {
			rt_sleep_scaled(x->opt, x->wait_s);
			x->wait_s = 0;
		}
		enter(x);
		int ran = x->state;
		if (x->journal)      /* a child of a Standard execution: noted */
			rt_journal_child_enter(x);
		x->m->step(x);
		if (x->journal)
			rt_journal_child_exit(x, ran);
		if (x->scratch) {        /* rare: most states need no temporary */
			cJSON_Delete(x->scratch);
			x->scratch = NULL;
		}
	}
	if (x->journal)              /* ASLRT_ABORTED: its task parked */
		rt_journal_child_end(x);
	res->status = x->status;
	res->transitions = x->transitions;
	res->output = x->output;
	x->output = NULL;
	res->error = x->err;
	x->err.error = x->err.cause = NULL;
	exec_free(x);
}

int aslrt_run(const struct aslrt_machine *m, const struct aslrt_options *opt,
	      cJSON *input_take, struct aslrt_result *res)
{
	static const struct aslrt_options defaults = { .time_scale = 1.0 };
	struct aslrt_exec x;
	rt_alloc_init();
	memset(res, 0, sizeof *res);
	if (!input_take || exec_init(&x, m, opt ? opt : &defaults, input_take) != 0) {
		if (input_take)
			exec_free(&x);
		else
			cJSON_Delete(input_take);
		aslrt_error_set(&res->error, ASLRT_ERR_RUNTIME, "out of memory");
		res->status = ASLRT_FAILED;
		return -1;
	}
	struct aslrt_error e = { NULL, NULL };
	x.alloc_failures = rt_alloc_failures();
	if (rt_payload_start(&x, &e))
		rt_fail_exec(&x, &e);      /* limits.c: the payload quota */
	run_loop(&x, res);
	return 0;
}

/* Child executions share the execution's identity (names, ARNs, original
 * input, task counters) and keep their own state, input and retry counters. */
void rt_run_child(struct aslrt_exec *x, int start, cJSON *input_take,
		  const int *cancel, struct aslrt_result *res)
{
	rt_run_child_at(x, start, -1, input_take, cancel, res);
}

/* rt_run_child, and a child of a Standard execution (x->journal) gets a
 * journal of its own (dtask.c): its tasks are recorded and replayed one by
 * one under keys naming index, and a callback or activity task in it parks
 * (the child then ends ASLRT_ABORTED). index < 0: no journal (a Distributed
 * Map's children are executions of their own). */
void rt_run_child_at(struct aslrt_exec *x, int start, long index, cJSON *input_take,
		     const int *cancel, struct aslrt_result *res)
{
	struct aslrt_exec c;
	memset(&c, 0, sizeof c);
	memset(res, 0, sizeof *res);
	c.m = x->m;
	c.opt = x->opt;
	c.parent = x;
	c.cancel = cancel;
	c.state = start;
	c.status = ASLRT_RUNNING;
	c.input = input_take;
	c.exec_name = x->exec_name;
	c.exec_arn = x->exec_arn;
	c.machine_arn = x->machine_arn;
	c.exec_input = x->exec_input;
	c.start_time = x->start_time;
	c.redrive_count = x->redrive_count;
	c.redrive_time = x->redrive_time;
	c.task_calls = x->task_calls;
	c.max_retriers = x->max_retriers;
	c.retry_attempts = rt_calloc((size_t)c.max_retriers, sizeof *c.retry_attempts);
	if (c.retry_attempts && x->journal && index >= 0)
		rt_journal_child(x, &c, index);
	if (!c.retry_attempts || (x->journal && index >= 0 && !c.journal)) {
		aslrt_error_set(&c.err, ASLRT_ERR_RUNTIME, "out of memory");
		c.status = ASLRT_FAILED;
	}
	run_loop(&c, res);
}

void aslrt_result_clear(struct aslrt_result *res)
{
	cJSON_Delete(res->output);
	res->output = NULL;
	aslrt_error_clear(&res->error);
}

/* ------------------------------------------------ stepping (Standard mode) */

struct aslrt_exec *rt_exec_new(const struct aslrt_machine *m, const struct aslrt_options *opt,
			       const char *name, cJSON *input_take)
{
	struct aslrt_exec *x = rt_malloc(sizeof *x);
	struct aslrt_options named = *opt;
	named.execution_name = name;
	if (!x || !input_take || exec_init(x, m, &named, input_take) != 0) {
		if (x && input_take)
			exec_free(x);
		else
			cJSON_Delete(input_take);
		rt_free(x);
		return NULL;
	}
	x->opt = opt;
	/* Standard mode keeps the original input even when $$ is never read:
	 * the start record, redrive and StartExecution's idempotence need it */
	if (!x->exec_input && !(x->exec_input = cJSON_Duplicate(x->input, 1))) {
		rt_exec_free(x);
		return NULL;
	}
	return x;
}

void rt_exec_free(struct aslrt_exec *x)
{
	if (x) {
		exec_free(x);
		rt_free(x);
	}
}

void rt_exec_step(struct aslrt_exec *x, int resume)
{
	if (!resume) {
		enter(x);
	} else {                     /* a parked step again: same entry, new $$ */
		cJSON_Delete(x->context);
		x->context = NULL;
		x->alloc_failures = rt_alloc_failures();   /* per step, as enter() */
		x->out_bytes = 0;
		x->result = NULL;
	}
	x->m->step(x);
	cJSON_Delete(x->scratch);
	x->scratch = NULL;
}
