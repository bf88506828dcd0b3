/*
 * check_graph.c - the state graph: reachability from StartAt, a reachable terminal
 * state, the distinct Task resources, unique C names for states.
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* ------------------------------------------------------------ the graph */

/* seen[] and the stack hold machine-relative indexes (target - first):
 * transitions never leave their machine, so each machine costs only its own
 * size, however many machines there are. */
static void visit(int target, int first, int *stack, int *top, char *seen)
{
	if (target >= 0 && !seen[target - first]) {
		seen[target - first] = 1;
		stack[(*top)++] = target;
	}
}

int transitions_known(const struct asl_ir_state *st)
{
	const struct asl_json *n = st->node;
	const struct aslrt_state *s = &st->s;
	if ((asl_json_get(n, "Next") && s->next < 0) ||
	    (((1u << s->type) & FLOWING) && s->next < 0 && !asl_json_get(n, "End")))
		return 0;
	if (s->type == ASLRT_CHOICE && (st->nrules == 0 ||
					(asl_json_get(n, "Default") && s->default_next < 0)))
		return 0;
	for (int k = 0; k < st->nrules; k++)
		if (st->rules[k].next < 0)
			return 0;
	const struct asl_json *cat = asl_json_get(n, "Catch");
	if (cat && (cat->type != ASL_J_ARRAY || s->ncatch != cat->n))
		return 0;
	for (int k = 0; k < s->ncatch; k++)
		if (s->catchers[k].next < 0)
			return 0;
	return 1;
}

/* Unreachable states (AWS rejects them) and the existence of a terminal one. */
void check_graph(struct checker *c, int mi)
{
	const struct asl_ir_machine *m = &c->ir->machines[mi];
	int n = m->n, f = m->first;
	char *seen = calloc((size_t)n + 1, 1);
	int *stack = malloc(((size_t)n + 1) * sizeof *stack), top = 0;
	if (!seen || !stack || m->start < 0)
		goto out;
	visit(m->start, f, stack, &top, seen);
	int terminal = 0;
	while (top > 0) {
		const struct asl_ir_state *st = &c->ir->states[stack[--top]];
		if (st->s.type == ASLRT_SUCCEED || st->s.type == ASLRT_FAIL ||
		    (((1u << st->s.type) & FLOWING) && asl_json_get(st->node, "End")))
			terminal = 1;
		visit(st->s.next, f, stack, &top, seen);
		visit(st->s.default_next, f, stack, &top, seen);
		for (int k = 0; k < st->s.ncatch; k++)
			visit(st->s.catchers[k].next, f, stack, &top, seen);
		for (int k = 0; k < st->nrules; k++)
			visit(st->rules[k].next, f, stack, &top, seen);
	}
	snprintf(c->ptr, sizeof c->ptr, "%s/States", m->pointer);
	if (!terminal)
		report(c, asl_json_get(m->node, "States"), "MISSING_END_STATE", NULL,
		       "no terminal state (Succeed, Fail, or \"End\": true) can be reached");
	for (int i = f; i < f + n; i++)
		if (!seen[i - f])
			asl_diag_add(c->d, ASL_ERROR, c->ir->states[i].loc, "SCHEMA_VALIDATION_FAILED",
				     c->ir->states[i].s.pointer,
				     "state \"%s\" is not reachable from \"StartAt\"",
				     c->ir->states[i].s.name);
out:
	free(seen);
	free(stack);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct resources, sorted; each Task's resource_index. O(n log n). */
int collect_resources(struct asl_ir *ir)
{
	ir->resources = calloc((size_t)ir->nstates + 1, sizeof *ir->resources);
	if (!ir->resources)
		return -1;
	int n = 0;
	for (int i = 0; i < ir->nstates; i++)
		if (ir->states[i].s.resource)
			ir->resources[n++] = ir->states[i].s.resource;
	qsort(ir->resources, (size_t)n, sizeof *ir->resources, by_text);
	ir->nresources = 0;
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(ir->resources[i], ir->resources[ir->nresources - 1]) != 0)
			ir->resources[ir->nresources++] = ir->resources[i];
	for (int i = 0; i < ir->nstates; i++) {
		const char *r = ir->states[i].s.resource;
		const char **hit = r ? bsearch(&r, ir->resources, (size_t)ir->nresources,
					       sizeof *ir->resources, by_text) : NULL;
		if (hit)
			ir->states[i].s.resource_index = (int)(hit - ir->resources);
	}
	return 0;
}

/* Unique C names for states: mangled, collisions numbered in document order
 * (name, name_2, name_3, ... skipping any taken), found by hash. */
int name_states(struct asl_ir *ir)
{
	struct asl_strmap taken = { 0 };
	int rc = 0;
	for (int i = 0; i < ir->nstates && rc == 0; i++) {
		char *base = asl_mangle(ir->states[i].s.name), *m = base;
		if (!m) {
			rc = -1;
			break;
		}
		for (int k = 2; m && asl_strmap_get(&taken, m) >= 0; k++) {
			size_t len = strlen(base) + 16;
			if (m != base)
				free(m);
			if ((m = malloc(len)))
				snprintf(m, len, "%s_%d", base, k);
		}
		if (m != base)
			free(base);
		ir->states[i].cname = m;
		if (!m || asl_strmap_add(&taken, m, i) < 0)
			rc = -1;
	}
	asl_strmap_free(&taken);
	return rc;
}
