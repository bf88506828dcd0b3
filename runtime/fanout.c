/*
 * fanout.c - Parallel and (inline) Map: nested machines run as child
 * executions on the worker pool, their results gathered in branch / item
 * order so every concurrency setting gives the sequential run's result.
 * AWS: "Parallel workflow state", "Map state in inline mode". A Map in
 * Distributed mode is handed to distributed.c.
 */
#include "dmap.h"
#include "durable.h"   /* Standard mode: children that park (dtask.c) */

#include <math.h>
#include <string.h>

struct fan {
	struct aslrt_exec *x;
	const struct aslrt_state *s;
	cJSON **inputs;                /* taken by the child that runs item i   */
	struct aslrt_result *res;
	int cancel;                    /* set on the first failure              */
	int stop_on_failure;
};

static void run_item(void *ctx, long i)
{
	struct fan *f = ctx;
	int start = f->s->type == ASLRT_PARALLEL ? f->s->branches[i] : f->s->processor;
	cJSON *in = f->inputs[i];
	f->inputs[i] = NULL;
	rt_run_child_at(f->x, start, i, in, &f->cancel, &f->res[i]);
	if (f->res[i].status == ASLRT_FAILED && f->stop_on_failure)
		__atomic_store_n(&f->cancel, 1, __ATOMIC_RELAXED);
}

static int fan_init(struct fan *f, struct aslrt_exec *x, const struct aslrt_state *s, long n)
{
	memset(f, 0, sizeof *f);
	f->x = x;
	f->s = s;
	f->inputs = rt_calloc((size_t)n, sizeof *f->inputs);
	f->res = rt_calloc((size_t)n, sizeof *f->res);
	return f->inputs && f->res ? 0 : -1;
}

static void fan_free(struct fan *f, long n)
{
	for (long i = 0; f->inputs && i < n; i++)
		cJSON_Delete(f->inputs[i]);
	for (long i = 0; f->res && i < n; i++)
		aslrt_result_clear(&f->res[i]);
	rt_free(f->inputs);
	rt_free(f->res);
}

/* Run the n prepared children, count their transitions, and return the
 * lowest-indexed real failure (not one cancelled because of it), or -1. */
static long fan_run(struct fan *f, long n, long limit)
{
	rt_pool_run(f->x->opt->workers, n, limit, run_item, f);
	long failed = -1;
	for (long i = 0; i < n; i++) {
		f->x->transitions += f->res[i].transitions;
		const char *e = f->res[i].error.error;
		if (failed < 0 && f->res[i].status == ASLRT_FAILED &&
		    !(e && strcmp(e, "States.Cancelled") == 0))
			failed = i;
	}
	return failed;
}

/* Move every child's output into a new array, in order. Failed children
 * (tolerated in a Map) contribute their error output. */
static cJSON *gather(struct fan *f, long n)
{
	cJSON *arr = cJSON_CreateArray();
	for (long i = 0; arr && i < n; i++) {
		cJSON *v = f->res[i].output;
		f->res[i].output = NULL;
		if (!v) {
			v = cJSON_CreateObject();
			if (v && f->res[i].error.error)
				cJSON_AddStringToObject(v, "Error", f->res[i].error.error);
			if (v && f->res[i].error.cause)
				cJSON_AddStringToObject(v, "Cause", f->res[i].error.cause);
		}
		if (!v) {
			cJSON_Delete(arr);
			return NULL;
		}
		cJSON_AddItemToArray(arr, v);
	}
	return arr;
}

/* Hand the gathered result to the pipeline (ResultSelector...), or the
 * child's error to Retry/Catch. */
static void conclude(struct aslrt_exec *x, const struct aslrt_state *s, struct fan *f,
		     long n, long failed, struct aslrt_error *override)
{
	/* Standard mode: a child whose callback or activity task parked
	 * (ASLRT_ABORTED) parks the whole state, unless the state fails
	 * anyway; it runs again, replaying its children, once every parked
	 * task has its result (docs/durable.md, "Inside Parallel and Map") */
	if (x->journal) {
		long parked = 0, counted = 0;
		for (long i = 0; i < n; i++) {
			counted += f->res[i].transitions;
			parked += failed < 0 && !(override && override->error) &&
				  f->res[i].status == ASLRT_ABORTED;
		}
		/* x->transitions as the children's keys have it (their entry
		 * number); a state that parks counts its children when it ends */
		x->transitions -= counted;
		if (rt_journal_fanout_end(x, parked > 0)) {
			fan_free(f, n);
			return;
		}
		x->transitions += counted;
	}
	struct aslrt_error err = { 0 };
	if (override && override->error) {
		err = *override;
		override->error = override->cause = NULL;
	} else if (failed >= 0) {
		err = f->res[failed].error;
		f->res[failed].error.error = f->res[failed].error.cause = NULL;
	} else {
		cJSON *result = gather(f, n);
		int rc = result ? rt_finish(x, s, result, &err) : -1;
		if (!result)
			aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		if (rc == 0) {
			fan_free(f, n);
			return;
		}
	}
	fan_free(f, n);
	rt_state_error(x, s, &err);
}

void aslrt_parallel(struct aslrt_exec *x, const struct aslrt_state *s)
{
	const cJSON *in = rt_effective_input(x, s);
	cJSON *params;
	if (!in || rt_parameters(x, s, in, &params))
		return;
	if (s->jsonata && rt_jn_arguments(x, s, &params))   /* Arguments */
		return;
	const cJSON *branch_in = params ? params : in;
	long n = s->nbranches;
	struct fan f;
	int ok = fan_init(&f, x, s, n) == 0;
	for (long i = 0; ok && i < n; i++)
		ok = (f.inputs[i] = cJSON_Duplicate(branch_in, 1)) != NULL;
	cJSON_Delete(params);
	if (!ok) {
		struct aslrt_error e = { 0 };
		aslrt_error_set(&e, ASLRT_ERR_RUNTIME, "out of memory");
		fan_free(&f, n);
		rt_fail_exec(x, &e);
		return;
	}
	f.stop_on_failure = 1;     /* one failing branch fails the state */
	long failed = fan_run(&f, n, 0);
	conclude(x, s, &f, n, failed, NULL);
}

/* The item array of an Inline Map: ItemsPath (default $) over the
 * effective input. NULL after failing x when it selects nothing or
 * something else than an array: "In Inline mode, the Map state accepts
 * only a JSON array as input" ("Using Map state in Inline mode"; objects
 * are iterated by Distributed Maps, distributed.c). */
static const cJSON *map_items(struct aslrt_exec *x, const struct aslrt_state *s,
			      const cJSON *in, cJSON **scratch)
{
	*scratch = NULL;
	const cJSON *v = in;
	if (s->items_path) {
		struct rt_roots r = { in, x->context, x, NULL };
		v = rt_path_select(s->items_path, &r, scratch);
	}
	if (cJSON_IsArray(v))
		return v;
	const char *text = s->items_path ? s->items_path->text : "$";
	struct aslrt_error err = { 0 };
	if (!v)
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME,
				"An error occurred while executing the state '%s'. Invalid path "
				"'%s' : No results for path: %s (ItemsPath)", s->name, text, text);
	else
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME,
				"An error occurred while executing the state '%s'. The ItemsPath "
				"field '%s' must reference a JSON array, not %s", s->name, text,
				cJSON_IsObject(v) ? "an object" : "a scalar value");
	cJSON_Delete(*scratch);
	*scratch = NULL;
	rt_fail_exec(x, &err);
	return NULL;
}

/* The default input of an iteration over an object member: the pair
 * {"Key": name, "Value": value}. NULL out of memory. */
static cJSON *member_pair(const cJSON *item)
{
	cJSON *pair = cJSON_CreateObject();
	cJSON *value = cJSON_Duplicate(item, 1);
	if (!pair || !value || !cJSON_AddStringToObject(pair, "Key", item->string) ||
	    !cJSON_AddItemToObject(pair, "Value", value)) {   /* renames value */
		cJSON_Delete(pair);
		cJSON_Delete(value);
		return NULL;
	}
	return pair;
}

cJSON *rt_map_select(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		     const cJSON *item, long index, struct aslrt_error *err)
{
	if (!s->item_selector) {
		cJSON *v = item->string ? member_pair(item) : cJSON_Duplicate(item, 1);
		if (!v)
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return v;
	}
	x->map_item = item;
	x->map_index = index;
	cJSON_Delete(x->context);   /* $$ now has Map.Item */
	x->context = NULL;
	struct rt_roots r = { in, NULL, x, NULL };
	cJSON *v = rt_tmpl_build(s->item_selector, &r, err);
	x->map_item = NULL;
	cJSON_Delete(x->context);
	x->context = NULL;
	if (!v && !err->error)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return v;
}

/* Each iteration's input, into f->inputs. Returns 0 or -1 with err set. */
static int map_inputs(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		      const cJSON *items, struct fan *f, struct aslrt_error *err)
{
	long i = 0;
	for (const cJSON *it = items->child; it; it = it->next, i++)
		if (!(f->inputs[i] = rt_map_select(x, s, in, it, i, err)))
			return -1;
	return 0;
}

int rt_map_tolerance(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		     double *pct, double *count)
{
	*pct = s->has_tolerated_percent ? s->tolerated_percent : -1;
	*count = s->has_tolerated_count ? s->tolerated_count : -1;
	if (s->tolerated_count_path &&
	    rt_seconds_at(x, s, s->tolerated_count_path, in, "ToleratedFailureCountPath", 0, count))
		return -1;
	if (s->tolerated_percent_path) {
		struct rt_roots r = { in, x->context, x, NULL };
		cJSON *scratch = NULL;
		const cJSON *v = rt_path_select(s->tolerated_percent_path, &r, &scratch);
		int ok = cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 100;
		*pct = ok ? v->valuedouble : -1;
		cJSON_Delete(scratch);
		if (!ok) {
			struct aslrt_error e = { 0 };
			aslrt_error_set(&e, ASLRT_ERR_RUNTIME,
					"An error occurred while executing the state '%s'. The "
					"ToleratedFailurePercentagePath field '%s' must reference a "
					"number from 0 to 100", s->name, s->tolerated_percent_path->text);
			rt_fail_exec(x, &e);
			return -1;
		}
	}
	return 0;
}

int rt_map_limit(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		 long *limit)
{
	double v = s->max_concurrency;
	if (s->max_concurrency_path &&
	    rt_seconds_at(x, s, s->max_concurrency_path, in, "MaxConcurrencyPath", 0, &v))
		return -1;
	*limit = (long)v;
	return 0;
}

void aslrt_map(struct aslrt_exec *x, const struct aslrt_state *s)
{
	if (s->distributed) {
		rt_map_distributed(x, s);
		return;
	}
	const cJSON *in = rt_effective_input(x, s);
	if (!in)
		return;
	cJSON *scratch;
	const cJSON *items = s->jsonata ? rt_jn_map_items(x, s, &scratch)   /* Items */
					: map_items(x, s, in, &scratch);
	if (!items)
		return;
	long limit;
	double pct, count;
	if (s->jsonata ? rt_jn_map_limits(x, s, &limit, &pct, &count)
		       : rt_map_limit(x, s, in, &limit) || rt_map_tolerance(x, s, in, &pct, &count)) {
		cJSON_Delete(scratch);
		return;
	}
	long n = cJSON_GetArraySize(items);
	struct fan f;
	struct aslrt_error err = { 0 };
	if (fan_init(&f, x, s, n) != 0 || map_inputs(x, s, in, items, &f, &err) != 0) {
		cJSON_Delete(scratch);
		fan_free(&f, n);
		if (!err.error)
			aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		if (s->jsonata)        /* ItemSelector: QueryEvaluationError */
			rt_state_error(x, s, &err);
		else
			rt_fail_exec(x, &err);
		return;
	}
	cJSON_Delete(scratch);
	int tolerant = pct >= 0 || count >= 0;
	f.stop_on_failure = !tolerant;
	long failed = fan_run(&f, n, limit);
	if (tolerant && failed >= 0) {
		long nfailed = 0;
		for (long i = 0; i < n; i++)
			nfailed += f.res[i].status == ASLRT_FAILED;
		int over_count = count >= 0 && nfailed > count;
		int over_pct = pct >= 0 && nfailed * 100.0 > pct * (double)n;
		/* Both given: the state fails when either is exceeded. */
		if (over_count || over_pct)
			aslrt_error_set(&err, ASLRT_ERR_TOLERATED,
					"The specified tolerated failure threshold was exceeded: "
					"%ld of %ld iterations failed", nfailed, n);
		failed = -1;
	}
	conclude(x, s, &f, n, failed, &err);
}
