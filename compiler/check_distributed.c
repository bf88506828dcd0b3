/*
 * check_distributed.c - the fields of a Map state in Distributed mode
 * (ItemProcessor.ProcessorConfig Mode DISTRIBUTED): ProcessorConfig,
 * ItemReader, ItemBatcher and ResultWriter, checked as AWS documents
 * them ("Using Map state in Distributed mode", "ItemReader (Map)",
 * "ItemBatcher (Map)", "ResultWriter (Map)") and turned into the
 * struct aslrt_reader / aslrt_batcher / aslrt_writer the runtime reads.
 *
 * In a JSONata state (st->jsonata) the same fields take the JSONata forms
 * those pages show: `Arguments` instead of `Parameters` (Bucket, Key,
 * Prefix may be "{% %}" expressions), MaxItems, MaxItemsPerBatch and
 * MaxInputBytesPerBatch may be expressions instead of their ...Path
 * (JSONPath only), BatchInput may hold expressions. Expressions become
 * ASLRT_T_JSONATA templates (jsonata_field); the runtime evaluates them
 * where it reads the JSONPath forms (runtime/distributed.c).
 */
#include "check_jsonata.h"

#include <string.h>

#define S3_GET "arn:aws:states:::s3:getObject"
#define S3_LIST "arn:aws:states:::s3:listObjectsV2"
#define S3_PUT "arn:aws:states:::s3:putObject"

/* The index of string v in the NULL-terminated names, or -1 after
 * reporting (SCHEMA_VALIDATION_FAILED, listing them) at field. */
static int one_of(struct checker *c, const struct asl_json *v, const char *field,
		  const char *const *names)
{
	if (v->type == ASL_J_STRING)
		for (int i = 0; names[i]; i++)
			if (strcmp(v->str, names[i]) == 0)
				return i;
	char list[256] = "";
	for (int i = 0; names[i]; i++) {
		strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
		strncat(list, names[i], sizeof list - strlen(list) - 1);
	}
	report(c, v, "SCHEMA_VALIDATION_FAILED", field, "\"%s\" must be one of %s", field, list);
	return -1;
}

/* Member `name` of object v when it is an object (else reports), or NULL. */
static const struct asl_json *object_member(struct checker *c, const struct asl_json *v,
					    const char *name)
{
	const struct asl_json *m = asl_json_get(v, name);
	if (m && m->type != ASL_J_OBJECT) {
		report(c, m, "SCHEMA_VALIDATION_FAILED", name, "\"%s\" must be an object", name);
		return NULL;
	}
	return m;
}

/* A reference path member, or NULL; fields name and exclusive exclusive.
 * In a JSONata state (jsonata) a ...Path member is an error. */
static const struct aslrt_path *path_member(struct checker *c, const struct asl_json *v,
					    const char *name, const char *exclusive, int jsonata)
{
	const struct asl_json *m = asl_json_get(v, name);
	if (!m)
		return NULL;
	if (jsonata) {
		report(c, m, "SCHEMA_VALIDATION_FAILED", name,
		       "field \"%s\" is not allowed in a JSONata state: give \"%s\" a {%% %%} "
		       "expression", name, exclusive);
		return NULL;
	}
	if (exclusive && asl_json_get(v, exclusive))
		report(c, m, "SCHEMA_VALIDATION_FAILED", name,
		       "\"%s\" and \"%s\" are mutually exclusive", exclusive, name);
	if (m->type != ASL_J_STRING) {
		report(c, m, "SCHEMA_VALIDATION_FAILED", name, "\"%s\" must be a path string", name);
		return NULL;
	}
	return parse_path(c, m, name, ASL_PATH_REFERENCE);
}

/* An integer member `name` of v in [lo, hi] (0 when absent), or in a
 * JSONata state (jsonata) a "{% %}" expression instead, into *expr (arena
 * memory; the runtime checks its value against the same range). */
static long count_member(struct checker *c, const struct asl_json *v, const char *name,
			 double lo, double hi, int jsonata, const struct aslrt_tmpl **expr)
{
	const struct asl_json *m = asl_json_get(v, name);
	if (jsonata && m && is_jsonata_expr(m)) {
		*expr = jsonata_field(c, m, name);
		return 0;
	}
	return (long)num_field(c, v, name, 0, lo, hi, 1);
}

/* A JSONata state's Arguments: an object, which must name `key`, or a
 * "{% %}" expression (checked when it is evaluated); Parameters is
 * JSONPath only ("ItemReader (Map)": "in JSONata, Parameters is replaced
 * by Arguments"). */
static const struct aslrt_tmpl *s3_arguments(struct checker *c, const struct asl_json *v,
					     const char *key)
{
	const struct asl_json *p = asl_json_get(v, "Parameters");
	const struct asl_json *a = asl_json_get(v, "Arguments");
	if (p)
		report(c, p, "SCHEMA_VALIDATION_FAILED", "Parameters",
		       "field \"Parameters\" is not allowed in a JSONata state: use \"Arguments\"");
	if (!a) {
		if (!p)
			report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
			       "\"Arguments\" with \"%s\" is required", key);
		return NULL;
	}
	if (a->type != ASL_J_OBJECT && !is_jsonata_expr(a)) {
		report(c, a, "SCHEMA_VALIDATION_FAILED", "Arguments",
		       "\"Arguments\" must be an object or a {%% %%} expression");
		return NULL;
	}
	if (a->type == ASL_J_OBJECT && !asl_json_get(a, key))
		report(c, a, "SCHEMA_VALIDATION_FAILED", "Arguments", "\"%s\" is required here",
		       key);
	return jsonata_field(c, a, "Arguments");
}

/* Parameters (JSONPath: `.$` keys allowed) or Arguments (taken as plain
 * JSON); exactly one is required, and it must name `key` (or `key.$`).
 * A JSONata state's: s3_arguments. */
static const struct aslrt_tmpl *s3_params(struct checker *c, const struct asl_json *v,
					  const char *key, int jsonata)
{
	if (jsonata)
		return s3_arguments(c, v, key);
	const struct asl_json *p = object_member(c, v, "Parameters");
	const struct asl_json *a = object_member(c, v, "Arguments");
	if (p && a) {
		report(c, a, "SCHEMA_VALIDATION_FAILED", "Arguments",
		       "\"Parameters\" and \"Arguments\" are mutually exclusive");
		return NULL;
	}
	const struct asl_json *o = p ? p : a;
	if (!o) {
		if (!asl_json_get(v, "Parameters") && !asl_json_get(v, "Arguments"))
			report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
			       "\"Parameters\" with \"%s\" is required", key);
		return NULL;
	}
	char dyn[64];
	snprintf(dyn, sizeof dyn, "%s.$", key);
	if (!asl_json_get(o, key) && !(p && asl_json_get(o, dyn)))
		report(c, o, "SCHEMA_VALIDATION_FAILED", p ? "Parameters" : "Arguments",
		       "\"%s\" is required here", key);
	return tmpl(c, o, p ? "Parameters" : "Arguments", p != NULL);
}

/* Resource: `want` is supported; S3_LIST is valid ASL aslc does not run. */
static void s3_resource(struct checker *c, const struct asl_json *v, const char *want)
{
	const struct asl_json *r = asl_json_get(v, "Resource");
	if (!r)
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL, "\"Resource\" is required");
	else if (r->type == ASL_J_STRING && strcmp(r->str, S3_LIST) == 0 &&
		 strcmp(want, S3_GET) == 0)
		report(c, r, "UNSUPPORTED_FEATURE", "Resource",
		       "an ItemReader listing objects (%s) is not supported by this version "
		       "of aslc", S3_LIST);
	else if (r->type != ASL_J_STRING || strcmp(r->str, want) != 0)
		report(c, r, "SCHEMA_VALIDATION_FAILED", "Resource", "\"Resource\" must be \"%s\"",
		       want);
}

/* ReaderConfig into rd (jsonata: of a JSONata state). */
static void reader_config(struct checker *c, const struct asl_json *rc, struct aslrt_reader *rd,
			  int jsonata)
{
	static const char *const fields[] = { "InputType", "CSVHeaderLocation", "CSVHeaders",
		"CSVDelimiter", "MaxItems", "MaxItemsPath", "ItemsPointer", "Transformation",
		"ManifestType", NULL };
	static const char *const types[] = { "JSON", "JSONL", "CSV", "PARQUET", "MANIFEST", NULL };
	static const char *const delims[] = { "COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB", NULL };
	static const char delim_chars[] = { ',', '|', ';', ' ', '\t' };
	static const char *const locations[] = { "FIRST_ROW", "GIVEN", NULL };
	only_fields(c, rc, fields);
	const struct asl_json *v;
	for (int k = 0; k < 2; k++) {
		const char *f = k ? "ManifestType" : "Transformation";
		if ((v = asl_json_get(rc, f)))
			report(c, v, "UNSUPPORTED_FEATURE", f,
			       "\"%s\" is valid ASL but not supported by this version of aslc", f);
	}
	int type = -1;
	if (!(v = asl_json_get(rc, "InputType")))
		report(c, rc, "SCHEMA_VALIDATION_FAILED", NULL, "\"InputType\" is required");
	else if ((type = one_of(c, v, "InputType", types)) >= 3)
		report(c, v, "UNSUPPORTED_FEATURE", "InputType",
		       "InputType %s is not supported by this version of aslc", v->str);
	if (type >= 0 && type < 3)
		rd->input_type = type == 0 ? ASLRT_INPUT_JSON : type == 1 ? ASLRT_INPUT_JSONL :
			ASLRT_INPUT_CSV;
	int csv = type == 2;
	rd->csv_delimiter = ',';
	static const char *const csv_only[] = { "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter" };
	for (int k = 0; k < 3; k++)
		if (type >= 0 && !csv && (v = asl_json_get(rc, csv_only[k])))
			report(c, v, "SCHEMA_VALIDATION_FAILED", csv_only[k],
			       "\"%s\" applies only to InputType CSV", csv_only[k]);
	int d;
	if ((v = asl_json_get(rc, "CSVDelimiter")) && (d = one_of(c, v, "CSVDelimiter", delims)) >= 0)
		rd->csv_delimiter = delim_chars[d];
	if ((v = asl_json_get(rc, "CSVHeaderLocation")))
		rd->csv_headers_given = one_of(c, v, "CSVHeaderLocation", locations) == 1;
	const struct asl_json *h = asl_json_get(rc, "CSVHeaders");
	if (rd->csv_headers_given && !h)
		report(c, rc, "SCHEMA_VALIDATION_FAILED", NULL,
		       "CSVHeaderLocation GIVEN needs \"CSVHeaders\"");
	else if (h && !rd->csv_headers_given)
		report(c, h, "SCHEMA_VALIDATION_FAILED", "CSVHeaders",
		       "\"CSVHeaders\" needs \"CSVHeaderLocation\": \"GIVEN\"");
	else if (h && (h->type != ASL_J_ARRAY || h->n == 0))
		report(c, h, "SCHEMA_VALIDATION_FAILED", "CSVHeaders",
		       "\"CSVHeaders\" must be a non-empty array of strings");
	else if (h) {
		const char **names = asl_arena_alloc(c->a, (size_t)h->n * sizeof *names);
		for (int i = 0; names && i < h->n; i++) {
			if (h->items[i]->type != ASL_J_STRING) {
				report(c, h->items[i], "SCHEMA_VALIDATION_FAILED", "CSVHeaders",
				       "\"CSVHeaders\" must hold strings");
				return;
			}
			names[i] = h->items[i]->str;
			for (int j = 0; j < i; j++)
				if (strcmp(names[j], names[i]) == 0)
					report(c, h->items[i], "SCHEMA_VALIDATION_FAILED", "CSVHeaders",
					       "\"CSVHeaders\" names \"%s\" twice", names[i]);
		}
		rd->csv_headers = names;
		rd->ncsv_headers = names ? h->n : 0;
	}
	/* AWS: "You can specify a limit of up to 100,000,000". */
	rd->max_items = count_member(c, rc, "MaxItems", 0, 100000000, jsonata, &rd->max_items_expr);
	rd->max_items_path = path_member(c, rc, "MaxItemsPath", "MaxItems", jsonata);
	if ((v = asl_json_get(rc, "ItemsPointer"))) {
		if (type >= 0 && type != 0)
			report(c, v, "SCHEMA_VALIDATION_FAILED", "ItemsPointer",
			       "\"ItemsPointer\" applies only to InputType JSON");
		else if (v->type != ASL_J_STRING || (v->str[0] && v->str[0] != '/'))
			report(c, v, "SCHEMA_VALIDATION_FAILED", "ItemsPointer",
			       "\"ItemsPointer\" must be a JSON pointer (\"/a/b\")");
		else if (v->str[0])
			rd->items_pointer = v->str;
	}
}

static const struct aslrt_reader *item_reader(struct checker *c, const struct asl_json *v,
					      int jsonata)
{
	static const char *const fields[] = { "Resource", "Parameters", "Arguments",
					      "ReaderConfig", NULL };
	struct aslrt_reader *rd = asl_arena_alloc(c->a, sizeof *rd);
	if (!rd)
		return NULL;
	only_fields(c, v, fields);
	s3_resource(c, v, S3_GET);
	rd->parameters = s3_params(c, v, "Key", jsonata);
	const struct asl_json *rc = object_member(c, v, "ReaderConfig");
	size_t l = push(c, "ReaderConfig");
	if (rc)
		reader_config(c, rc, rd, jsonata);
	else if (!asl_json_get(v, "ReaderConfig"))
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "\"ReaderConfig\" with \"InputType\" is required");
	pop(c, l);
	return rd;
}

static const struct aslrt_batcher *item_batcher(struct checker *c, const struct asl_json *v,
						int jsonata)
{
	static const char *const fields[] = { "MaxItemsPerBatch", "MaxItemsPerBatchPath",
		"MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput", NULL };
	struct aslrt_batcher *b = asl_arena_alloc(c->a, sizeof *b);
	if (!b)
		return NULL;
	only_fields(c, v, fields);
	b->max_items = count_member(c, v, "MaxItemsPerBatch", 1, 99999999, jsonata,
				    &b->max_items_expr);
	b->max_items_path = path_member(c, v, "MaxItemsPerBatchPath", "MaxItemsPerBatch", jsonata);
	/* AWS: "the maximum size of a batch in bytes, up to 256 KiB". */
	b->max_bytes = count_member(c, v, "MaxInputBytesPerBatch", 1, 262144, jsonata,
				    &b->max_bytes_expr);
	b->max_bytes_path = path_member(c, v, "MaxInputBytesPerBatchPath", "MaxInputBytesPerBatch",
					jsonata);
	if (!asl_json_get(v, "MaxItemsPerBatch") && !asl_json_get(v, "MaxItemsPerBatchPath") &&
	    !asl_json_get(v, "MaxInputBytesPerBatch") && !asl_json_get(v, "MaxInputBytesPerBatchPath"))
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "an ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their "
		       "...Path)");
	const struct asl_json *bi = asl_json_get(v, "BatchInput");
	if (jsonata && bi && is_jsonata_expr(bi))
		b->batch_input = jsonata_field(c, bi, "BatchInput");
	else if ((bi = object_member(c, v, "BatchInput")))
		b->batch_input = jsonata ? jsonata_field(c, bi, "BatchInput")
					 : tmpl(c, bi, "BatchInput", 1);
	return b;
}

static const struct aslrt_writer *result_writer(struct checker *c, const struct asl_json *v,
					       int jsonata)
{
	static const char *const fields[] = { "Resource", "Parameters", "Arguments",
					      "WriterConfig", NULL };
	static const char *const wfields[] = { "Transformation", "OutputType", NULL };
	static const char *const transforms[] = { "NONE", "COMPACT", "FLATTEN", NULL };
	static const char *const outputs[] = { "JSON", "JSONL", NULL };
	struct aslrt_writer *w = asl_arena_alloc(c->a, sizeof *w);
	if (!w)
		return NULL;
	only_fields(c, v, fields);
	int exported = asl_json_get(v, "Resource") || asl_json_get(v, "Parameters") ||
		       asl_json_get(v, "Arguments");
	const struct asl_json *wc = object_member(c, v, "WriterConfig");
	if (!exported && !asl_json_get(v, "WriterConfig"))
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a ResultWriter needs \"WriterConfig\", or \"Resource\" and "
		       "\"Parameters\", or all three");
	if (exported) {
		s3_resource(c, v, S3_PUT);
		w->parameters = s3_params(c, v, "Bucket", jsonata);
	}
	/* AWS: Transformation defaults to NONE when exporting, COMPACT when not. */
	w->transform = exported ? ASLRT_TRANSFORM_NONE : ASLRT_TRANSFORM_COMPACT;
	if (wc) {
		size_t l = push(c, "WriterConfig");
		only_fields(c, wc, wfields);
		const struct asl_json *t = asl_json_get(wc, "Transformation");
		int k = t ? one_of(c, t, "Transformation", transforms) : -1;
		if (k >= 0)
			w->transform = k == 0 ? ASLRT_TRANSFORM_NONE : k == 1 ?
				ASLRT_TRANSFORM_COMPACT : ASLRT_TRANSFORM_FLATTEN;
		const struct asl_json *o = asl_json_get(wc, "OutputType");
		w->jsonl = o && one_of(c, o, "OutputType", outputs) == 1;
		pop(c, l);
	}
	return w;
}

void check_distributed(struct checker *c, struct asl_ir_state *st, const struct asl_json *n)
{
	static const char *const pc_fields[] = { "Mode", "ExecutionType", NULL };
	static const char *const exec_types[] = { "STANDARD", "EXPRESS", NULL };
	const struct asl_json *proc = asl_json_get(n, "ItemProcessor");
	const struct asl_json *pc = proc && proc->type == ASL_J_OBJECT ?
		asl_json_get(proc, "ProcessorConfig") : NULL;
	size_t l = push(c, "ItemProcessor");
	const struct asl_json *mode = NULL, *et = NULL;
	if (pc && pc->type != ASL_J_OBJECT) {
		report(c, pc, "SCHEMA_VALIDATION_FAILED", "ProcessorConfig",
		       "\"ProcessorConfig\" must be an object");
	} else if (pc) {
		push(c, "ProcessorConfig");
		only_fields(c, pc, pc_fields);
		mode = asl_json_get(pc, "Mode");
		et = asl_json_get(pc, "ExecutionType");
	}
	st->s.distributed = mode && mode->type == ASL_J_STRING &&
			    strcmp(mode->str, "DISTRIBUTED") == 0;
	if (et && !st->s.distributed)
		report(c, et, "SCHEMA_VALIDATION_FAILED", "ExecutionType",
		       "\"ExecutionType\" applies only to Mode DISTRIBUTED");
	else if (et)
		st->s.express_children = one_of(c, et, "ExecutionType", exec_types) == 1;
	else if (st->s.distributed)
		report(c, pc, "SCHEMA_VALIDATION_FAILED", NULL,
		       "Mode DISTRIBUTED needs \"ExecutionType\" (STANDARD or EXPRESS)");
	pop(c, l);
	static const char *const dist_only[] = { "ItemReader", "ItemBatcher", "ResultWriter" };
	for (int k = 0; k < 3; k++) {
		const struct asl_json *v = asl_json_get(n, dist_only[k]);
		if (!v || v->type != ASL_J_OBJECT)
			continue;
		if (!st->s.distributed) {
			report(c, v, "SCHEMA_VALIDATION_FAILED", dist_only[k],
			       "\"%s\" needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED",
			       dist_only[k]);
			continue;
		}
		l = push(c, dist_only[k]);
		if (k == 0)
			st->s.reader = item_reader(c, v, st->jsonata);
		else if (k == 1)
			st->s.batcher = item_batcher(c, v, st->jsonata);
		else
			st->s.writer = result_writer(c, v, st->jsonata);
		pop(c, l);
	}
}
