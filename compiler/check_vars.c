/*
 * check_vars.c - workflow variables at compile time (AWS, "Passing data
 * between states with variables"):
 *   - Assign (on Pass, Task, Choice and its rules, Wait, Map, Parallel, and
 *     in Catch) is an object whose keys are variable names, `name.$` taking
 *     a path or an intrinsic;
 *   - a name is a letter or `_` followed by letters, digits or `_`, at most
 *     80 characters, and never the reserved `states`;
 *   - a Parallel branch or Map iteration reads the variables of the machines
 *     around it but must not assign one of theirs (no shadowing);
 *   - a `$name` read where no path from the start can have assigned it is an
 *     error: a forward "may be assigned" analysis over each machine's graph.
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

#include "jnrefs.h"

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 80)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int letter = (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
		if (!(letter || ch == '_' || ch >= 0x80 || (i > 0 && ch >= '0' && ch <= '9')))
			return 0;
	}
	return !(n == 6 && memcmp(s, "states", 6) == 0);
}

void check_variable_names(struct checker *c, const struct asl_json *v, int jsonata)
{
	for (int i = 0; i < v->n; i++) {
		const char *k = v->members[i].key;
		size_t n = strlen(k);
		if (!jsonata && n >= 2 && strcmp(k + n - 2, ".$") == 0)
			n -= 2;
		if (!name_ok(k, n)) {
			size_t l = push(c, "Assign");
			report(c, v->members[i].val, "SCHEMA_VALIDATION_FAILED", k,
			       "\"%.*s\" is not a valid variable name (a letter or '_', then "
			       "letters, digits or '_', at most 80 characters, not \"states\")",
			       (int)n, k);
			pop(c, l);
		}
	}
}

const struct aslrt_tmpl *check_assign(struct checker *c, const struct asl_json *v)
{
	if (v->type != ASL_J_OBJECT) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", "Assign",
		       "\"Assign\" must be an object of variable names and values");
		return NULL;
	}
	check_variable_names(c, v, 0);
	return tmpl(c, v, "Assign", 1);
}

/* ------------------------------------------------------- the analysis */

struct names {                     /* every name some Assign assigns      */
	int n;
	const char **v;
	struct asl_strmap index;       /* name -> its position in v (by hash) */
};

static int name_index(const struct names *u, const char *name)
{
	return asl_strmap_get(&u->index, name);
}

static void add_names(struct names *u, const struct aslrt_tmpl *assign)
{
	for (int i = 0; assign && i < assign->n; i++)
		if (name_index(u, assign->items[i].key) < 0) {
			const char **v = realloc(u->v, (size_t)(u->n + 1) * sizeof *v);
			if (!v)
				return;
			u->v = v;
			if (asl_strmap_add(&u->index, assign->items[i].key, u->n) < 0)
				return;
			u->v[u->n++] = assign->items[i].key;
		}
}

static void names_free(struct names *u)
{
	free(u->v);
	asl_strmap_free(&u->index);
}

/* Sets of names as byte arrays of u.n entries (0/1). */
static void set_add_assign(char *set, const struct names *u, const struct aslrt_tmpl *assign)
{
	for (int i = 0; assign && i < assign->n; i++) {
		int k = name_index(u, assign->items[i].key);
		if (k >= 0)
			set[k] = 1;
	}
}

/* Union from into into; 1 when into changed. */
static int merge(char *into, const char *from, int n)
{
	int changed = 0;
	for (int i = 0; i < n; i++)
		if (from[i] && !into[i])
			changed = into[i] = 1;
	return changed;
}

struct walk {
	struct checker *c;
	const struct names *u;
	const char *entry;             /* names that may be assigned here     */
	const struct asl_ir_state *st;
};

static void check_path(struct walk *w, const struct aslrt_path *p);

/* The paths among an intrinsic call's arguments, nested calls included. */
static void check_call_refs(struct walk *w, const struct aslrt_call *call)
{
	for (int i = 0; call && i < call->nargs; i++) {
		check_path(w, call->args[i].path);
		check_call_refs(w, call->args[i].call);
	}
}

static void check_name(struct walk *w, const char *name, const char *text);

/* A JSONata expression's reads: every `$name` it neither binds itself nor
 * names a function, and that is not `$`, `$$` or `$states`, is a workflow
 * variable (AWS, "Passing data between states with variables"). */
struct jn_scan {
	struct walk *w;
	const char *text;
	const char *bound[64];         /* names the expression binds           */
	int nbound, pass;
};

static void jn_var(void *ctx, enum rt_jn_ref_kind kind, const char *name, const char *member,
		   const struct aslrt_jn_node *node)
{
	struct jn_scan *k = ctx;
	(void)member;
	(void)node;
	if (k->pass == 0) {
		if (kind == RT_JN_BIND && k->nbound < (int)(sizeof k->bound / sizeof k->bound[0]))
			k->bound[k->nbound++] = name;
		return;
	}
	if (kind != RT_JN_READ || !*name || strcmp(name, "$") == 0 ||
	    strcmp(name, "states") == 0 || rt_jn_is_builtin(name))
		return;
	for (int i = 0; i < k->nbound; i++)
		if (strcmp(k->bound[i], name) == 0)
			return;
	if (k->nbound == (int)(sizeof k->bound / sizeof k->bound[0]))
		return;                    /* too many to tell: not checked */
	check_name(k->w, name, k->text);
}

static void check_jn_refs(struct walk *w, const struct aslrt_jn_expr *e)
{
	struct jn_scan k = { .w = w, .text = e->text ? e->text : "" };
	rt_jn_refs(e->root, jn_var, &k);
	k.pass = 1;
	rt_jn_refs(e->root, jn_var, &k);
}

static void check_tmpl_refs(struct walk *w, const struct aslrt_tmpl *t)
{
	if (!t)
		return;
	if (t->jn)
		check_jn_refs(w, t->jn);
	check_path(w, t->path);
	check_call_refs(w, t->call);
	for (int i = 0; i < t->n; i++)
		check_tmpl_refs(w, &t->items[i]);
}

static void check_filter(struct walk *w, const struct aslrt_filter *f)
{
	if (!f)
		return;
	check_path(w, f->lhs);
	check_path(w, f->rhs_path);
	check_filter(w, f->a);
	check_filter(w, f->b);
}

/* A `$name` read must be of a name that may be assigned on entry. */
static void check_path(struct walk *w, const struct aslrt_path *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nseg; i++)
		check_filter(w, p->seg[i].filter);
	if (p->root == ASLRT_ROOT_VAR)
		check_name(w, p->var, p->text);
}

/* A read of variable name in text (a path or an expression) must be of a
 * name that may be assigned on entry. */
static void check_name(struct walk *w, const char *name, const char *text)
{
	int k = name_index(w->u, name);
	if (k >= 0 && w->entry[k])
		return;
	asl_diag_add(w->c->d, ASL_ERROR, w->st->loc, "SCHEMA_VALIDATION_FAILED", w->st->s.pointer,
		     k < 0 ? "variable $%s is read in \"%s\" but never assigned (by this machine "
			     "or the machines around it)"
			   : "variable $%s is read in \"%s\" but no path from the start of its "
			     "machine assigns it before",
		     name, text);
}

static void check_rule_refs(struct walk *w, const struct asl_rule *r)
{
	check_path(w, r->cond.var);
	check_path(w, r->cond.rhs_path);
	check_tmpl_refs(w, r->assign);
	check_tmpl_refs(w, r->condition);
	check_tmpl_refs(w, r->output);
	for (int i = 0; i < r->n; i++)
		check_rule_refs(w, &r->kids[i]);
}

/* Every read of state st, against its entry set. */
static void check_reads(struct walk *w)
{
	const struct aslrt_state *s = &w->st->s;
	const struct aslrt_path *paths[] = {
		s->io.input_path, s->io.output_path, s->timeout_path, s->heartbeat_path,
		s->seconds_path, s->timestamp_path, s->items_path,
		s->max_concurrency_path, s->tolerated_percent_path, s->tolerated_count_path,
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		check_path(w, paths[i]);
	const struct aslrt_tmpl *tmpls[] = { s->io.parameters, s->io.result_selector, s->result,
					     s->item_selector, s->assign, s->error_expr,
					     s->cause_expr, s->output, s->arguments,
					     s->timeout_expr, s->heartbeat_expr, s->seconds_expr,
					     s->timestamp_expr, s->items, s->max_concurrency_expr,
					     s->tolerated_percent_expr, s->tolerated_count_expr };
	for (size_t i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++)
		check_tmpl_refs(w, tmpls[i]);
	for (int i = 0; i < s->ncatch; i++) {
		check_tmpl_refs(w, s->catchers[i].assign);
		check_tmpl_refs(w, s->catchers[i].output);
	}
	for (int i = 0; i < w->st->nrules; i++)
		check_rule_refs(w, &w->st->rules[i]);
}

/* The entry set of state t grows by out; a state whose set grew is queued
 * (once) to pass it on. */
static void pass_on(char *entry, const char *out, int nn, int t, int *queue, int *tail,
		    int cap, char *queued, int first)
{
	if (t < 0 || !merge(entry + (size_t)t * (size_t)nn, out, nn) || queued[t - first])
		return;
	queued[t - first] = 1;
	queue[*tail % cap] = t;
	(*tail)++;
}

/* Propagate entry sets through machine m until nothing changes: a worklist,
 * so each state is revisited only when its entry set grows (at most once per
 * name), whatever the order of the states in the document. */
static void flow(struct asl_ir *ir, const struct names *u, char *entry, int m)
{
	const struct asl_ir_machine *mc = &ir->machines[m];
	int nn = u->n, cap = mc->n + 1, head = 0, tail = 0;
	char *out = malloc((size_t)nn + 1), *queued = calloc((size_t)cap, 1);
	int *queue = malloc((size_t)cap * sizeof *queue);
	if (!out || !queued || !queue)
		goto done;
	for (int i = mc->first; i < mc->first + mc->n; i++) {
		queued[i - mc->first] = 1;
		queue[tail++ % cap] = i;
	}
	while (head < tail) {
		int i = queue[head++ % cap];
		queued[i - mc->first] = 0;
		const struct asl_ir_state *st = &ir->states[i];
		const char *in = entry + (size_t)i * (size_t)nn;
		memcpy(out, in, (size_t)nn);
		set_add_assign(out, u, st->s.assign);
		pass_on(entry, out, nn, st->s.next, queue, &tail, cap, queued, mc->first);
		if (st->s.type == ASLRT_CHOICE)
			pass_on(entry, out, nn, st->s.default_next, queue, &tail, cap, queued,
				mc->first);
		for (int k = 0; k < st->nrules; k++) {
			memcpy(out, in, (size_t)nn);
			if (st->s.jsonata)     /* the state's Assign applies on every rule */
				set_add_assign(out, u, st->s.assign);
			set_add_assign(out, u, st->rules[k].assign);
			pass_on(entry, out, nn, st->rules[k].next, queue, &tail, cap, queued,
				mc->first);
		}
		for (int k = 0; k < st->s.ncatch; k++) {
			memcpy(out, in, (size_t)nn);
			set_add_assign(out, u, st->s.catchers[k].assign);
			pass_on(entry, out, nn, st->s.catchers[k].next, queue, &tail, cap, queued,
				mc->first);
		}
	}
done:
	free(out);
	free(queued);
	free(queue);
}

/* For each machine, the state of it that first assigns each name (in its
 * own Assign, a Choice rule's or a catcher's): name -> state index. */
static struct asl_strmap *assigners(const struct asl_ir *ir)
{
	struct asl_strmap *by = calloc((size_t)ir->nmachines + 1, sizeof *by);
	for (int i = 0; by && i < ir->nstates; i++) {
		const struct asl_ir_state *o = &ir->states[i];
		struct asl_strmap *m = &by[o->machine];
		for (int q = 0; o->s.assign && q < o->s.assign->n; q++)
			asl_strmap_add(m, o->s.assign->items[q].key, i);
		for (int r = 0; r < o->nrules; r++)
			for (int q = 0; o->rules[r].assign && q < o->rules[r].assign->n; q++)
				asl_strmap_add(m, o->rules[r].assign->items[q].key, i);
		for (int r = 0; r < o->s.ncatch; r++)
			for (int q = 0; o->s.catchers[r].assign && q < o->s.catchers[r].assign->n; q++)
				asl_strmap_add(m, o->s.catchers[r].assign->items[q].key, i);
	}
	return by;
}

/* Assigning a name that a machine around this one assigns: shadowing. Walks
 * the enclosing machines only, by hash: linear in the definition overall. */
static void check_no_shadowing(struct checker *c, const struct asl_strmap *by,
			       const struct asl_ir_state *st, const struct aslrt_tmpl *assign)
{
	const struct asl_ir *ir = c->ir;
	for (int i = 0; by && assign && i < assign->n; i++)
		for (int m = ir->machines[st->machine].owner < 0 ? -1
			     : ir->states[ir->machines[st->machine].owner].machine;
		     m >= 0; m = ir->machines[m].owner < 0 ? -1
				 : ir->states[ir->machines[m].owner].machine) {
			int k = asl_strmap_get(&by[m], assign->items[i].key);
			if (k < 0)
				continue;
			asl_diag_add(c->d, ASL_ERROR, st->loc, "SCHEMA_VALIDATION_FAILED",
				     st->s.pointer, "variable $%s is assigned here and by state "
				     "\"%s\" of an enclosing machine: a Parallel branch or Map "
				     "iteration cannot assign a variable of an outer scope",
				     assign->items[i].key, ir->states[k].s.name);
			break;
		}
}

void check_variables(struct checker *c)
{
	struct asl_ir *ir = c->ir;
	struct names u = { 0 };
	for (int i = 0; i < ir->nstates; i++) {
		const struct asl_ir_state *st = &ir->states[i];
		add_names(&u, st->s.assign);
		for (int k = 0; k < st->nrules; k++)
			add_names(&u, st->rules[k].assign);
		for (int k = 0; k < st->s.ncatch; k++)
			add_names(&u, st->s.catchers[k].assign);
	}
	char *entry = calloc((size_t)ir->nstates * (size_t)(u.n ? u.n : 1), 1);
	if (!entry) {
		names_free(&u);
		return;
	}
	/* Machines in creation order: an owner's machine is always done before
	 * the machines nested in it, so its entry set is final when copied. */
	for (int m = 0; m < ir->nmachines; m++) {
		const struct asl_ir_machine *mc = &ir->machines[m];
		if (mc->start < 0)
			continue;
		if (mc->owner >= 0)
			memcpy(entry + (size_t)mc->start * u.n, entry + (size_t)mc->owner * u.n,
			       (size_t)u.n);
		flow(ir, &u, entry, m);
	}
	struct asl_strmap *by = assigners(ir);
	for (int i = 0; i < ir->nstates; i++) {
		const struct asl_ir_state *st = &ir->states[i];
		struct walk w = { c, &u, entry + (size_t)i * u.n, st };
		check_reads(&w);
		if (st->machine > 0) {
			check_no_shadowing(c, by, st, st->s.assign);
			for (int k = 0; k < st->nrules; k++)
				check_no_shadowing(c, by, st, st->rules[k].assign);
			for (int k = 0; k < st->s.ncatch; k++)
				check_no_shadowing(c, by, st, st->s.catchers[k].assign);
		}
	}
	for (int m = 0; by && m < ir->nmachines; m++)
		asl_strmap_free(&by[m]);
	free(by);
	free(entry);
	names_free(&u);
}
