// Diagnostics as data: a stable code, a span, arguments; the message text comes from one table
// (lang/messages.cpp) in Chinese or English, and one renderer turns a diagnostic into text or JSON.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lang/source.hpp"

namespace zhiping {

enum class Lang { Zh, En };
enum class DiagSeverity { Error, Warning, Note };

struct Diagnostic {
  DiagSeverity severity = DiagSeverity::Error;
  std::string code;               // stable, e.g. "unknown-name"; the key into the message table
  Span span;
  std::vector<std::string> args;  // substituted for {0}, {1}, … in the message template
  std::string suggestion;         // "did you mean": a close name, rendered after the message
  std::vector<Diagnostic> notes;  // further places ("first declared here")
};

// The message of a diagnostic in the given language, with its arguments substituted.
std::string diagnostic_message(const Diagnostic& d, Lang lang);

// `file:line:column: 错误: message`, the source line and a caret under the span.
std::string render_diagnostic(const Diagnostic& d, Lang lang);
std::string render_diagnostics(const std::vector<Diagnostic>& ds, Lang lang);
nlohmann::json diagnostic_to_json(const Diagnostic& d, Lang lang);

// Collects diagnostics during a pass; passes report and go on, so that one load shows every error.
struct DiagnosticSink {
  std::vector<Diagnostic> items;
  Diagnostic& error(std::string code, Span span, std::vector<std::string> args = {}) {
    items.push_back(Diagnostic{DiagSeverity::Error, std::move(code), span, std::move(args), {}});
    return items.back();
  }
  Diagnostic& warning(std::string code, Span span, std::vector<std::string> args = {}) {
    items.push_back(Diagnostic{DiagSeverity::Warning, std::move(code), span, std::move(args), {}});
    return items.back();
  }
  bool has_errors() const {
    for (auto& d : items)
      if (d.severity == DiagSeverity::Error) return true;
    return false;
  }
};

// Formats a message template: "{0}" and "{1}" are replaced by args.
std::string format_message(const std::string& tmpl, const std::vector<std::string>& args);

// Edit distance for "did you mean" suggestions; returns "" when nothing is close enough.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace zhiping
