/*
 * jnrefs.h - what a compiled JSONata expression refers to, for binding
 * (runtime/tmpl.c: only the variables an expression reads are converted into
 * the engine's values) and for checking (compiler/check_jsonata_refs.c:
 * $states.result / $states.errorOutput placement, workflow variables read).
 * Shared by the runtime and the compiler; everything here borrows.
 */
#ifndef ASLRT_JNREFS_H
#define ASLRT_JNREFS_H

#include "jsonata/ast.h"

enum rt_jn_ref_kind {
	RT_JN_READ,   /* $name read (a variable node)                         */
	RT_JN_BIND    /* $name bound by the expression itself: `:=`, a lambda
			 parameter, a step's `@$focus` or `#$index`           */
};

/* Called once per variable node (READ) or binder (BIND) of an expression,
 * in source order. name is the variable without `$` ("" for `$`, "$" for
 * `$$`). For a READ that is the first step of a path whose second step is a
 * field name (`$states.input...`), member is that name, else NULL. node is
 * the variable node (BIND: the node that binds). */
typedef void (*rt_jn_ref_fn)(void *ctx, enum rt_jn_ref_kind kind, const char *name,
			     const char *member, const struct aslrt_jn_node *node);

/* Walk every node of the tree rooted at n (NULL: nothing) and report its
 * variables to fn. */
void rt_jn_refs(const struct aslrt_jn_node *n, rt_jn_ref_fn fn, void *ctx);

/* 1 when name is one of the engine's functions ($sum, $partition, ...). */
int rt_jn_is_builtin(const char *name);

#endif
