// Value construction, CEL equality and ordering, and the two printed forms of a value.
#include "interpreter/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <sstream>

#include "stdlib/domain/date.hpp"

namespace zhiping {

namespace {
thread_local ValueArena* g_current_arena = nullptr;
}

ValueArena::~ValueArena() {
  // The objects' own values are uncounted (they were made in this arena), so the order is free.
  for (HeapObject* o : objects_) o->~HeapObject();
  for (const Block& b : blocks_) ::operator delete(b.start);
}
void ValueArena::reset() {
  for (HeapObject* o : objects_) o->~HeapObject();
  objects_.clear();
  char* current = next_ ? end_ - current_size_ : nullptr;
  if (blocks_.size() == 1 && current) {
    next_ = current;  // the one block is reused from its start
    return;
  }
  if (blocks_.empty()) return;
  // Several blocks: they are replaced by one that holds as much as all of them held, so that the
  // next record of this size fits in a single block.
  size_t needed = used_ + (current ? static_cast<size_t>(next_ - current) : 0);
  for (const Block& b : blocks_) ::operator delete(b.start);
  blocks_.clear();
  size_t size = 2048;
  while (size < needed && size < (256u << 10)) size *= 2;
  used_ = 0;
  start_block(size);
}
char* ValueArena::start_block(size_t size) {
  char* block = static_cast<char*>(::operator new(size));
  blocks_.push_back({block, size});
  next_ = block;
  end_ = block + size;
  current_size_ = size;
  return block;
}
void* ValueArena::allocate_slow(size_t size) {
  // Blocks double (a prepared record fits in the first one or two; a policy's constants in a few);
  // an object larger than half a block gets a block of its own.
  if (size > block_size_ / 2) {
    void* p = ::operator new(size);
    // A block of its own is kept after the current one, which stays current.
    blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, Block{static_cast<char*>(p), size});
    used_ += size;
    return p;
  }
  if (next_) used_ += static_cast<size_t>(next_ - (end_ - current_size_));
  char* block = start_block(block_size_);
  next_ += size;
  if (block_size_ < (64u << 10)) block_size_ *= 2;
  return block;
}
void* HeapObject::allocate(size_t size) {
  if (ValueArena* arena = g_current_arena) return arena->allocate(size);
  return ::operator new(size);
}
ValueArena* ValueArena::current() { return g_current_arena; }
bool ValueArena::owns(const void* p) const {
  auto* c = static_cast<const char*>(p);
  for (const Block& b : blocks_)
    if (c >= b.start && c < b.start + b.size) return true;
  return false;
}
ArenaScope::ArenaScope(ValueArena* arena) : previous_(g_current_arena) { g_current_arena = arena; }
ArenaScope::~ArenaScope() { g_current_arena = previous_; }

namespace {
// An arena frees its blocks in one go; it need only run the destructors of objects that own
// something else. A list or record of uncounted values (all of a prepared record's, typically) owns
// nothing, just as a string does, so it is not listed: a record costs one pointer less to adopt,
// and no destructor call when the arena is reset.
bool needs_destruction(ValueKind kind, const HeapObject* object) {
  const ValueSpan* values = kind == ValueKind::List     ? &static_cast<const ListObject*>(object)->items
                            : kind == ValueKind::Record ? &static_cast<const RecordObject*>(object)->fields
                                                        : nullptr;
  if (!values) return true;
  for (const Value& v : *values)
    if (v.counted) return true;
  return false;
}
}  // namespace

Value Value::from_object(ValueKind kind, HeapObject* object) {
  Value v;
  v.kind = kind;
  v.object = object;
  if (ValueArena* arena = g_current_arena) {
    if (needs_destruction(kind, object)) arena->adopt(object);
  } else {
    v.counted = 1;
  }
  return v;
}

namespace {
StringObject* make_string_object(std::string_view s) {
  void* memory = HeapObject::allocate(sizeof(StringObject) + s.size());
  auto* obj = new (memory) StringObject();
  obj->size = s.size();
  if (!s.empty()) std::memcpy(obj + 1, s.data(), s.size());
  return obj;
}

// A string owns nothing but its own memory, so an arena need not list it for destruction: the
// arena's blocks are all there is to free.
Value string_value(ValueKind kind, std::string_view s) {
  Value v;
  v.kind = kind;
  v.object = make_string_object(s);
  v.counted = g_current_arena ? 0 : 1;
  return v;
}
}  // namespace

Value Value::string(std::string_view s) { return string_value(ValueKind::String, s); }
Value Value::bytes(std::string_view s) { return string_value(ValueKind::Bytes, s); }
ListObject::~ListObject() {
  for (const Value& v : items) v.~Value();
}
RecordObject::~RecordObject() {
  for (const Value& v : fields) v.~Value();
}

namespace {
// Makes an object of type T with `count` values stored right after it, the i-th constructed in
// place by make(i). The object is allocated before its values are made, so that a copy (below)
// lays a record out before its lists and strings: in the order an evaluation reads them.
template <typename T, typename Make>
T* with_trailing_values(size_t count, ValueSpan T::*span, Make make) {
  // The values start at the next multiple of their alignment (objects are smaller on wasm32).
  constexpr size_t offset = (sizeof(T) + alignof(Value) - 1) / alignof(Value) * alignof(Value);
  void* memory = HeapObject::allocate(offset + count * sizeof(Value));
  T* obj = new (memory) T();
  Value* data = reinterpret_cast<Value*>(static_cast<char*>(memory) + offset);
  for (size_t i = 0; i < count; ++i) new (data + i) Value(make(i));
  obj->*span = ValueSpan(data, count);
  return obj;
}
}  // namespace

Value Value::list(std::vector<Value> items) { return list(items.data(), items.size()); }
Value Value::list(Value* items, size_t count) {
  auto take = [items](size_t i) { return std::move(items[i]); };
  return from_object(ValueKind::List, with_trailing_values<ListObject>(count, &ListObject::items, take));
}
Value Value::map(std::vector<std::pair<Value, Value>> entries) {
  auto* obj = new MapObject();
  obj->entries = std::move(entries);
  return from_object(ValueKind::Map, obj);
}
Value Value::record(const RecordType* type, std::vector<Value> fields) { return record(type, fields.data(), fields.size()); }
Value Value::record(const RecordType* type, Value* fields, size_t count) {
  auto take = [fields](size_t i) { return std::move(fields[i]); };
  RecordObject* obj = with_trailing_values<RecordObject>(count, &RecordObject::fields, take);
  obj->type = type;
  return from_object(ValueKind::Record, obj);
}
Value Value::type(std::string name) { return from_object(ValueKind::Type, new TypeObject(std::move(name))); }
Value Value::error(Span span, std::string zh, std::string en) {
  auto* obj = new ErrorObject();
  obj->message_zh = std::move(zh);
  obj->message_en = std::move(en);
  obj->span = span;
  return from_object(ValueKind::Error, obj);
}

namespace {
bool holds_object(ValueKind k) {
  switch (k) {
    case ValueKind::String: case ValueKind::Bytes: case ValueKind::List: case ValueKind::Map:
    case ValueKind::Record: case ValueKind::Type: case ValueKind::Calendar: case ValueKind::Error: return true;
    default: return false;
  }
}
}  // namespace

Value copy_value(const Value& v, const ValueArena* from) {
  // An object made elsewhere than `from` is shared, not copied (see the declaration).
  if (!holds_object(v.kind) || (from && !v.counted && !from->owns(v.object))) return v;
  switch (v.kind) {
    case ValueKind::String: return Value::string(v.str());
    case ValueKind::Bytes: return Value::bytes(v.str());
    case ValueKind::List: {
      const ValueSpan& items = v.items();
      auto copy = [&items, from](size_t i) { return copy_value(items[i], from); };
      return Value::from_object(ValueKind::List, with_trailing_values<ListObject>(items.size(), &ListObject::items, copy));
    }
    case ValueKind::Record: {
      const ValueSpan& fields = v.rec().fields;
      auto copy = [&fields, from](size_t i) { return copy_value(fields[i], from); };
      RecordObject* obj = with_trailing_values<RecordObject>(fields.size(), &RecordObject::fields, copy);
      obj->type = v.rec().type;
      return Value::from_object(ValueKind::Record, obj);
    }
    case ValueKind::Map: {
      std::vector<std::pair<Value, Value>> entries;
      entries.reserve(v.entries().size());
      for (const auto& [key, value] : v.entries()) entries.emplace_back(copy_value(key, from), copy_value(value, from));
      return Value::map(std::move(entries));
    }
    case ValueKind::Type: return Value::type(v.type_obj().name);
    case ValueKind::Error: return Value::error(v.err().span, v.err().message_zh, v.err().message_en);
    default: {  // Calendar
      auto* obj = new CalendarObject(v.cal());
      obj->refs = 1;
      return Value::from_object(ValueKind::Calendar, obj);
    }
  }
}

std::string value_type_name(const Value& v) {
  switch (v.kind) {
    case ValueKind::Absent: return "absent";
    case ValueKind::Null: return "null_type";
    case ValueKind::Bool: return "bool";
    case ValueKind::Int: return "int";
    case ValueKind::Uint: return "uint";
    case ValueKind::Double: return "double";
    case ValueKind::String: return "string";
    case ValueKind::Bytes: return "bytes";
    case ValueKind::Date: return "date";
    case ValueKind::Timestamp: return "google.protobuf.Timestamp";
    case ValueKind::Duration: return "google.protobuf.Duration";
    case ValueKind::List: return "list";
    case ValueKind::Map: return "map";
    case ValueKind::Record: return v.rec().type ? v.rec().type->name : "record";
    case ValueKind::Type: return "type";
    case ValueKind::Calendar: return "calendar";
    case ValueKind::Error: return "error";
  }
  return "?";
}

namespace {
// Numbers compare across int, uint and double by value (CEL's heterogeneous equality).
bool numeric_compare(const Value& a, const Value& b, int& out) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.kind == b.kind) {
    if (a.kind == ValueKind::Int) { out = cmp(a.i, b.i); return true; }
    if (a.kind == ValueKind::Uint) { out = cmp(a.u, b.u); return true; }
    if (a.kind == ValueKind::Double) {
      if (std::isnan(a.d) || std::isnan(b.d)) return false;
      out = cmp(a.d, b.d);
      return true;
    }
    return false;
  }
  if (a.kind == ValueKind::Int && b.kind == ValueKind::Uint) {
    out = a.i < 0 ? -1 : cmp(static_cast<uint64_t>(a.i), b.u);
    return true;
  }
  if (a.kind == ValueKind::Uint && b.kind == ValueKind::Int) {
    out = b.i < 0 ? 1 : cmp(a.u, static_cast<uint64_t>(b.i));
    return true;
  }
  auto as_double_cmp = [&](double x, const Value& other, bool flip) {
    if (std::isnan(x)) return false;
    // Compare exactly: an int64 beyond 2^53 must not be rounded into equality with a double.
    int r;
    if (other.kind == ValueKind::Int) {
      if (x < -9223372036854775808.0) r = -1;
      else if (x >= 9223372036854775808.0) r = 1;
      else {
        double t = std::trunc(x);
        int64_t xi = static_cast<int64_t>(t);
        r = cmp(xi, other.i);
        if (r == 0 && x != t) r = x > t ? 1 : -1;
      }
    } else {
      if (x < 0) r = -1;
      else if (x >= 18446744073709551616.0) r = 1;
      else {
        double t = std::trunc(x);
        uint64_t xu = static_cast<uint64_t>(t);
        r = cmp(xu, other.u);
        if (r == 0 && x != t) r = 1;
      }
    }
    out = flip ? -r : r;
    return true;
  };
  if (a.kind == ValueKind::Double && (b.kind == ValueKind::Int || b.kind == ValueKind::Uint)) return as_double_cmp(a.d, b, false);
  if (b.kind == ValueKind::Double && (a.kind == ValueKind::Int || a.kind == ValueKind::Uint)) return as_double_cmp(b.d, a, true);
  return false;
}
bool is_number(const Value& v) { return v.kind == ValueKind::Int || v.kind == ValueKind::Uint || v.kind == ValueKind::Double; }
}  // namespace

bool values_equal(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) {
    int r;
    return numeric_compare(a, b, r) && r == 0;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Absent:
    case ValueKind::Null: return true;
    case ValueKind::Bool: return a.b == b.b;
    case ValueKind::String:
    case ValueKind::Bytes: return a.str() == b.str();
    case ValueKind::Date: return a.i == b.i;
    case ValueKind::Timestamp:
    case ValueKind::Duration: return a.i == b.i && a.nanos == b.nanos;
    case ValueKind::List: {
      auto& x = a.items();
      auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!values_equal(x[i], y[i])) return false;
      return true;
    }
    case ValueKind::Map: {
      auto& x = a.entries();
      auto& y = b.entries();
      if (x.size() != y.size()) return false;
      for (auto& [k, v] : x) {
        bool found = false;
        for (auto& [k2, v2] : y) {
          if (values_equal(k, k2)) {
            if (!values_equal(v, v2)) return false;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    case ValueKind::Record: {
      if (a.rec().type != b.rec().type) return false;
      for (size_t i = 0; i < a.rec().fields.size(); ++i)
        if (!values_equal(a.rec().fields[i], b.rec().fields[i])) return false;
      return true;
    }
    case ValueKind::Type: return a.type_obj().name == b.type_obj().name;
    case ValueKind::Calendar: return a.object == b.object;
    default: return false;
  }
}

int compare_values(const Value& a, const Value& b, bool& ok) {
  ok = true;
  int r = 0;
  if (is_number(a) && is_number(b)) {
    ok = numeric_compare(a, b, r);
    return r;
  }
  if (a.kind != b.kind) { ok = false; return 0; }
  switch (a.kind) {
    case ValueKind::Bool: return a.b == b.b ? 0 : (a.b ? 1 : -1);
    case ValueKind::String:
    case ValueKind::Bytes: {
      int c = a.str().compare(b.str());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::Date: return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    case ValueKind::Timestamp:
    case ValueKind::Duration:
      if (a.i != b.i) return a.i < b.i ? -1 : 1;
      return a.nanos < b.nanos ? -1 : (a.nanos > b.nanos ? 1 : 0);
    default: ok = false; return 0;
  }
}

namespace {
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}
std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+infinity" : "-infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  // Prefer the shortest text that reads back to the same double.
  for (int p = 1; p <= 17; ++p) {
    char tmp[64];
    std::snprintf(tmp, sizeof tmp, "%.*g", p, d);
    if (std::strtod(tmp, nullptr) == d) { std::snprintf(buf, sizeof buf, "%s", tmp); break; }
  }
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}
std::string format_timestamp(int64_t secs, int32_t nanos) {
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int y, m, d;
  domain::to_ymd(domain::Date{static_cast<int32_t>(days)}, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, int(rem / 3600), int(rem / 60 % 60), int(rem % 60));
  std::string s = buf;
  if (nanos) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09d", nanos);
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s + "Z";
}
std::string format_duration(int64_t secs, int32_t nanos) {
  std::string s;
  bool negative = secs < 0 || nanos < 0;
  uint64_t as = secs < 0 ? 0 - static_cast<uint64_t>(secs) : static_cast<uint64_t>(secs);
  int32_t an = nanos < 0 ? -nanos : nanos;
  s = (negative ? "-" : "") + std::to_string(as);
  if (an) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09d", an);
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s + "s";
}
}  // namespace

std::string value_literal(const Value& v) {
  switch (v.kind) {
    case ValueKind::Absent: return "<absent>";
    case ValueKind::Null: return "null";
    case ValueKind::Bool: return v.b ? "true" : "false";
    case ValueKind::Int: return std::to_string(v.i);
    case ValueKind::Uint: return std::to_string(v.u) + "u";
    case ValueKind::Double: return format_double(v.d);
    case ValueKind::String: return quote(v.str());
    case ValueKind::Bytes: return "b" + quote(v.str());
    case ValueKind::Date: return "date(\"" + domain::format_date(domain::Date{static_cast<int32_t>(v.i)}) + "\")";
    case ValueKind::Timestamp: return "timestamp(\"" + format_timestamp(v.i, v.nanos) + "\")";
    case ValueKind::Duration: return "duration(\"" + format_duration(v.i, v.nanos) + "\")";
    case ValueKind::List: {
      std::string s = "[";
      for (size_t i = 0; i < v.items().size(); ++i) s += (i ? ", " : "") + value_literal(v.items()[i]);
      return s + "]";
    }
    case ValueKind::Map: {
      std::string s = "{";
      bool first = true;
      for (auto& [k, x] : v.entries()) {
        s += (first ? "" : ", ") + value_literal(k) + ": " + value_literal(x);
        first = false;
      }
      return s + "}";
    }
    case ValueKind::Record: {
      const auto& r = v.rec();
      std::string s = (r.type ? r.type->name : std::string("record")) + "{";
      bool first = true;
      for (size_t i = 0; i < r.fields.size(); ++i) {
        if (r.fields[i].is_absent()) continue;
        s += (first ? "" : ", ") + (r.type ? r.type->fields[i].name : std::to_string(i)) + ": " + value_literal(r.fields[i]);
        first = false;
      }
      return s + "}";
    }
    case ValueKind::Type: return v.type_obj().name;
    case ValueKind::Calendar: return "calendar(" + v.cal().name + ")";
    case ValueKind::Error: return "error(" + quote(v.err().message_en) + ")";
  }
  return "?";
}

std::string value_display(const Value& v) {
  switch (v.kind) {
    case ValueKind::String: return std::string(v.str());
    case ValueKind::Date: return domain::format_date(domain::Date{static_cast<int32_t>(v.i)});
    case ValueKind::Null:
    case ValueKind::Absent: return "（未填写）";
    case ValueKind::Bool: return v.b ? "是" : "否";
    case ValueKind::List: {
      std::string s;
      for (size_t i = 0; i < v.items().size(); ++i) s += (i ? "、" : "") + value_display(v.items()[i]);
      return s;
    }
    default: return value_literal(v);
  }
}

// Appends a value as an applicant reads it, what value_display(v) returns; texts, integers and
// dates (what messages quote) are written in place.
void append_display(std::string& out, const Value& v) {
  if (v.kind == ValueKind::String) {
    out.append(v.str());
  } else if (v.kind == ValueKind::Int) {
    char digits[24];
    out.append(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, v.i).ptr - digits));
  } else if (v.kind == ValueKind::Date) {
    domain::append_date(out, domain::Date{static_cast<int32_t>(v.i)});
  } else {
    out += value_display(v);
  }
}

}  // namespace zhiping
