/*
 * check_machine.c - the machines of a definition: the top-level one and,
 * recursively, every Parallel branch and Map ItemProcessor (or legacy
 * Iterator). Each machine's states are appended to ir->states as one
 * contiguous run, before any of its nested machines, so a machine is just a
 * range of indexes and one step function can serve them all.
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

static int grow_states(struct asl_ir *ir, int more)
{
	struct asl_ir_state *v = realloc(ir->states, (size_t)(ir->nstates + more) * sizeof *v);
	if (!v)
		return -1;
	memset(v + ir->nstates, 0, (size_t)more * sizeof *v);
	ir->states = v;
	return 0;
}

static int new_machine(struct asl_ir *ir)
{
	struct asl_ir_machine *v = realloc(ir->machines, (size_t)(ir->nmachines + 1) * sizeof *v);
	if (!v)
		return -1;
	ir->machines = v;
	memset(&v[ir->nmachines], 0, sizeof *v);
	return ir->nmachines++;
}

static const char *dup_pointer(struct checker *c)
{
	char *p = asl_arena_alloc(c->a, strlen(c->ptr) + 1);
	if (p)
		strcpy(p, c->ptr);
	return p;
}

/* The fields a machine object may have, by where it stands. */
static void machine_fields(struct checker *c, const struct asl_json *node, int owner)
{
	static const char *const top[] = { "StartAt", "States", "Comment", "Version",
					   "TimeoutSeconds", "QueryLanguage", NULL };
	static const char *const branch[] = { "StartAt", "States", "Comment", NULL };
	static const char *const processor[] = { "StartAt", "States", "Comment",
						 "ProcessorConfig", NULL };
	const struct asl_json *v;
	if (owner < 0) {
		only_fields(c, node, top);
		if ((v = asl_json_get(node, "QueryLanguage")))
			check_query_language(c, v);
		if ((v = asl_json_get(node, "Version")) && v->type != ASL_J_STRING)
			report(c, v, "SCHEMA_VALIDATION_FAILED", "Version",
			       "\"Version\" must be a string");
		if ((v = asl_json_get(node, "TimeoutSeconds")) && !is_int_in(v, 1, 99999999))
			report(c, v, "SCHEMA_VALIDATION_FAILED", "TimeoutSeconds",
			       "\"TimeoutSeconds\" must be a positive integer");
		else if (v)            /* the execution's limit (Standard mode) */
			c->ir->timeout_s = v->num;
	} else if (c->ir->states[owner].s.type == ASLRT_PARALLEL) {
		only_fields(c, node, branch);
	} else {
		only_fields(c, node, processor);
		const struct asl_json *pc = asl_json_get(node, "ProcessorConfig");
		const struct asl_json *mode = pc ? asl_json_get(pc, "Mode") : NULL;
		/* Distributed mode's own fields: check_distributed.c. */
		if (mode && (mode->type != ASL_J_STRING || (strcmp(mode->str, "INLINE") != 0 &&
							    strcmp(mode->str, "DISTRIBUTED") != 0)))
			report(c, mode, "SCHEMA_VALIDATION_FAILED", "ProcessorConfig/Mode",
			       "\"Mode\" must be \"INLINE\" or \"DISTRIBUTED\"");
	}
	if ((v = asl_json_get(node, "Comment")) && v->type != ASL_J_STRING)
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Comment", "\"Comment\" must be a string");
}

/* The nested machines of state i (Parallel Branches, Map ItemProcessor). */
static void collect_nested(struct checker *c, int i)
{
	const struct asl_json *n = c->ir->states[i].node;
	const struct asl_json *type = n->type == ASL_J_OBJECT ? asl_json_get(n, "Type") : NULL;
	if (!type || type->type != ASL_J_STRING)
		return;
	int parallel = strcmp(type->str, "Parallel") == 0;
	if (!parallel && strcmp(type->str, "Map") != 0)
		return;
	c->ir->states[i].s.type = parallel ? ASLRT_PARALLEL : ASLRT_MAP;
	const char *base = c->ir->states[i].s.pointer;
	const struct asl_json *one[1], *const *subs = one;
	const char *key = "Branches";
	int nsub = 0;
	const struct asl_json *b = asl_json_get(n, "Branches");
	if (parallel && b && b->type == ASL_J_ARRAY) {
		subs = (const struct asl_json *const *)b->items;
		nsub = b->n;
	} else if (!parallel) {
		const struct asl_json *ip = asl_json_get(n, "ItemProcessor");
		const struct asl_json *it = asl_json_get(n, "Iterator");
		if (ip && it) {
			strcpy(c->ptr, base);
			report(c, it, "SCHEMA_VALIDATION_FAILED", "Iterator",
			       "\"ItemProcessor\" and \"Iterator\" are mutually exclusive");
		}
		if (ip || it) {
			one[0] = ip ? ip : it;
			key = ip ? "ItemProcessor" : "Iterator";
			nsub = 1;
		}
	}
	int *sub = asl_arena_alloc(c->a, (size_t)(nsub ? nsub : 1) * sizeof *sub);
	if (!sub)
		return;
	c->ir->states[i].sub = sub;
	for (int k = 0; k < nsub; k++) {
		if (parallel)
			snprintf(c->ptr, sizeof c->ptr, "%s/Branches/%d", base, k);
		else
			snprintf(c->ptr, sizeof c->ptr, "%s/%s", base, key);
		int m = collect_machine(c, subs[k], c->ptr, i);
		if (m >= 0)
			sub[c->ir->states[i].nsub++] = m;
	}
}

int collect_machine(struct checker *c, const struct asl_json *node, const char *pointer,
		    int owner)
{
	struct asl_ir *ir = c->ir;
	if (pointer != c->ptr)
		strcpy(c->ptr, pointer);
	if (node->type != ASL_J_OBJECT) {
		report(c, node, "SCHEMA_VALIDATION_FAILED", NULL,
		       "a state machine must be a JSON object");
		return -1;
	}
	int mi = new_machine(ir);
	if (mi < 0)
		return -1;
	struct asl_ir_machine *m = &ir->machines[mi];
	m->node = node;
	m->owner = owner;
	m->start = -1;
	m->first = ir->nstates;
	m->pointer = dup_pointer(c);
	const char *mp = m->pointer ? m->pointer : "";   /* pointer may be c->ptr */
	machine_fields(c, node, owner);
	const struct asl_json *start = asl_json_get(node, "StartAt");
	const struct asl_json *states = asl_json_get(node, "States");
	if (!start)
		report(c, node, "SCHEMA_VALIDATION_FAILED", NULL, "\"StartAt\" is required");
	else if (start->type != ASL_J_STRING)
		report(c, start, "SCHEMA_VALIDATION_FAILED", "StartAt", "\"StartAt\" must be a string");
	if (!states) {
		report(c, node, "SCHEMA_VALIDATION_FAILED", NULL, "\"States\" is required");
		return mi;
	}
	if (states->type != ASL_J_OBJECT || states->n == 0) {
		report(c, states, "SCHEMA_VALIDATION_FAILED", "States",
		       "\"States\" must be an object with at least one state");
		return mi;
	}
	if (grow_states(ir, states->n))
		return -1;
	for (int k = 0; k < states->n; k++) {
		const struct asl_member *mem = &states->members[k];
		int i = ir->nstates++;
		struct asl_ir_state *st = &ir->states[i];
		st->s.name = mem->key;
		st->loc = mem->key_loc;
		st->node = mem->val;
		st->machine = mi;
		snprintf(c->ptr, sizeof c->ptr, "%s/States", mp);
		size_t l = push(c, mem->key);
		st->s.pointer = dup_pointer(c);
		pop(c, l);
		if (index_state_name(c, i) != 0)
			return -1;
	}
	m = &ir->machines[mi];
	m->n = states->n;
	int first = m->first, n = m->n;
	for (int i = first; i < first + n; i++)
		collect_nested(c, i);
	/* StartAt last, so that a name of a nested machine's state is known. */
	if (start && start->type == ASL_J_STRING) {
		c->m = m = &ir->machines[mi];
		m->start = state_index(c, start->str);
		strcpy(c->ptr, m->pointer ? m->pointer : "");
		if (m->start < 0)
			missing_target(c, start, "StartAt");
	}
	return mi;
}
