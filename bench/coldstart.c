/*
 * coldstart.c - time a command from process start to exit, as the benchmark's
 * cold start figure: `coldstart RUNS CMD [ARGS...]` runs CMD RUNS times (its
 * stdout to /dev/null, after it printed its output) and prints one JSON line
 * {"runs","failures","ms_median","ms_min","peak_rss_kb"}.
 *
 * Why not measure from Python: a process's ru_maxrss counts the image it was
 * forked from, so children of a 20 MiB Python show at least 20 MiB. This small
 * program forks them instead, and reads their peak RSS from wait4().
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	if (runs < 1) {
		fprintf(stderr, "usage: coldstart RUNS CMD [ARGS...]\n");
		return 2;
	}
	double *ms = calloc((size_t)runs, sizeof *ms);
	long peak = 0;
	int ok = 0, failures = 0;
	for (int i = 0; ms && i < runs; i++) {
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0)
				dup2(fd, STDOUT_FILENO);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		int status = 0;
		struct rusage ru;
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
			failures++;
			continue;
		}
		double t = now_ms() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			failures++;
			continue;
		}
		ms[ok++] = t;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	if (ok == 0) {
		printf("{\"runs\":0,\"failures\":%d}\n", failures);
		return 1;
	}
	qsort(ms, (size_t)ok, sizeof *ms, cmp);
	double median = ok % 2 ? ms[ok / 2] : (ms[ok / 2 - 1] + ms[ok / 2]) / 2;
	printf("{\"runs\":%d,\"failures\":%d,\"ms_median\":%.3f,\"ms_min\":%.3f,\"peak_rss_kb\":%ld}\n",
	       ok, failures, median, ms[0], peak);
	free(ms);
	return 0;
}
