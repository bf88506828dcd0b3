/*
 * tmpl.c - building JSON from compiled payload templates (Parameters,
 * ResultSelector, Pass Result). Object keys point at the generated code's
 * static strings (cJSON's "constant string" keys), so building a template
 * copies no key.
 */
#include "rt.h"

#include <stdint.h>
#include <string.h>

#include "jnrefs.h"
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

/* What one JSONata evaluation binds: $states (only the members the
 * expression names, when it names them all as `$states.<member>`) and each
 * workflow variable it reads that is in scope. */
struct jn_binds {
	const struct rt_roots *r;
	struct aslrt_jn_binding b[32];
	int nb, overflow;
	unsigned states;               /* members of $states wanted (bits)      */
};

enum { JN_INPUT = 1, JN_CONTEXT = 2, JN_RESULT = 4, JN_ERROR_OUTPUT = 8, JN_ALL = 15 };

/* What an expression reads, from one walk of its tree (rt_jn_refs): the
 * $states members (bits) and the distinct other names it reads (functions
 * among them; pointers into the expression's static data). Up to
 * JN_MAX_NAMES names; more makes the summary unusable (the caller walks
 * again). */
#define JN_MAX_NAMES 40
struct jn_reads {
	const struct aslrt_jn_expr *e;
	unsigned states;
	int n, full;
	const char *names[JN_MAX_NAMES];
};

static void reads_ref(void *ctx, enum rt_jn_ref_kind kind, const char *name, const char *member,
		      const struct aslrt_jn_node *node)
{
	struct jn_reads *k = ctx;
	(void)node;
	if (kind != RT_JN_READ)
		return;
	if (strcmp(name, "states") == 0) {
		k->states |= !member ? JN_ALL : strcmp(member, "input") == 0 ? JN_INPUT
			     : strcmp(member, "context") == 0 ? JN_CONTEXT
			     : strcmp(member, "result") == 0 ? JN_RESULT
			     : strcmp(member, "errorOutput") == 0 ? JN_ERROR_OUTPUT : 0;
		return;
	}
	for (int i = 0; i < k->n; i++)
		if (strcmp(k->names[i], name) == 0)
			return;
	if (k->n == JN_MAX_NAMES)
		k->full = 1;
	else
		k->names[k->n++] = name;
}

/* The summary of e (borrowed: a per-thread cache entry, valid until the
 * next call; the expressions are static data, so an entry keyed by the
 * expression's address stays right). A walk per evaluation was a tenth of
 * a JSONata state's time (bench choice_loop_jsonata). */
static const struct jn_reads *jn_reads_of(const struct aslrt_jn_expr *e)
{
	static _Thread_local struct jn_reads cache[32];
	struct jn_reads *k = &cache[((uintptr_t)e >> 4) % 32];
	if (k->e == e)
		return k;
	memset(k, 0, sizeof *k);
	rt_jn_refs(e->root, reads_ref, k);
	k->e = e;
	return k;
}

/* The uncached way, for an expression that reads more names than a
 * summary holds: each read bound as the walk meets it. */
static void bind_ref(void *ctx, enum rt_jn_ref_kind kind, const char *name, const char *member,
		     const struct aslrt_jn_node *node)
{
	struct jn_binds *k = ctx;
	struct jn_reads one = { 0 };
	reads_ref(&one, kind, name, member, node);
	k->states |= one.states;
	const cJSON *v = one.n && k->r->x ? rt_var_get(k->r->x, name) : NULL;
	if (!v)
		return;
	for (int i = 1; i < k->nb; i++)     /* b[0]: $states, set later */
		if (strcmp(k->b[i].name, name) == 0)
			return;
	if (k->nb == (int)(sizeof k->b / sizeof k->b[0]))
		k->overflow = 1;
	else {
		k->b[k->nb].name = name;
		k->b[k->nb++].value = v;
	}
}

/* Fill k from the summary: each name read that is a variable in scope. 0,
 * or -1 when more are in scope than k holds. */
static int jn_bind_vars(struct jn_binds *k, const struct rt_roots *r, const struct jn_reads *s)
{
	k->states = s->states;   /* b[0]: $states, set later */
	for (int i = 0; i < s->n; i++) {
		const cJSON *v = r->x ? rt_var_get(r->x, s->names[i]) : NULL;
		if (!v)
			continue;
		if (k->nb == (int)(sizeof k->b / sizeof k->b[0]))
			return -1;
		k->b[k->nb].name = s->names[i];
		k->b[k->nb++].value = v;
	}
	return 0;
}

/* The $states object for the members in want (cJSON references: new
 * memory that owns none of the referred values), or NULL out of memory. */
static cJSON *jn_states(const struct rt_roots *r, unsigned want)
{
	struct aslrt_exec *x = r->x;
	cJSON *states = cJSON_CreateObject();
	const cJSON *ctx = !(want & JN_CONTEXT) ? NULL : r->context ? r->context
			   : x ? rt_context(x) : NULL;
	const cJSON *result = x && (want & JN_RESULT) ? x->jn_result : NULL;
	const cJSON *eo = x && (want & JN_ERROR_OUTPUT) ? x->jn_error_output : NULL;
	if (!states || (r->input && (want & JN_INPUT) &&
			!cJSON_AddItemReferenceToObject(states, "input", (cJSON *)r->input)) ||
	    (ctx && !cJSON_AddItemReferenceToObject(states, "context", (cJSON *)ctx)) ||
	    (result && !cJSON_AddItemReferenceToObject(states, "result", (cJSON *)result)) ||
	    (eo && !cJSON_AddItemReferenceToObject(states, "errorOutput", (cJSON *)eo))) {
		cJSON_Delete(states);
		return NULL;
	}
	return states;
}

/* A node with none of the annotations that change how a path step
 * evaluates (predicates, stages, bindings, group-by, keep-array). */
static int plain_node(const struct aslrt_jn_node *n)
{
	return !n->flags && !n->npred && !n->nstages && !n->ngroup && !n->focus && !n->index &&
	       !n->ancestor;
}

/* The value that expression root selects when it is a plain path
 * `$states.<member>.a.b...` or `$var.a.b...` (field names only, no
 * predicate), walked directly over the cJSON data; NULL when root is not
 * such a path or the walk meets anything but an object before the last
 * step, or a missing member: the engine then evaluates it, with JSONata's
 * mapping over arrays and its errors. On objects a JSONata path step is a
 * member lookup and the last step's value is returned as it is, arrays
 * included ("Transforming data with JSONata in Step Functions" uses
 * `$states.input.title`); this spares converting the whole input into the
 * engine's values for each Arguments field. Borrowed. */
static const cJSON *plain_path(const struct aslrt_jn_node *root, const struct rt_roots *r)
{
	const struct aslrt_jn_node *const *steps = &root;
	int n = 1;
	if (root->kind == ASLRT_JN_PATH) {
		if (!plain_node(root))
			return NULL;
		steps = root->kids;
		n = root->n;
	}
	if (n < 1 || steps[0]->kind != ASLRT_JN_VARIABLE || !plain_node(steps[0]) ||
	    !steps[0]->str[0] || strcmp(steps[0]->str, "$") == 0)
		return NULL;
	int i = 1;
	const cJSON *v;
	if (strcmp(steps[0]->str, "states") == 0) {
		if (n < 2 || steps[1]->kind != ASLRT_JN_NAME || !plain_node(steps[1]) || !r->x)
			return NULL;
		const char *m = steps[1]->str;
		v = strcmp(m, "input") == 0 ? r->input
		    : strcmp(m, "result") == 0 ? r->x->jn_result
		    : strcmp(m, "errorOutput") == 0 ? r->x->jn_error_output : NULL;
		i = 2;
	} else {
		v = r->x ? rt_var_get(r->x, steps[0]->str) : NULL;
	}
	for (; v && i < n; i++) {
		const struct aslrt_jn_node *s = steps[i];
		if (s->kind != ASLRT_JN_NAME || !plain_node(s) || !cJSON_IsObject(v) ||
		    memchr(s->str, '\0', s->len))
			return NULL;
		v = cJSON_GetObjectItemCaseSensitive(v, s->str);
	}
	return v;
}

/* The value of a JSONata node: the expression evaluated with $states bound
 * to {"input": $, "context": the context object}, plus "result" while
 * x->jn_result is set (Task, Parallel, Map Output and Assign) and
 * "errorOutput" while x->jn_error_output is (a Catch), and every workflow
 * variable in scope that it reads (AWS: "Transforming data with JSONata in
 * Step Functions", "Passing data between states with variables"). $now() is
 * the time the state was entered. An evaluation error, or an undefined
 * result, is States.QueryEvaluationError. Returns new memory or NULL. */
static cJSON *build_jsonata(const struct aslrt_tmpl *t, const struct rt_roots *r,
			    struct aslrt_error *err)
{
	const cJSON *plain = plain_path(t->jn->root, r);
	if (plain) {
		cJSON *copy = cJSON_Duplicate(plain, 1);
		if (!copy) {
			aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		} else if (copy->string) {     /* a member's copy: a bare value */
			if (!(copy->type & cJSON_StringIsConst))
				cJSON_free(copy->string);
			copy->string = NULL;
			copy->type &= ~cJSON_StringIsConst;
		}
		return copy;
	}
	struct jn_binds k = { .nb = 1, .r = r };
	const struct jn_reads *s = jn_reads_of(t->jn);
	int over;
	if (s->full) {                 /* too many names to cache: bind while walking */
		rt_jn_refs(t->jn->root, bind_ref, &k);
		over = k.overflow;
	} else {
		over = jn_bind_vars(&k, r, s);
	}
	if (over) {                    /* more than the table holds */
		aslrt_error_set(err, ASLRT_ERR_QUERY_EVAL,
				"The JSONata expression '%s' reads more than %d workflow variables",
				t->jn->text ? t->jn->text : "", (int)(sizeof k.b / sizeof k.b[0]) - 1);
		return NULL;
	}
	cJSON *states = jn_states(r, k.states);
	if (!states) {
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
		return NULL;
	}
	k.b[0].name = "states";
	k.b[0].value = states;
	struct aslrt_jn_options opt = { 0 };
	if (r->x && r->x->entered_time.sec)       /* $now() stable within a state */
		opt.now_ms = r->x->entered_time.sec * 1000 + r->x->entered_time.nsec / 1000000;
	struct aslrt_jn_error je = { 0 };
	cJSON *out = NULL;
	int rc = aslrt_jn_evaluate(t->jn, NULL, k.b, k.nb, &opt, &out, &je);
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
