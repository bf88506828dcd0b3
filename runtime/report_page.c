/*
 * report_page.c - the HTML page of `PROG report` (report.h,
 * docs/visibility.md): the machine's graph coloured as the Step Functions
 * console colours it, with counts per state and per transition; a table
 * per state (status counts, entries, retries, errors, p50/p99 time); the
 * executions by status; and the executions shown in detail (event table
 * with inputs and outputs per state, variables, retries and errors).
 *
 * Self-contained: inline CSS and script, no URL is fetched. Every text that
 * comes from a user goes through rt_html_esc or rt_html_script_json.
 * Without a drawing (graph_svg NULL) the states are a list, each item
 * carrying the same id, classes and data attributes as the drawing's
 * groups would.
 */
#include "durable.h"
#include "report.h"

#include <inttypes.h>
#include <string.h>

#define JSON_LIMIT 8192                /* bytes of one input/output shown   */

static const char *const type_names[] = {
	[ASLRT_PASS] = "Pass", [ASLRT_TASK] = "Task", [ASLRT_CHOICE] = "Choice",
	[ASLRT_WAIT] = "Wait", [ASLRT_SUCCEED] = "Succeed", [ASLRT_FAIL] = "Fail",
	[ASLRT_PARALLEL] = "Parallel", [ASLRT_MAP] = "Map",
};

static const char *type_name(enum aslrt_type t)
{
	return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "State";
}

/* A duration in microseconds, readably ("850 us", "12.3 ms", "4.56 s"). */
static void put_dur(FILE *f, int64_t us)
{
	if (us < 1000)
		fprintf(f, "%" PRId64 " &#xB5;s", us);
	else if (us < 1000000)
		fprintf(f, "%.*f ms", us < 10000 ? 2 : us < 100000 ? 1 : 0, (double)us / 1e3);
	else
		fprintf(f, "%.*f s", us < 10000000 ? 2 : 1, (double)us / 1e6);
}

static void put_time(FILE *f, int64_t us)
{
	char ts[40];
	if (us > 0)
		fputs(rt_time_cli(us, ts), f);
}

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
	"margin:0;color:#16191f;background:#f2f3f3}"
	"header{background:#232f3e;color:#fff;padding:14px 24px}"
	"header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#d5dbdb}"
	"main{padding:16px 24px}"
	"section.card{background:#fff;border:1px solid #d5dbdb;border-radius:8px;"
	"padding:12px 16px;margin:0 0 16px}"
	"h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:6px 0}"
	"table{border-collapse:collapse;font-size:13px}"
	"th,td{border-bottom:1px solid #eaeded;padding:4px 8px;text-align:left;vertical-align:top}"
	"th{background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"pre{margin:0;max-height:320px;overflow:auto;background:#f8f8f8;padding:4px 6px;"
	"font-size:12px}"
	".legend span{display:inline-block;margin-right:14px}"
	".sw{display:inline-block;width:14px;height:14px;border:2px solid var(--line);border-radius:3px;"
	"vertical-align:-3px;margin-right:4px}"
	".graph{overflow:auto}.graph svg{max-width:100%;height:auto}"
	/* the console's colours, by data-status */
	"[data-status=succeeded]{--fill:#e9f6e4;--line:#1d8102}"
	"[data-status=failed]{--fill:#fde7e4;--line:#d13212}"
	"[data-status=caught]{--fill:#fff1dd;--line:#ec7211}"
	"[data-status=in-progress]{--fill:#e1f0fb;--line:#0073bb}"
	"[data-status=cancelled]{--fill:#eaeded;--line:#687078}"
	"[data-status=not-reached],[data-status=not-recorded]{--fill:#fff;--line:#aab7b8}"
	"g.aslc-state>:is(polygon,ellipse,path,rect,circle){fill:var(--fill);stroke:var(--line);"
	"stroke-width:2px}"
	"g.aslc-state[data-status=not-recorded]>:is(polygon,ellipse,path,rect,circle)"
	"{stroke-dasharray:4 3}"
	"g.aslc-edge[data-status=not-taken]>:is(path,polygon){stroke:#c6cbcb;opacity:.7}"
	"g.aslc-edge[data-status=taken]>path{stroke-width:2px}"
	"text.aslc-count{font:bold 11px sans-serif;fill:#16191f}"
	"text.aslc-ecount{font:11px sans-serif;fill:#545b64}"
	".sw,.badge,.aslc-list .aslc-state{background:var(--fill);border-color:var(--line)}"
	".badge{border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px;"
	"white-space:nowrap}"
	".aslc-list{list-style:none;padding:0;margin:0}"
	".aslc-list li{margin:4px 0}"
	".aslc-list .aslc-state{display:inline-block;border:2px solid var(--line);border-radius:6px;"
	"padding:4px 10px;min-width:220px}"
	".aslc-list .aslc-state[data-status=not-recorded]{border-style:dashed}"
	".aslc-list .edges{color:#545b64;font-size:12px;margin-left:10px}"
	".muted{color:#687078}"
	"details>summary{cursor:pointer}"
	"button{font:inherit;font-size:12px;margin-left:8px}";

/* ------------------------------------------------------------ graph */

/* The colours' legend; the dashed "not recorded" only when some state is
 * (rt_agg_not_recorded: a store from before children noted their states). */
static void put_legend(FILE *f, const struct rt_agg *a)
{
	static const char *const labels[] = { "Succeeded", "In progress", "Cancelled",
					      "Caught error", "Failed" };
	fputs("<p class=\"legend\">", f);
	for (int v = RT_VIS_SUCCEEDED; v < RT_VIS_N; v++)
		fprintf(f, "<span><i class=\"sw\" data-status=\"%s\"></i>%s</span>",
			rt_vis_name((enum rt_vis)v), labels[v - 1]);
	fputs("<span><i class=\"sw\" data-status=\"not-reached\"></i>Not reached</span>", f);
	int old = 0;
	for (int i = 0; i < a->m->nstates && !old; i++)
		old = rt_agg_not_recorded(a, i);
	if (old)
		fputs("<span><i class=\"sw\" data-status=\"not-recorded\" "
		      "style=\"border-style:dashed\"></i>Inside a Map or Parallel: not recorded "
		      "(the store predates the notes of Parallel and Map children)</span>", f);
	fputs("</p>", f);
}

/* A state's name by index, or "(end)" for -1. */
static const char *target_name(const struct aslrt_machine *m, int to)
{
	return to >= 0 && to < m->nstates ? m->states[to].name : "(end)";
}

/* The states as a list (no drawing): each one an element with the ids,
 * classes and data attributes of the drawing's groups. */
static void put_list(FILE *f, const struct rt_agg *a)
{
	const struct aslrt_machine *m = a->m;
	fputs("<ol class=\"aslc-list\">", f);
	for (int i = 0; i < m->nstates; i++) {
		const struct rt_agg_state *s = &a->st[i];
		int inner = rt_agg_inner(m, i);
		fprintf(f, "<li%s><div id=\"aslc-s%d\" class=\"aslc-state aslc-%s\" "
			"data-status=\"%s\" data-count=\"%ld\" data-entries=\"%ld\" data-name=\"",
			inner ? " style=\"margin-left:28px\"" : "", i, type_name(m->states[i].type),
			rt_agg_not_recorded(a, i) ? "not-recorded" : rt_vis_name(s->vis), s->count,
			s->entries);
		rt_html_esc(f, m->states[i].name);
		fputs("\"><b>", f);
		rt_html_esc(f, m->states[i].name);
		fprintf(f, "</b> <span class=\"muted\">%s</span> &#xB7; %ld</div>",
			type_name(m->states[i].type), s->count);
		if (s->nedges || s->retries) {
			fputs("<span class=\"edges\">", f);
			for (int e = 0; e < s->nedges; e++) {
				fprintf(f, "<span class=\"aslc-edge aslc-%s\" data-count=\"%ld\" "
					"data-status=\"taken\">%s&#x2192; ",
					s->edges[e].caught ? "catch" : "next", s->edges[e].n,
					e ? ", " : "");
				rt_html_esc(f, target_name(m, s->edges[e].to));
				fprintf(f, "%s %ld</span>", s->edges[e].caught ? " (Catch)" : "",
					s->edges[e].n);
			}
			if (s->retries)
				fprintf(f, "%s&#x21BB; %ld retries", s->nedges ? ", " : "", s->retries);
			fputs("</span>", f);
		}
		fputs("</li>", f);
	}
	fputs("</ol>", f);
}

static void put_graph(FILE *f, const struct rt_report_page *p)
{
	fputs("<section class=\"card\" id=\"graph\"><h2>Graph <span class=\"muted\" "
	      "id=\"graph-view\">all executions</span><button id=\"graph-all\" hidden>"
	      "Show all executions</button></h2>", f);
	put_legend(f, p->agg);
	fputs("<div class=\"graph\" id=\"aslc-graph\">", f);
	if (!p->svg || rt_html_svg_mark(f, p->svg, p->agg) != 0)
		put_list(f, p->agg);
	fputs("</div></section>", f);
}

/* ------------------------------------------------------------ tables */

static void put_counts(FILE *f, const struct rt_agg_count *v, int n)
{
	for (int i = 0; i < n; i++) {
		fputs(i ? "<br>" : "", f);
		rt_html_esc(f, v[i].name);
		fprintf(f, " &#xD7; %ld", v[i].n);
	}
}

static void put_summary(FILE *f, const struct rt_report_page *p)
{
	const struct rt_agg *a = p->agg;
	static const char *const vis_of_status[] = { "in-progress", "succeeded", "failed",
						     "failed", "cancelled" };
	fputs("<section class=\"card\" id=\"summary\"><h2>Executions</h2><table><tr>", f);
	for (int s = 0; s < 5; s++)
		fprintf(f, "<th>%s</th>", rt_status_name((enum aslrt_status)s));
	fputs("<th>total</th><th>duration p50</th><th>p99</th><th>max</th></tr><tr>", f);
	for (int s = 0; s < 5; s++)
		fprintf(f, "<td class=\"n\" id=\"count-%s\"><span class=\"badge\" "
			"data-status=\"%s\">%ld</span></td>",
			rt_status_name((enum aslrt_status)s),
			a->by_status[s] ? vis_of_status[s] : "not-reached", a->by_status[s]);
	fprintf(f, "<td class=\"n\" id=\"count-total\">%zu</td><td class=\"n\">", a->nx);
	put_dur(f, a->ep50);
	fputs("</td><td class=\"n\">", f);
	put_dur(f, a->ep99);
	fputs("</td><td class=\"n\">", f);
	put_dur(f, a->emax);
	fputs("</td></tr></table></section>", f);
}

static void put_states(FILE *f, const struct rt_report_page *p)
{
	const struct rt_agg *a = p->agg;
	const struct aslrt_machine *m = p->m;
	fputs("<section class=\"card\" id=\"states\"><h2>States</h2><table><tr><th>state</th>"
	      "<th>type</th><th>status</th><th>reached</th><th>succeeded</th><th>caught</th>"
	      "<th>failed</th><th>in progress</th><th>entries</th><th>retries</th>"
	      "<th>p50</th><th>p99</th><th>max</th><th>task errors</th>"
	      "<th>executions ended here</th><th>went to</th></tr>", f);
	for (int i = 0; i < m->nstates; i++) {
		const struct rt_agg_state *s = &a->st[i];
		fprintf(f, "<tr id=\"state-row-%d\"><td>", i);
		rt_html_esc(f, m->states[i].name);
		fprintf(f, "</td><td>%s</td><td><span class=\"badge\" data-status=\"%s\">%s"
			"</span></td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
			"<td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
			"<td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">",
			type_name(m->states[i].type), rt_vis_name(s->vis), rt_vis_name(s->vis),
			s->count, s->by[RT_VIS_SUCCEEDED], s->by[RT_VIS_CAUGHT],
			s->by[RT_VIS_FAILED], s->by[RT_VIS_IN_PROGRESS], s->entries, s->retries);
		if (s->ndur) {
			put_dur(f, s->p50);
			fputs("</td><td class=\"n\">", f);
			put_dur(f, s->p99);
			fputs("</td><td class=\"n\">", f);
			put_dur(f, s->max);
		} else {
			fputs("</td><td class=\"n\"></td><td class=\"n\">", f);
		}
		fputs("</td><td>", f);
		put_counts(f, s->errors, s->nerrors);
		fputs("</td><td>", f);
		put_counts(f, s->fails, s->nfails);
		fputs("</td><td>", f);
		for (int e = 0; e < s->nedges; e++) {
			fputs(e ? "<br>" : "", f);
			rt_html_esc(f, target_name(m, s->edges[e].to));
			fprintf(f, "%s &#xD7; %ld", s->edges[e].caught ? " (Catch)" : "",
				s->edges[e].n);
		}
		fputs("</td></tr>", f);
	}
	fputs("</table></section>", f);
}

/* -------------------------------------------------- one execution */

/* Microseconds since the epoch of an AWS CLI timestamp
 * ("2024-01-15T10:20:30.123000+00:00"), or 0. */
static int64_t parse_ts(const char *s)
{
	int y, mo, d, h, mi, sec;
	long us = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%6ld", &y, &mo, &d, &h, &mi, &sec, &us) < 6)
		return 0;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	return ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000000) + us;
}

/* A JSON text member of details (an input or output) in a <details>. */
static void put_text_json(FILE *f, const char *label, const char *text)
{
	if (!text)
		return;
	cJSON *v = cJSON_Parse(text);
	fprintf(f, "<details><summary>%s</summary><pre>", label);
	if (v)
		rt_html_json(f, v, JSON_LIMIT);
	else
		rt_html_esc(f, text);
	fputs("</pre></details>", f);
	cJSON_Delete(v);
}

/* Ends with suffix? */
static int ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The table of state visits of one execution, from its events: one row
 * from each StateEntered to its StateExited (or to the end), with the
 * task errors in between (each one retried or caught). */
static void put_visits(FILE *f, const cJSON *events)
{
	fputs("<table class=\"visits\"><tr><th>state</th><th>type</th><th>status</th>"
	      "<th>entered</th><th>duration</th><th>errors and retries</th><th>input</th>"
	      "<th>output</th></tr>", f);
	const cJSON *open = NULL;              /* the StateEntered of the row    */
	int last_failed = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, events) {
		const char *type = rt_j_str(e, "type");
		int64_t t = parse_ts(rt_j_str(e, "timestamp"));
		if (!type)
			continue;
		if (ends(type, "StateEntered")) {
			const cJSON *d = cJSON_GetObjectItemCaseSensitive(e,
									   "stateEnteredEventDetails");
			fputs("<tr><td>", f);
			rt_html_esc(f, rt_j_str(d, "name"));
			fprintf(f, "</td><td>%.*s</td>", (int)(strlen(type) - 12), type);
			open = e;
			last_failed = 0;
			continue;
		}
		if (!open)
			continue;
		int64_t t_in = parse_ts(rt_j_str(open, "timestamp"));
		if ((ends(type, "Failed") || ends(type, "TimedOut")) &&
		    strncmp(type, "Execution", 9) != 0 && !ends(type, "StateFailed")) {
			last_failed = 1;
			continue;
		}
		if (ends(type, "Succeeded") && strncmp(type, "Execution", 9) != 0)
			last_failed = 0;
		int exited = ends(type, "StateExited");
		int ended = strncmp(type, "Execution", 9) == 0 && strcmp(type, "ExecutionStarted");
		if (!exited && !ended)
			continue;
		const char *vis = exited ? (last_failed ? "caught" : "succeeded")
			: strcmp(type, "ExecutionSucceeded") == 0 ? "succeeded"
			: strcmp(type, "ExecutionAborted") == 0 ? "cancelled" : "failed";
		fprintf(f, "<td><span class=\"badge\" data-status=\"%s\">%s</span></td><td>", vis,
			vis);
		put_time(f, t_in);
		fputs("</td><td class=\"n\">", f);
		if (t && t_in)
			put_dur(f, t - t_in);
		fputs("</td><td>", f);
		/* the task errors between entering and leaving */
		int first = 1;
		for (const cJSON *k = open->next; k && k != e; k = k->next) {
			const char *kt = rt_j_str(k, "type");
			if (!kt || !(ends(kt, "Failed") || ends(kt, "TimedOut")) ||
			    strncmp(kt, "Execution", 9) == 0)
				continue;
			const cJSON *d = NULL, *c;
			cJSON_ArrayForEach(c, k) if (c->string && ends(c->string, "EventDetails")) d = c;
			fputs(first ? "" : "<br>", f);
			first = 0;
			fputs("<b>", f);
			rt_html_esc(f, rt_j_str(d, "error"));
			fputs("</b> ", f);
			rt_html_esc(f, rt_j_str(d, "cause"));
		}
		if (ended && strcmp(type, "ExecutionSucceeded") != 0) {
			const cJSON *d = NULL, *c;
			cJSON_ArrayForEach(c, e) if (c->string && ends(c->string, "EventDetails")) d = c;
			fputs(first ? "" : "<br>", f);
			fputs("<b>", f);
			rt_html_esc(f, rt_j_str(d, "error"));
			fputs("</b> ", f);
			rt_html_esc(f, rt_j_str(d, "cause"));
		}
		fputs("</td><td>", f);
		const cJSON *din = cJSON_GetObjectItemCaseSensitive(open, "stateEnteredEventDetails");
		put_text_json(f, "input", rt_j_str(din, "input"));
		fputs("</td><td>", f);
		if (exited)
			put_text_json(f, "output",
				      rt_j_str(cJSON_GetObjectItemCaseSensitive(e,
								"stateExitedEventDetails"),
					       "output"));
		fputs("</td></tr>", f);
		open = NULL;
	}
	if (open) {                           /* still in it */
		fputs("<td><span class=\"badge\" data-status=\"in-progress\">in-progress</span>"
		      "</td><td>", f);
		put_time(f, parse_ts(rt_j_str(open, "timestamp")));
		fputs("</td><td></td><td></td><td>", f);
		put_text_json(f, "input", rt_j_str(cJSON_GetObjectItemCaseSensitive(
						      open, "stateEnteredEventDetails"), "input"));
		fputs("</td><td></td></tr>", f);
	}
	fputs("</table>", f);
}

/* Every event, as GetExecutionHistory gives it. */
static void put_events(FILE *f, const cJSON *events)
{
	fprintf(f, "<details><summary>Events (%d)</summary><table><tr><th>id</th>"
		"<th>timestamp</th><th>type</th><th>details</th></tr>",
		cJSON_GetArraySize(events));
	const cJSON *e;
	cJSON_ArrayForEach(e, events) {
		fprintf(f, "<tr><td class=\"n\">%" PRId64 "</td><td>", rt_j_int(e, "id"));
		rt_html_esc(f, rt_j_str(e, "timestamp"));
		fputs("</td><td>", f);
		rt_html_esc(f, rt_j_str(e, "type"));
		fputs("</td><td>", f);
		const cJSON *c;
		cJSON_ArrayForEach(c, e) if (c->string && ends(c->string, "EventDetails")) {
			fputs("<pre>", f);
			rt_html_json(f, c, JSON_LIMIT);
			fputs("</pre>", f);
		}
		fputs("</td></tr>", f);
	}
	fputs("</table></details>", f);
}

static void put_detail(FILE *f, const struct rt_report_page *p, size_t k)
{
	const struct rt_report_detail *d = &p->details[k];
	static const char *const vis_of_status[] = { "in-progress", "succeeded", "failed",
						     "failed", "cancelled" };
	fprintf(f, "<section class=\"card exec\" id=\"exec-%zu\" data-exec=\"%zu\" "
		"data-status=\"%s\"><h3>", k, k, rt_status_name(d->status));
	rt_html_esc(f, d->name);
	fprintf(f, " <span class=\"badge\" data-status=\"%s\">%s</span>"
		"<button class=\"show\" data-exec=\"%zu\">Show on the graph</button></h3>",
		(unsigned)d->status < 5 ? vis_of_status[d->status] : "in-progress",
		rt_status_name(d->status), k);
	if (d->error || d->cause) {
		fputs("<p><b>", f);
		rt_html_esc(f, d->error);
		fputs("</b> ", f);
		rt_html_esc(f, d->cause);
		fputs("</p>", f);
	}
	fputs("<div>", f);
	if (d->input) {
		fputs("<details><summary>Execution input</summary><pre>", f);
		rt_html_json(f, d->input, JSON_LIMIT);
		fputs("</pre></details>", f);
	}
	if (d->output) {
		fputs("<details><summary>Execution output</summary><pre>", f);
		rt_html_json(f, d->output, JSON_LIMIT);
		fputs("</pre></details>", f);
	}
	if (d->vars) {
		fputs("<details open><summary>Variables</summary><pre>", f);
		rt_html_json(f, d->vars, JSON_LIMIT);
		fputs("</pre></details>", f);
	}
	fputs("</div>", f);
	put_visits(f, d->events);
	put_events(f, d->events);
	fputs("</section>", f);
}

/* ------------------------------------------------------------ script */

/* The data the script needs: state names and, per execution shown in
 * detail, its status in each state. */
static void put_data(FILE *f, const struct rt_report_page *p)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *names = cJSON_AddArrayToObject(doc, "states");
	cJSON *execs = cJSON_AddArrayToObject(doc, "execs");
	for (int i = 0; names && i < p->m->nstates; i++)
		cJSON_AddItemToArray(names, cJSON_CreateString(p->m->states[i].name));
	for (size_t k = 0; execs && k < p->ndetails; k++) {
		cJSON *v = cJSON_CreateArray();
		for (int i = 0; v && p->details[k].vis && i < p->m->nstates; i++)
			cJSON_AddItemToArray(v, cJSON_CreateString(
							rt_vis_name((enum rt_vis)p->details[k].vis[i])));
		cJSON *o = cJSON_CreateObject();
		if (o) {
			cJSON_AddStringToObject(o, "name", p->details[k].name);
			cJSON_AddItemToObject(o, "vis", v);
		} else {
			cJSON_Delete(v);
		}
		cJSON_AddItemToArray(execs, o);
	}
	fputs("<script id=\"aslc-data\" type=\"application/json\">", f);
	rt_html_script_json(f, doc);
	fputs("</script>", f);
	cJSON_Delete(doc);
}

/* Count labels on the drawing, and showing one execution's statuses. */
static const char script[] =
	"(function(){"
	"var D=JSON.parse(document.getElementById('aslc-data').textContent);"
	"var NS='http://www.w3.org/2000/svg';"
	"function label(g,txt,cls,x,y){var t=document.createElementNS(NS,'text');"
	"t.setAttribute('class',cls);t.setAttribute('x',x);t.setAttribute('y',y);"
	"t.textContent=txt;g.appendChild(t);return t;}"
	"var svg=document.querySelector('#aslc-graph svg');"
	"if(svg){"
	"svg.querySelectorAll('g.aslc-state').forEach(function(g){"
	"var b=g.getBBox();var t=label(g,'\\u00d7 '+(g.dataset.count||0),'aslc-count',"
	"b.x+b.width-4,b.y+b.height-4);t.setAttribute('text-anchor','end');});"
	"svg.querySelectorAll('g.aslc-edge[data-status=taken]').forEach(function(g){"
	"var p=g.querySelector('path');if(!p||!p.getTotalLength)return;"
	"var L=p.getTotalLength(),m=p.getPointAtLength(L/2);"
	"label(g,g.dataset.count,'aslc-ecount',m.x+4,m.y);});}"
	"var saved=null;"
	"function states(){return document.querySelectorAll('#aslc-graph .aslc-state');}"
	"function show(k){var e=D.execs[k];if(!e)return;"
	"if(!saved){saved=[];states().forEach(function(g){saved.push(g.dataset.status);});}"
	"states().forEach(function(g){var i=+g.id.slice(6);"
	"g.dataset.status=e.vis[i]||'not-reached';});"
	"document.getElementById('graph-view').textContent='execution '+e.name;"
	"document.getElementById('graph-all').hidden=false;"
	"document.getElementById('graph').scrollIntoView();}"
	"function all(){if(!saved)return;var i=0;"
	"states().forEach(function(g){g.dataset.status=saved[i++];});saved=null;"
	"document.getElementById('graph-view').textContent='all executions';"
	"document.getElementById('graph-all').hidden=true;}"
	"document.querySelectorAll('button.show').forEach(function(b){"
	"b.addEventListener('click',function(){show(+b.dataset.exec);});});"
	"document.getElementById('graph-all').addEventListener('click',all);"
	"})();";

/* ------------------------------------------------------------ page */

int rt_report_page_write(FILE *f, const struct rt_report_page *p)
{
	const struct rt_agg *a = p->agg;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
	      "<title>", f);
	rt_html_esc(f, p->m->name);
	fprintf(f, " &#x2014; executions</title><style>%s</style></head><body><header><h1>"
		"State machine ", css);
	rt_html_esc(f, p->m->name);
	fputs("</h1><p>store ", f);
	rt_html_esc(f, p->store);
	fprintf(f, " &#xB7; %zu executions &#xB7; %llu records &#xB7; from ", a->nx, a->records);
	put_time(f, a->first_us);
	fputs(" to ", f);
	put_time(f, a->last_us);
	fputs(" &#xB7; written ", f);
	put_time(f, p->generated_us);
	fputs("</p></header><main>", f);
	put_summary(f, p);
	put_graph(f, p);
	put_states(f, p);
	fprintf(f, "<section class=\"card\" id=\"executions\"><h2>Executions in detail "
		"(%zu of %zu", p->ndetails, a->nx);
	if (p->ndetails < a->nx)
		fprintf(f, "; those that did not succeed first, at most %zu", p->max_details);
	fputs(")</h2></section>", f);
	for (size_t k = 0; k < p->ndetails; k++)
		put_detail(f, p, k);
	fputs("</main>", f);
	put_data(f, p);
	fprintf(f, "<script>%s</script></body></html>\n", script);
	return ferror(f) ? -1 : 0;
}
