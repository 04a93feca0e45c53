// The one table of diagnostic messages, in Chinese and English, and the renderers: text with the
// source line and a caret, and JSON. Messages name the thing and the place, and say what to do.
#include <algorithm>
#include <map>

#include "lang/diagnostic.hpp"

namespace zhiping {
namespace {

struct MessageText {
  const char* zh;
  const char* en;
};

const std::map<std::string, MessageText>& table() {
  static const std::map<std::string, MessageText> t = {
      // Syntax: one entry per commit point of the grammar.
      {"syntax.unexpected", {"无法识别这里的内容", "unexpected text here"}},
      {"syntax.expect-declaration", {"这里应当开始一条声明（rule/规则、let/令、input/输入、test/测试 等）",
                                     "expected a declaration (rule, let, input, test, …)"}},
      {"syntax.expect-expression", {"这里缺少表达式", "expected an expression"}},
      {"syntax.expect-operand", {"运算符后面缺少操作数", "expected an operand after the operator"}},
      {"syntax.expect-rparen", {"缺少右括号 `)`", "expected `)`"}},
      {"syntax.expect-rbracket", {"缺少右方括号 `]`", "expected `]`"}},
      {"syntax.expect-rbrace", {"缺少右花括号 `}`", "expected `}`"}},
      {"syntax.expect-colon", {"缺少冒号 `:`", "expected `:`"}},
      {"syntax.expect-field-name", {"`.` 后面应当是字段名", "expected a field name after `.`"}},
      {"syntax.expect-enum-value", {"`|` 后面应当是一个带引号的取值", "expected a quoted value after `|`"}},
      {"syntax.expect-type", {"这里应当写类型（如 int、string、date、list<…>）", "expected a type (int, string, date, list<…>, …)"}},
      {"syntax.expect-langle", {"缺少 `<`", "expected `<`"}},
      {"syntax.expect-rangle", {"缺少 `>`", "expected `>`"}},
      {"syntax.expect-comma", {"缺少逗号 `,`", "expected `,`"}},
      {"syntax.expect-lbrace", {"缺少左花括号 `{`", "expected `{`"}},
      {"syntax.expect-name", {"这里应当是一个名称", "expected a name"}},
      {"syntax.expect-equals", {"缺少等号 `=`", "expected `=`"}},
      {"syntax.expect-string", {"这里应当是带引号的文本", "expected a quoted string"}},
      {"syntax.expect-params", {"缺少参数列表 `(…)`", "expected a parameter list `(…)`"}},
      {"syntax.expect-result-type", {"决策表需要写明结果类型：`-> 类型`", "a decision needs its result type: `-> type`"}},
      {"syntax.expect-cell", {"表格的这一格是空的：写一个值，或用 `_` 表示任意", "empty table cell: write a value, or `_` for any"}},
      {"syntax.expect-bar", {"表格的格子之间需要 `|`", "expected `|` between table cells"}},
      {"syntax.expect-row-end", {"表格行应以 `|` 开始，或者用 `}` 结束表格", "expected a row starting with `|`, or `}`"}},
      {"syntax.expect-field-end", {"这里应当是字段（`名称: 类型`）或 `}`", "expected a field (`name: type`) or `}`"}},
      {"syntax.expect-date", {"这里应当是日期，格式为 YYYY-MM-DD", "expected a date YYYY-MM-DD"}},
      {"syntax.expect-year", {"这里应当是四位年份", "expected a four-digit year"}},
      {"syntax.expect-dotdot", {"年份范围应写作 `2024..2026`", "expected `..` in a year range such as `2024..2026`"}},
      {"syntax.expect-calendar-end", {"日历中应当是 years/年份、off/休、work/班 或 `}`", "expected years, off, work or `}` in a calendar"}},
      {"syntax.expect-severity", {"级别应为 error/错误、warning/警告 或 info/提示", "expected error, warning or info"}},
      {"syntax.expect-in", {"缺少 `in`（属于）", "expected `in`"}},
      {"syntax.expect-rule-end",
       {"规则中应当是 severity/级别、cite/依据、for each/对每个、let/令、when/当、message/消息、item/条目 或 `}`",
        "expected a rule clause (severity, cite, for each, let, when, message, item) or `}`"}},
      {"syntax.expect-code", {"这里应当是规则代码（大写字母和连字符，如 TENURE-INSUFFICIENT）",
                              "expected a rule code (capitals and hyphens, e.g. TENURE-INSUFFICIENT)"}},
      {"syntax.expect-json", {"这里应当是一个 JSON 对象 `{…}`", "expected a JSON object `{…}`"}},
      {"syntax.expect-pass-fail", {"结论应为 pass/通过 或 fail/不通过", "expected pass or fail"}},
      {"syntax.expect-expectation", {"expect/期望 后面应当是规则代码、no/无、only/仅、decision/结论 或 output/输出",
                                     "expected codes, no, only, decision or output after expect"}},
      {"syntax.expect-test-end", {"测试中应当是 input/输入、expect/期望 或 `}`", "expected input, expect or `}` in a test"}},
      {"syntax.expect-end", {"表达式在这里之后还有多余的内容", "unexpected text after the expression"}},
      {"syntax.unterminated-string", {"文本缺少结束引号", "unterminated string"}},
      {"syntax.too-deep", {"表达式嵌套过深（最多 64 层）", "expression nested too deeply (at most 64 levels)"}},
      {"syntax.bad-escape", {"无效的转义序列", "invalid escape sequence"}},
      {"syntax.stray-brace", {"消息中的 `}` 没有对应的 `{`；要写花括号本身请用 `}}`", "stray `}` in a message; write `}}` for a brace"}},
      {"syntax.unclosed-interpolation", {"消息中的 `{` 没有对应的 `}`；要写花括号本身请用 `{{`", "unclosed `{` in a message; write `{{` for a brace"}},
      {"syntax.int-out-of-range", {"整数 {0} 超出 64 位范围", "integer {0} is out of the 64-bit range"}},
      {"syntax.has-argument", {"has() 的参数必须是字段，如 has(x.field) 或 has(current_title)", "has() takes a field, e.g. has(x.field) or has(current_title)"}},
      {"syntax.subject-not-first", {"subject/主体 必须写在文件开头，且只能写一次", "subject must come first in a file, once"}},
      {"syntax.duplicate-clause", {"规则中的 {0} 重复了", "duplicate {0} clause"}},
      {"syntax.missing-clause", {"“{0}”缺少 {1}", "'{0}' is missing its {1} clause"}},
      {"syntax.wildcard-result", {"表格行的结果不能是 `_`", "a row's result cannot be `_`"}},
      // Checker.
      {"check.has-not-field", {"has() 只能用于输入字段或字段选择，`{0}` 不是", "has() takes an input field or a field selection; `{0}` is neither"}},
      {"check.date-literal", {"“{0}”不是有效的日期（应为 YYYY-MM-DD 格式的真实日期）", "\"{0}\" is not a valid date (YYYY-MM-DD, a real day)"}},
      {"check.unknown-name", {"未知名称 `{0}`", "unknown name `{0}`"}},
      {"check.unknown-field", {"{1} 没有字段 `{0}`", "{1} has no field `{0}`"}},
      {"check.unknown-type", {"未知类型 `{0}`", "unknown type `{0}`"}},
      {"check.unknown-function", {"未知函数 `{0}`", "unknown function `{0}`"}},
      {"check.no-overload", {"函数 `{0}` 不接受参数类型 ({1})；可用的形式：{2}",
                             "function `{0}` does not take ({1}); available: {2}"}},
      {"check.type-mismatch", {"`{0}` 应为 {1}，实际为 {2}", "`{0}` should be {1}, but is {2}"}},
      {"check.operator-types", {"运算符 `{0}` 不能用于 {1} 和 {2}", "operator `{0}` cannot be applied to {1} and {2}"}},
      {"check.operator-type", {"运算符 `{0}` 不能用于 {1}", "operator `{0}` cannot be applied to {1}"}},
      {"check.condition-not-bool", {"`{0}` 的条件应为布尔值，实际为 {1}", "the condition of `{0}` should be a bool, but is {1}"}},
      {"check.enum-literal", {"“{0}”不是可选的取值（可选：{1}）", "\"{0}\" is not one of the allowed values ({1})"}},
      {"check.duplicate-name", {"名称 `{0}` 重复声明", "`{0}` is declared twice"}},
      {"check.duplicate-field", {"字段 `{0}` 重复", "field `{0}` is declared twice"}},
      {"check.first-declared", {"`{0}` 第一次声明在这里", "`{0}` was first declared here"}},
      {"check.cycle", {"`{0}` 的定义循环引用了自身", "the definition of `{0}` depends on itself"}},
      {"check.needs-subject", {"{0} 只能写在声明了 subject/主体 的文件中", "{0} belongs in a file that declares a subject"}},
      {"check.duplicate-input", {"对象 {0} 的输入声明重复", "subject {0} declares its input twice"}},
      {"check.no-input", {"对象 {0} 没有 input/输入 声明", "subject {0} has no input declaration"}},
      {"check.arity", {"`{0}` 需要 {1} 个参数，这里给了 {2} 个", "`{0}` takes {1} arguments, {2} given"}},
      {"check.not-a-value", {"`{0}` 是 {1}，不是值", "`{0}` is a {1}, not a value"}},
      {"check.select-map-key", {"只有键为文本的映射才能用 `.` 取值（{0}）", "only maps with string keys support `.` ({0})"}},
      {"check.select-non-record", {"不能对 {1} 取字段 `{0}`", "cannot select field `{0}` of {1}"}},
      {"check.index-type", {"下标的类型 {0} 不对", "index of type {0} is not allowed here"}},
      {"check.not-indexable", {"{0} 不能用下标访问", "{0} cannot be indexed"}},
      {"check.not-iterable", {"{0} 不能遍历", "{0} cannot be iterated"}},
      {"check.not-a-list", {"for each/对每个 需要列表，实际为 {0}", "for each needs a list, got {0}"}},
      {"check.branch-types", {"`?:` 两个分支的类型不同：{0} 与 {1}", "the branches of `?:` differ: {0} and {1}"}},
      {"check.missing-field", {"缺少 {1} 的必填字段 `{0}`", "missing required field `{0}` of {1}"}},
      {"check.row-arity", {"这一行应有 {0} 格，实际有 {1} 格", "this row should have {0} cells, it has {1}"}},
      {"check.cell-type", {"这一格与参数 `{0}`（{1}）的类型不符：{2}", "this cell does not fit parameter `{0}` ({1}): {2}"}},
      {"check.table-wildcard", {"数据表的格子不能是 `_`", "a data table cell cannot be `_`"}},
      {"check.unknown-code", {"对象 {1} 没有代码为 {0} 的规则", "subject {1} has no rule with code {0}"}},
      {"check.unknown-output", {"没有名为 `{0}` 的输出", "there is no output named `{0}`"}},
      {"check.constant-error", {"`{0}` 无法在加载时计算：{1}", "`{0}` cannot be computed at load time: {1}"}},
      {"check.calendar-date", {"日历中的日期 {0} 无效", "invalid date {0} in a calendar"}},
      {"check.calendar-years", {"日历的年份范围 {0}–{1} 无效", "invalid calendar years {0}–{1}"}},
      {"check.calendar-outside", {"日期 {0} 不在日历的年份范围 {1}–{2} 内", "date {0} is outside the calendar's years {1}–{2}"}},
      {"check.calendar-no-years", {"日历 {0} 需要写明覆盖的年份：years 2024..2026", "calendar {0} needs its years: years 2024..2026"}},
      {"check.calendar-conflict", {"日期 {0} 同时被列为休息日和调休上班日", "date {0} is listed both as a day off and as a working day"}},
      {"load.read-error", {"无法读取 {0}", "cannot read {0}"}},
      {"load.no-files", {"{0} 中没有 .zp 文件", "no .zp files in {0}"}},
      {"load.import-missing", {"找不到引用的文件 {0}", "imported file {0} not found"}},
      {"load.too-large", {"文件过大（上限 {0} 字节）", "file too large (limit {0} bytes)"}},
      {"load.invalid-utf8", {"文件不是有效的 UTF-8 文本（第一个无效字节在此处），请以 UTF-8 编码保存", "the file is not valid UTF-8 (the first invalid byte is here); save it as UTF-8"}},
  };
  return t;
}

const char* severity_word(DiagSeverity s, Lang lang) {
  switch (s) {
    case DiagSeverity::Error: return lang == Lang::Zh ? "错误" : "error";
    case DiagSeverity::Warning: return lang == Lang::Zh ? "警告" : "warning";
    case DiagSeverity::Note: return lang == Lang::Zh ? "说明" : "note";
  }
  return "";
}

}  // namespace

std::string format_message(const std::string& tmpl, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && std::isdigit(static_cast<unsigned char>(tmpl[i + 1])) && tmpl[i + 2] == '}') {
      size_t k = static_cast<size_t>(tmpl[i + 1] - '0');
      if (k < args.size()) out += args[k];
      i += 2;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

std::string diagnostic_message(const Diagnostic& d, Lang lang) {
  auto it = table().find(d.code);
  std::string msg = it == table().end() ? d.code : format_message(lang == Lang::Zh ? it->second.zh : it->second.en, d.args);
  if (!d.suggestion.empty())
    msg += lang == Lang::Zh ? "；是否想写 `" + d.suggestion + "`？" : "; did you mean `" + d.suggestion + "`?";
  return msg;
}

// The source line as shown under a diagnostic: a byte that is not part of well-formed UTF-8 (a
// file saved as GBK) becomes '?', so that the rendered text is itself UTF-8 and can go into JSON.
static std::string printable_line(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogate
    }
    if (ok && len == 4) {
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);  // overlong, beyond U+10FFFF
    }
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string render_diagnostic(const Diagnostic& d, Lang lang) {
  std::string out;
  if (d.span.valid()) {
    uint32_t line, column;
    d.span.file->line_col(d.span.begin, line, column);
    out += d.span.file->path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    out += std::string(severity_word(d.severity, lang)) + ": " + diagnostic_message(d, lang) + "\n";
    std::string_view text = d.span.file->line_text(line);
    out += "  " + printable_line(text) + "\n  ";
    // The caret sits under the span's first character; wide (CJK) characters take two columns on a
    // terminal, so the padding doubles for them.
    uint32_t line_start = d.span.file->line_starts[line - 1];
    for (uint32_t i = line_start; i < d.span.begin && i < d.span.file->text.size();) {
      unsigned char c = static_cast<unsigned char>(d.span.file->text[i]);
      int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
      out += c == '\t' ? "\t" : (len >= 3 ? "  " : " ");
      i += len;
    }
    uint32_t end = std::max(d.span.end, d.span.begin + 1);
    uint32_t line_end = line_start + static_cast<uint32_t>(text.size());
    out += "^";
    for (uint32_t i = d.span.begin + 1; i < end && i < line_end;) {
      unsigned char c = static_cast<unsigned char>(d.span.file->text[i]);
      int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
      out += len >= 3 ? "~~" : "~";
      i += len;
    }
    out += "\n";
  } else {
    out += std::string(severity_word(d.severity, lang)) + ": " + diagnostic_message(d, lang) + "\n";
  }
  for (auto& n : d.notes) out += render_diagnostic(n, lang);
  return out;
}

std::string render_diagnostics(const std::vector<Diagnostic>& ds, Lang lang) {
  std::string out;
  for (auto& d : ds) out += render_diagnostic(d, lang);
  return out;
}

nlohmann::json diagnostic_to_json(const Diagnostic& d, Lang lang) {
  nlohmann::json j;
  j["severity"] = d.severity == DiagSeverity::Error ? "error" : d.severity == DiagSeverity::Warning ? "warning" : "note";
  j["code"] = d.code;
  j["message"] = diagnostic_message(d, lang);
  if (d.span.valid()) {
    uint32_t line, column, end_line, end_column;
    d.span.file->line_col(d.span.begin, line, column);
    d.span.file->line_col(std::max(d.span.end, d.span.begin + 1), end_line, end_column);
    j["file"] = d.span.file->path;
    j["line"] = line;
    j["column"] = column;
    j["end_line"] = end_line;
    j["end_column"] = end_column;
  }
  return j;
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  // Levenshtein distance over bytes is enough for ASCII names; for Chinese names a one-character
  // slip costs up to three, which the threshold allows for.
  std::string best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (auto& c : candidates) {
    if (c == name) continue;
    std::vector<size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= name.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= c.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (name[i - 1] == c[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    if (prev[c.size()] < best_distance) {
      best_distance = prev[c.size()];
      best = c;
    }
  }
  return best;
}

}  // namespace zhiping
