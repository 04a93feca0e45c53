// Tests for document-number recognition: every bracket variant, 號, and the forms that must not match.
#include <catch2/catch.hpp>

#include <string>

#include "stdlib/domain/docnum.hpp"

using namespace zhiping::domain;

TEST_CASE("find_doc_numbers recognises one number in each accepted form", "[docnum]") {
    struct Case {
        const char* text;
        const char* agency;
        int year;
        int serial;
        bool canonical;
    };
    static const Case cases[] = {
        {"豫人社规〔2022〕6号", "豫人社规", 2022, 6, true},
        {"郑教〔2023〕15号", "郑教", 2023, 15, true},
        {"郑教【2023】15号", "郑教", 2023, 15, false},
        {"郑教（2023）15号", "郑教", 2023, 15, false},
        {"郑教(2023)15号", "郑教", 2023, 15, false},
        {"郑教[2023]15号", "郑教", 2023, 15, false},
        {"郑教［2023］15号", "郑教", 2023, 15, false},
        {"郑教〖2023〗15号", "郑教", 2023, 15, false},
        {"郑教〔2023〕15號", "郑教", 2023, 15, false},
        {"郑教〔2023〕015号", "郑教", 2023, 15, false},
        {"郑教〔2023〕0号", "郑教", 2023, 0, false},
        {"国办发明电〔2023〕7号", "国办发明电", 2023, 7, true},
        {"郑〔2023〕123456789号", "郑", 2023, 123456789, true},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const auto found = find_doc_numbers(c.text);
        REQUIRE(found.size() == 1);
        const DocNumber& n = found.front();
        CHECK(n.agency == c.agency);
        CHECK(n.year == c.year);
        CHECK(n.serial == c.serial);
        CHECK(n.canonical == c.canonical);
        CHECK(n.text == c.text);
        CHECK(n.begin == 0);
        CHECK(n.end == std::string(c.text).size());
        CHECK(has_doc_number(c.text));
    }
}

TEST_CASE("find_doc_numbers rejects near misses", "[docnum]") {
    static const char* const cases[] = {
        "郑教〔23〕15号",           // two-digit year
        "郑教〔20231〕15号",        // five-digit year
        "郑教〔2023〕号",           // no serial
        "郑教〔2023〕15",           // no 号
        "郑教〔2023〕15文",         // another character instead of 号
        "〔2023〕15号",             // nothing before the bracket
        "abc〔2023〕15号",          // Latin letters are not an agency
        "郑教 〔2023〕15号",        // a space before the bracket
        "郑教〔 2023〕15号",        // a space inside
        "郑教〔2023〕 15号",        // a space before the serial
        "郑教〔２０２３〕15号",     // full-width year
        "郑教〔2023〕１５号",       // full-width serial
        "郑教〔2023】15号",         // mismatched brackets
        "郑教(2023）15号",          // mismatched brackets
        "郑教〈2023〉15号",         // a bracket pair that is not accepted
        "郑教〔2023〕1234567890号", // a ten-digit serial
        "\xFF〔2023〕15号",         // a malformed byte is not Han
        "郑教〔2023〕15\xFF号",     // a malformed byte inside
        "",
        "〔",
        "郑教〔",
        "郑教〔2023",
        "郑教〔2023〕",
        "2023年第15号",
    };
    for (const char* text : cases) {
        INFO(text);
        CHECK(find_doc_numbers(text).empty());
        CHECK_FALSE(has_doc_number(text));
    }
}

TEST_CASE("find_doc_numbers finds several numbers in running text, with byte offsets", "[docnum]") {
    const std::string text = "根据郑教〔2023〕15号和豫人社规〔2022〕6号文件";
    const auto found = find_doc_numbers(text);
    REQUIRE(found.size() == 2);
    CHECK(found[0].agency == "根据郑教");
    CHECK(found[0].begin == 0);
    CHECK(found[0].end == 27);
    CHECK(found[0].text == "根据郑教〔2023〕15号");
    CHECK(found[1].agency == "和豫人社规");
    CHECK(found[1].begin == 27);
    CHECK(found[1].end == 56);
    CHECK(text.substr(found[1].begin, found[1].end - found[1].begin) == "和豫人社规〔2022〕6号");

    // The second agency must not reach back over the first match's 号 (itself a Han character).
    const auto adjacent = find_doc_numbers("郑教〔2023〕15号郑教〔2024〕3號");
    REQUIRE(adjacent.size() == 2);
    CHECK(adjacent[0].agency == "郑教");
    CHECK(adjacent[1].agency == "郑教");
    CHECK(adjacent[1].year == 2024);
    CHECK(adjacent[1].serial == 3);
    CHECK_FALSE(adjacent[1].canonical);

    // Text before a number may be anything; only the Han run directly before the bracket counts.
    const auto after_latin = find_doc_numbers("see: ABC郑教〔2023〕15号, p. 3");
    REQUIRE(after_latin.size() == 1);
    CHECK(after_latin[0].agency == "郑教");
    CHECK(after_latin[0].begin == 8);

    // A failed candidate does not hide a later one.
    const auto later = find_doc_numbers("郑教〔23〕号 又见 郑教〔2023〕1号");
    REQUIRE(later.size() == 1);
    CHECK(later[0].text == "郑教〔2023〕1号");
}
