/*
 * alloc.c - the one allocation hook of libaslrt. Every runtime allocation, and
 * cJSON's, goes through rt_malloc/rt_free, so a test can make the Nth one fail
 * (ASLRT_FAIL_ALLOC_AT=N in the environment, read by rt_alloc_init).
 */
#include "rt.h"

#include <stdlib.h>
#include <string.h>

static long fail_at;   /* 0 = never; else the 1-based call that fails */
static long calls;

static int should_fail(void)
{
	return fail_at > 0 && ++calls == fail_at;
}

void *rt_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n ? n : 1);
}

void *rt_calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *rt_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void rt_free(void *p)
{
	free(p);
}

char *rt_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = rt_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void *cjson_malloc(size_t n)
{
	return rt_malloc(n);
}

/* Point cJSON at the hook and read the fault-injection setting. Idempotent. */
void rt_alloc_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	const char *at = getenv("ASLRT_FAIL_ALLOC_AT");
	if (at)
		fail_at = atol(at);
	cJSON_Hooks hooks = { cjson_malloc, rt_free };
	cJSON_InitHooks(&hooks);
}
