/*
 * aslrt_fast.h - what the specialised C that aslc emits for some states
 * (compiler/emit_fast.c) calls: small helpers over cJSON and the entry points
 * of runtime/fast.c. Generated code includes it after <aslrt.h>, only when a
 * state was specialised.
 *
 * A specialised state runs as a function `<m>_fast_<State>(x, s)` before the
 * generic code of its case: it returns 1 when it ran the state (transition,
 * or the execution failed), 0 when it changed nothing and the generic code
 * must run the state instead (a path that selects nothing, a value that is
 * not what the fast code handles): the generic code then raises exactly the
 * error it always raises. cJSON values are borrowed unless a parameter's
 * name ends in _take.
 */
#ifndef ASLRT_FAST_H
#define ASLRT_FAST_H

#include "aslrt.h"

#include <limits.h>
#include <string.h>

/* An upper bound of the JSON text size and nesting of the value a Parameters
 * or Result template builds, computed by aslc from the template: at most
 * c + k * (bytes of the state's input) bytes and max(lc, dp + levels of the
 * input) levels (dp < 0: the template has no path). The k values its paths
 * selected (sel below) give a closer bound when that one is too loose: c +
 * their sizes. */
struct aslrt_fx_bound {
	unsigned long c;
	int k;
	int lc, dp;
};

/* Member name of o (the first, as cJSON_GetObjectItemCaseSensitive), or NULL
 * when o is NULL, not an object, or has none. Keys that the runtime stores
 * are often the program's own literals, so a pointer compare may decide. */
static inline const cJSON *aslrt_fx_member(const cJSON *o, const char *name)
{
	if (!o || (o->type & 0xFF) != cJSON_Object)
		return NULL;
	for (const cJSON *c = o->child; c; c = c->next)
		if (c->string && (c->string == name ||
				  (c->string[0] == name[0] && strcmp(c->string, name) == 0)))
			return c;
	return NULL;
}

/* Element i (>= 0) of array a, or NULL. */
static inline const cJSON *aslrt_fx_index(const cJSON *a, long i)
{
	if (!a || (a->type & 0xFF) != cJSON_Array)
		return NULL;
	const cJSON *c = a->child;
	for (; c && i > 0; i--)
		c = c->next;
	return c;
}

/* The type tests of Choice rules, inline (v not NULL). */
static inline int aslrt_fx_is(const cJSON *v, int type)
{
	return (v->type & 0xFF) == type;
}

/* 1 and *out = the value of v when v is a number that States.MathAdd takes
 * as it is: integral, in [-2^31, 2^31 - 1]; else 0 (the generic code then
 * rounds it, or raises States.IntrinsicFailure). */
static inline int aslrt_fx_int32(const cJSON *v, double *out)
{
	if ((v->type & 0xFF) != cJSON_Number)
		return 0;
	double d = v->valuedouble;
	if (!(d >= -2147483648.0 && d <= 2147483647.0) || d != (double)(long)d)
		return 0;
	*out = d;
	return 1;
}

/* ---- A Task's Parameters as a view in the caller's storage: nodes that
 * the task only reads, freed by nobody (a cJSON array on the stack of the
 * specialised function), standing for what rt_tmpl_view would build. */

/* Node n as an empty container or a constant without value (type:
 * cJSON_Object, cJSON_Array, cJSON_NULL, cJSON_True, cJSON_False). */
static inline void aslrt_fx_view(cJSON *n, int type)
{
	memset(n, 0, sizeof *n);
	n->type = type;
}

/* Node n as the number d (valueint as cJSON_CreateNumber sets it). */
static inline void aslrt_fx_view_num(cJSON *n, double d)
{
	aslrt_fx_view(n, cJSON_Number);
	n->valuedouble = d;
	n->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
}

/* Node n as the string literal text (referred to, never freed). */
static inline void aslrt_fx_view_str(cJSON *n, const char *text)
{
	aslrt_fx_view(n, cJSON_String | cJSON_IsReference);
	n->valuestring = (char *)(void *)text;
}

/* Node n standing for v (borrowed; it must outlive n): a reference to an
 * object's members, an array's elements or a string's text, a copy of
 * another scalar, as rt_tmpl_view's nodes are. */
static inline void aslrt_fx_view_ref(cJSON *n, const cJSON *v)
{
	int type = v->type & 0xFF;
	*n = *v;
	n->next = n->prev = NULL;
	n->string = NULL;
	n->type = type | (type == cJSON_Object || type == cJSON_Array || type == cJSON_String
				  ? cJSON_IsReference : 0);
}

/* Append node n to container o as member key (a string literal; NULL for an
 * array element), keeping cJSON's list invariant (first->prev is the last). */
static inline void aslrt_fx_link(cJSON *o, cJSON *n, const char *key)
{
	n->string = (char *)(void *)key;
	if (key)
		n->type |= cJSON_StringIsConst;
	n->next = NULL;
	if (!o->child) {
		o->child = n;
		n->prev = n;
	} else {
		cJSON *last = o->child->prev;
		last->next = n;
		n->prev = last;
		o->child->prev = n;
	}
}

/* ---- Values built for Pass (new memory, they go into the document) */

/* Add v_take to object o as member key (a string literal of the program:
 * cJSON keeps the pointer) when ok; returns 1, or 0 (v_take freed) when ok
 * was 0 or v_take is NULL (out of memory). */
ASLRT_API int aslrt_fx_put(cJSON *o, const char *key, cJSON *v_take, int ok);
/* aslrt_fx_put for an array element. */
ASLRT_API int aslrt_fx_push(cJSON *a, cJSON *v_take, int ok);
/* The raw input of x's current state ($), borrowed. */
ASLRT_API const cJSON *aslrt_fx_input(const struct aslrt_exec *x);

/* Leave a state whose output is its input unchanged (a Choice without
 * InputPath, OutputPath or Assign) for next. Returns 1. */
ASLRT_API int aslrt_fx_goto(struct aslrt_exec *x, int next);

/* A Pass state s whose Parameters (params set) or Result aslc built as
 * value_take (ok 0: building it ran out of memory), with b its bound and sel
 * the b->k values its paths selected (borrowed; NULL when k is 0): the
 * payload checks, then ResultPath, OutputPath and the transition as
 * aslrt_pass does them. Returns 1. */
ASLRT_API int aslrt_fx_pass(struct aslrt_exec *x, const struct aslrt_state *s,
			    cJSON *value_take, int ok, int params,
			    const struct aslrt_fx_bound *b, const cJSON *const *sel);

/* A Task state s whose Parameters aslc built as a view of its input
 * (params, borrowed: the aslrt_fx_view nodes above), with b their bound and
 * sel the values its paths selected (as for aslrt_fx_pass): the
 * payload check, then the invocation with retries and catchers and the rest
 * of the state as aslrt_task does them. Returns 1. */
ASLRT_API int aslrt_fx_task(struct aslrt_exec *x, const struct aslrt_state *s,
			    const cJSON *params, const struct aslrt_fx_bound *b,
			    const cJSON *const *sel);

#endif /* ASLRT_FAST_H */
