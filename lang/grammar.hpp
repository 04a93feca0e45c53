// The grammar of Zhiping policy files, free of semantics: one named struct per rule, keywords in
// English and Chinese, and commit points (`must<>`) whose messages live in one table (parser.cpp).
// The parser keeps a parse tree of the selected rules and turns it into the AST.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace zhiping::grammar {
using namespace tao::pegtl;

// ---- Lexical structure --------------------------------------------------------------------------

// Comments run to the end of the line; `#` is accepted too because policy staff know it from YAML.
struct line_comment : seq<sor<two<'/'>, one<'#'>>, until<eolf>> {};
// The ideographic space U+3000 is white space, since Chinese input methods type it.
struct fullwidth_space : utf8::one<0x3000> {};
struct sep : star<sor<ascii::space, fullwidth_space, line_comment>> {};

// Identifiers may be Chinese: letters of most scripts, excluding the CJK and full-width punctuation
// blocks (U+3000–303F, U+FF00–FFEF), so that `，` or `“` never become part of a name.
struct ident_first
    : sor<ascii::alpha, one<'_'>,
          utf8::ranges<0xC0, 0x2FF, 0x370, 0x1FFF, 0x3040, 0x9FFF, 0xAC00, 0xD7AF, 0xF900, 0xFAFF, 0x20000, 0x2FFFF>> {};
struct ident_rest : sor<ident_first, ascii::digit> {};

// A keyword is a whole word: `rule` is not the start of `ruler`, and `当` is not the start of `当年`.
template <typename... Spellings>
struct kw : seq<sor<Spellings...>, not_at<ident_rest>> {};

// clang-format off
struct kw_subject : kw<TAO_PEGTL_STRING("subject"), TAO_PEGTL_STRING("主体")> {};
struct kw_import : kw<TAO_PEGTL_STRING("import"), TAO_PEGTL_STRING("引用")> {};
struct kw_type : kw<TAO_PEGTL_STRING("type"), TAO_PEGTL_STRING("类型")> {};
struct kw_input : kw<TAO_PEGTL_STRING("input"), TAO_PEGTL_STRING("输入")> {};
struct kw_let : kw<TAO_PEGTL_STRING("let"), TAO_PEGTL_STRING("令")> {};
struct kw_fn : kw<TAO_PEGTL_STRING("fn"), TAO_PEGTL_STRING("函数")> {};
struct kw_decision : kw<TAO_PEGTL_STRING("decision"), TAO_PEGTL_STRING("决策")> {};
struct kw_hit : kw<TAO_PEGTL_STRING("hit"), TAO_PEGTL_STRING("命中")> {};
struct kw_first : kw<TAO_PEGTL_STRING("first"), TAO_PEGTL_STRING("首个")> {};
struct kw_unique : kw<TAO_PEGTL_STRING("unique"), TAO_PEGTL_STRING("唯一")> {};
struct kw_table : kw<TAO_PEGTL_STRING("table"), TAO_PEGTL_STRING("表")> {};
struct kw_calendar : kw<TAO_PEGTL_STRING("calendar"), TAO_PEGTL_STRING("日历")> {};
struct kw_years : kw<TAO_PEGTL_STRING("years"), TAO_PEGTL_STRING("年份")> {};
struct kw_off : kw<TAO_PEGTL_STRING("off"), TAO_PEGTL_STRING("休")> {};
struct kw_work : kw<TAO_PEGTL_STRING("work"), TAO_PEGTL_STRING("班")> {};
struct kw_output : kw<TAO_PEGTL_STRING("output"), TAO_PEGTL_STRING("输出")> {};
struct kw_rule : kw<TAO_PEGTL_STRING("rule"), TAO_PEGTL_STRING("规则")> {};
struct kw_severity : kw<TAO_PEGTL_STRING("severity"), TAO_PEGTL_STRING("级别")> {};
struct kw_error : kw<TAO_PEGTL_STRING("error"), TAO_PEGTL_STRING("错误")> {};
struct kw_warning : kw<TAO_PEGTL_STRING("warning"), TAO_PEGTL_STRING("警告")> {};
struct kw_info : kw<TAO_PEGTL_STRING("info"), TAO_PEGTL_STRING("提示")> {};
struct kw_cite : kw<TAO_PEGTL_STRING("cite"), TAO_PEGTL_STRING("依据")> {};
struct kw_foreach : sor<seq<kw<TAO_PEGTL_STRING("for")>, sep, kw<TAO_PEGTL_STRING("each")>>, kw<TAO_PEGTL_STRING("对每个")>> {};
struct kw_in_list : kw<TAO_PEGTL_STRING("in"), TAO_PEGTL_STRING("属于")> {};
struct kw_when : kw<TAO_PEGTL_STRING("when"), TAO_PEGTL_STRING("当")> {};
struct kw_message : kw<TAO_PEGTL_STRING("message"), TAO_PEGTL_STRING("消息")> {};
struct kw_item : kw<TAO_PEGTL_STRING("item"), TAO_PEGTL_STRING("条目")> {};
struct kw_test : kw<TAO_PEGTL_STRING("test"), TAO_PEGTL_STRING("测试")> {};
struct kw_with : kw<TAO_PEGTL_STRING("with"), TAO_PEGTL_STRING("合并")> {};
struct kw_expect : kw<TAO_PEGTL_STRING("expect"), TAO_PEGTL_STRING("期望")> {};
struct kw_no : kw<TAO_PEGTL_STRING("no"), TAO_PEGTL_STRING("无")> {};
struct kw_only : kw<TAO_PEGTL_STRING("only"), TAO_PEGTL_STRING("仅")> {};
struct kw_decision_word : kw<TAO_PEGTL_STRING("decision"), TAO_PEGTL_STRING("结论")> {};
struct kw_pass : kw<TAO_PEGTL_STRING("pass"), TAO_PEGTL_STRING("通过")> {};
struct kw_fail : kw<TAO_PEGTL_STRING("fail"), TAO_PEGTL_STRING("不通过")> {};
struct kw_list : kw<TAO_PEGTL_STRING("list"), TAO_PEGTL_STRING("列表")> {};
struct kw_map : kw<TAO_PEGTL_STRING("map"), TAO_PEGTL_STRING("映射")> {};
struct kw_true : kw<TAO_PEGTL_STRING("true"), TAO_PEGTL_STRING("真")> {};
struct kw_false : kw<TAO_PEGTL_STRING("false"), TAO_PEGTL_STRING("假")> {};
struct kw_null : kw<TAO_PEGTL_STRING("null"), TAO_PEGTL_STRING("空")> {};
struct kw_in : kw<TAO_PEGTL_STRING("in")> {};
// clang-format on

// Words that can never be names, because an expression would read them differently.
struct reserved : sor<kw_true, kw_false, kw_null, kw_in> {};
struct identifier : seq<not_at<reserved>, ident_first, star<ident_rest>> {};

// A finding code: upper-case words joined by hyphens, e.g. TENURE-INSUFFICIENT.
struct code : seq<ascii::upper, star<sor<ascii::upper, ascii::digit>>,
                  star<one<'-'>, plus<sor<ascii::upper, ascii::digit>>>, not_at<ident_rest>> {};

// ---- Literals -----------------------------------------------------------------------------------

struct digits : plus<ascii::digit> {};
struct hex_digits : plus<ascii::xdigit> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, digits> {};
struct double_lit : sor<seq<digits, one<'.'>, digits, opt<exponent>>, seq<digits, exponent>,
                        seq<one<'.'>, digits, opt<exponent>>> {};
struct uint_lit : seq<sor<seq<one<'0'>, one<'x', 'X'>, hex_digits>, digits>, one<'u', 'U'>> {};
struct int_lit : seq<sor<seq<one<'0'>, one<'x', 'X'>, hex_digits>, digits>, not_at<ident_rest>> {};

// Strings follow CEL: '…' "…" '''…''' """…""", r-prefixed raw strings and b-prefixed bytes. The
// body is kept raw; the parser decodes escapes and reports bad ones with their position.
struct escape : seq<one<'\\'>, any> {};
template <char Q>
struct short_body : star<sor<escape, not_one<Q, '\\', '\n'>>> {};
template <char Q>
struct long_body : star<sor<escape, seq<not_at<string<Q, Q, Q>>, any>>> {};
template <char Q>
struct raw_short_body : star<not_one<Q, '\n'>> {};
template <char Q>
struct raw_long_body : star<seq<not_at<string<Q, Q, Q>>, any>> {};
template <char Q>
struct close_quote : one<Q> {};
template <char Q>
struct close_quote3 : string<Q, Q, Q> {};
struct quoted
    : sor<seq<string<'"', '"', '"'>, long_body<'"'>, must<close_quote3<'"'>>>,
          seq<string<'\'', '\'', '\''>, long_body<'\''>, must<close_quote3<'\''>>>,
          seq<one<'"'>, short_body<'"'>, must<close_quote<'"'>>>, seq<one<'\''>, short_body<'\''>, must<close_quote<'\''>>>> {};
struct raw_quoted
    : sor<seq<string<'"', '"', '"'>, raw_long_body<'"'>, must<close_quote3<'"'>>>,
          seq<string<'\'', '\'', '\''>, raw_long_body<'\''>, must<close_quote3<'\''>>>,
          seq<one<'"'>, raw_short_body<'"'>, must<close_quote<'"'>>>, seq<one<'\''>, raw_short_body<'\''>, must<close_quote<'\''>>>> {};
struct string_lit : sor<seq<one<'r', 'R'>, raw_quoted>, quoted> {};
struct bytes_lit : seq<one<'b', 'B'>, sor<seq<one<'r', 'R'>, raw_quoted>, quoted>> {};
struct raw_bytes_prefix : seq<one<'r', 'R'>, one<'b', 'B'>, raw_quoted> {};
struct true_lit : kw_true {};
struct false_lit : kw_false {};
struct null_lit : kw_null {};

// ---- Expressions (CEL) ----------------------------------------------------------------------------

struct expr;
// Nesting (parentheses, lists, calls, ?:) is the only recursion; it is limited so that a hostile
// policy cannot overflow the stack.
struct nested_expr;

struct expect_expr : seq<expr> {};
struct expect_expr_operand;
struct expect_term;
struct expect_sum;
struct expect_relation;
struct expect_conjunction;
struct expect_then;
struct expect_else;
struct expect_rparen : one<')'> {};
struct expect_rbracket : one<']'> {};
struct expect_rbrace : one<'}'> {};
struct expect_colon : one<':'> {};
// CEL's quoted field names: m.`content-type`.
struct quoted_field : seq<one<'`'>, plus<not_one<'`', '\n'>>, one<'`'>> {};
struct expect_ident : sor<identifier, quoted_field> {};

struct arg_list : opt<nested_expr, sep, star<one<','>, sep, nested_expr, sep>, opt<one<','>, sep>> {};
struct call_args : seq<one<'('>, sep, arg_list, must<expect_rparen>> {};
struct paren_expr : seq<one<'('>, sep, nested_expr, sep, must<expect_rparen>> {};
struct list_lit : seq<one<'['>, sep, arg_list, must<expect_rbracket>> {};
struct map_entry : seq<nested_expr, sep, must<expect_colon>, sep, nested_expr> {};
struct map_lit : seq<one<'{'>, sep, opt<map_entry, sep, star<one<','>, sep, map_entry, sep>, opt<one<','>, sep>>,
                     must<expect_rbrace>> {};
struct field_init : seq<identifier, sep, must<expect_colon>, sep, nested_expr> {};
struct leading_dot : one<'.'> {};
struct qualified_name : seq<opt<leading_dot>, identifier, star<sep, one<'.'>, sep, identifier>> {};
struct record_lit : seq<qualified_name, sep, one<'{'>, sep,
                        opt<field_init, sep, star<one<','>, sep, field_init, sep>, opt<one<','>, sep>>, must<expect_rbrace>> {};
struct global_call : seq<opt<leading_dot>, identifier, sep, call_args> {};
struct ident_expr : seq<opt<leading_dot>, identifier> {};
struct literal : sor<double_lit, uint_lit, int_lit, raw_bytes_prefix, bytes_lit, string_lit, true_lit, false_lit, null_lit> {};
struct primary : sor<literal, paren_expr, list_lit, map_lit, record_lit, global_call, ident_expr> {};

struct member_call : seq<one<'.'>, sep, identifier, sep, call_args> {};
struct member_select : seq<one<'.'>, sep, must<expect_ident>> {};
struct member_index : seq<one<'['>, sep, nested_expr, sep, must<expect_rbracket>> {};
struct member : seq<primary, star<sep, sor<member_call, member_select, member_index>>> {};

struct op_not : one<'!'> {};
struct op_neg : one<'-'> {};
struct unary : sor<seq<plus<sor<op_not, op_neg>, sep>, member>, member> {};

struct op_mul : one<'*', '/', '%'> {};
struct multiplication : seq<unary, star<sep, op_mul, sep, must<expect_expr_operand>>> {};
struct op_add : sor<one<'+'>, seq<one<'-'>, not_at<one<'>'>>>> {};
struct addition : seq<multiplication, star<sep, op_add, sep, must<expect_term>>> {};
struct op_rel : sor<string<'<', '='>, string<'>', '='>, string<'=', '='>, string<'!', '='>, one<'<'>, one<'>'>, kw_in> {};
struct relation : seq<addition, star<sep, op_rel, sep, must<expect_sum>>> {};
struct op_and : string<'&', '&'> {};
struct conjunction : seq<relation, star<sep, op_and, sep, must<expect_relation>>> {};
struct op_or : string<'|', '|'> {};
struct disjunction : seq<conjunction, star<sep, op_or, sep, must<expect_conjunction>>> {};
struct conditional : seq<disjunction, opt<sep, one<'?'>, sep, must<expect_then>, sep, must<expect_colon>, sep,
                                          must<expect_else>>> {};
struct expr : seq<conditional> {};

struct expect_expr_operand : seq<unary> {};
struct expect_term : seq<multiplication> {};
struct expect_sum : seq<addition> {};
struct expect_relation : seq<relation> {};
struct expect_conjunction : seq<conjunction> {};
struct expect_then : seq<disjunction> {};
struct expect_else : seq<nested_expr> {};

struct nested_expr : seq<expr> {};

// ---- Types ----------------------------------------------------------------------------------------

struct type_expr;
struct expect_enum_value;
struct label : string_lit {};
struct enum_value : seq<string_lit, opt<sep, label>> {};
struct enum_type : seq<enum_value, star<sep, one<'|'>, sep, must<expect_enum_value>>> {};
struct expect_enum_value : seq<enum_value> {};
struct expect_type : seq<type_expr> {};
struct expect_langle : one<'<'> {};
struct expect_rangle : one<'>'> {};
struct expect_comma : one<','> {};
struct list_type : seq<kw_list, sep, must<expect_langle>, sep, must<expect_type>, sep, must<expect_rangle>> {};
struct map_type : seq<kw_map, sep, must<expect_langle>, sep, must<expect_type>, sep, must<expect_comma>, sep,
                      must<expect_type>, sep, must<expect_rangle>> {};
struct named_type : identifier {};
struct type_expr : sor<enum_type, list_type, map_type, named_type> {};

// ---- Declarations ---------------------------------------------------------------------------------

struct expect_calendar_end;
struct expect_test_end;
struct expect_date_range;

struct optional_mark : one<'?'> {};
struct field_default : seq<one<'='>, sep, must<expect_expr>> {};
struct field : seq<identifier, sep, opt<optional_mark, sep>, opt<label, sep>, opt<optional_mark, sep>, must<expect_colon>, sep,
                   must<expect_type>, sep, opt<field_default, sep>, opt<one<',', ';'>>> {};
struct expect_lbrace : one<'{'> {};
struct expect_name : seq<identifier> {};
struct expect_equals : one<'='> {};
struct expect_string : seq<string_lit> {};

struct subject_decl : seq<kw_subject, sep, must<expect_name>> {};
struct import_decl : seq<kw_import, sep, must<expect_string>> {};
struct expect_field_end : one<'}'> {};
struct type_decl : seq<kw_type, sep, must<expect_name>, sep, opt<label, sep>, must<expect_lbrace>, sep, star<field, sep>, must<expect_field_end>> {};
struct input_decl : seq<kw_input, sep, opt<label, sep>, must<expect_lbrace>, sep, star<field, sep>, must<expect_field_end>> {};
struct type_annotation : seq<one<':'>, sep, must<expect_type>> {};
struct let_decl : seq<kw_let, sep, must<expect_name>, sep, opt<type_annotation, sep>, must<expect_equals>, sep, must<expect_expr>> {};
struct param : seq<identifier, sep, must<expect_colon>, sep, must<expect_type>> {};
struct param_list : seq<one<'('>, sep, opt<param, sep, star<one<','>, sep, param, sep>>, must<expect_rparen>> {};
struct expect_params : seq<param_list> {};
struct arrow : string<'-', '>'> {};
struct result_type : seq<arrow, sep, must<expect_type>> {};
struct fn_decl : seq<kw_fn, sep, must<expect_name>, sep, must<expect_params>, sep, opt<result_type, sep>, must<expect_equals>, sep,
                     must<expect_expr>> {};

// A decision-table row: `| cell | cell | result |`. `_` or `-` is the "any" cell.
struct wildcard : seq<sor<one<'_'>, one<'-'>>, not_at<ident_rest>, at<sep, one<'|'>>> {};
struct cell : sor<wildcard, nested_expr> {};
struct expect_cell : seq<cell> {};
struct expect_bar : one<'|'> {};
struct row : seq<one<'|'>, sep, must<expect_cell>, sep, must<expect_bar>, sep, star<cell, sep, must<expect_bar>, sep>> {};
struct hit_policy : seq<kw_hit, sep, sor<kw_first, kw_unique>> {};
struct hit_unique : kw_unique {};
struct expect_result_type : seq<result_type> {};
struct expect_row_end : one<'}'> {};
struct decision_decl : seq<kw_decision, sep, must<expect_name>, sep, must<expect_params>, sep, must<expect_result_type>, sep,
                           opt<kw_hit, sep, sor<kw_first, hit_unique>, sep>, must<expect_lbrace>, sep, star<row, sep>,
                           must<expect_row_end>> {};
struct table_decl : seq<kw_table, sep, must<expect_name>, sep, opt<label, sep>, must<expect_colon>, sep, must<expect_name>, sep,
                        must<expect_lbrace>, sep, star<row, sep>, must<expect_row_end>> {};

struct date_token : seq<rep<4, ascii::digit>, one<'-'>, rep<2, ascii::digit>, one<'-'>, rep<2, ascii::digit>> {};
struct expect_date : seq<date_token> {};
struct date_range : seq<date_token, opt<sep, two<'.'>, sep, must<expect_date>>> {};
struct year_token : rep<4, ascii::digit> {};
struct expect_year : seq<year_token> {};
struct expect_dotdot : two<'.'> {};
struct calendar_years : seq<kw_years, sep, must<expect_year>, sep, must<expect_dotdot>, sep, must<expect_year>> {};
struct calendar_off : seq<kw_off, sep, must<expect_date_range>, star<sep, one<','>, sep, must<expect_date_range>>> {};
struct calendar_work : seq<kw_work, sep, must<expect_date_range>, star<sep, one<','>, sep, must<expect_date_range>>> {};
struct expect_date_range : seq<date_range> {};
struct calendar_decl : seq<kw_calendar, sep, must<expect_name>, sep, opt<label, sep>, must<expect_lbrace>, sep,
                           star<sor<calendar_years, calendar_off, calendar_work>, sep>, must<expect_calendar_end>> {};
struct expect_calendar_end : one<'}'> {};

struct output_when : seq<kw_when, sep, must<expect_expr>> {};
struct output_decl : seq<kw_output, sep, must<expect_name>, sep, opt<label, sep>, must<expect_equals>, sep, must<expect_expr>, sep,
                         opt<output_when>> {};

struct sev_error : kw_error {};
struct sev_warning : kw_warning {};
struct sev_info : kw_info {};
struct expect_severity : sor<sev_error, sev_warning, sev_info> {};
struct severity_clause : seq<kw_severity, sep, must<expect_severity>> {};
struct cite_clause : seq<kw_cite, sep, must<expect_string>> {};
struct foreach_index : identifier {};
struct expect_in : kw_in_list {};
struct expect_index_name : seq<foreach_index> {};
struct foreach_clause : seq<kw_foreach, sep, must<expect_name>, sep, opt<one<','>, sep, must<expect_index_name>, sep>, must<expect_in>, sep,
                            must<expect_expr>> {};
struct local_let : seq<kw_let, sep, must<expect_name>, sep, must<expect_equals>, sep, must<expect_expr>> {};
struct when_clause : seq<kw_when, sep, must<expect_expr>> {};
struct message_clause : seq<kw_message, sep, must<expect_string>> {};
struct item_clause : seq<kw_item, sep, must<expect_string>> {};
struct rule_clause : sor<severity_clause, cite_clause, foreach_clause, local_let, when_clause, message_clause, item_clause> {};
struct expect_code : seq<code> {};
struct expect_rule_end : one<'}'> {};
struct rule_decl : seq<kw_rule, sep, must<expect_code>, sep, opt<label, sep>, must<expect_lbrace>, sep,
                       star<rule_clause, sep>, must<expect_rule_end>> {};

// Inline JSON in tests: a balanced object, strings respected; nlohmann/json parses it afterwards.
struct json_string : seq<one<'"'>, star<sor<seq<one<'\\'>, any>, not_one<'"', '\\'>>>, one<'"'>> {};
struct json_object : seq<one<'{'>, star<sor<json_string, json_object, not_one<'{', '}', '"'>>>, must<expect_rbrace>> {};
struct expect_json : seq<json_object> {};
struct test_input_file : string_lit {};
struct test_patch : seq<kw_with, sep, must<expect_json>> {};
struct test_input : seq<kw_input, sep, sor<seq<test_input_file, sep, opt<test_patch>>, json_object>> {};
struct code_list : seq<code, star<sep, one<','>, sep, must<expect_code>>> {};
struct expect_codes : seq<code_list> {};
struct expect_no : seq<kw_no, sep, must<expect_codes>> {};
struct expect_only : seq<kw_only, opt<sep, code_list>> {};
struct decision_pass : kw_pass {};
struct decision_fail : kw_fail {};
struct expect_pass_fail : sor<decision_pass, decision_fail> {};
struct expect_decision : seq<kw_decision_word, sep, must<expect_pass_fail>> {};
struct expect_output : seq<kw_output, sep, must<expect_name>, sep, must<expect_equals>, sep, must<expect_expr>> {};
struct expect_raised : code_list {};
struct expect_clause_body : sor<expect_no, expect_only, expect_decision, expect_output, expect_raised> {};
struct expect_clause : seq<kw_expect, sep, must<expect_clause_body>> {};
struct test_decl : seq<kw_test, sep, must<expect_string>, sep, must<expect_lbrace>, sep, star<sor<test_input, expect_clause>, sep>,
                       must<expect_test_end>> {};
struct expect_test_end : one<'}'> {};

struct declaration : sor<subject_decl, import_decl, type_decl, input_decl, let_decl, fn_decl, decision_decl, table_decl,
                         calendar_decl, output_decl, rule_decl, test_decl> {};

// The parser reads one declaration at a time (after leading space), so that a syntax error in one
// declaration does not hide the errors of the next ones.
struct one_declaration : seq<sep, sor<eof, declaration>> {};

// A standalone expression, for `zhiping eval` and message interpolation.
struct expect_end;
struct expression_only : seq<sep, expr, sep, must<expect_end>> {};
struct expect_end : eof {};

}  // namespace zhiping::grammar
