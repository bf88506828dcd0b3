/*
 * rush.c - order-rush, the Black Friday demo: N PetSupply orders run through
 * order.asl.json compiled by aslc, with faults injected by the handlers
 * (handlers.c), then an incident review: outcomes, payment retries, latency,
 * and the business invariants audited from the handlers' ledger.
 *
 * By default the orders are Standard executions (docs/durable.md): many in
 * flight in one engine, every transition checkpointed to a store with group
 * commit before it is acknowledged. --express runs them the old way, one
 * after the other with aslrt_run() in memory; --compare runs both.
 *
 *   order-rush [--orders N] [--seed S] [--timeout-rate R] [--decline-rate R]
 *              [--oos-rate R] [--time-scale X] [--express | --compare]
 *              [--store DIR] [--sync always|batch|none] [--in-flight N]
 *              [--workers N] [--keep-store]
 *
 * Exit status: 0 every order ended as designed and every invariant holds; 1 an
 * invariant was violated or an execution ended unexpectedly; 2 bad usage or a
 * setup failure.
 */
#include "handlers.h"

#include <aslrt.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
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
};

enum outcome { OUT_SHIPPED, OUT_BACKORDERED, OUT_COMPENSATED, OUT_FAILED };

static const char *const outcome_names[] = {"shipped", "backordered", "compensated",
					    "failed"};

/* What the fault plan and the definition's Retry/Catch say should happen. */
struct expect {
	enum outcome out;
	int attempts;                  /* processPayment calls                   */
	const char *reason;            /* last payment error, or NULL            */
};

struct tally {
	long n[4];                     /* by observed outcome                    */
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
	"                  [--compact-bytes N]\n"

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
	      "  --compact-bytes N compact the store's log past N bytes (default 256 MiB)\n",
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
	*o = (struct opts){100000, 1, 0.05, 0.02, 0.04, 0, 0, 0, 0, NULL, NULL, 10000, 0, 0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		double d;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
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
 * catalog lines of 1 to 3 units, from one of 25000 customers. New memory, or
 * NULL when out of memory; *total receives the order total in cents. */
static cJSON *make_order(const struct opts *o, long number, double *total)
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
	if (cJSON_GetArraySize(in) == 4 && cJSON_GetArraySize(items) == nlines)
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

/* What should become of order id: the fault plan played through the Retry
 * and Catch tables that aslc compiled for the payment state pay. */
static struct expect expect_of(const struct aslrt_state *pay, const char *id)
{
	int used[32] = {0};

	if (shop_plan_of(id).out_of_stock)
		return (struct expect){OUT_BACKORDERED, 0, NULL};
	for (int attempt = 0;; attempt++) {
		const char *e = shop_payment_fault(id, attempt);
		int r;

		if (!e)
			return (struct expect){OUT_SHIPPED, attempt + 1, NULL};
		for (r = 0; r < pay->nretry && r < 32; r++)
			if (errors_match(pay->retry[r].nerrors, pay->retry[r].errors, e))
				break;
		if (r < pay->nretry && r < 32 && used[r] < pay->retry[r].max_attempts) {
			used[r]++;
			continue;
		}
		for (int c = 0; c < pay->ncatch; c++)
			if (errors_match(pay->catchers[c].nerrors, pay->catchers[c].errors, e))
				return (struct expect){OUT_COMPENSATED, attempt + 1, e};
		return (struct expect){OUT_FAILED, attempt + 1, e};
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
	if (l->payment_attempts > 1) {
		t->retries += l->payment_attempts - 1;
		t->recovered += out == OUT_SHIPPED;
	}
	/* the failed attempts that were retried: all but a final failure */
	t->retry_timeouts += l->timeouts - (out == OUT_COMPENSATED &&
					    l->reason == SHOP_REASON_TIMEOUT);
	t->retry_service += l->service_errors - (out == OUT_COMPENSATED &&
						 l->reason == SHOP_REASON_SERVICE);
	if (out != OUT_FAILED && (out != ex.out || l->payment_attempts != ex.attempts ||
				  (out == OUT_COMPENSATED && l->reason != reason_code(ex.reason)))) {
		snprintf(why, sizeof why, "expected %s after %d payment attempt(s), got %s after %d",
			 outcome_names[ex.out], ex.attempts, outcome_names[out],
			 l->payment_attempts);
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
	long held = 0, unshipped = 0, unpaid = 0, twice = 0, bad;

	for (long i = 0; i < n; i++) {
		const struct shop_ledger *l = &ledger[i];

		held += l->reservations > l->releases && l->charges == 0;
		unshipped += l->charges > 0 && l->shipments == 0;
		unpaid += l->shipments > 0 && l->charges == 0;
		twice += l->charges > 1 || l->shipments > 1 || l->reservations > 1 ||
			 l->releases > 1 || l->confirmations > 1;
	}
	bad = held + unshipped + unpaid + twice + t->wrong_amount + t->mismatches;
	printf("\nInvariants (audited from the handlers' ledger)\n");
	printf("  %-44s %8ld  %s\n", "reservations held without payment:", held,
	       held ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "payments without shipment:", unshipped,
	       unshipped ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "shipments without payment:", unpaid,
	       unpaid ? "VIOLATED" : "ok");
	printf("  %-44s %8ld  %s\n", "orders charged, reserved or shipped twice:", twice,
	       twice ? "VIOLATED" : "ok");
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
	printf("  %-44s %8ld  %5.1f%%\n", "failed (ended in any other way)", t->n[OUT_FAILED],
	       pct(t->n[OUT_FAILED], n));
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
	int tty = isatty(STDERR_FILENO);
	double start = now_s(), last = start;

	for (long i = 0; i < o->orders; i++) {
		long number = FIRST_ORDER + i;
		struct aslrt_options ro = {.time_scale = o->time_scale};
		struct aslrt_result res = {0};
		char id[32];
		double total, t0;
		cJSON *in = make_order(o, number, &total);
		int rc;

		if (!in)
			return -1;
		snprintf(id, sizeof id, "ORD-%ld", number);
		ro.execution_name = id;
		t0 = now_s();
		rc = aslrt_run(&order_machine, &ro, in, &res);
		times[i] = now_s() - t0;
		account(t, id, &shop_config.ledger[i], rc, &res, expect_of(pay, id), total);
		aslrt_result_clear(&res);
		if (tty && (t0 - last > 0.1 || i + 1 == o->orders)) {
			last = t0;
			fprintf(stderr, "\r  rush: %ld/%ld orders, %.0f orders/s ", i + 1,
				o->orders, (double)(i + 1) / (now_s() - start));
		}
	}
	if (tty)
		fputs("\r\033[K", stderr);
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
	int tty;
	double start, last;
};

/* Start order i; returns 0 or -1 (printed). */
static int start_order(struct std_rush *r, long i)
{
	long number = FIRST_ORDER + i;
	char id[32];
	struct aslrt_error err = {NULL, NULL};
	cJSON *in = make_order(r->o, number, &r->totals[i]);

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
	account(r->t, name, &shop_config.ledger[i], 0, res, expect_of(r->pay, name),
		r->totals[i]);
	r->done++;
	if (r->next < r->o->orders && !r->failed)
		start_order(r, r->next++);
	double now = now_s();
	if (r->tty && (now - r->last > 0.1 || r->done == r->o->orders)) {
		r->last = now;
		fprintf(stderr, "\r  rush: %ld/%ld orders, %.0f orders/s ", r->done, r->o->orders,
			(double)r->done / (now - r->start));
	}
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

/* Run every order as a Standard execution in one engine. Fills t, times
 * and ri's store statistics. Returns 0, or -1 (printed). */
static int rush_standard(const struct opts *o, const struct aslrt_state *pay, struct tally *t,
			 double *times, struct run_info *ri)
{
	static char tmp[4096];
	struct std_rush r = {o, pay, t, times, NULL, NULL, 0, 0, 0, isatty(STDERR_FILENO), 0, 0};
	struct aslrt_engine_options eo = {0};
	struct aslrt_error err = {NULL, NULL};
	const char *base = getenv("TMPDIR");
	int rc = 0;

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
	if (!r.totals || aslrt_engine_open(&order_machine, &eo, &r.e, &err) != 0) {
		fprintf(stderr, "order-rush: %s\n", err.cause ? err.cause : "out of memory");
		aslrt_error_clear(&err);
		free(r.totals);
		return -1;
	}
	r.start = now_s();
	while (r.next < o->orders && r.next < o->in_flight && !r.failed)
		start_order(&r, r.next++);
	if (!r.failed && aslrt_engine_run(r.e, 1, &err) != 0) {
		fprintf(stderr, "order-rush: %s\n", err.cause ? err.cause : "the store failed");
		aslrt_error_clear(&err);
		rc = -1;
	}
	if (r.tty)
		fputs("\r\033[K", stderr);
	aslrt_engine_stats(r.e, &ri->es);
	aslrt_engine_close(r.e);
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
					   o.decline_rate, NULL, FIRST_ORDER, 0};
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
	printf("\nRESULT: %s\n", bad ? "FAIL (see above)" :
	       "PASS - every order ended as designed and every invariant holds");
	return bad ? 1 : 0;
}
