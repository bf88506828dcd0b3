/*
 * report.h - `PROG report` (docs/visibility.md): one self-contained HTML
 * file about the executions of a store. Private to libaslrt (and the
 * demo, which links the internal library):
 *
 *   report_agg.c   folding records into counts per state and transition,
 *                  state durations, errors and retries (no parse trees)
 *   report_html.c  HTML and attribute escaping, marking the machine's SVG
 *   report_page.c  the page: graph, tables, per-execution sections
 *   report.c       reading the store, choosing the executions shown in
 *                  detail, writing the file atomically
 *   report_cli.c   the command line of `PROG report`
 *
 * Ownership follows rt.h: cJSON parameters are borrowed; returned pointers
 * are new memory unless said otherwise.
 */
#ifndef ASLRT_REPORT_H
#define ASLRT_REPORT_H

#include "aslrt.h"
#include "rtmap.h"
#include "store.h"

#include <stdint.h>
#include <stdio.h>

/* What happened in a state, in the colours of the Step Functions console's
 * graph view ("Execution Details page - Interface overview", Graph view):
 * in increasing precedence, because a state of many executions shows the
 * most alarming status any of them had there. */
enum rt_vis {
	RT_VIS_NONE,                   /* not reached (white)                   */
	RT_VIS_SUCCEEDED,              /* green                                 */
	RT_VIS_IN_PROGRESS,            /* blue                                  */
	RT_VIS_CANCELLED,              /* grey: the execution was stopped here  */
	RT_VIS_CAUGHT,                 /* orange: an error caught by a Catch    */
	RT_VIS_FAILED,                 /* red: the execution failed here        */
	RT_VIS_N
};
/* "not-reached", "succeeded", "in-progress", "cancelled", "caught",
 * "failed": the data-status values of the page. */
const char *rt_vis_name(enum rt_vis v);

/* A name and how often. */
struct rt_agg_count {
	char *name;
	long n;
};

/* Transitions from one state to `to` (-1: the end of the execution). */
struct rt_agg_edge {
	int to;
	int caught;                    /* taken by a Catch                      */
	long n;
};

struct rt_agg_state {
	long count;                    /* executions that reached it            */
	long by[RT_VIS_N];             /* executions by their last status here  */
	long entries;                  /* times entered (loops enter again)     */
	long retries;                  /* Retry attempts decided here           */
	int64_t *dur;                  /* entered -> exited, microseconds       */
	size_t ndur, capdur;
	int64_t p50, p99, max;         /* of dur, after rt_agg_finish           */
	struct rt_agg_count *errors;   /* task errors here (retried ones too)   */
	int nerrors;
	struct rt_agg_count *fails;    /* executions that failed here, by error */
	int nfails;
	struct rt_agg_edge *edges;
	int nedges;
	enum rt_vis vis;               /* the status shown, after finish        */
};

struct rt_agg_fan;                     /* report_agg.c */

/* One execution as the fold sees it. */
struct rt_agg_exec {
	char *name;
	long seq;                      /* order of its START                    */
	enum aslrt_status status;
	int cur;                       /* the state it is in or goes to next    */
	int task_err;                  /* a task record with an error since the
					  last step                              */
	int redrives;
	int64_t t_start, t_stop, t_enter;
	char *error;                   /* how it ended, when not SUCCEEDED      */
	struct rt_agg_fan *fan;        /* the children of the state it runs (a
					  Parallel's or Map's), followed through
					  their notes; NULL when none           */
	unsigned char vis[];           /* enum rt_vis per state                 */
};

struct rt_agg {
	const struct aslrt_machine *m;
	struct rt_map only;            /* names to include; empty: all          */
	int filtered;
	struct rt_map by_name;
	struct rt_agg_exec **x;
	size_t nx, capx;
	struct rt_agg_state *st;       /* m->nstates                            */
	long by_status[5];             /* executions by enum aslrt_status       */
	int64_t *edur;                 /* finished executions' durations, µs    */
	size_t nedur;
	int64_t ep50, ep99, emax;
	int64_t first_us, last_us;     /* the earliest and latest time seen     */
	unsigned long long records, bytes;
	long notes;                    /* children's notes folded (distinct)    */
	int oom;
};

/* A new fold for machine m; with nonly > 0 only the executions named in
 * only[] (borrowed, they must outlive the fold) are counted. NULL when out
 * of memory. */
struct rt_agg *rt_agg_new(const struct aslrt_machine *m, const char *const *only, int nonly);
/* Fold one record (a store visitor: ctx is the rt_agg). Returns 0, or -1
 * out of memory. */
int rt_agg_feed(void *ctx, const struct rt_rec *r);
/* Close the fold: per-state counts by status, the status shown, p50/p99. */
void rt_agg_finish(struct rt_agg *a);
void rt_agg_free(struct rt_agg *a);
/* The q-quantile (0 < q <= 1, nearest rank) of v[0..n), which it sorts. */
int64_t rt_agg_quantile(int64_t *v, size_t n, double q);
/* 1 when state i is inside a Parallel branch or a Map's processor (its
 * JSON pointer is deeper than /States/NAME): its events are the notes of
 * the enclosing state's children (docs/durable.md, "Inside Parallel and
 * Map"). */
int rt_agg_inner(const struct aslrt_machine *m, int i);
/* 1 when the fold has no data about state i because the store predates
 * the children's notes: i is inner, never reached, and the fold saw no
 * note at all. The page draws such a state dashed ("not-recorded"). */
int rt_agg_not_recorded(const struct rt_agg *a, int i);

/* ------------------------------------------------------------- HTML */

/* Write s (n bytes) as HTML text or a double-quoted attribute value: &, <,
 * >, " and ' as entities, every non-ASCII character (UTF-8) as &#xHEX;
 * (a byte that is not UTF-8 as U+FFFD), control characters but tab and
 * newline as U+FFFD. The output is plain ASCII. */
void rt_html_esc_n(FILE *f, const char *s, size_t n);
void rt_html_esc(FILE *f, const char *s);
/* v as indented JSON text, escaped for a <pre>; at most limit bytes of it
 * (0: all), followed by a note of how much was left out. */
void rt_html_json(FILE *f, const cJSON *v, size_t limit);
/* v as JSON inside a <script> element: compact, with <, >, & and every
 * non-ASCII character as \uXXXX escapes, so nothing can close the script. */
void rt_html_script_json(FILE *f, const cJSON *v);
/* Copy the machine's SVG (from its "<svg"; whatever precedes it, such as
 * an XML declaration, is dropped) to f, every non-ASCII character as a
 * character reference, adding to each state group
 * <g id="aslc-sI"> the attributes data-status, data-count, data-entries
 * and data-name, and to each transition <g id="aslc-eF-T-K"> data-count and
 * data-status ("taken" or "not-taken"). Returns 0, or -1 when svg has no
 * <svg element. */
int rt_html_svg_mark(FILE *f, const char *svg, const struct rt_agg *a);

/* ------------------------------------------------------------- page */

/* One execution shown in detail. */
struct rt_report_detail {
	char *name;
	enum aslrt_status status;
	cJSON *events;                 /* GetExecutionHistory's events (owned)  */
	cJSON *input, *output, *vars;  /* owned, may be NULL                    */
	char *error, *cause;
	unsigned char *vis;            /* enum rt_vis per state (owned)         */
};

struct rt_report_page {
	const struct aslrt_machine *m;
	const struct rt_agg *agg;
	const char *svg;               /* the drawing, or NULL: a list instead  */
	const char *store;             /* shown in the header                   */
	struct rt_report_detail *details;
	size_t ndetails;
	size_t max_details;
	int64_t generated_us;
};

/* Write the whole HTML document. Returns 0, or -1 when writing failed. */
int rt_report_page_write(FILE *f, const struct rt_report_page *p);

/* ----------------------------------------------------------- report */

struct rt_report_options {
	const char *store;             /* the store's directory                 */
	const char *out;               /* the HTML file (written atomically)    */
	const char *const *names;      /* executions to report; NULL/0: all     */
	int nnames;
	long max_details;              /* executions shown in detail; <0: 20    */
	const char *svg;               /* the drawing; NULL: m->graph_svg       */
};

/* What a report covered, for the caller to print. */
struct rt_report_info {
	long executions, details;
	unsigned long long records, bytes;
	double seconds;
};

/* Read the store and write the report. Returns 0, or -1 with *why (rt_free). */
int rt_report_write(const struct aslrt_machine *m, const struct rt_report_options *o,
		    struct rt_report_info *info, char **why);

/* `PROG report ...` (report_cli.c); returns the exit status. */
int rt_report_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv);

#endif /* ASLRT_REPORT_H */
