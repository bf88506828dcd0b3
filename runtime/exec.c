/*
 * exec.c - one execution: the transition loop, its bookkeeping, and the
 * context object ($$). The loop owns every transition: it counts the state
 * entered, resets per-state counters, waits what the last state asked for,
 * and calls the machine's step function for exactly one state.
 */
#include "rt.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ARN_PREFIX "arn:aws:states:us-east-1:123456789012:"

/* An RFC 4122 version 4 UUID from the kernel's CSPRNG (falls back to the
 * clock only if /dev/urandom cannot be read). buf holds 37 bytes. */
static void uuid4(char *buf)
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, b, sizeof b) : -1;
	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof b) {
		struct aslrt_time t = rt_time_now();
		for (int i = 0; i < 16; i++)
			b[i] = (unsigned char)((t.nsec >> (i % 4 * 8)) ^ (t.sec >> (i % 8)) ^ (i * 37));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static char *concat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = rt_malloc(la + lb + lc + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
		memcpy(s + la + lb, c, lc + 1);
	}
	return s;
}

static cJSON *time_string(struct aslrt_time t)
{
	char buf[40];
	return cJSON_CreateString(rt_time_format(t, buf));
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
	cJSON *input = cJSON_Duplicate(x->exec_input, 1);
	if (!input)
		goto oom;
	cJSON_AddItemToObject(ex, "Id", cJSON_CreateString(x->exec_arn));
	cJSON_AddItemToObject(ex, "Input", input);
	cJSON_AddItemToObject(ex, "Name", cJSON_CreateString(x->exec_name));
	cJSON_AddItemToObject(ex, "RoleArn",
			      cJSON_CreateString("arn:aws:iam::123456789012:role/aslc-local"));
	cJSON_AddItemToObject(ex, "StartTime", time_string(x->start_time));
	cJSON_AddItemToObject(ex, "RedriveCount", cJSON_CreateNumber(0));
	cJSON_AddItemToObject(st, "EnteredTime", time_string(x->entered_time));
	cJSON_AddItemToObject(st, "Name", cJSON_CreateString(x->m->states[x->state].name));
	cJSON_AddItemToObject(st, "RetryCount", cJSON_CreateNumber(x->retry_count));
	cJSON_AddItemToObject(sm, "Id", cJSON_CreateString(x->machine_arn));
	cJSON_AddItemToObject(sm, "Name", cJSON_CreateString(x->m->name));
	if (x->map_item) {   /* only while a Map's ItemSelector is evaluated */
		cJSON *item = cJSON_AddObjectToObject(cJSON_AddObjectToObject(ctx, "Map"), "Item");
		cJSON *value = cJSON_Duplicate(x->map_item, 1);
		if (!item || !value) {
			cJSON_Delete(value);
			goto oom;
		}
		cJSON_AddItemToObject(item, "Index", cJSON_CreateNumber((double)x->map_index));
		cJSON_AddItemToObject(item, "Value", value);
	}
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
	x->exec_name = rt_strdup(opt->execution_name ? opt->execution_name : uuid);
	char *mid = concat3(m->express ? "express:" : "execution:", m->name, ":");
	x->exec_arn = mid && x->exec_name ? concat3(ARN_PREFIX, mid, x->exec_name) : NULL;
	rt_free(mid);
	x->machine_arn = concat3(ARN_PREFIX, "stateMachine:", m->name);
	x->exec_input = cJSON_Duplicate(input_take, 1);
	x->max_retriers = max_retriers(m);
	x->retry_attempts = rt_calloc((size_t)x->max_retriers, sizeof *x->retry_attempts);
	x->task_calls = rt_calloc((size_t)m->nstates, sizeof *x->task_calls);
	return x->exec_name && x->exec_arn && x->machine_arn && x->exec_input &&
			       x->retry_attempts && x->task_calls ? 0 : -1;
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
	rt_free(x->exec_name);
	rt_free(x->exec_arn);
	rt_free(x->machine_arn);
	rt_free(x->task_calls);
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
		x->entered_time = rt_time_now();
		memset(x->retry_attempts, 0, (size_t)x->max_retriers * sizeof *x->retry_attempts);
	}
	if (x->context) {   /* $$.State changes with every entry */
		cJSON_Delete(x->context);
		x->context = NULL;
	}
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
		x->m->step(x);
		cJSON_Delete(x->scratch);
		x->scratch = NULL;
	}
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
	run_loop(&x, res);
	return 0;
}

/* Child executions share the execution's identity (names, ARNs, original
 * input, task counters) and keep their own state, input and retry counters. */
void rt_run_child(struct aslrt_exec *x, int start, cJSON *input_take,
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
	c.task_calls = x->task_calls;
	c.max_retriers = x->max_retriers;
	c.retry_attempts = rt_calloc((size_t)c.max_retriers, sizeof *c.retry_attempts);
	if (!c.retry_attempts) {
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
