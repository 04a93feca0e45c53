// Working-day calendars: weekends, public holidays and make-up working days (调休) as data.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "stdlib/domain/date.hpp"

namespace zhiping::domain {

// Why a calendar query could not be answered. The calendar knows the holidays only of the years it
// covers; answering outside them would silently treat a holiday as a working day, so it refuses.
enum class CalendarErrorKind {
    None,
    NoYears,       // set_years was never called, or with first > last
    OutsideYears,  // a day the query had to examine lies outside the covered years
};

// The answer to a calendar query, or the reason there is none. `value` is meaningful only when
// `ok`; the messages, in Chinese and English, name the calendar, the date and the covered years,
// e.g. "日期 2027-01-04 不在日历 mainland 覆盖的年份（2024–2026）内".
template <typename T>
struct CalendarResult {
    bool ok = false;
    T value{};
    CalendarErrorKind error_kind = CalendarErrorKind::None;
    Date error_date{0};  // the first day examined that was outside the covered years
    std::string error_zh;
    std::string error_en;
};

// A named calendar covering whole years first..last. A day is a working day iff it is Monday to
// Friday and not a listed day off, or it is a listed make-up working day. A day listed as both is a
// working day (the make-up list is the more specific statement); conflicting_dates() reports them so
// that a data loader can warn.
class WorkCalendar {
public:
    // A calendar with no covered years until set_years is called.
    explicit WorkCalendar(std::string name);

    // A calendar covering first_year..last_year with the given days off and make-up working days.
    WorkCalendar(std::string name, int first_year, int last_year, const std::vector<Date>& days_off = {},
                 const std::vector<Date>& make_up_days = {});

    // Lists a day off (public holiday). Days outside the covered years are kept but never examined.
    void add_off(Date date);

    // Lists a make-up working day (调休上班), usually a Saturday or Sunday.
    void add_work(Date date);

    // Sets the covered years to first..last inclusive; first > last leaves the calendar empty.
    void set_years(int first_year, int last_year);

    const std::string& name() const { return name_; }
    int first_year() const { return first_year_; }
    int last_year() const { return last_year_; }

    // True when the date lies in the covered years.
    bool covers(Date date) const;

    // Dates listed both as days off and as make-up working days, sorted.
    std::vector<Date> conflicting_dates() const;

    // Whether `date` is a working day; an error when the date is not covered.
    CalendarResult<bool> is_working_day(Date date) const;

    // Counts the working days between a and b, each end counted only when its flag says so
    // (include_a = false, include_b = false counts the days strictly between). a == b counts that
    // one day if both flags are set, else 0. When a > b the count runs over the same days from b to a
    // (the flags staying with their dates) and is negated, so count(a, b) == -count(b, a). Only the
    // days actually counted must be covered; an empty interval needs no coverage at all.
    CalendarResult<int64_t> count_working_days(Date a, Date b, bool include_a, bool include_b) const;

    // The n-th working day after `date` (n >= 1; the day itself is not counted, as in the Civil
    // Code's periods), or the |n|-th working day before it (n <= -1). For n == 0 the result is
    // `date` itself when it is a working day, otherwise the next working day after it (the
    // "following business day" convention, so deadlines never land on a day off). Every day examined
    // must be covered, which also bounds the work by the covered years.
    CalendarResult<Date> add_working_days(Date date, int64_t n) const;

private:
    bool working(Date date) const;
    template <typename T>
    CalendarResult<T> failure(Date date) const;

    std::string name_;
    int first_year_ = 1;
    int last_year_ = 0;
    std::unordered_set<int32_t> days_off_;
    std::unordered_set<int32_t> make_up_days_;
};

}  // namespace zhiping::domain
