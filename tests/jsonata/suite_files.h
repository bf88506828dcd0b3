/*
 * suite_files.h - reading the JSONata test suite's files (shared by the
 * suite runner and the emission generator). Plain malloc memory.
 */
#ifndef JN_SUITE_FILES_H
#define JN_SUITE_FILES_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* The whole file (NUL-terminated, new memory; free()) and its length, or
 * NULL. */
char *read_file(const char *path, size_t *len);
/* The file's JSON, lone surrogate escapes kept as WTF-8 (cJSON_Delete), or
 * NULL. */
cJSON *parse_file(const char *path);
/* The sorted names in dir ending with suffix (every entry when NULL); new
 * memory: free each name and the array. NULL when dir cannot be read. */
char **list_dir(const char *dir, const char *suffix, int *n);

#endif
