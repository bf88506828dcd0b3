/*
 * intrinsics.c - evaluating compiled intrinsic calls (rt_call_eval): the
 * arguments, the checks every function shares, and the functions on arrays,
 * JSON and numbers. String functions live in intr_text.c.
 *
 * The rules are AWS's, from "Intrinsic functions for JSONPath states in Step
 * Functions" (Step Functions Developer Guide, cited as [docs]) and the Amazon
 * States Language specification, "Intrinsic Functions" ([spec]). aslc checks
 * literal arguments at compile time; everything is checked again here on the
 * values actually computed. Nothing is parsed at run time: arguments are
 * compiled literals, compiled paths or compiled nested calls.
 */
#include "intr.h"

#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* [docs] ArrayRange: "The new array can contain up to 1000 elements." */
#define MAX_RANGE 1000
/* Integers that doubles hold exactly. */
#define MAX_SAFE 9007199254740992.0

/* ------------------------------------------------------ shared helpers */

static const char *const fn_names[] = {
	"States.Format", "States.StringToJson", "States.JsonToString", "States.Array",
	"States.ArrayPartition", "States.ArrayContains", "States.ArrayRange",
	"States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
	"States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge",
	"States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID"
};

void *rt_intr_oom(struct aslrt_error *err)
{
	if (!err->error)
		aslrt_error_set(err, ASLRT_ERR_RUNTIME, "out of memory");
	return NULL;
}

void *rt_intr_fail(struct aslrt_error *err, const struct aslrt_call *c, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	aslrt_error_set(err, ASLRT_ERR_INTRINSIC, "The intrinsic function '%s' failed: %s",
			c->text ? c->text : fn_names[c->fn], why);
	return NULL;
}

/* The words for a type mask ("a number", "an array or an object"). */
static const char *type_words(unsigned m, char *buf, size_t size)
{
	static const char *const names[] = { "a string", "a number", "a boolean", "null",
					     "an array", "an object" };
	int total = 0, k = 0;
	size_t used = 0;
	for (int i = 0; i < 6; i++)
		total += (m >> i) & 1;
	buf[0] = '\0';
	for (int i = 0; i < 6; i++) {
		if (!((m >> i) & 1))
			continue;
		const char *sep = k == 0 ? "" : k == total - 1 ? " or " : ", ";
		int w = snprintf(buf + used, size - used, "%s%s", sep, names[i]);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
		k++;
	}
	return buf;
}

static unsigned type_of(const cJSON *j)
{
	if (cJSON_IsString(j))
		return RT_V_STR;
	if (cJSON_IsNumber(j))
		return RT_V_NUM;
	if (cJSON_IsBool(j))
		return RT_V_BOOL;
	if (cJSON_IsArray(j))
		return RT_V_ARR;
	if (cJSON_IsObject(j))
		return RT_V_OBJ;
	return RT_V_NULL;
}

int rt_intr_want(const struct aslrt_call *c, const cJSON *const *v, int i, unsigned mask,
		 struct aslrt_error *err)
{
	unsigned t = type_of(v[i]);
	if (t & mask)
		return 0;
	char want[96], got[32];
	rt_intr_fail(err, c, "argument %d must be %s, not %s", i + 1,
		     type_words(mask, want, sizeof want), type_words(t, got, sizeof got));
	return -1;
}

int rt_intr_int(const struct aslrt_call *c, const cJSON *const *v, int i, double lo,
		double hi, double *out, struct aslrt_error *err)
{
	if (rt_intr_want(c, v, i, RT_V_NUM, err))
		return -1;
	/* [docs] "If you specify a non-integer value ... Step Functions will
	 * round it off to the nearest integer." */
	*out = round(v[i]->valuedouble);
	if (*out < lo || *out > hi) {
		rt_intr_fail(err, c, "argument %d (%.15g) is outside the range %.0f to %.0f",
			     i + 1, v[i]->valuedouble, lo, hi);
		return -1;
	}
	return 0;
}

long rt_utf8_chars(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int rt_random_bytes(void *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, (char *)buf + got, n - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return got == n ? 0 : -1;
}

void rt_sbuf_add(struct rt_sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = rt_realloc(b->s, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* A copy of v, or NULL after setting err. */
static cJSON *copy_of(const cJSON *v, struct aslrt_error *err)
{
	cJSON *d = cJSON_Duplicate(v, 1);
	return d ? d : rt_intr_oom(err);
}

/* --------------------------------------------------------------- JSON */

/* [docs] "The interpreter applies a JSON parser and returns the input's
 * parsed JSON form." */
static cJSON *f_string_to_json(const struct aslrt_call *c, const cJSON *const *v,
			       struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_STR, err))
		return NULL;
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithOpts(v[0]->valuestring, &end, 1);
	if (!j)
		return rt_intr_fail(err, c, "the string is not valid JSON");
	return j;
}

/* [docs] "returns a string that contains JSON text representing the data"
 * (compact, as the example `{"foo":"bar"}` shows). */
static cJSON *f_json_to_string(const struct aslrt_call *c, const cJSON *const *v,
			       struct aslrt_error *err)
{
	(void)c;
	char *s = cJSON_PrintUnformatted(v[0]);
	cJSON *j = s ? cJSON_CreateString(s) : NULL;
	cJSON_free(s);
	return j ? j : rt_intr_oom(err);
}

/* [docs] "the latter object's key overrides the same key in the first
 * object ... objects nested within a JSON object are not merged"; the third
 * argument "must" be false. Keys keep the first object's order, new keys
 * follow in the second's. */
static cJSON *f_json_merge(const struct aslrt_call *c, const cJSON *const *v,
			   struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_OBJ, err) || rt_intr_want(c, v, 1, RT_V_OBJ, err) ||
	    rt_intr_want(c, v, 2, RT_V_BOOL, err))
		return NULL;
	if (cJSON_IsTrue(v[2]))
		return rt_intr_fail(err, c, "deep merging is not supported: the third "
					    "argument must be false");
	cJSON *out = copy_of(v[0], err);
	for (const cJSON *m = v[1]->child; out && m; m = m->next) {
		/* The copy has its own copy of the key; it goes in as it is.
		 * (cJSON 1.7.15's ReplaceItemInObject does not check its own copy
		 * of the key: out of memory, the member lost its name.) */
		cJSON *val = cJSON_Duplicate(m, 1);
		cJSON *old = cJSON_GetObjectItemCaseSensitive(out, m->string);
		int ok = val != NULL;
		if (ok && old)
			ok = cJSON_ReplaceItemViaPointer(out, old, val);
		else if (ok)
			ok = cJSON_AddItemToArray(out, val);   /* keeps val's key */
		if (!ok) {
			cJSON_Delete(val);
			cJSON_Delete(out);
			return rt_intr_oom(err);
		}
	}
	return out;
}

/* ------------------------------------------------------------- arrays */

/* [docs] "returns a JSON array containing the values of the arguments in the
 * order provided". */
static cJSON *f_array(const struct aslrt_call *c, const cJSON *const *v,
		      struct aslrt_error *err)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < c->nargs; i++) {
		cJSON *item = cJSON_Duplicate(v[i], 1);
		if (!item || !cJSON_AddItemToArray(a, item)) {
			cJSON_Delete(item);
			cJSON_Delete(a);
			a = NULL;
		}
	}
	return a ? a : rt_intr_oom(err);
}

/* [docs] chunks of the given size, the last one possibly shorter; the size
 * must be "a non-zero, positive integer". */
static cJSON *f_array_partition(const struct aslrt_call *c, const cJSON *const *v,
				struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_ARR, err) || rt_intr_want(c, v, 1, RT_V_NUM, err))
		return NULL;
	double size = round(v[1]->valuedouble);
	if (size < 1)
		return rt_intr_fail(err, c, "the chunk size (%.15g) must be a positive integer",
				    v[1]->valuedouble);
	cJSON *out = cJSON_CreateArray(), *chunk = NULL;
	double k = size;
	int ok = out != NULL;
	for (const cJSON *e = v[0]->child; ok && e; e = e->next) {
		if (k == size) {
			chunk = cJSON_CreateArray();
			if (!(ok = chunk && cJSON_AddItemToArray(out, chunk))) {
				cJSON_Delete(chunk);
				break;
			}
			k = 0;
		}
		cJSON *item = cJSON_Duplicate(e, 1);
		if (!(ok = item && cJSON_AddItemToArray(chunk, item)))
			cJSON_Delete(item);
		k++;
	}
	if (ok)
		return out;
	cJSON_Delete(out);
	return rt_intr_oom(err);
}

/* Deep equality, numbers by value, object members in any order. */
static int same(const cJSON *a, const cJSON *b)
{
	return cJSON_Compare(a, b, 1);
}

static uint64_t mix64(uint64_t z);

/* FNV-1a of s. */
static uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* A hash for ArrayUnique: values that same() holds equal hash alike when
 * their numbers are exactly equal (same() also equates numbers a rounding
 * error apart; those may hash apart and both stay, as with exact equality);
 * object members in any order. Recursion is bounded by v's nesting
 * (limits.c). */
static uint64_t hash_of(const cJSON *v)
{
	int type = v->type & 0xff;
	uint64_t h = mix64((uint64_t)type), sum = 0;
	switch (type) {
	case cJSON_Number: {
		double d = v->valuedouble == 0 ? 0.0 : v->valuedouble;   /* -0 is 0 */
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		return mix64(h ^ bits);
	}
	case cJSON_String:
		return mix64(h ^ text_hash(v->valuestring));
	case cJSON_Array:
		for (const cJSON *e = v->child; e; e = e->next)
			h = mix64(h + hash_of(e));
		return h;
	case cJSON_Object:
		for (const cJSON *e = v->child; e; e = e->next)
			sum += mix64(text_hash(e->string) ^ hash_of(e));
		return mix64(h ^ sum);
	default:
		return h;
	}
}

/* [docs] "determine if a specific value is present in an array". */
static cJSON *f_array_contains(const struct aslrt_call *c, const cJSON *const *v,
			       struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_ARR, err))
		return NULL;
	int found = 0;
	for (const cJSON *e = v[0]->child; e && !found; e = e->next)
		found = same(e, v[1]);
	cJSON *b = cJSON_CreateBool(found);
	return b ? b : rt_intr_oom(err);
}

/* [docs] first element, final element, non-zero increment; integers
 * (non-integers rounded); at most 1000 items. A range that runs away from
 * its end (1, 9, -1) is empty. */
static cJSON *f_array_range(const struct aslrt_call *c, const cJSON *const *v,
			    struct aslrt_error *err)
{
	double from, to, step;
	if (rt_intr_int(c, v, 0, -MAX_SAFE, MAX_SAFE, &from, err) ||
	    rt_intr_int(c, v, 1, -MAX_SAFE, MAX_SAFE, &to, err) ||
	    rt_intr_int(c, v, 2, -MAX_SAFE, MAX_SAFE, &step, err))
		return NULL;
	if (step == 0)
		return rt_intr_fail(err, c, "the step (argument 3) must not be 0");
	double n = floor((to - from) / step) + 1;
	if (n < 0)
		n = 0;
	if (n > MAX_RANGE)
		return rt_intr_fail(err, c, "the range would have %.0f items; at most %d are "
					    "allowed", n, MAX_RANGE);
	cJSON *out = cJSON_CreateArray();
	for (double i = 0; out && i < n; i++) {
		cJSON *num = cJSON_CreateNumber(from + i * step);
		if (!num || !cJSON_AddItemToArray(out, num)) {
			cJSON_Delete(num);
			cJSON_Delete(out);
			out = NULL;
		}
	}
	return out ? out : rt_intr_oom(err);
}

/* [docs] "returns a specified index's value". An index that is not a
 * whole number, negative, or past the end fails. */
static cJSON *f_array_get_item(const struct aslrt_call *c, const cJSON *const *v,
			       struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_ARR, err) || rt_intr_want(c, v, 1, RT_V_NUM, err))
		return NULL;
	double i = v[1]->valuedouble;
	int n = cJSON_GetArraySize(v[0]);
	if (i != floor(i) || i < 0)
		return rt_intr_fail(err, c, "the index %.15g is not a non-negative integer", i);
	if (i >= n)
		return rt_intr_fail(err, c, "the index %.0f is out of bounds for an array of %d "
					    "item%s", i, n, n == 1 ? "" : "s");
	return copy_of(cJSON_GetArrayItem(v[0], (int)i), err);
}

/* [docs] "returns the length of an array". */
static cJSON *f_array_length(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_ARR, err))
		return NULL;
	cJSON *n = cJSON_CreateNumber(cJSON_GetArraySize(v[0]));
	return n ? n : rt_intr_oom(err);
}

/* [docs] "removes duplicate values from an array": the first occurrence of
 * each value stays, in order. */
static cJSON *f_array_unique(const struct aslrt_call *c, const cJSON *const *v,
			     struct aslrt_error *err)
{
	if (rt_intr_want(c, v, 0, RT_V_ARR, err))
		return NULL;
	/* Comparing each element with every earlier one took 14 s for a 2 KB
	 * input (1000 nested arrays; fuzz_input): the elements seen go into a
	 * hash table instead, and only elements with one hash are compared. */
	size_t n = 0, cap = 16;
	for (const cJSON *e = v[0]->child; e; e = e->next)
		n++;
	while (cap < 2 * n)
		cap *= 2;
	struct seen { uint64_t hash; const cJSON *v; } *table = rt_calloc(cap, sizeof *table);
	cJSON *out = table ? cJSON_CreateArray() : NULL;
	for (const cJSON *e = v[0]->child; out && e; e = e->next) {
		uint64_t h = hash_of(e);
		size_t i = (size_t)h & (cap - 1);
		while (table[i].v && !(table[i].hash == h && same(table[i].v, e)))
			i = (i + 1) & (cap - 1);
		if (table[i].v)
			continue;          /* seen before */
		table[i].hash = h;
		table[i].v = e;
		cJSON *item = cJSON_Duplicate(e, 1);
		if (!item || !cJSON_AddItemToArray(out, item)) {
			cJSON_Delete(item);
			cJSON_Delete(out);
			out = NULL;
		}
	}
	rt_free(table);
	return out ? out : rt_intr_oom(err);
}

/* --------------------------------------------------------------- math */

/* splitmix64: a small, well-mixed generator; one step per seed. */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* [docs] "a random number between the specified start number (inclusive)
 * and end number (exclusive)"; integers (non-integers rounded); "if you use
 * this function with the same seed value, it will return identical
 * numbers". Not cryptographically secure, as documented. */
static cJSON *f_math_random(const struct aslrt_call *c, const cJSON *const *v,
			    struct aslrt_error *err)
{
	double from, to, seed = 0;
	if (rt_intr_int(c, v, 0, -MAX_SAFE, MAX_SAFE, &from, err) ||
	    rt_intr_int(c, v, 1, -MAX_SAFE, MAX_SAFE, &to, err) ||
	    (c->nargs > 2 && rt_intr_int(c, v, 2, -MAX_SAFE, MAX_SAFE, &seed, err)))
		return NULL;
	if (to <= from)
		return rt_intr_fail(err, c, "the end (%.0f) must be greater than the start "
					    "(%.0f)", to, from);
	uint64_t r;
	if (c->nargs > 2)
		r = mix64((uint64_t)(int64_t)seed);
	else if (rt_random_bytes(&r, sizeof r))
		return rt_intr_fail(err, c, "no random source (/dev/urandom) is available");
	double u = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
	double x = from + floor(u * (to - from));
	if (x >= to)
		x = to - 1;
	cJSON *n = cJSON_CreateNumber(x);
	return n ? n : rt_intr_oom(err);
}

/* [docs] "the sum of two numbers"; integers (non-integers rounded) "in the
 * range of -2147483648 and 2147483647". */
static cJSON *f_math_add(const struct aslrt_call *c, const cJSON *const *v,
			 struct aslrt_error *err)
{
	double a, b;
	if (rt_intr_int(c, v, 0, -2147483648.0, 2147483647.0, &a, err) ||
	    rt_intr_int(c, v, 1, -2147483648.0, 2147483647.0, &b, err))
		return NULL;
	cJSON *n = cJSON_CreateNumber(a + b);
	return n ? n : rt_intr_oom(err);
}

/* --------------------------------------------------------- evaluation */

static const rt_intr_fn fns[] = {
	[ASLRT_FN_FORMAT] = rt_intr_format,
	[ASLRT_FN_STRING_TO_JSON] = f_string_to_json,
	[ASLRT_FN_JSON_TO_STRING] = f_json_to_string,
	[ASLRT_FN_ARRAY] = f_array,
	[ASLRT_FN_ARRAY_PARTITION] = f_array_partition,
	[ASLRT_FN_ARRAY_CONTAINS] = f_array_contains,
	[ASLRT_FN_ARRAY_RANGE] = f_array_range,
	[ASLRT_FN_ARRAY_GET_ITEM] = f_array_get_item,
	[ASLRT_FN_ARRAY_LENGTH] = f_array_length,
	[ASLRT_FN_ARRAY_UNIQUE] = f_array_unique,
	[ASLRT_FN_BASE64_ENCODE] = rt_intr_base64_encode,
	[ASLRT_FN_BASE64_DECODE] = rt_intr_base64_decode,
	[ASLRT_FN_HASH] = rt_intr_hash,
	[ASLRT_FN_JSON_MERGE] = f_json_merge,
	[ASLRT_FN_MATH_RANDOM] = f_math_random,
	[ASLRT_FN_MATH_ADD] = f_math_add,
	[ASLRT_FN_STRING_SPLIT] = rt_intr_string_split,
	[ASLRT_FN_UUID] = rt_intr_uuid,
};

/* A scalar literal as the node *n, in the caller's storage, its string
 * borrowed from the compiled literal (n is never freed). Returns 0, or -1
 * when t is not a scalar. */
static int literal_node(const struct aslrt_tmpl *t, cJSON *n)
{
	static const cJSON blank;
	*n = blank;
	switch (t->kind) {
	case ASLRT_T_NULL: n->type = cJSON_NULL; return 0;
	case ASLRT_T_TRUE: n->type = cJSON_True; return 0;
	case ASLRT_T_FALSE: n->type = cJSON_False; return 0;
	case ASLRT_T_NUMBER:
		n->type = cJSON_Number;
		cJSON_SetNumberHelper(n, t->num);   /* valueint as cJSON_CreateNumber's */
		return 0;
	case ASLRT_T_STRING:
		n->type = cJSON_String;
		n->valuestring = (char *)(void *)t->str;
		return 0;
	default:
		return -1;
	}
}

/* The value of argument a into *v: borrowed from the input (*own NULL), a
 * scalar literal built in *node when node is not NULL (*own NULL), or new
 * memory in *own. A path that selects nothing is States.Runtime, as for any
 * payload-template path. Returns 0 or -1 with err set. */
static int eval_arg(const struct aslrt_call *c, const struct aslrt_arg *a,
		    const struct rt_roots *r, const cJSON **v, cJSON **own, cJSON *node,
		    struct aslrt_error *err)
{
	*own = NULL;
	switch (a->kind) {
	case ASLRT_ARG_LITERAL:
		if (node && literal_node(a->lit, node) == 0) {
			*v = node;
			return 0;
		}
		*own = rt_tmpl_build(a->lit, r, err);
		break;
	case ASLRT_ARG_CALL:
		*own = rt_call_eval(a->call, r, err);
		break;
	case ASLRT_ARG_PATH: {
		const cJSON *sel = rt_path_select(a->path, r, own);
		if (sel) {
			*v = sel;
			return 0;
		}
		char *in = r->input ? cJSON_PrintUnformatted(r->input) : NULL;
		aslrt_error_set(err, ASLRT_ERR_RUNTIME,
				"The JSONPath '%s' specified for the intrinsic function '%s' "
				"could not be found in the input '%s'", a->path->text, c->text,
				in ? in : "");
		cJSON_free(in);
		return -1;
	}
	}
	*v = *own;
	return *own ? 0 : -1;
}

/* Evaluate c against r. Returns new memory, or NULL with err set:
 * States.IntrinsicFailure when a function rejects its arguments,
 * States.Runtime when a path selects nothing or memory runs out. */
cJSON *rt_call_eval(const struct aslrt_call *c, const struct rt_roots *r,
		    struct aslrt_error *err)
{
	/* A call of up to ARGS_ON_STACK arguments allocates nothing for them:
	 * the argument slots, and scalar literals as nodes, live in this frame. */
	enum { ARGS_ON_STACK = 8 };
	const cJSON *v_here[ARGS_ON_STACK + 1];
	cJSON *own_here[ARGS_ON_STACK + 1];
	cJSON lits[ARGS_ON_STACK];
	int n = c->nargs, here = n <= ARGS_ON_STACK;
	const cJSON **v = here ? v_here : rt_calloc((size_t)n + 1, sizeof *v);
	cJSON **own = here ? own_here : rt_calloc((size_t)n + 1, sizeof *own);
	cJSON *res = NULL;
	int i = 0;
	if (v && own) {
		/* eval_arg sets own[i] first thing, so own[0..i] are set below. */
		while (i < n && eval_arg(c, &c->args[i], r, &v[i], &own[i], here ? &lits[i] : NULL,
					 err) == 0)
			i++;
		v[n] = NULL;
		if (i == n)
			res = fns[c->fn](c, (const cJSON *const *)v, err);
	} else {
		rt_intr_oom(err);
	}
	for (int k = 0; own && k < n && k <= i; k++)
		cJSON_Delete(own[k]);
	if (!here) {
		rt_free(v);
		rt_free(own);
	}
	if (!res && !err->error)
		rt_intr_oom(err);
	return res;
}
