// Name resolution and type checking. The passes run in a fixed order, because each needs the
// previous one: (1) collect every declaration's name, so that declarations may appear in any order
// and any file; (2) build record types, since expressions need their fields; (3) check each
// declaration's expressions, lets on demand so that a let's type is known wherever it is used and a
// cycle between lets is found where it closes.
#include "lang/checker.hpp"

#include "stdlib/domain/date.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace zhiping {
namespace {

struct Local {
  std::string name;
  int slot;
  const Type* type;
};

class Checker {
 public:
  Checker(Program& program, DiagnosticSink& sink, const FunctionRegistry& registry, bool check_types)
      : program_(program), sink_(sink), registry_(registry), check_types_(check_types) {}

  void run();
  int standalone(Expr& e, const std::vector<ExpressionBinding>& bindings);

 private:
  struct SubjectScope {
    SubjectInfo* info = nullptr;
    std::map<std::string, Decl*> names;  // lets and outputs
  };

  // ---- Diagnostics ----
  Diagnostic& error(const std::string& code, Span span, std::vector<std::string> args = {}) {
    return sink_.error(code, span, std::move(args));
  }
  // "unknown type `X`", suggesting the closest declared record type.
  void unknown_record_type(Span span, const std::string& name) {
    std::vector<std::string> names;
    for (auto& [n, _] : record_types_) names.push_back(n);
    error("check.unknown-type", span, {name}).suggestion = closest_name(name, names);
  }
  // "R has no field `x`", with the closest field name as a suggestion.
  void unknown_field(Span span, const std::string& name, const RecordType& record) {
    std::vector<std::string> names;
    for (auto& f : record.fields) names.push_back(f.name);
    error("check.unknown-field", span, {name, record.name}).suggestion = closest_name(name, names);
  }
  // A type error is an error when checking, and nothing when only resolving names (--no-check).
  void type_error(const std::string& code, Span span, std::vector<std::string> args = {}) {
    if (check_types_) sink_.error(code, span, std::move(args));
  }

  // ---- Declarations ----
  void collect(Decl& d, FileSyntax& file);
  void declare_global(Decl& d);
  const Type* resolve_type(const TypeExpr& t);
  void build_record(Decl& d, RecordType& r);
  const Type* decl_type(Decl& d);  // checks a let/function on demand and returns its type
  void check_decl(Decl& d);
  void check_let(Decl& d);
  void check_function(Decl& d);
  void check_decision(Decl& d);
  void check_table(Decl& d);
  void check_output(Decl& d);
  void check_rule(Decl& d);
  void check_test(Decl& d);
  void check_constant(Expr& e, const Type* expected, const std::string& what);

  // ---- Expressions ----
  const Type* check(Expr& e);
  const Type* check_ident(Expr& e);
  const Type* check_select(Expr& e);
  const Type* type_denotation(Expr& e, const std::string& name);
  const Type* check_call(Expr& e);
  const Type* check_user_call(Expr& e, Decl& callee);
  const Type* check_binary(Expr& e);
  const Type* check_comprehension(Expr& e);
  const Type* check_record(Expr& e);
  void expect_bool(Expr& e, const std::string& where);
  void expect_type(Expr& e, const Type* expected, const std::string& where);
  void check_enum_literal(const Type* enum_side, Expr& literal_side);
  const Type* common_type(const std::vector<const Type*>& ts);

  // ---- Scopes ----
  int push_local(const std::string& name, const Type* type) {
    int slot = next_slot_++;
    max_slot_ = std::max(max_slot_, next_slot_);
    locals_.push_back(Local{name, slot, type});
    return slot;
  }
  void pop_local() {
    locals_.pop_back();
    --next_slot_;
  }
  // Runs `f` as a fresh evaluation unit (own frame), restoring the caller's scope after.
  int unit(SubjectScope* subject, const std::function<void()>& f) {
    auto saved_locals = std::move(locals_);
    int saved_next = next_slot_, saved_max = max_slot_;
    SubjectScope* saved_subject = subject_;
    locals_.clear();
    next_slot_ = max_slot_ = 0;
    subject_ = subject;
    f();
    int size = max_slot_;
    locals_ = std::move(saved_locals);
    next_slot_ = saved_next;
    max_slot_ = saved_max;
    subject_ = saved_subject;
    return size;
  }
  std::vector<std::string> visible_names() const;

  Program& program_;
  DiagnosticSink& sink_;
  const FunctionRegistry& registry_;
  bool check_types_;

  std::map<std::string, Decl*> globals_;                // types, fns, decisions, tables, calendars, shared lets
  std::map<std::string, const RecordType*> record_types_;
  std::map<std::string, SubjectScope> subjects_;
  std::map<const Decl*, int> state_;                    // 0 new, 1 being checked, 2 checked
  std::map<const Decl*, SubjectScope*> decl_subject_;
  std::vector<ExpressionBinding> bindings_;

  SubjectScope* subject_ = nullptr;
  std::vector<Local> locals_;
  int next_slot_ = 0, max_slot_ = 0;
};

// The input path named by a for-each list ("achievements"), so that per-item findings say which
// item; "" when the list is computed.
std::string input_path_of(const Expr& e) {
  if (e.kind == ExprKind::Ident && e.name_kind == NameKind::InputField) return e.name;
  if (e.kind == ExprKind::Select) {
    std::string base = input_path_of(*e.args[0]);
    return base.empty() ? "" : base + "." + e.name;
  }
  return "";
}

const char* kind_word(DeclKind k) {
  switch (k) {
    case DeclKind::Type: return "type";
    case DeclKind::Input: return "input";
    case DeclKind::Let: return "let";
    case DeclKind::Function: return "fn";
    case DeclKind::Decision: return "decision";
    case DeclKind::Table: return "table";
    case DeclKind::Calendar: return "calendar";
    case DeclKind::Rule: return "rule";
    case DeclKind::Output: return "output";
    case DeclKind::Test: return "test";
  }
  return "?";
}

// ---- Pass 1: names ------------------------------------------------------------------------------

void Checker::declare_global(Decl& d) {
  auto [it, inserted] = globals_.emplace(d.name, &d);
  if (!inserted) {
    auto& diag = error("check.duplicate-name", d.name_span, {d.name});
    diag.notes.push_back(Diagnostic{DiagSeverity::Note, "check.first-declared", it->second->name_span, {d.name}, "", {}});
  }
}

void Checker::collect(Decl& d, FileSyntax& file) {
  SubjectScope* subject = nullptr;
  if (!file.subject.empty()) {
    // SubjectInfo pointers are set once every subject is known, since the vector may still grow.
    auto [it, inserted] = subjects_.emplace(file.subject, SubjectScope{});
    if (inserted) {
      program_.subjects.push_back(SubjectInfo{});
      program_.subjects.back().name = file.subject;
    }
    subject = &it->second;
  }
  decl_subject_[&d] = subject;
  switch (d.kind) {
    case DeclKind::Type:
    case DeclKind::Function:
    case DeclKind::Decision:
    case DeclKind::Calendar:
      declare_global(d);
      break;
    case DeclKind::Table:
      declare_global(d);
      d.index = static_cast<int>(program_.lets.size());
      program_.lets.push_back(&d);
      break;
    case DeclKind::Let:
      if (subject) {
        auto [it, inserted] = subject->names.emplace(d.name, &d);
        if (!inserted) error("check.duplicate-name", d.name_span, {d.name});
      } else {
        declare_global(d);
      }
      d.index = static_cast<int>(program_.lets.size());
      program_.lets.push_back(&d);
      break;
    case DeclKind::Output:
      if (!subject) { error("check.needs-subject", d.span, {kind_word(d.kind)}); break; }
      if (!subject->names.emplace(d.name, &d).second) error("check.duplicate-name", d.name_span, {d.name});
      d.index = static_cast<int>(program_.outputs.size());
      program_.outputs.push_back(&d);
      break;
    case DeclKind::Input:
    case DeclKind::Rule:
    case DeclKind::Test:
      if (!subject) error("check.needs-subject", d.span, {kind_word(d.kind)});
      break;
  }
}

// ---- Pass 2: types --------------------------------------------------------------------------------

const Type* Checker::resolve_type(const TypeExpr& t) {
  switch (t.kind) {
    case TypeExpr::List: return types::list(resolve_type(*t.args[0]));
    case TypeExpr::Map: return types::map(resolve_type(*t.args[0]), resolve_type(*t.args[1]));
    case TypeExpr::Enum: {
      auto e = std::make_unique<EnumType>();
      e->values = t.enum_values;
      e->labels = t.enum_labels;
      const Type* type = types::enumeration(e.get());
      program_.enums.push_back(std::move(e));
      return type;
    }
    case TypeExpr::Named: break;
  }
  static const std::map<std::string, const Type*> builtin = {
      {"bool", types::boolean()}, {"布尔", types::boolean()}, {"int", types::int64()}, {"整数", types::int64()},
      {"uint", types::uint64()}, {"double", types::float64()}, {"小数", types::float64()}, {"string", types::string()},
      {"文本", types::string()}, {"bytes", types::bytes()}, {"date", types::date()}, {"日期", types::date()},
      {"timestamp", types::timestamp()}, {"duration", types::duration()}, {"dyn", types::dyn()},
      {"null_type", types::null()}};
  if (auto it = builtin.find(t.name); it != builtin.end()) return it->second;
  if (auto it = record_types_.find(t.name); it != record_types_.end()) return types::record(it->second);
  std::vector<std::string> names;
  for (auto& [n, _] : builtin) names.push_back(n);
  for (auto& [n, _] : record_types_) names.push_back(n);
  error("check.unknown-type", t.span, {t.name}).suggestion = closest_name(t.name, names);
  return types::error();
}

void Checker::build_record(Decl& d, RecordType& r) {
  std::set<std::string> seen;
  for (auto& f : d.fields) {
    if (!seen.insert(f.name).second) error("check.duplicate-field", f.span, {f.name});
    FieldDecl fd;
    fd.name = f.name;
    fd.label = f.label;
    fd.type = f.type ? resolve_type(*f.type) : types::error();
    fd.optional = f.optional;
    fd.default_value = f.default_value;
    fd.span = f.span;
    r.fields.push_back(fd);
  }
}

// ---- Pass 3: expressions ------------------------------------------------------------------------

std::vector<std::string> Checker::visible_names() const {
  std::vector<std::string> out;
  for (auto& l : locals_) out.push_back(l.name);
  for (auto& b : bindings_) out.push_back(b.name);
  if (subject_) {
    if (subject_->info && subject_->info->input)
      for (auto& f : subject_->info->input->fields) out.push_back(f.name);
    for (auto& [n, _] : subject_->names) out.push_back(n);
  }
  for (auto& [n, d] : globals_)
    if (d->kind == DeclKind::Let || d->kind == DeclKind::Table || d->kind == DeclKind::Calendar) out.push_back(n);
  return out;
}

const Type* Checker::check_ident(Expr& e) {
  const std::string& name = e.name[0] == '.' ? e.name.substr(1) : e.name;
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->name == name) {
      e.name_kind = NameKind::Local;
      e.slot = it->slot;
      return it->type;
    }
  }
  for (size_t i = 0; i < bindings_.size(); ++i) {
    if (bindings_[i].name == name) {
      e.name_kind = NameKind::Binding;
      e.slot = static_cast<int>(i);
      return bindings_[i].type;
    }
  }
  if (subject_) {
    if (subject_->info && subject_->info->input) {
      int idx = subject_->info->input->field_index(name);
      if (idx >= 0) {
        e.name_kind = NameKind::InputField;
        e.slot = idx;
        return subject_->info->input->fields[idx].type;
      }
    }
    if (auto it = subject_->names.find(name); it != subject_->names.end()) {
      Decl& d = *it->second;
      e.name_kind = d.kind == DeclKind::Output ? NameKind::Output : NameKind::Let;
      e.slot = d.index;
      return decl_type(d);
    }
  }
  if (auto it = globals_.find(name); it != globals_.end()) {
    Decl& d = *it->second;
    if (d.kind == DeclKind::Let || d.kind == DeclKind::Table) {
      e.name_kind = d.kind == DeclKind::Table ? NameKind::Table : NameKind::Let;
      e.slot = d.index;
      return decl_type(d);
    }
    if (d.kind == DeclKind::Calendar) {
      e.name_kind = NameKind::Calendar;
      e.slot = d.index;
      return types::calendar();
    }
    error("check.not-a-value", e.span, {name, kind_word(d.kind)});
    return types::error();
  }
  if (const Type* t = type_denotation(e, name)) return t;
  if (!check_types_) {
    // Unchecked evaluation of an expression with no such variable: an error at run time.
    return types::dyn();
  }
  error("check.unknown-name", e.span, {name}).suggestion = closest_name(name, visible_names());
  return types::error();
}

// CEL's type denotations: `int`, `string`, `google.protobuf.Timestamp`… are type values where no
// variable of that name exists. The expression becomes a literal of the type value.
const Type* Checker::type_denotation(Expr& e, const std::string& name) {
  static const std::set<std::string> names = {"int", "uint", "double", "bool", "string", "bytes", "list", "map",
                                              "null_type", "type", "google.protobuf.Timestamp", "google.protobuf.Duration"};
  if (!names.count(name)) return nullptr;
  e.kind = ExprKind::Literal;
  e.literal = Value::type(name);
  e.args.clear();
  return types::type_value();
}

// The dotted name of a chain of field selections on an identifier (`a.b.c`), or "".
static std::string dotted_name(const Expr& e) {
  if (e.kind == ExprKind::Ident) return e.name[0] == '.' ? e.name.substr(1) : e.name;
  if (e.kind != ExprKind::Select || e.args.empty()) return "";
  std::string base = dotted_name(*e.args[0]);
  return base.empty() ? "" : base + "." + e.name;
}

const Type* Checker::check_select(Expr& e) {
  // A qualified name (`a.b.c`) that names a variable, or a type, resolves as one identifier; the
  // longest such name wins, since the outermost selection is checked first.
  if (std::string qualified = dotted_name(e); !qualified.empty()) {
    for (auto& b : bindings_) {
      if (b.name == qualified) {
        e.kind = ExprKind::Ident;
        e.name = qualified;
        e.args.clear();
        return check_ident(e);
      }
    }
    bool root_is_variable = false;
    std::string root = qualified.substr(0, qualified.find('.'));
    for (auto& l : locals_) root_is_variable |= l.name == root;
    for (auto& b : bindings_) root_is_variable |= b.name == root;
    if (!root_is_variable)
      if (const Type* t = type_denotation(e, qualified)) return t;
  }
  const Type* t = check(*e.args[0]);
  if (is_dyn(t)) return types::dyn();
  if (t->kind == TypeKind::Record) {
    int idx = t->record->field_index(e.name);
    if (idx < 0) {
      unknown_field(e.name_span.valid() ? e.name_span : e.span, e.name, *t->record);
      return types::error();
    }
    e.slot = idx;
    e.record_type = t->record;
    return t->record->fields[idx].type;
  }
  if (t->kind == TypeKind::Map) {
    if (!is_stringish(t->key) && !is_dyn(t->key)) type_error("check.select-map-key", e.span, {type_name(t)});
    return t->elem;
  }
  type_error("check.select-non-record", e.span, {e.name, type_name(t)});
  return types::error();
}

void Checker::expect_bool(Expr& e, const std::string& where) {
  const Type* t = check(e);
  if (!is_dyn(t) && t->kind != TypeKind::Bool) type_error("check.condition-not-bool", e.span, {where, type_name(t)});
}

void Checker::expect_type(Expr& e, const Type* expected, const std::string& where) {
  const Type* t = check(e);
  if (!assignable(expected, t)) type_error("check.type-mismatch", e.span, {where, type_name(expected), type_name(t)});
  if (expected->kind == TypeKind::Enum) check_enum_literal(expected, e);
}

// A string literal where an enum is expected must be one of its values.
void Checker::check_enum_literal(const Type* enum_side, Expr& other) {
  if (!check_types_ || enum_side->kind != TypeKind::Enum) return;
  auto check_one = [&](Expr& lit) {
    if (lit.kind != ExprKind::Literal || lit.literal.kind != ValueKind::String) return;
    if (enum_side->enumeration->contains(lit.literal.str())) return;
    std::string values;
    for (auto& v : enum_side->enumeration->values) values += (values.empty() ? "" : "、") + v;
    error("check.enum-literal", lit.span, {std::string(lit.literal.str()), values}).suggestion =
        closest_name(std::string(lit.literal.str()), enum_side->enumeration->values);
  };
  if (other.kind == ExprKind::List || (other.kind == ExprKind::Literal && other.literal.kind == ValueKind::List)) {
    for (auto& a : other.args) check_one(*a);
  } else {
    check_one(other);
  }
}

const Type* Checker::common_type(const std::vector<const Type*>& ts) {
  if (ts.empty()) return types::dyn();
  const Type* t = ts[0];
  for (auto* u : ts) {
    if (u == t) continue;
    if (is_stringish(u) && is_stringish(t)) { t = types::string(); continue; }
    if (u->kind == TypeKind::Null || t->kind == TypeKind::Null) { t = u->kind == TypeKind::Null ? t : u; continue; }
    return types::dyn();
  }
  return t->kind == TypeKind::Enum ? types::string() : t;
}

const Type* Checker::check_binary(Expr& e) {
  const Type* a = check(*e.args[0]);
  const Type* b = check(*e.args[1]);
  const std::string& op = e.name;
  auto mismatch = [&]() -> const Type* {
    type_error("check.operator-types", e.name_span.valid() ? e.name_span : e.span, {op, type_name(a), type_name(b)});
    return types::error();
  };
  if (op == "==" || op == "!=") {
    if (!comparable(a, b)) mismatch();
    if (a->kind == TypeKind::Enum) check_enum_literal(a, *e.args[1]);
    if (b->kind == TypeKind::Enum) check_enum_literal(b, *e.args[0]);
    return types::boolean();
  }
  if (op == "in") {
    if (is_dyn(b)) return types::boolean();
    if (b->kind == TypeKind::List) {
      if (!comparable(b->elem, a)) mismatch();
      if (a->kind == TypeKind::Enum) check_enum_literal(a, *e.args[1]);
      return types::boolean();
    }
    if (b->kind == TypeKind::Map) {
      if (!comparable(b->key, a)) mismatch();
      return types::boolean();
    }
    mismatch();
    return types::boolean();
  }
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    if (is_dyn(a) || is_dyn(b)) return types::boolean();
    bool ok = (is_numeric(a) && is_numeric(b)) || (is_stringish(a) && is_stringish(b)) ||
              (a == b && (a->kind == TypeKind::Bool || a->kind == TypeKind::Bytes || a->kind == TypeKind::Date ||
                          a->kind == TypeKind::Timestamp || a->kind == TypeKind::Duration));
    if (!ok) mismatch();
    return types::boolean();
  }
  // Arithmetic: CEL has no implicit conversions, so both sides must have the same type.
  if (is_dyn(a) || is_dyn(b)) {
    if (op == "+" && (a->kind == TypeKind::List || b->kind == TypeKind::List)) return a->kind == TypeKind::List ? a : b;
    return is_dyn(a) ? (is_dyn(b) ? types::dyn() : b) : a;
  }
  if (a->kind == TypeKind::Enum) a = types::string();
  if (b->kind == TypeKind::Enum) b = types::string();
  if (op == "+") {
    if (a == b && (is_numeric(a) || a->kind == TypeKind::String || a->kind == TypeKind::Bytes || a->kind == TypeKind::Duration))
      return a;
    if (a->kind == TypeKind::List && b->kind == TypeKind::List) return assignable(a, b) ? (is_dyn(a->elem) ? b : a) : types::list(types::dyn());
    if (a->kind == TypeKind::Timestamp && b->kind == TypeKind::Duration) return a;
    if (a->kind == TypeKind::Duration && b->kind == TypeKind::Timestamp) return b;
    return mismatch();
  }
  if (op == "-") {
    if (a == b && (a->kind == TypeKind::Int || a->kind == TypeKind::Uint || a->kind == TypeKind::Double || a->kind == TypeKind::Duration))
      return a;
    if (a->kind == TypeKind::Timestamp && b->kind == TypeKind::Timestamp) return types::duration();
    if (a->kind == TypeKind::Timestamp && b->kind == TypeKind::Duration) return a;
    return mismatch();
  }
  if (op == "*" || op == "/") {
    if (a == b && is_numeric(a)) return a;
    return mismatch();
  }
  if (op == "%") {
    if (a == b && (a->kind == TypeKind::Int || a->kind == TypeKind::Uint)) return a;
    return mismatch();
  }
  return mismatch();
}

const Type* Checker::check_comprehension(Expr& e) {
  const Type* range = check(*e.args[0]);
  const Type* var_type = types::dyn();
  const bool two = !e.var2.empty();
  const Type* var2_type = types::dyn();
  if (range->kind == TypeKind::List) {
    var_type = two ? types::int64() : range->elem;
    var2_type = range->elem;
  } else if (range->kind == TypeKind::Map) {
    var_type = range->key;
    var2_type = range->elem;
  } else if (!is_dyn(range)) {
    type_error("check.not-iterable", e.args[0]->span, {type_name(range)});
  }
  e.var_slot = push_local(e.var, var_type);
  if (two) e.var2_slot = push_local(e.var2, var2_type);
  const Type* result = types::boolean();
  switch (e.macro) {
    case Macro::TransformList:
      result = types::list(check(*e.args[1]));
      break;
    case Macro::TransformListFilter:
      expect_bool(*e.args[1], e.var);
      result = types::list(check(*e.args[2]));
      break;
    case Macro::TransformMap:
      result = types::map(var_type, check(*e.args[1]));
      break;
    case Macro::TransformMapFilter:
      expect_bool(*e.args[1], e.var);
      result = types::map(var_type, check(*e.args[2]));
      break;
    case Macro::All:
    case Macro::Exists:
    case Macro::ExistsOne:
      expect_bool(*e.args[1], e.var);
      break;
    case Macro::Filter:
      expect_bool(*e.args[1], e.var);
      result = types::list(var_type->kind == TypeKind::Enum ? types::string() : var_type);
      break;
    case Macro::Map:
      result = types::list(check(*e.args[1]));
      break;
    case Macro::MapFilter:
      expect_bool(*e.args[1], e.var);
      result = types::list(check(*e.args[2]));
      break;
  }
  if (two) pop_local();
  pop_local();
  return result;
}

const Type* Checker::check_record(Expr& e) {
  std::string name = e.name[0] == '.' ? e.name.substr(1) : e.name;
  auto it = record_types_.find(name);
  for (auto& a : e.args) check(*a);
  if (it == record_types_.end()) {
    unknown_record_type(e.span, name);
    return types::error();
  }
  const RecordType* r = it->second;
  e.record_type = r;
  std::set<std::string> given;
  for (size_t i = 0; i < e.field_names.size(); ++i) {
    int idx = r->field_index(e.field_names[i]);
    if (idx < 0) {
      unknown_field(e.args[i]->span, e.field_names[i], *r);
      continue;
    }
    given.insert(e.field_names[i]);
    if (!assignable(r->fields[idx].type, e.args[i]->type))
      type_error("check.type-mismatch", e.args[i]->span, {e.field_names[i], type_name(r->fields[idx].type), type_name(e.args[i]->type)});
    check_enum_literal(r->fields[idx].type, *e.args[i]);
  }
  for (auto& f : r->fields)
    if (!f.optional && !f.default_value && !given.count(f.name)) error("check.missing-field", e.span, {f.name, r->name});
  return types::record(r);
}

const Type* Checker::check_user_call(Expr& e, Decl& callee) {
  e.callee = &callee;
  const Type* result = decl_type(callee);
  if (e.args.size() != callee.params.size()) {
    error("check.arity", e.span, {callee.name, std::to_string(callee.params.size()), std::to_string(e.args.size())});
    return result;
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    const Type* want = callee.params[i].type ? callee.params[i].type : types::dyn();
    expect_type(*e.args[i], want, callee.params[i].name);
  }
  return result;
}

const Type* Checker::check_call(Expr& e) {
  // A date written as a literal is checked and folded at load: `date("2024-02-30")` is a load
  // error at its place, not an evaluation error for every record.
  if (!e.receiver_style && e.name == "date" && e.args.size() == 1 && e.args[0]->kind == ExprKind::Literal &&
      e.args[0]->literal.kind == ValueKind::String) {
    auto parsed = domain::parse_date(e.args[0]->literal.str());
    if (!parsed) {
      error("check.date-literal", e.args[0]->span, {std::string(e.args[0]->literal.str())});
      return types::date();
    }
    e.kind = ExprKind::Literal;
    e.literal = Value::date(parsed->days);
    e.args.clear();
    return types::date();
  }
  // `math.greatest(x)` reads like a receiver call on `math`; it is a qualified global function
  // when no variable of that name exists.
  if (e.receiver_style && e.args[0]->kind == ExprKind::Ident) {
    std::string qualified = e.args[0]->name + "." + e.name;
    bool is_variable = false;
    for (auto& l : locals_) is_variable |= l.name == e.args[0]->name;
    for (auto& b : bindings_) is_variable |= b.name == e.args[0]->name;
    if (!is_variable && registry_.find(qualified)) {
      e.name = qualified;
      e.receiver_style = false;
      e.args.erase(e.args.begin());
    }
  }
  if (!e.receiver_style) {
    if (auto it = globals_.find(e.name); it != globals_.end() &&
        (it->second->kind == DeclKind::Function || it->second->kind == DeclKind::Decision))
      return check_user_call(e, *it->second);
  }
  std::vector<const Type*> arg_types;
  for (auto& a : e.args) arg_types.push_back(check(*a));
  const auto* overloads = registry_.find(e.name);
  if (!overloads) {
    if (!check_types_) return types::dyn();
    std::vector<std::string> names = registry_.names();
    for (auto& [n, d] : globals_)
      if (d->kind == DeclKind::Function || d->kind == DeclKind::Decision) names.push_back(n);
    error("check.unknown-function", e.name_span.valid() ? e.name_span : e.span, {e.name}).suggestion = closest_name(e.name, names);
    return types::error();
  }
  if (!check_types_) return types::dyn();
  std::vector<const FunctionOverload*> matches;
  const FunctionOverload* exact = nullptr;
  for (auto& o : *overloads) {
    if (o.receiver_style != e.receiver_style || o.params.size() != arg_types.size()) continue;
    bool ok = true, is_exact = true;
    for (size_t i = 0; i < arg_types.size() && ok; ++i) {
      ok = assignable(o.params[i], arg_types[i]);
      bool same = o.params[i] == arg_types[i] || (o.params[i]->kind == TypeKind::String && arg_types[i]->kind == TypeKind::Enum);
      is_exact = is_exact && same;
    }
    if (!ok) continue;
    matches.push_back(&o);
    if (is_exact && !exact) exact = &o;
  }
  if (matches.empty()) {
    std::string got;
    for (size_t i = 0; i < arg_types.size(); ++i) got += (i ? ", " : "") + type_name(arg_types[i]);
    std::string sigs;
    for (auto& o : *overloads) {
      std::string s = o.receiver_style ? type_name(o.params[0]) + "." + o.name + "(" : o.name + "(";
      for (size_t i = o.receiver_style ? 1 : 0; i < o.params.size(); ++i)
        s += (i > (o.receiver_style ? 1u : 0u) ? ", " : "") + type_name(o.params[i]);
      s += ") -> " + type_name(o.result);
      sigs += (sigs.empty() ? "" : "; ") + s;
    }
    error("check.no-overload", e.span, {e.name, got, sigs});
    return types::error();
  }
  if (exact) { e.overload = exact; return exact->result; }
  if (matches.size() == 1) {
    // Bound statically only when no argument needs a run-time type test (a dyn argument for a
    // typed parameter is dispatched on its value, so a wrong value is "no such overload").
    bool safe = true;
    for (size_t i = 0; i < arg_types.size(); ++i)
      if (is_dyn(arg_types[i]) && !is_dyn(matches[0]->params[i])) safe = false;
    if (safe) e.overload = matches[0];
    return matches[0]->result;
  }
  // Several overloads fit a dyn argument: dispatch at run time on the values.
  std::vector<const Type*> results;
  for (auto* m : matches) results.push_back(m->result);
  return common_type(results);
}

const Type* Checker::check(Expr& e) {
  const Type* t = types::dyn();
  switch (e.kind) {
    case ExprKind::Literal:
      switch (e.literal.kind) {
        case ValueKind::Null: t = types::null(); break;
        case ValueKind::Bool: t = types::boolean(); break;
        case ValueKind::Int: t = types::int64(); break;
        case ValueKind::Uint: t = types::uint64(); break;
        case ValueKind::Double: t = types::float64(); break;
        case ValueKind::String: t = types::string(); break;
        case ValueKind::Bytes: t = types::bytes(); break;
        case ValueKind::Date: t = types::date(); break;
        case ValueKind::List: t = e.type ? e.type : types::list(types::dyn()); break;  // a folded list
        default: t = types::dyn();
      }
      break;
    case ExprKind::Ident: t = check_ident(e); break;
    case ExprKind::Select: t = check_select(e); break;
    case ExprKind::Has: {
      t = types::boolean();
      if (e.args.empty()) break;  // a syntax error already reported
      Expr& sel = *e.args[0];
      // has(field) on a top-level input field: the input's fields are names in scope, so this is
      // the natural spelling of has(input.field).
      if (sel.kind == ExprKind::Ident) {
        check(sel);
        if (sel.name_kind != NameKind::InputField) type_error("check.has-not-field", sel.span, {sel.name});
        break;
      }
      const Type* operand = check(*sel.args[0]);
      if (operand->kind == TypeKind::Record) {
        int idx = operand->record->field_index(sel.name);
        if (idx < 0) {
          unknown_field(sel.name_span.valid() ? sel.name_span : sel.span, sel.name, *operand->record);
        }
        sel.slot = idx;
        sel.type = idx >= 0 ? operand->record->fields[idx].type : types::error();
      } else if (!is_dyn(operand) && operand->kind != TypeKind::Map) {
        type_error("check.select-non-record", sel.span, {sel.name, type_name(operand)});
      }
      t = types::boolean();
      break;
    }
    case ExprKind::Index: {
      const Type* c = check(*e.args[0]);
      const Type* i = check(*e.args[1]);
      if (c->kind == TypeKind::List) {
        if (!is_dyn(i) && i->kind != TypeKind::Int && i->kind != TypeKind::Uint && i->kind != TypeKind::Double)
          type_error("check.index-type", e.args[1]->span, {type_name(i)});
        t = c->elem;
      } else if (c->kind == TypeKind::Map) {
        if (!comparable(c->key, i)) type_error("check.index-type", e.args[1]->span, {type_name(i)});
        t = c->elem;
      } else if (!is_dyn(c)) {
        type_error("check.not-indexable", e.args[0]->span, {type_name(c)});
        t = types::error();
      }
      break;
    }
    case ExprKind::Call: t = check_call(e); break;
    case ExprKind::List: {
      std::vector<const Type*> ts;
      bool constant = true;
      for (auto& a : e.args) {
        ts.push_back(check(*a));
        constant = constant && a->kind == ExprKind::Literal;
      }
      t = types::list(common_type(ts));
      // A list of literals is built once, here: evaluation then neither allocates it nor copies its
      // elements. The element expressions stay, so that messages can still point at one of them.
      if (constant) {
        std::vector<Value> items;
        for (auto& a : e.args) items.push_back(a->literal);
        e.literal = Value::list(std::move(items));
        e.kind = ExprKind::Literal;
      }
      break;
    }
    case ExprKind::Map: {
      std::vector<const Type*> ks, vs;
      for (size_t i = 0; i < e.args.size(); i += 2) {
        ks.push_back(check(*e.args[i]));
        vs.push_back(check(*e.args[i + 1]));
      }
      t = types::map(common_type(ks), common_type(vs));
      break;
    }
    case ExprKind::Record: t = check_record(e); break;
    case ExprKind::Unary: {
      const Type* a = check(*e.args[0]);
      if (e.name == "!") {
        if (!is_dyn(a) && a->kind != TypeKind::Bool) type_error("check.operator-type", e.span, {"!", type_name(a)});
        t = types::boolean();
      } else {
        if (!is_dyn(a) && a->kind != TypeKind::Int && a->kind != TypeKind::Double && a->kind != TypeKind::Duration)
          type_error("check.operator-type", e.span, {"-", type_name(a)});
        t = a;
      }
      break;
    }
    case ExprKind::Binary: t = check_binary(e); break;
    case ExprKind::And:
    case ExprKind::Or:
      expect_bool(*e.args[0], e.kind == ExprKind::And ? "&&" : "||");
      expect_bool(*e.args[1], e.kind == ExprKind::And ? "&&" : "||");
      t = types::boolean();
      break;
    case ExprKind::Conditional: {
      expect_bool(*e.args[0], "?:");
      const Type* a = check(*e.args[1]);
      const Type* b = check(*e.args[2]);
      if (a == b || is_dyn(b)) t = a;
      else if (is_dyn(a)) t = b;
      else if (is_stringish(a) && is_stringish(b)) t = types::string();
      else if (b->kind == TypeKind::Null) t = a;
      else if (a->kind == TypeKind::Null) t = b;
      else if (assignable(a, b)) t = a;
      else if (assignable(b, a)) t = b;
      else {
        type_error("check.branch-types", e.span, {type_name(a), type_name(b)});
        t = types::dyn();
      }
      break;
    }
    case ExprKind::Comprehension: t = check_comprehension(e); break;
    case ExprKind::Interpolation:
      for (auto& a : e.args) check(*a);
      t = types::string();
      break;
  }
  e.type = t;
  return t;
}

// ---- Declarations -------------------------------------------------------------------------------

const Type* Checker::decl_type(Decl& d) {
  int& st = state_[&d];
  if (st == 1) {
    error("check.cycle", d.name_span, {d.name});
    d.type = types::error();
    return d.type;
  }
  if (st == 0) check_decl(d);
  return d.type ? d.type : types::error();
}

void Checker::check_decl(Decl& d) {
  int& st = state_[&d];
  if (st != 0) return;
  st = 1;
  switch (d.kind) {
    case DeclKind::Let: check_let(d); break;
    case DeclKind::Function: check_function(d); break;
    case DeclKind::Decision: check_decision(d); break;
    case DeclKind::Table: check_table(d); break;
    case DeclKind::Output: check_output(d); break;
    case DeclKind::Rule: check_rule(d); break;
    case DeclKind::Test: check_test(d); break;
    default: break;
  }
  state_[&d] = 2;
}

void Checker::check_let(Decl& d) {
  d.frame_size = unit(decl_subject_[&d], [&] {
    const Type* declared = d.declared_type ? resolve_type(*d.declared_type) : nullptr;
    const Type* t = check(*d.value);
    if (declared) {
      if (!assignable(declared, t)) type_error("check.type-mismatch", d.value->span, {d.name, type_name(declared), type_name(t)});
      check_enum_literal(declared, *d.value);
      t = declared;
    }
    d.type = t;
  });
}

void Checker::check_function(Decl& d) {
  // The declared result type is known before the body is checked, so a function's callers do not
  // depend on its body; an undeclared one is inferred.
  if (d.declared_type) d.type = resolve_type(*d.declared_type);
  for (size_t i = 0; i < d.params.size(); ++i) d.params[i].type = resolve_type(*d.param_types[i]);
  d.frame_size = unit(decl_subject_[&d], [&] {
    for (auto& p : d.params) d.param_slots.push_back(push_local(p.name, p.type));
    if (d.kind == DeclKind::Decision) return;
    const Type* t = check(*d.value);
    if (d.type) {
      if (!assignable(d.type, t)) type_error("check.type-mismatch", d.value->span, {d.name, type_name(d.type), type_name(t)});
    } else {
      d.type = t;
    }
  });
}

void Checker::check_decision(Decl& d) {
  check_function(d);
  int rows_frame = unit(decl_subject_[&d], [&] {
    for (auto& p : d.params) push_local(p.name, p.type);
    for (auto& row : d.rows) {
      if (row.cells.size() != d.params.size()) {
        error("check.row-arity", row.span, {std::to_string(d.params.size() + 1), std::to_string(row.cells.size() + 1)});
        continue;
      }
      row.modes.clear();
      for (size_t i = 0; i < row.cells.size(); ++i) {
        if (!row.cells[i]) { row.modes.push_back(CellMode::Any); continue; }
        const Type* param = d.params[i].type;
        const Type* t = check(*row.cells[i]);
        if (t->kind == TypeKind::Bool && param->kind != TypeKind::Bool) {
          row.modes.push_back(CellMode::Condition);
        } else if (t->kind == TypeKind::List && param->kind != TypeKind::List) {
          row.modes.push_back(CellMode::Member);
          if (!comparable(param, t->elem)) type_error("check.cell-type", row.cells[i]->span, {d.params[i].name, type_name(param), type_name(t)});
          check_enum_literal(param, *row.cells[i]);
        } else {
          row.modes.push_back(CellMode::Equal);
          if (!comparable(param, t)) type_error("check.cell-type", row.cells[i]->span, {d.params[i].name, type_name(param), type_name(t)});
          check_enum_literal(param, *row.cells[i]);
        }
      }
      if (row.result) expect_type(*row.result, d.type ? d.type : types::dyn(), d.name);
    }
  });
  d.frame_size = std::max(d.frame_size, rows_frame);
}

void Checker::check_table(Decl& d) {
  auto it = d.declared_type ? record_types_.find(d.declared_type->name) : record_types_.end();
  if (it == record_types_.end()) {
    if (d.declared_type) unknown_record_type(d.declared_type->span, d.declared_type->name);
    d.type = types::list(types::dyn());
    return;
  }
  d.record = it->second;
  d.type = types::list(types::record(d.record));
  d.frame_size = unit(nullptr, [&] {
    for (auto& row : d.rows) {
      std::vector<ExprPtr> cells = row.cells;
      cells.push_back(row.result);
      if (cells.size() != d.record->fields.size()) {
        error("check.row-arity", row.span, {std::to_string(d.record->fields.size()), std::to_string(cells.size())});
        continue;
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (!cells[i]) { error("check.table-wildcard", row.span); continue; }
        expect_type(*cells[i], d.record->fields[i].type, d.record->fields[i].name);
      }
    }
  });
}

void Checker::check_output(Decl& d) {
  d.frame_size = unit(decl_subject_[&d], [&] {
    d.type = check(*d.value);
    if (d.condition) expect_bool(*d.condition, "when");
  });
}

void Checker::check_rule(Decl& d) {
  d.frame_size = unit(decl_subject_[&d], [&] {
    if (d.foreach_list) {
      const Type* lt = check(*d.foreach_list);
      const Type* elem = types::dyn();
      if (lt->kind == TypeKind::List) elem = lt->elem;
      else if (!is_dyn(lt)) type_error("check.not-a-list", d.foreach_list->span, {type_name(lt)});
      d.foreach_path = input_path_of(*d.foreach_list);
      d.foreach_slot = push_local(d.foreach_var, elem);
      if (!d.foreach_index.empty()) d.index_slot = push_local(d.foreach_index, types::int64());
    }
    for (auto& [name, value] : d.locals) {
      const Type* t = check(*value);
      d.local_slots.push_back(push_local(name, t));
    }
    if (d.condition) expect_bool(*d.condition, "when");
    if (d.message) check(*d.message);
    if (d.item) check(*d.item);
  });
}

void Checker::check_constant(Expr& e, const Type* expected, const std::string& what) {
  int frame = unit(nullptr, [&] { expect_type(e, expected, what); });
  (void)frame;
}

void Checker::check_test(Decl& d) {
  SubjectScope* subject = decl_subject_[&d];
  if (!subject || !subject->info) return;
  // A test names a few codes; they are looked up among the rules directly (a policy of hundreds of
  // tests and rules would otherwise build a set of every code for every test), and the list of
  // codes for a suggestion is made only for a code that is not found.
  const auto& rules = subject->info->rules;
  for (auto& x : d.expectations) {
    for (auto& c : x.codes) {
      if (std::any_of(rules.begin(), rules.end(), [&](const Decl* r) { return r->name == c; })) continue;
      std::vector<std::string> code_list;
      for (auto* r : rules) code_list.push_back(r->name);
      std::sort(code_list.begin(), code_list.end());
      error("check.unknown-code", x.span, {c, subject->info->name}).suggestion = closest_name(c, code_list);
    }
    if (x.kind == TestExpectation::Output) {
      auto it = subject->names.find(x.name);
      if (it == subject->names.end() || it->second->kind != DeclKind::Output) {
        std::vector<std::string> outs;
        for (auto* o : subject->info->outputs) outs.push_back(o->name);
        error("check.unknown-output", x.span, {x.name}).suggestion = closest_name(x.name, outs);
        continue;
      }
      check_constant(*x.value, decl_type(*it->second), x.name);
    }
  }
}

void Checker::run() {
  // Pass 1: names.
  for (auto& file : program_.syntax)
    for (auto& d : file.decls) collect(*d, file);
  for (auto& s : program_.subjects) subjects_[s.name].info = &s;
  // Pass 2: record types (all names first, so fields may refer to types declared later).
  std::vector<std::pair<Decl*, RecordType*>> records;
  for (auto& file : program_.syntax) {
    for (auto& d : file.decls) {
      if (d->kind != DeclKind::Type && d->kind != DeclKind::Input) continue;
      auto r = std::make_unique<RecordType>();
      r->name = d->kind == DeclKind::Input ? file.subject : d->name;
      r->label = d->label;
      r->span = d->name_span;
      records.emplace_back(d.get(), r.get());
      if (d->kind == DeclKind::Type) record_types_[d->name] = r.get();
      d->record = r.get();
      program_.records.push_back(std::move(r));
      if (d->kind == DeclKind::Input && decl_subject_[d.get()]) {
        SubjectInfo* info = decl_subject_[d.get()]->info;
        if (info->input_decl) {
          auto& diag = error("check.duplicate-input", d->span, {info->name});
          diag.notes.push_back(Diagnostic{DiagSeverity::Note, "check.first-declared", info->input_decl->span, {"input"}, "", {}});
        } else {
          info->input_decl = d.get();
          info->input = d->record;
          info->input_type = types::record(d->record);
        }
      }
    }
  }
  for (auto& [decl, record] : records) build_record(*decl, *record);
  for (auto& [decl, record] : records) {
    for (size_t i = 0; i < record->fields.size(); ++i) {
      auto& f = record->fields[i];
      if (f.default_value) check_constant(*f.default_value, f.type, f.name);
    }
  }
  // Rules, outputs and tests in order, per subject.
  for (auto& file : program_.syntax) {
    for (auto& d : file.decls) {
      SubjectScope* s = decl_subject_[d.get()];
      if (!s) continue;
      if (d->kind == DeclKind::Rule) s->info->rules.push_back(d.get());
      if (d->kind == DeclKind::Output) s->info->outputs.push_back(d.get());
      if (d->kind == DeclKind::Test) s->info->tests.push_back(d.get());
    }
  }
  for (auto& s : program_.subjects)
    if (!s.input_decl) error("check.no-input", subjects_[s.name].info->rules.empty() ? Span{} : subjects_[s.name].info->rules[0]->span, {s.name});
  // Calendars get their index here; their dates are validated when the program is built.
  int calendar_index = 0;
  for (auto& file : program_.syntax)
    for (auto& d : file.decls)
      if (d->kind == DeclKind::Calendar) d->index = calendar_index++;
  // Pass 3: every declaration's expressions.
  for (auto& file : program_.syntax)
    for (auto& d : file.decls) check_decl(*d);
}

int Checker::standalone(Expr& e, const std::vector<ExpressionBinding>& bindings) {
  bindings_ = bindings;
  return unit(nullptr, [&] { check(e); });
}

}  // namespace

void check_program(Program& program, DiagnosticSink& sink, const FunctionRegistry& registry) {
  Checker(program, sink, registry, true).run();
}

int check_expression(Expr& expr, const std::vector<ExpressionBinding>& bindings, bool check_types, DiagnosticSink& sink,
                     const FunctionRegistry& registry) {
  Program empty;
  return Checker(empty, sink, registry, check_types).standalone(expr, bindings);
}

}  // namespace zhiping
