/*
 * check_jsonata.h - what check_jsonata.c lends the other checking files
 * beyond checker.h (check_distributed.c: a Distributed Map's JSONata
 * fields). Private to compiler/.
 */
#ifndef ASL_CHECK_JSONATA_H
#define ASL_CHECK_JSONATA_H

#include "checker.h"

/* Value v of field `field` (a member of the object at c->ptr) in a JSONata
 * state, as a template whose "{% %}" strings, at any depth, are
 * expressions: each one parsed and checked as check_jsonata_state checks
 * Arguments ($states.result and $states.errorOutput not readable, no `$`
 * or `$$` at the top level). Arena memory; NULL after reporting. Borrows
 * v. */
const struct aslrt_tmpl *jsonata_field(struct checker *c, const struct asl_json *v,
				       const char *field);

#endif
