/*
 * test_report.c - unit tests of visibility (docs/visibility.md): reading
 * record members without a parse tree (jscan.c), folding records into
 * counts per state and transition (report_agg.c), escaping untrusted text
 * for HTML, attributes and scripts and marking the machine's SVG
 * (report_html.c), the progress line (progress.c) and the Prometheus text
 * of a worker's counters (metrics.c). Exact values throughout.
 */
#include "counters.h"
#include "jscan.h"
#include "metrics.h"
#include "progress.h"
#include "report.h"
#include "rt.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What f (an open_memstream) holds so far, as a new string. */
static char *drain(FILE *f, char **buf)
{
	fflush(f);
	return strdup(*buf);
}

/* ------------------------------------------------------------ jscan */

START_TEST(jscan_members)
{
	const char *t = "{\"a\":1, \"skip\":{\"x\":[1,{\"y\":\"}\\\"]\"}],\"z\":\"q\\\\\"},"
			"\"s\":\"h\\u00e9\\\"llo\",\"n\":-42.5,\"b\":true}";
	const char *keys[] = { "n", "s", "a", "missing", "b" };
	struct rt_jspan v[5];
	ck_assert_int_eq(rt_jscan_members(t, strlen(t), keys, 5, v), 0);
	ck_assert_int_eq((int)rt_jspan_int(v[0], 0), -42);
	ck_assert_int_eq((int)rt_jspan_int(v[2], 0), 1);
	ck_assert_ptr_null(v[3].p);
	ck_assert_int_eq((int)rt_jspan_int(v[3], 7), 7);
	ck_assert_int_eq((int)v[4].n, 4);
	char *s = rt_jspan_str(v[1]);
	ck_assert_str_eq(s, "h\xc3\xa9\"llo");
	rt_free(s);
	ck_assert(!rt_jspan_is(v[1], "hello"));
	const char *u = "{\"s\":\"RUNNING\"}";
	const char *k1[] = { "s" };
	ck_assert_int_eq(rt_jscan_members(u, strlen(u), k1, 1, v), 0);
	ck_assert(rt_jspan_is(v[0], "RUNNING"));
	ck_assert(!rt_jspan_is(v[0], "RUN"));
	/* not an object, cut short */
	ck_assert_int_eq(rt_jscan_members("[1]", 3, k1, 1, v), -1);
	ck_assert_int_eq(rt_jscan_members("{\"s\":\"abc", 9, k1, 1, v), -1);
	ck_assert_int_eq(rt_jscan_members("{\"s\":{\"a\":1}", 12, k1, 1, v), -1);
	ck_assert_int_eq(rt_jscan_members("{}", 2, k1, 1, v), 0);
	ck_assert_ptr_null(v[0].p);
}
END_TEST

/* ------------------------------------------------------ aggregation */

/* A: Task, Next B, Catch -> C; B: Succeed; C: Fail; D: Pass inside a Map
 * (never recorded). */
static const char *const all_errors[] = { "States.ALL" };
static const struct aslrt_catcher catch_c[] = {
	{ .nerrors = 1, .errors = all_errors, .next = 2 } };
static const struct aslrt_retrier retry_x[] = {
	{ .nerrors = 1, .errors = all_errors, .interval_s = 1, .max_attempts = 3,
	  .backoff_rate = 2 } };
static const struct aslrt_state states[] = {
	{ .name = "A<&>\"'\xc3\xa9", .type = ASLRT_TASK, .pointer = "/States/A", .next = 1,
	  .nretry = 1, .retry = retry_x, .ncatch = 1, .catchers = catch_c },
	{ .name = "B", .type = ASLRT_SUCCEED, .pointer = "/States/B", .next = ASLRT_END },
	{ .name = "C", .type = ASLRT_FAIL, .pointer = "/States/C", .next = ASLRT_END },
	{ .name = "D", .type = ASLRT_PASS, .pointer = "/States/M/ItemProcessor/States/D",
	  .next = ASLRT_END },
};
static const struct aslrt_machine machine = { .name = "m\"q\\b", .nstates = 4,
					      .states = states, .start = 0 };

static void feed(struct rt_agg *a, uint8_t kind, uint8_t flags, const char *name,
		 const char *json)
{
	struct rt_rec r = { kind, flags, name, strlen(name), json, strlen(json) };
	ck_assert_int_eq(rt_agg_feed(a, &r), 0);
}

/* e1 succeeds through A and B; e2 retries A once, then its error is caught
 * and it fails in C; e3 has only started (in progress in A). */
static struct rt_agg *sample_agg(void)
{
	struct rt_agg *a = rt_agg_new(&machine, NULL, 0);
	ck_assert_ptr_nonnull(a);
	feed(a, RT_REC_START, 0, "e1", "{\"input\":{\"big\":[1,2,{\"a\":\"}\"}]},\"t\":1000}");
	feed(a, RT_REC_TASK, 0, "e1", "{\"key\":\"1/0\",\"st\":0,\"ok\":{\"x\":1}}");
	feed(a, RT_REC_STEP, 0, "e1",
	     "{\"ran\":0,\"t0\":1000,\"t1\":1100,\"cp\":{\"st\":1,\"s\":\"RUNNING\","
	     "\"in\":{\"s\":\"RUNNING\"}},\"hc\":5}");
	feed(a, RT_REC_STEP, RT_REC_FINAL, "e1",
	     "{\"ran\":1,\"t0\":1200,\"t1\":1300,\"cp\":{\"st\":1,\"s\":\"SUCCEEDED\"}}");
	feed(a, RT_REC_START, 0, "e2", "{\"input\":{},\"t\":2000}");
	feed(a, RT_REC_TASK, 0, "e2", "{\"st\":0,\"err\":\"X\",\"cause\":\"c\"}");
	feed(a, RT_REC_STEP, 0, "e2",
	     "{\"ran\":0,\"t0\":2000,\"t1\":2010,\"cp\":{\"st\":0,\"s\":\"RUNNING\",\"ry\":1}}");
	feed(a, RT_REC_TASK, 0, "e2", "{\"st\":0,\"to\":1}");
	feed(a, RT_REC_STEP, 0, "e2",
	     "{\"ran\":0,\"t0\":2500,\"t1\":2600,\"re\":1,\"cp\":{\"st\":2,\"s\":\"RUNNING\"}}");
	feed(a, RT_REC_STEP, RT_REC_FINAL, "e2",
	     "{\"ran\":2,\"t0\":2700,\"t1\":2800,\"cp\":{\"st\":2,\"s\":\"FAILED\",\"err\":"
	     "\"E\\u00e9\",\"cause\":\"no\"}}");
	feed(a, RT_REC_START, 0, "e3", "{\"input\":{},\"t\":3000}");
	ck_assert_int_eq(a->oom, 0);
	rt_agg_finish(a);
	return a;
}

START_TEST(agg_counts)
{
	struct rt_agg *a = sample_agg();
	ck_assert_int_eq((int)a->nx, 3);
	ck_assert_int_eq((int)a->records, 11);
	ck_assert_int_eq((int)a->by_status[ASLRT_RUNNING], 1);
	ck_assert_int_eq((int)a->by_status[ASLRT_SUCCEEDED], 1);
	ck_assert_int_eq((int)a->by_status[ASLRT_FAILED], 1);
	const struct rt_agg_state *A = &a->st[0], *B = &a->st[1], *C = &a->st[2], *D = &a->st[3];
	ck_assert_int_eq((int)A->count, 3);
	ck_assert_int_eq((int)A->by[RT_VIS_SUCCEEDED], 1);
	ck_assert_int_eq((int)A->by[RT_VIS_CAUGHT], 1);
	ck_assert_int_eq((int)A->by[RT_VIS_IN_PROGRESS], 1);
	ck_assert_int_eq(A->vis, RT_VIS_CAUGHT);
	ck_assert_int_eq((int)A->entries, 2);
	ck_assert_int_eq((int)A->retries, 1);
	ck_assert_int_eq(A->nerrors, 2);
	ck_assert_str_eq(A->errors[0].name, "X");
	ck_assert_int_eq((int)A->errors[0].n, 1);
	ck_assert_str_eq(A->errors[1].name, "States.Timeout");
	ck_assert_int_eq(A->nedges, 2);
	ck_assert_int_eq(A->edges[0].to, 1);
	ck_assert_int_eq(A->edges[0].caught, 0);
	ck_assert_int_eq(A->edges[1].to, 2);
	ck_assert_int_eq(A->edges[1].caught, 1);
	/* durations: e1 100 us, e2 600 us (entered 2000, left after the retry) */
	ck_assert_int_eq((int)A->ndur, 2);
	ck_assert_int_eq((int)A->p50, 100);
	ck_assert_int_eq((int)A->p99, 600);
	ck_assert_int_eq((int)A->max, 600);
	ck_assert_int_eq((int)B->count, 1);
	ck_assert_int_eq(B->vis, RT_VIS_SUCCEEDED);
	ck_assert_int_eq(B->edges[0].to, -1);
	ck_assert_int_eq(C->vis, RT_VIS_FAILED);
	ck_assert_int_eq(C->nedges, 1);          /* a Fail state's edge to the end */
	ck_assert_int_eq(C->edges[0].to, -1);
	ck_assert_int_eq(C->nfails, 1);
	ck_assert_str_eq(C->fails[0].name, "E\xc3\xa9");
	ck_assert_int_eq((int)C->ndur, 0);
	ck_assert_int_eq((int)D->count, 0);
	ck_assert_int_eq(D->vis, RT_VIS_NONE);
	ck_assert(rt_agg_inner(&machine, 3));
	ck_assert(!rt_agg_inner(&machine, 0));
	ck_assert(rt_agg_not_recorded(a, 3));      /* no notes: a store from before */
	ck_assert(!rt_agg_not_recorded(a, 1));
	/* executions: e1 300 us, e2 800 us */
	ck_assert_int_eq((int)a->nedur, 2);
	ck_assert_int_eq((int)a->ep50, 300);
	ck_assert_int_eq((int)a->emax, 800);
	rt_agg_free(a);
}
END_TEST

START_TEST(agg_filter)
{
	const char *only[] = { "e2" };
	struct rt_agg *a = rt_agg_new(&machine, only, 1);
	feed(a, RT_REC_START, 0, "e1", "{\"t\":1}");
	feed(a, RT_REC_START, 0, "e2", "{\"t\":2}");
	feed(a, RT_REC_END, RT_REC_FINAL, "e2", "{\"t\":9,\"s\":\"ABORTED\",\"err\":\"Stop\"}");
	rt_agg_finish(a);
	ck_assert_int_eq((int)a->nx, 1);
	ck_assert_str_eq(a->x[0]->name, "e2");
	ck_assert_int_eq((int)a->by_status[ASLRT_ABORTED], 1);
	ck_assert_int_eq(a->st[0].vis, RT_VIS_CANCELLED);
	ck_assert_str_eq(a->st[0].fails[0].name, "Stop");
	rt_agg_free(a);
}
END_TEST

START_TEST(quantiles)
{
	int64_t v[] = { 5, 1, 3, 2, 4 };
	ck_assert_int_eq((int)rt_agg_quantile(v, 5, 0.5), 3);
	ck_assert_int_eq((int)rt_agg_quantile(v, 5, 0.99), 5);
	ck_assert_int_eq((int)rt_agg_quantile(v, 5, 0.2), 1);
	ck_assert_int_eq((int)rt_agg_quantile(v, 0, 0.5), 0);
}
END_TEST

/* P: a Parallel (one branch: B1, a Task caught to B1Fix, else B2), then M:
 * a Map (I1, a Task with a Retry, then I2). Their inner states are folded
 * from the children's notes (dtask.c). */
static const struct aslrt_catcher catch_fix[] = {
	{ .nerrors = 1, .errors = all_errors, .next = 4 } };
static const struct aslrt_state fan_states[] = {
	{ .name = "P", .type = ASLRT_PARALLEL, .pointer = "/States/P", .next = 1 },
	{ .name = "M", .type = ASLRT_MAP, .pointer = "/States/M", .next = ASLRT_END },
	{ .name = "B1", .type = ASLRT_TASK, .pointer = "/States/P/Branches/0/States/B1",
	  .next = 3, .ncatch = 1, .catchers = catch_fix },
	{ .name = "B2", .type = ASLRT_PASS, .pointer = "/States/P/Branches/0/States/B2",
	  .next = ASLRT_END },
	{ .name = "B1Fix", .type = ASLRT_PASS, .pointer = "/States/P/Branches/0/States/B1Fix",
	  .next = ASLRT_END },
	{ .name = "I1", .type = ASLRT_TASK, .pointer = "/States/M/ItemProcessor/States/I1",
	  .next = 6, .nretry = 1, .retry = retry_x },
	{ .name = "I2", .type = ASLRT_PASS, .pointer = "/States/M/ItemProcessor/States/I2",
	  .next = ASLRT_END },
};
static const struct aslrt_machine fan_machine = { .name = "fan", .nstates = 7,
						  .states = fan_states, .start = 0 };

/* A child's note as dtask.c writes it. */
static void note(struct rt_agg *a, const char *x, const char *ev, const char *id, int st,
		 long t, const char *rest)
{
	char json[512];
	snprintf(json, sizeof json, "{\"ev\":\"%s\",\"id\":\"%s\",\"t\":%ld,\"st\":%d%s}", ev, id, t,
		 st, rest);
	feed(a, RT_REC_NOTE, 0, x, json);
}

/* The notes of p1's Map M before it parks (iteration 1 waits in I1), which
 * its resumed step notes again. */
static void p1_map_first_run(struct rt_agg *a)
{
	note(a, "p1", "i", "2[0]<", 1, 1300, ",\"i\":0");
	note(a, "p1", "i", "2[1]<", 1, 1300, ",\"i\":1");
	note(a, "p1", "e", "2[0]1/I1/0e", 5, 1300, ",\"in\":{\"ev\":\"x\"}");
	note(a, "p1", "e", "2[1]1/I1/0e", 5, 1310, ",\"in\":{}");
	note(a, "p1", "x", "2[0]1/I1/0x", 5, 1320, ",\"s\":\"RUNNING\",\"on\":1");  /* retry */
	note(a, "p1", "x", "2[1]1/I1/0p", 5, 1330, ",\"s\":\"RUNNING\",\"on\":1");  /* parked */
	note(a, "p1", "x", "2[0]1/I1/1x", 5, 1500, ",\"s\":\"RUNNING\",\"out\":{}");
	note(a, "p1", "e", "2[0]2/I2/0e", 6, 1510, ",\"in\":{}");
	note(a, "p1", "x", "2[0]2/I2/0x", 6, 1530, ",\"s\":\"SUCCEEDED\",\"out\":{}");
	note(a, "p1", "i", "2[0]>", 1, 1530, ",\"i\":0,\"s\":\"SUCCEEDED\"");
}

/* p1 succeeds: in P, B1's task fails and is caught to B1Fix; in M,
 * iteration 0 retries I1, iteration 1 parks in I1 and the state re-runs
 * (every earlier note again) when its result comes. p2 goes through B1 and
 * B2, then waits in M (iteration 0 parked in I1). p3 fails in B1. */
static struct rt_agg *fan_agg(void)
{
	struct rt_agg *a = rt_agg_new(&fan_machine, NULL, 0);
	ck_assert_ptr_nonnull(a);
	feed(a, RT_REC_START, 0, "p1", "{\"input\":{},\"t\":1000}");
	note(a, "p1", "e", "1[0]1/B1/0e", 2, 1100, ",\"in\":{}");
	feed(a, RT_REC_TASK, 0, "p1",
	     "{\"key\":\"p1/1[0]1/B1/0\",\"st\":2,\"t0\":1100,\"t1\":1140,\"err\":\"Boom\"}");
	note(a, "p1", "x", "1[0]1/B1/0x", 2, 1150, ",\"s\":\"RUNNING\",\"out\":{}");
	note(a, "p1", "e", "1[0]2/B1Fix/0e", 4, 1160, ",\"in\":{}");
	note(a, "p1", "x", "1[0]2/B1Fix/0x", 4, 1170, ",\"s\":\"SUCCEEDED\",\"out\":{}");
	feed(a, RT_REC_STEP, 0, "p1",
	     "{\"ran\":0,\"t0\":1000,\"t1\":1200,\"cp\":{\"st\":1,\"s\":\"RUNNING\",\"in\":[]}}");
	p1_map_first_run(a);
	feed(a, RT_REC_TASK, 0, "p1",
	     "{\"key\":\"p1/2[0]1/I1/1\",\"st\":5,\"t0\":1400,\"t1\":1490,\"ok\":1}");
	feed(a, RT_REC_STEP, 0, "p1",
	     "{\"ran\":1,\"t0\":1300,\"t1\":1540,\"park\":[\"tok\"],\"cp\":{\"st\":1,"
	     "\"s\":\"RUNNING\"}}");
	p1_map_first_run(a);                       /* the re-run: seen, skipped */
	note(a, "p1", "x", "2[1]1/I1/0x", 5, 1600, ",\"s\":\"RUNNING\",\"out\":{}");
	note(a, "p1", "e", "2[1]2/I2/0e", 6, 1610, ",\"in\":{}");
	note(a, "p1", "x", "2[1]2/I2/0x", 6, 1620, ",\"s\":\"SUCCEEDED\",\"out\":{}");
	note(a, "p1", "i", "2[1]>", 1, 1620, ",\"i\":1,\"s\":\"SUCCEEDED\"");
	feed(a, RT_REC_STEP, RT_REC_FINAL, "p1",
	     "{\"ran\":1,\"t0\":1300,\"t1\":1630,\"resume\":1,\"cp\":{\"st\":1,"
	     "\"s\":\"SUCCEEDED\",\"out\":[]}}");

	feed(a, RT_REC_START, 0, "p2", "{\"input\":{},\"t\":5000}");
	note(a, "p2", "e", "1[0]1/B1/0e", 2, 5100, "");
	feed(a, RT_REC_TASK, 0, "p2", "{\"key\":\"p2/1[0]1/B1/0\",\"st\":2,\"ok\":{}}");
	note(a, "p2", "x", "1[0]1/B1/0x", 2, 5150, ",\"s\":\"RUNNING\"");
	note(a, "p2", "e", "1[0]2/B2/0e", 3, 5160, "");
	note(a, "p2", "x", "1[0]2/B2/0x", 3, 5170, ",\"s\":\"SUCCEEDED\"");
	feed(a, RT_REC_STEP, 0, "p2",
	     "{\"ran\":0,\"t0\":5000,\"t1\":5200,\"cp\":{\"st\":1,\"s\":\"RUNNING\"}}");
	note(a, "p2", "i", "2[0]<", 1, 5300, ",\"i\":0");
	note(a, "p2", "e", "2[0]1/I1/0e", 5, 5300, "");
	note(a, "p2", "x", "2[0]1/I1/0p", 5, 5310, ",\"s\":\"RUNNING\",\"on\":1");
	feed(a, RT_REC_STEP, 0, "p2",
	     "{\"ran\":1,\"t0\":5300,\"t1\":5320,\"park\":[\"t2\"],\"cp\":{\"st\":1,"
	     "\"s\":\"RUNNING\"}}");

	feed(a, RT_REC_START, 0, "p3", "{\"input\":{},\"t\":9000}");
	note(a, "p3", "e", "1[0]1/B1/0e", 2, 9100, "");
	feed(a, RT_REC_TASK, 0, "p3", "{\"key\":\"p3/1[0]1/B1/0\",\"st\":2,\"err\":\"Boom\"}");
	note(a, "p3", "x", "1[0]1/B1/0x", 2, 9150,
	     ",\"s\":\"FAILED\",\"err\":\"Boom\",\"cause\":\"c\"");
	feed(a, RT_REC_STEP, RT_REC_FINAL, "p3",
	     "{\"ran\":0,\"t0\":9000,\"t1\":9200,\"cp\":{\"st\":0,\"s\":\"FAILED\","
	     "\"err\":\"Boom\"}}");
	ck_assert_int_eq(a->oom, 0);
	rt_agg_finish(a);
	return a;
}

START_TEST(agg_parallel_child)
{
	struct rt_agg *a = fan_agg();
	ck_assert_int_eq((int)a->notes, 27);       /* distinct: 18 + 7 + 2 */
	const struct rt_agg_state *P = &a->st[0], *B1 = &a->st[2], *B2 = &a->st[3],
				  *Fix = &a->st[4];
	/* the Parallel itself: a child's task error is not the Parallel's */
	ck_assert_int_eq((int)P->count, 3);
	ck_assert_int_eq((int)P->by[RT_VIS_SUCCEEDED], 2);
	ck_assert_int_eq((int)P->by[RT_VIS_FAILED], 1);
	ck_assert_int_eq(P->nedges, 1);
	ck_assert_int_eq(P->edges[0].to, 1);
	ck_assert_int_eq(P->edges[0].caught, 0);
	ck_assert_int_eq((int)P->edges[0].n, 2);
	ck_assert_str_eq(P->fails[0].name, "Boom");
	/* B1: caught in p1, succeeded in p2, failed in p3 */
	ck_assert_int_eq((int)B1->count, 3);
	ck_assert_int_eq((int)B1->entries, 3);
	ck_assert_int_eq((int)B1->by[RT_VIS_CAUGHT], 1);
	ck_assert_int_eq((int)B1->by[RT_VIS_SUCCEEDED], 1);
	ck_assert_int_eq((int)B1->by[RT_VIS_FAILED], 1);
	ck_assert_int_eq(B1->vis, RT_VIS_FAILED);
	ck_assert_int_eq(B1->nedges, 2);
	ck_assert_int_eq(B1->edges[0].to, 4);
	ck_assert_int_eq(B1->edges[0].caught, 1);
	ck_assert_int_eq((int)B1->edges[0].n, 1);
	ck_assert_int_eq(B1->edges[1].to, 3);
	ck_assert_int_eq(B1->edges[1].caught, 0);
	ck_assert_int_eq((int)B1->edges[1].n, 1);
	ck_assert_int_eq(B1->nerrors, 1);
	ck_assert_str_eq(B1->errors[0].name, "Boom");
	ck_assert_int_eq((int)B1->errors[0].n, 2);
	ck_assert_int_eq(B1->nfails, 1);
	ck_assert_str_eq(B1->fails[0].name, "Boom");
	ck_assert_int_eq((int)B1->fails[0].n, 1);
	ck_assert_int_eq((int)B1->ndur, 2);        /* p1 50 us, p2 50 us */
	ck_assert_int_eq((int)B1->p50, 50);
	ck_assert_int_eq((int)B1->p99, 50);
	/* B2 and B1Fix: the branch's end */
	ck_assert_int_eq((int)B2->count, 1);
	ck_assert_int_eq(B2->vis, RT_VIS_SUCCEEDED);
	ck_assert_int_eq(B2->nedges, 1);
	ck_assert_int_eq(B2->edges[0].to, -1);
	ck_assert_int_eq((int)B2->p50, 10);
	ck_assert_int_eq((int)Fix->count, 1);
	ck_assert_int_eq((int)Fix->entries, 1);
	ck_assert_int_eq(Fix->vis, RT_VIS_SUCCEEDED);
	ck_assert_int_eq(Fix->edges[0].to, -1);
	ck_assert_int_eq((int)Fix->edges[0].n, 1);
	ck_assert(!rt_agg_not_recorded(a, 3));
	rt_agg_free(a);
}
END_TEST

START_TEST(agg_map_child)
{
	struct rt_agg *a = fan_agg();
	const struct rt_agg_state *M = &a->st[1], *I1 = &a->st[5], *I2 = &a->st[6];
	ck_assert_int_eq((int)M->count, 2);
	ck_assert_int_eq((int)M->by[RT_VIS_SUCCEEDED], 1);
	ck_assert_int_eq((int)M->by[RT_VIS_IN_PROGRESS], 1);
	ck_assert_int_eq(M->vis, RT_VIS_IN_PROGRESS);
	ck_assert_int_eq((int)M->entries, 2);
	/* I1: p1's two iterations (each entry once, re-run or not), p2's one,
	 * still waiting; one retry (a park is not one) */
	ck_assert_int_eq((int)I1->count, 2);
	ck_assert_int_eq((int)I1->entries, 3);
	ck_assert_int_eq((int)I1->retries, 1);
	ck_assert_int_eq((int)I1->by[RT_VIS_SUCCEEDED], 1);
	ck_assert_int_eq((int)I1->by[RT_VIS_IN_PROGRESS], 1);
	ck_assert_int_eq(I1->vis, RT_VIS_IN_PROGRESS);
	ck_assert_int_eq(I1->nedges, 1);
	ck_assert_int_eq(I1->edges[0].to, 6);
	ck_assert_int_eq(I1->edges[0].caught, 0);
	ck_assert_int_eq((int)I1->edges[0].n, 2);
	ck_assert_int_eq(I1->nerrors, 0);
	/* entered 1300 -> left 1500 (retry included); 1310 -> 1600 (parked) */
	ck_assert_int_eq((int)I1->ndur, 2);
	ck_assert_int_eq((int)I1->p50, 200);
	ck_assert_int_eq((int)I1->p99, 290);
	ck_assert_int_eq((int)I1->max, 290);
	ck_assert_int_eq((int)I2->count, 1);
	ck_assert_int_eq((int)I2->entries, 2);
	ck_assert_int_eq(I2->vis, RT_VIS_SUCCEEDED);
	ck_assert_int_eq(I2->nedges, 1);
	ck_assert_int_eq(I2->edges[0].to, -1);
	ck_assert_int_eq((int)I2->edges[0].n, 2);
	ck_assert_int_eq((int)I2->ndur, 2);
	ck_assert_int_eq((int)I2->p50, 10);
	ck_assert_int_eq((int)I2->p99, 20);
	ck_assert(!rt_agg_not_recorded(a, 6));
	/* executions: p1 succeeded (630 us), p2 running, p3 failed (200 us) */
	ck_assert_int_eq((int)a->by_status[ASLRT_SUCCEEDED], 1);
	ck_assert_int_eq((int)a->by_status[ASLRT_RUNNING], 1);
	ck_assert_int_eq((int)a->by_status[ASLRT_FAILED], 1);
	ck_assert_int_eq((int)a->emax, 630);
	rt_agg_free(a);
}
END_TEST

/* A branch's child still inside a state when a sibling fails the
 * Parallel, or when the execution is stopped: cancelled there. */
START_TEST(agg_child_cancelled)
{
	struct rt_agg *a = rt_agg_new(&fan_machine, NULL, 0);
	feed(a, RT_REC_START, 0, "c1", "{\"t\":10}");
	note(a, "c1", "e", "1[0]1/B1/0e", 2, 20, "");
	note(a, "c1", "x", "1[0]1/B1/0p", 2, 30, ",\"s\":\"RUNNING\",\"on\":1");
	feed(a, RT_REC_STEP, 0, "c1",
	     "{\"ran\":0,\"t0\":10,\"t1\":40,\"park\":[\"k\"],\"cp\":{\"st\":0,\"s\":\"RUNNING\"}}");
	feed(a, RT_REC_END, RT_REC_FINAL, "c1", "{\"t\":50,\"s\":\"ABORTED\"}");
	rt_agg_finish(a);
	ck_assert_int_eq(a->st[2].vis, RT_VIS_CANCELLED);
	ck_assert_int_eq((int)a->st[2].count, 1);
	ck_assert_int_eq((int)a->st[2].ndur, 0);
	ck_assert_int_eq(a->st[0].vis, RT_VIS_CANCELLED);
	/* not reached, in a store with notes: white, not dashed */
	ck_assert(!rt_agg_not_recorded(a, 6));
	ck_assert_int_eq(a->st[6].vis, RT_VIS_NONE);
	rt_agg_free(a);
}
END_TEST

/* ------------------------------------------------------------- HTML */

START_TEST(html_escaping)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	rt_html_esc(f, "a<b>&\"c'\xc3\xa9\xf0\x9f\x98\x80\x01\xff\tz\n");
	char *s = drain(f, &buf);
	ck_assert_str_eq(s, "a&lt;b&gt;&amp;&quot;c&#39;&#xE9;&#x1F600;&#xFFFD;&#xFFFD;\tz\n");
	free(s);
	fclose(f);
	free(buf);
	/* overlong and surrogate encodings are not characters */
	buf = NULL;
	f = open_memstream(&buf, &len);
	rt_html_esc(f, "\xc0\xaf\xed\xa0\x80");
	s = drain(f, &buf);
	ck_assert_str_eq(s, "&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;");
	free(s);
	fclose(f);
	free(buf);
}
END_TEST

START_TEST(script_json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "n", "</script><b>&\xc3\xa9\xf0\x9f\x98\x80");
	rt_html_script_json(f, v);
	char *s = drain(f, &buf);
	ck_assert_str_eq(s, "{\"n\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"
			    "\\u00e9\\ud83d\\ude00\"}");
	free(s);
	cJSON_Delete(v);
	fclose(f);
	free(buf);
}
END_TEST

START_TEST(json_limit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *v = cJSON_CreateString("<0123456789>");
	rt_html_json(f, v, 5);
	char *s = drain(f, &buf);
	ck_assert_str_eq(s, "&quot;&lt;012\n&#x2026; (9 more bytes)");
	free(s);
	cJSON_Delete(v);
	fclose(f);
	free(buf);
}
END_TEST

/* A drawing made by hand after the contract of graph_svg (aslrt.h). */
static const char svg[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n"
	"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100pt\">"
	"<g id=\"graph0\" class=\"graph\">"
	"<g id=\"aslc-s0\" class=\"aslc-state aslc-task\"><title>A</title><rect/></g>"
	"<g id=\"aslc-s1\" class=\"aslc-state aslc-succeed\"><rect/></g>"
	"<g id=\"aslc-s3\" class=\"aslc-state aslc-pass\"><rect/></g>"
	"<g id=\"aslc-e0-1-0\" class=\"aslc-edge aslc-next\"><path/></g>"
	"<g id=\"aslc-e0-2-0\" class=\"aslc-edge aslc-catch\"><path/></g>"
	"<g id=\"aslc-e0-0-0\" class=\"aslc-edge aslc-retry\"><path/></g>"
	"<g id=\"aslc-e1--1-0\" class=\"aslc-edge aslc-next\"><path/></g>"
	"<g id=\"aslc-e2--1-0\" class=\"aslc-edge aslc-next\"><path/></g>"
	"<g id=\"aslc-s99\" class=\"aslc-state\"></g><gx/></g></svg>\n";

START_TEST(svg_marking)
{
	struct rt_agg *a = sample_agg();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(rt_html_svg_mark(f, svg, a), 0);
	char *s = drain(f, &buf);
	ck_assert_str_eq(s,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100pt\">"
		"<g id=\"graph0\" class=\"graph\">"
		"<g data-status=\"caught\" data-count=\"3\" data-entries=\"2\" "
		"data-name=\"A&lt;&amp;&gt;&quot;&#39;&#xE9;\" id=\"aslc-s0\" "
		"class=\"aslc-state aslc-task\"><title>A</title><rect/></g>"
		"<g data-status=\"succeeded\" data-count=\"1\" data-entries=\"1\" data-name=\"B\" "
		"id=\"aslc-s1\" class=\"aslc-state aslc-succeed\"><rect/></g>"
		"<g data-status=\"not-recorded\" data-count=\"0\" data-entries=\"0\" "
		"data-name=\"D\" id=\"aslc-s3\" class=\"aslc-state aslc-pass\"><rect/></g>"
		"<g data-count=\"1\" data-status=\"taken\" id=\"aslc-e0-1-0\" "
		"class=\"aslc-edge aslc-next\"><path/></g>"
		"<g data-count=\"1\" data-status=\"taken\" id=\"aslc-e0-2-0\" "
		"class=\"aslc-edge aslc-catch\"><path/></g>"
		"<g data-count=\"1\" data-status=\"taken\" id=\"aslc-e0-0-0\" "
		"class=\"aslc-edge aslc-retry\"><path/></g>"
		"<g data-count=\"1\" data-status=\"taken\" id=\"aslc-e1--1-0\" "
		"class=\"aslc-edge aslc-next\"><path/></g>"
		"<g data-count=\"1\" data-status=\"taken\" id=\"aslc-e2--1-0\" "
		"class=\"aslc-edge aslc-next\"><path/></g>"
		"<g id=\"aslc-s99\" class=\"aslc-state\"></g><gx/></g></svg>\n");
	free(s);
	ck_assert_int_eq(rt_html_svg_mark(f, "<html/>", a), -1);
	fclose(f);
	free(buf);
	rt_agg_free(a);
}
END_TEST

START_TEST(page_without_drawing)
{
	struct rt_agg *a = sample_agg();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct rt_report_page p = { .m = &machine, .agg = a, .store = "st<ore>", .max_details = 20 };
	ck_assert_int_eq(rt_report_page_write(f, &p), 0);
	fflush(f);
	ck_assert_ptr_nonnull(strstr(buf, "<div id=\"aslc-s0\" class=\"aslc-state aslc-Task\" "
				     "data-status=\"caught\" data-count=\"3\" data-entries=\"2\" "
				     "data-name=\"A&lt;&amp;&gt;&quot;&#39;&#xE9;\">"));
	ck_assert_ptr_nonnull(strstr(buf, "store st&lt;ore&gt;"));
	ck_assert_ptr_nonnull(strstr(buf, "<title>m&quot;q\\b &#x2014; executions</title>"));
	/* self-contained, plain ASCII */
	ck_assert_ptr_null(strstr(buf, "https:"));
	for (const char *h = strstr(buf, "http:"); h; h = strstr(h + 1, "http:"))
		ck_assert_msg(strncmp(h, "http://www.w3.org/2000/svg'", 27) == 0,
			      "a URL other than the SVG namespace: %.40s", h);
	ck_assert_ptr_null(strstr(buf, "src="));
	for (size_t i = 0; i < len; i++)
		ck_assert_int_lt((unsigned char)buf[i], 0x80);
	fclose(f);
	free(buf);
	rt_agg_free(a);
}
END_TEST

/* -------------------------------------------------------- progress */

START_TEST(progress_line)
{
	setenv("ASLRT_PROGRESS", "0", 1);
	struct rt_progress p;
	rt_progress_begin(&p, "rush", 100, 0);
	ck_assert_int_eq(p.on, 0);
	rt_progress_add(&p, 50, 2);
	char line[160];
	rt_progress_format(&p, p.start + 2.0, line, sizeof line);
	ck_assert_str_eq(line, "rush: 50/100 (50%), 2 failed, 25/s, 2s left");
	rt_progress_add(&p, 1950, 0);
	rt_progress_format(&p, p.start + 1.0, line, sizeof line);
	ck_assert_str_eq(line, "rush: 2,000/100 (2000%), 2 failed, 2,000/s, 0s left");
	rt_progress_end(&p);
	rt_progress_begin(&p, "bench", 0, 10);
	rt_progress_add(&p, 1234567, 0);
	rt_progress_format(&p, p.start + 4.0, line, sizeof line);
	ck_assert_str_eq(line, "bench: 1,234,567, 308,642/s, 4s, 6s left");
	rt_progress_end(&p);
}
END_TEST

/* --------------------------------------------------------- metrics */

START_TEST(prometheus_text)
{
	static const struct aslrt_state ms[] = {
		{ .name = "Pay \"card\" \\ x\ny", .type = ASLRT_TASK, .nretry = 1, .retry = retry_x },
		{ .name = "Done", .type = ASLRT_SUCCEED },
	};
	static const struct aslrt_machine mm = { .name = "shop", .nstates = 2, .states = ms };
	struct rt_counters c;
	ck_assert_int_eq(rt_counters_init(&c, 2), 0);
	c.started = 3;
	rt_counters_finished(&c, ASLRT_SUCCEEDED, NULL);
	rt_counters_finished(&c, ASLRT_FAILED, "Declined");
	rt_counters_finished(&c, ASLRT_FAILED, "Declined");
	rt_counters_finished(&c, ASLRT_ABORTED, NULL);
	rt_counters_step(&c, 0, 1, 0);
	rt_counters_step(&c, 0, 0, 1);
	rt_counters_step(&c, 1, 1, 0);
	c.at[1] = 4;
	c.where[1] = 2;
	c.store.syncs = 9;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(rt_metrics_print(f, &mm, &c, 1.5, 100.25), 0);
	fflush(f);
	static const char *const want[] = {
		"# TYPE aslrt_executions_started_total counter\n"
		"aslrt_executions_started_total{machine=\"shop\"} 3\n",
		"aslrt_executions_finished_total{machine=\"shop\",status=\"SUCCEEDED\"} 1\n",
		"aslrt_executions_finished_total{machine=\"shop\",status=\"FAILED\"} 2\n",
		"aslrt_executions_finished_total{machine=\"shop\",status=\"ABORTED\"} 1\n",
		"aslrt_executions_failed_total{machine=\"shop\",error=\"Declined\"} 2\n",
		"aslrt_executions_failed_total{machine=\"shop\",error=\"Aborted\"} 1\n",
		"aslrt_executions{machine=\"shop\",where=\"runnable\"} 2\n",
		"aslrt_steps_total{machine=\"shop\"} 3\n",
		"aslrt_state_entered_total{machine=\"shop\",state=\"Pay \\\"card\\\" \\\\ x\\ny\"} 1\n",
		"aslrt_state_entered_total{machine=\"shop\",state=\"Done\"} 1\n",
		"aslrt_task_retries_total{machine=\"shop\",state=\"Pay \\\"card\\\" \\\\ x\\ny\"} 1\n",
		"aslrt_executions_in_state{machine=\"shop\",state=\"Done\"} 4\n",
		"aslrt_store_fsyncs_total{machine=\"shop\"} 9\n",
		"aslrt_worker_uptime_seconds{machine=\"shop\"} 1.500\n",
		"aslrt_worker_updated_seconds{machine=\"shop\"} 100.250\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(buf, want[i]), "missing: %s", want[i]);
	/* retries are listed for states with a Retry (or retries) only */
	ck_assert_ptr_null(strstr(buf, "aslrt_task_retries_total{machine=\"shop\",state=\"Done\"}"));
	fclose(f);
	free(buf);
	rt_counters_free(&c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *t = tcase_create("report");
	tcase_add_test(t, jscan_members);
	tcase_add_test(t, agg_counts);
	tcase_add_test(t, agg_filter);
	tcase_add_test(t, agg_parallel_child);
	tcase_add_test(t, agg_map_child);
	tcase_add_test(t, agg_child_cancelled);
	tcase_add_test(t, quantiles);
	tcase_add_test(t, html_escaping);
	tcase_add_test(t, script_json);
	tcase_add_test(t, json_limit);
	tcase_add_test(t, svg_marking);
	tcase_add_test(t, page_without_drawing);
	tcase_add_test(t, progress_line);
	tcase_add_test(t, prometheus_text);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	rt_alloc_init();
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
