// Building working-day calendars from `calendar` declarations (validated at load).
#pragma once
#include "interpreter/value.hpp"
#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"

namespace zhiping {

// Builds the calendar value of a `calendar` declaration; reports invalid dates, dates outside the
// declared years and conflicting entries to `sink`.
Value build_calendar(const Decl& decl, DiagnosticSink& sink);

}  // namespace zhiping
