// Tests for the statutory retirement age: DOMAIN.md's checks, the caps and the 2025 boundary.
#include <catch2/catch.hpp>

#include <string>

#include "stdlib/domain/retirement.hpp"

using namespace zhiping::domain;

namespace {

Date d(const char* text) {
    const auto parsed = parse_date(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

const char* group_name(RetirementGroup group) {
    switch (group) {
        case RetirementGroup::Male60: return "men";
        case RetirementGroup::Female55: return "women-55";
        case RetirementGroup::Female50: return "women-50";
    }
    return "?";
}

}  // namespace

TEST_CASE("retirement_for gives the retirement month and age", "[retirement]") {
    struct Case {
        RetirementGroup group;
        int birth_year, birth_month;
        int year, month, age_years, age_months;
        const char* why;
    };
    using G = RetirementGroup;
    static const Case cases[] = {
        // DOMAIN.md's checks.
        {G::Male60, 1964, 12, 2024, 12, 60, 0, "last month of the old rule"},
        {G::Male60, 1965, 1, 2025, 2, 60, 1, "first affected month"},
        {G::Male60, 1965, 5, 2025, 7, 60, 2, "n = 4, one step"},
        {G::Female55, 1971, 4, 2026, 8, 55, 4, "n = 15"},
        {G::Female50, 1995, 12, 2050, 12, 55, 0, "capped at 60 months"},
        // The first month at each cap, and the month before it.
        {G::Male60, 1976, 9, 2039, 9, 63, 0, "men reach the cap"},
        {G::Male60, 1976, 8, 2039, 7, 62, 11, "one month before the cap"},
        {G::Female55, 1981, 9, 2039, 9, 58, 0, "women-55 reach the cap"},
        {G::Female55, 1981, 8, 2039, 7, 57, 11, "one month before the cap"},
        {G::Female50, 1984, 11, 2039, 11, 55, 0, "women-50 reach the cap"},
        {G::Female50, 1984, 10, 2039, 9, 54, 11, "one month before the cap"},
        // The 2025 boundary of the other groups, and steps of the formula.
        {G::Female55, 1969, 12, 2024, 12, 55, 0, "old rule"},
        {G::Female55, 1970, 1, 2025, 2, 55, 1, "first affected month"},
        {G::Female50, 1974, 12, 2024, 12, 50, 0, "old rule"},
        {G::Female50, 1975, 1, 2025, 2, 50, 1, "first affected month"},
        {G::Female50, 1975, 3, 2025, 5, 50, 2, "k = 2: n = 2 gives two months"},
        {G::Male60, 1965, 4, 2025, 5, 60, 1, "n = 3 is still one month"},
        {G::Male60, 1970, 1, 2031, 5, 61, 4, "n = 60: 16 months"},
        {G::Male60, 1960, 6, 2020, 6, 60, 0, "long retired"},
        {G::Male60, 2000, 1, 2063, 1, 63, 0, "capped"},
    };
    for (const Case& c : cases) {
        INFO(group_name(c.group) << " born " << c.birth_year << "-" << c.birth_month << ": " << c.why);
        const Retirement r = retirement_for(c.birth_year, c.birth_month, c.group);
        CHECK(r.year == c.year);
        CHECK(r.month == c.month);
        CHECK(r.age_years == c.age_years);
        CHECK(r.age_months == c.age_months);
    }
}

TEST_CASE("retirement_date is the birthday in the retirement month, clamped", "[retirement]") {
    struct Case {
        const char* birth;
        RetirementGroup group;
        const char* expected;
    };
    using G = RetirementGroup;
    static const Case cases[] = {
        {"1964-12-31", G::Male60, "2024-12-31"},
        {"1965-01-31", G::Male60, "2025-02-28"},
        {"1964-02-29", G::Male60, "2024-02-29"},
        {"1971-04-15", G::Female55, "2026-08-15"},
        {"1976-08-31", G::Male60, "2039-07-31"},
        {"1965-03-31", G::Male60, "2025-04-30"},
        {"1995-12-01", G::Female50, "2050-12-01"},
    };
    for (const Case& c : cases) {
        INFO(c.birth << " " << group_name(c.group));
        const auto date = retirement_date(d(c.birth), c.group);
        REQUIRE(date.has_value());
        CHECK(format_date(*date) == c.expected);
        const Retirement by_date = retirement_for(d(c.birth), c.group);
        int y = 0, m = 0, day = 0;
        to_ymd(*date, y, m, day);
        CHECK((by_date.year == y && by_date.month == m));
    }
    CHECK_FALSE(retirement_date(d("9990-01-01"), G::Male60).has_value());
}

TEST_CASE("reaches_retirement_by compares with the deadline, inclusive", "[retirement]") {
    using G = RetirementGroup;
    const Date deadline = year_end(2024);
    CHECK(reaches_retirement_by(d("1964-12-31"), G::Male60, deadline));
    CHECK(reaches_retirement_by(d("1964-01-01"), G::Male60, deadline));
    CHECK_FALSE(reaches_retirement_by(d("1965-01-01"), G::Male60, deadline));
    CHECK(reaches_retirement_by(d("1969-12-15"), G::Female55, deadline));
    CHECK_FALSE(reaches_retirement_by(d("1970-01-15"), G::Female55, deadline));
    CHECK(reaches_retirement_by(d("1974-12-31"), G::Female50, deadline));
    CHECK_FALSE(reaches_retirement_by(d("1975-01-01"), G::Female50, deadline));
    // Born 1965-01: retires 2025-02, so inside the 2025 evaluation year, not the 2024 one.
    CHECK(reaches_retirement_by(d("1965-01-20"), G::Male60, year_end(2025)));
    CHECK_FALSE(reaches_retirement_by(d("9990-01-01"), G::Male60, d("9999-12-31")));
}

TEST_CASE("retirement_for survives absurd inputs", "[retirement][limit]") {
    const Retirement low = retirement_for(INT32_MIN, 1, RetirementGroup::Male60);
    CHECK((low.month >= 1 && low.month <= 12));
    const Retirement high = retirement_for(INT32_MAX, 12, RetirementGroup::Female50);
    CHECK((high.month >= 1 && high.month <= 12));
    CHECK(high.age_years == 55);
    const Retirement odd_month = retirement_for(1965, 13, RetirementGroup::Male60);
    CHECK((odd_month.year == 2026 && odd_month.month == 5));  // 1965-13 is 1966-01: n = 12, 4 months
    (void)retirement_date(Date{INT32_MIN}, RetirementGroup::Male60);
    (void)retirement_date(Date{INT32_MAX}, RetirementGroup::Female55);
}
