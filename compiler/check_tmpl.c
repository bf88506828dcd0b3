/*
 * check_tmpl.c - payload templates (Parameters, ResultSelector, Pass Result) into
 * struct aslrt_tmpl trees; `.$` keys become paths or intrinsic calls.
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "rt.h"

/* ---------------------------------------------------------- templates */

static struct aslrt_tmpl *build_tmpl(struct checker *c, const struct asl_json *v,
				     int dynamic, struct aslrt_tmpl *t);

/* The value of a `key.$` member: a path ($ or $$) or an intrinsic. */
static void build_dynamic(struct checker *c, const struct asl_json *v, const char *key,
			  struct aslrt_tmpl *t)
{
	if (v->type != ASL_J_STRING) {
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "the value of \"%s\" must be a JSONPath or intrinsic function string",
		       key);
		return;
	}
	if (strncmp(v->str, "States.", 7) == 0) {
		char *err = NULL;
		int off = 0;
		struct aslrt_call *call = asl_intrinsic_parse(v->str, &err, &off);
		if (!call) {
			report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
			       "invalid intrinsic function \"%s\": %s (at offset %d)", v->str,
			       err ? err : "out of memory", off);
			free(err);
			return;
		}
		t->kind = ASLRT_T_INTRINSIC;
		t->call = asl_arena_keep_call(c->a, call);
		return;
	}
	if (v->str[0] != '$') {
		report(c, v, "SCHEMA_VALIDATION_FAILED", NULL,
		       "the value of \"%s\" must start with \"$\" (a path) or \"States.\" "
		       "(an intrinsic function)", key);
		return;
	}
	t->kind = ASLRT_T_PATH;
	t->path = parse_path(c, v, NULL, ASL_PATH_FULL);
}

const struct aslrt_tmpl *dynamic_value(struct checker *c, const struct asl_json *v,
				       const char *field)
{
	struct aslrt_tmpl *t = asl_arena_alloc(c->a, sizeof *t);
	if (!t)
		return NULL;
	size_t l = push(c, field);
	build_dynamic(c, v, field, t);
	pop(c, l);
	return t->path || t->call ? t : NULL;
}

/* Fill t from v. dynamic: keys ending in ".$" are paths (Parameters,
 * ResultSelector); otherwise everything is literal (Pass Result). */
static struct aslrt_tmpl *build_tmpl(struct checker *c, const struct asl_json *v,
				     int dynamic, struct aslrt_tmpl *t)
{
	switch (v->type) {
	case ASL_J_NULL: t->kind = ASLRT_T_NULL; break;
	case ASL_J_TRUE: t->kind = ASLRT_T_TRUE; break;
	case ASL_J_FALSE: t->kind = ASLRT_T_FALSE; break;
	case ASL_J_NUMBER: t->kind = ASLRT_T_NUMBER; t->num = v->num; break;
	case ASL_J_STRING: t->kind = ASLRT_T_STRING; t->str = v->str; break;
	case ASL_J_ARRAY:
	case ASL_J_OBJECT: {
		t->kind = v->type == ASL_J_ARRAY ? ASLRT_T_ARRAY : ASLRT_T_OBJECT;
		t->n = v->n;
		struct aslrt_tmpl *items = asl_arena_alloc(c->a, (size_t)v->n * sizeof *items);
		t->items = items;
		for (int i = 0; items && i < v->n; i++) {
			if (v->type == ASL_J_ARRAY) {
				size_t l = push_index(c, i);
				build_tmpl(c, v->items[i], dynamic, &items[i]);
				pop(c, l);
				continue;
			}
			const struct asl_member *m = &v->members[i];
			size_t klen = strlen(m->key);
			size_t l = push(c, m->key);
			if (dynamic && klen >= 2 && strcmp(m->key + klen - 2, ".$") == 0) {
				char *key = asl_arena_alloc(c->a, klen - 1);
				if (key)
					memcpy(key, m->key, klen - 2);
				items[i].key = key;
				build_dynamic(c, m->val, m->key, &items[i]);
			} else {
				items[i].key = m->key;
				build_tmpl(c, m->val, dynamic, &items[i]);
			}
			pop(c, l);
		}
		break;
	}
	}
	return t;
}

const struct aslrt_tmpl *tmpl(struct checker *c, const struct asl_json *v,
				     const char *field, int dynamic)
{
	struct aslrt_tmpl *t = asl_arena_alloc(c->a, sizeof *t);
	if (!t)
		return NULL;
	size_t l = push(c, field);
	build_tmpl(c, v, dynamic, t);
	pop(c, l);
	return t;
}
