/*
 * utf8.h - strict UTF-8 (RFC 3629): what the definition file must be
 * (RFC 8259 section 8.1) and how names are measured ("80 Unicode characters",
 * States Language spec, "States").
 */
#ifndef ASL_UTF8_H
#define ASL_UTF8_H

#include <stddef.h>

/* Decode the sequence at s (n bytes available). Returns its length (1 to 4)
 * and sets *cp, or returns 0 when the bytes do not start a valid sequence:
 * a stray continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF or a truncated sequence. */
int asl_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Code points in the NUL-terminated string s; an invalid byte counts as one. */
size_t asl_utf8_count(const char *s);

#endif
