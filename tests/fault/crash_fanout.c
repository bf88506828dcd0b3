/*
 * crash_fanout.c - the crash driver's fan-out workload
 * (crash_fanout.asl.json): Tasks before, inside the two branches of a
 * Parallel (one of them retried on "Flaky"), inside each iteration of an
 * inline Map (retried too) and inside a Parallel nested in the iteration,
 * and after. Every task's result is a pure function of its state, input and
 * attempt, so an uncrashed in-memory run gives the same outputs.
 */
#include "crash_workload.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern const struct aslrt_machine fanout_machine;

/* Every task: {"state", "h": a hash of its input, "attempt"}, or the error
 * Flaky at attempt 0 when the input says "flaky": true. */
static int work(const struct aslrt_task_ctx *ctx, const cJSON *in, cJSON **out,
		struct aslrt_error *err)
{
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "flaky")) && ctx->attempt == 0) {
		aslrt_error_set(err, "Flaky", "%s failed at its first attempt", ctx->state);
		return -1;
	}
	char *text = cJSON_PrintUnformatted(in);
	uint64_t h = 0xcbf29ce484222325u;
	for (const char *p = text ? text : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3u;
	cJSON_free(text);
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "state", ctx->state) ||
	    !cJSON_AddNumberToObject(o, "h", (double)(h % 1000003u)) ||
	    !cJSON_AddNumberToObject(o, "attempt", ctx->attempt)) {
		cJSON_Delete(o);
		aslrt_error_set(err, "OutOfMemory", NULL);
		return -1;
	}
	*out = o;
	return 0;
}

/* Execution n: {"n", "flaky", "items": 1 to 5 of {"sku", "flaky"}}. */
static cJSON *fanout_input(long n)
{
	cJSON *in = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(in, "items");
	cJSON_AddNumberToObject(in, "n", (double)n);
	cJSON_AddBoolToObject(in, "flaky", n % 3 == 0);
	for (long k = 0; items && k < 1 + n % 5; k++) {
		cJSON *it = cJSON_CreateObject();
		long sku = (n * 7 + k) % 16;
		cJSON_AddNumberToObject(it, "sku", (double)sku);
		cJSON_AddBoolToObject(it, "flaky", sku % 4 == 0);
		if (!cJSON_AddItemToArray(items, it))
			cJSON_Delete(it);
	}
	if (cJSON_GetArraySize(in) != 3 || cJSON_GetArraySize(items) != 1 + n % 5) {
		cJSON_Delete(in);
		return NULL;
	}
	return in;
}

static void fanout_setup(void)
{
	for (int i = 0; i < fanout_machine.nresources; i++)
		if (aslrt_task_register(fanout_machine.resources[i], work, NULL) != 0)
			exit(2);
}

const struct crash_workload crash_workload = { &fanout_machine, fanout_input, fanout_setup };
