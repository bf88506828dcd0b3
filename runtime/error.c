/*
 * error.c - ASL errors as data (struct aslrt_error).
 */
#include "rt.h"

#include <stdarg.h>
#include <stdio.h>

void aslrt_error_clear(struct aslrt_error *e)
{
	rt_free(e->error);
	rt_free(e->cause);
	e->error = e->cause = NULL;
}

/* Replace e with error/cause. Out of memory leaves whatever could be stored;
 * error falls back to a static-free "States.Runtime" copy attempt. */
void aslrt_error_set(struct aslrt_error *e, const char *error, const char *cause_fmt, ...)
{
	aslrt_error_clear(e);
	e->error = rt_strdup(error ? error : ASLRT_ERR_TASK_FAILED);
	if (!cause_fmt)
		return;
	va_list ap;
	va_start(ap, cause_fmt);
	int len = vsnprintf(NULL, 0, cause_fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	e->cause = rt_malloc((size_t)len + 1);
	if (!e->cause)
		return;
	va_start(ap, cause_fmt);
	vsnprintf(e->cause, (size_t)len + 1, cause_fmt, ap);
	va_end(ap);
}
