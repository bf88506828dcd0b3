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
	if (j->resumed)                 /* the step runs again: the same token */
		return j->resumed->token;
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
	cJSON *p = cJSON_CreateObject();
	if (!p)
		return -1;
	cJSON_AddStringToObject(p, "key", key);
	cJSON_AddNumberToObject(p, "st", state);
	cJSON_AddNumberToObject(p, "t0", (double)t0);
	cJSON_AddNumberToObject(p, "t1", (double)rt_now_us());
	if (input)
		cJSON_AddItemReferenceToObject(p, "in", (cJSON *)input);
	if (rc == 0) {
		cJSON_AddItemReferenceToObject(p, "ok", (cJSON *)result);
	} else {
		cJSON_AddStringToObject(p, "err", err->error ? err->error : ASLRT_ERR_TASK_FAILED);
		if (err->cause)
			cJSON_AddStringToObject(p, "cause", err->cause);
	}
	cJSON_AddNumberToObject(p, "pid", (double)getpid());
	return rt_sched_put(j, RT_REC_TASK, p);
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
	if (!pk->key || (act && (!pk->activity || !pk->input)) || !p) {
		cJSON_Delete(p);
		rt_free(pk->key);
		rt_free(pk->activity);
		cJSON_Delete(pk->input);
		rt_free(pk);
		return -1;
	}
	cJSON_AddStringToObject(p, "key", key);
	cJSON_AddNumberToObject(p, "st", pk->state);
	cJSON_AddStringToObject(p, "token", token);
	cJSON_AddNumberToObject(p, "t", (double)now);
	cJSON_AddItemReferenceToObject(p, "in", (cJSON *)input);
	if (submitted)
		cJSON_AddItemReferenceToObject(p, "sub", (cJSON *)submitted);
	if (act)
		cJSON_AddStringToObject(p, "act", act);
	if (pk->timeout_at)
		cJSON_AddNumberToObject(p, "to", (double)pk->timeout_at);
	if (heartbeat_s > 0)
		cJSON_AddNumberToObject(p, "hb", heartbeat_s);
	j->park = pk;
	return rt_sched_put(j, RT_REC_PARK, p);
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

int rt_journal_task(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		    double timeout_s, int attempt, cJSON **result, struct aslrt_error *err)
{
	struct rt_journal *j = journal_of(x);
	*result = NULL;
	if (!j)                          /* a Parallel branch or Map iteration */
		return rt_task_call(x, s, input, timeout_s, attempt, result, err);
	char key[RT_KEY_MAX];
	rt_task_key(x, s->name, attempt, key);
	for (const struct rt_trec *t = j->recorded; t; t = t->next) {
		if (strcmp(t->key, key) != 0)
			continue;
		/* the original invocation was counted before the checkpoint this
		 * step started from, unless the step parked (then it was counted
		 * in the park's checkpoint) */
		if (!j->resumed)
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
		return 1;
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
		return 1;
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
