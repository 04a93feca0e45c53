// The report of one evaluation: the JSON of CLI.md and the readable Chinese (or English) text.
#include "interpreter/zhiping.hpp"

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
}  // namespace

nlohmann::json Report::to_json() const {
  nlohmann::json findings_json = nlohmann::json::array();
  for (auto& f : findings) {
    nlohmann::json j = {{"code", f.code}, {"severity", severity_key(f.severity)}, {"message", f.message}, {"cite", f.cite}};
    if (!f.item.empty()) j["item"] = f.item;
    j["source"] = {{"file", f.file}, {"line", f.line}, {"column", f.column}};
    findings_json.push_back(j);
  }
  return {{"decision", pass ? "pass" : "fail"}, {"findings", findings_json}, {"values", values}};
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
  if (!value_labels.empty()) {
    out += zh ? "\n计算结果：\n" : "\nValues:\n";
    // Labels (评审费（元）) are what an applicant reads; the name is kept for developers.
    for (auto& [name, label] : value_labels) {
      auto it = values.find(name);
      if (it == values.end()) continue;
      std::string shown = it->is_string() ? it->get<std::string>() : it->dump();
      out += "  " + (label.empty() ? name : label + "（" + name + "）") + (zh ? "：" : ": ") + shown + "\n";
    }
  }
  return out;
}

}  // namespace zhiping
