/*
 * graph.h - the machine as a drawing: nodes (states, one start and end node
 * per machine), edges (transitions with their kind and a short label) and
 * clusters (Parallel branches, Map processors, nested as the machines are).
 * Built once from the IR by graph.c; emit_dot, emit_mermaid and emit_svg
 * only format it.
 */
#ifndef ASL_GRAPH_H
#define ASL_GRAPH_H

#include <stdio.h>
#include "ir.h"

/* What a transition is. The names (asl_graph_kind_name) are the SVG classes
 * "aslc-<name>" of aslrt.h's graph_svg contract. */
enum asl_gkind { ASL_GK_NEXT, ASL_GK_CHOICE, ASL_GK_DEFAULT, ASL_GK_CATCH, ASL_GK_RETRY };

/* One transition from state `from` to state `to` (ASLRT_END: the end node
 * of from's machine). k numbers the edges between the same from and to,
 * 0, 1, ... in the order they are listed. label: display text (UTF-8, no
 * control characters, at most ASL_GRAPH_LABEL_MAX characters), or NULL. */
struct asl_gedge {
	int from, to, k;
	enum asl_gkind kind;
	char *label;
};

/* Longest label, in code points (a longer one ends in U+2026). */
#define ASL_GRAPH_LABEL_MAX 40

struct asl_graph {
	const struct asl_ir *ir;       /* borrowed                              */
	char **names;                  /* display name per state                */
	char **mlabels;                /* per machine: cluster label (NULL: 0)  */
	unsigned char *mhas_end;       /* per machine: some edge ends it        */
	int *mchild, *mnext;           /* per machine: first nested machine and
					  next sibling (-1: none), by owner     */
	int nedges;
	struct asl_gedge *edges;       /* by from (state order), then in the
					  order next, rules, default, catch,
					  retry                                  */
};

/* Build g from ir (borrowed; it must outlive g). Returns 0, or -1 out of
 * memory (g is then empty; asl_graph_free is still allowed). */
int asl_graph_build(const struct asl_ir *ir, struct asl_graph *g);
/* Free what asl_graph_build allocated. */
void asl_graph_free(struct asl_graph *g);

/* "pass", "task", ... (lower case), and "next", "choice", "default",
 * "catch", "retry": static strings. */
const char *asl_graph_type_name(enum aslrt_type t);
const char *asl_graph_kind_name(enum asl_gkind k);

/* The number that keys machine m's start and end nodes: -1 for the top
 * machine, else its StartAt state index. */
int asl_graph_machine_key(const struct asl_graph *g, int m);

/* A rough measure of the work of a dot layout: nodes plus the ranks every
 * edge spans (in document order), which become dot's virtual nodes. Graphviz
 * 2.42's layout grows about as its square (docs/cli.md has the figures). */
long asl_graph_layout_cost(const struct asl_graph *g);

/* Write ir as a Graphviz digraph (emit_dot.c), with the ids and classes of
 * aslrt.h's graph_svg contract as node and edge attributes. */
void asl_emit_dot_graph(FILE *out, const struct asl_graph *g);
/* Write ir as a Mermaid `flowchart TD` (emit_mermaid.c). */
void asl_emit_mermaid(FILE *out, const struct asl_ir *ir);

/* Lay ir out with libgvc's dot and render SVG (emit_svg.c). Returns new
 * memory (free()) holding a NUL-terminated SVG document, or NULL when
 * Graphviz fails or memory runs out. */
char *asl_svg_render(const struct asl_ir *ir);
/* Write asl_svg_render's document to out. Returns 0, or -1 (nothing
 * written) when it failed. */
int asl_emit_svg(FILE *out, const struct asl_ir *ir);

#endif
