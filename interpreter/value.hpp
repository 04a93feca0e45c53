// Run-time values. A Value is small (24 bytes: kind, payload and a pointer to an immutable object)
// and cheap to copy; strings, lists, maps and records are immutable and shared, which is what makes
// a compiled policy and its constants safe to read from many threads at once.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
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

// Whether the n bytes at p and q are equal, for sizeof(Word) <= n <= 2 * sizeof(Word): the first and
// the last word of each side, which overlap or meet, cover all of them.
template <typename Word>
inline bool ends_equal(const char* p, const char* q, size_t n) {
  Word x, y, u, v;
  std::memcpy(&x, p, sizeof x);
  std::memcpy(&y, q, sizeof y);
  std::memcpy(&u, p + n - sizeof u, sizeof u);
  std::memcpy(&v, q + n - sizeof v, sizeof v);
  return ((x ^ y) | (u ^ v)) == 0;
}

// Whether two texts are equal. Inline for texts of up to 16 bytes — the codes, enum values, series
// names and file suffixes that conditions compare — with two overlapping loads from each side
// instead of a call of memcmp, which cost more than such a comparison; longer texts call it.
inline bool same_text(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n > 16) return std::memcmp(p, q, n) == 0;
  if (n >= 8) return ends_equal<uint64_t>(p, q, n);
  if (n >= 4) return ends_equal<uint32_t>(p, q, n);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// Heap objects are reference-counted without atomics. That is safe because an object is either
// owned by one thread (values made during an evaluation) or owned by an arena and never counted:
// everything a compiled policy holds (literals, constants, calendars) and every prepared input
// record is made while an arena is active (see ValueArena), and only such objects are ever read by
// several threads at once. Shared objects then cost no reference-count traffic at all, which is
// what lets two threads evaluating one policy scale.
struct HeapObject {
  uint32_t refs = 1;
  virtual ~HeapObject() = default;
  // Objects are made in the current arena when there is one (see ValueArena), else on the heap.
  // Arena objects are never deleted one by one; only counted (heap) objects reach operator delete.
  static void* allocate(size_t size);
  static void* operator new(size_t size) { return allocate(size); }
  static void* operator new(size_t, void* place) { return place; }
  static void operator delete(void* p) { ::operator delete(p); }
};

// The values a list or record holds, stored right after the object itself: one allocation, and a
// record's fields sit next to each other in memory.
class ValueSpan {
 public:
  ValueSpan() = default;
  ValueSpan(const Value* data, size_t size) : data_(data), size_(size) {}
  const Value* begin() const { return data_; }
  const Value* end() const;
  const Value* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Value& operator[](size_t i) const;
  operator std::vector<Value>() const;

 private:
  const Value* data_ = nullptr;
  size_t size_ = 0;
};

// Made only by Value::string and Value::bytes: the bytes follow the object (one allocation; in an
// arena, none of its own).
struct StringObject : HeapObject {
  size_t size = 0;
  std::string_view text() const { return {reinterpret_cast<const char*>(this + 1), size}; }
};
// Made only by Value::list: the items follow the object.
struct ListObject : HeapObject {
  ValueSpan items;
  ~ListObject() override;
};
struct MapObject : HeapObject { std::vector<std::pair<Value, Value>> entries; };
// Made only by Value::record: the fields (in the record type's order) follow the object.
struct RecordObject : HeapObject {
  const RecordType* type = nullptr;
  ValueSpan fields;
  ~RecordObject() override;
};
struct TypeObject : HeapObject { std::string name; explicit TypeObject(std::string n) : name(std::move(n)) {} };
struct CalendarObject : HeapObject { std::shared_ptr<const domain::WorkCalendar> calendar; std::string name; };
// An evaluation error is a value, as in CEL: it flows through expressions until something absorbs it
// (`false && error`) or a rule reports it. It carries both languages and the place it arose.
struct ErrorObject : HeapObject { std::string message_zh, message_en; Span span; };

// Owns every heap object made on this thread while it is active (ArenaScope): those objects are
// immutable from then on, shared by any number of threads, never counted, and freed together when
// the arena is destroyed. A Program owns one (its literals and constants), and so does every
// PreparedInput (its record).
class ValueArena {
 public:
  ValueArena() = default;
  ValueArena(const ValueArena&) = delete;
  ValueArena& operator=(const ValueArena&) = delete;
  ~ValueArena();
  void adopt(HeapObject* object) {
    if (objects_.capacity() == 0) objects_.reserve(64);  // a typical record: one allocation
    objects_.push_back(object);
  }
  size_t size() const { return objects_.size(); }
  size_t block_count() const { return blocks_.size(); }
  // Bytes handed out so far: at most what a copy of this arena's values into another one needs.
  size_t bytes() const { return used_ + (next_ ? static_cast<size_t>(next_ - (end_ - current_size_)) : 0); }
  // Starts an empty arena with one block of `size` bytes: an arena about to receive a copy of known
  // size (see copy_value) then holds it in that block alone, big objects included.
  void reserve(size_t size) {
    if (blocks_.empty() && size > 0) start_block((size + 7) & ~size_t(7));
  }
  // Destroys every object but keeps the memory, in one block sized to what was used, for the next
  // record of a thread that reuses its arena. No value of the arena may be used afterwards.
  void reset();
  // Memory for one object, from blocks that grow as needed (8-byte aligned).
  void* allocate(size_t size) {
    size = (size + 7) & ~size_t(7);
    if (size > static_cast<size_t>(end_ - next_)) return allocate_slow(size);
    void* p = next_;
    next_ += size;
    return p;
  }
  // The arena objects are made in on this thread, or nullptr (objects are then counted).
  static ValueArena* current();
  // Whether `p` points into this arena's memory.
  bool owns(const void* p) const;

 private:
  void* allocate_slow(size_t size);
  char* start_block(size_t size);  // a new current block, empty
  std::vector<HeapObject*> objects_;
  struct Block {
    char* start;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t used_ = 0;          // bytes handed out from blocks other than the current one
  size_t current_size_ = 0;  // the size of the block next_ points into
  char* next_ = nullptr;
  char* end_ = nullptr;
  size_t block_size_ = 2048;
};

// Makes `arena` the current arena of this thread for the scope's lifetime.
class ArenaScope {
 public:
  explicit ArenaScope(ValueArena* arena);
  ~ArenaScope();
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;

 private:
  ValueArena* previous_;
};

struct Value {
  ValueKind kind = ValueKind::Null;
  // 1 when `object` is reference-counted (owned by the values that point to it), 0 when it belongs
  // to an arena. Every copy carries the flag, so releasing a value never has to read the object.
  uint8_t counted = 0;
  int32_t nanos = 0;  // timestamps and durations: the sub-second part
  // A value is 16 bytes: a kind that holds an object (string, list, record…) has no scalar, so the
  // pointer shares the scalar's place. Copies copy `u`, which covers both (on wasm32 as well). The
  // size matters most in records: a prepared record's fields are read straight from memory.
  union {
    bool b;
    int64_t i;  // Int, Date (days since 1970-01-01), Timestamp and Duration (seconds)
    uint64_t u;
    double d;
    HeapObject* object;
  };

  Value() : i(0) {}
  Value(const Value& o) : kind(o.kind), counted(o.counted), nanos(o.nanos), u(o.u) {
    if (counted) ++object->refs;
  }
  // A moved-from value keeps its scalar; a counted object is no longer its to release.
  Value(Value&& o) noexcept : kind(o.kind), counted(o.counted), nanos(o.nanos), u(o.u) { o.counted = 0; }
  Value& operator=(const Value& o) {
    if (o.counted) ++o.object->refs;
    release();
    kind = o.kind; counted = o.counted; nanos = o.nanos; u = o.u;
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      release();
      kind = o.kind; counted = o.counted; nanos = o.nanos; u = o.u;
      o.counted = 0;
    }
    return *this;
  }
  ~Value() { release(); }

  static Value absent() { Value v; v.kind = ValueKind::Absent; return v; }
  static Value null() { return Value(); }
  static Value boolean(bool x) { Value v; v.kind = ValueKind::Bool; v.b = x; return v; }
  static Value int64(int64_t x) { Value v; v.kind = ValueKind::Int; v.i = x; return v; }
  static Value uint64(uint64_t x) { Value v; v.kind = ValueKind::Uint; v.u = x; return v; }
  static Value float64(double x) { Value v; v.kind = ValueKind::Double; v.d = x; return v; }
  static Value date(int64_t days) { Value v; v.kind = ValueKind::Date; v.i = days; return v; }
  static Value timestamp(int64_t s, int32_t n) { Value v; v.kind = ValueKind::Timestamp; v.i = s; v.nanos = n; return v; }
  static Value duration(int64_t s, int32_t n) { Value v; v.kind = ValueKind::Duration; v.i = s; v.nanos = n; return v; }
  static Value string(std::string_view s);
  static Value bytes(std::string_view s);
  static Value list(std::vector<Value> items);
  // The same, moving `count` values out of `items` (the caller's buffer keeps its capacity).
  static Value list(Value* items, size_t count);
  static Value map(std::vector<std::pair<Value, Value>> entries);
  static Value record(const RecordType* type, std::vector<Value> fields);
  static Value record(const RecordType* type, Value* fields, size_t count);
  static Value type(std::string name);
  static Value error(Span span, std::string zh, std::string en);
  // A value of `kind` owning a newly made object (counted, or adopted by the current arena).
  static Value from_object(ValueKind kind, HeapObject* object);

  bool is_error() const { return kind == ValueKind::Error; }
  bool is_absent() const { return kind == ValueKind::Absent; }
  // The text of a string (or the bytes of a bytes value), valid as long as the value is.
  std::string_view str() const { return static_cast<const StringObject*>(object)->text(); }
  const ValueSpan& items() const { return static_cast<const ListObject*>(object)->items; }
  const std::vector<std::pair<Value, Value>>& entries() const { return static_cast<const MapObject*>(object)->entries; }
  const RecordObject& rec() const { return *static_cast<const RecordObject*>(object); }
  const ErrorObject& err() const { return *static_cast<const ErrorObject*>(object); }
  const TypeObject& type_obj() const { return *static_cast<const TypeObject*>(object); }
  const CalendarObject& cal() const { return *static_cast<const CalendarObject*>(object); }

 private:
  void release() {
    if (counted && --object->refs == 0) delete object;
  }
};

static_assert(sizeof(void*) > 8 || sizeof(Value) == 16, "a value is 16 bytes (see Value)");

inline const Value* ValueSpan::end() const { return data_ + size_; }
inline const Value& ValueSpan::operator[](size_t i) const { return data_[i]; }
inline ValueSpan::operator std::vector<Value>() const { return std::vector<Value>(begin(), end()); }

// The value with every object it reaches made anew: in the current arena when there is one, which
// then owns the copy whatever owned the original (a prepared input is converted into a scratch arena
// and copied into a tight one of its own). With `from`, only objects of that arena are copied; any
// other uncounted object is shared as it is, so it must outlive the copy (a program's enum values,
// which a prepared record shares with the program it keeps alive).
Value copy_value(const Value& v, const ValueArena* from = nullptr);

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
// Appends value_display(v) to `out`; texts, integers and dates (what messages quote) in place.
void append_display(std::string& out, const Value& v);

}  // namespace zhiping
