// Bad input never crashes: mutated policy texts always load or report diagnostics, and mutated
// records always evaluate or report an input error. Deterministic (a fixed seed), so a failure
// reproduces; run under AddressSanitizer when changing the parser or the input conversion.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "interpreter/zhiping.hpp"

namespace {
std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Deletes, duplicates or replaces a few random bytes, with fragments that stress the grammar.
std::string mutate(const std::string& text, std::mt19937& rng) {
  static const char* fragments[] = {"(", ")", "{", "}", "[", "]", "\"", "'", "|", "||", "&&", "?", ":", "\\",
                                    "当", "规则", "rule", "for each", "{{", "}}", "\n", "1e999", "-9223372036854775809",
                                    "has(", ".", "〔", "\xff", "\xe4\xb8"};
  std::string s = text;
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0: s.erase(at, 1 + rng() % 8); break;
      case 1: s.insert(at, fragments[rng() % (sizeof fragments / sizeof *fragments)]); break;
      default: s.insert(at, s.substr(rng() % s.size(), rng() % 40)); break;
    }
  }
  return s;
}
}  // namespace

TEST_CASE("mutated policy files load or report diagnostics, never crash", "[robustness]") {
  std::string dir = std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024/";
  std::vector<zhiping::PolicySource> base;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".zp") base.push_back({e.path().filename().string(), read_all(e.path())});
  REQUIRE(base.size() >= 10);
  std::mt19937 rng(20241015);
  int failed_loads = 0;
  for (int round = 0; round < 150; ++round) {
    auto sources = base;
    auto& victim = sources[rng() % sources.size()];
    victim.text = mutate(victim.text, rng);
    auto loaded = zhiping::load_policy_sources(sources);
    if (!loaded.ok()) {
      ++failed_loads;
      // Every error has a message and renders with its place.
      std::string text = loaded.render_diagnostics();
      CHECK_FALSE(text.empty());
      CHECK_FALSE(loaded.diagnostics.empty());
    }
  }
  CHECK(failed_loads > 50);  // the mutations really break things
}

TEST_CASE("mutated records evaluate or give an input error, never crash", "[robustness]") {
  auto loaded = zhiping::load_policy(std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024");
  REQUIRE(loaded.ok());
  std::string record = read_all(std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024/examples/teacher-pass.json");
  std::mt19937 rng(7);
  int evaluated = 0, invalid = 0;
  for (int round = 0; round < 400; ++round) {
    auto r = zhiping::evaluate_json_text(*loaded.policy, mutate(record, rng));
    if (r.ok()) ++evaluated;
    else {
      ++invalid;
      CHECK(r.input_error.rfind("$", 0) == 0);  // every input error starts with its JSON path
    }
  }
  CHECK(invalid > 100);
  CHECK(evaluated + invalid == 400);
}
