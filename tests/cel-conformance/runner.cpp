// The CEL conformance runner: evaluates every record of the fixture that make-fixture.mjs generates
// (CEL's own conformance suite, as plain JSON) with Zhiping's expression core, and compares type and
// value exactly (1, 1u and 1.0 differ).
//
//   cel_conformance FIXTURE.json [--ratchet ratchet.json] [--update-ratchet] [--report out.md]
//                   [--section NAME] [--failures] [--verbose]
//
// Prints the per-section table and ends with `N passed, N failed` over the bar sections. Exits
// non-zero if a bar section passes fewer than 95% of its non-skipped tests or fewer tests than the
// ratchet file records.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/evaluator.hpp"
#include "interpreter/functions.hpp"
#include "interpreter/program.hpp"
#include "lang/checker.hpp"
#include "lang/parser.hpp"
#include "stdlib/domain/date.hpp"

using nlohmann::json;
using namespace zhiping;

namespace {

// The sections whose pass rate is held to the bar (95%, and the ratchet).
const std::vector<std::string> kBarSections = {"basic",    "comparisons", "conversions", "fields", "fp_math",
                                               "integer_math", "lists",    "logic",       "macros", "macros2",
                                               "parse",    "plumbing",    "string",      "timestamps"};
constexpr double kBar = 0.95;

bool is_bar(const std::string& s) { return std::find(kBarSections.begin(), kBarSections.end(), s) != kBarSections.end(); }

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- Types (cel-go notation) -----------------------------------------------------------------

struct TypeParser {
  const std::string& s;
  size_t pos = 0;
  std::string ident() {
    size_t start = pos;
    while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_' || s[pos] == '.' || s[pos] == '*')) ++pos;
    return s.substr(start, pos - start);
  }
  void skip_ws() {
    while (pos < s.size() && s[pos] == ' ') ++pos;
  }
  std::vector<const Type*> params() {
    std::vector<const Type*> out;
    if (pos < s.size() && s[pos] == '(') {
      ++pos;
      while (true) {
        skip_ws();
        out.push_back(parse());
        skip_ws();
        if (pos < s.size() && s[pos] == ',') { ++pos; continue; }
        if (pos < s.size() && s[pos] == ')') { ++pos; break; }
        throw Failure("bad type text: " + s);
      }
    }
    return out;
  }
  const Type* parse() {
    std::string name = ident();
    auto ps = params();
    if (name == "int") return types::int64();
    if (name == "uint") return types::uint64();
    if (name == "double") return types::float64();
    if (name == "bool") return types::boolean();
    if (name == "string") return types::string();
    if (name == "bytes") return types::bytes();
    if (name == "null_type") return types::null();
    if (name == "type") return types::type_value();
    if (name == "google.protobuf.Timestamp") return types::timestamp();
    if (name == "google.protobuf.Duration") return types::duration();
    if (name == "list") return types::list(ps.empty() ? types::dyn() : ps[0]);
    if (name == "map") return types::map(ps.size() > 0 ? ps[0] : types::dyn(), ps.size() > 1 ? ps[1] : types::dyn());
    if (name == "google.protobuf.Struct") return types::map(types::string(), types::dyn());
    if (name == "google.protobuf.ListValue") return types::list(types::dyn());
    // dyn, google.protobuf.Value, wrappers (nullable scalars), type parameters, abstract types.
    return types::dyn();
  }
};

const Type* parse_type(const std::string& text) {
  TypeParser p{text};
  return p.parse();
}

// The expected type text normalised to what Zhiping's type_name prints.
std::string normalise_type_text(const std::string& text) {
  // Zhiping's type values carry no parameter: type(int) is printed "type".
  if (text.rfind("type(", 0) == 0) return "type";
  return text;
}

// ---- Values ------------------------------------------------------------------------------------

std::string base64_decode(const std::string& in) {
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    if (c == '=') break;
    size_t p = chars.find(c);
    if (p == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(p);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// Protobuf JSON durations: "-1.000000001s".
Value parse_fixture_duration(const std::string& text) {
  std::string s = text;
  if (s.empty() || s.back() != 's') throw Failure("bad duration " + text);
  s.pop_back();
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s = s.substr(1);
  size_t dot = s.find('.');
  int64_t secs = std::stoll(s.substr(0, dot));
  int64_t nanos = 0;
  if (dot != std::string::npos) {
    std::string frac = s.substr(dot + 1);
    while (frac.size() < 9) frac += '0';
    nanos = std::stoll(frac.substr(0, 9));
  }
  if (neg) { secs = -secs; nanos = -nanos; }
  return Value::duration(secs, static_cast<int32_t>(nanos));
}

// RFC 3339 in UTC with 0/3/6/9 fraction digits.
Value parse_fixture_timestamp(const std::string& s) {
  int y, mo, d, h, mi, se;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6) throw Failure("bad timestamp " + s);
  int64_t nanos = 0;
  size_t dot = s.find('.');
  if (dot != std::string::npos) {
    std::string frac;
    for (size_t i = dot + 1; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) frac += s[i];
    while (frac.size() < 9) frac += '0';
    nanos = std::stoll(frac.substr(0, 9));
  }
  int64_t days = domain::make_date(y, mo, d).days;
  return Value::timestamp(days * 86400 + h * 3600 + mi * 60 + se, static_cast<int32_t>(nanos));
}

Value decode_double(const json& j) {
  if (j.is_number()) return Value::float64(j.get<double>());
  std::string s = j.get<std::string>();
  if (s == "NaN") return Value::float64(std::nan(""));
  if (s == "Infinity") return Value::float64(INFINITY);
  if (s == "-Infinity") return Value::float64(-INFINITY);
  if (s == "-0") return Value::float64(-0.0);
  throw Failure("bad double " + s);
}

Value decode_value(const json& j) {
  if (j.contains("int")) return Value::int64(std::stoll(j["int"].get<std::string>()));
  if (j.contains("uint")) return Value::uint64(std::stoull(j["uint"].get<std::string>()));
  if (j.contains("double")) return decode_double(j["double"]);
  if (j.contains("bool")) return Value::boolean(j["bool"].get<bool>());
  if (j.contains("string")) return Value::string(j["string"].get<std::string>());
  if (j.contains("null")) return Value::null();
  if (j.contains("bytes")) return Value::bytes(base64_decode(j["bytes"].get<std::string>()));
  if (j.contains("list")) {
    std::vector<Value> items;
    for (auto& x : j["list"]) items.push_back(decode_value(x));
    return Value::list(std::move(items));
  }
  if (j.contains("map")) {
    std::vector<std::pair<Value, Value>> entries;
    for (auto& e : j["map"]) entries.emplace_back(decode_value(e[0]), decode_value(e[1]));
    return Value::map(std::move(entries));
  }
  if (j.contains("type")) return Value::type(j["type"].get<std::string>());
  if (j.contains("timestamp")) return parse_fixture_timestamp(j["timestamp"].get<std::string>());
  if (j.contains("duration")) return parse_fixture_duration(j["duration"].get<std::string>());
  if (j.contains("error")) return Value::error(Span{}, "binding error", "binding error");
  throw Failure("unsupported value encoding: " + j.dump());
}

// The static type of a binding value when the test declares none.
const Type* type_of_value(const Value& v) {
  switch (v.kind) {
    case ValueKind::Int: return types::int64();
    case ValueKind::Uint: return types::uint64();
    case ValueKind::Double: return types::float64();
    case ValueKind::Bool: return types::boolean();
    case ValueKind::String: return types::string();
    case ValueKind::Bytes: return types::bytes();
    case ValueKind::Null: return types::null();
    case ValueKind::Timestamp: return types::timestamp();
    case ValueKind::Duration: return types::duration();
    case ValueKind::Type: return types::type_value();
    case ValueKind::List: return types::list(types::dyn());
    case ValueKind::Map: return types::map(types::dyn(), types::dyn());
    default: return types::dyn();
  }
}

// Exact comparison: same kind and value; doubles compare by value with NaN matching NaN; lists in
// order; maps regardless of order.
bool exactly_equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Double:
      if (std::isnan(a.d) || std::isnan(b.d)) return std::isnan(a.d) && std::isnan(b.d);
      return a.d == b.d;
    case ValueKind::List: {
      if (a.items().size() != b.items().size()) return false;
      for (size_t i = 0; i < a.items().size(); ++i)
        if (!exactly_equal(a.items()[i], b.items()[i])) return false;
      return true;
    }
    case ValueKind::Map: {
      if (a.entries().size() != b.entries().size()) return false;
      for (auto& [k, v] : a.entries()) {
        bool found = false;
        for (auto& [k2, v2] : b.entries()) {
          if (exactly_equal(k, k2)) {
            if (!exactly_equal(v, v2)) return false;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default: return values_equal(a, b);
  }
}

std::string show(const Value& v) {
  if (v.is_error()) return "error: " + v.err().message_en;
  return value_literal(v) + " (" + value_type_name(v) + ")";
}

// ---- One record ------------------------------------------------------------------------------------

struct Outcome {
  bool passed = false;
  std::string detail;  // why it failed
};

Outcome run_record(const json& rec) {
  Outcome out;
  const std::string text = rec["expr"].get<std::string>();
  const json& expect = rec["expect"];
  const bool check_types = !rec.value("disable_check", false);
  const bool check_only = rec.value("check_only", false);

  std::vector<ExpressionBinding> decls;
  std::vector<Value> values;
  std::map<std::string, const Type*> declared;
  if (rec.contains("type_env")) {
    for (auto& d : rec["type_env"]) {
      if (d.contains("function")) {
        out.detail = "declares function '" + d["function"].get<std::string>() + "' (custom functions are not supported)";
        return out;
      }
      declared[d["ident"].get<std::string>()] = parse_type(d["type"].get<std::string>());
    }
  }
  if (rec.contains("bindings")) {
    for (auto it = rec["bindings"].begin(); it != rec["bindings"].end(); ++it) {
      Value v = decode_value(it.value());
      auto d = declared.find(it.key());
      decls.push_back(ExpressionBinding{it.key(), d != declared.end() ? d->second : type_of_value(v)});
      values.push_back(v);
      if (d != declared.end()) declared.erase(d);
    }
  }
  // Declared but unbound names (check-only tests): declared, with no value.
  for (auto& [name, type] : declared) {
    decls.push_back(ExpressionBinding{name, type});
    values.push_back(Value::error(Span{}, "未绑定", "unbound variable '" + name + "'"));
  }

  SourceFile file("<cel>", text);
  DiagnosticSink sink;
  ExprPtr expr = parse_expression(file, sink);
  int frame_size = 0;
  if (expr) frame_size = check_expression(*expr, decls, check_types, sink, FunctionRegistry::standard());
  if (!expr || sink.has_errors()) {
    std::string first = sink.items.empty() ? "?" : diagnostic_message(sink.items.front(), Lang::En);
    out.detail = std::string(expr ? "check error: " : "parse error: ") + first;
    return out;
  }

  if (expect.contains("type")) {
    std::string want = normalise_type_text(expect["type"].get<std::string>());
    std::string got = expr->type ? type_name(expr->type) : "?";
    if (got != want) {
      out.detail = "deduced type " + got + ", expected " + expect["type"].get<std::string>();
      return out;
    }
    if (check_only || !expect.contains("value")) {
      out.passed = true;
      return out;
    }
  } else if (check_only) {
    out.detail = "check_only test without an expected type";
    return out;
  }

  Value v = evaluate_standalone(*expr, values, frame_size, Limits{});

  if (expect.contains("error")) {
    out.passed = v.is_error();
    if (!out.passed) out.detail = "expected an error, got " + show(v);
    return out;
  }
  if (expect.contains("unknown")) {
    out.detail = "unknown results are not supported; got " + show(v);
    return out;
  }
  Value want = decode_value(expect["value"]);
  if (v.is_error()) {
    out.detail = "expected " + show(want) + ", got " + show(v);
    return out;
  }
  out.passed = exactly_equal(v, want);
  if (!out.passed) out.detail = "expected " + show(want) + ", got " + show(v);
  return out;
}

// ---- Report --------------------------------------------------------------------------------------

struct SectionStats {
  int records = 0, passed = 0, failed = 0;
  std::map<std::string, int> skipped;  // by reason
  int skipped_total() const {
    int n = 0;
    for (auto& [_, c] : skipped) n += c;
    return n;
  }
};

std::string percent(int passed, int failed) {
  if (passed + failed == 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * passed / (passed + failed));
  return buf;
}

std::string skip_text(const SectionStats& s) {
  std::string out;
  for (auto& [reason, n] : s.skipped) out += (out.empty() ? "" : "; ") + std::to_string(n) + " " + reason;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string fixture, ratchet_path, report_path, only_section;
  bool update_ratchet = false, show_failures = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ratchet" && i + 1 < argc) ratchet_path = argv[++i];
    else if (a == "--report" && i + 1 < argc) report_path = argv[++i];
    else if (a == "--section" && i + 1 < argc) only_section = argv[++i];
    else if (a == "--update-ratchet") update_ratchet = true;
    else if (a == "--failures") show_failures = true;
    else if (a == "--verbose") verbose = show_failures = true;
    else if (!a.empty() && a[0] != '-' && fixture.empty()) fixture = a;
    else {
      std::cerr << "usage: cel_conformance FIXTURE.json [--ratchet FILE] [--update-ratchet] [--report FILE.md] "
                   "[--section NAME] [--failures] [--verbose]\n";
      return 2;
    }
  }
  if (fixture.empty()) {
    std::cerr << "cel_conformance: no fixture given (generate it with make-fixture.mjs)\n";
    return 2;
  }
  json data;
  {
    std::ifstream in(fixture);
    if (!in) {
      std::cerr << "cel_conformance: cannot read " << fixture << "\n";
      return 2;
    }
    in >> data;
  }

  std::map<std::string, SectionStats> stats;
  std::vector<std::string> order;
  for (auto& rec : data["tests"]) {
    std::string section = rec["section"].get<std::string>();
    if (!stats.count(section)) order.push_back(section);
    auto& st = stats[section];
    ++st.records;
    if (rec.contains("skip")) {
      ++st.skipped[rec["skip"].get<std::string>()];
      continue;
    }
    if (!only_section.empty() && section != only_section) continue;
    Outcome o;
    try {
      o = run_record(rec);
    } catch (const std::exception& e) {
      o.passed = false;
      o.detail = std::string("runner: ") + e.what();
    }
    if (o.passed) ++st.passed;
    else ++st.failed;
    if (show_failures && (!o.passed || verbose)) {
      std::cout << (o.passed ? "PASS " : "FAIL ") << section << "/" << rec["group"].get<std::string>() << "/"
                << rec["name"].get<std::string>() << ": " << rec["expr"].get<std::string>() << "\n";
      if (!o.passed) std::cout << "     " << o.detail << "\n";
    }
  }

  // Bar sections first, in the order, then the others as the suite lists them.
  std::vector<std::string> rows;
  for (auto& s : kBarSections)
    if (stats.count(s)) rows.push_back(s);
  for (auto& s : order)
    if (!is_bar(s)) rows.push_back(s);

  json ratchet = json::object();
  if (!ratchet_path.empty()) {
    std::ifstream in(ratchet_path);
    if (in) in >> ratchet;
  }

  int bar_passed = 0, bar_failed = 0;
  std::vector<std::string> problems;
  std::ostringstream md;
  md << "| section | passed | failed | skipped | pass rate | skip reasons |\n";
  md << "| --- | ---: | ---: | ---: | ---: | --- |\n";
  std::printf("%-14s %7s %7s %8s %9s  %s\n", "section", "passed", "failed", "skipped", "pass rate", "skip reasons");
  bool others_heading = false;
  for (auto& s : rows) {
    auto& st = stats[s];
    bool bar = is_bar(s);
    if (!bar && !others_heading) {
      others_heading = true;
      std::printf("-- not in the bar (outside the closing count) --\n");
      md << "| *not in the bar (outside the closing count):* | | | | | |\n";
    }
    std::printf("%-14s %7d %7d %8d %9s  %s\n", s.c_str(), st.passed, st.failed, st.skipped_total(),
                percent(st.passed, st.failed).c_str(), skip_text(st).c_str());
    md << "| " << s << " | " << st.passed << " | " << st.failed << " | " << st.skipped_total() << " | "
       << percent(st.passed, st.failed) << " | " << skip_text(st) << " |\n";
    if (!bar || !only_section.empty()) continue;
    bar_passed += st.passed;
    bar_failed += st.failed;
    if (st.passed + st.failed > 0 && st.passed < kBar * (st.passed + st.failed))
      problems.push_back(s + ": " + percent(st.passed, st.failed) + " is below the bar of 95%");
    if (ratchet.contains(s) && st.passed < ratchet[s].get<int>())
      problems.push_back(s + ": " + std::to_string(st.passed) + " passed, below the ratchet of " +
                         std::to_string(ratchet[s].get<int>()));
  }
  md << "\nBar sections: " << bar_passed << " passed, " << bar_failed << " failed.\n";

  if (!report_path.empty()) {
    std::ofstream out(report_path);
    out << md.str();
  }
  if (update_ratchet && !ratchet_path.empty() && only_section.empty()) {
    json updated = ratchet;
    for (auto& s : kBarSections) {
      int now = stats.count(s) ? stats[s].passed : 0;
      int before = updated.contains(s) ? updated[s].get<int>() : 0;
      updated[s] = std::max(now, before);  // a ratchet only goes up
    }
    std::ofstream out(ratchet_path);
    out << updated.dump(2) << "\n";
  }
  std::fflush(stdout);
  for (auto& p : problems) std::fprintf(stderr, "FAIL %s\n", p.c_str());
  std::fflush(stderr);
  std::printf("%d passed, %d failed\n", bar_passed, bar_failed);
  return problems.empty() ? 0 : 1;
}
