// Expression semantics through the public API (`zhiping::evaluate_expression`, what `zhiping eval`
// runs): CEL's error absorption by `&&` and `||`, checked integer arithmetic, the distinct numeric
// types, macros, maps, strings with Han characters, conversions, and the literal form of values.
#include <catch2/catch.hpp>

#include <string>

#include "interpreter/zhiping.hpp"

using zhiping::ExpressionResult;

namespace {

// One expression and what it must give: a value (its literal form, and the JSON type), an
// evaluation error or a compile error (a part of the English message).
struct EvalCase {
  const char* expr;
  ExpressionResult::Status status;
  const char* expected;      // the literal (Value) or a part of the error message (EvalError, CompileError)
  const char* json_type;     // for values: the "type" of the JSON form
  const char* bindings;      // a JSON object of variables
  bool check;
};

constexpr auto V = ExpressionResult::Value;
constexpr auto E = ExpressionResult::EvalError;
constexpr auto C = ExpressionResult::CompileError;

void run_cases(const EvalCase* cases, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const EvalCase& c = cases[i];
    auto bindings = nlohmann::json::parse(c.bindings ? c.bindings : "{}");
    auto r = zhiping::evaluate_expression(c.expr, bindings, c.check, zhiping::Lang::En);
    INFO("expr: " << c.expr << (c.check ? "" : " (--no-check)") << "\nliteral: " << r.literal << "\nerror: " << r.error
                  << "\njson: " << r.json.dump());
    CHECK(r.status == c.status);
    if (c.status == V) {
      CHECK(r.literal == c.expected);
      CHECK(r.json.value("type", "") == c.json_type);
      CHECK(r.error.empty());
    } else {
      CHECK(r.error.find(c.expected) != std::string::npos);
      REQUIRE(r.json.contains("error"));
      CHECK(r.json["error"].get<std::string>().find(c.expected) != std::string::npos);
      CHECK_FALSE(r.json.contains("value"));
    }
  }
}

}  // namespace

TEST_CASE("&& and || absorb errors in both directions, as in CEL", "[eval][logic]") {
  static const EvalCase cases[] = {
      {"false && (1/0 == 1)", V, "false", "bool", nullptr, true},
      {"(1/0 == 1) && false", V, "false", "bool", nullptr, true},
      {"true && (1/0 == 1)", E, "division by zero", nullptr, nullptr, true},
      {"(1/0 == 1) && true", E, "division by zero", nullptr, nullptr, true},
      {"true || (1/0 == 1)", V, "true", "bool", nullptr, true},
      {"(1/0 == 1) || true", V, "true", "bool", nullptr, true},
      {"false || (1/0 == 1)", E, "division by zero", nullptr, nullptr, true},
      {"(1/0 == 1) || false", E, "division by zero", nullptr, nullptr, true},
      // Two errors: the result is an error (either one).
      {"(1/0 == 1) || (1 % 0 == 1)", E, "by zero", nullptr, nullptr, true},
      // The conditional evaluates only the branch it takes; an erroneous condition is an error.
      {"true ? 1 : 1 / 0", V, "1", "int", nullptr, true},
      {"false ? 1 / 0 : 2", V, "2", "int", nullptr, true},
      {"(1/0 == 1) ? 1 : 2", E, "division by zero", nullptr, nullptr, true},
      {"!(1/0 == 1)", E, "division by zero", nullptr, nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("integer arithmetic is checked: overflow and division by zero are errors", "[eval][arith]") {
  static const EvalCase cases[] = {
      {"9223372036854775807 + 1", E, "overflow", nullptr, nullptr, true},
      {"9223372036854775807 * 2", E, "overflow", nullptr, nullptr, true},
      // -9223372036854775808 is one literal (the negation folds into it), so it is in range ...
      {"-9223372036854775808", V, "-9223372036854775808", "int", nullptr, true},
      // ... but one less, its negation, and the one division that overflows are not.
      {"-9223372036854775808 - 1", E, "overflow", nullptr, nullptr, true},
      {"-(-9223372036854775808)", E, "overflow", nullptr, nullptr, true},
      {"-9223372036854775808 / -1", E, "overflow", nullptr, nullptr, true},
      {"-9223372036854775808 % -1", E, "overflow", nullptr, nullptr, true},
      {"9223372036854775808", C, "out of the 64-bit range", nullptr, nullptr, true},
      {"0u - 1u", E, "overflow", nullptr, nullptr, true},
      {"18446744073709551615u + 1u", E, "overflow", nullptr, nullptr, true},
      {"18446744073709551616u", C, "out of the 64-bit range", nullptr, nullptr, true},
      {"2u * 3u", V, "6u", "uint", nullptr, true},
      {"1 / 0", E, "division by zero", nullptr, nullptr, true},
      {"1 % 0", E, "modulus by zero", nullptr, nullptr, true},
      {"1u / 0u", E, "division by zero", nullptr, nullptr, true},
      {"1u % 0u", E, "modulus by zero", nullptr, nullptr, true},
      // Integer division truncates toward zero, and the remainder has the dividend's sign.
      {"5 / 2", V, "2", "int", nullptr, true},
      {"-5 / 2", V, "-2", "int", nullptr, true},
      {"-5 % 3", V, "-2", "int", nullptr, true},
      // Doubles follow IEEE 754: no error, infinities and NaN.
      {"5.0 / 2.0", V, "2.5", "double", nullptr, true},
      {"1.0 / 0.0", V, "+infinity", "double", nullptr, true},
      {"-1.0 / 0.0", V, "-infinity", "double", nullptr, true},
      {"0.1 + 0.2", V, "0.30000000000000004", "double", nullptr, true},
      {"--1", V, "1", "int", nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("int, uint and double are distinct types; numbers compare across them", "[eval][numeric]") {
  // What Zhiping does (documented here): arithmetic never mixes numeric types — `1 + 1u` and
  // `1 + 1.0` are check errors, as in CEL. Equality and ordering of numbers compare the numeric
  // values across int, uint and double, as CEL's runtime does (heterogeneous equality), and the
  // checker allows it for scalars. Lists of different element types are not comparable when checked.
  static const EvalCase cases[] = {
      {"1 + 1u", C, "cannot be applied to int and uint", nullptr, nullptr, true},
      {"1 + 1.0", C, "cannot be applied to int and double", nullptr, nullptr, true},
      {"1 == 1u", V, "true", "bool", nullptr, true},
      {"1u == 1.0", V, "true", "bool", nullptr, true},
      {"1 < 1.5", V, "true", "bool", nullptr, true},
      {"1 in [1.0, 2.0]", V, "true", "bool", nullptr, true},
      {"dyn(1) == 1.0", V, "true", "bool", nullptr, true},
      {"[1, 2] == [1.0, 2.0]", C, "cannot be applied to list(int) and list(double)", nullptr, nullptr, true},
      {"type(1)", V, "int", "type", nullptr, true},
      {"type(1u)", V, "uint", "type", nullptr, true},
      {"type(1.0)", V, "double", "type", nullptr, true},
      {"type(1) == type(1u)", V, "false", "bool", nullptr, true},
      {"type(null)", V, "null_type", "type", nullptr, true},
      {"type(type(1))", V, "type", "type", nullptr, true},
      {"type(date(\"2024-01-01\"))", V, "date", "type", nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("macros evaluate every element and absorb errors like && and ||", "[eval][macros]") {
  static const EvalCase cases[] = {
      {"[1, 2, 3].all(x, x > 0)", V, "true", "bool", nullptr, true},
      // all: a false element decides, whatever errors other elements give; otherwise an error wins.
      {"[1, 0].all(x, x > 0 && 10 / x > 0)", V, "false", "bool", nullptr, true},
      {"[0, 1].all(x, 10 / x < 5)", V, "false", "bool", nullptr, true},
      {"[1, 2, 0].all(x, 10 / x > 0)", E, "division by zero", nullptr, nullptr, true},
      // exists: a true element decides; otherwise an error wins.
      {"[0, 1].exists(x, 10 / x == 10)", V, "true", "bool", nullptr, true},
      {"[0, 1].exists(x, 10 / x > 100)", E, "division by zero", nullptr, nullptr, true},
      {"[1, 2, 3].exists_one(x, x > 2)", V, "true", "bool", nullptr, true},
      {"[1, 2, 3].exists_one(x, x > 1)", V, "false", "bool", nullptr, true},
      {"[0, 1].exists_one(x, 1 / x == 1)", E, "division by zero", nullptr, nullptr, true},
      {"[1, 2, 3].map(x, x * 2)", V, "[2, 4, 6]", "list", nullptr, true},
      {"[1, 2, 3].map(x, x > 1, x * 10)", V, "[20, 30]", "list", nullptr, true},
      {"[1, 2, 3].filter(x, x % 2 == 1)", V, "[1, 3]", "list", nullptr, true},
      {"[1, 0].map(x, 1 / x)", E, "division by zero", nullptr, nullptr, true},
      {"[1, 0].filter(x, 1 / x == 1)", E, "division by zero", nullptr, nullptr, true},
      {"[].all(x, x)", V, "true", "bool", nullptr, true},
      {"[].exists(x, x)", V, "false", "bool", nullptr, true},
      // Over a map, the variable is each key.
      {"{\"a\": 1, \"b\": 2}.all(k, k.size() == 1)", V, "true", "bool", nullptr, true},
      {"{\"甲\": 1}.map(k, k + \"!\")", V, "[\"甲!\"]", "list", nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

// Operands that are locals are read in place, not copied; an operand evaluated after them (here a
// nested comprehension with variables of its own) must not disturb what was read.
TEST_CASE("locals read in place keep their values while the other operand is evaluated", "[eval][macros]") {
  static const EvalCase cases[] = {
      {"[1, 2, 3].map(x, x + [10, 20].map(y, y * x).size())", V, "[3, 4, 5]", "list", nullptr, true},
      {"[1, 2].all(x, x == [x].map(y, y + 0)[0])", V, "true", "bool", nullptr, true},
      {"[1, 2, 3].map(x, [5, 6].filter(y, y > x + 3).size() + x)", V, "[3, 3, 3]", "list", nullptr, true},
      {"[[1, 2], [3]].map(l, l.map(x, x * 10)[0] + l[0])", V, "[11, 33]", "list", nullptr, true},
      {"[\"a\", \"b\"].map(s, s + [\"x\"].map(t, t + s)[0])", V, "[\"axa\", \"bxb\"]", "list", nullptr, true},
      {"n + [1, 2].map(n2, n2 * n).size() == n + 2", V, "true", "bool", "{\"n\": 5}", true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("maps: has() tests a key, a missing key is an error", "[eval][maps]") {
  static const EvalCase cases[] = {
      {"has({\"a\": 1}.a)", V, "true", "bool", nullptr, true},
      {"has({\"a\": 1}.b)", V, "false", "bool", nullptr, true},
      {"has(x.y)", V, "true", "bool", R"({"x": {"y": null}})", true},
      {"{\"a\": 1}[\"b\"]", E, "no such key", nullptr, nullptr, true},
      {"{\"a\": 1}.b", E, "no such key", nullptr, nullptr, true},
      {"{\"a\": 1}[\"a\"]", V, "1", "int", nullptr, true},
      {"{\"a\": {\"b\": 2}}.a.b", V, "2", "int", nullptr, true},
      {"\"a\" in {\"a\": 1}", V, "true", "bool", nullptr, true},
      {"[1, 2][2]", E, "index out of range", nullptr, nullptr, true},
      {"[1, 2][-1]", E, "index out of range", nullptr, nullptr, true},
      {"x.y", V, "\"中\"", "string", R"({"x": {"y": "中"}})", true},
      {"x.z", E, "no such key", nullptr, R"({"x": {"y": "中"}})", true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("strings: sizes in code points, functions and matches() with Han characters", "[eval][strings]") {
  static const EvalCase cases[] = {
      {"size(\"中文字\")", V, "3", "int", nullptr, true},
      {"\"中文字\".size()", V, "3", "int", nullptr, true},
      {"size(\"𠀀a\")", V, "2", "int", nullptr, true},  // a character outside the BMP is one code point
      {"size(b\"中\")", V, "3", "int", nullptr, true},   // bytes count bytes
      {"\"张三丰\".matches(\"^张.丰$\")", V, "true", "bool", nullptr, true},  // `.` is one character, not one byte
      {"\"张三丰\".matches(\"^张..丰$\")", V, "false", "bool", nullptr, true},
      {"matches(\"郑州市2024年\", \"[0-9]{4}年\")", V, "true", "bool", nullptr, true},
      {"\"abc\".matches(\"[\")", E, "invalid regex", nullptr, nullptr, true},
      {"\"职称评审\".contains(\"评审\")", V, "true", "bool", nullptr, true},
      {"\"职称评审\".startsWith(\"职称\")", V, "true", "bool", nullptr, true},
      {"\"职称评审\".endsWith(\"职称\")", V, "false", "bool", nullptr, true},
      {"\"中\" + \"文\"", V, "\"中文\"", "string", nullptr, true},
      {"\"a\" < \"b\"", V, "true", "bool", nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("conversions and their errors", "[eval][conversions]") {
  static const EvalCase cases[] = {
      {"int(\"12\")", V, "12", "int", nullptr, true},
      {"int(\"1.5\")", E, "cannot convert", nullptr, nullptr, true},
      {"int(\"9223372036854775808\")", E, "cannot convert", nullptr, nullptr, true},
      {"int(1e19)", E, "range", nullptr, nullptr, true},
      {"int(2.7)", V, "2", "int", nullptr, true},     // truncation toward zero
      {"int(-2.7)", V, "-2", "int", nullptr, true},
      {"int(3u)", V, "3", "int", nullptr, true},
      {"int(18446744073709551615u)", E, "range", nullptr, nullptr, true},
      {"uint(-1)", E, "range", nullptr, nullptr, true},
      {"uint(3)", V, "3u", "uint", nullptr, true},
      {"uint(\"12\")", V, "12u", "uint", nullptr, true},
      {"double(3)", V, "3.0", "double", nullptr, true},
      {"double(\"abc\")", E, "cannot convert", nullptr, nullptr, true},
      {"string(1u)", V, "\"1\"", "string", nullptr, true},
      {"string(1.5)", V, "\"1.5\"", "string", nullptr, true},
      {"string(true)", V, "\"true\"", "string", nullptr, true},
      {"string(b\"abc\")", V, "\"abc\"", "string", nullptr, true},
      {"string(b\"\\xff\")", E, "UTF-8", nullptr, nullptr, true},
      {"date(\"2024-02-29\")", V, "date(\"2024-02-29\")", "date", nullptr, true},
      // An invalid date literal is found by the checker; a computed one is an evaluation error.
      {"date(\"2023-02-29\")", C, "\"2023-02-29\"", nullptr, nullptr, true},
      {"date(\"2024/02/29\")", C, "\"2024/02/29\"", nullptr, nullptr, true},
      {"date(x)", E, "\"2023-02-29\"", nullptr, R"({"x": "2023-02-29"})", true},
      {"date(x)", E, "\"2024/02/29\"", nullptr, R"({"x": "2024/02/29"})", true},
      {"date(x)", V, "date(\"2024-02-29\")", "date", R"({"x": "2024-02-29"})", true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("values print in expression-literal form", "[eval][literal]") {
  static const EvalCase cases[] = {
      {"3u", V, "3u", "uint", nullptr, true},
      {"\"a\"", V, "\"a\"", "string", nullptr, true},
      {"[1, 2.0]", V, "[1, 2.0]", "list", nullptr, true},
      {"1.5", V, "1.5", "double", nullptr, true},
      {"null", V, "null", "null_type", nullptr, true},
      {"b\"ab\"", V, "b\"ab\"", "bytes", nullptr, true},
      {"\"a\\\"b\\n中\"", V, "\"a\\\"b\\n中\"", "string", nullptr, true},   // escapes are re-escaped, Han kept
      {"r\"a\\n\"", V, "\"a\\\\n\"", "string", nullptr, true},
      {"{\"b\": 1, \"a\": [2u]}", V, "{\"b\": 1, \"a\": [2u]}", "map", nullptr, true},  // insertion order
      {"[1, \"a\", true, null, 2u, 1.5]", V, "[1, \"a\", true, null, 2u, 1.5]", "list", nullptr, true},
      {"date(\"2024-12-31\")", V, "date(\"2024-12-31\")", "date", nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);

  // The JSON form carries the type and the value.
  auto r = zhiping::evaluate_expression("3u", nlohmann::json::object(), true);
  CHECK(r.json == nlohmann::json{{"type", "uint"}, {"value", 3}});
  r = zhiping::evaluate_expression("[1, 2.0]", nlohmann::json::object(), true);
  CHECK(r.json.dump() == R"({"type":"list","value":[1,2.0]})");
}

TEST_CASE("bindings are variables; their types come from the JSON values", "[eval][bindings]") {
  static const EvalCase cases[] = {
      {"x + 1", V, "3", "int", R"({"x": 2})", true},
      {"x", V, "1.0", "double", R"({"x": 1.0})", true},
      {"x[1]", V, "2.5", "double", R"({"x": [1, 2.5]})", true},
      {"x", V, "\"2024-01-01\"", "string", R"({"x": "2024-01-01"})", true},  // a JSON string stays a string
      {"x + y", C, "cannot be applied to int and string", nullptr, R"({"x": 1, "y": "a"})", true},
      {"y", C, "unknown name", nullptr, R"({"x": 1})", true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("--no-check evaluates dynamically, as CEL does for unchecked expressions", "[eval][dynamic]") {
  static const EvalCase cases[] = {
      {"f_unknown(1) || true", V, "true", "bool", nullptr, false},
      {"true || f_unknown(1)", V, "true", "bool", nullptr, false},
      {"f_unknown(1) && false", V, "false", "bool", nullptr, false},
      {"f_unknown(1)", E, "unknown function", nullptr, nullptr, false},
      {"1 + \"a\"", E, "no such overload", nullptr, nullptr, false},
      {"y", E, "no such attribute", nullptr, nullptr, false},
      {"x + 1", V, "2", "int", R"({"x": 1})", false},
      // Checked, the same expressions are compile errors.
      {"f_unknown(1) || true", C, "unknown function `f_unknown`", nullptr, nullptr, true},
      {"1 + \"a\"", C, "cannot be applied to int and string", nullptr, nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

TEST_CASE("parse and check errors of a standalone expression", "[eval][errors]") {
  static const EvalCase cases[] = {
      {"1 +", C, "expected an operand", nullptr, nullptr, true},
      {"(1", C, "expected `)`", nullptr, nullptr, true},
      {"\"abc", C, "unterminated string", nullptr, nullptr, true},
      {"sise(\"a\")", C, "did you mean `size`?", nullptr, nullptr, true},
      {"\"a\".size(1)", C, "does not take (string, int)", nullptr, nullptr, true},
      {"1 2", C, "unexpected text after the expression", nullptr, nullptr, true},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);

  // The rendered error of a compile error has the position and a caret; messages are Chinese by default.
  auto r = zhiping::evaluate_expression("1 + yaer", R"({"year": 1})"_json, true);
  REQUIRE(r.status == C);
  CHECK(r.error.find("<expr>:1:5: 错误: 未知名称 `yaer`；是否想写 `year`？") != std::string::npos);
  CHECK(r.error.find("\n  1 + yaer\n      ^~~~\n") != std::string::npos);
  r = zhiping::evaluate_expression("1 / 0", nlohmann::json::object(), true);
  REQUIRE(r.status == E);
  CHECK(r.error.find("除数为零") != std::string::npos);
}

TEST_CASE("limits stop runaway expressions with an error, not a hang", "[eval][limits]") {
  zhiping::Limits limits;
  limits.max_steps = 10000;
  auto r = zhiping::evaluate_expression("range(0, 10000).map(i, range(0, 10000).map(j, i * j))", nlohmann::json::object(), true,
                                        zhiping::Lang::En, limits);
  CHECK(r.status == E);
  CHECK_FALSE(r.error.empty());
  r = zhiping::evaluate_expression("range(0, 10).map(i, i * 2)", nlohmann::json::object(), true, zhiping::Lang::En, limits);
  CHECK(r.status == V);
  CHECK(r.literal == "[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]");
}
