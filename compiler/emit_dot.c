/*
 * emit_dot.c - the IR as a Graphviz digraph: one node per state (shape by
 * type), Next edges solid, Choice rules labelled, Default dashed, Catch edges
 * red and dotted.
 */
#include "ir.h"

#include <stdio.h>

/* A DOT double-quoted string: only " and \ need escaping; newlines become \n. */
static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void edge(FILE *out, const struct asl_ir *ir, int from, int to, const char *style,
		 const char *label)
{
	if (to < 0)
		return;
	fprintf(out, "  s%d -> s%d [%s", from, to, style);
	if (label) {
		fputs(", label=", out);
		dot_str(out, label);
	}
	fputs("];\n", out);
	(void)ir;
}

void asl_emit_dot(FILE *out, const struct asl_ir *ir)
{
	static const char *const shapes[] = { "box", "box", "diamond", "octagon",
					      "doublecircle", "doubleoctagon", "box3d", "box3d" };
	static const char *const colors[] = { "white", "lightblue", "lightyellow", "lavender",
					      "palegreen", "mistyrose", "white", "white" };
	fputs("digraph ", out);
	dot_str(out, ir->name);
	fputs(" {\n  rankdir=TB;\n  node [style=filled, fontname=\"Helvetica\"];\n"
	      "  start [shape=circle, label=\"\", width=0.2, fillcolor=black];\n", out);
	/* Each machine's states are contiguous; nested machines become
	 * clusters labelled by the Parallel branch or Map processor they are. */
	for (int m = 0; m < ir->nmachines; m++) {
		const struct asl_ir_machine *mc = &ir->machines[m];
		if (mc->owner >= 0) {
			const struct asl_ir_state *o = &ir->states[mc->owner];
			char label[128];
			snprintf(label, sizeof label, "%s: %s", o->s.name,
				 o->s.type == ASLRT_PARALLEL ? "branch" : "item processor");
			fprintf(out, "  subgraph cluster_m%d {\n    style=rounded; color=gray; label=", m);
			dot_str(out, label);
			fputs(";\n", out);
		}
		for (int i = mc->first; i < mc->first + mc->n; i++) {
			const struct aslrt_state *s = &ir->states[i].s;
			fprintf(out, "  %ss%d [shape=%s, fillcolor=%s, label=", mc->owner >= 0 ? "  " : "",
				i, shapes[s->type], colors[s->type]);
			dot_str(out, s->name);
			fputs("];\n", out);
		}
		if (mc->owner >= 0) {
			fputs("  }\n", out);
			edge(out, ir, mc->owner, mc->start, "style=dashed, color=gray", NULL);
		}
	}
	fprintf(out, "  start -> s%d;\n", ir->start);
	for (int i = 0; i < ir->nstates; i++) {
		const struct asl_ir_state *st = &ir->states[i];
		edge(out, ir, i, st->s.next, "style=solid", NULL);
		for (int k = 0; k < st->nrules; k++) {
			char label[32];
			snprintf(label, sizeof label, "rule %d", k + 1);
			edge(out, ir, i, st->rules[k].next, "style=solid", label);
		}
		if (st->s.type == ASLRT_CHOICE)
			edge(out, ir, i, st->s.default_next, "style=dashed", "Default");
		for (int k = 0; k < st->s.ncatch; k++) {
			const struct aslrt_catcher *c = &st->s.catchers[k];
			edge(out, ir, i, c->next, "style=dotted, color=red",
			     c->nerrors ? c->errors[0] : "Catch");
		}
		if (st->s.nretry)
			fprintf(out, "  s%d -> s%d [style=dotted, color=orange, label=\"Retry\"];\n",
				i, i);
	}
	fputs("}\n", out);
}
