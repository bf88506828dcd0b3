/*
 * inbox.c - requests from other processes to the one that owns a store
 * (docs/durable.md): `start`, `send-task-*`, `stop`, `redrive` and the
 * activity-started notice are files in DIR/inbox.
 *
 *   client:  write DIR/inbox/.ID.tmp, rename it to ID.req, wait for ID.rep
 *   owner:   read every *.req, apply it, wait until its records are durable,
 *            write ID.rep (tmp + rename), remove ID.req
 *
 * A reply is written only after the records the request made are durable,
 * so a reply the client sees is never lost. When no process owns the store
 * the client serves the inbox itself (serve_self), so the commands work
 * with or without a running worker. Requests and replies are JSON:
 * {"op": ..., ...} and {"ok": response} or {"error": name, "cause": text}.
 */
#include "durable.h"
#include "taskutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PER_ROUND 4096

/* Write text to path atomically (tmp + rename). Returns 0 or -1. */
static int write_atomic(const char *dir, const char *name, const char *text)
{
	char *tmp = rt_fmt("%s/.%s.tmp", dir, name);
	char *path = rt_fmt("%s/%s", dir, name);
	int rc = -1;
	int fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
	if (fd >= 0) {
		size_t n = strlen(text);
		int ok = write(fd, text, n) == (ssize_t)n;
		ok = close(fd) == 0 && ok;
		rc = ok && path && rename(tmp, path) == 0 ? 0 : -1;
		if (rc)
			unlink(tmp);
	}
	rt_free(tmp);
	rt_free(path);
	return rc;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ---------------------------------------------------------------- owner */

struct served {
	char *id;                      /* the request's file name without .req */
	cJSON *reply;
	uint64_t lsn;
};

/* {"error", "cause"} (new memory), or NULL when out of memory (never a
 * reply missing its error). */
static cJSON *error_reply(const struct aslrt_error *e)
{
	cJSON *r = cJSON_CreateObject();
	if (r && (!cJSON_AddStringToObject(r, "error", e->error ? e->error : "ServiceFailure") ||
		  (e->cause && !cJSON_AddStringToObject(r, "cause", e->cause)))) {
		cJSON_Delete(r);
		r = NULL;
	}
	return r;
}

static cJSON *ok_reply(cJSON *response_take)
{
	cJSON *r = cJSON_CreateObject();
	if (!r || !response_take || !cJSON_AddItemToObject(r, "ok", response_take)) {
		cJSON_Delete(r);
		cJSON_Delete(response_take);
		return NULL;
	}
	return r;
}

/* The response of StartExecution: executionArn and startDate. */
static cJSON *started(struct rt_sched *sc, const char *name, int64_t start_us)
{
	const struct aslrt_machine *m = rt_sched_machine(sc);
	char *arn = rt_fmt("arn:aws:states:us-east-1:123456789012:execution:%s:%s",
			   m->name ? m->name : "", name);
	char ts[40];
	cJSON *r = arn ? cJSON_CreateObject() : NULL;
	if (r && (!cJSON_AddStringToObject(r, "executionArn", arn) ||
		  !cJSON_AddStringToObject(r, "startDate", rt_time_cli(start_us, ts)))) {
		cJSON_Delete(r);           /* out of memory: no half an answer */
		r = NULL;
	}
	rt_free(arn);
	return r;
}

/* Apply one request. Returns the reply (new memory) and the LSN to wait. */
static cJSON *apply(struct rt_sched *sc, const cJSON *req, uint64_t *lsn)
{
	const char *op = rt_j_str(req, "op");
	struct aslrt_error err = { 0 };
	cJSON *resp = NULL;
	*lsn = 0;
	if (!op) {
		aslrt_error_set(&err, "InvalidRequest", "the request has no \"op\"");
	} else if (strcmp(op, "start") == 0) {
		const char *name = rt_j_str(req, "name");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(req, "input");
		int64_t start_us = 0;
		cJSON *input = in ? cJSON_Duplicate(in, 1) : cJSON_CreateObject();
		char uuid[48];
		if (!name) {    /* StartExecution names an unnamed execution by a UUID */
			if (rt_token_new(uuid) != 0)
				snprintf(uuid, sizeof uuid, "%lld", (long long)rt_now_us());
			uuid[36] = '\0';
			name = uuid;
		}
		if (rt_sched_start(sc, name, input, lsn, &start_us, &err) == 0)
			resp = started(sc, name, start_us);
	} else if (strcmp(op, "send-task-success") == 0) {
		const cJSON *out = cJSON_GetObjectItemCaseSensitive(req, "output");
		resp = rt_sched_task_result(sc, rt_j_str(req, "token"),
					    out ? cJSON_Duplicate(out, 1) : cJSON_CreateNull(), NULL,
					    NULL, lsn, &err);
	} else if (strcmp(op, "send-task-failure") == 0) {
		resp = rt_sched_task_result(sc, rt_j_str(req, "token"), NULL, rt_j_str(req, "error"),
					    rt_j_str(req, "cause"), lsn, &err);
	} else if (strcmp(op, "send-task-heartbeat") == 0) {
		resp = rt_sched_heartbeat(sc, rt_j_str(req, "token"), &err);
	} else if (strcmp(op, "stop") == 0) {
		resp = rt_sched_stop_exec(sc, rt_j_str(req, "name"), rt_j_str(req, "error"),
					  rt_j_str(req, "cause"), lsn, &err);
	} else if (strcmp(op, "redrive") == 0) {
		resp = rt_sched_redrive(sc, rt_j_str(req, "name"), lsn, &err);
	} else if (strcmp(op, "activity-started") == 0) {
		resp = rt_sched_activity_started(sc, rt_j_str(req, "token"),
						 rt_j_str(req, "worker"), lsn, &err);
	} else {
		aslrt_error_set(&err, "InvalidRequest", "unknown request \"%s\"", op);
	}
	cJSON *reply = resp ? ok_reply(resp) : error_reply(&err);
	aslrt_error_clear(&err);
	return reply;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The request ids waiting in box, oldest first (ids embed the time). */
static char **pending_ids(const char *box, size_t *n)
{
	DIR *d = opendir(box);
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL && *n < MAX_PER_ROUND) {
		size_t len = strlen(e->d_name);
		if (len < 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 4, ".req") != 0)
			continue;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = rt_realloc(v, nc * sizeof *nv);
			if (!nv)
				break;
			v = nv;
			cap = nc;
		}
		if ((v[*n] = rt_fmt("%.*s", (int)(len - 4), e->d_name)) != NULL)
			(*n)++;
	}
	if (d)
		closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, cmp_names);
	return v;
}

int rt_inbox_serve(struct rt_sched *sc, const char *dir)
{
	char *box = rt_fmt("%s/inbox", dir);
	size_t n = 0;
	char **ids = box ? pending_ids(box, &n) : NULL;
	struct served *sv = n ? rt_calloc(n, sizeof *sv) : NULL;
	uint64_t upto = 0;
	size_t k = 0;
	for (size_t i = 0; sv && i < n; i++) {
		char *path = rt_fmt("%s/%s.req", box, ids[i]);
		size_t len = 0;
		char *why = NULL;
		char *text = path ? rt_read_file(path, &len, &why) : NULL;
		long failures = rt_alloc_failures();
		cJSON *req = text ? rt_json_parse(text, len, &why) : NULL;
		/* requests are renamed into place whole: one that does not parse
		 * (for want of memory aside) never will, and is answered */
		int garbage = text && !req && rt_alloc_failures() == failures;
		rt_free(text);
		rt_free(path);
		if (!req && !garbage) {
			rt_free(why);
			continue;                  /* vanished: next time */
		}
		sv[k].id = ids[i];
		ids[i] = NULL;
		if (req) {
			sv[k].reply = apply(sc, req, &sv[k].lsn);
		} else {
			struct aslrt_error e = { (char *)"InvalidRequest", why };
			sv[k].reply = error_reply(&e);
		}
		rt_free(why);
		if (sv[k].lsn > upto)
			upto = sv[k].lsn;
		cJSON_Delete(req);
		k++;
	}
	int durable = k == 0 || rt_sched_wait(sc, upto) == 0;
	for (size_t i = 0; i < k; i++) {
		if (!durable) {
			cJSON_Delete(sv[i].reply);
			struct aslrt_error e = { (char *)"ServiceFailure",
						 (char *)"the store failed before the request was durable" };
			sv[i].reply = error_reply(&e);
		}
		char *text = sv[i].reply ? rt_json_print(sv[i].reply) : NULL;
		char *rep = rt_fmt("%s.rep", sv[i].id);
		char *req = rt_fmt("%s/%s.req", box, sv[i].id);
		if (text && rep && write_atomic(box, rep, text) == 0 && req)
			unlink(req);
		rt_free(text);
		rt_free(rep);
		rt_free(req);
		cJSON_Delete(sv[i].reply);
		rt_free(sv[i].id);
	}
	for (size_t i = 0; i < n; i++)
		rt_free(ids ? ids[i] : NULL);
	rt_free(ids);
	rt_free(sv);
	rt_free(box);
	return (int)k;
}

/* ---------------------------------------------------------------- client */

cJSON *rt_inbox_call(const char *dir, const cJSON *req, double timeout_s,
		     int (*serve_self)(void *ctx, char **why), void *ctx, char **why)
{
	*why = NULL;
	char *box = rt_fmt("%s/inbox", dir);
	char tok[48];
	if (!box || rt_token_new(tok) != 0) {
		rt_free(box);
		*why = rt_fmt("out of memory");
		return NULL;
	}
	tok[12] = '\0';
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*why = rt_fmt("no store at %s", dir);
		rt_free(box);
		return NULL;
	}
	mkdir(box, 0700);
	char *id = rt_fmt("%020lld-%ld-%s", (long long)rt_now_us(), (long)getpid(), tok);
	char *name = id ? rt_fmt("%s.req", id) : NULL;
	char *text = rt_json_print(req);
	char *rep = id ? rt_fmt("%s/%s.rep", box, id) : NULL;
	cJSON *reply = NULL;
	if (!name || !text || !rep || write_atomic(box, name, text) != 0) {
		*why = rt_fmt("cannot write a request into %s: %s", box, strerror(errno));
		goto out;
	}
	int64_t deadline = rt_now_us() + (int64_t)(timeout_s * 1e6);
	for (int round = 0;; round++) {
		size_t len = 0;
		char *inner = NULL;
		char *r = rt_read_file(rep, &len, &inner);
		rt_free(inner);
		if (r) {
			reply = rt_json_parse(r, len, why);
			rt_free(r);
			unlink(rep);
			break;
		}
		long pid = 0;
		if (!rt_store_locked(dir, &pid) && serve_self) {
			char *w = NULL;
			if (serve_self(ctx, &w) != 0 && w && !*why)
				*why = w;         /* kept if nothing answers in the end */
			else
				rt_free(w);
			if (stat(rep, &st) == 0)
				continue;         /* answered: read it */
		}
		if (rt_now_us() > deadline) {
			char *req_path = rt_fmt("%s/%s", box, name);
			if (req_path)
				unlink(req_path);
			rt_free(req_path);
			if (!*why)
				*why = rt_fmt("no reply from the process owning %s (pid %ld) within "
					      "%g s", dir, pid, timeout_s);
			break;
		}
		sleep_ms(round < 20 ? 2 : 10);
	}
	if (reply) {
		rt_free(*why);
		*why = NULL;
	}
out:
	rt_free(id);
	rt_free(name);
	rt_free(text);
	rt_free(rep);
	rt_free(box);
	return reply;
}
