/*
 * progress.c - the progress line of long runs (progress.h). The only output
 * of libaslrt outside the CLI files, and only to a terminal: a library that
 * prints to a pipe breaks whoever reads it, one that shows a line on a
 * terminal during a minute-long run is being polite.
 */
#include "progress.h"
#include "taskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRAW_AFTER_S 1.0               /* quiet during the first second     */
#define DRAW_EVERY_S 0.1

/* The progress that owns the terminal line, or NULL. */
static struct rt_progress *owner;

/* 1 when progress lines go to standard error: $ASLRT_PROGRESS=1 or 0
 * decides, else whether it is a terminal (and not TERM=dumb). */
static int wanted(void)
{
	const char *env = getenv("ASLRT_PROGRESS");
	if (env && *env)
		return strcmp(env, "0") != 0;
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
}

void rt_progress_begin(struct rt_progress *p, const char *label, long total, double seconds)
{
	memset(p, 0, sizeof *p);
	snprintf(p->label, sizeof p->label, "%s", label ? label : "");
	p->total = total > 0 ? total : 0;
	p->seconds = seconds > 0 ? seconds : 0;
	p->start = p->last = rt_monotonic();
	pthread_mutex_init(&p->mu, NULL);
	struct rt_progress *none = NULL;
	p->on = wanted() && __atomic_compare_exchange_n(&owner, &none, p, 0, __ATOMIC_ACQ_REL,
							 __ATOMIC_ACQUIRE);
}

/* n with thousands separators into buf (32 bytes). Returns buf. */
static char *grouped(long n, char *buf)
{
	char raw[24];
	int len = snprintf(raw, sizeof raw, "%ld", n < 0 ? -n : n);
	char *o = buf;
	if (n < 0)
		*o++ = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			*o++ = ',';
		*o++ = raw[i];
	}
	*o = '\0';
	return buf;
}

void rt_progress_format(const struct rt_progress *p, double now, char *buf, size_t cap)
{
	long done = __atomic_load_n(&p->done, __ATOMIC_RELAXED);
	long failed = __atomic_load_n(&p->failed, __ATOMIC_RELAXED);
	double el = now - p->start > 1e-6 ? now - p->start : 1e-6;
	double rate = (double)done / el;
	char a[32], b[32], c[32], f[48] = "", left[48] = "";
	if (failed)
		snprintf(f, sizeof f, ", %s failed", grouped(failed, c));
	double remaining = -1;
	if (p->total > 0 && rate > 0)
		remaining = done < p->total ? (double)(p->total - done) / rate : 0;
	else if (p->seconds > 0)
		remaining = p->seconds - el;
	if (remaining >= 0)
		snprintf(left, sizeof left, ", %.0fs left", remaining);
	if (p->total > 0)
		snprintf(buf, cap, "%s: %s/%s (%.0f%%)%s, %s/s%s", p->label, grouped(done, a),
			 grouped(p->total, b), 100.0 * (double)done / (double)p->total, f,
			 grouped((long)(rate + 0.5), c), left);
	else
		snprintf(buf, cap, "%s: %s%s, %s/s, %.0fs%s", p->label, grouped(done, a), f,
			 grouped((long)(rate + 0.5), b), el, left);
}

void rt_progress_add(struct rt_progress *p, long n, long failed)
{
	__atomic_add_fetch(&p->done, n, __ATOMIC_RELAXED);
	if (failed)
		__atomic_add_fetch(&p->failed, failed, __ATOMIC_RELAXED);
	if (!p->on || pthread_mutex_trylock(&p->mu) != 0)
		return;
	double now = rt_monotonic();
	if (now - p->start >= DRAW_AFTER_S && now - p->last >= DRAW_EVERY_S) {
		char line[160];
		rt_progress_format(p, now, line, sizeof line);
		fprintf(stderr, "\r%s\033[K", line);
		fflush(stderr);
		p->last = now;
		p->drawn = 1;
	}
	pthread_mutex_unlock(&p->mu);
}

void rt_progress_end(struct rt_progress *p)
{
	if (p->on) {
		pthread_mutex_lock(&p->mu);
		if (p->drawn) {
			fputs("\r\033[K", stderr);
			fflush(stderr);
		}
		p->drawn = 0;
		pthread_mutex_unlock(&p->mu);
		struct rt_progress *me = p;
		__atomic_compare_exchange_n(&owner, &me, NULL, 0, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
	}
	p->on = 0;
	pthread_mutex_destroy(&p->mu);
}
