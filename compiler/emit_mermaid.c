/*
 * emit_mermaid.c - the machine's drawing (graph.h) as a Mermaid flowchart:
 * `flowchart TD`, a node s<I> per state (shape and class by type), a start
 * and a stop node per machine, subgraphs for Parallel branches and Map
 * processors, edges labelled like emit_dot's, Catch and Retry edges
 * coloured apart by linkStyle. Every name is written as a quoted label in
 * which Mermaid's own entity codes stand for the characters that could end
 * it or be read as markup, so no state name can break the syntax.
 */
#include "graph.h"

#include <stdio.h>

/* s as a Mermaid quoted label, quotes included. `"` ends the label; `#`
 * starts an entity; < > & would be HTML (Mermaid renders labels as HTML);
 * ` at the start makes a markdown string; | ends an edge label. Each is
 * written as Mermaid's numeric entity "#<code>;". Display text has no
 * newlines or other control characters (graph.c). */
static void mm_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '#' || *s == '<' || *s == '>' || *s == '&' || *s == '`' ||
		    *s == '|' || *s == '\\')
			fprintf(out, "#%d;", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void node_id(FILE *out, const char *what, int key)
{
	if (key >= 0)
		fprintf(out, "%s_%d", what, key);
	else
		fputs(what, out);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i <= depth; i++)
		fputs("  ", out);
}

/* Machine m as a subgraph (the top one bare): its start and stop nodes,
 * states, nested machines. *link counts the links written so far, for
 * linkStyle (Mermaid numbers them in order). */
static void machine(FILE *out, const struct asl_graph *g, int m, int depth, int *link)
{
	/* Shapes: ["rect"], ("rounded"), {"rhombus"}, {{"hexagon"}},
	 * (["stadium"]), [["subroutine"]]. */
	static const char *const open[] = { "[", "(", "{", "{{", "([", "([", "[[", "[[" };
	static const char *const close[] = { "]", ")", "}", "}}", "])", "])", "]]", "]]" };
	const struct asl_ir *ir = g->ir;
	const struct asl_ir_machine *mc = &ir->machines[m];
	int key = asl_graph_machine_key(g, m);
	if (key >= 0) {
		indent(out, depth - 1);
		fprintf(out, "subgraph m_%d[", key);
		mm_str(out, g->mlabels[m]);
		fputs("]\n", out);
	}
	indent(out, depth);
	node_id(out, "start", key);
	fputs("((\" \")):::aslcstart\n", out);
	for (int i = mc->first; i < mc->first + mc->n; i++) {
		enum aslrt_type t = ir->states[i].s.type;
		indent(out, depth);
		fprintf(out, "s%d%s", i, open[t]);
		mm_str(out, g->names[i]);
		fprintf(out, "%s:::%s\n", close[t], asl_graph_type_name(t));
	}
	indent(out, depth);
	node_id(out, "start", key);
	fprintf(out, " --> s%d\n", mc->start);
	(*link)++;
	for (int c = g->mchild[m]; c >= 0; c = g->mnext[c]) {
		machine(out, g, c, depth + 1, link);
		indent(out, depth);
		fprintf(out, "s%d -.- start_%d\n", ir->machines[c].owner,
			asl_graph_machine_key(g, c));
		(*link)++;
	}
	if (g->mhas_end[m]) {
		indent(out, depth);
		node_id(out, "stop", key);
		fputs("(((\" \"))):::aslcstop\n", out);
	}
	if (key >= 0) {
		indent(out, depth - 1);
		fputs("end\n", out);
	}
}

void asl_emit_mermaid(FILE *out, const struct asl_ir *ir)
{
	static const char *const arrows[] = { "-->", "-->", "-.->", "-.->", "-.->" };
	struct asl_graph g;
	if (asl_graph_build(ir, &g)) {
		asl_graph_free(&g);
		return;
	}
	int link = 0;
	fputs("flowchart TD\n", out);
	machine(out, &g, 0, 0, &link);
	for (int e = 0; e < g.nedges; e++) {
		const struct asl_gedge *x = &g.edges[e];
		fprintf(out, "  s%d %s", x->from, arrows[x->kind]);
		if (x->label) {
			fputc('|', out);
			mm_str(out, x->label);
			fputc('|', out);
		}
		fputc(' ', out);
		if (x->to == ASLRT_END)
			node_id(out, "stop", asl_graph_machine_key(&g, ir->states[x->from].machine));
		else
			fprintf(out, "s%d", x->to);
		fputc('\n', out);
	}
	for (int e = 0; e < g.nedges; e++) {
		enum asl_gkind k = g.edges[e].kind;
		if (k == ASL_GK_CATCH || k == ASL_GK_RETRY)
			fprintf(out, "  linkStyle %d stroke:%s,color:%s\n", link + e,
				k == ASL_GK_CATCH ? "red" : "darkorange",
				k == ASL_GK_CATCH ? "red" : "darkorange");
	}
	fputs("  classDef pass fill:#ffffff,stroke:#333\n"
	      "  classDef task fill:#add8e6,stroke:#333\n"
	      "  classDef choice fill:#ffffe0,stroke:#333\n"
	      "  classDef wait fill:#e6e6fa,stroke:#333\n"
	      "  classDef succeed fill:#98fb98,stroke:#333\n"
	      "  classDef fail fill:#ffe4e1,stroke:#333\n"
	      "  classDef parallel fill:#f5deb3,stroke:#333\n"
	      "  classDef map fill:#e0ffff,stroke:#333\n"
	      "  classDef aslcstart fill:#000,stroke:#000\n"
	      "  classDef aslcstop fill:#000,stroke:#000\n", out);
	asl_graph_free(&g);
}
