/*
 * emit_dot.c - the machine's drawing (graph.h) as a Graphviz digraph: one
 * node per state (shape and colour by type), a start and an end node per
 * machine, Next edges solid, Choice rules labelled, Default dashed, Catch
 * red and dashed, Retry an orange dotted self-loop; Parallel branches and
 * Map processors as nested clusters. Every node and edge carries the id
 * and class of aslrt.h's graph_svg contract, which Graphviz's SVG renderer
 * passes through (emit_svg.c lays this very text out).
 */
#include "graph.h"

#include <stdio.h>

/* 1 when s (just after a '&') reads as the rest of an XML entity:
 * [#A-Za-z0-9]+ then ';'. */
static int entity_rest(const char *s)
{
	const char *p = s;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '#')
		p++;
	return p > s && *p == ';';
}

/* A DOT double-quoted string: " and \ are escaped (a backslash would also
 * start a label escape such as \N). Display text has no newlines. Graphviz
 * decodes entities in labels and its SVG writer leaves anything shaped like
 * one unescaped, so a name holding "&amp;" would be drawn as "&": such an
 * '&' is followed by U+2060 WORD JOINER (invisible), which breaks the
 * pattern. */
static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
		if (*s == '&' && entity_rest(s + 1))
			fputs("\xe2\x81\xa0", out);
	}
	fputc('"', out);
}

/* " -<key>" for a nested machine's start/end/entry ids, "" for the top. */
static void key_suffix(FILE *out, int key)
{
	if (key >= 0)
		fprintf(out, "-%d", key);
}

/* Node name of machine key's start or end node in the DOT text. */
static void end_node(FILE *out, const char *what, int key)
{
	if (key >= 0)
		fprintf(out, "%s%d", what, key);
	else
		fputs(what, out);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i <= depth; i++)
		fputs("  ", out);
}

/* Machine m's cluster (none for the top machine): start node, entry edge,
 * states, nested machines (recursively, bounded by the definition's
 * nesting limit), end node. */
static void machine(FILE *out, const struct asl_graph *g, int m, int depth)
{
	static const char *const shapes[] = { "box", "box", "diamond", "octagon",
					      "box", "doubleoctagon", "box3d", "box3d" };
	static const char *const extra[] = { "", ", style=\"filled,rounded\"", "", "",
					     ", style=\"filled,rounded\", peripheries=2", "", "",
					     "" };
	static const char *const colors[] = { "white", "lightblue", "lightyellow", "lavender",
					      "palegreen", "mistyrose", "wheat", "lightcyan" };
	const struct asl_ir *ir = g->ir;
	const struct asl_ir_machine *mc = &ir->machines[m];
	int key = asl_graph_machine_key(g, m);
	if (key >= 0) {
		indent(out, depth - 1);
		fprintf(out, "subgraph cluster_%d {\n", key);
		indent(out, depth);
		fprintf(out, "id=\"aslc-m%d\"; class=\"aslc-cluster\"; style=\"rounded,dashed\"; "
			     "color=gray50; fontsize=10; label=", key);
		dot_str(out, g->mlabels[m]);
		fputs(";\n", out);
	}
	indent(out, depth);
	end_node(out, "start", key);
	fputs(" [id=\"aslc-start", out);
	key_suffix(out, key);
	fputs("\", class=\"aslc-start\", shape=circle, label=\"\", width=0.2, "
	      "fillcolor=black];\n", out);
	indent(out, depth);
	end_node(out, "start", key);
	fprintf(out, " -> s%d [id=\"aslc-entry", mc->start);
	key_suffix(out, key);
	fputs("\", class=\"aslc-entry\"];\n", out);
	for (int i = mc->first; i < mc->first + mc->n; i++) {
		const struct aslrt_state *s = &ir->states[i].s;
		indent(out, depth);
		fprintf(out, "s%d [id=\"aslc-s%d\", class=\"aslc-state aslc-%s\", shape=%s, "
			     "fillcolor=%s%s, label=", i, i, asl_graph_type_name(s->type),
			shapes[s->type], colors[s->type], extra[s->type]);
		dot_str(out, g->names[i]);
		fputs("];\n", out);
	}
	for (int c = g->mchild[m]; c >= 0; c = g->mnext[c]) {
		machine(out, g, c, depth + 1);
		int ckey = asl_graph_machine_key(g, c);
		indent(out, depth);
		fprintf(out, "s%d -> start%d [id=\"aslc-link-%d-%d\", class=\"aslc-link\", "
			     "style=dashed, color=gray50, arrowhead=none];\n",
			ir->machines[c].owner, ckey, ir->machines[c].owner, ckey);
	}
	if (g->mhas_end[m]) {
		indent(out, depth);
		end_node(out, "end", key);
		fputs(" [id=\"aslc-end", out);
		key_suffix(out, key);
		fputs("\", class=\"aslc-end\", shape=doublecircle, label=\"\", width=0.15, "
		      "fillcolor=black];\n", out);
	}
	if (key >= 0) {
		indent(out, depth - 1);
		fputs("}\n", out);
	}
}

void asl_emit_dot_graph(FILE *out, const struct asl_graph *g)
{
	static const char *const styles[] = {
		"",                                               /* next    */
		", color=navy, fontcolor=navy",                   /* choice  */
		", style=dashed, color=navy, fontcolor=navy",     /* default */
		", style=dashed, color=red, fontcolor=red",       /* catch   */
		", style=dotted, color=darkorange, fontcolor=darkorange" /* retry */
	};
	const struct asl_ir *ir = g->ir;
	fputs("digraph ", out);
	dot_str(out, ir->name);
	fputs(" {\n  rankdir=TB;\n"
	      "  node [style=filled, fontname=\"Helvetica\", fontsize=11];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=9];\n", out);
	machine(out, g, 0, 0);
	for (int e = 0; e < g->nedges; e++) {
		const struct asl_gedge *x = &g->edges[e];
		fprintf(out, "  s%d -> ", x->from);
		if (x->to == ASLRT_END)
			end_node(out, "end", asl_graph_machine_key(g, ir->states[x->from].machine));
		else
			fprintf(out, "s%d", x->to);
		fprintf(out, " [id=\"aslc-e%d-%d-%d\", class=\"aslc-edge aslc-%s\"%s", x->from,
			x->to, x->k, asl_graph_kind_name(x->kind), styles[x->kind]);
		if (x->label) {
			fputs(", label=", out);
			dot_str(out, x->label);
		}
		fputs("];\n", out);
	}
	fputs("}\n", out);
}

void asl_emit_dot(FILE *out, const struct asl_ir *ir)
{
	struct asl_graph g;
	if (asl_graph_build(ir, &g) == 0)
		asl_emit_dot_graph(out, &g);
	asl_graph_free(&g);
}
