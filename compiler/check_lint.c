/*
 * check_lint.c - what AWS accepts but is surely a mistake. Each row of lints[]
 * is one warning (its code, and the check over one machine's graph); they
 * run once a machine's transitions are all known (check.c skips a machine
 * whose graph is incomplete). -Werror makes them fatal.
 *
 *   CANNOT_TERMINATE   a reachable state from which no path leads to a
 *                      terminal state (Succeed, Fail, "End": true): once
 *                      there, the execution can only fail or time out.
 *   BUSY_LOOP          a cycle of Pass and Choice states only: no Wait or
 *                      Task slows it, so it spins through state transitions
 *                      (each a history event; a Standard execution has at
 *                      most 25,000: Developer Guide, "Step Functions service
 *                      quotas").
 *   CATCH_NEVER_FIRES  an error name in a catcher that an earlier catcher of
 *                      the state already matches (the same name, or
 *                      States.ALL), or States.Runtime, which no catcher
 *                      matches: "A States.Runtime error isn't retriable, and
 *                      will always cause the execution to fail. A retry or
 *                      catch on States.ALL won't catch States.Runtime errors"
 *                      (Developer Guide, "Handling errors in Step Functions
 *                      workflows", States.Runtime).
 *   RETRY_NEVER_FIRES  the same for retriers.
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

/* The transitions of state st, in a fixed order: Next, Default, Choice rules,
 * catchers. Returns how many were written to out (at most cap). */
static int edges(const struct asl_ir_state *st, int *out, int cap)
{
	int n = 0;
#define EDGE(t) do { if ((t) >= 0 && n < cap) out[n++] = (t); } while (0)
	EDGE(st->s.next);
	if (st->s.type == ASLRT_CHOICE)
		EDGE(st->s.default_next);
	for (int k = 0; k < st->nrules; k++)
		EDGE(st->rules[k].next);
	for (int k = 0; k < st->s.ncatch; k++)
		EDGE(st->s.catchers[k].next);
#undef EDGE
	return n;
}

static int fanout(const struct asl_ir_state *st)
{
	return 2 + st->nrules + st->s.ncatch;
}

static int is_terminal(const struct asl_ir_state *st)
{
	return st->s.type == ASLRT_SUCCEED || st->s.type == ASLRT_FAIL ||
	       (((1u << st->s.type) & FLOWING) && asl_json_get(st->node, "End"));
}

/* Machine m's graph with machine-relative indexes: reach[] (from StartAt),
 * the edges as CSR (fstart[i] .. fstart[i+1] in fwd[]) and reversed (rstart,
 * rev). Linear in states + transitions. */
struct graph {
	int first, n;
	char *reach;
	int *fstart, *fwd, *rstart, *rev;
};

static void graph_free(struct graph *g)
{
	free(g->reach);
	free(g->fstart);
	free(g->fwd);
	free(g->rstart);
	free(g->rev);
}

static int graph_build(const struct checker *c, int mi, struct graph *g)
{
	const struct asl_ir_machine *m = &c->ir->machines[mi];
	/* no states at all: NULL, and NULL + 0 is undefined behaviour */
	const struct asl_ir_state *s = c->ir->states ? c->ir->states + m->first : NULL;
	size_t total = 0;
	int n = m->n;
	g->first = m->first;
	g->n = n;
	for (int i = 0; i < n; i++)
		total += (size_t)fanout(&s[i]);
	g->reach = calloc((size_t)n + 1, 1);
	g->fstart = calloc((size_t)n + 2, sizeof *g->fstart);
	g->rstart = calloc((size_t)n + 2, sizeof *g->rstart);
	g->fwd = malloc((total + 1) * sizeof *g->fwd);
	g->rev = malloc((total + 1) * sizeof *g->rev);
	int *fill = calloc((size_t)n + 1, sizeof *fill);
	int *stack = malloc(((size_t)n + 1) * sizeof *stack);
	if (!g->reach || !g->fstart || !g->rstart || !g->fwd || !g->rev || !fill || !stack ||
	    m->start < 0) {
		free(fill);
		free(stack);
		graph_free(g);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int k = edges(&s[i], g->fwd + g->fstart[i], fanout(&s[i]));
		g->fstart[i + 1] = g->fstart[i] + k;
		for (int j = g->fstart[i]; j < g->fstart[i + 1]; j++) {
			g->fwd[j] -= m->first;
			g->rstart[g->fwd[j] + 1]++;
		}
	}
	for (int i = 0; i < n; i++)
		g->rstart[i + 1] += g->rstart[i];
	for (int i = 0; i < n; i++)
		for (int j = g->fstart[i]; j < g->fstart[i + 1]; j++) {
			int t = g->fwd[j];
			g->rev[g->rstart[t] + fill[t]++] = i;
		}
	int top = 0;
	g->reach[m->start - m->first] = 1;
	stack[top++] = m->start - m->first;
	while (top > 0) {
		int i = stack[--top];
		for (int j = g->fstart[i]; j < g->fstart[i + 1]; j++)
			if (!g->reach[g->fwd[j]]) {
				g->reach[g->fwd[j]] = 1;
				stack[top++] = g->fwd[j];
			}
	}
	free(fill);
	free(stack);
	return 0;
}

/* ------------------------------------------------------ CANNOT_TERMINATE */

/* Walk back from the terminal states; report where a reachable execution
 * first enters a region with no way out (the start, or a state some
 * terminating state leads to), once per entry. */
static void cannot_terminate(struct checker *c, int mi, const struct graph *g)
{
	const struct asl_ir_state *s = c->ir->states + g->first;
	char *ends = calloc((size_t)g->n + 1, 1);
	int *stack = malloc(((size_t)g->n + 1) * sizeof *stack), top = 0, any = 0;
	if (!ends || !stack)
		goto out;
	for (int i = 0; i < g->n; i++)
		if (is_terminal(&s[i])) {
			ends[i] = 1;
			stack[top++] = i;
		}
	while (top > 0) {
		int i = stack[--top];
		for (int k = g->rstart[i]; k < g->rstart[i + 1]; k++)
			if (!ends[g->rev[k]]) {
				ends[g->rev[k]] = 1;
				stack[top++] = g->rev[k];
			}
	}
	for (int i = 0; i < g->n; i++)
		any |= g->reach[i] && ends[i];
	if (!any)
		goto out;              /* MISSING_END_STATE already says it all */
	for (int i = 0; i < g->n; i++) {
		if (!g->reach[i] || ends[i])
			continue;
		int entry = i == c->ir->machines[mi].start - g->first;
		for (int k = g->rstart[i]; k < g->rstart[i + 1] && !entry; k++)
			entry = ends[g->rev[k]] && g->reach[g->rev[k]];
		if (entry)
			asl_diag_add(c->d, ASL_WARNING, s[i].loc, "CANNOT_TERMINATE", s[i].s.pointer,
				     "no path leads from state \"%s\" to a terminal state (Succeed, "
				     "Fail or \"End\": true): an execution that gets here can only "
				     "fail or time out", s[i].s.name);
	}
out:
	free(ends);
	free(stack);
}

/* ------------------------------------------------------------ BUSY_LOOP */

static int cheap(const struct asl_ir_state *st)
{
	return st->s.type == ASLRT_PASS || st->s.type == ASLRT_CHOICE;
}

/* Strongly connected components of the subgraph of reachable Pass and
 * Choice states (Tarjan's algorithm, iterative so that 10^5 states need no
 * deep C stack); each component that is a cycle is reported once, at its
 * first state in document order. */
static void busy_loop(struct checker *c, int mi, const struct graph *g)
{
	(void)mi;
	const struct asl_ir_state *s = c->ir->states + g->first;
	int n = g->n, counter = 0, sp = 0, cp = 0;
	int *index = malloc(((size_t)n + 1) * sizeof *index);
	int *low = malloc(((size_t)n + 1) * sizeof *low);
	int *stk = malloc(((size_t)n + 1) * sizeof *stk);
	char *on = calloc((size_t)n + 1, 1);
	int *call = malloc(((size_t)n + 1) * sizeof *call);     /* DFS: node     */
	int *pos = malloc(((size_t)n + 1) * sizeof *pos);       /* next edge    */
	if (!index || !low || !stk || !on || !call || !pos)
		goto out;
	for (int i = 0; i < n; i++)
		index[i] = -1;
	for (int root = 0; root < n; root++) {
		if (index[root] >= 0 || !cheap(&s[root]) || !g->reach[root])
			continue;
		call[cp] = root;
		pos[cp++] = g->fstart[root];
		index[root] = low[root] = counter++;
		stk[sp++] = root;
		on[root] = 1;
		while (cp > 0) {
			int v = call[cp - 1];
			if (pos[cp - 1] < g->fstart[v + 1]) {
				int w = g->fwd[pos[cp - 1]++];
				if (!cheap(&s[w]))
					continue;
				if (index[w] < 0) {
					index[w] = low[w] = counter++;
					stk[sp++] = w;
					on[w] = 1;
					call[cp] = w;
					pos[cp++] = g->fstart[w];
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[call[cp - 1]])
				low[call[cp - 1]] = low[v];
			if (low[v] != index[v])
				continue;
			int size = 0, firsti = n, self = 0;
			for (int w = -1; w != v;) {
				w = stk[--sp];
				on[w] = 0;
				size++;
				if (w < firsti)
					firsti = w;
			}
			for (int j = g->fstart[v]; j < g->fstart[v + 1]; j++)
				self |= g->fwd[j] == v;
			if (size > 1 || self)
				asl_diag_add(c->d, ASL_WARNING, s[firsti].loc, "BUSY_LOOP",
					     s[firsti].s.pointer,
					     "state \"%s\" is on a loop of %d Pass/Choice state%s with no "
					     "Wait or Task: the execution spins, spending a state "
					     "transition (and history event) each step",
					     s[firsti].s.name, size, size == 1 ? "" : "s");
		}
	}
out:
	free(index);
	free(low);
	free(stk);
	free(on);
	free(call);
	free(pos);
}

/* ------------------------------------------- CATCH / RETRY_NEVER_FIRES */

/* The error names of row (a retrier or catcher), or NULL. */
static const struct asl_json *error_names(const struct asl_json *row)
{
	const struct asl_json *v = row->type == ASL_J_OBJECT ? asl_json_get(row, "ErrorEquals")
							      : NULL;
	return v && v->type == ASL_J_ARRAY ? v : NULL;
}

static void never_fires(struct checker *c, const struct asl_ir_state *st, const char *field,
			const char *code, const char *what)
{
	const struct asl_json *rows = asl_json_get(st->node, field);
	if (!rows || rows->type != ASL_J_ARRAY)
		return;
	int all = -1;
	for (int i = 0; i < rows->n; i++) {
		const struct asl_json *names = error_names(rows->items[i]);
		for (int j = 0; names && j < names->n; j++) {
			const struct asl_json *e = names->items[j];
			if (e->type != ASL_J_STRING)
				continue;
			snprintf(c->ptr, sizeof c->ptr, "%s/%s/%d/ErrorEquals/%d", st->s.pointer,
				 field, i, j);
			if (strcmp(e->str, ASLRT_ERR_RUNTIME) == 0) {
				warn(c, e, code, NULL, "States.Runtime is never %s: it always fails "
				     "the execution", what);
				continue;
			}
			int earlier = all;
			for (int k = 0; k < i && earlier < 0; k++) {
				const struct asl_json *prev = error_names(rows->items[k]);
				for (int q = 0; prev && q < prev->n && earlier < 0; q++)
					if (prev->items[q]->type == ASL_J_STRING &&
					    strcmp(prev->items[q]->str, e->str) == 0)
						earlier = k;
			}
			if (earlier >= 0)
				warn(c, e, code, NULL, "\"%s\" is never %s here: %s %d (%s) already "
				     "matches it", e->str, what, field, earlier,
				     earlier == all ? "States.ALL" : "same error name");
		}
		for (int j = 0; names && j < names->n && all < 0; j++)
			if (names->items[j]->type == ASL_J_STRING &&
			    strcmp(names->items[j]->str, ASLRT_ERR_ALL) == 0)
				all = i;
	}
}

static void unreachable_handlers(struct checker *c, int mi, const struct graph *g)
{
	(void)mi;
	for (int i = g->first; i < g->first + g->n; i++) {
		const struct asl_ir_state *st = &c->ir->states[i];
		if (st->node->type != ASL_J_OBJECT)
			continue;
		never_fires(c, st, "Retry", "RETRY_NEVER_FIRES", "retried");
		never_fires(c, st, "Catch", "CATCH_NEVER_FIRES", "caught");
	}
}

/* ---------------------------------------------------------------- table */

static const struct lint {
	const char *code;
	void (*run)(struct checker *c, int m, const struct graph *g);
} lints[] = {
	{ "CANNOT_TERMINATE", cannot_terminate },
	{ "BUSY_LOOP", busy_loop },
	{ "CATCH_NEVER_FIRES, RETRY_NEVER_FIRES", unreachable_handlers },
};

void check_lints(struct checker *c, int m)
{
	struct graph g = { 0 };
	if (graph_build(c, m, &g) != 0)
		return;
	for (size_t k = 0; k < sizeof lints / sizeof lints[0]; k++)
		lints[k].run(c, m, &g);
	graph_free(&g);
}
