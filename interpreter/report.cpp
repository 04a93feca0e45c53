// The report of one evaluation: the JSON of CLI.md and the readable Chinese (or English) text.
#include "interpreter/zhiping.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace zhiping {
namespace {
const char* severity_key(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::Error: return "error";
    case FindingSeverity::Warning: return "warning";
    case FindingSeverity::Info: return "info";
  }
  return "error";
}

// The length of the well-formed UTF-8 sequence that starts at s[i] (a byte >= 0x80), or 0 when the
// bytes there are not one. These are exactly the sequences of RFC 3629 (no overlong forms, no
// surrogates, nothing above U+10FFFF), which are exactly the ones nlohmann::json::dump() accepts.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto continuation = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  unsigned lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned lo = lead == 0xE0 ? 0xA0 : 0x80, hi = lead == 0xED ? 0x9F : 0xBF;
    return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned lo = lead == 0xF0 ? 0x90 : 0x80, hi = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// Writes the compact JSON text of a report straight into a string, byte for byte what
// nlohmann::json::dump() prints for the same document with its defaults (ensure_ascii off, so UTF-8
// is copied as it is; strict UTF-8 checking). At a string that is not valid UTF-8 the writer stops
// that string and notes it in `utf8_ok`; Report::append_json then throws away what was written and
// lets nlohmann print (that is, refuse) the whole report, so that even that rare case behaves
// exactly as to_json().dump().
class ReportJsonWriter {
 public:
  explicit ReportJsonWriter(std::string& out) : out_(out) {}
  bool utf8_ok() const { return utf8_ok_; }

  // A string literal with nlohmann's escapes: the short forms \b \t \n \f \r \" \\, every other
  // control character below 0x20 as \u00xx in lower-case hex, everything else (0x7F and UTF-8
  // included) unchanged. Unchanged runs are copied in one append rather than byte by byte.
  void string(std::string_view s) {
    out_ += '"';
    size_t run = 0;
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) { utf8_ok_ = false; return; }
        i += n;
        continue;
      }
      if (c >= 0x20 && c != '"' && c != '\\') { ++i; continue; }
      out_.append(s.data() + run, i - run);
      escape(c);
      run = ++i;
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  void key(std::string_view k) {
    string(k);
    out_ += ':';
  }

  void integer(int64_t n) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
  }

  void unsigned_integer(uint64_t n) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
  }

  // Any JSON value, as dump() prints it. An object is a std::map, so walking it gives its members
  // in the order dump() prints them, sorted by key. Floating-point numbers (and any kind not listed) are left to nlohmann itself:
  // its shortest round-trip digits and its choice of exponent form are not worth copying for the
  // few doubles a report holds.
  void value(const nlohmann::json& v) {
    switch (v.type()) {
      case nlohmann::json::value_t::null: out_ += "null"; return;
      case nlohmann::json::value_t::boolean: out_ += v.get<bool>() ? "true" : "false"; return;
      case nlohmann::json::value_t::number_integer: integer(v.get<int64_t>()); return;
      case nlohmann::json::value_t::number_unsigned: unsigned_integer(v.get<uint64_t>()); return;
      case nlohmann::json::value_t::string: string(v.get_ref<const nlohmann::json::string_t&>()); return;
      case nlohmann::json::value_t::array: {
        out_ += '[';
        bool first = true;
        for (auto& element : v.get_ref<const nlohmann::json::array_t&>()) {
          if (!first) out_ += ',';
          first = false;
          value(element);
        }
        out_ += ']';
        return;
      }
      case nlohmann::json::value_t::object: {
        out_ += '{';
        bool first = true;
        for (auto& [name, member] : v.get_ref<const nlohmann::json::object_t&>()) {
          if (!first) out_ += ',';
          first = false;
          key(name);
          value(member);
        }
        out_ += '}';
        return;
      }
      default: out_ += v.dump(); return;
    }
  }

 private:
  void escape(unsigned char c) {
    switch (c) {
      case '\b': out_ += "\\b"; return;
      case '\t': out_ += "\\t"; return;
      case '\n': out_ += "\\n"; return;
      case '\f': out_ += "\\f"; return;
      case '\r': out_ += "\\r"; return;
      case '"': out_ += "\\\""; return;
      case '\\': out_ += "\\\\"; return;
      default: {
        static const char hex[] = "0123456789abcdef";
        char code[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
        out_.append(code, sizeof code);
        return;
      }
    }
  }

  std::string& out_;
  bool utf8_ok_ = true;
};
}  // namespace

nlohmann::json Report::to_json() const {
  nlohmann::json findings_json = nlohmann::json::array();
  for (auto& f : findings) {
    nlohmann::json j = {{"code", f.code}, {"severity", severity_key(f.severity)}, {"message", f.message}, {"cite", f.cite}};
    if (!f.item.empty()) j["item"] = f.item;
    j["source"] = {{"file", f.file}, {"line", f.line}, {"column", f.column}};
    findings_json.push_back(j);
  }
  nlohmann::json values_json = nlohmann::json::object();
  for (auto& v : values) values_json[v.name] = v.value;
  return {{"decision", pass ? "pass" : "fail"}, {"findings", findings_json}, {"values", values_json}};
}

const nlohmann::json* Report::value(std::string_view name) const {
  for (auto& v : values)
    if (v.name == name) return &v.value;
  return nullptr;
}

// The same document as to_json() (plus "line"), written without building it: keys in the order
// dump() sorts them, which is decision, findings, line, values, and within a finding cite, code,
// item, message, severity, source. A change to one of the two functions must be made to the other;
// tests/interpreter/test_report_json.cpp compares them.
void Report::append_json(std::string& out, int64_t line) const {
  const size_t start = out.size();
  // One allocation for the whole line in the common case: the strings' sizes plus the fixed text
  // around them (escapes and long values may still make it grow). The capacity at least doubles, as
  // appending would, so that many reports appended to one string do not reallocate every time (a
  // plain reserve() does not round up in libc++, which the playground uses).
  size_t estimate = 64 + 24 * values.size();
  for (auto& f : findings) estimate += 112 + f.cite.size() + f.code.size() + f.item.size() + f.message.size() + f.file.size();
  if (out.capacity() < start + estimate) out.reserve(std::max(start + estimate, 2 * out.capacity()));
  ReportJsonWriter writer(out);
  out += pass ? "{\"decision\":\"pass\",\"findings\":[" : "{\"decision\":\"fail\",\"findings\":[";
  bool first = true;
  for (auto& f : findings) {
    out += first ? "{\"cite\":" : ",{\"cite\":";
    first = false;
    writer.string(f.cite);
    out += ",\"code\":";
    writer.string(f.code);
    if (!f.item.empty()) {
      out += ",\"item\":";
      writer.string(f.item);
    }
    out += ",\"message\":";
    writer.string(f.message);
    out += ",\"severity\":\"";
    out += severity_key(f.severity);
    out += "\",\"source\":{\"column\":";
    writer.unsigned_integer(f.column);
    out += ",\"file\":";
    writer.string(f.file);
    out += ",\"line\":";
    writer.unsigned_integer(f.line);
    out += "}}";
  }
  out += ']';
  if (line >= 0) {
    out += ",\"line\":";
    writer.integer(line);
  }
  // The values object, keys in dump()'s order (sorted by bytes). Names are unique in a subject; in
  // a report built by hand where one repeats, the last value counts, as in to_json().
  out += ",\"values\":{";
  const OutputValue* sorted[8];
  std::vector<const OutputValue*> many;
  const OutputValue** order = sorted;
  if (values.size() > std::size(sorted)) {
    many.resize(values.size());
    order = many.data();
  }
  for (size_t i = 0; i < values.size(); ++i) order[i] = &values[i];
  std::stable_sort(order, order + values.size(), [](const OutputValue* a, const OutputValue* b) { return a->name < b->name; });
  bool first_value = true;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i + 1 < values.size() && order[i + 1]->name == order[i]->name) continue;
    if (!first_value) out += ',';
    first_value = false;
    writer.string(order[i]->name);
    out += ':';
    writer.value(order[i]->value);
  }
  out += "}}";
  // Input records are checked for UTF-8, but a policy's text is not: a stray byte in a message or a
  // cite reaches the report. Then the report is printed by nlohmann after all, which throws its
  // type_error 316 exactly as to_json().dump() does, and `out` is left as it was.
  if (!writer.utf8_ok()) {
    out.resize(start);
    nlohmann::json document = to_json();
    if (line >= 0) document["line"] = line;
    out += document.dump();
  }
}

std::string Report::to_text(Lang lang) const {
  bool zh = lang == Lang::Zh;
  int counts[3] = {0, 0, 0};
  for (auto& f : findings) ++counts[static_cast<int>(f.severity)];
  std::string out;
  if (zh) {
    out += pass ? "审核结论：通过" : "审核结论：不通过";
    std::string counts_text;
    const char* words[] = {" 项问题", " 项提醒", " 项说明"};
    for (int s = 0; s < 3; ++s)
      if (counts[s]) counts_text += (counts_text.empty() ? "" : "，") + std::to_string(counts[s]) + words[s];
    out += counts_text.empty() ? "，没有发现问题\n" : "（" + counts_text + "）\n";
  } else {
    out += pass ? "Decision: pass" : "Decision: fail";
    out += " (" + std::to_string(counts[0]) + " errors, " + std::to_string(counts[1]) + " warnings, " + std::to_string(counts[2]) + " notes)\n";
  }
  const char* headings_zh[] = {"需要改正的问题", "提醒", "说明"};
  const char* headings_en[] = {"Errors", "Warnings", "Notes"};
  for (int s = 0; s < 3; ++s) {
    if (counts[s] == 0) continue;
    out += "\n" + std::string(zh ? headings_zh[s] : headings_en[s]) + (zh ? "：\n" : ":\n");
    int n = 0;
    for (auto& f : findings) {
      if (static_cast<int>(f.severity) != s) continue;
      out += "  " + std::to_string(++n) + ". " + f.message + "\n";
      out += "     " + std::string(zh ? "依据：通知" : "clause: ") + f.cite + (zh ? "　代码：" : "  code: ") + f.code;
      if (!f.item.empty()) out += (zh ? "　条目：" : "  item: ") + f.item;
      out += "\n";
    }
  }
  if (!values.empty()) {
    out += zh ? "\n计算结果：\n" : "\nValues:\n";
    // Labels (评审费（元）) are what an applicant reads; the name is kept for developers.
    for (auto& v : values) {
      std::string shown = v.value.is_string() ? v.value.get<std::string>() : v.value.dump();
      out += "  " + (v.label.empty() ? v.name : v.label + "（" + v.name + "）") + (zh ? "：" : ": ") + shown + "\n";
    }
  }
  return out;
}

}  // namespace zhiping
