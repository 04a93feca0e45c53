// Calendar dates as day numbers: parsing, formatting and the year/month arithmetic the rules use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhiping::domain {

// A day in the proleptic Gregorian calendar, counted from 1970-01-01 (day 0). A plain number makes
// comparison and day arithmetic trivial and lets the interpreter store a date in one word.
struct Date {
    int32_t days;
};

inline bool operator==(Date a, Date b) { return a.days == b.days; }
inline bool operator!=(Date a, Date b) { return a.days != b.days; }
inline bool operator<(Date a, Date b) { return a.days < b.days; }
inline bool operator<=(Date a, Date b) { return a.days <= b.days; }
inline bool operator>(Date a, Date b) { return a.days > b.days; }
inline bool operator>=(Date a, Date b) { return a.days >= b.days; }

// The years every date the language accepts must lie in; arithmetic that leaves them fails.
inline constexpr int kMinYear = 1;
inline constexpr int kMaxYear = 9999;

// True when y-m-d names a real day with y in 1..9999 (2024-02-29 yes, 2023-02-29 no).
bool valid_ymd(int year, int month, int day);

// The number of days in a month (28..31); 0 when the month is not 1..12.
int days_in_month(int year, int month);

// True for Gregorian leap years: divisible by 4, except centuries not divisible by 400.
bool is_leap_year(int year);

// The date of y-m-d. The caller has checked the parts with valid_ymd; other values still give a
// well-defined (normalised) day rather than undefined behaviour, but their meaning is unspecified.
Date make_date(int year, int month, int day);

// Splits a date into year, month (1..12) and day (1..31). Any int32 day number is accepted.
void to_ymd(Date date, int& year, int& month, int& day);

// True when the date lies in years 1..9999, the range parse_date and the arithmetic keep to.
bool in_supported_range(Date date);

// Reads exactly `YYYY-MM-DD`: ten ASCII characters, years 0001..9999, a real month and day. Anything
// else (spaces, 2024-2-1, 2024-02-30, 2023-02-29, 0000-01-01) gives nullopt.
std::optional<Date> parse_date(std::string_view text);

// Writes `YYYY-MM-DD`. A date outside years 1..9999 (only reachable by building Date by hand) is
// written with as many year digits as it needs and a leading '-' for years before 1.
std::string format_date(Date date);
// The same text appended to `out`.
void append_date(std::string& out, Date date);

// ISO weekday: 1 = Monday .. 7 = Sunday.
int weekday(Date date);

// December 31 of the year, the deadline most rules of the notice are measured against.
Date year_end(int year);

// The date n days later (n < 0: earlier); nullopt when the result leaves years 1..9999.
std::optional<Date> add_days(Date date, int64_t n);

// The same day n months later (n < 0: earlier), clamped to the end of a shorter month:
// 2024-01-31 + 1 month = 2024-02-29, 2024-03-31 - 1 month = 2024-02-29. nullopt when the result
// leaves years 1..9999.
std::optional<Date> add_months(Date date, int64_t n);

// n years later with the same clamp: 2020-02-29 + 1 year = 2021-02-28.
std::optional<Date> add_years(Date date, int64_t n);

// Completed years from a to b, counted like an age: the year is complete when b reaches the same
// month and day as a. Someone born 2000-02-29 is 0 on 2001-02-28 and 1 on 2001-03-01, because
// February 29 is only reached once February is over. Negative when b < a, with
// whole_years_between(b, a) == -whole_years_between(a, b).
int whole_years_between(Date a, Date b);

// Completed months from a to b, by the same rule: the month is complete when b reaches a's day of
// month (2024-01-31 to 2024-02-29 is 0 months, to 2024-03-01 is 1). Negative and symmetric likewise.
int whole_months_between(Date a, Date b);

// b − a in days (2024-01-01 to 2024-01-02 is 1).
int64_t days_between(Date a, Date b);

}  // namespace zhiping::domain
