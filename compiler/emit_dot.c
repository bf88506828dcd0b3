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
	for (int i = 0; i < ir->nstates; i++) {
		const struct aslrt_state *s = &ir->states[i].s;
		fprintf(out, "  s%d [shape=%s, fillcolor=%s, label=", i, shapes[s->type],
			colors[s->type]);
		dot_str(out, s->name);
		fputs("];\n", out);
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
