/*
 * journal.c - what the records of a Standard execution say
 * (docs/durable.md, "Checkpoints"): printing a payload into a record,
 * encoding the resumable fields of struct aslrt_exec as a checkpoint and
 * restoring them, and the small vocabulary shared by the durable files
 * (status names, times, task kinds).
 */
#include "durable.h"
#include "taskutil.h"

#include <string.h>
#include <time.h>

int64_t rt_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct aslrt_time rt_time_of_us(int64_t t)
{
	struct aslrt_time r = { t / 1000000, (int32_t)(t % 1000000) * 1000 };
	return r;
}

char *rt_time_cli(int64_t t, char *buf)
{
	struct aslrt_time at = { t / 1000000, 0 };
	long us = (long)(t % 1000000);
	if (us < 0) {
		us += 1000000;
		at.sec--;
	}
	rt_time_format(at, buf);              /* "...T20:14:13Z" */
	size_t n = strlen(buf);
	if (n > 0 && buf[n - 1] == 'Z')
		snprintf(buf + n - 1, 40 - (n - 1), ".%06ld+00:00", us);
	return buf;
}

int rt_rec_put(struct rt_store *st, uint8_t kind, uint8_t flags, const char *name,
	       const cJSON *payload, uint64_t *lsn)
{
	char *text = rt_json_print(payload);
	if (!text)
		return -1;
	struct rt_rec r = { kind, flags, name, strlen(name), text, strlen(text) };
	uint64_t l = 0;
	int rc = st->m->append(st, &r, &l);
	rt_free(text);
	if (lsn)
		*lsn = l;
	return rc;
}

cJSON *rt_rec_json(const struct rt_rec *r)
{
	return cJSON_ParseWithLength(r->data, r->len);
}

static const char *const status_names[] = { "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT",
					    "ABORTED" };

const char *rt_status_name(enum aslrt_status s)
{
	return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s]
									  : "RUNNING";
}

int rt_status_parse(const char *s)
{
	for (int i = 0; s && i < (int)(sizeof status_names / sizeof status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

/* A record's numbers come from a file: one outside int64_t's range (or NaN)
 * reads as absent rather than as a conversion C leaves undefined. */
int64_t rt_j_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
	return d > -9.2e18 && d < 9.2e18 ? (int64_t)d : 0;
}

const char *rt_j_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* cJSON 1.7.15's cJSON_AddItemReferenceToObject loses the reference it made
 * when copying the key runs out of memory; this one frees it. */
int rt_j_add_ref(cJSON *o, const char *key, const cJSON *item)
{
	cJSON *ref = cJSON_IsObject(item) ? cJSON_CreateObjectReference(item->child)
		     : cJSON_IsArray(item) ? cJSON_CreateArrayReference(item->child)
		     : cJSON_IsString(item) ? cJSON_CreateStringReference(item->valuestring)
					    : cJSON_Duplicate(item, 0);
	if (ref && cJSON_AddItemToObject(o, key, ref))
		return 0;
	cJSON_Delete(ref);
	return -1;
}

int rt_j_add_take(cJSON *o, const char *key, cJSON *item_take)
{
	if (item_take && cJSON_AddItemToObject(o, key, item_take))
		return 0;
	cJSON_Delete(item_take);
	return -1;
}

/* The callback pattern: "arn:aws:states:::SERVICE:API.waitForTaskToken"
 * (AWS, "Wait for a Callback with Task Token"). Activities: AWS,
 * "Learn about Activities in Step Functions". */
int rt_task_kind(const char *resource)
{
	static const char suffix[] = ".waitForTaskToken";
	if (!resource)
		return 0;
	size_t n = strlen(resource);
	if (n > sizeof suffix - 1 && strcmp(resource + n - (sizeof suffix - 1), suffix) == 0)
		return 1;
	return rt_activity_name(resource) ? 2 : 0;
}

const char *rt_activity_name(const char *resource)
{
	if (!resource || strncmp(resource, "arn:", 4) != 0)
		return NULL;
	const char *p = resource;
	for (int colons = 0; colons < 5; colons++) {   /* arn:aws:states:R:A: */
		p = strchr(p, ':');
		if (!p)
			return NULL;
		p++;
	}
	if (strncmp(resource + 4, "aws", 3) != 0 || !strstr(resource, ":states:") ||
	    strncmp(p, "activity:", 9) != 0 || !p[9])
		return NULL;
	return p + 9;
}

/* ---------------------------------------------------------- checkpoints */

static cJSON *int_array(const int *v, int n)
{
	while (n > 0 && v[n - 1] == 0)       /* trailing zeros are implied */
		n--;
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int64_t time_us(struct aslrt_time t)
{
	return t.sec * 1000000 + t.nsec / 1000;
}

static struct aslrt_time us_time(int64_t us)
{
	struct aslrt_time t = { us / 1000000, (int32_t)(us % 1000000) * 1000 };
	return t;
}

cJSON *rt_cp_encode(const struct aslrt_exec *x, int64_t wake_us)
{
	cJSON *cp = cJSON_CreateObject();
	int ok = cp && cJSON_AddNumberToObject(cp, "st", x->state) &&
		 cJSON_AddStringToObject(cp, "s", rt_status_name(x->status)) &&
		 cJSON_AddNumberToObject(cp, "tr", (double)x->transitions) &&
		 cJSON_AddNumberToObject(cp, "et", (double)time_us(x->entered_time));
	if (ok && x->input)
		ok = rt_j_add_ref(cp, "in", x->input) == 0;
	if (ok && x->output)
		ok = rt_j_add_ref(cp, "out", x->output) == 0;
	if (ok && x->vars) {
		ok = rt_j_add_ref(cp, "vars", x->vars) == 0 &&
		     cJSON_AddNumberToObject(cp, "vb", (double)x->vars_bytes);
	}
	if (ok && x->retry_count)
		ok = cJSON_AddNumberToObject(cp, "rc", x->retry_count) != NULL;
	if (ok && x->retrying)
		ok = cJSON_AddNumberToObject(cp, "ry", 1) != NULL;
	if (ok && wake_us)
		ok = cJSON_AddNumberToObject(cp, "wd", (double)wake_us) != NULL;
	if (ok && x->err.error)
		ok = cJSON_AddStringToObject(cp, "err", x->err.error) != NULL;
	if (ok && x->err.cause)
		ok = cJSON_AddStringToObject(cp, "cause", x->err.cause) != NULL;
	cJSON *ra = ok ? int_array(x->retry_attempts, x->max_retriers) : NULL;
	cJSON *tc = ok ? int_array(x->task_calls, x->m->nstates) : NULL;
	if (!ra || !tc)
		goto fail;
	if (cJSON_GetArraySize(ra) > 0) {
		if (!cJSON_AddItemToObject(cp, "ra", ra))
			goto fail;
		ra = NULL;
	}
	if (cJSON_GetArraySize(tc) > 0) {
		if (!cJSON_AddItemToObject(cp, "tc", tc))
			goto fail;
		tc = NULL;
	}
	cJSON_Delete(ra);
	cJSON_Delete(tc);
	return cp;
fail:
	cJSON_Delete(ra);
	cJSON_Delete(tc);
	cJSON_Delete(cp);
	return NULL;
}

/* Copy the numbers of array a into v (n slots, the rest zero). */
static int load_ints(const cJSON *a, int *v, int n)
{
	memset(v, 0, (size_t)n * sizeof *v);
	int i = 0;
	for (const cJSON *e = a ? a->child : NULL; e; e = e->next, i++) {
		if (i >= n || !cJSON_IsNumber(e) || !(e->valuedouble >= 0 && e->valuedouble <= 1e9))
			return -1;
		v[i] = (int)e->valuedouble;
	}
	return 0;
}

int rt_cp_apply(struct aslrt_exec *x, const cJSON *cp, int64_t *wake_us, char **why)
{
	int64_t st = rt_j_int(cp, "st");
	int status = rt_status_parse(rt_j_str(cp, "s"));
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(cp, "in");
	*wake_us = 0;
	if (st < 0 || st >= x->m->nstates || status < 0 ||
	    load_ints(cJSON_GetObjectItemCaseSensitive(cp, "ra"), x->retry_attempts,
		      x->max_retriers) != 0 ||
	    load_ints(cJSON_GetObjectItemCaseSensitive(cp, "tc"), x->task_calls,
		      x->m->nstates) != 0) {
		*why = rt_fmt("a checkpoint does not fit the state machine \"%s\"", x->m->name);
		return -1;
	}
	cJSON *input = in ? cJSON_Duplicate(in, 1) : NULL;
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(cp, "vars");
	cJSON *vcopy = vars ? cJSON_Duplicate(vars, 1) : NULL;
	if ((in && !input) || (vars && !vcopy)) {
		cJSON_Delete(input);
		cJSON_Delete(vcopy);
		*why = rt_fmt("out of memory");
		return -1;
	}
	cJSON_Delete(x->input);
	x->input = input;
	cJSON_Delete(x->vars);
	x->vars = vcopy;
	x->vars_bytes = (size_t)rt_j_int(cp, "vb");
	x->state = (int)st;
	x->status = (enum aslrt_status)status;
	x->transitions = (long)rt_j_int(cp, "tr");
	x->retry_count = (int)rt_j_int(cp, "rc");
	x->retrying = rt_j_int(cp, "ry") != 0;
	x->entered_time = us_time(rt_j_int(cp, "et"));
	x->wait_s = 0;
	*wake_us = rt_j_int(cp, "wd");
	cJSON_Delete(x->context);
	x->context = NULL;
	return 0;
}
