/*
 * harness.h - the command line shared by the hand-written C baselines of the
 * benchmark (bench/baseline/order.c, choice_loop.c): the same `run` and `bench` commands as a
 * program built by aslc, so bench/run.sh measures both the same way.
 *
 *   BASELINE run   --input JSON|@FILE                  -> the output JSON
 *   BASELINE bench --input JSON|@FILE --duration S [--in-flight N]
 *       -> {"executions","transitions","seconds","peak_rss_kb","failed","in_flight"}
 *
 * A baseline is the workflow's work coded directly with cJSON: no libaslrt,
 * no tables, no generic pipeline. It defines bl_execute() and nothing else.
 *
 * harness.c also stands in for the three functions of aslrt.h that the order
 * workflow's task handlers (examples/order/handlers.c, linked unchanged) call:
 * aslrt_task_register (a plain table, read with bl_handler), aslrt_error_set and
 * aslrt_error_clear. aslrt.h is included for those declarations and types only.
 */
#ifndef BL_HARNESS_H
#define BL_HARNESS_H

#include <aslrt.h>

/* One execution on input_take (taken). Returns 0 with *output new (SUCCEEDED)
 * or 1 with err filled (FAILED; free with aslrt_error_clear), and adds the
 * states entered to *transitions. Must be thread-safe. */
int bl_execute(cJSON *input_take, cJSON **output, struct aslrt_error *err, long *transitions);

/* The handler registered (ASLRT_TASK) for exactly this resource ARN, or NULL. */
aslrt_task_fn bl_handler(const char *arn);

#endif /* BL_HARNESS_H */
