// Turns the PEGTL parse tree into the AST: literals decoded, operator chains folded, message
// templates split into text and expressions, every node with its span.
#include "lang/parser.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/grammar.hpp"

namespace zhiping {
namespace {
namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;

// Parse-tree nodes come from a per-thread free list. PEGTL allocates a node for every selected rule
// it *tries* (most attempts in an operator chain fail or fold away), so with the general-purpose
// allocator a policy load spent a third of its time in malloc and free. Nodes never outlive the
// parse of one declaration on one thread, so the list grows only to the largest declaration, and
// a list grown large by a huge one is given back after the parse (see trim).
struct Node final : pt::basic_node<Node> {
  static void* operator new(std::size_t size);
  static void operator delete(void* p) noexcept;
};

struct NodeFreeList {
  struct Slot { Slot* next; };
  Slot* head = nullptr;
  size_t live = 0;  // nodes handed out and not yet returned
  std::vector<std::unique_ptr<unsigned char[]>> chunks;  // owns every node's memory

  // Frees every chunk beyond the first few once no node is live (between parses), so that a thread
  // that once parsed an enormous declaration does not keep that memory for its lifetime.
  void trim() {
    constexpr size_t kKeepChunks = 16;
    if (live != 0 || chunks.size() <= kKeepChunks) return;
    chunks.clear();
    head = nullptr;
  }
};
thread_local NodeFreeList t_nodes;

void* Node::operator new(std::size_t size) {
  constexpr std::size_t kPerChunk = 256;
  constexpr std::size_t kAlign = alignof(std::max_align_t);
  constexpr std::size_t kSlot = (sizeof(Node) + kAlign - 1) / kAlign * kAlign;
  (void)size;  // always sizeof(Node): the type is final
  NodeFreeList& list = t_nodes;
  if (!list.head) {
    list.chunks.emplace_back(new unsigned char[kSlot * kPerChunk]);
    unsigned char* base = list.chunks.back().get();
    for (std::size_t i = kPerChunk; i-- > 0;) {
      auto* slot = reinterpret_cast<NodeFreeList::Slot*>(base + i * kSlot);
      slot->next = list.head;
      list.head = slot;
    }
  }
  NodeFreeList::Slot* slot = list.head;
  list.head = slot->next;
  ++list.live;
  return slot;
}

void Node::operator delete(void* p) noexcept {
  NodeFreeList& list = t_nodes;
  auto* slot = static_cast<NodeFreeList::Slot*>(p);
  slot->next = list.head;
  list.head = slot;
  --list.live;
}

// Declared first in each entry point, so that it runs after the parse trees are gone.
struct TrimNodesAfterParse {
  ~TrimNodesAfterParse() { t_nodes.trim(); }
};

// ---- The table of syntax-error messages ---------------------------------------------------------
// Each commit point has its own rule, so each message fires in exactly one kind of place. The key is
// looked up in lang/messages.cpp for the Chinese and English text.
template <typename Rule> struct error_key { static constexpr const char* value = "syntax.unexpected"; };
#define ZP_ERROR(rule, key) template <> struct error_key<g::rule> { static constexpr const char* value = key; }
ZP_ERROR(expect_expr, "syntax.expect-expression");
ZP_ERROR(expect_expr_operand, "syntax.expect-operand");
ZP_ERROR(expect_term, "syntax.expect-operand");
ZP_ERROR(expect_sum, "syntax.expect-operand");
ZP_ERROR(expect_relation, "syntax.expect-operand");
ZP_ERROR(expect_conjunction, "syntax.expect-operand");
ZP_ERROR(expect_then, "syntax.expect-expression");
ZP_ERROR(expect_else, "syntax.expect-expression");
ZP_ERROR(expect_rparen, "syntax.expect-rparen");
ZP_ERROR(expect_rbracket, "syntax.expect-rbracket");
ZP_ERROR(expect_rbrace, "syntax.expect-rbrace");
ZP_ERROR(expect_colon, "syntax.expect-colon");
ZP_ERROR(expect_ident, "syntax.expect-field-name");
ZP_ERROR(expect_enum_value, "syntax.expect-enum-value");
ZP_ERROR(expect_type, "syntax.expect-type");
ZP_ERROR(expect_langle, "syntax.expect-langle");
ZP_ERROR(expect_rangle, "syntax.expect-rangle");
ZP_ERROR(expect_comma, "syntax.expect-comma");
ZP_ERROR(expect_lbrace, "syntax.expect-lbrace");
ZP_ERROR(expect_name, "syntax.expect-name");
ZP_ERROR(expect_equals, "syntax.expect-equals");
ZP_ERROR(expect_string, "syntax.expect-string");
ZP_ERROR(expect_params, "syntax.expect-params");
ZP_ERROR(expect_result_type, "syntax.expect-result-type");
ZP_ERROR(expect_cell, "syntax.expect-cell");
ZP_ERROR(expect_bar, "syntax.expect-bar");
ZP_ERROR(expect_row_end, "syntax.expect-row-end");
ZP_ERROR(expect_field_end, "syntax.expect-field-end");
ZP_ERROR(expect_date, "syntax.expect-date");
ZP_ERROR(expect_date_range, "syntax.expect-date");
ZP_ERROR(expect_year, "syntax.expect-year");
ZP_ERROR(expect_dotdot, "syntax.expect-dotdot");
ZP_ERROR(expect_calendar_end, "syntax.expect-calendar-end");
ZP_ERROR(expect_severity, "syntax.expect-severity");
ZP_ERROR(expect_index_name, "syntax.expect-name");
ZP_ERROR(expect_in, "syntax.expect-in");
ZP_ERROR(expect_rule_end, "syntax.expect-rule-end");
ZP_ERROR(expect_code, "syntax.expect-code");
ZP_ERROR(expect_codes, "syntax.expect-code");
ZP_ERROR(expect_json, "syntax.expect-json");
ZP_ERROR(expect_pass_fail, "syntax.expect-pass-fail");
ZP_ERROR(expect_clause_body, "syntax.expect-expectation");
ZP_ERROR(expect_test_end, "syntax.expect-test-end");
ZP_ERROR(expect_end, "syntax.expect-end");
#undef ZP_ERROR
template <char Q> struct error_key<g::close_quote<Q>> { static constexpr const char* value = "syntax.unterminated-string"; };
template <char Q> struct error_key<g::close_quote3<Q>> { static constexpr const char* value = "syntax.unterminated-string"; };

// Nesting depth of the expression being parsed; reset at every parse.
thread_local int g_nesting = 0;
constexpr const char* kTooDeep = "syntax.too-deep";

template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&...) {
    throw tao::pegtl::parse_error(error_key<Rule>::value, in);
  }
};
template <>
struct control<g::nested_expr> : tao::pegtl::normal<g::nested_expr> {
  template <typename Input, typename... States>
  static void start(const Input& in, States&&...) {
    if (++g_nesting > kMaxParseNesting) throw tao::pegtl::parse_error(kTooDeep, in);
  }
  template <typename Input, typename... States>
  static void success(const Input&, States&&...) { --g_nesting; }
  template <typename Input, typename... States>
  static void failure(const Input&, States&&...) { --g_nesting; }
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&...) {
    throw tao::pegtl::parse_error(error_key<g::nested_expr>::value, in);
  }
};

// Which rules become nodes. Operator chains of one operand fold away, so the tree stays small.
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<
        g::identifier, g::code, g::int_lit, g::uint_lit, g::double_lit, g::string_lit, g::bytes_lit, g::raw_bytes_prefix,
        g::true_lit, g::false_lit, g::null_lit, g::ident_expr, g::leading_dot, g::global_call, g::call_args, g::list_lit,
        g::map_lit, g::map_entry, g::record_lit, g::qualified_name, g::field_init, g::member_call, g::member_select,
        g::member_index, g::quoted_field, g::op_not, g::op_neg, g::op_mul, g::op_add, g::op_rel, g::op_and, g::op_or, g::label, g::enum_type,
        g::enum_value, g::list_type, g::map_type, g::named_type, g::optional_mark, g::field_default, g::field,
        g::subject_decl, g::import_decl, g::type_decl, g::input_decl, g::type_annotation, g::let_decl, g::param,
        g::param_list, g::result_type, g::fn_decl, g::wildcard, g::row, g::hit_unique, g::decision_decl, g::table_decl,
        g::date_token, g::date_range, g::year_token, g::calendar_years, g::calendar_off, g::calendar_work,
        g::calendar_decl, g::output_when, g::output_decl, g::sev_error, g::sev_warning, g::sev_info, g::severity_clause,
        g::cite_clause, g::foreach_index, g::foreach_clause, g::local_let, g::when_clause, g::message_clause,
        g::item_clause, g::rule_decl, g::json_object, g::test_input_file, g::test_patch, g::test_input, g::code_list,
        g::expect_no, g::expect_only, g::decision_pass, g::decision_fail, g::expect_decision, g::expect_output,
        g::expect_raised, g::expect_clause, g::test_decl>,
    pt::fold_one::on<g::nested_expr, g::paren_expr, g::member, g::unary, g::multiplication, g::addition, g::relation,
                     g::conjunction, g::disjunction, g::conditional>>;

// Converts parse-tree nodes of one file into AST nodes.
class Converter {
 public:
  Converter(const SourceFile& file, DiagnosticSink& sink) : file_(file), sink_(sink) {}

  Span span(const Node& n) const {
    uint32_t b = static_cast<uint32_t>(n.m_begin.byte);
    uint32_t e = n.has_content() ? static_cast<uint32_t>(n.m_end.byte) : b;
    // Rules swallow the white space after them; a caret should not.
    while (e > b && std::isspace(static_cast<unsigned char>(file_.text[e - 1]))) --e;
    return Span{&file_, b, e};
  }

  // ---- Literals ----

  // Decodes the body of a CEL string literal (escapes, raw and triple quotes). `bytes` allows \x
  // escapes to produce single bytes instead of code points.
  std::string decode_string(const Node& n, bool bytes_literal = false) {
    std::string_view text = n.string_view();
    uint32_t base = static_cast<uint32_t>(n.m_begin.byte);
    size_t pos = 0;
    bool raw = false;
    if (pos < text.size() && (text[pos] == 'b' || text[pos] == 'B')) ++pos;
    if (pos < text.size() && (text[pos] == 'r' || text[pos] == 'R')) { raw = true; ++pos; }
    if (!bytes_literal && pos < text.size() && (text[pos] == 'b' || text[pos] == 'B')) ++pos;
    size_t quote_len = (text.size() - pos >= 6 && text[pos] == text[pos + 1] && text[pos] == text[pos + 2]) ? 3 : 1;
    size_t body_begin = pos + quote_len;
    size_t body_end = text.size() - quote_len;
    std::string out;
    decode_body(text, body_begin, body_end, raw, bytes_literal, base, out, nullptr);
    return out;
  }

  // Decodes text[begin, end) into out. With `interpolate`, `{expr}` parts are collected instead of
  // copied (and `{{`/`}}` stand for braces).
  void decode_body(std::string_view text, size_t begin, size_t end, bool raw, bool bytes_literal, uint32_t base,
                   std::string& out, Expr* interpolate) {
    for (size_t i = begin; i < end; ++i) {
      char c = text[i];
      if (interpolate && (c == '{' || c == '}')) {
        if (i + 1 < end && text[i + 1] == c) { out += c; ++i; continue; }
        if (c == '}') {
          sink_.error("syntax.stray-brace", Span{&file_, base + uint32_t(i), base + uint32_t(i + 1)});
          continue;
        }
        size_t close = find_closing_brace(text, i + 1, end);
        if (close == std::string::npos) {
          sink_.error("syntax.unclosed-interpolation", Span{&file_, base + uint32_t(i), base + uint32_t(i + 1)});
          return;
        }
        interpolate->parts.push_back(out);
        out.clear();
        ExprPtr e = parse_sub_expression(base + uint32_t(i + 1), base + uint32_t(close));
        if (!e) e = std::make_shared<Expr>(ExprKind::Literal, Span{&file_, base + uint32_t(i), base + uint32_t(close + 1)});
        interpolate->args.push_back(e);
        i = close;
        continue;
      }
      if (raw || c != '\\' || i + 1 >= end) { out += c; continue; }
      size_t esc_start = i;
      char e = text[++i];
      auto bad = [&] {
        sink_.error("syntax.bad-escape", Span{&file_, base + uint32_t(esc_start), base + uint32_t(i + 1)});
      };
      switch (e) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '\\': case '\'': case '"': case '`': case '?': out += e; break;
        case 'x': case 'X': case 'u': case 'U': {
          int len = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
          uint32_t cp = 0;
          bool ok = true;
          for (int k = 1; k <= len; ++k) {
            if (i + k >= end || !std::isxdigit(static_cast<unsigned char>(text[i + k]))) { ok = false; break; }
            char h = text[i + k];
            cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          }
          if (!ok) { bad(); break; }
          i += len;
          if ((e == 'x' || e == 'X') && bytes_literal) { out += static_cast<char>(cp); break; }
          if ((e == 'u' || e == 'U') && bytes_literal) { bad(); break; }
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { bad(); break; }
          append_utf8(out, cp);
          break;
        }
        default:
          if (e >= '0' && e <= '3' && i + 2 < end && text[i + 1] >= '0' && text[i + 1] <= '7' && text[i + 2] >= '0' &&
              text[i + 2] <= '7') {
            uint32_t cp = (e - '0') * 64 + (text[i + 1] - '0') * 8 + (text[i + 2] - '0');
            i += 2;
            if (bytes_literal) out += static_cast<char>(cp); else append_utf8(out, cp);
          } else {
            bad();
          }
      }
    }
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The `}` that closes an interpolation starting at `from`, skipping quoted text and nested braces.
  static size_t find_closing_brace(std::string_view text, size_t from, size_t end) {
    int depth = 0;
    char quote = 0;
    for (size_t i = from; i < end; ++i) {
      char c = text[i];
      if (quote) {
        if (c == '\\') ++i;
        else if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') quote = c;
      else if (c == '{') ++depth;
      else if (c == '}') {
        if (depth == 0) return i;
        --depth;
      }
    }
    return std::string::npos;
  }

  ExprPtr parse_sub_expression(uint32_t begin, uint32_t end);

  // A message template: the string literal's text with `{expr}` parts.
  ExprPtr interpolation(const Node& n) {
    auto e = std::make_shared<Expr>(ExprKind::Interpolation, span(n));
    std::string_view text = n.string_view();
    uint32_t base = static_cast<uint32_t>(n.m_begin.byte);
    size_t pos = 0;
    bool raw = false;
    if (text[pos] == 'r' || text[pos] == 'R') { raw = true; ++pos; }
    size_t quote_len = (text.size() - pos >= 6 && text[pos] == text[pos + 1] && text[pos] == text[pos + 2]) ? 3 : 1;
    std::string out;
    decode_body(text, pos + quote_len, text.size() - quote_len, raw, false, base, out, e.get());
    e->parts.push_back(out);
    return e;
  }

  ExprPtr literal_int(const Node& n, bool negate) {
    auto e = std::make_shared<Expr>(ExprKind::Literal, span(n));
    std::string s = n.string();
    bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    errno = 0;
    unsigned long long mag = std::strtoull(s.c_str() + (hex ? 2 : 0), nullptr, hex ? 16 : 10);
    const unsigned long long limit = negate ? 9223372036854775808ULL : 9223372036854775807ULL;
    if (errno == ERANGE || mag > limit) {
      sink_.error("syntax.int-out-of-range", e->span, {(negate ? "-" : "") + s});
      e->literal = Value::int64(0);
    } else {
      e->literal = Value::int64(negate ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag));
    }
    return e;
  }

  ExprPtr literal(const Node& n) {
    auto e = std::make_shared<Expr>(ExprKind::Literal, span(n));
    if (n.is_type<g::int_lit>()) return literal_int(n, false);
    if (n.is_type<g::uint_lit>()) {
      std::string s = n.string();
      s.pop_back();
      bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
      errno = 0;
      unsigned long long v = std::strtoull(s.c_str() + (hex ? 2 : 0), nullptr, hex ? 16 : 10);
      if (errno == ERANGE) sink_.error("syntax.int-out-of-range", e->span, {n.string()});
      e->literal = Value::uint64(v);
    } else if (n.is_type<g::double_lit>()) {
      e->literal = Value::float64(std::strtod(n.string().c_str(), nullptr));
    } else if (n.is_type<g::string_lit>()) {
      e->literal = Value::string(decode_string(n));
    } else if (n.is_type<g::bytes_lit>() || n.is_type<g::raw_bytes_prefix>()) {
      e->literal = Value::bytes(decode_string(n, true));
    } else if (n.is_type<g::true_lit>()) {
      e->literal = Value::boolean(true);
    } else if (n.is_type<g::false_lit>()) {
      e->literal = Value::boolean(false);
    } else {
      e->literal = Value::null();
    }
    return e;
  }

  // ---- Expressions ----

  ExprPtr expr(const Node& n) {
    if (n.is_type<g::int_lit>() || n.is_type<g::uint_lit>() || n.is_type<g::double_lit>() || n.is_type<g::string_lit>() ||
        n.is_type<g::bytes_lit>() || n.is_type<g::raw_bytes_prefix>() || n.is_type<g::true_lit>() ||
        n.is_type<g::false_lit>() || n.is_type<g::null_lit>())
      return literal(n);
    if (n.is_type<g::ident_expr>()) {
      auto e = std::make_shared<Expr>(ExprKind::Ident, span(n));
      e->name = n.children.back()->string();
      if (n.children.size() > 1) e->name = "." + e->name;
      return e;
    }
    if (n.is_type<g::global_call>()) {
      const Node& name = *n.children[n.children.size() - 2];
      const Node& args = *n.children.back();
      ExprPtr e = call(span(n), nullptr, name.string(), args, n.children.size() > 2);
      e->name_span = span(name);
      return e;
    }
    if (n.is_type<g::list_lit>()) {
      auto e = std::make_shared<Expr>(ExprKind::List, span(n));
      for (auto& c : n.children) e->args.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::map_lit>()) {
      auto e = std::make_shared<Expr>(ExprKind::Map, span(n));
      for (auto& entry : n.children) {
        e->args.push_back(expr(*entry->children[0]));
        e->args.push_back(expr(*entry->children[1]));
      }
      return e;
    }
    if (n.is_type<g::record_lit>()) {
      auto e = std::make_shared<Expr>(ExprKind::Record, span(n));
      const Node& qn = *n.children[0];
      for (auto& part : qn.children) {
        if (part->is_type<g::leading_dot>()) { e->name += "."; continue; }
        if (!e->name.empty() && e->name != ".") e->name += ".";
        e->name += part->string();
      }
      for (size_t i = 1; i < n.children.size(); ++i) {
        e->field_names.push_back(n.children[i]->children[0]->string());
        e->args.push_back(expr(*n.children[i]->children[1]));
      }
      return e;
    }
    if (n.children.empty()) {
      // Only reached on a grammar/selector mismatch; reported rather than crashing.
      sink_.error("syntax.unexpected", span(n));
      return std::make_shared<Expr>(ExprKind::Literal, span(n));
    }
    // A member chain: primary followed by .f, .f(args) and [i].
    if (n.children[0]->is_type<g::op_not>() || n.children[0]->is_type<g::op_neg>()) return unary(n);
    const Node& second = n.children.size() > 1 ? *n.children[1] : *n.children[0];
    if (second.is_type<g::member_call>() || second.is_type<g::member_select>() || second.is_type<g::member_index>())
      return member(n);
    if (n.children.size() == 3 && !is_operator(*n.children[1])) {
      auto e = std::make_shared<Expr>(ExprKind::Conditional, span(n));
      for (auto& c : n.children) e->args.push_back(expr(*c));
      return e;
    }
    return binary_chain(n);
  }

  static bool is_operator(const Node& n) {
    return n.is_type<g::op_mul>() || n.is_type<g::op_add>() || n.is_type<g::op_rel>() || n.is_type<g::op_and>() ||
           n.is_type<g::op_or>();
  }

  ExprPtr unary(const Node& n) {
    size_t ops = 0;
    while (ops < n.children.size() && (n.children[ops]->is_type<g::op_not>() || n.children[ops]->is_type<g::op_neg>())) ++ops;
    const Node& operand = *n.children[ops];
    ExprPtr e;
    size_t remaining = ops;
    // `-9223372036854775808` is a literal, not the negation of an out-of-range one.
    if (n.children[ops - 1]->is_type<g::op_neg>() && operand.is_type<g::int_lit>()) {
      e = literal_int(operand, true);
      e->span.begin = static_cast<uint32_t>(n.children[ops - 1]->m_begin.byte);
      remaining = ops - 1;
    } else if (n.children[ops - 1]->is_type<g::op_neg>() && operand.is_type<g::double_lit>()) {
      e = literal(operand);
      e->literal.d = -e->literal.d;
      e->span.begin = static_cast<uint32_t>(n.children[ops - 1]->m_begin.byte);
      remaining = ops - 1;
    } else {
      e = expr(operand);
    }
    for (size_t k = remaining; k-- > 0;) {
      auto u = std::make_shared<Expr>(ExprKind::Unary, Span{&file_, static_cast<uint32_t>(n.children[k]->m_begin.byte), e->span.end});
      u->name = n.children[k]->is_type<g::op_not>() ? "!" : "-";
      u->args.push_back(e);
      e = u;
    }
    return e;
  }

  ExprPtr binary_chain(const Node& n) {
    ExprPtr left = expr(*n.children[0]);
    for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
      const Node& op = *n.children[i];
      ExprPtr right = expr(*n.children[i + 1]);
      ExprKind kind = op.is_type<g::op_and>() ? ExprKind::And : op.is_type<g::op_or>() ? ExprKind::Or : ExprKind::Binary;
      auto e = std::make_shared<Expr>(kind, Span{&file_, left->span.begin, right->span.end});
      e->name = op.string();
      while (!e->name.empty() && std::isspace(static_cast<unsigned char>(e->name.back()))) e->name.pop_back();
      e->name_span = span(op);
      e->args = {left, right};
      left = e;
    }
    return left;
  }

  ExprPtr member(const Node& n) {
    ExprPtr e = expr(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& s = *n.children[i];
      Span sp{&file_, e->span.begin, span(s).end};
      if (s.is_type<g::member_select>()) {
        auto sel = std::make_shared<Expr>(ExprKind::Select, sp);
        sel->name = s.children[0]->string();
        if (s.children[0]->is_type<g::quoted_field>()) sel->name = sel->name.substr(1, sel->name.size() - 2);
        sel->name_span = span(*s.children[0]);
        sel->args.push_back(e);
        e = sel;
      } else if (s.is_type<g::member_index>()) {
        auto idx = std::make_shared<Expr>(ExprKind::Index, sp);
        idx->args = {e, expr(*s.children[0])};
        e = idx;
      } else {
        e = call(sp, e, s.children[0]->string(), *s.children[1], false);
        e->name_span = span(*s.children[0]);
      }
    }
    return e;
  }

  // A call, or one of CEL's macros (has, all, exists, exists_one, map, filter).
  ExprPtr call(Span sp, ExprPtr receiver, const std::string& name, const Node& args, bool leading_dot) {
    std::vector<ExprPtr> argv;
    for (auto& c : args.children) argv.push_back(expr(*c));
    if (!receiver && name == "has" && !leading_dot) {
      auto e = std::make_shared<Expr>(ExprKind::Has, sp);
      if (argv.size() != 1 || (argv[0]->kind != ExprKind::Select && argv[0]->kind != ExprKind::Ident)) {
        sink_.error("syntax.has-argument", sp);
        return e;
      }
      e->args.push_back(argv[0]);
      return e;
    }
    if (receiver) {
      static const std::pair<const char*, Macro> macros[] = {
          {"all", Macro::All}, {"exists", Macro::Exists}, {"exists_one", Macro::ExistsOne}, {"existsOne", Macro::ExistsOne},
          {"map", Macro::Map}, {"filter", Macro::Filter}};
      // Two-variable forms: all/exists/existsOne(i, v, p), transformList(i, v, [p,] e),
      // transformMap(k, v, [p,] e).
      if (argv.size() >= 3 && argv[0]->kind == ExprKind::Ident && argv[1]->kind == ExprKind::Ident) {
        Macro macro = Macro::All;
        bool found = true;
        size_t arity = argv.size();
        if (arity == 3 && name == "all") macro = Macro::All;
        else if (arity == 3 && name == "exists") macro = Macro::Exists;
        else if (arity == 3 && (name == "existsOne" || name == "exists_one")) macro = Macro::ExistsOne;
        else if (name == "transformList" && arity <= 4) macro = arity == 3 ? Macro::TransformList : Macro::TransformListFilter;
        else if (name == "transformMap" && arity <= 4) macro = arity == 3 ? Macro::TransformMap : Macro::TransformMapFilter;
        else found = false;
        if (found) {
          auto e = std::make_shared<Expr>(ExprKind::Comprehension, sp);
          e->macro = macro;
          e->var = argv[0]->name;
          e->var2 = argv[1]->name;
          e->args.push_back(receiver);
          for (size_t k = 2; k < arity; ++k) e->args.push_back(argv[k]);
          return e;
        }
      }
      for (auto& [mname, macro] : macros) {
        if (name != mname || argv.empty() || argv[0]->kind != ExprKind::Ident) continue;
        size_t arity = argv.size();
        bool ok = arity == 2 || (macro == Macro::Map && arity == 3);
        if (!ok) break;
        auto e = std::make_shared<Expr>(ExprKind::Comprehension, sp);
        e->macro = (macro == Macro::Map && arity == 3) ? Macro::MapFilter : macro;
        e->var = argv[0]->name;
        e->args.push_back(receiver);
        for (size_t k = 1; k < arity; ++k) e->args.push_back(argv[k]);
        return e;
      }
    }
    auto e = std::make_shared<Expr>(ExprKind::Call, sp);
    e->name = name;
    if (receiver) {
      e->receiver_style = true;
      e->args.push_back(receiver);
    }
    for (auto& a : argv) e->args.push_back(a);
    return e;
  }

  // ---- Types and declarations ----

  TypeExprPtr type_expr(const Node& n) {
    auto t = std::make_shared<TypeExpr>();
    t->span = span(n);
    if (n.is_type<g::enum_type>()) {
      t->kind = TypeExpr::Enum;
      for (auto& v : n.children) {
        t->enum_values.push_back(decode_string(*v->children[0]));
        t->enum_labels.push_back(v->children.size() > 1 ? decode_string(*v->children[1]) : "");
      }
    } else if (n.is_type<g::list_type>()) {
      t->kind = TypeExpr::List;
      t->args.push_back(type_expr(*n.children[0]));
    } else if (n.is_type<g::map_type>()) {
      t->kind = TypeExpr::Map;
      t->args.push_back(type_expr(*n.children[0]));
      t->args.push_back(type_expr(*n.children[1]));
    } else {
      t->kind = TypeExpr::Named;
      t->name = n.string();
      while (!t->name.empty() && std::isspace(static_cast<unsigned char>(t->name.back()))) t->name.pop_back();
    }
    return t;
  }

  FieldSyntax field(const Node& n) {
    FieldSyntax f;
    f.span = span(n);
    for (auto& c : n.children) {
      if (c->is_type<g::identifier>()) { f.name = c->string(); f.span = span(*c); }
      else if (c->is_type<g::optional_mark>()) f.optional = true;
      else if (c->is_type<g::label>()) f.label = decode_string(*c);
      else if (c->is_type<g::field_default>()) f.default_value = expr(*c->children[0]);
      else f.type = type_expr(*c);
    }
    return f;
  }

  std::vector<Param> params(const Node& list) {
    std::vector<Param> out;
    for (auto& p : list.children) {
      Param param;
      param.name = p->children[0]->string();
      param.span = span(*p->children[0]);
      out.push_back(param);
    }
    return out;
  }

  std::vector<TypeExprPtr> param_types(const Node& list) {
    std::vector<TypeExprPtr> out;
    for (auto& p : list.children) out.push_back(type_expr(*p->children[1]));
    return out;
  }

  DecisionRow row(const Node& n) {
    DecisionRow r;
    r.span = span(n);
    for (auto& c : n.children) r.cells.push_back(c->is_type<g::wildcard>() ? nullptr : expr(*c));
    if (!r.cells.empty()) {
      r.result = r.cells.back();
      r.cells.pop_back();
    }
    if (!r.result) sink_.error("syntax.wildcard-result", r.span);
    return r;
  }

  void calendar_dates(const Node& n, Decl& d, bool off) {
    for (auto& range : n.children) {
      CalendarEntry e;
      e.off = off;
      e.span = span(*range);
      e.from = range->children[0]->string();
      e.to = range->children.size() > 1 ? range->children[1]->string() : e.from;
      d.calendar_entries.push_back(e);
    }
  }

  std::vector<std::string> codes(const Node& list) {
    std::vector<std::string> out;
    for (auto& c : list.children) out.push_back(c->string());
    return out;
  }

  DeclPtr declaration(const Node& n, FileSyntax& file) {
    Span sp = span(n);
    auto first_ident = [&](const Node& m) -> const Node* {
      for (auto& c : m.children)
        if (c->is_type<g::identifier>()) return c.get();
      return nullptr;
    };
    auto label_of = [&](const Node& m) {
      for (auto& c : m.children)
        if (c->is_type<g::label>()) return decode_string(*c);
      return std::string();
    };
    if (n.is_type<g::subject_decl>()) {
      if (!file.subject.empty() || !file.decls.empty()) sink_.error("syntax.subject-not-first", sp);
      file.subject = n.children[0]->string();
      file.subject_span = span(*n.children[0]);
      return nullptr;
    }
    if (n.is_type<g::import_decl>()) {
      file.imports.emplace_back(decode_string(*n.children[0]), span(*n.children[0]));
      return nullptr;
    }
    DeclPtr d;
    if (n.is_type<g::type_decl>() || n.is_type<g::input_decl>()) {
      d = std::make_shared<Decl>(n.is_type<g::type_decl>() ? DeclKind::Type : DeclKind::Input, sp);
      if (const Node* id = first_ident(n)) { d->name = id->string(); d->name_span = span(*id); }
      else { d->name = "input"; d->name_span = Span{&file_, sp.begin, sp.begin + 5}; }
      d->label = label_of(n);
      for (auto& c : n.children)
        if (c->is_type<g::field>()) d->fields.push_back(field(*c));
    } else if (n.is_type<g::let_decl>() || n.is_type<g::output_decl>()) {
      d = std::make_shared<Decl>(n.is_type<g::let_decl>() ? DeclKind::Let : DeclKind::Output, sp);
      const Node* id = first_ident(n);
      d->name = id->string();
      d->name_span = span(*id);
      d->label = label_of(n);
      for (auto& c : n.children) {
        if (c->is_type<g::identifier>() || c->is_type<g::label>()) continue;
        if (c->is_type<g::type_annotation>()) d->declared_type = type_expr(*c->children[0]);
        else if (c->is_type<g::output_when>()) d->condition = expr(*c->children[0]);
        else d->value = expr(*c);
      }
    } else if (n.is_type<g::fn_decl>() || n.is_type<g::decision_decl>()) {
      d = std::make_shared<Decl>(n.is_type<g::fn_decl>() ? DeclKind::Function : DeclKind::Decision, sp);
      const Node* id = first_ident(n);
      d->name = id->string();
      d->name_span = span(*id);
      for (auto& c : n.children) {
        if (c->is_type<g::identifier>()) continue;
        if (c->is_type<g::param_list>()) { d->params = params(*c); d->param_types = param_types(*c); }
        else if (c->is_type<g::result_type>()) d->declared_type = type_expr(*c->children[0]);
        else if (c->is_type<g::hit_unique>()) d->hit_unique = true;
        else if (c->is_type<g::row>()) d->rows.push_back(row(*c));
        else d->value = expr(*c);
      }
    } else if (n.is_type<g::table_decl>()) {
      d = std::make_shared<Decl>(DeclKind::Table, sp);
      bool first = true;
      for (auto& c : n.children) {
        if (c->is_type<g::identifier>()) {
          if (first) { d->name = c->string(); d->name_span = span(*c); first = false; }
          else {
            d->declared_type = std::make_shared<TypeExpr>();
            d->declared_type->name = c->string();
            d->declared_type->span = span(*c);
          }
        } else if (c->is_type<g::label>()) d->label = decode_string(*c);
        else if (c->is_type<g::row>()) d->rows.push_back(row(*c));
      }
    } else if (n.is_type<g::calendar_decl>()) {
      d = std::make_shared<Decl>(DeclKind::Calendar, sp);
      for (auto& c : n.children) {
        if (c->is_type<g::identifier>()) { d->name = c->string(); d->name_span = span(*c); }
        else if (c->is_type<g::label>()) d->label = decode_string(*c);
        else if (c->is_type<g::calendar_years>()) {
          d->first_year = std::atoi(c->children[0]->string().c_str());
          d->last_year = std::atoi(c->children[1]->string().c_str());
        } else if (c->is_type<g::calendar_off>()) calendar_dates(*c, *d, true);
        else if (c->is_type<g::calendar_work>()) calendar_dates(*c, *d, false);
      }
    } else if (n.is_type<g::rule_decl>()) {
      d = std::make_shared<Decl>(DeclKind::Rule, sp);
      for (auto& c : n.children) {
        if (c->is_type<g::code>()) { d->name = c->string(); d->name_span = span(*c); }
        else if (c->is_type<g::label>()) d->label = decode_string(*c);
        else if (c->is_type<g::severity_clause>()) {
          if (d->has_severity) sink_.error("syntax.duplicate-clause", span(*c), {"severity"});
          d->has_severity = true;
          const Node& s = *c->children[0];
          d->severity = s.is_type<g::sev_error>() ? Severity::Error : s.is_type<g::sev_warning>() ? Severity::Warning : Severity::Info;
        } else if (c->is_type<g::cite_clause>()) {
          if (!d->cite.empty()) sink_.error("syntax.duplicate-clause", span(*c), {"cite"});
          d->cite = decode_string(*c->children[0]);
        } else if (c->is_type<g::foreach_clause>()) {
          if (d->foreach_list) sink_.error("syntax.duplicate-clause", span(*c), {"for each"});
          d->foreach_var = c->children[0]->string();
          size_t k = 1;
          if (c->children[1]->is_type<g::foreach_index>()) { d->foreach_index = c->children[1]->string(); k = 2; }
          d->foreach_list = expr(*c->children[k]);
        } else if (c->is_type<g::local_let>()) {
          d->locals.emplace_back(c->children[0]->string(), expr(*c->children[1]));
          d->local_spans.push_back(span(*c->children[0]));
        } else if (c->is_type<g::when_clause>()) {
          if (d->condition) sink_.error("syntax.duplicate-clause", span(*c), {"when"});
          d->condition = expr(*c->children[0]);
        } else if (c->is_type<g::message_clause>()) {
          if (d->message) sink_.error("syntax.duplicate-clause", span(*c), {"message"});
          d->message = interpolation(*c->children[0]);
        } else if (c->is_type<g::item_clause>()) {
          d->item = interpolation(*c->children[0]);
        }
      }
      if (!d->has_severity) sink_.error("syntax.missing-clause", d->name_span, {d->name, "severity / 级别"});
      if (!d->condition) sink_.error("syntax.missing-clause", d->name_span, {d->name, "when / 当"});
      if (!d->message) sink_.error("syntax.missing-clause", d->name_span, {d->name, "message / 消息"});
      if (d->cite.empty()) sink_.error("syntax.missing-clause", d->name_span, {d->name, "cite / 依据"});
    } else if (n.is_type<g::test_decl>()) {
      d = std::make_shared<Decl>(DeclKind::Test, sp);
      int inputs = 0;
      for (auto& c : n.children) {
        if (c->is_type<g::string_lit>()) { d->name = decode_string(*c); d->name_span = span(*c); }
        else if (c->is_type<g::test_input>()) {
          if (++inputs > 1) sink_.error("syntax.duplicate-clause", span(*c), {"input"});
          d->input_span = span(*c);
          for (auto& i : c->children) {
            if (i->is_type<g::test_input_file>()) d->input_file = decode_string(*i);
            else if (i->is_type<g::test_patch>()) d->input_patch = i->children[0]->string();
            else if (i->is_type<g::json_object>()) d->input_inline = i->string();
          }
        } else if (c->is_type<g::expect_clause>()) {
          const Node& body = *c->children[0];
          TestExpectation x;
          x.span = span(*c);
          if (body.is_type<g::expect_no>()) { x.kind = TestExpectation::NotRaised; x.codes = codes(*body.children[0]); }
          else if (body.is_type<g::expect_only>()) {
            x.kind = TestExpectation::Only;
            if (!body.children.empty()) x.codes = codes(*body.children[0]);
          } else if (body.is_type<g::expect_decision>()) {
            x.kind = TestExpectation::Decision;
            x.name = body.children[0]->is_type<g::decision_pass>() ? "pass" : "fail";
          } else if (body.is_type<g::expect_output>()) {
            x.kind = TestExpectation::Output;
            x.name = body.children[0]->string();
            x.value = expr(*body.children[1]);
          } else {
            // `expect_raised` is itself the code list (it derives from `code_list`), so its
            // children are the codes.
            x.kind = TestExpectation::Raised;
            x.codes = codes(body);
          }
          d->expectations.push_back(x);
        }
      }
      if (inputs == 0) sink_.error("syntax.missing-clause", d->name_span, {d->name, "input / 输入"});
    }
    if (d) d->subject = file.subject;
    return d;
  }

 private:
  const SourceFile& file_;
  DiagnosticSink& sink_;
};

// Position of a PEGTL parse error as a byte offset into the file.
uint32_t error_offset(const tao::pegtl::parse_error& e) {
  return e.positions().empty() ? 0 : static_cast<uint32_t>(e.positions().front().byte);
}

// The message key carried by a parse error (PEGTL prefixes it with the position).
std::string error_code(const tao::pegtl::parse_error& e) {
  std::string m(e.message());
  return m.rfind("syntax.", 0) == 0 ? m : "syntax.unexpected";
}

ExprPtr Converter::parse_sub_expression(uint32_t begin, uint32_t end) {
  const std::string& text = file_.text;
  tao::pegtl::memory_input<> in(text.data() + begin, text.data() + end, file_.path, begin, 1, 1);
  g_nesting = 0;
  try {
    auto root = pt::parse<g::expression_only, Node, selector, tao::pegtl::nothing, control>(in);
    if (!root || root->children.empty()) {
      sink_.error("syntax.expect-expression", Span{&file_, begin, end});
      return nullptr;
    }
    return expr(*root->children.front());
  } catch (const tao::pegtl::parse_error& e) {
    uint32_t at = error_offset(e);
    sink_.error(error_code(e), Span{&file_, at, at + 1});
    return nullptr;
  }
}

// True if the line starting at `pos` begins a top-level declaration; used to resume after an error.
bool starts_declaration(const std::string& text, size_t pos) {
  static const char* words[] = {"subject", "import", "type", "input", "let", "fn", "decision", "table", "calendar",
                                "output", "rule", "test", "主体", "引用", "类型", "输入", "令", "函数", "决策",
                                "表", "日历", "输出", "规则", "测试"};
  for (const char* w : words) {
    size_t len = std::strlen(w);
    if (text.compare(pos, len, w) == 0) {
      char next = pos + len < text.size() ? text[pos + len] : ' ';
      if (next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == '"' || next == '{') return true;
    }
  }
  return false;
}

// The offset of the next line after `from` that starts (in column 1) with a declaration keyword.
size_t next_declaration(const std::string& text, size_t from) {
  size_t pos = text.find('\n', from);
  while (pos != std::string::npos) {
    ++pos;
    if (starts_declaration(text, pos)) return pos;
    pos = text.find('\n', pos);
  }
  return text.size();
}

}  // namespace

size_t parse_node_chunks_held() { return t_nodes.chunks.size(); }

FileSyntax parse_policy_file(const SourceFile& file, DiagnosticSink& sink) {
  TrimNodesAfterParse trim;
  FileSyntax out;
  out.source = &file;
  Converter conv(file, sink);
  const std::string& text = file.text;
  size_t pos = 0;
  while (pos < text.size()) {
    tao::pegtl::memory_input<> in(text.data() + pos, text.data() + text.size(), file.path, pos, 1, 1);
    g_nesting = 0;
    try {
      auto root = pt::parse<g::one_declaration, Node, selector, tao::pegtl::nothing, control>(in);
      if (!root) {
        // Not a declaration at all: report where the unexpected text starts.
        size_t at = pos;
        while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
        sink.error("syntax.expect-declaration", Span{&file, uint32_t(at), uint32_t(at + 1)});
        pos = next_declaration(text, at);
        continue;
      }
      if (root->children.empty()) break;  // only white space and comments remained
      const Node& decl = *root->children.front();
      if (DeclPtr d = conv.declaration(decl, out)) out.decls.push_back(d);
      size_t end = decl.m_end.byte;
      if (end <= pos) break;
      pos = end;
    } catch (const tao::pegtl::parse_error& e) {
      uint32_t at = error_offset(e);
      sink.error(error_code(e), Span{&file, at, at + 1});
      // A missing `)` or `}` is often found only at the first word of the next declaration; that
      // declaration is then parsed, not skipped, so that its own errors are reported too.
      bool at_next_declaration = at > pos && (text[at - 1] == '\n') && starts_declaration(text, at);
      pos = at_next_declaration ? at : next_declaration(text, at);
    }
  }
  return out;
}

ExprPtr parse_expression(const SourceFile& file, DiagnosticSink& sink) {
  TrimNodesAfterParse trim;
  Converter conv(file, sink);
  tao::pegtl::memory_input<> in(file.text.data(), file.text.data() + file.text.size(), file.path, 0, 1, 1);
  g_nesting = 0;
  try {
    auto root = pt::parse<g::expression_only, Node, selector, tao::pegtl::nothing, control>(in);
    if (!root || root->children.empty()) {
      sink.error("syntax.expect-expression", Span{&file, 0, 1});
      return nullptr;
    }
    size_t before = sink.items.size();
    ExprPtr e = conv.expr(*root->children.front());
    return sink.items.size() == before ? e : nullptr;
  } catch (const tao::pegtl::parse_error& e) {
    uint32_t at = error_offset(e);
    sink.error(error_code(e), Span{&file, at, at + 1});
    return nullptr;
  }
}

}  // namespace zhiping
