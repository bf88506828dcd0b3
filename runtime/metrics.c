/*
 * metrics.c - a worker's counters in the Prometheus text format, published
 * by a thread of the worker (metrics.h). Metric names follow Prometheus'
 * naming practice: an aslrt_ prefix, _total for counters, base units
 * (seconds, bytes). Label values are escaped as the format says: backslash,
 * double quote and newline.
 */
#include "metrics.h"
#include "rt.h"
#include "taskutil.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A label value, escaped, between double quotes. */
static void label(FILE *f, const char *v)
{
	fputc('"', f);
	for (const char *p = v ? v : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', f), fputc(*p, f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* "name{machine="M"" : the caller adds more labels and the closing brace. */
static void open_sample(FILE *f, const char *name, const struct aslrt_machine *m)
{
	fprintf(f, "%s{machine=", name);
	label(f, m->name);
}

int rt_metrics_print(FILE *f, const struct aslrt_machine *m, const struct rt_counters *c,
		     double uptime_s, double now_s)
{
	static const char *const status[5] = { "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT",
					       "ABORTED" };
	static const char *const where[7] = { "new", "runnable", "stepping", "committing",
					      "waiting", "parked", "finished" };
	head(f, "aslrt_executions_started_total", "counter",
	     "Executions started by this worker.");
	open_sample(f, "aslrt_executions_started_total", m);
	fprintf(f, "} %llu\n", c->started);
	head(f, "aslrt_executions_finished_total", "counter",
	     "Executions finished, by status.");
	for (int s = 1; s < 5; s++) {
		open_sample(f, "aslrt_executions_finished_total", m);
		fprintf(f, ",status=\"%s\"} %llu\n", status[s], c->finished[s]);
	}
	head(f, "aslrt_executions_redriven_total", "counter", "Executions redriven.");
	open_sample(f, "aslrt_executions_redriven_total", m);
	fprintf(f, "} %llu\n", c->redriven);
	head(f, "aslrt_executions_failed_total", "counter",
	     "Executions that failed, timed out or were aborted, by error name.");
	for (int i = 0; i < c->nfails; i++) {
		open_sample(f, "aslrt_executions_failed_total", m);
		fputs(",error=", f);
		label(f, c->fails[i].name);
		fprintf(f, "} %llu\n", c->fails[i].n);
	}
	if (c->fails_other) {
		open_sample(f, "aslrt_executions_failed_total", m);
		fprintf(f, ",error=\"(other)\"} %llu\n", c->fails_other);
	}
	head(f, "aslrt_executions", "gauge",
	     "Executions held by the worker now, by where they are.");
	for (int w = 0; w < 7; w++) {
		open_sample(f, "aslrt_executions", m);
		fprintf(f, ",where=\"%s\"} %ld\n", where[w], c->where[w]);
	}
	head(f, "aslrt_steps_total", "counter", "Steps run (one state, or one retry of it).");
	open_sample(f, "aslrt_steps_total", m);
	fprintf(f, "} %llu\n", c->steps);
	head(f, "aslrt_state_entered_total", "counter",
	     "State transitions: times each state was entered.");
	for (int i = 0; i < c->nstates && c->entered; i++) {
		open_sample(f, "aslrt_state_entered_total", m);
		fputs(",state=", f);
		label(f, m->states[i].name);
		fprintf(f, "} %llu\n", c->entered[i]);
	}
	head(f, "aslrt_task_retries_total", "counter", "Retry attempts decided, by state.");
	for (int i = 0; i < c->nstates && c->retries; i++) {
		if (m->states[i].nretry == 0 && !c->retries[i])
			continue;
		open_sample(f, "aslrt_task_retries_total", m);
		fputs(",state=", f);
		label(f, m->states[i].name);
		fprintf(f, "} %llu\n", c->retries[i]);
	}
	head(f, "aslrt_executions_in_state", "gauge",
	     "Executions between two steps in each state (not counting those in a step).");
	for (int i = 0; i < c->nstates && c->at; i++) {
		open_sample(f, "aslrt_executions_in_state", m);
		fputs(",state=", f);
		label(f, m->states[i].name);
		fprintf(f, "} %ld\n", c->at[i]);
	}
	static const struct {
		const char *name, *type, *help;
		size_t off;
	} store[] = {
		{ "aslrt_store_records_total", "counter", "Records appended to the store.",
		  offsetof(struct rt_store_stats, records) },
		{ "aslrt_store_bytes_total", "counter", "Bytes appended to the store.",
		  offsetof(struct rt_store_stats, bytes) },
		{ "aslrt_store_writes_total", "counter", "write() calls of the store.",
		  offsetof(struct rt_store_stats, writes) },
		{ "aslrt_store_fsyncs_total", "counter", "fdatasync() calls of the store.",
		  offsetof(struct rt_store_stats, syncs) },
		{ "aslrt_store_compactions_total", "counter", "Compactions of the live log.",
		  offsetof(struct rt_store_stats, compactions) },
		{ "aslrt_store_live_bytes", "gauge", "Size of the live log.",
		  offsetof(struct rt_store_stats, live_bytes) },
	};
	for (size_t i = 0; i < sizeof store / sizeof store[0]; i++) {
		head(f, store[i].name, store[i].type, store[i].help);
		open_sample(f, store[i].name, m);
		fprintf(f, "} %llu\n", (unsigned long long)*(const uint64_t *)(const void *)(
						      (const char *)&c->store + store[i].off));
	}
	head(f, "aslrt_worker_uptime_seconds", "gauge", "Seconds since the worker opened the store.");
	open_sample(f, "aslrt_worker_uptime_seconds", m);
	fprintf(f, "} %.3f\n", uptime_s);
	head(f, "aslrt_worker_updated_seconds", "gauge", "Unix time of this sample.");
	open_sample(f, "aslrt_worker_updated_seconds", m);
	fprintf(f, "} %.3f\n", now_s);
	head(f, "aslrt_worker_pid", "gauge", "Process id of the worker.");
	open_sample(f, "aslrt_worker_pid", m);
	fprintf(f, "} %ld\n", (long)getpid());
	return ferror(f) ? -1 : 0;
}

int rt_metrics_write(const char *path, const struct aslrt_machine *m,
		     const struct rt_counters *c, double uptime_s, double now_s)
{
	char *tmp = rt_fmt("%s.tmp-%ld", path, (long)getpid());
	FILE *f = tmp ? fopen(tmp, "w") : NULL;
	if (!f) {
		rt_free(tmp);
		return -1;
	}
	int bad = rt_metrics_print(f, m, c, uptime_s, now_s) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		rt_free(tmp);
		errno = e;
		return -1;
	}
	rt_free(tmp);
	return 0;
}

/* ------------------------------------------------------------ publisher */

struct rt_publisher {
	struct rt_sched *sc;
	const struct aslrt_machine *m;
	char *store_file, *file;
	double interval_s, since;
	struct rt_counters c;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

static double unix_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Take the counters and write both files. Returns 0 or -1. */
static int publish(struct rt_publisher *p)
{
	rt_sched_counters(p->sc, &p->c);
	double up = rt_monotonic() - p->since, now = unix_now();
	int rc = rt_metrics_write(p->store_file, p->m, &p->c, up, now);
	if (p->file && rt_metrics_write(p->file, p->m, &p->c, up, now) != 0)
		rc = -1;
	return rc;
}

static void *publisher_main(void *arg)
{
	struct rt_publisher *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		pthread_mutex_unlock(&p->mu);
		publish(p);
		pthread_mutex_lock(&p->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		double t = (double)until.tv_sec + (double)until.tv_nsec / 1e9 + p->interval_s;
		until.tv_sec = (time_t)t;
		until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
		while (!p->stop && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void publisher_free(struct rt_publisher *p)
{
	rt_counters_free(&p->c);
	rt_free(p->store_file);
	rt_free(p->file);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	rt_free(p);
}

struct rt_publisher *rt_publish_start(struct rt_sched *sc, const struct aslrt_machine *m,
				      const char *dir, const char *file, double interval_s,
				      char **why)
{
	struct rt_publisher *p = rt_calloc(1, sizeof *p);
	if (!p) {
		*why = rt_fmt("out of memory");
		return NULL;
	}
	p->sc = sc;
	p->m = m;
	p->interval_s = interval_s > 0 ? interval_s : 1;
	p->since = rt_monotonic();
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (rt_counters_init(&p->c, m->nstates) != 0 ||
	    !(p->store_file = rt_fmt("%s/%s", dir, RT_METRICS_FILE)) ||
	    (file && !(p->file = rt_strdup(file)))) {
		publisher_free(p);
		*why = rt_fmt("out of memory");
		return NULL;
	}
	if (publish(p) != 0) {          /* the first sample, and a check */
		*why = rt_fmt("cannot write the metrics to %s: %s", p->file ? p->file
								     : p->store_file,
			      strerror(errno));
		publisher_free(p);
		return NULL;
	}
	if (pthread_create(&p->thread, NULL, publisher_main, p) != 0) {
		*why = rt_fmt("cannot start the metrics thread");
		publisher_free(p);
		return NULL;
	}
	return p;
}

int rt_publish_stop(struct rt_publisher *p)
{
	if (!p)
		return 0;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	int rc = publish(p);
	publisher_free(p);
	return rc;
}
