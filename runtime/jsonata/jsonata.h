/*
 * jsonata.h - evaluating a compiled JSONata expression (struct aslrt_jn_expr,
 * see ast.h) against JSON input. The engine implements JSONata 2.0.6, the
 * version AWS Step Functions documents ("Transforming data with JSONata in
 * Step Functions": "Step Functions supports JSONata version 2.0.6"), with
 * the functions Step Functions adds ($partition, $range, $hash, $random with
 * a seed, $uuid, $parse) and without $eval unless the embedder provides a
 * parser (aslc's generated programs do not; the test-suite runner does).
 *
 * cJSON values are borrowed unless a name ends in _take; cJSON ** results
 * are new memory (cJSON_Delete). The engine allocates through rt_malloc.
 */
#ifndef ASLRT_JSONATA_H
#define ASLRT_JSONATA_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "ast.h"

/* A JSONata error: its code ("T2001", "D3001", "U1001" ...), the byte
 * offset in the expression it relates to (-1 if none) and a message. The
 * message is rt_malloc'd (aslrt_jn_error_clear frees it). */
struct aslrt_jn_error {
	char code[8];
	int pos;
	char *message;
};

void aslrt_jn_error_clear(struct aslrt_jn_error *e);

/* A variable binding visible to the expression as $name. */
struct aslrt_jn_binding {
	const char *name;
	const cJSON *value;
};

/* The embedder's parser for $eval: parse text into a new expression (freed
 * with the matching free function), or return NULL with *err filled. */
typedef const struct aslrt_jn_expr *(*aslrt_jn_parse_fn)(const char *text,
							  struct aslrt_jn_error *err,
							  void *user);
typedef void (*aslrt_jn_free_fn)(const struct aslrt_jn_expr *e, void *user);

/* Bounds and environment of one evaluation. Zero fields take the defaults
 * in brackets. */
struct aslrt_jn_options {
	int max_depth;                 /* nested evaluations [2000]              */
	double timeout_ms;             /* wall-clock time [10000]; < 0: none     */
	size_t max_bytes;              /* arena memory [256 MiB]                 */
	size_t max_stack;              /* C stack the evaluator may use [4 MiB]  */
	long max_steps;                /* evaluation steps; 0: no limit [0]     */
	int64_t now_ms;                /* $now()/$millis(); 0 = the clock        */
	int has_seed;                  /* seed the generator with `seed`         */
	uint64_t seed;                 /* else it is seeded from the clock       */
	aslrt_jn_parse_fn parse;       /* $eval; NULL: $eval fails (AWS)         */
	aslrt_jn_free_fn free_parsed;
	void *parse_user;
};

/* Evaluate e against input (NULL: undefined input) with the bindings b[0..nb).
 * Returns 0 with *out the result (new memory; NULL when the result is
 * undefined), or -1 with err filled (err->message new memory). opt may be
 * NULL for the defaults. */
int aslrt_jn_evaluate(const struct aslrt_jn_expr *e, const cJSON *input,
		      const struct aslrt_jn_binding *b, int nb,
		      const struct aslrt_jn_options *opt, cJSON **out,
		      struct aslrt_jn_error *err);

#endif
