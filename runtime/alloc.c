/*
 * alloc.c - the one allocation hook of libaslrt. Every runtime allocation, and
 * cJSON's, goes through rt_malloc/rt_free, so a test can make the Nth one fail
 * (ASLRT_FAIL_ALLOC_AT=N in the environment, read by rt_alloc_init).
 *
 * Small blocks are recycled through a per-thread cache in front of malloc:
 * a transition frees and allocates a handful of small cJSON nodes and strings,
 * and popping a free list costs a fraction of malloc's and free's own paths.
 * Cached blocks stay ordinary malloc blocks (the cache only holds them, keyed
 * by malloc_usable_size), so memory the runtime returns may still be released
 * with free(), and memory from malloc with rt_free. Each thread keeps at most
 * CACHE_BYTES and gives them back when it exits. Builds
 * with AddressSanitizer skip the cache so that it sees every use after free.
 */
#include "rt.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define CACHE_ON 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define CACHE_ON 0
#endif
#endif
#ifndef CACHE_ON
#define CACHE_ON 1
#endif

#define CACHE_CLASSES 8     /* class k holds usable sizes [16k, 16k + 15]     */
#define CACHE_BYTES (2u << 20)   /* most a thread keeps (class sizes summed)  */

struct cache {
	void *head[CACHE_CLASSES + 1];   /* free lists; a block's first word links */
	size_t bytes;                    /* 16k per block of class k              */
	int registered;                  /* the exit flush is set up              */
};

/* initial-exec: the cache is reached with one %fs-relative load, not a
 * __tls_get_addr call (the library is built position-independent); its
 * hundred bytes fit glibc's static TLS reserve even in a dlopen()ed copy. */
#if defined(__GNUC__)
static _Thread_local struct cache cache __attribute__((tls_model("initial-exec")));
#else
static _Thread_local struct cache cache;
#endif
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_key_ok;

/* At thread exit: give the thread's cached blocks back to malloc. */
static void cache_flush(void *arg)
{
	struct cache *c = arg;
	for (int k = 1; k <= CACHE_CLASSES; k++) {
		while (c->head[k]) {
			void *b = c->head[k];
			c->head[k] = *(void **)b;
			free(b);
		}
	}
	c->bytes = 0;
}

static void cache_key_create(void)
{
	cache_key_ok = pthread_key_create(&cache_key, cache_flush) == 0;
}

/* A cached block of at least n bytes (n <= 16 * CACHE_CLASSES), or NULL. */
static void *cache_pop(size_t n)
{
	size_t k = n ? (n + 15) / 16 : 1;
	void *b = cache.head[k];
	if (b) {
		cache.head[k] = *(void **)b;
		cache.bytes -= 16 * k;
	}
	return b;
}

/* Keep p (a malloc block) for reuse; 0, or -1 when it is not kept. */
static int cache_push(void *p)
{
	size_t k = malloc_usable_size(p) / 16;
	if (k < 1 || k > CACHE_CLASSES || cache.bytes + 16 * k > CACHE_BYTES)
		return -1;
	if (!cache.registered) {   /* first block of this thread: flush at exit */
		pthread_once(&cache_once, cache_key_create);
		if (!cache_key_ok || pthread_setspecific(cache_key, &cache) != 0)
			return -1;
		cache.registered = 1;
	}
	*(void **)p = cache.head[k];
	cache.head[k] = p;
	cache.bytes += 16 * k;
	return 0;
}

static long fail_at;   /* 0 = never; else the 1-based call that fails */
static int counting;   /* ASLRT_FAIL_ALLOC_AT or ASLRT_ALLOC_COUNT is set  */
static long calls;     /* allocations so far, while counting              */
static long failures;  /* allocations that returned NULL (injected or not) */

/* Count one allocation (atomically: Map and Parallel allocate from several
 * threads) and say whether it is the one to fail. */
static int should_fail(void)
{
	if (!counting)
		return 0;
	if (__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) != fail_at)
		return 0;
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	return 1;
}

/* p, counting it as a failure when it is NULL. */
static void *counted(void *p)
{
	if (!p)
		__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	return p;
}

long rt_alloc_count(void)
{
	return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}

long rt_alloc_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

/* rt_malloc past the cache: counting, fault injection, malloc. Out of line
 * so that a cache hit costs a few instructions and no stack frame. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *malloc_slow(size_t n)
{
	if (should_fail())
		return NULL;
	if (CACHE_ON && n <= 16 * CACHE_CLASSES) {
		void *b = cache_pop(n);
		/* A new block of a whole class, so that it returns to the class. */
		return b ? b : counted(malloc(n ? (n + 15) / 16 * 16 : 16));
	}
	return counted(malloc(n ? n : 1));
}

void *rt_malloc(size_t n)
{
	/* The hot case inline: no allocation counting, a block in the cache. */
	if (CACHE_ON && !counting && n - 1 < 16 * CACHE_CLASSES) {
		size_t k = (n + 15) / 16;
		void *b = cache.head[k];
		if (b) {
			cache.head[k] = *(void **)b;
			cache.bytes -= 16 * k;
			return b;
		}
	}
	return malloc_slow(n);
}

void *rt_calloc(size_t n, size_t size)
{
	if (CACHE_ON && size && n <= 16 * CACHE_CLASSES / size) {
		void *b = rt_malloc(n * size);
		if (b)
			memset(b, 0, n * size);
		return b;
	}
	return should_fail() ? NULL : counted(calloc(n ? n : 1, size ? size : 1));
}

void *rt_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : counted(realloc(p, n ? n : 1));
}

/* rt_free past the hot case: the thread's first block, a full cache. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void free_slow(void *p)
{
	if (!CACHE_ON || cache_push(p) != 0)
		free(p);
}

void rt_free(void *p)
{
	if (!p)
		return;
	if (CACHE_ON && cache.registered) {   /* the hot case inline (cache_push) */
		size_t k = malloc_usable_size(p) / 16;
		if (k - 1 < CACHE_CLASSES && cache.bytes + 16 * k <= CACHE_BYTES) {
			*(void **)p = cache.head[k];
			cache.head[k] = p;
			cache.bytes += 16 * k;
			return;
		}
	}
	free_slow(p);
}

char *rt_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = rt_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
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
	counting = fail_at > 0 || getenv("ASLRT_ALLOC_COUNT") != NULL;
	cJSON_Hooks hooks = { rt_malloc, rt_free };
	cJSON_InitHooks(&hooks);
}
