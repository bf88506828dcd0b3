/* jsonata.y - JSONata 2.0.6 expressions (compiler/jsonata.h) into the raw
 * tree the reference implementation's Pratt parser builds. Actions only
 * call the builders of compiler/jsonata_build.c; a builder that fails has
 * recorded the error, and the action aborts.
 *
 * The reference parser is a Pratt parser; its binding powers become bison
 * precedences (parser.js `operators`):
 *     :=  10 (right)    ?  20          or  25        and  30
 *     =  !=  <  <=  >  >=  in  ~>  ^( )  ?:  ??       40
 *     +  -  &  50       *  /  %  60    {  70 (group-by; unary minus binds
 *     its operand at 70)               .  75         [  (  @  #  80
 * Two Pratt details need care:
 *   - the branches of `c ? a : b` are parsed at binding power 0, so they
 *     extend as far as possible: the ':' rule has the lowest precedence (and
 *     so has `c ? a` without an else), which makes every operator shift into
 *     the branch;
 *   - `..` is no operator: only an array constructor's item may be a range.
 * `?:` and `??` (JSONata 2.1, which Step Functions' docs show) take their
 * left operand like the comparisons (40) and their right one like the
 * branches of `?`.
 * The right operand of `@` and `#` is parsed at power 80, i.e. it is a
 * single primary; that it is a variable is checked by the builder (S0214).
 * Tokens that start operands (names, `(`, `[`, ...) never continue one, so
 * prefix and infix uses of `-`, `*`, `%`, `[`, `{`, `(` do not conflict. */
%define api.prefix {asl_jn_yy}
%define api.pure full
%define api.location.type {struct asl_jn_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct asl_jn_b *b}

%code requires {
#include "jsonata_build.h"
}
%code provides {
int asl_jn_yylex(ASL_JN_YYSTYPE *lval, ASL_JN_YYLTYPE *lloc, void *scanner);
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

/* A builder returned NULL: its error is recorded. */
#define TRY(e) do { if (!(e)) YYABORT; } while (0)

static void asl_jn_yyerror(ASL_JN_YYLTYPE *loc, void *scanner, struct asl_jn_b *b,
			   const char *msg)
{
	(void)scanner;
	asl_jnb_error(b, "S0201", loc->first, "%s", msg);
}
}

%union {
	struct asl_jnb_node *node;
}

%token T_END 0 "end of expression"
%token <node> T_NAME "name" T_VAR "variable" T_STRING "string" T_NUMBER "number"
%token <node> T_REGEX "regex" T_RPAREN_SIG "')' with a signature"
%token T_TRUE "true" T_FALSE "false" T_NULL "null"
%token T_LAMBDA "function"
%token T_DOT "'.'" T_LBRACK "'['" T_RBRACK "']'" T_LBRACE "'{'" T_RBRACE "'}'"
%token T_LPAREN "'('" T_RPAREN "')'" T_COMMA "','" T_AT "'@'" T_HASH "'#'"
%token T_SEMI "';'" T_COLON "':'" T_QUEST "'?'" T_PLUS "'+'" T_MINUS "'-'"
%token T_STAR "'*'" T_SLASH "'/'" T_PERCENT "'%'" T_PIPE "'|'" T_EQ "'='"
%token T_LT "'<'" T_GT "'>'" T_CARET "'^'" T_AMP "'&'"
%token T_DOTDOT "'..'" T_ASSIGN "':='" T_NE "'!='" T_LE "'<='" T_GE "'>='"
%token T_STARSTAR "'**'" T_APPLY "'~>'" T_ELVIS "'?:'" T_COALESCE "'??'"
%token T_AND "'and'" T_OR "'or'" T_IN "'in'"

%type <node> expr primary lambda params paramlist block stmts items itemlist item
%type <node> pairs pairlist
%type <node> args arglist arg terms term

/* Every node belongs to the parse state's pool (jsonata_build.h), which
 * frees them all after the parse, aborted or not: values popped on error
 * need no freeing of their own. */
%destructor { (void)$$; } <node>

%right T_COLON
%right T_ASSIGN
%precedence T_QUEST
%left T_OR
%left T_AND
%left T_EQ T_NE T_LT T_LE T_GT T_GE T_IN T_APPLY T_CARET T_ELVIS T_COALESCE
%left T_PLUS T_MINUS T_AMP
%left T_STAR T_SLASH T_PERCENT
%left T_LBRACE UMINUS
%left T_DOT
%precedence T_LBRACK T_LPAREN T_AT T_HASH

%%

start:	  expr                  { b->result = $1; }
	;

expr:	  primary
	| expr T_DOT expr       { TRY($$ = asl_jnb_binary(b, ".", $1, $3, @2.first)); }
	| expr T_PLUS expr      { TRY($$ = asl_jnb_binary(b, "+", $1, $3, @2.first)); }
	| expr T_MINUS expr     { TRY($$ = asl_jnb_binary(b, "-", $1, $3, @2.first)); }
	| expr T_AMP expr       { TRY($$ = asl_jnb_binary(b, "&", $1, $3, @2.first)); }
	| expr T_STAR expr      { TRY($$ = asl_jnb_binary(b, "*", $1, $3, @2.first)); }
	| expr T_SLASH expr     { TRY($$ = asl_jnb_binary(b, "/", $1, $3, @2.first)); }
	| expr T_PERCENT expr   { TRY($$ = asl_jnb_binary(b, "%", $1, $3, @2.first)); }
	| expr T_EQ expr        { TRY($$ = asl_jnb_binary(b, "=", $1, $3, @2.first)); }
	| expr T_NE expr        { TRY($$ = asl_jnb_binary(b, "!=", $1, $3, @2.first)); }
	| expr T_LT expr        { TRY($$ = asl_jnb_binary(b, "<", $1, $3, @2.first)); }
	| expr T_LE expr        { TRY($$ = asl_jnb_binary(b, "<=", $1, $3, @2.first)); }
	| expr T_GT expr        { TRY($$ = asl_jnb_binary(b, ">", $1, $3, @2.first)); }
	| expr T_GE expr        { TRY($$ = asl_jnb_binary(b, ">=", $1, $3, @2.first)); }
	| expr T_IN expr        { TRY($$ = asl_jnb_binary(b, "in", $1, $3, @2.first)); }
	| expr T_AND expr       { TRY($$ = asl_jnb_binary(b, "and", $1, $3, @2.first)); }
	| expr T_OR expr        { TRY($$ = asl_jnb_binary(b, "or", $1, $3, @2.first)); }
	| expr T_APPLY expr     { TRY($$ = asl_jnb_binary(b, "~>", $1, $3, @2.first)); }
	| expr T_ELVIS expr %prec T_COLON
				{ TRY($$ = asl_jnb_binary(b, "?:", $1, $3, @2.first)); }
	| expr T_COALESCE expr %prec T_COLON
				{ TRY($$ = asl_jnb_binary(b, "??", $1, $3, @2.first)); }
	| expr T_ASSIGN { TRY(asl_jnb_bind_check(b, $1) == 0); } expr
				{ TRY($$ = asl_jnb_bind(b, $1, $4, @2.first)); }
	| expr T_QUEST expr %prec T_COLON
				{ TRY($$ = asl_jnb_condition(b, $1, $3, NULL, @2.first)); }
	| expr T_QUEST expr T_COLON expr
				{ TRY($$ = asl_jnb_condition(b, $1, $3, $5, @2.first)); }
	| expr T_LBRACK expr T_RBRACK
				{ TRY($$ = asl_jnb_filter(b, $1, $3, @2.first)); }
	| expr T_LBRACK T_RBRACK
				{ TRY($$ = asl_jnb_keep_array(b, $1)); }
	| expr T_LBRACE pairs T_RBRACE
				{ TRY($$ = asl_jnb_object(b, $1, $3, @2.first)); }
	| expr T_LPAREN args T_RPAREN
				{ TRY($$ = asl_jnb_call(b, $1, $3, @2.first)); }
	| expr T_AT primary     { TRY($$ = asl_jnb_focus(b, "@", $1, $3, @2.first)); }
	| expr T_HASH primary   { TRY($$ = asl_jnb_focus(b, "#", $1, $3, @2.first)); }
	| expr T_CARET T_LPAREN terms T_RPAREN
				{ TRY($$ = asl_jnb_sort(b, $1, $4, @2.first)); }
	| T_MINUS expr %prec UMINUS
				{ TRY($$ = asl_jnb_negate(b, $2, @1.first)); }
	;

primary:  T_NAME
	| T_VAR
	| T_STRING
	| T_NUMBER
	| T_REGEX
	| T_AND                 { TRY($$ = asl_jnb_operator(b, "and", @1.first)); }
	| T_OR                  { TRY($$ = asl_jnb_operator(b, "or", @1.first)); }
	| T_IN                  { TRY($$ = asl_jnb_operator(b, "in", @1.first)); }
	| T_TRUE                { TRY($$ = asl_jnb_value(b, 1, @1.first)); }
	| T_FALSE               { TRY($$ = asl_jnb_value(b, 0, @1.first)); }
	| T_NULL                { TRY($$ = asl_jnb_value(b, 2, @1.first)); }
	| T_STAR                { TRY($$ = asl_jnb_new(b, JB_WILDCARD, "*", @1.first)); }
	| T_STARSTAR            { TRY($$ = asl_jnb_new(b, JB_DESCENDANT, "**", @1.first)); }
	| T_PERCENT             { TRY($$ = asl_jnb_new(b, JB_PARENT, "%", @1.first)); }
	| T_LPAREN block T_RPAREN { $$ = $2; }
	| T_LBRACK items T_RBRACK { $$ = $2; }
	| T_LBRACE pairs T_RBRACE
				{ TRY($$ = asl_jnb_object(b, NULL, $2, @1.first)); }
	| T_PIPE expr T_PIPE expr T_PIPE
				{ TRY($$ = asl_jnb_transform(b, $2, $4, NULL, @1.first)); }
	| T_PIPE expr T_PIPE expr T_COMMA expr T_PIPE
				{ TRY($$ = asl_jnb_transform(b, $2, $4, $6, @1.first)); }
	| lambda
	;

lambda:	  T_LAMBDA params T_RPAREN T_LBRACE expr T_RBRACE
				{ TRY($$ = asl_jnb_lambda(b, $2, NULL, 0, 0, $5, @1.first)); }
	| T_LAMBDA params T_RPAREN_SIG T_LBRACE expr T_RBRACE
				{ TRY($$ = asl_jnb_lambda(b, $2, $3->str, $3->len, $3->pos, $5,
							  @1.first)); }
	;
params:	  %empty                { TRY($$ = asl_jnb_args(b, NULL, @$.first)); }
	| paramlist
	;
paramlist: T_VAR                { TRY($$ = asl_jnb_args(b, $1, @1.first)); }
	| paramlist T_COMMA T_VAR { TRY($$ = asl_jnb_append(b, $1, $3)); }
	;

/* ( a; b; c ) : a block; the last `;` may be left dangling */
block:	  %empty                { TRY($$ = asl_jnb_block(b, NULL, @$.first)); }
	| stmts
	| stmts T_SEMI
	;
stmts:	  expr                  { TRY($$ = asl_jnb_block(b, $1, @1.first)); }
	| stmts T_SEMI expr     { TRY($$ = asl_jnb_append(b, $1, $3)); }
	;

items:	  %empty                { TRY($$ = asl_jnb_array(b, NULL, @$.first)); }
	| itemlist
	;
itemlist: item                  { TRY($$ = asl_jnb_array(b, $1, @1.first)); }
	| itemlist T_COMMA item { TRY($$ = asl_jnb_append(b, $1, $3)); }
	;
item:	  expr
	| expr T_DOTDOT expr    { TRY($$ = asl_jnb_range(b, $1, $3, @2.first)); }
	;

/* object pairs travel in an OBJECT carrier that asl_jnb_object takes over */
pairs:	  %empty                { TRY($$ = asl_jnb_object(b, NULL, NULL, @$.first)); }
	| pairlist
	;
pairlist: expr T_COLON expr     { TRY($$ = asl_jnb_pairs(b, $1, $3, @1.first)); }
	| pairlist T_COMMA expr T_COLON expr
				{ $$ = $1; TRY(asl_jnb_pair(b, $$, $3, $5) == 0); }
	;

args:	  %empty                { TRY($$ = asl_jnb_args(b, NULL, @$.first)); }
	| arglist
	;
arglist:  arg                   { TRY($$ = asl_jnb_args(b, $1, @1.first)); }
	| arglist T_COMMA arg   { TRY($$ = asl_jnb_append(b, $1, $3)); }
	;
arg:	  expr
	| T_QUEST               { TRY($$ = asl_jnb_operator(b, "?", @1.first)); }
	;

terms:	  term                  { TRY($$ = asl_jnb_args(b, $1, @1.first)); }
	| terms T_COMMA term    { TRY($$ = asl_jnb_append(b, $1, $3)); }
	;
term:	  expr                  { TRY($$ = asl_jnb_sort_term(b, $1, 0)); }
	| T_LT expr             { TRY($$ = asl_jnb_sort_term(b, $2, 0)); }
	| T_GT expr             { TRY($$ = asl_jnb_sort_term(b, $2, 1)); }
	;

%%

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, struct asl_jn_b *b)
{
	(void)scanner;
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	int want_operand = 0, end_ok = 0;
	int after_focus = b->prev_tok == T_AT || b->prev_tok == T_HASH;
	const char *first = NULL;
	for (int i = 0; i < n; i++) {
		if (exp[i] == YYSYMBOL_T_NAME)
			want_operand = 1;
		if (exp[i] == YYSYMBOL_YYEOF)
			end_ok = 1;
		if (!first)
			first = yysymbol_name(exp[i]);
	}
	/* a closing bracket is what the reference reports as expected */
	for (int i = 0; i < n; i++)
		if (exp[i] == YYSYMBOL_T_RPAREN || exp[i] == YYSYMBOL_T_RBRACK ||
		    exp[i] == YYSYMBOL_T_RBRACE || exp[i] == YYSYMBOL_T_COLON)
			first = yysymbol_name(exp[i]);
	asl_jnb_syntax(b, *yypcontext_location(ctx), yypcontext_token(ctx) == YYSYMBOL_YYEOF,
		  want_operand, end_ok, after_focus, first);
	return 0;
}

int asl_jn_yylex_init_extra(struct asl_jn_b *extra, void **scanner);
int asl_jn_yylex_destroy(void *scanner);
void *asl_jn_yy_scan_bytes(const char *bytes, int len, void *scanner);

int asl_jn_run_parser(struct asl_jn_b *b)
{
	void *scanner;
	if (b->len > INT_MAX || asl_jn_yylex_init_extra(b, &scanner))
		return -1;
	int rc = -1;
	if (asl_jn_yy_scan_bytes(b->text, (int)b->len, scanner))
		rc = asl_jn_yyparse(scanner, b);
	asl_jn_yylex_destroy(scanner);
	return rc;
}
