/*
 * dmap.h - the Distributed Map's private interfaces: item readers
 * (itemreader.c), the local stand-in for S3 (s3local.c), the result writer
 * (resultwriter.c), the streaming variant of the worker pool (pool.c) and the
 * Map helpers fanout.c shares with distributed.c. Nothing here is installed.
 * Ownership follows aslrt.h: cJSON parameters are borrowed unless named
 * *_take; cJSON ** outputs are new memory.
 */
#ifndef ASLRT_DMAP_H
#define ASLRT_DMAP_H

#include "rt.h"

#include <stdio.h>

/* ------------------------------------------------------------ readers */

/* How to turn a file into items (the run-time form of ReaderConfig). */
struct rt_reader_config {
	enum aslrt_input_type type;
	char delimiter;                /* CSV field separator                   */
	int headers_given;             /* CSV: headers below, no header row     */
	int nheaders;
	const char *const *headers;    /* borrowed; must outlive the reader     */
	const char *items_pointer;     /* JSON: RFC 6901 pointer, NULL = root   */
	long max_items;                /* stop after this many; 0 = no limit    */
};

struct rt_reader;

/* A reader over f_take (closed by rt_reader_close, or here on failure),
 * named `name` in error messages. A UTF-8 byte order mark is skipped. For
 * CSV with a header row the header is read here. Returns new memory, or NULL
 * with err set to States.ItemReaderFailed. */
struct rt_reader *rt_reader_open_stream(FILE *f_take, const char *name,
					const struct rt_reader_config *cfg,
					struct aslrt_error *err);
/* The same for the file at path. */
struct rt_reader *rt_reader_open(const char *path, const struct rt_reader_config *cfg,
				 struct aslrt_error *err);
/* The next item: 1 with *item new; 0 after the last one (or MaxItems);
 * -1 with err set to States.ItemReaderFailed, its cause naming the file,
 * line and column of the problem. Items are read one at a time: memory is
 * bounded by the largest item (8 MiB at most), never by the file. */
int rt_reader_next(struct rt_reader *r, cJSON **item, struct aslrt_error *err);
/* Close the file and free r (NULL is fine). */
void rt_reader_close(struct rt_reader *r);

/* --------------------------------------------------------- local "S3" */

/* The local file that stands for an S3 object: $ASLRT_S3_ROOT/bucket/key
 * (root ./s3 by default); with bucket NULL, key itself (a plain path); a key
 * of the form s3://bucket/key is split. New memory (rt_free), NULL when out
 * of memory. */
char *rt_s3_path(const char *bucket, const char *key);
/* mkdir -p. Returns 0, or -1 with errno set. */
int rt_mkdirs(const char *dir);

/* ------------------------------------------------------------- writer */

enum rt_result_status { RT_RESULT_SUCCEEDED, RT_RESULT_FAILED, RT_RESULT_PENDING };

struct rt_writer;

/* Start exporting a Map Run's results to bucket/prefix/run_id/ (files
 * under rt_s3_path of that prefix). Records go to SUCCEEDED_n.json,
 * FAILED_n.json and PENDING_n.json as a JSON array each (or JSON Lines when
 * jsonl), a file created only when it gets its first record. Returns new
 * memory, or NULL with err set (States.ResultWriterFailed). */
struct rt_writer *rt_writer_open(const char *bucket, const char *prefix, const char *run_id,
				 const char *map_run_arn, int jsonl, struct aslrt_error *err);
/* Append one record to the file of status st. Returns 0, or -1 with err set
 * (States.ResultWriterFailed). */
int rt_writer_add(struct rt_writer *w, enum rt_result_status st, const cJSON *record,
		  struct aslrt_error *err);
/* Close the result files and write manifest.json. Returns 0 with *details
 * new ({"Bucket", "Key"} of the manifest, as ResultWriterDetails), or -1
 * with err set. */
int rt_writer_finish(struct rt_writer *w, cJSON **details, struct aslrt_error *err);
/* Free w (closing any open file; no manifest). NULL is fine. */
void rt_writer_free(struct rt_writer *w);

/* --------------------------------------------------------------- pool */

/* A stream of jobs of unknown length for rt_pool_stream. pull() makes the
 * next job (1 and *job set; 0 when there are no more); the pool calls it
 * from one thread at a time. run() runs a job, concurrently with other runs
 * and with pull(). room(), called under the pool's lock and so kept cheap
 * and lock-free, says whether another job may be pulled now (a window that
 * bounds memory); it must become true again when running jobs finish. */
struct rt_stream {
	int (*pull)(void *ctx, void **job);
	void (*run)(void *ctx, void *job);
	int (*room)(void *ctx);
};

/* Pull and run jobs until pull() says there are no more and every job has
 * run, with at most limit (<= 0: no limit) running at once, on the worker
 * pool of rt_pool_run; the calling thread takes part. */
void rt_pool_stream(int workers, long limit, const struct rt_stream *st, void *ctx);
/* The number of threads rt_pool_run uses for `workers` (0 = the cores). */
int rt_pool_threads(int workers);

/* -------------------------------------------------- Map (fanout.c) */

/* MaxConcurrency(Path) of s over in: 0 and *limit (0 = no limit), or -1
 * after failing x. */
int rt_map_limit(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		 long *limit);
/* ToleratedFailureCount/Percentage (constants or ...Path) of s over in: 0,
 * or -1 after failing x. A value < 0 means that tolerance was not given. */
int rt_map_tolerance(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		     double *pct, double *count);
/* The input of one iteration: ItemSelector (or legacy Parameters) of s
 * evaluated with $ = in (the Map's effective input) and $$.Map.Item.Index,
 * .Value (and .Key, when item is an object member: item->string) = index
 * and item; without one, a copy of item, or {"Key", "Value"} for an object
 * member. New memory, or NULL with err set. */
cJSON *rt_map_select(struct aslrt_exec *x, const struct aslrt_state *s, const cJSON *in,
		     const cJSON *item, long index, struct aslrt_error *err);

/* ------------------------------------------------ distributed.c */

/* Run the Distributed Map state s (the state x is in). */
void rt_map_distributed(struct aslrt_exec *x, const struct aslrt_state *s);

#endif /* ASLRT_DMAP_H */
