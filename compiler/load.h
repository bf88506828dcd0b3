/*
 * load.h - the definition as a JSON tree that remembers where every value and
 * key stood in the file (grammar/json.l + json.y build it through the
 * functions below).
 */
#ifndef ASL_LOAD_H
#define ASL_LOAD_H

#include <stddef.h>
#include "diag.h"

enum asl_jtype {
	ASL_J_NULL, ASL_J_TRUE, ASL_J_FALSE, ASL_J_NUMBER, ASL_J_STRING,
	ASL_J_ARRAY, ASL_J_OBJECT
};

struct asl_json;
struct asl_strmap;

struct asl_member {
	char *key;
	struct asl_loc key_loc;
	struct asl_json *val;
};

struct asl_json {
	enum asl_jtype type;
	struct asl_loc loc;
	char *str;                     /* STRING: value; NUMBER: source text    */
	double num;                    /* NUMBER                                */
	int n, cap;                    /* ARRAY items / OBJECT members          */
	struct asl_json **items;
	struct asl_member *members;
	struct asl_strmap *index;      /* OBJECT with many members: key -> i    */
};

/* Parse the file at path. Returns the tree (free with asl_json_free), or NULL
 * after adding INVALID_JSON_DESCRIPTION diagnostics (syntax, duplicate keys,
 * unreadable file) to d. */
struct asl_json *asl_load_file(const char *path, struct asl_diags *d);
/* The same for text in memory (len bytes). */
struct asl_json *asl_load_text(const char *text, size_t len, struct asl_diags *d);
void asl_json_free(struct asl_json *j);

/* Object member named key, or NULL. */
struct asl_json *asl_json_get(const struct asl_json *obj, const char *key);
/* The member entry itself (for its key location), or NULL. */
const struct asl_member *asl_json_member(const struct asl_json *obj, const char *key);
/* "string", "number", ... for messages. */
const char *asl_json_type_name(enum asl_jtype t);

/* Deepest nesting of arrays and objects a definition may have: the limit of
 * the runtime's JSON library (cJSON's CJSON_NESTING_LIMIT), so that anything
 * aslc accepts the compiled program can also read and print. It also bounds
 * every recursion over the tree (check, emit, free). Deeper input gets
 * TOO_DEEPLY_NESTED at the bracket that goes one level too far. */
#define ASL_JSON_MAX_DEPTH 1000

/* ---- builder interface used by the grammar actions only ---- */
struct asl_json_parse {
	struct asl_diags *diags;
	struct asl_json *root;
	int failed;
	int depth;                     /* arrays/objects open at the scanner    */
	int max_depth;                 /* > 0: the limit; <= 0: none (tests)    */
	int too_deep;                  /* TOO_DEEPLY_NESTED already reported    */
};
struct asl_json *asl_json_new(enum asl_jtype t, int line, int col);
struct asl_json *asl_json_string(const char *quoted, size_t len, int line, int col,
				 struct asl_json_parse *ctx);
struct asl_json *asl_json_number(const char *text, int line, int col);
/* Append; returns arr/obj, or NULL (and frees everything) out of memory. */
struct asl_json *asl_json_push(struct asl_json *arr, struct asl_json *item);
struct asl_json *asl_json_add(struct asl_json *obj, struct asl_json *key,
			      struct asl_json *val, struct asl_json_parse *ctx);
void asl_json_syntax_error(struct asl_json_parse *ctx, int line, int col, const char *msg);
/* A '[' or '{' at line:col: 0, or 1 after reporting TOO_DEEPLY_NESTED when it
 * opens one level more than ctx->max_depth. asl_json_leave() at ']' or '}'. */
int asl_json_enter(struct asl_json_parse *ctx, int line, int col);
void asl_json_leave(struct asl_json_parse *ctx);

#endif
