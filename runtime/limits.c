/*
 * limits.c - the quotas an execution's data must respect: AWS's payload size
 * quota and the runtime's own bound on nesting depth.
 *
 * AWS, "Step Functions service quotas" (quotas related to task executions):
 * "Maximum input or output size for a task, state, or execution: 256 KiB of
 * data as a UTF-8 encoded string. This quota affects the state or execution
 * input and output." AWS, "Handling errors in Step Functions workflows":
 * States.DataLimitExceeded is raised "when the output of a connector is larger
 * than payload size quota", "when the output of a state is larger than
 * payload size quota" and "when, after Parameters processing, the input of a
 * state is larger than the payload size quota"; States.ALL does not catch it
 * (retry.c). The size counted is that of the value as compact JSON text, in
 * UTF-8 bytes: what rt_json_print writes.
 *
 * Depth: every walker of the runtime over a value (the JSON printer, paths,
 * cJSON's copy and delete) recurses once per level, so a value nested without
 * bound would overflow the stack. A payload nested deeper than the depth
 * limit (default 1000, the depth cJSON parses and aslc accepts in a
 * definition) is refused like an oversized one, with States.DataLimitExceeded.
 * Between two checks a state adds at most what its definition spells out
 * (paths of at most 1000 segments, templates nested at most 1000 deep), so
 * every value the runtime holds stays within a few thousand levels.
 *
 * Both limits come from the environment (ASLRT_PAYLOAD_LIMIT bytes, 0 = no
 * size limit; ASLRT_DEPTH_LIMIT levels, 1 to 100000) or from the program's
 * --payload-limit / --depth-limit options (rt_limits_set).
 *
 * Cost: an output is walked only when the bounds carried from state to
 * state (below) do not show that it fits. A walk does not allocate and
 * stops as soon as the answer is known. A first walk bounds
 * the size with strlen alone (every byte as a six-byte escape, every number
 * as 24 bytes, the most %.17g prints); only a value whose bound is over the
 * limit is walked again counting escapes and integers exactly, and only when
 * that is still over because of some number is it printed.
 */
#include "rt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAYLOAD (256u * 1024u)
#define DEFAULT_DEPTH 1000
#define MAX_DEPTH 100000
#define NUMBER_BOUND 24                /* "-1.2345678901234567e-308"     */

static struct rt_limits limits = { DEFAULT_PAYLOAD, DEFAULT_DEPTH };
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;

/* A non-negative integer in [lo, hi] from the environment variable name. */
static int env_number(const char *name, unsigned long long lo, unsigned long long hi,
		      unsigned long long *out)
{
	const char *s = getenv(name);
	if (!s || *s < '0' || *s > '9')
		return 0;
	char *end = NULL;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

static void limits_from_env(void)
{
	unsigned long long v;
	if (env_number("ASLRT_PAYLOAD_LIMIT", 0, (size_t)-1 / 2, &v))
		limits.payload = (size_t)v;
	if (env_number("ASLRT_DEPTH_LIMIT", 1, MAX_DEPTH, &v))
		limits.depth = (int)v;
}

static int limits_ready;           /* limits_from_env has run (acquire) */

static void limits_init(void)
{
	limits_from_env();
	__atomic_store_n(&limits_ready, 1, __ATOMIC_RELEASE);
}

/* Hot (every check): one load once the environment has been read. */
const struct rt_limits *rt_limits(void)
{
	if (!__atomic_load_n(&limits_ready, __ATOMIC_ACQUIRE))
		pthread_once(&limits_once, limits_init);
	return &limits;
}

int rt_limits_set(size_t payload, int depth)
{
	pthread_once(&limits_once, limits_init);
	if (depth < 0 || depth > MAX_DEPTH)
		return -1;
	limits.payload = payload;
	if (depth > 0)
		limits.depth = depth;
	return 0;
}

/* ---------------------------------------------------------- measuring */

struct meter {
	size_t bytes;                  /* so far                                */
	size_t budget;                 /* stop counting past this              */
	int max_depth;
	int exact;                     /* 0: the cheap bound; 1: escapes counted */
	int levels;                    /* deepest nesting seen                  */
	int too_deep;
	int stopped;                   /* counting stopped past the budget     */
	int estimated;                 /* some number was counted as a bound   */
};

/* Extra bytes json.c prints for a control character: \b \t \n \f \r take
 * one, the others (\u00XX) five. */
static const unsigned char control_extra[32] = {
	5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1, 5, 5,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

/* Bytes of the n-byte string s as json.c prints it, quotes included. Out of
 * line: only the second, exact walk needs it. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t exact_string_bytes(const char *s, size_t n)
{
	size_t extra = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		extra += *p < 0x20 ? control_extra[*p] : *p == '"' || *p == '\\';
	return n + extra + 2;
}

/* Bytes of s as a JSON string, quotes included: exactly as json.c prints it,
 * or (the cheap bound) as if every byte took a six-byte escape. */
static inline size_t string_bytes(const struct meter *m, const char *s)
{
	size_t n = strlen(s);
	return m->exact ? exact_string_bytes(s, n) : 6 * n + 2;
}

/* Bytes of d as rt_json_number prints it: exact for integers below 10^15,
 * else the bound (always the bound in the cheap pass). */
static size_t number_bytes(struct meter *m, double d)
{
	if (m->exact && d < 1e15 && d > -1e15 && d == (double)(long long)d) {
		long long v = (long long)d;   /* the cast is in range: tested first */
		size_t n = v < 0 ? 2 : 1;
		for (v = v < 0 ? -v : v; v >= 10; v /= 10)
			n++;
		return n;
	}
	m->estimated = 1;
	return NUMBER_BOUND;
}

/* Bytes of v when it is a scalar (every type but arrays and objects), else
 * 0 (the walk goes into it). */
static inline size_t scalar_bytes(struct meter *m, const cJSON *v)
{
	switch (v->type & 0xff) {
	case cJSON_NULL: return 4;
	case cJSON_True: return 4;
	case cJSON_False: return 5;
	case cJSON_Number: return number_bytes(m, v->valuedouble);
	case cJSON_String: return string_bytes(m, v->valuestring ? v->valuestring : "");
	case cJSON_Raw: return v->valuestring ? strlen(v->valuestring) : 0;
	case cJSON_Array: case cJSON_Object: return 0;
	default: return 4;
	}
}

/* Add v, depth levels down, to m; stops early once over budget or too deep.
 * Scalar members are counted in the loop, without a call each. Recursion
 * is bounded by m->max_depth. */
static void measure(struct meter *m, const cJSON *v, int depth)
{
	int type = v->type & 0xff;
	if (type != cJSON_Array && type != cJSON_Object) {
		m->bytes += scalar_bytes(m, v);
		return;
	}
	if (depth >= m->max_depth) {
		m->too_deep = 1;
		return;
	}
	if (depth >= m->levels)
		m->levels = depth + 1;
	m->bytes += 2;
	for (const cJSON *c = v->child; c && !m->too_deep; c = c->next) {
		if (c != v->child)
			m->bytes++;
		if (type == cJSON_Object)
			m->bytes += string_bytes(m, c->string ? c->string : "") + 1;
		if (m->bytes > m->budget) {
			m->stopped = 1;
			return;
		}
		int kid = c->type & 0xff;
		if (kid == cJSON_Array || kid == cJSON_Object)
			measure(m, c, depth + 1);
		else
			m->bytes += scalar_bytes(m, c);
	}
}

int rt_payload_measure(const cJSON *v, size_t *bytes, int *levels)
{
	const struct rt_limits *l = rt_limits();
	size_t budget = l->payload ? l->payload : (size_t)-1 / 2;
	*bytes = 0;
	*levels = 0;
	if (!v)
		return 0;
	/* The cheap bound first: a walk with strlen only. */
	struct meter m = { 0, budget, l->depth, 0, 0, 0, 0, 0 };
	measure(&m, v, 0);
	*levels = m.levels;
	if (m.too_deep)
		return 2;
	if (m.bytes <= budget) {
		*bytes = m.bytes;
		return 0;
	}
	/* Maybe over: count escapes and integers exactly. */
	m = (struct meter){ 0, budget, l->depth, 1, 0, 0, 0, 0 };
	measure(&m, v, 0);
	*levels = m.levels;
	if (m.too_deep)
		return 2;
	if (m.bytes > budget && m.estimated) {
		/* Maybe over only by the bound of some numbers: print to know. */
		char *s = rt_json_print(v);
		if (!s)
			return -1;
		m.bytes = strlen(s);
		m.stopped = 0;
		rt_free(s);
	}
	if (m.bytes <= budget) {
		*bytes = m.bytes;
		return 0;
	}
	*bytes = m.stopped ? 0 : m.bytes;
	return 1;
}

/* Fill err for rc (1 over, 2 too deep, -1 out of memory) of what / name
 * with size bytes (0: unknown). Returns -1. */
static int limit_error(int rc, size_t bytes, enum rt_payload what, const char *name,
		       struct aslrt_error *err)
{
	if (rc < 0) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	static const char *const whose[] = {
		[RT_PAYLOAD_EXEC_INPUT] = "The execution input",
		[RT_PAYLOAD_STATE_INPUT] = "The input of state",
		[RT_PAYLOAD_STATE_OUTPUT] = "The output of state",
		[RT_PAYLOAD_TASK_RESULT] = "The result of",
	};
	const struct rt_limits *l = rt_limits();
	int named = what != RT_PAYLOAD_EXEC_INPUT && name;
	char size[80];
	if (bytes)
		snprintf(size, sizeof size, "%zu bytes; the limit is %zu", bytes, l->payload);
	else                           /* counting stopped past the limit */
		snprintf(size, sizeof size, "more than the %zu bytes allowed", l->payload);
	if (rc == 2)
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "%s%s%s%s is nested more than %d "
				"levels deep, the limit of this runtime.", whose[what],
				named ? " '" : "", named ? name : "", named ? "'" : "", l->depth);
	else if (what == RT_PAYLOAD_TASK_RESULT)   /* AWS's own wording */
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "The state/task '%s' returned a result "
				"with a size exceeding the maximum number of bytes service limit "
				"(%s).", name ? name : "", size);
	else
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "%s%s%s%s has a size exceeding the "
				"maximum number of bytes service limit (%s).", whose[what],
				named ? " '" : "", named ? name : "", named ? "'" : "", size);
	return -1;
}

int rt_payload_check(const cJSON *v, enum rt_payload what, const char *name,
		     struct aslrt_error *err)
{
	size_t bytes;
	int levels;
	int rc = rt_payload_measure(v, &bytes, &levels);
	return rc == 0 ? 0 : limit_error(rc, bytes, what, name, err);
}

/* ------------------------------------------ bounds from state to state */

/* Walking every state's output would double the cost of a transition
 * (measured on the order example: 1.9 to 3.5 us an order). So each
 * execution carries a bound of its current input's size and nesting
 * (x->in_bytes, x->in_levels; 0 bytes: not known), and a state's output is
 * walked only when no bound shows it within the limits:
 *   - Choice, Wait, Succeed and a Pass that only filters its input, with
 *     InputPath and OutputPath absent, null, or definite paths from `$`:
 *     the output is a part of the input, so the input's bound holds;
 *   - rt_finish (Task, Pass with a result, Map, Parallel): the result is
 *     measured (it is new data), and ResultPath puts it into the input:
 *     bytes <= input + result + the path's keys, levels <= max(input,
 *     path segments + result) (rt_payload_result);
 *   - anything else (a catcher's output, indefinite paths, a child's first
 *     state...) is walked. */

/* p keeps a value within its document: absent, or definite from `$`. */
static int path_within(const struct aslrt_path *p)
{
	return !p || (p->definite && p->root == ASLRT_ROOT_INPUT);
}

int rt_payload_task_result(struct aslrt_exec *x, const struct aslrt_state *s,
			   const cJSON *result, struct aslrt_error *err)
{
	int rc = rt_payload_measure(result, &x->result_bytes, &x->result_levels);
	if (rc != 0)
		return limit_error(rc, x->result_bytes, RT_PAYLOAD_TASK_RESULT, s->resource, err);
	x->result = result;
	return 0;
}

void rt_payload_result(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *result)
{
	const cJSON *measured = x->result;
	x->result = NULL;
	x->out_bytes = (size_t)-1;         /* unknown unless shown below */
	if (!s->io.output_null && !path_within(s->io.output_path))
		return;
	size_t in = x->in_bytes, b;
	int levels;
	if (s->io.result_null) {
		b = in;
		levels = x->in_levels;
	} else {
		size_t rb = x->result_bytes;
		int rl = x->result_levels;
		if (result != measured && rt_payload_measure(result, &rb, &rl) != 0)
			return;                /* the walk at the transition tells */
		const struct aslrt_path *p = s->io.result_path;
		if (!p || p->nseg == 0) {
			b = rb;
			levels = rl;
		} else {
			b = in ? in + rb : 0;
			levels = p->nseg + rl > x->in_levels ? p->nseg + rl : x->in_levels;
			for (int i = 0; b && i < p->nseg; i++)   /* ,"name":{ } */
				b += p->seg[i].kind == ASLRT_SEG_FIELD && p->seg[i].name
					     ? 6 * strlen(p->seg[i].name) + 6 : 1;
		}
	}
	if (!b)
		return;
	if (s->io.output_null) {
		b = 2;
		levels = 1;
	}
	x->out_bytes = b;
	x->out_levels = levels;
}

/* A bound of the size of the value template t builds from an effective
 * input of at most in bytes and in_levels levels, without building it (t
 * stands depth levels down): its constants, plus in for each path. 0 when
 * there is none: an intrinsic, or a path into the context, a variable or
 * several nodes. *levels gets the nesting. Recursion is bounded by the
 * template's (aslc's limit on a definition's nesting). */
static size_t tmpl_bound(const struct aslrt_tmpl *t, size_t in, int in_levels, int depth,
			 int *levels)
{
	size_t b = 0;
	switch (t->kind) {
	case ASLRT_T_NULL: case ASLRT_T_TRUE: case ASLRT_T_FALSE: return 5;
	case ASLRT_T_NUMBER: return NUMBER_BOUND;
	case ASLRT_T_STRING: return 6 * strlen(t->str ? t->str : "") + 2;
	case ASLRT_T_PATH:
		if (!t->path || !path_within(t->path))
			return 0;
		if (depth + in_levels > *levels)
			*levels = depth + in_levels;
		return in;
	case ASLRT_T_INTRINSIC: case ASLRT_T_JSONATA: return 0;
	case ASLRT_T_ARRAY:
	case ASLRT_T_OBJECT:
		if (depth + 1 > *levels)
			*levels = depth + 1;
		b = 2;
		for (int i = 0; i < t->n; i++) {
			size_t item = tmpl_bound(&t->items[i], in, in_levels, depth + 1, levels);
			if (!item)
				return 0;
			b += item + 1;
			if (t->kind == ASLRT_T_OBJECT)
				b += 6 * strlen(t->items[i].key ? t->items[i].key : "") + 3;
		}
		return b;
	}
	return 0;
}

int rt_payload_params(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *params,
		      struct aslrt_error *err)
{
	const struct rt_limits *l = rt_limits();
	if (x->in_bytes && (s->io.input_null || path_within(s->io.input_path))) {
		int levels = 0;
		size_t b = tmpl_bound(s->io.parameters, x->in_bytes, x->in_levels, 0, &levels);
		if (b && (!l->payload || b <= l->payload) && levels <= l->depth)
			return 0;
	}
	return rt_payload_check(params, RT_PAYLOAD_STATE_INPUT, s->name, err);
}

/* The output of state s is a part of its input (see above). */
static int keeps_within(const struct aslrt_state *s)
{
	return (s->type == ASLRT_CHOICE || s->type == ASLRT_WAIT || s->type == ASLRT_SUCCEED ||
		s->type == ASLRT_PASS) &&
	       (s->io.input_null || path_within(s->io.input_path)) &&
	       (s->io.output_null || path_within(s->io.output_path));
}

int rt_payload_output(struct aslrt_exec *x, const cJSON *out, struct aslrt_error *err)
{
	const struct rt_limits *l = rt_limits();
	const struct aslrt_state *s = &x->m->states[x->state];
	size_t bound = x->out_bytes;
	int levels = x->out_levels;
	x->out_bytes = 0;
	if (bound == 0 && x->in_bytes && keeps_within(s)) {
		bound = x->in_bytes;
		levels = x->in_levels;
	}
	if (bound && bound != (size_t)-1 && (!l->payload || bound <= l->payload) &&
	    levels <= l->depth) {
		x->in_bytes = bound;
		x->in_levels = levels;
		return 0;
	}
	size_t bytes;
	int rc = rt_payload_measure(out, &bytes, &levels);
	if (rc != 0)
		return limit_error(rc, bytes, RT_PAYLOAD_STATE_OUTPUT, s->name, err);
	x->in_bytes = bytes ? bytes : 1;
	x->in_levels = levels;
	return 0;
}

int rt_payload_start(struct aslrt_exec *x, struct aslrt_error *err)
{
	size_t bytes;
	int levels;
	int rc = rt_payload_measure(x->input, &bytes, &levels);
	if (rc != 0)
		return limit_error(rc, bytes, RT_PAYLOAD_EXEC_INPUT, NULL, err);
	x->in_bytes = bytes ? bytes : 1;
	x->in_levels = levels;
	return 0;
}
