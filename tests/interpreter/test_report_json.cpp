// Report::append_json writes the report's JSON text without building the document; it must print
// exactly what to_json() (plus "line") and dump() print, because `zhiping batch` switched from one to
// the other and its output must not change. Every test here compares the two on the same report:
// real reports of the example policies, hand-built ones with awkward strings and values, every
// string of one and two bytes, and strings that are not UTF-8.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "interpreter/zhiping.hpp"

using zhiping::Finding;
using zhiping::FindingSeverity;
using zhiping::Report;

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What batch printed before append_json existed: the DOM, "line" added, dumped with the defaults.
std::string dumped(const Report& report, int64_t line) {
  nlohmann::json document = report.to_json();
  if (line >= 0) document["line"] = line;
  return document.dump();
}

std::string appended(const Report& report, int64_t line) {
  std::string out;
  report.append_json(out, line);
  return out;
}

// Either the text or the message of the nlohmann exception, so that a report that cannot be printed
// is compared too: both ways must refuse it with the same error.
template <typename Print>
std::string outcome(Print print) {
  try {
    return print();
  } catch (const nlohmann::json::exception& e) {
    return std::string("throws: ") + e.what();
  }
}

// Compares the two ways of printing `report` with and without a line number, and appending after
// text already in the string.
void require_identical(const Report& report) {
  for (int64_t line : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{4096}, int64_t{9007199254740993}}) {
    INFO("line " << line);
    CHECK(outcome([&] { return appended(report, line); }) == outcome([&] { return dumped(report, line); }));
  }
  std::string out = "{\"earlier\":1}\n";
  report.append_json(out, 7);
  CHECK(out == "{\"earlier\":1}\n" + dumped(report, 7));
}

Finding finding(const std::string& code, FindingSeverity severity, const std::string& message, const std::string& item = "") {
  Finding f;
  f.code = code;
  f.severity = severity;
  f.message = message;
  f.cite = "第三条（二）";
  f.item = item;
  f.file = "policies/示例/10-rules.zp";
  f.line = 42;
  f.column = 3;
  return f;
}

// A report whose every string field holds `text` once: a finding with an item and one without, a
// value named by it and a value holding it.
Report report_with_text(const std::string& text) {
  Report report;
  report.pass = false;
  Finding with_item = finding(text, FindingSeverity::Error, text, text);
  with_item.cite = text;
  with_item.file = text;
  report.findings.push_back(with_item);
  report.findings.push_back(finding("PLAIN", FindingSeverity::Info, "before " + text + " after"));
  report.values.push_back({text, "", nlohmann::json(text)});
  report.values.push_back({"list", "", nlohmann::json(nlohmann::json::array({text, 1}))});
  return report;
}

// The first few texts on which the two ways differ, written as hex so that the failure is readable.
std::vector<std::string> mismatches_among(const std::vector<std::string>& texts) {
  std::vector<std::string> mismatches;
  Report report;
  report.findings.push_back(finding("X", FindingSeverity::Warning, ""));
  for (auto& text : texts) {
    report.findings[0].message = text;
    if (outcome([&] { return appended(report, 3); }) == outcome([&] { return dumped(report, 3); })) continue;
    std::string hex;
    for (unsigned char c : text) {
      static const char digits[] = "0123456789abcdef";
      hex += digits[c >> 4];
      hex += digits[c & 0xF];
      hex += ' ';
    }
    mismatches.push_back(hex);
    if (mismatches.size() == 10) break;
  }
  return mismatches;
}

}  // namespace

TEST_CASE("append_json prints every example report as dump() does", "[report-json]") {
  size_t compared = 0;
  for (const char* folder : {"policies/zhengzhou-2024", "policies/example"}) {
    std::string dir = std::string(ZHIPING_SOURCE_DIR) + "/" + folder;
    auto loaded = zhiping::load_policy(dir);
    INFO(loaded.render_diagnostics(zhiping::Lang::En));
    REQUIRE(loaded.ok());
    for (auto& entry : std::filesystem::directory_iterator(dir + "/examples")) {
      if (entry.path().extension() != ".json") continue;
      std::string text = read_all(entry.path());
      for (auto& subject : loaded.policy->subjects()) {
        for (auto lang : {zhiping::Lang::Zh, zhiping::Lang::En}) {
          zhiping::EvalOptions options;
          options.subject = subject;
          options.lang = lang;
          auto result = zhiping::evaluate_json_text(*loaded.policy, text, options);
          if (!result.ok()) continue;
          INFO(entry.path().string() << " as " << subject);
          require_identical(result.report);
          ++compared;
        }
      }
    }
  }
  // Both folders have passing and failing examples; a count this low means the examples went missing.
  CHECK(compared >= 30);
}

TEST_CASE("append_json escapes strings as dump() does", "[report-json]") {
  const char* texts[] = {
      "",
      "plain ascii",
      "quote \" and backslash \\ and slash /",
      "\\\"",
      "tab\tnewline\ncarriage\rbackspace\bformfeed\f",
      "\x01 start, \x1f unit separator, \x7f delete",
      "中文：申报人“张三”（高级）",
      "emoji 😀 and 🇨🇳, a four-byte 𠀀",
      "mixed \x02中\"文\x1e😀\\",
      "\xef\xbf\xbf and \xf4\x8f\xbf\xbf, the last code points",
  };
  for (const char* text : texts) {
    INFO(text);
    require_identical(report_with_text(text));
  }
  // The NUL byte is lost by the C string above; a std::string keeps it.
  require_identical(report_with_text(std::string("nul \0 inside", 12)));
  require_identical(report_with_text(std::string(1, '\0')));
}

TEST_CASE("append_json prints values of every kind as dump() does", "[report-json]") {
  Report report;
  report.findings.push_back(finding("WITH-ITEM", FindingSeverity::Error, "有条目", "achievements[2]"));
  report.findings.push_back(finding("NO-ITEM", FindingSeverity::Warning, "无条目"));
  report.values.push_back({"int", "", nlohmann::json(150)});
  report.values.push_back({"negative", "", nlohmann::json(-42)});
  report.values.push_back({"int_min", "", nlohmann::json(std::numeric_limits<int64_t>::min())});
  report.values.push_back({"uint_max", "", nlohmann::json(std::numeric_limits<uint64_t>::max())});
  report.values.push_back({"zero", "", nlohmann::json(0)});
  report.values.push_back({"tenth", "", nlohmann::json(0.1)});
  report.values.push_back({"huge", "", nlohmann::json(1e300)});
  report.values.push_back({"tiny", "", nlohmann::json(5e-324)});
  report.values.push_back({"negative_zero", "", nlohmann::json(-0.0)});
  report.values.push_back({"one_point_zero", "", nlohmann::json(1.0)});
  report.values.push_back({"third", "", nlohmann::json(1.0 / 3)});
  report.values.push_back({"big_double", "", nlohmann::json(123456789012345678.0)});
  report.values.push_back({"nan", "", nlohmann::json(std::nan(""))});
  report.values.push_back({"infinity", "", nlohmann::json(std::numeric_limits<double>::infinity())});
  report.values.push_back({"true", "", nlohmann::json(true)});
  report.values.push_back({"false", "", nlohmann::json(false)});
  report.values.push_back({"null", "", nlohmann::json(nullptr)});
  report.values.push_back({"text", "", nlohmann::json("评审费（元）")});
  report.values.push_back({"empty_text", "", nlohmann::json("")});
  report.values.push_back({"list", "", nlohmann::json(nlohmann::json::array({1, 2.5, "三", nullptr, true, nlohmann::json::array(), nlohmann::json::object()}))});
  report.values.push_back({"empty_list", "", nlohmann::json(nlohmann::json::array())});
  report.values.push_back({"nested", "", nlohmann::json({{"b", {{"deep", nlohmann::json::array({{{"x", 1}}})}}}, {"a", "\"quoted\"\n"}, {"键", -0.5}})});
  report.values.push_back({"empty_object", "", nlohmann::json(nlohmann::json::object())});
  report.values.push_back({"", "", nlohmann::json("empty key")});
  report.values.push_back({"key \"with\" escapes\t", "", nlohmann::json(1)});
  require_identical(report);

  SECTION("a name that repeats: the last value counts, as in to_json()") {
    Report repeated;
    repeated.values.push_back({"b", "", 1});
    repeated.values.push_back({"a", "", 2});
    repeated.values.push_back({"b", "", 3});
    require_identical(repeated);
    CHECK(appended(repeated, -1) == R"({"decision":"pass","findings":[],"values":{"a":2,"b":3}})");
  }
  SECTION("a report with nothing in it") {
    Report empty;
    require_identical(empty);
    CHECK(appended(empty, -1) == R"({"decision":"pass","findings":[],"values":{}})");
  }
}

TEST_CASE("append_json agrees with dump() on every string of one and two bytes", "[report-json]") {
  std::vector<std::string> texts;
  for (int first = 0; first < 256; ++first) {
    texts.push_back(std::string(1, static_cast<char>(first)));
    for (int second = 0; second < 256; ++second) texts.push_back({static_cast<char>(first), static_cast<char>(second)});
  }
  CHECK(mismatches_among(texts) == std::vector<std::string>{});
}

TEST_CASE("append_json agrees with dump() around the edges of three- and four-byte sequences", "[report-json]") {
  // Every byte from 0xc0 up as a lead, followed by bytes at the edges of the ranges that decide
  // validity (overlong forms, surrogates, the end of Unicode); a trailing "a" also checks that a
  // sequence cut short is not read past. Four-byte leads get a fourth byte too.
  const unsigned char edges[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xf4, 0xff};
  std::vector<std::string> texts;
  for (int lead = 0xc0; lead < 256; ++lead)
    for (unsigned char second : edges)
      for (unsigned char third : edges) {
        std::string three = {static_cast<char>(lead), static_cast<char>(second), static_cast<char>(third)};
        texts.push_back(three);
        texts.push_back(three + "a");
        if (lead >= 0xf0 && lead <= 0xf7)
          for (unsigned char fourth : {0x41, 0x80, 0xbf, 0xc0}) texts.push_back(three + static_cast<char>(fourth));
      }
  CHECK(mismatches_among(texts) == std::vector<std::string>{});
}

TEST_CASE("append_json refuses text that is not UTF-8 as dump() does and leaves the string as it was", "[report-json]") {
  const std::string not_utf8[] = {
      "\x80",                  // a continuation byte with no lead
      "abc\xe4\xb8",           // a sequence cut short at the end
      "\xe4\xb8z",             // a sequence cut short in the middle
      "\xc0\xaf",              // an overlong '/'
      "\xed\xa0\x80",          // a UTF-16 surrogate
      "\xf4\x90\x80\x80",      // above U+10FFFF
      "\xff",                  // never in UTF-8
  };
  // The bad text goes to each kind of place in turn: a finding's message, a finding's item, a value's
  // name, a string nested in a value.
  for (auto& text : not_utf8) {
    for (int place = 0; place < 4; ++place) {
      INFO(text << " in place " << place);
      Report report = report_with_text("valid 中文");
      if (place == 0) report.findings[0].message = text;
      if (place == 1) report.findings[1].item = text;
      if (place == 2) report.values.push_back({text, "", 1});
      if (place == 3) report.values[1].value.push_back(text);  // "list"
      std::string expected = outcome([&] { return dumped(report, 5); });
      CHECK(expected.rfind("throws: [json.exception.type_error.316]", 0) == 0);
      std::string out = "kept\n";
      CHECK_THROWS_AS(report.append_json(out, 5), nlohmann::json::type_error);
      CHECK(out == "kept\n");
      CHECK(outcome([&] { return appended(report, 5); }) == expected);
    }
  }
}
