/*
 * diag.h - compiler diagnostics. Deep code never prints: it appends to a list,
 * checking goes on, and main prints every problem sorted by position as
 *     file:line:col: error[CODE]: /json/pointer: message
 */
#ifndef ASL_DIAG_H
#define ASL_DIAG_H

#include <stdio.h>

enum asl_severity { ASL_ERROR, ASL_WARNING };

struct asl_loc {
	int line, col;                 /* 1-based; 0 = unknown                  */
};

struct asl_diag {
	enum asl_severity sev;
	struct asl_loc loc;
	char *code;                    /* AWS's diagnostic code, e.g. SCHEMA_VALIDATION_FAILED */
	char *pointer;                 /* JSON pointer of the offending value   */
	char *msg;
};

struct asl_diags {
	const char *file;              /* as named on the command line          */
	int n, cap;
	struct asl_diag *v;
	int errors;
};

void asl_diag_add(struct asl_diags *d, enum asl_severity sev, struct asl_loc loc,
		  const char *code, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Sort by position (stable) and print every diagnostic to out. */
void asl_diag_print(struct asl_diags *d, FILE *out);
/* Sort by line and column, stably (diag.c). */
void asl_diag_sort(struct asl_diags *d);
/* Sort, then print d as AWS's ValidateStateMachineDefinition response
 * ({"result", "diagnostics": [{"severity", "code", "message", "location"}],
 * "truncated"}), result "FAIL" when fail is set (diag_json.c). */
void asl_diag_print_json(struct asl_diags *d, FILE *out, int fail);
void asl_diag_free(struct asl_diags *d);

#endif
