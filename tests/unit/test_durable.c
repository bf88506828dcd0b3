/* Unit tests of Standard mode above the store (journal.c, history.c,
 * catalog.c, sched.c, dtask.c, rtmap.c): checkpoints, the history's exact
 * shape, callbacks with success, failure and heartbeats, stop, redrive, the
 * execution's TimeoutSeconds, StartExecution's idempotence, recovery of
 * parked executions, and the history limit. The machines are small ASL
 * definitions in tests/unit/durable/, compiled by aslc. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "durable.h"
#include "rtmap.h"
#include "tmpdir.h"

extern const struct aslrt_machine hist_machine, cb_machine, hold_machine, timeout_machine,
	loop_machine, jnfail_machine;

/* charge: always declines with Flaky, naming the attempt. */
static int charge(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
		  struct aslrt_error *err)
{
	(void)in;
	(void)out;
	aslrt_error_set(err, "Flaky", "declined %d", ctx->attempt);
	return -1;
}
ASLRT_TASK("arn:aws:lambda:us-east-1:123456789012:function:charge", charge)

/* The queue behind the callback task: the last message's token. */
static pthread_mutex_t tok_mu = PTHREAD_MUTEX_INITIALIZER;
static char last_token[64];
static int messages;

static int send_message(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
			struct aslrt_error *err)
{
	(void)ctx;
	(void)err;
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(in, "MessageBody");
	const char *tok = rt_j_str(body, "token");
	pthread_mutex_lock(&tok_mu);
	snprintf(last_token, sizeof last_token, "%s", tok ? tok : "");
	messages++;
	pthread_mutex_unlock(&tok_mu);
	*out = cJSON_Parse("{\"MessageId\":\"m-1\"}");
	return 0;
}
ASLRT_TASK("arn:aws:states:::sqs:sendMessage.waitForTaskToken", send_message)

/* ------------------------------------------------------------- helpers */

struct world {
	char *tmp, *dir;
	struct rt_sched *sc;
	pthread_t th;
	int running;
};

static void *run_thread(void *arg)
{
	struct world *w = arg;
	char *why = NULL;
	rt_sched_run(w->sc, 0, &why);
	rt_free(why);
	return NULL;
}

/* Machines that park on a Wait run in real time; the others never sleep. */
static void open_world(struct world *w, const struct aslrt_machine *m, long limit)
{
	struct rt_sched_options o = { .dir = w->dir, .history_limit = limit, .workers = 2 };
	o.run.time_scale = m == &hold_machine || m == &timeout_machine ? 1 : 0;
	char *why = NULL;
	int rc = rt_sched_open(m, &o, &w->sc, &why);
	ck_assert_msg(rc == 0, "open: %s", why ? why : "?");
	ck_assert_int_eq(pthread_create(&w->th, NULL, run_thread, w), 0);
	w->running = 1;
}

static void close_world(struct world *w)
{
	if (w->running) {
		rt_sched_stop(w->sc);
		pthread_join(w->th, NULL);
		w->running = 0;
	}
	rt_sched_close(w->sc);
	w->sc = NULL;
}

static void make_world(struct world *w, const struct aslrt_machine *m, long limit)
{
	memset(w, 0, sizeof *w);
	w->tmp = td_make();
	w->dir = td_path(w->tmp, "store");
	open_world(w, m, limit);
}

static void rm_tree(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
}

static void end_world(struct world *w)
{
	close_world(w);
	rm_tree(w->tmp);
	free(w->tmp);
	free(w->dir);
}

static void start(struct world *w, const char *name, const char *input)
{
	uint64_t lsn;
	int64_t t;
	struct aslrt_error err = { 0 };
	int rc = rt_sched_start(w->sc, name, cJSON_Parse(input), &lsn, &t, &err);
	ck_assert_msg(rc == 0, "start %s: %s", name, err.error ? err.error : "?");
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (long)s) * 1e9) };
	nanosleep(&ts, NULL);
}

/* The durable summary of name (status RUNNING until the store says
 * otherwise); waits up to 20 s for its status to become want (want < 0:
 * no waiting). */
static struct rt_summary summary(struct world *w, const char *name, int want)
{
	struct rt_summary s = { 0 };
	for (int i = 0; i < 2000; i++) {
		struct rt_summary *v = NULL;
		size_t n = 0;
		ck_assert_int_eq(rt_catalog_list(rt_sched_store(w->sc), name, &v, &n), 0);
		if (n == 1) {
			rt_summary_free(&s);
			s = v[0];
		}
		rt_free(v);
		if (want < 0 || (n == 1 && (int)s.status == want))
			break;
		sleep_s(0.01);
	}
	return s;
}

/* The token of the next message, waiting for it to be sent. */
static void next_token(int after, char *buf)
{
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&tok_mu);
		int n = messages;
		snprintf(buf, 64, "%s", last_token);
		pthread_mutex_unlock(&tok_mu);
		if (n > after)
			return;
		sleep_s(0.01);
	}
	ck_abort_msg("no message was sent");
}

static int count_messages(void)
{
	pthread_mutex_lock(&tok_mu);
	int n = messages;
	pthread_mutex_unlock(&tok_mu);
	return n;
}

static cJSON *history(struct world *w, const char *name)
{
	int oom = 0;
	cJSON *h = rt_catalog_history(rt_sched_store(w->sc), rt_sched_machine(w->sc), name, 0,
				      &oom);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(h, "events"));
	return h;
}

static const cJSON *event(const cJSON *h, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(h, "events"), i);
}

static const char *detail(const cJSON *e, const char *dkey, const char *field)
{
	return rt_j_str(cJSON_GetObjectItemCaseSensitive(e, dkey), field);
}

/* -------------------------------------------------------------- tests */

START_TEST(tokens_and_kinds)
{
	char a[48], b[48];
	ck_assert_int_eq(rt_token_new(a), 0);
	ck_assert_int_eq(rt_token_new(b), 0);
	ck_assert_uint_eq(strlen(a), 43);
	ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			  43);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(rt_task_kind("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), 1);
	ck_assert_int_eq(rt_task_kind("arn:aws:states:us-east-1:123456789012:activity:review"), 2);
	ck_assert_int_eq(rt_task_kind("arn:aws:lambda:us-east-1:123456789012:function:f"), 0);
	ck_assert_str_eq(rt_activity_name("arn:aws:states:eu-west-1:1:activity:a-b"), "a-b");
	ck_assert_ptr_null(rt_activity_name("arn:aws:states:eu-west-1:1:activity:"));
	char ts[40];
	ck_assert_str_eq(rt_time_cli(1553631253192000LL, ts), "2019-03-26T20:14:13.192000+00:00");
}
END_TEST

START_TEST(map_put_get_delete)
{
	struct rt_map m = { 0 };
	static char keys[5000][12];
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		ck_assert_int_eq(rt_map_put(&m, keys[i], (void *)(uintptr_t)(i + 1)), 0);
	}
	for (int i = 0; i < 5000; i += 2)   /* delete every other one */
		ck_assert_ptr_eq(rt_map_del(&m, keys[i]), (void *)(uintptr_t)(i + 1));
	ck_assert_uint_eq(m.n, 2500);
	for (int i = 0; i < 5000; i++)
		ck_assert_ptr_eq(rt_map_get(&m, keys[i], strlen(keys[i])),
				 i % 2 ? (void *)(uintptr_t)(i + 1) : NULL);
	ck_assert_ptr_null(rt_map_del(&m, "absent"));
	rt_map_free(&m);
}
END_TEST

START_TEST(checkpoint_round_trip)
{
	static const struct aslrt_options opt = { .time_scale = 0 };
	struct aslrt_exec *x = rt_exec_new(&hist_machine, &opt, "cp", cJSON_Parse("{\"a\":[1,2.5]}"));
	ck_assert_ptr_nonnull(x);
	x->state = 1;
	x->transitions = 7;
	x->retry_count = 2;
	x->retrying = 1;
	x->retry_attempts[0] = 2;
	x->task_calls[0] = 3;
	x->vars = cJSON_Parse("{\"v\":\"w\"}");
	x->vars_bytes = 3;
	x->entered_time.sec = 1700000000;
	x->entered_time.nsec = 123456000;
	cJSON *cp = rt_cp_encode(x, 1700000005000000LL);
	char *text = rt_json_print(cp);
	ck_assert_str_eq(text, "{\"st\":1,\"s\":\"RUNNING\",\"tr\":7,\"et\":1700000000123456,"
			       "\"in\":{\"a\":[1,2.5]},\"vars\":{\"v\":\"w\"},\"vb\":3,\"rc\":2,"
			       "\"ry\":1,\"wd\":1700000005000000,\"ra\":[2],\"tc\":[3]}");
	struct aslrt_exec *y = rt_exec_new(&hist_machine, &opt, "cp", cJSON_CreateObject());
	int64_t wake = 0;
	char *why = NULL;
	cJSON *parsed = cJSON_Parse(text);
	ck_assert_int_eq(rt_cp_apply(y, parsed, &wake, &why), 0);
	ck_assert_int_eq(y->state, 1);
	ck_assert_int_eq(y->transitions, 7);
	ck_assert_int_eq(y->retry_count, 2);
	ck_assert_int_eq(y->retrying, 1);
	ck_assert_int_eq(y->retry_attempts[0], 2);
	ck_assert_int_eq(y->task_calls[0], 3);
	ck_assert_int_eq(y->task_calls[1], 0);
	ck_assert_int_eq(wake, 1700000005000000LL);
	ck_assert_int_eq(y->entered_time.nsec, 123456000);
	ck_assert(cJSON_Compare(y->input, x->input, 1));
	ck_assert(cJSON_Compare(y->vars, x->vars, 1));
	/* a checkpoint from another machine is refused */
	cJSON_ReplaceItemInObjectCaseSensitive(parsed, "st", cJSON_CreateNumber(99));
	ck_assert_int_eq(rt_cp_apply(y, parsed, &wake, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "does not fit"));
	rt_free(why);
	cJSON_Delete(parsed);
	rt_free(text);
	cJSON_Delete(cp);
	rt_exec_free(x);
	rt_exec_free(y);
}
END_TEST

/* The exact event sequence AWS documents for a retried, caught Lambda task,
 * a Wait and a Succeed. */
START_TEST(history_shape)
{
	struct world w;
	make_world(&w, &hist_machine, 0);
	start(&w, "h1", "{\"order\":1}");
	struct rt_summary s = summary(&w, "h1", ASLRT_SUCCEEDED);
	ck_assert_int_eq(s.status, ASLRT_SUCCEEDED);
	rt_summary_free(&s);
	cJSON *h = history(&w, "h1");
	static const char *const types[] = {
		"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
		"LambdaFunctionStarted", "LambdaFunctionFailed", "LambdaFunctionScheduled",
		"LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited",
		"WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited",
		"ExecutionSucceeded",
	};
	int n = (int)(sizeof types / sizeof types[0]);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(h, "events")), n);
	for (int i = 0; i < n; i++) {
		const cJSON *e = event(h, i);
		ck_assert_str_eq(rt_j_str(e, "type"), types[i]);
		ck_assert_int_eq(rt_j_int(e, "id"), i + 1);
		ck_assert_int_eq(rt_j_int(e, "previousEventId"), i);
		ck_assert_uint_eq(strlen(rt_j_str(e, "timestamp")), 32);
	}
	const char *exit_out = "{\"order\":1,\"error\":{\"Error\":\"Flaky\",\"Cause\":\"declined 1\"}}";
	ck_assert_str_eq(detail(event(h, 0), "executionStartedEventDetails", "input"),
			 "{\"order\":1}");
	ck_assert_str_eq(detail(event(h, 1), "stateEnteredEventDetails", "name"), "Charge");
	ck_assert_str_eq(detail(event(h, 2), "lambdaFunctionScheduledEventDetails", "resource"),
			 "arn:aws:lambda:us-east-1:123456789012:function:charge");
	ck_assert_str_eq(detail(event(h, 4), "lambdaFunctionFailedEventDetails", "cause"),
			 "declined 0");
	ck_assert_str_eq(detail(event(h, 7), "lambdaFunctionFailedEventDetails", "error"), "Flaky");
	ck_assert_str_eq(detail(event(h, 7), "lambdaFunctionFailedEventDetails", "cause"),
			 "declined 1");
	ck_assert_str_eq(detail(event(h, 8), "stateExitedEventDetails", "output"), exit_out);
	ck_assert_str_eq(detail(event(h, 9), "stateEnteredEventDetails", "name"), "Pause");
	ck_assert_str_eq(detail(event(h, 10), "stateExitedEventDetails", "output"), exit_out);
	ck_assert_str_eq(detail(event(h, 13), "executionSucceededEventDetails", "output"),
			 exit_out);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(event(h, 13), "executionSucceededEventDetails"),
			"outputDetails"), "truncated")));
	cJSON_Delete(h);
	end_world(&w);
}
END_TEST

START_TEST(callback_success_failure_heartbeat)
{
	struct world w;
	char tok[64];
	make_world(&w, &cb_machine, 0);
	struct aslrt_error err = { 0 };
	uint64_t lsn;

	int before = count_messages();
	start(&w, "ok", "{\"order\":1}");
	next_token(before, tok);
	cJSON *r = NULL;
	for (int i = 0; i < 1000 && !r; i++) {   /* registered once parked */
		aslrt_error_clear(&err);
		r = rt_sched_heartbeat(w.sc, tok, &err);
		if (!r)
			sleep_s(0.01);
	}
	ck_assert_ptr_nonnull(r);
	cJSON_Delete(r);
	r = rt_sched_task_result(w.sc, tok, cJSON_Parse("{\"approved\":true}"), NULL, NULL, &lsn,
				 &err);
	ck_assert_ptr_nonnull(r);
	cJSON_Delete(r);
	struct rt_summary s = summary(&w, "ok", ASLRT_SUCCEEDED);
	ck_assert_int_eq(s.status, ASLRT_SUCCEEDED);
	rt_summary_free(&s);
	s = summary(&w, "ok", -1);
	rt_summary_free(&s);
	/* the token is spent */
	ck_assert_ptr_null(rt_sched_task_result(w.sc, tok, cJSON_CreateObject(), NULL, NULL, &lsn,
						&err));
	ck_assert_str_eq(err.error, "TaskDoesNotExist");
	aslrt_error_clear(&err);
	cJSON *h = history(&w, "ok");
	ck_assert_str_eq(rt_j_str(event(h, 3), "type"), "TaskStarted");
	ck_assert_str_eq(rt_j_str(event(h, 4), "type"), "TaskSubmitted");
	ck_assert_str_eq(detail(event(h, 4), "taskSubmittedEventDetails", "output"),
			 "{\"MessageId\":\"m-1\"}");
	ck_assert_str_eq(rt_j_str(event(h, 5), "type"), "TaskSucceeded");
	ck_assert_str_eq(detail(event(h, 5), "taskSucceededEventDetails", "output"),
			 "{\"approved\":true}");
	ck_assert_str_eq(detail(event(h, 2), "taskScheduledEventDetails", "resourceType"), "sqs");
	ck_assert_str_eq(detail(event(h, 2), "taskScheduledEventDetails", "resource"),
			 "sendMessage.waitForTaskToken");
	cJSON_Delete(h);

	/* send-task-failure */
	r = NULL;
	before = count_messages();
	start(&w, "no", "{\"order\":2}");
	next_token(before, tok);
	for (int i = 0; i < 1000 && !r; i++) {
		aslrt_error_clear(&err);
		r = rt_sched_task_result(w.sc, tok, NULL, "Rejected", "too expensive", &lsn, &err);
		if (!r)
			sleep_s(0.01);
	}
	ck_assert_ptr_nonnull(r);
	cJSON_Delete(r);
	r = NULL;
	s = summary(&w, "no", ASLRT_FAILED);
	ck_assert_int_eq(s.status, ASLRT_FAILED);
	ck_assert_str_eq(s.error, "Rejected");
	ck_assert_str_eq(s.cause, "too expensive");
	rt_summary_free(&s);

	/* no heartbeat for HeartbeatSeconds: States.HeartbeatTimeout */
	before = count_messages();
	start(&w, "silent", "{\"order\":3}");
	next_token(before, tok);
	s = summary(&w, "silent", ASLRT_FAILED);
	ck_assert_int_eq(s.status, ASLRT_FAILED);
	ck_assert_str_eq(s.error, "States.HeartbeatTimeout");
	rt_summary_free(&s);
	h = history(&w, "silent");
	ck_assert_str_eq(rt_j_str(event(h, 5), "type"), "TaskTimedOut");
	ck_assert_str_eq(detail(event(h, 5), "taskTimedOutEventDetails", "error"),
			 "States.HeartbeatTimeout");
	cJSON_Delete(h);
	end_world(&w);
}
END_TEST

/* A parked callback survives the process: reopen the store (as a restarted
 * worker would) and the same token still completes the task. */
START_TEST(recovery_keeps_parked_tasks)
{
	struct world w;
	char tok[64];
	make_world(&w, &cb_machine, 0);
	int before = count_messages();
	start(&w, "p1", "{\"order\":4}");
	next_token(before, tok);
	sleep_s(0.2);                     /* its park record becomes durable */
	close_world(&w);                  /* the process "dies" */
	open_world(&w, &cb_machine, 0);
	struct aslrt_error err = { 0 };
	uint64_t lsn;
	cJSON *r = rt_sched_task_result(w.sc, tok, cJSON_Parse("{\"late\":1}"), NULL, NULL, &lsn,
					&err);
	ck_assert_msg(r != NULL, "%s", err.error ? err.error : "?");
	cJSON_Delete(r);
	struct rt_summary s = summary(&w, "p1", ASLRT_SUCCEEDED);
	ck_assert_int_eq(s.status, ASLRT_SUCCEEDED);
	ck_assert_int_eq(count_messages(), before + 1);   /* not sent twice */
	rt_summary_free(&s);
	s = summary(&w, "p1", -1);
	rt_summary_free(&s);
	end_world(&w);
}
END_TEST

START_TEST(stop_then_redrive)
{
	struct world w;
	make_world(&w, &hold_machine, 0);
	start(&w, "s1", "{\"id\":1}");
	sleep_s(0.2);                     /* parked on its hour-long Wait */
	struct aslrt_error err = { 0 };
	uint64_t lsn = 0;
	cJSON *r = rt_sched_stop_exec(w.sc, "s1", "Ops.Cancelled", "customer called", &lsn, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(rt_j_str(r, "stopDate"));
	cJSON_Delete(r);
	struct rt_summary s = summary(&w, "s1", ASLRT_ABORTED);
	ck_assert_int_eq(s.status, ASLRT_ABORTED);
	ck_assert_str_eq(s.error, "Ops.Cancelled");
	ck_assert_str_eq(s.cause, "customer called");
	rt_summary_free(&s);
	/* a redrive goes on from the checkpoint before the stop, the Wait done */
	r = rt_sched_redrive(w.sc, "s1", &lsn, &err);
	ck_assert_msg(r != NULL, "redrive: %s: %s", err.error ? err.error : "?",
		      err.cause ? err.cause : "?");
	cJSON_Delete(r);
	s = summary(&w, "s1", ASLRT_SUCCEEDED);
	ck_assert_int_eq(s.status, ASLRT_SUCCEEDED);
	ck_assert_int_eq(s.redrive_count, 1);
	ck_assert_str_eq(rt_j_str(s.output, "status"), "shipped");
	rt_summary_free(&s);
	cJSON *h = history(&w, "s1");
	ck_assert_str_eq(rt_j_str(event(h, 2), "type"), "ExecutionAborted");
	ck_assert_str_eq(detail(event(h, 2), "executionAbortedEventDetails", "error"),
			 "Ops.Cancelled");
	ck_assert_str_eq(rt_j_str(event(h, 3), "type"), "ExecutionRedriven");
	ck_assert_int_eq(rt_j_int(cJSON_GetObjectItemCaseSensitive(event(h, 3),
				  "executionRedrivenEventDetails"), "redriveCount"), 1);
	ck_assert_str_eq(rt_j_str(event(h, 4), "type"), "PassStateEntered");
	cJSON_Delete(h);
	/* a succeeded execution is not redrivable; an unknown one does not exist */
	ck_assert_ptr_null(rt_sched_redrive(w.sc, "s1", &lsn, &err));
	ck_assert_str_eq(err.error, "ExecutionNotRedrivable");
	aslrt_error_clear(&err);
	ck_assert_ptr_null(rt_sched_stop_exec(w.sc, "nobody", NULL, NULL, &lsn, &err));
	ck_assert_str_eq(err.error, "ExecutionDoesNotExist");
	aslrt_error_clear(&err);
	end_world(&w);
}
END_TEST

START_TEST(execution_timeout)
{
	struct world w;
	make_world(&w, &timeout_machine, 0);
	ck_assert(timeout_machine.timeout_s == 1);
	start(&w, "t1", "{}");
	struct rt_summary s = summary(&w, "t1", ASLRT_TIMED_OUT);
	ck_assert_int_eq(s.status, ASLRT_TIMED_OUT);
	ck_assert_str_eq(s.error, "States.Timeout");
	rt_summary_free(&s);
	cJSON *h = history(&w, "t1");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(h, "events")), 3);
	ck_assert_str_eq(rt_j_str(event(h, 2), "type"), "ExecutionTimedOut");
	cJSON_Delete(h);
	end_world(&w);
}
END_TEST

START_TEST(start_is_idempotent)
{
	struct world w;
	make_world(&w, &hold_machine, 0);
	start(&w, "i1", "{\"a\":1}");
	start(&w, "i1", "{\"a\":1}");      /* same name, same input, running */
	uint64_t lsn;
	int64_t t;
	struct aslrt_error err = { 0 };
	ck_assert_int_eq(rt_sched_start(w.sc, "i1", cJSON_Parse("{\"a\":2}"), &lsn, &t, &err), -1);
	ck_assert_str_eq(err.error, "ExecutionAlreadyExists");
	aslrt_error_clear(&err);
	struct rt_summary *v = NULL;
	size_t n = 0;
	sleep_s(0.1);
	ck_assert_int_eq(rt_catalog_list(rt_sched_store(w.sc), NULL, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	rt_summary_free(&v[0]);
	rt_free(v);
	end_world(&w);
}
END_TEST

START_TEST(history_limit_fails_the_execution)
{
	struct world w;
	make_world(&w, &loop_machine, 40);
	start(&w, "loop", "{}");
	struct rt_summary s = summary(&w, "loop", ASLRT_FAILED);
	ck_assert_int_eq(s.status, ASLRT_FAILED);
	ck_assert_str_eq(s.error, "States.Runtime");
	ck_assert_str_eq(s.cause, "The execution history reached the limit of 40 events");
	rt_summary_free(&s);
	cJSON *h = history(&w, "loop");
	ck_assert_int_le(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(h, "events")), 40);
	cJSON_Delete(h);
	end_world(&w);
}
END_TEST

/* A JSONata field that evaluates to the wrong type (Wait Seconds "x")
 * fails the state with States.QueryEvaluationError; the history has an
 * EvaluationFailed event with the state, the error, the cause and the
 * field's location before ExecutionFailed (AWS API reference,
 * "EvaluationFailedEventDetails"). */
START_TEST(history_evaluation_failed)
{
	struct world w;
	make_world(&w, &jnfail_machine, 0);
	start(&w, "e1", "{\"n\":\"x\"}");
	struct rt_summary s = summary(&w, "e1", ASLRT_FAILED);
	ck_assert_int_eq(s.status, ASLRT_FAILED);
	ck_assert_str_eq(s.error, "States.QueryEvaluationError");
	rt_summary_free(&s);
	cJSON *h = history(&w, "e1");
	static const char *const types[] = {
		"ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
		"EvaluationFailed", "ExecutionFailed",
	};
	int n = (int)(sizeof types / sizeof types[0]);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(h, "events")), n);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(rt_j_str(event(h, i), "type"), types[i]);
	const char *cause = "An error occurred while executing the state 'Pause'. The field "
			    "'Seconds' must evaluate to an integer from 0 to 99999999";
	const char *k = "evaluationFailedEventDetails";
	ck_assert_str_eq(detail(event(h, 4), k, "error"), "States.QueryEvaluationError");
	ck_assert_str_eq(detail(event(h, 4), k, "cause"), cause);
	ck_assert_str_eq(detail(event(h, 4), k, "location"), "Seconds");
	ck_assert_str_eq(detail(event(h, 4), k, "state"), "Pause");
	ck_assert_str_eq(detail(event(h, 5), "executionFailedEventDetails", "cause"), cause);
	cJSON_Delete(h);
	end_world(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("durable");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, tokens_and_kinds);
	tcase_add_test(tc, map_put_get_delete);
	tcase_add_test(tc, checkpoint_round_trip);
	tcase_add_test(tc, history_shape);
	tcase_add_test(tc, callback_success_failure_heartbeat);
	tcase_add_test(tc, recovery_keeps_parked_tasks);
	tcase_add_test(tc, stop_then_redrive);
	tcase_add_test(tc, execution_timeout);
	tcase_add_test(tc, start_is_idempotent);
	tcase_add_test(tc, history_limit_fails_the_execution);
	tcase_add_test(tc, history_evaluation_failed);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
