/*
 * eval.c - the evaluator's core (jsonata-js 2.0.6 jsonata.js): evaluate(),
 * location paths with their steps, stages and tuple streams (the bindings
 * `@$v`, `#$i` and the parent operator `%` need), predicates, wildcards,
 * descendants, variables, blocks, conditions, array and object
 * constructors, group-by and order-by. Operators are in eval_ops.c,
 * function application in apply.c.
 *
 * Every function returns a value, JV_UNDEF (NULL) for undefined, or JN_ERR
 * after recording the error in the context.
 */
#include "jn.h"

#include <math.h>
#include <string.h>

struct jval *jn_eval_binary(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env);
struct jval *jn_eval_negate(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env);
struct jval *jn_eval_call(struct jn_ctx *c, const struct aslrt_jn_node *e, struct jval *input,
			  struct jframe *env, int has_applyto, struct jval *applyto);
struct jval *jn_eval_lambda(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env);
struct jval *jn_eval_partial(struct jn_ctx *c, const struct aslrt_jn_node *e,
			     struct jval *input, struct jframe *env);
struct jval *jn_eval_apply(struct jn_ctx *c, const struct aslrt_jn_node *e,
			   struct jval *input, struct jframe *env);
struct jval *jn_eval_transform(struct jn_ctx *c, const struct aslrt_jn_node *e,
			       struct jframe *env);
struct jval *jn_eval_regex(struct jn_ctx *c, const struct aslrt_jn_node *e);
struct jval *jn_sort(struct jn_ctx *c, struct jarr *arr, const struct aslrt_jn_node *sort,
		     struct jframe *env, int tuples);

static struct jval *group_expr(struct jn_ctx *c, const struct aslrt_jn_node *const *pairs,
			       int npairs, int pos, struct jval *input, struct jframe *env);

/* --------------------------------------------------------------- frames */

struct jframe *jn_frame_new(struct jn_ctx *c, struct jframe *parent)
{
	struct jframe *f = jn_alloc(c, sizeof *f);
	if (f)
		f->parent = parent;
	return f;
}

int jn_frame_bind(struct jn_ctx *c, struct jframe *f, const char *name, struct jval *v)
{
	for (int i = 0; i < f->n; i++) {
		if (!strcmp(f->b[i].name, name)) {
			f->b[i].v = v;
			return 0;
		}
	}
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 4;
		struct jbind *b = jn_alloc(c, (size_t)cap * sizeof *b);
		if (!b)
			return -1;
		if (f->n)
			memcpy(b, f->b, (size_t)f->n * sizeof *b);
		f->b = b;
		f->cap = cap;
	}
	f->b[f->n].name = name;
	f->b[f->n].v = v;
	f->n++;
	return 0;
}

struct jval *jn_frame_lookup(const struct jframe *f, const char *name, int *found)
{
	for (; f; f = f->parent) {
		for (int i = 0; i < f->n; i++) {
			if (!strcmp(f->b[i].name, name)) {
				if (found)
					*found = 1;
				return f->b[i].v;
			}
		}
	}
	if (found)
		*found = 0;
	return JV_UNDEF;
}

/* createFrameFromTuple: a frame binding every member of the tuple. */
static struct jframe *frame_from_tuple(struct jn_ctx *c, struct jframe *env,
				       const struct jval *tuple)
{
	struct jframe *f = jn_frame_new(c, env);
	if (!f || jnv_type(tuple) != JT_OBJ)
		return f;   /* no tuple (an empty stream grouped): nothing to bind */
	const struct jobj *o = jnv_obj(tuple);
	for (size_t i = 0; i < o->n; i++)
		if (jn_frame_bind(c, f, o->kv[i].k->s, o->kv[i].v))
			return NULL;
	return f;
}

static struct jval *tuple_at(const struct jval *tuple)
{
	return jnv_type(tuple) == JT_OBJ ? jnv_obj_get(jnv_obj(tuple), "@", 1) : JV_UNDEF;
}

/* A shallow copy of a tuple (Object.assign({}, t)). */
static struct jobj *tuple_copy(struct jn_ctx *c, const struct jval *t)
{
	struct jobj *o = jnv_obj_new(c);
	if (!o || jnv_type(t) != JT_OBJ)
		return o;
	const struct jobj *s = jnv_obj(t);
	for (size_t i = 0; i < s->n; i++)
		if (jnv_obj_set(c, o, s->kv[i].k, s->kv[i].v))
			return NULL;
	return o;
}

/* ---------------------------------------------------------- sequences */

/* The items to iterate when a value is used as a sequence: an array's
 * items, or the value itself; undefined counts as one undefined item, as
 * createSequence(undefined) makes it in the reference. */
struct items {
	struct jval **v;
	size_t n;
	struct jval *one;
};

static void items_of(struct jval *x, struct items *it)
{
	if (jnv_type(x) == JT_ARR) {
		it->v = jnv_arr(x)->it;
		it->n = jnv_arr(x)->n;
	} else {
		it->one = x;
		it->v = &it->one;
		it->n = 1;
	}
}

/* fn.lookup: a member of an object, mapped over arrays (flattening). */
static struct jval *lookup(struct jn_ctx *c, struct jval *input, const char *key, size_t len)
{
	switch (jnv_type(input)) {
	case JT_OBJ:
		return jnv_obj_get(jnv_obj(input), key, len);
	case JT_ARR: {
		struct jarr *r = jnv_seq_new(c);
		if (!r)
			return JN_ERR;
		const struct jarr *a = jnv_arr(input);
		for (size_t i = 0; i < a->n; i++) {
			struct jval *x = lookup(c, a->it[i], key, len);
			JTRY(x);
			if (x == JV_UNDEF)
				continue;
			if (jnv_type(x) == JT_ARR) {
				if (jnv_arr_extend(c, r, jnv_arr(x)))
					return JN_ERR;
			} else if (jnv_arr_push(c, r, x)) {
				return JN_ERR;
			}
		}
		return &r->h;
	}
	default:
		return JV_UNDEF;
	}
}

struct jval *jn_lookup(struct jn_ctx *c, struct jval *input, const char *key, size_t len)
{
	return lookup(c, input, key, len);
}

/* ------------------------------------------------------------- filters */

/* evaluateFilter: keep the items of input for which the predicate is
 * truthy, or whose index it names (numbers, negative from the end). */
static struct jval *eval_filter(struct jn_ctx *c, const struct aslrt_jn_node *pred,
				struct jval *input, struct jframe *env)
{
	struct jarr *res = jnv_seq_new(c);
	if (!res)
		return JN_ERR;
	int tuples = jnv_type(input) == JT_ARR && (jnv_arr(input)->fl & JA_TUPLES);
	if (tuples)
		res->fl |= JA_TUPLES;
	struct items in;
	items_of(input, &in);
	if (pred->kind == ASLRT_JN_NUMBER) {
		double idx = floor(pred->num);
		if (idx < 0)
			idx += (double)in.n;
		if (idx >= 0 && idx < (double)in.n) {
			struct jval *item = in.v[(size_t)idx];
			if (item != JV_UNDEF) {
				if (jnv_type(item) == JT_ARR)
					return item;
				if (jnv_arr_push(c, res, item))
					return JN_ERR;
			}
		}
		return &res->h;
	}
	for (size_t i = 0; i < in.n; i++) {
		struct jval *item = in.v[i], *ctx = item;
		struct jframe *fenv = env;
		if (tuples) {
			ctx = tuple_at(item);
			if (!(fenv = frame_from_tuple(c, env, item)))
				return JN_ERR;
		}
		struct jval *r = jn_eval(c, pred, ctx, fenv);
		JTRY(r);
		int num = jn_is_numeric(c, r);
		int nums = num == 0 ? jn_is_array_of_numbers(c, r) : 0;
		if (num < 0 || nums < 0)
			return JN_ERR;
		if (num) {
			double k = floor(jnv_num(r));
			if (k < 0)
				k += (double)in.n;
			if (k == (double)i && jnv_arr_push(c, res, item))
				return JN_ERR;
		} else if (nums) {
			const struct jarr *a = jnv_arr(r);
			for (size_t j = 0; j < a->n; j++) {
				double k = floor(jnv_num(a->it[j]));
				if (k < 0)
					k += (double)in.n;
				if (k == (double)i && jnv_arr_push(c, res, item))
					return JN_ERR;
			}
		} else if (jnv_truthy(r) == 1) {
			if (jnv_arr_push(c, res, item))
				return JN_ERR;
		}
	}
	return &res->h;
}

/* evaluateStages: filters, and index bindings on tuples. */
static struct jval *eval_stages(struct jn_ctx *c, const struct aslrt_jn_node *step,
				struct jval *input, struct jframe *env)
{
	struct jval *r = input;
	for (int s = 0; s < step->nstages; s++) {
		const struct aslrt_jn_stage *st = &step->stages[s];
		if (st->filter) {
			r = eval_filter(c, st->filter, r, env);
			JTRY(r);
		} else if (jnv_type(r) == JT_ARR) {
			const struct jarr *a = jnv_arr(r);
			for (size_t i = 0; i < a->n; i++)
				if (jnv_type(a->it[i]) == JT_OBJ &&
				    jnv_obj_setc(c, jnv_obj(a->it[i]), st->index,
						jnv_number(c, (double)i)))
					return JN_ERR;
		}
	}
	return r;
}

/* ---------------------------------------------------------------- paths */

/* evaluateStep: the step over every item of input, results flattened. */
static struct jval *eval_step(struct jn_ctx *c, const struct aslrt_jn_node *step,
			      struct jarr *input, struct jframe *env, int last)
{
	if (step->kind == ASLRT_JN_SORT) {
		struct jval *r = jn_sort(c, input, step, env, 0);
		JTRY(r);
		if (step->nstages)
			r = eval_stages(c, step, r, env);
		return r;
	}
	struct jarr *res = jnv_seq_new(c);
	if (!res)
		return JN_ERR;
	for (size_t i = 0; i < input->n; i++) {
		struct jval *r = jn_eval(c, step, input->it[i], env);
		JTRY(r);
		for (int s = 0; s < step->nstages; s++) {
			r = eval_filter(c, step->stages[s].filter, r, env);
			JTRY(r);
		}
		if (r != JV_UNDEF && jnv_arr_push(c, res, r))
			return JN_ERR;
	}
	if (last && res->n == 1 && jnv_type(res->it[0]) == JT_ARR &&
	    !(jnv_arr(res->it[0])->fl & JA_SEQ))
		return res->it[0];
	struct jarr *out = jnv_seq_new(c);
	if (!out)
		return JN_ERR;
	for (size_t i = 0; i < res->n; i++) {
		struct jval *r = res->it[i];
		if (jnv_type(r) != JT_ARR || (jnv_arr(r)->fl & JA_CONS)) {
			if (jnv_arr_push(c, out, r))
				return JN_ERR;
		} else if (jnv_arr_extend(c, out, jnv_arr(r))) {
			return JN_ERR;
		}
	}
	return &out->h;
}

/* evaluateTupleStep: the step over a tuple stream (created from input on
 * the first tuple step), each result extending its tuple with the focus,
 * index and ancestor bindings. */
static struct jval *eval_tuple_step(struct jn_ctx *c, const struct aslrt_jn_node *step,
				    struct jarr *input, struct jarr *tuples, struct jframe *env)
{
	struct jarr *res;
	if (step->kind == ASLRT_JN_SORT) {
		struct jval *r;
		if (tuples) {
			r = jn_sort(c, tuples, step, env, 1);
			JTRY(r);
		} else {
			struct jval *sorted = jn_sort(c, input, step, env, 0);
			JTRY(sorted);
			if (!(res = jnv_seq_new(c)))
				return JN_ERR;
			res->fl |= JA_TUPLES;
			struct items in;
			items_of(sorted, &in);
			for (size_t i = 0; i < in.n; i++) {
				struct jobj *t = jnv_obj_new(c);
				if (!t || jnv_obj_setc(c, t, "@", in.v[i]))
					return JN_ERR;
				if (step->index &&
				    jnv_obj_setc(c, t, step->index, jnv_number(c, (double)i)))
					return JN_ERR;
				if (jnv_arr_push(c, res, &t->h))
					return JN_ERR;
			}
			r = &res->h;
		}
		if (step->nstages)
			r = eval_stages(c, step, r, env);
		return r;
	}
	if (!(res = jnv_seq_new(c)))
		return JN_ERR;
	res->fl |= JA_TUPLES;
	if (!tuples) {
		if (!(tuples = jnv_arr_new(c, input->n)))
			return JN_ERR;
		for (size_t i = 0; i < input->n; i++) {
			struct jobj *t = jnv_obj_new(c);
			if (!t || jnv_obj_setc(c, t, "@", input->it[i]) ||
			    jnv_arr_push(c, tuples, &t->h))
				return JN_ERR;
		}
	}
	for (size_t e = 0; e < tuples->n; e++) {
		struct jval *tb = tuples->it[e];
		struct jframe *senv = frame_from_tuple(c, env, tb);
		if (!senv)
			return JN_ERR;
		struct jval *r = jn_eval(c, step, tuple_at(tb), senv);
		JTRY(r);
		if (r == JV_UNDEF)
			continue;
		struct items rs;
		items_of(r, &rs);
		int rtuples = jnv_type(r) == JT_ARR && (jnv_arr(r)->fl & JA_TUPLES);
		for (size_t bb = 0; bb < rs.n; bb++) {
			struct jobj *t = tuple_copy(c, tb);
			if (!t)
				return JN_ERR;
			if (rtuples) {
				const struct jobj *src = jnv_obj(rs.v[bb]);
				for (size_t k = 0; k < src->n; k++)
					if (jnv_obj_set(c, t, src->kv[k].k, src->kv[k].v))
						return JN_ERR;
			} else {
				if (step->focus) {
					if (jnv_obj_setc(c, t, step->focus, rs.v[bb]) ||
					    jnv_obj_setc(c, t, "@", tuple_at(tb)))
						return JN_ERR;
				} else if (jnv_obj_setc(c, t, "@", rs.v[bb])) {
					return JN_ERR;
				}
				if (step->index &&
				    jnv_obj_setc(c, t, step->index, jnv_number(c, (double)bb)))
					return JN_ERR;
				if (step->ancestor &&
				    jnv_obj_setc(c, t, step->ancestor, tuple_at(tb)))
					return JN_ERR;
			}
			if (jnv_arr_push(c, res, &t->h))
				return JN_ERR;
		}
	}
	if (step->nstages)
		return eval_stages(c, step, &res->h, env);
	return &res->h;
}

/* evaluatePath. */
static struct jval *eval_path(struct jn_ctx *c, const struct aslrt_jn_node *e,
			      struct jval *input, struct jframe *env)
{
	struct jarr *inseq;
	if (jnv_type(input) == JT_ARR && e->kids[0]->kind != ASLRT_JN_VARIABLE) {
		inseq = jnv_arr(input);
	} else {
		if (!(inseq = jnv_seq_new(c)))
			return JN_ERR;
		/* createSequence(undefined) holds one undefined item */
		if (jnv_arr_push(c, inseq, input))
			return JN_ERR;
	}
	struct jval *result = JV_UNDEF;
	struct jarr *tuples = NULL;
	int tuple_mode = 0;
	for (int i = 0; i < e->n; i++) {
		const struct aslrt_jn_node *step = e->kids[i];
		if (step->flags & ASLRT_JN_TUPLE)
			tuple_mode = 1;
		if (i == 0 && (step->flags & ASLRT_JN_CONSARRAY)) {
			result = jn_eval(c, step, &inseq->h, env);
		} else if (tuple_mode) {
			struct jval *t = eval_tuple_step(c, step, inseq, tuples, env);
			JTRY(t);
			tuples = jnv_type(t) == JT_ARR ? jnv_arr(t) : NULL;
		} else {
			result = eval_step(c, step, inseq, env, i == e->n - 1);
		}
		JTRY(result);
		if (!tuple_mode && (result == JV_UNDEF ||
				    (jnv_type(result) == JT_ARR && jnv_arr(result)->n == 0)))
			break;
		if (!step->focus) {
			if (jnv_type(result) == JT_ARR) {
				inseq = jnv_arr(result);
			} else {
				if (!(inseq = jnv_seq_of(c, result)))
					return JN_ERR;
			}
		}
	}
	if (tuple_mode) {
		if (e->flags & ASLRT_JN_TUPLE) {
			result = tuples ? &tuples->h : JV_UNDEF;
		} else {
			struct jarr *r = jnv_seq_new(c);
			if (!r)
				return JN_ERR;
			for (size_t i = 0; tuples && i < tuples->n; i++)
				if (jnv_arr_push(c, r, tuple_at(tuples->it[i])))
					return JN_ERR;
			result = &r->h;
		}
	}
	if ((e->flags & ASLRT_JN_KEEP_SINGLETON) && jnv_type(result) == JT_ARR) {
		struct jarr *a = jnv_arr(result);
		if ((a->fl & JA_CONS) && !(a->fl & JA_SEQ)) {
			if (!(a = jnv_seq_of(c, result)))
				return JN_ERR;
			result = &a->h;
		}
		a->fl |= JA_KEEP;
	}
	if (e->flags & ASLRT_JN_GROUP)
		result = group_expr(c, e->group, e->ngroup, e->group_pos,
				    tuple_mode ? (tuples ? &tuples->h : JV_UNDEF) : result, env);
	return result;
}

/* ------------------------------------------------- wildcards, descent */

static int flatten_into(struct jn_ctx *c, struct jarr *out, struct jval *v)
{
	if (jn_stack_check(c))
		return -1;
	if (jnv_type(v) == JT_ARR) {
		const struct jarr *a = jnv_arr(v);
		for (size_t i = 0; i < a->n; i++)
			if (flatten_into(c, out, a->it[i]))
				return -1;
		return 0;
	}
	return jnv_arr_push(c, out, v);
}

static struct jval *eval_wildcard(struct jn_ctx *c, struct jval *input)
{
	struct jval *res;
	struct jarr *seq = jnv_seq_new(c);
	if (!seq)
		return JN_ERR;
	res = &seq->h;
	if (jnv_type(input) == JT_ARR && (jnv_arr(input)->fl & JA_OUTER) && jnv_arr(input)->n > 0)
		input = jnv_arr(input)->it[0];
	struct jval **vals;
	size_t n;
	if (jnv_type(input) == JT_OBJ) {
		n = jnv_obj(input)->n;
		vals = jn_alloc(c, (n ? n : 1) * sizeof *vals);
		if (!vals)
			return JN_ERR;
		for (size_t i = 0; i < n; i++)
			vals[i] = jnv_obj(input)->kv[i].v;
	} else if (jnv_type(input) == JT_ARR) {
		/* Object.keys of an array: its items */
		n = jnv_arr(input)->n;
		vals = jnv_arr(input)->it;
	} else {
		return res;
	}
	for (size_t i = 0; i < n; i++) {
		struct jval *v = vals[i];
		if (jnv_type(v) == JT_ARR) {
			struct jarr *f = jnv_arr_new(c, 0);
			if (!f || flatten_into(c, f, v))
				return JN_ERR;
			res = jnv_append(c, res, &f->h);
			JTRY(res);
		} else if (jnv_type(res) == JT_ARR) {
			if (jnv_arr_push(c, jnv_arr(res), v))
				return JN_ERR;
		}
	}
	return res;
}

static int descend(struct jn_ctx *c, struct jarr *out, struct jval *v)
{
	if (jn_stack_check(c))
		return -1;
	if (jnv_type(v) != JT_ARR && jnv_arr_push(c, out, v))
		return -1;
	if (jnv_type(v) == JT_ARR) {
		const struct jarr *a = jnv_arr(v);
		for (size_t i = 0; i < a->n; i++)
			if (descend(c, out, a->it[i]))
				return -1;
	} else if (jnv_type(v) == JT_OBJ) {
		const struct jobj *o = jnv_obj(v);
		for (size_t i = 0; i < o->n; i++)
			if (descend(c, out, o->kv[i].v))
				return -1;
	}
	return 0;
}

static struct jval *eval_descendants(struct jn_ctx *c, struct jval *input)
{
	if (input == JV_UNDEF)
		return JV_UNDEF;
	struct jarr *r = jnv_seq_new(c);
	if (!r || descend(c, r, input))
		return JN_ERR;
	return r->n == 1 ? r->it[0] : &r->h;
}

/* ------------------------------------------------------- constructors */

static struct jval *eval_array(struct jn_ctx *c, const struct aslrt_jn_node *e,
			       struct jval *input, struct jframe *env)
{
	struct jval *res;
	struct jarr *a = jnv_arr_new(c, 0);
	if (!a)
		return JN_ERR;
	res = &a->h;
	for (int i = 0; i < e->n; i++) {
		const struct aslrt_jn_node *item = e->kids[i];
		struct jval *v = jn_eval(c, item, input, env);
		JTRY(v);
		if (v == JV_UNDEF)
			continue;
		if (item->kind == ASLRT_JN_ARRAY) {
			if (jnv_arr_push(c, jnv_arr(res), v))
				return JN_ERR;
		} else {
			res = jnv_append(c, res, v);
			JTRY(res);
		}
	}
	if (e->flags & ASLRT_JN_CONSARRAY)
		jnv_arr(res)->fl |= JA_CONS;
	return res;
}

/* reduceTupleStream: merge a group's tuples, appending values per name. */
static struct jobj *reduce_tuples(struct jn_ctx *c, struct jval *data)
{
	if (jnv_type(data) != JT_ARR)
		return tuple_copy(c, data);
	const struct jarr *a = jnv_arr(data);
	struct jobj *r = tuple_copy(c, a->it[0]);
	if (!r)
		return NULL;
	for (size_t i = 1; i < a->n; i++) {
		if (jnv_type(a->it[i]) != JT_OBJ)
			continue;
		const struct jobj *t = jnv_obj(a->it[i]);
		for (size_t k = 0; k < t->n; k++) {
			struct jval *cur = jnv_obj_get(r, t->kv[k].k->s, t->kv[k].k->len);
			struct jval *v = jnv_append(c, cur, t->kv[k].v);
			if (v == JN_ERR || jnv_obj_set(c, r, t->kv[k].k, v))
				return NULL;
		}
	}
	return r;
}

struct group {
	struct jstr *key;
	struct jval *data;
	int pair;
};

/* evaluateGroupExpression: an object constructor evaluated over input
 * (the items grouped by key, then each value expression evaluated over
 * its group). */
static struct jval *group_expr(struct jn_ctx *c, const struct aslrt_jn_node *const *pairs,
			       int npairs, int pos, struct jval *input, struct jframe *env)
{
	int reduce = jnv_type(input) == JT_ARR && (jnv_arr(input)->fl & JA_TUPLES);
	struct items in;
	items_of(input, &in);
	if (in.n == 0) {
		/* an empty input still yields one (undefined) item, so that a
		 * literal object gets built */
		in.one = JV_UNDEF;
		in.v = &in.one;
		in.n = 1;
	}
	struct jobj *groups = jnv_obj_new(c);   /* key -> index into g */
	struct group *g = NULL;
	size_t ng = 0, capg = 0;
	if (!groups)
		return JN_ERR;
	for (size_t i = 0; i < in.n; i++) {
		struct jval *item = in.v[i];
		struct jframe *ienv = env;
		if (reduce && !(ienv = frame_from_tuple(c, env, item)))
			return JN_ERR;
		for (int p = 0; p < npairs; p++) {
			struct jval *key = jn_eval(c, pairs[2 * p], reduce ? tuple_at(item) : item,
						   ienv);
			JTRY(key);
			if (key == JV_UNDEF)
				continue;
			if (jnv_type(key) != JT_STR)
				return jn_error(c, "T1003", pos, key);
			struct jstr *k = jnv_str(key);
			struct jval *slot = jnv_obj_get(groups, k->s, k->len);
			if (slot != JV_UNDEF) {
				struct group *gr = &g[(size_t)jnv_num(slot)];
				if (gr->pair != p)
					return jn_error(c, "D1009", pos, key);
				gr->data = jnv_append(c, gr->data, item);
				JTRY(gr->data);
				continue;
			}
			if (ng == capg) {
				size_t cap = capg ? capg * 2 : 8;
				struct group *ngr = jn_alloc(c, cap * sizeof *ngr);
				if (!ngr)
					return JN_ERR;
				if (ng)
					memcpy(ngr, g, ng * sizeof *g);
				g = ngr;
				capg = cap;
			}
			g[ng].key = k;
			g[ng].data = item;
			g[ng].pair = p;
			if (jnv_obj_set(c, groups, k, jnv_number(c, (double)ng)))
				return JN_ERR;
			ng++;
		}
	}
	struct jobj *res = jnv_obj_new(c);
	if (!res)
		return JN_ERR;
	for (size_t i = 0; i < ng; i++) {
		struct jval *ctx = g[i].data;
		struct jframe *genv = env;
		if (reduce) {
			struct jobj *t = reduce_tuples(c, g[i].data);
			if (!t)
				return JN_ERR;
			ctx = jnv_obj_get(t, "@", 1);
			jnv_obj_del(t, "@", 1);
			if (!(genv = frame_from_tuple(c, env, &t->h)))
				return JN_ERR;
		}
		struct jval *v = jn_eval(c, pairs[2 * g[i].pair + 1], ctx, genv);
		JTRY(v);
		if (v != JV_UNDEF && jnv_obj_set(c, res, g[i].key, v))
			return JN_ERR;
	}
	return &res->h;
}

/* ----------------------------------------------------------- evaluate */

static struct jval *eval_variable(struct jn_ctx *c, const struct aslrt_jn_node *e,
				  struct jval *input, struct jframe *env)
{
	if (e->len == 0 && e->str[0] == '\0') {
		if (jnv_type(input) == JT_ARR && (jnv_arr(input)->fl & JA_OUTER))
			return jnv_arr(input)->n ? jnv_arr(input)->it[0] : JV_UNDEF;
		return input;
	}
	int found;
	struct jval *v = jn_frame_lookup(env, e->str, &found);
	if (found)
		return v;
	/* not bound in any frame: a built-in function, or undefined */
	const struct jn_builtin *bi = jn_builtin_find(e->str);
	if (!bi)
		return JV_UNDEF;
	struct jfn *f = jnv_fn_new(c, JFK_NATIVE);
	if (!f)
		return JN_ERR;
	f->bi = bi;
	return &f->h;
}

static struct jval *eval_block(struct jn_ctx *c, const struct aslrt_jn_node *e,
			       struct jval *input, struct jframe *env)
{
	struct jframe *f = jn_frame_new(c, env);
	if (!f)
		return JN_ERR;
	struct jval *r = JV_UNDEF;
	for (int i = 0; i < e->n; i++) {
		r = jn_eval(c, e->kids[i], input, f);
		JTRY(r);
	}
	return r;
}

static struct jval *eval_condition(struct jn_ctx *c, const struct aslrt_jn_node *e,
				   struct jval *input, struct jframe *env)
{
	struct jval *cond = jn_eval(c, e->lhs, input, env);
	JTRY(cond);
	switch (e->kind) {
	case ASLRT_JN_ELVIS:
		/* lhs ?: rhs - the left value when truthy */
		if (jnv_truthy(cond) == 1)
			return cond;
		return jn_eval(c, e->rhs, input, env);
	case ASLRT_JN_COALESCE:
		/* lhs ?? rhs - the left value when defined */
		if (cond != JV_UNDEF)
			return cond;
		return jn_eval(c, e->rhs, input, env);
	default:
		if (jnv_truthy(cond) == 1)
			return jn_eval(c, e->rhs, input, env);
		if (e->third)
			return jn_eval(c, e->third, input, env);
		return JV_UNDEF;
	}
}

static struct jval *dispatch(struct jn_ctx *c, const struct aslrt_jn_node *e,
			     struct jval *input, struct jframe *env)
{
	switch (e->kind) {
	case ASLRT_JN_PATH:
		return eval_path(c, e, input, env);
	case ASLRT_JN_BINARY:
		return jn_eval_binary(c, e, input, env);
	case ASLRT_JN_NEGATE:
		return jn_eval_negate(c, e, input, env);
	case ASLRT_JN_ARRAY:
		return eval_array(c, e, input, env);
	case ASLRT_JN_OBJECT:
		return group_expr(c, e->kids, e->n, e->pos, input, env);
	case ASLRT_JN_NAME:
		return lookup(c, input, e->str, e->len);
	case ASLRT_JN_STRING:
		return jnv_string_static(c, e->str, e->len);
	case ASLRT_JN_NUMBER:
		return jnv_number(c, e->num);
	case ASLRT_JN_VALUE:
		return e->op == ASLRT_JN_OP_TRUE ? JV_TRUE :
		       e->op == ASLRT_JN_OP_FALSE ? JV_FALSE : JV_NULL;
	case ASLRT_JN_WILDCARD:
		return eval_wildcard(c, input);
	case ASLRT_JN_DESCENDANT:
		return eval_descendants(c, input);
	case ASLRT_JN_PARENT:
		return jn_frame_lookup(env, e->str, NULL);
	case ASLRT_JN_CONDITION:
	case ASLRT_JN_ELVIS:
	case ASLRT_JN_COALESCE:
		return eval_condition(c, e, input, env);
	case ASLRT_JN_BLOCK:
		return eval_block(c, e, input, env);
	case ASLRT_JN_BIND: {
		struct jval *v = jn_eval(c, e->lhs, input, env);
		JTRY(v);
		if (jn_frame_bind(c, env, e->str, v))
			return JN_ERR;
		return v;
	}
	case ASLRT_JN_REGEX:
		return jn_eval_regex(c, e);
	case ASLRT_JN_FUNCTION:
		return jn_eval_call(c, e, input, env, 0, JV_UNDEF);
	case ASLRT_JN_VARIABLE:
		return eval_variable(c, e, input, env);
	case ASLRT_JN_LAMBDA:
		return jn_eval_lambda(c, e, input, env);
	case ASLRT_JN_PARTIAL:
		return jn_eval_partial(c, e, input, env);
	case ASLRT_JN_APPLY:
		return jn_eval_apply(c, e, input, env);
	case ASLRT_JN_TRANSFORM:
		return jn_eval_transform(c, e, env);
	case ASLRT_JN_SORT: {
		/* only reached as a path step (see eval_step) */
		struct jarr *in = jnv_type(input) == JT_ARR ? jnv_arr(input) : jnv_seq_of(c, input);
		if (!in)
			return JN_ERR;
		return jn_sort(c, in, e, env, 0);
	}
	default:
		return JV_UNDEF;
	}
}

struct jval *jn_eval(struct jn_ctx *c, const struct aslrt_jn_node *e, struct jval *input,
		     struct jframe *env)
{
	if (jn_enter(c))
		return JN_ERR;
	struct jval *r = dispatch(c, e, input, env);
	if (r == JN_ERR)
		goto out;
	for (int i = 0; i < e->npred; i++) {
		r = eval_filter(c, e->pred[i], r, env);
		if (r == JN_ERR)
			goto out;
	}
	if ((e->flags & ASLRT_JN_GROUP) && e->kind != ASLRT_JN_PATH) {
		r = group_expr(c, e->group, e->ngroup, e->group_pos, r, env);
		if (r == JN_ERR)
			goto out;
	}
	if (jnv_type(r) == JT_ARR) {
		struct jarr *a = jnv_arr(r);
		if ((a->fl & JA_SEQ) && !(a->fl & JA_TUPLES)) {
			if (e->flags & ASLRT_JN_KEEP_ARRAY)
				a->fl |= JA_KEEP;
			if (a->n == 0)
				r = JV_UNDEF;
			else if (a->n == 1 && !(a->fl & JA_KEEP))
				r = a->it[0];
		}
	}
out:
	jn_leave(c);
	return r;
}
