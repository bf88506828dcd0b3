/*
 * emit_fast.h - specialised C for the states whose definition allows it
 * (emit_fast.c), called from emit_c.c. The runtime side is
 * runtime/include/aslrt_fast.h and runtime/fast.c.
 */
#ifndef ASL_EMIT_FAST_H
#define ASL_EMIT_FAST_H

#include <stdio.h>

#include "ir.h"

/* 1 when state st gets a specialised function. */
int asl_fast_eligible(const struct asl_ir_state *st);

/* 1 when some state of ir gets one (the program includes <aslrt_fast.h>). */
int asl_fast_any(const struct asl_ir *ir);

/* When st is eligible: write its function `<m>_fast_<cname>(x, s)` (m: the
 * machine's C name; state indexes are the enum `<m>_S_<cname>` of ir) and
 * return 1; else write nothing and return 0. */
int asl_emit_fast_fn(FILE *out, const char *m, const struct asl_ir *ir,
		     const struct asl_ir_state *st);

/* The first lines of st's case in the step function, for an eligible st:
 * run the specialised function, and the generic code only when it declines. */
void asl_emit_fast_call(FILE *out, const char *m, const struct asl_ir_state *st);

#endif /* ASL_EMIT_FAST_H */
