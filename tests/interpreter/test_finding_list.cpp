// Report::findings is a FindingList: a vector of findings for its users, which keeps the findings past
// its end when a reused report shrinks. These tests hold it to both halves of that: what callers see
// is exactly the findings of the last record, and what it keeps is reused (the strings' memory).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "interpreter/zhiping.hpp"

using zhiping::Finding;
using zhiping::FindingList;

namespace {
Finding named(const std::string& code, const std::string& message = "") {
  Finding f;
  f.code = code;
  f.message = message;
  return f;
}

std::vector<std::string> codes(const FindingList& list) {
  std::vector<std::string> out;
  for (const Finding& f : list) out.push_back(f.code);
  return out;
}

const char* kThreeRules = R"(subject s
input "记录" {
  n "数量": int
}
rule ONE "一" {
  severity error
  cite "c1"
  when n >= 1
  message "至少一：{n}，这段文字长一些，放不进短字符串里。"
}
rule TWO "二" {
  severity warning
  cite "c2"
  when n >= 2
  message "至少二：{n}，这段文字长一些，放不进短字符串里。"
}
rule THREE "三" {
  severity info
  cite "c3"
  when n >= 3
  message "至少三：{n}，这段文字长一些，放不进短字符串里。"
}
)";
}  // namespace

TEST_CASE("FindingList: what callers see is the findings in it, like a vector", "[report]") {
  FindingList list;
  CHECK(list.empty());
  list.push_back(named("A"));
  list.push_back(named("B"));
  list.next() = named("C");
  CHECK(list.size() == 3);
  CHECK(codes(list) == std::vector<std::string>{"A", "B", "C"});
  CHECK(list.front().code == "A");
  CHECK(list.back().code == "C");
  CHECK(list[1].code == "B");

  list.pop_back();
  CHECK(codes(list) == std::vector<std::string>{"A", "B"});
  list.clear();
  CHECK(list.empty());
  CHECK(list.begin() == list.end());

  // A kept finding comes back holding its old text, for next() to overwrite; push_back replaces it.
  list.push_back(named("D"));
  CHECK(codes(list) == std::vector<std::string>{"D"});
  CHECK(list.next().code == "B");

  // Copies carry the findings only, and are independent.
  FindingList copy = list;
  CHECK(codes(copy) == std::vector<std::string>{"D", "B"});
  copy[0].code = "X";
  CHECK(list[0].code == "D");
  copy = FindingList{named("P"), named("Q"), named("R")};
  CHECK(codes(copy) == std::vector<std::string>{"P", "Q", "R"});
  copy = list;
  CHECK(codes(copy) == std::vector<std::string>{"D", "B"});
  FindingList moved = std::move(copy);
  CHECK(codes(moved) == std::vector<std::string>{"D", "B"});
}

TEST_CASE("FindingList keeps at most kKept findings past its end", "[report]") {
  FindingList list;
  const size_t many = FindingList::kKept * 3;
  for (size_t i = 0; i < many; ++i) list.push_back(named(std::to_string(i)));
  list.truncate(1);
  CHECK(list.size() == 1);
  // The kept ones come back in order, then new (empty) ones.
  for (size_t i = 1; i <= FindingList::kKept; ++i) CHECK(list.next().code == std::to_string(i));
  CHECK(list.next().code.empty());
  list.truncate(list.size() + 5);  // never grows
  CHECK(list.size() == FindingList::kKept + 2);
}

TEST_CASE("a reused report shows each record's findings and reuses the memory of the ones it dropped", "[report][reuse]") {
  auto loaded = zhiping::load_policy_sources({{"mem/three.zp", kThreeRules}});
  INFO(loaded.render_diagnostics());
  REQUIRE(loaded.ok());
  zhiping::EvalResult result;
  zhiping::evaluate_json_text(*loaded.policy, R"({"n": 3})", result);
  REQUIRE(codes(result.report.findings) == std::vector<std::string>{"ONE", "TWO", "THREE"});

  zhiping::evaluate_json_text(*loaded.policy, R"({"n": 1})", result);
  CHECK(codes(result.report.findings) == std::vector<std::string>{"ONE"});
  CHECK(result.report.pass == false);
  CHECK(result.report.to_json()["findings"].size() == 1);
  // The two it dropped are kept past its end, text and all.
  CHECK(result.report.findings.next().message == "至少二：3，这段文字长一些，放不进短字符串里。");
  CHECK(result.report.findings.next().code == "THREE");
  result.report.findings.truncate(1);

  zhiping::evaluate_json_text(*loaded.policy, R"({"n": 0})", result);
  CHECK(result.report.findings.empty());
  CHECK(result.report.pass);

  zhiping::evaluate_json_text(*loaded.policy, R"({"n": 3})", result);
  REQUIRE(codes(result.report.findings) == std::vector<std::string>{"ONE", "TWO", "THREE"});
  const Finding& third = result.report.findings[2];
  CHECK(third.message == "至少三：3，这段文字长一些，放不进短字符串里。");
  CHECK(third.cite == "c3");
  CHECK(third.severity == zhiping::FindingSeverity::Info);
}

TEST_CASE("a reused finding takes its rule's file, also when the slot held another file's rule", "[report][reuse]") {
  auto loaded = zhiping::load_policy_sources(
      {{"mem/a.zp", "subject s\ninput { n: int }\n\nrule ONE \"一\" {\n  severity error\n  cite \"c1\"\n  when n == 1\n  message \"一\"\n}\n"},
       {"mem/b.zp", "subject s\n\nrule TWO \"二\" {\n  severity error\n  cite \"c2\"\n  when n == 2\n  message \"二\"\n}\n"}});
  INFO(loaded.render_diagnostics());
  REQUIRE(loaded.ok());
  zhiping::EvalResult result;
  for (int n : {1, 2, 1, 2}) {
    zhiping::evaluate_json_text(*loaded.policy, "{\"n\": " + std::to_string(n) + "}", result);
    REQUIRE(result.report.findings.size() == 1);
    const Finding& f = result.report.findings[0];
    CHECK(f.code == (n == 1 ? "ONE" : "TWO"));
    CHECK(f.file == (n == 1 ? "mem/a.zp" : "mem/b.zp"));
    CHECK(f.cite == (n == 1 ? "c1" : "c2"));
    CHECK(f.line == (n == 1 ? 4 : 3));
  }
}
