/*
 * fmt.h - printf into new memory, for the compiler's messages.
 */
#ifndef ASL_FMT_H
#define ASL_FMT_H

#include <stdarg.h>

/* fmt formatted with ap, in new memory (free()); NULL when out of memory or
 * the format fails. ap is consumed as by vsnprintf. */
char *asl_vfmt(const char *fmt, va_list ap);

#endif
