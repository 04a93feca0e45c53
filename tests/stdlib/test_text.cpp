// Tests for the text helpers: UTF-8 decoding, Han detection, trimming and upload file names.
#include <catch2/catch.hpp>

#include <string>

#include "stdlib/domain/text.hpp"

using namespace zhiping::domain;

TEST_CASE("decode_utf8 reads code points and replaces each bad byte", "[text]") {
    struct Case {
        const char* note;
        std::string input;
        char32_t expected;
        std::size_t next_pos;
    };
    static const Case cases[] = {
        {"ASCII", "a", U'a', 1},
        {"two bytes", "\xC3\xA9", 0xE9, 2},
        {"three bytes", "中", 0x4E2D, 3},
        {"four bytes (extension B)", "𠀀", 0x20000, 4},
        {"stray continuation byte", "\x80z", 0xFFFD, 1},
        {"overlong slash", "\xC0\xAF", 0xFFFD, 1},
        {"UTF-16 surrogate", "\xED\xA0\x80", 0xFFFD, 1},
        {"above U+10FFFF", "\xF4\x90\x80\x80", 0xFFFD, 1},
        {"truncated sequence", "\xE4\xB8", 0xFFFD, 1},
        {"lead byte then ASCII", "\xE4" "a", 0xFFFD, 1},
        {"0xFF", "\xFF", 0xFFFD, 1},
        {"U+FFFD itself", "\xEF\xBF\xBD", 0xFFFD, 3},
    };
    for (const Case& c : cases) {
        INFO(c.note);
        std::size_t pos = 0;
        CHECK(decode_utf8(c.input, pos) == c.expected);
        CHECK(pos == c.next_pos);
    }
    std::size_t past_end = 7;
    CHECK(decode_utf8("", past_end) == 0xFFFD);
    CHECK(past_end == 0);
}

TEST_CASE("append_utf8 encodes and round-trips", "[text]") {
    std::string out;
    append_utf8(out, U'中');
    append_utf8(out, 0x20000);
    append_utf8(out, U'a');
    CHECK(out == "中𠀀a");
    std::string bad;
    append_utf8(bad, 0xD800);
    append_utf8(bad, 0x110000);
    CHECK(bad == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("utf8_length counts code points, each bad byte as one", "[text]") {
    CHECK(utf8_length("") == 0);
    CHECK(utf8_length("abc") == 3);
    CHECK(utf8_length("中文") == 2);
    CHECK(utf8_length("郑教〔2023〕15号") == 11);
    CHECK(utf8_length("\xFF\xFE") == 2);
    CHECK(utf8_length("a\xE4\xB8") == 3);
}

TEST_CASE("is_han follows the Unicode script Han", "[text]") {
    struct Case {
        char32_t c;
        bool han;
    };
    static const Case cases[] = {
        {U'中', true},   {U'號', true},   {0x4E00, true},  {0x9FFF, true},  {0x3400, true},
        {0x4DBF, true},  {0xF900, true},  {0xFA6D, true},  {0xFA6E, false}, {0x20000, true},
        {0x2A6DF, true}, {0x2F800, true}, {0x3005, true},  {0x3007, true},  {0x2E80, true},
        {U'a', false},   {U'〔', false},  {U'（', false},  {U'１', false},  {0xA000, false},
        {0xFFFD, false}, {0x3000, false}, {0x3006, false}, {0x33FF, false}, {0x110000, false},
    };
    for (const Case& c : cases) {
        INFO("U+" << std::hex << static_cast<unsigned>(c.c));
        CHECK(is_han(c.c) == c.han);
    }
}

TEST_CASE("trim removes ASCII whitespace, U+3000 and U+00A0 at both ends", "[text]") {
    struct Case {
        std::string input;
        std::string expected;
    };
    static const Case cases[] = {
        {"", ""},
        {"   ", ""},
        {"abc", "abc"},
        {"  abc  ", "abc"},
        {"\t\r\n abc \v\f", "abc"},
        {"\xE3\x80\x80" "张三" "\xE3\x80\x80", "张三"},
        {"\xC2\xA0" "abc" "\xC2\xA0", "abc"},
        {" \xE3\x80\x80 \xC2\xA0x y\xC2\xA0 \xE3\x80\x80", "x y"},
        {"a \xE3\x80\x80 b", "a \xE3\x80\x80 b"},
        {"\xE3\x80\x80", ""},
        {"\xFF abc \xFF", "\xFF abc \xFF"},
        {"\xA0", "\xA0"},
    };
    for (const Case& c : cases) {
        INFO("input: [" << c.input << "]");
        CHECK(trim(c.input) == c.expected);
    }
}

TEST_CASE("ends_with_ci folds ASCII case only", "[text]") {
    CHECK(ends_with_ci("材料.pdf", ".pdf"));
    CHECK(ends_with_ci("材料.PDF", ".pdf"));
    CHECK(ends_with_ci("材料.Pdf", ".PDF"));
    CHECK_FALSE(ends_with_ci("pdf", ".pdf"));
    CHECK_FALSE(ends_with_ci("材料.pdfx", ".pdf"));
    CHECK_FALSE(ends_with_ci("材料.pd", ".pdf"));
    CHECK(ends_with_ci("", ""));
    CHECK(ends_with_ci("x", ""));
}

TEST_CASE("parse_annual_review_file_name accepts exactly the two prescribed forms", "[text]") {
    struct Case {
        const char* name;
        bool ok;
        int first;
        int last;
    };
    static const Case cases[] = {
        {"2020-2023年度考核表.pdf", true, 2020, 2023},
        {"2023年度考核表.pdf", true, 2023, 2023},
        {"2023年度考核表.PDF", true, 2023, 2023},
        {"2021-2021年度考核表.Pdf", true, 2021, 2021},
        {"2023-2020年度考核表.pdf", false, 0, 0},
        {"20-2023年度考核表.pdf", false, 0, 0},
        {"2020－2023年度考核表.pdf", false, 0, 0},
        {"2020—2023年度考核表.pdf", false, 0, 0},
        {"2020-2023年度考核表.pdf.pdf", false, 0, 0},
        {" 2023年度考核表.pdf", false, 0, 0},
        {"2023年度考核表 .pdf", false, 0, 0},
        {"2023年度考核.pdf", false, 0, 0},
        {"2023年度考核表.doc", false, 0, 0},
        {"2023年度考核表", false, 0, 0},
        {"0000年度考核表.pdf", false, 0, 0},
        {"２０２３年度考核表.pdf", false, 0, 0},
        {"张三2023年度考核表.pdf", false, 0, 0},
        {"年度考核表.pdf", false, 0, 0},
        {"", false, 0, 0},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const auto parsed = parse_annual_review_file_name(c.name);
        REQUIRE(parsed.has_value() == c.ok);
        if (c.ok) {
            CHECK(parsed->first_year == c.first);
            CHECK(parsed->last_year == c.last);
        }
    }
}

TEST_CASE("file_name_mentions searches the name without its .pdf extension", "[text]") {
    CHECK(file_name_mentions("张三聘用合同.pdf", "聘用合同"));
    CHECK(file_name_mentions("聘用合同.PDF", "聘用合同"));
    CHECK_FALSE(file_name_mentions("劳动合同.pdf", "聘用合同"));
    CHECK_FALSE(file_name_mentions("合同.pdf", "pdf"));
    CHECK(file_name_mentions("合同pdf", "pdf"));
    CHECK(file_name_mentions("毕业证书.jpg", "毕业证书"));
    CHECK(file_name_mentions("x.pdf", ""));
    CHECK_FALSE(file_name_mentions("", "合同"));
}
