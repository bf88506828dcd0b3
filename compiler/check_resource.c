/*
 * check_resource.c - a Task's "Resource" (INVALID_RESOURCE).
 *
 * Developer Guide, "Discover service integration patterns in Step
 * Functions": a Resource "conforms to ARN format"; "the prefix
 * arn:aws:states: sets up a namespace that Step Functions uses for
 * integrations", whose ":::" leaves region and account empty; "legacy
 * integrations to AWS Lambda are the one exception where the Resource value
 * specifies an actual Lambda function resource". Activities are
 * arn:PARTITION:states:REGION:ACCOUNT:activity:NAME ("Learn about Activities
 * in Step Functions"). So a Resource is one of:
 *     arn:P:states:::SERVICE:API[.sync[:N] | .waitForTaskToken]
 *     arn:P:states:REGION:ACCOUNT:activity:NAME
 *     arn:P:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
 * with P "aws" or "aws-..." and ACCOUNT 12 digits (IAM User Guide, "ARN
 * format"). AWS SDK integrations have no .sync ("Integrating optimized
 * services": "Over two hundred services | Run a Job (.sync): Not
 * supported"). Express workflows "only support Request Response
 * integrations" (ibid.) and no activities ("Choosing workflow type"), nor do
 * the children of a Distributed Map whose ExecutionType is EXPRESS, which run
 * as Express workflows.
 */
#include "checker.h"

#include <string.h>

/* s[0..n) is non-empty and made of characters in set (plus alphanumerics
 * when alnum is set). */
static int made_of(const char *s, size_t n, const char *set, int alnum)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int an = (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
		if (!(alnum && an) && !strchr(set, ch))
			return 0;
	}
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* 1 when the state being checked runs in an Express workflow: --type
 * express, or inside a Distributed Map with ExecutionType EXPRESS. */
static int in_express(const struct checker *c)
{
	if (c->ir->express)
		return 1;
	for (const struct asl_ir_machine *m = c->m; m && m->owner >= 0;) {
		const struct asl_ir_state *o = &c->ir->states[m->owner];
		if (o->s.distributed && o->s.express_children)
			return 1;
		m = &c->ir->machines[o->machine];
	}
	return 0;
}

/* The integration pattern of "SERVICE:API[suffix]" (an arn:...:states:::
 * resource): 0 request-response, 1 .sync, 2 .waitForTaskToken, -1 not of
 * that shape. */
static int pattern(const char *r)
{
	const char *colon = strchr(r, ':');
	if (!colon || colon == r || !colon[1])
		return -1;
	const char *sync = strstr(r, ".sync");
	if (sync && (!sync[5] || (sync[5] == ':' && made_of(sync + 6, strlen(sync + 6), "", 1))))
		return 1;
	return ends_with(r, ".waitForTaskToken") ? 2 : 0;
}

void check_resource(struct checker *c, const struct asl_json *v)
{
	static const char shape[] =
		"a Task's \"Resource\" is arn:aws:states:::SERVICE:API (a service "
		"integration), arn:aws:states:REGION:ACCOUNT:activity:NAME or "
		"arn:aws:lambda:REGION:ACCOUNT:function:NAME";
	const char *s = v->str, *f[6];
	size_t len[5];
	int n = 0;
	f[0] = s;
	for (const char *p = s; *p && n < 5; p++)
		if (*p == ':') {
			len[n] = (size_t)(p - f[n]);
			f[++n] = p + 1;
		}
	if (n < 5 || len[0] != 3 || memcmp(s, "arn", 3) != 0) {
		report(c, v, "INVALID_RESOURCE", "Resource", "\"%s\" is not an ARN: %s", s, shape);
		return;
	}
	const char *part = f[1], *svc = f[2], *region = f[3], *account = f[4], *res = f[5];
	int partition_ok = (len[1] == 3 && memcmp(part, "aws", 3) == 0) ||
			   (len[1] > 4 && memcmp(part, "aws-", 4) == 0 &&
			    made_of(part, len[1], "-", 1));
	int located = len[3] > 0 || len[4] > 0;
	int where_ok = made_of(region, len[3], "-", 1) && len[4] == 12 &&
		       made_of(account, 12, "0123456789", 0);
	int kind = -1;                 /* 0 integration, 1 activity, 2 lambda */
	if (partition_ok && len[2] == 6 && memcmp(svc, "states", 6) == 0)
		kind = !located && pattern(res) >= 0 ? 0
		       : located && where_ok && strncmp(res, "activity:", 9) == 0 && res[9] &&
				 !strchr(res + 9, ':') ? 1 : -1;
	else if (partition_ok && len[2] == 6 && memcmp(svc, "lambda", 6) == 0)
		kind = where_ok && strncmp(res, "function:", 9) == 0 && res[9] &&
				       res[9] != ':' ? 2 : -1;
	if (kind < 0) {
		report(c, v, "INVALID_RESOURCE", "Resource", "\"%s\": %s", s, shape);
		return;
	}
	int pat = kind == 0 ? pattern(res) : 0;
	if (pat == 1 && strncmp(res, "aws-sdk:", 8) == 0) {
		report(c, v, "INVALID_RESOURCE", "Resource",
		       "\"%s\": AWS SDK integrations do not support the Run a Job (.sync) pattern",
		       s);
		return;
	}
	if ((pat > 0 || kind == 1) && in_express(c))
		report(c, v, "INVALID_RESOURCE", "Resource",
		       "\"%s\": %s Express workflows only support Request Response integrations",
		       s, kind == 1 ? "activities are not supported:"
			  : pat == 1 ? "the Run a Job (.sync) pattern is not supported:"
				     : "the Wait for Callback (.waitForTaskToken) pattern is not supported:");
}
