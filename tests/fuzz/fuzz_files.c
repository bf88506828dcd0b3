/*
 * fuzz_files.c - the readers of the files a program is given: the
 * MockConfigFile (--mock-config) and the bindings file (--bindings). The
 * first byte picks the reader (even: mock, odd: bindings); the rest is the
 * file's content, written to a private temporary file and loaded. A file
 * either loads (and answers lookups) or is refused with a message, never a
 * crash, leak or hang. Bindings are looked up, never run.
 */
#include "fuzz.h"

#include <stdio.h>
#include <unistd.h>

#include "rt.h"

/* A per-process scratch file holding data; returns its path (static). */
static const char *scratch(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/aslc-fuzz-files-%ld.json", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return NULL;
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
	return path;
}

static void mock(const char *path)
{
	static const char *const states[] = { "A", "Pay", "", "s" };
	char *why = NULL;
	struct aslrt_mock *mk = rt_mock_load(path, "M", "T", &why);
	if (!mk) {
		if (!why)
			abort();
		rt_free(why);
		return;
	}
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		rt_mock_has(mk, states[i]);
		for (int inv = 0; inv < 4; inv++) {
			const cJSON *ret = NULL, *thrown = NULL;
			int r = rt_mock_response(mk, states[i], inv, &ret, &thrown);
			if (r == 1 && !ret == !thrown)
				abort();   /* exactly one of Return and Throw */
		}
	}
	rt_mock_free(mk);
}

static void bindings(const char *path)
{
	static const char *const resources[] = {
		"arn:aws:lambda:us-east-1:123456789012:function:pay", "x", "", "arn:*",
	};
	char *why = NULL;
	struct aslrt_bindings *b = rt_bindings_load(path, &why);
	if (!b) {
		if (!why)
			abort();
		rt_free(why);
		return;
	}
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++)
		rt_bindings_has(b, resources[i]);
	rt_bindings_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	rt_alloc_init();
	const char *path = scratch(data + 1, size - 1);
	if (!path)
		return 0;
	if (data[0] & 1)
		bindings(path);
	else
		mock(path);
	return 0;
}
