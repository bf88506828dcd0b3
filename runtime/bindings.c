/*
 * bindings.c - the bindings file: Task resources served by external programs.
 *
 *   {"arn:aws:lambda:us-east-1:123456789012:function:pay": {
 *        "command": ["./handlers/pay.sh", "--live"],
 *        "timeout": 5,
 *        "env": {"MODE": "test"}},
 *    "arn:aws:lambda:*:*:function:ship-*": {"command": ["python3", "ship.py"]}}
 *
 * A key is an exact resource ARN or a glob (`*`, `?`). An exact key wins over
 * globs; among globs the first in the file wins. A program (command[0]) that
 * contains '/' but does not start with it is relative to the bindings file's
 * directory; one without '/' is searched in PATH (execvp). It runs with the
 * caller's working directory and environment plus "env", never through a shell:
 * the task input as one line of JSON on stdin, the result JSON on stdout (exit
 * 0), or {"Error": ..., "Cause": ...} on stdout with a non-zero exit.
 */
#include "rt.h"
#include "taskutil.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* One entry of the file. */
struct binding {
	char *pattern;
	char **argv;                  /* NULL-terminated; argv[0] resolved      */
	int argc;
	char *shown;                  /* command[0] as written, for messages    */
	double timeout;               /* seconds; 0 = none                      */
	char **env;                   /* "NAME=value"                           */
	int nenv;
};

struct aslrt_bindings {
	int n;
	struct binding *e;
};

/* How much of the program's stderr a failure's cause quotes. */
#define STDERR_TAIL 1000

/* ---------------------------------------------------------- validation */

static int fail(char **msg, char *m)
{
	*msg = m;
	return -1;
}

/* The second member of obj named like an earlier one, or NULL. */
static const cJSON *duplicate_key(const cJSON *obj)
{
	for (const cJSON *a = obj->child; a; a = a->next)
		for (const cJSON *b = a->next; b; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return b;
	return NULL;
}

/* Check one entry; returns 0, or -1 with *msg new (NULL: out of memory). */
static int check_entry(const cJSON *e, char **msg)
{
	const char *p = e->string;
	if (!*p)
		return fail(msg, rt_fmt("a binding's resource pattern must not be empty"));
	if (!cJSON_IsObject(e))
		return fail(msg, rt_fmt("binding \"%s\": must be an object with a field command",
					p));
	for (const cJSON *f = e->child; f; f = f->next)
		if (strcmp(f->string, "command") && strcmp(f->string, "timeout") &&
		    strcmp(f->string, "env"))
			return fail(msg, rt_fmt("binding \"%s\": unknown field \"%s\" (expected "
						"command, timeout, env)", p, f->string));
	const cJSON *d = duplicate_key(e);
	if (d)
		return fail(msg, rt_fmt("binding \"%s\": field %s is given twice", p, d->string));
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
	if (!cmd)
		return fail(msg, rt_fmt("binding \"%s\": missing field command", p));
	if (!cJSON_IsArray(cmd) || !cmd->child)
		return fail(msg, rt_fmt("binding \"%s\": command must be a non-empty array of "
					"strings (the program and its arguments)", p));
	int i = 0;
	for (const cJSON *a = cmd->child; a; a = a->next, i++)
		if (!cJSON_IsString(a))
			return fail(msg, rt_fmt("binding \"%s\": command[%d] must be a string", p, i));
	if (!*cmd->child->valuestring)
		return fail(msg, rt_fmt("binding \"%s\": command[0] (the program) must not be "
					"empty", p));
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "timeout");
	if (t && (!cJSON_IsNumber(t) || !isfinite(t->valuedouble) || t->valuedouble <= 0))
		return fail(msg, rt_fmt("binding \"%s\": timeout must be a positive number of "
					"seconds", p));
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(e, "env");
	if (!env)
		return 0;
	if (!cJSON_IsObject(env))
		return fail(msg, rt_fmt("binding \"%s\": env must be an object of strings", p));
	if ((d = duplicate_key(env)) != NULL)
		return fail(msg, rt_fmt("binding \"%s\": env.%s is given twice", p, d->string));
	for (const cJSON *v = env->child; v; v = v->next) {
		if (!*v->string || strchr(v->string, '='))
			return fail(msg, rt_fmt("binding \"%s\": env name \"%s\" must be non-empty "
						"and must not contain '='", p, v->string));
		if (!cJSON_IsString(v))
			return fail(msg, rt_fmt("binding \"%s\": env.%s must be a string", p,
						v->string));
	}
	return 0;
}

static int check_file(const cJSON *root, char **msg)
{
	if (!cJSON_IsObject(root))
		return fail(msg, rt_fmt("the top level must be an object mapping resources (or "
					"globs) to bindings"));
	const cJSON *d = duplicate_key(root);
	if (d)
		return fail(msg, rt_fmt("binding \"%s\" is defined twice", d->string));
	for (const cJSON *e = root->child; e; e = e->next)
		if (check_entry(e, msg) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ loading */

static void free_entry(struct binding *b)
{
	rt_free(b->pattern);
	for (int i = 0; b->argv && i < b->argc; i++)
		rt_free(b->argv[i]);
	rt_free(b->argv);
	rt_free(b->shown);
	for (int i = 0; b->env && i < b->nenv; i++)
		rt_free(b->env[i]);
	rt_free(b->env);
}

void rt_bindings_free(struct aslrt_bindings *b)
{
	if (!b)
		return;
	for (int i = 0; b->e && i < b->n; i++)
		free_entry(&b->e[i]);
	rt_free(b->e);
	rt_free(b);
}

/* Fill b from the validated entry e; dir is the bindings file's directory.
 * Returns 0, or -1 when out of memory (b partly filled; free_entry frees). */
static int build_entry(struct binding *b, const cJSON *e, const char *dir)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "timeout");
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(e, "env");
	b->pattern = rt_strdup(e->string);
	b->timeout = t ? t->valuedouble : 0;
	b->argc = cJSON_GetArraySize(cmd);
	b->argv = rt_calloc((size_t)b->argc + 1, sizeof *b->argv);
	const char *prog = cmd->child->valuestring;
	b->shown = rt_strdup(prog);
	if (!b->pattern || !b->argv || !b->shown)
		return -1;
	int i = 0;
	for (const cJSON *a = cmd->child; a; a = a->next, i++) {
		if (i == 0 && strchr(prog, '/') && prog[0] != '/')
			b->argv[0] = rt_fmt("%s/%s", dir, prog);
		else
			b->argv[i] = rt_strdup(a->valuestring);
		if (!b->argv[i])
			return -1;
	}
	b->nenv = env ? cJSON_GetArraySize(env) : 0;
	if (!b->nenv)
		return 0;
	b->env = rt_calloc((size_t)b->nenv, sizeof *b->env);
	if (!b->env)
		return -1;
	i = 0;
	for (const cJSON *v = env->child; v; v = v->next, i++)
		if (!(b->env[i] = rt_fmt("%s=%s", v->string, v->valuestring)))
			return -1;
	return 0;
}

/* The directory part of path ("." when there is none), new memory. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return rt_strdup(".");
	if (slash == path)
		return rt_strdup("/");
	return rt_fmt("%.*s", (int)(slash - path), path);
}

/* *why is new memory ("PATH: ..."), NULL when out of memory. */
struct aslrt_bindings *rt_bindings_load(const char *path, char **why)
{
	*why = NULL;
	cJSON *root = rt_json_load(path, why);
	if (!root)
		return NULL;
	char *msg = NULL;
	if (check_file(root, &msg) < 0) {
		if (msg)
			*why = rt_fmt("%s: %s", path, msg);
		rt_free(msg);
		cJSON_Delete(root);
		return NULL;
	}
	struct aslrt_bindings *b = rt_calloc(1, sizeof *b);
	char *dir = dir_of(path);
	int n = cJSON_GetArraySize(root);
	int ok = b && dir;
	if (ok && n > 0) {
		b->e = rt_calloc((size_t)n, sizeof *b->e);
		ok = b->e != NULL;
	}
	for (const cJSON *e = root->child; ok && e; e = e->next)
		ok = build_entry(&b->e[b->n++], e, dir) == 0;
	rt_free(dir);
	cJSON_Delete(root);
	if (!ok) {
		rt_bindings_free(b);
		return NULL;
	}
	return b;
}

/* The entry serving resource: an exact key, else the first matching glob. */
static const struct binding *find(const struct aslrt_bindings *b, const char *resource)
{
	for (int i = 0; b && resource && i < b->n; i++)
		if (strcmp(b->e[i].pattern, resource) == 0)
			return &b->e[i];
	for (int i = 0; b && resource && i < b->n; i++)
		if (rt_glob_match(b->e[i].pattern, resource))
			return &b->e[i];
	return NULL;
}

int rt_bindings_has(const struct aslrt_bindings *b, const char *resource)
{
	return find(b, resource) != NULL;
}

/* ------------------------------------------------------------ running */

/* A growing byte buffer, NUL-terminated. keep > 0 keeps only the last keep
 * bytes (a tail). */
struct sink {
	char *p;
	size_t len, cap, keep;
};

static int sink_add(struct sink *s, const char *d, size_t n)
{
	if (s->keep && n >= s->keep) {
		d += n - s->keep;
		n = s->keep;
		s->len = 0;
	} else if (s->keep && s->len + n > s->keep) {
		size_t drop = s->len + n - s->keep;
		memmove(s->p, s->p + drop, s->len - drop);
		s->len -= drop;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *p = rt_realloc(s->p, cap);
		if (!p)
			return -1;
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->len, d, n);
	s->len += n;
	s->p[s->len] = '\0';
	return 0;
}

/* The running program: its pid and our ends of its stdin/stdout/stderr. */
struct child {
	pid_t pid;
	int in, out, err;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Make *fd close-on-exec and at least 3, so that the child's dup2 onto 0-2
 * never overwrites another of our descriptors (if the host closed its
 * standard streams). Returns 0 or -1. */
static int prep_fd(int *fd)
{
	if (*fd < 3) {
		int n = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
		close(*fd);
		*fd = n;
		return n < 0 ? -1 : 0;
	}
	return fcntl(*fd, F_SETFD, FD_CLOEXEC);
}

/* The child's environment: ours without the names e->env sets, then e->env.
 * *out is a new array of borrowed strings (rt_free it), NULL when e has no
 * env (inherit ours). Returns 0, or -1 when out of memory. */
static int build_env(const struct binding *e, char ***out)
{
	*out = NULL;
	if (!e->nenv)
		return 0;
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **envp = rt_calloc(n + (size_t)e->nenv + 1, sizeof *envp);
	if (!envp)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t nl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int overridden = 0;
		for (int j = 0; j < e->nenv && !overridden; j++)
			overridden = strncmp(e->env[j], environ[i], nl) == 0 && e->env[j][nl] == '=';
		if (!overridden)
			envp[k++] = environ[i];
	}
	for (int j = 0; j < e->nenv; j++)
		envp[k++] = e->env[j];
	envp[k] = NULL;
	*out = envp;
	return 0;
}

/* In the child after fork: report errno through fd and exit. */
static void child_fail(int fd)
{
	int en = errno;
	ssize_t w = write(fd, &en, sizeof en);
	(void)w;
	_exit(127);
}

/* Start e's program. stdin is a socket (so that writing to a program that
 * exits early gives EPIPE through MSG_NOSIGNAL instead of killing us with
 * SIGPIPE); stdout and stderr are pipes. The child leads its own process group
 * so a timeout can kill what it started too. Returns 0, or -1 with *why new
 * memory ("cannot execute ...: ..."; NULL when out of memory). */
static int spawn(const struct binding *e, struct child *c, char **why)
{
	int fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	int *sv = fds, *po = fds + 2, *pe = fds + 4, *px = fds + 6;
	char **envp = NULL;
	int ok = socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && pipe(po) == 0 &&
		 pipe(pe) == 0 && pipe(px) == 0;
	for (int i = 0; ok && i < 8; i++)
		ok = prep_fd(&fds[i]) == 0;
	if (!ok) {
		*why = rt_fmt("cannot start \"%s\": %s", e->shown, strerror(errno));
		goto fail;
	}
	if (build_env(e, &envp) < 0) {
		*why = NULL;
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*why = rt_fmt("cannot start \"%s\": %s", e->shown, strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		if (dup2(sv[1], 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			child_fail(px[1]);
		if (envp)
			environ = envp;
		execvp(e->argv[0], e->argv);
		child_fail(px[1]);
	}
	setpgid(pid, pid); /* also here, so a timeout cannot race the child's own call */
	rt_free(envp);
	envp = NULL;
	close_fd(&sv[1]);
	close_fd(&po[1]);
	close_fd(&pe[1]);
	close_fd(&px[1]);
	int child_errno = 0;
	ssize_t r;
	while ((r = read(px[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR)
		;
	close_fd(&px[0]);
	if (r == (ssize_t)sizeof child_errno) {
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		*why = rt_fmt("cannot execute \"%s\": %s", e->shown, strerror(child_errno));
		goto fail;
	}
	c->pid = pid;
	c->in = sv[0];
	c->out = po[0];
	c->err = pe[0];
	return 0;
fail:
	rt_free(envp);
	for (int i = 0; i < 8; i++)
		close_fd(&fds[i]);
	return -1;
}

/* Drain one readable descriptor into s; closes it at EOF or on error.
 * Returns 0, or -1 when out of memory. */
static int drain(int *fd, struct sink *s)
{
	char buf[65536];
	ssize_t r = read(*fd, buf, sizeof buf);
	if (r > 0)
		return sink_add(s, buf, (size_t)r);
	if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		close_fd(fd);
	return 0;
}

/* Exchange data with c until it closes stdout and stderr: write in[0..len)
 * to its stdin while reading both outputs (poll, so a program that writes a
 * lot before reading cannot deadlock us). deadline is on rt_monotonic(), 0 =
 * none. Returns 0 at EOF, 1 when the deadline passed, -1 on a poll error or
 * out of memory (errno 0). */
static int pump(struct child *c, const char *in, size_t len, double deadline,
		struct sink *out, struct sink *err)
{
	size_t off = 0;
	fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	fcntl(c->out, F_SETFL, fcntl(c->out, F_GETFL) | O_NONBLOCK);
	fcntl(c->err, F_SETFL, fcntl(c->err, F_GETFL) | O_NONBLOCK);
	if (len == 0)
		close_fd(&c->in);
	while (c->out >= 0 || c->err >= 0) {
		struct pollfd p[3];
		int n = 0, iin = -1, iout = -1, ierr = -1;
		if (c->in >= 0) {
			iin = n;
			p[n++] = (struct pollfd){ .fd = c->in, .events = POLLOUT };
		}
		if (c->out >= 0) {
			iout = n;
			p[n++] = (struct pollfd){ .fd = c->out, .events = POLLIN };
		}
		if (c->err >= 0) {
			ierr = n;
			p[n++] = (struct pollfd){ .fd = c->err, .events = POLLIN };
		}
		int ms = -1;
		if (deadline > 0) {
			double left = deadline - rt_monotonic();
			if (left <= 0)
				return 1;
			ms = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
		}
		int r = poll(p, (nfds_t)n, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (iin >= 0 && p[iin].revents) {
			ssize_t w = send(c->in, in + off, len - off, MSG_NOSIGNAL);
			if (w > 0)
				off += (size_t)w;
			/* EPIPE & co.: the program does not read its input; fine. */
			if (off == len || (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
					   errno != EINTR))
				close_fd(&c->in);
		}
		if (iout >= 0 && p[iout].revents && drain(&c->out, out) < 0) {
			errno = 0;
			return -1;
		}
		if (ierr >= 0 && p[ierr].revents && drain(&c->err, err) < 0) {
			errno = 0;
			return -1;
		}
	}
	close_fd(&c->in);
	return 0;
}

/* Wait for c to exit by deadline (0 = forever). Returns 0 with *status set, 1
 * when the deadline passed first, -1 when waitpid failed. */
static int wait_child(pid_t pid, double deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, deadline > 0 ? WNOHANG : 0);
		if (r == pid)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (rt_monotonic() >= deadline)
			return 1;
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
}

/* Kill c's process group and reap it. */
static void kill_child(pid_t pid)
{
	int st;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The last STDERR_TAIL bytes of s without trailing whitespace, starting on a
 * UTF-8 character boundary (borrowed from s, which it trims in place). */
static const char *stderr_tail(struct sink *s)
{
	if (!s->p)
		return "";
	while (s->len > 0 && strchr(" \t\r\n", s->p[s->len - 1]))
		s->p[--s->len] = '\0';
	const char *t = s->p + (s->len > STDERR_TAIL ? s->len - STDERR_TAIL : 0);
	while (((unsigned char)*t & 0xC0) == 0x80)
		t++;
	return t;
}

/* Turn a finished program's status and output into the task's outcome. */
static int outcome(const struct binding *e, int status, struct sink *out, struct sink *errs,
		   cJSON **result, struct aslrt_error *err)
{
	char *why = NULL;
	cJSON *v = rt_json_parse(out->p ? out->p : "", out->len, &why);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (v) {
			*result = v;
			return 0;
		}
		int shown = out->len > 200 ? 200 : (int)out->len;
		while (shown > 0 && strchr(" \t\r\n", out->p[shown - 1]))
			shown--;
		aslrt_error_set(err, ASLRT_ERR_TASK_FAILED,
				"command \"%s\" exited with status 0 but its output is %s%s%.*s",
				e->shown, why ? why : "not valid JSON", shown ? ": " : "", shown,
				shown ? out->p : "");
		rt_free(why);
		return -1;
	}
	rt_free(why);
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(v, "Error");
	if (cJSON_IsObject(v) && cJSON_IsString(en)) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, "Cause");
		char *printed = (c && !cJSON_IsString(c)) ? rt_json_print(c) : NULL;
		if (cJSON_IsString(c))
			aslrt_error_set(err, en->valuestring, "%s", c->valuestring);
		else if (printed)
			aslrt_error_set(err, en->valuestring, "%s", printed);
		else
			aslrt_error_set(err, en->valuestring, NULL);
		rt_free(printed);
		cJSON_Delete(v);
		return -1;
	}
	cJSON_Delete(v);
	const char *tail = stderr_tail(errs);
	if (WIFSIGNALED(status))
		aslrt_error_set(err, ASLRT_ERR_TASK_FAILED, "command \"%s\" was killed by signal %d%s%s",
				e->shown, WTERMSIG(status), *tail ? "; stderr: " : "", tail);
	else
		aslrt_error_set(err, ASLRT_ERR_TASK_FAILED, "command \"%s\" exited with status %d%s%s",
				e->shown, WEXITSTATUS(status), *tail ? "; stderr: " : "", tail);
	return -1;
}

int rt_bindings_run(const struct aslrt_bindings *b, const char *resource, const cJSON *input,
		    double timeout_s, cJSON **result, struct aslrt_error *err)
{
	*result = NULL;
	const struct binding *e = find(b, resource);
	if (!e) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "no binding for resource \"%s\"",
				resource ? resource : "");
		return -1;
	}
	double limit = e->timeout;
	if (timeout_s > 0 && (limit <= 0 || timeout_s < limit))
		limit = timeout_s;

	char *json = input ? rt_json_print(input) : NULL;
	char *line = json ? rt_fmt("%s\n", json) : rt_fmt("null\n");
	rt_free(json);
	if (!line) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	double deadline = limit > 0 ? rt_monotonic() + limit : 0;
	struct child c;
	char *why = NULL;
	if (spawn(e, &c, &why) < 0) {
		rt_free(line);
		if (why)
			aslrt_error_set(err, ASLRT_ERR_TASK_FAILED, "%s", why);
		else
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		rt_free(why);
		return -1;
	}
	struct sink out = { NULL, 0, 0, 0 }, errs = { NULL, 0, 0, STDERR_TAIL * 4 };
	int status = 0;
	int r = pump(&c, line, strlen(line), deadline, &out, &errs);
	int saved = r < 0 ? errno : 0;
	rt_free(line);
	if (r == 0 && (r = wait_child(c.pid, deadline, &status)) < 0)
		saved = errno;
	int rc = -1;
	if (r == 1) {
		kill_child(c.pid);
		rt_task_timeout_error(err, limit);
	} else if (r < 0) {
		kill_child(c.pid);
		if (saved)
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "talking to command \"%s\": %s",
					e->shown, strerror(saved));
		else
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	} else {
		rc = outcome(e, status, &out, &errs, result, err);
	}
	close_fd(&c.in);
	close_fd(&c.out);
	close_fd(&c.err);
	rt_free(out.p);
	rt_free(errs.p);
	return rc;
}
