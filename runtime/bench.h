/*
 * bench.h - `PROG bench`, the throughput command of every program aslc builds
 * (runtime/bench.c). Private to libaslrt: cli.c dispatches to it.
 */
#ifndef ASLRT_BENCH_H
#define ASLRT_BENCH_H

#include "aslrt.h"

/* `PROG bench --input JSON|@FILE --duration SECONDS [--in-flight N]
 * [--workers N] [--mock-config F --test-case T]`: run executions of m back to
 * back for SECONDS, N at a time (N threads, each running one execution after
 * another), then print one JSON line {"executions", "transitions", "seconds",
 * "peak_rss_kb", "failed", "in_flight"} on stdout. argv[1] is "bench"; prog
 * names the program in messages. Borrows everything. Returns the exit status:
 * 0 done, 1 the runtime itself failed (out of memory), 2 usage or setup error
 * (a message on stderr). */
int rt_bench_main(const struct aslrt_machine *m, const char *prog, int argc, char **argv);

#endif /* ASLRT_BENCH_H */
