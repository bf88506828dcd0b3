/*
 * context_use.h - does a checked state machine ever read the context object
 * ($$)? emit_c tells the runtime when it does not (aslrt_machine.context_free),
 * so that executions skip what only $$ needs.
 */
#ifndef ASL_CONTEXT_USE_H
#define ASL_CONTEXT_USE_H

#include "ir.h"

/* 1 when some path of ir, anywhere (a state field, a template, a Choice
 * condition, an intrinsic argument, a filter inside a path), starts at `$$`;
 * else 0. Borrows ir. */
int asl_ir_reads_context(const struct asl_ir *ir);

#endif /* ASL_CONTEXT_USE_H */
