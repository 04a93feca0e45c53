// The domain library as the language offers it (stdlib/dates.cpp, calendar.cpp, identity.cpp,
// text.cpp): every function of docs/stdlib.md through the public API, the examples of DOMAIN.md,
// run-time errors and type errors at check time.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "interpreter/zhiping.hpp"

namespace {

enum class Expect { Value, EvalError, CompileError };

struct Case {
  const char* expr;
  Expect expect;
  const char* text;  // the value literal, or a substring of the error
};

constexpr Expect V = Expect::Value;
constexpr Expect E = Expect::EvalError;
constexpr Expect C = Expect::CompileError;

const Case kCases[] = {
    // ---- date(string), parts, comparisons
    {R"(date("2024-12-31"))", V, R"(date("2024-12-31"))"},
    {R"(date("2024-02-29"))", V, R"(date("2024-02-29"))"},
    // A computed string is checked at run time; a literal one at load (the next case).
    {R"(date("2023-02-" + "29"))", E, "无效的日期“2023-02-29”"},
    {R"(date("2023-02-29"))", C, "不是有效的日期"},
    {R"(date("2024-2-1"))", C, "YYYY-MM-DD"},
    {R"(date(" 2024-01-01"))", C, "不是有效的日期"},
    {R"(date(""))", C, "不是有效的日期"},
    {R"(date("2024-" + "2-1"))", E, "YYYY-MM-DD"},
    {R"(date(date("2024-01-01")))", V, R"(date("2024-01-01"))"},
    {R"(string(date("2024-03-05")))", V, R"("2024-03-05")"},
    {R"(date("2024-03-05").year())", V, "2024"},
    {R"(date("2024-03-05").month())", V, "3"},
    {R"(date("2024-03-05").day())", V, "5"},
    {R"(date("2024-01-01") < date("2024-01-02"))", V, "true"},
    {R"(date("2024-01-02") >= date("2024-01-02"))", V, "true"},
    {R"(date("2024-01-01") == date("2024-01-01"))", V, "true"},
    {R"(date("2024-01-01") != date("2024-01-02"))", V, "true"},
    {R"(date("2024-01-05") in [date("2024-01-05")])", V, "true"},
    {R"(max([date("2024-01-05"), date("2023-01-05")]))", V, R"(date("2024-01-05"))"},
    {R"(date(20240101))", C, "date"},
    {R"(date("2024-01-01") < 1)", C, "<"},
    {R"(date("2024-01-01").year(1))", C, "year"},
    {R"(year(date("2024-01-01")))", C, "year"},

    // ---- year bounds
    {"year_start(2024)", V, R"(date("2024-01-01"))"},
    {"year_end(2020)", V, R"(date("2020-12-31"))"},
    {R"(year_end(2020) == date("2020-12-31"))", V, "true"},
    {"year_end(10000)", E, "年份 10000 超出支持范围"},
    {"year_start(0)", E, "年份 0 超出支持范围"},
    {R"(year_end("2020"))", C, "year_end"},

    // ---- arithmetic with the end-of-month clamp
    {R"(add_years(date("2020-02-29"), 1))", V, R"(date("2021-02-28"))"},
    {R"(add_years(date("2020-02-29"), 4))", V, R"(date("2024-02-29"))"},
    {R"(add_months(date("2024-01-31"), 1))", V, R"(date("2024-02-29"))"},
    {R"(add_months(date("2024-03-31"), -1))", V, R"(date("2024-02-29"))"},
    {R"(add_days(date("2024-02-28"), 2))", V, R"(date("2024-03-01"))"},
    {R"(add_days(date("2024-01-01"), -1))", V, R"(date("2023-12-31"))"},
    {R"(add_days(date("9999-12-31"), 1))", E, "超出支持的日期范围"},
    {R"(add_years(date("0001-01-01"), -1))", E, "超出支持的日期范围"},
    {"add_days(1, 2)", C, "add_days"},
    {R"(add_months(date("2024-01-01"), 1.5))", C, "add_months"},

    // ---- distances
    {R"(days_between(date("2024-01-01"), date("2024-01-02")))", V, "1"},
    {R"(days_between(date("2024-12-31"), date("2024-01-01")))", V, "-365"},
    {R"(months_between(date("2024-01-31"), date("2024-02-29")))", V, "0"},
    {R"(months_between(date("2024-01-31"), date("2024-03-01")))", V, "1"},
    {R"(years_between(date("2000-02-29"), date("2001-02-28")))", V, "0"},
    {R"(years_between(date("2000-02-29"), date("2001-03-01")))", V, "1"},
    {R"(years_between(date("2001-03-01"), date("2000-02-29")))", V, "-1"},
    {R"(years_between(date("2000-01-01"), 2024))", C, "years_between"},

    // ---- later / earlier
    {R"(later(date("2020-01-01"), date("2019-06-30")))", V, R"(date("2020-01-01"))"},
    {R"(earlier(date("2020-01-01"), date("2019-06-30")))", V, R"(date("2019-06-30"))"},
    {R"(later(date("2020-01-01"), date("2020-01-01")))", V, R"(date("2020-01-01"))"},

    // ---- tenure (notice 二（二）5)
    {R"(tenure_met(date("2020-12-31"), 2024, 4))", V, "true"},
    {R"(tenure_met(date("2021-01-01"), 2024, 4))", V, "false"},
    {R"(tenure_met(date("2020-01-01"), 2024, 0))", V, "true"},
    {R"(tenure_met(date("2024-12-31"), 2024, 0))", V, "true"},
    {R"(tenure_met(date("2020-12-31"), 10000, 4))", E, "超出支持范围"},
    {R"(tenure_years(date("2020-12-31"), 2024))", V, "4"},
    {R"(tenure_years(date("2021-01-01"), 2024))", V, "3"},
    {R"(tenure_years(date("2020-01-01"), 2024))", V, "4"},
    {R"(tenure_met(date("2020-12-31"), "2024", 4))", C, "tenure_met"},

    // ---- retirement: every example of DOMAIN.md
    {R"(retirement_date(date("1964-12-15"), "male"))", V, R"(date("2024-12-15"))"},
    {R"(retirement_age_months(date("1964-12-15"), "male"))", V, "720"},
    {R"(retirement_date(date("1965-01-10"), "male"))", V, R"(date("2025-02-10"))"},
    {R"(retirement_age_months(date("1965-01-10"), "male"))", V, "721"},
    {R"(retirement_date(date("1965-05-10"), "male"))", V, R"(date("2025-07-10"))"},
    {R"(retirement_age_months(date("1965-05-10"), "male"))", V, "722"},
    {R"(retirement_date(date("1971-04-01"), "female_55"))", V, R"(date("2026-08-01"))"},
    {R"(retirement_age_months(date("1971-04-01"), "female_55"))", V, "664"},
    {R"(retirement_date(date("1995-12-01"), "female_50"))", V, R"(date("2050-12-01"))"},
    {R"(retirement_age_months(date("1995-12-01"), "female_50"))", V, "660"},
    // the last births under the old ages, and the first under the new rule
    {R"(retirement_age_months(date("1969-12-31"), "female_55"))", V, "660"},
    {R"(retirement_age_months(date("1970-01-01"), "female_55"))", V, "661"},
    {R"(retirement_age_months(date("1974-12-31"), "female_50"))", V, "600"},
    {R"(retirement_age_months(date("1975-01-01"), "female_50"))", V, "601"},
    {R"(retirement_date(date("1974-12-31"), "female_50"))", V, R"(date("2024-12-31"))"},
    // caps: men 36 months (63), women 55 36 months (58), women 50 60 months (55)
    {R"(retirement_age_months(date("1976-12-01"), "male"))", V, "756"},
    {R"(retirement_age_months(date("1990-06-01"), "male"))", V, "756"},
    {R"(retirement_age_months(date("1981-12-01"), "female_55"))", V, "696"},
    {R"(retirement_age_months(date("2000-01-01"), "female_55"))", V, "696"},
    {R"(retirement_age_months(date("1984-12-01"), "female_50"))", V, "660"},
    {R"(retirement_age_months(date("1984-10-01"), "female_50"))", V, "659"},
    {R"(retirement_date(date("1990-06-15"), "male"))", V, R"(date("2053-06-15"))"},
    // the day clamps to the retirement month's length
    {R"(retirement_date(date("1976-08-31"), "male"))", V, R"(date("2039-07-31"))"},
    {R"(retirement_date(date("1965-05-31"), "male"))", V, R"(date("2025-07-31"))"},
    {R"(retirement_date(date("1965-01-31"), "male"))", V, R"(date("2025-02-28"))"},
    {R"(retirement_date(date("1966-01-31"), "male"))", V, R"(date("2026-05-31"))"},
    {R"(retirement_date(date("9990-01-01"), "male"))", E, "超出支持的日期范围"},
    {R"(retirement_date(date("1965-05-10"), "female"))", E, R"("male")"},
    {R"(retirement_age_months(date("1965-05-10"), "女"))", E, R"("female_50")"},
    {R"(retirement_date("1965-05-10", "male"))", C, "retirement_date"},

    // ---- resident ID numbers: every example of DOMAIN.md
    {R"(id_valid("11010519491231002X"))", V, "true"},
    {R"(id_valid("440524188001010014"))", V, "true"},
    {R"(id_valid("34052419800101001X"))", V, "true"},
    {R"(id_valid("11010519491231002x"))", V, "true"},
    {R"(id_gender("11010519491231002X"))", V, R"("female")"},
    {R"(id_gender("440524188001010014"))", V, R"("male")"},
    {R"(id_gender("34052419800101001X"))", V, R"("male")"},
    {R"(id_birth_date("11010519491231002X"))", V, R"(date("1949-12-31"))"},
    {R"(id_birth_date("440524188001010014"))", V, R"(date("1880-01-01"))"},
    {R"(id_birth_date("34052419800101001X"))", V, R"(date("1980-01-01"))"},
    {R"(id_problem("11010519491231002X"))", V, R"("")"},
    {R"(id_valid("110105491231002"))", V, "false"},
    {R"(id_problem("110105491231002"))", V, R"("旧版15位身份证号，请使用18位号码")"},
    {R"(id_valid("110105194912310021"))", V, "false"},
    {R"(id_problem("110105194912310021").contains("校验码"))", V, "true"},
    {R"(id_problem("11010519491331002X").contains("不是有效日期"))", V, "true"},
    {R"(id_problem("99010519491231002X").contains("行政区划"))", V, "true"},
    {R"(id_problem("").size() > 0)", V, "true"},
    {R"(id_problem("1101051949123100"))", V, R"("身份证号为 16 位，应为 18 位")"},
    {R"(id_birth_date("110105194912310021"))", E, "身份证号无效：身份证号校验码错误"},
    {R"(id_gender("110105491231002"))", E, "旧版15位"},
    {R"(id_valid(110105194912310021))", C, "id_valid"},

    // ---- document numbers
    {R"(has_doc_number("根据郑教〔2023〕15号文件"))", V, "true"},
    {R"(has_doc_number("豫人社规〔2022〕6号"))", V, "true"},
    {R"(has_doc_number("郑教【2023】15号"))", V, "true"},
    {R"(has_doc_number("郑教（2023）15号"))", V, "true"},
    {R"(has_doc_number("郑教(2023)15号"))", V, "true"},
    {R"(has_doc_number("郑教[2023]15号"))", V, "true"},
    {R"(has_doc_number("郑教［2023］15号"))", V, "true"},
    {R"(has_doc_number("郑教〖2023〗15号"))", V, "true"},
    {R"(has_doc_number("郑教〔2023〕15號"))", V, "true"},
    {R"(has_doc_number("郑教〔23〕15号"))", V, "false"},
    {R"(has_doc_number("郑教〔2023〕号"))", V, "false"},
    {R"(has_doc_number("没有文号"))", V, "false"},
    {R"(doc_numbers("郑教〔2023〕15号"))", V,
     R"([DocNumber{agency: "郑教", year: 2023, serial: 15, text: "郑教〔2023〕15号", canonical: true}])"},
    {R"(doc_numbers("豫人社规【2022】06號")[0].canonical)", V, "false"},
    {R"(doc_numbers("豫人社规【2022】06號")[0].serial)", V, "6"},
    {R"(doc_numbers("豫人社规〔2022〕6号、郑教〔2023〕15号").map(d, d.year))", V, "[2022, 2023]"},
    {R"(doc_numbers("豫人社规〔2022〕6号、郑教〔2023〕15号")[1].agency)", V, R"("郑教")"},
    {R"(doc_numbers("无"))", V, "[]"},
    {R"(size(doc_numbers("无")))", V, "0"},
    {R"(doc_numbers("郑教〔2023〕15号")[0].year + 1)", V, "2024"},
    {R"(doc_numbers("郑教〔2023〕15号")[0].number)", C, "number"},
    {R"(doc_numbers("郑教〔2023〕15号")[0].year + "x")", C, "+"},
    {R"(has_doc_number(1))", C, "has_doc_number"},

    // ---- strings and files
    {R"(trim("  a b  "))", V, R"("a b")"},
    {"trim(\"\u3000张三\u3000\")", V, R"("张三")"},
    {"trim(\"\\t x\\n\")", V, R"("x")"},
    {R"(trim(""))", V, R"("")"},
    {R"(has_extension("a.PDF", ".pdf"))", V, "true"},
    {R"(has_extension("a.pdf", "PDF"))", V, "true"},
    {R"(has_extension("a.pdf", ".doc"))", V, "false"},
    {R"(has_extension("apdf", ".pdf"))", V, "false"},
    {R"(has_extension("a.pdf", ""))", V, "false"},
    {R"(file_stem("论文.pdf"))", V, R"("论文")"},
    {R"(file_stem("a.b.pdf"))", V, R"("a.b")"},
    {R"(file_stem("readme"))", V, R"("readme")"},
    {R"(file_stem(".profile"))", V, R"(".profile")"},
    {R"(file_stem("dir.d/file"))", V, R"("dir.d/file")"},
    {R"(name_mentions("张三-学历证书.pdf", "学历"))", V, "true"},
    {R"(name_mentions("张三-学历证书.pdf", "职称"))", V, "false"},
    {R"(name_mentions("张三-证书.pdf", "pdf"))", V, "false"},
    {R"(name_mentions("a.pdf", ""))", V, "true"},
    {R"(annual_review_years("2020-2023年度考核表.pdf"))", V, "[2020, 2023]"},
    {R"(annual_review_years("2023年度考核表.pdf"))", V, "[2023, 2023]"},
    {R"(annual_review_years("2023年度考核表.PDF"))", V, "[2023, 2023]"},
    {R"(annual_review_years("2023-2020年度考核表.pdf"))", V, "[]"},
    {R"(annual_review_years("考核表.pdf"))", V, "[]"},
    {R"(annual_review_years("2020-2023年度考核表.pdf")[1] - annual_review_years("2020-2023年度考核表.pdf")[0])", V, "3"},
    {R"(trim(1))", C, "trim"},
    {R"(has_extension("a.pdf"))", C, "has_extension"},
};

const char* expect_name(Expect e) {
  return e == Expect::Value ? "value" : e == Expect::EvalError ? "evaluation error" : "compile error";
}

}  // namespace

TEST_CASE("stdlib bindings: each function through the language", "[stdlib][bindings]") {
  for (const Case& c : kCases) {
    INFO("expression: " << c.expr << "\nexpected " << expect_name(c.expect) << ": " << c.text);
    auto r = zhiping::evaluate_expression(c.expr, nlohmann::json::object(), true);
    INFO("got status " << static_cast<int>(r.status) << ", literal " << r.literal << ", error " << r.error);
    switch (c.expect) {
      case Expect::Value:
        REQUIRE(r.status == zhiping::ExpressionResult::Value);
        CHECK(r.literal == c.text);
        break;
      case Expect::EvalError:
        REQUIRE(r.status == zhiping::ExpressionResult::EvalError);
        CHECK(r.error.find(c.text) != std::string::npos);
        break;
      case Expect::CompileError:
        REQUIRE(r.status == zhiping::ExpressionResult::CompileError);
        CHECK(r.error.find(c.text) != std::string::npos);
        break;
    }
  }
}

TEST_CASE("stdlib bindings: English error messages", "[stdlib][bindings]") {
  const std::pair<const char*, const char*> cases[] = {
      {R"(date("2023-02-" + "29"))", "invalid date \"2023-02-29\""},
      {"year_end(0)", "year 0 is outside the supported range"},
      {R"(add_days(date("9999-12-31"), 1))", "outside the supported dates"},
      {R"(retirement_date(date("1970-01-01"), "x"))", "expected \"male\""},
      {R"(id_birth_date("110105491231002"))", "invalid resident ID number: a legacy 15-digit"},
  };
  for (auto& [expr, want] : cases) {
    auto r = zhiping::evaluate_expression(expr, nlohmann::json::object(), true, zhiping::Lang::En);
    INFO(expr << " -> " << r.error);
    REQUIRE(r.status == zhiping::ExpressionResult::EvalError);
    CHECK(r.error.find(want) != std::string::npos);
  }
}

namespace {

// A policy with a calendar of one year: 2024-10-01..07 off, 09-29 (Sunday) and 10-12 (Saturday)
// make-up working days. `n` counts, `w` asks, `a` adds; all three take the input date `d`.
const char* kCalendarPolicy = R"zp(calendar mainland "中国大陆工作日历" {
  years 2024..2024
  off 2024-10-01..2024-10-07
  work 2024-09-29, 2024-10-12
}
)zp";
// `subject` must open its file, so the calendar (a shared declaration) lives in a file of its own.
const char* kSubjectPolicy = R"zp(subject s
input { d: date  e: date = date("2024-10-08")  ends: string = "()"  k: int = 1 }
output n = mainland.working_days(date("2024-09-26"), d, "()")
output m = mainland.working_days(d, e, ends)
output w = mainland.is_working_day(d)
output a = mainland.add_working_days(d, k)
)zp";

std::shared_ptr<const zhiping::Policy> calendar_policy() {
  static auto loaded = zhiping::load_policy_sources({{"calendar.zp", kCalendarPolicy}, {"s.zp", kSubjectPolicy}});
  INFO(loaded.render_diagnostics());
  REQUIRE(loaded.ok());
  return loaded.policy;
}

// The value of an output, or the text of the evaluation error that stands for it.
std::string output(const nlohmann::json& input, const char* name) {
  auto result = zhiping::evaluate_json(*calendar_policy(), input);
  INFO(input.dump() << ": " << result.input_error);
  REQUIRE(result.ok());
  if (const nlohmann::json* v = result.report.value(name)) return v->dump();
  std::string all;
  for (auto& f : result.report.findings)
    if (f.item == name) all += f.message + "\n";
  return "error: " + all;
}

}  // namespace

TEST_CASE("stdlib bindings: calendar queries in a policy", "[stdlib][bindings][calendar]") {
  using nlohmann::json;
  // 09-27 (Fri), 09-29 (Sun, make-up), 09-30 (Mon): 3 working days strictly between 09-26 and 10-08.
  CHECK(output({{"d", "2024-10-08"}}, "n") == "3");
  CHECK(output({{"d", "2024-09-26"}}, "n") == "0");
  // Reversed: the count is negated.
  CHECK(output({{"d", "2024-09-20"}}, "n") == "-3");

  // The four ends, from 09-30 (working) to 10-08 (working): strictly between nothing is working.
  CHECK(output({{"d", "2024-09-30"}, {"ends", "()"}}, "m") == "0");
  CHECK(output({{"d", "2024-09-30"}, {"ends", "[)"}}, "m") == "1");
  CHECK(output({{"d", "2024-09-30"}, {"ends", "(]"}}, "m") == "1");
  CHECK(output({{"d", "2024-09-30"}, {"ends", "[]"}}, "m") == "2");
  CHECK(output({{"d", "2024-10-08"}, {"ends", "[]"}}, "m") == "1");
  std::string bad = output({{"d", "2024-09-30"}, {"ends", "[["}}, "m");
  CHECK(bad.find("error") == 0);
  for (const char* choice : {"\"()\"", "\"(]\"", "\"[)\"", "\"[]\""}) CHECK(bad.find(choice) != std::string::npos);

  CHECK(output({{"d", "2024-09-29"}}, "w") == "true");   // Sunday, make-up day
  CHECK(output({{"d", "2024-10-01"}}, "w") == "false");  // National Day
  CHECK(output({{"d", "2024-10-05"}}, "w") == "false");
  CHECK(output({{"d", "2024-10-12"}}, "w") == "true");   // Saturday, make-up day
  CHECK(output({{"d", "2024-10-13"}}, "w") == "false");  // Sunday
  CHECK(output({{"d", "2024-10-14"}}, "w") == "true");   // Monday

  CHECK(output({{"d", "2024-09-30"}}, "a") == "\"2024-10-08\"");
  CHECK(output({{"d", "2024-09-30"}, {"k", 2}}, "a") == "\"2024-10-09\"");
  CHECK(output({{"d", "2024-10-08"}, {"k", -1}}, "a") == "\"2024-09-30\"");
  CHECK(output({{"d", "2024-10-05"}, {"k", 0}}, "a") == "\"2024-10-08\"");
  CHECK(output({{"d", "2024-10-08"}, {"k", 0}}, "a") == "\"2024-10-08\"");

  // Outside the calendar's years: an error with the domain library's message, never a guess.
  std::string outside = output({{"d", "2025-01-02"}}, "w");
  CHECK(outside.find("2025-01-02") != std::string::npos);
  CHECK(outside.find("mainland") != std::string::npos);
  CHECK(output({{"d", "2024-12-31"}, {"k", 1}}, "a").find("error") == 0);
  CHECK(output({{"d", "2025-03-01"}}, "n").find("error") == 0);
  // Nothing to count needs no coverage.
  CHECK(output({{"d", "2024-12-31"}, {"e", "2024-12-31"}, {"ends", "()"}}, "m") == "0");
}

TEST_CASE("stdlib bindings: calendar functions are typed", "[stdlib][bindings][calendar]") {
  auto load = [](const std::string& out) {
    std::string text = "subject s\ninput { d: date }\noutput x = " + out + "\n";
    return zhiping::load_policy_sources({{"c.zp", "calendar c { years 2024..2024 }\n"}, {"s.zp", text}});
  };
  CHECK(load("c.is_working_day(d)").ok());
  CHECK(load("c.working_days(d, d, \"[]\")").ok());
  CHECK(load("c.add_working_days(d, 3)").ok());
  CHECK_FALSE(load("c.is_working_day(\"2024-01-01\")").ok());
  CHECK_FALSE(load("c.working_days(d, d)").ok());
  CHECK_FALSE(load("c.add_working_days(d, d)").ok());
  CHECK_FALSE(load("is_working_day(c, d)").ok());
  CHECK_FALSE(load("d.is_working_day(d)").ok());
}
