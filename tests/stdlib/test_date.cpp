// Tests for dates: parsing, formatting, weekdays and the clamped month/year arithmetic.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <string>

#include "stdlib/domain/date.hpp"

using namespace zhiping::domain;

namespace {

Date d(const char* text) {
    const auto parsed = parse_date(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

std::string shown(const std::optional<Date>& date) { return date ? format_date(*date) : "none"; }

}  // namespace

TEST_CASE("parse_date accepts exactly YYYY-MM-DD with a real day", "[date]") {
    struct Case {
        const char* text;
        bool ok;
        int32_t days;  // days since 1970-01-01 when ok
    };
    static const Case cases[] = {
        {"1970-01-01", true, 0},
        {"1970-01-02", true, 1},
        {"1969-12-31", true, -1},
        {"2000-01-01", true, 10957},
        {"2024-01-01", true, 19723},
        {"2024-02-29", true, 19782},
        {"2000-02-29", true, 11016},
        {"0001-01-01", true, -719162},
        {"9999-12-31", true, 2932896},
        {"2024-02-30", false, 0},
        {"2023-02-29", false, 0},
        {"1900-02-29", false, 0},
        {"2024-04-31", false, 0},
        {"2024-13-01", false, 0},
        {"2024-00-10", false, 0},
        {"2024-01-00", false, 0},
        {"0000-01-01", false, 0},
        {"2024-1-01", false, 0},
        {"2024/01/01", false, 0},
        {" 2024-01-01", false, 0},
        {"2024-01-01 ", false, 0},
        {"2024-01-01T00", false, 0},
        {"", false, 0},
        {"２０２４-01-01", false, 0},
        {"+024-01-01", false, 0},
        {"2024-0a-01", false, 0},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const auto parsed = parse_date(c.text);
        REQUIRE(parsed.has_value() == c.ok);
        if (c.ok) {
            CHECK(parsed->days == c.days);
            CHECK(format_date(*parsed) == c.text);
        }
    }
}

TEST_CASE("valid_ymd, make_date and to_ymd agree", "[date]") {
    CHECK(valid_ymd(2024, 2, 29));
    CHECK_FALSE(valid_ymd(2023, 2, 29));
    CHECK(valid_ymd(2000, 2, 29));
    CHECK_FALSE(valid_ymd(2100, 2, 29));
    CHECK_FALSE(valid_ymd(0, 1, 1));
    CHECK_FALSE(valid_ymd(10000, 1, 1));
    CHECK_FALSE(valid_ymd(2024, 6, 31));
    CHECK(valid_ymd(2024, 12, 31));
    CHECK(make_date(2024, 2, 29) == d("2024-02-29"));
    CHECK(year_end(2024) == d("2024-12-31"));
    int y = 0, m = 0, day = 0;
    to_ymd(d("2024-02-29"), y, m, day);
    CHECK((y == 2024 && m == 2 && day == 29));
    to_ymd(Date{-1}, y, m, day);
    CHECK((y == 1969 && m == 12 && day == 31));
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2023, 2) == 28);
    CHECK(days_in_month(2024, 13) == 0);
}

TEST_CASE("weekday is ISO: Monday 1 to Sunday 7", "[date]") {
    struct Case {
        const char* date;
        int weekday;
    };
    static const Case cases[] = {
        {"1970-01-01", 4}, {"2024-01-01", 1}, {"2000-01-01", 6}, {"2024-02-04", 7},
        {"2024-02-18", 7}, {"2024-09-26", 4}, {"2024-09-29", 7}, {"2024-10-08", 2},
        {"2024-10-12", 6}, {"2025-01-01", 3}, {"2026-01-01", 4}, {"1969-12-31", 3},
        {"0001-01-01", 1},
    };
    for (const Case& c : cases) {
        INFO(c.date);
        CHECK(weekday(d(c.date)) == c.weekday);
    }
}

TEST_CASE("add_days, add_months and add_years clamp to the month end and stay in 1..9999", "[date]") {
    enum class Unit { Days, Months, Years };
    struct Case {
        const char* start;
        Unit unit;
        int64_t n;
        const char* expected;  // "none" when the result leaves the supported years
    };
    static const Case cases[] = {
        {"2024-02-28", Unit::Days, 1, "2024-02-29"},
        {"2024-02-28", Unit::Days, 2, "2024-03-01"},
        {"2023-12-31", Unit::Days, 1, "2024-01-01"},
        {"2024-01-01", Unit::Days, -1, "2023-12-31"},
        {"9999-12-31", Unit::Days, 1, "none"},
        {"0001-01-01", Unit::Days, -1, "none"},
        {"2024-01-01", Unit::Days, INT64_MAX, "none"},
        {"2024-01-01", Unit::Days, INT64_MIN, "none"},
        {"2024-01-31", Unit::Months, 1, "2024-02-29"},
        {"2023-01-31", Unit::Months, 1, "2023-02-28"},
        {"2024-03-31", Unit::Months, -1, "2024-02-29"},
        {"2024-03-31", Unit::Months, 1, "2024-04-30"},
        {"2024-01-15", Unit::Months, 12, "2025-01-15"},
        {"2024-12-15", Unit::Months, 1, "2025-01-15"},
        {"2024-01-15", Unit::Months, -1, "2023-12-15"},
        {"2024-01-15", Unit::Months, -25, "2021-12-15"},
        {"2024-08-31", Unit::Months, 0, "2024-08-31"},
        {"9999-12-01", Unit::Months, 1, "none"},
        {"0001-01-31", Unit::Months, -1, "none"},
        {"2024-01-01", Unit::Months, INT64_MAX, "none"},
        {"2024-01-01", Unit::Months, INT64_MIN, "none"},
        {"2020-02-29", Unit::Years, 1, "2021-02-28"},
        {"2020-02-29", Unit::Years, 4, "2024-02-29"},
        {"2020-02-29", Unit::Years, -1, "2019-02-28"},
        {"2024-06-15", Unit::Years, 0, "2024-06-15"},
        {"9999-01-01", Unit::Years, 1, "none"},
        {"0001-06-01", Unit::Years, -1, "none"},
        {"2024-01-01", Unit::Years, INT64_MIN, "none"},
    };
    for (const Case& c : cases) {
        const char* unit = c.unit == Unit::Days ? " days" : c.unit == Unit::Months ? " months" : " years";
        INFO(c.start << " + " << c.n << unit);
        const Date start = d(c.start);
        const auto result = c.unit == Unit::Days     ? add_days(start, c.n)
                            : c.unit == Unit::Months ? add_months(start, c.n)
                                                     : add_years(start, c.n);
        CHECK(shown(result) == c.expected);
    }
}

TEST_CASE("whole_years_between and whole_months_between count completed periods like an age", "[date]") {
    struct Case {
        const char* from;
        const char* to;
        int years;
        int months;
    };
    static const Case cases[] = {
        {"2000-02-29", "2001-02-28", 0, 11},
        {"2000-02-29", "2001-03-01", 1, 12},
        {"2000-02-29", "2004-02-29", 4, 48},
        {"2020-12-31", "2024-12-31", 4, 48},
        {"2021-01-01", "2024-12-31", 3, 47},
        {"2024-01-31", "2024-02-29", 0, 0},
        {"2024-01-31", "2024-03-01", 0, 1},
        {"2024-01-15", "2024-02-15", 0, 1},
        {"2024-01-15", "2024-02-14", 0, 0},
        {"2024-05-05", "2024-05-05", 0, 0},
        {"1964-12-31", "2024-12-31", 60, 720},
        {"1964-12-31", "2024-12-30", 59, 719},
        {"2001-02-28", "2000-02-29", 0, -11},
        {"2001-03-01", "2000-02-29", -1, -12},
        {"2024-12-31", "2020-12-31", -4, -48},
        {"0001-01-01", "9999-12-31", 9998, 119987},
    };
    for (const Case& c : cases) {
        INFO(c.from << " -> " << c.to);
        CHECK(whole_years_between(d(c.from), d(c.to)) == c.years);
        CHECK(whole_months_between(d(c.from), d(c.to)) == c.months);
        CHECK(whole_years_between(d(c.to), d(c.from)) == -c.years);
        CHECK(whole_months_between(d(c.to), d(c.from)) == -c.months);
    }
}

TEST_CASE("days_between is b minus a", "[date]") {
    CHECK(days_between(d("2024-01-01"), d("2024-12-31")) == 365);
    CHECK(days_between(d("2023-01-01"), d("2023-12-31")) == 364);
    CHECK(days_between(d("2024-12-31"), d("2024-01-01")) == -365);
    CHECK(days_between(d("0001-01-01"), d("9999-12-31")) == 3652058);
}

TEST_CASE("to_ymd gives back every day of years 1..9999, and consecutive days across its two methods", "[date]") {
    // to_ymd takes a 32-bit method for most day numbers and the 64-bit one elsewhere (date.cpp); the
    // first must give back what make_date made for every supported day, and both must count on
    // from one day to the next where one hands over to the other.
    int64_t expected_days = make_date(1, 1, 1).days;
    size_t wrong = 0;
    for (int y = 1; y <= 9999; ++y)
        for (int m = 1; m <= 12; ++m)
            for (int day = 1; day <= days_in_month(y, m); ++day) {
                const Date date = make_date(y, m, day);
                int yy = 0, mm = 0, dd = 0;
                to_ymd(date, yy, mm, dd);
                wrong += date.days != expected_days || yy != y || mm != m || dd != day;
                ++expected_days;
            }
    CHECK(wrong == 0);
    CHECK(expected_days - make_date(1, 1, 1).days == 3652059);

    auto leap = [](int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
    auto next_day = [&](int64_t& y, int64_t& m, int64_t& d) {
        static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const int length = m == 2 && leap(y) ? 29 : lengths[m - 1];
        if (++d > length) {
            d = 1;
            if (++m > 12) { m = 1; ++y; }
        }
    };
    const int64_t handovers[] = {-(719468 + int64_t{146097} * 82), 268000000};
    for (int64_t handover : handovers) {
        int y0 = 0, m0 = 0, d0 = 0;
        to_ymd(Date{static_cast<int32_t>(handover - 800)}, y0, m0, d0);
        int64_t y = y0, m = m0, d = d0;
        for (int64_t days = handover - 799; days <= handover + 800; ++days) {
            next_day(y, m, d);
            int yy = 0, mm = 0, dd = 0;
            to_ymd(Date{static_cast<int32_t>(days)}, yy, mm, dd);
            INFO(days);
            REQUIRE((yy == y && mm == m && dd == d));
        }
    }
}

TEST_CASE("dates outside years 1..9999 are written with the digits they need", "[date]") {
    // The format (date.hpp): at least four year digits, a '-' before years below 1; checked against
    // printf for days around the supported range and at the ends of int32.
    for (int32_t days : {INT32_MIN, -719529, -719528, -719162, -1, 0, 2932896, 2932897, 3000000, INT32_MAX}) {
        const Date date{days};
        int y = 0, m = 0, day = 0;
        to_ymd(date, y, m, day);
        char expected[48];
        std::snprintf(expected, sizeof expected, "%s%04lld-%02d-%02d", y < 0 ? "-" : "",
                      static_cast<long long>(y < 0 ? -static_cast<int64_t>(y) : y), m, day);
        INFO(days);
        CHECK(format_date(date) == expected);
        std::string appended = "at ";
        append_date(appended, date);
        CHECK(appended == std::string("at ") + expected);
    }
}

TEST_CASE("nothing crashes on extreme day numbers", "[date][limit]") {
    for (int32_t days : {INT32_MIN, INT32_MIN + 1, -1, 0, INT32_MAX - 1, INT32_MAX}) {
        INFO(days);
        const Date date{days};
        int y = 0, m = 0, day = 0;
        to_ymd(date, y, m, day);
        CHECK((m >= 1 && m <= 12 && day >= 1 && day <= 31));
        CHECK(!format_date(date).empty());
        CHECK((weekday(date) >= 1 && weekday(date) <= 7));
        CHECK(in_supported_range(date) == (days == -1 || days == 0));
        CHECK_FALSE((add_days(date, 1).has_value() && !in_supported_range(*add_days(date, 1))));
        (void)add_months(date, 1);
        (void)whole_years_between(date, Date{0});
    }
    CHECK(format_date(make_date(12345, 1, 1)) == "12345-01-01");
    CHECK(make_date(2024, 13, 1) == d("2025-01-01"));
    CHECK(make_date(2024, 0, 1) == d("2023-12-01"));
    CHECK(make_date(2024, 3, 0) == d("2024-02-29"));
    (void)make_date(INT_MAX, INT_MAX, INT_MAX);
    (void)make_date(INT_MIN, INT_MIN, INT_MIN);
}
