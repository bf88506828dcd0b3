/*
 * jsonata_regex.c - JavaScript regular expressions (ECMA-262 "Patterns",
 * without the u flag, with the Annex B leniencies: a `{` or `]` that does
 * not form syntax is a literal) compiled into the backtracking program
 * that runtime/jsonata/regex.c runs (struct aslrt_jn_regex in ast.h).
 *
 * Supported: alternation, groups, (?: ), lookahead (?= ) (?! ), greedy and
 * lazy * + ? {n} {n,} {n,m}, named groups (?<name> ) as numbered ones,
 * classes with ranges and negation, . ^ $ \b \B,
 * \d \D \w \W \s \S, \t \n \r \v \f \0 \xHH \uHHHH \cX, backreferences \1..
 * and escaped punctuation. Lookbehind is a syntax error.
 *
 * A quantified sub-pattern that can match the empty string carries a
 * MARK/PROGRESS pair: an iteration that consumed nothing fails, as the
 * specification's RepeatMatcher requires, so `(a*)*` terminates.
 *
 * Compile-time memory: malloc; the result is one block (free() frees it).
 */
#include "jsonata_build.h"

#include <stdlib.h>
#include <string.h>

/* A small AST of the pattern. */
enum rk { RK_EMPTY, RK_CHAR, RK_ANY, RK_CLASS, RK_BOL, RK_EOL, RK_WORDB, RK_NWORDB,
	  RK_GROUP, RK_NCGROUP, RK_LOOK, RK_NLOOK, RK_BACKREF, RK_CAT, RK_ALT, RK_REPEAT };

struct rnode {
	enum rk k;
	unsigned cp;                 /* CHAR; BACKREF group                       */
	int neg;                     /* CLASS negated                             */
	int r0, nr;                  /* CLASS: ranges [r0, r0+nr) of the table    */
	int group;                   /* GROUP index (1-based)                     */
	int min, max, greedy;        /* REPEAT; max -1 = unbounded                */
	struct rnode *a, *b;         /* children                                  */
};

struct rc {
	const char *p, *end;
	const char *msg;
	int ngroups;
	/* ranges table */
	unsigned *rg;
	int nrg, caprg;
	/* nodes, freed together */
	struct rnode **nodes;
	int nnodes, capnodes;
	/* program */
	struct aslrt_jn_reinst *in;
	int nin, capin;
	int nmarks;
	int oom;
};

static struct rnode *nn(struct rc *c, enum rk k)
{
	if (c->nnodes == c->capnodes) {
		int cap = c->capnodes ? c->capnodes * 2 : 32;
		struct rnode **v = realloc(c->nodes, (size_t)cap * sizeof *v);
		if (!v) {
			c->oom = 1;
			return NULL;
		}
		c->nodes = v;
		c->capnodes = cap;
	}
	struct rnode *n = calloc(1, sizeof *n);
	if (!n) {
		c->oom = 1;
		return NULL;
	}
	n->k = k;
	c->nodes[c->nnodes++] = n;
	return n;
}

static int add_range(struct rc *c, unsigned lo, unsigned hi)
{
	if (c->nrg + 2 > c->caprg) {
		int cap = c->caprg ? c->caprg * 2 : 32;
		unsigned *v = realloc(c->rg, (size_t)cap * sizeof *v);
		if (!v) {
			c->oom = 1;
			return -1;
		}
		c->rg = v;
		c->caprg = cap;
	}
	c->rg[c->nrg++] = lo;
	c->rg[c->nrg++] = hi;
	return 0;
}

/* The ranges of \d, \w, \s (JS WhiteSpace and LineTerminator). */
static const unsigned r_digit[] = { '0', '9' };
static const unsigned r_word[] = { '0', '9', 'A', 'Z', '_', '_', 'a', 'z' };
static const unsigned r_space[] = { 9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680,
				    0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f,
				    0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff };

/* Add the ranges of a class escape (d w s), complemented when neg. */
static int add_escape_class(struct rc *c, char e, int neg)
{
	const unsigned *r;
	int n;
	switch (e) {
	case 'd': r = r_digit; n = 2; break;
	case 'w': r = r_word; n = 8; break;
	default: r = r_space; n = 20; break;
	}
	if (!neg) {
		for (int i = 0; i < n; i += 2)
			if (add_range(c, r[i], r[i + 1]))
				return -1;
		return 0;
	}
	unsigned lo = 0;
	for (int i = 0; i < n; i += 2) {
		if (r[i] > lo && add_range(c, lo, r[i] - 1))
			return -1;
		lo = r[i + 1] + 1;
	}
	return add_range(c, lo, 0x10ffff);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Read one UTF-8 code point. */
static unsigned getcp(struct rc *c)
{
	const unsigned char *u = (const unsigned char *)c->p;
	unsigned c0 = u[0];
	int len = c0 < 0x80 ? 1 : c0 >= 0xf0 ? 4 : c0 >= 0xe0 ? 3 : c0 >= 0xc0 ? 2 : 1;
	if (c->p + len > c->end)
		len = 1;
	unsigned v = len == 1 ? c0 : c0 & (0x7fu >> len);
	for (int i = 1; i < len; i++)
		v = (v << 6) | (u[i] & 0x3f);
	c->p += len;
	return v;
}

/* A character escape after the backslash (the backslash consumed); sets
 * *cls to d/w/s/D/W/S for class escapes (then the result is 0). */
static unsigned parse_escape(struct rc *c, char *cls, int in_class)
{
	*cls = 0;
	if (c->p >= c->end) {
		c->msg = "\\ at end of pattern";
		return 0;
	}
	char e = *c->p;
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
		c->p++;
		*cls = e;
		return 0;
	case 't': c->p++; return '\t';
	case 'n': c->p++; return '\n';
	case 'r': c->p++; return '\r';
	case 'v': c->p++; return '\v';
	case 'f': c->p++; return '\f';
	case 'b':
		c->p++;
		return 8;     /* only inside classes: backspace */
	case '0':
		c->p++;
		return 0;
	case 'c':
		if (c->p + 1 < c->end && ((c->p[1] | 0x20) >= 'a' && (c->p[1] | 0x20) <= 'z')) {
			unsigned v = (unsigned)(c->p[1] % 32);
			c->p += 2;
			return v;
		}
		return '\\';  /* Annex B: a literal backslash */
	case 'x':
		if (c->p + 2 < c->end && hexval(c->p[1]) >= 0 && hexval(c->p[2]) >= 0) {
			unsigned v = (unsigned)(hexval(c->p[1]) * 16 + hexval(c->p[2]));
			c->p += 3;
			return v;
		}
		c->p++;
		return 'x';
	case 'u':
		if (c->p + 4 < c->end && hexval(c->p[1]) >= 0 && hexval(c->p[2]) >= 0 &&
		    hexval(c->p[3]) >= 0 && hexval(c->p[4]) >= 0) {
			unsigned v = 0;
			for (int i = 1; i <= 4; i++)
				v = v * 16 + (unsigned)hexval(c->p[i]);
			c->p += 5;
			return v;
		}
		c->p++;
		return 'u';
	default:
		(void)in_class;
		return getcp(c);   /* identity escape */
	}
}

static struct rnode *parse_alt(struct rc *c);

/* [ ... ] */
static struct rnode *parse_class(struct rc *c)
{
	struct rnode *n = nn(c, RK_CLASS);
	if (!n)
		return NULL;
	n->r0 = c->nrg;
	if (c->p < c->end && *c->p == '^') {
		n->neg = 1;
		c->p++;
	}
	while (c->p < c->end && *c->p != ']') {
		unsigned lo;
		char cls = 0;
		if (*c->p == '\\') {
			c->p++;
			lo = parse_escape(c, &cls, 1);
			if (c->msg)
				return NULL;
		} else {
			lo = getcp(c);
		}
		if (cls) {
			if (add_escape_class(c, (char)(cls | 0x20), cls < 'a'))
				return NULL;
			continue;
		}
		unsigned hi = lo;
		if (c->p + 1 < c->end && *c->p == '-' && c->p[1] != ']') {
			const char *save = c->p;
			c->p++;
			char cls2 = 0;
			if (*c->p == '\\') {
				c->p++;
				hi = parse_escape(c, &cls2, 1);
				if (c->msg)
					return NULL;
			} else {
				hi = getcp(c);
			}
			if (cls2) {
				/* [a-\d]: Annex B reads the '-' literally */
				if (add_range(c, lo, lo) || add_range(c, '-', '-') ||
				    add_escape_class(c, (char)(cls2 | 0x20), cls2 < 'a'))
					return NULL;
				(void)save;
				continue;
			}
			if (hi < lo) {
				c->msg = "range out of order in character class";
				return NULL;
			}
		}
		if (add_range(c, lo, hi))
			return NULL;
	}
	if (c->p >= c->end) {
		c->msg = "missing ] in character class";
		return NULL;
	}
	c->p++;
	n->nr = (c->nrg - n->r0) / 2;
	return n;
}

static int read_int(struct rc *c, int *out)
{
	const char *s = c->p;
	long v = 0;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (*c->p - '0');
		if (v > 100000)
			v = 100000;
		c->p++;
	}
	*out = (int)v;
	return c->p > s;
}

/* An atom, or NULL with c->msg set (or c->p at a stop character). */
static struct rnode *parse_atom(struct rc *c)
{
	char ch = *c->p;
	switch (ch) {
	case '.':
		c->p++;
		return nn(c, RK_ANY);
	case '^':
		c->p++;
		return nn(c, RK_BOL);
	case '$':
		c->p++;
		return nn(c, RK_EOL);
	case '[':
		c->p++;
		return parse_class(c);
	case '(': {
		c->p++;
		enum rk k = RK_GROUP;
		if (c->p + 1 < c->end && *c->p == '?') {
			int named = 0;
			if (c->p[1] == '<' && c->p + 2 < c->end && c->p[2] != '=' && c->p[2] != '!') {
				/* (?<name>...): a capture group; the name is not kept */
				const char *q = c->p + 2;
				while (q < c->end && *q != '>')
					q++;
				if (q >= c->end) {
					c->msg = "invalid group name";
					return NULL;
				}
				c->p = q + 1;
				named = 1;
			}
			if (named)
				k = RK_GROUP;
			else if (c->p[1] == ':')
				k = RK_NCGROUP;
			else if (c->p[1] == '=')
				k = RK_LOOK;
			else if (c->p[1] == '!')
				k = RK_NLOOK;
			else {
				c->msg = "invalid group";
				return NULL;
			}
			if (!named)
				c->p += 2;
		}
		struct rnode *n = nn(c, k);
		if (!n)
			return NULL;
		if (k == RK_GROUP)
			n->group = ++c->ngroups;
		n->a = parse_alt(c);
		if (!n->a)
			return NULL;
		if (c->p >= c->end || *c->p != ')') {
			c->msg = "missing )";
			return NULL;
		}
		c->p++;
		return n;
	}
	case '\\': {
		c->p++;
		if (c->p < c->end && (*c->p == 'b' || *c->p == 'B')) {
			struct rnode *n = nn(c, *c->p == 'b' ? RK_WORDB : RK_NWORDB);
			c->p++;
			return n;
		}
		if (c->p < c->end && *c->p >= '1' && *c->p <= '9') {
			int g;
			read_int(c, &g);
			struct rnode *n = nn(c, RK_BACKREF);
			if (n)
				n->cp = (unsigned)g;
			return n;
		}
		char cls;
		unsigned v = parse_escape(c, &cls, 0);
		if (c->msg)
			return NULL;
		if (cls) {
			struct rnode *n = nn(c, RK_CLASS);
			if (!n)
				return NULL;
			n->r0 = c->nrg;
			if (add_escape_class(c, (char)(cls | 0x20), cls < 'a'))
				return NULL;
			n->nr = (c->nrg - n->r0) / 2;
			return n;
		}
		struct rnode *n = nn(c, RK_CHAR);
		if (n)
			n->cp = v;
		return n;
	}
	case '*': case '+': case '?':
		c->msg = "nothing to repeat";
		return NULL;
	default: {
		struct rnode *n = nn(c, RK_CHAR);
		if (n)
			n->cp = getcp(c);
		return n;
	}
	}
}

/* A quantifier after an atom, if any: returns 1 and fills min/max. */
static int parse_quant(struct rc *c, int *min, int *max)
{
	char ch = *c->p;
	if (ch == '*') { c->p++; *min = 0; *max = -1; return 1; }
	if (ch == '+') { c->p++; *min = 1; *max = -1; return 1; }
	if (ch == '?') { c->p++; *min = 0; *max = 1; return 1; }
	if (ch == '{') {
		const char *save = c->p;
		c->p++;
		int a, b;
		if (!read_int(c, &a))
			goto literal;
		b = a;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			if (!read_int(c, &b))
				b = -1;
		}
		if (c->p >= c->end || *c->p != '}')
			goto literal;
		c->p++;
		if (b != -1 && b < a) {
			c->msg = "numbers out of order in {} quantifier";
			return 0;
		}
		*min = a;
		*max = b;
		return 1;
literal:
		c->p = save;   /* Annex B: a literal '{' */
		return 0;
	}
	return 0;
}

static struct rnode *parse_seq(struct rc *c)
{
	struct rnode *seq = NULL;
	while (c->p < c->end && *c->p != '|' && *c->p != ')') {
		struct rnode *a;
		if (*c->p == '{') {
			/* a literal brace unless it quantifies (which needs an atom) */
			int mn, mx;
			const char *save = c->p;
			if (parse_quant(c, &mn, &mx)) {
				c->msg = "nothing to repeat";
				return NULL;
			}
			c->p = save + 1;
			a = nn(c, RK_CHAR);
			if (a)
				a->cp = '{';
		} else {
			a = parse_atom(c);
		}
		if (!a)
			return NULL;
		int mn, mx;
		if (c->p < c->end && a->k != RK_BOL && a->k != RK_EOL && parse_quant(c, &mn, &mx)) {
			struct rnode *r = nn(c, RK_REPEAT);
			if (!r)
				return NULL;
			r->a = a;
			r->min = mn;
			r->max = mx;
			r->greedy = 1;
			if (c->p < c->end && *c->p == '?') {
				r->greedy = 0;
				c->p++;
			}
			a = r;
		} else if (c->msg) {
			return NULL;
		}
		if (!seq) {
			seq = a;
		} else {
			struct rnode *cat = nn(c, RK_CAT);
			if (!cat)
				return NULL;
			cat->a = seq;
			cat->b = a;
			seq = cat;
		}
	}
	return seq ? seq : nn(c, RK_EMPTY);
}

static struct rnode *parse_alt(struct rc *c)
{
	struct rnode *left = parse_seq(c);
	if (!left)
		return NULL;
	while (c->p < c->end && *c->p == '|') {
		c->p++;
		struct rnode *right = parse_seq(c);
		if (!right)
			return NULL;
		struct rnode *alt = nn(c, RK_ALT);
		if (!alt)
			return NULL;
		alt->a = left;
		alt->b = right;
		left = alt;
	}
	return left;
}

/* ----------------------------------------------------------- codegen */

static int emit(struct rc *c, int op, int x, int y)
{
	if (c->nin == c->capin) {
		int cap = c->capin ? c->capin * 2 : 64;
		if (cap > 1000000) {
			c->msg = "regular expression too large";
			return -1;
		}
		struct aslrt_jn_reinst *v = realloc(c->in, (size_t)cap * sizeof *v);
		if (!v) {
			c->oom = 1;
			return -1;
		}
		c->in = v;
		c->capin = cap;
	}
	c->in[c->nin].op = (unsigned char)op;
	c->in[c->nin].x = x;
	c->in[c->nin].y = y;
	return c->nin++;
}

/* Can n match the empty string? (conservative: yes when unsure) */
static int nullable(const struct rnode *n)
{
	switch (n->k) {
	case RK_CHAR: case RK_ANY: case RK_CLASS:
		return 0;
	case RK_CAT:
		return nullable(n->a) && nullable(n->b);
	case RK_ALT:
		return nullable(n->a) || nullable(n->b);
	case RK_REPEAT:
		return n->min == 0 || nullable(n->a);
	case RK_GROUP: case RK_NCGROUP:
		return nullable(n->a);
	default:
		return 1;
	}
}

static int gen(struct rc *c, const struct rnode *n);

/* One optional or repeated copy of n: `loop` unbounded (star), else a
 * single optional. */
static int gen_opt(struct rc *c, const struct rnode *n, int greedy, int loop)
{
	int check = loop && nullable(n);
	int mark = check ? c->nmarks++ : 0;
	int split = emit(c, ASLRT_JN_RE_SPLIT, 0, 0);
	if (split < 0)
		return -1;
	int body = c->nin;
	if (check && emit(c, ASLRT_JN_RE_MARK, mark, 0) < 0)
		return -1;
	if (gen(c, n))
		return -1;
	if (check && emit(c, ASLRT_JN_RE_PROGRESS, mark, 0) < 0)
		return -1;
	if (loop && emit(c, ASLRT_JN_RE_JMP, split, 0) < 0)
		return -1;
	int after = c->nin;
	c->in[split].x = greedy ? body : after;
	c->in[split].y = greedy ? after : body;
	return 0;
}

static int gen(struct rc *c, const struct rnode *n)
{
	switch (n->k) {
	case RK_EMPTY:
		return 0;
	case RK_CHAR:
		return emit(c, ASLRT_JN_RE_CHAR, (int)n->cp, 0) < 0;
	case RK_ANY:
		return emit(c, ASLRT_JN_RE_ANY, 0, 0) < 0;
	case RK_CLASS:
		return emit(c, n->neg ? ASLRT_JN_RE_NCLASS : ASLRT_JN_RE_CLASS, n->r0 / 2, n->nr) < 0;
	case RK_BOL:
		return emit(c, ASLRT_JN_RE_BOL, 0, 0) < 0;
	case RK_EOL:
		return emit(c, ASLRT_JN_RE_EOL, 0, 0) < 0;
	case RK_WORDB:
		return emit(c, ASLRT_JN_RE_WORDB, 0, 0) < 0;
	case RK_NWORDB:
		return emit(c, ASLRT_JN_RE_NWORDB, 0, 0) < 0;
	case RK_BACKREF:
		return emit(c, ASLRT_JN_RE_BACKREF, (int)n->cp, 0) < 0;
	case RK_GROUP:
		if (emit(c, ASLRT_JN_RE_SAVE, 2 * n->group, 0) < 0 || gen(c, n->a))
			return -1;
		return emit(c, ASLRT_JN_RE_SAVE, 2 * n->group + 1, 0) < 0;
	case RK_NCGROUP:
		return gen(c, n->a);
	case RK_LOOK:
	case RK_NLOOK: {
		int look = emit(c, ASLRT_JN_RE_LOOK, 0, n->k == RK_NLOOK);
		if (look < 0 || gen(c, n->a) || emit(c, ASLRT_JN_RE_MATCH, 0, 0) < 0)
			return -1;
		c->in[look].x = c->nin;
		return 0;
	}
	case RK_CAT:
		return gen(c, n->a) || gen(c, n->b);
	case RK_ALT: {
		int split = emit(c, ASLRT_JN_RE_SPLIT, 0, 0);
		if (split < 0)
			return -1;
		c->in[split].x = c->nin;
		if (gen(c, n->a))
			return -1;
		int jmp = emit(c, ASLRT_JN_RE_JMP, 0, 0);
		if (jmp < 0)
			return -1;
		c->in[split].y = c->nin;
		if (gen(c, n->b))
			return -1;
		c->in[jmp].x = c->nin;
		return 0;
	}
	case RK_REPEAT: {
		if (n->min > 1000 || n->max > 1000) {
			c->msg = "repetition count too large";
			return -1;
		}
		for (int i = 0; i < n->min; i++)
			if (gen(c, n->a))
				return -1;
		if (n->max < 0)
			return gen_opt(c, n->a, n->greedy, 1);
		for (int i = n->min; i < n->max; i++)
			if (gen_opt(c, n->a, n->greedy, 0))
				return -1;
		return 0;
	}
	}
	return 0;
}

static void rc_free(struct rc *c)
{
	for (int i = 0; i < c->nnodes; i++)
		free(c->nodes[i]);
	free(c->nodes);
	free(c->rg);
	free(c->in);
}

struct aslrt_jn_regex *asl_jn_regex_compile(const char *pat, size_t len, unsigned flags,
					    const char **msg)
{
	struct rc c;
	memset(&c, 0, sizeof c);
	c.p = pat;
	c.end = pat + len;
	*msg = NULL;
	struct rnode *root = parse_alt(&c);
	if (root && c.p < c.end && !c.msg)
		c.msg = "unmatched )";
	if (root && !c.msg && !c.oom) {
		if (gen(&c, root) == 0)
			emit(&c, ASLRT_JN_RE_MATCH, 0, 0);
	}
	if (!root || c.msg || c.oom) {
		*msg = c.oom ? NULL : c.msg ? c.msg : "invalid regular expression";
		rc_free(&c);
		return NULL;
	}
	/* pack: struct, instructions, ranges, source */
	size_t sz_in = (size_t)c.nin * sizeof *c.in;
	size_t sz_rg = (size_t)c.nrg * sizeof *c.rg;
	size_t total = sizeof(struct aslrt_jn_regex) + sz_in + sz_rg + len + 1 + 16;
	char *blk = calloc(1, total);
	if (!blk) {
		rc_free(&c);
		return NULL;
	}
	struct aslrt_jn_regex *re = (struct aslrt_jn_regex *)blk;
	char *p = blk + sizeof *re;
	struct aslrt_jn_reinst *in = (struct aslrt_jn_reinst *)p;
	memcpy(in, c.in, sz_in);
	p += sz_in;
	unsigned *rg = (unsigned *)p;
	if (sz_rg)
		memcpy(rg, c.rg, sz_rg);
	p += sz_rg;
	memcpy(p, pat, len);
	p[len] = '\0';
	re->source = p;
	re->flags = flags;
	re->ninst = c.nin;
	re->inst = in;
	re->ranges = rg;
	re->ngroups = c.ngroups;
	re->nmarks = c.nmarks;
	rc_free(&c);
	return re;
}
