/*
 * fmt.c - printf into new memory. See fmt.h.
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>

char *asl_vfmt(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return NULL;
	char *s = malloc((size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}
