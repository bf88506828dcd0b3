/*
 * graph.c - one walk over the IR that yields what every drawing shows (see
 * graph.h): state names and edge labels as safe display text, edges with
 * their kind and per-pair number, clusters nested by owner.
 */
#include "graph.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"
#include "utf8.h"

/* ------------------------------------------------------------ display text */

/* A label being written: at most ASL_GRAPH_LABEL_MAX code points, then an
 * ellipsis and nothing more. */
struct text {
	char buf[ASL_GRAPH_LABEL_MAX * 4 + 8];
	size_t len;
	int chars, full;
};

/* Append s (UTF-8, checked by the loader) to t. A control character becomes
 * its Unicode control picture (U+2400 + c, U+2421 for DEL), so that a name
 * with a newline or a NUL-like byte stays one visible line in every format.
 * A byte that is not valid UTF-8 (defensive) becomes U+FFFD. */
static void put(struct text *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n > 0 && !t->full) {
		unsigned cp;
		int len = asl_utf8_decode(p, n, &cp);
		if (len == 0) {
			cp = 0xFFFD;
			len = 1;
		}
		if (cp < 0x20)
			cp += 0x2400;
		else if (cp == 0x7f)
			cp = 0x2421;
		if (t->chars == ASL_GRAPH_LABEL_MAX) {
			t->len = (size_t)(asl_utf8_put(t->buf + t->len, 0x2026) - t->buf);
			t->full = 1;
			break;
		}
		t->len = (size_t)(asl_utf8_put(t->buf + t->len, cp) - t->buf);
		t->chars++;
		p += len;
		n -= (size_t)len;
	}
	t->buf[t->len] = '\0';
}

static char *text_dup(const struct text *t)
{
	return strdup(t->buf);
}

/* ------------------------------------------------------------ choice rules */

static void put_num(struct text *t, double v)
{
	char b[40];
	snprintf(b, sizeof b, "%.15g", v);
	put(t, b);
}

/* A timestamp operand as RFC 3339 UTC (fraction only when there is one). */
static void put_time(struct text *t, struct aslrt_time ts)
{
	time_t sec = (time_t)ts.sec;
	struct tm tm;
	char b[64];
	if (!gmtime_r(&sec, &tm)) {
		put(t, "?");
		return;
	}
	size_t n = strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
	if (ts.nsec)
		snprintf(b + n, sizeof b - n, ".%09dZ", (int)ts.nsec);
	else
		snprintf(b + n, sizeof b - n, "Z");
	put(t, b);
}

/* One data test: `$.total > 100`, `$.name == "x"`, `$.t is timestamp`. */
static void put_cond(struct text *t, const struct aslrt_cond *c)
{
	static const char *const ops[] = {
		"==", "<", ">", "<=", ">=", "matches",
		"==", "<", ">", "<=", ">=", "==",
		"==", "<", ">", "<=", ">="
	};
	static const char *const is[] = { "null", "present", "numeric", "string",
					  "boolean", "timestamp" };
	put(t, c->var ? c->var->text : "?");
	if (c->op >= ASLRT_C_IS_NULL) {
		put(t, c->boolean ? " is " : " is not ");
		put(t, is[c->op - ASLRT_C_IS_NULL]);
		return;
	}
	put(t, " ");
	put(t, ops[c->op]);
	put(t, " ");
	if (c->rhs_path)
		put(t, c->rhs_path->text);
	else if (c->op <= ASLRT_C_STRING_MATCHES) {
		put(t, "\"");
		put(t, c->str ? c->str : "");
		put(t, "\"");
	} else if (c->op <= ASLRT_C_NUMERIC_GE)
		put_num(t, c->num);
	else if (c->op == ASLRT_C_BOOLEAN_EQ)
		put(t, c->boolean ? "true" : "false");
	else
		put_time(t, c->ts);
}

/* A rule: And as &&, Or as ||, Not as !; nested combinations in
 * parentheses. Recursion is bounded by the definition's nesting limit
 * (ASL_JSON_MAX_DEPTH), and stops as soon as the label is full. */
static void put_rule(struct text *t, const struct asl_rule *r, int nested)
{
	if (t->full)
		return;
	if (r->kind == ASL_RULE_LEAF) {
		put_cond(t, &r->cond);
		return;
	}
	if (r->kind == ASL_RULE_NOT) {
		put(t, "!");
		if (r->n > 0)
			put_rule(t, &r->kids[0], 1);
		return;
	}
	if (nested)
		put(t, "(");
	for (int i = 0; i < r->n && !t->full; i++) {
		if (i)
			put(t, r->kind == ASL_RULE_AND ? " && " : " || ");
		put_rule(t, &r->kids[i], 1);
	}
	if (nested)
		put(t, ")");
}

/* The label of rule k of Choice state st. A JSONata rule shows its
 * Condition's source text ("{% $x > 1 %}"), read from the definition. */
static char *rule_label(const struct asl_ir_state *st, int k)
{
	struct text t = { .len = 0 };
	const struct asl_json *choices = st->node ? asl_json_get(st->node, "Choices") : NULL;
	const struct asl_json *cond = choices && choices->type == ASL_J_ARRAY && k < choices->n
		? asl_json_get(choices->items[k], "Condition") : NULL;
	if (st->rules[k].condition && cond && cond->type == ASL_J_STRING)
		put(&t, cond->str);
	else if (st->rules[k].condition)
		put(&t, "Condition");
	else
		put_rule(&t, &st->rules[k], 0);
	return text_dup(&t);
}

/* "catch States.ALL" or "retry ×3: States.Timeout, Lambda.Unknown". */
static char *errors_label(const char *head, int nerrors, const char *const *errors)
{
	struct text t = { .len = 0 };
	put(&t, head);
	for (int i = 0; i < nerrors; i++) {
		put(&t, i ? ", " : " ");
		put(&t, errors[i]);
	}
	return text_dup(&t);
}

/* ------------------------------------------------------------------ edges */

/* Append an edge; k counts the earlier edges of the same pair (all of a
 * state's edges are appended together, so only those need looking at).
 * label is taken (may be NULL). Returns 0 or -1 out of memory. */
static int add(struct asl_graph *g, int *cap, int first, int from, int to,
	       enum asl_gkind kind, char *label)
{
	if (g->nedges == *cap) {
		int ncap = *cap ? *cap * 2 : 64;
		struct asl_gedge *e = realloc(g->edges, (size_t)ncap * sizeof *e);
		if (!e) {
			free(label);
			return -1;
		}
		g->edges = e;
		*cap = ncap;
	}
	int k = 0;
	for (int i = first; i < g->nedges; i++)
		k += g->edges[i].to == to;
	g->edges[g->nedges++] = (struct asl_gedge){ from, to, k, kind, label };
	return 0;
}

/* Every edge of state i: Next (or the end, for End, Succeed and Fail), the
 * Choice rules in order, Default, the Catch rows, the Retry rows. */
static int state_edges(struct asl_graph *g, int *cap, int i)
{
	const struct asl_ir_state *st = &g->ir->states[i];
	const struct aslrt_state *s = &st->s;
	int first = g->nedges, rc = 0;
	if (s->type != ASLRT_CHOICE)
		rc |= add(g, cap, first, i, s->next, ASL_GK_NEXT, NULL);
	for (int k = 0; k < st->nrules && !rc; k++) {
		char *label = rule_label(st, k);
		rc |= !label || add(g, cap, first, i, st->rules[k].next, ASL_GK_CHOICE, label);
	}
	if (s->type == ASLRT_CHOICE && s->default_next != ASLRT_END && !rc) {
		char *label = strdup("Default");
		rc |= !label || add(g, cap, first, i, s->default_next, ASL_GK_DEFAULT, label);
	}
	for (int k = 0; k < s->ncatch && !rc; k++) {
		const struct aslrt_catcher *c = &s->catchers[k];
		char *label = errors_label("catch", c->nerrors, c->errors);
		rc |= !label || add(g, cap, first, i, c->next, ASL_GK_CATCH, label);
	}
	for (int k = 0; k < s->nretry && !rc; k++) {
		const struct aslrt_retrier *r = &s->retry[k];
		char head[48];
		snprintf(head, sizeof head, "retry \xc3\x97%d:", r->max_attempts);
		char *label = errors_label(head, r->nerrors, r->errors);
		rc |= !label || add(g, cap, first, i, i, ASL_GK_RETRY, label);
	}
	return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- machine */

static char *machine_label(const struct asl_graph *g, int m)
{
	const struct asl_ir_machine *mc = &g->ir->machines[m];
	const struct aslrt_state *o = &g->ir->states[mc->owner].s;
	struct text t = { .len = 0 };
	put(&t, o->name);
	if (o->type == ASLRT_PARALLEL) {
		int b = 0;
		while (b < o->nbranches && o->branches[b] != mc->start)
			b++;
		char num[32];
		snprintf(num, sizeof num, ": branch %d", b + 1);
		put(&t, num);
	} else {
		put(&t, ": item processor");
	}
	return text_dup(&t);
}

int asl_graph_build(const struct asl_ir *ir, struct asl_graph *g)
{
	*g = (struct asl_graph){ .ir = ir };
	int nm = ir->nmachines, cap = 0;
	g->names = calloc((size_t)ir->nstates + 1, sizeof *g->names);
	g->mlabels = calloc((size_t)nm + 1, sizeof *g->mlabels);
	g->mhas_end = calloc((size_t)nm + 1, 1);
	g->mchild = malloc(((size_t)nm + 1) * sizeof *g->mchild);
	g->mnext = malloc(((size_t)nm + 1) * sizeof *g->mnext);
	if (!g->names || !g->mlabels || !g->mhas_end || !g->mchild || !g->mnext)
		goto oom;
	for (int i = 0; i < ir->nstates; i++) {
		struct text t = { .len = 0 };
		put(&t, ir->states[i].s.name);
		if (!(g->names[i] = text_dup(&t)) || state_edges(g, &cap, i))
			goto oom;
	}
	for (int e = 0; e < g->nedges; e++)
		if (g->edges[e].to == ASLRT_END)
			g->mhas_end[ir->states[g->edges[e].from].machine] = 1;
	/* Children listed in machine order: build each list backwards. */
	for (int m = 0; m < nm; m++)
		g->mchild[m] = g->mnext[m] = -1;
	for (int m = nm - 1; m >= 0; m--) {
		int owner = ir->machines[m].owner;
		if (owner < 0)
			continue;
		if (!(g->mlabels[m] = machine_label(g, m)))
			goto oom;
		int parent = ir->states[owner].machine;
		g->mnext[m] = g->mchild[parent];
		g->mchild[parent] = m;
	}
	return 0;
oom:
	asl_graph_free(g);
	*g = (struct asl_graph){ .ir = ir };
	return -1;
}

void asl_graph_free(struct asl_graph *g)
{
	if (g->names)
		for (int i = 0; i < g->ir->nstates; i++)
			free(g->names[i]);
	if (g->mlabels)
		for (int m = 0; m < g->ir->nmachines; m++)
			free(g->mlabels[m]);
	for (int e = 0; e < g->nedges; e++)
		free(g->edges[e].label);
	free(g->names);
	free(g->mlabels);
	free(g->mhas_end);
	free(g->mchild);
	free(g->mnext);
	free(g->edges);
	g->names = g->mlabels = NULL;
	g->mhas_end = NULL;
	g->mchild = g->mnext = NULL;
	g->edges = NULL;
	g->nedges = 0;
}

const char *asl_graph_type_name(enum aslrt_type t)
{
	static const char *const names[] = { "pass", "task", "choice", "wait", "succeed", "fail",
					     "parallel", "map" };
	return names[t];
}

const char *asl_graph_kind_name(enum asl_gkind k)
{
	static const char *const names[] = { "next", "choice", "default", "catch", "retry" };
	return names[k];
}

int asl_graph_machine_key(const struct asl_graph *g, int m)
{
	return g->ir->machines[m].owner < 0 ? -1 : g->ir->machines[m].start;
}

long asl_graph_layout_cost(const struct asl_graph *g)
{
	long cost = g->ir->nstates + 8L * g->ir->nmachines;   /* clusters are dear */
	for (int e = 0; e < g->nedges; e++) {
		const struct asl_gedge *x = &g->edges[e];
		int to = x->to == ASLRT_END ? g->ir->machines[g->ir->states[x->from].machine].first +
			g->ir->machines[g->ir->states[x->from].machine].n : x->to;
		cost += 1 + labs((long)to - x->from);
	}
	return cost;
}
