/*
 * emit_svg.c - the machine drawn as SVG by Graphviz's own library (libgvc):
 * emit_dot's text is read with agmemread, laid out with the dot engine and
 * rendered with the core svg plugin, all in process (no `dot` program).
 *
 * Only two plugins are used, linked in as builtins (gvContextPlugins with
 * demand loading off): dot_layout and core. So no plugin config file
 * (config6a) is needed or read, and no pango/cairo text-layout plugin is
 * loaded: Graphviz then sizes text from its built-in font metrics, which
 * makes the drawing the same on every machine with the same Graphviz,
 * whatever fonts are installed (the files in generated/ embed it).
 *
 * The layout runs in a child process that writes the SVG to a pipe and
 * leaves with _exit: Graphviz 2.42 leaks memory for every cluster (a
 * graph with one cluster loses about 1 KB under LeakSanitizer, after
 * gvFreeLayout, agclose and gvFreeContext), and a crash or abort inside it
 * must not take aslc down; the child's memory goes with it.
 */
#include "graph.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gvc.h>

extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;

static const lt_symlist_t builtins[] = {
	{ "gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library },
	{ "gvplugin_core_LTX_library", &gvplugin_core_LTX_library },
	{ NULL, NULL }
};

/* Graphviz writes '-' in attribute values as "&#45;" (its SVG writer
 * escapes it everywhere, for the sake of comments). Inside id="..." and
 * class="..." put it back, so the contract's ids read as plain text too
 * (an XML parser decodes both the same). Works in place on s. */
static void plain_ids(char *s)
{
	char *w = s;
	int in_attr = 0;
	for (const char *r = s; *r;) {
		if (!in_attr && (strncmp(r, " id=\"", 5) == 0 || strncmp(r, " class=\"", 8) == 0)) {
			size_t n = r[1] == 'i' ? 5 : 8;
			memmove(w, r, n);
			w += n;
			r += n;
			in_attr = 1;
		} else if (in_attr && strncmp(r, "&#45;", 5) == 0) {
			*w++ = '-';
			r += 5;
		} else {
			if (*r == '"')
				in_attr = 0;
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* In the child: lay dot (the DOT text) out and write the SVG to fd.
 * Returns 0, or -1 when Graphviz or the write failed. */
static int render_to(const char *dot, int fd)
{
	GVC_t *gvc = gvContextPlugins(builtins, 0);
	Agraph_t *g = gvc ? agmemread(dot) : NULL;
	char *data = NULL;
	unsigned int len = 0;
	int rc = -1;
	if (g && gvLayout(gvc, g, "dot") == 0 &&
	    gvRenderData(gvc, g, "svg", &data, &len) == 0 && data) {
		rc = 0;
		for (unsigned int at = 0; at < len && rc == 0;) {
			ssize_t n = write(fd, data + at, len - at);
			if (n > 0)
				at += (unsigned int)n;
			else
				rc = -1;
		}
	}
	return rc;   /* the process ends now: nothing to free */
}

/* All of fd until end of file, NUL-terminated, in new memory; NULL on a
 * read error or out of memory. */
static char *read_all(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	for (ssize_t n = 1; buf && n > 0;) {
		if (cap - len < 2) {
			char *nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		len += (size_t)n;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

char *asl_svg_render(const struct asl_ir *ir)
{
	char *dot = NULL, *svg = NULL;
	size_t dotlen = 0;
	FILE *f = open_memstream(&dot, &dotlen);
	if (!f)
		return NULL;
	asl_emit_dot(f, ir);
	int fds[2];
	if (fclose(f) != 0 || dotlen == 0 || pipe(fds) != 0) {
		free(dot);
		return NULL;
	}
	fflush(NULL);   /* nothing buffered is written twice by the child */
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(render_to(dot, fds[1]) == 0 ? 0 : 1);
	}
	close(fds[1]);
	free(dot);
	if (pid > 0)
		svg = read_all(fds[0]);
	close(fds[0]);
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || !svg || !*svg) {
		free(svg);
		return NULL;
	}
	plain_ids(svg);
	return svg;
}

int asl_emit_svg(FILE *out, const struct asl_ir *ir)
{
	char *svg = asl_svg_render(ir);
	if (!svg)
		return -1;
	fputs(svg, out);
	free(svg);
	return 0;
}
