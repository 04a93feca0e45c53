// The abstract syntax tree. Every node carries its source span; the checker fills in the resolved
// names, slots and types in place, and the interpreter evaluates the checked tree.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/value.hpp"
#include "lang/source.hpp"
#include "lang/types.hpp"

namespace zhiping {

struct FunctionOverload;
struct Decl;

enum class ExprKind {
  Literal,     // literal
  Ident,       // name
  Select,      // args[0].name
  Index,       // args[0][args[1]]
  Call,        // name(args…) or, with receiver_style, args[0].name(args[1…])
  List,        // [args…]
  Map,         // {args[0]: args[1], …}
  Record,      // name{field_names[i]: args[i]}
  Unary,       // op args[0]: "!" or "-"
  Binary,      // args[0] op args[1]: arithmetic, comparison, in
  And, Or,     // CEL's error-absorbing logic
  Conditional, // args[0] ? args[1] : args[2]
  Has,         // has(args[0].name)
  Comprehension,  // macro: args[0].macro(var, args[1] [, args[2]])
  Interpolation,  // a message template: literal parts in `parts`, expressions in args
};

// Transform*: CEL's two-variable comprehensions (transformList, transformMap; *Filter with a
// predicate). All, Exists and ExistsOne take a second variable too (Expr::var2).
enum class Macro { All, Exists, ExistsOne, Map, MapFilter, Filter, TransformList, TransformListFilter, TransformMap, TransformMapFilter };

// How the checker resolved an identifier.
enum class NameKind {
  Unresolved,
  Local,      // a comprehension/for-each/parameter/rule-local variable: slot in the frame
  InputField, // a top-level input field: index in the input record
  Let,        // a subject or shared let: index in the program's lets
  Output,     // an output value: index in the program's outputs
  Table,      // a data table: index in lets (tables are lets)
  Calendar,   // a calendar: index in the program's calendars
  Binding,    // `zhiping eval`: a variable given in --bindings
};

struct Expr;
struct FastNode;  // interpreter/fast.hpp
using ExprPtr = std::shared_ptr<Expr>;

struct Expr {
  ExprKind kind;
  Span span;
  Span name_span;                   // the field, function or operator itself, for precise carets
  Value literal;
  std::string name;                 // identifier, field, function or record type name; operator
  std::vector<ExprPtr> args;
  std::vector<std::string> field_names;  // Record construction
  std::vector<std::string> parts;        // Interpolation: literal text around the args (args.size()+1)
  bool receiver_style = false;
  Macro macro = Macro::All;
  std::string var;                  // comprehension variable
  std::string var2;                 // second variable of a two-variable comprehension ("" if none)

  // Filled in by the checker.
  const Type* type = nullptr;
  NameKind name_kind = NameKind::Unresolved;
  int slot = -1;                    // Local slot, input field, let/output/calendar index, record field
  int var_slot = -1;                // Comprehension variable slot
  int var2_slot = -1;               // Second comprehension variable slot
  const FunctionOverload* overload = nullptr;  // resolved built-in or stdlib function
  const Decl* callee = nullptr;     // resolved user function or decision table
  const RecordType* record_type = nullptr;      // Record construction

  // Set when the program is loaded: the compiled form of a root expression (a rule's condition, a
  // let's value…) that the interpreter's fast path runs; nullptr when there is none.
  mutable const FastNode* fast = nullptr;

  Expr(ExprKind k, Span s) : kind(k), span(s) {}
};

// A parameter of a function or decision, or the variable of a for-each.
struct Param {
  std::string name;
  const Type* type = nullptr;
  std::string type_text;  // resolved by the checker when it names a record type
  Span span;
};

// A type expression as written; the checker resolves names of record types.
struct TypeExpr {
  enum Kind { Named, List, Map, Enum } kind = Named;
  std::string name;                  // Named: "int", "日期", "Title"…
  std::vector<std::shared_ptr<TypeExpr>> args;
  std::vector<std::string> enum_values, enum_labels;
  Span span;
};
using TypeExprPtr = std::shared_ptr<TypeExpr>;

struct FieldSyntax {
  std::string name, label;
  bool optional = false;
  TypeExprPtr type;
  ExprPtr default_value;
  Span span;
};

enum class DeclKind { Type, Input, Let, Function, Decision, Table, Calendar, Rule, Output, Test };
enum class Severity { Error, Warning, Info };

// How a decision-table cell matches its parameter, decided by the checker from the cell's type.
enum class CellMode { Any, Equal, Member, Condition };

struct DecisionRow {
  std::vector<ExprPtr> cells;  // nullptr = `_` (any)
  std::vector<CellMode> modes; // filled in by the checker
  ExprPtr result;
  Span span;
};

struct CalendarEntry {
  bool off = true;            // off (holiday) or work (make-up day)
  std::string from, to;       // dates as written
  Span span;
};

struct TestExpectation {
  enum Kind { Raised, NotRaised, Only, Decision, Output } kind = Raised;
  std::vector<std::string> codes;
  std::string name;           // Output name or decision ("pass"/"fail")
  ExprPtr value;              // Output expected value
  Span span;
};

struct Decl {
  DeclKind kind;
  Span span;       // the whole declaration
  Span name_span;  // the name
  std::string name;                   // name, rule code or test name
  std::string label;                  // "…" after the name
  std::string subject;                // "" for shared declarations
  // Type / Input
  std::vector<FieldSyntax> fields;
  // Let / Output / Function / Decision
  TypeExprPtr declared_type;
  std::vector<Param> params;
  std::vector<TypeExprPtr> param_types;
  ExprPtr value;                      // Let, Output, Function body
  ExprPtr condition;                  // Output `when`, Rule `when`
  bool hit_unique = false;
  std::vector<DecisionRow> rows;      // Decision and Table rows
  // Calendar
  int first_year = 0, last_year = 0;
  std::vector<CalendarEntry> calendar_entries;
  // Rule
  Severity severity = Severity::Error;
  bool has_severity = false;
  std::string cite;
  std::string foreach_var, foreach_index;
  ExprPtr foreach_list;
  std::vector<std::pair<std::string, ExprPtr>> locals;  // rule-local lets
  std::vector<Span> local_spans;
  ExprPtr message;                    // an Interpolation
  ExprPtr item;                       // an Interpolation, optional
  // Test
  std::string input_file;             // path relative to the .zp file, or ""
  std::string input_inline;           // JSON text, or ""
  std::string input_patch;            // JSON merge patch, or ""
  Span input_span;
  std::vector<TestExpectation> expectations;

  // Filled in by the checker.
  const Type* type = nullptr;         // the value's type (lets, outputs, function results)
  const RecordType* record = nullptr; // Type / Input / Table element
  int index = -1;                     // let/output/calendar index
  int frame_size = 0;                 // locals needed to evaluate it
  int foreach_slot = -1, index_slot = -1;
  std::string foreach_path;           // the input path of the for-each list ("achievements"), or ""

  std::vector<int> local_slots;
  std::vector<int> param_slots;
  uint32_t name_line = 0, name_column = 0;  // where name_span starts, set at load for findings

  Decl(DeclKind k, Span s) : kind(k), span(s) {}
};
using DeclPtr = std::shared_ptr<Decl>;

// One parsed file.
struct FileSyntax {
  const SourceFile* source = nullptr;
  std::string subject;
  Span subject_span;
  std::vector<std::pair<std::string, Span>> imports;
  std::vector<DeclPtr> decls;
};

}  // namespace zhiping
