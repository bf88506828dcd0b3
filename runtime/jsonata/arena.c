/*
 * arena.c - the memory of one evaluation: chunks from rt_malloc, carved up
 * by bump allocation and released together (jn_arena_free). The total is
 * held to the evaluation's budget (aslrt_jn_options.max_bytes); going over it
 * is the error U1002, which Step Functions reports as
 * States.QueryEvaluationError like every other evaluation failure.
 */
#include "jn.h"
#include "rt.h"

#include <string.h>

#define CHUNK 65536u

struct jn_chunk {
	struct jn_chunk *next;
	size_t size;
	/* payload follows, aligned for any value */
	_Alignas(16) char data[];
};

/* A new chunk with at least n bytes of payload, linked in front of the
 * list; NULL after recording the error. */
static struct jn_chunk *chunk_new(struct jn_ctx *c, size_t n)
{
	if (c->bytes + n + sizeof(struct jn_chunk) > c->max_bytes) {
		jn_error(c, "U1002", -1, NULL);
		return NULL;
	}
	struct jn_chunk *k = rt_malloc(sizeof *k + n);
	if (!k) {
		c->oom = 1;
		jn_error(c, "U1002", -1, NULL);
		return NULL;
	}
	k->size = n;
	k->next = c->chunks;
	c->chunks = k;
	c->bytes += n + sizeof *k;
	return k;
}

void *jn_alloc(struct jn_ctx *c, size_t n)
{
	n = (n + 15u) & ~(size_t)15u;
	if (n == 0)
		n = 16;
	if ((size_t)(c->end - c->cur) >= n) {
		void *p = c->cur;
		c->cur += n;
		memset(p, 0, n);
		return p;
	}
	if (n > CHUNK / 4) {
		/* big: a chunk of its own, behind the current one so the
		 * current chunk's free space stays usable */
		struct jn_chunk *k = chunk_new(c, n);
		if (!k)
			return NULL;
		if (k->next) {
			struct jn_chunk *cur = k->next;
			c->chunks = cur;
			k->next = cur->next;
			cur->next = k;
		}
		memset(k->data, 0, n);
		return k->data;
	}
	struct jn_chunk *k = chunk_new(c, CHUNK);
	if (!k)
		return NULL;
	c->cur = k->data + n;
	c->end = k->data + CHUNK;
	memset(k->data, 0, n);
	return k->data;
}

void jn_arena_free(struct jn_ctx *c)
{
	struct jn_chunk *k = c->chunks;
	while (k) {
		struct jn_chunk *next = k->next;
		rt_free(k);
		k = next;
	}
	c->chunks = NULL;
	c->cur = c->end = NULL;
	c->bytes = 0;
}
