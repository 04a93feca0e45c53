// Loading and evaluating whole policies through the public API, with small policies held in memory:
// the order of findings, per-item findings, unguarded optional fields, defaults, input errors that
// name the JSON path, limits, thread safety, reloading edited text, and the policy's own tests.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "interpreter/zhiping.hpp"

using zhiping::EvalOptions;
using zhiping::FindingSeverity;
using zhiping::Lang;

namespace {

// Loads one in-memory file and fails the test (with the rendered diagnostics) if it does not load.
std::shared_ptr<const zhiping::Policy> load_text(const std::string& text, const std::string& path = "mem/policy.zp") {
  auto loaded = zhiping::load_policy_sources({{path, text}});
  INFO(loaded.render_diagnostics(Lang::En));
  REQUIRE(loaded.ok());
  return loaded.policy;
}

zhiping::EvalResult evaluate(const zhiping::Policy& policy, const std::string& json, Lang lang = Lang::En) {
  EvalOptions options;
  options.lang = lang;
  return zhiping::evaluate_json_text(policy, json, options);
}

// "CODE@item" for each finding, in report order.
std::vector<std::string> finding_keys(const zhiping::Report& report) {
  std::vector<std::string> keys;
  for (auto& f : report.findings) keys.push_back(f.code + (f.item.empty() ? "" : "@" + f.item));
  return keys;
}

const char* kOrderPolicy = R"zp(subject applicant
type Job { unit: string  years: int }
input {
  name: string
  jobs: list<Job>
  person: Person
}
type Person { papers: list<string> }
rule FIRST-RULE "first" {
  severity warning
  cite "1"
  for each j, i in jobs
  when j.years < 2
  message "job {i}: {j.unit} only {j.years} years"
}
rule SECOND-RULE "second" {
  severity error
  cite "2"
  when size(name) < 2
  message "name {name} too short"
}
rule THIRD-RULE "third" {
  severity info
  cite "3"
  for each p, i in person.papers
  when p == ""
  message "paper {i + 1} has no title"
}
rule FOURTH-RULE "fourth" {
  severity info
  cite "4"
  for each j in jobs.filter(j, j.years == 0)
  when true
  message "{j.unit} has no years"
}
)zp";

}  // namespace

TEST_CASE("findings come in rule order, then item order, with item paths", "[policy][order]") {
  auto policy = load_text(kOrderPolicy);
  auto r = evaluate(*policy, R"({"name": "李", "person": {"papers": ["a", "", ""]},
      "jobs": [{"unit": "A", "years": 1}, {"unit": "B", "years": 5}, {"unit": "C", "years": 0}]})");
  REQUIRE(r.ok());
  // The list of a for-each that is an input path gives `path[index]`; a computed list gives no path.
  CHECK(finding_keys(r.report) == std::vector<std::string>{"FIRST-RULE@jobs[0]", "FIRST-RULE@jobs[2]", "SECOND-RULE",
                                                          "THIRD-RULE@person.papers[1]", "THIRD-RULE@person.papers[2]",
                                                          "FOURTH-RULE"});
  CHECK_FALSE(r.report.pass);
  const auto& f = r.report.findings[0];
  CHECK(f.message == "job 0: A only 1 years");
  CHECK(f.severity == FindingSeverity::Warning);
  CHECK(f.cite == "1");
  CHECK(f.file == "mem/policy.zp");
  CHECK(f.line == 9);
  CHECK(r.report.findings[3].message == "paper 2 has no title");
  CHECK(r.report.findings[2].severity == FindingSeverity::Error);

  // The JSON form: decision, and per finding code, severity, message, cite, item (only when set), source.
  auto j = r.report.to_json();
  CHECK(j["decision"] == "fail");
  CHECK(j["findings"][0]["item"] == "jobs[0]");
  CHECK(j["findings"][0]["severity"] == "warning");
  CHECK(j["findings"][0]["source"]["file"] == "mem/policy.zp");
  CHECK(j["findings"][0]["source"]["line"] == 9);
  CHECK_FALSE(j["findings"][2].contains("item"));
  CHECK(j["findings"][5]["severity"] == "info");

  // Without the error finding the decision is pass, even with warnings and infos.
  r = evaluate(*policy, R"({"name": "李四", "person": {"papers": [""]}, "jobs": [{"unit": "A", "years": 1}]})");
  REQUIRE(r.ok());
  CHECK(finding_keys(r.report) == std::vector<std::string>{"FIRST-RULE@jobs[0]", "THIRD-RULE@person.papers[0]"});
  CHECK(r.report.pass);
  CHECK(r.report.to_json()["decision"] == "pass");
}

TEST_CASE("messages show integers, dates and bools as applicants read them; items name their index", "[policy][message]") {
  auto policy = load_text(R"zp(subject applicant
input {
  d: date
  n: int
  xs: list<int>
}
rule SHOW "show" { severity info cite "1" when true message "{d}|{n}|{d.year()}|{n > 0}" }
rule EACH "each" { severity info cite "2" for each x in xs when x == 7 message "{x}" }
rule MANY "many" { severity info cite "3" when true message "{n}{n}{d}{n}{n}{d}{n}{n}{d}|{n}-{d.year()}" }
)zp");
  struct Case { const char* input; const char* show; const char* item; };
  const Case cases[] = {
      {R"({"d": "2024-02-29", "n": 0, "xs": [7]})", "2024-02-29|0|2024|否", "xs[0]"},
      {R"({"d": "0999-01-05", "n": -42, "xs": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]})", "0999-01-05|-42|999|否", "xs[11]"},
      {R"({"d": "0001-12-31", "n": 9223372036854775807, "xs": [1, 7]})", "0001-12-31|9223372036854775807|1|是", "xs[1]"},
      {R"({"d": "9999-12-31", "n": -9223372036854775808, "xs": [7]})", "9999-12-31|-9223372036854775808|9999|否", "xs[0]"},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    for (bool fast : {true, false}) {
      EvalOptions options;
      options.fast_path = fast;
      auto r = zhiping::evaluate_json_text(*policy, c.input, options);
      REQUIRE(r.ok());
      REQUIRE(r.report.findings.size() == 3);
      CHECK(r.report.findings[0].message == c.show);
      CHECK(r.report.findings[1].message == "7");
      CHECK(r.report.findings[1].item == c.item);
      // Eleven operands: more than the interpolation keeps on the stack.
      const std::string show(c.show);
      const std::string d = show.substr(0, show.find('|')), rest = show.substr(show.find('|') + 1);
      const std::string n = rest.substr(0, rest.find('|')), year = rest.substr(rest.find('|') + 1, rest.rfind('|') - rest.find('|') - 1);
      CHECK(r.report.findings[2].message == n + n + d + n + n + d + n + n + d + "|" + n + "-" + year);
    }
  }
}

TEST_CASE("rules of several files run in file order", "[policy][order]") {
  auto loaded = zhiping::load_policy_sources({
      {"p/10-a.zp", "subject applicant\ninput { n: int }\nrule A-RULE { severity info cite \"a\" when n > 0 message \"a\" }\n"},
      {"p/20-b.zp", "subject applicant\nrule B-RULE { severity info cite \"b\" when n > 0 message \"b\" }\n"},
  });
  INFO(loaded.render_diagnostics(Lang::En));
  REQUIRE(loaded.ok());
  auto r = evaluate(*loaded.policy, R"({"n": 1})");
  REQUIRE(r.ok());
  CHECK(finding_keys(r.report) == std::vector<std::string>{"A-RULE", "B-RULE"});
  CHECK(r.report.findings[1].file == "p/20-b.zp");
}

TEST_CASE("an unguarded optional field that is absent gives EVALUATION-ERROR, and the other rules run", "[policy][absent]") {
  auto policy = load_text(R"zp(subject applicant
type Title { name: string  appointed?: date }
input { year: int  title?: Title  nickname?: string }
rule UNGUARDED "uses title without has()" {
  severity warning
  cite "1"
  when title.appointed < date("2020-01-01")
  message "appointed early"
}
rule GUARDED "uses has()" {
  severity warning
  cite "2"
  when has(title) && has(title.appointed) && title.appointed < date("2020-01-01")
  message "appointed early"
}
rule AFTER "runs anyway" {
  severity info
  cite "3"
  when year > 2000
  message "nickname {nickname}"
}
output nick_size = size(nickname)
)zp");
  // Absent field: an error finding for the unguarded rule (never a crash, never silently skipped);
  // the guarded rule is quiet; the later rule runs but its message cannot be built either.
  auto r = evaluate(*policy, R"({"year": 2024})");
  REQUIRE(r.ok());
  INFO(r.report.to_json().dump(2));
  REQUIRE(r.report.findings.size() == 3);
  CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
  CHECK(r.report.findings[0].severity == FindingSeverity::Error);
  CHECK(r.report.findings[0].message.find("UNGUARDED") != std::string::npos);
  CHECK(r.report.findings[0].line == 4);
  CHECK(r.report.findings[1].code == "EVALUATION-ERROR");
  CHECK(r.report.findings[1].message.find("AFTER") != std::string::npos);
  // An output that cannot be computed is an error finding too, and has no value.
  CHECK(r.report.findings[2].code == "EVALUATION-ERROR");
  CHECK(r.report.findings[2].item == "nick_size");
  CHECK(r.report.value("nick_size") == nullptr);
  CHECK_FALSE(r.report.pass);

  // A present field, and JSON null (which means "not provided", like absence).
  r = evaluate(*policy, R"({"year": 2024, "title": {"name": "x", "appointed": "2019-05-01"}, "nickname": "小李"})");
  REQUIRE(r.ok());
  CHECK(finding_keys(r.report) == std::vector<std::string>{"UNGUARDED", "GUARDED", "AFTER"});
  CHECK(r.report.findings[2].message == "nickname 小李");
  CHECK(r.report.to_json()["values"]["nick_size"] == 2);
  r = evaluate(*policy, R"({"year": 2024, "title": {"name": "x", "appointed": null}, "nickname": null})");
  REQUIRE(r.ok());
  CHECK(r.report.findings.size() == 3);
  CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
}

TEST_CASE("defaults apply when a field is absent or null", "[policy][defaults]") {
  auto policy = load_text(R"zp(subject applicant
type Title { name: string  sealed: bool = false  level: "junior" | "senior" = "junior" }
input { retired: bool = false  quota: int = 3  title: Title  tags: list<string> = ["a"] }
output summary = string(retired) + "/" + string(quota) + "/" + string(title.sealed) + "/" + title.level + "/" + string(size(tags))
)zp");
  auto r = evaluate(*policy, R"({"title": {"name": "x"}})");
  REQUIRE(r.ok());
  CHECK(r.report.to_json()["values"]["summary"] == "false/3/false/junior/1");
  r = evaluate(*policy, R"({"retired": true, "quota": 5, "title": {"name": "x", "sealed": true, "level": "senior"}, "tags": []})");
  REQUIRE(r.ok());
  CHECK(r.report.to_json()["values"]["summary"] == "true/5/true/senior/0");
}

TEST_CASE("input errors name the JSON path", "[policy][input]") {
  auto policy = load_text(R"zp(subject applicant
type Education { level: "本科" | "硕士研究生"  graduated: date }
type Title { name: string }
input {
  year: int
  gender: "male" "男" | "female" "女"
  education: list<Education>
  title: Title
  scores: map<string, int> = {}
}
)zp");
  struct Case {
    const char* json;
    const char* expected;  // the English input error, or a part of it
  };
  const Case cases[] = {
      {R"({"year": 2024, "gender": "male", "title": {"name": "x"},
           "education": [{"level": "本科", "graduated": "2016-07-01"}, {"level": "硕士研究生", "graduated": "2020/07"}]})",
       R"($.education[1].graduated: expected a date "YYYY-MM-DD", got "2020/07")"},
      {R"({"gender": "male", "title": {"name": "x"}, "education": []})", "$.year: required field is missing"},
      {R"({"year": 2024, "gender": "male", "title": {}, "education": []})", "$.title.name: required field is missing"},
      {R"({"year": 2024, "gender": "m", "title": {"name": "x"}, "education": []})", "$.gender: "},
      {R"({"year": 2024, "gender": "male", "title": {"name": "x"}, "education": [{"level": "博士", "graduated": "2016-07-01"}]})",
       "$.education[0].level: "},
      {R"({"year": "2024", "gender": "male", "title": {"name": "x"}, "education": []})", "$.year: expected an int"},
      {R"({"year": 2024.5, "gender": "male", "title": {"name": "x"}, "education": []})", "$.year: "},
      {R"({"year": 2024, "gender": "male", "title": {"name": "x"}, "education": {}})", "$.education: expected an array, got an object"},
      {R"({"year": 2024, "gender": "male", "title": {"name": "x"}, "education": [], "scores": {"a": "1"}})", "$.scores.a: "},
      {R"([1, 2])", "$: "},
      {R"({"year": 2024,)", "$: "},
  };
  for (auto& c : cases) {
    INFO(c.json);
    auto r = evaluate(*policy, c.json);
    INFO("error: " << r.input_error);
    CHECK_FALSE(r.ok());
    CHECK(r.input_error.find(c.expected) == 0);
  }
  // Enum errors list the allowed values; Chinese messages name the same path.
  auto r = evaluate(*policy, R"({"year": 2024, "gender": "m", "title": {"name": "x"}, "education": []})");
  CHECK(r.input_error.find("\"male\"") != std::string::npos);
  CHECK(r.input_error.find("\"female\"") != std::string::npos);
  r = evaluate(*policy, R"({"year": 2024, "gender": "male", "title": {"name": "x"}, "education": [{"level": "本科", "graduated": "2020/07"}]})",
               Lang::Zh);
  CHECK(r.input_error.find("$.education[0].graduated：") == 0);
  CHECK(r.input_error.find("\"2020/07\"") != std::string::npos);
  // A valid record has no input error; unknown extra fields are not an error.
  r = evaluate(*policy, R"({"year": 2024, "gender": "female", "title": {"name": "x"}, "education": [], "extra": 1})");
  CHECK(r.ok());
}

TEST_CASE("limits: a runaway rule gives an error finding and the other rules still run", "[policy][limits]") {
  auto policy = load_text(R"zp(subject applicant
input { n: int }
rule BEFORE "before" { severity info cite "1" when n > 0 message "before" }
rule RUNAWAY "runaway" {
  severity warning
  cite "2"
  when size(range(0, 10000).map(i, range(0, 10000).map(j, i + j + n))) > 0
  message "never"
}
rule AFTER "after" { severity info cite "3" when n > 0 message "after" }
)zp");
  EvalOptions options;
  options.lang = Lang::En;
  options.limits.max_steps = 100000;
  auto r = zhiping::evaluate_json_text(*policy, R"({"n": 1})", options);
  REQUIRE(r.ok());
  INFO(r.report.to_json().dump(2));
  REQUIRE(r.report.findings.size() == 3);
  CHECK(r.report.findings[0].code == "BEFORE");
  CHECK(r.report.findings[1].code == "EVALUATION-ERROR");
  CHECK(r.report.findings[1].message.find("RUNAWAY") != std::string::npos);
  CHECK(r.report.findings[2].code == "AFTER");
  CHECK_FALSE(r.report.pass);
}

TEST_CASE("limits: JSON nested too deeply or too large is an input error", "[policy][limits]") {
  auto policy = load_text("subject applicant\ninput { x: dyn  s: string = \"\" }\n");
  EvalOptions options;
  options.lang = Lang::En;
  options.limits.max_json_depth = 64;
  options.limits.max_input_bytes = 1000;

  auto nested = [](int depth) { return R"({"x": )" + std::string(depth, '[') + std::string(depth, ']') + "}"; };
  CHECK(zhiping::evaluate_json_text(*policy, nested(10), options).ok());
  auto r = zhiping::evaluate_json_text(*policy, nested(100), options);
  CHECK_FALSE(r.ok());
  CHECK(r.input_error.rfind("$", 0) == 0);
  // Deep enough to overflow a recursive parser: still a clean input error.
  options.limits.max_input_bytes = 1u << 20;
  r = zhiping::evaluate_json_text(*policy, nested(200000), options);
  CHECK_FALSE(r.ok());

  options.limits.max_input_bytes = 1000;
  std::string big = R"({"x": 1, "s": ")" + std::string(2000, 'a') + R"("})";
  r = zhiping::evaluate_json_text(*policy, big, options);
  CHECK_FALSE(r.ok());
  CHECK(r.input_error.rfind("$", 0) == 0);
  options.limits.max_input_bytes = 10000;
  CHECK(zhiping::evaluate_json_text(*policy, big, options).ok());
}

TEST_CASE("one policy evaluated from 8 threads gives the same reports as from one", "[policy][threads]") {
  auto policy = load_text(R"zp(subject applicant
type Job { unit: string  years: int }
input { name: string  jobs: list<Job>  year: int }
let total = sum(jobs.map(j, j.years))
output total_years = total
output label = name + "-" + string(total)
rule SHORT "short" {
  severity error
  cite "1"
  when total < 5
  message "{name}: only {total} years"
}
rule EACH "each" {
  severity info
  cite "2"
  for each j, i in jobs
  when j.years % 3 == 0
  message "{i}: {j.unit}"
}
)zp");
  std::vector<std::string> records;
  for (int i = 0; i < 1000; ++i) {
    std::string jobs;
    for (int k = 0; k < i % 5; ++k) jobs += std::string(k ? "," : "") + R"({"unit": "U)" + std::to_string(k) + R"(", "years": )" + std::to_string((i + k) % 7) + "}";
    records.push_back(R"({"name": "人)" + std::to_string(i) + R"(", "year": 2024, "jobs": [)" + jobs + "]}");
  }
  std::vector<std::string> expected;
  for (auto& rec : records) {
    auto r = zhiping::evaluate_json_text(*policy, rec);
    REQUIRE(r.ok());
    expected.push_back(r.report.to_json().dump());
  }
  // Not all the same: the records exercise both outcomes.
  int failing = 0;
  for (auto& e : expected) failing += e.find("\"fail\"") != std::string::npos;
  CHECK(failing > 0);
  CHECK(failing < 1000);

  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t k = 0; k < records.size(); ++k) {
        size_t i = (k + static_cast<size_t>(t) * 125) % records.size();  // each thread in its own order
        auto r = zhiping::evaluate_json_text(*policy, records[i]);
        if (!r.ok() || r.report.to_json().dump() != expected[i]) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) CHECK(mismatches[t] == 0);
}

TEST_CASE("a policy edited in memory and loaded again gives the new result", "[policy][reload]") {
  std::string text = R"zp(subject applicant
input { hours: int }
rule HOURS-SHORT "short" { severity error cite "1" when hours < 60 message "{hours} < 60" }
)zp";
  auto before = load_text(text);
  std::string edited = text;
  edited.replace(edited.find("hours < 60 "), 11, "hours < 40 ");
  auto after = load_text(edited);
  auto r1 = evaluate(*before, R"({"hours": 50})");
  auto r2 = evaluate(*after, R"({"hours": 50})");
  REQUIRE(r1.ok());
  REQUIRE(r2.ok());
  CHECK_FALSE(r1.report.pass);
  CHECK(r2.report.pass);
  // The first policy is unchanged by the second load.
  CHECK_FALSE(evaluate(*before, R"({"hours": 50})").report.pass);
}

TEST_CASE("the policy's own tests fail when an expectation does not hold", "[policy][tests]") {
  auto loaded = zhiping::load_policy_sources({
      {"t/p.zp", R"zp(subject applicant
input { year: int }
rule LATE "late" { severity error cite "1" when year > 2030 message "late" }
output next = year + 1
test "expects a code that is not raised" {
  input {"year": 2024}
  expect LATE
}
test "expects the wrong decision and output" {
  input "examples/a.json"
  expect decision fail
  expect output next = 2026
}
test "input file missing" {
  input "examples/missing.json"
  expect no LATE
}
test "input not JSON" {
  input "examples/bad.json"
  expect no LATE
}
test "passes" {
  input "examples/a.json" with {"year": 2031}
  expect only LATE
  expect decision fail
  expect output next = 2032
}
)zp"},
      {"t/examples/a.json", R"({"year": 2024})"},
      {"t/examples/bad.json", R"({"year": )"},
  });
  INFO(loaded.render_diagnostics(Lang::En));
  REQUIRE(loaded.ok());
  EvalOptions options;
  options.lang = Lang::En;
  auto summary = zhiping::run_policy_tests(*loaded.policy, options);
  std::string failures;
  for (auto& f : summary.failures) failures += f.test + " @" + std::to_string(f.line) + ": " + f.message + "\n";
  INFO(failures);
  // Regression: `expect CODE` used to check nothing, and a test whose input could not be read
  // was counted as passed.
  CHECK(summary.passed == 1);
  CHECK(summary.failed == 4);
  REQUIRE(summary.failures.size() == 5);
  CHECK(summary.failures[0].test == "expects a code that is not raised");
  CHECK(summary.failures[0].line == 7);
  CHECK(summary.failures[0].message.find("expected LATE to be raised") != std::string::npos);
  CHECK(summary.failures[1].line == 11);
  CHECK(summary.failures[2].line == 12);
  CHECK(summary.failures[2].message.find("2026") != std::string::npos);
  CHECK(summary.failures[3].test == "input file missing");
  CHECK(summary.failures[4].test == "input not JSON");
  CHECK(summary.codes_raised == std::vector<std::string>{"LATE"});
}

// Regression: a policy file saved in another encoding (GBK) loaded, and its message later made the
// JSON writer of `batch` throw in a worker thread, ending the process.
TEST_CASE("a policy file that is not UTF-8 is refused at its first bad byte", "[policy][encoding]") {
  const std::string gbk = "subject s\ninput { n: int }\nrule BAD-ENC \"t\" {\n  when n > 1\n  message \"\xb9\xfd\xc6\xda\"\n}\n";
  auto loaded = zhiping::load_policy_sources({{"mem/gbk.zp", gbk}});
  REQUIRE_FALSE(loaded.ok());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "load.invalid-utf8");
  std::string text = loaded.render_diagnostics();
  CHECK(text.find("mem/gbk.zp:5:12:") != std::string::npos);
  CHECK(text.find("message \"????\"") != std::string::npos);
  CHECK_NOTHROW(nlohmann::json(text).dump());  // the rendered text is UTF-8 itself
  // A U+FFFD written in the file, and every other well-formed character, is fine.
  load_text("subject s\ninput { n: int }\nrule OK \"\xef\xbf\xbd\" {\n  severity error\n  cite \"c\"\n  when n > 1\n  message \"\xf0\x9f\x98\x80 字\"\n}\n");
}

// Fields of records held by a local, an input field or a let are read in place (no copy) as operands
// and arguments. The reads must give the same results as copies would, also when evaluating the
// other operand binds variables of its own, when the field is absent (an error, not a stale value)
// and when a let holding the record is computed on first use.
TEST_CASE("record fields read in place give the same results as copies", "[policy][in-place]") {
  auto policy = load_text(R"zp(subject applicant
type Item { n: int  tags: list<string>  note?: string }
input { items: list<Item>  first: Item }
let last = items[size(items) - 1]
rule BIG "an item larger than its tag count and the last item" {
  severity warning
  cite "1"
  for each it in items
  when it.n > it.tags.map(t, size(t)).size() + last.n
  message "{it.n} > {size(it.tags)} + {last.n}"
}
rule NOTE "an item whose note is empty" {
  severity info
  cite "2"
  for each it in items
  when it.note == ""
  message "empty note"
}
output sums = items.map(x, x.n + items.filter(y, y.n < x.n).size())
output first_tags = first.tags.size() + first.n
)zp");
  auto r = evaluate(*policy, R"({"items": [{"n": 9, "tags": ["a"]}, {"n": 1, "tags": [], "note": ""}, {"n": 4, "tags": ["b", "c"], "note": "x"}],
                                 "first": {"n": 10, "tags": ["p", "q", "r"]}})");
  REQUIRE(r.ok());
  INFO(r.report.to_json().dump(2));
  // BIG: 9 > 1 + 4 fires for item 0; 1 > 0 + 4 and 4 > 2 + 4 do not.
  // NOTE: item 0 has no note (an error finding for that item), item 1's is empty, item 2's is not.
  REQUIRE(r.report.findings.size() == 3);
  CHECK(r.report.findings[0].code == "BIG");
  CHECK(r.report.findings[0].item == "items[0]");
  CHECK(r.report.findings[0].message == "9 > 1 + 4");
  CHECK(r.report.findings[1].code == "EVALUATION-ERROR");
  CHECK(r.report.findings[1].item == "items[0]");
  CHECK(r.report.findings[2].code == "NOTE");
  CHECK(r.report.findings[2].item == "items[1]");
  CHECK(r.report.to_json()["values"]["sums"] == nlohmann::json::array({9 + 2, 1 + 0, 4 + 1}));
  CHECK(r.report.to_json()["values"]["first_tags"] == 13);
}
