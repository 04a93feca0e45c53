// The C API (interpreter/zhiping.h) on top of the C++ API (interpreter/zhiping.hpp). Every entry
// point catches everything: no exception crosses into C. Strings handed out are malloc'ed copies,
// released by zp_string_free.
#include "interpreter/zhiping.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "interpreter/zhiping.hpp"

struct zp_policy {
  std::shared_ptr<const zhiping::Policy> policy;
};

namespace {

char* dup_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

void set_out(char** out, const std::string& s) {
  if (out) *out = dup_string(s);
}

std::string error_json(const std::string& message) { return nlohmann::json{{"error", message}}.dump(); }

zp_policy* finish_load(zhiping::LoadResult&& r, zhiping::Lang lang, char** diagnostics_out) {
  if (diagnostics_out) *diagnostics_out = r.diagnostics.empty() ? nullptr : dup_string(r.render_diagnostics(lang));
  if (!r.ok()) return nullptr;
  return new zp_policy{std::move(r.policy)};
}

zp_policy* load_sources(const zp_source* sources, size_t count, zhiping::Lang lang, char** diagnostics_out) {
  if (diagnostics_out) *diagnostics_out = nullptr;
  try {
    if (!sources && count > 0) {
      set_out(diagnostics_out, "zp_load_sources: sources is NULL");
      return nullptr;
    }
    std::vector<zhiping::PolicySource> list;
    list.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (!sources[i].path || (!sources[i].text && sources[i].len > 0)) {
        set_out(diagnostics_out, "zp_load_sources: source " + std::to_string(i) + " has a NULL path or text");
        return nullptr;
      }
      list.push_back({sources[i].path, std::string(sources[i].text ? sources[i].text : "", sources[i].len)});
    }
    return finish_load(zhiping::load_policy_sources(list), lang, diagnostics_out);
  } catch (const std::exception& e) {
    set_out(diagnostics_out, std::string("zp_load_sources: ") + e.what());
  } catch (...) {
    set_out(diagnostics_out, "zp_load_sources: unknown failure");
  }
  return nullptr;
}

}  // namespace

extern "C" {

const char* zp_version(void) { return "0.1.0"; }

zp_policy* zp_load_dir(const char* path, char** diagnostics_out) {
  if (diagnostics_out) *diagnostics_out = nullptr;
  if (!path) {
    set_out(diagnostics_out, "zp_load_dir: path is NULL");
    return nullptr;
  }
  try {
    return finish_load(zhiping::load_policy(path), zhiping::Lang::Zh, diagnostics_out);
  } catch (const std::exception& e) {
    set_out(diagnostics_out, std::string("zp_load_dir: ") + e.what());
  } catch (...) {
    set_out(diagnostics_out, "zp_load_dir: unknown failure");
  }
  return nullptr;
}

zp_policy* zp_load_sources(const zp_source* sources, size_t count, char** diagnostics_out) {
  return load_sources(sources, count, zhiping::Lang::Zh, diagnostics_out);
}

zp_policy* zp_load_sources_lang(const zp_source* sources, size_t count, int english, char** diagnostics_out) {
  return load_sources(sources, count, english ? zhiping::Lang::En : zhiping::Lang::Zh, diagnostics_out);
}

void zp_policy_free(zp_policy* policy) { delete policy; }

int zp_evaluate_ex(const zp_policy* policy, const char* subject, int english, const char* json, size_t len,
                   char** report_json_out) {
  if (report_json_out) *report_json_out = nullptr;
  if (!policy || !policy->policy) {
    set_out(report_json_out, error_json("policy is NULL"));
    return ZP_BAD_POLICY;
  }
  if (!json && len > 0) {
    set_out(report_json_out, error_json("json is NULL"));
    return ZP_BAD_ARGUMENT;
  }
  try {
    zhiping::EvalOptions options;
    options.lang = english ? zhiping::Lang::En : zhiping::Lang::Zh;
    if (subject && *subject) {
      options.subject = subject;
      auto names = policy->policy->subjects();
      bool found = false;
      for (auto& n : names) found = found || n == options.subject;
      if (!found) {
        set_out(report_json_out, error_json(std::string(english ? "the policy has no subject " : "政策中没有对象 ") + subject));
        return ZP_BAD_ARGUMENT;
      }
    }
    // One result per thread, reused: its report keeps its memory from call to call.
    thread_local zhiping::EvalResult r;
    zhiping::evaluate_json_text(*policy->policy, std::string_view(json ? json : "", len), r, options);
    if (!r.ok()) {
      set_out(report_json_out, error_json(r.input_error));
      return ZP_INVALID_INPUT;
    }
    if (report_json_out) {
      std::string text;
      r.report.append_json(text);
      *report_json_out = dup_string(text);
    }
    return r.report.pass ? ZP_PASS : ZP_FAIL;
  } catch (const std::exception& e) {
    set_out(report_json_out, error_json(std::string("internal: ") + e.what()));
  } catch (...) {
    set_out(report_json_out, error_json("internal: unknown failure"));
  }
  return ZP_INTERNAL;
}

int zp_evaluate(const zp_policy* policy, const char* json, size_t len, char** report_json_out) {
  return zp_evaluate_ex(policy, nullptr, 0, json, len, report_json_out);
}

int zp_run_tests(const zp_policy* policy, char** summary_json_out) {
  if (summary_json_out) *summary_json_out = nullptr;
  if (!policy || !policy->policy) return -1;
  try {
    zhiping::TestSummary s = zhiping::run_policy_tests(*policy->policy);
    set_out(summary_json_out, s.to_json().dump());
    return s.failed;
  } catch (const std::exception& e) {
    set_out(summary_json_out, error_json(std::string("internal: ") + e.what()));
  } catch (...) {
    set_out(summary_json_out, error_json("internal: unknown failure"));
  }
  return -1;
}

char* zp_schema(const zp_policy* policy, const char* subject) {
  if (!policy || !policy->policy) return nullptr;
  try {
    std::string name = subject ? subject : "";
    if (!name.empty()) {
      bool found = false;
      for (auto& n : policy->policy->subjects()) found = found || n == name;
      if (!found) return nullptr;
    }
    return dup_string(policy->policy->schema(name).dump());
  } catch (...) {
    return nullptr;
  }
}

void zp_string_free(char* s) { std::free(s); }

}  // extern "C"
