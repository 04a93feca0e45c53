// JSON ⇄ values: schema-directed conversion of input records, dynamic conversion of bindings, and
// the JSON form of output values.
#include "interpreter/input.hpp"

#include <cmath>

#include "interpreter/json_scan.hpp"
#include "stdlib/domain/date.hpp"

namespace zhiping {
namespace {

constexpr size_t kMaxProblems = 50;

std::string json_kind(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return j.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::string: {
      std::string s = j.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 40) + "…";
      return nlohmann::json(s).dump();
    }
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return j.dump();
  }
}

std::string json_kind_zh(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::array: return "数组";
    case nlohmann::json::value_t::object: return "对象";
    default: return json_kind(j);
  }
}

void problem(std::vector<InputProblem>& problems, const std::string& path, const std::string& zh, const std::string& en) {
  if (problems.size() < kMaxProblems) problems.push_back(InputProblem{path, zh, en});
}

struct DepthExceeded {};

}  // namespace

Value json_to_value(const nlohmann::json& j, const Type* type, const Program& program, const std::string& path,
                    std::vector<InputProblem>& problems) {
  auto mismatch = [&](const std::string& want_zh, const std::string& want_en) {
    problem(problems, path, "应为" + want_zh + "，实际为 " + json_kind_zh(j), "expected " + want_en + ", got " + json_kind(j));
    return Value::null();
  };
  switch (type->kind) {
    case TypeKind::Dyn:
    case TypeKind::Error: return json_to_dynamic(j);
    case TypeKind::Null: return j.is_null() ? Value::null() : mismatch("null", "null");
    case TypeKind::Bool: return j.is_boolean() ? Value::boolean(j.get<bool>()) : mismatch("布尔值 true/false", "a bool");
    case TypeKind::Int:
      if (j.is_number_integer() && !j.is_number_unsigned()) return Value::int64(j.get<int64_t>());
      if (j.is_number_unsigned()) {
        uint64_t u = j.get<uint64_t>();
        if (u <= static_cast<uint64_t>(INT64_MAX)) return Value::int64(static_cast<int64_t>(u));
      }
      return mismatch("整数", "an integer");
    case TypeKind::Uint:
      if (j.is_number_unsigned()) return Value::uint64(j.get<uint64_t>());
      if (j.is_number_integer() && j.get<int64_t>() >= 0) return Value::uint64(static_cast<uint64_t>(j.get<int64_t>()));
      return mismatch("非负整数", "a non-negative integer");
    case TypeKind::Double: return j.is_number() ? Value::float64(j.get<double>()) : mismatch("数字", "a number");
    case TypeKind::String: return j.is_string() ? Value::string(j.get_ref<const std::string&>()) : mismatch("文本", "a string");
    case TypeKind::Enum: {
      if (j.is_string()) {
        if (const Value* v = program.enum_value(type->enumeration, j.get_ref<const std::string&>())) return *v;
      }
      // The list of allowed values is written only for the message.
      std::string values;
      for (auto& v : type->enumeration->values) values += (values.empty() ? "" : ", ") + nlohmann::json(v).dump();
      return mismatch("以下取值之一：" + values, "one of " + values);
    }
    case TypeKind::Bytes: return j.is_string() ? Value::bytes(j.get_ref<const std::string&>()) : mismatch("文本", "a string");
    case TypeKind::Date: {
      if (j.is_string()) {
        auto d = domain::parse_date(j.get<std::string>());
        if (d) return Value::date(d->days);
      }
      return mismatch("日期 \"YYYY-MM-DD\"", "a date \"YYYY-MM-DD\"");
    }
    case TypeKind::Timestamp:
    case TypeKind::Duration:
    case TypeKind::TypeValue:
    case TypeKind::Calendar: return json_to_dynamic(j);
    case TypeKind::List: {
      if (!j.is_array()) return mismatch("数组", "an array");
      std::vector<Value> items;
      items.reserve(j.size());
      for (size_t i = 0; i < j.size(); ++i)
        items.push_back(json_to_value(j[i], type->elem, program, path + "[" + std::to_string(i) + "]", problems));
      return Value::list(std::move(items));
    }
    case TypeKind::Map: {
      if (!j.is_object()) return mismatch("对象", "an object");
      std::vector<std::pair<Value, Value>> entries;
      for (auto it = j.begin(); it != j.end(); ++it)
        entries.emplace_back(Value::string(it.key()), json_to_value(it.value(), type->elem, program, path + "." + it.key(), problems));
      return Value::map(std::move(entries));
    }
    case TypeKind::Record: {
      if (!j.is_object()) return mismatch("对象", "an object");
      const RecordType* r = type->record;
      std::vector<Value> fields(r->fields.size(), Value::absent());
      for (size_t i = 0; i < r->fields.size(); ++i) {
        const FieldDecl& f = r->fields[i];
        auto it = j.find(f.name);
        std::string field_path = path + "." + f.name;
        if (it == j.end() || it->is_null()) {
          // Absent and null both mean "not provided": the default if the schema gives one, else an
          // absent optional field, else an input error.
          auto d = program.field_defaults.find({r, static_cast<int>(i)});
          if (d != program.field_defaults.end()) fields[i] = d->second;
          else if (!f.optional)
            problem(problems, field_path, "缺少必填字段" + (f.label.empty() ? "" : "“" + f.label + "”"),
                    "required field is missing");
          continue;
        }
        fields[i] = json_to_value(*it, f.type, program, field_path, problems);
      }
      return Value::record(r, std::move(fields));
    }
  }
  return Value::null();
}

Value json_to_dynamic(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value::null();
    case nlohmann::json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::int64(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      return u <= static_cast<uint64_t>(INT64_MAX) ? Value::int64(static_cast<int64_t>(u)) : Value::uint64(u);
    }
    case nlohmann::json::value_t::number_float: return Value::float64(j.get<double>());
    case nlohmann::json::value_t::string: return Value::string(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (auto& x : j) items.push_back(json_to_dynamic(x));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      std::vector<std::pair<Value, Value>> entries;
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(Value::string(it.key()), json_to_dynamic(it.value()));
      return Value::map(std::move(entries));
    }
    default: return Value::null();
  }
}

const Type* dynamic_type_of(const Value& v) {
  switch (v.kind) {
    case ValueKind::Null: return types::null();
    case ValueKind::Bool: return types::boolean();
    case ValueKind::Int: return types::int64();
    case ValueKind::Uint: return types::uint64();
    case ValueKind::Double: return types::float64();
    case ValueKind::String: return types::string();
    case ValueKind::Bytes: return types::bytes();
    case ValueKind::Date: return types::date();
    case ValueKind::Timestamp: return types::timestamp();
    case ValueKind::Duration: return types::duration();
    case ValueKind::List: {
      // Interned once: interning takes a process-wide lock, which evaluation must never wait for.
      static const Type* const list_of_dyn = types::list(types::dyn());
      return list_of_dyn;
    }
    case ValueKind::Map: {
      static const Type* const map_of_dyn = types::map(types::dyn(), types::dyn());
      return map_of_dyn;
    }
    default: return types::dyn();
  }
}

nlohmann::json value_to_json(const Value& v) {
  switch (v.kind) {
    case ValueKind::Absent:
    case ValueKind::Null: return nullptr;
    case ValueKind::Bool: return v.b;
    case ValueKind::Int: return v.i;
    case ValueKind::Uint: return v.u;
    case ValueKind::Double:
      if (std::isnan(v.d) || std::isinf(v.d)) return value_literal(v);
      return v.d;
    case ValueKind::String: return v.str();
    case ValueKind::Date: return value_display(v);
    case ValueKind::List: {
      nlohmann::json a = nlohmann::json::array();
      for (auto& x : v.items()) a.push_back(value_to_json(x));
      return a;
    }
    case ValueKind::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (auto& [k, x] : v.entries()) o[k.kind == ValueKind::String ? k.str() : value_literal(k)] = value_to_json(x);
      return o;
    }
    case ValueKind::Record: {
      nlohmann::json o = nlohmann::json::object();
      const auto& r = v.rec();
      for (size_t i = 0; i < r.fields.size(); ++i)
        if (!r.fields[i].is_absent()) o[r.type->fields[i].name] = value_to_json(r.fields[i]);
      return o;
    }
    default: return value_literal(v);
  }
}

bool parse_json_limited(std::string_view text, size_t max_bytes, int max_depth, nlohmann::json& out, std::string& error_zh,
                        std::string& error_en) {
  if (text.size() > max_bytes) {
    error_zh = "输入过大（上限 " + std::to_string(max_bytes) + " 字节）";
    error_en = "input too large (limit " + std::to_string(max_bytes) + " bytes)";
    return false;
  }
  try {
    out = nlohmann::json::parse(
        text.begin(), text.end(),
        [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (depth > max_depth) throw DepthExceeded{};
          return true;
        });
    return true;
  } catch (const DepthExceeded&) {
    error_zh = "输入嵌套过深（上限 " + std::to_string(max_depth) + " 层）";
    error_en = "input nested too deeply (limit " + std::to_string(max_depth) + " levels)";
  } catch (const nlohmann::json::parse_error& e) {
    error_zh = "不是有效的 JSON（第 " + std::to_string(e.byte) + " 个字节附近）";
    error_en = std::string("not valid JSON: ") + e.what();
  }
  return false;
}

}  // namespace zhiping

namespace zhiping {
namespace {

// A SAX handler (see scan_json) that builds values by the schema as the scanner goes. Any mismatch
// stops the scan; the DOM path then reports it with its path, so this code only has to be right for
// valid input.
class SchemaSax {
 public:
  SchemaSax(const Type* root, const Program& program, int max_depth)
      : root_(root), program_(program), max_depth_(max_depth), frames_(frame_pool()) {}
  SchemaSax(const SchemaSax&) = delete;
  SchemaSax& operator=(const SchemaSax&) = delete;
  ~SchemaSax() {
    while (top_ > 0) pop();  // a scan that stopped early leaves frames open
  }

  Value result;

  bool null() {
    const Type* t = expected();
    if (!t) return true;  // skipped
    if (in_record_field()) return store(Value::absent());
    if (t->kind == TypeKind::Dyn || t->kind == TypeKind::Null || t->kind == TypeKind::Error) return store(Value::null());
    return false;
  }
  bool boolean(bool b) { return scalar(TypeKind::Bool, Value::boolean(b)); }
  bool number_integer(int64_t v) {
    const Type* t = expected();
    if (!t) return true;
    if (t->kind == TypeKind::Int || is_dyn(t)) return store(Value::int64(v));
    if (t->kind == TypeKind::Double) return store(Value::float64(static_cast<double>(v)));
    if (t->kind == TypeKind::Uint && v >= 0) return store(Value::uint64(static_cast<uint64_t>(v)));
    return false;
  }
  bool number_unsigned(uint64_t v) {
    const Type* t = expected();
    if (!t) return true;
    bool fits = v <= static_cast<uint64_t>(INT64_MAX);
    if ((t->kind == TypeKind::Int || is_dyn(t)) && fits) return store(Value::int64(static_cast<int64_t>(v)));
    if (t->kind == TypeKind::Uint || (is_dyn(t) && !fits)) return store(Value::uint64(v));
    if (t->kind == TypeKind::Double) return store(Value::float64(static_cast<double>(v)));
    return false;
  }
  bool number_float(double v, std::string_view) {
    const Type* t = expected();
    if (!t) return true;
    if (t->kind == TypeKind::Double || is_dyn(t)) return store(Value::float64(v));
    return false;
  }
  bool string(std::string_view s) {
    const Type* t = expected();
    if (!t) return true;
    switch (t->kind) {
      case TypeKind::String: return store(Value::string(s));
      case TypeKind::Bytes: return store(Value::bytes(s));
      case TypeKind::Enum: {
        const Value* v = program_.enum_value(t->enumeration, s);
        return v && store(*v);
      }
      case TypeKind::Date: {
        auto d = domain::parse_date(s);
        return d && store(Value::date(d->days));
      }
      case TypeKind::Dyn:
      case TypeKind::Error: return store(Value::string(s));
      default: return false;
    }
  }
  bool start_object(std::size_t) {
    if (++depth_ > max_depth_) return false;
    const Type* t = expected();
    if (!t) { ++skip_; return true; }
    if (t->kind == TypeKind::Record) {
      push(t, Frame::Record, -2).items.resize(t->record->fields.size(), Value::absent());
      return true;
    }
    if (t->kind == TypeKind::Map || is_dyn(t)) {
      push(t, Frame::Map, -1);
      return true;
    }
    return false;
  }
  // The key a record expects next: the field after the last one seen, since JSON objects usually
  // list their keys in the declared order.
  std::string_view key_hint() const {
    if (skip_ || empty()) return {};
    const Frame& f = back();
    if (f.kind != Frame::Record) return {};
    const auto& fields = f.type->record->fields;
    const size_t next = static_cast<size_t>(f.last + 1);
    return next < fields.size() ? std::string_view(fields[next].name) : std::string_view();
  }
  bool key(std::string_view k) {
    if (skip_) return true;
    Frame& f = back();
    if (f.kind == Frame::Record) {
      f.field = f.type->record->field_index(k, f.last + 1);  // -1: not in the schema, its value is skipped
      if (f.field >= 0) f.last = f.field;
    } else {
      f.keys.push_back(Value::string(k));
    }
    return true;
  }
  bool end_object() {
    --depth_;
    if (skip_) { --skip_; return true; }
    Frame& f = back();
    Value v;
    if (f.kind == Frame::Record) {
      const RecordType* r = f.type->record;
      for (size_t i = 0; i < r->fields.size(); ++i) {
        if (!f.items[i].is_absent()) continue;
        auto d = program_.field_defaults.find({r, static_cast<int>(i)});
        if (d != program_.field_defaults.end()) f.items[i] = d->second;
        else if (!r->fields[i].optional) return false;
      }
      v = Value::record(r, f.items.data(), f.items.size());
    } else {
      std::vector<std::pair<Value, Value>> entries;
      entries.reserve(f.items.size());
      for (size_t i = 0; i < f.items.size(); ++i) entries.emplace_back(std::move(f.keys[i]), std::move(f.items[i]));
      v = Value::map(std::move(entries));
    }
    pop();
    return store(std::move(v));
  }
  bool start_array(std::size_t) {
    if (++depth_ > max_depth_) return false;
    const Type* t = expected();
    if (!t) { ++skip_; return true; }
    if (t->kind != TypeKind::List && !is_dyn(t)) return false;
    push(t, Frame::List, -1);
    return true;
  }
  bool end_array() {
    --depth_;
    if (skip_) { --skip_; return true; }
    Frame& f = back();
    Value v = Value::list(f.items.data(), f.items.size());
    pop();
    return store(std::move(v));
  }

 private:
  struct Frame {
    const Type* type;
    enum Kind { Record, List, Map } kind;
    std::vector<Value> items;  // record fields by index, list items, or map values
    std::vector<Value> keys;   // map keys
    int field;                 // record: the field of the current key (-1 unknown, -2 none yet)
    int last;                  // record: the last field that had a key, or -1
  };

  // Frames are kept per thread from record to record, so that their vectors keep their capacity
  // and converting a record allocates nothing but the record's own values.
  static std::vector<Frame>& frame_pool() {
    thread_local std::vector<Frame> pool;
    return pool;
  }
  Frame& push(const Type* t, Frame::Kind kind, int field) {
    if (top_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[top_++];
    f.type = t;
    f.kind = kind;
    f.field = field;
    f.last = -1;
    return f;
  }
  void pop() {
    Frame& f = frames_[--top_];
    f.items.clear();
    f.keys.clear();
  }
  Frame& back() { return frames_[top_ - 1]; }
  const Frame& back() const { return frames_[top_ - 1]; }
  bool empty() const { return top_ == 0; }

  // The type the next value must have; nullptr when it is being skipped (unknown record key).
  const Type* expected() const {
    if (skip_) return nullptr;
    if (empty()) return root_;
    const Frame& f = back();
    switch (f.kind) {
      case Frame::Record: return f.field >= 0 ? f.type->record->fields[f.field].type : nullptr;
      case Frame::List: return is_dyn(f.type) ? types::dyn() : f.type->elem;
      case Frame::Map: return is_dyn(f.type) ? types::dyn() : f.type->elem;
    }
    return nullptr;
  }
  bool in_record_field() const { return !empty() && back().kind == Frame::Record && back().field >= 0; }
  bool scalar(TypeKind kind, Value v) {
    const Type* t = expected();
    if (!t) return true;
    if (t->kind == kind || is_dyn(t)) return store(std::move(v));
    return false;
  }
  bool store(Value v) {
    if (empty()) {
      result = std::move(v);
      return true;
    }
    Frame& f = back();
    if (f.kind == Frame::Record) {
      if (f.field >= 0) f.items[f.field] = std::move(v);
      f.field = -2;
    } else {
      f.items.push_back(std::move(v));
    }
    return true;
  }

  const Type* root_;
  const Program& program_;
  int max_depth_;
  int depth_ = 0;
  int skip_ = 0;  // nesting depth inside a skipped (unknown-key) value
  std::vector<Frame>& frames_;
  size_t top_ = 0;
};

}  // namespace

bool json_text_to_value(std::string_view text, const Type* type, const Program& program, int max_depth, Value& out) {
  SchemaSax sax(type, program, max_depth);
  if (!scan_json(text, sax)) return false;
  out = std::move(sax.result);
  return out.kind == ValueKind::Record || type->kind != TypeKind::Record;
}

}  // namespace zhiping
