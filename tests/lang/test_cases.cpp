// Data-driven parser and checker tests: every file in tests/cases/good/ must load without errors (and
// its own `test` blocks, if any, must pass); every file in tests/cases/bad/ must produce exactly the
// diagnostics written inline in it, in order, as comment lines `// expect: LINE:COLUMN CODE`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "interpreter/zhiping.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kCasesDir = std::string(ZHIPING_SOURCE_DIR) + "/tests/cases";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The `.zp` files of one case folder, in name order, so that failures are reported reproducibly.
std::vector<fs::path> case_files(const std::string& folder) {
  std::vector<fs::path> files;
  for (auto& entry : fs::directory_iterator(kCasesDir + "/" + folder))
    if (entry.path().extension() == ".zp") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// "LINE:COLUMN CODE" for each `// expect: …` line of a case, in the order written.
std::vector<std::string> expected_diagnostics(const std::string& text) {
  static const std::regex expect_line(R"(//\s*expect:\s*(\d+):(\d+)\s+([A-Za-z0-9_.\-]+))");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), expect_line), end; it != end; ++it)
    out.push_back((*it)[1].str() + ":" + (*it)[2].str() + " " + (*it)[3].str());
  return out;
}

// "LINE:COLUMN CODE" for each top-level diagnostic of a load (notes are not listed).
std::vector<std::string> actual_diagnostics(const zhiping::LoadResult& loaded) {
  std::vector<std::string> out;
  for (auto& d : loaded.diagnostics) {
    uint32_t line = 0, column = 0;
    if (d.span.valid()) d.span.file->line_col(d.span.begin, line, column);
    out.push_back(std::to_string(line) + ":" + std::to_string(column) + " " + d.code);
  }
  return out;
}

// A case is loaded from memory under a short relative path, as the playground would.
zhiping::LoadResult load_case(const fs::path& path, const std::string& folder) {
  return zhiping::load_policy_sources({{folder + "/" + path.filename().string(), read_text(path)}});
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += "  " + l + "\n";
  return out.empty() ? "  (none)\n" : out;
}

}  // namespace

TEST_CASE("good cases load without errors and pass their own tests", "[cases]") {
  auto files = case_files("good");
  REQUIRE(files.size() >= 5);
  for (auto& path : files) {
    INFO("case " << path.filename().string());
    auto loaded = load_case(path, "good");
    INFO(loaded.render_diagnostics(zhiping::Lang::En));
    REQUIRE(loaded.ok());
    CHECK(loaded.diagnostics.empty());
    auto summary = zhiping::run_policy_tests(*loaded.policy);
    std::string failures;
    for (auto& f : summary.failures) failures += f.test + ": " + f.message + "\n";
    INFO(failures);
    CHECK(summary.failed == 0);
  }
}

TEST_CASE("bad cases report exactly the diagnostics written in them", "[cases]") {
  auto files = case_files("bad");
  REQUIRE(files.size() >= 25);
  for (auto& path : files) {
    std::string text = read_text(path);
    auto expected = expected_diagnostics(text);
    INFO("case " << path.filename().string());
    REQUIRE_FALSE(expected.empty());  // a bad case without expectations would prove nothing
    auto loaded = load_case(path, "bad");
    auto actual = actual_diagnostics(loaded);
    INFO("expected:\n" << joined(expected) << "actual:\n" << joined(actual) << loaded.render_diagnostics(zhiping::Lang::En));
    CHECK(actual == expected);
    CHECK_FALSE(loaded.ok());
    // Every diagnostic has a message in both languages, never just its code.
    for (auto& d : loaded.diagnostics) {
      CHECK(zhiping::diagnostic_message(d, zhiping::Lang::Zh) != d.code);
      CHECK(zhiping::diagnostic_message(d, zhiping::Lang::En) != d.code);
    }
  }
}

TEST_CASE("rendered diagnostics show file:line:col, the source line and a caret", "[cases][render]") {
  // Three errors in one file, at known places; the second line has Chinese text before the error, so
  // the caret must account for double-width characters.
  const std::string text =
      "subject applicant\n"                                   // 1
      "input { year: int  名称 \"名称\": string }\n"          // 2
      "let a = yaer + 1\n"                                    // 3
      "let 标签 = 名称 + \"（\" + nmae\n"                     // 4
      "rule X-Y {\n"                                         // 5
      "  severity error\n"                                    // 6
      "  cite \"c\"\n"                                        // 7
      "  when year > date(\"2024-01-01\")\n"                   // 8
      "  message \"m\"\n"                                     // 9
      "}\n";
  auto loaded = zhiping::load_policy_sources({{"mem/three.zp", text}});
  REQUIRE_FALSE(loaded.ok());
  auto actual = actual_diagnostics(loaded);
  REQUIRE(actual == std::vector<std::string>{"3:9 check.unknown-name", "4:21 check.unknown-name", "8:13 check.operator-types"});

  std::string zh = loaded.render_diagnostics();
  INFO(zh);
  CHECK(zh.find("mem/three.zp:3:9: 错误: 未知名称 `yaer`；是否想写 `year`？\n"
                "  let a = yaer + 1\n"
                "          ^~~~\n") != std::string::npos);
  // Column 21 counts code points; the caret is indented by two terminal columns per Han character
  // and per full-width bracket (25 columns for 21 code points before it). No name is close enough to
  // `nmae` to be suggested.
  CHECK(zh.find("mem/three.zp:4:21: 错误: 未知名称 `nmae`\n"
                "  let 标签 = 名称 + \"（\" + nmae\n"
                "  " + std::string(25, ' ') + "^~~~\n") != std::string::npos);
  CHECK(zh.find("mem/three.zp:8:13: 错误: 运算符 `>` 不能用于 int 和 date\n") != std::string::npos);

  std::string en = loaded.render_diagnostics(zhiping::Lang::En);
  INFO(en);
  CHECK(en.find("mem/three.zp:3:9: error: unknown name `yaer`; did you mean `year`?\n"
                "  let a = yaer + 1\n"
                "          ^~~~\n") != std::string::npos);
  CHECK(en.find("mem/three.zp:8:13: error: operator `>` cannot be applied to int and date\n"
                "    when year > date(\"2024-01-01\")\n"
                "  " + std::string(12, ' ') + "^\n") != std::string::npos);
}

TEST_CASE("a syntax error in one declaration does not hide errors in the next", "[cases]") {
  const std::string text =
      "subject applicant\n"
      "input { year: int }\n"
      "let a = (year + 1\n"
      "let b = yeer\n"
      "rule R { severity error cite \"c\" when true message \"x\" bogus }\n";
  auto loaded = zhiping::load_policy_sources({{"m.zp", text}});
  auto actual = actual_diagnostics(loaded);
  INFO(joined(actual));
  // Syntax errors come first (the parse of every file), then the checker's; the let after the
  // unclosed `(` is parsed, not skipped, so its unknown name is reported too.
  CHECK(actual == std::vector<std::string>{"4:1 syntax.expect-rparen", "5:56 syntax.expect-rule-end", "4:9 check.unknown-name"});
}
