/*
 * builtins.c - the table of built-in functions: their names, signatures
 * (as in the reference implementation's registrations, functions.js and
 * jsonata.js), their JavaScript arity (function.length, which the
 * higher-order functions consult) and declared parameter count (which a
 * partial application binds), plus Step Functions' additions ("Functions
 * provided by Step Functions" in the JSONata section of the AWS
 * developer guide): $partition, $range, $hash, $random with a seed, $uuid
 * and $parse.
 */
#include "fn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Sorted by name (bsearch). */
static const struct jn_builtin table[] = {
	{ "abs", "<n-:n>", 1, 1, jn_fn_abs },
	{ "append", "<xx:a>", 2, 2, jn_fn_append },
	{ "assert", "<bs?:x>", 2, 2, jn_fn_assert },
	{ "average", "<a<n>:n>", 1, 1, jn_fn_average },
	{ "base64decode", "<s-:s>", 1, 1, jn_fn_base64decode },
	{ "base64encode", "<s-:s>", 1, 1, jn_fn_base64encode },
	{ "boolean", "<x-:b>", 1, 1, jn_fn_boolean },
	{ "ceil", "<n-:n>", 1, 1, jn_fn_ceil },
	{ "clone", "<(oa)-:o>", 1, 1, jn_fn_clone },
	{ "contains", "<s-(sf):b>", 2, 2, jn_fn_contains },
	{ "count", "<a:n>", 1, 1, jn_fn_count },
	{ "decodeUrl", "<s-:s>", 1, 1, jn_fn_decode_url },
	{ "decodeUrlComponent", "<s-:s>", 1, 1, jn_fn_decode_url_component },
	{ "distinct", "<x:x>", 1, 1, jn_fn_distinct },
	{ "each", "<o-f:a>", 2, 2, jn_fn_each },
	{ "encodeUrl", "<s-:s>", 1, 1, jn_fn_encode_url },
	{ "encodeUrlComponent", "<s-:s>", 1, 1, jn_fn_encode_url_component },
	{ "error", "<s?:x>", 1, 1, jn_fn_error },
	{ "eval", "<sx?:x>", 2, 2, jn_fn_eval },
	{ "exists", "<x:b>", 1, 1, jn_fn_exists },
	{ "filter", "<af>", 2, 2, jn_fn_filter },
	{ "floor", "<n-:n>", 1, 1, jn_fn_floor },
	{ "formatBase", "<n-n?:s>", 2, 2, jn_fn_format_base },
	{ "formatInteger", "<n-s:s>", 2, 2, jn_fn_format_integer },
	{ "formatNumber", "<n-so?:s>", 3, 3, jn_fn_format_number },
	{ "fromMillis", "<n-s?s?:s>", 3, 3, jn_fn_from_millis },
	{ "hash", "<s-s?:s>", 2, 2, jn_fn_hash },
	{ "join", "<a<s>s?:s>", 2, 2, jn_fn_join },
	{ "keys", "<x-:a<s>>", 1, 1, jn_fn_keys },
	{ "length", "<s-:n>", 1, 1, jn_fn_length },
	{ "lookup", "<x-s:x>", 2, 2, jn_fn_lookup },
	{ "lowercase", "<s-:s>", 1, 1, jn_fn_lowercase },
	{ "map", "<af>", 2, 2, jn_fn_map },
	{ "match", "<s-f<s:o>n?:a<o>>", 3, 3, jn_fn_match },
	{ "max", "<a<n>:n>", 1, 1, jn_fn_max },
	{ "merge", "<a<o>:o>", 1, 1, jn_fn_merge },
	{ "millis", "<:n>", 0, 0, jn_fn_millis },
	{ "min", "<a<n>:n>", 1, 1, jn_fn_min },
	{ "not", "<x-:b>", 1, 1, jn_fn_not },
	{ "now", "<s?s?:s>", 2, 2, jn_fn_now },
	{ "number", "<(nsb)-:n>", 1, 1, jn_fn_number },
	{ "pad", "<s-ns?:s>", 3, 3, jn_fn_pad },
	{ "parse", "<s-:j>", 1, 1, jn_fn_parse },
	{ "parseInteger", "<s-s:n>", 2, 2, jn_fn_parse_integer },
	{ "partition", "<an:a>", 2, 2, jn_fn_partition },
	{ "power", "<n-n:n>", 2, 2, jn_fn_power },
	{ "random", "<n?:n>", 0, 1, jn_fn_random },
	{ "range", "<nnn?:a<n>>", 3, 3, jn_fn_range },
	{ "reduce", "<afj?:j>", 3, 3, jn_fn_reduce },
	{ "replace", "<s-(sf)(sf)n?:s>", 4, 4, jn_fn_replace },
	{ "reverse", "<a:a>", 1, 1, jn_fn_reverse },
	{ "round", "<n-n?:n>", 2, 2, jn_fn_round },
	{ "shuffle", "<a:a>", 1, 1, jn_fn_shuffle },
	{ "sift", "<o-f?:o>", 2, 2, jn_fn_sift },
	{ "single", "<af?>", 2, 2, jn_fn_single },
	{ "sort", "<af?:a>", 2, 2, jn_fn_sort },
	{ "split", "<s-(sf)n?:a<s>>", 3, 3, jn_fn_split },
	{ "spread", "<x-:a<o>>", 1, 1, jn_fn_spread },
	{ "sqrt", "<n-:n>", 1, 1, jn_fn_sqrt },
	{ "string", "<x-b?:s>", 1, 2, jn_fn_string_ },
	{ "substring", "<s-nn?:s>", 3, 3, jn_fn_substring },
	{ "substringAfter", "<s-s:s>", 2, 2, jn_fn_substring_after },
	{ "substringBefore", "<s-s:s>", 2, 2, jn_fn_substring_before },
	{ "sum", "<a<n>:n>", 1, 1, jn_fn_sum },
	{ "toMillis", "<s-s?:n>", 2, 2, jn_fn_to_millis },
	{ "trim", "<s-:s>", 1, 1, jn_fn_trim },
	{ "type", "<x:s>", 1, 1, jn_fn_type },
	{ "uppercase", "<s-:s>", 1, 1, jn_fn_uppercase },
	{ "uuid", "<:s>", 0, 0, jn_fn_uuid },
	{ "zip", "<a+>", 0, 0, jn_fn_zip },
};

#define NB (sizeof table / sizeof table[0])

static struct aslrt_jn_sig sigs[NB];
static struct aslrt_jn_sigparam params[NB][8];
static char pools[NB][48];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Parse every built-in's signature once (they are constants of this
 * library, not of any expression). */
static void init(void)
{
	for (size_t i = 0; i < NB; i++) {
		const char *code;
		int off;
		if (jn_sig_parse(table[i].sigtext, &sigs[i], params[i], 8, pools[i],
				 sizeof pools[i], &code, &off))
			sigs[i].n = 0;   /* defensive: the table is known good */
	}
}

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct jn_builtin *)elem)->name);
}

const struct jn_builtin *jn_builtin_find(const char *name)
{
	return bsearch(name, table, NB, sizeof table[0], cmp);
}

const struct aslrt_jn_sig *jn_builtin_sig(const struct jn_builtin *bi)
{
	pthread_once(&once, init);
	return &sigs[bi - table];
}
