/*
 * main.c - aslc's command line. Only option handling and file plumbing live
 * here; every phase is in its own file (load, check, emit_c, the drawings in
 * graph.c and emit_dot/mermaid/svg, build).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aslc_config.h"
#include "build.h"
#include "graph.h"
#include "ir.h"
#include "load.h"

static const char usage[] =
	"usage: aslc DEFINITION.asl.json [options] [HANDLER.c ...]\n"
	"\n"
	"  -o FILE.c          write the C of the state machine\n"
	"  -o PROGRAM         write the C and compile it (with HANDLER.c files) into PROGRAM\n"
	"  -o -               write the C (or --emit output) to standard output\n"
	"  --check            validate only; print every problem, exit 1 if any error\n"
	"  --format gcc|json  diagnostics as FILE:LINE:COL lines on stderr (default), or as\n"
	"                     AWS's ValidateStateMachineDefinition response on stdout\n"
	"  -Werror            treat warnings as errors (exit 1, write nothing)\n"
	"  --name NAME        the machine's name (default: the file name without .asl.json)\n"
	"  --no-main          leave out main(), for embedding with aslrt_run()\n"
	"  --emit c|dot|mermaid|svg   what to write (default c); the others draw the\n"
	"                     machine: a Graphviz digraph, a Mermaid flowchart, an SVG\n"
	"  --no-graph         leave the drawing (graph_svg, for PROG report) out of the C\n"
	"  --type standard|express   the workflow type (default standard)\n"
	"  --max-size BYTES   largest definition accepted (default 1048576, AWS's 1 MB\n"
	"                     quota; 0: no limit)\n"
	"  --version, --help\n"
	"\n"
	"Diagnostics read FILE:LINE:COL: error[CODE]: /json/pointer: message (or\n"
	"warning[CODE]). Exit status: 0 success (warnings allowed), 1 errors, 2 usage.\n";

struct opts {
	const char *def, *out, *name, *emit, *format;
	const char **srcs;
	int nsrc, check, no_main, express, werror, no_graph;
	long long max_size;            /* bytes; 0 = no limit                   */
};

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "aslc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(aslc --help shows the options)\n");
	return 2;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The default machine name: the file's base name without .asl.json / .json. */
static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name = strdup(base ? base + 1 : path);
	if (!name)
		return NULL;
	if (ends_with(name, ".asl.json"))
		name[strlen(name) - 9] = '\0';
	else if (ends_with(name, ".json"))
		name[strlen(name) - 5] = '\0';
	return name;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	o->srcs = calloc((size_t)argc, sizeof *o->srcs);
	if (!o->srcs)
		return bad("%s", "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("aslc %s\n", ASLC_VERSION);
			exit(0);
		} else if (strcmp(a, "-o") == 0) {
			slot = &o->out;
		} else if (strcmp(a, "--name") == 0) {
			slot = &o->name;
		} else if (strcmp(a, "--emit") == 0) {
			slot = &o->emit;
		} else if (strcmp(a, "--format") == 0) {
			slot = &o->format;
		} else if (strcmp(a, "-Werror") == 0) {
			o->werror = 1;
			continue;
		} else if (strcmp(a, "--type") == 0) {
			if (++i >= argc || (strcmp(argv[i], "standard") && strcmp(argv[i], "express")))
				return bad("%s", "--type takes standard or express");
			o->express = strcmp(argv[i], "express") == 0;
			continue;
		} else if (strcmp(a, "--max-size") == 0) {
			char *end = NULL;
			if (++i >= argc || argv[i][0] < '0' || argv[i][0] > '9' ||
			    (o->max_size = strtoll(argv[i], &end, 10), *end) || o->max_size < 0)
				return bad("%s", "--max-size takes a number of bytes (0: no limit)");
			continue;
		} else if (strcmp(a, "--check") == 0) {
			o->check = 1;
			continue;
		} else if (strcmp(a, "--no-graph") == 0) {
			o->no_graph = 1;
			continue;
		} else if (strcmp(a, "--no-main") == 0) {
			o->no_main = 1;
			continue;
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option %s", a);
		} else if (!o->def) {
			o->def = a;
			continue;
		} else if (ends_with(a, ".c")) {
			o->srcs[o->nsrc++] = a;
			continue;
		} else {
			return bad("unexpected argument %s (handler sources must end in .c)", a);
		}
		if (++i >= argc)
			return bad("%s needs a value", a);
		*slot = argv[i];
	}
	if (!o->def)
		return bad("%s", "no definition file given");
	if (o->emit && strcmp(o->emit, "c") && strcmp(o->emit, "dot") &&
	    strcmp(o->emit, "mermaid") && strcmp(o->emit, "svg"))
		return bad("--emit takes c, dot, mermaid or svg, not %s", o->emit);
	if (o->format && strcmp(o->format, "gcc") && strcmp(o->format, "json"))
		return bad("--format takes gcc or json, not %s", o->format);
	if (!o->check && !o->out)
		return bad("%s", "nothing to do: give -o FILE or --check");
	return 0;
}

/* AWS, "Step Functions service quotas": "Maximum size of a state machine
 * definition: 1 MB" (a hard quota). A larger regular file gets one
 * DEFINITION_TOO_LARGE error and is not read. Returns 1 when it is. */
static int too_large(const char *path, long long max, struct asl_diags *d)
{
	struct stat st;
	if (max <= 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= max)
		return 0;
	struct asl_loc nowhere = { 0, 0 };
	asl_diag_add(d, ASL_ERROR, nowhere, "DEFINITION_TOO_LARGE", "",
		     "the definition is %lld bytes, more than the %lld a state machine "
		     "definition may have (AWS's quota; --max-size changes it)",
		     (long long)st.st_size, max);
	return 1;
}

/* Above this layout cost (asl_graph_layout_cost) the C gets no drawing:
 * Graphviz 2.42's dot layout grows about as the square of it, and this
 * keeps the layout within a few tens of milliseconds (figures in
 * docs/cli.md). --emit svg draws any size. */
#define GRAPH_MAX_COST 800

/* The drawing to embed in the C (new memory, free()), or NULL: --no-graph,
 * too large to lay out quickly, or Graphviz failed (both said on stderr). */
static char *drawing(const struct asl_ir *ir, const struct opts *o)
{
	if (o->no_graph)
		return NULL;
	struct asl_graph g;
	long cost = asl_graph_build(ir, &g) == 0 ? asl_graph_layout_cost(&g) : -1;
	asl_graph_free(&g);
	if (cost > GRAPH_MAX_COST) {
		fprintf(stderr, "aslc: note: the machine is too large to draw quickly (layout cost "
				"%ld > %d); the program is built without its drawing (aslc --emit svg "
				"draws it; --no-graph says this is wanted)\n", cost, GRAPH_MAX_COST);
		return NULL;
	}
	char *svg = cost < 0 ? NULL : asl_svg_render(ir);
	if (!svg)
		fprintf(stderr, "aslc: note: Graphviz could not draw the machine; the program is "
				"built without its drawing\n");
	return svg;
}

/* Write ir to path ("-" = stdout) as o->emit says (C by default). Returns 0
 * or -1 (reported). */
static int write_output(const struct asl_ir *ir, const char *path, const struct opts *o)
{
	const char *emit = o->emit ? o->emit : "c";
	char *svg = strcmp(emit, "c") == 0 ? drawing(ir, o) : NULL;
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		fprintf(stderr, "aslc: cannot write %s: %s\n", path, strerror(errno));
		free(svg);
		return -1;
	}
	int err = 0;
	if (strcmp(emit, "dot") == 0)
		asl_emit_dot(f, ir);
	else if (strcmp(emit, "mermaid") == 0)
		asl_emit_mermaid(f, ir);
	else if (strcmp(emit, "svg") == 0)
		err = asl_emit_svg(f, ir) != 0;
	else
		asl_emit_c_graph(f, ir, !o->no_main, svg);
	free(svg);
	err |= ferror(f);
	if (f != stdout)
		err |= fclose(f) != 0;
	else
		err |= fflush(f) != 0;
	if (err) {
		fprintf(stderr, "aslc: error writing %s\n", path);
		return -1;
	}
	return 0;
}

/* Emit to a temporary .c next to the program, compile, remove it. */
static int build(const struct asl_ir *ir, const struct opts *o)
{
	size_t len = strlen(o->out) + 32;
	char *tmp = malloc(len);
	if (!tmp)
		return -1;
	snprintf(tmp, len, "%s.aslc-%ld.c", o->out, (long)getpid());
	struct opts c = *o;
	c.emit = "c";
	int rc = write_output(ir, tmp, &c);
	if (rc == 0)
		rc = asl_build_program(tmp, o->srcs, o->nsrc, o->out);
	unlink(tmp);
	free(tmp);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .max_size = 1024 * 1024 };
	int rc = parse_args(argc, argv, &o);
	if (rc) {
		free(o.srcs);
		return rc;
	}
	struct asl_diags d = { .file = o.def };
	struct asl_ir ir = { .file = o.def, .express = o.express };
	char *name = o.name ? strdup(o.name) : default_name(o.def);
	ir.name = name;
	if (o.name)
		asl_check_machine_name(o.name, &d);
	struct asl_json *def = too_large(o.def, o.max_size, &d) ? NULL : asl_load_file(o.def, &d);
	int checked = def && name && asl_check(def, &ir, &d) == 0 && d.errors == 0;
	/* -Werror: a warning fails the run like an error, before anything is
	 * written. */
	int failed = !checked || d.errors || (o.werror && d.n > 0);
	if (!failed && !o.check) {
		int drawing = o.emit && strcmp(o.emit, "c");
		if (drawing || ends_with(o.out, ".c") || strcmp(o.out, "-") == 0)
			rc = write_output(&ir, o.out, &o) ? 1 : 0;
		else
			rc = build(&ir, &o) ? 1 : 0;
	}
	if (o.format && strcmp(o.format, "json") == 0)
		asl_diag_print_json(&d, o.out && strcmp(o.out, "-") == 0 ? stderr : stdout, failed);
	else
		asl_diag_print(&d, stderr);
	if (failed)
		rc = 1;
	asl_ir_free(&ir);
	asl_json_free(def);
	asl_diag_free(&d);
	free(name);
	free(o.srcs);
	return rc;
}
