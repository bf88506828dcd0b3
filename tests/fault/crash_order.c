/*
 * crash_order.c - the crash driver's order workload: the PetSupply order
 * workflow (examples/order/order.asl.json, its handlers and the faults of
 * the default fault plan, seed 1), orders without an approval policy.
 */
#include "crash_workload.h"
#include "handlers.h"

#include <stdio.h>

extern const struct aslrt_machine order_machine;

/* The rush's order generator lives in rush.c; the crash test needs inputs
 * that depend only on the order number, which this small one gives. */
static cJSON *order_input(long number)
{
	char buf[512];
	long lines = 1 + number % 3;
	int n = snprintf(buf, sizeof buf,
			 "{\"orderId\":\"ORD-%ld\",\"customer\":{\"id\":\"CUST-%ld\",\"email\":"
			 "\"c%ld@example.com\",\"address\":{\"line1\":\"%ld Main St\",\"city\":"
			 "\"Springfield\",\"zip\":\"12345\"}},\"items\":[",
			 number, number % 977, number % 977, number % 100);
	double total = 0;
	for (long k = 0; k < lines && n < 400; k++) {
		long qty = 1 + (number + k) % 3, price = 199 + 100 * ((number * 7 + k) % 20);
		n += snprintf(buf + n, sizeof buf - (size_t)n,
			      "%s{\"sku\":\"SKU-%ld\",\"qty\":%ld,\"price\":%ld}", k ? "," : "",
			      (number + k) % 16, qty, price);
		total += (double)(qty * price);
	}
	snprintf(buf + n, sizeof buf - (size_t)n, "],\"total\":%.0f}", total);
	return cJSON_Parse(buf);
}

/* The example's fault plan at its default rates, seed 1. */
static void order_setup(void)
{
	shop_config = (struct shop_config){ 1, 0.04, 0.05, 0.02, NULL, 1000001L, 0, NULL };
}

const struct crash_workload crash_workload = { &order_machine, order_input, order_setup };
