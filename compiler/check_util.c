/*
 * check_util.c - located reporting and value helpers shared by the checks.
 */
#include "checker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* ------------------------------------------------------------ reporting */

/* Error at the value `at`; the pointer is c->ptr plus "/field" when given. */
void report(struct checker *c, const struct asl_json *at, const char *code,
		   const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char ptr[1200];
	snprintf(ptr, sizeof ptr, "%s%s%s", c->ptr, field ? "/" : "", field ? field : "");
	struct asl_loc loc = at ? at->loc : (struct asl_loc){ 0, 0 };
	asl_diag_add(c->d, ASL_ERROR, loc, code, ptr, "%s", msg);
}

/* Append /seg (escaped per RFC 6901) to c->ptr; returns the old length so the
 * caller can restore it with pop(). */
size_t push(struct checker *c, const char *seg)
{
	size_t len = strlen(c->ptr), o = len;
	if (o + 1 < sizeof c->ptr)
		c->ptr[o++] = '/';
	for (; *seg && o + 2 < sizeof c->ptr; seg++) {
		if (*seg == '~' || *seg == '/') {
			c->ptr[o++] = '~';
			c->ptr[o++] = *seg == '~' ? '0' : '1';
		} else {
			c->ptr[o++] = *seg;
		}
	}
	c->ptr[o] = '\0';
	return len;
}

size_t push_index(struct checker *c, int i)
{
	char b[16];
	snprintf(b, sizeof b, "%d", i);
	return push(c, b);
}

void pop(struct checker *c, size_t len)
{
	c->ptr[len] = '\0';
}

/* --------------------------------------------------------------- values */

int is_int_in(const struct asl_json *v, double lo, double hi)
{
	return v->type == ASL_J_NUMBER && v->num == floor(v->num) && v->num >= lo &&
	       v->num <= hi && !strpbrk(v->str, ".eE");
}

/* Parse a path field value (string) in the given mode; report a located
 * error naming the field. Returns the path (kept by the arena) or NULL. */
const struct aslrt_path *parse_path(struct checker *c, const struct asl_json *v,
					   const char *field, enum asl_path_mode mode)
{
	char *err = NULL;
	int off = 0;
	struct aslrt_path *p = asl_path_parse(v->str, mode, &err, &off);
	if (!p) {
		/* Quote at most 200 bytes (never half a UTF-8 character), so that
		 * the reason still fits in the message of a very long path. */
		int len = (int)strlen(v->str), shown = len < 200 ? len : 200;
		while (shown < len && ((unsigned char)v->str[shown] & 0xc0) == 0x80)
			shown--;
		report(c, v, "SCHEMA_VALIDATION_FAILED", field,
		       "invalid %s \"%.*s%s\": %s (at offset %d)",
		       mode == ASL_PATH_REFERENCE ? "reference path" : "JSONPath", shown,
		       v->str, shown < len ? "..." : "", err ? err : "out of memory", off);
		free(err);
		return NULL;
	}
	return asl_arena_keep_path(c->a, p);
}

/* ------------------------------------------------------------ lookups */

/* A Next, Default, StartAt or catcher Next names a state of its own machine
 * only (States Language spec, "Parallel State": "states within a branch may
 * only transition to other states in that branch"; "Map State": the same for
 * the ItemProcessor). When the name is that of a state elsewhere, say where,
 * since that is the likely mistake. */
void missing_target(struct checker *c, const struct asl_json *v, const char *field)
{
	int g = asl_strmap_get(&c->names, v->str);
	int m = (int)(c->m - c->ir->machines);
	if (c->broken)
		c->broken[m] = 1;
	if (g < 0) {
		report(c, v, "MISSING_TRANSITION_TARGET", field,
		       c->m->owner < 0 ? "no state named \"%s\" in this state machine"
				       : "no state named \"%s\" in this nested state machine",
		       v->str);
		return;
	}
	const struct asl_ir_machine *there = &c->ir->machines[c->ir->states[g].machine];
	report(c, v, "MISSING_TRANSITION_TARGET", field,
	       "no state named \"%s\" in this %s; there is one at %s, in %s: a transition "
	       "can only go to a state of the same machine", v->str,
	       c->m->owner < 0 ? "state machine" : "nested state machine",
	       c->ir->states[g].s.pointer,
	       there->owner < 0 ? "the top-level state machine"
	       : c->ir->states[there->owner].s.type == ASLRT_PARALLEL ? "a Parallel branch"
								     : "a Map's item processor");
}

/* Resolve a transition target named by string v in field; -1 + report when
 * missing. */
int target(struct checker *c, const struct asl_json *v, const char *field)
{
	if (!v || v->type != ASL_J_STRING)
		return -1;
	int i = state_index(c, v->str);
	if (i < 0)
		missing_target(c, v, field);
	return i;
}

void warn(struct checker *c, const struct asl_json *at, const char *code, const char *field,
	  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char ptr[1200];
	snprintf(ptr, sizeof ptr, "%s%s%s", c->ptr, field ? "/" : "", field ? field : "");
	struct asl_loc loc = at ? at->loc : (struct asl_loc){ 0, 0 };
	asl_diag_add(c->d, ASL_WARNING, loc, code, ptr, "%s", msg);
}

int only_fields(struct checker *c, const struct asl_json *row, const char *const *allowed)
{
	int ok = 1;
	for (int i = 0; i < row->n; i++) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, row->members[i].key) != 0)
			a++;
		if (!*a) {
			report(c, row->members[i].val, "SCHEMA_VALIDATION_FAILED", row->members[i].key,
			       "unknown field \"%s\"", row->members[i].key);
			ok = 0;
		}
	}
	return ok;
}

double num_field(struct checker *c, const struct asl_json *row, const char *name,
			double dflt, double lo, double hi, int integer)
{
	const struct asl_json *v = asl_json_get(row, name);
	if (!v)
		return dflt;
	if (v->type != ASL_J_NUMBER || v->num < lo || v->num > hi ||
	    (integer && !is_int_in(v, lo, hi))) {
		char range[64];
		snprintf(range, sizeof range, hi >= 99999999 ? "at least %.15g" : "from %.15g to %.15g", lo, hi);
		report(c, v, "SCHEMA_VALIDATION_FAILED", name, "\"%s\" must be %s %s", name,
		       integer ? "an integer" : "a number", range);
		return dflt;
	}
	return v->num;
}
