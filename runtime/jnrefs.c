/*
 * jnrefs.c - the variables a compiled JSONata expression reads and binds
 * (see jnrefs.h). A plain walk over every child pointer of a node (lhs, rhs,
 * third, kids (an object constructor's n pairs are 2n kids), predicates,
 * stages, group-by pairs).
 */
#include "jnrefs.h"

#include <stddef.h>

#include "jsonata/jn.h"

static void walk(const struct aslrt_jn_node *n, rt_jn_ref_fn fn, void *ctx);

static void walk_all(const struct aslrt_jn_node *const *v, int n, rt_jn_ref_fn fn, void *ctx)
{
	for (int i = 0; v && i < n; i++)
		walk(v[i], fn, ctx);
}

/* A path's steps: the first, when it is a variable followed by a field
 * name, is reported with that name as its member. */
static void walk_path(const struct aslrt_jn_node *n, rt_jn_ref_fn fn, void *ctx)
{
	const struct aslrt_jn_node *first = n->n > 0 ? n->kids[0] : NULL;
	if (first && first->kind == ASLRT_JN_VARIABLE && n->n > 1 &&
	    n->kids[1]->kind == ASLRT_JN_NAME) {
		fn(ctx, RT_JN_READ, first->str, n->kids[1]->str, first);
		walk_all(first->pred, first->npred, fn, ctx);
		for (int i = 0; i < first->nstages; i++)
			walk(first->stages[i].filter, fn, ctx);
		walk_all(n->kids + 1, n->n - 1, fn, ctx);
		return;
	}
	walk_all(n->kids, n->n, fn, ctx);
}

static void walk(const struct aslrt_jn_node *n, rt_jn_ref_fn fn, void *ctx)
{
	if (!n)
		return;
	switch (n->kind) {
	case ASLRT_JN_VARIABLE:
		fn(ctx, RT_JN_READ, n->str, NULL, n);
		break;
	case ASLRT_JN_BIND:
		fn(ctx, RT_JN_BIND, n->str, NULL, n);
		break;
	case ASLRT_JN_LAMBDA:
		for (int i = 0; i < n->n; i++)
			fn(ctx, RT_JN_BIND, n->kids[i]->str, NULL, n);
		break;
	default:
		break;
	}
	if (n->focus)
		fn(ctx, RT_JN_BIND, n->focus, NULL, n);
	if (n->index)
		fn(ctx, RT_JN_BIND, n->index, NULL, n);
	for (int i = 0; i < n->nstages; i++) {
		if (n->stages[i].index)
			fn(ctx, RT_JN_BIND, n->stages[i].index, NULL, n);
		walk(n->stages[i].filter, fn, ctx);
	}
	walk(n->lhs, fn, ctx);
	walk(n->rhs, fn, ctx);
	walk(n->third, fn, ctx);
	if (n->kind == ASLRT_JN_PATH)
		walk_path(n, fn, ctx);
	else if (n->kind == ASLRT_JN_OBJECT)   /* n pairs: key, value, key, ... */
		walk_all(n->kids, 2 * n->n, fn, ctx);
	else if (n->kind != ASLRT_JN_LAMBDA)
		walk_all(n->kids, n->n, fn, ctx);
	walk_all(n->pred, n->npred, fn, ctx);
	walk_all(n->group, 2 * n->ngroup, fn, ctx);
}

void rt_jn_refs(const struct aslrt_jn_node *n, rt_jn_ref_fn fn, void *ctx)
{
	walk(n, fn, ctx);
}

int rt_jn_is_builtin(const char *name)
{
	return jn_builtin_find(name) != NULL;
}
