// Tests for working-day calendars, on the mainland calendars of 2024–2026 given in DOMAIN.md.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stdlib/domain/calendar.hpp"

using namespace zhiping::domain;

namespace {

Date d(const std::string& text) {
    const auto parsed = parse_date(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

// Adds "MM-DD" or "MM-DD..MM-DD" entries of one year, as DOMAIN.md lists them.
void add_entries(std::vector<Date>& out, int year, const std::vector<std::string>& entries) {
    for (const std::string& entry : entries) {
        const std::string y = std::to_string(year) + "-";
        const std::size_t dots = entry.find("..");
        const Date first = d(y + entry.substr(0, dots));
        const Date last = dots == std::string::npos ? first : d(y + entry.substr(dots + 2));
        for (int32_t day = first.days; day <= last.days; ++day) out.push_back(Date{day});
    }
}

// The mainland calendar of DOMAIN.md, covering 2024–2026.
WorkCalendar mainland() {
    std::vector<Date> off;
    std::vector<Date> work;
    add_entries(off, 2024, {"01-01", "02-10..02-17", "04-04..04-06", "05-01..05-05", "06-10", "09-15..09-17",
                            "10-01..10-07"});
    add_entries(work, 2024, {"02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"});
    add_entries(off, 2025, {"01-01", "01-28..02-04", "04-04..04-06", "05-01..05-05", "05-31..06-02",
                            "10-01..10-08"});
    add_entries(work, 2025, {"01-26", "02-08", "04-27", "09-28", "10-11"});
    add_entries(off, 2026, {"01-01..01-03", "02-15..02-23", "04-04..04-06", "05-01..05-05", "06-19..06-21",
                            "09-25..09-27", "10-01..10-07"});
    add_entries(work, 2026, {"01-04", "02-14", "02-28", "05-09", "09-20", "10-10"});
    return WorkCalendar("mainland", 2024, 2026, off, work);
}

}  // namespace

TEST_CASE("is_working_day: weekdays, holidays and make-up days", "[calendar]") {
    const WorkCalendar calendar = mainland();
    struct Case {
        const char* date;
        bool working;
        const char* why;
    };
    static const Case cases[] = {
        {"2024-01-01", false, "New Year's Day, a Monday"},
        {"2024-01-02", true, "ordinary Tuesday"},
        {"2024-01-06", false, "ordinary Saturday"},
        {"2024-02-04", true, "make-up working day on a Sunday"},
        {"2024-02-09", true, "Friday before the Spring Festival block"},
        {"2024-02-10", false, "Spring Festival, Saturday"},
        {"2024-02-14", false, "Spring Festival, Wednesday"},
        {"2024-02-17", false, "Spring Festival, last day (Saturday)"},
        {"2024-02-18", true, "make-up working day, Sunday"},
        {"2024-04-05", false, "Qingming, a holiday on a Friday"},
        {"2024-04-07", true, "make-up Sunday"},
        {"2024-04-28", true, "make-up Sunday"},
        {"2024-05-11", true, "make-up Saturday"},
        {"2024-06-10", false, "Dragon Boat Festival, Monday"},
        {"2024-09-14", true, "make-up Saturday"},
        {"2024-09-28", false, "ordinary Saturday next to a make-up Sunday"},
        {"2024-09-29", true, "make-up Sunday"},
        {"2024-10-07", false, "National Day, Monday"},
        {"2024-10-12", true, "make-up Saturday"},
        {"2024-12-31", true, "Tuesday"},
        {"2025-01-01", false, "New Year's Day, Wednesday"},
        {"2025-01-26", true, "make-up Sunday"},
        {"2025-02-04", false, "Spring Festival, Tuesday"},
        {"2025-02-08", true, "make-up Saturday"},
        {"2025-10-08", false, "National Day, Wednesday"},
        {"2026-01-02", false, "New Year holiday, Friday"},
        {"2026-01-04", true, "make-up Sunday"},
        {"2026-02-28", true, "make-up Saturday"},
        {"2026-12-31", true, "last covered day, Thursday"},
    };
    for (const Case& c : cases) {
        INFO(c.date << ": " << c.why);
        const auto result = calendar.is_working_day(d(c.date));
        REQUIRE(result.ok);
        CHECK(result.value == c.working);
    }
}

TEST_CASE("count_working_days over intervals with chosen ends", "[calendar]") {
    const WorkCalendar calendar = mainland();
    struct Case {
        const char* a;
        const char* b;
        bool include_a;
        bool include_b;
        int64_t expected;
        const char* why;
    };
    static const Case cases[] = {
        {"2024-09-26", "2024-10-08", false, false, 3,
         "plan filed 09-26, meeting 10-08: 09-27, 09-29 (make-up), 09-30; 10-01..07 off"},
        {"2024-09-26", "2024-10-08", true, true, 5, "the same with both ends, Thursday and Tuesday"},
        {"2024-09-26", "2024-10-08", false, true, 4, "results-style interval: start excluded, end included"},
        {"2024-12-27", "2025-01-03", false, false, 3, "New Year across 2024->2025: 12-30, 12-31, 01-02"},
        {"2024-02-08", "2024-02-19", false, false, 2, "Spring Festival 2024: 02-09 and make-up 02-18"},
        {"2026-02-13", "2026-03-02", false, false, 6, "Spring Festival 2026 with make-up 02-14 and 02-28"},
        {"2025-01-01", "2025-01-31", true, true, 19, "January 2025"},
        {"2024-01-01", "2024-12-31", true, true, 251, "the whole of 2024"},
        {"2025-01-01", "2025-12-31", true, true, 248, "the whole of 2025"},
        {"2026-01-01", "2026-12-31", true, true, 248, "the whole of 2026"},
        {"2024-01-01", "2026-12-31", true, true, 747, "all covered years"},
        {"2024-10-08", "2024-09-26", false, false, -3, "reversed interval is negated"},
        {"2024-10-08", "2024-09-26", true, false, -4, "reversed, the flags stay with their dates"},
        {"2024-05-06", "2024-05-06", true, true, 1, "one working day, both ends"},
        {"2024-05-06", "2024-05-06", true, false, 0, "one day, an end excluded"},
        {"2024-05-06", "2024-05-07", false, false, 0, "adjacent days, nothing strictly between"},
        {"2023-12-31", "2024-01-03", false, false, 1, "the excluded start may lie outside the years"},
        {"2026-12-31", "2027-01-01", true, false, 1, "the excluded end may lie outside the years"},
    };
    for (const Case& c : cases) {
        INFO(c.a << " .. " << c.b << ": " << c.why);
        const auto result = calendar.count_working_days(d(c.a), d(c.b), c.include_a, c.include_b);
        REQUIRE(result.ok);
        CHECK(result.value == c.expected);
    }
}

TEST_CASE("add_working_days walks forwards and backwards", "[calendar]") {
    const WorkCalendar calendar = mainland();
    struct Case {
        const char* start;
        int64_t n;
        const char* expected;
    };
    static const Case cases[] = {
        {"2024-09-26", 5, "2024-10-09"},  // 27, 29, 30, 10-08, 10-09
        {"2024-09-30", 1, "2024-10-08"},
        {"2024-10-08", -1, "2024-09-30"},
        {"2024-12-31", 1, "2025-01-02"},
        {"2025-01-02", -1, "2024-12-31"},
        {"2024-02-03", 1, "2024-02-04"},   // Saturday -> make-up Sunday
        {"2024-02-09", 1, "2024-02-18"},   // across the Spring Festival block
        {"2024-09-29", 0, "2024-09-29"},   // a working day stays
        {"2024-09-28", 0, "2024-09-29"},   // a day off rolls forward
        {"2024-10-01", 0, "2024-10-08"},
        {"2024-05-06", 0, "2024-05-06"},
        {"2024-01-01", 1, "2024-01-02"},
        {"2023-12-31", 1, "2024-01-02"},   // the start itself need not be covered
        {"2024-01-05", -3, "2024-01-02"},
    };
    for (const Case& c : cases) {
        INFO(c.start << " + " << c.n);
        const auto result = calendar.add_working_days(d(c.start), c.n);
        REQUIRE(result.ok);
        CHECK(format_date(result.value) == c.expected);
    }
}

TEST_CASE("queries outside the covered years fail with a message naming the date", "[calendar]") {
    const WorkCalendar calendar = mainland();
    const auto day = calendar.is_working_day(d("2027-01-04"));
    CHECK_FALSE(day.ok);
    CHECK(day.error_kind == CalendarErrorKind::OutsideYears);
    CHECK(day.error_zh == "日期 2027-01-04 不在日历 mainland 覆盖的年份（2024–2026）内");
    CHECK(day.error_en == "date 2027-01-04 is outside the years covered by calendar mainland (2024–2026)");
    CHECK(day.error_date == d("2027-01-04"));

    const auto before = calendar.count_working_days(d("2023-12-20"), d("2024-01-10"), false, false);
    CHECK_FALSE(before.ok);
    CHECK(format_date(before.error_date) == "2023-12-21");

    const auto after = calendar.count_working_days(d("2026-12-20"), d("2027-01-10"), true, true);
    CHECK_FALSE(after.ok);
    CHECK(format_date(after.error_date) == "2027-01-10");

    const auto reversed = calendar.count_working_days(d("2027-01-10"), d("2026-12-20"), true, true);
    CHECK_FALSE(reversed.ok);

    const auto walk = calendar.add_working_days(d("2026-12-30"), 3);
    CHECK_FALSE(walk.ok);
    CHECK(format_date(walk.error_date) == "2027-01-01");

    const auto back = calendar.add_working_days(d("2024-01-03"), -2);
    CHECK_FALSE(back.ok);
    CHECK(format_date(back.error_date) == "2023-12-31");

    const auto huge = calendar.add_working_days(d("2024-06-01"), INT64_MAX);
    CHECK_FALSE(huge.ok);
    const auto huge_back = calendar.add_working_days(d("2024-06-01"), INT64_MIN);
    CHECK_FALSE(huge_back.ok);

    const auto zero = calendar.add_working_days(d("2027-01-01"), 0);
    CHECK_FALSE(zero.ok);

    const auto empty_interval = calendar.count_working_days(d("2030-01-01"), d("2030-01-02"), false, false);
    REQUIRE(empty_interval.ok);
    CHECK(empty_interval.value == 0);
}

TEST_CASE("a calendar without years, set_years, and conflicting entries", "[calendar]") {
    WorkCalendar calendar("test");
    const auto none = calendar.is_working_day(d("2024-01-02"));
    CHECK_FALSE(none.ok);
    CHECK(none.error_kind == CalendarErrorKind::NoYears);
    CHECK(none.error_zh == "日历 test 没有设置覆盖的年份，无法判断日期 2024-01-02 是否为工作日");

    calendar.set_years(2024, 2024);
    calendar.add_off(d("2024-01-02"));
    calendar.add_work(d("2024-01-02"));
    calendar.add_work(d("2024-01-06"));
    const auto both = calendar.is_working_day(d("2024-01-02"));
    REQUIRE(both.ok);
    CHECK(both.value);  // the make-up list wins
    REQUIRE(calendar.conflicting_dates().size() == 1);
    CHECK(format_date(calendar.conflicting_dates()[0]) == "2024-01-02");
    const auto week = calendar.count_working_days(d("2024-01-01"), d("2024-01-07"), true, true);
    REQUIRE(week.ok);
    CHECK(week.value == 6);  // Monday–Friday plus the make-up Saturday

    calendar.set_years(2025, 2024);
    CHECK_FALSE(calendar.covers(d("2024-06-01")));
    calendar.set_years(-5, 20000);
    CHECK(calendar.covers(d("0001-01-01")));
    CHECK(calendar.covers(d("9999-12-31")));
}
