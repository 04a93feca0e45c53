// Resident ID validation: length, characters, region, birth date and the ISO 7064 mod 11-2 check.
#include "stdlib/domain/resident_id.hpp"

#include <string>

#include "stdlib/domain/text.hpp"

namespace zhiping::domain {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The province-level codes of GB/T 2260 plus 71 (Taiwan), 81/82 (Hong Kong, Macao), 83 (the
// residence permits of Taiwan residents) and 91 (the permits of Hong Kong and Macao residents).
bool valid_region(int code) {
    return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
           (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
           code == 71 || code == 81 || code == 82 || code == 83 || code == 91;
}

IdCheck problem(IdProblem kind, std::string detail_zh, std::string detail_en) {
    IdCheck check;
    check.valid = false;
    check.problem = kind;
    check.detail = std::move(detail_zh);
    check.detail_en = std::move(detail_en);
    return check;
}

// A character as UTF-8 text for a message; a malformed byte was already decoded to U+FFFD.
std::string shown(char32_t c) {
    std::string out;
    append_utf8(out, c);
    return out;
}

}  // namespace

Date earliest_resident_birth() { return make_date(1800, 1, 1); }

char resident_id_check_character(std::string_view first17) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    if (first17.size() != 17) return 0;
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        if (!is_digit(first17[i])) return 0;
        sum += (first17[i] - '0') * kWeights[i];
    }
    return kCheck[sum % 11];
}

IdCheck check_resident_id(std::string_view id, Date today) {
    return check_resident_id(id, today, earliest_resident_birth());
}

IdCheck check_resident_id(std::string_view id, Date today, Date earliest_birth) {
    if (id.empty()) return problem(IdProblem::Empty, "未填写身份证号", "no ID number was given");

    bool all_digits = true;
    for (char c : id) all_digits = all_digits && is_digit(c);
    if (id.size() == 15 && all_digits) {
        return problem(IdProblem::Legacy15, "旧版15位身份证号，请使用18位号码",
                       "a legacy 15-digit ID number (GB 11643-1989); use the 18-character number");
    }

    // Length is counted in characters, so that one full-width digit is reported as a wrong
    // character rather than as a wrong length.
    const std::size_t length = utf8_length(id);
    if (length != 18) {
        return problem(IdProblem::Length, "身份证号为 " + std::to_string(length) + " 位，应为 18 位",
                       "the ID number has " + std::to_string(length) + " characters; expected 18");
    }
    std::size_t pos = 0;
    for (int index = 1; index <= 18; ++index) {
        const char32_t c = decode_utf8(id, pos);
        const bool ok =
            index < 18 ? (c >= '0' && c <= '9') : ((c >= '0' && c <= '9') || c == 'X' || c == 'x');
        if (!ok) {
            const std::string expected_zh = index < 18 ? "应为数字" : "应为数字或 X";
            const std::string expected_en = index < 18 ? "expected a digit" : "expected a digit or X";
            return problem(IdProblem::Characters,
                           "身份证号第 " + std::to_string(index) + " 位“" + shown(c) + "”" + expected_zh,
                           "character " + std::to_string(index) + " of the ID number, '" + shown(c) +
                               "', is wrong: " + expected_en);
        }
    }

    // From here on the number is 18 ASCII bytes.
    const int region = (id[0] - '0') * 10 + (id[1] - '0');
    if (!valid_region(region)) {
        const std::string code(id.substr(0, 2));
        return problem(IdProblem::Region, "身份证号前两位 " + code + " 不是有效的省级行政区划代码",
                       "the first two digits, " + code + ", are not a province-level region code");
    }

    const std::string digits(id.substr(6, 8));
    const int year = std::stoi(digits.substr(0, 4));
    const int month = std::stoi(digits.substr(4, 2));
    const int day = std::stoi(digits.substr(6, 2));
    if (!valid_ymd(year, month, day)) {
        return problem(IdProblem::BirthDate, "身份证号中的出生日期 " + digits + " 不是有效日期",
                       "the birth date in the ID number, " + digits + ", is not a real date");
    }
    const Date birth = make_date(year, month, day);
    if (birth < earliest_birth) {
        return problem(IdProblem::BirthDate,
                       "身份证号中的出生日期 " + format_date(birth) + " 早于 " + format_date(earliest_birth),
                       "the birth date in the ID number, " + format_date(birth) + ", is before " +
                           format_date(earliest_birth));
    }
    if (birth > today) {
        return problem(IdProblem::BirthDate,
                       "身份证号中的出生日期 " + format_date(birth) + " 晚于当前日期 " + format_date(today),
                       "the birth date in the ID number, " + format_date(birth) + ", is after today, " +
                           format_date(today));
    }

    IdCheck check;
    check.birth = birth;
    check.sex = ((id[16] - '0') % 2 == 1) ? 'M' : 'F';
    const char expected = resident_id_check_character(id.substr(0, 17));
    const char actual = id[17] == 'x' ? 'X' : id[17];
    if (actual != expected) {
        check.problem = IdProblem::CheckDigit;
        check.detail = std::string("身份证号校验码错误：第 18 位应为 ") + expected + "，实际为 " + id[17];
        check.detail_en = std::string("wrong check character: the 18th character should be ") + expected +
                          ", not " + id[17];
        return check;
    }
    check.valid = true;
    check.problem = IdProblem::None;
    return check;
}

const char* id_problem_description_zh(IdProblem problem) {
    switch (problem) {
        case IdProblem::None: return "身份证号有效";
        case IdProblem::Empty: return "未填写身份证号";
        case IdProblem::Legacy15: return "旧版15位身份证号，请使用18位号码";
        case IdProblem::Length: return "身份证号应为 18 位";
        case IdProblem::Characters: return "身份证号前 17 位应为数字，第 18 位应为数字或 X";
        case IdProblem::Region: return "身份证号前两位不是有效的省级行政区划代码";
        case IdProblem::BirthDate: return "身份证号中的出生日期无效";
        case IdProblem::CheckDigit: return "身份证号校验码错误";
    }
    return "身份证号无效";
}

const char* id_problem_description_en(IdProblem problem) {
    switch (problem) {
        case IdProblem::None: return "the ID number is valid";
        case IdProblem::Empty: return "no ID number was given";
        case IdProblem::Legacy15:
            return "a legacy 15-digit ID number (GB 11643-1989); use the 18-character number";
        case IdProblem::Length: return "an ID number has 18 characters";
        case IdProblem::Characters: return "the first 17 characters must be digits and the 18th a digit or X";
        case IdProblem::Region: return "the first two digits are not a province-level region code";
        case IdProblem::BirthDate: return "the birth date in the ID number is not valid";
        case IdProblem::CheckDigit: return "the check character does not match";
    }
    return "the ID number is not valid";
}

const char* id_problem_code(IdProblem problem) {
    switch (problem) {
        case IdProblem::None: return "none";
        case IdProblem::Empty: return "empty";
        case IdProblem::Legacy15: return "legacy15";
        case IdProblem::Length: return "length";
        case IdProblem::Characters: return "characters";
        case IdProblem::Region: return "region";
        case IdProblem::BirthDate: return "birth_date";
        case IdProblem::CheckDigit: return "check_digit";
    }
    return "unknown";
}

}  // namespace zhiping::domain
