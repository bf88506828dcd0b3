/*
 * apply.c - functions as values (jsonata.js evaluateFunction, apply,
 * applyInner, applyProcedure, evaluateLambda, evaluatePartialApplication,
 * evaluateApplyExpression, evaluateTransformExpression, evaluateRegex):
 * calling lambdas, built-ins, partial applications, regex matchers,
 * transformers and `~>` chains, with signature validation and the
 * trampoline that runs tail calls (thunks) without growing the stack.
 *
 * Errors raised inside a call get the call's position and the function's
 * name as token when they have none, as the reference does.
 */
#include "jn.h"

#include <stdio.h>
#include <string.h>

struct jval *jn_lookup(struct jn_ctx *c, struct jval *input, const char *key, size_t len);
struct jval *jn_transform_run(struct jn_ctx *c, struct jfn *f, struct jval *obj);
struct jval *jn_regex_call(struct jn_ctx *c, struct jfn *f, struct jval **args, int n);
struct jval *jn_regex_next(struct jn_ctx *c, struct jfn *f);

#define MAXARGS 64

static const struct aslrt_jn_sigparam transform_params[] = {
	{ '(', 0, 0, "oa", NULL },
};
static const struct aslrt_jn_sig transform_sig = { 1, transform_params };

/* Fill in a missing position and token. */
static void annotate(struct jn_ctx *c, int pos, const char *token)
{
	if (c->err.pos < 0)
		c->err.pos = pos;
	if (!c->err.token)
		c->err.token = token;
}

int jn_fn_arity(const struct jval *v)
{
	if (jnv_type(v) != JT_FN)
		return 0;   /* not a function: applying it is T1006 */
	const struct jfn *f = jnv_fn(v);
	switch (f->kind) {
	case JFK_LAMBDA:
	case JFK_PARTIAL:
		return f->nparams;
	case JFK_NATIVE:
		return f->bi->arity;
	case JFK_REGEX:
		return 2;
	case JFK_REGEX_NEXT:
		return 0;
	case JFK_TRANSFORM:
	case JFK_CHAIN:
		return 1;
	}
	return 0;
}

/* applyProcedure: bind the parameters in a frame on the closure's, then
 * evaluate the body (or call the built-in of a partial application). */
static struct jval *apply_procedure(struct jn_ctx *c, struct jfn *f, struct jval **args, int n)
{
	struct jframe *env = jn_frame_new(c, f->env);
	if (!env)
		return JN_ERR;
	for (int i = 0; i < f->nparams; i++)
		if (jn_frame_bind(c, env, f->params[i], i < n ? args[i] : JV_UNDEF))
			return JN_ERR;
	if (f->kind == JFK_PARTIAL) {
		/* applyNativeFunction: every declared parameter from the frame,
		 * no signature check */
		struct jval *all[MAXARGS];
		int na = f->bi->nparams;
		for (int i = 0; i < na && i < MAXARGS; i++) {
			char name[16];
			snprintf(name, sizeof name, "!p%d", i);
			all[i] = jn_frame_lookup(env, name, NULL);
		}
		struct jn_call k = { c, all, na, JV_UNDEF, env, f->bi };
		return f->bi->fn(&k);
	}
	return jn_eval(c, f->node->lhs, f->input, env);
}

/* applyInner: validate the arguments against the signature, then call. */
static struct jval *apply_inner(struct jn_ctx *c, struct jval *fn, struct jval **args, int n,
				struct jval *input, struct jframe *env, int pos, const char *token)
{
	if (jnv_type(fn) != JT_FN) {
		jn_error(c, "T1006", -1, JV_UNDEF);
		annotate(c, pos, token);
		return JN_ERR;
	}
	struct jfn *f = jnv_fn(fn);
	const struct aslrt_jn_sig *sig = NULL;
	if (f->kind == JFK_NATIVE)
		sig = jn_builtin_sig(f->bi);
	else if (f->kind == JFK_LAMBDA)
		sig = f->sig;
	else if (f->kind == JFK_TRANSFORM)
		sig = &transform_sig;
	struct jval *vargs[MAXARGS];
	if (sig) {
		int m = jn_sig_validate(c, sig, args, n, input, vargs, MAXARGS);
		if (m < 0) {
			annotate(c, pos, token);
			return JN_ERR;
		}
		args = vargs;
		n = m;
	}
	struct jval *r;
	switch (f->kind) {
	case JFK_LAMBDA:
	case JFK_PARTIAL:
		r = apply_procedure(c, f, args, n);
		break;
	case JFK_NATIVE: {
		struct jn_call k = { c, args, n, input, env, f->bi };
		r = f->bi->fn(&k);
		break;
	}
	case JFK_REGEX:
		r = jn_regex_call(c, f, args, n);
		break;
	case JFK_REGEX_NEXT:
		r = jn_regex_next(c, f);
		break;
	case JFK_TRANSFORM:
		r = jn_transform_run(c, f, n > 0 ? args[0] : JV_UNDEF);
		break;
	case JFK_CHAIN: {
		struct jval *x = n > 0 ? args[0] : JV_UNDEF;
		r = jn_apply(c, f->f, &x, 1, JV_NULL, env, pos);
		if (r != JN_ERR)
			r = jn_apply(c, f->g, &r, 1, JV_NULL, env, pos);
		break;
	}
	default:
		r = JV_UNDEF;
	}
	if (r == JN_ERR)
		annotate(c, pos, token);
	return r;
}

/* The name a call site uses for its function: the first step of a path,
 * or the variable's name. */
static const char *proc_name(const struct aslrt_jn_node *p)
{
	if (p->kind == ASLRT_JN_PATH && p->n > 0)
		return p->kids[0]->str;
	if (p->kind == ASLRT_JN_VARIABLE || p->kind == ASLRT_JN_NAME)
		return p->str;
	return NULL;
}

static struct jval *apply_at(struct jn_ctx *c, struct jval *fn, struct jval **args, int n,
			     struct jval *input, struct jframe *env, int pos, const char *token)
{
	struct jval *r = apply_inner(c, fn, args, n, input, env, pos, token);
	/* the trampoline: a tail call comes back as a thunk to run here */
	while (jnv_type(r) == JT_FN && jnv_fn(r)->kind == JFK_LAMBDA && jnv_fn(r)->thunk) {
		struct jfn *t = jnv_fn(r);
		const struct aslrt_jn_node *call = t->node->lhs;
		struct jval *next = jn_eval(c, call->lhs, t->input, t->env);
		JTRY(next);
		struct jval *targs[MAXARGS];
		int tn = call->n < MAXARGS ? call->n : MAXARGS;
		for (int i = 0; i < tn; i++) {
			targs[i] = jn_eval(c, call->kids[i], t->input, t->env);
			JTRY(targs[i]);
		}
		const char *tok = call->lhs->kind == ASLRT_JN_VARIABLE ? call->lhs->str : token;
		r = apply_inner(c, next, targs, tn, input, env, call->lhs->pos, tok);
	}
	return r;
}

struct jval *jn_apply(struct jn_ctx *c, struct jval *fn, struct jval **args, int n,
		      struct jval *input, struct jframe *env, int pos)
{
	return apply_at(c, fn, args, n, input, env, pos, NULL);
}

/* evaluateFunction: evaluate the procedure and the arguments (the `~>`
 * context first when has_applyto), then apply. */
struct jval *jn_eval_call(struct jn_ctx *c, const struct aslrt_jn_node *e, struct jval *input,
			  struct jframe *env, int has_applyto, struct jval *applyto)
{
	struct jval *proc = jn_eval(c, e->lhs, input, env);
	JTRY(proc);
	const char *name = proc_name(e->lhs);
	if (proc == JV_UNDEF && e->lhs->kind == ASLRT_JN_PATH && name) {
		int found = 0;
		jn_frame_lookup(env, name, &found);
		if (found || jn_builtin_find(name))
			return jn_error_tok(c, "T1005", e->pos, name, JV_UNDEF);
	}
	struct jval *args[MAXARGS];
	int n = 0;
	if (has_applyto)
		args[n++] = applyto;
	for (int i = 0; i < e->n && n < MAXARGS; i++) {
		struct jval *a = jn_eval(c, e->kids[i], input, env);
		JTRY(a);
		args[n++] = a;
	}
	return apply_at(c, proc, args, n, input, env, e->pos, name);
}

struct jval *jn_eval_lambda(struct jn_ctx *c, const struct aslrt_jn_node *e,
			    struct jval *input, struct jframe *env)
{
	struct jfn *f = jnv_fn_new(c, JFK_LAMBDA);
	if (!f)
		return JN_ERR;
	f->node = e;
	f->env = env;
	f->input = input;
	f->sig = e->sig;
	f->thunk = (e->flags & ASLRT_JN_THUNK) != 0;
	f->pos = e->pos;
	f->nparams = e->n;
	if (e->n) {
		const char **p = jn_alloc(c, (size_t)e->n * sizeof *p);
		if (!p)
			return JN_ERR;
		for (int i = 0; i < e->n; i++)
			p[i] = e->kids[i]->str;
		f->params = p;
	}
	return &f->h;
}

/* evaluatePartialApplication: bind the given arguments, leave the `?`s as
 * the new function's parameters. */
struct jval *jn_eval_partial(struct jn_ctx *c, const struct aslrt_jn_node *e,
			     struct jval *input, struct jframe *env)
{
	struct jval *args[MAXARGS];
	int n = e->n < MAXARGS ? e->n : MAXARGS;
	for (int i = 0; i < n; i++) {
		if (e->kids[i]->kind == ASLRT_JN_PLACEHOLDER) {
			args[i] = NULL;
			continue;
		}
		args[i] = jn_eval(c, e->kids[i], input, env);
		JTRY(args[i]);
	}
	struct jval *proc = jn_eval(c, e->lhs, input, env);
	JTRY(proc);
	const char *name = proc_name(e->lhs);
	if (proc == JV_UNDEF && e->lhs->kind == ASLRT_JN_PATH && name) {
		int found = 0;
		jn_frame_lookup(env, name, &found);
		if (found || jn_builtin_find(name))
			return jn_error_tok(c, "T1007", e->pos, name, JV_UNDEF);
	}
	if (jnv_type(proc) != JT_FN ||
	    (jnv_fn(proc)->kind != JFK_LAMBDA && jnv_fn(proc)->kind != JFK_NATIVE &&
	     jnv_fn(proc)->kind != JFK_PARTIAL))
		return jn_error_tok(c, "T1008", e->pos, name, JV_UNDEF);
	struct jfn *src = jnv_fn(proc);
	struct jfn *f = jnv_fn_new(c, src->kind == JFK_NATIVE ? JFK_PARTIAL : src->kind);
	if (!f)
		return JN_ERR;
	f->pos = e->pos;
	int np;
	const char *const *params;
	const char **pnames = NULL;
	if (src->kind == JFK_NATIVE) {
		/* the native's declared parameters become named slots */
		np = src->bi->nparams;
		pnames = jn_alloc(c, (size_t)(np ? np : 1) * sizeof *pnames);
		if (!pnames)
			return JN_ERR;
		for (int i = 0; i < np; i++) {
			char name2[16];
			snprintf(name2, sizeof name2, "!p%d", i);
			struct jval *s = jnv_cstring(c, name2);
			JTRY(s);
			pnames[i] = jnv_str(s)->s;
		}
		params = pnames;
		f->bi = src->bi;
		f->env = jn_frame_new(c, NULL);
		f->input = JV_UNDEF;
	} else {
		np = src->nparams;
		params = src->params;
		f->bi = src->bi;
		f->node = src->node;
		f->input = src->input;
		f->env = jn_frame_new(c, src->env);
	}
	if (!f->env)
		return JN_ERR;
	const char **unbound = jn_alloc(c, (size_t)(np ? np : 1) * sizeof *unbound);
	if (!unbound)
		return JN_ERR;
	int nu = 0;
	for (int i = 0; i < np; i++) {
		if (i < n && args[i] == NULL && e->kids[i]->kind == ASLRT_JN_PLACEHOLDER)
			unbound[nu++] = params[i];
		else if (jn_frame_bind(c, f->env, params[i], i < n ? args[i] : JV_UNDEF))
			return JN_ERR;
	}
	f->params = unbound;
	f->nparams = nu;
	return &f->h;
}

/* evaluateApplyExpression: lhs ~> rhs. */
struct jval *jn_eval_apply(struct jn_ctx *c, const struct aslrt_jn_node *e,
			   struct jval *input, struct jframe *env)
{
	struct jval *lhs = jn_eval(c, e->lhs, input, env);
	JTRY(lhs);
	if (e->rhs->kind == ASLRT_JN_FUNCTION)
		return jn_eval_call(c, e->rhs, input, env, 1, lhs);
	struct jval *fn = jn_eval(c, e->rhs, input, env);
	JTRY(fn);
	if (jnv_type(fn) != JT_FN)
		return jn_error(c, "T2006", e->pos, fn);
	if (jnv_type(lhs) == JT_FN) {
		/* function composition: g(f(x)) */
		struct jfn *ch = jnv_fn_new(c, JFK_CHAIN);
		if (!ch)
			return JN_ERR;
		ch->f = lhs;
		ch->g = fn;
		ch->pos = e->pos;
		return &ch->h;
	}
	return jn_apply(c, fn, &lhs, 1, JV_NULL, env, e->pos);
}

struct jval *jn_eval_transform(struct jn_ctx *c, const struct aslrt_jn_node *e,
			       struct jframe *env)
{
	struct jfn *f = jnv_fn_new(c, JFK_TRANSFORM);
	if (!f)
		return JN_ERR;
	f->node = e;
	f->env = env;
	f->pos = e->pos;
	return &f->h;
}

struct jval *jn_eval_regex(struct jn_ctx *c, const struct aslrt_jn_node *e)
{
	struct jfn *f = jnv_fn_new(c, JFK_REGEX);
	if (!f)
		return JN_ERR;
	f->re = e->re;
	f->pos = e->pos;
	return &f->h;
}

/* The clone JSONata transforms make: JSON.parse($string(obj)), so numbers
 * go through 15 significant digits and functions become "". */
static struct jval *json_clone(struct jn_ctx *c, struct jval *v)
{
	if (jn_stack_check(c))
		return JN_ERR;
	switch (jnv_type(v)) {
	case JT_NUM:
		return jnv_number(c, jn_num_round_sig(jnv_num(v), 15));
	case JT_FN:
		return jnv_string_static(c, "", 0);
	case JT_ARR: {
		const struct jarr *a = jnv_arr(v);
		struct jarr *r = jnv_arr_new(c, a->n);
		if (!r)
			return JN_ERR;
		for (size_t i = 0; i < a->n; i++) {
			struct jval *x = a->it[i] == JV_UNDEF ? JV_NULL : json_clone(c, a->it[i]);
			JTRY(x);
			r->it[r->n++] = x;
		}
		return &r->h;
	}
	case JT_OBJ: {
		const struct jobj *o = jnv_obj(v);
		struct jobj *r = jnv_obj_new(c);
		if (!r)
			return JN_ERR;
		for (size_t i = 0; i < o->n; i++) {
			if (o->kv[i].v == JV_UNDEF)
				continue;
			struct jval *x = json_clone(c, o->kv[i].v);
			JTRY(x);
			if (jnv_obj_set(c, r, o->kv[i].k, x))
				return JN_ERR;
		}
		return &r->h;
	}
	default:
		return v;
	}
}

struct jval *jn_json_clone(struct jn_ctx *c, struct jval *v)
{
	if (jnv_type(v) == JT_NUM && !jnv_is_numeric(v))
		return jn_error(c, "D3001", -1, v);
	return json_clone(c, v);
}

/* The transformer function: a copy of obj with every match of the pattern
 * updated (merged with the update object) and stripped of the deleted
 * names. */
struct jval *jn_transform_run(struct jn_ctx *c, struct jfn *f, struct jval *obj)
{
	const struct aslrt_jn_node *e = f->node;
	if (obj == JV_UNDEF)
		return JV_UNDEF;
	struct jval *clone = JV_UNDEF;
	int found = 0;
	struct jval *cf = jn_frame_lookup(f->env, "clone", &found);
	if (found) {
		if (jnv_type(cf) != JT_FN)
			return jn_error(c, "T2013", e->pos, JV_UNDEF);
		clone = jn_apply(c, cf, &obj, 1, JV_NULL, f->env, e->pos);
	} else {
		clone = jn_json_clone(c, obj);
	}
	JTRY(clone);
	struct jval *matches = jn_eval(c, e->lhs, clone, f->env);
	JTRY(matches);
	if (matches == JV_UNDEF)
		return clone;
	struct jval **ms = &matches;
	size_t nm = 1;
	if (jnv_type(matches) == JT_ARR) {
		ms = jnv_arr(matches)->it;
		nm = jnv_arr(matches)->n;
	}
	for (size_t i = 0; i < nm; i++) {
		struct jval *m = ms[i];
		struct jval *upd = jn_eval(c, e->rhs, m, f->env);
		JTRY(upd);
		if (upd != JV_UNDEF) {
			if (jnv_type(upd) != JT_OBJ)
				return jn_error(c, "T2011", e->rhs->pos, upd);
			if (jnv_type(m) == JT_OBJ) {
				const struct jobj *u = jnv_obj(upd);
				for (size_t k = 0; k < u->n; k++)
					if (jnv_obj_set(c, jnv_obj(m), u->kv[k].k, u->kv[k].v))
						return JN_ERR;
			}
		}
		if (e->third) {
			struct jval *del = jn_eval(c, e->third, m, f->env);
			JTRY(del);
			if (del == JV_UNDEF)
				continue;
			struct jval **ds = &del;
			size_t nd = 1;
			if (jnv_type(del) == JT_ARR) {
				ds = jnv_arr(del)->it;
				nd = jnv_arr(del)->n;
			}
			for (size_t k = 0; k < nd; k++)
				if (jnv_type(ds[k]) != JT_STR)
					return jn_error(c, "T2012", e->third->pos, del);
			if (jnv_type(m) == JT_OBJ)
				for (size_t k = 0; k < nd; k++)
					jnv_obj_del(jnv_obj(m), jnv_str(ds[k])->s, jnv_str(ds[k])->len);
		}
	}
	return clone;
}
