// The CEL core library: size, string tests, regex matching, type conversions, and a few list
// helpers the policies need (sum, max, min, range).
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "interpreter/evaluator.hpp"
#include "interpreter/functions.hpp"
#include "stdlib/domain/date.hpp"
#include "stdlib/domain/regex.hpp"
#include "stdlib/domain/text.hpp"
#include "stdlib/support.hpp"

namespace zhiping {
namespace {
using namespace types;

Value size_of(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  switch (v.kind) {
    case ValueKind::String: return Value::int64(static_cast<int64_t>(domain::utf8_length(v.str())));
    case ValueKind::Bytes: return Value::int64(static_cast<int64_t>(v.str().size()));
    case ValueKind::List: return Value::int64(static_cast<int64_t>(v.items().size()));
    case ValueKind::Map: return Value::int64(static_cast<int64_t>(v.entries().size()));
    default: return no_overload_error(ctx.span, "size", {v});
  }
}

// Compiled patterns are cached per thread: patterns are few (they are literals in policies) and a
// per-thread cache needs no lock on the hot path.
Value regex_search(const Value* a, size_t, CallContext& ctx) {
  thread_local std::unordered_map<std::string, std::shared_ptr<domain::Regex>> cache;
  const std::string& pattern = a[1].str();
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    auto compiled = domain::Regex::compile(pattern);
    if (auto* err = std::get_if<domain::RegexError>(&compiled))
      return ctx.error("正则表达式无效（第 " + std::to_string(err->offset + 1) + " 个字节）：" + err->message,
                       "invalid regex at offset " + std::to_string(err->offset) + ": " + err->message);
    if (cache.size() > 256) cache.clear();
    it = cache.emplace(pattern, std::make_shared<domain::Regex>(std::get<domain::Regex>(std::move(compiled)))).first;
  }
  return Value::boolean(it->second->search(a[0].str()));
}

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Value to_int(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  switch (v.kind) {
    case ValueKind::Int: return v;
    case ValueKind::Uint:
      if (v.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return ctx.error("整数溢出", "range error: uint to int");
      return Value::int64(static_cast<int64_t>(v.u));
    case ValueKind::Double:
      if (!(v.d > -9223372036854775808.0 && v.d < 9223372036854775808.0)) return ctx.error("整数溢出", "range error: double to int");
      return Value::int64(static_cast<int64_t>(v.d));
    case ValueKind::String: {
      const std::string& s = v.str();
      char* end = nullptr;
      errno = 0;
      long long x = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE || std::isspace(static_cast<unsigned char>(s[0])))
        return ctx.error("无法把“" + s + "”转换为整数", "cannot convert \"" + s + "\" to int");
      return Value::int64(x);
    }
    case ValueKind::Timestamp: return Value::int64(v.i);
    case ValueKind::Date: return Value::int64(v.i);
    default: return no_overload_error(ctx.span, "int", {v});
  }
}

Value to_uint(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  switch (v.kind) {
    case ValueKind::Uint: return v;
    case ValueKind::Int:
      if (v.i < 0) return ctx.error("整数溢出", "range error: negative int to uint");
      return Value::uint64(static_cast<uint64_t>(v.i));
    case ValueKind::Double:
      if (!(v.d > -1.0 && v.d < 18446744073709551616.0)) return ctx.error("整数溢出", "range error: double to uint");
      return Value::uint64(static_cast<uint64_t>(v.d));
    case ValueKind::String: {
      const std::string& s = v.str();
      char* end = nullptr;
      errno = 0;
      unsigned long long x = std::strtoull(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE || s[0] == '-' || std::isspace(static_cast<unsigned char>(s[0])))
        return ctx.error("无法把“" + s + "”转换为无符号整数", "cannot convert \"" + s + "\" to uint");
      return Value::uint64(x);
    }
    default: return no_overload_error(ctx.span, "uint", {v});
  }
}

Value to_double(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  switch (v.kind) {
    case ValueKind::Double: return v;
    case ValueKind::Int: return Value::float64(static_cast<double>(v.i));
    case ValueKind::Uint: return Value::float64(static_cast<double>(v.u));
    case ValueKind::String: {
      const std::string& s = v.str();
      char* end = nullptr;
      double x = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || std::isspace(static_cast<unsigned char>(s[0])))
        return ctx.error("无法把“" + s + "”转换为小数", "cannot convert \"" + s + "\" to double");
      return Value::float64(x);
    }
    default: return no_overload_error(ctx.span, "double", {v});
  }
}

Value to_string(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  switch (v.kind) {
    case ValueKind::String: return v;
    case ValueKind::Bytes:
      if (!valid_utf8(v.str())) return ctx.error("字节不是有效的 UTF-8", "invalid UTF-8 in bytes");
      return Value::string(v.str());
    case ValueKind::Int: return Value::string(std::to_string(v.i));
    case ValueKind::Uint: return Value::string(std::to_string(v.u));
    case ValueKind::Bool: return Value::string(v.b ? "true" : "false");
    case ValueKind::Double: {
      std::string s = value_literal(v);
      if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
      if (s == "+infinity") s = "+Inf";
      if (s == "-infinity") s = "-Inf";
      return Value::string(s);
    }
    case ValueKind::Date: return Value::string(value_display(v));
    case ValueKind::Timestamp:
    case ValueKind::Duration: {
      std::string s = value_literal(v);  // timestamp("…") / duration("…")
      size_t open = s.find('"');
      return Value::string(s.substr(open + 1, s.size() - open - 3));
    }
    case ValueKind::Type: return Value::string(v.type_obj().name);
    default: return no_overload_error(ctx.span, "string", {v});
  }
}

Value to_bytes(const Value* a, size_t, CallContext& ctx) {
  if (a[0].kind == ValueKind::Bytes) return a[0];
  if (a[0].kind == ValueKind::String) return Value::bytes(a[0].str());
  return no_overload_error(ctx.span, "bytes", {a[0]});
}

Value to_bool(const Value* a, size_t, CallContext& ctx) {
  if (a[0].kind == ValueKind::Bool) return a[0];
  if (a[0].kind == ValueKind::String) {
    static const char* yes[] = {"1", "t", "true", "TRUE", "True"};
    static const char* no[] = {"0", "f", "false", "FALSE", "False"};
    for (auto* y : yes)
      if (a[0].str() == y) return Value::boolean(true);
    for (auto* n : no)
      if (a[0].str() == n) return Value::boolean(false);
    return ctx.error("无法把“" + a[0].str() + "”转换为布尔值", "cannot convert \"" + a[0].str() + "\" to bool");
  }
  return no_overload_error(ctx.span, "bool", {a[0]});
}

Value type_of(const Value* a, size_t, CallContext&) {
  if (a[0].kind == ValueKind::Type) return Value::type("type");
  if (a[0].kind == ValueKind::Record) return Value::type(a[0].rec().type ? a[0].rec().type->name : "record");
  return Value::type(value_type_name(a[0]));
}

// RFC 3339: 2009-02-13T23:31:30.123Z or with a ±hh:mm offset.
Value parse_timestamp(const Value* a, size_t, CallContext& ctx) {
  const std::string& s = a[0].str();
  int y, mo, d, h, mi, se;
  char t;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &t, &h, &mi, &se, &consumed) != 7 ||
      (t != 'T' && t != 't') || !domain::valid_ymd(y, mo, d) || h > 23 || mi > 59 || se > 60)
    return ctx.error("无效的时间戳“" + s + "”", "invalid timestamp \"" + s + "\"");
  size_t pos = static_cast<size_t>(consumed);
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return ctx.error("无效的时间戳“" + s + "”", "invalid timestamp \"" + s + "\"");
    for (int k = digits; k < 9; ++k) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) return ctx.error("无效的时间戳“" + s + "”", "invalid timestamp \"" + s + "\"");
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return ctx.error("无效的时间戳“" + s + "”", "invalid timestamp \"" + s + "\"");
  }
  if (pos != s.size()) return ctx.error("无效的时间戳“" + s + "”", "invalid timestamp \"" + s + "\"");
  int64_t days = domain::make_date(y, mo, d).days;
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset;
  if (secs < -62135596800 || secs > 253402300799) return ctx.error("时间戳超出范围", "timestamp out of range");
  return Value::timestamp(secs, static_cast<int32_t>(nanos));
}

// Go-style durations as CEL accepts them: "1h2m3.5s", "-1.5s", "100ms", "3us", "5ns".
Value parse_duration(const Value* a, size_t, CallContext& ctx) {
  const std::string& s = a[0].str();
  auto bad = [&] { return ctx.error("无效的时长“" + s + "”", "invalid duration \"" + s + "\""); };
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
  if (pos >= s.size()) return bad();
  if (s.substr(pos) == "0") return Value::duration(0, 0);
  long double total_nanos = 0;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.')) ++pos;
    if (start == pos) return bad();
    long double number = std::strtold(s.substr(start, pos - start).c_str(), nullptr);
    size_t ustart = pos;
    while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
    std::string unit = s.substr(ustart, pos - ustart);
    long double scale;
    if (unit == "h") scale = 3600e9L;
    else if (unit == "m") scale = 60e9L;
    else if (unit == "s") scale = 1e9L;
    else if (unit == "ms") scale = 1e6L;
    else if (unit == "us" || unit == "µs") scale = 1e3L;
    else if (unit == "ns") scale = 1;
    else return bad();
    total_nanos += number * scale;
  }
  if (total_nanos > 315576000000e9L) return ctx.error("时长超出范围", "duration out of range");
  int64_t n = static_cast<int64_t>(std::llroundl(total_nanos));
  int64_t secs = n / 1000000000, nanos = n % 1000000000;
  if (negative) { secs = -secs; nanos = -nanos; }
  return Value::duration(secs, static_cast<int32_t>(nanos));
}

Value list_sum(const Value* a, size_t, CallContext& ctx) {
  int64_t total = 0;
  for (auto& x : a[0].items()) {
    if (x.kind != ValueKind::Int) return no_overload_error(ctx.span, "sum", {x});
    if (__builtin_add_overflow(total, x.i, &total)) return ctx.error("整数溢出", "integer overflow in sum");
  }
  return Value::int64(total);
}

Value list_extreme(const Value* a, CallContext& ctx, bool want_max) {
  const auto& items = a[0].items();
  if (items.empty()) return ctx.error("空列表没有" + std::string(want_max ? "最大值" : "最小值"), std::string(want_max ? "max" : "min") + " of an empty list");
  Value best = items[0];
  for (auto& x : items) {
    bool ok;
    int c = compare_values(x, best, ok);
    if (!ok) return no_overload_error(ctx.span, want_max ? "max" : "min", {x, best});
    if (want_max ? c > 0 : c < 0) best = x;
  }
  return best;
}

// Code-point offsets into a UTF-8 string: CEL's string functions count characters, not bytes.
std::vector<size_t> code_point_offsets(const std::string& s) {
  std::vector<size_t> offsets;
  size_t pos = 0;
  while (pos < s.size()) {
    offsets.push_back(pos);
    domain::decode_utf8(s, pos);
  }
  offsets.push_back(s.size());
  return offsets;
}

Value substring(const Value* a, size_t n, CallContext& ctx) {
  const std::string& s = a[0].str();
  auto offsets = code_point_offsets(s);
  int64_t length = static_cast<int64_t>(offsets.size()) - 1;
  int64_t begin = a[1].i, end = n > 2 ? a[2].i : length;
  if (begin < 0 || begin > length || end < begin || end > length)
    return ctx.error("substring 的位置超出范围（文本长 " + std::to_string(length) + " 个字）",
                     "index out of range: substring(" + std::to_string(begin) + (n > 2 ? ", " + std::to_string(end) : "") + ") of length " + std::to_string(length));
  return Value::string(s.substr(offsets[begin], offsets[end] - offsets[begin]));
}

Value ascii_case(const Value* a, bool upper) {
  std::string s = a[0].str();
  for (auto& c : s) c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
  return Value::string(s);
}

Value join(const Value* a, size_t n, CallContext& ctx) {
  std::string out;
  bool first = true;
  for (auto& x : a[0].items()) {
    if (x.kind != ValueKind::String) return no_overload_error(ctx.span, "join", {x});
    if (!first && n > 1) out += a[1].str();
    out += x.str();
    first = false;
  }
  return Value::string(out);
}

Value index_of(const Value* a, size_t, CallContext&) {
  const std::string& s = a[0].str();
  size_t at = s.find(a[1].str());
  if (at == std::string::npos) return Value::int64(-1);
  return Value::int64(static_cast<int64_t>(domain::utf8_length(std::string_view(s).substr(0, at))));
}

}  // namespace

void register_core_functions(FunctionRegistry& r) {
  // From CEL's strings extension: the ones policies need.
  add_function(r, "substring", {string(), int64()}, string(), substring, true, "s.substring(start): from a character position");
  add_function(r, "substring", {string(), int64(), int64()}, string(), substring, true, "s.substring(start, end)");
  add_function(r, "lowerAscii", {string()}, string(), [](const Value* a, size_t, CallContext&) { return ascii_case(a, false); }, true, "s.lowerAscii()");
  add_function(r, "upperAscii", {string()}, string(), [](const Value* a, size_t, CallContext&) { return ascii_case(a, true); }, true, "s.upperAscii()");
  add_function(r, "join", {list(string())}, string(), join, true, "list.join()");
  add_function(r, "join", {list(string()), string()}, string(), join, true, "list.join(separator)");
  add_function(r, "indexOf", {string(), string()}, int64(), index_of, true, "s.indexOf(t): character position or -1");
  const Type* list_dyn = list(dyn());
  const Type* map_dyn = map(dyn(), dyn());
  for (const Type* t : {string(), bytes(), list_dyn, map_dyn}) {
    add_function(r, "size", {t}, int64(), size_of, false, "size(x): length (strings in code points)");
    add_function(r, "size", {t}, int64(), size_of, true, "x.size(): length (strings in code points)");
  }
  add_function(r, "contains", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(a[0].str().find(a[1].str()) != std::string::npos);
  }, true, "s.contains(t): t occurs in s");
  add_function(r, "startsWith", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(a[0].str().compare(0, a[1].str().size(), a[1].str()) == 0);
  }, true, "s.startsWith(t)");
  add_function(r, "endsWith", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    const std::string& s = a[0].str();
    const std::string& t = a[1].str();
    return Value::boolean(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
  }, true, "s.endsWith(t)");
  add_function(r, "matches", {string(), string()}, boolean(), regex_search, true, "s.matches(re): linear-time regex search");
  add_function(r, "matches", {string(), string()}, boolean(), regex_search, false, "matches(s, re)");
  for (const Type* t : {int64(), uint64(), float64(), string(), timestamp(), date()})
    add_function(r, "int", {t}, int64(), to_int, false, "int(x): conversion (dates: days since 1970-01-01)");
  for (const Type* t : {int64(), uint64(), float64(), string()}) {
    add_function(r, "uint", {t}, uint64(), to_uint, false, "uint(x): conversion");
    add_function(r, "double", {t}, float64(), to_double, false, "double(x): conversion");
  }
  for (const Type* t : {string(), bytes(), int64(), uint64(), float64(), boolean(), date(), timestamp(), duration(), type_value()})
    add_function(r, "string", {t}, types::string(), to_string, false, "string(x): conversion");
  for (const Type* t : {string(), bytes()}) add_function(r, "bytes", {t}, bytes(), to_bytes, false, "bytes(x)");
  for (const Type* t : {string(), boolean()}) add_function(r, "bool", {t}, boolean(), to_bool, false, "bool(x)");
  add_function(r, "dyn", {dyn()}, dyn(), [](const Value* a, size_t, CallContext&) { return a[0]; }, false, "dyn(x): x, typed dyn");
  add_function(r, "type", {dyn()}, type_value(), type_of, false, "type(x): the type of x");
  add_function(r, "timestamp", {string()}, timestamp(), parse_timestamp, false, "timestamp(\"2024-01-01T00:00:00Z\")");
  add_function(r, "timestamp", {timestamp()}, timestamp(), [](const Value* a, size_t, CallContext&) { return a[0]; }, false, "");
  add_function(r, "timestamp", {int64()}, timestamp(), [](const Value* a, size_t, CallContext& ctx) {
    if (a[0].i < -62135596800 || a[0].i > 253402300799) return ctx.error("时间戳超出范围", "timestamp out of range");
    return Value::timestamp(a[0].i, 0);
  }, false, "timestamp(seconds)");
  add_function(r, "duration", {string()}, duration(), parse_duration, false, "duration(\"1h30m\")");
  add_function(r, "duration", {duration()}, duration(), [](const Value* a, size_t, CallContext&) { return a[0]; }, false, "");
  add_function(r, "sum", {list(int64())}, int64(), list_sum, false, "sum(list<int>)");
  for (const Type* t : {int64(), float64(), date(), string()}) {
    add_function(r, "max", {list(t)}, t, [](const Value* a, size_t, CallContext& ctx) { return list_extreme(a, ctx, true); }, false, "max(list)");
    add_function(r, "min", {list(t)}, t, [](const Value* a, size_t, CallContext& ctx) { return list_extreme(a, ctx, false); }, false, "min(list)");
  }
  add_function(r, "range", {int64(), int64()}, list(int64()), [](const Value* a, size_t, CallContext& ctx) {
    int64_t from = a[0].i, to = a[1].i;
    if (to - from > 10000) return ctx.error("range() 最多 10000 个元素", "range() is limited to 10,000 elements");
    std::vector<Value> out;
    for (int64_t i = from; i < to; ++i) out.push_back(Value::int64(i));
    return Value::list(std::move(out));
  }, false, "range(a, b): [a, …, b-1]");
}

}  // namespace zhiping
