/*
 * taskutil.h - private helpers shared by the task files of libaslrt (task.c,
 * mock.c, bindings.c, cli.c): formatting a message into new memory, reading a
 * whole file, parsing JSON with a position in the error message, and the one
 * States.Timeout cause. They live in task.c. Ownership follows rt.h: returned
 * strings are new memory freed with rt_free; cJSON results are freed with
 * cJSON_Delete.
 */
#ifndef ASLRT_TASKUTIL_H
#define ASLRT_TASKUTIL_H

#include "rt.h"

#include <stddef.h>

/* printf into new memory (rt_free). NULL only when out of memory. */
char *rt_fmt(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Read the whole file at path ("-" is not special) into new NUL-terminated
 * memory (rt_free) and store its length (without the NUL) in *len. Returns
 * NULL with *why set to new memory ("cannot read: <strerror>") on failure. */
char *rt_read_file(const char *path, size_t *len, char **why);

/* Read everything from the open descriptor fd, as rt_read_file. */
char *rt_read_fd(int fd, size_t *len, char **why);

/* Parse text[0..len) (text[len] must be NUL) as one JSON document with nothing
 * but whitespace after it. Returns new memory, or NULL with *why set to new
 * memory saying where it went wrong ("not valid JSON at line 3, column 7",
 * "empty (no JSON value)", ...: words that read well after "is"). */
cJSON *rt_json_parse(const char *text, size_t len, char **why);

/* rt_json_parse of a file; *why is prefixed with the path ("f.json: ..."). */
cJSON *rt_json_load(const char *path, char **why);

/* Fill err with States.Timeout for a task that ran past seconds. */
void rt_task_timeout_error(struct aslrt_error *err, double seconds);

/* Seconds on the monotonic clock (for measuring durations only). */
double rt_monotonic(void);

#endif /* ASLRT_TASKUTIL_H */
