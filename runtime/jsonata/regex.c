/*
 * regex.c - runs a compiled JavaScript regular expression (struct
 * aslrt_jn_regex, compiled by aslc's compiler/jsonata_regex.c) by
 * backtracking, in the order ECMA-262 specifies: alternatives left to
 * right, greedy quantifiers longest first, lazy ones shortest first, the
 * first match found wins. Positions are byte offsets into UTF-8; each
 * character step reads one code point.
 *
 * The backtracking stack lives in rt_malloc'd memory, and the work is
 * bounded (JN_RE_BUDGET steps per exec): a pathological pattern fails with
 * -1 rather than running away.
 */
#include "jn.h"
#include "rt.h"

#include <string.h>

#define JN_RE_BUDGET 20000000L

enum { BT_BRANCH, BT_CAP, BT_MARK };

struct bt {
	int kind;
	int pc;        /* BRANCH: where to resume; CAP/MARK: slot            */
	long sp;       /* BRANCH: position; CAP/MARK: the old value          */
};

struct vm {
	const struct aslrt_jn_regex *re;
	const char *s;
	long len;
	long *caps;
	long *marks;
	struct bt *st;
	long nst, capst;
	long steps;
	int oom;
};

static int push(struct vm *m, int kind, int pc, long sp)
{
	if (m->nst == m->capst) {
		long cap = m->capst ? m->capst * 2 : 64;
		struct bt *v = rt_realloc(m->st, (size_t)cap * sizeof *v);
		if (!v) {
			m->oom = 1;
			return -1;
		}
		m->st = v;
		m->capst = cap;
	}
	m->st[m->nst].kind = kind;
	m->st[m->nst].pc = pc;
	m->st[m->nst].sp = sp;
	m->nst++;
	return 0;
}

/* Simple case folding, as JS Canonicalize without the u flag does it for
 * the common alphabets (ASCII, Latin-1, Greek, Cyrillic). */
static unsigned fold(unsigned c)
{
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if ((c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return c - 32;
	if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
		return c - 32;
	if (c >= 0x430 && c <= 0x44f)
		return c - 32;
	if (c >= 0x450 && c <= 0x45f)
		return c - 80;
	return c;
}

static int in_ranges(const struct aslrt_jn_regex *re, int r0, int nr, unsigned c)
{
	const unsigned *r = re->ranges + 2 * r0;
	for (int i = 0; i < nr; i++)
		if (c >= r[2 * i] && c <= r[2 * i + 1])
			return 1;
	return 0;
}

static int class_match(const struct aslrt_jn_regex *re, int r0, int nr, unsigned c)
{
	if (in_ranges(re, r0, nr, c))
		return 1;
	if (re->flags & ASLRT_JN_RE_ICASE) {
		unsigned u = fold(c);
		if (u != c && in_ranges(re, r0, nr, u))
			return 1;
		/* the lower-case form of an upper-case letter */
		for (unsigned l = c + 32; l <= c + 80; l += 48)
			if (fold(l) == c && in_ranges(re, r0, nr, l))
				return 1;
	}
	return 0;
}

static int is_word(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int is_lt(unsigned c)
{
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* The code point before position sp (0 at the start). */
static unsigned prev_cp(const struct vm *m, long sp)
{
	if (sp <= 0)
		return 0;
	long i = sp - 1;
	while (i > 0 && ((unsigned char)m->s[i] & 0xc0) == 0x80 && sp - i < 4)
		i--;
	unsigned cp;
	jn_utf8_get(m->s + i, (size_t)(m->len - i), &cp);
	return cp;
}

static int word_at(const struct vm *m, long sp)
{
	if (sp >= m->len)
		return 0;
	unsigned cp;
	jn_utf8_get(m->s + sp, (size_t)(m->len - sp), &cp);
	return is_word(cp);
}

/* Run the program from pc at position sp until MATCH (returns 1 and *end),
 * or until every alternative failed (0). The stack below `base` belongs to
 * an enclosing run (lookahead). -1: budget or memory exhausted. */
static int run(struct vm *m, int pc, long sp, long *end)
{
	long base = m->nst;
	const struct aslrt_jn_reinst *in = m->re->inst;
	int icase = (m->re->flags & ASLRT_JN_RE_ICASE) != 0;
	int multi = (m->re->flags & ASLRT_JN_RE_MULTILINE) != 0;
	for (;;) {
		if (++m->steps > JN_RE_BUDGET)
			return -1;
		const struct aslrt_jn_reinst *I = &in[pc];
		int ok = 1;
		unsigned cp = 0;
		int cl = 0;
		if (sp < m->len)
			cl = jn_utf8_get(m->s + sp, (size_t)(m->len - sp), &cp);
		switch (I->op) {
		case ASLRT_JN_RE_CHAR:
			if (cl && ((unsigned)I->x == cp ||
				   (icase && fold((unsigned)I->x) == fold(cp)))) {
				sp += cl;
				pc++;
			} else {
				ok = 0;
			}
			break;
		case ASLRT_JN_RE_ANY:
			if (cl && !is_lt(cp)) {
				sp += cl;
				pc++;
			} else {
				ok = 0;
			}
			break;
		case ASLRT_JN_RE_CLASS:
		case ASLRT_JN_RE_NCLASS:
			if (cl && class_match(m->re, I->x, I->y, cp) == (I->op == ASLRT_JN_RE_CLASS)) {
				sp += cl;
				pc++;
			} else {
				ok = 0;
			}
			break;
		case ASLRT_JN_RE_BOL:
			ok = sp == 0 || (multi && is_lt(prev_cp(m, sp)));
			pc++;
			break;
		case ASLRT_JN_RE_EOL:
			ok = sp == m->len || (multi && cl && is_lt(cp));
			pc++;
			break;
		case ASLRT_JN_RE_WORDB:
		case ASLRT_JN_RE_NWORDB: {
			int a = sp > 0 && is_word(prev_cp(m, sp));
			int b = word_at(m, sp);
			ok = (a != b) == (I->op == ASLRT_JN_RE_WORDB);
			pc++;
			break;
		}
		case ASLRT_JN_RE_SAVE:
			if (push(m, BT_CAP, I->x, m->caps[I->x]))
				return -1;
			m->caps[I->x] = sp;
			pc++;
			break;
		case ASLRT_JN_RE_MARK:
			if (push(m, BT_MARK, I->x, m->marks[I->x]))
				return -1;
			m->marks[I->x] = sp;
			pc++;
			break;
		case ASLRT_JN_RE_PROGRESS:
			ok = sp != m->marks[I->x];
			pc++;
			break;
		case ASLRT_JN_RE_SPLIT:
			if (push(m, BT_BRANCH, I->y, sp))
				return -1;
			pc = I->x;
			break;
		case ASLRT_JN_RE_JMP:
			pc = I->x;
			break;
		case ASLRT_JN_RE_MATCH:
			*end = sp;
			return 1;
		case ASLRT_JN_RE_BACKREF: {
			long a = I->x <= m->re->ngroups ? m->caps[2 * I->x] : -1;
			long b = I->x <= m->re->ngroups ? m->caps[2 * I->x + 1] : -1;
			if (a < 0 || b < a) {
				pc++;
				break;
			}
			long n = b - a;
			if (sp + n > m->len) {
				ok = 0;
				break;
			}
			for (long i = 0; i < n && ok; i++) {
				unsigned char x = (unsigned char)m->s[a + i];
				unsigned char y = (unsigned char)m->s[sp + i];
				ok = x == y || (icase && fold(x) == fold(y));
			}
			if (ok) {
				sp += n;
				pc++;
			}
			break;
		}
		case ASLRT_JN_RE_LOOK: {
			long e2;
			long save = m->nst;
			int r = run(m, pc + 1, sp, &e2);
			if (r < 0)
				return -1;
			if (I->y) {
				/* negative: undo anything the attempt captured */
				while (m->nst > save) {
					struct bt *t = &m->st[--m->nst];
					if (t->kind == BT_CAP)
						m->caps[t->pc] = t->sp;
					else if (t->kind == BT_MARK)
						m->marks[t->pc] = t->sp;
				}
				ok = !r;
			} else {
				/* positive: keep its captures, drop its branches */
				long w = save;
				for (long i = save; i < m->nst; i++)
					if (m->st[i].kind != BT_BRANCH)
						m->st[w++] = m->st[i];
				m->nst = w;
				ok = r;
			}
			pc = I->x;
			break;
		}
		default:
			ok = 0;
		}
		if (ok)
			continue;
		/* backtrack */
		for (;;) {
			if (m->nst <= base)
				return 0;
			struct bt *t = &m->st[--m->nst];
			if (t->kind == BT_CAP) {
				m->caps[t->pc] = t->sp;
			} else if (t->kind == BT_MARK) {
				m->marks[t->pc] = t->sp;
			} else {
				pc = t->pc;
				sp = t->sp;
				break;
			}
		}
	}
}

int jn_regex_exec(const struct aslrt_jn_regex *re, const char *s, size_t len, size_t from,
		  long *caps)
{
	struct vm m;
	memset(&m, 0, sizeof m);
	m.re = re;
	m.s = s;
	m.len = (long)len;
	m.caps = caps;
	int ncap = 2 * (re->ngroups + 1);
	long markbuf[16];
	m.marks = re->nmarks <= 16 ? markbuf : rt_malloc((size_t)re->nmarks * sizeof(long));
	if (!m.marks)
		return -1;
	int result = 0;
	for (long start = (long)from; start <= m.len;) {
		for (int i = 0; i < ncap; i++)
			caps[i] = -1;
		for (int i = 0; i < re->nmarks; i++)
			m.marks[i] = -1;
		m.nst = 0;
		long end;
		int r = run(&m, 0, start, &end);
		if (r < 0) {
			result = -1;
			break;
		}
		if (r == 1) {
			caps[0] = start;
			caps[1] = end;
			result = 1;
			break;
		}
		if (start >= m.len)
			break;
		unsigned cp;
		start += jn_utf8_get(s + start, (size_t)(m.len - start), &cp);
	}
	rt_free(m.st);
	if (m.marks != markbuf)
		rt_free(m.marks);
	return result;
}
