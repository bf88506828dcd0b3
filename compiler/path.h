/*
 * path.h - JSONPath as ASL uses it, parsed at compile time (grammar/path.l,
 * grammar/path.y) into the struct aslrt_path that the runtime evaluates, and
 * written out as static C data.
 */
#ifndef ASL_PATH_H
#define ASL_PATH_H

#include <stdio.h>
#include "aslrt.h"

enum asl_path_mode {
	ASL_PATH_REFERENCE, /* ResultPath, Choice Variable, ...Path operands:
			       only $ / $$ followed by .name, ['name'], [n]   */
	ASL_PATH_FULL       /* InputPath, OutputPath, Parameters `.$` values,
			       ItemsPath...: wildcards, slices, unions, .., filters */
};

/* Parse text. Returns new memory (free with asl_path_free) or NULL with *err a
 * new message (free()) and *erroff the 0-based byte offset in text where the
 * problem is. Accepts `$`, `$$` (context), `$.a.b`, `$['a b']`, `$.a[0]`,
 * `$.a[-1]`, `$.a[*]`, `$.*`, `$..name`, `$..*`, `$.a[1:3]`, `$.a[::2]`,
 * `$.a[0,2]`, `$['a','b']`, filters `$.a[?(@.price < 10 && @.x == 'y')]`,
 * `[?(@.x)]`, `[?(!(@.x))]`, comparisons ==, !=, <, <=, >, >= against numbers,
 * 'strings', "strings", true, false, null or another @/$ path. */
struct aslrt_path *asl_path_parse(const char *text, enum asl_path_mode mode,
				  char **err, int *erroff);
void asl_path_free(struct aslrt_path *p);

/* Write p as static const C data. The path object itself is named cname
 * (`static const struct aslrt_path cname = {...};`); helper arrays and
 * filters get names that start with cname followed by `_`. */
void asl_emit_path(FILE *out, const struct aslrt_path *p, const char *cname);

#endif
