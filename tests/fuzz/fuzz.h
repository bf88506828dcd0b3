/*
 * fuzz.h - what every fuzz target of tests/fuzz/ shares. A target defines
 * LLVMFuzzerTestOneInput (libFuzzer's entry point); the same source links
 * either with libFuzzer (-fsanitize=fuzzer, the fuzz build) or with replay.c
 * (any compiler, the normal test suite replays regressions/<target>/).
 */
#ifndef ASL_FUZZ_H
#define ASL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data (new memory, free()), or NULL when out of
 * memory. Fuzz inputs are not strings. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
