/*
 * rush.c - order-rush, the Black Friday demo: N PetSupply orders run through
 * order.asl.json compiled by aslc, with faults injected by the handlers
 * (handlers.c), then an incident review: outcomes, payment retries, latency,
 * and the business invariants audited from the handlers' ledger.
 *
 * By default the orders are Standard executions (docs/durable.md): many in
 * flight in one engine, every transition checkpointed to a store with group
 * commit before it is acknowledged. --express runs them the old way, one
 * after the other with aslrt_run() in memory; --compare runs both. In
 * Standard mode an order above the approval limit waits for a person's
 * decision (RequestApproval, a callback task): simulated approvers answer
 * through the store's inbox, as `order send-task-success` would.
 *
 *   order-rush [--orders N] [--seed S] [--timeout-rate R] [--decline-rate R]
 *              [--oos-rate R] [--time-scale X] [--express | --compare]
 *              [--store DIR] [--sync always|batch|none] [--in-flight N]
 *              [--workers N] [--keep-store] [--report FILE | --no-report]
 *              [--approval-limit CENTS] [--approval-timeout S]
 *              [--reject-rate R] [--no-answer-rate R]
 *
 * Exit status: 0 every order ended as designed and every invariant holds; 1 an
 * invariant was violated or an execution ended unexpectedly; 2 bad usage or a
 * setup failure.
 */
#include "handlers.h"
#include "durable.h"           /* rt_inbox_call: the approver's SendTask* */
#include "progress.h"          /* the progress line (runtime/progress.c)   */
#include "report.h"            /* the HTML report of the store (report.c)  */

#include <aslrt.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Emitted by `aslc order.asl.json --no-main --name order`. */
extern const struct aslrt_machine order_machine;

/* Names from order.asl.json the audit relies on. */
#define PAY_STATE "ProcessPayment"
#define FAIL_ERROR "OrderFailed"

#define FIRST_ORDER 1000001L  /* order numbers: ORD-1000001, ORD-1000002... */
#define MAX_NOTES 5           /* unexpected executions described in full    */

struct opts {
	long orders;
	uint64_t seed;
	double trouble_rate, decline_rate, oos_rate, time_scale;
	int express, compare, keep_store;
	const char *store, *sync;      /* Standard mode                          */
	long in_flight;
	int workers;
	double compact_bytes;          /* 0: the engine's default               */
	/* human approval (Standard mode): orders above approval_limit cents
	 * wait for a simulated person; 0 turns it off */
	double approval_limit, approval_timeout, reject_rate, silent_rate;
	const char *report;            /* the HTML report (NULL: report.html;
					  "": none)                              */
};

enum outcome { OUT_SHIPPED, OUT_BACKORDERED, OUT_COMPENSATED, OUT_REJECTED, OUT_FAILED };

static const char *const outcome_names[] = {"shipped", "backordered", "compensated",
					    "rejected", "failed"};

/* What the fault plan and the definition's Retry/Catch say should happen. */
struct expect {
	enum outcome out;
	int attempts;                  /* processPayment calls                   */
	const char *reason;            /* last payment error, or NULL            */
	int approval;                  /* a person is asked to approve it        */
};

struct tally {
	long n[5];                     /* by observed outcome                    */
	long approvals;                /* orders that asked for approval         */
	long rejected_by_person, approval_timeouts; /* rejected, by cause        */
	long declined, exhausted;      /* compensated, by cause                  */
	long retries, retry_timeouts, retry_service; /* retried payment faults   */
	long recovered;                /* shipped after at least one retry       */
	long transitions;
	long mismatches;               /* observed differs from the fault plan   */
	long wrong_amount;             /* charge differs from the order total    */
	int nnotes;
	char notes[MAX_NOTES][240];
};

/* --------------------------------------------------------------- options */

#define SYNOPSIS                                                        \
	"usage: order-rush [--orders N] [--seed S] [--timeout-rate R]\n"      \
	"                  [--decline-rate R] [--oos-rate R] [--time-scale X]\n" \
	"                  [--express | --compare] [--store DIR] [--keep-store]\n" \
	"                  [--sync always|batch|none] [--in-flight N] [--workers N]\n" \
	"                  [--compact-bytes N] [--approval-limit CENTS]\n"          \
	"                  [--approval-timeout S] [--reject-rate R] [--no-answer-rate R]\n" \
	"                  [--report FILE | --no-report]\n"

/* Print the full help to f. */
static void usage(FILE *f)
{
	fputs(SYNOPSIS
	      "\n"
	      "Runs N PetSupply Express orders (default 100000) through the compiled\n"
	      "order workflow and prints an incident review.\n"
	      "  --seed S          fault and order generator seed (default 1)\n"
	      "  --timeout-rate R  share of payments hitting gateway trouble: a mix of\n"
	      "                    States.Timeout and PaymentServiceError, retried by the\n"
	      "                    workflow; 1 in 8 such payments never recovers\n"
	      "                    (default 0.05)\n"
	      "  --decline-rate R  share of payments declined by the card issuer, not\n"
	      "                    retried, compensated (default 0.02)\n"
	      "  --oos-rate R      share of orders with a line out of stock, which are\n"
	      "                    backordered (default 0.04)\n"
	      "  --time-scale X    Retry waits in real seconds per ASL second (default 0:\n"
	      "                    never sleep)\n"
	      "  --express         run in memory, one order after the other (aslrt_run)\n"
	      "                    instead of as durable Standard executions\n"
	      "  --compare         run the orders both ways and compare the throughput\n"
	      "  --store DIR       the checkpoint store (default: a new temporary\n"
	      "                    directory, removed at the end unless --keep-store)\n"
	      "  --sync MODE       always, batch (group commit, default) or none\n"
	      "  --in-flight N     Standard executions running at once (default 10000)\n"
	      "  --workers N       threads running steps (default: the cores)\n"
	      "  --compact-bytes N compact the store's log past N bytes (default 256 MiB)\n"
	      "  --approval-limit CENTS  Standard mode: an order whose total is above\n"
	      "                    this waits for a person's approval (default 30000;\n"
	      "                    0: no approvals)\n"
	      "  --approval-timeout S  seconds a person has to answer; no answer in time\n"
	      "                    rejects the order (default 10)\n"
	      "  --reject-rate R   share of approval requests the approver rejects\n"
	      "                    (default 0.15)\n"
	      "  --no-answer-rate R  share of approval requests nobody answers\n"
	      "                    (default 0.05)\n"
	      "  --report FILE     Standard mode: write the HTML report of the store\n"
	      "                    here (default report.html in the current directory)\n"
	      "  --no-report       do not write it\n",
	      f);
}

/* Parse a non-negative number into *out; 0, or -1 when malformed. */
static int parse_num(const char *s, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (end == s || *end || errno || !(*out >= 0 && *out <= max)) ? -1 : 0;
}

/* Parse a decimal unsigned 64-bit seed into *out; 0, or -1 when malformed. */
static int parse_seed(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return (end == s || *end || errno || *s == '-') ? -1 : 0;
}

/* Fill o from argv. Returns 0, 1 after --help, or -1 (message printed). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){100000, 1, 0.05, 0.02, 0.04, 0, 0, 0, 0, NULL, NULL, 10000, 0, 0,
			   30000, 10, 0.15, 0.05, NULL};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		double d;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--no-report")) {
			o->report = "";
			continue;
		}
		if (!strcmp(a, "--express") || !strcmp(a, "--compare") ||
		    !strcmp(a, "--keep-store")) {
			*(!strcmp(a, "--express") ? &o->express
			  : !strcmp(a, "--compare") ? &o->compare : &o->keep_store) = 1;
			continue;
		}
		if (i + 1 >= argc || strncmp(a, "--", 2)) {
			fprintf(stderr, "order-rush: unknown or incomplete option '%s'\n", a);
			return -1;
		}
		v = argv[++i];
		if (!strcmp(a, "--orders") && !parse_num(v, 1e8, &d) && d >= 1 && d == floor(d))
			o->orders = (long)d;
		else if (!strcmp(a, "--seed") && !parse_seed(v, &o->seed))
			continue;
		else if (!strcmp(a, "--timeout-rate") && !parse_num(v, 1, &d))
			o->trouble_rate = d;
		else if (!strcmp(a, "--decline-rate") && !parse_num(v, 1, &d))
			o->decline_rate = d;
		else if (!strcmp(a, "--oos-rate") && !parse_num(v, 1, &d))
			o->oos_rate = d;
		else if (!strcmp(a, "--time-scale") && !parse_num(v, 1e6, &d))
			o->time_scale = d;
		else if (!strcmp(a, "--store"))
			o->store = v;
		else if (!strcmp(a, "--report") && *v)
			o->report = v;
		else if (!strcmp(a, "--sync") && (!strcmp(v, "always") || !strcmp(v, "batch") ||
						  !strcmp(v, "none")))
			o->sync = v;
		else if (!strcmp(a, "--in-flight") && !parse_num(v, 1e7, &d) && d >= 1 &&
			 d == floor(d))
			o->in_flight = (long)d;
		else if (!strcmp(a, "--workers") && !parse_num(v, 1024, &d) && d == floor(d))
			o->workers = (int)d;
		else if (!strcmp(a, "--compact-bytes") && !parse_num(v, 1e15, &d))
			o->compact_bytes = d;
		else if (!strcmp(a, "--approval-limit") && !parse_num(v, 1e12, &d))
			o->approval_limit = d;
		else if (!strcmp(a, "--approval-timeout") && !parse_num(v, 99999999, &d) &&
			 d >= 1 && d == floor(d))
			o->approval_timeout = d;   /* TimeoutSecondsPath: a positive integer */
		else if (!strcmp(a, "--reject-rate") && !parse_num(v, 1, &d))
			o->reject_rate = d;
		else if (!strcmp(a, "--no-answer-rate") && !parse_num(v, 1, &d))
			o->silent_rate = d;
		else {
			fprintf(stderr, "order-rush: bad option or value: %s %s\n", a, v);
			return -1;
		}
	}
	if (o->express && o->compare) {
		fputs("order-rush: --express and --compare exclude each other\n", stderr);
		return -1;
	}
	if (o->trouble_rate + o->decline_rate > 1) {
		fputs("order-rush: --timeout-rate plus --decline-rate exceeds 1\n", stderr);
		return -1;
	}
	if (o->reject_rate + o->silent_rate > 1) {
		fputs("order-rush: --reject-rate plus --no-answer-rate exceeds 1\n", stderr);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------- the orders */

static const struct {
	const char *sku;
	int price;                     /* cents */
} catalog[] = {
	{"DOG-FOOD-5KG", 2499},    {"CAT-TOY-MOUSE", 399},   {"CAT-LITTER-10L", 1299},
	{"DOG-LEASH-RED", 1599},   {"AQUA-FILTER-S", 3499},  {"BIRD-SEED-2KG", 899},
	{"DOG-BED-L", 5999},       {"CAT-TREE-120", 7999},   {"HAMSTER-WHEEL", 1199},
	{"FISH-FLAKES-100G", 549}, {"DOG-CHEW-BONE", 699},   {"CAT-FOOD-WET-12", 1899},
	{"REPTILE-LAMP-UV", 2999}, {"DOG-SHAMPOO", 999},     {"CAT-SCRATCHER", 1499},
	{"PET-CARRIER-M", 4499},
};
#define NCATALOG ((int)(sizeof catalog / sizeof catalog[0]))

static const char *const firsts[] = {"pat", "sam", "alex", "jo", "robin", "kim",
				     "lee", "max", "noor", "ana", "chris", "dana"};
static const char *const lasts[] = {"smith", "garcia", "chen", "okafor", "novak",
				    "silva", "kowalski", "nguyen", "haddad", "berg"};
static const char *const streets[] = {"Main St", "Oak Ave", "Elm St", "Maple Dr",
				      "Cedar Ln", "Pine Rd", "Lake View", "Hill St"};
static const struct {
	const char *city, *zip;
} cities[] = {
	{"Springfield", "12345"}, {"Riverside", "92501"}, {"Franklin", "37064"},
	{"Greenville", "29601"},  {"Fairview", "97024"},  {"Madison", "53703"},
	{"Georgetown", "78626"},  {"Salem", "97301"},
};

/* An index in [0, n) drawn for key. */
static int pick(const struct opts *o, const char *key, uint64_t salt, int n)
{
	return (int)(shop_uniform(o->seed, key, salt, 0) * n);
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The customer object of customer number c: name, email and address are
 * functions of c alone, so repeat customers look the same. New memory, or NULL
 * when out of memory. */
static cJSON *make_customer(const struct opts *o, int c)
{
	char id[32], email[96], line1[64];
	const char *first, *last;
	int city;
	cJSON *cu = cJSON_CreateObject(), *addr;

	snprintf(id, sizeof id, "CUST-%05d", c);
	first = firsts[pick(o, id, 201, COUNT(firsts))];
	last = lasts[pick(o, id, 202, COUNT(lasts))];
	city = pick(o, id, 203, COUNT(cities));
	snprintf(email, sizeof email, "%s.%s%d@example.com", first, last, c);
	snprintf(line1, sizeof line1, "%d %s", 1 + pick(o, id, 204, 999),
		 streets[pick(o, id, 205, COUNT(streets))]);
	cJSON_AddStringToObject(cu, "id", id);
	cJSON_AddStringToObject(cu, "email", email);
	addr = cJSON_AddObjectToObject(cu, "address");
	cJSON_AddStringToObject(addr, "line1", line1);
	cJSON_AddStringToObject(addr, "city", cities[city].city);
	cJSON_AddStringToObject(addr, "zip", cities[city].zip);
	if (cJSON_GetArraySize(cu) == 3 && cJSON_GetArraySize(addr) == 3)
		return cu;
	cJSON_Delete(cu);
	return NULL;
}

/* The input of order `number`, shaped like order.input.json: 1 to 4 distinct
 * catalog lines of 1 to 3 units, from one of 25000 customers, and with policy
 * set the storefront's approvalPolicy {limit, timeoutSeconds} (Standard mode
 * only: an Express execution cannot wait for a callback). New memory, or
 * NULL when out of memory; *total receives the order total in cents. */
static cJSON *make_order(const struct opts *o, long number, double *total, int policy)
{
	char id[32];
	cJSON *in = cJSON_CreateObject(), *cu, *items;
	int first, nlines;

	snprintf(id, sizeof id, "ORD-%ld", number);
	first = pick(o, id, 101, NCATALOG);
	nlines = 1 + pick(o, id, 102, 4);
	cJSON_AddStringToObject(in, "orderId", id);
	cu = make_customer(o, 1 + pick(o, id, 104, 25000));
	if (!cJSON_AddItemToObject(in, "customer", cu))
		cJSON_Delete(cu);
	items = cJSON_AddArrayToObject(in, "items");
	*total = 0;
	for (int j = 0; j < nlines; j++) {
		int k = (first + 5 * j) % NCATALOG; /* 5 is prime to 16: distinct */
		int qty = 1 + (int)(shop_uniform(o->seed, id, 103, (uint64_t)j) * 3);
		cJSON *it = cJSON_CreateObject();

		cJSON_AddStringToObject(it, "sku", catalog[k].sku);
		cJSON_AddNumberToObject(it, "qty", qty);
		cJSON_AddNumberToObject(it, "price", catalog[k].price);
		if (cJSON_GetArraySize(it) != 3 || !cJSON_AddItemToArray(items, it))
			cJSON_Delete(it);
		*total += qty * catalog[k].price;
	}
	cJSON_AddNumberToObject(in, "total", *total);
	if (policy) {
		cJSON *p = cJSON_AddObjectToObject(in, "approvalPolicy");
		cJSON_AddNumberToObject(p, "limit", o->approval_limit);
		cJSON_AddNumberToObject(p, "timeoutSeconds", o->approval_timeout);
		if (cJSON_GetArraySize(p) != 2)
			policy = 2;        /* out of memory */
	}
	if (cJSON_GetArraySize(in) == 4 + (policy != 0) && policy != 2 &&
	    cJSON_GetArraySize(items) == nlines)
		return in;
	cJSON_Delete(in);
	return NULL;
}

/* ------------------------------------------------------ the expectation */

/* The Task state of m named name, or NULL. Borrowed from m. */
static const struct aslrt_state *find_state(const struct aslrt_machine *m,
					    const char *name)
{
	for (int i = 0; i < m->nstates; i++)
		if (!strcmp(m->states[i].name, name))
			return &m->states[i];
	return NULL;
}

/* 1 when ErrorEquals list (n names) matches error e. States.TaskFailed matches
 * every error but States.Timeout ("Error names", AWS Step Functions Developer
 * Guide); States.ALL matches every error. */
static int errors_match(int n, const char *const *names, const char *e)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], e) || !strcmp(names[i], ASLRT_ERR_ALL) ||
		    (!strcmp(names[i], ASLRT_ERR_TASK_FAILED) && strcmp(e, ASLRT_ERR_TIMEOUT)))
			return 1;
	return 0;
}

/* Salts of rush.c's own draws (handlers.c uses 1 to 5). */
enum { SALT_DECISION = 301, SALT_THINK };

/* What the approver answers for order id: a pure function of the seed and
 * the id, so that the review can predict it. */
static enum shop_decision decision_of(const struct opts *o, const char *id)
{
	double u = shop_uniform(o->seed, id, SALT_DECISION, 0);

	return u < o->silent_rate		     ? SHOP_DECISION_SILENT
	       : u < o->silent_rate + o->reject_rate ? SHOP_DECISION_REJECTED
						     : SHOP_DECISION_APPROVED;
}

/* 1 when order id (total in cents) of a Standard rush asks for approval. */
static int needs_approval(const struct opts *o, int standard, double total)
{
	return standard && o->approval_limit > 0 && total > o->approval_limit;
}

/* ex, the expectation of order id without approval, once the approval
 * step of order.asl.json (NeedsApproval, RequestApproval) has had its say:
 * an order in stock above the limit is asked for; unless approved it ends
 * rejected (OrderRejected, or States.Timeout when nobody answered) before
 * any payment. */
static struct expect with_approval(const struct opts *o, struct expect ex, const char *id,
				   int standard, double total)
{
	if (ex.out == OUT_BACKORDERED || !needs_approval(o, standard, total))
		return ex;
	switch (decision_of(o, id)) {
	case SHOP_DECISION_REJECTED:
		return (struct expect){OUT_REJECTED, 0, "OrderRejected", 1};
	case SHOP_DECISION_SILENT:
		return (struct expect){OUT_REJECTED, 0, ASLRT_ERR_TIMEOUT, 1};
	default:
		ex.approval = 1;
		return ex;
	}
}

/* What should become of order id: the fault plan played through the Retry
 * and Catch tables that aslc compiled for the payment state pay. */
static struct expect expect_of(const struct aslrt_state *pay, const char *id)
{
	int used[32] = {0};

	if (shop_plan_of(id).out_of_stock)
		return (struct expect){OUT_BACKORDERED, 0, NULL, 0};
	for (int attempt = 0;; attempt++) {
		const char *e = shop_payment_fault(id, attempt);
		int r;

		if (!e)
			return (struct expect){OUT_SHIPPED, attempt + 1, NULL, 0};
		for (r = 0; r < pay->nretry && r < 32; r++)
			if (errors_match(pay->retry[r].nerrors, pay->retry[r].errors, e))
				break;
		if (r < pay->nretry && r < 32 && used[r] < pay->retry[r].max_attempts) {
			used[r]++;
			continue;
		}
		for (int c = 0; c < pay->ncatch; c++)
			if (errors_match(pay->catchers[c].nerrors, pay->catchers[c].errors, e))
				return (struct expect){OUT_COMPENSATED, attempt + 1, e, 0};
		return (struct expect){OUT_FAILED, attempt + 1, e, 0};
	}
}

/* ------------------------------------------------------------ one order */

/* The member at a.b of o as a string, or "" (borrowed). */
static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, a), b);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* How the execution res (borrowed) ended, judged from its output or error. */
static enum outcome observe(int rc, const struct aslrt_result *res)
{
	if (rc != 0)
		return OUT_FAILED;
	if (res->status == ASLRT_SUCCEEDED) {
		if (*str_at(res->output, "rejection", "Error"))    /* OrderRejected */
			return OUT_REJECTED;
		if (!strcmp(str_at(res->output, "payment", "status"), "APPROVED") &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(res->output, "confirmation"), "sent")))
			return OUT_SHIPPED;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(res->output, "backorder"),
			    "backordered")))
			return OUT_BACKORDERED;
		return OUT_FAILED;
	}
	if (res->status == ASLRT_FAILED && res->error.error &&
	    !strcmp(res->error.error, FAIL_ERROR))
		return OUT_COMPENSATED;
	return OUT_FAILED;
}

/* Keep a one-line description of a surprising order in t (the first few). */
static void note(struct tally *t, const char *id, const char *what, const char *detail)
{
	if (t->nnotes < MAX_NOTES)
		snprintf(t->notes[t->nnotes++], sizeof t->notes[0], "%s: %s%s%s", id, what,
			 detail ? ": " : "", detail ? detail : "");
}

/* The ledger's notifyCustomer reason for error name e. */
static enum shop_reason reason_code(const char *e)
{
	if (!e)
		return SHOP_REASON_NONE;
	if (!strcmp(e, "PaymentDeclined"))
		return SHOP_REASON_DECLINED;
	if (!strcmp(e, ASLRT_ERR_TIMEOUT))
		return SHOP_REASON_TIMEOUT;
	if (!strcmp(e, "PaymentServiceError"))
		return SHOP_REASON_SERVICE;
	if (!strcmp(e, "OrderRejected"))
		return SHOP_REASON_REJECTED;
	return SHOP_REASON_OTHER;
}

/* Count the finished order id (ledger entry l, execution res, expectation ex,
 * total in cents) into t. */
static void account(struct tally *t, const char *id, const struct shop_ledger *l,
		    int rc, const struct aslrt_result *res, struct expect ex, double total)
{
	enum outcome out = observe(rc, res);
	char why[160];

	t->n[out]++;
	t->transitions += res->transitions;
	if (out == OUT_FAILED) {
		snprintf(why, sizeof why, "%s (%s)", res->error.error ? res->error.error : "?",
			 res->error.cause ? res->error.cause : "no cause");
		note(t, id, rc ? "runtime failure" : "unexpected end", why);
	}
	if (out == OUT_COMPENSATED && l->reason == SHOP_REASON_DECLINED)
		t->declined++;
	else if (out == OUT_COMPENSATED)
		t->exhausted++;
	t->approvals += l->approval_requests > 0;
	if (out == OUT_REJECTED && l->reason == SHOP_REASON_REJECTED)
		t->rejected_by_person++;
	else if (out == OUT_REJECTED)
		t->approval_timeouts++;
	if (l->payment_attempts > 1) {
		t->retries += l->payment_attempts - 1;
		t->recovered += out == OUT_SHIPPED;
	}
	/* the failed attempts that were retried: all but a final failure */
	t->retry_timeouts += l->timeouts - (out == OUT_COMPENSATED &&
					    l->reason == SHOP_REASON_TIMEOUT);
	t->retry_service += l->service_errors - (out == OUT_COMPENSATED &&
						 l->reason == SHOP_REASON_SERVICE);
	if (out != OUT_FAILED &&
	    (out != ex.out || l->payment_attempts != ex.attempts ||
	     (ex.approval || out == OUT_REJECTED) != (l->approval_requests > 0) ||
	     ((out == OUT_COMPENSATED || out == OUT_REJECTED) &&
	      l->reason != reason_code(ex.reason)))) {
		snprintf(why, sizeof why,
			 "expected %s after %d payment attempt(s)%s, got %s after %d%s",
			 outcome_names[ex.out], ex.attempts,
			 ex.approval || ex.out == OUT_REJECTED ? " and an approval" : "",
			 outcome_names[out], l->payment_attempts,
			 l->approval_requests ? " and an approval" : "");
		t->mismatches++;
		note(t, id, "differs from the fault plan", why);
	}
	if (l->charges == 1 && l->charged != total) {
		t->wrong_amount++;
		note(t, id, "charged amount differs from the order total", NULL);
	}
}

/* ------------------------------------------------------------- reporting */

/* CLOCK_MONOTONIC now, in seconds. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* qsort order for doubles, ascending. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank p-quantile (0 < p <= 1) of the n sorted values v. */
static double quantile(const double *v, long n, double p)
{
	long k = (long)ceil(p * (double)n) - 1;

	return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

/* part as a percentage of whole (0 when whole is 0). */
static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* The ledger audit: print one line per invariant; return how many orders
 * violate one. */
static long audit(const struct shop_ledger *ledger, long n, const struct tally *t)
{
	long held = 0, unshipped = 0, unpaid = 0, twice = 0, unapproved = 0, bad;

	for (long i = 0; i < n; i++) {
		const struct shop_ledger *l = &ledger[i];

		held += l->reservations > l->releases && l->charges == 0;
		unshipped += l->charges > 0 && l->shipments == 0;
		unpaid += l->shipments > 0 && l->charges == 0;
		twice += l->charges > 1 || l->shipments > 1 || l->reservations > 1 ||
			 l->releases > 1 || l->confirmations > 1 || l->approval_requests > 1;
		unapproved += l->approval_requests > 0 && l->decision != SHOP_DECISION_APPROVED &&
			      (l->charges > 0 || l->shipments > 0);
	}
	bad = held + unshipped + unpaid + twice + unapproved + t->wrong_amount + t->mismatches;
	printf("\nInvariants (audited from the handlers' ledger)\n");
	printf("  %-44s %8ld  %s\n", "reservations held without payment:", held,
	       held ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "payments without shipment:", unshipped,
	       unshipped ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "shipments without payment:", unpaid,
	       unpaid ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "orders charged, reserved or shipped twice:", twice,
	       twice ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "not approved, yet charged or shipped:", unapproved,
	       unapproved ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "charges not equal to the order total:",
	       t->wrong_amount, t->wrong_amount ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "outcomes differing from the fault plan:",
	       t->mismatches, t->mismatches ? "VIOLATED" : "ok");
	return bad;
}

/* Print the heading and the Outcomes section from t. */
static void report_outcomes(const struct opts *o, const struct tally *t)
{
	long n = o->orders;

	printf("PetSupply Express - Black Friday rush: incident review\n");
	printf("  workflow: %s (%d states) compiled by aslc, runtime libaslrt %s\n",
	       order_machine.name, order_machine.nstates, ASLRT_VERSION);
	printf("  %ld orders, seed %llu, time scale %g\n", o->orders,
	       (unsigned long long)o->seed, o->time_scale);
	printf("  injected faults: %.1f%% out of stock, %.1f%% payment gateway trouble, "
	       "%.1f%% card declines\n", 100 * o->oos_rate, 100 * o->trouble_rate,
	       100 * o->decline_rate);
	if (o->approval_limit > 0)
		printf("  human approval (Standard mode only): orders above %.0f cents wait for a "
		       "person;\n    %.1f%% rejected, %.1f%% never answered (timeout %.0f s)\n",
		       o->approval_limit, 100 * o->reject_rate, 100 * o->silent_rate,
		       o->approval_timeout);
	printf("\nOutcomes\n");
	printf("  %-44s %8ld\n", "orders placed", n);
	printf("  %-44s %8ld  %5.1f%%\n", "succeeded (shipped)", t->n[OUT_SHIPPED],
	       pct(t->n[OUT_SHIPPED], n));
	printf("  %-44s %8ld  %5.1f%%\n", "backordered", t->n[OUT_BACKORDERED],
	       pct(t->n[OUT_BACKORDERED], n));
	printf("  %-44s %8ld  %5.1f%%\n",
	       "compensated (stock released, customer told)", t->n[OUT_COMPENSATED],
	       pct(t->n[OUT_COMPENSATED], n));
	printf("    %-42s %8ld\n", "card declined", t->declined);
	printf("    %-42s %8ld\n", "gateway faults outlasted every retry", t->exhausted);
	printf("  %-44s %8ld  %5.1f%%\n", "rejected (stock released, customer told)",
	       t->n[OUT_REJECTED], pct(t->n[OUT_REJECTED], n));
	printf("    %-42s %8ld\n", "rejected by the approver", t->rejected_by_person);
	printf("    %-42s %8ld\n", "no decision in time (States.Timeout)", t->approval_timeouts);
	printf("  %-44s %8ld  %5.1f%%\n", "failed (ended in any other way)", t->n[OUT_FAILED],
	       pct(t->n[OUT_FAILED], n));
	printf("  %-44s %8ld\n", "approvals asked (total above the limit)", t->approvals);
	printf("    %-42s %8ld\n", "approved by a person",
	       t->approvals - t->rejected_by_person - t->approval_timeouts);
	printf("  %-44s %8ld\n", "payment retries", t->retries);
	printf("    %-42s %8ld\n", "after States.Timeout", t->retry_timeouts);
	printf("    %-42s %8ld\n", "after PaymentServiceError", t->retry_service);
	printf("    %-42s %8ld\n", "orders shipped thanks to a retry", t->recovered);
	printf("  %-44s %7.2f%%\n", "success rate (shipped / placed)",
	       pct(t->n[OUT_SHIPPED], n));
}

/* How one rush went, for the Performance section. */
struct run_info {
	int express;
	double wall;                   /* seconds for the whole rush            */
	struct aslrt_engine_stats es;  /* Standard mode                          */
	const char *store, *sync;
	long in_flight;
};

/* Print the Performance section; sorts times (o->orders per-order seconds)
 * in place. */
static void report_timing(const struct opts *o, const struct run_info *ri, double *times,
			  const struct tally *t)
{
	long n = o->orders;
	double run_s = 0;

	for (long i = 0; i < n; i++)
		run_s += times[i];
	qsort(times, (size_t)n, sizeof *times, cmp_double);
	printf("\nPerformance (%s; %s)\n",
	       ri->express ? "Express: in memory, one order after the other"
			   : "Standard: durable, checkpointed",
	       o->time_scale > 0 ? "Retry waits really sleep, scaled"
				 : "time scale 0: Retry waits skipped");
	printf("  %-44s %8.3f s\n", "wall time (build, run and check every order)", ri->wall);
	if (ri->express)
		printf("  %-44s %8.3f s\n", "of which inside aslrt_run", run_s);
	printf("  %-44s %8.0f orders/s\n", "throughput", (double)n / ri->wall);
	printf("  %-44s %8.1f us\n", "time per order, p50", 1e6 * quantile(times, n, 0.50));
	printf("  %-44s %8.1f us\n", "time per order, p99", 1e6 * quantile(times, n, 0.99));
	printf("  %-44s %8.1f us\n", "time per order, max", times[n - 1] * 1e6);
	printf("  %-44s %8.2f\n", "state transitions per order",
	       (double)t->transitions / (double)n);
	if (ri->express)
		return;
	const struct aslrt_engine_stats *e = &ri->es;
	printf("  %-44s %s\n", "store", ri->store);
	printf("  %-44s %8s\n", "sync mode", ri->sync ? ri->sync : "batch");
	printf("  %-44s %8ld\n", "executions in flight (at most)", ri->in_flight);
	printf("  %-44s %8llu\n", "records written", e->records);
	printf("  %-44s %8.1f MiB\n", "bytes written", (double)e->bytes / 1048576.0);
	printf("  %-44s %8llu\n", "fsyncs (group commits)", e->syncs);
	printf("  %-44s %8.1f\n", "records per fsync",
	       e->syncs ? (double)e->records / (double)e->syncs : 0.0);
	printf("  %-44s %8llu\n", "compactions", e->compactions);
}

/* --------------------------------------------------------------- driver */

/* Run every order with aslrt_run, one after the other, filling t and
 * times[i] (seconds per order). Returns 0, or -1 when an order could not
 * even be built (out of memory). */
static int rush_express(const struct opts *o, const struct aslrt_state *pay, struct tally *t,
			double *times)
{
	struct rt_progress prog;

	rt_progress_begin(&prog, "  rush (Express)", o->orders, 0);
	for (long i = 0; i < o->orders; i++) {
		long number = FIRST_ORDER + i;
		struct aslrt_options ro = {.time_scale = o->time_scale};
		struct aslrt_result res = {0};
		char id[32];
		double total, t0;
		cJSON *in = make_order(o, number, &total, 0);
		int rc;

		if (!in)
			return -1;
		snprintf(id, sizeof id, "ORD-%ld", number);
		ro.execution_name = id;
		t0 = now_s();
		rc = aslrt_run(&order_machine, &ro, in, &res);
		times[i] = now_s() - t0;
		account(t, id, &shop_config.ledger[i], rc, &res,
			with_approval(o, expect_of(pay, id), id, 0, total), total);
		aslrt_result_clear(&res);
		rt_progress_add(&prog, 1, 0);
	}
	rt_progress_end(&prog);
	return 0;
}

/* A Standard rush in progress: at most in_flight executions at once; each
 * one that finishes is accounted and makes room for the next. */
struct std_rush {
	const struct opts *o;
	const struct aslrt_state *pay;
	struct tally *t;
	double *times;                 /* start time, then time to finish       */
	double *totals;                /* order totals (cents)                  */
	struct aslrt_engine *e;
	long next, done;
	int failed;
	struct rt_progress *prog;      /* the progress line                     */
};

/* Start order i; returns 0 or -1 (printed). */
static int start_order(struct std_rush *r, long i)
{
	long number = FIRST_ORDER + i;
	char id[32];
	struct aslrt_error err = {NULL, NULL};
	cJSON *in = make_order(r->o, number, &r->totals[i], r->o->approval_limit > 0);

	snprintf(id, sizeof id, "ORD-%ld", number);
	r->times[i] = now_s();
	if (in && aslrt_engine_start(r->e, id, in, &err) == 0)
		return 0;
	fprintf(stderr, "order-rush: cannot start %s: %s: %s\n", id,
		err.error ? err.error : "out of memory", err.cause ? err.cause : "");
	aslrt_error_clear(&err);
	r->failed = 1;
	return -1;
}

/* on_finish: account the order and start the next one. */
static void order_finished(void *ctx, const char *name, const struct aslrt_result *res)
{
	struct std_rush *r = ctx;
	long i = shop_order_number(name) - FIRST_ORDER;

	if (i < 0 || i >= r->o->orders)
		return;
	r->times[i] = now_s() - r->times[i];
	account(r->t, name, &shop_config.ledger[i], 0, res,
		with_approval(r->o, expect_of(r->pay, name), name, 1, r->totals[i]),
		r->totals[i]);
	r->done++;
	if (r->next < r->o->orders && !r->failed)
		start_order(r, r->next++);
	rt_progress_add(r->prog, 1, res->status != ASLRT_SUCCEEDED);
}

/* ------------------------------------------------------ the approvers */

/* The people who approve big orders, simulated: requestApproval (handlers.c)
 * queues each request through shop_config.on_approval; an approver thread
 * takes it, "thinks" for 10 to 100 ms, then answers from another process's
 * point of view, through the store's inbox, exactly as
 * `order send-task-success --task-token ...` would (docs/durable.md, "The
 * inbox"). What they answer is decision_of(): approve, reject
 * (SendTaskFailure OrderRejected) or stay silent (the task times out). */
#define APPROVERS 64           /* each waits for its answer to be durable */

struct request {
	char id[32];
	char token[64];
	double due;                    /* now_s() when the answer is sent       */
	struct request *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct request *head, *tail;
	int stop;
	const struct opts *o;
	const char *store;
	long sent, failed;             /* answers delivered / refused           */
	char why[240];                 /* the first refusal                     */
} approvers = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, NULL,
	       NULL, 0, 0, ""};

/* shop_config.on_approval: queue the request (copies its strings). */
static void approval_requested(const char *order_id, double total, const char *token)
{
	struct request *q = calloc(1, sizeof *q);

	(void)total;
	if (!q || strlen(order_id) >= sizeof q->id || strlen(token) >= sizeof q->token) {
		free(q);               /* unanswered: the order times out */
		return;
	}
	strcpy(q->id, order_id);
	strcpy(q->token, token);
	q->due = now_s() + 0.01 + 0.09 * shop_uniform(approvers.o->seed, order_id, SALT_THINK, 0);
	pthread_mutex_lock(&approvers.mu);
	if (approvers.tail)
		approvers.tail->next = q;
	else
		approvers.head = q;
	approvers.tail = q;
	pthread_cond_signal(&approvers.cv);
	pthread_mutex_unlock(&approvers.mu);
}

/* Answer request q as approver `who` (a first name). */
static void answer(const struct request *q, const char *who)
{
	enum shop_decision d = decision_of(approvers.o, q->id);
	long n = shop_order_number(q->id) - FIRST_ORDER;
	cJSON *req = cJSON_CreateObject(), *reply = NULL;
	char cause[96], *why = NULL;
	const char *err = NULL;

	if (n >= 0 && (size_t)n < shop_config.ledger_len)
		shop_config.ledger[n].decision = d;
	if (d == SHOP_DECISION_SILENT) {
		cJSON_Delete(req);
		return;
	}
	cJSON_AddStringToObject(req, "op", d == SHOP_DECISION_APPROVED ? "send-task-success"
								      : "send-task-failure");
	cJSON_AddStringToObject(req, "token", q->token);
	if (d == SHOP_DECISION_APPROVED) {
		cJSON *out = cJSON_AddObjectToObject(req, "output");
		cJSON_AddBoolToObject(out, "approved", 1);
		cJSON_AddStringToObject(out, "approvedBy", who);
	} else {
		snprintf(cause, sizeof cause, "rejected by %s: above the approval limit", who);
		cJSON_AddStringToObject(req, "error", "OrderRejected");
		cJSON_AddStringToObject(req, "cause", cause);
	}
	if (cJSON_GetArraySize(req) == (d == SHOP_DECISION_APPROVED ? 3 : 4))
		reply = rt_inbox_call(approvers.store, req, 120, NULL, NULL, &why);
	if (!reply)
		err = why ? why : "out of memory";
	else if (!cJSON_GetObjectItemCaseSensitive(reply, "ok"))
		err = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(reply, "error"));
	pthread_mutex_lock(&approvers.mu);
	if (err && !approvers.failed++)
		snprintf(approvers.why, sizeof approvers.why, "%s: %s", q->id, err ? err : "?");
	else if (!err)
		approvers.sent++;
	pthread_mutex_unlock(&approvers.mu);
	rt_free(why);
	cJSON_Delete(reply);
	cJSON_Delete(req);
}

/* One approver: answer requests in the order they came until told to stop
 * and none is left. arg: its index, which names it. */
static void *approver_main(void *arg)
{
	const char *who = firsts[(size_t)(uintptr_t)arg % (sizeof firsts / sizeof firsts[0])];

	pthread_mutex_lock(&approvers.mu);
	for (;;) {
		struct request *q;
		double wait;

		while (!approvers.head && !approvers.stop)
			pthread_cond_wait(&approvers.cv, &approvers.mu);
		if (!(q = approvers.head))
			break;
		approvers.head = q->next;
		if (!approvers.head)
			approvers.tail = NULL;
		pthread_mutex_unlock(&approvers.mu);
		wait = q->due - now_s();
		if (wait > 0) {
			struct timespec ts = {(time_t)wait, (long)((wait - floor(wait)) * 1e9)};
			nanosleep(&ts, NULL);
		}
		answer(q, who);
		free(q);
		pthread_mutex_lock(&approvers.mu);
	}
	pthread_mutex_unlock(&approvers.mu);
	return NULL;
}

/* Start the approvers for a Standard rush on store; returns how many run. */
static int approvers_start(const struct opts *o, const char *store, pthread_t *th)
{
	int n = 0;

	approvers.o = o;
	approvers.store = store;
	approvers.stop = 0;
	approvers.sent = approvers.failed = 0;
	shop_config.on_approval = approval_requested;
	while (n < APPROVERS && pthread_create(&th[n], NULL, approver_main, (void *)(uintptr_t)n) == 0)
		n++;
	return n;
}

/* Stop the n approvers (after answering what is queued); returns the
 * number of answers the engine refused (printed). */
static long approvers_stop(pthread_t *th, int n)
{
	pthread_mutex_lock(&approvers.mu);
	approvers.stop = 1;
	pthread_cond_broadcast(&approvers.cv);
	pthread_mutex_unlock(&approvers.mu);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	shop_config.on_approval = NULL;
	if (approvers.failed)
		fprintf(stderr, "order-rush: %ld approval answers refused, first: %s\n",
			approvers.failed, approvers.why);
	return approvers.failed;
}

/* Remove path and everything under it (the temporary store). */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			char sub[4096];
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* What the report said, printed after the review. */
static char report_note[600];

/* Write the HTML report of the store (runtime/report.c): --report FILE,
 * report.html in the current directory by default, none with --no-report.
 * Returns 0, or -1 (printed). */
static int write_report(const struct opts *o, const char *store)
{
	struct rt_report_options ro = {.store = store, .max_details = -1};
	struct rt_report_info info;
	char *why = NULL;

	ro.out = o->report ? o->report : "report.html";
	if (!*ro.out)
		return 0;
	if (rt_report_write(&order_machine, &ro, &info, &why) != 0) {
		fprintf(stderr, "order-rush: report: %s\n", why ? why : "out of memory");
		rt_free(why);
		return -1;
	}
	snprintf(report_note, sizeof report_note,
		 "Report: %s (%ld executions, %ld in detail, %llu records read in %.2f s; "
		 "open it in a browser)\n", ro.out, info.executions, info.details, info.records,
		 info.seconds);
	return 0;
}

/* Run every order as a Standard execution in one engine. Fills t, times
 * and ri's store statistics. Returns 0, or -1 (printed). */
static int rush_standard(const struct opts *o, const struct aslrt_state *pay, struct tally *t,
			 double *times, struct run_info *ri)
{
	static char tmp[4096];
	struct rt_progress prog;
	struct std_rush r = {o, pay, t, times, NULL, NULL, 0, 0, 0, &prog};
	struct aslrt_engine_options eo = {0};
	struct aslrt_error err = {NULL, NULL};
	const char *base = getenv("TMPDIR");
	pthread_t approver_th[APPROVERS];
	int rc = 0, napprovers = 0;

	ri->store = o->store;
	if (!o->store) {
		snprintf(tmp, sizeof tmp, "%s/order-rush-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmp)) {
			fprintf(stderr, "order-rush: cannot make a temporary store: %s\n",
				strerror(errno));
			return -1;
		}
		ri->store = tmp;
	}
	r.totals = calloc((size_t)o->orders, sizeof *r.totals);
	eo.store = ri->store;
	eo.sync = o->sync;
	eo.workers = o->workers;
	eo.compact_bytes = (unsigned long long)o->compact_bytes;
	eo.time_scale = o->time_scale;
	eo.on_finish = order_finished;
	eo.ctx = &r;
	eo.serve_inbox = o->approval_limit > 0;   /* the approvers' answers */
	if (!r.totals || aslrt_engine_open(&order_machine, &eo, &r.e, &err) != 0) {
		fprintf(stderr, "order-rush: %s\n", err.cause ? err.cause : "out of memory");
		aslrt_error_clear(&err);
		free(r.totals);
		return -1;
	}
	if (o->approval_limit > 0 && (napprovers = approvers_start(o, ri->store, approver_th)) == 0) {
		fputs("order-rush: cannot start the approvers\n", stderr);
		r.failed = 1;
	}
	rt_progress_begin(&prog, "  rush (Standard)", o->orders, 0);
	while (r.next < o->orders && r.next < o->in_flight && !r.failed)
		start_order(&r, r.next++);
	if (!r.failed && aslrt_engine_run(r.e, 1, &err) != 0) {
		fprintf(stderr, "order-rush: %s\n", err.cause ? err.cause : "the store failed");
		aslrt_error_clear(&err);
		rc = -1;
	}
	if (napprovers && approvers_stop(approver_th, napprovers) != 0)
		rc = -1;
	rt_progress_end(&prog);
	aslrt_engine_stats(r.e, &ri->es);
	aslrt_engine_close(r.e);
	if (write_report(o, ri->store) != 0)
		rc = -1;
	if (r.failed || r.done != o->orders) {
		if (!rc)
			fprintf(stderr, "order-rush: %ld of %ld orders finished\n", r.done, o->orders);
		rc = -1;
	}
	if (!o->store && !o->keep_store)
		rm_tree(tmp);
	else if (!o->store)
		fprintf(stderr, "order-rush: the store is kept in %s\n", tmp);
	free(r.totals);
	return rc;
}

/* Check the machine and its bindings before the rush; 0 or -1 (printed). */
static int preflight(const struct aslrt_state **pay)
{
	struct aslrt_options ro = {.time_scale = 0};
	struct aslrt_error err = {NULL, NULL};

	*pay = find_state(&order_machine, PAY_STATE);
	if (!*pay || (*pay)->type != ASLRT_TASK) {
		fprintf(stderr, "order-rush: the workflow has no Task state %s\n", PAY_STATE);
		return -1;
	}
	if (aslrt_check_bindings(&order_machine, &ro, &err)) {
		fprintf(stderr, "order-rush: %s: %s\n", err.error ? err.error : "error",
			err.cause ? err.cause : "a Task resource has no handler");
		aslrt_error_clear(&err);
		return -1;
	}
	return 0;
}

/* One rush in the given mode, then its review. Returns the number of
 * orders that broke a rule, or -1 when the rush could not run. */
static long rush_and_review(const struct opts *o, const struct aslrt_state *pay, int express,
			    double *wall_out)
{
	struct tally *t = calloc(1, sizeof *t);
	double *times = malloc((size_t)o->orders * sizeof *times);
	struct run_info ri = {express, 0, {0}, NULL, o->sync, o->in_flight};
	long bad = -1;

	shop_config.ledger = calloc((size_t)o->orders, sizeof *shop_config.ledger);
	shop_config.ledger_len = (size_t)o->orders;
	if (!t || !times || !shop_config.ledger) {
		fputs("order-rush: out of memory\n", stderr);
		goto out;
	}
	ri.wall = now_s();
	if (express ? rush_express(o, pay, t, times) : rush_standard(o, pay, t, times, &ri)) {
		if (express)
			fputs("order-rush: out of memory building an order\n", stderr);
		goto out;
	}
	ri.wall = now_s() - ri.wall;
	*wall_out = ri.wall;
	report_outcomes(o, t);
	report_timing(o, &ri, times, t);
	bad = audit(shop_config.ledger, o->orders, t) + t->n[OUT_FAILED];
	for (int i = 0; i < t->nnotes; i++)
		printf("%s  %s\n", i ? "" : "\nFirst surprises\n", t->notes[i]);
out:
	free(shop_config.ledger);
	shop_config.ledger = NULL;
	free(times);
	free(t);
	return bad;
}

/* Parse, rush, review; the exit status is described at the top of the file. */
int main(int argc, char **argv)
{
	struct opts o;
	const struct aslrt_state *pay;
	double wall_express = 0, wall_standard = 0;
	long bad = 0;
	int rc = parse_args(argc, argv, &o);

	if (rc) {
		if (rc == -1)
			fputs(SYNOPSIS "(--help for details)\n", stderr);
		return rc == 1 ? 0 : 2;
	}
	shop_config = (struct shop_config){o.seed, o.oos_rate, o.trouble_rate,
					   o.decline_rate, NULL, FIRST_ORDER, 0, NULL};
	if (preflight(&pay))
		return 2;
	if (o.express || o.compare)
		bad = rush_and_review(&o, pay, 1, &wall_express);
	if (bad >= 0 && o.compare)
		printf("\n");
	if (bad >= 0 && !o.express) {
		long b = rush_and_review(&o, pay, 0, &wall_standard);
		bad = b < 0 ? b : bad + b;
	}
	if (bad >= 0 && o.compare)
		printf("\nStandard vs Express: %.0f vs %.0f orders/s, Standard runs at %.1f%% of "
		       "Express\n", (double)o.orders / wall_standard,
		       (double)o.orders / wall_express, 100.0 * wall_express / wall_standard);
	if (bad < 0)
		return 2;
	if (report_note[0])
		printf("\n%s", report_note);
	printf("\nRESULT: %s\n", bad ? "FAIL (see above)" :
	       "PASS - every order ended as designed and every invariant holds");
	return bad ? 1 : 0;
}
