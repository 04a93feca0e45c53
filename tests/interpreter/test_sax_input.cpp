// The SAX fast path (JSON text straight into typed slots) must give exactly what the DOM path gives:
// the same reports for valid records and the same input errors for invalid ones.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "interpreter/input.hpp"
#include "interpreter/program.hpp"
#include "interpreter/zhiping.hpp"

namespace {
std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Evaluates the text both ways and requires identical results.
void require_same(const zhiping::Policy& policy, const std::string& text, const std::string& subject) {
  zhiping::EvalOptions options;
  options.subject = subject;
  zhiping::EvalResult fast = zhiping::evaluate_json_text(policy, text, options);
  zhiping::EvalResult dom;
  nlohmann::json j;
  bool parsed = true;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception&) {
    parsed = false;
  }
  INFO(text.substr(0, 300));
  if (!parsed) {
    CHECK_FALSE(fast.ok());
    return;
  }
  dom = zhiping::evaluate_json(policy, j, options);
  REQUIRE(fast.ok() == dom.ok());
  if (fast.ok()) CHECK(fast.report.to_json() == dom.report.to_json());
  else CHECK(fast.input_error == dom.input_error);
}
}  // namespace

TEST_CASE("SAX input conversion matches the DOM path on every Zhengzhou example", "[input][sax]") {
  auto loaded = zhiping::load_policy(std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024");
  REQUIRE(loaded.ok());
  int n = 0;
  for (auto& entry : std::filesystem::directory_iterator(std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024/examples")) {
    std::string name = entry.path().filename().string();
    std::string subject = name.rfind("committee", 0) == 0 ? "committee" : "applicant";
    std::string text = read_all(entry.path());
    require_same(*loaded.policy, text, subject);
    ++n;
  }
  CHECK(n >= 15);
}

TEST_CASE("SAX input conversion reports invalid input exactly as the DOM path", "[input][sax]") {
  auto loaded = zhiping::load_policy_sources({{"p.zp",
                                               "subject s\n"
                                               "type E { level: \"本科\" | \"硕士研究生\"  graduated?: date }\n"
                                               "input { year: int  flag: bool = false  name?: string  scores: list<int>\n"
                                               "        education: list<E>  extra?: map<string, dyn>  ratio?: double }\n"
                                               "output n = size(scores) + size(education)\n"}});
  REQUIRE(loaded.ok());
  const char* cases[] = {
      R"({"year": 2024, "scores": [1, 2], "education": []})",
      R"({"year": 2024, "scores": [], "education": [{"level": "本科", "graduated": "2020-07-01"}], "unknown": {"a": [1, {"b": null}]}})",
      R"({"year": 2024, "scores": [], "education": [], "extra": {"a": [1, "x", null, 2.5, {"k": true}]}, "ratio": 3})",
      R"({"year": 2024, "flag": null, "name": null, "scores": [], "education": []})",
      R"({"year": "2024", "scores": [], "education": []})",
      R"({"scores": [], "education": []})",
      R"({"year": 2024, "scores": [1, "2"], "education": []})",
      R"({"year": 2024, "scores": [], "education": [{"level": "大学", "graduated": "2020/07"}]})",
      R"({"year": 2024.5, "scores": [], "education": []})",
      R"({"year": 18446744073709551615, "scores": [], "education": []})",
      R"([1, 2, 3])",
      R"({"year": 2024, "scores": [], "education": [] )",
      R"({"year": 2024, "scores": null, "education": []})",
  };
  for (const char* c : cases) require_same(*loaded.policy, c, "s");
}

// The conversion keeps its frames per thread from record to record; a scan that stopped deep
// inside a record (a schema mismatch) must leave nothing behind for the next record.
TEST_CASE("SAX input conversion after a record that stopped deep inside gives the right values", "[input][sax]") {
  auto loaded = zhiping::load_policy_sources({{"p.zp",
                                               "subject s\n"
                                               "type Item { name: string\n tags: list<string> }\n"
                                               "input { items: list<Item>\n n: int }\n"
                                               "output names = items.map(i, i.name + ':' + string(size(i.tags)))\n"
                                               "output total = n\n"}});
  REQUIRE(loaded.ok());
  const auto& policy = *loaded.policy;
  for (int round = 0; round < 3; ++round) {
    // Stops inside items[1].tags (a number where a string is expected), three frames deep.
    auto bad = zhiping::evaluate_json_text(policy, R"({"items": [{"name": "a", "tags": ["x"]}, {"name": "b", "tags": ["y", 7]}], "n": 1})");
    CHECK_FALSE(bad.ok());
    CHECK(bad.input_error.find("$.items[1].tags[1]") != std::string::npos);
    auto good = zhiping::evaluate_json_text(policy, R"({"n": 2, "items": [{"tags": ["p", "q"], "name": "c"}]})");
    REQUIRE(good.ok());
    CHECK(good.report.to_json()["values"]["names"] == nlohmann::json::array({"c:2"}));
    CHECK(good.report.to_json()["values"]["total"] == 2);
    require_same(policy, R"({"items": [], "n": 3})", "s");
  }
}

// Keys in the declared order are taken by one comparison with the expected field name (the scanner's
// key hint); every other spelling of a key must still be scanned and matched as before.
TEST_CASE("SAX input conversion reads keys in any order and spelling, as the DOM path does", "[input][sax]") {
  auto loaded = zhiping::load_policy_sources({{"p.zp",
                                               "subject s\n"
                                               "input { name: string\n names?: string\n 姓名?: string\n n: int }\n"
                                               "output shown = name + '|' + (has(names) ? names : '-') + '|' + (has(姓名) ? 姓名 : '-')\n"
                                               "output total = n\n"}});
  REQUIRE(loaded.ok());
  const char* cases[] = {
      R"({"name": "a", "names": "b", "姓名": "c", "n": 1})",     // declared order: every key hinted
      R"({"n": 1, "姓名": "c", "names": "b", "name": "a"})",     // reversed
      R"({"names": "b", "name": "a", "n": 1})",                 // "names" where "name" is expected
      R"({"nam": "x", "name": "a", "n": 1})",                   // a prefix of the expected key: unknown
      R"({"n\u0061me": "a", "n": 1})",                           // an escaped spelling of "name"
      R"({"name": "a", "name": "z", "n": 1})",                  // a repeated key: the last one counts
      R"({"name": "a", "n": 1, "\u59d3\u540d": "c"})",          // escaped Chinese key
      R"({"name": "a", "n": 1, "姓名" : "c" })",                 // white space around the colon
      R"({"name": "a", "n)",                                    // cut off inside a key
      R"({"name": "a", "n": 1, "姓名)",                          // cut off inside a Chinese key
      R"({"name": "a", "n" 1})",                                // no colon
      R"({"name::"a", "n": 1})",                                // the expected key, but not closed there
      R"({"name": "a"})",                                       // a required field missing
  };
  for (const char* c : cases) require_same(*loaded.policy, c, "s");
  auto ordered = zhiping::evaluate_json_text(*loaded.policy, cases[0]);
  REQUIRE(ordered.ok());
  CHECK(ordered.report.to_json()["values"]["shown"] == "a|b|c");
  auto escaped = zhiping::evaluate_json_text(*loaded.policy, cases[4]);
  REQUIRE(escaped.ok());
  CHECK(escaped.report.to_json()["values"]["shown"] == "a|-|-");
}

// An enum field does not get a string of its own: both conversions hand out the program's value, so
// a record costs no memory for it (prepared records share it with the program they keep alive).
TEST_CASE("enum fields hold the program's own value, on both conversion paths", "[input][sax]") {
  auto loaded = zhiping::load_policy_sources({{"p.zp",
                                               "subject s\n"
                                               "type Item { kind: \"proof\" \"清样稿\" | \"certificate\" }\n"
                                               "input { items: list<Item>\n g: \"male\" | \"female\" }\n"
                                               "output kinds = items.map(i, i.kind)\n"}});
  REQUIRE(loaded.ok());
  const zhiping::Program& program = loaded.policy->program();
  const zhiping::Type* type = program.subject("s")->input_type;
  const std::string text = R"({"items": [{"kind": "certificate"}, {"kind": "proof"}], "g": "female"})";
  zhiping::ValueArena arena;
  zhiping::ArenaScope scope(&arena);
  zhiping::Value by_text, by_dom;
  REQUIRE(zhiping::json_text_to_value(text, type, program, 64, by_text));
  std::vector<zhiping::InputProblem> problems;
  by_dom = zhiping::json_to_value(nlohmann::json::parse(text), type, program, "$", problems);
  REQUIRE(problems.empty());
  for (const zhiping::Value* v : {&by_text, &by_dom}) {
    const auto& items = v->rec().fields[0].items();
    const zhiping::Value& g = v->rec().fields[1];
    CHECK(g.str() == "female");
    CHECK(items[0].rec().fields[0].str() == "certificate");
    CHECK(items[1].rec().fields[0].str() == "proof");
    const zhiping::EnumType* kind = items[0].rec().type->fields[0].type->enumeration;
    CHECK(items[0].rec().fields[0].object == program.enum_value(kind, "certificate")->object);
    CHECK(items[1].rec().fields[0].object == program.enum_value(kind, "proof")->object);
    CHECK(g.object == program.enum_value(type->record->fields[1].type->enumeration, "female")->object);
    CHECK_FALSE(arena.owns(g.object));
  }
  CHECK(program.enum_value(type->record->fields[1].type->enumeration, "proof") == nullptr);
  // Prepared, the record evaluates the same as from text, its enum values still the program's.
  auto prepared = zhiping::prepare_input_text(*loaded.policy, text);
  REQUIRE(prepared.ok());
  auto result = zhiping::evaluate_prepared(*loaded.policy, prepared);
  CHECK(result.report.to_json()["values"]["kinds"] == nlohmann::json::array({"certificate", "proof"}));
  // Not a value of the enum: the error names the field.
  auto bad = zhiping::evaluate_json_text(*loaded.policy, R"({"items": [{"kind": "清样稿"}], "g": "male"})");
  CHECK(bad.input_error.find("$.items[0].kind") != std::string::npos);
}

// A prepared input is copied out of the thread's scratch arena, which the next conversion reuses:
// nothing of it may still point there. Records with every kind of field an input can hold, prepared
// one after another and evaluated only at the end, against the same records evaluated from text.
TEST_CASE("prepared inputs of every field kind stay intact while the scratch arena is reused", "[input][sax][arena]") {
  auto loaded = zhiping::load_policy_sources({{"p.zp",
                                               "subject s\n"
                                               "type Part { label: string\n at: date\n kind: \"a\" \"甲\" | \"b\" }\n"
                                               "input { name: string\n scores: map<string, int>\n parts: list<Part>\n"
                                               " note?: string\n n: int = 7\n flag: bool\n ratio: double }\n"
                                               "output summary = name + ':' + string(size(scores)) + ':' +\n"
                                               "  parts.map(p, p.label + '@' + string(p.at) + '/' + p.kind).join(',') + ':' +\n"
                                               "  (has(note) ? note : '-') + ':' + string(n) + ':' + string(flag) + ':' + string(ratio)\n"
                                               "output total = scores.map(k, scores[k]).exists(v, v > 10)\n"}});
  REQUIRE(loaded.ok());
  const zhiping::Policy& policy = *loaded.policy;
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    std::string parts;
    for (int k = 0; k < i % 5; ++k)
      parts += std::string(k ? "," : "") + R"({"label": "第)" + std::to_string(k) + R"(部分，一段足够长的说明文字", "at": "2024-0)" +
               std::to_string(1 + k) + R"(-15", "kind": ")" + (k % 2 ? "b" : "a") + "\"}";
    std::string scores;
    for (int k = 0; k < i % 4; ++k) scores += std::string(k ? "," : "") + "\"键" + std::to_string(k) + "\": " + std::to_string(i + k);
    texts.push_back("{\"name\": \"申报人" + std::to_string(i) + "，名字写得长一些以免短字符串优化\", \"scores\": {" + scores + "}, \"parts\": [" +
                    parts + "]" + (i % 3 ? ", \"note\": \"备注" + std::to_string(i) + "\"" : "") + (i % 2 ? ", \"n\": " + std::to_string(i) : "") +
                    ", \"flag\": " + (i % 2 ? "true" : "false") + ", \"ratio\": " + std::to_string(i) + ".5}");
  }
  std::vector<zhiping::PreparedInput> prepared;
  for (const auto& t : texts) {
    prepared.push_back(zhiping::prepare_input_text(policy, t));
    REQUIRE(prepared.back().ok());
    zhiping::evaluate_json_text(policy, texts.front());  // the scratch arena used again in between
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    const auto from_text = zhiping::evaluate_json_text(policy, texts[i]);
    const auto from_prepared = zhiping::evaluate_prepared(policy, prepared[i]);
    REQUIRE(from_text.ok());
    REQUIRE(from_prepared.ok());
    CHECK(from_prepared.report.to_json() == from_text.report.to_json());
    CHECK(from_prepared.report.to_json()["values"]["summary"].get<std::string>().find("申报人" + std::to_string(i) + "，") == 0);
  }
}
