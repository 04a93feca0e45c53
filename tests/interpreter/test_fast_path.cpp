// The fast path (interpreter/fast.hpp) against the tree-walker: the same report, byte for byte, for
// every example of every policy, for the policies' own tests, and for thousands of random records
// over a policy written to make the fast path give up in every way it can (errors absorbed by && and
// ||, division by zero, overflow, indexes out of range, absent optional fields, decision tables
// without a matching row or with two under `hit unique`, lets that fail).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "interpreter/zhiping.hpp"

namespace {

std::string report_text(const zhiping::Policy& policy, const std::string& json, bool fast) {
  zhiping::EvalOptions options;
  options.lang = zhiping::Lang::En;
  options.fast_path = fast;
  zhiping::EvalResult r = zhiping::evaluate_json_text(policy, json, options);
  return r.ok() ? r.report.to_json().dump() : "input error: " + r.input_error;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kEdgePolicy = R"zp(subject applicant
type Item { name: string  n: int  when?: date }
input {
  a: int
  b: int
  s: string
  t?: string
  d: date
  e: date
  flag: bool
  kind: "x" | "y"
  items: list<Item>
  holder?: Item
}
decision grade(n: int) -> string {
  | 1 | "one" |
  | 2 | "two" |
}
decision overlap(n: int, s: string) -> int hit unique {
  | 1 | _   | 10 |
  | 1 | "a" | 20 |
  | 2 | _   | 30 |
}
let q = a / b
let first = items[0]
let big = a * 1000000000000000
let mix = flag ? a : b
rule DIV "div" { severity error cite "1" when q > 1 message "q={q}" }
rule IDX "idx" { severity error cite "2" when first.n > 2 message "{first.name}" }
rule OVF "ovf" { severity error cite "3" when big > 0 message "big" }
rule ABSORB-OR "or" { severity error cite "4" when b == 0 || q > 0 message "or" }
rule ABSORB-AND "and" { severity error cite "5" when b != 0 && q > 100 message "and" }
rule OPTIONAL "opt" { severity error cite "6" when t == "z" message "t" }
rule HAS "has" { severity error cite "7" when has(t) && t > "m" message "{t}" }
rule DATES "dates" { severity error cite "8" when d <= e && d.year() == 2024 message "{d}" }
rule GRADE "grade" { severity error cite "9" when grade(a) == "one" message "one" }
rule KIND "kind" { severity error cite "10" when kind in ["x"] && !flag message "kind" }
rule MOD "mod" { severity error cite "11" when mix % b == 0 && s < "m" message "{mix}" }
rule EACH "each" {
  severity error
  cite "12"
  for each it in items
  when it.n > a && it.name != s
  message "{it.name}"
}
rule EACH-OPTIONAL "each optional" {
  severity warning
  cite "13"
  for each it in items
  when it.when > d
  message "{it.when}"
}
rule SIZE "size" { severity info cite "14" when size(items) - a >= 1 && items[size(items) - 1].n == b message "size" }
rule TENURE "tenure" {
  severity error
  cite "16"
  when !tenure_met(later(d, e), 2020 + a, b) && (s.endsWith("a") || s.startsWith("中") || s.contains("z") || earlier(d, e).month() == 3)
  message "{later(d, e)}"
}
rule MESSAGE "message" { severity warning cite "17" when a > 0 message "{100 / b} per item" }
rule UNIQUE "unique" { severity error cite "15" when overlap(b, s) > 15 message "u" }
rule LEFT "left" { severity error cite "18" when "y" == kind && "a" != s message "left" }
rule HELD "held" { severity error cite "19" when holder.n > 0 || holder.name == "中文" message "{holder.name}" }
rule HELD-EACH "held each" {
  severity info
  cite "20"
  for each it in items
  when "m" != it.name && it.when.year() == holder.when.year()
  message "{it.name}"
}
output total = a + b
output ratio = q
output label = grade(b)
)zp";

// A random record for kEdgePolicy: small numbers so that equalities and zero divisors happen often,
// and now and then a huge one.
std::string random_record(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto number = [&]() -> long long { return pick(10) == 0 ? 4000000000000000000LL : pick(5) - 1; };
  auto date = [&] { return "\"202" + std::to_string(3 + pick(3)) + "-0" + std::to_string(1 + pick(9)) + "-1" + std::to_string(pick(9)) + "\""; };
  const char* names[] = {"a", "m", "z", "中文"};
  std::ostringstream o;
  o << "{\"a\": " << number() << ", \"b\": " << number() << ", \"s\": \"" << names[pick(4)] << "\"";
  if (pick(2)) o << ", \"t\": \"" << names[pick(4)] << "\"";
  o << ", \"d\": " << date() << ", \"e\": " << date() << ", \"flag\": " << (pick(2) ? "true" : "false")
    << ", \"kind\": \"" << (pick(2) ? "x" : "y") << "\", \"items\": [";
  int n = pick(4);
  for (int i = 0; i < n; ++i) {
    o << (i ? ", " : "") << "{\"name\": \"" << names[pick(4)] << "\", \"n\": " << number();
    if (pick(2)) o << ", \"when\": " << date();
    o << "}";
  }
  o << "]";
  // A record-typed field, absent now and then, so that selects of it give up.
  if (pick(3)) {
    o << ", \"holder\": {\"name\": \"" << names[pick(4)] << "\", \"n\": " << number();
    if (pick(2)) o << ", \"when\": " << date();
    o << "}";
  }
  o << "}";
  return o.str();
}

}  // namespace

TEST_CASE("fast path: the same reports as the tree-walker on random records at every edge", "[fast]") {
  auto loaded = zhiping::load_policy_sources({{"mem/edge.zp", kEdgePolicy}});
  INFO(loaded.render_diagnostics(zhiping::Lang::En));
  REQUIRE(loaded.ok());
  std::mt19937 rng(20261127);
  int errors = 0, findings = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string record = random_record(rng);
    INFO(record);
    std::string slow = report_text(*loaded.policy, record, false);
    REQUIRE(report_text(*loaded.policy, record, true) == slow);
    errors += slow.find("EVALUATION-ERROR") != std::string::npos;
    findings += slow.find("\"code\"") != std::string::npos;
  }
  // The records reach both the answered and the given-up cases.
  CHECK(errors > 300);
  CHECK(findings > 2000);
}

TEST_CASE("a reused EvalResult gives the same results as a new one, record after record", "[reuse]") {
  auto loaded = zhiping::load_policy_sources({{"mem/edge.zp", kEdgePolicy}});
  REQUIRE(loaded.ok());
  const zhiping::Policy& policy = *loaded.policy;
  std::mt19937 rng(7);
  zhiping::EvalResult by_text, by_prepared;
  zhiping::EvalOptions options;
  options.lang = zhiping::Lang::En;
  auto text_of = [](const zhiping::EvalResult& r) {
    return r.ok() ? r.report.to_json().dump() + (r.report.pass ? " pass" : " fail") : "input error: " + r.input_error;
  };
  int invalid = 0;
  for (int i = 0; i < 600; ++i) {
    // Records with many findings, few, none, and now and then an invalid one, in random order: every
    // way the reused report can have more or fewer findings and values than the record before.
    std::string record = i % 37 == 5 ? R"({"a": "not a number"})" : i % 41 == 7 ? "not json" : random_record(rng);
    INFO(record);
    const zhiping::EvalResult fresh = zhiping::evaluate_json_text(policy, record, options);
    zhiping::evaluate_json_text(policy, record, by_text, options);
    REQUIRE(text_of(by_text) == text_of(fresh));
    zhiping::evaluate_prepared(policy, zhiping::prepare_input_text(policy, record, options), by_prepared, options);
    REQUIRE(text_of(by_prepared) == text_of(fresh));
    invalid += !fresh.ok();
  }
  CHECK(invalid > 20);
}

TEST_CASE("fast path: the same reports as the tree-walker for every example of every policy", "[fast]") {
  namespace fs = std::filesystem;
  int compared = 0;
  for (auto& dir : fs::directory_iterator(std::string(ZHIPING_SOURCE_DIR) + "/policies")) {
    auto loaded = zhiping::load_policy(dir.path().string());
    REQUIRE(loaded.ok());
    for (auto& example : fs::directory_iterator(dir.path() / "examples")) {
      if (example.path().extension() != ".json") continue;
      std::string text = read(example.path());
      INFO(example.path().string());
      CHECK(report_text(*loaded.policy, text, true) == report_text(*loaded.policy, text, false));
      ++compared;
    }
    // The policy's own tests pass either way.
    zhiping::EvalOptions options;
    for (bool fast : {true, false}) {
      options.fast_path = fast;
      zhiping::TestSummary s = zhiping::run_policy_tests(*loaded.policy, options);
      CHECK(s.failed == 0);
      CHECK(s.passed > 0);
    }
  }
  CHECK(compared >= 10);
}

TEST_CASE("fast path: lets computed from lets count against the depth limit", "[fast]") {
  // let l0 = a, l1 = l0 + 1, …, l299 = l298 + 1: deeper than the default limit of 200 either way.
  // The tree-walker counts two or three levels per let, the fast path one, so a chain of 100 is
  // within the limit only for the fast path; 30 is within it for both, and then they agree.
  std::string text = "subject applicant\ninput { a: int }\nlet l0 = a\n";
  for (int i = 1; i < 300; ++i) text += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + 1\n";
  text += "rule DEEP \"deep\" { severity error cite \"1\" when l299 > 0 message \"{l299}\" }\n";
  text += "rule MIDDLE \"middle\" { severity error cite \"2\" when l100 > 0 message \"{l100}\" }\n";
  text += "rule SHALLOW \"shallow\" { severity error cite \"3\" when l30 > 0 message \"{l30}\" }\n";
  auto loaded = zhiping::load_policy_sources({{"mem/deep.zp", text}});
  INFO(loaded.render_diagnostics(zhiping::Lang::En));
  REQUIRE(loaded.ok());
  for (bool fast : {true, false}) {
    zhiping::EvalOptions options;
    options.fast_path = fast;
    options.lang = zhiping::Lang::En;
    zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, R"({"a": 1})", options);
    REQUIRE(r.ok());
    REQUIRE(r.report.findings.size() == 3);
    CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
    CHECK(r.report.findings[0].message.find("nested too deeply") != std::string::npos);
    CHECK(r.report.findings[1].code == (fast ? "MIDDLE" : "EVALUATION-ERROR"));
    CHECK(r.report.findings[2].code == "SHALLOW");
    CHECK(r.report.findings[2].message == "31");
  }
}

TEST_CASE("fast path: the step budget still stops a rule", "[fast]") {
  auto loaded = zhiping::load_policy_sources({{"mem/steps.zp", R"zp(subject applicant
input { a: int  b: int }
rule SUM "sum" { severity error cite "1" when a + b + a + b + a + b > 0 message "sum" }
)zp"}});
  REQUIRE(loaded.ok());
  for (bool fast : {true, false}) {
    zhiping::EvalOptions options;
    options.fast_path = fast;
    options.limits.max_steps = 5;
    zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, R"({"a": 1, "b": 2})", options);
    REQUIRE(r.ok());
    REQUIRE(r.report.findings.size() == 1);
    CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
    options.limits.max_steps = 100;
    r = zhiping::evaluate_json_text(*loaded.policy, R"({"a": 1, "b": 2})", options);
    REQUIRE(r.report.findings.size() == 1);
    CHECK(r.report.findings[0].code == "SUM");
  }
}

TEST_CASE("a limit reached while writing a finding's message leaves only the error finding", "[fast]") {
  auto loaded = zhiping::load_policy_sources({{"mem/message.zp", R"zp(subject applicant
input { a: int }
rule LONG "long" { severity error cite "1" when a > 0 message "{a + a + a + a + a + a + a + a + a + a + a + a}" }
rule NEXT "next" { severity error cite "2" when a > 0 message "next" }
)zp"}});
  REQUIRE(loaded.ok());
  for (bool fast : {true, false}) {
    zhiping::EvalOptions options;
    options.fast_path = fast;
    options.limits.max_steps = 10;  // enough for the condition, not for the message
    zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, R"({"a": 1})", options);
    REQUIRE(r.ok());
    REQUIRE(r.report.findings.size() == 2);
    CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
    CHECK(r.report.findings[1].code == "NEXT");
  }
}

// Shared lets and tables are computed at load, and the fast path reads them as literals: each kind
// (int, date, bool, text, a table as a list) in conditions, arithmetic and outputs, against the
// tree-walker and against the values they must give.
TEST_CASE("fast path: lets computed at load are read as constants of every kind", "[fast]") {
  auto loaded = zhiping::load_policy_sources(
      {{"mem/shared.zp",
        "type Row { code: string\n limit: int }\n"
        "let base = 40\n"
        "let cutoff = date(\"2024-06-30\")\n"
        "let strict = true\n"
        "let series_name = \"中小学教师\"\n"
        "table rows: Row {\n | \"A\" | 3 |\n | \"B\" | 5 |\n}\n"},
       {"mem/p.zp",
        "subject s\n"
        "input { n: int\n at: date\n series: string }\n"
        "let doubled = base * 2\n"
        "rule BIG \"大\" { severity error\n cite \"1\"\n when strict && n + base > 100\n message \"{n}+{base}\" }\n"
        "rule LATE \"晚\" { severity warning\n cite \"2\"\n when at > cutoff\n message \"{at}\" }\n"
        "rule TEACHER \"师\" { severity info\n cite \"3\"\n when series == series_name\n message \"{series_name}\" }\n"
        "output total = n + base + doubled\n"
        "output rows_count = size(rows) + rows[1].limit\n"}});
  REQUIRE(loaded.ok());
  for (int n : {0, 59, 61, 200}) {
    for (const char* at : {"2024-06-30", "2024-07-01"}) {
      for (const char* series : {"中小学教师", "工程"}) {
        std::string json = "{\"n\": " + std::to_string(n) + ", \"at\": \"" + at + "\", \"series\": \"" + series + "\"}";
        INFO(json);
        const std::string fast = report_text(*loaded.policy, json, true);
        CHECK(fast == report_text(*loaded.policy, json, false));
        auto report = nlohmann::json::parse(fast);
        CHECK(report["values"]["total"] == n + 40 + 80);
        CHECK(report["values"]["rows_count"] == 2 + 5);
        std::string codes;
        for (auto& f : report["findings"]) codes += f["code"].get<std::string>() + " ";
        CHECK(codes == std::string(n + 40 > 100 ? "BIG " : "") + (std::string(at) > "2024-06-30" ? "LATE " : "") +
                           (std::string(series) == "中小学教师" ? "TEACHER " : ""));
      }
    }
  }
}

// A for-each rule's items run their compiled condition inline (Evaluator::run_condition with a kept
// environment). When the budget runs out in the middle of the list, the items before keep their
// findings and the rule ends with its one error finding, for every budget and on both paths (which
// count steps differently: the fast path charges a condition's nodes up front); a larger budget
// never finds less.
TEST_CASE("fast path: the step budget running out in the middle of a for-each", "[fast]") {
  auto loaded = zhiping::load_policy_sources({{"mem/each.zp", R"zp(subject applicant
input { xs: list<int> }
rule POSITIVE "positive" { severity error cite "1" for each x in xs when x > 0 message "{x}" }
)zp"}});
  REQUIRE(loaded.ok());
  const char* input = R"({"xs": [1, -2, 3, 4, -5, 6]})";
  const std::vector<std::string> all{"POSITIVE:xs[0]:1", "POSITIVE:xs[2]:3", "POSITIVE:xs[3]:4", "POSITIVE:xs[5]:6"};
  for (bool fast : {true, false}) {
    size_t stopped = 0, found_before = 0;
    for (int64_t budget = 1; budget <= 60; ++budget) {
      zhiping::EvalOptions options;
      options.fast_path = fast;
      options.limits.max_steps = budget;
      zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, input, options);
      REQUIRE(r.ok());
      std::vector<std::string> got;
      for (const auto& f : r.report.findings) got.push_back(f.code + ":" + f.item + (f.code == "POSITIVE" ? ":" + f.message : ""));
      INFO("fast " << fast << ", budget " << budget);
      const bool error = !got.empty() && got.back().rfind("EVALUATION-ERROR", 0) == 0;
      if (error) {
        ++stopped;
        got.pop_back();
      }
      REQUIRE(got.size() <= all.size());
      CHECK(std::equal(got.begin(), got.end(), all.begin()));
      CHECK(got.size() >= found_before);
      found_before = got.size();
      if (budget == 60) CHECK((got == all && !error));
    }
    CHECK(stopped > 3);  // the budget ran out at several places in the list
    // Items whose condition is false use up the budget too: no message is there to notice it.
    zhiping::EvalOptions options;
    options.fast_path = fast;
    options.limits.max_steps = 10;
    zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, R"({"xs": [-1, -2, -3, -4, -5, -6, -7, -8, -9]})", options);
    REQUIRE(r.report.findings.size() == 1);
    CHECK(r.report.findings[0].code == "EVALUATION-ERROR");
  }
}

// matches() has an unboxed form (the compiled pattern from the per-thread cache): a literal or a
// run-time pattern gives the tree-walker's answer, and an invalid pattern bails to the tree-walker,
// which reports it.
TEST_CASE("fast path: matches() with literal, run-time and invalid patterns", "[fast]") {
  auto loaded = zhiping::load_policy_sources({{"mem/re.zp", R"zp(subject applicant
input { s: string  p: string }
rule LIT "literal" { severity error cite "1" when !s.matches(r"\p{Han}+〔\d{4}〕\d+号") message "{s}" }
rule DYN "run-time" { severity error cite "2" when matches(s, p) message "{p}" }
)zp"}});
  REQUIRE(loaded.ok());
  struct Case { const char* input; std::vector<std::string> codes; };
  const Case cases[] = {
      {R"({"s": "郑教〔2023〕12号", "p": "^郑"})", {"DYN"}},
      {R"({"s": "郑教[2023]12号", "p": "^教"})", {"LIT"}},
      {R"({"s": "郑教〔2023〕12号", "p": "["})", {"EVALUATION-ERROR"}},
  };
  for (const Case& c : cases) {
    for (bool fast : {true, false}) {
      zhiping::EvalOptions options;
      options.fast_path = fast;
      zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, c.input, options);
      REQUIRE(r.ok());
      std::vector<std::string> codes;
      for (const auto& f : r.report.findings) codes.push_back(f.code);
      INFO(c.input << " fast " << fast);
      CHECK(codes == c.codes);
      if (c.codes[0] == "EVALUATION-ERROR") CHECK(r.report.findings[0].message.find("正则表达式无效") != std::string::npos);
    }
  }
}

// `!` of a comparison is folded into the opposite comparison, and `!` of an unboxed call into its
// negated form: every operator and kind, on operands less, equal and greater, against the
// tree-walker and against the truth they must give.
TEST_CASE("fast path: a negated comparison or call answers the opposite", "[fast]") {
  const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
  std::string policy = "subject applicant\ninput { a: int\n b: int\n da: date\n db: date\n sa: string\n sb: string }\n";
  for (int k = 0; k < 6; ++k) {
    policy += "rule I" + std::to_string(k) + " \"i\" { severity info cite \"1\" when !(a " + ops[k] + " b) message \"\" }\n";
    policy += "rule D" + std::to_string(k) + " \"d\" { severity info cite \"1\" when !(da " + ops[k] + " db) message \"\" }\n";
    policy += "rule S" + std::to_string(k) + " \"s\" { severity info cite \"1\" when !(sa " + ops[k] + " sb) message \"\" }\n";
  }
  policy += "rule CALL \"c\" { severity info cite \"1\" when !sa.endsWith(sb) message \"\" }\n";
  policy += "rule TWICE \"t\" { severity info cite \"1\" when !!sa.startsWith(sb) message \"\" }\n";
  auto loaded = zhiping::load_policy_sources({{"mem/not.zp", policy}});
  REQUIRE(loaded.ok());
  auto truth = [](int k, int c) {  // c: -1 less, 0 equal, 1 greater
    switch (k) {
      case 0: return c == 0;
      case 1: return c != 0;
      case 2: return c < 0;
      case 3: return c <= 0;
      case 4: return c > 0;
      default: return c >= 0;
    }
  };
  const char* dates[] = {"2024-01-01", "2024-06-30", "2024-12-31"};
  const char* texts[] = {"a", "b", "c"};
  for (int x = 0; x < 3; ++x) {
    for (int y = 0; y < 3; ++y) {
      const int c = x < y ? -1 : x > y ? 1 : 0;
      std::set<std::string> expected;
      for (int k = 0; k < 6; ++k) {
        if (!truth(k, c)) {
          for (const char* kind : {"I", "D", "S"}) expected.insert(kind + std::to_string(k));
        }
      }
      if (x != y) expected.insert("CALL");
      if (x == y) expected.insert("TWICE");
      const std::string input = "{\"a\": " + std::to_string(x) + ", \"b\": " + std::to_string(y) + ", \"da\": \"" + dates[x] +
                                "\", \"db\": \"" + dates[y] + "\", \"sa\": \"" + texts[x] + "\", \"sb\": \"" + texts[y] + "\"}";
      for (bool fast : {true, false}) {
        zhiping::EvalOptions options;
        options.fast_path = fast;
        zhiping::EvalResult r = zhiping::evaluate_json_text(*loaded.policy, input, options);
        REQUIRE(r.ok());
        std::set<std::string> codes;
        for (const auto& f : r.report.findings) codes.insert(f.code);
        INFO(input << " fast " << fast);
        CHECK(codes == expected);
      }
    }
  }
}

// Outputs of a bool, an int or a date computed by the compiled form are written into the report's
// JSON straight from the unboxed result (Evaluator::output_scalar); the rest take output_value. Both
// against the tree-walker and the expected values, with one result reused across records in which
// the outputs that have a value change (so a slot that held a date's text may get a number, and
// the other way round), an output that reads another, and outputs that bail (an overflow).
TEST_CASE("fast path: outputs of every scalar kind, into a reused report", "[fast][reuse]") {
  auto loaded = zhiping::load_policy_sources(
      {{"mem/out.zp",
        "subject s\n"
        "input { n: int\n at: date\n flag: bool }\n"
        "output maybe = at when flag\n"
        "output day = at\n"
        "output fee = 120 + 30 * n\n"
        "output twice = fee * 2\n"
        "output late = at > date(\"2024-06-30\")\n"
        "output due = later(at, date(\"2024-07-01\"))\n"
        "output shifted = add_days(at, n)\n"
        "output huge = n * 4611686018427387904\n"
        "output label = flag ? \"是\" : \"否\"\n"}});
  INFO(loaded.render_diagnostics());
  REQUIRE(loaded.ok());
  zhiping::EvalOptions fast, slow;
  fast.lang = slow.lang = zhiping::Lang::En;
  slow.fast_path = false;
  zhiping::EvalResult reused;
  for (int n : {0, 1, 2, 3, 40}) {
    for (const char* at : {"2024-06-30", "2024-07-01"}) {
      for (bool flag : {false, true}) {
        const std::string json = "{\"n\": " + std::to_string(n) + ", \"at\": \"" + at + "\", \"flag\": " + (flag ? "true" : "false") + "}";
        INFO(json);
        zhiping::evaluate_json_text(*loaded.policy, json, reused, fast);
        const zhiping::EvalResult fresh_slow = zhiping::evaluate_json_text(*loaded.policy, json, slow);
        REQUIRE(reused.ok());
        CHECK(reused.report.to_json() == fresh_slow.report.to_json());
        const zhiping::Report& r = reused.report;
        CHECK(*r.value("fee") == 120 + 30 * n);
        CHECK(*r.value("twice") == 2 * (120 + 30 * n));
        CHECK(*r.value("late") == (std::string(at) > "2024-06-30"));
        CHECK((r.value("maybe") != nullptr) == flag);
        if (flag) CHECK(*r.value("maybe") == at);
        CHECK(*r.value("day") == at);
        CHECK(*r.value("label") == (flag ? "是" : "否"));
        CHECK(*r.value("due") == "2024-07-01");
        // 2024-06-30 + n days, for the n above.
        const char* shifted = std::string(at) == "2024-06-30"
                                  ? (n == 0 ? "2024-06-30" : n == 1 ? "2024-07-01" : n == 2 ? "2024-07-02" : n == 3 ? "2024-07-03" : "2024-08-09")
                                  : (n == 0 ? "2024-07-01" : n == 1 ? "2024-07-02" : n == 2 ? "2024-07-03" : n == 3 ? "2024-07-04" : "2024-08-10");
        CHECK(*r.value("shifted") == shifted);
        // n * 2^62 overflows from n = 2: an error finding instead of a value, on both paths.
        CHECK((r.value("huge") != nullptr) == (n < 2));
        CHECK(r.findings.size() == (n < 2 ? 0u : 1u));
      }
    }
  }
}
