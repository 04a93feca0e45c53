// The C API of the playground's WebAssembly module: strings in, JSON strings out, policies kept by
// handle. It is a thin layer over interpreter/zhiping.hpp — the page never evaluates anything itself.
//
//   zp_load(sources)           sources: [{"path": "…", "text": "…"}, …]
//                              → {"ok": bool, "handle": n, "subjects": […], "diagnostics": […]}
//   zp_schema(h, subject)      → Policy::schema(subject) (fields, labels, enums, lists, records)
//   zp_evaluate(h, subject, input)
//                              → the report of `zhiping check --format json`, or {"input_error": "…"}
//   zp_test(h)                 → the policy's test summary {"passed", "failed", "failures": […]}
//
// A returned pointer stays valid until the next call; the caller copies it out at once.
#include <map>
#include <memory>
#include <string>

#include "interpreter/zhiping.hpp"
#include "lang/diagnostic.hpp"

namespace {

struct Loaded {
  zhiping::LoadResult result;
};

std::map<int, std::unique_ptr<Loaded>> g_policies;
int g_next_handle = 1;
std::string g_out;

const char* reply(const nlohmann::json& j) {
  g_out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return g_out.c_str();
}

const char* reply_error(const std::string& message) { return reply({{"error", message}}); }

const zhiping::Policy* find_policy(int handle) {
  auto it = g_policies.find(handle);
  if (it == g_policies.end() || !it->second->result.policy) return nullptr;
  return it->second->result.policy.get();
}

}  // namespace

extern "C" {

const char* zp_version() { return "zhiping-wasm 0.1.0"; }

const char* zp_load(const char* sources_json) {
  try {
    auto sources_in = nlohmann::json::parse(sources_json);
    std::vector<zhiping::PolicySource> sources;
    for (auto& s : sources_in) sources.push_back({s.at("path").get<std::string>(), s.at("text").get<std::string>()});
    auto loaded = std::make_unique<Loaded>();
    loaded->result = zhiping::load_policy_sources(sources);
    nlohmann::json diagnostics = nlohmann::json::array();
    for (auto& d : loaded->result.diagnostics) diagnostics.push_back(zhiping::diagnostic_to_json(d, zhiping::Lang::Zh));
    nlohmann::json out = {{"ok", loaded->result.ok()}, {"diagnostics", diagnostics}};
    if (loaded->result.ok()) {
      out["subjects"] = loaded->result.policy->subjects();
      int handle = g_next_handle++;
      g_policies[handle] = std::move(loaded);
      out["handle"] = handle;
    }
    return reply(out);
  } catch (const std::exception& e) {
    return reply_error(e.what());
  }
}

void zp_free_policy(int handle) { g_policies.erase(handle); }

const char* zp_schema(int handle, const char* subject) {
  const zhiping::Policy* policy = find_policy(handle);
  if (!policy) return reply_error("no such policy");
  try {
    return reply(policy->schema(subject));
  } catch (const std::exception& e) {
    return reply_error(e.what());
  }
}

const char* zp_evaluate(int handle, const char* subject, const char* input_json) {
  const zhiping::Policy* policy = find_policy(handle);
  if (!policy) return reply_error("no such policy");
  try {
    zhiping::EvalOptions options;
    options.subject = subject;
    auto result = zhiping::evaluate_json_text(*policy, input_json, options);
    if (!result.ok()) return reply({{"input_error", result.input_error}});
    return reply(result.report.to_json());
  } catch (const std::exception& e) {
    return reply_error(e.what());
  }
}

const char* zp_test(int handle) {
  const zhiping::Policy* policy = find_policy(handle);
  if (!policy) return reply_error("no such policy");
  try {
    return reply(zhiping::run_policy_tests(*policy).to_json());
  } catch (const std::exception& e) {
    return reply_error(e.what());
  }
}

}  // extern "C"
