/*
 * choice_loop.c - bench/workflows/choice_loop.asl.json coded by hand with
 * cJSON: Init sets $.loop to {"counter": 0}; Check goes to Increment while
 * $.loop.counter < 1000; Increment stores {"counter": counter + 1} (its
 * Parameters, States.MathAdd) at $.loop; Done ends with the whole document.
 * Each step does what the definition says (a new Parameters object stored at
 * the ResultPath), without any generic machinery.
 */
#include "harness.h"

#include <string.h>

/* Store v_take as member "loop" of doc (ResultPath $.loop). */
static int set_loop(cJSON *doc, cJSON *v_take)
{
	if (cJSON_GetObjectItemCaseSensitive(doc, "loop"))
		return cJSON_ReplaceItemInObjectCaseSensitive(doc, "loop", v_take) ? 0 : -1;
	return cJSON_AddItemToObject(doc, "loop", v_take) ? 0 : -1;
}

/* {"counter": n} */
static cJSON *counter_object(double n)
{
	cJSON *o = cJSON_CreateObject();
	if (o && !cJSON_AddNumberToObject(o, "counter", n)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int fail(cJSON *doc, struct aslrt_error *err, const char *why)
{
	cJSON_Delete(doc);
	aslrt_error_set(err, "States.Runtime", "%s", why);
	return 1;
}

int bl_execute(cJSON *doc, cJSON **output, struct aslrt_error *err, long *transitions)
{
	if (!cJSON_IsObject(doc))
		return fail(doc, err, "the input is not an object");
	(*transitions)++;                                   /* Init */
	if (set_loop(doc, counter_object(0)))
		return fail(doc, err, "out of memory");
	for (;;) {
		(*transitions)++;                           /* Check */
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(doc, "loop"), "counter");
		if (!cJSON_IsNumber(c))
			return fail(doc, err, "Invalid path '$.loop.counter'");
		if (!(c->valuedouble < 1000))
			break;
		(*transitions)++;                           /* Increment */
		if (set_loop(doc, counter_object(c->valuedouble + 1)))
			return fail(doc, err, "out of memory");
	}
	(*transitions)++;                                   /* Done */
	*output = doc;
	return 0;
}
