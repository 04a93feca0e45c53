// Embedding Zhiping from C++: load a policy folder, evaluate one JSON record, print the findings.
//   zhiping_embed [POLICY] RECORD.json      (POLICY defaults to policies/zhengzhou-2024 of the source tree)
// Exit status as `zhiping check`: 0 pass, 1 fail, 2 the policy did not load, 3 invalid input.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "interpreter/zhiping.hpp"

#ifndef ZHIPING_SOURCE_DIR
#define ZHIPING_SOURCE_DIR "."
#endif

int main(int argc, char** argv) {
  std::string policy_path = std::string(ZHIPING_SOURCE_DIR) + "/policies/zhengzhou-2024";
  std::string record_path;
  if (argc == 3) {
    policy_path = argv[1];
    record_path = argv[2];
  } else if (argc == 2) {
    record_path = argv[1];
  } else {
    std::cerr << "usage: zhiping_embed [POLICY] RECORD.json\n";
    return 64;
  }

  zhiping::LoadResult loaded = zhiping::load_policy(policy_path);
  if (!loaded.ok()) {
    std::cerr << loaded.render_diagnostics();
    return 2;
  }

  std::ifstream in(record_path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << record_path << "\n";
    return 3;
  }
  std::stringstream text;
  text << in.rdbuf();

  zhiping::EvalResult result = zhiping::evaluate_json_text(*loaded.policy, text.str());
  if (!result.ok()) {
    std::cerr << result.input_error << "\n";
    return 3;
  }
  const zhiping::Report& report = result.report;
  std::cout << "decision: " << (report.pass ? "pass" : "fail") << "\n";
  for (const zhiping::Finding& f : report.findings) {
    const char* severity = f.severity == zhiping::FindingSeverity::Error ? "error"
                           : f.severity == zhiping::FindingSeverity::Warning ? "warning" : "info";
    std::cout << f.code << " [" << severity << "]";
    if (!f.item.empty()) std::cout << " " << f.item;
    if (!f.cite.empty()) std::cout << " (" << f.cite << ")";
    std::cout << ": " << f.message << "\n";
  }
  for (auto& v : report.values) std::cout << v.name << " = " << v.value.dump() << "\n";
  return report.pass ? 0 : 1;
}
