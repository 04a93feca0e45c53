// Interning and relations of checker types.
#include "lang/types.hpp"

#include <map>
#include <mutex>
#include <set>
#include <tuple>

namespace zhiping {
namespace types {
namespace {
const Type kDyn{TypeKind::Dyn}, kNull{TypeKind::Null}, kBool{TypeKind::Bool}, kInt{TypeKind::Int},
    kUint{TypeKind::Uint}, kDouble{TypeKind::Double}, kString{TypeKind::String}, kBytes{TypeKind::Bytes},
    kDate{TypeKind::Date}, kTimestamp{TypeKind::Timestamp}, kDuration{TypeKind::Duration},
    kTypeValue{TypeKind::TypeValue}, kCalendar{TypeKind::Calendar}, kError{TypeKind::Error};

// Composite types are interned in one process-wide table; loading (and destroying a program) are the
// only writers, and the lock keeps concurrent loads (e.g. several playground workers or test
// threads) safe. Evaluation never interns: what it needs is interned at load.
std::mutex g_mutex;
std::map<std::tuple<int, const void*, const void*>, std::unique_ptr<Type>>& table() {
  static std::map<std::tuple<int, const void*, const void*>, std::unique_ptr<Type>> t;
  return t;
}
const Type* intern(Type t, const void* a, const void* b) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto key = std::make_tuple(static_cast<int>(t.kind), a, b);
  auto& slot = table()[key];
  if (!slot) slot = std::make_unique<Type>(t);
  return slot.get();
}
}  // namespace

const Type* dyn() { return &kDyn; }
const Type* null() { return &kNull; }
const Type* boolean() { return &kBool; }
const Type* int64() { return &kInt; }
const Type* uint64() { return &kUint; }
const Type* float64() { return &kDouble; }
const Type* string() { return &kString; }
const Type* bytes() { return &kBytes; }
const Type* date() { return &kDate; }
const Type* timestamp() { return &kTimestamp; }
const Type* duration() { return &kDuration; }
const Type* type_value() { return &kTypeValue; }
const Type* calendar() { return &kCalendar; }
const Type* error() { return &kError; }
const Type* list(const Type* elem) {
  Type t{TypeKind::List};
  t.elem = elem;
  return intern(t, elem, nullptr);
}
const Type* map(const Type* key, const Type* value) {
  Type t{TypeKind::Map};
  t.key = key;
  t.elem = value;
  return intern(t, key, value);
}
const Type* record(const RecordType* r) {
  Type t{TypeKind::Record};
  t.record = r;
  return intern(t, r, nullptr);
}
const Type* enumeration(const EnumType* e) {
  Type t{TypeKind::Enum};
  t.enumeration = e;
  return intern(t, e, nullptr);
}

void forget(const std::vector<const RecordType*>& records, const std::vector<const EnumType*>& enums) {
  if (records.empty() && enums.empty()) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::set<const void*> owners(records.begin(), records.end());
  owners.insert(enums.begin(), enums.end());
  auto& t = table();
  std::set<const void*> gone;
  for (auto it = t.begin(); it != t.end();) {
    auto kind = static_cast<TypeKind>(std::get<0>(it->first));
    if ((kind == TypeKind::Record || kind == TypeKind::Enum) && owners.count(std::get<1>(it->first))) {
      gone.insert(it->second.get());
      it = t.erase(it);
    } else {
      ++it;
    }
  }
  // Lists and maps are keyed by their element types; those built on a forgotten type go too, and
  // so on outwards (list<list<R>>).
  for (bool changed = !gone.empty(); changed;) {
    changed = false;
    for (auto it = t.begin(); it != t.end();) {
      if (gone.count(std::get<1>(it->first)) || gone.count(std::get<2>(it->first))) {
        gone.insert(it->second.get());
        it = t.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
}

size_t interned_count() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return table().size();
}
}  // namespace types

std::string type_name(const Type* t) {
  switch (t->kind) {
    case TypeKind::Dyn: return "dyn";
    case TypeKind::Null: return "null_type";
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Uint: return "uint";
    case TypeKind::Double: return "double";
    case TypeKind::String: return "string";
    case TypeKind::Bytes: return "bytes";
    case TypeKind::Date: return "date";
    case TypeKind::Timestamp: return "google.protobuf.Timestamp";
    case TypeKind::Duration: return "google.protobuf.Duration";
    case TypeKind::List: return "list(" + type_name(t->elem) + ")";
    case TypeKind::Map: return "map(" + type_name(t->key) + ", " + type_name(t->elem) + ")";
    case TypeKind::Record: return t->record->name;
    case TypeKind::Enum: {
      std::string s;
      for (size_t i = 0; i < t->enumeration->values.size() && i < 4; ++i)
        s += (i ? " | \"" : "\"") + t->enumeration->values[i] + "\"";
      if (t->enumeration->values.size() > 4) s += " | …";
      return s;
    }
    case TypeKind::TypeValue: return "type";
    case TypeKind::Calendar: return "calendar";
    case TypeKind::Error: return "error";
  }
  return "?";
}

bool is_dyn(const Type* t) { return t->kind == TypeKind::Dyn || t->kind == TypeKind::Error; }
bool is_stringish(const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::Enum; }
bool is_numeric(const Type* t) {
  return t->kind == TypeKind::Int || t->kind == TypeKind::Uint || t->kind == TypeKind::Double;
}

bool assignable(const Type* to, const Type* from) {
  if (to == from || is_dyn(to) || is_dyn(from)) return true;
  if (to->kind == TypeKind::String && from->kind == TypeKind::Enum) return true;
  if (to->kind == TypeKind::Enum && from->kind == TypeKind::Enum) return true;
  if (to->kind == TypeKind::Enum && from->kind == TypeKind::String) return true;  // literals are checked apart
  if (to->kind != from->kind) return false;
  switch (to->kind) {
    case TypeKind::List: return assignable(to->elem, from->elem);
    case TypeKind::Map: return assignable(to->key, from->key) && assignable(to->elem, from->elem);
    default: return false;
  }
}

bool comparable(const Type* a, const Type* b) {
  if (a->kind == TypeKind::Null || b->kind == TypeKind::Null) return true;
  if (is_numeric(a) && is_numeric(b)) return true;  // CEL compares numbers across int, uint and double
  return assignable(a, b) || assignable(b, a);
}

}  // namespace zhiping
