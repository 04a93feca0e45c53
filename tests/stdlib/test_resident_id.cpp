// Tests for resident ID validation (GB 11643-1999): valid numbers and one case per kind of problem.
#include <catch2/catch.hpp>

#include <string>

#include "stdlib/domain/resident_id.hpp"

using namespace zhiping::domain;

namespace {

Date d(const char* text) {
    const auto parsed = parse_date(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

}  // namespace

TEST_CASE("resident_id_check_character computes the mod 11-2 check", "[resident_id]") {
    struct Case {
        const char* first17;
        char expected;
    };
    static const Case cases[] = {
        {"11010519491231002", 'X'}, {"44052418800101001", '4'}, {"34052419800101001", 'X'},
        {"41010219850612003", '6'}, {"41010219850612004", '4'}, {"41010520240229002", '0'},
        {"83000019900101001", '2'}, {"1101051949123100", 0},    {"1101051949123100a", 0},
        {"", 0},
    };
    for (const Case& c : cases) {
        INFO(c.first17);
        CHECK(resident_id_check_character(c.first17) == c.expected);
    }
}

TEST_CASE("check_resident_id accepts valid numbers and reads birth date and sex", "[resident_id]") {
    const Date today = d("2024-06-01");
    struct Case {
        const char* id;
        const char* birth;
        char sex;
    };
    static const Case cases[] = {
        {"11010519491231002X", "1949-12-31", 'F'},  // DOMAIN.md
        {"440524188001010014", "1880-01-01", 'M'},  // DOMAIN.md, the standard's own example
        {"34052419800101001X", "1980-01-01", 'M'},  // DOMAIN.md
        {"11010519491231002x", "1949-12-31", 'F'},  // lowercase x is accepted
        {"410102198506120036", "1985-06-12", 'M'},
        {"410102198506120044", "1985-06-12", 'F'},
        {"410105202402290020", "2024-02-29", 'F'},  // leap day
        {"830000199001010012", "1990-01-01", 'M'},  // Taiwan residents' permit
    };
    for (const Case& c : cases) {
        INFO(c.id);
        const IdCheck check = check_resident_id(c.id, today);
        CHECK(check.valid);
        CHECK(check.problem == IdProblem::None);
        REQUIRE(check.birth.has_value());
        CHECK(format_date(*check.birth) == c.birth);
        CHECK(check.sex == c.sex);
    }
}

TEST_CASE("check_resident_id names the first problem", "[resident_id]") {
    const Date today = d("2024-06-01");
    struct Case {
        std::string id;
        IdProblem problem;
        const char* detail;  // the Chinese detail, exactly
    };
    static const Case cases[] = {
        {"", IdProblem::Empty, "未填写身份证号"},
        {"110105491231002", IdProblem::Legacy15, "旧版15位身份证号，请使用18位号码"},
        {"11010519491231002", IdProblem::Length, "身份证号为 17 位，应为 18 位"},
        {"11010519491231002X1", IdProblem::Length, "身份证号为 19 位，应为 18 位"},
        {"11010549123100X", IdProblem::Length, "身份证号为 15 位，应为 18 位"},
        {"11010519491231002Y", IdProblem::Characters, "身份证号第 18 位“Y”应为数字或 X"},
        {"11010519491231a02X", IdProblem::Characters, "身份证号第 15 位“a”应为数字"},
        {"X10105194912310021", IdProblem::Characters, "身份证号第 1 位“X”应为数字"},
        {"１1010519491231002X", IdProblem::Characters, "身份证号第 1 位“１”应为数字"},
        {"11010519491231002 ", IdProblem::Characters, "身份证号第 18 位“ ”应为数字或 X"},
        {"11010519491231002\xFF", IdProblem::Characters, "身份证号第 18 位“\xEF\xBF\xBD”应为数字或 X"},
        {"991051194912310021", IdProblem::Region, "身份证号前两位 99 不是有效的省级行政区划代码"},
        {"160100199001010018", IdProblem::Region, "身份证号前两位 16 不是有效的省级行政区划代码"},
        {"000000199001010010", IdProblem::Region, "身份证号前两位 00 不是有效的省级行政区划代码"},
        {"410105202302290023", IdProblem::BirthDate, "身份证号中的出生日期 20230229 不是有效日期"},
        {"410105198513010010", IdProblem::BirthDate, "身份证号中的出生日期 19851301 不是有效日期"},
        {"410105000001010010", IdProblem::BirthDate, "身份证号中的出生日期 00000101 不是有效日期"},
        {"410105203001010010", IdProblem::BirthDate, "身份证号中的出生日期 2030-01-01 晚于当前日期 2024-06-01"},
        {"410105179912310010", IdProblem::BirthDate, "身份证号中的出生日期 1799-12-31 早于 1800-01-01"},
        {"110105194912310021", IdProblem::CheckDigit, "身份证号校验码错误：第 18 位应为 X，实际为 1"},
        {"440524188001010015", IdProblem::CheckDigit, "身份证号校验码错误：第 18 位应为 4，实际为 5"},
    };
    for (const Case& c : cases) {
        INFO(c.id);
        const IdCheck check = check_resident_id(c.id, today);
        CHECK_FALSE(check.valid);
        CHECK(check.problem == c.problem);
        CHECK(check.detail == c.detail);
        CHECK_FALSE(check.detail_en.empty());
    }
}

TEST_CASE("check_resident_id: the birth bounds; a wrong check character still gives the birth",
          "[resident_id]") {
    const IdCheck strict = check_resident_id("440524188001010014", d("2024-06-01"), d("1900-01-01"));
    CHECK(strict.problem == IdProblem::BirthDate);
    CHECK(strict.detail == "身份证号中的出生日期 1880-01-01 早于 1900-01-01");

    const IdCheck born_today = check_resident_id("410105202402290020", d("2024-02-29"));
    CHECK(born_today.valid);
    const IdCheck born_tomorrow = check_resident_id("410105202402290020", d("2024-02-28"));
    CHECK(born_tomorrow.problem == IdProblem::BirthDate);

    const IdCheck wrong_check = check_resident_id("110105194912310021", d("2024-06-01"));
    CHECK(wrong_check.problem == IdProblem::CheckDigit);
    REQUIRE(wrong_check.birth.has_value());
    CHECK(format_date(*wrong_check.birth) == "1949-12-31");
    CHECK(wrong_check.sex == 'F');
    CHECK(wrong_check.detail_en == "wrong check character: the 18th character should be X, not 1");

    const IdCheck bad_region = check_resident_id("991051194912310021", d("2024-06-01"));
    CHECK_FALSE(bad_region.birth.has_value());
    CHECK(bad_region.sex == 0);
}

TEST_CASE("every problem has a code and descriptions in both languages", "[resident_id]") {
    const IdProblem all[] = {IdProblem::None,   IdProblem::Empty,     IdProblem::Legacy15,
                             IdProblem::Length, IdProblem::Characters, IdProblem::Region,
                             IdProblem::BirthDate, IdProblem::CheckDigit};
    for (IdProblem p : all) {
        CHECK(std::string(id_problem_code(p)).size() > 0);
        CHECK(std::string(id_problem_description_zh(p)).size() > 0);
        CHECK(std::string(id_problem_description_en(p)).size() > 0);
    }
    CHECK(std::string(id_problem_code(IdProblem::CheckDigit)) == "check_digit");
    CHECK(std::string(id_problem_description_zh(IdProblem::Legacy15)) == "旧版15位身份证号，请使用18位号码");
}
