// Memory that loading keeps: interned checker types built on a program's own record and enum types
// go with the program, so that reloading a policy (the playground does it on every edit) does not
// grow the table; and the parser's node free list does not keep what a huge declaration needed.
#include <catch2/catch.hpp>

#include <string>

#include "interpreter/zhiping.hpp"
#include "lang/parser.hpp"
#include "lang/types.hpp"

namespace {
const char* kPolicy =
    "subject s\n"
    "type Item { kind: \"a\" | \"b\"\n tags: list<string> }\n"
    "input { items: list<Item>\n groups: map<string, list<Item>>\n level: \"x\" | \"y\" }\n"
    "let nested = [items, items]\n"
    "output n = size(items) + size(nested)\n";
}  // namespace

TEST_CASE("types of a program's records and enums are forgotten with the program", "[types]") {
  // A first load interns what lives for the whole process (the standard functions' types,
  // list<string>…); it is the baseline.
  { REQUIRE(zhiping::load_policy_sources({{"p.zp", kPolicy}}).ok()); }
  size_t before = zhiping::types::interned_count();
  size_t while_loaded = 0;
  for (int round = 0; round < 5; ++round) {
    auto loaded = zhiping::load_policy_sources({{"p.zp", kPolicy}});
    REQUIRE(loaded.ok());
    auto result = zhiping::evaluate_json_text(*loaded.policy, R"({"items": [{"kind": "a", "tags": []}], "groups": {}, "level": "x"})");
    REQUIRE(result.ok());
    REQUIRE(result.report.value("n") != nullptr);
    CHECK(*result.report.value("n") == 3);
    CHECK(result.report.value("absent") == nullptr);
    size_t now = zhiping::types::interned_count();
    // The record, its enums, list<Item>, list<list<Item>>, map<string, list<Item>>… are interned.
    CHECK(now > before);
    if (round == 0) while_loaded = now;
    CHECK(now == while_loaded);  // not one more per reload
  }
  CHECK(zhiping::types::interned_count() == before);
}

TEST_CASE("forgetting one program's types leaves another's alone", "[types]") {
  auto first = zhiping::load_policy_sources({{"p.zp", kPolicy}});
  REQUIRE(first.ok());
  const std::string input = R"({"items": [{"kind": "b", "tags": ["t"]}], "groups": {"g": []}, "level": "y"})";
  {
    auto second = zhiping::load_policy_sources({{"p.zp", kPolicy}});
    REQUIRE(second.ok());
  }
  auto result = zhiping::evaluate_json_text(*first.policy, input);
  REQUIRE(result.ok());
  CHECK(result.report.to_json()["values"]["n"] == 3);
  // A third load after the second was destroyed still checks and evaluates.
  auto third = zhiping::load_policy_sources({{"p.zp", kPolicy}});
  REQUIRE(third.ok());
  CHECK(zhiping::evaluate_json_text(*third.policy, input).report.to_json()["values"]["n"] == 3);
}

// The parser keeps its parse-tree nodes on a free list per thread; a declaration with a huge tree
// (here a list of 20,000 literals, ~10 nodes each) grows the list, and the memory is given back once
// the parse is over instead of staying with the thread.
TEST_CASE("the parser gives back the node memory of a huge declaration", "[parser][memory]") {
  std::string big = "subject s\ninput { n: int }\nlet xs = [";
  for (int i = 0; i < 20000; ++i) big += (i ? ", " : "") + std::to_string(i);
  big += "]\noutput total = size(xs) + n\n";
  auto loaded = zhiping::load_policy_sources({{"big.zp", big}});
  REQUIRE(loaded.ok());
  CHECK(zhiping::evaluate_json_text(*loaded.policy, R"({"n": 1})").report.to_json()["values"]["total"] == 20001);
  CHECK(zhiping::parse_node_chunks_held() <= 16);
  // A small policy afterwards parses as before.
  auto small = zhiping::load_policy_sources({{"p.zp", kPolicy}});
  REQUIRE(small.ok());
  CHECK(zhiping::parse_node_chunks_held() <= 16);
}
