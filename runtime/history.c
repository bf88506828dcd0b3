/*
 * history.c - the execution history of a Standard execution, derived from
 * its records (docs/durable.md, "History"), in the shape of Step Functions'
 * GetExecutionHistory: events numbered from 1, each with timestamp, type,
 * id, previousEventId and the *EventDetails member of its type (AWS API
 * reference: "HistoryEvent"; inputs and outputs are JSON text with
 * {"truncated": false} details).
 *
 * The same code counts events while an execution runs, which is how the
 * scheduler applies the history limit: feeding with h->events NULL builds
 * nothing and only counts.
 */
#include "durable.h"
#include "taskutil.h"

#include <string.h>

static const char *const type_names[] = {
	[ASLRT_PASS] = "Pass", [ASLRT_TASK] = "Task", [ASLRT_CHOICE] = "Choice",
	[ASLRT_WAIT] = "Wait", [ASLRT_SUCCEED] = "Succeed", [ASLRT_FAIL] = "Fail",
	[ASLRT_PARALLEL] = "Parallel", [ASLRT_MAP] = "Map",
};

void rt_hist_init(struct rt_hist *h, const struct aslrt_machine *m, cJSON *events)
{
	memset(h, 0, sizeof *h);
	h->m = m;
	h->events = events;
	h->wait_state = -1;
}

void rt_hist_free(struct rt_hist *h)
{
	cJSON_Delete(h->last_input);
	cJSON_Delete(h->held);
	cJSON_Delete(h->wait_output);
	cJSON_Delete(h->seen);
	h->last_input = h->held = h->wait_output = h->seen = NULL;
}

/* ------------------------------------------------------- building events */

/* Append one event (details_take may be NULL: an event type without
 * details, or count mode). */
static void emit(struct rt_hist *h, const char *type, int64_t t, const char *dkey,
		 cJSON *details_take)
{
	h->count++;
	if (!h->events || !dkey) {       /* count mode, or a type without details */
		cJSON_Delete(details_take);
		details_take = NULL;
	}
	if (!h->events)
		return;
	char ts[40];
	cJSON *e = cJSON_CreateObject();
	if (!e || !cJSON_AddStringToObject(e, "timestamp", rt_time_cli(t, ts)) ||
	    !cJSON_AddStringToObject(e, "type", type) ||
	    !cJSON_AddNumberToObject(e, "id", (double)h->count) ||
	    !cJSON_AddNumberToObject(e, "previousEventId", (double)(h->count - 1)) ||
	    (details_take && !cJSON_AddItemToObject(e, dkey, details_take)) ||
	    !cJSON_AddItemToArray(h->events, e)) {
		if (e && details_take && !cJSON_GetObjectItemCaseSensitive(e, dkey))
			cJSON_Delete(details_take);
		cJSON_Delete(e);
	}
}

static cJSON *details(const struct rt_hist *h)
{
	return h->events ? cJSON_CreateObject() : NULL;
}

/* d.key = v as JSON text, with d.key+"Details" = {"truncated": false}. */
static void add_text(cJSON *d, const char *key, const char *dkey, const cJSON *v)
{
	if (!d)
		return;
	char *s = v ? rt_json_print(v) : rt_strdup("null");
	if (s) {
		cJSON_AddStringToObject(d, key, s);
		cJSON_AddBoolToObject(cJSON_AddObjectToObject(d, dkey), "truncated", 0);
	}
	rt_free(s);
}

static void add_str(cJSON *d, const char *key, const char *v)
{
	if (d && v)
		cJSON_AddStringToObject(d, key, v);
}

/* ------------------------------------------------------ task resources */

enum res_kind { RES_TASK, RES_LAMBDA, RES_ACTIVITY };

/* How AWS reports the resource in history: a Lambda function ARN gives
 * LambdaFunction* events, an activity Activity* events, an integration
 * (arn:aws:states:::SERVICE:API[.pattern]) Task* events with resourceType
 * SERVICE and resource API. */
static enum res_kind res_split(const char *arn, char *type, char *res, size_t cap)
{
	snprintf(type, cap, "aslrt");
	snprintf(res, cap, "%s", arn ? arn : "");
	if (!arn)
		return RES_TASK;
	if (rt_activity_name(arn))
		return RES_ACTIVITY;
	if (strncmp(arn, "arn:", 4) != 0)
		return RES_TASK;
	const char *f[6];
	const char *p = arn;
	for (int i = 0; i < 6; i++) {           /* arn:partition:service:region:account:rest */
		f[i] = p;
		const char *c = strchr(p, ':');
		if (!c && i < 5)
			return RES_TASK;
		p = c ? c + 1 : p;
	}
	if (strncmp(f[2], "lambda:", 7) == 0 && strncmp(f[5], "function:", 9) == 0)
		return RES_LAMBDA;
	const char *rest = f[5];
	if (strncmp(f[2], "states:", 7) == 0) {
		const char *c = strchr(rest, ':');
		if (c) {
			snprintf(type, cap, "%.*s", (int)(c - rest), rest);
			snprintf(res, cap, "%s", c + 1);
			return RES_TASK;
		}
	}
	snprintf(type, cap, "%.*s", (int)(f[3] - f[2] - 1), f[2]);
	snprintf(res, cap, "%s", rest);
	return RES_TASK;
}

static const char *const task_events[3][6] = {
	/* Scheduled, Started, Succeeded, Failed, TimedOut, Submitted */
	{ "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut",
	  "TaskSubmitted" },
	{ "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
	  "LambdaFunctionFailed", "LambdaFunctionTimedOut", NULL },
	{ "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "ActivityFailed",
	  "ActivityTimedOut", NULL },
};

static const char *const detail_keys[3][6] = {
	{ "taskScheduledEventDetails", "taskStartedEventDetails", "taskSucceededEventDetails",
	  "taskFailedEventDetails", "taskTimedOutEventDetails", "taskSubmittedEventDetails" },
	{ "lambdaFunctionScheduledEventDetails", NULL, "lambdaFunctionSucceededEventDetails",
	  "lambdaFunctionFailedEventDetails", "lambdaFunctionTimedOutEventDetails", NULL },
	{ "activityScheduledEventDetails", "activityStartedEventDetails",
	  "activitySucceededEventDetails", "activityFailedEventDetails",
	  "activityTimedOutEventDetails", NULL },
};

/* The resource fields of Task* details. */
static cJSON *res_details(const struct rt_hist *h, enum res_kind k, const char *type,
			  const char *res)
{
	cJSON *d = details(h);
	if (d && k == RES_TASK) {
		add_str(d, "resourceType", type);
		add_str(d, "resource", res);
	}
	return d;
}

static void emit_scheduled(struct rt_hist *h, const struct aslrt_state *s, enum res_kind k,
			   const char *type, const char *res, const cJSON *p, int64_t t)
{
	cJSON *d = res_details(h, k, type, res);
	if (d && k == RES_TASK) {
		add_str(d, "region", "us-east-1");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "in");
		char *params = in ? rt_json_print(in) : NULL;   /* a record may lack it */
		add_str(d, "parameters", params ? params : "{}");
		rt_free(params);
	} else if (d) {
		add_str(d, "resource", s->resource);
		add_text(d, "input", "inputDetails", cJSON_GetObjectItemCaseSensitive(p, "in"));
	}
	if (d && s->timeout_s > 0)
		cJSON_AddNumberToObject(d, "timeoutInSeconds", s->timeout_s);
	if (d && s->heartbeat_s > 0 && k != RES_LAMBDA)
		cJSON_AddNumberToObject(d, "heartbeatInSeconds", s->heartbeat_s);
	emit(h, task_events[k][0], t, detail_keys[k][0], d);
}

/* The outcome of a task record: succeeded, failed or timed out. */
static void emit_outcome(struct rt_hist *h, enum res_kind k, const char *type, const char *res,
			 const cJSON *p)
{
	int64_t t = rt_j_int(p, "t1");
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(p, "ok");
	const char *err = rt_j_str(p, "err");
	int which = ok ? 2 : 3;
	if (!ok && (rt_j_int(p, "to") || (err && (strcmp(err, ASLRT_ERR_TIMEOUT) == 0 ||
						  strcmp(err, ASLRT_ERR_HEARTBEAT) == 0))))
		which = 4;
	cJSON *d = res_details(h, k, type, res);
	if (ok)
		add_text(d, "output", "outputDetails", ok);
	else {
		add_str(d, "error", err ? err : ASLRT_ERR_TASK_FAILED);
		add_str(d, "cause", rt_j_str(p, "cause"));
	}
	emit(h, task_events[k][which], t, detail_keys[k][which], d);
}

static void child_note_events(struct rt_hist *h, const cJSON *p);

/* The events of one held record (task, park or note) of state s. */
static void task_record_events(struct rt_hist *h, const cJSON *rec)
{
	int kind = (int)rt_j_int(rec, "k");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(rec, "p");
	int st = (int)rt_j_int(p, "st");
	if (st < 0 || st >= h->m->nstates)
		return;
	const struct aslrt_state *s = &h->m->states[st];
	char type[128], res[256];
	enum res_kind k = res_split(s->resource, type, res, sizeof res);
	if (kind == RT_REC_NOTE && rt_j_str(p, "ev")) {
		child_note_events(h, p);
		return;
	}
	if (kind == RT_REC_NOTE) {
		cJSON *d = details(h);
		add_str(d, "workerName", rt_j_str(p, "worker"));
		emit(h, task_events[RES_ACTIVITY][1], rt_j_int(p, "t"), detail_keys[RES_ACTIVITY][1],
		     d);
		return;
	}
	if (kind == RT_REC_PARK) {
		int64_t t = rt_j_int(p, "t");
		emit_scheduled(h, s, k, type, res, p, t);
		if (k != RES_ACTIVITY)    /* an activity starts when a worker takes it */
			emit(h, task_events[k][1], t, detail_keys[k][1],
			     res_details(h, k, type, res));
		if (k == RES_TASK) {
			cJSON *d = res_details(h, k, type, res);
			add_text(d, "output", "outputDetails",
				 cJSON_GetObjectItemCaseSensitive(p, "sub"));
			emit(h, task_events[k][5], t, detail_keys[k][5], d);
		}
		return;
	}
	if (!rt_j_int(p, "cb")) {          /* a synchronous task: all of it */
		int64_t t = rt_j_int(p, "t0");
		emit_scheduled(h, s, k, type, res, p, t);
		emit(h, task_events[k][1], t, detail_keys[k][1], res_details(h, k, type, res));
	}
	emit_outcome(h, k, type, res, p);
}

/* How many events task_record_events gives, without building them. */
static long task_record_count(const struct aslrt_machine *m, uint8_t kind, const cJSON *p)
{
	int st = (int)rt_j_int(p, "st");
	if (st < 0 || st >= m->nstates)
		return 0;
	int act = rt_activity_name(m->states[st].resource) != NULL;
	if (kind == RT_REC_NOTE && rt_j_str(p, "ev")) {   /* child_note_events */
		const char *ev = rt_j_str(p, "ev"), *s = rt_j_str(p, "s");
		int fan = m->states[st].type == ASLRT_MAP || m->states[st].type == ASLRT_PARALLEL;
		if (ev[0] == 'e')
			return 1 + fan;
		if (ev[0] == 'x')
			return rt_j_int(p, "on") ? 0 : s && strcmp(s, "FAILED") == 0 ? fan : 1 + fan;
		return 1;
	}
	if (kind == RT_REC_NOTE)
		return 1;
	if (kind == RT_REC_PARK)
		return act ? 1 : rt_task_kind(m->states[st].resource) == 1 ? 3 : 2;
	return rt_j_int(p, "cb") ? 1 : 3;
}

/* ------------------------------------------------------------ states */

static void set_last_input(struct rt_hist *h, const cJSON *in)
{
	cJSON_Delete(h->last_input);
	h->last_input = h->events && in ? cJSON_Duplicate(in, 1) : NULL;
}

static void state_event(struct rt_hist *h, const struct aslrt_state *s, const char *what,
			int64_t t, const char *field, const cJSON *v)
{
	char type[48];
	snprintf(type, sizeof type, "%sState%s", type_names[s->type], what);
	cJSON *d = details(h);
	add_str(d, "name", s->name);
	if (field)
		add_text(d, field, strcmp(field, "input") == 0 ? "inputDetails" : "outputDetails", v);
	emit(h, type, t, strcmp(what, "Entered") == 0 ? "stateEnteredEventDetails"
						       : "stateExitedEventDetails", d);
}

/* A Map's item count, from its input as it entered (0 when the items
 * cannot be found without the context object). */
static double map_length_of(const struct aslrt_state *s, const cJSON *input)
{
	if (!input)
		return 0;
	struct rt_roots r = { input, NULL, NULL, NULL };
	cJSON *sc1 = NULL, *sc2 = NULL;
	const cJSON *in = s->io.input_path ? rt_path_select(s->io.input_path, &r, &sc1) : input;
	r.input = in;
	const cJSON *items = in && s->items_path ? rt_path_select(s->items_path, &r, &sc2) : in;
	double n = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : 0;
	cJSON_Delete(sc1);
	cJSON_Delete(sc2);
	return n;
}

static double map_length(const struct rt_hist *h, const struct aslrt_state *s)
{
	return map_length_of(s, h->last_input);
}

/* The events of a note of a Parallel branch or Map iteration (dtask.c,
 * docs/durable.md "Inside Parallel and Map"), as AWS shows the states
 * inside: "e" <Type>StateEntered (and Map/ParallelStateStarted), "x" the
 * state's end (nothing while it goes on: a retry, a parked task; on a
 * failure only Map/ParallelStateFailed), "i" MapIterationStarted /
 * Succeeded / Failed / Aborted with MapIterationEventDetails {name, index}. */
static void child_note_events(struct rt_hist *h, const cJSON *p)
{
	const char *ev = rt_j_str(p, "ev"), *how = rt_j_str(p, "s");
	int st = (int)rt_j_int(p, "st");
	int64_t t = rt_j_int(p, "t");
	if (st < 0 || st >= h->m->nstates)
		return;
	const struct aslrt_state *s = &h->m->states[st];
	const char *fan = s->type == ASLRT_MAP ? "Map" : s->type == ASLRT_PARALLEL ? "Parallel"
										    : NULL;
	char type[48], dkey[64];
	if (ev[0] == 'e') {
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "in");
		state_event(h, s, "Entered", t, "input", in);
		if (s->type == ASLRT_MAP) {
			cJSON *d = details(h);
			if (d)
				cJSON_AddNumberToObject(d, "length", map_length_of(s, in));
			emit(h, "MapStateStarted", t, "mapStateStartedEventDetails", d);
		} else if (fan) {
			emit(h, "ParallelStateStarted", t, NULL, NULL);
		}
	} else if (ev[0] == 'x') {
		if (rt_j_int(p, "on"))
			return;
		int failed = how && strcmp(how, "FAILED") == 0;
		if (fan) {
			snprintf(type, sizeof type, "%sState%s", fan, failed ? "Failed" : "Succeeded");
			emit(h, type, t, NULL, NULL);
		}
		if (!failed)
			state_event(h, s, "Exited", t, "output",
				    cJSON_GetObjectItemCaseSensitive(p, "out"));
	} else if (ev[0] == 'i') {
		const char *what = !how ? "Started" : strcmp(how, "SUCCEEDED") == 0 ? "Succeeded"
						      : strcmp(how, "ABORTED") == 0 ? "Aborted" : "Failed";
		snprintf(type, sizeof type, "MapIteration%s", what);
		snprintf(dkey, sizeof dkey, "mapIteration%sEventDetails", what);
		cJSON *d = details(h);
		add_str(d, "name", s->name);
		if (d)
			cJSON_AddNumberToObject(d, "index", (double)rt_j_int(p, "i"));
		emit(h, type, t, dkey, d);
	}
}

static void flush_wait(struct rt_hist *h, int emit_it)
{
	if (h->wait_state < 0)
		return;
	if (emit_it)
		state_event(h, &h->m->states[h->wait_state], "Exited", h->wait_until, "output",
			    h->wait_output);
	cJSON_Delete(h->wait_output);
	h->wait_output = NULL;
	h->wait_state = -1;
}

static void flush_held(struct rt_hist *h)
{
	for (cJSON *r = h->held ? h->held->child : NULL; r; r = r->next)
		task_record_events(h, r);
	cJSON_Delete(h->held);
	h->held = NULL;
	h->count += h->nheld;
	h->nheld = 0;
}

static void error_details(struct rt_hist *h, const char *type, const char *dkey, int64_t t,
			  const char *error, const char *cause)
{
	cJSON *d = details(h);
	add_str(d, "error", error);
	add_str(d, "cause", cause);
	emit(h, type, t, dkey, d);
}

/* EvaluationFailed (AWS API reference, "EvaluationFailedEventDetails": an
 * evaluation failure while processing a state, "for example, when a
 * JSONata expression throws an error"; only in JSONata states): state,
 * error, cause and, when the cause names it ("The field 'Items' ..."), the
 * location of the field. Derived from the step whose failure is
 * States.QueryEvaluationError; an evaluation error that a Retry or Catch
 * handles leaves no trace in the records, so it gets no event. */
static void evaluation_failed(struct rt_hist *h, const struct aslrt_state *s, int64_t t,
			      const char *error, const char *cause)
{
	cJSON *d = details(h);
	add_str(d, "error", error);
	add_str(d, "cause", cause);
	const char *f = cause ? strstr(cause, "The field '") : NULL;
	const char *end = f ? strchr(f + 11, '\'') : NULL;
	if (d && end) {
		char loc[256];
		snprintf(loc, sizeof loc, "%.*s", (int)(end - (f + 11)), f + 11);
		add_str(d, "location", loc);
	}
	add_str(d, "state", s->name);
	emit(h, "EvaluationFailed", t, "evaluationFailedEventDetails", d);
}

static void feed_step(struct rt_hist *h, const cJSON *p)
{
	int ran = (int)rt_j_int(p, "ran");
	if (ran < 0 || ran >= h->m->nstates)
		return;
	const struct aslrt_state *s = &h->m->states[ran];
	int64_t t0 = rt_j_int(p, "t0"), t1 = rt_j_int(p, "t1");
	const cJSON *cp = cJSON_GetObjectItemCaseSensitive(p, "cp");
	flush_wait(h, 1);
	if (!rt_j_int(p, "re") && !rt_j_int(p, "resume")) {
		state_event(h, s, "Entered", t0, "input", h->last_input);
		if (s->type == ASLRT_MAP) {
			cJSON *d = details(h);
			if (d)
				cJSON_AddNumberToObject(d, "length", map_length(h, s));
			emit(h, "MapStateStarted", t0, "mapStateStartedEventDetails", d);
		} else if (s->type == ASLRT_PARALLEL) {
			emit(h, "ParallelStateStarted", t0, NULL, NULL);
		}
	}
	flush_held(h);
	if (!cJSON_GetObjectItemCaseSensitive(p, "park")) {   /* the state is done */
		cJSON_Delete(h->seen);
		h->seen = NULL;
	}
	const char *status = rt_j_str(cp, "s");
	const char *fan = s->type == ASLRT_MAP ? "Map" : s->type == ASLRT_PARALLEL ? "Parallel"
										      : NULL;
	char type[40];
	if (status && strcmp(status, "RUNNING") == 0) {
		if (rt_j_int(cp, "ry") || cJSON_GetObjectItemCaseSensitive(p, "park"))
			return;                    /* the state goes on: retry, callback */
		if (fan) {
			snprintf(type, sizeof type, "%sStateSucceeded", fan);
			emit(h, type, t1, NULL, NULL);
		}
		const cJSON *out = cJSON_GetObjectItemCaseSensitive(cp, "in");
		if (s->type == ASLRT_WAIT) {          /* it exits when the time has come */
			h->wait_state = ran;
			h->wait_until = rt_j_int(cp, "wd") ? rt_j_int(cp, "wd") : t1;
			h->wait_output = h->events && out ? cJSON_Duplicate(out, 1) : NULL;
		} else {
			state_event(h, s, "Exited", t1, "output", out);
		}
		set_last_input(h, out);
	} else if (status && strcmp(status, "SUCCEEDED") == 0) {
		const cJSON *out = cJSON_GetObjectItemCaseSensitive(cp, "out");
		if (fan) {
			snprintf(type, sizeof type, "%sStateSucceeded", fan);
			emit(h, type, t1, NULL, NULL);
		}
		state_event(h, s, "Exited", t1, "output", out);
		cJSON *d = details(h);
		add_text(d, "output", "outputDetails", out);
		emit(h, "ExecutionSucceeded", t1, "executionSucceededEventDetails", d);
	} else {
		const char *err = rt_j_str(cp, "err");
		if (s->jsonata && err && strcmp(err, ASLRT_ERR_QUERY_EVAL) == 0)
			evaluation_failed(h, s, t1, err, rt_j_str(cp, "cause"));
		if (fan) {
			snprintf(type, sizeof type, "%sStateFailed", fan);
			emit(h, type, t1, NULL, NULL);
		}
		error_details(h, "ExecutionFailed", "executionFailedEventDetails", t1,
			      rt_j_str(cp, "err"), rt_j_str(cp, "cause"));
	}
}

/* Hold a task, park or note record until its step's record comes. */
static void hold(struct rt_hist *h, uint8_t kind, const cJSON *p)
{
	/* a child's note already seen: the step ran again (resumed after it
	 * parked, or after a crash) and noted it a second time */
	const char *id = kind == RT_REC_NOTE ? rt_j_str(p, "id") : NULL;
	if (id && (h->seen || (h->seen = cJSON_CreateObject()))) {
		if (cJSON_GetObjectItemCaseSensitive(h->seen, id))
			return;
		cJSON_AddItemToObject(h->seen, id, cJSON_CreateTrue());
	}
	if (!h->events) {
		h->nheld += task_record_count(h->m, kind, p);
		return;
	}
	if (!h->held && !(h->held = cJSON_CreateArray()))
		return;
	cJSON *r = cJSON_CreateObject();
	cJSON *copy = cJSON_Duplicate(p, 1);
	if (!r || !copy || !cJSON_AddNumberToObject(r, "k", kind) ||
	    !cJSON_AddItemToObject(r, "p", copy)) {
		cJSON_Delete(r);
		return;
	}
	cJSON_AddItemToArray(h->held, r);
}

void rt_hist_feed(struct rt_hist *h, uint8_t kind, const cJSON *p)
{
	if (h->closed && kind != RT_REC_REDRIVE)
		return;
	switch (kind) {
	case RT_REC_START: {
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "input");
		cJSON *d = details(h);
		add_text(d, "input", "inputDetails", in);
		add_str(d, "roleArn", "arn:aws:iam::123456789012:role/aslc-local");
		emit(h, "ExecutionStarted", rt_j_int(p, "t"), "executionStartedEventDetails", d);
		set_last_input(h, in);
		break;
	}
	case RT_REC_TASK:
	case RT_REC_PARK:
	case RT_REC_NOTE:
		hold(h, kind, p);
		break;
	case RT_REC_STEP:
		feed_step(h, p);
		break;
	case RT_REC_END: {
		flush_wait(h, 0);
		flush_held(h);
		const char *s = rt_j_str(p, "s");
		int timed_out = s && strcmp(s, "TIMED_OUT") == 0;
		error_details(h, timed_out ? "ExecutionTimedOut" : "ExecutionAborted",
			      timed_out ? "executionTimedOutEventDetails"
					: "executionAbortedEventDetails",
			      rt_j_int(p, "t"), rt_j_str(p, "err"), rt_j_str(p, "cause"));
		h->closed = 1;
		break;
	}
	case RT_REC_REDRIVE: {
		h->closed = 0;
		flush_wait(h, 0);
		cJSON_Delete(h->held);     /* a failed step's leftovers */
		h->held = NULL;
		h->nheld = 0;
		cJSON_Delete(h->seen);
		h->seen = NULL;
		cJSON *d = details(h);
		if (d)
			cJSON_AddNumberToObject(d, "redriveCount", (double)rt_j_int(p, "n"));
		emit(h, "ExecutionRedriven", rt_j_int(p, "t"), "executionRedrivenEventDetails", d);
		set_last_input(h, cJSON_GetObjectItemCaseSensitive(
					  cJSON_GetObjectItemCaseSensitive(p, "cp"), "in"));
		break;
	}
	default:
		break;
	}
}

void rt_hist_end(struct rt_hist *h)
{
	flush_held(h);
}
