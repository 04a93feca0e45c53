// Resident ID numbers (公民身份号码, GB 11643-1999): validation, birth date and sex.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stdlib/domain/date.hpp"

namespace zhiping::domain {

// The first thing wrong with an ID number, in the order the checks run: each later check assumes
// the earlier ones passed, so exactly one problem is reported.
enum class IdProblem {
    None,        // valid
    Empty,       // nothing was entered
    Legacy15,    // 15 digits: the old GB 11643-1989 number, with a 2-digit year and no check character
    Length,      // not 18 characters
    Characters,  // a non-digit among the first 17, or a last character that is neither digit nor X
    Region,      // the first two digits are not a province-level code
    BirthDate,   // characters 7–14 are not a real date, or it is implausibly early, or after today
    CheckDigit,  // the 18th character is not the mod 11-2 check character of the first 17
};

// The outcome of check_resident_id. `detail` says exactly what is wrong, in Chinese for applicants;
// `detail_en` in English. `birth` and `sex` are filled whenever the birth-date check was reached
// and passed — so also when only the check character is wrong — and are empty (nullopt, 0)
// otherwise; a rule that needs a trustworthy age should use them only when `valid`.
struct IdCheck {
    bool valid = false;
    IdProblem problem = IdProblem::Empty;
    std::string detail;
    std::string detail_en;
    std::optional<Date> birth;
    char sex = 0;  // 'M' (17th digit odd), 'F' (even) or 0
};

// The earliest birth date accepted by default. GB 11643-1999's own example, 440524188001010014, is
// born 1880-01-01 and DOMAIN.md lists it as valid, so the default bound is 1800-01-01 rather than
// 1900-01-01; a caller that wants the stricter bound passes it.
Date earliest_resident_birth();

// Validates an 18-character ID number; `today` is the reference date a birth may not be after.
// Lowercase 'x' is accepted as the check character 'X': people type it that way and the standard's
// X is only a stand-in for the value 10. Nothing is trimmed: surrounding spaces are Characters or
// Length problems, for the caller to trim first if it wants.
IdCheck check_resident_id(std::string_view id, Date today);
IdCheck check_resident_id(std::string_view id, Date today, Date earliest_birth);

// The check character ('0'..'9' or 'X') for the first 17 characters, or 0 when they are not 17
// ASCII digits. Tests and callers use it to build valid numbers.
char resident_id_check_character(std::string_view first17);

// A general description of each problem, for the catalogue of messages (not specific to one number).
const char* id_problem_description_zh(IdProblem problem);
const char* id_problem_description_en(IdProblem problem);

// A stable identifier for each problem ("empty", "legacy15", ..., "check_digit"; "none" when valid).
const char* id_problem_code(IdProblem problem);

}  // namespace zhiping::domain
