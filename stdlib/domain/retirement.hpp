// Statutory retirement age and month: the pre-2025 ages and the 2025 gradual-increase rule.
#pragma once

#include <optional>

#include "stdlib/domain/date.hpp"

namespace zhiping::domain {

// The three groups of the 2024 decision (全国人大常委会关于实施渐进式延迟法定退休年龄的决定). The ID
// number tells only the sex; which group a woman is in comes from the input `staff_category`.
enum class RetirementGroup {
    Male60,    // men, original age 60
    Female55,  // women in professional or cadre posts, original age 55
    Female50,  // women workers, original age 50
};

// When someone reaches the statutory retirement age: the calendar month, and the age then.
struct Retirement {
    int year;        // the retirement month's year
    int month;       // 1..12
    int age_years;   // e.g. 60 for 60 years 1 month
    int age_months;  // 0..11
};

// The rule in force for someone born in birth_year-birth_month (month 1..12; other months are
// normalised). Whoever would reach the original age before January 2025 keeps it; everyone else gets
// the gradual formula, n = (birth_year − S) × 12 + (birth_month − 1), delay = n < 0 ? 0 :
// min(n / k + 1, cap), retirement month = birth month + original age + delay. The two conditions
// meet exactly at S (1965, 1970, 1975 = 2025 − original age), so they never disagree.
Retirement retirement_for(int birth_year, int birth_month, RetirementGroup group);

// The same for a birth date (only its year and month matter).
Retirement retirement_for(Date birth, RetirementGroup group);

// The day the statutory age is reached: the birth's day of month in the retirement month, clamped to
// that month's length (born 1976-08-31, 62 years 11 months → 2039-07-31; a 31st in a 30-day month
// gives the 30th). Rules compare it with a deadline such as 12-31 of the evaluation year, where only
// the month matters, so the clamp never changes a verdict. nullopt when the date would fall after
// year 9999 (births in the last decades of the supported range).
std::optional<Date> retirement_date(Date birth, RetirementGroup group);

// True when the statutory age is reached on or before `deadline` (SCOPE-RETIREMENT-AGE asks this for
// 12-31 of the evaluation year). A retirement after year 9999 is never reached.
bool reaches_retirement_by(Date birth, RetirementGroup group, Date deadline);

}  // namespace zhiping::domain
