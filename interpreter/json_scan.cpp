// The slow part of the JSON scanner: numbers with a fraction or an exponent, converted to the same
// double nlohmann's lexer produces.
#include "interpreter/json_scan.hpp"

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace zhiping::json_scan_detail {
namespace {

// Whether a number the conversion found out of range is too large (rather than too small) for a
// double. Written as 0.ddd × 10^e with a non-zero first digit, it is at least 1 when e > 0 and below 1
// otherwise; out of range means above 1.8e308 or below 2.5e-324, so the sign of e tells which.
bool overflows(const char* first, const char* last) {
  const char* p = first;
  if (*p == '-') ++p;
  const char* integer_start = p;
  while (p != last && is_digit(*p)) ++p;
  const char* integer_end = p;
  // The e of 0.ddd × 10^e before the exponent part is added; kNone while no non-zero digit is seen.
  constexpr long long kNone = INT64_MIN;
  long long leading = kNone;
  for (const char* d = integer_start; d != integer_end && leading == kNone; ++d) {
    if (*d != '0') leading = integer_end - d;
  }
  if (p != last && *p == '.') {
    ++p;
    for (const char* fraction_start = p; p != last && is_digit(*p); ++p) {
      if (leading == kNone && *p != '0') leading = -(p - fraction_start);
    }
  }
  if (leading == kNone) return false;  // zero, which is never out of range
  long long exponent = 0;
  if (p != last && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative_exponent = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    // Saturates far beyond any double's exponent, so absurdly long exponents do not overflow.
    for (; p != last && is_digit(*p); ++p) exponent = std::min(exponent * 10 + (*p - '0'), 1000000000LL);
    if (negative_exponent) exponent = -exponent;
  }
  return leading + exponent > 0;
}

}  // namespace

bool number_to_double(const char* first, const char* last, double& out) {
#if defined(__cpp_lib_to_chars)
  // from_chars is correctly rounded like glibc's strtod, and needs no locale and no terminating NUL.
  auto [end, error] = std::from_chars(first, last, out);
  (void)end;
  if (error == std::errc()) return true;
  // Out of range, from_chars leaves `out` alone; strtod would give ±HUGE_VAL or ±0.
  if (overflows(first, last)) return false;
  out = *first == '-' ? -0.0 : 0.0;
  return true;
#else
  // Without a floating-point from_chars (libc++ of older Emscripten), strtod does it as nlohmann does:
  // on a copy with a terminating NUL, and with the decimal point of the current C locale.
  std::string copy(first, last);
  const lconv* locale = std::localeconv();
  char point = locale == nullptr || locale->decimal_point == nullptr ? '.' : *locale->decimal_point;
  if (point != '.') {
    for (char& c : copy) {
      if (c == '.') c = point;
    }
  }
  out = std::strtod(copy.c_str(), nullptr);
  return std::isfinite(out);
#endif
}

}  // namespace zhiping::json_scan_detail
