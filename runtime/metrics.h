/*
 * metrics.h - publishing a worker's counters (docs/visibility.md): the
 * Prometheus text exposition format ("Exposition formats", text format
 * 0.0.4), written atomically (a temporary file, then rename) every second
 * to DIR/metrics.prom in the store, which `PROG top` reads, and to the file
 * of `PROG worker --metrics FILE`, and once more when the worker stops.
 */
#ifndef ASLRT_METRICS_H
#define ASLRT_METRICS_H

#include "aslrt.h"
#include "counters.h"

#include <stdio.h>

/* The file in the store directory that `top` reads. */
#define RT_METRICS_FILE "metrics.prom"

/* Write c (of machine m) to f in the Prometheus text format; uptime_s and
 * now_s (Unix time) become gauges. Returns 0, or -1 when writing failed. */
int rt_metrics_print(FILE *f, const struct aslrt_machine *m, const struct rt_counters *c,
		     double uptime_s, double now_s);
/* rt_metrics_print into path, atomically. Returns 0 or -1 (errno set). */
int rt_metrics_write(const char *path, const struct aslrt_machine *m,
		     const struct rt_counters *c, double uptime_s, double now_s);

struct rt_publisher;

/* Start a thread that publishes sc's counters every interval_s seconds to
 * DIR/metrics.prom (dir: the store) and, when not NULL, to file. Returns the
 * publisher (rt_publish_stop), or NULL with *why (rt_free). */
struct rt_publisher *rt_publish_start(struct rt_sched *sc, const struct aslrt_machine *m,
				      const char *dir, const char *file, double interval_s,
				      char **why);
/* Publish once more, stop the thread and free p. Returns 0, or -1 when
 * the last write failed (NULL p: 0). */
int rt_publish_stop(struct rt_publisher *p);

/* `PROG top ...` (top.c); returns the exit status. */
int rt_top_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv);

#endif /* ASLRT_METRICS_H */
