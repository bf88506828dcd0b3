/*
 * signature.c - function signatures such as <s-nn?:s> (JSONata docs,
 * "Function signatures"), parsed and checked the way the reference
 * implementation's signature.js does it: each argument is reduced to a type
 * symbol (s n b l a o f, m for undefined), the symbols are matched against
 * the parameters as a regular expression would (greedy `+` and `?`,
 * backtracking), and the matched arguments are then fixed up: a missing
 * argument of a `-` parameter is replaced by the context, a non-array
 * given for an `a` parameter is wrapped in an array, and typed arrays
 * a<n> are checked element by element.
 */
#include "jn.h"

#include <string.h>

/* The position of the bracket closing the one at start. */
static int closing(const char *s, int start, char open, char close)
{
	int depth = 1, pos = start;
	int len = (int)strlen(s);
	while (pos < len) {
		pos++;
		if (s[pos] == close) {
			if (--depth == 0)
				break;
		} else if (s[pos] == open) {
			depth++;
		}
	}
	return pos;
}

int jn_sig_parse(const char *text, struct aslrt_jn_sig *sig,
		 struct aslrt_jn_sigparam *params, int max, char *pool, size_t poolsz,
		 const char **code, int *off)
{
	size_t used = 0;
	int n = 0;
	struct aslrt_jn_sigparam *prev = NULL;
	int len = (int)strlen(text);
	for (int pos = 1; pos < len; pos++) {
		char sym = text[pos];
		if (sym == ':')
			break;
		struct aslrt_jn_sigparam *p = n < max ? &params[n] : NULL;
		switch (sym) {
		case 's': case 'n': case 'b': case 'l': case 'o':
		case 'a': case 'f': case 'j': case 'x':
			if (!p)
				goto toolong;
			memset(p, 0, sizeof *p);
			p->type = sym;
			prev = p;
			n++;
			break;
		case '-':
			if (prev)
				prev->context = 1;
			break;
		case '?':
		case '+':
			if (prev)
				prev->quant = sym;
			break;
		case '(': {
			if (!p)
				goto toolong;
			int end = closing(text, pos, '(', ')');
			int clen = end - pos - 1;
			if (memchr(text + pos + 1, '<', (size_t)clen)) {
				*code = "S0402";
				*off = pos;
				return -1;
			}
			if (used + (size_t)clen + 1 > poolsz)
				goto toolong;
			char *ch = pool + used;
			memcpy(ch, text + pos + 1, (size_t)clen);
			ch[clen] = '\0';
			used += (size_t)clen + 1;
			memset(p, 0, sizeof *p);
			p->type = '(';
			p->choice = ch;
			prev = p;
			n++;
			pos = end;
			break;
		}
		case '<': {
			if (!prev || (prev->type != 'a' && prev->type != 'f')) {
				*code = "S0401";
				*off = pos;
				return -1;
			}
			int end = closing(text, pos, '<', '>');
			int slen = end - pos - 1;
			if (used + (size_t)(slen > 0 ? slen : 0) + 1 > poolsz)
				goto toolong;
			char *st = pool + used;
			memcpy(st, text + pos + 1, (size_t)(slen > 0 ? slen : 0));
			st[slen > 0 ? slen : 0] = '\0';
			used += (size_t)(slen > 0 ? slen : 0) + 1;
			prev->subtype = st;
			pos = end;
			break;
		}
		default:
			break;
		}
	}
	sig->n = n;
	sig->params = params;
	return 0;
toolong:
	*code = "S0402";
	*off = 0;
	return -1;
}

/* getSymbol: the type symbol of a value. */
static char symbol_of(const struct jval *v)
{
	switch (jnv_type(v)) {
	case JT_FN: return 'f';
	case JT_STR: return 's';
	case JT_NUM: return 'n';
	case JT_BOOL: return 'b';
	case JT_NULL: return 'l';
	case JT_ARR: return 'a';
	case JT_OBJ: return 'o';
	default: return 'm';
	}
}

/* The symbols a parameter's regex class admits. */
static int admits(const struct aslrt_jn_sigparam *p, char c)
{
	switch (p->type) {
	case 's': case 'n': case 'b': case 'l': case 'o':
		return c == p->type || c == 'm';
	case 'a': case 'x':
		return strchr("asnblfom", c) != NULL;
	case 'f':
		return c == 'f';
	case 'j':
		return strchr("asnblom", c) != NULL;
	case '(':
		return c == 'm' || (p->choice && strchr(p->choice, c) != NULL);
	}
	return 0;
}

/* The quantifier of p: '-' makes a parameter optional. */
static char quant_of(const struct aslrt_jn_sigparam *p)
{
	if (p->quant == '+')
		return '+';
	return (p->quant == '?' || p->context) ? '?' : 0;
}

/* Match params[i..n) against s[pos..len) as ^(...)(...)$ would (or as a
 * prefix when !anchored), recording each capture's length in caps. Returns
 * the end position of the first match found, or -1. */
static int match(const struct aslrt_jn_sig *sig, int i, int n, const char *s, int pos,
		 int len, int anchored, int *caps)
{
	if (i == n)
		return (!anchored || pos == len) ? pos : -1;
	const struct aslrt_jn_sigparam *p = &sig->params[i];
	char q = quant_of(p);
	int maxk = 0;
	while (pos + maxk < len && admits(p, s[pos + maxk]) && (q == '+' || maxk < 1))
		maxk++;
	int mink = q == 0 || q == '+' ? 1 : 0;
	for (int k = maxk; k >= mink; k--) {
		caps[i] = k;
		int r = match(sig, i + 1, n, s, pos + k, len, anchored, caps);
		if (r >= 0)
			return r;
	}
	return -1;
}

static struct jval *t0410(struct jn_ctx *c, struct jval **args, int nargs, int at)
{
	jn_error(c, "T0410", -1, at < nargs ? args[at] : JV_UNDEF);
	c->err.index = at + 1;
	return JN_ERR;
}

int jn_sig_validate(struct jn_ctx *c, const struct aslrt_jn_sig *sig, struct jval **args,
		    int nargs, struct jval *context, struct jval **out, int max)
{
	char sup[64];
	if (nargs >= (int)sizeof sup)
		return t0410(c, args, nargs, (int)sizeof sup - 1), -1;
	for (int i = 0; i < nargs; i++)
		sup[i] = symbol_of(args[i]);
	sup[nargs] = '\0';
	int caps[32];
	if (sig->n > 32)
		return -1;
	if (match(sig, 0, sig->n, sup, 0, nargs, 1, caps) < 0) {
		/* find the first parameter that cannot match: the argument
		 * there is the culprit (throwValidationError) */
		int good = 0;
		for (int k = 1; k <= sig->n; k++) {
			int pc[32];
			int r = match(sig, 0, k, sup, 0, nargs, 0, pc);
			if (r < 0)
				break;
			good = r;
		}
		t0410(c, args, nargs, good);
		return -1;
	}
	int nout = 0, ai = 0, mpos = 0;
	for (int i = 0; i < sig->n; i++) {
		const struct aslrt_jn_sigparam *p = &sig->params[i];
		int k = caps[i];
		const char *m = sup + mpos;
		mpos += k;
		if (nout + k + 1 > max) {
			t0410(c, args, nargs, ai);
			return -1;
		}
		if (k == 0) {
			if (p->context) {
				char ct = symbol_of(context);
				if (admits(p, ct)) {
					out[nout++] = context;
				} else {
					jn_error(c, "T0411", -1, context);
					c->err.index = ai + 1;
					return -1;
				}
			} else {
				out[nout++] = ai < nargs ? args[ai] : JV_UNDEF;
				ai++;
			}
			continue;
		}
		for (int j = 0; j < k; j++) {
			char single = m[j];
			struct jval *arg = ai < nargs ? args[ai] : JV_UNDEF;
			if (p->type == 'a') {
				if (single == 'm') {
					arg = JV_UNDEF;
				} else {
					int ok = 1;
					if (p->subtype) {
						if (single != 'a' && (k != 1 || m[0] != p->subtype[0] ||
								      p->subtype[1] != '\0'))
							ok = 0;
						else if (single == 'a' && jnv_arr(arg)->n > 0) {
							const struct jarr *a = jnv_arr(arg);
							char it = symbol_of(a->it[0]);
							if (it != p->subtype[0])
								ok = 0;
							for (size_t x = 1; ok && x < a->n; x++)
								if (symbol_of(a->it[x]) != it)
									ok = 0;
						}
					}
					if (!ok) {
						jn_error(c, "T0412", -1, arg);
						c->err.index = ai + 1;
						return -1;
					}
					if (single != 'a') {
						struct jarr *w = jnv_arr_new(c, 1);
						if (!w || jnv_arr_push(c, w, arg))
							return -1;
						arg = &w->h;
					}
				}
			}
			out[nout++] = arg;
			ai++;
		}
	}
	return nout;
}
