/*
 * jsonata.h - JSONata expressions at compile time: parsed by aslc
 * (grammar/jsonata.l, grammar/jsonata.y, compiler/jsonata_*.c) into the
 * struct aslrt_jn_expr the runtime evaluates (runtime/jsonata/), and written
 * out as static C data (compiler/emit_jsonata.c).
 */
#ifndef ASL_JSONATA_H
#define ASL_JSONATA_H

#include <stdio.h>

#include "jsonata/ast.h"
#include "jsonata/jsonata.h"

/* Parse text (len bytes). Returns a new expression (free with asl_jn_free),
 * or NULL with err filled: the reference implementation's code (S0101 ...
 * S0402), the byte offset and a message (err->message is malloc'd; clear
 * with aslrt_jn_error_clear). */
const struct aslrt_jn_expr *asl_jn_parse(const char *text, size_t len,
					 struct aslrt_jn_error *err);

/* Free an expression returned by asl_jn_parse. NULL is fine. */
void asl_jn_free(const struct aslrt_jn_expr *e);

/* Write e as static const C data: the expression object is named cname
 * (`static const struct aslrt_jn_expr cname = {...};`), its nodes, arrays,
 * signatures and regex programs get names that start with cname followed by
 * `_`. Borrows e. */
void asl_emit_jsonata(FILE *out, const struct aslrt_jn_expr *e, const char *cname);

#endif
