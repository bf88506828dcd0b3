/*
 * context_use.c - see context_use.h. Every path of an IR is parsed by
 * asl_path_parse or asl_intrinsic_parse and kept by the IR's arena (ir.h), and
 * only the parser makes a `$$` root, so looking at the arena's paths and calls,
 * with the paths nested in filters and call arguments, sees them all.
 */
#include "context_use.h"

static int path_reads(const struct aslrt_path *p);

static int filter_reads(const struct aslrt_filter *f)
{
	return f && (path_reads(f->lhs) || path_reads(f->rhs_path) || filter_reads(f->a) ||
		     filter_reads(f->b));
}

static int path_reads(const struct aslrt_path *p)
{
	if (!p)
		return 0;
	if (p->root == ASLRT_ROOT_CONTEXT)
		return 1;
	for (int i = 0; i < p->nseg; i++)
		if (p->seg[i].kind == ASLRT_SEG_FILTER && filter_reads(p->seg[i].filter))
			return 1;
	return 0;
}

static int call_reads(const struct aslrt_call *c)
{
	for (int i = 0; c && i < c->nargs; i++)
		if (path_reads(c->args[i].path) || call_reads(c->args[i].call))
			return 1;
	return 0;
}

int asl_ir_reads_context(const struct asl_ir *ir)
{
	for (int i = 0; i < ir->nstates; i++)
		if (ir->states[i].s.jsonata)   /* $states.context: not analysed */
			return 1;
	for (int i = 0; i < ir->arena.npaths; i++)
		if (path_reads(ir->arena.paths[i]))
			return 1;
	for (int i = 0; i < ir->arena.ncalls; i++)
		if (call_reads(ir->arena.calls[i]))
			return 1;
	return 0;
}
