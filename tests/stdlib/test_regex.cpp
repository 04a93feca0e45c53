// Tests for the regex engine: match results over UTF-8, full matches, compile errors with offsets,
// and the shortcuts of search (the required literal, the DFA) checked against the Pike VM alone.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "stdlib/domain/regex.hpp"

using namespace zhiping::domain;

namespace {

Regex compiled(const std::string& pattern) {
    auto result = Regex::compile(pattern);
    if (auto* error = std::get_if<RegexError>(&result)) {
        FAIL("pattern " << pattern << " does not compile: " << error->message << " at " << error->offset);
    }
    return std::get<Regex>(result);
}

std::string nested_groups(int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); }

}  // namespace

TEST_CASE("search: unanchored match over code points", "[regex]") {
    struct Case {
        std::string pattern;
        std::string text;
        bool matches;
    };
    static const Case cases[] = {
        // Literals and Han.
        {"郑教", "郑州市郑教局", true},
        {"郑教", "郑州市教育局", false},
        {"", "", true},
        {"", "anything", true},
        {"\\p{Han}", "abc汉", true},
        {"\\p{Han}", "abc", false},
        {"^\\p{Han}+$", "汉字", true},
        {"^\\p{Han}+$", "汉字a", false},
        {"^\\P{Han}+$", "abc〔〕", true},
        {"\\p{Han}", "𠀀", true},
        {"[\\p{Han}]", "x", false},
        {"[^\\p{Han}]", "汉", false},
        {"[^\\P{Han}]", "汉", true},
        {"[一-龥]", "中", true},
        {"^[一-龥]{2}$", "中文", true},
        {"^[一-龥]{2}$", "中文字", false},
        {"^[\\x{4E00}-\\x{9FFF}]+$", "评审", true},
        {"\\u4E2D", "中", true},
        {"\\x{4e2d}", "中", true},
        {"\\x41", "A", true},
        // The dot is one code point and never a newline.
        {"^.$", "中", true},
        {"^...$", "中", false},
        {"a.c", "abc", true},
        {"a.c", "a\nc", false},
        // Digits, words and spaces are ASCII only, as in RE2.
        {"\\d", "１", false},
        {"\\d{4}", "2023", true},
        {"^\\d{4}$", "20231", false},
        {"^\\D+$", "二〇二三", true},
        {"^\\w+$", "abc_123", true},
        {"\\w", "汉", false},
        {"^\\W$", "汉", true},
        {"\\s", "\xE3\x80\x80", false},
        {"^\\s+$", " \t\r\n\f", true},
        {"^\\S+$", "a-b", true},
        // Anchors.
        {"^$", "", true},
        {"^$", "\n", false},
        {"a$", "a\n", false},
        {"^b", "ab", false},
        {"b$", "ab", true},
        {"\\Aab\\z", "ab", true},
        {"a^b", "ab", false},
        {"\\bfoo\\b", "a foo b", true},
        {"\\bfoo\\b", "afoob", false},
        {"\\Bfoo", "afoo", true},
        {"\\bfoo", "汉foo", true},
        // Alternation and groups.
        {"a|b", "xbx", true},
        {"^(a|b)$", "c", false},
        {"^(?:ab|cd)+$", "abcdab", true},
        {"^(?:ab|cd)+$", "abca", false},
        {"^(?P<year>\\d{4})年$", "2024年", true},
        {"^(?<year>\\d{4})年$", "2024", false},
        {"^(a|)$", "", true},
        {"^(|a)b$", "ab", true},
        {"^(()|a)+$", "aaa", true},
        // Quantifiers, counted and lazy.
        {"colou?r", "color", true},
        {"colou?r", "colouur", false},
        {"^a{2,3}$", "a", false},
        {"^a{2,3}$", "aa", true},
        {"^a{2,3}$", "aaa", true},
        {"^a{2,3}$", "aaaa", false},
        {"^a{2,}$", "a", false},
        {"^a{2,}$", "aaaaa", true},
        {"^a{3}$", "aaa", true},
        {"^a{0}$", "", true},
        {"^a{0}b$", "ab", false},
        {"^(ab){2}$", "abab", true},
        {"^a*?$", "aaa", true},
        {"^a+?b$", "aab", true},
        {"^a{1,2}?$", "aa", true},
        {"^a??$", "", true},
        {"^(a*)*$", "aaaa", true},
        {"^(a*)+b$", "aaaa", false},
        {"(a+)+$", std::string(10000, 'a') + "b", false},
        {"^(a|a)*$", std::string(5000, 'a'), true},
        // A brace that does not start a repetition is literal, as in RE2.
        {"a{,3}", "a{,3}", true},
        {"^a{$", "a{", true},
        {"^{$", "{", true},
        {"^a{x}$", "a{x}", true},
        {"^}]$", "}]", true},
        // Character classes.
        {"[^abc]", "abc", false},
        {"[^abc]", "abcd", true},
        {"[^a]", "\n", true},
        {"^[-a]+$", "-a-", true},
        {"^[a-]+$", "a-", true},
        {"^[]a]+$", "]a", true},
        {"^[^]a]$", "b", true},
        {"^[a-cx-z]+$", "abxz", true},
        {"^[a-cx-z]+$", "abd", false},
        {"^[\\d\\s]+$", " 1 2 ", true},
        {"^[\\w.]+@[\\w.]+$", "a.b@c.d", true},
        {"^[[:digit:]]+$", "123", true},
        {"^[[:alpha:][:digit:]]+$", "a1B2", true},
        {"^[[:^digit:]]+$", "abc", true},
        {"^[\\]\\[\\-\\\\]+$", "[]-\\", true},
        {"^[〔【（(\\[［〖]$", "【", true},
        // Escaped punctuation.
        {"a\\.b", "axb", false},
        {"a\\.b", "a.b", true},
        {"^\\(\\d+\\)$", "(12)", true},
        {"^\\$\\^\\|\\*\\+\\?\\{\\}$", "$^|*+?{}", true},
        {"\\n", "a\nb", true},
        {"\\t", "a b", false},
        // Malformed UTF-8 in the text reads as U+FFFD, one per byte.
        {"^\\x{FFFD}$", "\xFF", true},
        {"^.$", "\xE4\xB8", false},
        {"^..$", "\xE4\xB8", true},
        {"^a.b$", "a\xC0\xAF" "b", false},
        {"^a..b$", "a\xC0\xAF" "b", true},
        {"中", "\xFF中\xFF", true},
        // A document number, as a policy would write it.
        {"\\p{Han}+[〔【（(\\[［〖]\\d{4}[〕】）)\\]］〗][1-9]\\d*[号號]", "见郑教〔2023〕15号", true},
        {"\\p{Han}+[〔【（(\\[［〖]\\d{4}[〕】）)\\]］〗][1-9]\\d*[号號]", "见郑教〔2023〕015号", false},
    };
    for (const Case& c : cases) {
        const std::string shown_text = c.text.size() > 60 ? c.text.substr(0, 60) + "..." : c.text;
        INFO("pattern " << c.pattern << " on \"" << shown_text << "\"");
        CHECK(compiled(c.pattern).search(c.text) == c.matches);
    }
}

TEST_CASE("full_match must consume the whole text", "[regex]") {
    struct Case {
        std::string pattern;
        std::string text;
        bool matches;
    };
    static const Case cases[] = {
        {"a+", "aaa", true},
        {"a+", "aab", false},
        {"b", "abc", false},
        {"abc", "abc", true},
        {"|a", "", true},
        {"|a", "a", true},
        {"a|ab", "ab", true},
        {"(a|ab)(c|bcd)", "abcd", true},
        {"\\p{Han}{2,4}", "张三", true},
        {"\\p{Han}{2,4}", "张", false},
        {"\\d{4}-\\d{4}年度考核表\\.(?:pdf|PDF)", "2020-2023年度考核表.pdf", true},
        {"a*", "", true},
        {"a$", "a", true},
        {".*", "line\nbreak", false},
        {"[\\s\\S]*", "line\nbreak", true},
    };
    for (const Case& c : cases) {
        INFO("pattern " << c.pattern << " on \"" << c.text << "\"");
        CHECK(compiled(c.pattern).full_match(c.text) == c.matches);
    }
}

TEST_CASE("compile errors give a message and the byte offset of the culprit", "[regex]") {
    struct Case {
        std::string pattern;
        std::size_t offset;
        const char* message_part;
    };
    static const Case cases[] = {
        {"(", 0, "missing ')'"},
        {"ab(cd", 2, "missing ')'"},
        {"中(", 3, "missing ')'"},
        {"a)", 1, "unmatched ')'"},
        {"[a", 0, "missing ']'"},
        {"x[]", 1, "missing ']'"},
        {"*a", 0, "missing argument to repetition operator: *"},
        {"a|+", 2, "missing argument to repetition operator: +"},
        {"(?", 0, "unsupported group syntax"},
        {"{2}", 0, "missing argument to repetition operator: {"},
        {"a**", 2, "bad repetition operator: **"},
        {"a+?*", 3, "bad repetition operator"},
        {"a{1001}", 1, "repetition count exceeds 1000"},
        {"a{2,1001}", 1, "repetition count exceeds 1000"},
        {"a{99999999999999999999}", 1, "repetition count exceeds 1000"},
        {"a{5,3}", 1, "invalid repetition range {5,3}"},
        {"[z-a]", 1, "invalid character class range z-a"},
        {"[丁-一]", 1, "invalid character class range"},
        {"[\\d-z]", 1, "invalid character class range"},
        {"\\1", 0, "backreferences are not supported"},
        {"\\p{Latin}", 0, "unknown Unicode property \\p{Latin}"},
        {"[\\p{Greek}]", 1, "unknown Unicode property"},
        {"\\pL", 0, "unknown Unicode property"},
        {"\\p{Han", 0, "missing '}'"},
        {"(?i)abc", 0, "unsupported group syntax"},
        {"(?=a)", 0, "unsupported group syntax"},
        {"(?P<>a)", 0, "invalid named group"},
        {"abc\\", 3, "trailing backslash"},
        {"\\q", 0, "invalid escape \\q"},
        {"\\中", 0, "invalid escape"},
        {"[\\b]", 1, "not allowed in a character class"},
        {"\\x{110000}", 0, "beyond U+10FFFF"},
        {"\\x{}", 0, "invalid hexadecimal escape"},
        {"\\xG1", 0, "invalid hexadecimal escape"},
        {"\\u4E2", 0, "invalid hexadecimal escape"},
        {"[[:foo:]]", 1, "unknown POSIX class [:foo:]"},
        {"ab\xFF", 2, "invalid UTF-8 in pattern"},
        {"[\xE4\xB8]", 1, "invalid UTF-8 in pattern"},
        {"(a{101}){100}", 8, "pattern too large"},
        {"(a{100}){100}", 0, "pattern too large"},  // 10,000 states plus the match state
        {"a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}g{1000}h{1000}i{1000}j{1000}k{1000}", 70,
         "pattern too large"},
        {"(?:a{1000}|b{1000}|c{1000}|d{1000}|e{1000}|f{1000}|g{1000}|h{1000}|i{1000}|j{1000})", 3,
         "pattern too large"},
        {nested_groups(51), 50, "groups nested more than 50 deep"},
    };
    for (const Case& c : cases) {
        INFO("pattern " << c.pattern);
        const auto result = Regex::compile(c.pattern);
        const auto* error = std::get_if<RegexError>(&result);
        REQUIRE(error != nullptr);
        CHECK(error->message.find(c.message_part) != std::string::npos);
        CHECK(error->offset == c.offset);
    }
}

TEST_CASE("limits: the largest accepted patterns compile and run", "[regex][limit]") {
    const Regex big = compiled("a{1000}");
    CHECK(big.state_count() == 1001);
    CHECK(big.search(std::string(1000, 'a')));
    CHECK_FALSE(big.search(std::string(999, 'a')));
    const Regex deep = compiled(nested_groups(50));
    CHECK(deep.full_match("a"));
    const Regex almost = compiled("(a{9}){999}");  // 9 × 999 + 1 = 8992 states
    CHECK(almost.state_count() == 8992);
    CHECK(almost.full_match(std::string(8991, 'a')));
    CHECK(compiled("x").pattern() == "x");
}

TEST_CASE("a compiled Regex is a value: copies share the program", "[regex]") {
    const Regex original = compiled("^\\p{Han}{2}$");
    const Regex copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(copy.search("中文"));
    CHECK(original.search("中文"));
    CHECK(copy.state_count() == original.state_count());
}

TEST_CASE("required literal: what every match contains, or nothing when unsure", "[regex]") {
    struct Case {
        std::string pattern;
        std::string literal;
    };
    static const Case cases[] = {
        // The document-number pattern: three one-character factors; the first punctuation mark wins
        // over the equally long 号, a Han character, since ideographs are common in the texts.
        {"\\p{Han}+〔\\d{4}〕\\d+号", "〔"},
        {"郑教", "郑教"},
        {"^郑教局$", "郑教局"},
        {"郑.教局", "教局"},
        {"〔\\d+〕号", "〕号"},
        {"\\d{4}年度考核表", "年度考核表"},
        {"^[0-9][0-9][0-9][0-9](-[0-9][0-9][0-9][0-9])?年度考核表$", "年度考核表"},
        {"^(\\d{4})年$", "年"},
        {"colou?r", "colo"},
        {"(ab)+c", "abc"},
        {"(?:ab){2,}", "abab"},
        {"a{3}", "aaa"},
        {"[号]", "号"},
        {"a\\.b", "a.b"},
        {"\\bfoo\\b", "foo"},
        // Nothing is certain: alternation, optional or absent parts, classes, the empty pattern.
        {"a|b", ""},
        {"年|年", ""},
        {"(?:a|b)", ""},
        {"x?", ""},
        {"x*", ""},
        {"a{0}", ""},
        {"[ab]", ""},
        {"\\d+", ""},
        {"", ""},
        {"^$", ""},
        // U+FFFD also matches a malformed byte, whose bytes are not its encoding.
        {"\\x{FFFD}", ""},
        {"a\\x{FFFD}", "a"},
    };
    for (const Case& c : cases) {
        INFO("pattern " << c.pattern);
        CHECK(compiled(c.pattern).required_literal() == c.literal);
    }
}

TEST_CASE("search uses a DFA for policy patterns and keeps the Pike VM past its limits", "[regex]") {
    CHECK(compiled("\\p{Han}+〔\\d{4}〕\\d+号").has_dfa());
    CHECK(compiled("^[0-9][0-9][0-9][0-9](-[0-9][0-9][0-9][0-9])?年度考核表$").has_dfa());
    CHECK(compiled("\\p{Han}+[〔【（(\\[［〖]\\d{4}[〕】）)\\]］〗][1-9]\\d*[号號]").has_dfa());
    CHECK(compiled("^$").has_dfa());
    // Word boundaries look at the next code point, which a DFA state does not know.
    CHECK_FALSE(compiled("\\bfoo\\b").has_dfa());
    CHECK_FALSE(compiled("a\\Bb").has_dfa());
    // Too many NFA states for the subset construction.
    CHECK_FALSE(compiled("\\p{Han}{0,1000}z").has_dfa());
    // Too many DFA states: the 16th code point from the end must be an a.
    CHECK_FALSE(compiled("a[ab]{15}").has_dfa());
    CHECK(compiled("a[ab]{15}").search(std::string(15, 'b') + "a" + std::string(15, 'b')));
}

TEST_CASE("regression: \\x{FFFD} matches malformed bytes, which the prefilter must not reject", "[regex]") {
    CHECK(compiled("\\x{FFFD}").search("a\xFF"));
    CHECK(compiled("a\\x{FFFD}{2}b").search("xa\xE4\xB8" "b"));
    CHECK_FALSE(compiled("a\\x{FFFD}b").search("xa\xE4\xB8" "b"));
}

TEST_CASE("regression: a surrogate in the pattern is no literal, since no text decodes to it", "[regex]") {
    // Its UTF-8 encoding would be that of U+FFFD, which a substring search would find.
    const Regex surrogate = compiled("\\x{D800}");
    CHECK(surrogate.required_literal().empty());
    CHECK_FALSE(surrogate.search("\xEF\xBF\xBD"));
    CHECK_FALSE(surrogate.search("\xED\xA0\x80"));
    CHECK_FALSE(surrogate.search_by_pike_vm("\xEF\xBF\xBD"));
}

namespace {

// Pieces of the random texts: ASCII, digits, Han, full-width and ASCII brackets, 号, a newline,
// malformed and truncated UTF-8, U+FFFD itself and a supplementary-plane ideograph.
const char* const kTextPieces[] = {
    "a", "b", "x", "_", " ", "\n", "-", ".", "0", "1", "2", "9", "2023", "15", "郑", "教", "豫", "汉",
    "号", "號", "年", "度", "〔", "〕", "【", "】", "[", "]", "(", ")", "（", "）",
    "\xFF", "\xE4\xB8", "\xEF\xBF\xBD", "𠀀", "ab", "〔〕",
};

// Patterns of the kinds policies write and of every construct the shortcuts reason about:
// alternations, optional groups, anchors, classes, \p{Han}, full-width brackets and repetition.
// Each comes with a text it matches, which the random texts embed and damage, so that every pattern
// is tried on near misses as well as on matches.
struct PoolPattern {
    const char* pattern;
    const char* example;
};
const PoolPattern kPatternPool[] = {
    {"\\p{Han}+〔\\d{4}〕\\d+号", "郑教〔2023〕15号"},
    {"\\p{Han}+[〔【（(\\[［〖]\\d{4}[〕】）)\\]］〗][1-9]\\d*[号號]", "豫教【2023】15號"},
    {"^\\d{4}(-\\d{4})?年度考核表$", "2020-2023年度考核表"},
    {"〔\\d{4}〕", "〔2024〕"},
    {"郑教", "郑教"},
    {"号$", "号"},
    {"^郑", "郑"},
    {"^$", ""},
    {"", ""},
    {"a|b", "b"},
    {"(郑|豫)教", "豫教"},
    {"(〔|\\[)\\d+(〕|\\])", "[12〕"},
    {"colou?r", "color"},
    {"教?〔", "〔"},
    {"(ab)+", "abab"},
    {"^(ab)+$", "abab"},
    {"a{2,3}", "aa"},
    {"\\d+号", "9号"},
    {"[^\\d]号", "汉号"},
    {".号", "a号"},
    {"^.{3}$", "郑a〔"},
    {"^\\P{Han}+$", "ab〔"},
    {"号\\z", "号"},
    {"\\A豫", "豫"},
    {"(?:〔\\d{4}〕)+号", "〔2023〕〔2024〕号"},
    {"\\bab\\b", " ab "},
    {"\\B1", "a1"},
    {"(a|)〔", "a〔"},
    {"x*", ""},
    {"〔\\d{4}〕\\d+号|\\d+年", "2024年"},
    {"$^", ""},
    {"^(号|)$", "号"},
    {"(^|教)〔", "教〔"},
    {"〕($|号)", "〕号"},
    {"[〔〕]{2}", "〕〔"},
    {"\\x{FFFD}", "\xFF"},
    {"^\\x{FFFD}+$", "\xFF\xE4\xB8"},
    {"[\\s\\S]号", "\n号"},
    {"a.b", "a汉b"},
    {"^\\p{Han}{2,4}$", "汉字郑"},
    {"(豫|郑)教[^〔]*〔2\\d{3}〕", "郑教局发〔2019〕"},
    {"^[^\\n]*号$", "郑教号"},
    {"\\n", "\n"},
    {"(?:a?){3}a{3}", "aaaa"},
    {"^(a|ab)(c|bcd)?$", "abcd"},
    {"𠀀+", "𠀀"},
    {"[a-z]+\\d", "ab1"},
    // Sequences around one code point, which search() cuts there (has_inner_literal): the literal
    // repeated, first, last, inside a repetition's reach, and in texts with malformed bytes before it.
    {"\\p{Han}+〔", "郑〔"},
    {"〔\\d+", "〔7"},
    {"(郑|豫)+教?〔\\d{2}", "郑豫〔12"},
    {"a*〔a*〔", "a〔〔"},
    {"\\P{Han}〕\\p{Han}", "a〕汉"},
    {"x+y", "xxy"},
};

}  // namespace

TEST_CASE("search cuts a sequence at one code point only when that cannot change the answer", "[regex]") {
    struct Case { const char* pattern; bool cut; };
    const Case cases[] = {
        {"\\p{Han}+〔\\d{4}〕\\d+号", true},  // R6 of the benchmark: cut at 〔
        {"a+b", true},
        {"(?:郑)+教", true},                  // nested sequences are one sequence
        {"^郑教〔", false},                   // an assertion: its meaning depends on where the text starts
        {"郑\\b", false},
        {"a|b〔", false},                     // no code point in every match's sequence
        {"[ab]+c?", false},
        {"\\x{FFFD}a", true},                // cut at a, not at U+FFFD (malformed bytes read as it)
        {"\\x{FFFD}+", false},
        {"郑教", false},                      // a literal only: found by its bytes alone
    };
    for (const Case& c : cases) {
        INFO(c.pattern);
        CHECK(compiled(c.pattern).has_inner_literal() == c.cut);
    }
    // Malformed bytes just before the literal are one U+FFFD each, whatever lead byte precedes them.
    const Regex han = compiled("\\p{Han}〔");
    for (const char* text : {"\xE4\xB8〔", "\xE4〔", "\xB8\xAD〔", "\xF0\x9F\x98〔", "中\xAD〔"}) {
        INFO(text);
        CHECK_FALSE(han.search(text));
        CHECK(han.search(text) == han.search_by_pike_vm(text));
    }
    CHECK(han.search("\xE4\xB8中〔"));
    CHECK(compiled("\\x{FFFD}〔").search("\xE4\xB8〔"));
    // Texts where checking from every literal would read the text again and again: past a budget of
    // about two reads of the text, the search DFA answers (the same answer, in linear time).
    const Regex back = compiled("x[^y]*〔");
    const Regex ahead = compiled("〔[^y]*x");
    REQUIRE(back.has_inner_literal());
    REQUIRE(ahead.has_inner_literal());
    std::string many;
    for (int i = 0; i < 3000; ++i) many += "〔";
    for (const std::string& text : {many, "x" + many, "y" + many, many + "x", many + "y", "x" + many + "y"}) {
        INFO(text.substr(0, 6) << "… (" << text.size() << " bytes)");
        CHECK(back.search(text) == back.search_by_pike_vm(text));
        CHECK(ahead.search(text) == ahead.search_by_pike_vm(text));
    }
    CHECK(back.search("x" + many));
    CHECK_FALSE(back.search(many));
    CHECK(ahead.search(many + "x"));
}

TEST_CASE("search with its shortcuts agrees with the Pike VM alone on random texts", "[regex]") {
    std::vector<Regex> patterns;
    int cut = 0;
    for (const PoolPattern& entry : kPatternPool) {
        patterns.push_back(compiled(entry.pattern));
        INFO("pattern " << entry.pattern << " on its example");
        CHECK(patterns.back().search_by_pike_vm(entry.example));
        cut += patterns.back().has_inner_literal() ? 1 : 0;
    }
    // The pool exercises the inner-literal cut as well as the DFA and the VM.
    CHECK(cut >= 10);
    // A fixed linear congruential generator, so that the cases are the same on every platform.
    uint64_t seed = 20241126;
    const auto random_below = [&seed](std::size_t bound) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((seed >> 33) % bound);
    };
    const std::size_t piece_count = sizeof kTextPieces / sizeof kTextPieces[0];
    const auto random_pieces = [&](std::string& text) {
        const std::size_t count = random_below(3) == 0 ? 0 : random_below(7);
        for (std::size_t k = 0; k < count; ++k) text += kTextPieces[random_below(piece_count)];
    };
    int matched = 0;
    int prefiltered = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::size_t chosen = random_below(patterns.size());
        const Regex& regex = patterns[chosen];
        // Random pieces around the example, or around nothing; then, for some texts, one byte of the
        // example dropped or overwritten, which also makes malformed UTF-8.
        std::string text;
        random_pieces(text);
        if (random_below(2) == 0) {
            std::string example = kPatternPool[chosen].example;
            if (!example.empty() && random_below(3) == 0) {
                const std::size_t at = random_below(example.size());
                if (random_below(2) == 0) {
                    example.erase(at, 1);
                } else {
                    example[at] = kTextPieces[random_below(piece_count)][0];
                }
            }
            text += example;
        }
        random_pieces(text);
        const bool expected = regex.search_by_pike_vm(text);
        INFO("pattern " << regex.pattern() << " on \"" << text << "\"");
        REQUIRE(regex.search(text) == expected);
        matched += expected ? 1 : 0;
        const std::string& literal = regex.required_literal();
        prefiltered += !literal.empty() && text.find(literal) == std::string::npos ? 1 : 0;
    }
    // The draw must exercise both answers and the prefilter's rejections.
    CHECK(matched > 1000);
    CHECK(matched < 4000);
    CHECK(prefiltered > 500);
}
