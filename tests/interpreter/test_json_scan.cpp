// The JSON scanner (interpreter/json_scan.hpp) must accept exactly the texts nlohmann::json accepts
// and report the same values, numbers classified the same way: checked against nlohmann on a table of
// tricky texts and on a few thousand seeded mutations of real records.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/json_scan.hpp"

using namespace std::string_literals;

namespace {

// A handler that rebuilds an nlohmann::json from the scanner's events, as nlohmann's own DOM parser
// does: a later duplicate key overwrites the earlier one.
class DomBuilder {
 public:
  nlohmann::json result;
  size_t events = 0;

  bool null() { return put(nullptr); }
  bool boolean(bool b) { return put(b); }
  bool number_integer(int64_t v) { return put(nlohmann::json(v)); }
  bool number_unsigned(uint64_t v) { return put(nlohmann::json(v)); }
  bool number_float(double v, std::string_view) { return put(nlohmann::json(v)); }
  bool string(std::string_view s) { return put(std::string(s)); }
  bool start_object(size_t) {
    put(nlohmann::json::object());
    open_.push_back(last_);
    return true;
  }
  bool key(std::string_view k) {
    key_ = k;
    return count();
  }
  bool end_object() {
    open_.pop_back();
    return count();
  }
  bool start_array(size_t) {
    put(nlohmann::json::array());
    open_.push_back(last_);
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return count();
  }

 private:
  bool count() {
    ++events;
    return true;
  }
  bool put(nlohmann::json v) {
    if (open_.empty()) {
      result = std::move(v);
      last_ = &result;
    } else if (open_.back()->is_array()) {
      open_.back()->push_back(std::move(v));
      last_ = &open_.back()->back();
    } else {
      last_ = &((*open_.back())[key_] = std::move(v));
    }
    return count();
  }

  std::vector<nlohmann::json*> open_;
  nlohmann::json* last_ = nullptr;
  std::string key_;
};

// Equality that also tells integer, unsigned and float apart, and -0.0 from 0.0 (nlohmann's == does not).
bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case nlohmann::json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        auto other = b.find(it.key());
        if (other == b.end() || !same(*it, *other)) return false;
      }
      return true;
    }
    case nlohmann::json::value_t::array:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!same(a[i], b[i])) return false;
      }
      return true;
    case nlohmann::json::value_t::number_float: {
      double x = a.get<double>(), y = b.get<double>();
      return x == y && std::signbit(x) == std::signbit(y);
    }
    default: return a == b;
  }
}

// Readable text for failure messages: bytes outside printable ASCII as \xNN.
std::string shown(const std::string& text) {
  std::string out;
  for (unsigned char c : text.substr(0, 200)) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

// Whether the scanner and nlohmann agree on `text`: both reject it, or both accept it with the same value.
bool agrees_with_nlohmann(const std::string& text) {
  bool expected = nlohmann::json::accept(text);
  DomBuilder builder;
  bool accepted = zhiping::scan_json(text, builder);
  if (accepted != expected) return false;
  return !accepted || same(builder.result, nlohmann::json::parse(text));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A record like the benchmark's (bench/README.md), and one with every kind of escape and number.
const std::string kBenchmarkRecord =
    R"({"id":"A000001","year":2024,"birth_date":"1966-11-19","gender":"male","staff_category":"professional",)"
    R"("civil_servant":false,"retired":false,"series":"经济","specialty":"统计","current_specialty":"统计",)"
    R"("current_title":{"obtained":"2017-06-09","appointed":"2018-08-28"},"education":[{"level":"本科","degree_certificate":true}],)"
    R"("achievements":[{"content":"获洛阳市优质课二等奖 新教基【2023】138号 豫教人〔2015〕295号","obtained":"2023-05-29","evidence":"certificate"}],)"
    R"("uploads":[{"name":"学位证书.pdf","copy_kind":"original_color"},{"name":"继续教育证明.pdf","copy_kind":"scan"}],)"
    R"("recommend_date":"2024-10-18","papers":1})";
const std::string kTrickyRecord =
    R"( {"s": "a\"b\\c\/d\be\ff\ng\rh\ti\u0000j\u00e9\u4E2D\uD83D\uDE00", "n": [0, -0, 1.5, -2.5e-3, 1E+2, 12345678901234567890,)"
    R"( -9223372036854775808, 9223372036854775807, 18446744073709551616, 1e-400, 0.1], "e": {}, "a": [[], [{}], null, true, false],)"
    "\n\t\"k\\u00e9y\": \"caf\xC3\xA9 \xF0\x9F\x98\x80\"\r} ";

}  // namespace

TEST_CASE("JSON scanner accepts what nlohmann accepts, with the same values", "[json_scan]") {
  const std::vector<std::string> texts = {
      // Whole texts: one value, whitespace only of the four kinds, nothing after it but a NUL byte.
      "", " ", "\t\n\r ", "null", " null ", "true", "false", "tru", "truex", "nul", "nulll", "True", "true false",
      "\f1", "\v1", "\xC2\xA0" "1", "1 2", "[] []", "{}x", "1\0"s, "1 \0 garbage"s, "\0"s, "[1\0]"s, "\0 1"s,
      // The byte order mark is skipped at the very start only, and only whole.
      "\xEF\xBB\xBF" "1", "\xEF\xBB\xBF", "\xEF\xBB" "1", "\xEF" "1", " \xEF\xBB\xBF" "1", "\xEF\xBB\xBF\xEF\xBB\xBF" "1",
      // No comments, no single quotes, no bare words.
      "/*x*/1", "1//x", "// x\n1", "'a'", "{a:1}", "NaN", "Infinity", "-Infinity", "nan", "undefined",
      // Arrays and objects: no trailing or missing commas, keys are strings, duplicates keep the last value.
      "[]", "[ ]", "[1,2]", "[1,]", "[,1]", "[1 2]", "[1,,2]", "[", "]", "[[]", "[]]", "{}", "{ }", "{\"a\":1}",
      "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\"::1}", "{1:1}", "{\"a\":}", "{\"a\"}", "{", "}", "{\"a\":1 \"b\":2}",
      "{\"a\":1,\"a\":2}", "{\"a\":[1,{\"b\":null}],\"c\":{\"d\":[true,false]}}", "[{]", "{[}]", "{\"a\":1]", "[1}",
      // Numbers: classification, limits, and the forms JSON forbids.
      "0", "-0", "-0.0", "0.0", "1", "-1", "01", "-01", "00", "1.", ".1", "+1", "-", "--1", "1e", "1e+", "1E-",
      "1.e1", "1e5", "1E5", "1e+5", "1e-5", "1.5e3", "0x10", "1_000", "1.0e", "2.", "-.5", "0e0", "-0e-0",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
      "18446744073709551615", "18446744073709551616", "-18446744073709551616", "99999999999999999999999999",
      "1e400", "-1e400", "1.5e-400", "-1.5e-400", "1e-310", "4.9e-324", "2.4703282292062327e-324",
      "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623159e308", "0e99999999999999999999",
      "1e-99999999999999999999", "1e99999999999999999999", "0.000000000000000000000000000001e330",
      "100000000000000000000000000000e-30", "0.1", "0.30000000000000004", "123456789012345678901234567890e-330",
      "3.141592653589793238462643383279", "[1e400]", "[1.5e-400]",
      // Strings: escapes, surrogate pairs, control characters.
      "\"\"", "\"abc\"", "\"abc", "\"abc\\", "\"abc\\\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0000\"",
      "\"\\u0041\\u00e9\\u4E2D\\uFFFF\"", "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\"", "\"\\ude00\"",
      "\"\\ud83d\\u0041\"", "\"\\ud83dx\"", "\"\\ud83d\\\"", "\"\\ud83d\\ud83d\"", "\"\\udbff\\udfff\"", "\"\\uzzzz\"",
      "\"\\u12\"", "\"\\u12", "\"\\U0041\"", "\"\\x41\"", "\"\\'\"", "\"\\a\"", "\"\\0\"", "\"\x01\"", "\"\x1f\"",
      "\"\x7f\"", "\"\t\"", "\"\n\"", "\"a\0b\""s, "\"\\",
      // UTF-8: nlohmann's ranges exactly (no overlong forms, no surrogates, nothing above U+10FFFF).
      "\"\xC2\x80\"", "\"\xDF\xBF\"", "\"\xC0\x80\"", "\"\xC1\xBF\"", "\"\xC2\"", "\"\xC2\x7F\"", "\"\xC2\xC0\"",
      "\"\xE0\x80\x80\"", "\"\xE0\x9F\xBF\"", "\"\xE0\xA0\x80\"", "\"\xE1\x80\x80\"", "\"\xEC\xBF\xBF\"",
      "\"\xED\x80\x80\"", "\"\xED\x9F\xBF\"", "\"\xED\xA0\x80\"", "\"\xED\xBF\xBF\"", "\"\xEE\x80\x80\"",
      "\"\xEF\xBF\xBF\"", "\"\xE4\xB8\"", "\"\xE4\xB8", "\"\xE4\"", "\"\xF0\x8F\xBF\xBF\"", "\"\xF0\x90\x80\x80\"",
      "\"\xF1\x80\x80\x80\"", "\"\xF3\xBF\xBF\xBF\"", "\"\xF4\x8F\xBF\xBF\"", "\"\xF4\x90\x80\x80\"",
      "\"\xF5\x80\x80\x80\"", "\"\xF8\x88\x80\x80\x80\"", "\"\xFF\"", "\"\xFE\"", "\"\x80\"", "\"\xBF\"",
      "\"\xF0\x9F\x98\"", "\"中文字符串\"", "\xE4\xB8\xAD", "{\"中\":\"文\"}",
      kBenchmarkRecord, kTrickyRecord,
  };
  for (const std::string& text : texts) {
    INFO(shown(text));
    CHECK(agrees_with_nlohmann(text));
  }
}

TEST_CASE("JSON scanner classifies numbers as nlohmann does", "[json_scan]") {
  // Spelled out, so a change in nlohmann cannot silently move the goal posts.
  auto scanned = [](const std::string& text) {
    DomBuilder builder;
    REQUIRE(zhiping::scan_json(text, builder));
    return builder.result;
  };
  CHECK(scanned("-0").is_number_integer());
  CHECK_FALSE(scanned("-0").is_number_unsigned());
  CHECK(scanned("0").is_number_unsigned());
  CHECK(scanned("-9223372036854775808").get<int64_t>() == INT64_MIN);
  CHECK(scanned("18446744073709551615").get<uint64_t>() == UINT64_MAX);
  CHECK(scanned("18446744073709551616").is_number_float());
  CHECK(scanned("-9223372036854775809").is_number_float());
  CHECK(scanned("1.0").is_number_float());
  CHECK(scanned("1e2").get<double>() == 100.0);
  CHECK(scanned("1.5e-400").get<double>() == 0.0);
  CHECK(std::signbit(scanned("-1.5e-400").get<double>()));
  DomBuilder builder;
  CHECK_FALSE(zhiping::scan_json("1e400", builder));  // nlohmann rejects numbers that overflow a double
}

TEST_CASE("JSON scanner finds every special byte wherever it falls in an 8-byte block", "[json_scan]") {
  // Strings are skimmed 8 bytes at a time; a special byte at any offset, and runs of any length, must
  // still be seen.
  const std::vector<std::string> specials = {"\"", "\\n", "\\u00e9", "\x01", "\x1f", "\x7f", "\x80", "\xC3\xA9",
                                             "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xED\xA0\x80", "\xFF", "\0"s};
  for (const std::string& special : specials) {
    for (size_t before = 0; before < 20; ++before) {
      for (size_t after : {0, 1, 7, 8, 9, 17}) {
        std::string text = "\"" + std::string(before, 'a') + special + std::string(after, 'b') + "\"";
        INFO(shown(text));
        CHECK(agrees_with_nlohmann(text));
        CHECK(agrees_with_nlohmann("[" + text + "]"));
        CHECK(agrees_with_nlohmann(text.substr(0, text.size() - 1)));
      }
    }
  }
}

TEST_CASE("JSON scanner checks every sequence of a run of Chinese text", "[json_scan]") {
  // After one multi-byte sequence the scanner checks three-byte sequences in a tight loop; each
  // ill-formed or cut-off sequence must still be rejected there, and each well-formed one accepted,
  // exactly as nlohmann does, wherever it falls in the run.
  const std::vector<std::string> sequences = {
      "\xE4\xB8\xAD", "\xE0\xA0\x80", "\xEF\xBF\xBF", "\xED\x9F\xBF",  // well-formed: 中, U+0800, U+FFFF, U+D7FF
      "\xE0\x80\x80", "\xE0\x9F\xBF",                                  // overlong
      "\xED\xA0\x80", "\xED\xBF\xBF",                                  // surrogates
      "\xE4\xB8", "\xE4", "\xE4\x41\x80", "\xE4\xB8\x41", "\xE4\xC0\x80",  // cut off, or bad continuation
      "\xF0\x9F\x98\x80", "\xC3\xA9", "a", "\\n", "\""};
  const std::string han = "\xE5\x9B\xBD";  // 国
  for (const std::string& sequence : sequences) {
    for (size_t before : {1, 2, 5}) {
      for (size_t after : {0, 1, 3}) {
        std::string body;
        for (size_t i = 0; i < before; ++i) body += han;
        body += sequence;
        for (size_t i = 0; i < after; ++i) body += han;
        std::string text = "\"" + body + "\"";
        INFO(shown(text));
        CHECK(agrees_with_nlohmann(text));
        CHECK(agrees_with_nlohmann("{" + text + ": " + text + "}"));
        CHECK(agrees_with_nlohmann(text.substr(0, text.size() - 1)));
      }
    }
  }
}

TEST_CASE("JSON scanner keeps deep nesting off the stack", "[json_scan]") {
  // 100,000 levels: the scanner keeps its own stack, so this neither overflows nor recurses.
  const size_t depth = 100000;
  std::string open(depth, '[');
  DomBuilder unclosed;
  CHECK_FALSE(zhiping::scan_json(open, unclosed));
  CHECK_FALSE(nlohmann::json::accept(open));

  struct Counter {
    size_t arrays = 0, max_open = 0, open = 0;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(int64_t) { return true; }
    bool number_unsigned(uint64_t) { return true; }
    bool number_float(double, std::string_view) { return true; }
    bool string(std::string_view) { return true; }
    bool start_object(size_t) { return true; }
    bool key(std::string_view) { return true; }
    bool end_object() { return true; }
    bool start_array(size_t) {
      ++arrays;
      max_open = std::max(max_open, ++open);
      return true;
    }
    bool end_array() {
      --open;
      return true;
    }
  } counter;
  std::string closed = open + "1" + std::string(depth, ']');
  CHECK(zhiping::scan_json(closed, counter));
  CHECK(nlohmann::json::accept(closed));
  CHECK(counter.arrays == depth);
  CHECK(counter.max_open == depth);
  CHECK(counter.open == 0);
  CHECK_FALSE(zhiping::scan_json(closed + "]", counter));
  CHECK_FALSE(zhiping::scan_json(closed.substr(0, closed.size() - 1), counter));
}

TEST_CASE("JSON scanner stops at the first handler call that returns false", "[json_scan]") {
  // A handler that refuses its n-th event: the scan fails there and no further event is reported.
  struct Refuser {
    size_t n, seen = 0;
    bool next() { return ++seen < n; }
    bool null() { return next(); }
    bool boolean(bool) { return next(); }
    bool number_integer(int64_t) { return next(); }
    bool number_unsigned(uint64_t) { return next(); }
    bool number_float(double, std::string_view) { return next(); }
    bool string(std::string_view) { return next(); }
    bool start_object(size_t) { return next(); }
    bool key(std::string_view) { return next(); }
    bool end_object() { return next(); }
    bool start_array(size_t) { return next(); }
    bool end_array() { return next(); }
  };
  const std::string text = R"({"a": [1, -2, 3.5, "x", true, null, {}], "b": {"c": []}})";
  DomBuilder all;
  REQUIRE(zhiping::scan_json(text, all));
  for (size_t n = 1; n <= all.events; ++n) {
    Refuser refuser{n};
    CHECK_FALSE(zhiping::scan_json(text, refuser));
    CHECK(refuser.seen == n);
  }
  Refuser never{all.events + 1};
  CHECK(zhiping::scan_json(text, never));
  CHECK(never.seen == all.events);
}

TEST_CASE("JSON scanner agrees with nlohmann on seeded mutations of real records", "[json_scan]") {
  std::vector<std::string> seeds = {kBenchmarkRecord, kTrickyRecord};
  for (auto& entry : std::filesystem::directory_iterator(std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024/examples")) {
    if (entry.path().extension() == ".json") seeds.push_back(read_file(entry.path()));
  }
  REQUIRE(seeds.size() >= 10);

  // Bytes that matter to the grammar, the escapes and the UTF-8 rules, besides random ones.
  const std::string interesting = "{}[]:,\"\\/ \t\n\r0123456789-+.eEtrufalsn\0\x01\x1f\x7f\x80\xBF\xC0\xC2\xE0\xED\xF0\xF4\xFF"s;
  std::mt19937 random(20240601);
  auto below = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  auto some_byte = [&]() {
    return below(4) == 0 ? static_cast<char>(below(256)) : interesting[below(interesting.size())];
  };

  int accepted = 0, rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = seeds[below(seeds.size())];
    for (size_t mutations = 1 + below(3); mutations > 0 && !text.empty(); --mutations) {
      size_t at = below(text.size());
      switch (below(6)) {
        case 0: text[at] = some_byte(); break;
        case 1: text.erase(at, 1 + below(4)); break;
        case 2: text.insert(at, 1, some_byte()); break;
        case 3: text.resize(at); break;
        case 4: text.insert(at, text.substr(below(text.size()), below(16))); break;
        case 5: {
          // Escapes and numbers are where the subtle rules are: splice one in.
          static const char* const pieces[] = {"\\u", "\\ud83d", "\\ude00", "\\u00e9", "1e400", "-0", "1.5e-400",
                                               "18446744073709551616", "-9223372036854775809", "0.", "\\", "\xE4\xB8"};
          text.insert(at, pieces[below(sizeof pieces / sizeof *pieces)]);
          break;
        }
      }
    }
    INFO("round " << round << ": " << shown(text));
    REQUIRE(agrees_with_nlohmann(text));
    (nlohmann::json::accept(text) ? accepted : rejected) += 1;
  }
  // The mutations must exercise both sides, or the test proves little.
  CHECK(accepted > 100);
  CHECK(rejected > 100);
}
