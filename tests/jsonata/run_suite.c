/*
 * run_suite.c - runs the official JSONata 2.0.6 test suite
 * (../shared/jsonata-test-suite, format in its TESTSUITE.md) against aslc's
 * engine: every case of groups/<group>/<case>.json (a case object, or an
 * array of them) is parsed with asl_jn_parse and evaluated with
 * aslrt_jn_evaluate, and its result, undefined result or error code is
 * compared with the expectation.
 *
 * Usage: run_suite SUITE_DIR KNOWN_FAILURES [-v] [GROUP[/CASE]...]
 *
 * Prints the pass count of every group, each failure with its reason, and
 * a final "N passed, N failed" line. Exits 0 when at least 98% of the cases
 * pass and the failing cases are exactly those listed in KNOWN_FAILURES
 * (lines "group/case reason"; '#' starts a comment); a failure not listed,
 * or a listed case that passes, fails the run. With a GROUP filter only
 * those cases run and the known-failures file is not enforced.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonata.h"
#include "suite_files.h"

/* ------------------------------------------------------- comparison */

static int json_equal(const cJSON *a, const cJSON *b, int unordered);

static int array_equal_unordered(const cJSON *a, const cJSON *b)
{
	int n = cJSON_GetArraySize(a);
	if (n != cJSON_GetArraySize(b))
		return 0;
	char *used = calloc((size_t)n + 1, 1);
	int ok = 1;
	for (const cJSON *x = a->child; x && ok; x = x->next) {
		int found = 0, i = 0;
		for (const cJSON *y = b->child; y; y = y->next, i++) {
			if (!used[i] && json_equal(x, y, 0)) {
				used[i] = 1;
				found = 1;
				break;
			}
		}
		ok = found;
	}
	free(used);
	return ok;
}

static int json_equal(const cJSON *a, const cJSON *b, int unordered)
{
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	switch (a->type & 0xff) {
	case cJSON_Number:
		return a->valuedouble == b->valuedouble;
	case cJSON_String:
		return strcmp(a->valuestring, b->valuestring) == 0;
	case cJSON_Array: {
		if (unordered)
			return array_equal_unordered(a, b);
		const cJSON *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!json_equal(x, y, 0))
				return 0;
		return !x && !y;
	}
	case cJSON_Object: {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		for (const cJSON *x = a->child; x; x = x->next) {
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !json_equal(x, y, 0))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

/* ------------------------------------------------------------ cases */

struct known {
	char **ids;
	int n, cap;
	int *seen;
};

static void known_load(struct known *k, const char *path)
{
	char *text = read_file(path, NULL);
	if (!text)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		size_t n = strcspn(line, " \t");
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 64;
			k->ids = realloc(k->ids, (size_t)k->cap * sizeof *k->ids);
		}
		k->ids[k->n] = malloc(n + 1);
		memcpy(k->ids[k->n], line, n);
		k->ids[k->n][n] = '\0';
		k->n++;
	}
	k->seen = calloc((size_t)k->n + 1, sizeof *k->seen);
	free(text);
}

static int known_find(const struct known *k, const char *id)
{
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->ids[i], id))
			return i;
	return -1;
}

struct runner {
	const char *suite;
	struct known known;
	int verbose;
	int filtered;
	int pass, fail;
	int unlisted, stale;
	cJSON *datasets[64];
	char *dsnames[64];
	int nds;
};

static const cJSON *dataset(struct runner *r, const char *name)
{
	for (int i = 0; i < r->nds; i++)
		if (!strcmp(r->dsnames[i], name))
			return r->datasets[i];
	if (r->nds == 64)
		return NULL;
	char path[4096];
	snprintf(path, sizeof path, "%s/datasets/%s.json", r->suite, name);
	r->datasets[r->nds] = parse_file(path);
	r->dsnames[r->nds] = strdup(name);
	return r->datasets[r->nds++];
}

static const struct aslrt_jn_expr *parse_hook(const char *text, struct aslrt_jn_error *err,
					      void *user)
{
	(void)user;
	return asl_jn_parse(text, strlen(text), err);
}

static void free_hook(const struct aslrt_jn_expr *e, void *user)
{
	(void)user;
	asl_jn_free(e);
}

#ifdef JN_EMITTED
/* Built with the suite's expressions emitted as static data (emit_suite):
 * evaluate those instead of parsing. */
const struct aslrt_jn_expr *jn_emitted_find(const char *id);
#endif

/* Run one case; returns 1 when it passes, else 0 with why filled. */
static int run_case(struct runner *r, const char *id, const char *groupdir, const cJSON *tc,
		    char *why, size_t whysz)
{
	const cJSON *je = cJSON_GetObjectItemCaseSensitive(tc, "expr");
	const cJSON *jf = cJSON_GetObjectItemCaseSensitive(tc, "expr-file");
	char *exprbuf = NULL;
	const char *expr = NULL;
	size_t exprlen = 0;
	if (cJSON_IsString(je)) {
		expr = je->valuestring;
		exprlen = strlen(expr);
	} else if (cJSON_IsString(jf)) {
		char path[4096];
		if (snprintf(path, sizeof path, "%s/%s", groupdir, jf->valuestring) <
		    (int)sizeof path)
			exprbuf = read_file(path, &exprlen);
		expr = exprbuf;
	}
	if (!expr) {
		snprintf(why, whysz, "no expression");
		return 0;
	}
	/* input */
	const cJSON *input = NULL;
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(tc, "data");
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(tc, "dataset");
	if (data)
		input = data;
	else if (cJSON_IsString(ds))
		input = dataset(r, ds->valuestring);
	/* bindings */
	struct aslrt_jn_binding binds[32];
	int nb = 0;
	const cJSON *bj = cJSON_GetObjectItemCaseSensitive(tc, "bindings");
	for (const cJSON *b = bj ? bj->child : NULL; b && nb < 32; b = b->next) {
		binds[nb].name = b->string;
		binds[nb].value = b;
		nb++;
	}
	/* expectation */
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(tc, "code");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(tc, "error");
	if (!code && error)
		code = cJSON_GetObjectItemCaseSensitive(error, "code");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(tc, "result");
	int undef = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tc, "undefinedResult"));
	int unordered = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tc, "unordered"));
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(tc, "timelimit");
	const cJSON *dp = cJSON_GetObjectItemCaseSensitive(tc, "depth");

	struct aslrt_jn_options opt;
	memset(&opt, 0, sizeof opt);
	opt.max_depth = cJSON_IsNumber(dp) ? dp->valueint : 100000;
	opt.timeout_ms = cJSON_IsNumber(tl) ? tl->valuedouble : 20000;
	opt.max_stack = (size_t)200 << 20;
	opt.max_bytes = (size_t)2 << 30;
	/* two fields of aslc's own cases (tests/jsonata/extra/README.md) */
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tc, "noeval"))) {
		opt.parse = parse_hook;
		opt.free_parsed = free_hook;
	}
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(tc, "maxsteps");
	if (cJSON_IsNumber(ms))
		opt.max_steps = (long)ms->valuedouble;
	const cJSON *mb = cJSON_GetObjectItemCaseSensitive(tc, "maxbytes");
	if (cJSON_IsNumber(mb))
		opt.max_bytes = (size_t)mb->valuedouble;

	struct aslrt_jn_error err;
	int ok = 0;
	const struct aslrt_jn_expr *e = NULL;
	int emitted = 0;
#ifdef JN_EMITTED
	e = jn_emitted_find(id);
	emitted = e != NULL;
#else
	(void)id;
#endif
	if (!e)
		e = asl_jn_parse(expr, exprlen, &err);
	cJSON *out = NULL;
	int rc = -1;
	if (e) {
		rc = aslrt_jn_evaluate(e, input, binds, nb, &opt, &out, &err);
		if (!emitted)
			asl_jn_free(e);
	}
	if (rc != 0) {
		if (code && cJSON_IsString(code) && !strcmp(code->valuestring, err.code)) {
			ok = 1;
		} else {
			snprintf(why, whysz, "error %s (%s)%s%s", err.code,
				 err.message ? err.message : "", code ? ", expected " : "",
				 code && cJSON_IsString(code) ? code->valuestring : "");
		}
	} else if (code) {
		char *txt = out ? cJSON_PrintUnformatted(out) : NULL;
		snprintf(why, whysz, "expected error %s, got %.200s",
			 cJSON_IsString(code) ? code->valuestring : "?", txt ? txt : "undefined");
		free(txt);
	} else if (undef) {
		if (!out) {
			ok = 1;
		} else {
			char *txt = cJSON_PrintUnformatted(out);
			snprintf(why, whysz, "expected undefined, got %.200s", txt ? txt : "?");
			free(txt);
		}
	} else if (result) {
		if (out && json_equal(out, result, unordered)) {
			ok = 1;
		} else {
			char *got = out ? cJSON_PrintUnformatted(out) : NULL;
			char *want = cJSON_PrintUnformatted(result);
			snprintf(why, whysz, "expected %.200s, got %.200s", want ? want : "?",
				 got ? got : "undefined");
			free(got);
			free(want);
		}
	} else {
		snprintf(why, whysz, "case has no expectation");
	}
	cJSON_Delete(out);
	aslrt_jn_error_clear(&err);
	free(exprbuf);
	return ok;
}

static int selected(int nfilters, char **filters, const char *id)
{
	if (!nfilters)
		return 1;
	for (int i = 0; i < nfilters; i++) {
		size_t l = strlen(filters[i]);
		if (!strncmp(id, filters[i], l) && (id[l] == '\0' || id[l] == '/' || id[l] == '['))
			return 1;
	}
	return 0;
}

static void report(struct runner *r, const char *id, int ok, const char *why)
{
	int k = known_find(&r->known, id);
	if (ok) {
		r->pass++;
		if (k >= 0) {
			r->known.seen[k] = 1;
			if (!r->filtered) {
				printf("  STALE %s: listed as failing but passes\n", id);
				r->stale++;
			}
		}
		if (r->verbose)
			printf("  ok   %s\n", id);
		return;
	}
	r->fail++;
	if (k >= 0) {
		r->known.seen[k] = 1;
		printf("  FAIL %s (known): %s\n", id, why);
	} else {
		printf("  FAIL %s: %s\n", id, why);
		r->unlisted++;
	}
}

struct job {
	int argc;
	char **argv;
	int status;
};

static void *run_all(void *arg)
{
	struct job *jb = arg;
	struct runner r;
	memset(&r, 0, sizeof r);
	r.suite = jb->argv[1];
	known_load(&r.known, jb->argv[2]);
	char **filters = NULL;
	int nfilters = 0;
	for (int i = 3; i < jb->argc; i++) {
		if (!strcmp(jb->argv[i], "-v")) {
			r.verbose = 1;
		} else {
			filters = realloc(filters, (size_t)(nfilters + 1) * sizeof *filters);
			filters[nfilters++] = jb->argv[i];
		}
	}
	r.filtered = nfilters > 0;
	char gdir[4096];
	snprintf(gdir, sizeof gdir, "%s/groups", r.suite);
	int ng;
	char **groups = list_dir(gdir, NULL, &ng);
	if (!groups) {
		fprintf(stderr, "run_suite: cannot read %s: %s\n", gdir, strerror(errno));
		jb->status = 2;
		return NULL;
	}
	for (int g = 0; g < ng; g++) {
		char dir[8192];
		if (snprintf(dir, sizeof dir, "%s/%s", gdir, groups[g]) >= (int)sizeof dir)
			continue;
		int nf;
		char **files = list_dir(dir, ".json", &nf);
		int gpass = 0, gtotal = 0;
		for (int f = 0; f < nf; f++) {
			char path[16384];
			if (snprintf(path, sizeof path, "%s/%s", dir, files[f]) >= (int)sizeof path)
				continue;
			char base[1024];
			snprintf(base, sizeof base, "%s/%.*s", groups[g], (int)(strlen(files[f]) - 5),
				 files[f]);
			cJSON *j = parse_file(path);
			if (!j) {
				if (selected(nfilters, filters, base)) {
					gtotal++;
					report(&r, base, 0, "case file is not valid JSON");
				}
				free(files[f]);
				continue;
			}
			int arr = cJSON_IsArray(j);
			int idx = 0;
			for (const cJSON *tc = arr ? j->child : j; tc; tc = arr ? tc->next : NULL, idx++) {
				char id[1100];
				if (arr)
					snprintf(id, sizeof id, "%s[%d]", base, idx);
				else
					snprintf(id, sizeof id, "%s", base);
				if (!selected(nfilters, filters, id))
					continue;
				char why[1024] = "";
				int ok = run_case(&r, id, dir, tc, why, sizeof why);
				gtotal++;
				gpass += ok;
				report(&r, id, ok, why);
			}
			cJSON_Delete(j);
			free(files[f]);
		}
		free(files);
		if (gtotal)
			printf("%-36s %4d/%-4d\n", groups[g], gpass, gtotal);
		free(groups[g]);
	}
	free(groups);
	if (!r.filtered) {
		for (int i = 0; i < r.known.n; i++) {
			if (!r.known.seen[i]) {
				printf("  STALE %s: listed in known failures but no such case\n",
				       r.known.ids[i]);
				r.stale++;
			}
		}
	}
	int total = r.pass + r.fail;
	double rate = total ? 100.0 * r.pass / total : 0;
	printf("%d passed, %d failed (%.2f%%)\n", r.pass, r.fail, rate);
	if (r.filtered)
		jb->status = r.fail ? 1 : 0;
	else
		jb->status = (rate >= 98.0 && !r.unlisted && !r.stale) ? 0 : 1;
	for (int i = 0; i < r.nds; i++) {
		cJSON_Delete(r.datasets[i]);
		free(r.dsnames[i]);
	}
	for (int i = 0; i < r.known.n; i++)
		free(r.known.ids[i]);
	free(r.known.ids);
	free(r.known.seen);
	free(filters);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s SUITE_DIR KNOWN_FAILURES [-v] [GROUP[/CASE]...]\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* evaluate on a thread with a large stack: deep but legitimate
	 * recursion in the suite must not hit the process stack limit */
	struct job jb = { argc, argv, 1 };
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)256 << 20);
	if (pthread_create(&t, &attr, run_all, &jb)) {
		run_all(&jb);
	} else {
		pthread_join(t, NULL);
	}
	pthread_attr_destroy(&attr);
	return jb.status;
}
