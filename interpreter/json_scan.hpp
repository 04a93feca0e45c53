// A strict JSON scanner (RFC 8259) that reports SAX events: the fast path from JSON text to typed
// values, accepting exactly the texts nlohmann::json::parse accepts, several times faster.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace zhiping {

namespace json_scan_detail {

// Converts the text of a JSON number that is not a 64-bit integer (it has a fraction or an exponent,
// or too many digits) to the double nlohmann gives: correctly rounded, ±0 when it underflows.
// Returns false when it overflows to infinity, which nlohmann rejects as invalid JSON.
bool number_to_double(const char* first, const char* last, double& out);

// Whether a byte may stand for itself inside a string: everything from U+0020 to U+007F except the
// quote and the backslash. Control characters must be escaped, and bytes from 0x80 start UTF-8
// sequences that have to be validated.
struct PlainStringBytes {
  bool plain[256] = {};
  constexpr PlainStringBytes() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  }
};
inline constexpr PlainStringBytes kPlainStringBytes{};

// The bytes of `word` that are not plain (see above), each marked by its high bit; 0 when all are
// plain. The tests are the classic "has a zero byte" and "has a byte less than n" bit tricks: exact
// as to whether such a byte exists, and exact for the first such byte in memory order on a
// little-endian machine (a borrow can only mark bytes after a real one), which is what the scanner
// uses to jump to it.
inline uint64_t non_plain_bytes(uint64_t word) {
  constexpr uint64_t ones = 0x0101010101010101ULL;
  constexpr uint64_t highs = 0x8080808080808080ULL;
  auto has_zero_byte = [&](uint64_t v) { return (v - ones) & ~v & highs; };
  uint64_t quote = has_zero_byte(word ^ (ones * '"'));
  uint64_t backslash = has_zero_byte(word ^ (ones * '\\'));
  uint64_t control = (word - ones * 0x20) & ~word & highs;
  return quote | backslash | control | (word & highs);
}

// The length of the well-formed UTF-8 sequence that starts at `s` (a byte from 0x80), or 0 when it is
// ill-formed or cut off. These are the ranges of RFC 3629 (and of nlohmann's lexer): no overlong
// forms, no surrogates (ED A0..BF), nothing above U+10FFFF.
inline size_t utf8_sequence_length(const unsigned char* s, size_t available) {
  auto in = [&](size_t i, unsigned char low, unsigned char high) { return i < available && s[i] >= low && s[i] <= high; };
  unsigned char lead = s[0];
  if (lead >= 0xC2 && lead <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return in(1, low, high) && in(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return in(1, low, high) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Appends the UTF-8 form of a code point (at most U+10FFFF, not a surrogate).
inline void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    char bytes[2] = {static_cast<char>(0xC0 | (code_point >> 6)), static_cast<char>(0x80 | (code_point & 0x3F))};
    out.append(bytes, 2);
  } else if (code_point < 0x10000) {
    char bytes[3] = {static_cast<char>(0xE0 | (code_point >> 12)), static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)),
                     static_cast<char>(0x80 | (code_point & 0x3F))};
    out.append(bytes, 3);
  } else {
    char bytes[4] = {static_cast<char>(0xF0 | (code_point >> 18)), static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)),
                     static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)), static_cast<char>(0x80 | (code_point & 0x3F))};
    out.append(bytes, 4);
  }
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether a handler offers key_hint() (see JsonScanner::scan_key).
template <class Handler, class = void>
struct has_key_hint : std::false_type {};
template <class Handler>
struct has_key_hint<Handler, std::void_t<decltype(std::declval<Handler&>().key_hint())>> : std::true_type {};

// The scanner proper; use scan_json below. It never recurses: the open arrays and objects are a
// stack of bytes, so a text of 100,000 '[' costs 100 KB of heap, not the thread's stack.
template <class Handler>
class JsonScanner {
 public:
  JsonScanner(std::string_view text, Handler& handler) : p_(text.data()), end_(text.data() + text.size()), handler_(handler) {}

  bool run() {
    // nlohmann skips one UTF-8 byte order mark at the very start, so this does too.
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
    enum class Next { Value, Key, AfterValue } next = Next::Value;
    for (;;) {
      switch (next) {
        case Next::Value:
          skip_whitespace();
          if (p_ == end_) return false;
          switch (*p_) {
            case '{':
              ++p_;
              if (!handler_.start_object(static_cast<size_t>(-1))) return false;
              skip_whitespace();
              if (p_ != end_ && *p_ == '}') {
                ++p_;
                if (!handler_.end_object()) return false;
                next = Next::AfterValue;
              } else {
                open_.push_back(kObject);
                next = Next::Key;
              }
              break;
            case '[':
              ++p_;
              if (!handler_.start_array(static_cast<size_t>(-1))) return false;
              skip_whitespace();
              if (p_ != end_ && *p_ == ']') {
                ++p_;
                if (!handler_.end_array()) return false;
                next = Next::AfterValue;
              } else {
                open_.push_back(kArray);
                next = Next::Value;
              }
              break;
            case '"':
              ++p_;
              if (!scan_string() || !handler_.string(token_)) return false;
              next = Next::AfterValue;
              break;
            case 't':
              if (!skip_word("true", 4) || !handler_.boolean(true)) return false;
              next = Next::AfterValue;
              break;
            case 'f':
              if (!skip_word("false", 5) || !handler_.boolean(false)) return false;
              next = Next::AfterValue;
              break;
            case 'n':
              if (!skip_word("null", 4) || !handler_.null()) return false;
              next = Next::AfterValue;
              break;
            default:
              if (*p_ != '-' && !is_digit(*p_)) return false;
              if (!scan_number()) return false;
              next = Next::AfterValue;
              break;
          }
          break;
        case Next::Key:
          // Whitespace before the key has been skipped already.
          if (p_ == end_ || *p_ != '"') return false;
          ++p_;
          if (!scan_key()) return false;
          skip_whitespace();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          next = Next::Value;
          break;
        case Next::AfterValue:
          skip_whitespace();
          // nlohmann's lexer takes a NUL byte for the end of the input (for C strings), so text after
          // a NUL that follows the value is ignored there; it is here too, to accept the same texts.
          if (open_.empty()) return p_ == end_ || *p_ == '\0';
          if (p_ == end_) return false;
          if (*p_ == ',') {
            ++p_;
            if (open_.back() == kObject) {
              skip_whitespace();
              next = Next::Key;
            } else {
              next = Next::Value;
            }
          } else if (open_.back() == kArray && *p_ == ']') {
            ++p_;
            open_.pop_back();
            if (!handler_.end_array()) return false;
          } else if (open_.back() == kObject && *p_ == '}') {
            ++p_;
            open_.pop_back();
            if (!handler_.end_object()) return false;
          } else {
            return false;
          }
          break;
      }
    }
  }

 private:
  static constexpr char kArray = 'a';
  static constexpr char kObject = 'o';

  void skip_whitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool skip_word(const char* word, size_t length) {
    if (static_cast<size_t>(end_ - p_) < length || std::memcmp(p_, word, length) != 0) return false;
    p_ += length;
    return true;
  }

  // Scans a string whose opening quote has been read, leaving its text in token_ and p_ after the
  // closing quote.
  // A string without escapes is not copied at all; with escapes, runs of bytes that stand for
  // themselves are copied to buffer_ with one append each.
  // The cursor is a local: a member would be stored back at every byte, since chars may alias it.
  bool scan_string() {
    const char* p = p_;
    const char* run = p;
    bool escaped = false;  // once an escape is seen, the decoded text is built in buffer_
    for (;;) {
      while (end_ - p >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        uint64_t marks = non_plain_bytes(word);
        if (marks == 0) {
          p += 8;
          continue;
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        p += __builtin_ctzll(marks) / 8;  // straight to the first byte that is not plain
#endif
        break;
      }
      while (p != end_ && kPlainStringBytes.plain[static_cast<unsigned char>(*p)]) ++p;
      if (p == end_) return false;
      unsigned char c = static_cast<unsigned char>(*p);
      if (c == '"') {
        if (escaped) {
          buffer_.append(run, static_cast<size_t>(p - run));
          token_ = buffer_;
        } else {
          // The common case: no escape, so the token is the input's own bytes (no copy).
          token_ = std::string_view(p_, static_cast<size_t>(p - p_));
        }
        p_ = p + 1;
        return true;
      }
      if (c == '\\') {
        if (!escaped) {
          buffer_.assign(p_, static_cast<size_t>(p - p_));
          escaped = true;
        } else {
          buffer_.append(run, static_cast<size_t>(p - run));
        }
        p_ = p;
        if (!scan_escape()) return false;
        p = run = p_;
      } else if (c >= 0x80) {
        size_t length = utf8_sequence_length(reinterpret_cast<const unsigned char*>(p), static_cast<size_t>(end_ - p));
        if (length == 0) return false;
        p += length;
        // Chinese text is runs of three-byte sequences (U+0800…U+FFFF); they are checked here, one
        // after another, without going back to the eight-byte test that every such byte fails.
        while (end_ - p >= 3) {
          const unsigned char b0 = static_cast<unsigned char>(p[0]), b1 = static_cast<unsigned char>(p[1]),
                              b2 = static_cast<unsigned char>(p[2]);
          if ((b0 & 0xF0) != 0xE0) break;
          const unsigned char low = b0 == 0xE0 ? 0xA0 : 0x80, high = b0 == 0xED ? 0x9F : 0xBF;
          if (b1 < low || b1 > high || (b2 & 0xC0) != 0x80) return false;
          p += 3;
        }
      } else {
        return false;  // a control character, which must be escaped
      }
    }
  }

  // Scans a key (opening quote read) and reports it. A handler may say which key it expects next
  // (`key_hint()`: records list their fields in the declared order); when the text holds exactly that
  // key, it is taken with one comparison instead of being scanned. A hint is a field name, with no
  // quote, backslash or control character and valid UTF-8, so equal bytes are a valid key.
  bool scan_key() {
    if constexpr (has_key_hint<Handler>::value) {
      const std::string_view hint = handler_.key_hint();
      const size_t n = hint.size();
      if (n != 0 && static_cast<size_t>(end_ - p_) > n && p_[n] == '"' && std::memcmp(p_, hint.data(), n) == 0) {
        token_ = std::string_view(p_, n);
        p_ += n + 1;
        return handler_.key(token_);
      }
    }
    return scan_string() && handler_.key(token_);
  }

  // Decodes the escape at p_ (a backslash) onto buffer_.
  bool scan_escape() {
    if (end_ - p_ < 2) return false;
    char kind = p_[1];
    p_ += 2;
    switch (kind) {
      case '"': buffer_ += '"'; return true;
      case '\\': buffer_ += '\\'; return true;
      case '/': buffer_ += '/'; return true;
      case 'b': buffer_ += '\b'; return true;
      case 'f': buffer_ += '\f'; return true;
      case 'n': buffer_ += '\n'; return true;
      case 'r': buffer_ += '\r'; return true;
      case 't': buffer_ += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    int32_t unit = scan_hex4();
    if (unit < 0) return false;
    uint32_t code_point = static_cast<uint32_t>(unit);
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate with no high one before it
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // A high surrogate must be followed at once by an escaped low one; together they are one code point.
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      int32_t low = scan_hex4();
      if (low < 0xDC00 || low > 0xDFFF) return false;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
    }
    append_utf8(buffer_, code_point);
    return true;
  }

  // The value of the four hex digits at p_, or -1 if they are not four hex digits.
  int32_t scan_hex4() {
    if (end_ - p_ < 4) return -1;
    int32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = p_[i];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    p_ += 4;
    return value;
  }

  // Scans a number and reports it the way nlohmann classifies it: an integer that fits int64 and is
  // negative → number_integer; one that fits uint64 → number_unsigned; anything else → number_float.
  bool scan_number() {
    const char* start = p_;
    bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    uint64_t magnitude = 0;
    bool too_big = false;
    if (*p_ == '0') {
      ++p_;  // a leading zero stands alone: "01" is a 0 followed by garbage
    } else {
      for (; p_ != end_ && is_digit(*p_); ++p_) {
        unsigned digit = static_cast<unsigned>(*p_ - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) too_big = true;
        else magnitude = magnitude * 10 + digit;
      }
    }
    bool integral = true;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
      integral = false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
      integral = false;
    }
    if (integral && !too_big) {
      constexpr uint64_t kInt64MinMagnitude = static_cast<uint64_t>(INT64_MAX) + 1;
      if (!negative) return handler_.number_unsigned(magnitude);
      if (magnitude < kInt64MinMagnitude) return handler_.number_integer(-static_cast<int64_t>(magnitude));
      if (magnitude == kInt64MinMagnitude) return handler_.number_integer(INT64_MIN);
    }
    double value;
    if (!number_to_double(start, p_, value)) return false;
    return handler_.number_float(value, std::string_view(start, static_cast<size_t>(p_ - start)));
  }

  const char* p_;
  const char* end_;
  Handler& handler_;
  // The string or key just scanned, handed to the handler: a view of the input itself when it has no
  // escapes (nearly always), else of buffer_, where the decoded text is built (and its capacity kept).
  std::string_view token_;
  std::string buffer_;
  // kArray or kObject for each array and object that is open, innermost last.
  std::string open_;
};

}  // namespace json_scan_detail

// Scans `text` as one JSON value and calls the handler for each event in document order, the way
// nlohmann::json::sax_parse calls a json_sax:
//   null(), boolean(bool), number_integer(int64_t) (negative integers), number_unsigned(uint64_t)
//   (other integers), number_float(double, std::string_view text) (fractions, exponents, integers
//   beyond 64 bits), string(std::string_view), start_object(size_t), key(std::string_view), end_object(),
//   start_array(size_t), end_array()
// — each returns false to stop. The strings passed are valid only during the call. A handler may
// also offer `std::string_view key_hint()`, the key it expects next ("" for none), as a fast path. start_object and start_array
// get size_t(-1): the size is not known yet. Returns true iff the text is valid (strict: one value,
// no comments, nothing but whitespace around it) and no handler call returned false.
template <class Handler>
bool scan_json(std::string_view text, Handler& handler) {
  json_scan_detail::JsonScanner<Handler> scanner(text, handler);
  return scanner.run();
}

}  // namespace zhiping
