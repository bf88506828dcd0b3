/*
 * vars.c - workflow variables (JSONPath and JSONata modes). AWS, "Passing data between
 * states with variables": a state's Assign values are all computed from the
 * values the variables had when the state was entered, then stored at once;
 * a Parallel branch or Map iteration reads the variables of the scopes around
 * it and assigns only its own (aslc rejects shadowing at compile time).
 * Limits: 256 KiB per variable, 10 MiB per execution.
 */
#include "rt.h"

#include <string.h>

#define VAR_LIMIT (256u * 1024u)
#define TOTAL_LIMIT (10u * 1024u * 1024u)

const cJSON *rt_var_get(const struct aslrt_exec *x, const char *name)
{
	for (; x; x = x->parent) {
		const cJSON *v = x->vars ? cJSON_GetObjectItemCaseSensitive(x->vars, name) : NULL;
		if (v)
			return v;
	}
	return NULL;
}

/* Serialized size of v, as the limits count it. 0 when out of memory (the
 * store then fails on its own). */
static size_t size_of(const cJSON *v)
{
	char *s = rt_json_print(v);
	size_t n = s ? strlen(s) : 0;
	rt_free(s);
	return n;
}

cJSON *rt_assign_build(const struct aslrt_tmpl *assign, const struct rt_roots *r,
		       struct aslrt_error *err)
{
	cJSON *values = assign ? rt_tmpl_build(assign, r, err) : cJSON_CreateObject();
	if (!values && !err->error)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return values;
}

int rt_assign_store(struct aslrt_exec *x, cJSON *values_take, struct aslrt_error *err)
{
	cJSON *values = values_take;
	if (!values->child) {
		cJSON_Delete(values);
		return 0;
	}
	if (!x->vars && !(x->vars = cJSON_CreateObject())) {
		cJSON_Delete(values);
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return -1;
	}
	size_t total = x->vars_bytes;
	for (cJSON *v = values->child; v; v = v->next) {
		size_t n = size_of(v);
		const cJSON *old = cJSON_GetObjectItemCaseSensitive(x->vars, v->string);
		if (n > VAR_LIMIT) {
			aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT,
					"The value assigned to variable '%s' is %zu bytes, more than "
					"the 256 KiB a variable can hold", v->string, n);
			cJSON_Delete(values);
			return -1;
		}
		total += n - (old ? size_of(old) : 0);
	}
	if (total > TOTAL_LIMIT) {
		aslrt_error_set(err, ASLRT_ERR_DATA_LIMIT,
				"The variables of this execution would hold %zu bytes, more than "
				"the 10 MiB allowed", total);
		cJSON_Delete(values);
		return -1;
	}
	while (values->child) {
		cJSON *v = cJSON_DetachItemViaPointer(values, values->child);
		cJSON_DeleteItemFromObjectCaseSensitive(x->vars, v->string);
		/* Linked with the key it has (the template's static string, or its
		 * own copy): nothing to allocate, so the store of all the values at
		 * once cannot fail halfway and lose one. */
		cJSON_AddItemToArray(x->vars, v);
	}
	cJSON_Delete(values);
	x->vars_bytes = total;
	return 0;
}

int rt_assign(struct aslrt_exec *x, const struct aslrt_tmpl *assign, const cJSON *dollar,
	      struct aslrt_error *err)
{
	if (!assign)
		return 0;
	struct rt_roots r = { dollar, NULL, x, NULL };
	cJSON *values = rt_assign_build(assign, &r, err);
	return values ? rt_assign_store(x, values, err) : -1;
}
