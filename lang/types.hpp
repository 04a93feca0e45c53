// The static types of the checker. Types are interned: two types are equal iff their pointers are.
// Primitive types and composites of them live for the whole process, so stdlib declarations and many
// programs share them; types built on a program's own record and enum types are forgotten when that
// program is destroyed (types::forget), so reloading a policy again and again does not grow the table.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/source.hpp"

namespace zhiping {

struct Expr;
struct RecordType;
struct EnumType;

enum class TypeKind {
  Dyn, Null, Bool, Int, Uint, Double, String, Bytes, Date, Timestamp, Duration,
  List, Map, Record, Enum, TypeValue, Calendar, Error
};

struct Type {
  TypeKind kind;
  const Type* elem = nullptr;            // List element, Map value
  const Type* key = nullptr;             // Map key
  const RecordType* record = nullptr;    // Record
  const EnumType* enumeration = nullptr; // Enum (a string with a fixed set of values)
};

// A field of a record type (or of the input declaration, which is a record type too).
struct FieldDecl {
  std::string name;
  std::string label;            // Chinese label for forms and messages ("" when none)
  const Type* type = nullptr;
  bool optional = false;        // `name?`: absent or null means "not provided"
  std::shared_ptr<Expr> default_value;  // taken when the field is absent
  Span span;
};

struct RecordType {
  std::string name;
  std::string label;
  std::vector<FieldDecl> fields;
  Span span;
  // The index of a field, or -1. `hint` is where the caller expects it (a JSON object usually
  // lists its keys in the declared order), compared first.
  int field_index(std::string_view field, int hint = -1) const {
    if (hint >= 0 && static_cast<size_t>(hint) < fields.size() && fields[hint].name == field) return hint;
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == field) return static_cast<int>(i);
    return -1;
  }
};

struct EnumType {
  std::vector<std::string> values;
  std::vector<std::string> labels;  // parallel to values; "" when a value has no label
  bool contains(std::string_view v) const {
    for (auto& x : values)
      if (x == v) return true;
    return false;
  }
};

namespace types {
const Type* dyn();
const Type* null();
const Type* boolean();
const Type* int64();
const Type* uint64();
const Type* float64();
const Type* string();
const Type* bytes();
const Type* date();
const Type* timestamp();
const Type* duration();
const Type* type_value();
const Type* calendar();
const Type* error();
const Type* list(const Type* elem);
const Type* map(const Type* key, const Type* value);
const Type* record(const RecordType* r);
const Type* enumeration(const EnumType* e);
// Removes the types of these record and enum types, and every list or map type built on them, from
// the table. Called when the program that owns them is destroyed; no type of theirs may be used after.
void forget(const std::vector<const RecordType*>& records, const std::vector<const EnumType*>& enums);
// The number of interned composite types (for tests).
size_t interned_count();
}  // namespace types

// CEL's name of a type, as `type(x)` shows it and messages print it: int, list(string), 日期 → date.
std::string type_name(const Type* t);
// True if a value of type `from` may be used where `to` is expected (dyn on either side, enum → string).
bool assignable(const Type* to, const Type* from);
// True if values of the two types may be compared with == (the same type up to dyn, null and enums).
bool comparable(const Type* a, const Type* b);
// The string-like view of a type: an enum counts as string.
bool is_stringish(const Type* t);
bool is_dyn(const Type* t);
bool is_numeric(const Type* t);

}  // namespace zhiping
