// Retirement (the 2024 gradual-increase decision) and resident ID numbers (GB 11643-1999).
//
// Decisions, also in docs/stdlib.md:
// - The ID check's "today" is 9999-12-31, the last supported date. Evaluation must not read the
//   clock (a policy's verdict on a record must not change from one day to the next), and the rule
//   that matters — a birth date no later than the application — is the policy's to state against
//   its own evaluation year, e.g. `id_birth_date(id) <= year_end(year)`.
// - The earliest birth accepted is the domain default, 1800-01-01, not 1900-01-01: DOMAIN.md lists
//   GB 11643-1999's own example 440524188001010014 (born 1880) as valid, and the language must agree
//   with the spec. A policy that wants a realistic bound states it (`id_birth_date(id) >= …`).
#include <string>

#include "stdlib/domain/resident_id.hpp"
#include "stdlib/domain/retirement.hpp"
#include "stdlib/support.hpp"

namespace zhiping {
namespace {
using namespace types;

// A function rather than a global, so that no static-initialisation order can see it unset.
domain::Date id_today() { return domain::make_date(domain::kMaxYear, 12, 31); }

bool group_of(std::string_view s, domain::RetirementGroup& g) {
  if (s == "male") g = domain::RetirementGroup::Male60;
  else if (s == "female_55") g = domain::RetirementGroup::Female55;
  else if (s == "female_50") g = domain::RetirementGroup::Female50;
  else return false;
  return true;
}

Value unknown_group(CallContext& ctx, const char* fn, std::string_view group) {
  const std::string s(group);
  return ctx.error(std::string(fn) + " 的人员类别“" + s + "”无效：应为 \"male\"（男，原退休年龄 60）、\"female_55\"（女，原 55）或 \"female_50\"（女，原 50）",
                   "unknown group \"" + s + "\" for " + fn + ": expected \"male\" (men, originally 60), \"female_55\" (women, originally 55) "
                   "or \"female_50\" (women, originally 50)");
}

Value retirement_date(const Value* a, size_t, CallContext& ctx) {
  domain::RetirementGroup g;
  if (!group_of(a[1].str(), g)) return unknown_group(ctx, "retirement_date", a[1].str());
  auto d = domain::retirement_date(as_date(a[0]), g);
  if (!d)
    return ctx.error("出生日期 " + domain::format_date(as_date(a[0])) + " 对应的退休日期超出支持的日期范围",
                     "the retirement date for birth date " + domain::format_date(as_date(a[0])) + " is after 9999-12-31");
  return date_value(*d);
}

Value retirement_age_months(const Value* a, size_t, CallContext& ctx) {
  domain::RetirementGroup g;
  if (!group_of(a[1].str(), g)) return unknown_group(ctx, "retirement_age_months", a[1].str());
  auto r = domain::retirement_for(as_date(a[0]), g);
  return Value::int64(int64_t{r.age_years} * 12 + r.age_months);
}

domain::IdCheck check(const Value& v) { return domain::check_resident_id(v.str(), id_today()); }

Value invalid_id(CallContext& ctx, const domain::IdCheck& c) {
  return ctx.error("身份证号无效：" + c.detail, "invalid resident ID number: " + c.detail_en);
}

}  // namespace

void register_identity_functions(FunctionRegistry& r) {
  add_function(r, "retirement_date", {date(), string()}, date(), retirement_date, false,
               "retirement_date(birth, group): the statutory retirement date; group \"male\", \"female_55\" or \"female_50\"");
  add_function(r, "retirement_age_months", {date(), string()}, int64(), retirement_age_months, false,
               "retirement_age_months(birth, group): the statutory retirement age in months (60y2m = 722)");

  add_function(r, "id_valid", {string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(check(a[0]).valid);
  }, false, "id_valid(id): a valid 18-character resident ID number");
  add_function(r, "id_problem", {string()}, string(), [](const Value* a, size_t, CallContext&) {
    auto c = check(a[0]);
    return Value::string(c.valid ? "" : c.detail);
  }, false, "id_problem(id): what is wrong with the number, in Chinese (\"\" when valid)");
  add_function(r, "id_birth_date", {string()}, date(), [](const Value* a, size_t, CallContext& ctx) {
    auto c = check(a[0]);
    if (!c.valid || !c.birth) return invalid_id(ctx, c);
    return date_value(*c.birth);
  }, false, "id_birth_date(id): the birth date in the number (an error if the number is invalid)");
  add_function(r, "id_gender", {string()}, string(), [](const Value* a, size_t, CallContext& ctx) {
    auto c = check(a[0]);
    if (!c.valid) return invalid_id(ctx, c);
    return Value::string(c.sex == 'M' ? "male" : "female");
  }, false, "id_gender(id): \"male\" or \"female\" (an error if the number is invalid)");
}

}  // namespace zhiping
