/*
 * check_names.c - names: of states (length, unique across all machines,
 * found by hash), of Map labels, and of the state machine itself (--name).
 *
 *   - State names: "State names MUST have length which is less than or equal
 *     to 80 Unicode characters" and are unique (States Language spec,
 *     "States"; AWS checks uniqueness across nested machines too:
 *     DUPLICATE_STATE_NAME); an empty name is INVALID_STATE_NAME as well.
 *     The character list of the API's history events ("name must not
 *     contain white space, brackets ...", API Reference,
 *     StateEnteredEventDetails) is not applied: AWS's own examples name
 *     states with spaces, and the spec sets no character rule.
 *   - Map "Label": at most 40 characters, unique within the definition, none
 *     of the characters forbidden in AWS resource names (Developer Guide,
 *     "Distributed Map state", Label); DUPLICATE_LABEL_NAME and
 *     INVALID_LABEL_NAME.
 *   - State machine names: 1 to 80 characters; no white space, brackets
 *     < > { } [ ], wildcards ? *, special characters " # % \ ^ | ~ ` $ & , ;
 *     : /, control characters (U+0000-001F, U+007F-009F, U+FFFE-FFFF)
 *     (API Reference, CreateStateMachine, "name"); STATE_MACHINE_NAME_EMPTY,
 *     _TOO_LONG, _INVALID.
 */
#include "checker.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

static int is_space(unsigned cp)
{
	return cp == ' ' || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* What is wrong with resource name s (a Map label, a state machine name), or
 * NULL: empty, more than max characters, invalid UTF-8, or a character AWS
 * forbids in resource names. The message is static. */
static const char *name_problem(const char *s, size_t max)
{
	if (!*s)
		return "is empty";
	if (asl_utf8_count(s) > max)
		return max == 40 ? "is longer than 40 characters" : "is longer than 80 characters";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n > 0) {
		unsigned cp;
		int len = asl_utf8_decode(p, n, &cp);
		if (len == 0)
			return "is not valid UTF-8";
		if (is_control(cp))
			return "contains a control character";
		if (is_space(cp) || (cp < 0x80 && strchr("<>{}[]?*\"#%\\^|~`$&,;:/", (int)cp)))
			return "contains white space or one of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & "
			       ", ; : /";
		p += len;
		n -= (size_t)len;
	}
	return NULL;
}

/* ------------------------------------------------------------- states */

int index_state_name(struct checker *c, int i)
{
	const struct asl_ir_state *st = &c->ir->states[i];
	size_t len = asl_utf8_count(st->s.name);
	if (len == 0 || len > 80)
		asl_diag_add(c->d, ASL_ERROR, st->loc, "INVALID_STATE_NAME", st->s.pointer,
			     "the state name %s (a state name is 1 to 80 characters)",
			     len ? "is longer than 80 characters" : "is empty");
	if (i >= c->same_cap) {
		int cap = i * 2 + 64;
		int *v = realloc(c->same_name, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		c->same_name = v;
		c->same_cap = cap;
	}
	c->same_name[i] = -1;
	int first = asl_strmap_add(&c->names, st->s.name, i);
	if (first < -1)
		return -1;
	if (first != i) {
		asl_diag_add(c->d, ASL_ERROR, st->loc, "DUPLICATE_STATE_NAME", st->s.pointer,
			     "state name \"%s\" is already used at line %d (%s): state names must "
			     "be unique across the whole definition, nested machines included",
			     st->s.name, c->ir->states[first].loc.line,
			     c->ir->states[first].s.pointer);
		int k = first;
		while (c->same_name[k] >= 0)
			k = c->same_name[k];
		c->same_name[k] = i;
	}
	return 0;
}

int state_index(const struct checker *c, const char *name)
{
	int m = (int)(c->m - c->ir->machines);
	int i = asl_strmap_get(&c->names, name);
	while (i >= 0 && c->ir->states[i].machine != m)
		i = c->same_name[i];
	return i;
}

/* ------------------------------------------------------------- labels */

void check_labels(struct checker *c)
{
	struct asl_strmap seen = { 0 };
	for (int i = 0; i < c->ir->nstates; i++) {
		const struct asl_ir_state *st = &c->ir->states[i];
		if (st->node->type != ASL_J_OBJECT)
			continue;
		const struct asl_json *type = asl_json_get(st->node, "Type");
		const struct asl_json *v = asl_json_get(st->node, "Label");
		if (!v || v->type != ASL_J_STRING || !type || type->type != ASL_J_STRING ||
		    strcmp(type->str, "Map") != 0)
			continue;
		strcpy(c->ptr, st->s.pointer);
		const char *why = name_problem(v->str, 40);
		if (why)
			report(c, v, "INVALID_LABEL_NAME", "Label",
			       "the label \"%s\" %s (a Map label is 1 to 40 characters)", v->str,
			       why);
		int first = asl_strmap_add(&seen, v->str, i);
		if (first >= 0 && first != i)
			report(c, v, "DUPLICATE_LABEL_NAME", "Label",
			       "the label \"%s\" is already the label of Map state \"%s\": labels "
			       "must be unique within the definition", v->str,
			       c->ir->states[first].s.name);
	}
	asl_strmap_free(&seen);
}

/* ------------------------------------------------------- machine name */

void asl_check_machine_name(const char *name, struct asl_diags *d)
{
	const char *why = name_problem(name, 80);
	struct asl_loc none = { 0, 0 };
	if (!why)
		return;
	asl_diag_add(d, ASL_ERROR, none,
		     !*name ? "STATE_MACHINE_NAME_EMPTY"
		     : strncmp(why, "is longer", 9) == 0 ? "STATE_MACHINE_NAME_TOO_LONG"
							  : "STATE_MACHINE_NAME_INVALID",
		     "", "--name \"%s\": the state machine name %s (1 to 80 characters; no white "
		     "space, brackets, wildcards, control characters or \" # %% \\ ^ | ~ ` $ & , ; "
		     ": /)", name, why);
}
