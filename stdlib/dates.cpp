// Dates: parsing, parts, year bounds, calendar arithmetic with the end-of-month clamp, distances,
// and the tenure helpers of the notice (二（二）5). The arithmetic is domain/date.hpp; this file only
// declares the typed overloads and turns "no result" into bilingual error values.
#include <optional>
#include <string>

#include "stdlib/domain/date.hpp"
#include "stdlib/support.hpp"

namespace zhiping {
namespace {
using namespace types;

// Every date the language holds lies in years 1..9999 (domain::kMinYear..kMaxYear).
bool year_ok(int64_t y) { return y >= domain::kMinYear && y <= domain::kMaxYear; }

Value year_out_of_range(CallContext& ctx, int64_t y) {
  return ctx.error("年份 " + std::to_string(y) + " 超出支持范围（1–9999）",
                   "year " + std::to_string(y) + " is outside the supported range 1..9999");
}

Value date_out_of_range(CallContext& ctx, const char* fn, const Value& d, int64_t n) {
  std::string base = domain::format_date(as_date(d));
  return ctx.error(std::string(fn) + "(" + base + ", " + std::to_string(n) + ") 的结果超出支持的日期范围（0001-01-01 至 9999-12-31）",
                   std::string(fn) + "(" + base + ", " + std::to_string(n) + ") is outside the supported dates 0001-01-01..9999-12-31");
}

Value parse(const Value* a, size_t, CallContext& ctx) {
  if (auto d = domain::parse_date(a[0].str())) return date_value(*d);
  const std::string s(a[0].str());  // for the message
  return ctx.error("无效的日期“" + s + "”：应为真实存在的日期，格式 YYYY-MM-DD（如 2024-12-31）",
                   "invalid date \"" + s + "\": expected a real day written YYYY-MM-DD (e.g. 2024-12-31)");
}

// The year (0), month (1) or day (2) of a date given as days; for the boxed and unboxed d.year()….
int64_t date_part(int64_t days, int which) {
  int y = 0, m = 0, day = 0;
  domain::to_ymd(domain::Date{static_cast<int32_t>(days)}, y, m, day);
  return which == 0 ? y : which == 1 ? m : day;
}

Value part(const Value& d, int which) { return Value::int64(date_part(d.i, which)); }

bool fast_part(const FastSlot& d, int which, FastSlot& out) {
  out.i = date_part(d.i, which);
  return true;
}

bool tenure_ok(int64_t n) { return n >= -domain::kMaxYear && n <= domain::kMaxYear; }

// tenure_met(start, year, n) once year_ok(year) and tenure_ok(n): start <= year_end(year - n), where
// before year 1 nobody can have started and after 9999 everyone in range has.
bool tenure_met_checked(int64_t start_days, int64_t year, int64_t n) {
  const int64_t y = year - n;
  if (y < domain::kMinYear) return false;
  if (y > domain::kMaxYear) return true;
  return domain::Date{static_cast<int32_t>(start_days)} <= domain::year_end(static_cast<int>(y));
}

Value shifted(const Value* a, CallContext& ctx, const char* fn, std::optional<domain::Date> (*op)(domain::Date, int64_t)) {
  auto r = op(as_date(a[0]), a[1].i);
  if (!r) return date_out_of_range(ctx, fn, a[0], a[1].i);
  return date_value(*r);
}

}  // namespace

void register_date_functions(FunctionRegistry& r) {
  add_function(r, "date", {string()}, date(), parse, false,
               "date(\"2024-12-31\"): parses YYYY-MM-DD; an invalid date is an error");
  add_function(r, "date", {date()}, date(), [](const Value* a, size_t, CallContext&) { return a[0]; }, false,
               "date(d): d itself");

  add_function(r, "year", {date()}, int64(), [](const Value* a, size_t, CallContext&) { return part(a[0], 0); }, true,
               "d.year(): the year", [](const FastSlot* a, FastSlot& out) { return fast_part(a[0], 0, out); });
  add_function(r, "month", {date()}, int64(), [](const Value* a, size_t, CallContext&) { return part(a[0], 1); }, true,
               "d.month(): the month, 1..12", [](const FastSlot* a, FastSlot& out) { return fast_part(a[0], 1, out); });
  add_function(r, "day", {date()}, int64(), [](const Value* a, size_t, CallContext&) { return part(a[0], 2); }, true,
               "d.day(): the day of the month, 1..31", [](const FastSlot* a, FastSlot& out) { return fast_part(a[0], 2, out); });

  add_function(r, "year_start", {int64()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    if (!year_ok(a[0].i)) return year_out_of_range(ctx, a[0].i);
    return date_value(domain::make_date(static_cast<int>(a[0].i), 1, 1));
  }, false, "year_start(y): January 1 of y");
  add_function(r, "year_end", {int64()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    if (!year_ok(a[0].i)) return year_out_of_range(ctx, a[0].i);
    return date_value(domain::year_end(static_cast<int>(a[0].i)));
  }, false, "year_end(y): December 31 of y");

  add_function(r, "add_days", {date(), int64()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    return shifted(a, ctx, "add_days", domain::add_days);
  }, false, "add_days(d, n): n days later (n < 0: earlier)");
  add_function(r, "add_months", {date(), int64()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    return shifted(a, ctx, "add_months", domain::add_months);
  }, false, "add_months(d, n): the same day n months later, clamped to the month's end");
  add_function(r, "add_years", {date(), int64()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    return shifted(a, ctx, "add_years", domain::add_years);
  }, false, "add_years(d, n): the same day n years later, clamped (02-29 → 02-28)");

  add_function(r, "days_between", {date(), date()}, int64(), [](const Value* a, size_t, CallContext&) {
    return Value::int64(domain::days_between(as_date(a[0]), as_date(a[1])));
  }, false, "days_between(a, b): b − a in days");
  add_function(r, "months_between", {date(), date()}, int64(), [](const Value* a, size_t, CallContext&) {
    return Value::int64(domain::whole_months_between(as_date(a[0]), as_date(a[1])));
  }, false, "months_between(a, b): completed months from a to b");
  add_function(r, "years_between", {date(), date()}, int64(), [](const Value* a, size_t, CallContext&) {
    return Value::int64(domain::whole_years_between(as_date(a[0]), as_date(a[1])));
  }, false, "years_between(a, b): completed years from a to b, counted like an age");

  add_function(r, "later", {date(), date()}, date(), [](const Value* a, size_t, CallContext&) {
    return a[0].i >= a[1].i ? a[0] : a[1];
  }, false, "later(a, b): the later of two dates", [](const FastSlot* a, FastSlot& out) {
    out.i = a[0].i >= a[1].i ? a[0].i : a[1].i;
    return true;
  });
  add_function(r, "earlier", {date(), date()}, date(), [](const Value* a, size_t, CallContext&) {
    return a[0].i <= a[1].i ? a[0] : a[1];
  }, false, "earlier(a, b): the earlier of two dates", [](const FastSlot* a, FastSlot& out) {
    out.i = a[0].i <= a[1].i ? a[0].i : a[1].i;
    return true;
  });

  add_function(r, "tenure_met", {date(), int64(), int64()}, boolean(), [](const Value* a, size_t, CallContext& ctx) {
    if (!year_ok(a[1].i)) return year_out_of_range(ctx, a[1].i);
    if (!tenure_ok(a[2].i))
      return ctx.error("年限 " + std::to_string(a[2].i) + " 超出范围", "tenure of " + std::to_string(a[2].i) + " years is out of range");
    return Value::boolean(tenure_met_checked(a[0].i, a[1].i, a[2].i));
  }, false, "tenure_met(start, year, n): start <= year_end(year - n)", [](const FastSlot* a, FastSlot& out) {
    if (!year_ok(a[1].i) || !tenure_ok(a[2].i)) return false;
    out.b = tenure_met_checked(a[0].i, a[1].i, a[2].i);
    return true;
  });
  add_function(r, "tenure_years", {date(), int64()}, int64(), [](const Value* a, size_t, CallContext& ctx) {
    if (!year_ok(a[1].i)) return year_out_of_range(ctx, a[1].i);
    return Value::int64(domain::whole_years_between(as_date(a[0]), domain::year_end(static_cast<int>(a[1].i))));
  }, false, "tenure_years(start, year): completed years from start to December 31 of year");
}

}  // namespace zhiping
