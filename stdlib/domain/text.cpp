// Text helpers: the shared UTF-8 decoder, the Han script table, trimming and upload file names.
#include "stdlib/domain/text.hpp"

#include <algorithm>
#include <iterator>

namespace zhiping::domain {

char32_t decode_utf8(std::string_view s, std::size_t& pos) {
    if (pos >= s.size()) {
        pos = s.size();
        return kReplacementCharacter;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    // The length and the smallest code point each length may encode; anything below is overlong.
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1F;
        minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0F;
        minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07;
        minimum = 0x10000;
    } else {
        ++pos;
        return kReplacementCharacter;
    }
    if (s.size() - pos < length) {
        ++pos;
        return kReplacementCharacter;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char next = byte(pos + i);
        if ((next & 0xC0) != 0x80) {
            ++pos;
            return kReplacementCharacter;
        }
        value = (value << 6) | (next & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        ++pos;
        return kReplacementCharacter;
    }
    pos += length;
    return value;
}

void append_utf8(std::string& out, char32_t c) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacementCharacter;
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::size_t utf8_length(std::string_view s) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
        decode_utf8(s, pos);
        ++count;
    }
    return count;
}

namespace {

// Script=Han from Unicode 15.1 Scripts.txt, sorted, so a binary search decides membership.
constexpr CodePointRange kHanRanges[] = {
    {0x2E80, 0x2E99},   {0x2E9B, 0x2EF3},   {0x2F00, 0x2FD5},   {0x3005, 0x3005},   {0x3007, 0x3007},
    {0x3021, 0x3029},   {0x3038, 0x303B},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xF900, 0xFA6D},
    {0xFA70, 0xFAD9},   {0x16FE2, 0x16FE3}, {0x16FF0, 0x16FF1}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B739},
    {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x2EBF0, 0x2EE5D}, {0x2F800, 0x2FA1D},
    {0x30000, 0x3134A}, {0x31350, 0x323AF},
};

bool is_ascii_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The byte length of a trimmable character at `pos`, or 0 when the character there is kept.
std::size_t trimmable_at(std::string_view s, std::size_t pos) {
    if (is_ascii_space(static_cast<unsigned char>(s[pos]))) return 1;
    if (s.compare(pos, 3, "\xE3\x80\x80") == 0) return 3;  // U+3000
    if (s.compare(pos, 2, "\xC2\xA0") == 0) return 2;      // U+00A0
    return 0;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Reads exactly four ASCII digits at `pos` into `year`; 0000 is not a year.
bool read_year(std::string_view s, std::size_t pos, int& year) {
    if (s.size() < pos + 4) return false;
    year = 0;
    for (std::size_t i = pos; i < pos + 4; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        year = year * 10 + (s[i] - '0');
    }
    return year > 0;
}

}  // namespace

const std::vector<CodePointRange>& han_script_ranges() {
    static const std::vector<CodePointRange> ranges(std::begin(kHanRanges), std::end(kHanRanges));
    return ranges;
}

bool is_han(char32_t c) {
    const auto* it = std::upper_bound(std::begin(kHanRanges), std::end(kHanRanges), c,
                                      [](char32_t v, const CodePointRange& r) { return v < r.first; });
    if (it == std::begin(kHanRanges)) return false;
    --it;
    return c <= it->last;
}

std::string trim(std::string_view s) {
    std::size_t begin = 0;
    while (begin < s.size()) {
        const std::size_t n = trimmable_at(s, begin);
        if (n == 0) break;
        begin += n;
    }
    // Trailing characters are found by testing each candidate start, since UTF-8 has no cheap step back.
    std::size_t end = s.size();
    while (end > begin) {
        if (is_ascii_space(static_cast<unsigned char>(s[end - 1]))) {
            --end;
        } else if (end - begin >= 3 && s.compare(end - 3, 3, "\xE3\x80\x80") == 0) {
            end -= 3;
        } else if (end - begin >= 2 && s.compare(end - 2, 2, "\xC2\xA0") == 0) {
            end -= 2;
        } else {
            break;
        }
    }
    return std::string(s.substr(begin, end - begin));
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (suffix.size() > s.size()) return false;
    const std::string_view tail = s.substr(s.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        if (ascii_lower(tail[i]) != ascii_lower(suffix[i])) return false;
    }
    return true;
}

std::optional<AnnualReviewName> parse_annual_review_file_name(std::string_view file_name) {
    static constexpr std::string_view kTail = "年度考核表.pdf";
    // Case folding touches ASCII letters only, so the Chinese part must match exactly.
    if (!ends_with_ci(file_name, kTail)) return std::nullopt;
    const std::string_view head = file_name.substr(0, file_name.size() - kTail.size());
    AnnualReviewName name{};
    if (head.size() == 4) {
        if (!read_year(head, 0, name.first_year)) return std::nullopt;
        name.last_year = name.first_year;
        return name;
    }
    if (head.size() == 9 && head[4] == '-') {
        if (!read_year(head, 0, name.first_year) || !read_year(head, 5, name.last_year)) {
            return std::nullopt;
        }
        if (name.first_year > name.last_year) return std::nullopt;
        return name;
    }
    return std::nullopt;
}

bool file_name_mentions(std::string_view file_name, std::string_view material) {
    std::string_view stem = file_name;
    if (ends_with_ci(stem, ".pdf")) stem.remove_suffix(4);
    return stem.find(material) != std::string_view::npos;
}

}  // namespace zhiping::domain
