/*
 * mock.c - Step Functions Local's MockConfigFile: one test case of one state
 * machine, loaded and validated up front, then answered per state and
 * invocation.
 *
 * Format (AWS docs, "Configuration file for mocked service integrations"):
 *   {"StateMachines": {MACHINE: {"TestCases": {CASE: {STATE: RESPONSE}}}},
 *    "MockedResponses": {RESPONSE: {"0": {"Return": ANY},
 *                                   "1-2": {"Throw": {"Error": S, "Cause": S}}}}}
 * Invocation keys are single numbers or inclusive ranges; "a response must
 * contain a single field named Return or Throw"; "the value of Throw must be an
 * object containing an Error and Cause fields with string values". Return is the
 * task's result as is (for Lambda's Invoke that is {"StatusCode", "Payload"}),
 * passed through unchanged. The whole file is validated, not just the test case
 * asked for, so a typo anywhere is reported. A mocked response may be empty
 * ({}): the state is mocked, and any invocation of it fails the execution.
 */
#include "rt.h"
#include "taskutil.h"

#include <limits.h>
#include <string.h>

/* One invocation key ("3" is lo = hi = 3) and its response, exactly one of
 * ret / thrown non-NULL (both borrowed from aslrt_mock.root). */
struct mock_range {
	long lo, hi;
	const cJSON *ret;
	const cJSON *thrown;
};

/* One mocked state of the test case (name borrowed from root). */
struct mock_state {
	const char *name;
	int n;
	struct mock_range *r;
};

struct aslrt_mock {
	cJSON *root;                  /* the parsed file (owned)               */
	int n;
	struct mock_state *st;
};

/* ---------------------------------------------------------- validation */

/* Parse the digits at *p as a non-negative int (no sign, no spaces). */
static int parse_uint(const char **p, long *v)
{
	const char *s = *p;
	long n = 0;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (*s - '0');
		if (n > INT_MAX)
			return 0;
		s++;
	}
	*p = s;
	*v = n;
	return 1;
}

/* Invocation key: "N" or "A-B". Returns 0, or -1 when malformed. */
static int parse_key(const char *k, long *lo, long *hi)
{
	const char *p = k;
	if (!parse_uint(&p, lo))
		return -1;
	if (*p == '\0') {
		*hi = *lo;
		return 0;
	}
	if (*p++ != '-' || !parse_uint(&p, hi) || *p != '\0')
		return -1;
	return 0;
}

/* The second member of obj named like an earlier one, or NULL. cJSON keeps
 * duplicate keys, and the doc requires unique names. */
static const cJSON *duplicate_key(const cJSON *obj)
{
	for (const cJSON *a = obj->child; a; a = a->next)
		for (const cJSON *b = a->next; b; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return b;
	return NULL;
}

/* Record message m (new memory, NULL when out of memory) in *msg; -1. */
static int fail(char **msg, char *m)
{
	*msg = m;
	return -1;
}

/* The checks below return 0 when valid, else -1 with *msg set to a new
 * message (or NULL when out of memory). */

/* Check one {"Return": ...} / {"Throw": ...} entry; ctx starts the message. */
static int check_entry(const cJSON *entry, const char *ctx, char **msg)
{
	if (!cJSON_IsObject(entry))
		return fail(msg, rt_fmt("%s: must be an object with a single field Return or "
					"Throw", ctx));
	const cJSON *ret = NULL, *thr = NULL;
	for (const cJSON *f = entry->child; f; f = f->next) {
		int is_ret = strcmp(f->string, "Return") == 0;
		int is_thr = strcmp(f->string, "Throw") == 0;
		if ((is_ret && ret) || (is_thr && thr))
			return fail(msg, rt_fmt("%s: field %s is given twice", ctx, f->string));
		if (!is_ret && !is_thr)
			return fail(msg, rt_fmt("%s: unknown field \"%s\" (expected Return or "
						"Throw)", ctx, f->string));
		if (is_ret)
			ret = f;
		else
			thr = f;
	}
	if (ret && thr)
		return fail(msg, rt_fmt("%s: has both Return and Throw (exactly one is allowed)",
					ctx));
	if (!ret && !thr)
		return fail(msg, rt_fmt("%s: must be an object with a single field Return or "
					"Throw", ctx));
	if (ret)
		return 0;
	if (!cJSON_IsObject(thr))
		return fail(msg, rt_fmt("%s: Throw must be an object with string fields Error "
					"and Cause", ctx));
	for (const cJSON *f = thr->child; f; f = f->next)
		if (strcmp(f->string, "Error") != 0 && strcmp(f->string, "Cause") != 0)
			return fail(msg, rt_fmt("%s: Throw has unknown field \"%s\" (expected "
						"Error and Cause)", ctx, f->string));
	const cJSON *d = duplicate_key(thr);
	if (d)
		return fail(msg, rt_fmt("%s: Throw has field %s twice", ctx, d->string));
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(thr, "Error")))
		return fail(msg, rt_fmt("%s: Throw.Error must be a string", ctx));
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(thr, "Cause")))
		return fail(msg, rt_fmt("%s: Throw.Cause must be a string", ctx));
	return 0;
}

/* Check mocked response resp (named name); ctx ("" or "test case ..., state
 * ...: ") starts every message. */
static int check_response(const cJSON *resp, const char *name, const char *ctx, char **msg)
{
	if (!cJSON_IsObject(resp))
		return fail(msg, rt_fmt("%smocked response \"%s\": must be an object mapping "
					"invocation numbers to responses", ctx, name));
	/* An empty response ({}) is allowed: the state counts as mocked (so
	 * aslrt_check_bindings accepts a state the test never reaches) and its
	 * first invocation fails, as for any invocation without a response. */
	for (const cJSON *k = resp->child; k; k = k->next) {
		long lo, hi;
		if (parse_key(k->string, &lo, &hi) < 0)
			return fail(msg, rt_fmt("%smocked response \"%s\", key \"%s\": not an "
						"invocation number or range (expected e.g. \"0\", "
						"\"3\" or \"1-2\")", ctx, name, k->string));
		if (lo > hi)
			return fail(msg, rt_fmt("%smocked response \"%s\", key \"%s\": the range "
						"starts after it ends", ctx, name, k->string));
		for (const cJSON *o = resp->child; o != k; o = o->next) {
			long olo, ohi;
			parse_key(o->string, &olo, &ohi); /* checked on its own turn */
			if (olo <= hi && lo <= ohi)
				return fail(msg, rt_fmt("%smocked response \"%s\", key \"%s\": "
							"invocation %ld is also covered by key "
							"\"%s\"", ctx, name, k->string,
							lo > olo ? lo : olo, o->string));
		}
		char *kctx = rt_fmt("%smocked response \"%s\", key \"%s\"", ctx, name, k->string);
		if (!kctx)
			return fail(msg, NULL);
		int r = check_entry(k, kctx, msg);
		rt_free(kctx);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Check one test case (every value names a defined response). */
static int check_test_case(const cJSON *tc, const char *machine, const cJSON *responses,
			   char **msg)
{
	const char *c = tc->string;
	if (!cJSON_IsObject(tc))
		return fail(msg, rt_fmt("test case \"%s\" of state machine \"%s\": must be an "
					"object mapping state names to mocked response names",
					c, machine));
	const cJSON *d = duplicate_key(tc);
	if (d)
		return fail(msg, rt_fmt("test case \"%s\" of state machine \"%s\": state \"%s\" "
					"is listed twice", c, machine, d->string));
	for (const cJSON *s = tc->child; s; s = s->next) {
		if (!cJSON_IsString(s))
			return fail(msg, rt_fmt("test case \"%s\" of state machine \"%s\", state "
						"\"%s\": the mocked response name must be a "
						"string", c, machine, s->string));
		if (!cJSON_GetObjectItemCaseSensitive(responses, s->valuestring))
			return fail(msg, rt_fmt("test case \"%s\" of state machine \"%s\", state "
						"\"%s\": mocked response \"%s\" is not defined "
						"in MockedResponses", c, machine, s->string,
						s->valuestring));
	}
	return 0;
}

/* Check the shape of StateMachines (every machine, every test case). */
static int check_machines(const cJSON *machines, const cJSON *responses, char **msg)
{
	const cJSON *d = duplicate_key(machines);
	if (d)
		return fail(msg, rt_fmt("state machine \"%s\" is defined twice in StateMachines",
					d->string));
	for (const cJSON *m = machines->child; m; m = m->next) {
		if (!cJSON_IsObject(m))
			return fail(msg, rt_fmt("state machine \"%s\": must be an object with a "
						"field TestCases", m->string));
		for (const cJSON *f = m->child; f; f = f->next)
			if (strcmp(f->string, "TestCases") != 0)
				return fail(msg, rt_fmt("state machine \"%s\": unknown field \"%s\" "
							"(expected TestCases)", m->string,
							f->string));
		if (duplicate_key(m))
			return fail(msg, rt_fmt("state machine \"%s\": field TestCases is given "
						"twice", m->string));
		const cJSON *tcs = cJSON_GetObjectItemCaseSensitive(m, "TestCases");
		if (!tcs)
			return fail(msg, rt_fmt("state machine \"%s\": missing field TestCases",
						m->string));
		if (!cJSON_IsObject(tcs))
			return fail(msg, rt_fmt("state machine \"%s\": TestCases must be an object",
						m->string));
		if ((d = duplicate_key(tcs)) != NULL)
			return fail(msg, rt_fmt("state machine \"%s\": test case \"%s\" is defined "
						"twice", m->string, d->string));
		for (const cJSON *tc = tcs->child; tc; tc = tc->next)
			if (check_test_case(tc, m->string, responses, msg) < 0)
				return -1;
	}
	return 0;
}

/* Check the top level and everything below. test_case (the one asked for,
 * NULL when not found) has its responses checked first, so their messages
 * name the state. Messages do not name the file. */
static int check_file(const cJSON *root, const cJSON *test_case, const char *machine,
		      char **msg)
{
	if (!cJSON_IsObject(root))
		return fail(msg, rt_fmt("the top level must be an object with fields "
					"StateMachines and MockedResponses"));
	for (const cJSON *f = root->child; f; f = f->next)
		if (strcmp(f->string, "StateMachines") != 0 &&
		    strcmp(f->string, "MockedResponses") != 0)
			return fail(msg, rt_fmt("unknown top-level field \"%s\" (expected "
						"StateMachines and MockedResponses)", f->string));
	const cJSON *d = duplicate_key(root);
	if (d)
		return fail(msg, rt_fmt("top-level field %s is given twice", d->string));
	const cJSON *machines = cJSON_GetObjectItemCaseSensitive(root, "StateMachines");
	const cJSON *responses = cJSON_GetObjectItemCaseSensitive(root, "MockedResponses");
	if (!machines)
		return fail(msg, rt_fmt("missing top-level field StateMachines"));
	if (!cJSON_IsObject(machines))
		return fail(msg, rt_fmt("StateMachines must be an object"));
	if (!responses)
		return fail(msg, rt_fmt("missing top-level field MockedResponses"));
	if (!cJSON_IsObject(responses))
		return fail(msg, rt_fmt("MockedResponses must be an object"));
	if ((d = duplicate_key(responses)) != NULL)
		return fail(msg, rt_fmt("mocked response \"%s\" is defined twice in "
					"MockedResponses", d->string));
	if (check_machines(machines, responses, msg) < 0)
		return -1;
	for (const cJSON *s = test_case ? test_case->child : NULL; s; s = s->next) {
		char *ctx = rt_fmt("test case \"%s\" of state machine \"%s\", state \"%s\": ",
				   test_case->string, machine, s->string);
		if (!ctx)
			return fail(msg, NULL);
		int r = check_response(cJSON_GetObjectItemCaseSensitive(responses,
									s->valuestring),
				       s->valuestring, ctx, msg);
		rt_free(ctx);
		if (r < 0)
			return -1;
	}
	for (const cJSON *r = responses->child; r; r = r->next)
		if (check_response(r, r->string, "", msg) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ loading */

/* Fill st from the (validated) response object resp. */
static int build_state(struct mock_state *st, const char *name, const cJSON *resp)
{
	st->name = name;
	st->n = cJSON_GetArraySize(resp);
	st->r = rt_calloc((size_t)st->n, sizeof *st->r);
	if (!st->r)
		return -1;
	int i = 0;
	for (const cJSON *k = resp->child; k; k = k->next, i++) {
		parse_key(k->string, &st->r[i].lo, &st->r[i].hi);
		st->r[i].ret = cJSON_GetObjectItemCaseSensitive(k, "Return");
		st->r[i].thrown = cJSON_GetObjectItemCaseSensitive(k, "Throw");
	}
	return 0;
}

/* Build the mock of test case tc. Returns new memory taking root, or NULL
 * (root freed) when out of memory. */
static struct aslrt_mock *build(cJSON *root, const cJSON *tc)
{
	const cJSON *responses = cJSON_GetObjectItemCaseSensitive(root, "MockedResponses");
	struct aslrt_mock *mk = rt_calloc(1, sizeof *mk);
	if (!mk) {
		cJSON_Delete(root);
		return NULL;
	}
	mk->root = root;
	mk->n = cJSON_GetArraySize(tc);
	mk->st = rt_calloc((size_t)mk->n, sizeof *mk->st);
	if (!mk->st) {
		rt_mock_free(mk);
		return NULL;
	}
	int i = 0;
	for (const cJSON *s = tc->child; s; s = s->next, i++) {
		if (build_state(&mk->st[i], s->string,
				cJSON_GetObjectItemCaseSensitive(responses, s->valuestring)) < 0) {
			rt_mock_free(mk);
			return NULL;
		}
	}
	return mk;
}

/* The test case object named test_case of machine, or NULL (and *msg set to
 * new memory) when either is missing. Runs before the shape checks, so it
 * assumes nothing about root's members. */
static const cJSON *find_test_case(const cJSON *root, const char *machine,
				   const char *test_case, char **msg)
{
	const cJSON *machines = cJSON_GetObjectItemCaseSensitive(root, "StateMachines");
	const cJSON *m = cJSON_IsObject(machines)
		? cJSON_GetObjectItemCaseSensitive(machines, machine) : NULL;
	if (!m) {
		*msg = rt_fmt("no state machine named \"%s\" in StateMachines", machine);
		return NULL;
	}
	const cJSON *tcs = cJSON_GetObjectItemCaseSensitive(m, "TestCases");
	const cJSON *tc = cJSON_IsObject(tcs)
		? cJSON_GetObjectItemCaseSensitive(tcs, test_case) : NULL;
	if (!tc)
		*msg = rt_fmt("state machine \"%s\" has no test case named \"%s\"", machine,
			      test_case);
	return tc;
}

/* *why is new memory ("PATH: ..."), or NULL when even that could not be
 * allocated (out of memory). */
struct aslrt_mock *rt_mock_load(const char *path, const char *machine, const char *test_case,
				char **why)
{
	*why = NULL;
	cJSON *root = rt_json_load(path, why);
	if (!root)
		return NULL;
	char *msg = NULL;
	const cJSON *tc = NULL;
	if (cJSON_IsObject(root))
		tc = find_test_case(root, machine, test_case, &msg);
	/* Shape errors first: in a malformed file, the malformation is the
	 * better report than a missing test case. */
	char *shape = NULL;
	if (check_file(root, tc, machine, &shape) < 0 || !tc) {
		const char *m = shape ? shape : msg;
		if (m)
			*why = rt_fmt("%s: %s", path, m);
		rt_free(shape);
		rt_free(msg);
		cJSON_Delete(root);
		return NULL;
	}
	return build(root, tc);
}

void rt_mock_free(struct aslrt_mock *mk)
{
	if (!mk)
		return;
	for (int i = 0; mk->st && i < mk->n; i++)
		rt_free(mk->st[i].r);
	rt_free(mk->st);
	cJSON_Delete(mk->root);
	rt_free(mk);
}

/* ------------------------------------------------------------ lookups */

static const struct mock_state *find_state(const struct aslrt_mock *mk, const char *state)
{
	for (int i = 0; mk && state && i < mk->n; i++)
		if (strcmp(mk->st[i].name, state) == 0)
			return &mk->st[i];
	return NULL;
}

int rt_mock_has(const struct aslrt_mock *mk, const char *state)
{
	return find_state(mk, state) != NULL;
}

int rt_mock_response(const struct aslrt_mock *mk, const char *state, int invocation,
		     const cJSON **ret, const cJSON **thrown)
{
	*ret = NULL;
	*thrown = NULL;
	const struct mock_state *st = find_state(mk, state);
	if (!st)
		return 0;
	for (int i = 0; i < st->n; i++) {
		if (st->r[i].lo <= invocation && invocation <= st->r[i].hi) {
			*ret = st->r[i].ret;
			*thrown = st->r[i].thrown;
			return 1;
		}
	}
	return -1;
}
