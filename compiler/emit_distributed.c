/*
 * emit_distributed.c - a Distributed Map's ItemReader, ItemBatcher and
 * ResultWriter as static C data (see emit_distributed.h). Only states that
 * have them get any: the C of other machines is unchanged. A JSONata
 * state's expressions (Arguments, MaxItems, MaxItemsPerBatch, ...) are
 * templates like any other (<m>_tN).
 */
#include "emit_distributed.h"

#include "emit_util.h"

/* `\t.field = &<m>_<kind>N,` when id names a symbol. */
static void ref(const struct asl_emit_refs *r, const char *field, const char *kind, int id)
{
	if (id >= 0)
		fprintf(r->out, "\t.%s = &%s_%s%d,\n", field, r->m, kind, id);
}

static void reader(const struct asl_emit_refs *r, const struct asl_ir_state *st,
		   const struct aslrt_reader *rd)
{
	static const char *const types[] = { "JSON", "JSONL", "CSV" };
	int params = r->tmpl(r->e, rd->parameters);
	int max_path = r->path(r->e, rd->max_items_path);
	int max_expr = r->tmpl(r->e, rd->max_items_expr);
	if (rd->ncsv_headers) {
		fprintf(r->out, "static const char *const %s_H_%s[] = { ", r->m, st->cname);
		for (int i = 0; i < rd->ncsv_headers; i++) {
			asl_emit_cstr(r->out, rd->csv_headers[i]);
			fputs(i + 1 < rd->ncsv_headers ? ", " : " ", r->out);
		}
		fputs("};\n", r->out);
	}
	fprintf(r->out, "static const struct aslrt_reader %s_RD_%s = {\n", r->m, st->cname);
	ref(r, "parameters", "t", params);
	fprintf(r->out, "\t.input_type = ASLRT_INPUT_%s,\n", types[rd->input_type]);
	/* One of , | ; space tab (check_distributed.c): safe as a literal. */
	if (rd->csv_delimiter == '\t')
		fputs("\t.csv_delimiter = '\\t',\n", r->out);
	else
		fprintf(r->out, "\t.csv_delimiter = '%c',\n", rd->csv_delimiter);
	if (rd->csv_headers_given)
		fputs("\t.csv_headers_given = 1,\n", r->out);
	if (rd->ncsv_headers)
		fprintf(r->out, "\t.ncsv_headers = %d,\n\t.csv_headers = %s_H_%s,\n",
			rd->ncsv_headers, r->m, st->cname);
	if (rd->items_pointer) {
		fputs("\t.items_pointer = ", r->out);
		asl_emit_cstr(r->out, rd->items_pointer);
		fputs(",\n", r->out);
	}
	if (rd->max_items)
		fprintf(r->out, "\t.max_items = %ld,\n", rd->max_items);
	ref(r, "max_items_path", "p", max_path);
	ref(r, "max_items_expr", "t", max_expr);
	fputs("};\n", r->out);
}

static void batcher(const struct asl_emit_refs *r, const struct asl_ir_state *st,
		    const struct aslrt_batcher *b)
{
	int items_path = r->path(r->e, b->max_items_path);
	int bytes_path = r->path(r->e, b->max_bytes_path);
	int input = r->tmpl(r->e, b->batch_input);
	int items_expr = r->tmpl(r->e, b->max_items_expr);
	int bytes_expr = r->tmpl(r->e, b->max_bytes_expr);
	fprintf(r->out, "static const struct aslrt_batcher %s_BT_%s = {\n", r->m, st->cname);
	if (b->max_items)
		fprintf(r->out, "\t.max_items = %ld,\n", b->max_items);
	ref(r, "max_items_path", "p", items_path);
	if (b->max_bytes)
		fprintf(r->out, "\t.max_bytes = %ld,\n", b->max_bytes);
	ref(r, "max_bytes_path", "p", bytes_path);
	ref(r, "batch_input", "t", input);
	ref(r, "max_items_expr", "t", items_expr);
	ref(r, "max_bytes_expr", "t", bytes_expr);
	fputs("};\n", r->out);
}

static void writer(const struct asl_emit_refs *r, const struct asl_ir_state *st,
		   const struct aslrt_writer *w)
{
	static const char *const transforms[] = { "NONE", "COMPACT", "FLATTEN" };
	int params = r->tmpl(r->e, w->parameters);
	fprintf(r->out, "static const struct aslrt_writer %s_WR_%s = {\n", r->m, st->cname);
	ref(r, "parameters", "t", params);
	fprintf(r->out, "\t.transform = ASLRT_TRANSFORM_%s,\n", transforms[w->transform]);
	if (w->jsonl)
		fputs("\t.jsonl = 1,\n", r->out);
	fputs("};\n", r->out);
}

void asl_emit_distributed_data(const struct asl_emit_refs *r, const struct asl_ir_state *st)
{
	if (st->s.reader)
		reader(r, st, st->s.reader);
	if (st->s.batcher)
		batcher(r, st, st->s.batcher);
	if (st->s.writer)
		writer(r, st, st->s.writer);
}

void asl_emit_distributed_init(const struct asl_emit_refs *r, const struct asl_ir_state *st)
{
	const struct aslrt_state *s = &st->s;
	if (s->distributed)
		fputs("\t\t.distributed = 1,\n", r->out);
	if (s->express_children)
		fputs("\t\t.express_children = 1,\n", r->out);
	static const char *const fields[] = { "reader", "batcher", "writer" };
	static const char *const kinds[] = { "RD", "BT", "WR" };
	const void *set[] = { s->reader, s->batcher, s->writer };
	for (int k = 0; k < 3; k++)
		if (set[k])
			fprintf(r->out, "\t\t.%s = &%s_%s_%s,\n", fields[k], r->m, kinds[k],
				st->cname);
}
