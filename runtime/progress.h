/*
 * progress.h - the one progress line of long runs (docs/visibility.md): the
 * demo, large Distributed Maps, `PROG bench`. It is drawn on standard error
 * only when that is a terminal (isatty; $ASLRT_PROGRESS=1 forces it, =0
 * silences it), redrawn in place at most ten times a second, and only
 * after the run has lasted a second, so short runs and pipes stay quiet.
 * One line at a time: a progress that begins while another is on screen
 * stays silent (a Distributed Map inside the bench). Any thread may count
 * and draw; drawing is skipped, never waited for, when another thread is
 * at it.
 */
#ifndef ASLRT_PROGRESS_H
#define ASLRT_PROGRESS_H

#include <pthread.h>
#include <stddef.h>

struct rt_progress {
	char label[48];
	long total;                    /* 0: unknown                             */
	double seconds;                /* a time budget (the bench), or 0        */
	double start, last;            /* rt_monotonic()                         */
	long done, failed;             /* counted with atomics                   */
	int on;                        /* this one draws                         */
	int drawn;                     /* something is on the line               */
	pthread_mutex_t mu;            /* taken with trylock by the drawer       */
};

/* Begin a progress line for `label` (copied): total items when known (0
 * otherwise), seconds when the run has a time budget instead (0 none).
 * p is the caller's (static or on its stack) until rt_progress_end. */
void rt_progress_begin(struct rt_progress *p, const char *label, long total, double seconds);
/* Count n more items done, of which failed did not succeed, and redraw
 * when it is time. Thread-safe. */
void rt_progress_add(struct rt_progress *p, long n, long failed);
/* Erase the line (when one was drawn) and release the terminal. */
void rt_progress_end(struct rt_progress *p);
/* The line as it would be drawn now, into buf (cap bytes), without the
 * carriage return and erase sequences: "LABEL: 1,234/10,000 (12%) 5,678/s
 * 3s left". For tests and for callers that print it themselves. */
void rt_progress_format(const struct rt_progress *p, double now, char *buf, size_t cap);

#endif /* ASLRT_PROGRESS_H */
