/*
 * jsonata_process.c - the post-parse stage of the reference implementation
 * (jsonata-js parser.js processAST, tailCallOptimize, seekParent,
 * pushAncestry, resolveAncestry), applied to the raw tree the grammar built.
 *
 * It flattens `.` chains into PATH nodes of steps, moves predicates onto
 * steps as stages, attaches group-by objects, sort steps, focus (`@`) and
 * index (`#`) bindings, resolves each parent operator `%` to the step whose
 * context it names (labelling that step as an ancestor and switching the
 * path into tuple-stream mode), wraps tail calls of lambda bodies in thunks,
 * and reports the structural errors S0209, S0210, S0213, S0215, S0216 and
 * S0217. The code follows the reference closely, including its sharing of
 * seekingParent lists, because the evaluator depends on the exact result.
 */
#include "jsonata_build.h"

#include <stdio.h>
#include <string.h>

static struct asl_jnb_node *process(struct asl_jn_b *b, struct asl_jnb_node *e);

static int is_op(const struct asl_jnb_node *n, const char *op)
{
	return n->value && !strcmp(n->value, op);
}

static struct asl_jnb_node *last_step(struct asl_jnb_node *path)
{
	return path->list.v[path->list.n - 1];
}

static int slots_push(struct asl_jn_b *b, struct asl_jnb_slots *s, struct asl_jnb_slot *slot)
{
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 4;
		struct asl_jnb_slot **v = asl_jnb_alloc(b, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		if (s->n)
			memcpy(v, s->v, (size_t)s->n * sizeof *v);
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = slot;
	return 0;
}

static struct asl_jnb_slots *slots_new(struct asl_jn_b *b)
{
	return asl_jnb_alloc(b, sizeof(struct asl_jnb_slots));
}

/* seekParent: walk back from node to the step whose context the slot's
 * `%` refers to; that step gets the slot as its ancestor label. */
static struct asl_jnb_slot *seek_parent(struct asl_jn_b *b, struct asl_jnb_node *node,
					struct asl_jnb_slot *slot)
{
	switch (node->type) {
	case JB_NAME:
	case JB_WILDCARD:
		slot->level--;
		if (slot->level == 0) {
			if (!node->ancestor) {
				node->ancestor = slot;
			} else {
				/* reuse the existing label */
				struct asl_jnb_node *p = b->ancestry[slot->index];
				memcpy(p->slot->label, node->ancestor->label,
				       sizeof p->slot->label);
				node->ancestor = slot;
			}
			node->tuple = 1;
		}
		break;
	case JB_PARENT:
		slot->level++;
		break;
	case JB_BLOCK:
		if (node->list.n > 0) {
			node->tuple = 1;
			slot = seek_parent(b, node->list.v[node->list.n - 1], slot);
		}
		break;
	case JB_PATH: {
		node->tuple = 1;
		int index = node->list.n - 1;
		slot = seek_parent(b, node->list.v[index--], slot);
		while (slot && slot->level > 0 && index >= 0)
			slot = seek_parent(b, node->list.v[index--], slot);
		break;
	}
	default:
		asl_jnb_error(b, "S0217", node->pos,
			 "the object representing the 'parent' cannot be derived from this expression");
		return NULL;
	}
	return slot;
}

/* pushAncestry: result inherits value's unresolved parent slots. */
static int push_ancestry(struct asl_jn_b *b, struct asl_jnb_node *result,
			 struct asl_jnb_node *value)
{
	if (!value || (!value->seeking && value->type != JB_PARENT))
		return 0;
	struct asl_jnb_slots *slots = value->seeking ? value->seeking : slots_new(b);
	if (!slots)
		return -1;
	if (value->type == JB_PARENT && slots_push(b, slots, value->slot))
		return -1;
	if (!result->seeking) {
		result->seeking = slots;
	} else {
		int n = slots->n;
		for (int i = 0; i < n; i++)
			if (slots_push(b, result->seeking, slots->v[i]))
				return -1;
	}
	return 0;
}

/* resolveAncestry: match the parent slots sought by the last step of path
 * against its earlier steps; what stays unresolved is sought by the path. */
static int resolve_ancestry(struct asl_jn_b *b, struct asl_jnb_node *path)
{
	int index = path->list.n - 1;
	struct asl_jnb_node *laststep = path->list.v[index];
	struct asl_jnb_slots *slots = laststep->seeking;
	if (!slots && !(slots = slots_new(b)))
		return -1;
	if (laststep->type == JB_PARENT && slots_push(b, slots, laststep->slot))
		return -1;
	for (int is = 0; is < slots->n; is++) {
		struct asl_jnb_slot *slot = slots->v[is];
		index = path->list.n - 2;
		while (slot->level > 0) {
			if (index < 0) {
				if (!path->seeking && !(path->seeking = slots_new(b)))
					return -1;
				if (slots_push(b, path->seeking, slot))
					return -1;
				break;
			}
			struct asl_jnb_node *step = path->list.v[index--];
			/* contiguous steps that bind the focus are skipped */
			while (index >= 0 && step->focus && path->list.v[index]->focus)
				step = path->list.v[index--];
			slot = seek_parent(b, step, slot);
			if (!slot)
				return -1;
		}
	}
	return 0;
}

/* tailCallOptimize: a call in tail position becomes a thunk the apply
 * loop trampolines, so tail recursion does not grow the stack. */
static struct asl_jnb_node *tail_call_optimize(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	if (e->type == JB_FUNCTION && !e->has_predicate) {
		struct asl_jnb_node *t = asl_jnb_new(b, JB_LAMBDA, "function", e->pos);
		if (!t)
			return NULL;
		t->thunk = 1;
		t->body = e;
		return t;
	}
	if (e->type == JB_CONDITION) {
		if (!(e->then = tail_call_optimize(b, e->then)))
			return NULL;
		if (e->els && !(e->els = tail_call_optimize(b, e->els)))
			return NULL;
		return e;
	}
	if (e->type == JB_BLOCK && e->list.n > 0) {
		struct asl_jnb_node *l = tail_call_optimize(b, e->list.v[e->list.n - 1]);
		if (!l)
			return NULL;
		e->list.v[e->list.n - 1] = l;
	}
	return e;
}

static struct asl_jnb_node *new_path(struct asl_jn_b *b, struct asl_jnb_node *first, int pos)
{
	struct asl_jnb_node *p = asl_jnb_new(b, JB_PATH, "path", pos);
	if (!p || asl_jnb_push(b, &p->list, first))
		return NULL;
	return p;
}

/* binary '.': a path of steps. */
static struct asl_jnb_node *process_dot(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	struct asl_jnb_node *lstep = process(b, e->lhs);
	if (!lstep)
		return NULL;
	struct asl_jnb_node *result = lstep->type == JB_PATH ? lstep : new_path(b, lstep, e->pos);
	if (!result)
		return NULL;
	if (lstep->type == JB_PARENT) {
		if (!(result->seeking = slots_new(b)) || slots_push(b, result->seeking,
								    lstep->slot))
			return NULL;
	}
	struct asl_jnb_node *rest = process(b, e->rhs);
	if (!rest)
		return NULL;
	if (rest->type == JB_PATH) {
		for (int i = 0; i < rest->list.n; i++)
			if (asl_jnb_push(b, &result->list, rest->list.v[i]))
				return NULL;
	} else {
		if (rest->has_predicate) {
			rest->stages = rest->predicate;
			rest->has_stages = 1;
			memset(&rest->predicate, 0, sizeof rest->predicate);
			rest->has_predicate = 0;
		}
		if (asl_jnb_push(b, &result->list, rest))
			return NULL;
	}
	for (int i = 0; i < result->list.n; i++) {
		struct asl_jnb_node *step = result->list.v[i];
		if (step->type == JB_NUMBER || step->type == JB_VALUE) {
			asl_jnb_error(b, "S0213", step->pos,
				 "the literal value %s cannot be used as a step within a path expression",
				 step->type == JB_NUMBER ? "(number)" : "(true, false or null)");
			return NULL;
		}
		if (step->type == JB_STRING)
			step->type = JB_NAME;
	}
	for (int i = 0; i < result->list.n; i++)
		if (result->list.v[i]->keep_array)
			result->keep_singleton = 1;
	struct asl_jnb_node *first = result->list.v[0], *last = last_step(result);
	if (first->type == JB_UNARY && is_op(first, "["))
		first->consarray = 1;
	if (last->type == JB_UNARY && is_op(last, "["))
		last->consarray = 1;
	if (resolve_ancestry(b, result))
		return NULL;
	return result;
}

/* binary '[': a predicate on a step (stages) or on any value (predicate). */
static struct asl_jnb_node *process_filter(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	struct asl_jnb_node *result = process(b, e->lhs);
	if (!result)
		return NULL;
	struct asl_jnb_node *step = result;
	int stages = 0;
	if (result->type == JB_PATH) {
		step = last_step(result);
		stages = 1;
	}
	if (step->has_group) {
		asl_jnb_error(b, "S0209", e->pos,
			 "a predicate cannot follow a grouping expression in a step");
		return NULL;
	}
	struct asl_jnb_node *pred = process(b, e->rhs);
	if (!pred)
		return NULL;
	if (pred->seeking) {
		for (int i = 0; i < pred->seeking->n; i++) {
			struct asl_jnb_slot *slot = pred->seeking->v[i];
			if (slot->level == 1) {
				if (!seek_parent(b, step, slot))
					return NULL;
			} else {
				slot->level--;
			}
		}
		if (push_ancestry(b, step, pred))
			return NULL;
	}
	struct asl_jnb_node *f = asl_jnb_new(b, JB_FILTER, "filter", e->pos);
	if (!f)
		return NULL;
	f->expr = pred;
	if (stages) {
		step->has_stages = 1;
		if (asl_jnb_push(b, &step->stages, f))
			return NULL;
	} else {
		step->has_predicate = 1;
		if (asl_jnb_push(b, &step->predicate, f))
			return NULL;
	}
	return result;
}

static struct asl_jnb_node *process_binary(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	const char *op = e->value;
	if (!strcmp(op, "."))
		return process_dot(b, e);
	if (!strcmp(op, "["))
		return process_filter(b, e);
	if (!strcmp(op, "{")) {
		/* group-by */
		struct asl_jnb_node *result = process(b, e->lhs);
		if (!result)
			return NULL;
		if (result->has_group) {
			asl_jnb_error(b, "S0210", e->pos,
				 "each step can only have one grouping expression");
			return NULL;
		}
		result->has_group = 1;
		result->group_pos = e->pos;
		memset(&result->group, 0, sizeof result->group);
		for (int i = 0; i < e->pairs.n; i++) {
			struct asl_jnb_node *x = process(b, e->pairs.v[i]);
			if (!x || asl_jnb_push(b, &result->group, x))
				return NULL;
		}
		return result;
	}
	if (!strcmp(op, "^")) {
		struct asl_jnb_node *result = process(b, e->lhs);
		if (!result)
			return NULL;
		if (result->type != JB_PATH && !(result = new_path(b, result, e->pos)))
			return NULL;
		struct asl_jnb_node *sort = asl_jnb_new(b, JB_SORT, "sort", e->pos);
		if (!sort)
			return NULL;
		for (int i = 0; i < e->list.n; i++) {
			struct asl_jnb_node *term = e->list.v[i];
			struct asl_jnb_node *x = process(b, term->expression);
			if (!x || push_ancestry(b, sort, x))
				return NULL;
			struct asl_jnb_node *t = asl_jnb_new(b, JB_SORT, "term", term->pos);
			if (!t)
				return NULL;
			t->expression = x;
			t->descending = term->descending;
			if (asl_jnb_push(b, &sort->list, t))
				return NULL;
		}
		if (asl_jnb_push(b, &result->list, sort) || resolve_ancestry(b, result))
			return NULL;
		return result;
	}
	if (!strcmp(op, ":=")) {
		struct asl_jnb_node *r = asl_jnb_new(b, JB_BIND, ":=", e->pos);
		if (!r || !(r->lhs = process(b, e->lhs)) || !(r->rhs = process(b, e->rhs)) ||
		    push_ancestry(b, r, r->rhs))
			return NULL;
		return r;
	}
	if (!strcmp(op, "@")) {
		struct asl_jnb_node *result = process(b, e->lhs);
		if (!result)
			return NULL;
		struct asl_jnb_node *step = result->type == JB_PATH ? last_step(result) : result;
		if (step->has_stages || step->has_predicate) {
			asl_jnb_error(b, "S0215", e->pos,
				 "a context variable binding must precede any predicates on a step");
			return NULL;
		}
		if (step->type == JB_SORT) {
			asl_jnb_error(b, "S0216", e->pos,
				 "a context variable binding must precede the 'order-by' clause on a step");
			return NULL;
		}
		if (e->keep_array)
			step->keep_array = 1;
		step->focus = e->rhs->str;
		step->tuple = 1;
		return result;
	}
	if (!strcmp(op, "#")) {
		struct asl_jnb_node *result = process(b, e->lhs);
		if (!result)
			return NULL;
		struct asl_jnb_node *step = result;
		if (result->type == JB_PATH) {
			step = last_step(result);
		} else {
			if (!(result = new_path(b, result, e->pos)))
				return NULL;
			if (step->has_predicate) {
				step->stages = step->predicate;
				step->has_stages = 1;
				memset(&step->predicate, 0, sizeof step->predicate);
				step->has_predicate = 0;
			}
		}
		if (!step->has_stages) {
			step->index = e->rhs->str;
		} else {
			struct asl_jnb_node *ix = asl_jnb_new(b, JB_INDEX, "index", e->pos);
			if (!ix)
				return NULL;
			ix->str = e->rhs->str;
			if (asl_jnb_push(b, &step->stages, ix))
				return NULL;
		}
		step->tuple = 1;
		return result;
	}
	if (!strcmp(op, "~>")) {
		struct asl_jnb_node *r = asl_jnb_new(b, JB_APPLY, "~>", e->pos);
		if (!r || !(r->lhs = process(b, e->lhs)) || !(r->rhs = process(b, e->rhs)))
			return NULL;
		r->keep_array = r->lhs->keep_array || r->rhs->keep_array;
		return r;
	}
	struct asl_jnb_node *r = asl_jnb_new(b, JB_BINARY, op, e->pos);
	if (!r || !(r->lhs = process(b, e->lhs)) || !(r->rhs = process(b, e->rhs)) ||
	    push_ancestry(b, r, r->lhs) || push_ancestry(b, r, r->rhs))
		return NULL;
	return r;
}

static struct asl_jnb_node *process_unary(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	struct asl_jnb_node *r = asl_jnb_new(b, JB_UNARY, e->value, e->pos);
	if (!r)
		return NULL;
	if (is_op(e, "[")) {
		for (int i = 0; i < e->list.n; i++) {
			struct asl_jnb_node *x = process(b, e->list.v[i]);
			if (!x || push_ancestry(b, r, x) || asl_jnb_push(b, &r->list, x))
				return NULL;
		}
	} else if (is_op(e, "{")) {
		for (int i = 0; i < e->pairs.n; i++) {
			struct asl_jnb_node *x = process(b, e->pairs.v[i]);
			if (!x || push_ancestry(b, r, x) || asl_jnb_push(b, &r->pairs, x))
				return NULL;
		}
	} else {
		if (!(r->expression = process(b, e->expression)))
			return NULL;
		if (r->expression->type == JB_NUMBER) {
			/* unary minus on a number literal folds */
			r = r->expression;
			r->num = -r->num;
		} else if (push_ancestry(b, r, r->expression)) {
			return NULL;
		}
	}
	return r;
}

static struct asl_jnb_node *process(struct asl_jn_b *b, struct asl_jnb_node *e)
{
	struct asl_jnb_node *r = NULL;
	switch (e->type) {
	case JB_BINARY:
		r = process_binary(b, e);
		break;
	case JB_UNARY:
		r = process_unary(b, e);
		break;
	case JB_FUNCTION:
	case JB_PARTIAL:
		if (!(r = asl_jnb_new(b, e->type, e->value, e->pos)))
			return NULL;
		for (int i = 0; i < e->list.n; i++) {
			struct asl_jnb_node *x = process(b, e->list.v[i]);
			if (!x || push_ancestry(b, r, x) || asl_jnb_push(b, &r->list, x))
				return NULL;
		}
		if (!(r->procedure = process(b, e->procedure)))
			return NULL;
		break;
	case JB_LAMBDA: {
		if (!(r = asl_jnb_new(b, JB_LAMBDA, e->value, e->pos)))
			return NULL;
		r->list = e->list;
		r->sig = e->sig;
		r->sig_pos = e->sig_pos;
		struct asl_jnb_node *body = process(b, e->body);
		if (!body || !(r->body = tail_call_optimize(b, body)))
			return NULL;
		break;
	}
	case JB_CONDITION:
	case JB_ELVIS:
	case JB_COALESCE:
		if (!(r = asl_jnb_new(b, e->type, e->value, e->pos)))
			return NULL;
		if (e->type != JB_CONDITION) {
			if (!(r->lhs = process(b, e->lhs)) || push_ancestry(b, r, r->lhs) ||
			    !(r->rhs = process(b, e->rhs)) || push_ancestry(b, r, r->rhs))
				return NULL;
			break;
		}
		if (!(r->condition = process(b, e->condition)) ||
		    push_ancestry(b, r, r->condition) ||
		    !(r->then = process(b, e->then)) || push_ancestry(b, r, r->then))
			return NULL;
		if (e->els && (!(r->els = process(b, e->els)) || push_ancestry(b, r, r->els)))
			return NULL;
		break;
	case JB_TRANSFORM:
		if (!(r = asl_jnb_new(b, JB_TRANSFORM, e->value, e->pos)) ||
		    !(r->pattern = process(b, e->pattern)) || !(r->update = process(b, e->update)))
			return NULL;
		if (e->del && !(r->del = process(b, e->del)))
			return NULL;
		break;
	case JB_BLOCK:
		if (!(r = asl_jnb_new(b, JB_BLOCK, e->value, e->pos)))
			return NULL;
		for (int i = 0; i < e->list.n; i++) {
			struct asl_jnb_node *x = process(b, e->list.v[i]);
			if (!x || push_ancestry(b, r, x) || asl_jnb_push(b, &r->list, x))
				return NULL;
			if (x->consarray || (x->type == JB_PATH && x->list.v[0]->consarray))
				r->consarray = 1;
		}
		break;
	case JB_NAME:
		if (!(r = new_path(b, e, e->pos)))
			return NULL;
		if (e->keep_array)
			r->keep_singleton = 1;
		break;
	case JB_PARENT: {
		if (!(r = asl_jnb_new(b, JB_PARENT, "%", e->pos)))
			return NULL;
		struct asl_jnb_slot *slot = asl_jnb_alloc(b, sizeof *slot);
		if (!slot)
			return NULL;
		snprintf(slot->label, sizeof slot->label, "!%d", b->ancestor_label++);
		slot->level = 1;
		slot->index = b->ancestor_index++;
		r->slot = slot;
		if (b->nancestry == b->capancestry) {
			int cap = b->capancestry ? b->capancestry * 2 : 8;
			struct asl_jnb_node **v = asl_jnb_alloc(b, (size_t)cap * sizeof *v);
			if (!v)
				return NULL;
			if (b->nancestry)
				memcpy(v, b->ancestry, (size_t)b->nancestry * sizeof *v);
			/* b->ancestry is pool memory: never freed on its own */
			b->ancestry = v;
			b->capancestry = cap;
		}
		b->ancestry[b->nancestry++] = r;
		break;
	}
	case JB_STRING:
	case JB_NUMBER:
	case JB_VALUE:
	case JB_WILDCARD:
	case JB_DESCENDANT:
	case JB_VARIABLE:
	case JB_REGEX:
		r = e;
		break;
	case JB_OPERATOR:
		if (is_op(e, "and") || is_op(e, "or") || is_op(e, "in")) {
			/* the keyword used as a field name */
			e->type = JB_NAME;
			e->str = (char *)e->value;
			e->len = strlen(e->value);
			r = process(b, e);
		} else {
			r = e;   /* `?` of a partial application */
		}
		break;
	default:
		asl_jnb_error(b, "S0206", e->pos, "unknown expression type");
		return NULL;
	}
	if (r && e->keep_array)
		r->keep_array = 1;
	return r;
}

struct asl_jnb_node *asl_jnb_process(struct asl_jn_b *b, struct asl_jnb_node *raw)
{
	struct asl_jnb_node *e = process(b, raw);
	if (!e)
		return NULL;
	if (e->type == JB_PARENT || e->seeking) {
		asl_jnb_error(b, "S0217", e->pos,
			 "the object representing the 'parent' cannot be derived from this expression");
		return NULL;
	}
	return e;
}
