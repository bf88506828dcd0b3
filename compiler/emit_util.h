/*
 * emit_util.h - helpers for writing C source safely.
 */
#ifndef ASL_EMIT_UTIL_H
#define ASL_EMIT_UTIL_H

#include <stdio.h>

/* Write s as a C string literal (with the quotes). Every byte outside printable
 * ASCII, and ", \, ?, is escaped as an octal escape or \" \\ so no name or
 * string can break out of the literal or form a trigraph. NULL writes NULL. */
void asl_emit_cstr(FILE *out, const char *s);

/* Write s inside a C block comment so that no sequence of it ends the comment
 * ("*" followed by "/" is broken up) and no newline or control byte escapes it. */
void asl_emit_comment_text(FILE *out, const char *s);

/* Write a double as a C literal that reads back to exactly the same value
 * (%.17g, with a ".0" or exponent kept so it stays a floating constant). */
void asl_emit_double(FILE *out, double v);

#endif
