/*
 * context.c - one evaluation: aslrt_jn_evaluate sets up the context (arena,
 * bounds, clock, random generator, bindings), evaluates, converts the
 * result to cJSON and tears everything down. Also the bounds check every
 * evaluation step makes (jn_enter) and error recording.
 *
 * Bounds (AWS: a JSONata expression that runs away fails the state with
 * States.QueryEvaluationError): nested evaluations are limited like the
 * reference implementation's "timebox" (U1001 "Stack overflow error"), the
 * C stack the evaluator uses is measured too (U1001), time is checked every
 * 1024 steps (U1001 "Expression evaluation timeout"), steps can be counted
 * against a budget for a deterministic bound (U1001) and memory is held by
 * the arena (U1002).
 */
#include "jn.h"
#include "rt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct jval *jn_error(struct jn_ctx *c, const char *code, int pos, struct jval *value)
{
	if (!c->err.set) {
		c->err.set = 1;
		snprintf(c->err.code, sizeof c->err.code, "%s", code);
		c->err.pos = pos;
		c->err.token = NULL;
		c->err.value = value;
		c->err.value2 = NULL;
		c->err.index = 0;
		c->err.msg = NULL;
	}
	return JN_ERR;
}

struct jval *jn_error_tok(struct jn_ctx *c, const char *code, int pos, const char *token,
			  struct jval *value)
{
	int was = c->err.set;
	jn_error(c, code, pos, value);
	if (!was)
		c->err.token = token;
	return JN_ERR;
}

static double elapsed_ms(const struct jn_ctx *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->start.tv_sec) * 1e3 +
	       (double)(now.tv_nsec - c->start.tv_nsec) / 1e6;
}

int jn_stack_check(struct jn_ctx *c)
{
	char here;
	size_t used = (size_t)(c->stack_base > &here ? c->stack_base - &here : &here - c->stack_base);
	if (used <= c->max_stack)
		return 0;
	jn_error(c, "U1001", -1, NULL);
	c->err.msg = "Value nested too deeply";
	return -1;
}

int jn_enter(struct jn_ctx *c)
{
	char here;
	c->depth++;
	if (c->depth > c->max_depth) {
		jn_error(c, "U1001", -1, NULL);
		c->err.msg = "Stack overflow error: Check for non-terminating recursive function.  "
			     "Consider rewriting as tail-recursive.";
		c->depth--;
		return -1;
	}
	/* the C stack grows down on every platform we build for; measure
	 * the distance either way */
	size_t used = (size_t)(c->stack_base > &here ? c->stack_base - &here : &here - c->stack_base);
	if (used > c->max_stack) {
		jn_error(c, "U1001", -1, NULL);
		c->err.msg = "Stack overflow error: Check for non-terminating recursive function.  "
			     "Consider rewriting as tail-recursive.";
		c->depth--;
		return -1;
	}
	if (c->max_steps && ++c->steps > c->max_steps) {
		jn_error(c, "U1001", -1, NULL);
		c->err.msg = "Expression evaluation exceeded its step budget";
		c->depth--;
		return -1;
	}
	if (++c->ticks >= 1024) {
		c->ticks = 0;
		if (c->timeout_ms >= 0 && elapsed_ms(c) > c->timeout_ms) {
			jn_error(c, "U1001", -1, NULL);
			c->err.msg = "Expression evaluation timeout: Check for infinite loop";
			c->depth--;
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------- random */

/* xorshift128+. A generator left unseeded (both words 0, which seeding
 * never leaves) is seeded from the clock at its first use, so that an
 * evaluation without $random, $shuffle or $uuid reads no clock for it. */
uint64_t jn_rand_next(struct jn_ctx *c)
{
	if (!c->rng[0] && !c->rng[1]) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		jn_rand_seed(c, (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
				(uint64_t)(uintptr_t)c);
	}
	uint64_t s1 = c->rng[0];
	const uint64_t s0 = c->rng[1];
	c->rng[0] = s0;
	s1 ^= s1 << 23;
	c->rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
	return c->rng[1] + s0;
}

double jn_rand_double(struct jn_ctx *c)
{
	return (double)(jn_rand_next(c) >> 11) * (1.0 / 9007199254740992.0);
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void jn_rand_seed(struct jn_ctx *c, uint64_t seed)
{
	c->rng[0] = splitmix(&seed);
	c->rng[1] = splitmix(&seed);
	if (!c->rng[0] && !c->rng[1])
		c->rng[1] = 1;
}

/* ----------------------------------------------------------- messages */

/* The reference implementation's message catalogue (jsonata.js
 * errorCodes), for the codes the engine raises. {{value}} and {{token}}
 * are filled in. */
static const struct { const char *code, *text; } catalogue[] = {
	{ "S0101", "String literal must be terminated by a matching quote" },
	{ "S0102", "Number out of range: {{token}}" },
	{ "S0103", "Unsupported escape sequence: \\{{token}}" },
	{ "S0104", "The escape sequence \\u must be followed by 4 hex digits" },
	{ "S0105", "Quoted property name must be terminated with a backquote (`)" },
	{ "S0106", "Comment has no closing tag" },
	{ "T0410", "Argument {{index}} of function {{token}} does not match function signature" },
	{ "T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}" },
	{ "T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}" },
	{ "D1001", "Number out of range: {{value}}" },
	{ "D1002", "Cannot negate a non-numeric value: {{value}}" },
	{ "T1003", "Key in object structure must evaluate to a string; got: {{value}}" },
	{ "D1004", "Regular expression matches zero length string" },
	{ "T1005", "Attempted to invoke a non-function. Did you mean $" "{{token}}?" },
	{ "T1006", "Attempted to invoke a non-function" },
	{ "T1007", "Attempted to partially apply a non-function. Did you mean $" "{{token}}?" },
	{ "T1008", "Attempted to partially apply a non-function" },
	{ "D1009", "Multiple key definitions evaluate to same key: {{value}}" },
	{ "T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure" },
	{ "T2001", "The left side of the {{token}} operator must evaluate to a number" },
	{ "T2002", "The right side of the {{token}} operator must evaluate to a number" },
	{ "T2003", "The left side of the range operator (..) must evaluate to an integer" },
	{ "T2004", "The right side of the range operator (..) must evaluate to an integer" },
	{ "D2005", "The left side of := must be a variable name (start with $)" },
	{ "T2006", "The right side of the function application operator ~> must be a function" },
	{ "T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause" },
	{ "T2008", "The expressions within an order-by clause must evaluate to numeric or string values" },
	{ "T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type" },
	{ "T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values" },
	{ "T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}" },
	{ "T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}" },
	{ "T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function." },
	{ "D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}." },
	{ "D3001", "Attempting to invoke string function on Infinity or NaN" },
	{ "D3010", "Second argument of replace function cannot be an empty string" },
	{ "D3011", "Fourth argument of replace function must evaluate to a positive number" },
	{ "D3012", "Attempted to replace a matched string with a non-string value" },
	{ "D3020", "Third argument of split function must evaluate to a positive number" },
	{ "D3030", "Unable to cast value to a number: {{value}}" },
	{ "D3040", "Third argument of match function must evaluate to a positive number" },
	{ "D3050", "The second argument of reduce function must be a function with at least two arguments" },
	{ "D3060", "The sqrt function cannot be applied to a negative number: {{value}}" },
	{ "D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}" },
	{ "D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function" },
	{ "D3080", "The picture string must only contain a maximum of two sub-pictures" },
	{ "D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}" },
	{ "D3110", "Unable to parse ISO 8601 timestamp string {{value}}" },
	{ "D3120", "Syntax error in expression passed to function eval: {{value}}" },
	{ "D3121", "Dynamic error evaluating the expression passed to function eval: {{value}}" },
	{ "D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation" },
	{ "D3131", "In a decimal digit pattern, all digits must be from the same decimal group" },
	{ "D3132", "Unknown component specifier {{value}} in date/time picture string" },
	{ "D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}" },
	{ "D3134", "The timezone integer format specifier cannot have more than four digits" },
	{ "D3135", "No matching closing bracket ']' in date/time picture string" },
	{ "D3136", "The date/time picture string is missing specifiers required to parse the timestamp" },
	{ "D3137", "{{message}}" },
	{ "D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more." },
	{ "D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0." },
	{ "D3140", "Malformed URL passed to $" "{{token}}(): {{value}}" },
	{ "D3141", "{{message}}" },
	{ "U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive." },
	{ "U1002", "Memory limit exceeded" },
};

static void put_value(struct jbuf *b, struct jn_ctx *c, struct jval *v)
{
	if (v == JV_UNDEF) {
		jnbuf_puts(b, "undefined");
		return;
	}
	struct jval *s = jn_stringify(c, v, 0);
	if (s != JN_ERR)
		jnbuf_put(b, jnv_str(s)->s, jnv_str(s)->len);
}

/* The message of c's error, in rt_malloc'd memory. */
static char *message_of(struct jn_ctx *c)
{
	const char *text = NULL;
	for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
		if (!strcmp(catalogue[i].code, c->err.code))
			text = catalogue[i].text;
	if (c->err.msg)
		text = c->err.msg;
	if (!text)
		text = "JSONata evaluation error";
	/* the arena may be over its budget: lift it to format the message */
	c->max_bytes = (size_t)-1;
	c->err.set = 0;
	struct jbuf b;
	jnbuf_init(&b, c);
	for (const char *p = text; *p;) {
		if (!c->err.msg && p[0] == '{' && p[1] == '{') {
			const char *e = strstr(p, "}}");
			if (e) {
				size_t n = (size_t)(e - p - 2);
				const char *f = p + 2;
				char num[32];
				if (n == 5 && !strncmp(f, "value", 5)) {
					put_value(&b, c, c->err.value);
				} else if (n == 6 && !strncmp(f, "value2", 6)) {
					put_value(&b, c, c->err.value2);
				} else if (n == 5 && !strncmp(f, "token", 5)) {
					jnbuf_puts(&b, c->err.token ? c->err.token : "");
				} else if (n == 5 && !strncmp(f, "index", 5)) {
					snprintf(num, sizeof num, "%d", c->err.index);
					jnbuf_puts(&b, num);
				} else if (n == 7 && !strncmp(f, "message", 7)) {
					jnbuf_puts(&b, c->err.msg ? c->err.msg : "");
				}
				p = e + 2;
				continue;
			}
		}
		jnbuf_putc(&b, *p++);
	}
	char *out = NULL;
	if (!b.err) {
		out = rt_malloc(b.len + 1);
		if (out) {
			if (b.len)
				memcpy(out, b.p, b.len);
			out[b.len] = '\0';
		}
	}
	return out;
}

void aslrt_jn_error_clear(struct aslrt_jn_error *e)
{
	rt_free(e->message);
	e->message = NULL;
}

/* ----------------------------------------------------------- evaluate */

int aslrt_jn_evaluate(const struct aslrt_jn_expr *e, const cJSON *input,
		      const struct aslrt_jn_binding *b, int nb,
		      const struct aslrt_jn_options *opt, cJSON **out,
		      struct aslrt_jn_error *err)
{
	static const struct aslrt_jn_options defaults;
	char base;
	rt_alloc_init();
	if (!opt)
		opt = &defaults;
	*out = NULL;
	memset(err, 0, sizeof *err);
	err->pos = -1;

	struct jn_ctx c;
	memset(&c, 0, sizeof c);
	c.opt = opt;
	c.expr = e;
	c.max_depth = opt->max_depth > 0 ? opt->max_depth : 2000;
	c.timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : opt->timeout_ms < 0 ? -1 : 10000;
	c.max_bytes = opt->max_bytes ? opt->max_bytes : (size_t)256 << 20;
	c.max_stack = opt->max_stack ? opt->max_stack : (size_t)4 << 20;
	c.max_steps = opt->max_steps > 0 ? opt->max_steps : 0;
	c.stack_base = &base;
	c.err.pos = -1;
	clock_gettime(CLOCK_MONOTONIC, &c.start);
	if (opt->now_ms) {
		c.now_ms = (double)opt->now_ms;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		c.now_ms = floor((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
	}
	if (opt->has_seed)              /* else seeded at first use */
		jn_rand_seed(&c, opt->seed);

	int rc = -1;
	struct jframe *env = jn_frame_new(&c, NULL);
	struct jval *in = jn_from_cjson_borrowed(&c, input);
	if (env && in != JN_ERR) {
		/* an input array is wrapped so that it counts as one value */
		if (jnv_type(in) == JT_ARR) {
			struct jarr *w = jnv_seq_of(&c, in);
			if (w) {
				w->fl |= JA_OUTER;
				in = &w->h;
			} else {
				in = JN_ERR;
			}
		}
	}
	if (env && in != JN_ERR && jn_frame_bind(&c, env, "$", in) == 0) {
		int ok = 1;
		for (int i = 0; i < nb && ok; i++) {
			struct jval *v = jn_from_cjson_borrowed(&c, b[i].value);
			ok = v != JN_ERR && jn_frame_bind(&c, env, b[i].name, v) == 0;
		}
		if (ok) {
			struct jval *r = jn_eval(&c, e->root, in, env);
			if (r != JN_ERR) {
				int oom;
				*out = jn_to_cjson(r, &oom);
				if (oom)
					jn_error(&c, "U1002", -1, NULL);
				else
					rc = 0;
			}
		}
	}
	if (rc) {
		if (!c.err.set)
			jn_error(&c, "U1002", -1, NULL);
		memcpy(err->code, c.err.code, sizeof err->code);
		err->pos = c.err.pos;
		err->message = message_of(&c);
	}
	jn_arena_free(&c);
	for (int i = 0; i < c.nevals; i++)
		if (opt->free_parsed)
			opt->free_parsed(c.evals[i], opt->parse_user);
	rt_free(c.evals);
	return rc;
}
