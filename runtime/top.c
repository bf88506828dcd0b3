/*
 * top.c - `PROG top [--store DIR] [--once] [--interval S]` (docs/cli.md,
 * docs/visibility.md): a live view of the worker that owns a store, read
 * from the metrics it publishes every second (DIR/metrics.prom, metrics.h):
 * executions by status and by where they are, throughput, states, retries
 * and failures. Redrawn in place with ANSI escapes (home, clear) until
 * interrupted; --once prints one frame without escapes. Like cli.c it
 * prints. Exit status: 0, 1 when --once finds nothing published, 2 usage.
 */
#include "cli_durable.h"
#include "metrics.h"
#include "taskutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define MAX_SAMPLES 4096

/* One sample line: the metric, its distinguishing label's value (status,
 * where, state or error; "" when none) and its value. */
struct sample {
	char name[48];
	char label[96];
	double v;
};

struct frame {
	struct sample *s;
	int n;
	double at;                     /* rt_monotonic() when read              */
};

/* Parse one label value at p (after the opening quote) into out; returns
 * the position after the closing quote, or NULL. */
static const char *label_value(const char *p, char *out, size_t cap)
{
	size_t k = 0;
	for (; *p && *p != '"'; p++) {
		char c = *p;
		if (c == '\\' && p[1]) {
			c = *++p == 'n' ? '\n' : *p;
		}
		if (k + 1 < cap)
			out[k++] = c;
	}
	out[k] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

/* Parse a line "name{k="v",...} value" into s. Returns 0, or -1 for a
 * comment or a line that is not a sample. */
static int parse_line(const char *line, struct sample *s)
{
	if (line[0] == '#' || line[0] == '\n' || !line[0])
		return -1;
	size_t n = strcspn(line, "{ ");
	if (n == 0 || n >= sizeof s->name)
		return -1;
	memcpy(s->name, line, n);
	s->name[n] = '\0';
	s->label[0] = '\0';
	const char *p = line + n;
	if (*p == '{') {
		p++;
		while (*p && *p != '}') {
			char key[32], val[96];
			size_t kn = strcspn(p, "=");
			if (kn == 0 || kn >= sizeof key || p[kn] != '=' || p[kn + 1] != '"')
				return -1;
			memcpy(key, p, kn);
			key[kn] = '\0';
			if (!(p = label_value(p + kn + 2, val, sizeof val)))
				return -1;
			if (strcmp(key, "machine") != 0)
				snprintf(s->label, sizeof s->label, "%s", val);
			if (*p == ',')
				p++;
		}
		if (*p != '}')
			return -1;
		p++;
	}
	char *end = NULL;
	s->v = strtod(p, &end);
	return end == p ? -1 : 0;
}

/* Read the published metrics into fr. Returns 0, or -1 (errno) when the
 * file is not there. */
static int read_frame(const char *path, struct frame *fr)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512];
	fr->n = 0;
	while (fr->n < MAX_SAMPLES && fgets(line, sizeof line, f))
		if (parse_line(line, &fr->s[fr->n]) == 0)
			fr->n++;
	fclose(f);
	fr->at = rt_monotonic();
	return 0;
}

/* The value of metric name with label value label ("" none); 0 when absent. */
static double val(const struct frame *fr, const char *name, const char *label)
{
	for (int i = 0; fr && i < fr->n; i++)
		if (strcmp(fr->s[i].name, name) == 0 && strcmp(fr->s[i].label, label) == 0)
			return fr->s[i].v;
	return 0;
}

/* Per second between two frames (prev NULL: since the worker started). */
static double rate(const struct frame *cur, const struct frame *prev, const char *name,
		   const char *label)
{
	double up = val(cur, "aslrt_worker_uptime_seconds", "");
	if (prev) {
		double dt = up - val(prev, "aslrt_worker_uptime_seconds", "");
		if (dt > 0.2)
			return (val(cur, name, label) - val(prev, name, label)) / dt;
	}
	return up > 0 ? val(cur, name, label) / up : 0;
}

static double unix_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One screen. */
static void draw(FILE *o, const struct aslrt_machine *m, const char *dir,
		 const struct frame *cur, const struct frame *prev)
{
	static const char *const st[] = { "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" };
	static const char *const where[] = { "runnable", "stepping", "committing", "waiting",
					     "parked" };
	double age = unix_now() - val(cur, "aslrt_worker_updated_seconds", "");
	fprintf(o, "%s top: store %s, worker pid %.0f, up %.1f s, sample %.1f s old%s\n\n",
		m->name ? m->name : "", dir, val(cur, "aslrt_worker_pid", ""),
		val(cur, "aslrt_worker_uptime_seconds", ""), age,
		age > 5 ? " (stale: is the worker running?)" : "");
	double running = 0;
	for (int w = 0; w < 5; w++)
		running += val(cur, "aslrt_executions", where[w]);
	fprintf(o, "executions  running %.0f  started %.0f", running,
		val(cur, "aslrt_executions_started_total", ""));
	for (int s = 0; s < 4; s++)
		fprintf(o, "  %s %.0f", st[s], val(cur, "aslrt_executions_finished_total", st[s]));
	fprintf(o, "\nwhere       ");
	for (int w = 0; w < 5; w++)
		fprintf(o, "%s %.0f  ", where[w], val(cur, "aslrt_executions", where[w]));
	double fin = 0;
	for (int s = 0; s < 4; s++)
		fin += rate(cur, prev, "aslrt_executions_finished_total", st[s]);
	fprintf(o, "\nthroughput  %.0f steps/s  %.0f executions finished/s  %.0f records/s"
		"  %.1f fsyncs/s%s\n",
		rate(cur, prev, "aslrt_steps_total", ""), fin,
		rate(cur, prev, "aslrt_store_records_total", ""),
		rate(cur, prev, "aslrt_store_fsyncs_total", ""),
		prev ? "" : " (average since the worker started)");
	double rec = val(cur, "aslrt_store_records_total", ""),
	       sy = val(cur, "aslrt_store_fsyncs_total", "");
	fprintf(o, "store       %.0f records  %.0f fsyncs (%.1f records/fsync)  live log %.1f MiB"
		"  %.0f compactions\n\n",
		rec, sy, sy > 0 ? rec / sy : 0, val(cur, "aslrt_store_live_bytes", "") / 1048576.0,
		val(cur, "aslrt_store_compactions_total", ""));
	fprintf(o, "%-32s %10s %12s %10s %10s\n", "state", "now", "entered", "entered/s",
		"retries");
	for (int i = 0; i < m->nstates; i++) {
		const char *n = m->states[i].name;
		fprintf(o, "%-32.32s %10.0f %12.0f %10.0f %10.0f\n", n,
			val(cur, "aslrt_executions_in_state", n),
			val(cur, "aslrt_state_entered_total", n),
			rate(cur, prev, "aslrt_state_entered_total", n),
			val(cur, "aslrt_task_retries_total", n));
	}
	int any = 0;
	for (int i = 0; i < cur->n; i++)
		if (strcmp(cur->s[i].name, "aslrt_executions_failed_total") == 0) {
			fprintf(o, "%s  %-40s %10.0f\n", any++ ? "" : "\nfailures by error\n",
				cur->s[i].label, cur->s[i].v);
		}
}

static volatile sig_atomic_t stop_top;

static void on_signal(int sig)
{
	(void)sig;
	stop_top = 1;
}

int rt_top_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv)
{
	const char *store = NULL, *interval = NULL;
	int once = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--once") == 0) {
			once = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("Usage: %s top [--store DIR] [--once] [--interval S]\n"
			       "A live view of the worker that owns the store, from the metrics it\n"
			       "publishes every second (DIR/%s). --once prints one frame.\n",
			       prog, RT_METRICS_FILE);
			return 0;
		}
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		if (len == 7 && strncmp(a, "--store", 7) == 0)
			slot = &store;
		else if (len == 10 && strncmp(a, "--interval", 10) == 0)
			slot = &interval;
		if (!slot || *slot || (!eq && i + 1 >= argc)) {
			fprintf(stderr, "%s: top: bad option '%s' (try '%s top --help')\n", prog, a,
				prog);
			return EXIT_USAGE;
		}
		*slot = eq ? eq + 1 : argv[++i];
	}
	double every = 1;
	if (interval) {
		char *end = NULL;
		every = strtod(interval, &end);
		if (!*interval || *end || !(every >= 0.1 && every <= 3600)) {
			fprintf(stderr, "%s: top: --interval takes seconds from 0.1 to 3600, not '%s'\n",
				prog, interval);
			return EXIT_USAGE;
		}
	}
	char *owned = NULL;
	const char *dir = rt_cli_store(m, store, &owned);
	char *path = rt_fmt("%s/%s", dir, RT_METRICS_FILE);
	struct frame a = { rt_calloc(MAX_SAMPLES, sizeof(struct sample)), 0, 0 };
	struct frame b = { rt_calloc(MAX_SAMPLES, sizeof(struct sample)), 0, 0 };
	int rc = 0;
	if (!path || !a.s || !b.s) {
		fprintf(stderr, "%s: top: out of memory\n", prog);
		rc = EXIT_USAGE;
	} else if (once) {
		if (read_frame(path, &a) != 0) {
			fprintf(stderr, "%s: top: nothing published in %s (no worker ran with this "
				"store?): %s\n", prog, path, strerror(errno));
			rc = 1;
		} else {
			draw(stdout, m, dir, &a, NULL);
		}
	} else {
		struct sigaction sa, old_int, old_term;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		struct frame *cur = &a, *prev = NULL;
		fputs("\033[?25l", stdout);        /* hide the cursor */
		while (!stop_top) {
			fputs("\033[H\033[2J", stdout);
			if (read_frame(path, cur) != 0) {
				printf("%s top: waiting for a worker to publish %s ...\n",
				       m->name ? m->name : "", path);
				prev = NULL;
			} else {
				draw(stdout, m, dir, cur, prev);
				prev = cur;
				cur = cur == &a ? &b : &a;
			}
			fflush(stdout);
			struct timespec ts = { (time_t)every,
					       (long)((every - (double)(time_t)every) * 1e9) };
			nanosleep(&ts, NULL);
		}
		fputs("\033[?25h\n", stdout);      /* the cursor back */
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	rt_free(a.s);
	rt_free(b.s);
	rt_free(path);
	rt_free(owned);
	return rc;
}
