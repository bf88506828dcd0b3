/*
 * emit_distributed.h - the static data of a Distributed Map (ItemReader,
 * ItemBatcher, ResultWriter) as C, for emit_c.c. Private to compiler/.
 */
#ifndef ASL_EMIT_DISTRIBUTED_H
#define ASL_EMIT_DISTRIBUTED_H

#include <stdio.h>

#include "ir.h"

/* What emit_c.c lends: the output, the machine's symbol prefix, and its
 * emitters of paths and templates (each returns the symbol number N of
 * <m>_pN / <m>_tN, or -1 for NULL). */
struct asl_emit_refs {
	FILE *out;
	const char *m;
	void *e;
	int (*path)(void *e, const struct aslrt_path *p);
	int (*tmpl)(void *e, const struct aslrt_tmpl *t);
};

/* Before the states array: <m>_RD_<state>, <m>_BT_<state>, <m>_WR_<state>
 * for the reader, batcher and writer st has (nothing for other states). */
void asl_emit_distributed_data(const struct asl_emit_refs *r, const struct asl_ir_state *st);
/* Inside st's initializer: its distributed, express_children, reader,
 * batcher and writer fields (nothing when unset). */
void asl_emit_distributed_init(const struct asl_emit_refs *r, const struct asl_ir_state *st);

#endif
