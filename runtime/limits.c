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
 * Cost: the check runs at every transition, so it measures without
 * allocating and stops as soon as the answer is known. Numbers that are not
 * small integers count as 24 bytes, the most %.17g can print; only when that
 * estimate exceeds the limit is the value printed to know its exact size.
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

const struct rt_limits *rt_limits(void)
{
	pthread_once(&limits_once, limits_from_env);
	return &limits;
}

int rt_limits_set(size_t payload, int depth)
{
	pthread_once(&limits_once, limits_from_env);
	if (depth < 0 || depth > MAX_DEPTH)
		return -1;
	limits.payload = payload;
	if (depth > 0)
		limits.depth = depth;
	return 0;
}

/* ---------------------------------------------------------- measuring */

struct meter {
	size_t bytes;                  /* so far (an upper bound, see above)   */
	size_t budget;                 /* stop counting past this              */
	int max_depth;
	int too_deep;
	int stopped;                   /* counting stopped past the budget     */
	int estimated;                 /* some number was counted as a bound   */
};

/* Bytes of s as a JSON string, quotes and escapes included (json.c's). */
static size_t string_bytes(const char *s)
{
	size_t n = 2;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += *p >= 0x20 ? 1 + (*p == '"' || *p == '\\')
			       : strchr("\b\f\n\r\t", *p) ? 2 : 6;
	return n;
}

/* Bytes of d as rt_json_number prints it: exact for integers below 10^15,
 * else the bound. */
static size_t number_bytes(struct meter *m, double d)
{
	if (d < 1e15 && d > -1e15 && d == (double)(long long)d) {   /* cast in range */
		long long v = (long long)d;
		size_t n = v < 0 ? 2 : 1;
		for (v = v < 0 ? -v : v; v >= 10; v /= 10)
			n++;
		return n;
	}
	m->estimated = 1;
	return NUMBER_BOUND;
}

/* Add v, depth levels down, to m; stops early once over budget or too deep.
 * Recursion is bounded by m->max_depth. */
static void measure(struct meter *m, const cJSON *v, int depth)
{
	switch (v->type & 0xff) {
	case cJSON_NULL: m->bytes += 4; break;
	case cJSON_True: m->bytes += 4; break;
	case cJSON_False: m->bytes += 5; break;
	case cJSON_Number: m->bytes += number_bytes(m, v->valuedouble); break;
	case cJSON_String: m->bytes += string_bytes(v->valuestring ? v->valuestring : ""); break;
	case cJSON_Raw: m->bytes += v->valuestring ? strlen(v->valuestring) : 0; break;
	case cJSON_Array:
	case cJSON_Object:
		if (depth >= m->max_depth) {
			m->too_deep = 1;
			return;
		}
		m->bytes += 2;
		for (const cJSON *c = v->child; c && !m->too_deep; c = c->next) {
			if (c != v->child)
				m->bytes++;
			if (cJSON_IsObject(v))
				m->bytes += string_bytes(c->string ? c->string : "") + 1;
			if (m->bytes > m->budget) {
				m->stopped = 1;
				return;
			}
			measure(m, c, depth + 1);
		}
		break;
	default: m->bytes += 4; break;
	}
}

int rt_payload_measure(const cJSON *v, size_t *bytes)
{
	const struct rt_limits *l = rt_limits();
	struct meter m = { 0, l->payload ? l->payload : (size_t)-1 / 2, l->depth, 0, 0, 0 };
	*bytes = 0;
	if (!v)
		return 0;
	measure(&m, v, 0);
	if (m.too_deep)
		return 2;
	if (!l->payload || m.bytes <= l->payload)
		return 0;
	if (m.estimated) {
		/* Maybe over only by the estimate of some numbers: print to know. */
		char *s = rt_json_print(v);
		if (!s)
			return -1;
		m.bytes = strlen(s);
		m.stopped = 0;
		rt_free(s);
		if (m.bytes <= l->payload)
			return 0;
	}
	*bytes = m.stopped ? 0 : m.bytes;
	return 1;
}

int rt_payload_check(const cJSON *v, enum rt_payload what, const char *name,
		     struct aslrt_error *err)
{
	size_t bytes;
	int rc = rt_payload_measure(v, &bytes);
	if (rc == 0)
		return 0;
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
	char size[32] = "more";        /* counting stopped past the limit */
	if (bytes)
		snprintf(size, sizeof size, "%zu", bytes);
	if (rc == 2)
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "%s%s%s%s is nested more than %d "
				"levels deep, the limit of this runtime.", whose[what],
				named ? " '" : "", named ? name : "", named ? "'" : "", l->depth);
	else if (what == RT_PAYLOAD_TASK_RESULT)   /* AWS's own wording */
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "The state/task '%s' returned a result "
				"with a size exceeding the maximum number of bytes service limit "
				"(%s bytes; the limit is %zu).", name ? name : "", size, l->payload);
	else
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT, "%s%s%s%s has a size exceeding the "
				"maximum number of bytes service limit (%s bytes; the limit is %zu).",
				whose[what], named ? " '" : "", named ? name : "", named ? "'" : "",
				size, l->payload);
	return -1;
}
