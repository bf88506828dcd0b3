/* path.y - JSONPath as ASL uses it (compiler/path.h) into struct aslrt_path.
 * Actions only call the builders of compiler/path.c (compiler/path_build.h);
 * a builder that fails has recorded the error, and the action aborts.
 * Reference-path restrictions are checked by the builders, on the first token
 * of each forbidden construct, so the error points at it. */
%define api.prefix {asl_path_yy}
%define api.pure full
%define api.location.type {struct asl_path_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct asl_path_b *b}

%code requires {
#include "path_build.h"
}
%code provides {
int asl_path_yylex(ASL_PATH_YYSTYPE *lval, ASL_PATH_YYLTYPE *lloc, void *scanner);
}
%code {
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

static void asl_path_yyerror(ASL_PATH_YYLTYPE *loc, void *scanner,
			     struct asl_path_b *b, const char *msg)
{
	(void)scanner;
	asl_path_b_error(b, loc->first, "%s", msg);
}
}

%union {
	char *str;
	long num;
	struct asl_path_opt opt;
	struct aslrt_path *path;
	struct aslrt_seg *seg;
	struct aslrt_filter *filter;
	struct aslrt_tmpl *tmpl;
	enum aslrt_filter_op op;
}

%token T_END 0 "end of path"
%token T_ROOT "'$'" T_CTX "'$$'" T_CUR "'@'"
%token <str> T_VAR "variable"
%token <str> T_DOTNAME "'.name'" T_DESCNAME "'..name'"
%token T_DOTSTAR "'.*'" T_DESCSTAR "'..*'" T_DOT "'.'"
%token T_LBRACK "'['" T_RBRACK "']'"
%token <str> T_STRING "string" T_INT "integer" T_NUMBER "number"
%token T_STAR "'*'" T_COLON "':'" T_COMMA "','" T_QUEST "'?'"
%token T_LPAREN "'('" T_RPAREN "')'" T_NOT "'!'"
%token T_EQ "'=='" T_NE "'!='" T_LT "'<'" T_LE "'<='" T_GT "'>'" T_GE "'>='"
%token T_AND "'&&'" T_OR "'||'"
%token T_TRUE "true" T_FALSE "false" T_NULL "null"
%token T_JUNK "character"

%type <path> path fpath fpath_raw
%type <seg> seg bracket sel strs ints
%type <num> index
%type <opt> opt_index
%type <filter> expr unary cmp
%type <tmpl> const
%type <op> cmpop

%destructor { free($$); } <str>
%destructor { asl_path_free($$); } <path>
%destructor { asl_path_seg_free($$); } <seg>
%destructor { asl_path_filter_free($$); } <filter>
%destructor { asl_path_tmpl_free($$); } <tmpl>

%left T_OR
%left T_AND

%%

start:	  path                  { TRY(asl_path_b_finish(b, $1) == 0); }
	;
path:	  T_ROOT                { TRY($$ = asl_path_b_root(b, ASLRT_ROOT_INPUT)); }
	| T_CTX                 { TRY($$ = asl_path_b_root(b, ASLRT_ROOT_CONTEXT)); }
	| T_VAR                 { TRY($$ = asl_path_b_var(b, $1)); }
	| path seg              { TRY($$ = asl_path_b_append(b, $1, $2)); }
	;
seg:	  T_DOTNAME             { TRY($$ = asl_path_b_field(b, $1)); }
	| T_DOTSTAR             { TRY($$ = asl_path_b_wildcard(b, @1)); }
	| T_DESCNAME            { TRY($$ = asl_path_b_descent(b, $1, @1)); }
	| T_DESCSTAR            { TRY($$ = asl_path_b_descent(b, NULL, @1)); }
	| T_DOT bracket         { $$ = $2; }
	| bracket
	;
bracket:  T_LBRACK sel T_RBRACK { $$ = $2; }
	;
sel:	  strs
	| ints
	| T_STAR                { TRY($$ = asl_path_b_wildcard(b, @1)); }
	| opt_index colon opt_index
		{ TRY($$ = asl_path_b_slice(b, $1, $3, (struct asl_path_opt){0, 0}, @3)); }
	| opt_index colon opt_index colon opt_index
		{ TRY($$ = asl_path_b_slice(b, $1, $3, $5, @5)); }
	| quest T_LPAREN expr T_RPAREN
		{ TRY($$ = asl_path_b_filter(b, $3)); }
	;
strs:	  T_STRING              { TRY($$ = asl_path_b_field(b, $1)); }
	| strs comma T_STRING   { TRY($$ = asl_path_b_names(b, $1, $3)); }
	;
ints:	  index                 { TRY($$ = asl_path_b_index(b, $1, @1)); }
	| ints comma index      { TRY($$ = asl_path_b_indexes(b, $1, $3)); }
	;
index:	  T_INT                 { TRY(asl_path_b_long(b, $1, @1, &$$) == 0); }
	;
opt_index: %empty               { $$ = (struct asl_path_opt){0, 0}; }
	| index                 { $$ = (struct asl_path_opt){$1, 1}; }
	;
colon:	  T_COLON               { TRY(asl_path_b_allow(b, "a slice ':'", @1) == 0); }
	;
comma:	  T_COMMA               { TRY(asl_path_b_allow(b, "a union ','", @1) == 0); }
	;
quest:	  T_QUEST               { TRY(asl_path_b_allow(b, "a filter '?'", @1) == 0); }
	;

expr:	  expr T_OR expr        { TRY($$ = asl_path_b_logic(b, ASLRT_F_OR, $1, $3)); }
	| expr T_AND expr       { TRY($$ = asl_path_b_logic(b, ASLRT_F_AND, $1, $3)); }
	| unary
	;
unary:	  T_NOT unary           { TRY($$ = asl_path_b_logic(b, ASLRT_F_NOT, $2, NULL)); }
	| T_LPAREN expr T_RPAREN { $$ = $2; }
	| cmp
	;
cmp:	  fpath                 { TRY($$ = asl_path_b_cmp(b, ASLRT_F_EXISTS, $1, NULL, NULL, 0)); }
	| fpath cmpop fpath     { TRY($$ = asl_path_b_cmp(b, $2, $1, $3, NULL, 0)); }
	| fpath cmpop const     { TRY($$ = asl_path_b_cmp(b, $2, $1, NULL, $3, 0)); }
	| const cmpop fpath     { TRY($$ = asl_path_b_cmp(b, $2, $3, NULL, $1, 1)); }
	;
cmpop:	  T_EQ                  { $$ = ASLRT_F_EQ; }
	| T_NE                  { $$ = ASLRT_F_NE; }
	| T_LT                  { $$ = ASLRT_F_LT; }
	| T_LE                  { $$ = ASLRT_F_LE; }
	| T_GT                  { $$ = ASLRT_F_GT; }
	| T_GE                  { $$ = ASLRT_F_GE; }
	;
fpath:	  fpath_raw             { TRY($$ = asl_path_b_seal(b, $1, @1)); }
	;
fpath_raw: T_CUR                { TRY($$ = asl_path_b_root(b, ASLRT_ROOT_CURRENT)); }
	| T_ROOT                { TRY($$ = asl_path_b_root(b, ASLRT_ROOT_INPUT)); }
	| T_CTX                 { TRY($$ = asl_path_b_root(b, ASLRT_ROOT_CONTEXT)); }
	| T_VAR                 { TRY($$ = asl_path_b_var(b, $1)); }
	| fpath_raw seg         { TRY($$ = asl_path_b_append(b, $1, $2)); }
	;
const:	  T_STRING              { TRY($$ = asl_path_b_const_str(b, $1)); }
	| T_INT                 { TRY($$ = asl_path_b_const_num(b, $1, @1)); }
	| T_NUMBER              { TRY($$ = asl_path_b_const_num(b, $1, @1)); }
	| T_TRUE                { TRY($$ = asl_path_b_const_kw(b, ASLRT_T_TRUE)); }
	| T_FALSE               { TRY($$ = asl_path_b_const_kw(b, ASLRT_T_FALSE)); }
	| T_NULL                { TRY($$ = asl_path_b_const_kw(b, ASLRT_T_NULL)); }
	;

%%

/* The name a token is listed under in "expected ..." (the several tokens
 * that start with '.' or '..' read as one). */
static const char *expected_name(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_T_DOTNAME:
	case YYSYMBOL_T_DOTSTAR:
	case YYSYMBOL_T_DOT:
		return "'.'";
	case YYSYMBOL_T_DESCNAME:
	case YYSYMBOL_T_DESCSTAR:
		return "'..'";
	default:
		return yysymbol_name(k);
	}
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner,
				 struct asl_path_b *b)
{
	(void)scanner;
	yysymbol_kind_t exp[YYNTOKENS];
	const char *names[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	for (int i = 0; i < n; i++)
		names[i] = expected_name(exp[i]);
	asl_path_b_syntax(b, *yypcontext_location(ctx),
			  yypcontext_token(ctx) == YYSYMBOL_YYEOF, names, n > 0 ? n : 0);
	return 0;
}

int asl_path_yylex_init_extra(struct asl_path_b *extra, void **scanner);
int asl_path_yylex_destroy(void *scanner);
void *asl_path_yy_scan_bytes(const char *bytes, int len, void *scanner);

int asl_path_run_parser(struct asl_path_b *b)
{
	size_t len = strlen(b->text);
	void *scanner;
	if (len > INT_MAX || asl_path_yylex_init_extra(b, &scanner))
		return -1;
	int rc = -1;
	if (asl_path_yy_scan_bytes(b->text, (int)len, scanner))
		rc = asl_path_yyparse(scanner, b);
	asl_path_yylex_destroy(scanner);
	return rc;
}
