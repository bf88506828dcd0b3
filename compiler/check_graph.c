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

static void visit(int target, int *stack, int *top, char *seen)
{
	if (target >= 0 && !seen[target]) {
		seen[target] = 1;
		stack[(*top)++] = target;
	}
}

/* Unreachable states (AWS rejects them) and the existence of a terminal one. */
void check_graph(struct checker *c, int mi)
{
	const struct asl_ir_machine *m = &c->ir->machines[mi];
	int n = c->ir->nstates;
	char *seen = calloc((size_t)n + 1, 1);
	int *stack = malloc(((size_t)n + 1) * sizeof *stack), top = 0;
	if (!seen || !stack || m->start < 0)
		goto out;
	visit(m->start, stack, &top, seen);
	int terminal = 0;
	while (top > 0) {
		const struct asl_ir_state *st = &c->ir->states[stack[--top]];
		if (st->s.type == ASLRT_SUCCEED || st->s.type == ASLRT_FAIL ||
		    (((1u << st->s.type) & FLOWING) && asl_json_get(st->node, "End")))
			terminal = 1;
		visit(st->s.next, stack, &top, seen);
		visit(st->s.default_next, stack, &top, seen);
		for (int k = 0; k < st->s.ncatch; k++)
			visit(st->s.catchers[k].next, stack, &top, seen);
		for (int k = 0; k < st->nrules; k++)
			visit(st->rules[k].next, stack, &top, seen);
	}
	snprintf(c->ptr, sizeof c->ptr, "%s/States", m->pointer);
	if (!terminal)
		report(c, asl_json_get(m->node, "States"), "MISSING_END_STATE", NULL,
		       "no terminal state (Succeed, Fail, or \"End\": true) can be reached");
	for (int i = m->first; i < m->first + m->n; i++)
		if (!seen[i]) {
			size_t l = push(c, c->ir->states[i].s.name);
			asl_diag_add(c->d, ASL_ERROR, c->ir->states[i].loc, "SCHEMA_VALIDATION_FAILED",
				     c->ptr, "state \"%s\" is not reachable from \"StartAt\"",
				     c->ir->states[i].s.name);
			pop(c, l);
		}
out:
	free(seen);
	free(stack);
}

/* Distinct resources, sorted; each Task's resource_index. */
int collect_resources(struct asl_ir *ir)
{
	ir->resources = calloc((size_t)ir->nstates + 1, sizeof *ir->resources);
	if (!ir->resources)
		return -1;
	for (int i = 0; i < ir->nstates; i++) {
		const char *r = ir->states[i].s.resource;
		if (!r)
			continue;
		int k = 0;
		while (k < ir->nresources && strcmp(ir->resources[k], r) < 0)
			k++;
		if (k < ir->nresources && strcmp(ir->resources[k], r) == 0)
			continue;
		memmove(&ir->resources[k + 1], &ir->resources[k],
			(size_t)(ir->nresources - k) * sizeof *ir->resources);
		ir->resources[k] = r;
		ir->nresources++;
	}
	for (int i = 0; i < ir->nstates; i++)
		for (int k = 0; ir->states[i].s.resource && k < ir->nresources; k++)
			if (strcmp(ir->resources[k], ir->states[i].s.resource) == 0)
				ir->states[i].s.resource_index = k;
	return 0;
}

/* Unique C names for states: mangled, collisions numbered in document order. */
int name_states(struct asl_ir *ir)
{
	for (int i = 0; i < ir->nstates; i++) {
		char *m = asl_mangle(ir->states[i].s.name);
		if (!m)
			return -1;
		for (int k = 2, clash = 1; clash; k++) {
			clash = 0;
			for (int j = 0; j < i; j++)
				clash |= strcmp(ir->states[j].cname, m) == 0;
			if (clash) {
				char *base = asl_mangle(ir->states[i].s.name);
				size_t len = strlen(base) + 16;
				free(m);
				m = malloc(len);
				if (!m) {
					free(base);
					return -1;
				}
				snprintf(m, len, "%s_%d", base, k);
				free(base);
			}
		}
		ir->states[i].cname = m;
	}
	return 0;
}
