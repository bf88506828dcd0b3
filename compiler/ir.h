/*
 * ir.h - the checked state machine, ready to emit. Its states are the very
 * struct aslrt_state the runtime reads, built on the heap (in an arena) so that
 * emit_c only has to write them out as static data.
 */
#ifndef ASL_IR_H
#define ASL_IR_H

#include <stddef.h>
#include "aslrt.h"
#include "diag.h"
#include "load.h"

/* Owns every allocation of an IR: memory blocks, parsed paths and intrinsic
 * calls. */
struct asl_arena {
	struct asl_arena_block *blocks;
	struct aslrt_path **paths;
	int npaths, cap;
	struct aslrt_call **calls;
	int ncalls, callcap;
};

/* Zeroed memory that lives until asl_arena_free; NULL when out of memory. */
void *asl_arena_alloc(struct asl_arena *a, size_t n);
/* Take ownership of a path from asl_path_parse; returns it (NULL stays NULL). */
struct aslrt_path *asl_arena_keep_path(struct asl_arena *a, struct aslrt_path *p);
/* Take ownership of a call from asl_intrinsic_parse; returns it (NULL stays
 * NULL; on out of memory the call is freed and NULL returned). */
struct aslrt_call *asl_arena_keep_call(struct asl_arena *a, struct aslrt_call *c);
void asl_arena_free(struct asl_arena *a);

/* A Choice rule: a data test (LEAF), or a boolean combination. */
enum asl_rule_kind { ASL_RULE_LEAF, ASL_RULE_AND, ASL_RULE_OR, ASL_RULE_NOT };

struct asl_rule {
	enum asl_rule_kind kind;
	struct aslrt_cond cond;        /* LEAF                                  */
	int n;                         /* AND/OR: operands; NOT: 1              */
	struct asl_rule *kids;
	int next;                      /* top-level rules: target state index   */
	const struct aslrt_tmpl *assign; /* top-level rules: Assign, or NULL    */
	const struct aslrt_tmpl *condition; /* JSONata rules: Condition         */
	const struct aslrt_tmpl *output; /* JSONata rules: Output, or NULL     */
};

struct asl_ir_state {
	struct aslrt_state s;          /* what the runtime gets                 */
	int machine;                   /* index into asl_ir.machines            */
	int nsub;                      /* Parallel branches / Map processor     */
	int *sub;                      /* their machine indexes                 */
	struct asl_loc loc;            /* where the state's name stands          */
	const struct asl_json *node;
	char *cname;                   /* unique C identifier fragment          */
	int nrules;                    /* Choice                                */
	struct asl_rule *rules;
	unsigned char jsonata;         /* QueryLanguage JSONata (check_jsonata.c) */
};

/* A machine: the definition itself (index 0) or a nested one (a Parallel
 * branch, a Map's ItemProcessor). Its states are contiguous in states[]. */
struct asl_ir_machine {
	int first, n;                  /* its states: states[first .. first+n)  */
	int start;                     /* StartAt (global index), -1 if unknown */
	int owner;                     /* the Parallel/Map state, -1 for top    */
	const struct asl_json *node;
	const char *pointer;           /* JSON pointer of the machine object    */
};

struct asl_ir {
	struct asl_arena arena;
	const struct aslrt_jn_expr **jn; /* parsed JSONata expressions (owned,  */
	int njn;                       /* freed by asl_ir_free)                 */
	const char *file;              /* definition path as given              */
	const char *name;              /* machine name                          */
	char *cname;                   /* machine name as a C identifier        */
	const char *comment;
	int nstates;
	struct asl_ir_state *states;   /* every machine's, each contiguous      */
	int nmachines;
	struct asl_ir_machine *machines;
	int start;
	int nresources;
	const char **resources;        /* sorted, distinct                      */
	int express;
	double timeout_s;              /* top-level TimeoutSeconds, 0 = none    */
};

/* Check the definition tree (every problem goes to d) and, when there is no
 * error, fill ir. Returns 0 when ir is ready to emit. ir->file, ->name and
 * ->express must be set by the caller; the tree must outlive ir. */
int asl_check(const struct asl_json *def, struct asl_ir *ir, struct asl_diags *d);
void asl_ir_free(struct asl_ir *ir);
/* STATE_MACHINE_NAME_EMPTY, _TOO_LONG or _INVALID (AWS's rules for state
 * machine names) for name, added to d (check_names.c). */
void asl_check_machine_name(const char *name, struct asl_diags *d);

/* Write ir as C (emit_c.c); with_main adds main() -> aslrt_main. */
void asl_emit_c(FILE *out, const struct asl_ir *ir, int with_main);
/* The same with the machine's drawing: svg (borrowed; NULL: none) becomes
 * the machine's graph_svg (aslrt.h), written as static text. */
void asl_emit_c_graph(FILE *out, const struct asl_ir *ir, int with_main, const char *svg);
/* Write ir as a Graphviz digraph (emit_dot.c). */
void asl_emit_dot(FILE *out, const struct asl_ir *ir);

/* A C identifier fragment for s: [A-Za-z0-9_] kept, everything else '_',
 * a leading digit prefixed with '_'. Returns new memory (free()). */
char *asl_mangle(const char *s);

#endif
