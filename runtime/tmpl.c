/*
 * tmpl.c - building JSON from compiled payload templates (Parameters,
 * ResultSelector, Pass Result). Object keys point at the generated code's
 * static strings (cJSON's "constant string" keys), so building a template
 * copies no key.
 */
#include "rt.h"

#include <string.h>

#include "jsonata/jsonata.h"

/* A path that selects nothing: States.Runtime, as AWS reports it for
 * Parameters and ResultSelector. */
static void not_found(const struct aslrt_tmpl *t, const struct rt_roots *r,
		      struct aslrt_error *err)
{
	char *in = r->input ? rt_json_print(r->input) : NULL;
	aslrt_error_set(err, ASLRT_ERR_RUNTIME,
			"The JSONPath '%s' specified for the field '%s.$' could not be found "
			"in the input '%s'", t->path->text, t->key ? t->key : "",
			in ? in : "");
	rt_free(in);
}

/* A node that stands for v without copying it (new memory; cJSON_Delete frees
 * only the node): objects, arrays and strings become cJSON references to v's
 * members or text, other scalars a one-node copy. */
static cJSON *reference_to(const cJSON *v)
{
	switch (v->type & 0xFF) {
	case cJSON_Object:
		return cJSON_CreateObjectReference(v->child);
	case cJSON_Array:
		return cJSON_CreateArrayReference(v->child);
	case cJSON_String:
		return cJSON_CreateStringReference(v->valuestring);
	default:
		return cJSON_Duplicate(v, 0);
	}
}

/* The value of a PATH node: a copy of the selection, or with view set a
 * reference to it. */
static cJSON *build_path(const struct aslrt_tmpl *t, const struct rt_roots *r,
			 struct aslrt_error *err, int view)
{
	cJSON *scratch = NULL;
	const cJSON *v = rt_path_select(t->path, r, &scratch);
	if (scratch)
		return scratch;
	if (!v) {
		not_found(t, r, err);
		return NULL;
	}
	cJSON *copy = view ? reference_to(v) : cJSON_Duplicate(v, 1);
	if (!copy)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return copy;
}

static cJSON *build(const struct aslrt_tmpl *t, const struct rt_roots *r,
		    struct aslrt_error *err, int view);

/* The value of a JSONata node: the expression evaluated with $states bound
 * to {"input": $, "context": the context object} (AWS: "Transforming data
 * with JSONata in Step Functions"), plus "result" while x->jn_result is
 * set (a Task's Output). An evaluation error, or an undefined
 * result, is States.QueryEvaluationError. Returns new memory or NULL. */
static cJSON *build_jsonata(const struct aslrt_tmpl *t, const struct rt_roots *r,
			    struct aslrt_error *err)
{
	cJSON *states = cJSON_CreateObject();
	const cJSON *ctx = r->context ? r->context : r->x ? rt_context(r->x) : NULL;
	if (!states || (r->input && !cJSON_AddItemReferenceToObject(
				   states, "input", (cJSON *)r->input)) ||
	    (ctx && !cJSON_AddItemReferenceToObject(states, "context", (cJSON *)ctx)) ||
	    (r->x && r->x->jn_result &&
	     !cJSON_AddItemReferenceToObject(states, "result", (cJSON *)r->x->jn_result))) {
		cJSON_Delete(states);
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return NULL;
	}
	struct aslrt_jn_binding b = { "states", states };
	struct aslrt_jn_error je = { 0 };
	cJSON *out = NULL;
	int rc = aslrt_jn_evaluate(t->jn, NULL, &b, 1, NULL, &out, &je);
	cJSON_Delete(states);
	if (rc != 0)
		aslrt_error_set(err, ASLRT_ERR_QUERY_EVAL, "%s: %s (expression: %s)", je.code,
				je.message ? je.message : "", t->jn->text ? t->jn->text : "");
	else if (!out)
		aslrt_error_set(err, ASLRT_ERR_QUERY_EVAL,
				"The JSONata expression '%s' returned nothing (undefined)",
				t->jn->text ? t->jn->text : "");
	aslrt_jn_error_clear(&je);
	return rc == 0 ? out : NULL;
}

cJSON *rt_tmpl_build(const struct aslrt_tmpl *t, const struct rt_roots *r,
		     struct aslrt_error *err)
{
	return build(t, r, err, 0);
}

cJSON *rt_tmpl_view(const struct aslrt_tmpl *t, const struct rt_roots *r,
		    struct aslrt_error *err)
{
	return build(t, r, err, 1);
}

static cJSON *build(const struct aslrt_tmpl *t, const struct rt_roots *r,
		    struct aslrt_error *err, int view)
{
	cJSON *v = NULL;
	switch (t->kind) {
	case ASLRT_T_NULL: v = cJSON_CreateNull(); break;
	case ASLRT_T_TRUE: v = cJSON_CreateTrue(); break;
	case ASLRT_T_FALSE: v = cJSON_CreateFalse(); break;
	case ASLRT_T_NUMBER: v = cJSON_CreateNumber(t->num); break;
	case ASLRT_T_STRING: v = cJSON_CreateString(t->str); break;
	case ASLRT_T_PATH: return build_path(t, r, err, view);
	case ASLRT_T_INTRINSIC:
		return rt_call_eval(t->call, r, err);
	case ASLRT_T_JSONATA:
		return build_jsonata(t, r, err);
	case ASLRT_T_ARRAY:
	case ASLRT_T_OBJECT:
		v = t->kind == ASLRT_T_ARRAY ? cJSON_CreateArray() : cJSON_CreateObject();
		for (int i = 0; v && i < t->n; i++) {
			cJSON *item = build(&t->items[i], r, err, view);
			if (!item) {
				cJSON_Delete(v);
				return NULL;
			}
			if (t->kind == ASLRT_T_ARRAY)
				cJSON_AddItemToArray(v, item);
			else
				cJSON_AddItemToObjectCS(v, t->items[i].key, item);
		}
		break;
	}
	if (!v && !err->error)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return v;
}
