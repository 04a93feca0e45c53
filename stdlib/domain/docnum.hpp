// Document numbers (发文字号, GB/T 9704-2012 §7.2.5) found in free text, in every variant seen in the wild.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping::domain {

// One document number found in a text, e.g. 郑教〔2023〕15号.
struct DocNumber {
    std::string agency;  // the Han characters directly before the bracket, e.g. 郑教
    int year;            // the four digits in the brackets
    int serial;          // the number before 号
    std::string text;    // the whole match, agency to 号 inclusive
    std::size_t begin;   // byte offset of the match in the searched text
    std::size_t end;     // byte offset just past the match
    bool canonical;      // written as the standard asks: 〔〕, 号, no leading zero, serial not 0
};

// Finds every document number, left to right, without overlaps. A match is:
//   agency  one or more Han characters (Unicode script Han) directly before the opening bracket;
//   year    exactly four ASCII digits inside a matching pair of 〔〕 【】 （） () [] ［］ or 〖〗;
//   serial  one to nine ASCII digits directly after the closing bracket (leading zeros are
//           accepted but make the match non-canonical; ten digits or more are not a serial);
//   suffix  号 or 號 directly after the serial.
// No spaces are allowed anywhere inside. Full-width digits, a 2- or 5-digit year, a missing serial
// or 号, mismatched brackets, or no Han character before the bracket give no match. Because Chinese
// has no spaces, the agency is the whole run of Han characters before the bracket, so in running
// text it may take in preceding words ("根据郑教〔2023〕15号" gives agency 根据郑教); it never
// reaches back into an earlier match. Malformed UTF-8 is read as U+FFFD, which is not Han.
std::vector<DocNumber> find_doc_numbers(std::string_view utf8);

// True when the text contains at least one document number as find_doc_numbers defines it.
bool has_doc_number(std::string_view utf8);

}  // namespace zhiping::domain
