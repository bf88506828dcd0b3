/*
 * handlers.c - C stand-ins for the Lambda functions of the PetSupply Express
 * order workflow (order.asl.json), bound to their ARNs with ASLRT_TASK: the
 * eight of the benchmark's workflow, and requestApproval (human approval, a
 * callback task behind lambda:invoke.waitForTaskToken).
 *
 * On the happy path each returns exactly the JSON its JavaScript twin in the
 * benchmark (order.handlers.js) returns, member order included. With
 * shop_config set by a driver (rush.c) they also inject faults and keep a
 * ledger per order; see handlers.h.
 */
#include "handlers.h"

#include <aslrt.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shop_config shop_config;

#define ARN(fn) "arn:aws:lambda:us-east-1:123456789012:function:" fn

/* Salts: one independent stream of shop_uniform() per decision. */
enum { SALT_STOCK = 1, SALT_PAY, SALT_TROUBLE, SALT_KIND, SALT_MISSING };

/* ------------------------------------------------------------ fault plan */

/* SplitMix64's finaliser: a bijective 64-bit mix. */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

double shop_uniform(uint64_t seed, const char *key, uint64_t salt, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a of the key */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	h = mix64(h ^ mix64(seed));
	h = mix64(h ^ salt);
	h = mix64(h ^ n);
	return (double)(h >> 11) * 0x1.0p-53;
}

long shop_order_number(const char *order_id)
{
	const char *dash = strrchr(order_id, '-');
	const char *digits = dash ? dash + 1 : order_id;
	char *end;
	long n;

	if (*digits < '0' || *digits > '9')
		return -1;
	n = strtol(digits, &end, 10);
	return *end ? -1 : n;
}

struct shop_plan shop_plan_of(const char *order_id)
{
	const struct shop_config *c = &shop_config;
	struct shop_plan p = {0, SHOP_PAY_OK, 0};
	double u;

	/* shop_uniform is in [0, 1): with a rate of 0 (no driver) nothing can
	 * happen, and the hashing is skipped. */
	if (c->oos_rate > 0)
		p.out_of_stock = shop_uniform(c->seed, order_id, SALT_STOCK, 0) < c->oos_rate;
	if (!(c->decline_rate > 0 || c->decline_rate + c->trouble_rate > 0))
		return p;
	u = shop_uniform(c->seed, order_id, SALT_PAY, 0);
	if (u < c->decline_rate) {
		p.pay = SHOP_PAY_DECLINED;
	} else if (u < c->decline_rate + c->trouble_rate) {
		u = shop_uniform(c->seed, order_id, SALT_TROUBLE, 0);
		p.pay = u < 0.875 ? SHOP_PAY_FLAKY : SHOP_PAY_OUTAGE;
		p.flaky_failures = u < 0.5 ? 1 : u < 0.75 ? 2 : 3;
	}
	return p;
}

const char *shop_payment_fault(const char *order_id, int attempt)
{
	struct shop_plan p = shop_plan_of(order_id);

	switch (p.pay) {
	case SHOP_PAY_DECLINED:
		return "PaymentDeclined";
	case SHOP_PAY_FLAKY:
		if (attempt >= p.flaky_failures)
			return NULL;
		break;
	case SHOP_PAY_OUTAGE:
		break;
	case SHOP_PAY_OK:
		return NULL;
	}
	return shop_uniform(shop_config.seed, order_id, SALT_KIND, (uint64_t)attempt) < 0.5
		       ? ASLRT_ERR_TIMEOUT
		       : "PaymentServiceError";
}

/* The ledger entry of the order named by input's orderId, or NULL when no
 * ledger is kept or the order is not in it. Borrows input. */
static struct shop_ledger *ledger_of(const cJSON *input)
{
	const cJSON *id;
	long n;

	if (!shop_config.ledger)
		return NULL;
	id = cJSON_GetObjectItemCaseSensitive(input, "orderId");
	if (!cJSON_IsString(id))
		return NULL;
	n = shop_order_number(id->valuestring);
	if (n < shop_config.ledger_first ||
	    (size_t)(n - shop_config.ledger_first) >= shop_config.ledger_len)
		return NULL;
	return &shop_config.ledger[n - shop_config.ledger_first];
}

/* ------------------------------------------------ JavaScript look-alikes */

/* A member of input (borrowed), NULL when absent (JavaScript's undefined). */
static const cJSON *field(const cJSON *input, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(input, name);
}

/* Write String(v) as JavaScript's template literals spell it into out (or only
 * measure it when out is NULL); return its length. v NULL is undefined. Numbers
 * print as integers when integral, else in the shortest %g that reads back. */
static size_t js_string(const cJSON *v, char *out)
{
	char num[40];
	const char *s;
	size_t len = 0;

	if (!v) {
		s = "undefined";
	} else if (cJSON_IsString(v)) {
		s = v->valuestring;
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == floor(d) && fabs(d) < 1e21) {
			snprintf(num, sizeof num, "%.0f", d == 0 ? 0.0 : d);
		} else {
			for (int prec = 15; prec <= 17; prec++) {
				snprintf(num, sizeof num, "%.*g", prec, d);
				if (strtod(num, NULL) == d)
					break;
			}
		}
		s = num;
	} else if (cJSON_IsTrue(v)) {
		s = "true";
	} else if (cJSON_IsFalse(v)) {
		s = "false";
	} else if (cJSON_IsNull(v)) {
		s = "null";
	} else if (cJSON_IsArray(v)) { /* Array.prototype.join(",") */
		const cJSON *e;
		cJSON_ArrayForEach(e, v) {
			if (e != v->child) {
				if (out)
					out[len] = ',';
				len++;
			}
			if (!cJSON_IsNull(e))
				len += js_string(e, out ? out + len : NULL);
		}
		return len;
	} else {
		s = "[object Object]";
	}
	len = strlen(s);
	if (out)
		memcpy(out, s, len);
	return len;
}

/* A JSON string node that owns buf_take (from cJSON_malloc, NUL-terminated):
 * cJSON_Delete frees both. NULL when out of memory (buf_take freed). A
 * reference node whose reference flag is dropped is exactly that: one
 * allocation fewer and no copy, compared with cJSON_CreateString. */
static cJSON *adopt_string(char *buf_take)
{
	cJSON *s = buf_take ? cJSON_CreateStringReference(buf_take) : NULL;

	if (!s) {
		cJSON_free(buf_take);
		return NULL;
	}
	s->type &= ~cJSON_IsReference;
	return s;
}

/* A JSON string of the literal text (static storage: never copied or freed). */
static cJSON *literal(const char *text)
{
	return cJSON_CreateStringReference(text);
}

/* A new JSON string `${prefix}${v}` (v borrowed), or NULL when out of memory. */
static cJSON *js_concat(const char *prefix, const cJSON *v)
{
	size_t plen = strlen(prefix), vlen = js_string(v, NULL);
	char *buf = cJSON_malloc(plen + vlen + 1);

	if (!buf)
		return NULL;
	memcpy(buf, prefix, plen);
	js_string(v, buf + plen);
	buf[plen + vlen] = '\0';
	return adopt_string(buf);
}

/* Add v_take to object o under key, a string literal (cJSON keeps the pointer:
 * no copy); on failure free v_take and clear *ok. */
static void put(cJSON *o, const char *key, cJSON *v_take, int *ok)
{
	if (!o || !v_take || !cJSON_AddItemToObjectCS(o, key, v_take)) {
		cJSON_Delete(v_take);
		*ok = 0;
	}
}

/* Add a copy of input's member `name` to o under key, or nothing when input has
 * no such member (JSON.stringify drops undefined). */
static void put_copy(cJSON *o, const char *key, const cJSON *input, const char *name,
		     int *ok)
{
	const cJSON *v = field(input, name);

	if (v)
		put(o, key, cJSON_Duplicate(v, 1), ok);
}

/* Hand the built object o (taken) to the caller through *result, or fail the
 * task when building it ran out of memory. */
static int finish(cJSON *o, int ok, cJSON **result, struct aslrt_error *err)
{
	if (!o || !ok) {
		cJSON_Delete(o);
		aslrt_error_set(err, "OutOfMemory", "the handler could not build its result");
		return -1;
	}
	*result = o;
	return 0;
}

/* JavaScript's TypeError for reading `prop` of input.name when that is
 * undefined or null. */
static int type_error(struct aslrt_error *err, const cJSON *v, const char *prop)
{
	aslrt_error_set(err, "TypeError", "Cannot read properties of %s (reading '%s')",
			v ? "null" : "undefined", prop);
	return -1;
}

/* ----------------------------------------------------------- the tasks */

/* checkInventory: {available, warehouse, lines, missing}. An out-of-stock
 * order has one of its SKUs in `missing` and available false. */
static int check_inventory(const struct aslrt_task_ctx *ctx, const cJSON *input,
			   cJSON **result, struct aslrt_error *err)
{
	const cJSON *items = field(input, "items"), *id = field(input, "orderId");
	struct shop_ledger *l = ledger_of(input);
	cJSON *o, *missing;
	int ok = 1, n = cJSON_GetArraySize(items), out = 0;

	(void)ctx;
	if (!items || cJSON_IsNull(items))
		return type_error(err, items, "length");
	if (l)
		l->inventory_checks++;
	if (cJSON_IsArray(items) && n > 0 && cJSON_IsString(id))
		out = shop_plan_of(id->valuestring).out_of_stock;
	o = cJSON_CreateObject();
	put(o, "available", cJSON_CreateBool(!out), &ok);
	put(o, "warehouse", literal("WH-EAST-1"), &ok);
	if (cJSON_IsArray(items))
		put(o, "lines", cJSON_CreateNumber(n), &ok);
	else if (cJSON_IsString(items))
		put(o, "lines", cJSON_CreateNumber((double)strlen(items->valuestring)), &ok);
	missing = cJSON_CreateArray();
	if (out && missing) {
		int k = (int)(shop_uniform(shop_config.seed, id->valuestring, SALT_MISSING, 0) * n);
		const cJSON *sku = field(cJSON_GetArrayItem(items, k), "sku");
		if (sku && !cJSON_AddItemToArray(missing, cJSON_Duplicate(sku, 1)))
			ok = 0;
	}
	put(o, "missing", missing, &ok);
	return finish(o, ok, result, err);
}

/* reserveInventory: {reservationId: "RES-<orderId>", warehouse}. */
static int reserve_inventory(const struct aslrt_task_ctx *ctx, const cJSON *input,
			     cJSON **result, struct aslrt_error *err)
{
	struct shop_ledger *l = ledger_of(input);
	cJSON *o = cJSON_CreateObject();
	int ok = 1;

	(void)ctx;
	if (l)
		l->reservations++;
	put(o, "reservationId", js_concat("RES-", field(input, "orderId")), &ok);
	put_copy(o, "warehouse", input, "warehouse", &ok);
	return finish(o, ok, result, err);
}

/* processPayment: {transactionId: "TXN-<orderId>", status: "APPROVED", amount},
 * unless the fault plan makes this attempt time out, hit a service error or
 * be declined. */
static int process_payment(const struct aslrt_task_ctx *ctx, const cJSON *input,
			   cJSON **result, struct aslrt_error *err)
{
	const cJSON *id = field(input, "orderId"), *amount = field(input, "amount");
	struct shop_ledger *l = ledger_of(input);
	const char *fault = NULL;
	cJSON *o;
	int ok = 1;

	if (l)
		l->payment_attempts++;
	if (cJSON_IsString(id))
		fault = shop_payment_fault(id->valuestring, ctx->attempt);
	if (fault && !strcmp(fault, ASLRT_ERR_TIMEOUT)) {
		if (l)
			l->timeouts++;
		aslrt_error_set(err, fault, "payment gateway did not answer in time (attempt %d)",
				ctx->attempt + 1);
		return -1;
	}
	if (fault && !strcmp(fault, "PaymentServiceError")) {
		if (l)
			l->service_errors++;
		aslrt_error_set(err, fault, "payment gateway returned HTTP 503 (attempt %d)",
				ctx->attempt + 1);
		return -1;
	}
	if (fault) {
		if (l)
			l->declines++;
		aslrt_error_set(err, fault, "card issuer declined the charge for %s",
				id->valuestring);
		return -1;
	}
	o = cJSON_CreateObject();
	put(o, "transactionId", js_concat("TXN-", id), &ok);
	put(o, "status", literal("APPROVED"), &ok);
	put_copy(o, "amount", input, "amount", &ok);
	if (l && ok) {
		l->charges++;
		l->charged += cJSON_IsNumber(amount) ? amount->valuedouble : 0;
	}
	return finish(o, ok, result, err);
}

/* releaseInventory: {released: true, reservationId}. */
static int release_inventory(const struct aslrt_task_ctx *ctx, const cJSON *input,
			     cJSON **result, struct aslrt_error *err)
{
	struct shop_ledger *l = ledger_of(input);
	cJSON *o = cJSON_CreateObject();
	int ok = 1;

	(void)ctx;
	if (l)
		l->releases++;
	put(o, "released", cJSON_CreateTrue(), &ok);
	put_copy(o, "reservationId", input, "reservationId", &ok);
	return finish(o, ok, result, err);
}

/* The reason notifyCustomer was given, as a ledger code. */
static enum shop_reason reason_of(const cJSON *reason)
{
	if (!cJSON_IsString(reason))
		return SHOP_REASON_OTHER;
	if (!strcmp(reason->valuestring, "PaymentDeclined"))
		return SHOP_REASON_DECLINED;
	if (!strcmp(reason->valuestring, ASLRT_ERR_TIMEOUT))
		return SHOP_REASON_TIMEOUT;
	if (!strcmp(reason->valuestring, "PaymentServiceError"))
		return SHOP_REASON_SERVICE;
	if (!strcmp(reason->valuestring, "OrderRejected"))
		return SHOP_REASON_REJECTED;
	return SHOP_REASON_OTHER;
}

/* notifyCustomer: {notified: true, channel: "email", to}. */
static int notify_customer(const struct aslrt_task_ctx *ctx, const cJSON *input,
			   cJSON **result, struct aslrt_error *err)
{
	struct shop_ledger *l = ledger_of(input);
	cJSON *o = cJSON_CreateObject();
	int ok = 1;

	(void)ctx;
	if (l) {
		l->failure_notices++;
		l->reason = reason_of(field(input, "reason"));
	}
	put(o, "notified", cJSON_CreateTrue(), &ok);
	put(o, "channel", literal("email"), &ok);
	put_copy(o, "to", input, "email", &ok);
	return finish(o, ok, result, err);
}

/* createShipment: {shipmentId: "SHP-<orderId>", trackingNumber: "1Z<digits of
 * orderId>", carrier: "UPS"}. */
static int create_shipment(const struct aslrt_task_ctx *ctx, const cJSON *input,
			   cJSON **result, struct aslrt_error *err)
{
	const cJSON *id = field(input, "orderId");
	struct shop_ledger *l = ledger_of(input);
	cJSON *o;
	char *track;
	size_t n = 2;
	int ok = 1;

	(void)ctx;
	if (!id || cJSON_IsNull(id))
		return type_error(err, id, "replace");
	if (!cJSON_IsString(id)) {
		aslrt_error_set(err, "TypeError", "input.orderId.replace is not a function");
		return -1;
	}
	track = cJSON_malloc(strlen(id->valuestring) + 3);
	if (!track)
		return finish(NULL, 0, result, err);
	memcpy(track, "1Z", 2);
	for (const char *p = id->valuestring; *p; p++)
		if (*p >= '0' && *p <= '9')
			track[n++] = *p;
	track[n] = '\0';
	if (l)
		l->shipments++;
	o = cJSON_CreateObject();
	put(o, "shipmentId", js_concat("SHP-", id), &ok);
	put(o, "trackingNumber", adopt_string(track), &ok);
	put(o, "carrier", literal("UPS"), &ok);
	return finish(o, ok, result, err);
}

/* sendConfirmation: {sent: true, messageId: "MSG-<orderId>"}. */
static int send_confirmation(const struct aslrt_task_ctx *ctx, const cJSON *input,
			     cJSON **result, struct aslrt_error *err)
{
	struct shop_ledger *l = ledger_of(input);
	cJSON *o = cJSON_CreateObject();
	int ok = 1;

	(void)ctx;
	if (l)
		l->confirmations++;
	put(o, "sent", cJSON_CreateTrue(), &ok);
	put(o, "messageId", js_concat("MSG-", field(input, "orderId")), &ok);
	return finish(o, ok, result, err);
}

/* notifyBackorder: {notified: true, backordered: true, to}. */
static int notify_backorder(const struct aslrt_task_ctx *ctx, const cJSON *input,
			    cJSON **result, struct aslrt_error *err)
{
	struct shop_ledger *l = ledger_of(input);
	cJSON *o = cJSON_CreateObject();
	int ok = 1;

	(void)ctx;
	if (l)
		l->backorder_notices++;
	put(o, "notified", cJSON_CreateTrue(), &ok);
	put(o, "backordered", cJSON_CreateTrue(), &ok);
	put_copy(o, "to", input, "email", &ok);
	return finish(o, ok, result, err);
}

/* requestApproval, called through arn:aws:states:::lambda:invoke.waitForTaskToken
 * with {FunctionName, Payload: {orderId, customerId, total, limit, taskToken}}:
 * hands the request to a person (shop_config.on_approval, or a line on
 * standard error saying how to answer it) and returns Lambda's Invoke
 * response {StatusCode: 200, Payload: {requested: true, orderId}}. The
 * execution then waits until someone calls SendTaskSuccess or
 * SendTaskFailure with the token (AWS, "Wait for a Callback with Task
 * Token"). A payload without a token is a TypeError: the task would wait
 * for an answer nobody can give. */
static int request_approval(const struct aslrt_task_ctx *ctx, const cJSON *input,
			    cJSON **result, struct aslrt_error *err)
{
	const cJSON *payload = field(input, "Payload");
	const cJSON *id = field(payload, "orderId"), *token = field(payload, "taskToken");
	const cJSON *total = field(payload, "total");
	struct shop_ledger *l = ledger_of(payload);
	double amount = cJSON_IsNumber(total) ? total->valuedouble : 0;
	cJSON *o, *p;
	int ok = 1;

	(void)ctx;
	if (!cJSON_IsString(token) || !cJSON_IsString(id)) {
		aslrt_error_set(err, "TypeError", "requestApproval needs Payload.orderId and "
				"Payload.taskToken strings");
		return -1;
	}
	if (l)
		l->approval_requests++;
	if (shop_config.on_approval)
		shop_config.on_approval(id->valuestring, amount, token->valuestring);
	else
		fprintf(stderr, "approval needed: order %s, total %.0f; answer with\n"
			"  send-task-success --task-token %s --task-output '{\"approved\":true}'\n"
			"  send-task-failure --task-token %s --error OrderRejected --cause WHY\n",
			id->valuestring, amount, token->valuestring, token->valuestring);
	o = cJSON_CreateObject();
	put(o, "StatusCode", cJSON_CreateNumber(200), &ok);
	p = cJSON_CreateObject();
	if (!p)
		ok = 0;
	put(p, "requested", cJSON_CreateTrue(), &ok);
	put_copy(p, "orderId", payload, "orderId", &ok);
	put(o, "Payload", p, &ok);
	return finish(o, ok, result, err);
}

ASLRT_TASK(ARN("checkInventory"), check_inventory)
ASLRT_TASK(ARN("reserveInventory"), reserve_inventory)
ASLRT_TASK(ARN("processPayment"), process_payment)
ASLRT_TASK(ARN("releaseInventory"), release_inventory)
ASLRT_TASK(ARN("notifyCustomer"), notify_customer)
ASLRT_TASK(ARN("createShipment"), create_shipment)
ASLRT_TASK(ARN("sendConfirmation"), send_confirmation)
ASLRT_TASK(ARN("notifyBackorder"), notify_backorder)
ASLRT_TASK("arn:aws:states:::lambda:invoke.waitForTaskToken", request_approval)
