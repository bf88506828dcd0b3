/*
 * jsonata_freeze.c - the processed tree (struct asl_jnb_node) copied into the
 * runtime's node type (struct aslrt_jn_node, runtime/jsonata/ast.h), and
 * asl_jn_free. The frozen expression owns one list of malloc'd blocks
 * (nodes, arrays, strings, signatures, regex programs); asl_jn_free
 * releases the list.
 *
 * Lambda signatures are parsed here (S0401, S0402), with the runtime's
 * parser, so the evaluator gets them ready to use.
 */
#include "jsonata_build.h"

#include <stdlib.h>
#include <string.h>

#include "jsonata/jn.h"

/* The expression and the blocks it owns. e comes first: asl_jn_free casts. */
struct jn_owned {
	struct aslrt_jn_expr e;
	void **mem;
	size_t n, cap;
};

struct fz {
	struct asl_jn_b *b;
	struct jn_owned *o;
	int failed;
};

static void *fz_alloc(struct fz *z, size_t n)
{
	if (z->failed)
		return NULL;
	struct jn_owned *o = z->o;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		void **m = realloc(o->mem, cap * sizeof *m);
		if (!m) {
			z->failed = 1;
			return NULL;
		}
		o->mem = m;
		o->cap = cap;
	}
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		z->failed = 1;
		return NULL;
	}
	o->mem[o->n++] = p;
	return p;
}

static const char *fz_str(struct fz *z, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *d = fz_alloc(z, len + 1);
	if (d && len)
		memcpy(d, s, len);
	return d;
}

static const char *fz_cstr(struct fz *z, const char *s)
{
	return s ? fz_str(z, s, strlen(s)) : NULL;
}

static const struct aslrt_jn_node *freeze(struct fz *z, const struct asl_jnb_node *e);

static const struct aslrt_jn_node *const *freeze_vec(struct fz *z, const struct asl_jnb_vec *v)
{
	if (v->n == 0)
		return NULL;
	const struct aslrt_jn_node **a = fz_alloc(z, (size_t)v->n * sizeof *a);
	if (!a)
		return NULL;
	for (int i = 0; i < v->n; i++)
		a[i] = freeze(z, v->v[i]);
	return a;
}

static enum aslrt_jn_op op_of(const char *op)
{
	static const struct { const char *s; enum aslrt_jn_op op; } t[] = {
		{ "+", ASLRT_JN_OP_ADD }, { "-", ASLRT_JN_OP_SUB }, { "*", ASLRT_JN_OP_MUL },
		{ "/", ASLRT_JN_OP_DIV }, { "%", ASLRT_JN_OP_MOD }, { "=", ASLRT_JN_OP_EQ },
		{ "!=", ASLRT_JN_OP_NE }, { "<", ASLRT_JN_OP_LT }, { "<=", ASLRT_JN_OP_LE },
		{ ">", ASLRT_JN_OP_GT }, { ">=", ASLRT_JN_OP_GE }, { "&", ASLRT_JN_OP_CONCAT },
		{ "and", ASLRT_JN_OP_AND }, { "or", ASLRT_JN_OP_OR }, { "in", ASLRT_JN_OP_IN },
		{ "..", ASLRT_JN_OP_RANGE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].s, op))
			return t[i].op;
	return ASLRT_JN_OP_NONE;
}

/* A copy of the signature text's parse; NULL after recording S0401/S0402. */
static const struct aslrt_jn_sig *freeze_sig(struct fz *z, const char *text, int pos)
{
	struct aslrt_jn_sigparam params[16];
	struct aslrt_jn_sig sig;
	char pool[512];
	const char *code = NULL;
	int off = 0;
	if (jn_sig_parse(text, &sig, params, 16, pool, sizeof pool, &code, &off)) {
		asl_jnb_error(z->b, code, pos + off, "%s in function signature %s",
			 !strcmp(code, "S0401") ?
			 "type parameters can only be applied to functions and arrays" :
			 "choice groups containing parameterized types are not supported",
			 text);
		z->failed = 1;
		return NULL;
	}
	struct aslrt_jn_sig *s = fz_alloc(z, sizeof *s);
	struct aslrt_jn_sigparam *p = fz_alloc(z, (size_t)(sig.n ? sig.n : 1) * sizeof *p);
	if (!s || !p)
		return NULL;
	for (int i = 0; i < sig.n; i++) {
		p[i] = params[i];
		p[i].choice = fz_cstr(z, params[i].choice);
		p[i].subtype = fz_cstr(z, params[i].subtype);
	}
	s->n = sig.n;
	s->params = p;
	return s;
}

static const struct aslrt_jn_regex *freeze_regex(struct fz *z, const struct aslrt_jn_regex *re)
{
	const char *msg = NULL;
	struct aslrt_jn_regex *c = asl_jn_regex_compile(re->source, strlen(re->source),
							re->flags, &msg);
	if (!c) {
		z->failed = 1;
		return NULL;
	}
	struct jn_owned *o = z->o;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		void **m = realloc(o->mem, cap * sizeof *m);
		if (!m) {
			free(c);
			z->failed = 1;
			return NULL;
		}
		o->mem = m;
		o->cap = cap;
	}
	o->mem[o->n++] = c;
	return c;
}

static unsigned flags_of(const struct asl_jnb_node *e)
{
	unsigned f = 0;
	if (e->keep_array)
		f |= ASLRT_JN_KEEP_ARRAY;
	if (e->keep_singleton)
		f |= ASLRT_JN_KEEP_SINGLETON;
	if (e->consarray)
		f |= ASLRT_JN_CONSARRAY;
	if (e->tuple)
		f |= ASLRT_JN_TUPLE;
	if (e->thunk)
		f |= ASLRT_JN_THUNK;
	if (e->descending)
		f |= ASLRT_JN_DESCENDING;
	return f;
}

static const struct aslrt_jn_node *freeze(struct fz *z, const struct asl_jnb_node *e)
{
	struct aslrt_jn_node *n = fz_alloc(z, sizeof *n);
	if (!n)
		return NULL;
	n->pos = e->pos;
	n->flags = flags_of(e);
	switch (e->type) {
	case JB_PATH:
		n->kind = ASLRT_JN_PATH;
		n->n = e->list.n;
		n->kids = freeze_vec(z, &e->list);
		break;
	case JB_BINARY:
		n->kind = ASLRT_JN_BINARY;
		n->op = op_of(e->value);
		n->lhs = freeze(z, e->lhs);
		n->rhs = freeze(z, e->rhs);
		break;
	case JB_UNARY:
		if (!strcmp(e->value, "-")) {
			n->kind = ASLRT_JN_NEGATE;
			n->lhs = freeze(z, e->expression);
		} else if (!strcmp(e->value, "[")) {
			n->kind = ASLRT_JN_ARRAY;
			n->n = e->list.n;
			n->kids = freeze_vec(z, &e->list);
		} else {
			n->kind = ASLRT_JN_OBJECT;
			n->n = e->pairs.n / 2;
			n->kids = freeze_vec(z, &e->pairs);
		}
		break;
	case JB_NAME:
		n->kind = ASLRT_JN_NAME;
		n->str = fz_str(z, e->str, e->len);
		n->len = e->len;
		break;
	case JB_STRING:
		n->kind = ASLRT_JN_STRING;
		n->str = fz_str(z, e->str, e->len);
		n->len = e->len;
		break;
	case JB_NUMBER:
		n->kind = ASLRT_JN_NUMBER;
		n->num = e->num;
		break;
	case JB_VALUE:
		n->kind = ASLRT_JN_VALUE;
		n->op = e->vkind == 1 ? ASLRT_JN_OP_TRUE :
			e->vkind == 0 ? ASLRT_JN_OP_FALSE : ASLRT_JN_OP_NULL;
		break;
	case JB_REGEX:
		n->kind = ASLRT_JN_REGEX;
		n->re = freeze_regex(z, e->re);
		break;
	case JB_VARIABLE:
		n->kind = ASLRT_JN_VARIABLE;
		n->str = fz_str(z, e->str, e->len);
		n->len = e->len;
		break;
	case JB_WILDCARD:
		n->kind = ASLRT_JN_WILDCARD;
		break;
	case JB_DESCENDANT:
		n->kind = ASLRT_JN_DESCENDANT;
		break;
	case JB_PARENT:
		n->kind = ASLRT_JN_PARENT;
		n->str = fz_cstr(z, e->slot->label);
		break;
	case JB_FUNCTION:
	case JB_PARTIAL:
		n->kind = e->type == JB_FUNCTION ? ASLRT_JN_FUNCTION : ASLRT_JN_PARTIAL;
		n->lhs = freeze(z, e->procedure);
		n->n = e->list.n;
		n->kids = freeze_vec(z, &e->list);
		break;
	case JB_LAMBDA:
		n->kind = ASLRT_JN_LAMBDA;
		n->lhs = freeze(z, e->body);
		n->n = e->list.n;
		n->kids = freeze_vec(z, &e->list);
		if (e->sig)
			n->sig = freeze_sig(z, e->sig, e->sig_pos);
		break;
	case JB_CONDITION:
		n->kind = ASLRT_JN_CONDITION;
		n->lhs = freeze(z, e->condition);
		n->rhs = freeze(z, e->then);
		if (e->els)
			n->third = freeze(z, e->els);
		break;
	case JB_ELVIS:
	case JB_COALESCE:
		n->kind = e->type == JB_ELVIS ? ASLRT_JN_ELVIS : ASLRT_JN_COALESCE;
		n->lhs = freeze(z, e->lhs);
		n->rhs = freeze(z, e->rhs);
		break;
	case JB_BLOCK:
		n->kind = ASLRT_JN_BLOCK;
		n->n = e->list.n;
		n->kids = freeze_vec(z, &e->list);
		break;
	case JB_TRANSFORM:
		n->kind = ASLRT_JN_TRANSFORM;
		n->lhs = freeze(z, e->pattern);
		n->rhs = freeze(z, e->update);
		if (e->del)
			n->third = freeze(z, e->del);
		break;
	case JB_OPERATOR:
		n->kind = ASLRT_JN_PLACEHOLDER;
		break;
	case JB_BIND:
		n->kind = ASLRT_JN_BIND;
		n->str = fz_str(z, e->lhs->str, e->lhs->len);
		n->len = e->lhs->len;
		n->lhs = freeze(z, e->rhs);
		break;
	case JB_APPLY:
		n->kind = ASLRT_JN_APPLY;
		n->lhs = freeze(z, e->lhs);
		n->rhs = freeze(z, e->rhs);
		break;
	case JB_SORT:
		if (!strcmp(e->value, "term")) {
			n->kind = ASLRT_JN_SORT_TERM;
			n->lhs = freeze(z, e->expression);
		} else {
			n->kind = ASLRT_JN_SORT;
			n->n = e->list.n;
			n->kids = freeze_vec(z, &e->list);
		}
		break;
	case JB_FILTER:
	case JB_INDEX:
		/* only inside stages and predicates */
		n->kind = ASLRT_JN_BLOCK;
		break;
	}
	/* annotations */
	if (e->has_predicate && e->predicate.n) {
		const struct aslrt_jn_node **p = fz_alloc(z, (size_t)e->predicate.n * sizeof *p);
		if (p) {
			for (int i = 0; i < e->predicate.n; i++)
				p[i] = freeze(z, e->predicate.v[i]->expr);
			n->npred = e->predicate.n;
			n->pred = p;
		}
	}
	if (e->has_stages && e->stages.n) {
		struct aslrt_jn_stage *s = fz_alloc(z, (size_t)e->stages.n * sizeof *s);
		if (s) {
			for (int i = 0; i < e->stages.n; i++) {
				const struct asl_jnb_node *st = e->stages.v[i];
				s[i].pos = st->pos;
				if (st->type == JB_FILTER)
					s[i].filter = freeze(z, st->expr);
				else
					s[i].index = fz_cstr(z, st->str);
			}
			n->nstages = e->stages.n;
			n->stages = s;
		}
	}
	if (e->has_group) {
		n->ngroup = e->group.n / 2;
		n->group = freeze_vec(z, &e->group);
		n->group_pos = e->group_pos;
		n->flags |= ASLRT_JN_GROUP;
	}
	n->focus = fz_cstr(z, e->focus);
	n->index = fz_cstr(z, e->index);
	if (e->ancestor)
		n->ancestor = fz_cstr(z, e->ancestor->label);
	return n;
}

const struct aslrt_jn_expr *asl_jnb_freeze(struct asl_jn_b *b, struct asl_jnb_node *root)
{
	struct jn_owned *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	struct fz z = { b, o, 0 };
	o->e.text = fz_str(&z, b->text, b->len);
	o->e.root = freeze(&z, root);
	if (z.failed || !o->e.root) {
		asl_jn_free(&o->e);
		return NULL;
	}
	return &o->e;
}

void asl_jn_free(const struct aslrt_jn_expr *e)
{
	if (!e)
		return;
	struct jn_owned *o = (struct jn_owned *)e;
	for (size_t i = 0; i < o->n; i++)
		free(o->mem[i]);
	free(o->mem);
	free(o);
}
