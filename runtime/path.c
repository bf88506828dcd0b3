/*
 * path.c - evaluating compiled JSONPaths (rt_path_select) and storing a value
 * at a reference path (rt_path_set, ResultPath).
 *
 * AWS Step Functions evaluates JSONPath with Jayway JsonPath ("Using JSONPath
 * paths", Step Functions Developer Guide), so its rules are followed here:
 *  - a definite path (only .name, ['name'], [n]) selects one node or none;
 *  - any other path collects every match, depth first in document order, into
 *    a new array (Jayway returns a list for indefinite paths);
 *  - a segment that does not apply to a node (a field of an array, an index
 *    of an object, ...) simply selects nothing there;
 *  - a negative index counts from the end; slices follow Python (Jayway's
 *    [from:to] with negative bounds counts from the end; the step is ours);
 *  - a filter applied to an array tests each element, applied to an object
 *    tests the object itself (Jayway's PredicatePathToken);
 *  - `..name` visits a node before its descendants (Jayway's ScanPathToken).
 */
#include "rt.h"

#include <stdarg.h>
#include <string.h>

/* The state of one indefinite selection. */
struct walk {
	const struct rt_roots *r;
	cJSON *out;                    /* copies of the matches                 */
	int failed;                    /* out of memory                         */
};

static int filter_test(struct walk *w, const struct aslrt_filter *f, const cJSON *cur);
static void walk(struct walk *w, const struct aslrt_path *p, int i, const cJSON *node);

/* The document p starts from (borrowed), or NULL. */
static const cJSON *root_of(const struct aslrt_path *p, const struct rt_roots *r)
{
	switch (p->root) {
	case ASLRT_ROOT_INPUT:
		return r->input;
	case ASLRT_ROOT_CONTEXT:
		if (r->context)
			return r->context;
		return r->x ? rt_context(r->x) : NULL;
	case ASLRT_ROOT_CURRENT:
		return r->current;
	case ASLRT_ROOT_VAR:
		return r->x ? rt_var_get(r->x, p->var) : NULL;
	}
	return NULL;
}

/* Element i of array a, negative i counting from the end; NULL when out of
 * range or a is not an array. */
static cJSON *array_at(const cJSON *a, long i)
{
	if (!a || (a->type & 0xFF) != cJSON_Array)
		return NULL;
	if (i < 0 && (i += cJSON_GetArraySize(a)) < 0)
		return NULL;
	cJSON *c = a->child;           /* one walk: NULL past the end */
	for (; c && i > 0; i--)
		c = c->next;
	return c;
}

/* Member name of o (the first, as cJSON_GetObjectItemCaseSensitive), or NULL
 * when o is not an object or has none. Keys stored by ResultPath and
 * templates are the generated program's own strings, so a pointer compare
 * often decides; otherwise the first byte does, before any strcmp. */
static cJSON *field_of(const cJSON *o, const char *name)
{
	if (!o || (o->type & 0xFF) != cJSON_Object)   /* cJSON_IsObject, inline */
		return NULL;
	for (cJSON *c = o->child; c; c = c->next)
		if (c->string && (c->string == name ||
				  (c->string[0] == name[0] && strcmp(c->string, name) == 0)))
			return c;
	return NULL;
}

/* ------------------------------------------------------------- slices */

/* Python's slice.indices(): the first index, the stop (exclusive) and the
 * step of s over an array of n elements. */
static void slice_bounds(const struct aslrt_seg *s, long n, long *start, long *stop,
			 long *step)
{
	long st = s->has_step ? s->step : 1;
	long lo = st < 0 ? -1 : 0, hi = st < 0 ? n - 1 : n;
	long a = s->has_start ? s->start : (st < 0 ? hi : lo);
	long b = s->has_end ? s->end : (st < 0 ? lo : hi);
	if (s->has_start) {
		if (a < 0)
			a += n;
		a = a < lo ? lo : a > hi ? hi : a;
	}
	if (s->has_end) {
		if (b < 0)
			b += n;
		b = b < lo ? lo : b > hi ? hi : b;
	}
	*start = a;
	*stop = b;
	*step = st;
}

static void walk_slice(struct walk *w, const struct aslrt_path *p, int i,
		       const cJSON *node)
{
	if (!cJSON_IsArray(node))
		return;
	long n = cJSON_GetArraySize(node), a, b, st;
	slice_bounds(&p->seg[i], n, &a, &b, &st);
	if (st > 0) {
		long k = 0;
		for (const cJSON *c = node->child; c && k < b; c = c->next, k++)
			if (k >= a && (k - a) % st == 0)
				walk(w, p, i + 1, c);
		return;
	}
	/* Backwards: index the elements once. */
	if (a <= b)
		return;
	const cJSON **v = rt_malloc((size_t)n * sizeof *v);
	if (!v) {
		w->failed = 1;
		return;
	}
	long k = 0;
	for (const cJSON *c = node->child; c; c = c->next)
		v[k++] = c;
	for (k = a; k > b; k += st)
		walk(w, p, i + 1, v[k]);
	rt_free(v);
}

/* ------------------------------------------------------------ walking */

/* `..name` / `..*` at node: the segment applied to node, then to every
 * descendant, each node before its children. */
static void walk_descent(struct walk *w, const struct aslrt_path *p, int i,
			 const cJSON *node)
{
	const struct aslrt_seg *s = &p->seg[i];
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return;
	if (s->name) {
		const cJSON *c = field_of(node, s->name);
		if (c)
			walk(w, p, i + 1, c);
	} else {
		for (const cJSON *c = node->child; c; c = c->next)
			walk(w, p, i + 1, c);
	}
	for (const cJSON *c = node->child; c && !w->failed; c = c->next)
		walk_descent(w, p, i, c);
}

static void walk_union(struct walk *w, const struct aslrt_path *p, int i,
		       const cJSON *node)
{
	const struct aslrt_seg *s = &p->seg[i];
	for (int k = 0; k < s->n; k++) {
		const cJSON *c = s->names ? field_of(node, s->names[k])
					  : s->indexes ? array_at(node, s->indexes[k]) : NULL;
		if (c)
			walk(w, p, i + 1, c);
	}
}

static void walk_filter(struct walk *w, const struct aslrt_path *p, int i,
			const cJSON *node)
{
	const struct aslrt_filter *f = p->seg[i].filter;
	if (cJSON_IsArray(node)) {
		for (const cJSON *c = node->child; c && !w->failed; c = c->next)
			if (filter_test(w, f, c))
				walk(w, p, i + 1, c);
	} else if (cJSON_IsObject(node) && filter_test(w, f, node)) {
		walk(w, p, i + 1, node);
	}
}

/* Apply segments i.. of p to node; every node reached past the last one is
 * copied into w->out. */
static void walk(struct walk *w, const struct aslrt_path *p, int i, const cJSON *node)
{
	if (w->failed)
		return;
	if (i == p->nseg) {
		cJSON *copy = cJSON_Duplicate(node, 1);
		if (!copy || !cJSON_AddItemToArray(w->out, copy)) {
			cJSON_Delete(copy);
			w->failed = 1;
		}
		return;
	}
	const struct aslrt_seg *s = &p->seg[i];
	const cJSON *c;
	switch (s->kind) {
	case ASLRT_SEG_FIELD:
		if ((c = field_of(node, s->name)))
			walk(w, p, i + 1, c);
		break;
	case ASLRT_SEG_INDEX:
		if ((c = array_at(node, s->index)))
			walk(w, p, i + 1, c);
		break;
	case ASLRT_SEG_WILDCARD:
		if (cJSON_IsObject(node) || cJSON_IsArray(node))
			for (c = node->child; c; c = c->next)
				walk(w, p, i + 1, c);
		break;
	case ASLRT_SEG_SLICE:
		walk_slice(w, p, i, node);
		break;
	case ASLRT_SEG_UNION:
		walk_union(w, p, i, node);
		break;
	case ASLRT_SEG_DESCENT:
		walk_descent(w, p, i, node);
		break;
	case ASLRT_SEG_FILTER:
		walk_filter(w, p, i, node);
		break;
	}
}

/* An indefinite path: every match, copied into a new array (*scratch). Kept
 * out of line so that the common definite case stays a small function. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static const cJSON *select_all(const struct aslrt_path *p, const struct rt_roots *r,
			       const cJSON *node, cJSON **scratch);

const cJSON *rt_path_select(const struct aslrt_path *p, const struct rt_roots *r,
			    cJSON **scratch)
{
	*scratch = NULL;
	const cJSON *node = root_of(p, r);
	if (!p->definite)
		return select_all(p, r, node, scratch);
	for (int i = 0; i < p->nseg && node; i++)
		node = p->seg[i].kind == ASLRT_SEG_FIELD ? field_of(node, p->seg[i].name)
							 : array_at(node, p->seg[i].index);
	return node;
}

static const cJSON *select_all(const struct aslrt_path *p, const struct rt_roots *r,
			       const cJSON *node, cJSON **scratch)
{
	struct walk w = { .r = r, .out = cJSON_CreateArray() };
	if (!w.out)
		return NULL;
	if (node)
		walk(&w, p, 0, node);
	if (w.failed) {
		cJSON_Delete(w.out);
		return NULL;
	}
	*scratch = w.out;
	return w.out;
}

/* ------------------------------------------------------------ filters */

/* A JSON value or filter constant, seen for comparison. */
enum vtype { V_NONE, V_NULL, V_BOOL, V_NUM, V_STR, V_ARRAY, V_OBJECT };

struct val {
	enum vtype t;
	int b;
	double num;
	const char *str;
	const cJSON *node;
};

static struct val of_json(const cJSON *j)
{
	struct val v = { .t = V_NONE, .node = j };
	if (!j)
		return v;
	if (cJSON_IsNull(j))
		v.t = V_NULL;
	else if (cJSON_IsBool(j))
		v.t = V_BOOL, v.b = cJSON_IsTrue(j);
	else if (cJSON_IsNumber(j))
		v.t = V_NUM, v.num = j->valuedouble;
	else if (cJSON_IsString(j))
		v.t = V_STR, v.str = j->valuestring;
	else if (cJSON_IsArray(j))
		v.t = V_ARRAY;
	else if (cJSON_IsObject(j))
		v.t = V_OBJECT;
	return v;
}

static struct val of_tmpl(const struct aslrt_tmpl *t)
{
	struct val v = { .t = V_NONE };
	switch (t->kind) {
	case ASLRT_T_NULL: v.t = V_NULL; break;
	case ASLRT_T_TRUE: v.t = V_BOOL; v.b = 1; break;
	case ASLRT_T_FALSE: v.t = V_BOOL; v.b = 0; break;
	case ASLRT_T_NUMBER: v.t = V_NUM; v.num = t->num; break;
	case ASLRT_T_STRING: v.t = V_STR; v.str = t->str; break;
	default: break;
	}
	return v;
}

/* The comparison rules of the brief, after Jayway: numbers with numbers and
 * strings with strings under all six operators; booleans, null, arrays and
 * objects only under == and != (by value); sides of different types, or a
 * side that selected nothing, make any comparison false. */
static int compare(enum aslrt_filter_op op, struct val a, struct val b)
{
	if (a.t == V_NONE || a.t != b.t)
		return 0;
	int c;
	switch (a.t) {
	case V_NUM:
		c = a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
		break;
	case V_STR:
		c = strcmp(a.str, b.str);
		break;
	case V_BOOL:
		c = a.b != b.b;
		break;
	case V_NULL:
		c = 0;
		break;
	default:
		c = !cJSON_Compare(a.node, b.node, 1);
		break;
	}
	int ordered = a.t == V_NUM || a.t == V_STR;
	switch (op) {
	case ASLRT_F_EQ: return c == 0;
	case ASLRT_F_NE: return c != 0;
	case ASLRT_F_LT: return ordered && c < 0;
	case ASLRT_F_LE: return ordered && c <= 0;
	case ASLRT_F_GT: return ordered && c > 0;
	case ASLRT_F_GE: return ordered && c >= 0;
	default: return 0;
	}
}

/* Select with q for the filter's current node. Returns the selection (or
 * NULL); *scratch takes what must be freed. Out of memory marks w failed. */
static const cJSON *filter_select(struct walk *w, const struct aslrt_path *q,
				  const cJSON *cur, cJSON **scratch)
{
	struct rt_roots rr = *w->r;
	rr.current = cur;
	const cJSON *v = rt_path_select(q, &rr, scratch);
	if (!v && !q->definite)
		w->failed = 1;
	return v;
}

/* The truth of f for the current node cur. `[?(@.x)]` holds when @.x selects
 * something (a non-empty list for an indefinite path). */
static int filter_test(struct walk *w, const struct aslrt_filter *f, const cJSON *cur)
{
	if (w->failed)
		return 0;
	switch (f->op) {
	case ASLRT_F_AND:
		return filter_test(w, f->a, cur) && filter_test(w, f->b, cur);
	case ASLRT_F_OR:
		return filter_test(w, f->a, cur) || filter_test(w, f->b, cur);
	case ASLRT_F_NOT:
		return !filter_test(w, f->a, cur);
	default:
		break;
	}
	cJSON *s1 = NULL, *s2 = NULL;
	const cJSON *l = filter_select(w, f->lhs, cur, &s1);
	int res;
	if (f->op == ASLRT_F_EXISTS) {
		res = l && (f->lhs->definite || cJSON_GetArraySize(l) > 0);
	} else if (f->rhs_path) {
		const cJSON *r = filter_select(w, f->rhs_path, cur, &s2);
		res = compare(f->op, of_json(l), of_json(r));
	} else {
		res = compare(f->op, of_json(l), of_tmpl(f->rhs));
	}
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	return res && !w->failed;
}

/* ------------------------------------------------------------ setting */

/* A new message (free with rt_free), or NULL when out of memory. */
static char *msgf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	char *m = rt_malloc((size_t)len + 1);
	if (!m)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(m, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return m;
}

/* Fail rt_path_set at segment i: AWS words this "Unable to apply ResultPath
 * ... to input ..." (States.ResultPathMatchFailure); we also name the step.
 * The input is printed compactly and clipped to keep the message small. */
static int set_fail(const struct aslrt_path *p, int i, const cJSON *doc, char **why)
{
	enum { CLIP = 200 };
	char step[48];
	const struct aslrt_seg *s = &p->seg[i];
	if (s->kind == ASLRT_SEG_INDEX)
		snprintf(step, sizeof step, "[%ld]", s->index);
	else if (s->kind == ASLRT_SEG_FIELD)
		snprintf(step, sizeof step, "%.40s", s->name);
	else
		snprintf(step, sizeof step, "#%d", i + 1);
	char *in = doc ? rt_json_print(doc) : NULL;
	const char *shown = in ? in : "null";
	int clip = (int)strlen(shown) > CLIP;
	*why = msgf("Unable to apply step \"%s\" of ResultPath \"%s\" to input %.*s%s", step,
		    p->text ? p->text : "$", CLIP, shown, clip ? "..." : "");
	if (in)
		rt_free(in);
	return -1;
}

/* set_fail, after freeing value_take. */
static int set_fail_take(const struct aslrt_path *p, int i, const cJSON *doc,
			 cJSON *value_take, char **why)
{
	cJSON_Delete(value_take);
	return set_fail(p, i, doc, why);
}

/* Store v (taken) as member name of object o in place of old (a member of o,
 * or NULL to append). The key is name itself, not a copy: paths and templates
 * are the generated program's static data, which outlives every document
 * (cJSON's "constant string" keys, as tmpl.c uses). Returns 0, or -1 out of
 * memory (v freed). */
static int put_member(cJSON *o, cJSON *old, const char *name, cJSON *v)
{
	if (!old)
		return cJSON_AddItemToObjectCS(o, name, v) ? 0 : (cJSON_Delete(v), -1);
	if (v->string && !(v->type & cJSON_StringIsConst))
		cJSON_free(v->string);
	v->string = (char *)(void *)name;   /* const: never freed by cJSON */
	v->type |= cJSON_StringIsConst;
	return cJSON_ReplaceItemViaPointer(o, old, v) ? 0 : (cJSON_Delete(v), -1);
}

/* AWS ResultPath ("Specifying state output using ResultPath"): `$` replaces
 * the input; `$.a.b` stores the result at a.b, creating the objects that are
 * missing; a value in the way that is not an object is an error, and so is an
 * index that does not name an existing array element. The document is left
 * untouched when the call fails. */
int rt_path_set(const struct aslrt_path *p, cJSON **doc, cJSON *value_take, char **why)
{
	*why = NULL;
	if (p && p->root != ASLRT_ROOT_INPUT) {
		cJSON_Delete(value_take);
		*why = msgf("ResultPath \"%s\" must start with '$'", p->text ? p->text : "");
		return -1;
	}
	if (!p || p->nseg == 0) {
		cJSON_Delete(*doc);
		*doc = value_take;
		return 0;
	}
	/* Walk to the last node that exists, checking every step, so that a
	 * path that cannot be applied leaves the document untouched: FIELD steps
	 * need an object, INDEX steps an existing element, and once a member is
	 * missing only FIELD steps (objects to create) may follow. */
	cJSON *cur = *doc, *next = NULL;
	int i = 0;
	for (;; i++) {
		const struct aslrt_seg *s = &p->seg[i];
		if (s->kind == ASLRT_SEG_FIELD && cJSON_IsObject(cur))
			next = field_of(cur, s->name);
		else if (s->kind != ASLRT_SEG_INDEX || !(next = array_at(cur, s->index)))
			return set_fail_take(p, i, *doc, value_take, why);
		if (!next || i == p->nseg - 1)
			break;
		cur = next;
	}
	for (int k = i + 1; k < p->nseg; k++)
		if (p->seg[k].kind != ASLRT_SEG_FIELD)
			return set_fail_take(p, k, *doc, value_take, why);
	/* Build what is missing detached, then attach it with one call, so
	 * running out of memory changes nothing either. */
	cJSON *v = value_take;
	for (int k = p->nseg - 1; k > i; k--) {
		cJSON *o = cJSON_CreateObject();
		if (!o || put_member(o, NULL, p->seg[k].name, v)) {
			if (o)
				cJSON_Delete(o);
			else
				cJSON_Delete(v);
			goto oom;
		}
		v = o;
	}
	const struct aslrt_seg *s = &p->seg[i];
	if (s->kind == ASLRT_SEG_FIELD) {
		if (put_member(cur, next, s->name, v))
			goto oom;
		return 0;
	}
	long n = cJSON_GetArraySize(cur), k = s->index < 0 ? s->index + n : s->index;
	if (!cJSON_ReplaceItemInArray(cur, (int)k, v)) {
		cJSON_Delete(v);
		goto oom;
	}
	return 0;
oom:
	*why = msgf("out of memory applying ResultPath \"%s\"", p->text ? p->text : "$");
	return -1;
}
