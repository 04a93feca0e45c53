// The C API (interpreter/zhiping.h): loading from memory and from disk, evaluation of valid and
// invalid records, diagnostics of a bad policy, freeing, and evaluation from many threads at once.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/zhiping.h"

namespace {

const char* kPolicy = R"(subject applicant

input "申报人" {
  name "姓名": string
  age "年龄": int
  papers "论文数": int = 0
  uploads "上传材料": list<string> = []
}

rule TOO-YOUNG "年龄不足" {
  severity error
  cite "一"
  when age < 18
  message "{name}未满18岁。"
}

rule FEW-PAPERS "论文偏少" {
  severity warning
  cite "二"
  when papers < 2
  message "论文只有{papers}篇。"
}

rule NOT-PDF "不是PDF" {
  severity error
  cite "三"
  for each u in uploads
  when !u.endsWith(".pdf")
  message "“{u}”不是PDF文件。"
}

output fee "评审费" = 120 + 30 * papers
)";

// Owns a string returned by the C API.
struct CString {
  char* p = nullptr;
  ~CString() { zp_string_free(p); }
  std::string str() const { return p ? std::string(p) : std::string(); }
};

zp_policy* load_tiny(char** diagnostics) {
  zp_source src{"tiny.zp", kPolicy, std::strlen(kPolicy)};
  return zp_load_sources(&src, 1, diagnostics);
}

int evaluate(const zp_policy* p, const std::string& json, std::string& report) {
  CString out;
  int rc = zp_evaluate(p, json.data(), json.size(), &out.p);
  report = out.str();
  return rc;
}

std::string small_record(int i) {
  nlohmann::json r = {{"name", "申报人" + std::to_string(i)},
                      {"age", 15 + i % 10},
                      {"papers", i % 4},
                      {"uploads", nlohmann::json::array()}};
  for (int k = 0; k < i % 3; ++k) r["uploads"].push_back(k == 1 && i % 5 == 0 ? "scan.jpg" : "a" + std::to_string(k) + ".pdf");
  return r.dump();
}

}  // namespace

TEST_CASE("version") {
  REQUIRE(zp_version() != nullptr);
  CHECK(std::string(zp_version()) == "0.1.0");
}

TEST_CASE("load from memory and evaluate a passing record") {
  CString diag;
  zp_policy* p = load_tiny(&diag.p);
  REQUIRE(p != nullptr);
  CHECK(diag.p == nullptr);  // no warnings
  std::string report;
  int rc = evaluate(p, R"({"name": "张三", "age": 30, "papers": 3, "uploads": ["a.pdf"]})", report);
  CHECK(rc == ZP_PASS);
  auto j = nlohmann::json::parse(report);
  CHECK(j["decision"] == "pass");
  CHECK(j["findings"].empty());
  CHECK(j["values"]["fee"] == 210);
  zp_policy_free(p);
}

TEST_CASE("a failing record: findings in rule order, per item, warnings do not fail") {
  zp_policy* p = load_tiny(nullptr);
  REQUIRE(p != nullptr);
  std::string report;
  CHECK(evaluate(p, R"({"name": "李四", "age": 16, "papers": 1, "uploads": ["a.pdf", "b.jpg"]})", report) == ZP_FAIL);
  auto j = nlohmann::json::parse(report);
  CHECK(j["decision"] == "fail");
  REQUIRE(j["findings"].size() == 3);
  CHECK(j["findings"][0]["code"] == "TOO-YOUNG");
  CHECK(j["findings"][0]["message"] == "李四未满18岁。");
  CHECK(j["findings"][1]["code"] == "FEW-PAPERS");
  CHECK(j["findings"][1]["severity"] == "warning");
  CHECK(j["findings"][2]["code"] == "NOT-PDF");
  CHECK(j["findings"][2]["item"] == "uploads[1]");

  CHECK(evaluate(p, R"({"name": "王五", "age": 40, "papers": 0})", report) == ZP_PASS);  // only a warning
  // The report may be skipped.
  std::string rec = R"({"name": "王五", "age": 10})";
  CHECK(zp_evaluate(p, rec.data(), rec.size(), nullptr) == ZP_FAIL);
  zp_policy_free(p);
}

TEST_CASE("invalid input gives 3 and an error naming the JSON path") {
  zp_policy* p = load_tiny(nullptr);
  REQUIRE(p != nullptr);
  std::string report;
  CHECK(evaluate(p, "{not json", report) == ZP_INVALID_INPUT);
  CHECK(nlohmann::json::parse(report).contains("error"));
  CHECK(evaluate(p, R"({"name": "张三", "age": "thirty"})", report) == ZP_INVALID_INPUT);
  CHECK(nlohmann::json::parse(report)["error"].get<std::string>().find("$.age") != std::string::npos);
  CHECK(evaluate(p, R"({"age": 30})", report) == ZP_INVALID_INPUT);  // a required field is missing
  CHECK(nlohmann::json::parse(report)["error"].get<std::string>().find("name") != std::string::npos);
  CHECK(evaluate(p, "", report) == ZP_INVALID_INPUT);
  // The JSON need not be NUL-terminated: only len bytes are read.
  std::string padded = R"({"name": "张三", "age": 30}GARBAGE)";
  CString out;
  CHECK(zp_evaluate(p, padded.data(), padded.size() - 7, &out.p) == ZP_PASS);
  zp_policy_free(p);
}

TEST_CASE("subjects and languages through zp_evaluate_ex") {
  zp_policy* p = load_tiny(nullptr);
  REQUIRE(p != nullptr);
  std::string rec = R"({"name": "张三", "age": "x"})";
  CString out, out2, out3;
  CHECK(zp_evaluate_ex(p, "applicant", 1, rec.data(), rec.size(), &out.p) == ZP_INVALID_INPUT);
  CHECK(zp_evaluate_ex(p, "nobody", 0, rec.data(), rec.size(), &out2.p) == ZP_BAD_ARGUMENT);
  CHECK(out2.str().find("nobody") != std::string::npos);
  CString schema;
  schema.p = zp_schema(p, nullptr);
  REQUIRE(schema.p != nullptr);
  CHECK(schema.str().find("age") != std::string::npos);
  CHECK(zp_schema(p, "nobody") == nullptr);
  CHECK(zp_run_tests(p, &out3.p) == 0);  // no tests, none failed
  zp_policy_free(p);
}

TEST_CASE("a bad policy gives NULL and rendered diagnostics with the place") {
  const char* bad = "subject applicant\ninput { age: int }\nrule X-1 \"x\" {\n  severity error\n  cite \"一\"\n  when age + \"a\"\n  message \"m\"\n}\n";
  zp_source src{"bad.zp", bad, std::strlen(bad)};
  CString diag;
  zp_policy* p = zp_load_sources(&src, 1, &diag.p);
  CHECK(p == nullptr);
  REQUIRE(diag.p != nullptr);
  CHECK(diag.str().find("bad.zp:") != std::string::npos);

  CString en;
  CHECK(zp_load_sources_lang(&src, 1, 1, &en.p) == nullptr);
  REQUIRE(en.p != nullptr);
  CHECK(en.str().find("bad.zp:") != std::string::npos);

  // Syntax errors too, and a NULL diagnostics pointer is allowed.
  const char* syntax = "subject applicant\nrule {{{\n";
  zp_source src2{"syntax.zp", syntax, std::strlen(syntax)};
  CHECK(zp_load_sources(&src2, 1, nullptr) == nullptr);
}

TEST_CASE("NULL arguments are errors, never crashes") {
  CString diag, out;
  CHECK(zp_load_dir(nullptr, &diag.p) == nullptr);
  CHECK(diag.p != nullptr);
  CHECK(zp_load_dir("/no/such/folder", nullptr) == nullptr);
  CHECK(zp_evaluate(nullptr, "{}", 2, &out.p) == ZP_BAD_POLICY);
  zp_policy* p = load_tiny(nullptr);
  REQUIRE(p != nullptr);
  CString out2;
  CHECK(zp_evaluate(p, nullptr, 5, &out2.p) == ZP_BAD_ARGUMENT);
  zp_policy_free(p);
  zp_policy_free(nullptr);
  zp_string_free(nullptr);
  CHECK(zp_run_tests(nullptr, nullptr) == -1);
}

TEST_CASE("load a policy folder from disk") {
  CString diag;
  zp_policy* p = zp_load_dir(ZHIPING_SOURCE_DIR "/policies/zhengzhou-2024", &diag.p);
  INFO(diag.str());
  REQUIRE(p != nullptr);
  CString summary;
  CHECK(zp_run_tests(p, &summary.p) == 0);
  CHECK(nlohmann::json::parse(summary.str())["failed"] == 0);
  std::string report;
  std::string record;
  {
    FILE* f = std::fopen(ZHIPING_SOURCE_DIR "/policies/zhengzhou-2024/examples/teacher-no-docnum.json", "rb");
    REQUIRE(f != nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) record.append(buf, n);
    std::fclose(f);
  }
  CHECK(evaluate(p, record, report) == ZP_FAIL);
  CHECK(report.find("TEACHER-DOC-NUMBER-MISSING") != std::string::npos);
  zp_policy_free(p);
}

TEST_CASE("one policy evaluated from 8 threads gives the single-threaded results") {
  zp_policy* p = load_tiny(nullptr);
  REQUIRE(p != nullptr);
  const int kThreads = 8, kPerThread = 10000, kDistinct = 97;
  std::vector<std::string> records;
  for (int i = 0; i < kDistinct; ++i) records.push_back(small_record(i));
  // Reference: one thread.
  std::vector<std::string> expected(kDistinct);
  std::vector<int> expected_rc(kDistinct);
  for (int i = 0; i < kDistinct; ++i) expected_rc[i] = evaluate(p, records[i], expected[i]);
  int fails = 0;
  for (int rc : expected_rc) fails += rc == ZP_FAIL;
  REQUIRE(fails > 0);
  REQUIRE(fails < kDistinct);

  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string report;
      for (int k = 0; k < kPerThread; ++k) {
        int i = (k * 7 + t * 13) % kDistinct;
        int rc = evaluate(p, records[i], report);
        if (rc != expected_rc[i] || report != expected[i]) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
  zp_policy_free(p);
}
