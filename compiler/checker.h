/*
 * checker.h - what the checking files share: the checker's state, located
 * reporting, and the per-topic checks check.c calls. Private to compiler/.
 */
#ifndef ASL_CHECKER_H
#define ASL_CHECKER_H

#include <stddef.h>

#include "ir.h"
#include "path.h"
#include "strmap.h"

#define T(x) (1u << ASLRT_##x)
#define ALL_TYPES (T(PASS) | T(TASK) | T(CHOICE) | T(WAIT) | T(SUCCEED) | T(FAIL) | \
		   T(PARALLEL) | T(MAP))
#define FLOWING (T(PASS) | T(TASK) | T(WAIT) | T(PARALLEL) | T(MAP))

struct checker {
	struct asl_diags *d;
	struct asl_ir *ir;
	struct asl_arena *a;
	const struct asl_ir_machine *m; /* machine of the state being checked  */
	char ptr[1024];                 /* JSON pointer being checked          */
	struct asl_strmap names;        /* state name -> first state with it   */
	int *same_name, same_cap;       /* next state of the same name, or -1  */
	unsigned char *broken;          /* per machine: a missing target or an
					   unknown state type, so graph checks
					   would only repeat the damage        */
};

/* check_util.c */
/* Error at the value `at` (NULL: unknown place); the pointer is c->ptr plus
 * "/field" when field is given. */
void report(struct checker *c, const struct asl_json *at, const char *code,
	    const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Append /seg (RFC 6901-escaped) to c->ptr; returns the length to pop() to. */
size_t push(struct checker *c, const char *seg);
size_t push_index(struct checker *c, int i);
void pop(struct checker *c, size_t len);
/* v is a JSON integer (no fraction or exponent in its text) in [lo, hi]. */
int is_int_in(const struct asl_json *v, double lo, double hi);
/* Parse the string v as a path (kept by the arena), or report and return NULL. */
const struct aslrt_path *parse_path(struct checker *c, const struct asl_json *v,
				    const char *field, enum asl_path_mode mode);
/* The index of the state named by string v, or -1 after reporting
 * MISSING_TRANSITION_TARGET. */
int target(struct checker *c, const struct asl_json *v, const char *field);
/* Report MISSING_TRANSITION_TARGET for the state named by string v in
 * field, saying where a state of that name is when another machine has it. */
void missing_target(struct checker *c, const struct asl_json *v, const char *field);
/* A warning at the value `at`, located like report(). */
void warn(struct checker *c, const struct asl_json *at, const char *code,
	  const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Report every member of row not in the NULL-terminated allowed list. */
int only_fields(struct checker *c, const struct asl_json *row, const char *const *allowed);
/* A number member with default and range; reports and returns dflt when bad. */
double num_field(struct checker *c, const struct asl_json *row, const char *name,
		 double dflt, double lo, double hi, int integer);

/* check_tmpl.c: Parameters/ResultSelector (dynamic: `.$` keys) or Result. */
const struct aslrt_tmpl *tmpl(struct checker *c, const struct asl_json *v,
			      const char *field, int dynamic);
/* A single path-or-intrinsic value (Fail ErrorPath/CausePath), or NULL
 * after reporting. */
const struct aslrt_tmpl *dynamic_value(struct checker *c, const struct asl_json *v,
				       const char *field);
/* check_jsonata.c: QueryLanguage and JSONata-mode fields ("Transforming
 * data with JSONata in Step Functions"). check_query_language reports a value
 * that is not "JSONPath"/"JSONata"; state_is_jsonata says whether state node n
 * uses JSONata (checking its own QueryLanguage against the machine's);
 * is_jsonata_expr says whether v is a "{% %}" string; jsonata_field_rule
 * reports a field of the wrong mode and returns 1 when the field table's kind
 * check must be skipped; check_jsonata_state builds a JSONata state's
 * expression fields, Assign and Choice rules into st (arena memory);
 * check_jsonata_catcher the Output and Assign of Catch row `row` into k.
 * All borrow. */
void check_query_language(struct checker *c, const struct asl_json *v);
int state_is_jsonata(struct checker *c, const struct asl_json *n);
int is_jsonata_expr(const struct asl_json *v);
int jsonata_field_rule(struct checker *c, const struct asl_json *v, const char *key,
		       int jsonata);
void check_jsonata_state(struct checker *c, struct asl_ir_state *st, const struct asl_json *n);
void check_jsonata_catcher(struct checker *c, const struct asl_json *row,
			   struct aslrt_catcher *k);

/* check_retry.c */
void check_retry(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr);
void check_catch(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr);
/* check_choice.c */
void check_choices(struct checker *c, struct asl_ir_state *st, const struct asl_json *arr);
/* check_distributed.c: ProcessorConfig, ItemReader, ItemBatcher and
 * ResultWriter of Map state st (node n). */
void check_distributed(struct checker *c, struct asl_ir_state *st, const struct asl_json *n);
/* check_machine.c: the definition's machines, recursively: their fields,
 * their states appended to ir->states (contiguous per machine), StartAt,
 * names unique across all machines. Returns the machine index or -1. */
int collect_machine(struct checker *c, const struct asl_json *node, const char *pointer,
		    int owner);
/* check_vars.c: an Assign object (names checked) as a template; then, once
 * every state is checked, where variables may be read. */
const struct aslrt_tmpl *check_assign(struct checker *c, const struct asl_json *v);
/* Report each key of Assign object v that is no valid variable name (a
 * trailing `.$` is allowed only in JSONPath, jsonata 0). */
void check_variable_names(struct checker *c, const struct asl_json *v, int jsonata);
void check_variables(struct checker *c);
/* check_names.c: state i's name checked and indexed (0, or -1 out of
 * memory); the state of machine c->m named name, or -1 (by hash); Map
 * labels. */
int index_state_name(struct checker *c, int i);
int state_index(const struct checker *c, const char *name);
void check_labels(struct checker *c);
/* check_resource.c: a Task's Resource (ARN shape; Express restrictions). */
void check_resource(struct checker *c, const struct asl_json *v);
/* check_warn.c: AWS's warnings (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC)
 * over state i's fields. */
void check_warnings(struct checker *c, int i);
/* check_lint.c: what AWS accepts but is surely a mistake (warnings), over
 * machine m once its graph is known. */
void check_lints(struct checker *c, int m);
/* check_graph.c: reachability and terminal states of machine m; resource
 * list; C names. */
void check_graph(struct checker *c, int m);
/* 0 when a transition of state st is missing or unusable (its graph would be
 * incomplete and graph checks would echo that error). */
int transitions_known(const struct asl_ir_state *st);
int collect_resources(struct asl_ir *ir);
int name_states(struct asl_ir *ir);

#endif
