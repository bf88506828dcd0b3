/*
 * task.c - Task dispatch: the registry of C handlers (aslrt_task_register,
 * rt_task_lookup), glob matching of resource patterns, rt_task_invoke (mock test
 * case, then bindings file, then registered handler) and aslrt_check_bindings.
 * Also the small text/file helpers declared in taskutil.h.
 */
#include "rt.h"
#include "taskutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ registry */

/* One registration. The list is newest first, so the first match is the
 * latest registration ("later registrations win"). Entries live until the
 * process ends: registrations normally happen in constructors, before main. */
struct rt_reg {
	char *pattern;
	int exact;                     /* no '*' or '?': matching is strcmp     */
	aslrt_task_fn fn;
	void *user;
	struct rt_reg *older;
};

static struct rt_reg *registry;
static unsigned long registry_gen;     /* bumped by every registration      */

/* Copies pattern; fn and user are stored as given. Not thread-safe: register
 * before running executions. */
int aslrt_task_register(const char *pattern, aslrt_task_fn fn, void *user)
{
	if (!pattern || !fn)
		return -1;
	struct rt_reg *r = rt_malloc(sizeof *r);
	if (!r)
		return -1;
	r->pattern = rt_strdup(pattern);
	if (!r->pattern) {
		rt_free(r);
		return -1;
	}
	r->exact = strpbrk(pattern, "*?") == NULL;
	r->fn = fn;
	r->user = user;
	r->older = registry;
	registry = r;
	__atomic_add_fetch(&registry_gen, 1, __ATOMIC_RELEASE);
	return 0;
}

/* The newest registration whose pattern matches resource; *user (if user is
 * not NULL) receives its user pointer. */
aslrt_task_fn rt_task_lookup(const char *resource, void **user)
{
	if (!resource)
		return NULL;
	for (const struct rt_reg *r = registry; r; r = r->older) {
		if (r->exact ? strcmp(r->pattern, resource) == 0
			     : rt_glob_match(r->pattern, resource)) {
			if (user)
				*user = r->user;
			return r->fn;
		}
	}
	return NULL;
}

/* A per-thread memo of rt_task_lookup by state: a Task state's resource
 * string is part of its program's static state table, so the handler it
 * resolves to changes only when one more is registered. Saves comparing the
 * ARN with every registration at every Task call. */
struct memo {
	const struct aslrt_state *s;
	unsigned long gen;
	aslrt_task_fn fn;
	void *user;
};
static _Thread_local struct memo memo[32];

static aslrt_task_fn lookup_for_state(const struct aslrt_state *s, void **user)
{
	struct memo *m = &memo[((uintptr_t)s / sizeof *s) % 32];
	unsigned long gen = __atomic_load_n(&registry_gen, __ATOMIC_ACQUIRE);
	if (m->s != s || m->gen != gen) {
		m->user = NULL;
		m->fn = rt_task_lookup(s->resource, &m->user);
		m->s = s;
		m->gen = gen;
	}
	*user = m->user;
	return m->fn;
}

/* Length of the UTF-8 character starting at s (1 for stray bytes), so that
 * `?` matches one character rather than one byte. */
static size_t utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = 1;
	if (c >= 0xC0)
		while (((unsigned char)s[n] & 0xC0) == 0x80 && n < 4)
			n++;
	return n;
}

/* `*` matches any run of characters (also none, also ':' and '/'), `?` exactly
 * one character, everything else itself. No escapes: ARNs contain neither.
 * Iterative with one backtrack point (the last star), so it is linear-ish and
 * never recursive. */
int rt_glob_match(const char *glob, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*glob == '*') {
			star = ++glob;
			resume = s;
		} else if (*glob == '?') {
			glob++;
			s += utf8_len(s);
		} else if (*glob && *glob == *s) {
			glob++;
			s++;
		} else if (star) {
			glob = star;
			resume += utf8_len(resume);
			s = resume;
		} else {
			return 0;
		}
	}
	while (*glob == '*')
		glob++;
	return *glob == '\0';
}

/* ------------------------------------------------------------ invoke */

double rt_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* AWS Lambda words a function timeout as "Task timed out after 3.00 seconds";
 * Step Functions reports a Task that outlives TimeoutSeconds as States.Timeout
 * (docs: "Error handling in Step Functions", States.Timeout). */
void rt_task_timeout_error(struct aslrt_error *err, double seconds)
{
	aslrt_error_set(err, ASLRT_ERR_TIMEOUT, "Task timed out after %.2f seconds", seconds);
}

/* Serve the invocation from the mock test case. Returns 1 when the state is
 * not mocked (try the next source), else 0 / -1 as rt_task_invoke. */
static int invoke_mock(const struct aslrt_mock *mk, const struct aslrt_state *s,
		       int invocation, cJSON **result, struct aslrt_error *err)
{
	const cJSON *ret = NULL, *thrown = NULL;
	int r = rt_mock_response(mk, s->name, invocation, &ret, &thrown);
	if (r == 0)
		return 1;
	if (r < 0) {
		/* "When you mock a Task, you must specify a mocked response for
		 * every invocation ... If you do not specify a mocked response,
		 * the state machine execution will fail." (Step Functions Local,
		 * "Configuration file for mocked service integrations") */
		aslrt_error_set(err, ASLRT_ERR_RUNTIME,
				"state \"%s\": the mock test case has no response for invocation %d",
				s->name, invocation);
		return -1;
	}
	if (thrown) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(thrown, "Error");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(thrown, "Cause");
		if (cJSON_IsString(c))
			aslrt_error_set(err, cJSON_GetStringValue(e), "%s", c->valuestring);
		else
			aslrt_error_set(err, cJSON_GetStringValue(e), NULL);
		return -1;
	}
	/* Return is the task's result as is, e.g. Lambda's whole Invoke response
	 * {"StatusCode":200,"Payload":{...}} for arn:aws:states:::lambda:invoke. */
	*result = cJSON_Duplicate(ret, 1);
	if (!*result) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	return 0;
}

/* Append s to o without its NUL, at most to end. */
static char *key_put(char *o, const char *end, const char *s)
{
	while (*s && o < end)
		*o++ = *s++;
	return o;
}

static char *key_num(char *o, const char *end, long n)
{
	char d[24];
	int k = 0;
	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0 && k < 23);
	while (k > 0 && o < end)
		*o++ = d[--k];
	return o;
}

/* The idempotency key of an invocation: "<execution>/<entry>/<state>/
 * <attempt>", where entry numbers the states entered so far (with the entry
 * of each enclosing Parallel/Map state in front, "3.2"), so the key stays
 * the same when the invocation is repeated after a crash and differs for
 * every other invocation of the execution at top level. buf holds
 * RT_KEY_MAX bytes. Formatted by hand: Standard mode does this for every
 * task. */
void rt_task_key(const struct aslrt_exec *x, const char *state, int attempt, char *buf)
{
	const char *end = buf + RT_KEY_MAX - 1;
	long entries[8];
	int depth = 0;
	for (const struct aslrt_exec *p = x; p && depth < 8; p = p->parent)
		entries[depth++] = p->transitions;
	char *o = key_put(buf, end, x->exec_name ? x->exec_name : "");
	o = key_put(o, end, "/");
	while (depth > 0) {
		o = key_num(o, end, entries[--depth]);
		if (depth)
			o = key_put(o, end, ".");
	}
	o = key_put(o, end, "/");
	o = key_put(o, end, state);
	o = key_put(o, end, "/");
	o = key_num(o, end, attempt);
	*o = '\0';
}

/* Call the registered handler fn, measuring its wall time. */
static int invoke_handler(struct aslrt_exec *x, const struct aslrt_state *s, aslrt_task_fn fn,
			  void *user, const cJSON *input, double timeout_s, int attempt,
			  cJSON **result, struct aslrt_error *err)
{
	struct aslrt_task_ctx ctx = {
		.resource = s->resource,
		.state = s->name,
		.execution = x->exec_name,
		.attempt = attempt,
		.user = user,
		/* Standard mode only (dtask.c): Express never repeats a task on
		 * its own, and formatting a key for every call would cost it */
		.idempotency_key = x->journal ? rt_journal_key(x) : NULL,
	};
	struct aslrt_error herr = { NULL, NULL };
	cJSON *res = NULL;
	double t0 = timeout_s > 0 ? rt_monotonic() : 0;   /* timed only with a limit */
	int rc = fn(&ctx, input, &res, &herr);
	double took = timeout_s > 0 ? rt_monotonic() - t0 : 0;

	if (timeout_s > 0 && took > timeout_s) {
		if (rc == 0)
			cJSON_Delete(res);
		aslrt_error_clear(&herr);
		rt_task_timeout_error(err, timeout_s);
		return -1;
	}
	if (rc != 0) {
		aslrt_error_clear(err);
		if (herr.error) {
			err->error = herr.error;
		} else {
			err->error = rt_strdup(ASLRT_ERR_TASK_FAILED);
		}
		err->cause = herr.cause;
		return -1;
	}
	aslrt_error_clear(&herr);
	if (!res) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME,
				"the handler of resource \"%s\" returned success without a result",
				s->resource);
		return -1;
	}
	*result = res;
	return 0;
}

int rt_task_call(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		 double timeout_s, int attempt, cJSON **result, struct aslrt_error *err)
{
	*result = NULL;
	int invocation = 0;
	if (x->task_calls && x->m && s >= x->m->states && s < x->m->states + x->m->nstates)
		invocation = __atomic_fetch_add(&x->task_calls[s - x->m->states], 1,
						__ATOMIC_RELAXED); /* shared by Map/Parallel children */

	const struct aslrt_options *opt = x->opt;
	if (opt && opt->mock) {
		int r = invoke_mock(opt->mock, s, invocation, result, err);
		if (r != 1)
			return r;
	}
	if (opt && opt->bindings && s->resource && rt_bindings_has(opt->bindings, s->resource))
		return rt_bindings_run(opt->bindings, s->resource, input, timeout_s, result, err);

	void *user = NULL;
	aslrt_task_fn fn = lookup_for_state(s, &user);
	if (fn)
		return invoke_handler(x, s, fn, user, input, timeout_s, attempt, result, err);

	aslrt_error_set(err, ASLRT_ERR_RUNTIME,
			"state \"%s\": no mock, binding or registered handler for resource \"%s\"",
			s->name, s->resource ? s->resource : "");
	return -1;
}

int rt_task_invoke(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *input,
		   double timeout_s, int attempt, cJSON **result, struct aslrt_error *err)
{
	if (x->journal)   /* Standard mode: replay, record or park (dtask.c) */
		return rt_journal_task(x, s, input, timeout_s, attempt, result, err);
	return rt_task_call(x, s, input, timeout_s, attempt, result, err);
}

int aslrt_check_bindings(const struct aslrt_machine *m, const struct aslrt_options *opt,
			 struct aslrt_error *err)
{
	for (int i = 0; m && i < m->nstates; i++) {
		const struct aslrt_state *s = &m->states[i];
		if (s->type != ASLRT_TASK)
			continue;
		if (opt && opt->mock && rt_mock_has(opt->mock, s->name))
			continue;
		if (s->resource && opt && opt->bindings &&
		    rt_bindings_has(opt->bindings, s->resource))
			continue;
		if (s->resource && rt_task_lookup(s->resource, NULL))
			continue;
		if (rt_activity_name(s->resource))   /* activity workers poll for it */
			continue;
		aslrt_error_set(err, ASLRT_ERR_RUNTIME,
				"state \"%s\": no mock, binding or registered handler for resource \"%s\"",
				s->name, s->resource ? s->resource : "");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------- taskutil.h helpers */

char *rt_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	char *s = rt_malloc((size_t)len + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *rt_read_fd(int fd, size_t *len, char **why)
{
	size_t n = 0, cap = 4096;
	char *buf = rt_malloc(cap);
	if (!buf) {
		*why = rt_fmt("out of memory");
		return NULL;
	}
	for (;;) {
		if (cap - n < 2) {
			char *nb = cap > ((size_t)-1) / 2 ? NULL : rt_realloc(buf, cap * 2);
			if (!nb) {
				rt_free(buf);
				*why = rt_fmt("out of memory");
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			rt_free(buf);
			*why = rt_fmt("cannot read: %s", strerror(e));
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *rt_read_file(const char *path, size_t *len, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = rt_fmt("cannot read: %s", strerror(errno));
		return NULL;
	}
	char *buf = rt_read_fd(fd, len, why);
	close(fd);
	return buf;
}

/* 1-based line and column (in bytes) of offset off in text. */
static void line_col(const char *text, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* The deepest nesting of arrays and objects in text[0..off], outside
 * strings: cJSON refuses more than CJSON_NESTING_LIMIT levels. */
static int nesting(const char *text, size_t off)
{
	int depth = 0, deepest = 0, in_string = 0;
	for (size_t i = 0; i <= off && text[i]; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\' && text[i + 1])
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return deepest;
}

cJSON *rt_json_parse(const char *text, size_t len, char **why)
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
			   text[i] == '\n'))
		i++;
	if (i == len) {
		*why = rt_fmt("empty (no JSON value)");
		return NULL;
	}
	const char *end = NULL;
	long failed = rt_alloc_failures();
	/* len + 1: cJSON wants the terminating NUL inside the buffer when it
	 * checks that nothing follows the value. */
	cJSON *v = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	size_t off = end ? (size_t)(end - text) : 0;
	if (v && off < len) {
		/* parsing stopped at an embedded NUL byte */
		cJSON_Delete(v);
		v = NULL;
	}
	if (!v) {
		long line, col;
		if (off > len)
			off = len;
		line_col(text, off, &line, &col);
		if (rt_alloc_failures() != failed)
			*why = rt_fmt("not readable (out of memory)");
		else if (nesting(text, off) > CJSON_NESTING_LIMIT)
			*why = rt_fmt("nested more than %d levels deep at line %ld, column %ld",
				      CJSON_NESTING_LIMIT, line, col);
		else   /* cJSON's position: sometimes one past the offending byte */
			*why = rt_fmt("not valid JSON at line %ld, column %ld", line, col);
		return NULL;
	}
	return v;
}

cJSON *rt_json_load(const char *path, char **why)
{
	size_t len = 0;
	char *inner = NULL;
	char *text = rt_read_file(path, &len, &inner);
	cJSON *v = NULL;
	if (text) {
		v = rt_json_parse(text, len, &inner);
		rt_free(text);
	}
	if (!v) {
		*why = rt_fmt("%s: %s", path, inner ? inner : "out of memory");
		rt_free(inner);
	}
	return v;
}
