/*
 * dtask.c - tasks of Standard executions (docs/durable.md, "Tasks: record
 * before apply" and "Parking"). rt_task_invoke hands every invocation of an
 * execution that has a journal to rt_journal_task, on the worker thread
 * that runs the step:
 *
 *   - a result recorded for the invocation's key is replayed, never
 *     requested again;
 *   - a callback task (".waitForTaskToken") calls its integration with
 *     $$.Task.Token available, records a park record and parks;
 *   - an activity task records a park record and parks; its input is
 *     offered to `get-activity-task` pollers once that record is durable;
 *   - any other task is called, and its result (or error) is appended as a
 *     task record before the step applies it.
 *
 * Also the task tokens and the activity task files.
 */
#include "durable.h"
#include "taskutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- tokens */

int rt_token_new(char *buf)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char r[32];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = 0;
	while (fd >= 0 && got < (ssize_t)sizeof r) {
		ssize_t n = read(fd, r + got, sizeof r - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof r)
		return -1;            /* never a guessable token */
	/* 256 random bits as 43 base64url characters */
	int o = 0;
	for (int i = 0; i < 32; i += 3) {
		uint32_t v = (uint32_t)r[i] << 16 | (i + 1 < 32 ? (uint32_t)r[i + 1] << 8 : 0) |
			     (i + 2 < 32 ? r[i + 2] : 0);
		int chars = i + 2 < 32 ? 4 : 3;
		for (int k = 0; k < chars; k++)
			buf[o++] = b64[(v >> (18 - 6 * k)) & 63];
	}
	buf[o] = '\0';
	return 0;
}

/* ------------------------------------------------------------ the hook */

static struct rt_journal *journal_of(struct aslrt_exec *x)
{
	struct rt_journal *j = x->journal;
	return j && j->x == x ? j : NULL;
}

/* The children of a step (Parallel branches, Map iterations) run at once on
 * the worker pool and share their execution's journal: its replay table,
 * its list of parks and its history count. This lock serializes them; the
 * execution's own step never needs it (it waits while its children run). */
static pthread_mutex_t child_mu = PTHREAD_MUTEX_INITIALIZER;

/* The execution's journal of j (j itself unless j is a child's). */
static struct rt_journal *root_of(struct rt_journal *j)
{
	return j->root ? j->root : j;
}

/* The invocation key of state at attempt for x, whose journal is j, into
 * key (RT_KEY_MAX bytes): rt_task_key's for the execution; for a child its
 * path in front of its own entry number, "exec/5[2]3/State/0" (entry 5 of
 * the enclosing state, child 2, the child's third state), nesting
 * included, so that the key of every invocation is unique and the same
 * when it is repeated. */
static void key_of(struct aslrt_exec *x, const struct rt_journal *j, const char *state,
		   int attempt, char *key)
{
	if (!j->root)
		rt_task_key(x, state, attempt, key);
	else
		snprintf(key, RT_KEY_MAX, "%s/%s%ld/%s/%d", x->exec_name ? x->exec_name : "",
			 j->path, x->transitions, state, attempt);
}

/* rt_sched_put on the execution's journal, serialized for children. */
static int put(struct rt_journal *j, uint8_t kind, cJSON *payload_take)
{
	if (!j->root)
		return rt_sched_put(j, kind, payload_take);
	pthread_mutex_lock(&child_mu);
	int rc = rt_sched_put(j->root, kind, payload_take);
	pthread_mutex_unlock(&child_mu);
	return rc;
}

const char *rt_journal_key(struct aslrt_exec *x)
{
	struct rt_journal *j = journal_of(x);
	return j ? j->key : NULL;
}

const char *rt_journal_token(struct aslrt_exec *x)
{
	struct rt_journal *j = journal_of(x);
	if (!j)
		return NULL;
	const struct aslrt_state *s = &x->m->states[x->state];
	if (s->type != ASLRT_TASK || rt_task_kind(s->resource) != 1)
		return NULL;
	const struct rt_journal *r = root_of(j);
	if (r->resumed) {               /* the step runs again: the same token */
		char key[RT_KEY_MAX];
		key_of(x, j, s->name, x->retry_count, key);
		for (const struct rt_park *p = r->resumed; p; p = p->next)
			if (p->key && strcmp(p->key, key) == 0)
				return p->token;
	}
	if (!j->token) {
		j->token = rt_malloc(48);
		if (j->token && rt_token_new(j->token) != 0) {
			rt_free(j->token);
			j->token = NULL;
		}
	}
	return j->token;
}

/* Replay the recorded result t. */
static int replay(const struct rt_trec *t, cJSON **result, struct aslrt_error *err)
{
	if (t->result) {
		*result = cJSON_Duplicate(t->result, 1);
		if (*result)
			return 0;
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	aslrt_error_set(err, t->error, t->cause ? "%s" : NULL, t->cause);
	return -1;
}

/* The task record {key, st, t0, t1, in, ok | err/cause, pid}. */
static int record_result(struct rt_journal *j, const char *key, int state, int64_t t0,
			 const cJSON *input, int rc, const cJSON *result,
			 const struct aslrt_error *err)
{
	/* every member or none: a record missing "ok" would replay as a
	 * failure (out of memory must fail the step, not change it) */
	cJSON *p = cJSON_CreateObject();
	int ok = p && cJSON_AddStringToObject(p, "key", key) &&
		 cJSON_AddNumberToObject(p, "st", state) &&
		 cJSON_AddNumberToObject(p, "t0", (double)t0) &&
		 cJSON_AddNumberToObject(p, "t1", (double)rt_now_us()) &&
		 (!input || rt_j_add_ref(p, "in", input) == 0);
	if (ok && rc == 0)
		ok = rt_j_add_ref(p, "ok", result) == 0;
	else if (ok)
		ok = cJSON_AddStringToObject(p, "err",
					     err->error ? err->error : ASLRT_ERR_TASK_FAILED) &&
		     (!err->cause || cJSON_AddStringToObject(p, "cause", err->cause));
	if (!ok || !cJSON_AddNumberToObject(p, "pid", (double)getpid())) {
		cJSON_Delete(p);
		return -1;
	}
	if (!j->root)
		return rt_sched_put(j, RT_REC_TASK, p);
	/* a child's result is replayed when its step runs again (parked,
	 * resumed): it goes into the execution's table too */
	pthread_mutex_lock(&child_mu);
	int prc = rt_sched_put(j->root, RT_REC_TASK, p);
	if (prc == 0)
		prc = rt_trec_add(j->root, key, rc == 0 ? result : NULL,
				  err->error ? err->error : ASLRT_ERR_TASK_FAILED, err->cause);
	pthread_mutex_unlock(&child_mu);
	return prc;
}

/* Park the task: the park record, and j->park for the scheduler. */
static int park(struct rt_journal *j, const struct aslrt_state *s, const char *key,
		const char *token, const cJSON *input, const cJSON *submitted, double timeout_s,
		double heartbeat_s)
{
	struct rt_park *pk = rt_calloc(1, sizeof *pk);
	if (!pk || strlen(token) >= sizeof pk->token) {
		rt_free(pk);
		return -1;
	}
	int64_t now = rt_now_us();
	const char *act = rt_activity_name(s->resource);
	strcpy(pk->token, token);
	pk->key = rt_strdup(key);
	pk->state = (int)(s - j->x->m->states);
	pk->activity = act ? rt_strdup(act) : NULL;
	pk->input = act ? cJSON_Duplicate(input, 1) : NULL;
	pk->timeout_at = timeout_s > 0 ? now + (int64_t)(timeout_s * 1e6) : 0;
	pk->heartbeat_s = heartbeat_s;
	cJSON *p = cJSON_CreateObject();
	int ok = pk->key && (!act || (pk->activity && pk->input)) && p &&
		 cJSON_AddStringToObject(p, "key", key) &&
		 cJSON_AddNumberToObject(p, "st", pk->state) &&
		 cJSON_AddStringToObject(p, "token", token) &&
		 cJSON_AddNumberToObject(p, "t", (double)now) &&
		 (!input || rt_j_add_ref(p, "in", input) == 0) &&
		 (!submitted || rt_j_add_ref(p, "sub", submitted) == 0) &&
		 (!act || cJSON_AddStringToObject(p, "act", act)) &&
		 (!pk->timeout_at || cJSON_AddNumberToObject(p, "to", (double)pk->timeout_at)) &&
		 (heartbeat_s <= 0 || cJSON_AddNumberToObject(p, "hb", heartbeat_s));
	if (!ok) {               /* out of memory: no park, nor half a record */
		cJSON_Delete(p);
		rt_free(pk->key);
		rt_free(pk->activity);
		cJSON_Delete(pk->input);
		rt_free(pk);
		return -1;
	}
	struct rt_journal *r = root_of(j);      /* a step may park on several */
	if (j->root)
		pthread_mutex_lock(&child_mu);
	pk->next = r->park;
	r->park = pk;
	int rc = rt_sched_put(r, RT_REC_PARK, p);
	if (j->root)
		pthread_mutex_unlock(&child_mu);
	return rc;
}

/* HeartbeatSeconds, or HeartbeatSecondsPath read from the raw input (0 when
 * neither is given or the path selects no positive integer). */
static double heartbeat_of(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (!s->heartbeat_path)
		return s->heartbeat_s;
	struct rt_roots r = { x->input, NULL, x, NULL };
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(s->heartbeat_path, &r, &scratch);
	double hb = cJSON_IsNumber(v) && v->valuedouble >= 1 ? v->valuedouble : 0;
	cJSON_Delete(scratch);
	return hb;
}

/* The task of x parked: 1 for aslrt_task. A child stops as parked (status
 * ASLRT_ABORTED, rt_journal_child). */
static int parked(struct aslrt_exec *x, const struct rt_journal *j)
{
	if (j->root)
		x->status = ASLRT_ABORTED;
	return 1;
}

int rt_journal_task(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		    double timeout_s, int attempt, cJSON **result, struct aslrt_error *err)
{
	struct rt_journal *j = journal_of(x);
	*result = NULL;
	if (!j)                          /* Express */
		return rt_task_call(x, s, input, timeout_s, attempt, result, err);
	struct rt_journal *r = root_of(j);
	char key[RT_KEY_MAX];
	key_of(x, j, s->name, attempt, key);
	if (j->root)
		pthread_mutex_lock(&child_mu);
	const struct rt_trec *t = r->recorded;
	while (t && strcmp(t->key, key) != 0)
		t = t->next;
	if (j->root)
		pthread_mutex_unlock(&child_mu);
	if (t) {
		/* the original invocation was counted before the checkpoint this
		 * step started from, unless the step parked (then it was counted
		 * in the park's checkpoint) */
		if (!r->resumed)
			__atomic_fetch_add(&x->task_calls[s - x->m->states], 1, __ATOMIC_RELAXED);
		return replay(t, result, err);
	}
	int kind = rt_task_kind(s->resource);
	const struct aslrt_options *opt = x->opt;
	if (kind && opt->mock && rt_mock_has(opt->mock, s->name))
		kind = 0;                    /* a mocked response is the result */
	int64_t t0 = rt_now_us();
	if (kind == 2) {                 /* an activity: a worker will poll for it */
		char token[48];
		if (rt_token_new(token) != 0 ||
		    park(j, s, key, token, input, NULL, timeout_s, heartbeat_of(x, s)) != 0) {
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "cannot schedule the activity task");
			return -1;
		}
		__atomic_fetch_add(&x->task_calls[s - x->m->states], 1, __ATOMIC_RELAXED);
		return parked(x, j);
	}
	const char *token = kind == 1 ? rt_journal_token(x) : NULL;
	if (kind == 1 && !token) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "cannot make a task token");
		return -1;
	}
	j->key = key;
	int rc = rt_task_call(x, s, input, timeout_s, attempt, result, err);
	j->key = NULL;
	if (kind == 1 && rc == 0) {      /* the integration took the token: wait */
		int prc = park(j, s, key, token, input, *result, timeout_s, heartbeat_of(x, s));
		cJSON_Delete(*result);
		*result = NULL;
		if (prc != 0) {
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "cannot park the callback task");
			return -1;
		}
		return parked(x, j);
	}
	if (record_result(j, key, (int)(s - x->m->states), t0, input, rc, *result, err) != 0) {
		/* the store failed: the scheduler stops; this result is not kept */
		cJSON_Delete(*result);
		*result = NULL;
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "cannot record the task result");
		return -1;
	}
	return rc;
}

/* ------------------------------------------------------------ children */

/* The notes of children (RT_REC_NOTE with "ev"), for the history
 * (docs/durable.md, "Inside Parallel and Map"): "e" a state entered, "x" a
 * state's step done, "i" a Map iteration started or ended. "id" is unique
 * per note and the same when a re-run of the step notes it again, so the
 * history shows it once. */
static void note(struct rt_journal *j, cJSON *p_take)
{
	if (p_take && put(j, RT_REC_NOTE, p_take) == 0)
		return;
	/* out of memory or the store failed: the history misses an event;
	 * the store's failure stops the scheduler by itself */
}

/* A new note {"ev": ev, "id": j->path + tail, "t": now}, or NULL. */
static cJSON *note_new(const struct rt_journal *j, const char *ev, const char *tail)
{
	cJSON *p = cJSON_CreateObject();
	char *id = rt_fmt("%s%s", j->path, tail);
	int ok = p && id && cJSON_AddStringToObject(p, "ev", ev) &&
		 cJSON_AddStringToObject(p, "id", id) &&
		 cJSON_AddNumberToObject(p, "t", (double)rt_now_us());
	rt_free(id);
	if (!ok) {
		cJSON_Delete(p);
		return NULL;
	}
	return p;
}

/* The Map iteration note of child c: start, or its end (status s). */
static void iteration_note(struct aslrt_exec *c, struct rt_journal *cj, int end)
{
	const struct aslrt_state *ms = &c->m->states[c->parent->state];
	if (ms->type != ASLRT_MAP)
		return;                    /* AWS has no events per Parallel branch */
	cJSON *p = note_new(cj, "i", end ? ">" : "<");
	const char *how = c->status == ASLRT_SUCCEEDED ? "SUCCEEDED"
			  : c->err.error && strcmp(c->err.error, "States.Cancelled") == 0
				  ? "ABORTED" : "FAILED";
	if (p && (!cJSON_AddNumberToObject(p, "st", c->parent->state) ||
		  !cJSON_AddNumberToObject(p, "i", (double)cj->index) ||
		  (end && !cJSON_AddStringToObject(p, "s", how)))) {
		cJSON_Delete(p);
		p = NULL;
	}
	note(cj, p);
}

void rt_journal_child(struct aslrt_exec *x, struct aslrt_exec *c, long index)
{
	struct rt_journal *pj = journal_of(x);
	c->journal = NULL;
	if (!pj)
		return;
	struct rt_journal *cj = rt_calloc(1, sizeof *cj);
	char attempt[16] = "";
	if (x->retry_count)                /* the enclosing state's attempt */
		snprintf(attempt, sizeof attempt, "r%d", x->retry_count);
	if (cj)
		cj->path = rt_fmt("%s%ld%s[%ld]", pj->path ? pj->path : "", x->transitions, attempt,
				  index);
	if (!cj || !cj->path) {
		rt_free(cj);
		return;                    /* the caller fails the child */
	}
	cj->root = root_of(pj);
	cj->sc = cj->root->sc;
	cj->x = c;
	cj->index = index;
	c->journal = cj;
	iteration_note(c, cj, 0);
}

void rt_journal_child_end(struct aslrt_exec *c)
{
	struct rt_journal *cj = journal_of(c);
	if (!cj || !cj->root)
		return;
	if (c->status != ASLRT_ABORTED)   /* parked: it goes on later */
		iteration_note(c, cj, 1);
	rt_free(cj->path);
	rt_free(cj->token);
	rt_free(cj);
	c->journal = NULL;
}

/* The id of the note of child c's current step: its entry, state and
 * attempt, after c's path. */
static void step_tail(const struct aslrt_exec *c, int st, const char *what, char *tail)
{
	snprintf(tail, RT_KEY_MAX, "%ld/%s/%d%s", c->transitions, c->m->states[st].name,
		 c->retry_count, what);
}

void rt_journal_child_enter(struct aslrt_exec *c)
{
	struct rt_journal *cj = journal_of(c);
	if (!cj || !cj->root || c->retry_count)   /* a retry enters nothing */
		return;
	char tail[RT_KEY_MAX];
	step_tail(c, c->state, "e", tail);
	cJSON *e = note_new(cj, "e", tail);
	if (e && (!cJSON_AddNumberToObject(e, "st", c->state) ||
		  (c->input && rt_j_add_ref(e, "in", c->input) != 0))) {
		cJSON_Delete(e);
		e = NULL;
	}
	note(cj, e);
}

void rt_journal_child_exit(struct aslrt_exec *c, int ran)
{
	struct rt_journal *cj = journal_of(c);
	if (!cj || !cj->root)
		return;
	rt_free(cj->token);                /* the next state's callback: a new one */
	cj->token = NULL;
	/* parked or retrying: the state goes on, no exit yet */
	int on = c->status == ASLRT_ABORTED || (c->status == ASLRT_RUNNING && c->retrying);
	char tail[RT_KEY_MAX];
	step_tail(c, ran, c->status == ASLRT_ABORTED ? "p" : "x", tail);
	cJSON *p = note_new(cj, "x", tail);
	const cJSON *out = c->status == ASLRT_SUCCEEDED ? c->output : c->input;
	int ok = p && cJSON_AddNumberToObject(p, "st", ran) &&
		 cJSON_AddStringToObject(p, "s", on ? "RUNNING" : rt_status_name(c->status));
	if (ok && on)
		ok = cJSON_AddNumberToObject(p, "on", 1) != NULL;
	else if (ok && c->status == ASLRT_FAILED)
		ok = (!c->err.error || cJSON_AddStringToObject(p, "err", c->err.error)) &&
		     (!c->err.cause || cJSON_AddStringToObject(p, "cause", c->err.cause));
	else if (ok && out)
		ok = rt_j_add_ref(p, "out", out) == 0;
	if (!ok) {
		cJSON_Delete(p);
		p = NULL;
	}
	note(cj, p);
}

int rt_journal_fanout_end(struct aslrt_exec *x, int parked_children)
{
	struct rt_journal *j = journal_of(x);
	if (!j)
		return 0;
	if (parked_children) {
		if (j->root)
			x->status = ASLRT_ABORTED;   /* its enclosing state parks too */
		return 1;
	}
	/* the state ends: the parks of its children are void (a sibling
	 * failed). Their keys start with "exec/PREFIX[". */
	struct rt_journal *r = root_of(j);
	char attempt[16] = "";
	if (x->retry_count)
		snprintf(attempt, sizeof attempt, "r%d", x->retry_count);
	char *prefix = rt_fmt("%s/%s%ld%s[", x->exec_name ? x->exec_name : "",
			      j->path ? j->path : "", x->transitions, attempt);
	if (j->root)
		pthread_mutex_lock(&child_mu);
	for (struct rt_park **pp = &r->park; prefix && *pp;) {
		struct rt_park *p = *pp;
		if (p->key && strncmp(p->key, prefix, strlen(prefix)) == 0) {
			*pp = p->next;
			p->next = NULL;
			rt_park_free(p);
		} else {
			pp = &p->next;
		}
	}
	if (j->root)
		pthread_mutex_unlock(&child_mu);
	rt_free(prefix);
	return 0;
}

/* ------------------------------------------------------------ activities */

/* DIR/activities/NAME (created, mode 0700, when make is set). New memory. */
static char *activity_dir(const char *dir, const char *name, int make)
{
	char *a = rt_fmt("%s/activities", dir);
	char *d = a ? rt_fmt("%s/%s", a, name) : NULL;
	char *c = d ? rt_fmt("%s/claimed", d) : NULL;
	if (make && c) {
		mkdir(a, 0700);
		mkdir(d, 0700);
		mkdir(c, 0700);
	}
	rt_free(a);
	rt_free(c);
	return d;
}

int rt_activity_offer(const char *dir, const char *name, const char *token,
		      const cJSON *input)
{
	char *d = activity_dir(dir, name, 1);
	char *path = d ? rt_fmt("%s/%s.json", d, token) : NULL;
	char *claimed = d ? rt_fmt("%s/claimed/%s.json", d, token) : NULL;
	char *tmp = d ? rt_fmt("%s/.%s.tmp", d, token) : NULL;
	char *text = rt_json_print(input);
	struct stat st;
	int rc = -1;
	if (path && claimed && tmp && text) {
		if (stat(path, &st) == 0 || stat(claimed, &st) == 0) {
			rc = 0;               /* offered before (recovery) */
		} else {
			int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			size_t n = strlen(text);
			if (fd >= 0 && write(fd, text, n) == (ssize_t)n && close(fd) == 0) {
				fd = -1;
				rc = rename(tmp, path);
			}
			if (fd >= 0)
				close(fd);
		}
	}
	rt_free(d);
	rt_free(path);
	rt_free(claimed);
	rt_free(tmp);
	rt_free(text);
	return rc;
}

void rt_activity_withdraw(const char *dir, const char *name, const char *token)
{
	char *d = activity_dir(dir, name, 0);
	char *path = d ? rt_fmt("%s/%s.json", d, token) : NULL;
	char *claimed = d ? rt_fmt("%s/claimed/%s.json", d, token) : NULL;
	if (path)
		unlink(path);
	if (claimed)
		unlink(claimed);
	rt_free(d);
	rt_free(path);
	rt_free(claimed);
}

cJSON *rt_activity_claim(const char *dir, const char *name)
{
	char *d = activity_dir(dir, name, 0);
	DIR *dd = d ? opendir(d) : NULL;
	cJSON *out = NULL;
	struct dirent *e;
	while (dd && !out && (e = readdir(dd)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || e->d_name[0] == '.' || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char *from = rt_fmt("%s/%s", d, e->d_name);
		char *to = rt_fmt("%s/claimed/%s", d, e->d_name);
		/* rename is atomic: of two pollers, one gets the file */
		if (from && to && rename(from, to) == 0) {
			size_t len = 0;
			char *why = NULL;
			char *text = rt_read_file(to, &len, &why);
			char *token = rt_fmt("%.*s", (int)(n - 5), e->d_name);
			out = cJSON_CreateObject();
			if (!out || !token || !text || !cJSON_AddStringToObject(out, "taskToken", token) ||
			    !cJSON_AddStringToObject(out, "input", text)) {
				cJSON_Delete(out);
				out = NULL;
			}
			rt_free(token);
			rt_free(text);
			rt_free(why);
		}
		rt_free(from);
		rt_free(to);
	}
	if (dd)
		closedir(dd);
	rt_free(d);
	return out;
}
