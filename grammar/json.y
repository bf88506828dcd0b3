/* json.y - JSON (RFC 8259) into struct asl_json trees with source positions.
 * Actions only call the builders of compiler/load.c. */
%define api.prefix {asl_json_yy}
%define api.pure full
%define parse.error verbose
%locations
%expect 0
%param {void *scanner}
%parse-param {struct asl_json_parse *ctx}

%code requires {
#include "load.h"
}
%code provides {
int asl_json_yylex(ASL_JSON_YYSTYPE *lval, ASL_JSON_YYLTYPE *lloc, void *scanner);
int asl_json_parse_text(const char *text, size_t len, struct asl_json_parse *ctx);
}
%code {
static void asl_json_yyerror(ASL_JSON_YYLTYPE *loc, void *scanner,
			     struct asl_json_parse *ctx, const char *msg)
{
	(void)scanner;
	asl_json_syntax_error(ctx, loc->first_line, loc->first_column, msg);
}
}

%union { struct asl_json *node; }
%token <node> LITERAL "value" STRING "string"
%token BAD_STRING "malformed string" BAD_CHAR "invalid character"
%token TOO_DEEP "nesting too deep"      /* reported by asl_json_enter() */
%type <node> value object members array elements
%destructor { asl_json_free($$); } <node>

%%
document: value             { ctx->root = $1; }
	;
value:	  LITERAL | STRING | object | array
	;
object:	  '{' '}'           { $$ = asl_json_new(ASL_J_OBJECT, @1.first_line, @1.first_column); }
	| '{' members '}'   { $$ = $2; $$->loc.line = @1.first_line; $$->loc.col = @1.first_column; }
	;
members:  STRING ':' value  { $$ = asl_json_add(asl_json_new(ASL_J_OBJECT, @1.first_line, @1.first_column), $1, $3, ctx); if (!$$) YYNOMEM; }
	| members ',' STRING ':' value { $$ = asl_json_add($1, $3, $5, ctx); if (!$$) YYNOMEM; }
	;
array:	  '[' ']'           { $$ = asl_json_new(ASL_J_ARRAY, @1.first_line, @1.first_column); }
	| '[' elements ']'  { $$ = $2; $$->loc.line = @1.first_line; $$->loc.col = @1.first_column; }
	;
elements: value             { $$ = asl_json_push(asl_json_new(ASL_J_ARRAY, @1.first_line, @1.first_column), $1); if (!$$) YYNOMEM; }
	| elements ',' value { $$ = asl_json_push($1, $3); if (!$$) YYNOMEM; }
	;
%%

int asl_json_yylex_init_extra(struct asl_json_parse *extra, void **scanner);
int asl_json_yylex_destroy(void *scanner);
void *asl_json_yy_scan_bytes(const char *bytes, int len, void *scanner);

/* Glue: run the parser over text. Returns 0 when ctx->root holds the tree. */
int asl_json_parse_text(const char *text, size_t len, struct asl_json_parse *ctx)
{
	void *scanner;
	if (len > 0x7fffffff || asl_json_yylex_init_extra(ctx, &scanner))
		return -1;
	asl_json_yy_scan_bytes(text, (int)len, scanner);
	int rc = asl_json_yyparse(scanner, ctx);
	asl_json_yylex_destroy(scanner);
	return rc;
}
