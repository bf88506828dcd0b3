/*
 * distributed.c - a Map state in Distributed mode (AWS, "Using Map state in
 * Distributed mode"). Items come from the ItemReader, streamed from a file,
 * or from the ItemsPath array; each (or each ItemBatcher batch) runs as a
 * child execution of its own, with its own name, ARN and $$.Execution, on
 * the worker pool. Memory is bounded by the concurrency, not the item
 * count: jobs are pulled from the reader only while fewer than `window`
 * are between being pulled and having their result emitted, and results
 * are emitted in item order (so every concurrency setting gives the
 * sequential run's result) to one of three sinks: the state's output array,
 * the ResultWriter's files, or nowhere when ResultPath is null.
 *
 * Failures: the Map Run fails with States.ExceedToleratedFailureThreshold
 * when failed items exceed ToleratedFailureCount or ToleratedFailurePercentage
 * (both default to zero: any failure fails it). A failing count stops the
 * run at once: no new child starts and running ones are aborted; items
 * never started are exported as PENDING.
 *
 * In a JSONata state the same run is fed by the JSONata forms of the
 * fields ("ItemReader (Map)", "ItemBatcher (Map)", "ResultWriter (Map)",
 * "Items (Map, JSONata only)"): Items instead of ItemsPath, Arguments
 * templates instead of Parameters, MaxItems / MaxItemsPerBatch /
 * MaxInputBytesPerBatch expressions instead of their ...Path (count_of),
 * MaxConcurrency and ToleratedFailure* expressions (rt_jn_map_limits), and
 * Output / Assign with $states.result (rt_finish). Their evaluation errors
 * are States.QueryEvaluationError, for Retry and Catch (setup_failed).
 */
#include "dmap.h"
#include "progress.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#define ARN_PREFIX "arn:aws:states:us-east-1:123456789012:"
#define BATCH_BYTES_MAX (256L * 1024L)   /* AWS: a batch is at most 256 KiB */

/* One child execution: a job of the stream. */
struct job {
	long seq;                      /* its place in the run, from 0          */
	long nitems;                   /* items in it (a batch has several)     */
	cJSON *input;                  /* taken by the child                    */
	cJSON *input_copy;             /* its $$.Execution.Input; the record's  */
	char name[37];
	char *arn;
	struct aslrt_time start, stop;
	struct aslrt_result res;
};

enum sink { SINK_ARRAY, SINK_WRITER, SINK_DROP };

struct dmap {
	struct aslrt_exec *x;
	const struct aslrt_state *s;
	const cJSON *in;               /* the Map's effective input             */
	/* where the items come from */
	struct rt_reader *reader;
	const cJSON *cursor;           /* ItemsPath array: the next element     */
	long nread;                    /* items read = $$.Map.Item.Index next   */
	/* ItemBatcher */
	long batch_items, batch_bytes;
	cJSON *batch_input;
	size_t batch_base;             /* bytes of a batch with no items        */
	cJSON *held;                   /* selected item waiting for next batch  */
	size_t held_bytes;
	/* identity */
	uint64_t rng[2];
	char run_id[37];
	char *run_arn, *child_sm_arn;
	char *source;                  /* $$.Map.Item.Source of a reader's items */
	/* running */
	int cancel;                    /* running children stop                 */
	int stop;                      /* no more jobs are pulled               */
	long pulled, low, window;      /* jobs pulled; emitted (in order)       */
	struct job **ring;             /* finished jobs waiting for their turn  */
	pthread_mutex_t mu;            /* ring, sink, counters, err             */
	long items_total, items_failed;
	double pct, count;             /* tolerances, < 0 when not given        */
	struct aslrt_error err;        /* reader/writer failure: the state's    */
	enum sink sink;
	enum aslrt_transform transform;
	cJSON *results;                /* SINK_ARRAY                            */
	struct rt_writer *writer;      /* SINK_WRITER                           */
	struct rt_progress progress;   /* the progress line of a long run       */
};

/* ------------------------------------------------------------ identity */

static uint64_t next_random(struct dmap *d)
{
	uint64_t a = d->rng[0], b = d->rng[1];   /* xorshift128+ */
	d->rng[0] = b;
	a ^= a << 23;
	d->rng[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
	return d->rng[1] + b;
}

static void seed(struct dmap *d)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, d->rng, sizeof d->rng) : -1;
	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof d->rng) {
		struct aslrt_time t = rt_time_now();
		d->rng[0] = (uint64_t)t.sec * 1000000007u ^ (uint64_t)(uintptr_t)d;
		d->rng[1] = (uint64_t)t.nsec * 2654435761u + 1;
	}
	if (!d->rng[0] && !d->rng[1])
		d->rng[1] = 1;
}

/* A version 4 UUID into buf (37 bytes). */
static void uuid(struct dmap *d, char *buf)
{
	uint64_t h = next_random(d), l = next_random(d);
	h = (h & ~0xf000ULL) | 0x4000ULL;
	l = (l & ~(0xcULL << 60)) | (0x8ULL << 60);
	snprintf(buf, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(h >> 32),
		 (unsigned)(h >> 16) & 0xffffu, (unsigned)h & 0xffffu, (unsigned)(l >> 48),
		 (unsigned long long)(l & 0xffffffffffffULL));
}

static char *concat(const char *const *parts, int n)
{
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += strlen(parts[i]);
	char *s = rt_malloc(len + 1), *o = s;
	for (int i = 0; s && i < n; i++) {
		size_t k = strlen(parts[i]);
		memcpy(o, parts[i], k);
		o += k;
	}
	if (s)
		*o = '\0';
	return s;
}

/* Record err as the run's error (the first one wins) and stop the run. */
static void run_failed(struct dmap *d, struct aslrt_error *err)
{
	pthread_mutex_lock(&d->mu);
	if (!d->err.error) {
		d->err = *err;
		err->error = err->cause = NULL;
	}
	aslrt_error_clear(err);
	pthread_mutex_unlock(&d->mu);
	__atomic_store_n(&d->stop, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&d->cancel, 1, __ATOMIC_RELAXED);
}

/* --------------------------------------------------------------- items */

/* The next raw item: 1 with *item new, 0 at the end, -1 with err set. */
static int next_item(struct dmap *d, cJSON **item, struct aslrt_error *err)
{
	if (d->reader)
		return rt_reader_next(d->reader, item, err);
	if (!d->cursor)
		return 0;
	*item = cJSON_Duplicate(d->cursor, 1);
	d->cursor = d->cursor->next;
	if (*item)
		return 1;
	aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return -1;
}

/* The next item as an iteration sees it (ItemSelector applied), with its
 * serialized size when sized. 1, 0 at the end, or -1 with err set. */
static int next_selected(struct dmap *d, cJSON **sel, size_t *bytes, struct aslrt_error *err)
{
	cJSON *item;
	int rc = next_item(d, &item, err);
	if (rc <= 0)
		return rc;
	d->x->map_source = d->source;
	*sel = rt_map_select(d->x, d->s, d->in, item, d->nread++, err);
	d->x->map_source = NULL;
	cJSON_Delete(item);
	if (!*sel)
		return -1;
	if (bytes) {
		char *text = rt_json_print(*sel);
		*bytes = text ? strlen(text) : 0;
		rt_free(text);
	}
	return 1;
}

/* The input of the next child: one item, or a batch {"BatchInput", "Items"}
 * (AWS, "ItemBatcher (Map)"). 1 with *input new and *nitems set, 0 when the
 * items are exhausted, -1 with err set. */
static int next_input(struct dmap *d, cJSON **input, long *nitems, struct aslrt_error *err)
{
	if (!d->s->batcher) {
		*nitems = 1;
		return next_selected(d, input, NULL, err);
	}
	cJSON *items = cJSON_CreateArray();
	size_t bytes = d->batch_base;
	long n = 0;
	int rc = items ? 0 : -1;
	while (rc == 0) {
		cJSON *sel = d->held;
		size_t sz = d->held_bytes;
		d->held = NULL;
		if (!sel) {
			int got = next_selected(d, &sel, &sz, err);
			if (got <= 0) {
				rc = got;
				break;
			}
		}
		size_t add = sz + (n ? 1 : 0);       /* the comma */
		if (n > 0 && bytes + add > (size_t)d->batch_bytes) {
			d->held = sel;                 /* starts the next batch */
			d->held_bytes = sz;
			break;
		}
		cJSON_AddItemToArray(items, sel);
		bytes += add;
		if (++n == d->batch_items)
			break;
	}
	if (rc < 0 || n == 0) {
		cJSON_Delete(items);
		if (rc < 0 && !err->error)
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return rc;
	}
	cJSON *batch = cJSON_CreateObject();
	int ok = batch != NULL;
	if (ok && d->batch_input) {
		cJSON *bi = cJSON_Duplicate(d->batch_input, 1);
		ok = bi && cJSON_AddItemToObject(batch, "BatchInput", bi);
		if (!ok)
			cJSON_Delete(bi);
	}
	if (ok && (ok = cJSON_AddItemToObject(batch, "Items", items)))
		items = NULL;
	if (!ok) {
		cJSON_Delete(batch);
		cJSON_Delete(items);
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	*input = batch;
	*nitems = n;
	return 1;
}

/* ------------------------------------------------------------- records */

/* A date as AWS prints them in results: milliseconds ("...:50.099Z"). */
static int add_time(cJSON *o, const char *key, struct aslrt_time t)
{
	char buf[40];
	t.nsec -= t.nsec % 1000000;
	return cJSON_AddStringToObject(o, key, rt_time_format(t, buf)) != NULL;
}

/* {"Included": true} */
static int add_included(cJSON *o, const char *key)
{
	cJSON *v = cJSON_AddObjectToObject(o, key);
	return v && cJSON_AddTrueToObject(v, "Included");
}

/* v printed as a JSON string member. */
static int add_printed(cJSON *o, const char *key, const cJSON *v)
{
	char *text = rt_json_print(v);
	int ok = text && cJSON_AddStringToObject(o, key, text);
	rt_free(text);
	return ok;
}

/* The record of a child execution with its metadata, the form AWS calls
 * Transformation NONE ("ResultWriter (Map)"): ExecutionArn, Input, Name,
 * Output (or Error and Cause), Status, dates... in AWS's key order. */
static cJSON *full_record(const struct dmap *d, const struct job *j)
{
	int ok_run = j->res.status == ASLRT_SUCCEEDED;
	const char *e = j->res.error.error;
	int aborted = !ok_run && e && strcmp(e, "States.Cancelled") == 0;
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL;
	if (ok && !ok_run && !aborted && j->res.error.cause)
		ok = cJSON_AddStringToObject(o, "Cause", j->res.error.cause) != NULL;
	if (ok && !ok_run && !aborted)
		ok = cJSON_AddStringToObject(o, "Error", e ? e : "States.Runtime") != NULL;
	ok = ok && cJSON_AddStringToObject(o, "ExecutionArn", j->arn) &&
	     add_printed(o, "Input", j->input_copy) && add_included(o, "InputDetails") &&
	     cJSON_AddStringToObject(o, "Name", j->name);
	if (ok && ok_run)
		ok = add_printed(o, "Output", j->res.output) && add_included(o, "OutputDetails");
	ok = ok && cJSON_AddNumberToObject(o, "RedriveCount", 0) &&
	     cJSON_AddStringToObject(o, "RedriveStatus", "NOT_REDRIVABLE");
	if (ok && ok_run)
		ok = cJSON_AddStringToObject(o, "RedriveStatusReason",
					     "Execution is SUCCEEDED and cannot be redriven") != NULL;
	ok = ok && add_time(o, "StartDate", j->start) &&
	     cJSON_AddStringToObject(o, "StateMachineArn", d->child_sm_arn) &&
	     cJSON_AddStringToObject(o, "Status", ok_run ? "SUCCEEDED" : aborted ? "ABORTED" :
				     "FAILED") &&
	     add_time(o, "StopDate", j->stop);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Hand one record to the sink (takes it). Returns 0, -1 with err set. */
static int sink_add(struct dmap *d, enum rt_result_status st, cJSON *rec_take,
		    struct aslrt_error *err)
{
	if (!rec_take) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	if (d->sink == SINK_ARRAY) {
		cJSON_AddItemToArray(d->results, rec_take);
		return 0;
	}
	int rc = rt_writer_add(d->writer, st, rec_take, err);
	cJSON_Delete(rec_take);
	return rc;
}

/* Emit finished job j: its output, transformed (COMPACT: as is; FLATTEN:
 * an array's elements one by one; NONE: the full record), or for a failed
 * child always the full record. Called with d->mu held, in job order. */
static int emit(struct dmap *d, struct job *j, struct aslrt_error *err)
{
	if (d->sink == SINK_DROP)
		return 0;
	if (j->res.status != ASLRT_SUCCEEDED)
		return sink_add(d, RT_RESULT_FAILED, full_record(d, j), err);
	if (d->transform == ASLRT_TRANSFORM_NONE)
		return sink_add(d, RT_RESULT_SUCCEEDED, full_record(d, j), err);
	cJSON *out = j->res.output;
	j->res.output = NULL;
	if (d->transform == ASLRT_TRANSFORM_FLATTEN && cJSON_IsArray(out)) {
		int rc = 0;
		for (cJSON *v = out->child; rc == 0 && v; v = out->child)
			rc = sink_add(d, RT_RESULT_SUCCEEDED, cJSON_DetachItemViaPointer(out, v), err);
		cJSON_Delete(out);
		return rc;
	}
	return sink_add(d, RT_RESULT_SUCCEEDED, out, err);
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	cJSON_Delete(j->input);
	cJSON_Delete(j->input_copy);
	aslrt_result_clear(&j->res);
	rt_free(j->arn);
	rt_free(j);
}

/* ---------------------------------------------------------- the stream */

/* Failed items beyond the tolerated count (or any, when no tolerance is
 * given) stop the run at once. Called with d->mu held. */
static int over_count(const struct dmap *d)
{
	if (d->pct < 0 && d->count < 0)
		return d->items_failed > 0;
	return d->count >= 0 && (double)d->items_failed > d->count;
}

static int pull(void *ctx, void **out)
{
	struct dmap *d = ctx;
	if (__atomic_load_n(&d->stop, __ATOMIC_RELAXED))
		return 0;
	struct aslrt_error err = { 0 };
	cJSON *input = NULL;
	long n = 0;
	int rc = next_input(d, &input, &n, &err);
	if (rc <= 0) {
		if (rc < 0)
			run_failed(d, &err);
		return 0;
	}
	struct job *j = rt_calloc(1, sizeof *j);
	if (j) {
		j->input = input;
		j->nitems = n;
		j->input_copy = cJSON_Duplicate(input, 1);
		uuid(d, j->name);
		const char *parts[] = { ARN_PREFIX, d->s->express_children ? "express:" :
					"execution:", d->child_sm_arn + strlen(ARN_PREFIX "stateMachine:"),
					":", j->name };
		j->arn = concat(parts, 5);
	} else {
		cJSON_Delete(input);
	}
	if (!j || !j->input_copy || !j->arn) {
		job_free(j);
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		run_failed(d, &err);
		return 0;
	}
	pthread_mutex_lock(&d->mu);
	d->items_total += n;
	pthread_mutex_unlock(&d->mu);
	j->seq = d->pulled;
	__atomic_store_n(&d->pulled, d->pulled + 1, __ATOMIC_RELEASE);
	*out = j;
	return 1;
}

/* A child of its own: the execution's machine and options, but its own
 * name, ARN, input and start time for $$.Execution, and no access to the
 * parent's variables (a Distributed Map's children are executions). */
static void run(void *ctx, void *job)
{
	struct dmap *d = ctx;
	struct job *j = job;
	struct aslrt_exec self;
	memset(&self, 0, sizeof self);
	self.m = d->x->m;
	self.opt = d->x->opt;
	self.exec_name = j->name;
	self.exec_arn = j->arn;
	self.machine_arn = d->child_sm_arn;
	self.exec_input = j->input_copy;
	self.start_time = j->start = rt_time_now();
	self.task_calls = d->x->task_calls;
	self.max_retriers = d->x->max_retriers;
	rt_run_child(&self, d->s->processor, j->input, &d->cancel, &j->res);
	j->input = NULL;
	j->stop = rt_time_now();

	struct aslrt_error err = { 0 };
	pthread_mutex_lock(&d->mu);
	const char *e = j->res.error.error;
	rt_progress_add(&d->progress, j->nitems, j->res.status == ASLRT_SUCCEEDED ? 0 : j->nitems);
	if (j->res.status == ASLRT_FAILED && !(e && strcmp(e, "States.Cancelled") == 0)) {
		d->items_failed += j->nitems;
		if (over_count(d)) {
			__atomic_store_n(&d->stop, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&d->cancel, 1, __ATOMIC_RELAXED);
		}
	}
	d->ring[j->seq % d->window] = j;
	for (long k; (j = d->ring[(k = d->low) % d->window]); ) {
		d->ring[k % d->window] = NULL;
		if (!err.error && emit(d, j, &err) != 0) {
			__atomic_store_n(&d->stop, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&d->cancel, 1, __ATOMIC_RELAXED);
		}
		job_free(j);
		__atomic_store_n(&d->low, k + 1, __ATOMIC_RELEASE);
	}
	if (err.error && !d->err.error) {
		d->err = err;
		err.error = err.cause = NULL;
	}
	pthread_mutex_unlock(&d->mu);
	aslrt_error_clear(&err);
}

static int room(void *ctx)
{
	struct dmap *d = ctx;
	return __atomic_load_n(&d->pulled, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&d->low, __ATOMIC_ACQUIRE) < d->window;
}

/* ---------------------------------------------------------------- setup */

/* The state fails while the run is set up, with err (taken): a JSONata
 * evaluation error (States.QueryEvaluationError) goes to Retry/Catch, as
 * for every JSONata field (docs/jsonata.md, "Errors"); a JSONPath
 * template's (States.Runtime, as AWS reports a bad Parameters) fails the
 * execution. */
static void setup_failed(struct dmap *d, struct aslrt_error *err)
{
	if (err->error && strcmp(err->error, ASLRT_ERR_QUERY_EVAL) == 0)
		rt_state_error(d->x, d->s, err);
	else
		rt_fail_exec(d->x, err);
}

/* A count of the run: the constant `value`; or the integer that its
 * JSONPath ...Path (path, named path_field) selects, which rt_seconds_at
 * checks (positive when lo > 0, at most 99999999; States.Runtime); or the
 * integer that its JSONata expression (expr, named field) evaluates to,
 * in [lo, hi] (States.QueryEvaluationError naming field, for Retry and
 * Catch). Both languages' forms of MaxItems, MaxItemsPerBatch and
 * MaxInputBytesPerBatch meet here and feed the same *out. Returns 0, or
 * -1 after failing the state. */
static int count_of(struct dmap *d, long value, const struct aslrt_path *path,
		    const char *path_field, const struct aslrt_tmpl *expr, const char *field,
		    double lo, double hi, double *out)
{
	*out = (double)value;
	if (path)
		return rt_seconds_at(d->x, d->s, path, d->in, path_field, lo > 0, out);
	struct aslrt_error err = { 0 };
	if (!expr || rt_jn_number(d->x, d->s, expr, field, lo, hi, 1, out, &err) == 0)
		return 0;
	setup_failed(d, &err);
	return -1;
}

/* The value of the template t (Parameters, or a JSONata state's
 * Arguments) over the Map's input as an object, and the strings named
 * key1/key2 in it (NULL when absent). Returns the object (new) or NULL
 * after failing the state (setup_failed). */
static cJSON *object_params(struct dmap *d, const struct aslrt_tmpl *t, const char *what,
			    const char *k1, const char **v1, const char *k2, const char **v2)
{
	struct rt_roots r = { d->in, NULL, d->x, NULL };
	struct aslrt_error err = { 0 };
	cJSON *o = rt_tmpl_build(t, &r, &err);
	const cJSON *a = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k1) : NULL;
	const cJSON *b = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k2) : NULL;
	const char *bad = !o ? NULL : !cJSON_IsObject(o) ? "" : a && !cJSON_IsString(a) ? k1
			  : b && !cJSON_IsString(b) ? k2 : NULL;
	if (bad && d->s->jsonata)
		aslrt_error_set(&err, ASLRT_ERR_QUERY_EVAL,
				"An error occurred while executing the state '%s'. The field "
				"'%s%s%s' must evaluate to %s", d->s->name, what,
				*bad ? ".Arguments." : ".Arguments", bad,
				*bad ? "a string" : "an object");
	else if (bad)
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME,
				"An error occurred while executing the state '%s'. The %s "
				"Parameters \"%s\" and \"%s\" must be strings", d->s->name, what,
				k1, k2);
	if (err.error) {
		cJSON_Delete(o);
		setup_failed(d, &err);
		return NULL;
	}
	*v1 = a ? a->valuestring : NULL;
	*v2 = b ? b->valuestring : NULL;
	return o;
}

/* "S3://bucket/key" (or "S3://key" without a bucket): new memory, or NULL. */
static char *s3_uri(const char *bucket, const char *key)
{
	size_t n = strlen("S3://") + (bucket ? strlen(bucket) + 1 : 0) + strlen(key) + 1;
	char *uri = rt_malloc(n);
	if (uri)
		snprintf(uri, n, "S3://%s%s%s", bucket ? bucket : "", bucket ? "/" : "", key);
	return uri;
}

/* Open the ItemReader's file. Returns 0, or -1 after failing the state
 * (States.ItemReaderFailed goes to Retry/Catch). */
static int open_reader(struct dmap *d)
{
	const struct aslrt_reader *rd = d->s->reader;
	const char *bucket, *key;
	cJSON *p = object_params(d, rd->parameters, "ItemReader", "Bucket", &bucket, "Key", &key);
	if (!p)
		return -1;
	struct aslrt_error err = { 0 };
	double max;
	/* AWS: "You can specify a limit of up to 100,000,000". */
	if (count_of(d, rd->max_items, rd->max_items_path, "MaxItemsPath", rd->max_items_expr,
		     "MaxItems", 0, 100000000, &max)) {
		cJSON_Delete(p);
		return -1;
	}
	struct rt_reader_config cfg = {
		.type = rd->input_type, .delimiter = rd->csv_delimiter,
		.headers_given = rd->csv_headers_given, .nheaders = rd->ncsv_headers,
		.headers = rd->csv_headers, .items_pointer = rd->items_pointer,
		.max_items = (long)max,
	};
	char *path = key ? rt_s3_path(bucket, key) : NULL;
	if (!key)
		aslrt_error_set(&err, ASLRT_ERR_ITEM_READER,
				"the ItemReader of state '%s' names no \"Key\"", d->s->name);
	else if (path)
		d->reader = rt_reader_open(path, &cfg, &err);
	else
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
	/* "the value will be the Amazon S3 URI. For example:
	 * S3://bucket-name/object-key" ("Context object data for Map states") */
	if (d->reader && !(d->source = s3_uri(bucket, key))) {
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		rt_reader_close(d->reader);
		d->reader = NULL;
	}
	rt_free(path);
	cJSON_Delete(p);
	if (d->reader)
		return 0;
	rt_state_error(d->x, d->s, &err);
	return -1;
}

/* ItemsPath over the effective input when there is no ItemReader, or a
 * JSONata state's Items (an array; default the state input), which fails
 * the state with States.QueryEvaluationError otherwise (rt_jn_map_items).
 * 0, or -1 after failing the state; *scratch: new memory or NULL. */
static int open_items(struct dmap *d, cJSON **scratch)
{
	const cJSON *v = d->in;
	*scratch = NULL;
	if (d->s->jsonata) {
		if (!(v = rt_jn_map_items(d->x, d->s, scratch)))
			return -1;
		d->cursor = v->child;
		return 0;
	}
	if (d->s->items_path) {
		struct rt_roots r = { d->in, d->x->context, d->x, NULL };
		v = rt_path_select(d->s->items_path, &r, scratch);
	}
	/* "If the input to the Map state is a JSON object, it runs an iteration
	 * for each key-value pair in the object" ("ItemsPath (Map, JSONPath
	 * only)"); each member's name is $$.Map.Item.Key. */
	if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		d->cursor = v->child;
		return 0;
	}
	const char *text = d->s->items_path ? d->s->items_path->text : "$";
	struct aslrt_error err = { 0 };
	aslrt_error_set(&err, ASLRT_ERR_RUNTIME,
			"An error occurred while executing the state '%s'. The ItemsPath field "
			"'%s' must reference a JSON array or object", d->s->name, text);
	rt_fail_exec(d->x, &err);
	return -1;
}

/* ItemBatcher limits and BatchInput. Returns 0 or -1 after failing x. */
static int open_batcher(struct dmap *d)
{
	const struct aslrt_batcher *b = d->s->batcher;
	if (!b)
		return 0;
	double items, bytes;
	if (count_of(d, b->max_items, b->max_items_path, "MaxItemsPerBatchPath",
		     b->max_items_expr, "MaxItemsPerBatch", 1, 99999999, &items) ||
	    count_of(d, b->max_bytes, b->max_bytes_path, "MaxInputBytesPerBatchPath",
		     b->max_bytes_expr, "MaxInputBytesPerBatch", 1, BATCH_BYTES_MAX, &bytes))
		return -1;
	d->batch_items = (long)items;
	/* AWS: without a size limit a batch holds what fits in 256 KiB. */
	d->batch_bytes = bytes > 0 && bytes < BATCH_BYTES_MAX ? (long)bytes : BATCH_BYTES_MAX;
	d->batch_base = strlen("{\"Items\":[]}");
	if (b->batch_input) {
		struct rt_roots r = { d->in, NULL, d->x, NULL };
		struct aslrt_error err = { 0 };
		d->batch_input = rt_tmpl_build(b->batch_input, &r, &err);
		if (!d->batch_input) {
			setup_failed(d, &err);
			return -1;
		}
		char *text = rt_json_print(d->batch_input);
		d->batch_base += strlen(",\"BatchInput\":") + (text ? strlen(text) : 0);
		rt_free(text);
	}
	return 0;
}

/* Where results go; opens the ResultWriter's directory. 0 or -1 after
 * failing the state. */
static int open_sink(struct dmap *d)
{
	const struct aslrt_writer *w = d->s->writer;
	d->transform = w ? w->transform : ASLRT_TRANSFORM_COMPACT;
	if (w && w->parameters) {
		const char *bucket, *prefix;
		cJSON *p = object_params(d, w->parameters, "ResultWriter", "Bucket", &bucket,
					 "Prefix", &prefix);
		if (!p)
			return -1;
		struct aslrt_error err = { 0 };
		if (!bucket)
			aslrt_error_set(&err, ASLRT_ERR_RESULT_WRITER,
					"the ResultWriter of state '%s' names no \"Bucket\"",
					d->s->name);
		else
			d->writer = rt_writer_open(bucket, prefix, d->run_id, d->run_arn, w->jsonl,
						   &err);
		cJSON_Delete(p);
		if (!d->writer) {
			rt_state_error(d->x, d->s, &err);
			return -1;
		}
		d->sink = SINK_WRITER;
		return 0;
	}
	if (d->s->io.result_null && !d->s->io.result_selector) {
		d->sink = SINK_DROP;           /* the result is discarded anyway */
		return 0;
	}
	d->sink = SINK_ARRAY;
	if (!(d->results = cJSON_CreateArray())) {
		struct aslrt_error err = { 0 };
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		rt_fail_exec(d->x, &err);
		return -1;
	}
	return 0;
}

/* Map Run ARN and the children's state machine ARN: AWS names them
 * mapRun:<machine>/<Label>:<id> and stateMachine:<machine>/<Label>; without
 * a Label aslc uses the state's name. */
static int identity(struct dmap *d)
{
	seed(d);
	uuid(d, d->run_id);
	const char *label = d->s->label ? d->s->label : d->s->name;
	const char *run[] = { ARN_PREFIX "mapRun:", d->x->m->name, "/", label, ":", d->run_id };
	const char *sm[] = { ARN_PREFIX "stateMachine:", d->x->m->name, "/", label };
	d->run_arn = concat(run, 6);
	d->child_sm_arn = concat(sm, 4);
	return d->run_arn && d->child_sm_arn ? 0 : -1;
}

static void dmap_free(struct dmap *d)
{
	for (long k = 0; d->ring && k < d->window; k++)
		job_free(d->ring[k]);
	rt_free(d->ring);
	rt_reader_close(d->reader);
	rt_writer_free(d->writer);
	cJSON_Delete(d->results);
	cJSON_Delete(d->held);
	cJSON_Delete(d->batch_input);
	rt_free(d->run_arn);
	rt_free(d->source);
	rt_free(d->child_sm_arn);
	aslrt_error_clear(&d->err);
	pthread_mutex_destroy(&d->mu);
}

/* After a stopped run: the items never started go to PENDING_n.json. */
static int export_pending(struct dmap *d, struct aslrt_error *err)
{
	for (;;) {
		cJSON *input;
		long n;
		int rc = next_input(d, &input, &n, err);
		if (rc <= 0)
			return rc;
		cJSON *rec = cJSON_CreateObject();
		int ok = rec && add_printed(rec, "Input", input) && add_included(rec, "InputDetails")
			 && cJSON_AddStringToObject(rec, "Status", "PENDING");
		cJSON_Delete(input);
		if (!ok) {
			cJSON_Delete(rec);
			rec = NULL;
		}
		if (sink_add(d, RT_RESULT_PENDING, rec, err))
			return -1;
	}
}

/* The state's result once every child has run: the array, the export's
 * {"MapRunArn", "ResultWriterDetails"}, or null (discarded). NULL with err
 * set on failure. */
static cJSON *conclude(struct dmap *d, int exceeded, struct aslrt_error *err)
{
	if (d->sink == SINK_WRITER) {
		if (exceeded && export_pending(d, err))
			return NULL;
		cJSON *details;
		if (rt_writer_finish(d->writer, &details, err))
			return NULL;
		if (exceeded) {
			cJSON_Delete(details);
			return NULL;
		}
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddStringToObject(o, "MapRunArn", d->run_arn) ||
		    !cJSON_AddItemToObject(o, "ResultWriterDetails", details)) {
			cJSON_Delete(details);
			cJSON_Delete(o);
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
			return NULL;
		}
		return o;
	}
	if (exceeded)
		return NULL;
	if (d->sink == SINK_DROP)
		return cJSON_CreateNull();
	cJSON *r = d->results;
	d->results = NULL;
	return r;
}

void rt_map_distributed(struct aslrt_exec *x, const struct aslrt_state *s)
{
	const cJSON *in = rt_effective_input(x, s);
	if (!in)
		return;
	struct dmap d;
	memset(&d, 0, sizeof d);
	pthread_mutex_init(&d.mu, NULL);
	d.x = x;
	d.s = s;
	d.in = in;
	cJSON *scratch = NULL;
	long limit = 0;
	struct aslrt_error err = { 0 };
	if ((s->jsonata ? rt_jn_map_limits(x, s, &limit, &d.pct, &d.count)
			: rt_map_limit(x, s, in, &limit) ||
			  rt_map_tolerance(x, s, in, &d.pct, &d.count)) ||
	    (s->reader ? open_reader(&d) : open_items(&d, &scratch)) || open_batcher(&d)) {
		cJSON_Delete(scratch);
		dmap_free(&d);
		return;
	}
	int threads = rt_pool_threads(x->opt->workers);
	long eff = limit > 0 && limit < threads ? limit : threads;
	d.window = eff * 4 > 16 ? eff * 4 : 16;
	d.ring = rt_calloc((size_t)d.window, sizeof *d.ring);
	if (!d.ring || identity(&d)) {
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
		cJSON_Delete(scratch);
		dmap_free(&d);
		rt_fail_exec(x, &err);
		return;
	}
	if (open_sink(&d)) {
		cJSON_Delete(scratch);
		dmap_free(&d);
		return;
	}
	static const struct rt_stream ops = { pull, run, room };
	char label[64];
	long items = 0;                    /* known for ItemsPath, not a reader */
	for (const cJSON *c = s->reader ? NULL : d.cursor; c; c = c->next)
		items++;
	snprintf(label, sizeof label, "  Map %.40s: items", s->name);
	rt_progress_begin(&d.progress, label, items, 0);
	rt_pool_stream(x->opt->workers, limit, &ops, &d);
	rt_progress_end(&d.progress);

	cJSON *result = NULL;
	if (d.err.error) {
		err = d.err;
		d.err.error = d.err.cause = NULL;
	} else {
		int exceeded = d.pct < 0 && d.count < 0 ? d.items_failed > 0 :
			       (d.count >= 0 && (double)d.items_failed > d.count) ||
			       (d.pct >= 0 && (double)d.items_failed * 100.0 >
						      d.pct * (double)d.items_total);
		result = conclude(&d, exceeded, &err);
		if (exceeded && !err.error)
			aslrt_error_set(&err, ASLRT_ERR_TOLERATED,
					"The specified tolerated failure threshold was exceeded");
	}
	cJSON_Delete(scratch);
	dmap_free(&d);
	if (result && rt_finish(x, s, result, &err) == 0)
		return;
	if (!err.error)
		aslrt_error_set(&err, ASLRT_ERR_RUNTIME, "out of memory");
	rt_state_error(x, s, &err);
}
