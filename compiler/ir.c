/*
 * ir.c - the IR's arena and identifiers.
 */
#include "ir.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "jsonata.h"
#include "path.h"

struct asl_arena_block {
	struct asl_arena_block *next;
	max_align_t data[];
};

void *asl_arena_alloc(struct asl_arena *a, size_t n)
{
	struct asl_arena_block *b = calloc(1, sizeof *b + (n ? n : 1));
	if (!b)
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

struct aslrt_path *asl_arena_keep_path(struct asl_arena *a, struct aslrt_path *p)
{
	if (!p)
		return NULL;
	if (a->npaths == a->cap) {
		int cap = a->cap ? a->cap * 2 : 16;
		struct aslrt_path **v = realloc(a->paths, (size_t)cap * sizeof *v);
		if (!v) {
			asl_path_free(p);
			return NULL;
		}
		a->paths = v;
		a->cap = cap;
	}
	a->paths[a->npaths++] = p;
	return p;
}

struct aslrt_call *asl_arena_keep_call(struct asl_arena *a, struct aslrt_call *c)
{
	if (!c)
		return NULL;
	if (a->ncalls == a->callcap) {
		int cap = a->callcap ? a->callcap * 2 : 8;
		struct aslrt_call **v = realloc(a->calls, (size_t)cap * sizeof *v);
		if (!v) {
			asl_intrinsic_free(c);
			return NULL;
		}
		a->calls = v;
		a->callcap = cap;
	}
	a->calls[a->ncalls++] = c;
	return c;
}

void asl_arena_free(struct asl_arena *a)
{
	for (struct asl_arena_block *b = a->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	for (int i = 0; i < a->npaths; i++)
		asl_path_free(a->paths[i]);
	free(a->paths);
	for (int i = 0; i < a->ncalls; i++)
		asl_intrinsic_free(a->calls[i]);
	free(a->calls);
	memset(a, 0, sizeof *a);
}

void asl_ir_free(struct asl_ir *ir)
{
	free(ir->cname);
	for (int i = 0; i < ir->nstates; i++)
		free(ir->states[i].cname);
	free(ir->states);
	free(ir->machines);
	free(ir->resources);
	for (int i = 0; i < ir->njn; i++)
		asl_jn_free(ir->jn[i]);
	free(ir->jn);
	asl_arena_free(&ir->arena);
}

char *asl_mangle(const char *s)
{
	size_t n = strlen(s);
	char *m = malloc(n + 2), *o = m;
	if (!m)
		return NULL;
	if (n == 0 || isdigit((unsigned char)s[0]))
		*o++ = '_';
	for (; *s; s++)
		*o++ = isalnum((unsigned char)*s) && (unsigned char)*s < 0x80 ? *s : '_';
	*o = '\0';
	return m;
}
