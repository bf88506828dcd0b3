/*
 * resultwriter.c - a Map Run's results exported the way AWS lays them out
 * ("ResultWriter (Map)", Exporting to Amazon S3): under bucket/prefix/<Map
 * Run id>/, SUCCEEDED_n.json, FAILED_n.json and PENDING_n.json hold the
 * records of the child executions with that status (n from 0, a new file
 * past 5 GB), and manifest.json names them:
 *   {"DestinationBucket": ..., "MapRunArn": ...,
 *    "ResultFiles": {"FAILED": [{"Key", "Size"}], "PENDING": [...],
 *                    "SUCCEEDED": [...]}}
 * Records are streamed to the files as they come: nothing is kept.
 */
#include "dmap.h"

#include <errno.h>
#include <string.h>

#define FILE_LIMIT (5LL * 1000 * 1000 * 1000)

static const char *const status_names[] = { "SUCCEEDED", "FAILED", "PENDING" };

struct result_file {
	FILE *f;
	long long bytes;
	long records;
	int index;                     /* n of STATUS_n.json                    */
};

struct rt_writer {
	char *bucket;
	char *key_prefix;              /* "prefix/run_id/"                      */
	char *dir;                     /* the local directory of key_prefix     */
	char *map_run_arn;
	int jsonl;
	struct result_file files[3];
	cJSON *listed[3];              /* {"Key", "Size"} of the closed files   */
};

/* errno's text as a States.ResultWriterFailed naming what failed. */
static int fail(struct aslrt_error *err, const char *what, const char *path)
{
	aslrt_error_set(err, ASLRT_ERR_RESULT_WRITER, "cannot %s %s: %s", what, path,
			strerror(errno ? errno : EIO));
	return -1;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = rt_malloc(la + lb + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

/* "STATUS_n.json" for file rf of status st. */
static void file_name(enum rt_result_status st, const struct result_file *rf, char *buf,
		      size_t n)
{
	snprintf(buf, n, "%s_%d.json", status_names[st], rf->index);
}

/* Finish the open file of status st and list it in the manifest. */
static int close_file(struct rt_writer *w, enum rt_result_status st, struct aslrt_error *err)
{
	struct result_file *rf = &w->files[st];
	char name[64];
	file_name(st, rf, name, sizeof name);
	char *path = join(w->dir, name);
	char *key = join(w->key_prefix, name);
	int rc = 0;
	errno = 0;
	if (!w->jsonl && fputs("\n]\n", rf->f) == EOF)
		rc = -1;
	long size = rc == 0 ? ftell(rf->f) : -1;
	if (fclose(rf->f) != 0 || size < 0)
		rc = -1;
	rf->f = NULL;
	cJSON *entry = cJSON_CreateObject();
	if (rc == 0 && path && key && entry && cJSON_AddStringToObject(entry, "Key", key) &&
	    cJSON_AddNumberToObject(entry, "Size", (double)size) &&
	    cJSON_AddItemToArray(w->listed[st], entry)) {
		entry = NULL;
	} else if (rc == 0) {
		errno = ENOMEM;
		rc = -1;
	}
	cJSON_Delete(entry);
	if (rc)
		fail(err, "write", path ? path : name);
	rt_free(path);
	rt_free(key);
	rf->index++;
	rf->bytes = 0;
	rf->records = 0;
	return rc;
}

static int open_file(struct rt_writer *w, enum rt_result_status st, struct aslrt_error *err)
{
	struct result_file *rf = &w->files[st];
	char name[64];
	file_name(st, rf, name, sizeof name);
	char *path = join(w->dir, name);
	errno = 0;
	rf->f = path ? fopen(path, "wb") : NULL;
	int rc = rf->f ? 0 : fail(err, "create", path ? path : name);
	if (rc == 0 && !w->jsonl && fputs("[\n", rf->f) == EOF)
		rc = fail(err, "write", path);
	rt_free(path);
	return rc;
}

struct rt_writer *rt_writer_open(const char *bucket, const char *prefix, const char *run_id,
				 const char *map_run_arn, int jsonl, struct aslrt_error *err)
{
	struct rt_writer *w = rt_calloc(1, sizeof *w);
	size_t lp = prefix ? strlen(prefix) : 0;
	char *p = NULL;
	if (w) {
		w->jsonl = jsonl;
		w->bucket = rt_strdup(bucket);
		w->map_run_arn = rt_strdup(map_run_arn);
		/* AWS's keys: "csvProcessJobs/<id>/manifest.json" for Prefix
		 * "csvProcessJobs"; no prefix: "<id>/manifest.json". */
		p = join(prefix ? prefix : "", lp && prefix[lp - 1] != '/' ? "/" : "");
		char *id = join(run_id, "/");
		w->key_prefix = p && id ? join(p, id) : NULL;
		rt_free(id);
		char *base = w->key_prefix ? rt_s3_path(bucket, w->key_prefix) : NULL;
		w->dir = base;
		for (int st = 0; st < 3; st++)
			w->listed[st] = cJSON_CreateArray();
	}
	rt_free(p);
	if (!w || !w->bucket || !w->map_run_arn || !w->key_prefix || !w->dir || !w->listed[0] ||
	    !w->listed[1] || !w->listed[2]) {
		rt_writer_free(w);
		aslrt_error_set(err, ASLRT_ERR_RESULT_WRITER, "out of memory");
		return NULL;
	}
	errno = 0;
	if (rt_mkdirs(w->dir) != 0) {
		fail(err, "create the directory", w->dir);
		rt_writer_free(w);
		return NULL;
	}
	return w;
}

int rt_writer_add(struct rt_writer *w, enum rt_result_status st, const cJSON *record,
		  struct aslrt_error *err)
{
	struct result_file *rf = &w->files[st];
	char *text = rt_json_print(record);
	if (!text) {
		aslrt_error_set(err, ASLRT_ERR_RESULT_WRITER, "out of memory");
		return -1;
	}
	size_t n = strlen(text);
	int rc = 0;
	if (rf->f && rf->bytes + (long long)n > FILE_LIMIT)
		rc = close_file(w, st, err);
	if (rc == 0 && !rf->f)
		rc = open_file(w, st, err);
	if (rc == 0) {
		const char *sep = w->jsonl ? "" : rf->records ? ",\n" : "";
		errno = 0;
		if (fputs(sep, rf->f) == EOF || fwrite(text, 1, n, rf->f) != n ||
		    (w->jsonl && fputc('\n', rf->f) == EOF))
			rc = fail(err, "write", w->dir);
		rf->bytes += (long long)n + 2;
		rf->records++;
	}
	rt_free(text);
	return rc;
}

int rt_writer_finish(struct rt_writer *w, cJSON **details, struct aslrt_error *err)
{
	*details = NULL;
	for (int st = 0; st < 3; st++)
		if (w->files[st].f && close_file(w, (enum rt_result_status)st, err))
			return -1;
	cJSON *m = cJSON_CreateObject();
	cJSON *files = cJSON_CreateObject();
	int ok = m && files && cJSON_AddStringToObject(m, "DestinationBucket", w->bucket) &&
		 cJSON_AddStringToObject(m, "MapRunArn", w->map_run_arn) &&
		 cJSON_AddItemToObject(m, "ResultFiles", files);
	if (!ok)
		cJSON_Delete(files);
	for (int st = 0; ok && st < 3; st++) {     /* FAILED, PENDING, SUCCEEDED */
		static const int order[3] = { RT_RESULT_FAILED, RT_RESULT_PENDING,
					      RT_RESULT_SUCCEEDED };
		int k = order[st];
		ok = cJSON_AddItemToObject(files, status_names[k], w->listed[k]);
		if (ok)
			w->listed[k] = NULL;
	}
	char *text = ok ? rt_json_print(m) : NULL;
	cJSON_Delete(m);
	char *path = join(w->dir, "manifest.json");
	char *key = join(w->key_prefix, "manifest.json");
	int rc = -1;
	if (text && path && key) {
		errno = 0;
		FILE *f = fopen(path, "wb");
		int wrote = f && fputs(text, f) != EOF && fputc('\n', f) != EOF;
		if (f && fclose(f) != 0)
			wrote = 0;
		rc = wrote ? 0 : fail(err, "write", path);
	} else {
		aslrt_error_set(err, ASLRT_ERR_RESULT_WRITER, "out of memory");
	}
	if (rc == 0) {
		*details = cJSON_CreateObject();
		if (!*details || !cJSON_AddStringToObject(*details, "Bucket", w->bucket) ||
		    !cJSON_AddStringToObject(*details, "Key", key)) {
			cJSON_Delete(*details);
			*details = NULL;
			aslrt_error_set(err, ASLRT_ERR_RESULT_WRITER, "out of memory");
			rc = -1;
		}
	}
	rt_free(text);
	rt_free(path);
	rt_free(key);
	return rc;
}

void rt_writer_free(struct rt_writer *w)
{
	if (!w)
		return;
	for (int st = 0; st < 3; st++) {
		if (w->files[st].f)
			fclose(w->files[st].f);
		cJSON_Delete(w->listed[st]);
	}
	rt_free(w->bucket);
	rt_free(w->key_prefix);
	rt_free(w->dir);
	rt_free(w->map_run_arn);
	rt_free(w);
}
