// Run-time values. A Value is small (16 bytes of payload plus a shared pointer) and cheap to copy;
// strings, lists, maps and records are immutable and shared, which is what makes a compiled policy
// and its constants safe to read from many threads at once.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lang/source.hpp"
#include "lang/types.hpp"

namespace zhiping {

namespace domain { class WorkCalendar; }

enum class ValueKind : uint8_t {
  Absent,  // an optional field that was not provided; never a user-visible value
  Null, Bool, Int, Uint, Double, String, Bytes, Date, Timestamp, Duration, List, Map, Record, Type,
  Calendar, Error
};

struct Value;
struct HeapObject { virtual ~HeapObject() = default; };
struct StringObject : HeapObject { std::string text; explicit StringObject(std::string t) : text(std::move(t)) {} };
struct ListObject : HeapObject { std::vector<Value> items; };
struct MapObject : HeapObject { std::vector<std::pair<Value, Value>> entries; };
struct RecordObject : HeapObject { const RecordType* type = nullptr; std::vector<Value> fields; };
struct TypeObject : HeapObject { std::string name; explicit TypeObject(std::string n) : name(std::move(n)) {} };
struct CalendarObject : HeapObject { std::shared_ptr<const domain::WorkCalendar> calendar; std::string name; };
// An evaluation error is a value, as in CEL: it flows through expressions until something absorbs it
// (`false && error`) or a rule reports it. It carries both languages and the place it arose.
struct ErrorObject : HeapObject { std::string message_zh, message_en; Span span; };

struct Value {
  ValueKind kind = ValueKind::Null;
  int32_t nanos = 0;  // timestamps and durations: the sub-second part
  union {
    bool b;
    int64_t i;  // Int, Date (days since 1970-01-01), Timestamp and Duration (seconds)
    uint64_t u;
    double d;
  };
  std::shared_ptr<const HeapObject> heap;

  Value() : i(0) {}
  static Value absent() { Value v; v.kind = ValueKind::Absent; return v; }
  static Value null() { return Value(); }
  static Value boolean(bool x) { Value v; v.kind = ValueKind::Bool; v.b = x; return v; }
  static Value int64(int64_t x) { Value v; v.kind = ValueKind::Int; v.i = x; return v; }
  static Value uint64(uint64_t x) { Value v; v.kind = ValueKind::Uint; v.u = x; return v; }
  static Value float64(double x) { Value v; v.kind = ValueKind::Double; v.d = x; return v; }
  static Value date(int64_t days) { Value v; v.kind = ValueKind::Date; v.i = days; return v; }
  static Value timestamp(int64_t s, int32_t n) { Value v; v.kind = ValueKind::Timestamp; v.i = s; v.nanos = n; return v; }
  static Value duration(int64_t s, int32_t n) { Value v; v.kind = ValueKind::Duration; v.i = s; v.nanos = n; return v; }
  static Value string(std::string s);
  static Value bytes(std::string s);
  static Value list(std::vector<Value> items);
  static Value map(std::vector<std::pair<Value, Value>> entries);
  static Value record(const RecordType* type, std::vector<Value> fields);
  static Value type(std::string name);
  static Value error(Span span, std::string zh, std::string en);

  bool is_error() const { return kind == ValueKind::Error; }
  bool is_absent() const { return kind == ValueKind::Absent; }
  const std::string& str() const { return static_cast<const StringObject*>(heap.get())->text; }
  const std::vector<Value>& items() const { return static_cast<const ListObject*>(heap.get())->items; }
  const std::vector<std::pair<Value, Value>>& entries() const { return static_cast<const MapObject*>(heap.get())->entries; }
  const RecordObject& rec() const { return *static_cast<const RecordObject*>(heap.get()); }
  const ErrorObject& err() const { return *static_cast<const ErrorObject*>(heap.get()); }
  const TypeObject& type_obj() const { return *static_cast<const TypeObject*>(heap.get()); }
  const CalendarObject& cal() const { return *static_cast<const CalendarObject*>(heap.get()); }
};

// CEL's name of the value's type (`type(x)`): "int", "list", "map", "google.protobuf.Timestamp"…
std::string value_type_name(const Value& v);
// CEL equality: numbers compare across int, uint and double; lists and maps element-wise; values of
// different types are unequal. Errors are handled by the caller.
bool values_equal(const Value& a, const Value& b);
// Ordering for < <= > >=; returns false in `ok` when the two values are not ordered (different types).
int compare_values(const Value& a, const Value& b, bool& ok);
// The value in expression-literal form: 3u, "a", [1, 2.0], date("2024-12-31").
std::string value_literal(const Value& v);
// The value as an applicant reads it in a message: text as is, dates as 2024-12-31, lists with 、.
std::string value_display(const Value& v);

}  // namespace zhiping
