/*
 * crash_workload.h - what the crash driver (crash_driver.c) runs: a state
 * machine whose Task resources have registered C handlers, and the input of
 * each execution. Two workloads link against the same driver:
 * crash_order.c (examples/order's workflow and fault plan) and
 * crash_fanout.c (Tasks inside Parallel branches and an inline Map).
 */
#ifndef CRASH_WORKLOAD_H
#define CRASH_WORKLOAD_H

#include <aslrt.h>

struct crash_workload {
	const struct aslrt_machine *machine;
	/* The input of execution number n (new memory; a pure function of n,
	 * so the uncrashed reference run gets the same one), or NULL. */
	cJSON *(*input)(long n);
	/* Called once before anything runs (fault plans and the like). */
	void (*setup)(void);
};

extern const struct crash_workload crash_workload;

#endif /* CRASH_WORKLOAD_H */
