/*
 * handlers.h - the PetSupply Express task handlers' knobs and ledger, shared by
 * handlers.c (the eight Lambda stand-ins) and rush.c (the Black Friday driver).
 *
 * Without any configuration (shop_config zeroed, as it is in a program built
 * with `aslc order.asl.json -o order handlers.c`) the handlers never inject a
 * fault and keep no ledger: each returns exactly what order.handlers.js, the
 * benchmark's JavaScript stand-ins, returns.
 *
 * Faults are a pure function of (seed, orderId, attempt), so a run is
 * reproducible and handlers share no mutable state: each order only touches its
 * own ledger entry.
 */
#ifndef SHOP_HANDLERS_H
#define SHOP_HANDLERS_H

#include <stddef.h>
#include <stdint.h>

/* How processPayment treats one order. */
enum shop_pay_plan {
	SHOP_PAY_OK,        /* approved at the first attempt                     */
	SHOP_PAY_FLAKY,     /* `flaky_failures` transient faults, then approved  */
	SHOP_PAY_OUTAGE,    /* a transient fault at every attempt               */
	SHOP_PAY_DECLINED   /* PaymentDeclined at the first attempt (final)      */
};

/* The fault plan of one order, derived from shop_config and its orderId. */
struct shop_plan {
	int out_of_stock;              /* checkInventory reports missing lines   */
	enum shop_pay_plan pay;
	int flaky_failures;            /* SHOP_PAY_FLAKY: 1, 2 or 3              */
};

/* Why notifyCustomer was told an order failed (its `reason`). */
enum shop_reason {
	SHOP_REASON_NONE,
	SHOP_REASON_DECLINED,          /* PaymentDeclined                        */
	SHOP_REASON_TIMEOUT,           /* States.Timeout                         */
	SHOP_REASON_SERVICE,           /* PaymentServiceError                    */
	SHOP_REASON_REJECTED,          /* OrderRejected: a person said no        */
	SHOP_REASON_OTHER
};

/* How a person answered an order's approval request (the driver's approver
 * fills it in; the handlers never read it). */
enum shop_decision {
	SHOP_DECISION_NONE,            /* no request, or not answered yet        */
	SHOP_DECISION_APPROVED,        /* SendTaskSuccess                        */
	SHOP_DECISION_REJECTED,        /* SendTaskFailure OrderRejected          */
	SHOP_DECISION_SILENT           /* never answered: the task times out     */
};

/* What the handlers did for one order: the bookkeeping the driver audits. */
struct shop_ledger {
	int inventory_checks;
	int reservations;              /* reserveInventory calls                 */
	int releases;                  /* releaseInventory calls                 */
	int payment_attempts;          /* processPayment calls                   */
	int timeouts, service_errors, declines; /* failed attempts by kind       */
	int charges;                   /* approved payments                      */
	double charged;                /* sum of approved amounts (cents)        */
	int shipments;
	int confirmations;
	int failure_notices;           /* notifyCustomer calls                   */
	enum shop_reason reason;       /* the last notifyCustomer reason         */
	int backorder_notices;
	int approval_requests;         /* requestApproval calls                  */
	enum shop_decision decision;   /* what the approver answered             */
};

/* The driver's settings; read-only while executions run. */
struct shop_config {
	uint64_t seed;
	double oos_rate;               /* share of orders with a line out of stock */
	double trouble_rate;           /* share of payments hitting gateway faults */
	double decline_rate;           /* share of payments declined by the bank  */
	struct shop_ledger *ledger;    /* NULL: keep no books                      */
	long ledger_first;             /* order number of ledger[0]                */
	size_t ledger_len;
	/* Called by requestApproval (on a worker thread, possibly several at
	 * once) with the order, its total and the task token a person answers
	 * with SendTaskSuccess / SendTaskFailure (all borrowed for the call).
	 * NULL: requestApproval prints the request on standard error instead. */
	void (*on_approval)(const char *order_id, double total, const char *token);
};

/* The one configuration, zero (no faults, no ledger) until a driver sets it. */
extern struct shop_config shop_config;

/* The order number in an orderId such as "ORD-1000042" (the digits after the
 * last '-'), or -1 when there is none. */
long shop_order_number(const char *order_id);

/* The fault plan of order_id under shop_config (all zero when no rate is set).
 * Of the orders with gateway trouble, half recover after one failed attempt, a
 * quarter after two, an eighth after three, and an eighth never do. */
struct shop_plan shop_plan_of(const char *order_id);

/* The error processPayment raises at attempt (0-based) of order_id, a static
 * string ("States.Timeout", "PaymentServiceError", "PaymentDeclined"), or NULL
 * when that attempt is approved. */
const char *shop_payment_fault(const char *order_id, int attempt);

/* A uniform number in [0, 1) from (seed, key, salt, n): the only source of
 * randomness of the example, shared with the driver's order generator. */
double shop_uniform(uint64_t seed, const char *key, uint64_t salt, uint64_t n);

#endif /* SHOP_HANDLERS_H */
