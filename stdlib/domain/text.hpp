// Text helpers for the domain functions: the one UTF-8 decoder, Han detection, trimming and file names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping::domain {

// The code point that stands in for every byte that is not part of a well-formed UTF-8 sequence.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point that starts at byte `pos` and advances `pos` past it. Malformed input never
// stops the caller: an invalid, overlong, surrogate or truncated sequence yields U+FFFD and consumes
// exactly one byte, so every bad byte counts as one replacement character. At or past the end it
// returns U+FFFD and sets `pos` to the size, so a loop `while (pos < s.size())` always terminates.
char32_t decode_utf8(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of `c`; values that are not Unicode scalar values become U+FFFD.
void append_utf8(std::string& out, char32_t c);

// Counts code points, each malformed byte counting as one (the decoder's view of the text).
std::size_t utf8_length(std::string_view s);

// A closed range of code points.
struct CodePointRange {
    char32_t first;
    char32_t last;
};

// The Unicode script Han as sorted, disjoint ranges: the one table behind is_han and `\p{Han}`.
const std::vector<CodePointRange>& han_script_ranges();

// True for code points of the Unicode script Han (Scripts.txt, Unicode 15.1): the CJK unified
// ideographs and all their extensions, the compatibility ideographs, the radicals, 々, 〇 and the
// Hangzhou numerals. This is what `\p{Han}` matches and what counts as an agency character.
bool is_han(char32_t c);

// Removes ASCII whitespace, U+3000 (the full-width ideographic space) and U+00A0 (no-break space)
// from both ends. Applicants paste from word processors, which is where the two non-ASCII ones come
// from. Malformed bytes are kept.
std::string trim(std::string_view s);

// True when `s` ends with `suffix`, comparing ASCII letters without regard to case (".PDF" = ".pdf");
// other bytes must be equal.
bool ends_with_ci(std::string_view s, std::string_view suffix);

// The years an annual-review upload claims to cover, read from its file name.
struct AnnualReviewName {
    int first_year;
    int last_year;
};

// Reads `YYYY-YYYY年度考核表.pdf` or `YYYY年度考核表.pdf` exactly, the names the notice (二（三）10)
// prescribes: ASCII digits, an ASCII hyphen, the extension in any letter case, nothing else around
// it. Years 0000 and a range whose first year is after its last are rejected.
std::optional<AnnualReviewName> parse_annual_review_file_name(std::string_view file_name);

// True when the file name, without a final `.pdf` (in any case), contains `material` as bytes. A name
// without that extension is searched whole; an empty material is contained in every name.
bool file_name_mentions(std::string_view file_name, std::string_view material);

}  // namespace zhiping::domain
