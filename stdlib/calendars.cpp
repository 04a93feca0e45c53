// Builds a domain::WorkCalendar from a `calendar` declaration, checking every date as it goes.
#include "stdlib/calendars.hpp"

#include "stdlib/domain/calendar.hpp"

namespace zhiping {

Value build_calendar(const Decl& decl, DiagnosticSink& sink) {
  auto cal = std::make_shared<domain::WorkCalendar>(decl.name);
  if (decl.first_year == 0 && decl.last_year == 0) {
    sink.error("check.calendar-no-years", decl.name_span, {decl.name});
  } else if (decl.first_year > decl.last_year || decl.first_year < 1 || decl.last_year > 9999) {
    sink.error("check.calendar-years", decl.name_span, {std::to_string(decl.first_year), std::to_string(decl.last_year)});
  } else {
    cal->set_years(decl.first_year, decl.last_year);
  }
  for (auto& entry : decl.calendar_entries) {
    auto from = domain::parse_date(entry.from);
    auto to = domain::parse_date(entry.to);
    if (!from || !to || *to < *from) {
      sink.error("check.calendar-date", entry.span, {entry.from == entry.to ? entry.from : entry.from + ".." + entry.to});
      continue;
    }
    if (!cal->covers(*from) || !cal->covers(*to)) {
      sink.error("check.calendar-outside", entry.span,
                 {entry.from, std::to_string(decl.first_year), std::to_string(decl.last_year)});
      continue;
    }
    for (int32_t d = from->days; d <= to->days; ++d) {
      if (entry.off) cal->add_off(domain::Date{d});
      else cal->add_work(domain::Date{d});
    }
  }
  for (auto& d : cal->conflicting_dates()) sink.error("check.calendar-conflict", decl.name_span, {domain::format_date(d)});
  auto* obj = new CalendarObject();
  obj->calendar = cal;
  obj->name = decl.name;
  return Value::from_object(ValueKind::Calendar, obj);
}

}  // namespace zhiping
