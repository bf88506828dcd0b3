/*
 * fn.h - the built-in functions' implementations (fn_*.c), gathered into
 * the table of builtins.c. Each takes the validated arguments in a
 * struct jn_call and returns a value, JV_UNDEF or JN_ERR (jn.h).
 */
#ifndef JN_FN_H
#define JN_FN_H

#include "jn.h"

#define FN(name) struct jval *name(struct jn_call *k)

/* fn_aggregate.c */
FN(jn_fn_sum); FN(jn_fn_count); FN(jn_fn_max); FN(jn_fn_min); FN(jn_fn_average);
/* fn_string.c */
FN(jn_fn_string_); FN(jn_fn_substring); FN(jn_fn_substring_before);
FN(jn_fn_substring_after); FN(jn_fn_lowercase); FN(jn_fn_uppercase); FN(jn_fn_length);
FN(jn_fn_trim); FN(jn_fn_pad); FN(jn_fn_join);
/* fn_encode.c */
FN(jn_fn_base64encode); FN(jn_fn_base64decode); FN(jn_fn_encode_url_component);
FN(jn_fn_encode_url); FN(jn_fn_decode_url_component); FN(jn_fn_decode_url);
/* fn_regex.c */
FN(jn_fn_match); FN(jn_fn_contains); FN(jn_fn_replace); FN(jn_fn_split);
/* fn_numeric.c */
FN(jn_fn_number); FN(jn_fn_floor); FN(jn_fn_ceil); FN(jn_fn_round); FN(jn_fn_abs);
FN(jn_fn_sqrt); FN(jn_fn_power); FN(jn_fn_random); FN(jn_fn_format_base);
/* fn_format.c */
FN(jn_fn_format_number);
/* datetime.c */
FN(jn_fn_format_integer); FN(jn_fn_parse_integer);
/* fn_logic.c */
FN(jn_fn_boolean); FN(jn_fn_not); FN(jn_fn_exists); FN(jn_fn_type); FN(jn_fn_error);
FN(jn_fn_assert);
/* fn_array.c */
FN(jn_fn_append); FN(jn_fn_reverse); FN(jn_fn_shuffle); FN(jn_fn_distinct); FN(jn_fn_zip);
FN(jn_fn_sort); FN(jn_fn_keys); FN(jn_fn_lookup); FN(jn_fn_spread); FN(jn_fn_merge);
FN(jn_fn_clone);
/* fn_hof.c */
FN(jn_fn_map); FN(jn_fn_filter); FN(jn_fn_single); FN(jn_fn_reduce); FN(jn_fn_sift);
FN(jn_fn_each); FN(jn_fn_eval);
FN(jn_fn_now); FN(jn_fn_millis); FN(jn_fn_from_millis); FN(jn_fn_to_millis);
/* fn_aws.c */
FN(jn_fn_partition); FN(jn_fn_range); FN(jn_fn_hash); FN(jn_fn_uuid); FN(jn_fn_parse);

/* Shared helpers. */
/* fn.string(v, pretty): undefined for undefined; D3001 for non-finite. */
struct jval *jn_fn_string(struct jn_ctx *c, struct jval *v, int pretty);
/* Call fn with the HOF arguments (value, index/key, whole) it can take. */
struct jval *jn_hof_call(struct jn_call *k, struct jval *fn, struct jval *a1, struct jval *a2,
			 struct jval *a3);
/* The value a JSON round trip makes of v (transform and $clone). */
struct jval *jn_json_clone(struct jn_ctx *c, struct jval *v);
/* Merge sort of arr (a new array), comparing with cmp: >0 when a goes
 * after b. cmp returns -2 on error. */
struct jval *jn_msort(struct jn_ctx *c, struct jarr *arr,
		      int (*cmp)(void *ctx, struct jval *a, struct jval *b), void *ctx);

#endif
