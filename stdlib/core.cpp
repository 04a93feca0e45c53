// The CEL core library: size, string tests, regex matching, type conversions, and a few list
// helpers the policies need (sum, max, min, range).
#include <array>
#include <cmath>
#include <cstdint>
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

bool fast_size(const FastSlot* a, FastSlot& out) {
  const Value& v = *a[0].v;
  if (v.kind == ValueKind::List) out.i = static_cast<int64_t>(v.items().size());
  else if (v.kind == ValueKind::Map) out.i = static_cast<int64_t>(v.entries().size());
  else return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view t) { return s.size() >= t.size() && same_text(s.substr(0, t.size()), t); }
bool ends_with(std::string_view s, std::string_view t) { return s.size() >= t.size() && same_text(s.substr(s.size() - t.size()), t); }

// A pattern compiled by an earlier `matches` call, known by the address of its text.
struct RecentPattern {
  std::uintptr_t text_address = 0;
  std::shared_ptr<const domain::Regex> regex;
};

// Compiled patterns are cached per thread: patterns are few (they are literals in policies) and a
// per-thread cache needs no lock on the hot path. A literal's string is the same object on every
// call, so a few recent entries keyed by its address answer almost every call without hashing the
// pattern. An address may be reused by another string once the first is freed, so an entry is
// trusted only after its pattern text compares equal (sizes, then bytes); the map by text behind
// them compiles each pattern once. nullptr for an invalid pattern, with `error` set.
const domain::Regex* cached_regex(std::string_view pattern, domain::RegexError* error) {
  thread_local std::array<RecentPattern, 8> recent;
  thread_local size_t next_recent = 0;
  thread_local std::unordered_map<std::string, std::shared_ptr<const domain::Regex>> cache;
  const auto address = reinterpret_cast<std::uintptr_t>(pattern.data());
  for (const RecentPattern& entry : recent) {
    if (entry.text_address == address && entry.regex->pattern() == pattern) return entry.regex.get();
  }
  auto it = cache.find(std::string(pattern));
  if (it == cache.end()) {
    auto compiled = domain::Regex::compile(pattern);
    if (auto* err = std::get_if<domain::RegexError>(&compiled)) {
      if (error) *error = *err;
      return nullptr;
    }
    if (cache.size() > 256) cache.clear();
    it = cache.emplace(pattern, std::make_shared<const domain::Regex>(std::get<domain::Regex>(std::move(compiled)))).first;
  }
  recent[next_recent] = RecentPattern{address, it->second};
  next_recent = (next_recent + 1) % recent.size();
  return it->second.get();
}

Value regex_search(const Value* a, size_t, CallContext& ctx) {
  domain::RegexError err;
  const domain::Regex* regex = cached_regex(a[1].str(), &err);
  if (!regex)
    return ctx.error("正则表达式无效（第 " + std::to_string(err.offset + 1) + " 个字节）：" + err.message,
                     "invalid regex at offset " + std::to_string(err.offset) + ": " + err.message);
  return Value::boolean(regex->search(a[0].str()));
}

// Unboxed: an invalid pattern bails, and regex_search says why.
bool fast_regex_search(const FastSlot* a, FastSlot& out) {
  const domain::Regex* regex = cached_regex(a[1].v->str(), nullptr);
  if (!regex) return false;
  out.b = regex->search(a[0].v->str());
  return true;
}

bool valid_utf8(std::string_view s) {
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
      const std::string s(v.str());
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
      const std::string s(v.str());
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
      const std::string s(v.str());
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
    const std::string text(a[0].str());
    return ctx.error("无法把“" + text + "”转换为布尔值", "cannot convert \"" + text + "\" to bool");
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
  const std::string s(a[0].str());
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

// Durations are limited to what an int64 of nanoseconds holds (about ±292 years), as in cel-go,
// whose behaviour CEL's conformance suite encodes.
constexpr int64_t kMaxDurationSeconds = 9223372036;

// Go-style durations as CEL accepts them: "1h2m3.5s", "-1.5s", "100ms", "3us", "5ns". Computed in
// integer nanoseconds (128-bit), so that large values neither round nor wrap.
Value parse_duration(const Value* a, size_t, CallContext& ctx) {
  const std::string s(a[0].str());
  auto bad = [&] { return ctx.error("无效的时长“" + s + "”", "invalid duration \"" + s + "\""); };
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
  if (pos >= s.size()) return bad();
  if (s.substr(pos) == "0") return Value::duration(0, 0);
  __int128 total = 0;  // nanoseconds
  const __int128 limit = static_cast<__int128>(kMaxDurationSeconds + 1) * 1000000000;
  while (pos < s.size()) {
    __int128 whole = 0;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      whole = whole * 10 + (s[pos++] - '0');
      if (whole > limit) return ctx.error("时长超出范围", "duration out of range");
    }
    std::string frac;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) frac += s[pos++];
    }
    if (pos == start || (pos == start + 1 && s[start] == '.')) return bad();
    size_t ustart = pos;
    while (pos < s.size() && (std::isalpha(static_cast<unsigned char>(s[pos])) || static_cast<unsigned char>(s[pos]) >= 0x80)) ++pos;
    std::string unit = s.substr(ustart, pos - ustart);
    int64_t scale;
    if (unit == "h") scale = 3600000000000;
    else if (unit == "m") scale = 60000000000;
    else if (unit == "s") scale = 1000000000;
    else if (unit == "ms") scale = 1000000;
    else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") scale = 1000;
    else if (unit == "ns") scale = 1;
    else return bad();
    total += whole * scale;
    // The fraction: digits beyond what the unit can resolve to a nanosecond are dropped.
    __int128 f = 0, denom = 1;
    for (char c : frac) {
      if (denom > 1000000000000000000) break;
      f = f * 10 + (c - '0');
      denom *= 10;
    }
    total += f * scale / denom;
    if (total > limit) return ctx.error("时长超出范围", "duration out of range");
  }
  if (total > static_cast<__int128>(kMaxDurationSeconds) * 1000000000 + 854775807)
    return ctx.error("时长超出范围", "duration out of range");
  int64_t secs = static_cast<int64_t>(total / 1000000000), nanos = static_cast<int64_t>(total % 1000000000);
  if (negative) { secs = -secs; nanos = -nanos; }
  return Value::duration(secs, static_cast<int32_t>(nanos));
}

// ---- Timestamp and duration accessors (CEL's getFullYear, getHours, …) ----

// A time zone's offset from UTC in seconds at a given instant. Fixed offsets ("+05:30", "-02:30",
// "02:00") and a small table of IANA names with today's daylight-saving rules (applied to every
// year; historical rule changes are not modelled).
enum class DstRule { None, US, EU, AU, NZ };
struct ZoneInfo {
  const char* name;
  int std_offset;  // minutes east of UTC
  DstRule dst;
};
const ZoneInfo kZones[] = {
    {"UTC", 0, DstRule::None}, {"Etc/UTC", 0, DstRule::None}, {"GMT", 0, DstRule::None}, {"Etc/GMT", 0, DstRule::None},
    {"Asia/Shanghai", 480, DstRule::None}, {"Asia/Chongqing", 480, DstRule::None}, {"Asia/Harbin", 480, DstRule::None},
    {"Asia/Urumqi", 360, DstRule::None}, {"Asia/Hong_Kong", 480, DstRule::None}, {"Asia/Macau", 480, DstRule::None},
    {"Asia/Taipei", 480, DstRule::None}, {"PRC", 480, DstRule::None}, {"Asia/Singapore", 480, DstRule::None},
    {"Asia/Tokyo", 540, DstRule::None}, {"Asia/Seoul", 540, DstRule::None}, {"Asia/Kolkata", 330, DstRule::None},
    {"Asia/Calcutta", 330, DstRule::None}, {"Asia/Kathmandu", 345, DstRule::None}, {"Asia/Katmandu", 345, DstRule::None},
    {"Asia/Dubai", 240, DstRule::None}, {"Europe/Moscow", 180, DstRule::None},
    {"Europe/London", 0, DstRule::EU}, {"Europe/Dublin", 0, DstRule::EU}, {"Europe/Lisbon", 0, DstRule::EU},
    {"Europe/Berlin", 60, DstRule::EU}, {"Europe/Paris", 60, DstRule::EU}, {"Europe/Madrid", 60, DstRule::EU},
    {"Europe/Rome", 60, DstRule::EU}, {"Europe/Amsterdam", 60, DstRule::EU}, {"Europe/Zurich", 60, DstRule::EU},
    {"Europe/Athens", 120, DstRule::EU}, {"Europe/Helsinki", 120, DstRule::EU},
    {"America/New_York", -300, DstRule::US}, {"US/Eastern", -300, DstRule::US}, {"America/Chicago", -360, DstRule::US},
    {"US/Central", -360, DstRule::US}, {"America/Denver", -420, DstRule::US}, {"US/Mountain", -420, DstRule::US},
    {"America/Phoenix", -420, DstRule::None}, {"America/Los_Angeles", -480, DstRule::US}, {"US/Pacific", -480, DstRule::US},
    {"America/Anchorage", -540, DstRule::US}, {"Pacific/Honolulu", -600, DstRule::None}, {"America/Toronto", -300, DstRule::US},
    {"America/Vancouver", -480, DstRule::US}, {"America/Halifax", -240, DstRule::US}, {"America/St_Johns", -210, DstRule::US},
    {"America/Sao_Paulo", -180, DstRule::None}, {"America/Mexico_City", -360, DstRule::None},
    {"Australia/Sydney", 600, DstRule::AU}, {"Australia/Melbourne", 600, DstRule::AU}, {"Australia/Canberra", 600, DstRule::AU},
    {"Australia/Hobart", 600, DstRule::AU}, {"Australia/Adelaide", 570, DstRule::AU}, {"Australia/Brisbane", 600, DstRule::None},
    {"Australia/Darwin", 570, DstRule::None}, {"Australia/Perth", 480, DstRule::None}, {"Pacific/Auckland", 720, DstRule::NZ},
};

int64_t days_of(int y, int m, int d) { return domain::make_date(y, m, d).days; }
// The day number of the n-th (1-based; 0 = last) Sunday of a month.
int64_t nth_sunday(int y, int m, int n) {
  if (n == 0) {
    int64_t last = days_of(y, m, domain::days_in_month(y, m));
    int64_t dow = ((last + 4) % 7 + 7) % 7;  // 0 = Sunday
    return last - dow;
  }
  int64_t first = days_of(y, m, 1);
  int64_t dow = ((first + 4) % 7 + 7) % 7;
  return first + (7 - dow) % 7 + 7 * (n - 1);
}

// True when daylight-saving time is in force at UTC instant `utc` in a zone with standard offset
// `std_min` minutes.
bool in_dst(DstRule rule, int std_min, int64_t utc) {
  if (rule == DstRule::None) return false;
  int64_t local_std = utc + std_min * 60;
  int64_t day = local_std >= 0 ? local_std / 86400 : -((-local_std + 86399) / 86400);
  int y, m, d;
  domain::to_ymd(domain::Date{static_cast<int32_t>(day)}, y, m, d);
  switch (rule) {
    case DstRule::US: {  // 2nd Sunday of March 02:00 to 1st Sunday of November 02:00 (daylight), local
      int64_t start = nth_sunday(y, 3, 2) * 86400 + 2 * 3600;
      int64_t end = nth_sunday(y, 11, 1) * 86400 + 1 * 3600;
      return local_std >= start && local_std < end;
    }
    case DstRule::EU: {  // last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC
      int64_t start = nth_sunday(y, 3, 0) * 86400 + 3600;
      int64_t end = nth_sunday(y, 10, 0) * 86400 + 3600;
      return utc >= start && utc < end;
    }
    case DstRule::AU: {  // 1st Sunday of October 02:00 to 1st Sunday of April 03:00 (daylight), local
      int64_t end = nth_sunday(y, 4, 1) * 86400 + 2 * 3600;
      int64_t start = nth_sunday(y, 10, 1) * 86400 + 2 * 3600;
      return local_std < end || local_std >= start;
    }
    case DstRule::NZ: {  // last Sunday of September 02:00 to 1st Sunday of April 03:00 (daylight), local
      int64_t end = nth_sunday(y, 4, 1) * 86400 + 2 * 3600;
      int64_t start = nth_sunday(y, 9, 0) * 86400 + 2 * 3600;
      return local_std < end || local_std >= start;
    }
    case DstRule::None: break;
  }
  return false;
}

// The offset in seconds of zone `tz` at UTC instant `utc`; false when the zone is unknown.
bool zone_offset(const std::string& tz, int64_t utc, int64_t& offset) {
  size_t pos = 0;
  int sign = 1;
  if (!tz.empty() && (tz[0] == '+' || tz[0] == '-')) {
    sign = tz[0] == '-' ? -1 : 1;
    pos = 1;
  }
  if (tz.size() == pos + 5 && std::isdigit(static_cast<unsigned char>(tz[pos])) && std::isdigit(static_cast<unsigned char>(tz[pos + 1])) &&
      tz[pos + 2] == ':' && std::isdigit(static_cast<unsigned char>(tz[pos + 3])) && std::isdigit(static_cast<unsigned char>(tz[pos + 4]))) {
    int h = (tz[pos] - '0') * 10 + (tz[pos + 1] - '0');
    int m = (tz[pos + 3] - '0') * 10 + (tz[pos + 4] - '0');
    if (h > 23 || m > 59) return false;
    offset = sign * (h * 3600 + m * 60);
    return true;
  }
  for (auto& z : kZones) {
    if (tz == z.name) {
      offset = (z.std_offset + (in_dst(z.dst, z.std_offset, utc) ? 60 : 0)) * 60;
      return true;
    }
  }
  return false;
}

enum class TimePart { FullYear, Month, Date, DayOfMonth, DayOfWeek, DayOfYear, Hours, Minutes, Seconds, Milliseconds };

Value timestamp_part(const Value* a, size_t n, CallContext& ctx, TimePart part) {
  int64_t secs = a[0].i;
  if (n > 1) {
    int64_t offset;
    const std::string zone(a[1].str());
    if (!zone_offset(zone, secs, offset))
      return ctx.error("未知的时区“" + zone + "”", "unknown time zone '" + zone + "'");
    secs += offset;
  }
  int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - day * 86400;
  int y, m, d;
  domain::to_ymd(domain::Date{static_cast<int32_t>(day)}, y, m, d);
  switch (part) {
    case TimePart::FullYear: return Value::int64(y);
    case TimePart::Month: return Value::int64(m - 1);
    case TimePart::Date: return Value::int64(d);
    case TimePart::DayOfMonth: return Value::int64(d - 1);
    case TimePart::DayOfWeek: return Value::int64(((day + 4) % 7 + 7) % 7);
    case TimePart::DayOfYear: return Value::int64(day - days_of(y, 1, 1));
    case TimePart::Hours: return Value::int64(rem / 3600);
    case TimePart::Minutes: return Value::int64(rem / 60 % 60);
    case TimePart::Seconds: return Value::int64(rem % 60);
    case TimePart::Milliseconds: return Value::int64(a[0].nanos / 1000000);
  }
  return Value::null();
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
std::vector<size_t> code_point_offsets(std::string_view s) {
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
  const std::string_view s = a[0].str();
  auto offsets = code_point_offsets(s);
  int64_t length = static_cast<int64_t>(offsets.size()) - 1;
  int64_t begin = a[1].i, end = n > 2 ? a[2].i : length;
  if (begin < 0 || begin > length || end < begin || end > length)
    return ctx.error("substring 的位置超出范围（文本长 " + std::to_string(length) + " 个字）",
                     "index out of range: substring(" + std::to_string(begin) + (n > 2 ? ", " + std::to_string(end) : "") + ") of length " + std::to_string(length));
  return Value::string(s.substr(offsets[begin], offsets[end] - offsets[begin]));
}

Value ascii_case(const Value* a, bool upper) {
  std::string s(a[0].str());
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
  const std::string_view s = a[0].str();
  size_t at = s.find(a[1].str());
  if (at == std::string::npos) return Value::int64(-1);
  return Value::int64(static_cast<int64_t>(domain::utf8_length(std::string_view(s).substr(0, at))));
}

// ---- CEL's math extension (math.greatest, math.abs, math.bitAnd, …) ----

bool is_number_value(const Value& v) { return v.kind == ValueKind::Int || v.kind == ValueKind::Uint || v.kind == ValueKind::Double; }

Value math_extreme(const Value* a, size_t n, CallContext& ctx, bool want_max) {
  const char* name = want_max ? "math.greatest" : "math.least";
  const Value* items = a;
  size_t count = n;
  if (n == 1 && a[0].kind == ValueKind::List) {
    items = a[0].items().data();
    count = a[0].items().size();
    if (count == 0) return ctx.error(std::string(name) + " 的列表为空", std::string(name) + "(list) argument must not be empty");
  }
  Value best = items[0];
  if (!is_number_value(best)) return no_overload_error(ctx.span, name, {best});
  for (size_t i = 1; i < count; ++i) {
    if (!is_number_value(items[i])) return no_overload_error(ctx.span, name, {items[i]});
    bool ok;
    int c = compare_values(items[i], best, ok);
    if (ok && (want_max ? c > 0 : c < 0)) best = items[i];
  }
  return best;
}

Value math_round(const Value* a, double (*f)(double)) { return Value::float64(f(a[0].d)); }

Value math_abs(const Value* a, size_t, CallContext& ctx) {
  const Value& v = a[0];
  if (v.kind == ValueKind::Int) {
    if (v.i == std::numeric_limits<int64_t>::min()) return ctx.error("整数溢出", "integer overflow in math.abs");
    return Value::int64(v.i < 0 ? -v.i : v.i);
  }
  if (v.kind == ValueKind::Uint) return v;
  return Value::float64(std::fabs(v.d));
}

Value math_sign(const Value* a, size_t, CallContext&) {
  const Value& v = a[0];
  if (v.kind == ValueKind::Int) return Value::int64(v.i > 0 ? 1 : v.i < 0 ? -1 : 0);
  if (v.kind == ValueKind::Uint) return Value::uint64(v.u > 0 ? 1 : 0);
  if (std::isnan(v.d)) return v;
  return Value::float64(v.d > 0 ? 1.0 : v.d < 0 ? -1.0 : 0.0);
}

Value math_bits(const Value* a, size_t n, CallContext&, char op) {
  if (a[0].kind == ValueKind::Int) {
    int64_t x = a[0].i, y = n > 1 ? a[1].i : 0;
    switch (op) {
      case '&': return Value::int64(x & y);
      case '|': return Value::int64(x | y);
      case '^': return Value::int64(x ^ y);
      default: return Value::int64(~x);
    }
  }
  uint64_t x = a[0].u, y = n > 1 ? a[1].u : 0;
  switch (op) {
    case '&': return Value::uint64(x & y);
    case '|': return Value::uint64(x | y);
    case '^': return Value::uint64(x ^ y);
    default: return Value::uint64(~x);
  }
}

Value math_shift(const Value* a, size_t, CallContext& ctx, bool left) {
  int64_t by = a[1].i;
  if (by < 0) return ctx.error("移位位数不能为负", "math.bitShift" + std::string(left ? "Left" : "Right") + "() negative offset: " + std::to_string(by));
  // Bits shifted out are lost; a right shift of an int is logical, as in CEL.
  uint64_t x = a[0].kind == ValueKind::Int ? static_cast<uint64_t>(a[0].i) : a[0].u;
  uint64_t r = by >= 64 ? 0 : left ? x << by : x >> by;
  return a[0].kind == ValueKind::Int ? Value::int64(static_cast<int64_t>(r)) : Value::uint64(r);
}

// ---- CEL's strings extension: the functions beyond the core ----

Value char_at(const Value* a, size_t, CallContext& ctx) {
  const std::string_view s = a[0].str();
  auto offsets = code_point_offsets(s);
  int64_t length = static_cast<int64_t>(offsets.size()) - 1, i = a[1].i;
  if (i < 0 || i > length) return ctx.error("charAt 的位置超出范围", "index out of range: " + std::to_string(i));
  if (i == length) return Value::string("");
  return Value::string(s.substr(offsets[i], offsets[i + 1] - offsets[i]));
}

// indexOf / lastIndexOf with a start position, in code points.
Value index_of_from(const Value* a, size_t n, CallContext& ctx, bool last) {
  const std::string_view s = a[0].str();
  const std::string_view t = a[1].str();
  auto offsets = code_point_offsets(s);
  int64_t length = static_cast<int64_t>(offsets.size()) - 1;
  int64_t from = n > 2 ? a[2].i : (last ? length : 0);
  if (from < 0 || from > length) return ctx.error("位置超出范围", "index out of range: " + std::to_string(from));
  size_t at;
  if (last) {
    at = s.rfind(t, offsets[from]);
  } else {
    at = s.find(t, offsets[from]);
  }
  if (at == std::string::npos) return Value::int64(-1);
  return Value::int64(static_cast<int64_t>(domain::utf8_length(std::string_view(s).substr(0, at))));
}

Value replace_text(const Value* a, size_t n, CallContext&) {
  const std::string_view s = a[0].str();
  const std::string_view from = a[1].str();
  const std::string_view to = a[2].str();
  int64_t limit = n > 3 ? a[3].i : -1;
  std::string out;
  size_t pos = 0;
  int64_t done = 0;
  while (limit < 0 || done < limit) {
    size_t at = s.find(from, pos);
    if (at == std::string::npos) break;
    out.append(s, pos, at - pos);
    out += to;
    ++done;
    if (from.empty()) {
      // An empty pattern matches before every code point.
      if (at >= s.size()) { pos = s.size() + 1; break; }
      size_t next = at;
      domain::decode_utf8(s, next);
      out.append(s, at, next - at);
      pos = next;
    } else {
      pos = at + from.size();
    }
  }
  if (pos <= s.size()) out.append(s, pos, std::string::npos);
  return Value::string(out);
}

Value split_text(const Value* a, size_t n, CallContext&) {
  const std::string_view s = a[0].str();
  const std::string_view sep = a[1].str();
  int64_t limit = n > 2 ? a[2].i : -1;
  std::vector<Value> out;
  if (limit == 0) return Value::list({});
  if (sep.empty()) {
    auto offsets = code_point_offsets(s);
    for (size_t i = 0; i + 1 < offsets.size(); ++i) {
      if (limit > 0 && static_cast<int64_t>(out.size()) == limit - 1) {
        out.push_back(Value::string(s.substr(offsets[i])));
        return Value::list(std::move(out));
      }
      out.push_back(Value::string(s.substr(offsets[i], offsets[i + 1] - offsets[i])));
    }
    return Value::list(std::move(out));
  }
  size_t pos = 0;
  while (true) {
    size_t at = s.find(sep, pos);
    if (at == std::string::npos || (limit > 0 && static_cast<int64_t>(out.size()) == limit - 1)) {
      out.push_back(Value::string(s.substr(pos)));
      break;
    }
    out.push_back(Value::string(s.substr(pos, at - pos)));
    pos = at + sep.size();
  }
  return Value::list(std::move(out));
}

// Unicode white space (the code points Go's unicode.IsSpace accepts), at both ends.
Value trim_space(const Value* a, size_t, CallContext&) {
  const std::string_view s = a[0].str();
  auto is_space = [](uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  };
  auto offsets = code_point_offsets(s);
  size_t b = 0, e = offsets.size() - 1;
  auto cp_at = [&](size_t i) {
    size_t p = offsets[i];
    return domain::decode_utf8(s, p);
  };
  while (b < e && is_space(cp_at(b))) ++b;
  while (e > b && is_space(cp_at(e - 1))) --e;
  return Value::string(s.substr(offsets[b], offsets[e] - offsets[b]));
}

Value quote_text(const Value* a, size_t, CallContext&) {
  std::string out = "\"";
  for (char c : a[0].str()) {
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: out += c;
    }
  }
  return Value::string(out + "\"");
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
    // Lists and maps are counted unboxed too; texts (code points) only boxed.
    FastNativeFunction fast = t == list_dyn || t == map_dyn ? &fast_size : nullptr;
    add_function(r, "size", {t}, int64(), size_of, false, "size(x): length (strings in code points)", fast);
    add_function(r, "size", {t}, int64(), size_of, true, "x.size(): length (strings in code points)", fast);
  }
  add_function(r, "contains", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(a[0].str().find(a[1].str()) != std::string::npos);
  }, true, "s.contains(t): t occurs in s", [](const FastSlot* a, FastSlot& out) {
    out.b = a[0].v->str().find(a[1].v->str()) != std::string::npos;
    return true;
  });
  add_function(r, "startsWith", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(starts_with(a[0].str(), a[1].str()));
  }, true, "s.startsWith(t)", [](const FastSlot* a, FastSlot& out) {
    out.b = starts_with(a[0].v->str(), a[1].v->str());
    return true;
  });
  add_function(r, "endsWith", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(ends_with(a[0].str(), a[1].str()));
  }, true, "s.endsWith(t)", [](const FastSlot* a, FastSlot& out) {
    out.b = ends_with(a[0].v->str(), a[1].v->str());
    return true;
  });
  add_function(r, "matches", {string(), string()}, boolean(), regex_search, true, "s.matches(re): linear-time regex search", fast_regex_search);
  add_function(r, "matches", {string(), string()}, boolean(), regex_search, false, "matches(s, re)", fast_regex_search);
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
  {
    // Timestamp accessors, in UTC or in a time zone; duration accessors (whole hours, minutes,
    // seconds, and the millisecond part).
    struct Accessor { const char* name; TimePart part; NativeFunction fn; };
#define ZP_TS(part) [](const Value* a, size_t n, CallContext& ctx) { return timestamp_part(a, n, ctx, TimePart::part); }
    static const Accessor accessors[] = {
        {"getFullYear", TimePart::FullYear, ZP_TS(FullYear)}, {"getMonth", TimePart::Month, ZP_TS(Month)},
        {"getDate", TimePart::Date, ZP_TS(Date)}, {"getDayOfMonth", TimePart::DayOfMonth, ZP_TS(DayOfMonth)},
        {"getDayOfWeek", TimePart::DayOfWeek, ZP_TS(DayOfWeek)}, {"getDayOfYear", TimePart::DayOfYear, ZP_TS(DayOfYear)},
        {"getHours", TimePart::Hours, ZP_TS(Hours)}, {"getMinutes", TimePart::Minutes, ZP_TS(Minutes)},
        {"getSeconds", TimePart::Seconds, ZP_TS(Seconds)}, {"getMilliseconds", TimePart::Milliseconds, ZP_TS(Milliseconds)}};
#undef ZP_TS
    for (auto& acc : accessors) {
      add_function(r, acc.name, {timestamp()}, int64(), acc.fn, true, std::string("t.") + acc.name + "(): in UTC");
      add_function(r, acc.name, {timestamp(), string()}, int64(), acc.fn, true,
                   std::string("t.") + acc.name + "(zone): in a time zone (\"+08:00\", \"Asia/Shanghai\")");
    }
    add_function(r, "getHours", {duration()}, int64(), [](const Value* a, size_t, CallContext&) { return Value::int64(a[0].i / 3600); }, true, "d.getHours(): whole hours");
    add_function(r, "getMinutes", {duration()}, int64(), [](const Value* a, size_t, CallContext&) { return Value::int64(a[0].i / 60); }, true, "d.getMinutes(): whole minutes");
    add_function(r, "getSeconds", {duration()}, int64(), [](const Value* a, size_t, CallContext&) { return Value::int64(a[0].i); }, true, "d.getSeconds(): whole seconds");
    add_function(r, "getMilliseconds", {duration()}, int64(), [](const Value* a, size_t, CallContext&) { return Value::int64(a[0].nanos / 1000000); }, true, "d.getMilliseconds(): the millisecond part");
  }
  // CEL's math extension.
  for (const char* name : {"math.greatest", "math.least"}) {
    bool want_max = std::string(name) == "math.greatest";
    NativeFunction fn = want_max ? static_cast<NativeFunction>([](const Value* a, size_t n, CallContext& ctx) { return math_extreme(a, n, ctx, true); })
                                 : static_cast<NativeFunction>([](const Value* a, size_t n, CallContext& ctx) { return math_extreme(a, n, ctx, false); });
    for (const Type* t : {int64(), uint64(), float64()}) add_function(r, name, {t}, t, fn, false, std::string(name) + "(x, …): of numbers or a list");
    add_function(r, name, {list(dyn())}, dyn(), fn, false, std::string(name) + "(list)");
    for (size_t arity = 2; arity <= 12; ++arity)
      add_function(r, name, std::vector<const Type*>(arity, dyn()), dyn(), fn, false, std::string(name) + "(x, …)");
  }
  add_function(r, "math.ceil", {float64()}, float64(), [](const Value* a, size_t, CallContext&) { return math_round(a, std::ceil); }, false, "math.ceil(x)");
  add_function(r, "math.floor", {float64()}, float64(), [](const Value* a, size_t, CallContext&) { return math_round(a, std::floor); }, false, "math.floor(x)");
  add_function(r, "math.round", {float64()}, float64(), [](const Value* a, size_t, CallContext&) { return math_round(a, std::round); }, false, "math.round(x): half away from zero");
  add_function(r, "math.trunc", {float64()}, float64(), [](const Value* a, size_t, CallContext&) { return math_round(a, std::trunc); }, false, "math.trunc(x)");
  for (const Type* t : {int64(), uint64(), float64()}) {
    add_function(r, "math.abs", {t}, t, math_abs, false, "math.abs(x)");
    add_function(r, "math.sign", {t}, t, math_sign, false, "math.sign(x): -1, 0 or 1 in the type of x");
  }
  add_function(r, "math.isNaN", {float64()}, boolean(), [](const Value* a, size_t, CallContext&) { return Value::boolean(std::isnan(a[0].d)); }, false, "math.isNaN(x)");
  add_function(r, "math.isInf", {float64()}, boolean(), [](const Value* a, size_t, CallContext&) { return Value::boolean(std::isinf(a[0].d)); }, false, "math.isInf(x)");
  add_function(r, "math.isFinite", {float64()}, boolean(), [](const Value* a, size_t, CallContext&) { return Value::boolean(std::isfinite(a[0].d)); }, false, "math.isFinite(x)");
  for (const Type* t : {int64(), uint64()}) {
    add_function(r, "math.bitAnd", {t, t}, t, [](const Value* a, size_t n, CallContext& c) { return math_bits(a, n, c, '&'); }, false, "math.bitAnd(a, b)");
    add_function(r, "math.bitOr", {t, t}, t, [](const Value* a, size_t n, CallContext& c) { return math_bits(a, n, c, '|'); }, false, "math.bitOr(a, b)");
    add_function(r, "math.bitXor", {t, t}, t, [](const Value* a, size_t n, CallContext& c) { return math_bits(a, n, c, '^'); }, false, "math.bitXor(a, b)");
    add_function(r, "math.bitNot", {t}, t, [](const Value* a, size_t n, CallContext& c) { return math_bits(a, n, c, '~'); }, false, "math.bitNot(a)");
    add_function(r, "math.bitShiftLeft", {t, int64()}, t, [](const Value* a, size_t n, CallContext& c) { return math_shift(a, n, c, true); }, false, "math.bitShiftLeft(a, n)");
    add_function(r, "math.bitShiftRight", {t, int64()}, t, [](const Value* a, size_t n, CallContext& c) { return math_shift(a, n, c, false); }, false, "math.bitShiftRight(a, n): logical");
  }
  // CEL's strings extension, beyond the core.
  add_function(r, "charAt", {string(), int64()}, string(), char_at, true, "s.charAt(i): the character at i (\"\" at the end)");
  add_function(r, "indexOf", {string(), string(), int64()}, int64(), [](const Value* a, size_t n, CallContext& c) { return index_of_from(a, n, c, false); }, true, "s.indexOf(t, from)");
  add_function(r, "lastIndexOf", {string(), string()}, int64(), [](const Value* a, size_t n, CallContext& c) { return index_of_from(a, n, c, true); }, true, "s.lastIndexOf(t)");
  add_function(r, "lastIndexOf", {string(), string(), int64()}, int64(), [](const Value* a, size_t n, CallContext& c) { return index_of_from(a, n, c, true); }, true, "s.lastIndexOf(t, from)");
  add_function(r, "replace", {string(), string(), string()}, string(), replace_text, true, "s.replace(old, new)");
  add_function(r, "replace", {string(), string(), string(), int64()}, string(), replace_text, true, "s.replace(old, new, n): the first n");
  add_function(r, "split", {string(), string()}, list(string()), split_text, true, "s.split(sep)");
  add_function(r, "split", {string(), string(), int64()}, list(string()), split_text, true, "s.split(sep, n): at most n parts");
  add_function(r, "trim", {string()}, string(), trim_space, true, "s.trim(): without Unicode white space at both ends");
  add_function(r, "strings.quote", {string()}, string(), quote_text, false, "strings.quote(s): as a CEL string literal");
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
