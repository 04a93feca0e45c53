// Retirement ages: the table of the 2024 decision and the month arithmetic that applies it.
#include "stdlib/domain/retirement.hpp"

#include <algorithm>
#include <cstdint>

namespace zhiping::domain {

namespace {

// One row of the decision's table (DOMAIN.md "Statutory retirement age").
struct RetirementRule {
    int original_age_years;   // A0, the age before 2025
    int first_affected_year;  // S, the first birth year whose retirement is delayed
    int months_per_step;      // k: one month more for every k months of birth
    int cap_months;           // the largest delay
};

RetirementRule rule_for(RetirementGroup group) {
    switch (group) {
        case RetirementGroup::Male60: return {60, 1965, 4, 36};
        case RetirementGroup::Female55: return {55, 1970, 4, 36};
        case RetirementGroup::Female50: return {50, 1975, 2, 60};
    }
    return {60, 1965, 4, 36};
}

// Months count from year 0 month 1, in 64 bits so that no int input can overflow.
int64_t month_index(int64_t year, int64_t month) { return year * 12 + (month - 1); }

const int64_t kGradualRuleStart = month_index(2025, 1);

}  // namespace

Retirement retirement_for(int birth_year, int birth_month, RetirementGroup group) {
    const RetirementRule rule = rule_for(group);
    const int64_t birth = month_index(birth_year, birth_month);
    const int64_t original = birth + int64_t{rule.original_age_years} * 12;
    int64_t delay = 0;
    if (original >= kGradualRuleStart) {
        const int64_t n = birth - month_index(rule.first_affected_year, 1);
        delay = n < 0 ? 0 : std::min<int64_t>(n / rule.months_per_step + 1, rule.cap_months);
    }
    const int64_t retire = original + delay;
    // Floor division, so that months before year 0 (only reachable with absurd input) stay in 1..12.
    const int64_t year = retire >= 0 ? retire / 12 : -((11 - retire) / 12);
    Retirement result{};
    result.year = static_cast<int>(std::clamp<int64_t>(year, INT32_MIN, INT32_MAX));
    result.month = static_cast<int>(retire - year * 12 + 1);
    result.age_years = rule.original_age_years + static_cast<int>(delay / 12);
    result.age_months = static_cast<int>(delay % 12);
    return result;
}

Retirement retirement_for(Date birth, RetirementGroup group) {
    int y = 0, m = 0, d = 0;
    to_ymd(birth, y, m, d);
    return retirement_for(y, m, group);
}

std::optional<Date> retirement_date(Date birth, RetirementGroup group) {
    int y = 0, m = 0, d = 0;
    to_ymd(birth, y, m, d);
    const Retirement r = retirement_for(y, m, group);
    if (r.year < kMinYear || r.year > kMaxYear) return std::nullopt;
    return make_date(r.year, r.month, std::min(d, days_in_month(r.year, r.month)));
}

bool reaches_retirement_by(Date birth, RetirementGroup group, Date deadline) {
    const std::optional<Date> date = retirement_date(birth, group);
    return date.has_value() && *date <= deadline;
}

}  // namespace zhiping::domain
