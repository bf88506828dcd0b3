/* intrinsic.y - intrinsic function calls (compiler/intrinsic.h) into struct
 * aslrt_call. Actions only call the builders of compiler/intrinsic.c
 * (compiler/intrinsic_build.h); a builder that fails has recorded the error,
 * and the action aborts. Arity, types and values are checked by
 * asl_intr_b_call once a call's arguments are known. */
%define api.prefix {asl_intr_yy}
%define api.pure full
%define api.location.type {struct asl_intr_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct asl_intr_b *b}

%code requires {
#include "intrinsic_build.h"
}
%code provides {
int asl_intr_yylex(ASL_INTR_YYSTYPE *lval, ASL_INTR_YYLTYPE *lloc, void *scanner);
}
%code {
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

/* Locations are byte ranges; an empty rule sits where the previous one ended. */
#define YYLLOC_DEFAULT(cur, rhs, n)                                    \
	do {                                                           \
		if (n) {                                               \
			(cur).first = YYRHSLOC(rhs, 1).first;          \
			(cur).last = YYRHSLOC(rhs, n).last;            \
		} else {                                               \
			(cur).first = (cur).last = YYRHSLOC(rhs, 0).last; \
		}                                                      \
	} while (0)

/* A builder returned NULL (or non-zero): its error is recorded. */
#define TRY(e) do { if (!(e)) YYABORT; } while (0)

static void asl_intr_yyerror(ASL_INTR_YYLTYPE *loc, void *scanner,
			     struct asl_intr_b *b, const char *msg)
{
	(void)scanner;
	asl_intr_b_error(b, loc->first, "%s", msg);
}
}

%union {
	char *str;
	double num;
	int fn;
	struct aslrt_path *path;
	struct aslrt_call *call;
	struct asl_intr_arg *arg;
	struct asl_intr_args *args;
}

%token T_END 0 "end of input"
%token <fn> T_FNAME "function name"
%token T_LPAREN "'('" T_RPAREN "')'" T_COMMA "','"
%token <str> T_STRING "string"
%token <num> T_NUMBER "number"
%token <path> T_PATH "path"
%token T_TRUE "true" T_FALSE "false" T_NULL "null"
%token T_JUNK "character"

%type <call> call
%type <arg> arg
%type <args> args opt_args

%destructor { free($$); } <str>
%destructor { asl_path_free($$); } <path>
%destructor { asl_intrinsic_free($$); } <call>
%destructor { asl_intr_arg_free($$); } <arg>
%destructor { asl_intr_args_free($$); } <args>

%%

start:	  call                  { TRY(asl_intr_b_finish(b, $1) == 0); }
	;
call:	  T_FNAME               { TRY(asl_intr_b_enter(b, $1, @1) == 0); }
	  T_LPAREN opt_args T_RPAREN
		{ TRY($$ = asl_intr_b_call(b, $1, @1, $4, @$)); }
	;
opt_args: %empty                { $$ = NULL; }
	| args
	;
args:	  arg                   { TRY($$ = asl_intr_b_append(b, NULL, $1)); }
	| args T_COMMA arg      { TRY($$ = asl_intr_b_append(b, $1, $3)); }
	;
arg:	  T_STRING              { TRY($$ = asl_intr_b_lit_string(b, $1, @1)); }
	| T_NUMBER              { TRY($$ = asl_intr_b_lit_number(b, $1, @1)); }
	| T_TRUE                { TRY($$ = asl_intr_b_lit_kw(b, ASLRT_T_TRUE, @1)); }
	| T_FALSE               { TRY($$ = asl_intr_b_lit_kw(b, ASLRT_T_FALSE, @1)); }
	| T_NULL                { TRY($$ = asl_intr_b_lit_kw(b, ASLRT_T_NULL, @1)); }
	| T_PATH                { TRY($$ = asl_intr_b_arg_path(b, $1, @1)); }
	| call                  { TRY($$ = asl_intr_b_arg_call(b, $1, @1)); }
	;

%%

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner,
				 struct asl_intr_b *b)
{
	(void)scanner;
	yysymbol_kind_t exp[YYNTOKENS];
	const char *names[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	for (int i = 0; i < n; i++)
		names[i] = yysymbol_name(exp[i]);
	asl_intr_b_syntax(b, *yypcontext_location(ctx),
			  yypcontext_token(ctx) == YYSYMBOL_YYEOF, names, n > 0 ? n : 0);
	return 0;
}

int asl_intr_yylex_init_extra(struct asl_intr_b *extra, void **scanner);
int asl_intr_yylex_destroy(void *scanner);
void *asl_intr_yy_scan_bytes(const char *bytes, int len, void *scanner);

int asl_intr_run_parser(struct asl_intr_b *b)
{
	size_t len = strlen(b->text);
	void *scanner;
	if (len > INT_MAX || asl_intr_yylex_init_extra(b, &scanner))
		return -1;
	int rc = -1;
	if (asl_intr_yy_scan_bytes(b->text, (int)len, scanner))
		rc = asl_intr_yyparse(scanner, b);
	asl_intr_yylex_destroy(scanner);
	return rc;
}
