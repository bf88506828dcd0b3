/*
 * rush.c - order-rush, the Black Friday demo: N PetSupply Express orders run
 * one after the other through order.asl.json compiled by aslc, with faults
 * injected by the handlers (handlers.c), then an incident review: outcomes,
 * payment retries, latency, and the business invariants audited from the
 * handlers' ledger.
 *
 *   order-rush [--orders N] [--seed S] [--timeout-rate R] [--decline-rate R]
 *              [--oos-rate R] [--time-scale X]
 *
 * Exit status: 0 every order ended as designed and every invariant holds; 1 an
 * invariant was violated or an execution ended unexpectedly; 2 bad usage or a
 * setup failure.
 */
#include "handlers.h"

#include <aslrt.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	"                  [--decline-rate R] [--oos-rate R] [--time-scale X]\n"

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
	      "                    never sleep)\n",
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
	*o = (struct opts){100000, 1, 0.05, 0.02, 0.04, 0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		double d;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
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
		else {
			fprintf(stderr, "order-rush: bad option or value: %s %s\n", a, v);
			return -1;
		}
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

/* Print the Performance section; sorts times (o->orders per-order seconds)
 * in place. wall is the whole rush in seconds. */
static void report_timing(const struct opts *o, double wall, double *times,
			  const struct tally *t)
{
	long n = o->orders;
	double run_s = 0;

	for (long i = 0; i < n; i++)
		run_s += times[i];
	qsort(times, (size_t)n, sizeof *times, cmp_double);
	printf("\nPerformance (%s)\n", o->time_scale > 0 ? "Retry waits really sleep, scaled"
							 : "time scale 0: Retry waits skipped");
	printf("  %-44s %8.3f s\n", "wall time (build, run and check every order)", wall);
	printf("  %-44s %8.3f s\n", "of which inside aslrt_run", run_s);
	printf("  %-44s %8.0f orders/s\n", "throughput", (double)n / wall);
	printf("  %-44s %8.1f us\n", "time per order, p50", 1e6 * quantile(times, n, 0.50));
	printf("  %-44s %8.1f us\n", "time per order, p99", 1e6 * quantile(times, n, 0.99));
	printf("  %-44s %8.1f us\n", "time per order, max", times[n - 1] * 1e6);
	printf("  %-44s %8.2f\n", "state transitions per order",
	       (double)t->transitions / (double)n);
}

/* --------------------------------------------------------------- driver */

/* Run every order, filling t and times[i] (seconds per order). Returns 0, or
 * -1 when an order could not even be built (out of memory). */
static int rush(const struct opts *o, const struct aslrt_state *pay, struct tally *t,
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

/* Parse, rush, review; the exit status is described at the top of the file. */
int main(int argc, char **argv)
{
	struct opts o;
	const struct aslrt_state *pay;
	struct tally *t = calloc(1, sizeof *t);
	double *times = NULL, wall;
	long bad;
	int rc = parse_args(argc, argv, &o);

	if (rc || !t) {
		free(t);
		if (rc == -1)
			fputs(SYNOPSIS "(--help for details)\n", stderr);
		return rc == 1 ? 0 : 2;
	}
	shop_config = (struct shop_config){o.seed, o.oos_rate, o.trouble_rate,
					   o.decline_rate, NULL, FIRST_ORDER, 0};
	shop_config.ledger = calloc((size_t)o.orders, sizeof *shop_config.ledger);
	shop_config.ledger_len = (size_t)o.orders;
	times = malloc((size_t)o.orders * sizeof *times);
	if (!shop_config.ledger || !times || preflight(&pay)) {
		if (!shop_config.ledger || !times)
			fputs("order-rush: out of memory\n", stderr);
		rc = 2;
		goto out;
	}
	wall = now_s();
	if (rush(&o, pay, t, times)) {
		fputs("order-rush: out of memory building an order\n", stderr);
		rc = 2;
		goto out;
	}
	wall = now_s() - wall;
	report_outcomes(&o, t);
	report_timing(&o, wall, times, t);
	bad = audit(shop_config.ledger, o.orders, t) + t->n[OUT_FAILED];
	for (int i = 0; i < t->nnotes; i++)
		printf("%s  %s\n", i ? "" : "\nFirst surprises\n", t->notes[i]);
	printf("\nRESULT: %s\n", bad ? "FAIL (see above)" :
	       "PASS - every order ended as designed and every invariant holds");
	rc = bad ? 1 : 0;
out:
	free(shop_config.ledger);
	shop_config.ledger = NULL;
	free(times);
	free(t);
	return rc;
}
