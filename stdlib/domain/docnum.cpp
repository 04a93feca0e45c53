// Document-number recognition over decoded code points, with byte offsets kept for the matches.
#include "stdlib/domain/docnum.hpp"

#include "stdlib/domain/text.hpp"

namespace zhiping::domain {

namespace {

// A decoded code point and the byte offset where it starts.
struct CodePointAt {
    char32_t c;
    std::size_t offset;
};

// The closing bracket that pairs with an opening one, or 0 when `c` opens no accepted pair.
char32_t closing_bracket_for(char32_t c) {
    switch (c) {
        case U'〔': return U'〕';
        case U'【': return U'】';
        case U'（': return U'）';
        case U'(': return U')';
        case U'[': return U']';
        case U'［': return U'］';
        case U'〖': return U'〗';
        default: return 0;
    }
}

bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }

// The longest serial accepted; more digits would not fit an int and no real serial has them.
constexpr std::size_t kMaxSerialDigits = 9;

}  // namespace

std::vector<DocNumber> find_doc_numbers(std::string_view utf8) {
    std::vector<CodePointAt> chars;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const std::size_t start = pos;
        const char32_t c = decode_utf8(utf8, pos);
        chars.push_back({c, start});
    }
    const auto offset_of = [&](std::size_t index) {
        return index < chars.size() ? chars[index].offset : utf8.size();
    };

    std::vector<DocNumber> found;
    std::size_t earliest_agency = 0;  // the index just past the previous match
    for (std::size_t open = 0; open < chars.size(); ++open) {
        const char32_t close = closing_bracket_for(chars[open].c);
        if (close == 0) continue;
        std::size_t agency = open;
        while (agency > earliest_agency && is_han(chars[agency - 1].c)) --agency;
        if (agency == open) continue;

        std::size_t i = open + 1;
        int year = 0;
        for (; i < chars.size() && i < open + 5 && is_ascii_digit(chars[i].c); ++i) {
            year = year * 10 + static_cast<int>(chars[i].c - '0');
        }
        if (i != open + 5 || i >= chars.size() || chars[i].c != close) continue;
        ++i;

        const std::size_t serial_start = i;
        int serial = 0;
        for (; i < chars.size() && is_ascii_digit(chars[i].c); ++i) {
            if (i - serial_start < kMaxSerialDigits) {
                serial = serial * 10 + static_cast<int>(chars[i].c - '0');
            }
        }
        const std::size_t serial_digits = i - serial_start;
        if (serial_digits == 0 || serial_digits > kMaxSerialDigits) continue;
        if (i >= chars.size() || (chars[i].c != U'号' && chars[i].c != U'號')) continue;
        const char32_t suffix = chars[i].c;
        ++i;

        DocNumber number;
        number.agency = std::string(utf8.substr(offset_of(agency), chars[open].offset - offset_of(agency)));
        number.year = year;
        number.serial = serial;
        number.begin = offset_of(agency);
        number.end = offset_of(i);
        number.text = std::string(utf8.substr(number.begin, number.end - number.begin));
        const bool leading_zero = chars[serial_start].c == '0';
        number.canonical = chars[open].c == U'〔' && suffix == U'号' && !leading_zero;
        found.push_back(std::move(number));
        earliest_agency = i;
        open = i - 1;
    }
    return found;
}

bool has_doc_number(std::string_view utf8) { return !find_doc_numbers(utf8).empty(); }

}  // namespace zhiping::domain
