// Working-day calendar queries on a `calendar` declaration: cal.is_working_day(d),
// cal.working_days(a, b, ends), cal.add_working_days(d, n). A query that has to look at a day
// outside the calendar's `years` is an error value with the domain library's message, never a guess.
#include <string>

#include "stdlib/domain/calendar.hpp"
#include "stdlib/support.hpp"

namespace zhiping {
namespace {
using namespace types;

template <typename T>
Value failed(const domain::CalendarResult<T>& r, CallContext& ctx) {
  return ctx.error(r.error_zh, r.error_en);
}

Value is_working_day(const Value* a, size_t, CallContext& ctx) {
  auto r = a[0].cal().calendar->is_working_day(as_date(a[1]));
  if (!r.ok) return failed(r, ctx);
  return Value::boolean(r.value);
}

Value working_days(const Value* a, size_t, CallContext& ctx) {
  const std::string_view ends = a[3].str();
  bool include_a, include_b;
  if (ends == "()") include_a = false, include_b = false;
  else if (ends == "(]") include_a = false, include_b = true;
  else if (ends == "[)") include_a = true, include_b = false;
  else if (ends == "[]") include_a = true, include_b = true;
  else
    return ctx.error("working_days 的第三个参数“" + std::string(ends) + "”无效：应为 \"()\"（两端都不计）、\"(]\"（只计结束日）、\"[)\"（只计开始日）或 \"[]\"（两端都计）",
                     "invalid ends \"" + std::string(ends) + "\" for working_days: expected \"()\" (neither end counted), \"(]\" (the end only), "
                     "\"[)\" (the start only) or \"[]\" (both ends)");
  auto r = a[0].cal().calendar->count_working_days(as_date(a[1]), as_date(a[2]), include_a, include_b);
  if (!r.ok) return failed(r, ctx);
  return Value::int64(r.value);
}

Value add_working_days(const Value* a, size_t, CallContext& ctx) {
  auto r = a[0].cal().calendar->add_working_days(as_date(a[1]), a[2].i);
  if (!r.ok) return failed(r, ctx);
  return date_value(r.value);
}

}  // namespace

void register_calendar_functions(FunctionRegistry& r) {
  add_function(r, "is_working_day", {calendar(), date()}, boolean(), is_working_day, true,
               "cal.is_working_day(d): (Mon–Fri and not off) or a make-up working day");
  add_function(r, "working_days", {calendar(), date(), date(), string()}, int64(), working_days, true,
               "cal.working_days(a, b, ends): working days between a and b; ends \"()\", \"(]\", \"[)\" or \"[]\"");
  add_function(r, "add_working_days", {calendar(), date(), int64()}, date(), add_working_days, true,
               "cal.add_working_days(d, n): the n-th working day after d (n < 0: before; 0: d or the next working day)");
}

}  // namespace zhiping
