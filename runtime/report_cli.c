/*
 * report_cli.c - `PROG report [--store DIR] [-o FILE] [--details N]
 * [--svg FILE] [EXECUTION...]` (docs/cli.md): write the HTML report of a
 * store. EXECUTION is a name or an execution ARN; none means every
 * execution. Like cli.c it prints: one JSON line on stdout
 * ({"output", "executions", "details", "records", "seconds"}), messages on
 * stderr. Exit status 0 written, 2 usage or the store or file failed.
 */
#include "cli_durable.h"
#include "report.h"
#include "taskutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static void help(const char *prog)
{
	printf("Usage: %s report [--store DIR] [-o FILE] [--details N] [--svg FILE] "
	       "[EXECUTION...]\n"
	       "\n"
	       "Writes one self-contained HTML file about the executions in the store:\n"
	       "the graph coloured by what happened in each state, counts per state and\n"
	       "transition, p50/p99 time per state, and the events, inputs, outputs,\n"
	       "variables, retries and errors of some executions in detail.\n"
	       "\n"
	       "  --store DIR     the store (default $ASLRT_STORE, else ./MACHINE.store)\n"
	       "  -o, --output F  the HTML file (default report.html)\n"
	       "  --details N     executions shown in detail when none is named: those\n"
	       "                  that did not succeed first (default 20)\n"
	       "  --svg FILE      draw with this SVG (aslc --emit svg) instead of the\n"
	       "                  drawing compiled into the program\n"
	       "  EXECUTION       names or execution ARNs: report only these, all in detail\n",
	       prog);
}

static int complain(const char *prog, const char *what, const char *detail)
{
	fprintf(stderr, "%s: report: %s%s%s\n", prog, what, detail ? ": " : "",
		detail ? detail : "");
	return EXIT_USAGE;
}

int rt_report_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv)
{
	const char *store = NULL, *out = NULL, *details = NULL, *svg_path = NULL;
	const char **names = rt_calloc((size_t)(argc > 0 ? argc : 1), sizeof *names);
	int nnames = 0;
	if (!names)
		return complain(prog, "out of memory", NULL);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help(prog);
			rt_free(names);
			return 0;
		}
		if ((len == 7 && strncmp(a, "--store", 7) == 0))
			slot = &store;
		else if ((len == 2 && strncmp(a, "-o", 2) == 0) ||
			 (len == 8 && strncmp(a, "--output", 8) == 0))
			slot = &out;
		else if (len == 9 && strncmp(a, "--details", 9) == 0)
			slot = &details;
		else if (len == 5 && strncmp(a, "--svg", 5) == 0)
			slot = &svg_path;
		else if (a[0] == '-') {
			rt_free(names);
			return complain(prog, "unknown option", a);
		} else {
			names[nnames++] = a;
			continue;
		}
		if (*slot) {
			rt_free(names);
			return complain(prog, "an option is given twice", a);
		}
		if (eq)
			*slot = eq + 1;
		else if (i + 1 < argc)
			*slot = argv[++i];
		else {
			rt_free(names);
			return complain(prog, "option needs a value", a);
		}
	}
	struct rt_report_options o = { .names = names, .nnames = nnames, .max_details = -1 };
	char *end = NULL;
	if (details) {
		errno = 0;
		o.max_details = strtol(details, &end, 10);
		if (!*details || *end || errno || o.max_details < 0) {
			rt_free(names);
			return complain(prog, "--details takes a whole number >= 0, not", details);
		}
	}
	char *owned = NULL, *svg = NULL, *why = NULL;
	o.store = rt_cli_store(m, store, &owned);
	o.out = out ? out : "report.html";
	size_t len = 0;
	if (svg_path && !(svg = rt_read_file(svg_path, &len, &why))) {
		int rc = complain(prog, svg_path, why ? why : "out of memory");
		rt_free(why);
		rt_free(owned);
		rt_free(names);
		return rc;
	}
	o.svg = svg;
	struct rt_report_info info;
	int rc = rt_report_write(m, &o, &info, &why);
	if (rc != 0) {
		rc = complain(prog, why ? why : "out of memory", NULL);
	} else {
		cJSON *j = cJSON_CreateObject();
		if (j) {
			cJSON_AddStringToObject(j, "output", o.out);
			cJSON_AddNumberToObject(j, "executions", (double)info.executions);
			cJSON_AddNumberToObject(j, "details", (double)info.details);
			cJSON_AddNumberToObject(j, "records", (double)info.records);
			cJSON_AddNumberToObject(j, "seconds", info.seconds);
		}
		char *s = j ? cJSON_PrintUnformatted(j) : NULL;
		if (!s || puts(s) == EOF || fflush(stdout) == EOF)
			rc = complain(prog, "cannot print the result", NULL);
		cJSON_free(s);
		cJSON_Delete(j);
	}
	rt_free(why);
	rt_free(svg);
	rt_free(owned);
	rt_free(names);
	return rc;
}
