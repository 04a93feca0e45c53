// Working-day calendars: membership tests and day-by-day counting inside the covered years.
#include "stdlib/domain/calendar.hpp"

#include <algorithm>
#include <utility>

namespace zhiping::domain {

namespace {

template <typename T>
CalendarResult<T> success(T value) {
    CalendarResult<T> result;
    result.ok = true;
    result.value = value;
    return result;
}

}  // namespace

WorkCalendar::WorkCalendar(std::string name) : name_(std::move(name)) {}

WorkCalendar::WorkCalendar(std::string name, int first_year, int last_year, const std::vector<Date>& days_off,
                           const std::vector<Date>& make_up_days)
    : name_(std::move(name)) {
    set_years(first_year, last_year);
    for (Date d : days_off) add_off(d);
    for (Date d : make_up_days) add_work(d);
}

void WorkCalendar::add_off(Date date) { days_off_.insert(date.days); }

void WorkCalendar::add_work(Date date) { make_up_days_.insert(date.days); }

void WorkCalendar::set_years(int first_year, int last_year) {
    // Years are clamped to what Date supports so that year_end never has to represent year 10000.
    first_year_ = std::max(first_year, kMinYear);
    last_year_ = std::min(last_year, kMaxYear);
}

bool WorkCalendar::covers(Date date) const {
    if (first_year_ > last_year_) return false;
    return date >= make_date(first_year_, 1, 1) && date <= year_end(last_year_);
}

std::vector<Date> WorkCalendar::conflicting_dates() const {
    std::vector<Date> both;
    for (int32_t d : days_off_) {
        if (make_up_days_.count(d) != 0) both.push_back(Date{d});
    }
    std::sort(both.begin(), both.end());
    return both;
}

bool WorkCalendar::working(Date date) const {
    if (make_up_days_.count(date.days) != 0) return true;
    return weekday(date) <= 5 && days_off_.count(date.days) == 0;
}

template <typename T>
CalendarResult<T> WorkCalendar::failure(Date date) const {
    CalendarResult<T> result;
    result.error_date = date;
    if (first_year_ > last_year_) {
        result.error_kind = CalendarErrorKind::NoYears;
        result.error_zh =
            "日历 " + name_ + " 没有设置覆盖的年份，无法判断日期 " + format_date(date) + " 是否为工作日";
        result.error_en = "calendar " + name_ + " covers no years, so it cannot tell whether " +
                          format_date(date) + " is a working day";
        return result;
    }
    const std::string years = std::to_string(first_year_) + "–" + std::to_string(last_year_);
    result.error_kind = CalendarErrorKind::OutsideYears;
    result.error_zh = "日期 " + format_date(date) + " 不在日历 " + name_ + " 覆盖的年份（" + years + "）内";
    result.error_en = "date " + format_date(date) + " is outside the years covered by calendar " + name_ +
                      " (" + years + ")";
    return result;
}

CalendarResult<bool> WorkCalendar::is_working_day(Date date) const {
    if (!covers(date)) return failure<bool>(date);
    return success(working(date));
}

CalendarResult<int64_t> WorkCalendar::count_working_days(Date a, Date b, bool include_a,
                                                         bool include_b) const {
    if (b < a) {
        CalendarResult<int64_t> reversed = count_working_days(b, a, include_b, include_a);
        if (reversed.ok) reversed.value = -reversed.value;
        return reversed;
    }
    // The counted days are first..last; 64-bit bounds keep a±1 safe for any day number.
    const int64_t first = static_cast<int64_t>(a.days) + (include_a ? 0 : 1);
    const int64_t last = static_cast<int64_t>(b.days) - (include_b ? 0 : 1);
    if (first > last) return success<int64_t>(0);
    const Date first_date{static_cast<int32_t>(first)};
    const Date last_date{static_cast<int32_t>(last)};
    if (!covers(first_date)) return failure<int64_t>(first_date);
    if (!covers(last_date)) return failure<int64_t>(last_date);
    int64_t count = 0;
    for (int64_t d = first; d <= last; ++d) {
        if (working(Date{static_cast<int32_t>(d)})) ++count;
    }
    return success(count);
}

CalendarResult<Date> WorkCalendar::add_working_days(Date date, int64_t n) const {
    if (n == 0) {
        if (!covers(date)) return failure<Date>(date);
        if (working(date)) return success(date);
        n = 1;
    }
    const int step = n > 0 ? 1 : -1;
    // The remaining count is kept positive; n = INT64_MIN cannot be negated, but no calendar has
    // that many days, so the walk fails at the coverage edge long before the count matters.
    uint64_t remaining = n > 0 ? static_cast<uint64_t>(n) : static_cast<uint64_t>(-(n + 1)) + 1;
    int64_t day = date.days;
    while (true) {
        // The walk starts at an int32 day, so it leaves the covered years before it leaves int32.
        if (day + step < INT32_MIN || day + step > INT32_MAX) {
            return failure<Date>(Date{static_cast<int32_t>(day)});
        }
        day += step;
        const Date current{static_cast<int32_t>(day)};
        if (!covers(current)) return failure<Date>(current);
        if (working(current) && --remaining == 0) return success(current);
    }
}

}  // namespace zhiping::domain
