/*
 * order.c - bench/workflows/order.asl.json coded by hand with cJSON, calling
 * the same C task handlers as the generated program (examples/order/handlers.c,
 * linked unchanged, so both sides do the same task work).
 *
 * Each Task builds its Parameters as an object of references into the
 * document (the handler only reads its input, so nothing is copied), calls the
 * handler and stores the result at its ResultPath. ProcessPayment retries
 * States.Timeout and PaymentServiceError (1 s, 2 s, 4 s) and catches the rest
 * into $.paymentError, then compensates, as the definition says.
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#define ARN(fn) "arn:aws:lambda:us-east-1:123456789012:function:" fn

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Task input: {key: reference to value, ...} from NULL-terminated pairs.
 * Returns new memory, or NULL (err set) when a path selected nothing. */
static cJSON *params(struct aslrt_error *err, ...)
{
	va_list ap;
	cJSON *o = cJSON_CreateObject();
	va_start(ap, err);
	for (const char *key; o && (key = va_arg(ap, const char *));) {
		const cJSON *v = va_arg(ap, const cJSON *);
		if (!v) {
			aslrt_error_set(err, "States.Runtime", "The JSONPath for field '%s.$' could "
					"not be found in the input", key);
			cJSON_Delete(o);
			o = NULL;
		} else if (!cJSON_AddItemReferenceToObject(o, key, (cJSON *)v)) {
			cJSON_Delete(o);
			o = NULL;
		}
	}
	va_end(ap);
	return o;
}

/* ResultPath $.key: store v_take in doc. */
static int store(cJSON *doc, const char *key, cJSON *v_take)
{
	if (get(doc, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(doc, key, v_take) ? 0 : -1;
	return cJSON_AddItemToObject(doc, key, v_take) ? 0 : -1;
}

/* Call the handler of arn on in_take (freed), attempt n; store its result at
 * $.key. Returns 0, or -1 with err set. */
static int task(cJSON *doc, const char *state, const char *arn, cJSON *in_take, int attempt,
		const char *key, struct aslrt_error *err)
{
	if (!in_take)
		return -1;
	struct aslrt_task_ctx ctx = { .resource = arn, .state = state, .execution = "baseline",
				      .attempt = attempt };
	aslrt_task_fn fn = bl_handler(arn);
	cJSON *res = NULL;
	int rc = fn ? fn(&ctx, in_take, &res, err) : -1;
	cJSON_Delete(in_take);
	if (rc) {
		if (!err->error)
			aslrt_error_set(err, fn ? "States.TaskFailed" : "States.Runtime", NULL);
		return -1;
	}
	return store(doc, key, res);
}

static int is_retried(const char *error)
{
	return !strcmp(error, "States.Timeout") || !strcmp(error, "PaymentServiceError");
}

/* ProcessPayment with its Retry: 0 paid, -1 failed with err set (to catch). */
static int pay(cJSON *doc, struct aslrt_error *err)
{
	double delay = 1;
	for (int attempt = 0;; attempt++) {
		cJSON *in = params(err, "orderId", get(doc, "orderId"), "customerId",
				   get(get(doc, "customer"), "id"), "amount", get(doc, "total"),
				   (const char *)NULL);
		if (task(doc, "ProcessPayment", ARN("processPayment"), in, attempt, "payment",
			 err) == 0)
			return 0;
		if (attempt == 3 || !err->error || !is_retried(err->error))
			return -1;
		struct timespec ts = { (time_t)delay, 0 };
		nanosleep(&ts, NULL);
		delay *= 2;
		aslrt_error_clear(err);
	}
}

static int failed(cJSON *doc, struct aslrt_error *err)
{
	cJSON_Delete(doc);
	if (!err->error)
		aslrt_error_set(err, "States.Runtime", "out of memory");
	return 1;
}

/* Payment failed: $.paymentError, ReleaseInventory, NotifyCustomer, Fail. */
static int compensate(cJSON *doc, struct aslrt_error *err, long *transitions)
{
	cJSON *eo = cJSON_CreateObject();
	cJSON_AddStringToObject(eo, "Error", err->error);
	if (err->cause)
		cJSON_AddStringToObject(eo, "Cause", err->cause);
	aslrt_error_clear(err);
	if (store(doc, "paymentError", eo))
		return failed(doc, err);
	(*transitions)++;
	if (task(doc, "ReleaseInventory", ARN("releaseInventory"),
		 params(err, "orderId", get(doc, "orderId"), "reservationId",
			get(get(doc, "reservation"), "reservationId"), (const char *)NULL),
		 0, "release", err))
		return failed(doc, err);
	(*transitions)++;
	if (task(doc, "NotifyCustomer", ARN("notifyCustomer"),
		 params(err, "orderId", get(doc, "orderId"), "email",
			get(get(doc, "customer"), "email"), "reason",
			get(get(doc, "paymentError"), "Error"), (const char *)NULL),
		 0, "notification", err))
		return failed(doc, err);
	(*transitions)++;
	cJSON_Delete(doc);
	aslrt_error_set(err, "OrderFailed", "Payment could not be processed");
	return 1;
}

int bl_execute(cJSON *doc, cJSON **output, struct aslrt_error *err, long *transitions)
{
	(*transitions)++;
	if (task(doc, "CheckInventory", ARN("checkInventory"),
		 params(err, "orderId", get(doc, "orderId"), "items", get(doc, "items"),
			(const char *)NULL),
		 0, "inventory", err))
		return failed(doc, err);
	(*transitions)++;
	const cJSON *available = get(get(doc, "inventory"), "available");
	if (!available) {
		aslrt_error_set(err, "States.Runtime", "Invalid path '$.inventory.available'");
		return failed(doc, err);
	}
	if (!cJSON_IsTrue(available)) {
		(*transitions)++;
		if (task(doc, "NotifyBackorder", ARN("notifyBackorder"),
			 params(err, "orderId", get(doc, "orderId"), "email",
				get(get(doc, "customer"), "email"), "missing",
				get(get(doc, "inventory"), "missing"), (const char *)NULL),
			 0, "backorder", err))
			return failed(doc, err);
		(*transitions)++;
		*output = doc;
		return 0;
	}
	(*transitions)++;
	if (task(doc, "ReserveInventory", ARN("reserveInventory"),
		 params(err, "orderId", get(doc, "orderId"), "items", get(doc, "items"),
			"warehouse", get(get(doc, "inventory"), "warehouse"), (const char *)NULL),
		 0, "reservation", err))
		return failed(doc, err);
	(*transitions)++;
	if (pay(doc, err))
		return compensate(doc, err, transitions);
	(*transitions)++;
	if (task(doc, "CreateShipment", ARN("createShipment"),
		 params(err, "orderId", get(doc, "orderId"), "address",
			get(get(doc, "customer"), "address"), "items", get(doc, "items"),
			(const char *)NULL),
		 0, "shipment", err))
		return failed(doc, err);
	(*transitions)++;
	if (task(doc, "SendConfirmation", ARN("sendConfirmation"),
		 params(err, "orderId", get(doc, "orderId"), "email",
			get(get(doc, "customer"), "email"), "trackingNumber",
			get(get(doc, "shipment"), "trackingNumber"), (const char *)NULL),
		 0, "confirmation", err))
		return failed(doc, err);
	(*transitions)++;
	*output = doc;
	return 0;
}
