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
/* Write code point cp (up to 0x10FFFF; lone surrogates as WTF-8, the way a
 * JavaScript string holds them) at d as UTF-8; returns the byte after it. d
 * needs room for 4 bytes. */
char *asl_utf8_put(char *d, unsigned long cp);
/* The 4 hex digits at s (end bounds the text) as a number, or -1. */
long asl_hex4(const char *s, const char *end);
/* Code points in the NUL-terminated string s; an invalid byte counts as one. */
size_t asl_utf8_count(const char *s);

#endif
