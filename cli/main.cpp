// The `zhiping` command line (see shared/spec/CLI.md): check, batch, test and eval, all through the
// public header interpreter/zhiping.hpp.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/batch.hpp"
#include "interpreter/zhiping.hpp"

namespace {
using namespace zhiping;

constexpr int kExitUsage = 64;

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::string format;
  std::string subject;
  std::string bindings;
  bool no_check = false;
  bool help = false;
  int jobs = 0;
  Lang lang = Lang::Zh;
};

const char* kUsage =
    "用法 / usage:\n"
    "  zhiping check POLICY INPUT [--format json|text] [--subject NAME] [--lang zh|en]\n"
    "  zhiping batch POLICY INPUT.jsonl [--subject NAME] [--jobs N] [--lang zh|en]\n"
    "  zhiping test POLICY [--format json|text] [--lang zh|en]\n"
    "  zhiping rules POLICY [--subject NAME] [--format json|text]\n"
    "  zhiping eval EXPR [--bindings JSON] [--format json|text] [--no-check]\n"
    "POLICY is a .zp file or a folder of them; INPUT is a JSON file or - for standard input.\n"
    "Exit status: 0 pass, 1 fail (or evaluation error), 2 policy did not load, 3 input not valid.\n";

bool parse_args(int argc, char** argv, Args& a, std::string& error) {
  if (argc < 2) return false;
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) { error = "missing value for " + s; return false; }
      out = argv[++i];
      return true;
    };
    if (s == "--format") { if (!value(a.format)) return false; }
    else if (s == "--subject") { if (!value(a.subject)) return false; }
    else if (s == "--bindings") { if (!value(a.bindings)) return false; }
    else if (s == "--lang") {
      std::string l;
      if (!value(l)) return false;
      if (l != "zh" && l != "en") { error = "--lang takes zh or en"; return false; }
      a.lang = l == "en" ? Lang::En : Lang::Zh;
    } else if (s == "--jobs" || s == "-j") {
      std::string j;
      if (!value(j)) return false;
      a.jobs = std::atoi(j.c_str());
      if (a.jobs < 1 || a.jobs > 256) { error = "--jobs takes a number from 1 to 256"; return false; }
    } else if (s == "--no-check") a.no_check = true;
    else if (s == "--help" || s == "-h") a.help = true;
    else if (s == "--") { while (++i < argc) a.positional.push_back(argv[i]); }
    // `zhiping eval -1` is an expression, not an option: a dash before a digit or a paren is a minus.
    else if (s.size() > 1 && s[0] == '-' && s != "-" && !std::isdigit(static_cast<unsigned char>(s[1])) && s[1] != '(' && s[1] != '.') {
      error = "unknown option " + s;
      return false;
    }
    else a.positional.push_back(s);
  }
  if (!a.format.empty() && a.format != "json" && a.format != "text") { error = "--format takes json or text"; return false; }
  return true;
}

bool read_input(const std::string& path, std::string& out) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::shared_ptr<const Policy> load_or_report(const std::string& path, Lang lang) {
  LoadResult r = load_policy(path);
  if (!r.diagnostics.empty()) std::cerr << r.render_diagnostics(lang);
  return r.policy;
}

int cmd_check(const Args& a) {
  if (a.positional.size() != 2) { std::cerr << kUsage; return kExitUsage; }
  auto policy = load_or_report(a.positional[0], a.lang);
  if (!policy) return 2;
  std::string text;
  if (!read_input(a.positional[1], text)) {
    std::cerr << (a.lang == Lang::Zh ? "无法读取输入文件 " : "cannot read input file ") << a.positional[1] << "\n";
    return 3;
  }
  EvalOptions options;
  options.subject = a.subject;
  options.lang = a.lang;
  if (!a.subject.empty()) {
    auto subjects = policy->subjects();
    if (std::find(subjects.begin(), subjects.end(), a.subject) == subjects.end()) {
      std::cerr << (a.lang == Lang::Zh ? "政策中没有对象 " : "the policy has no subject ") << a.subject << "\n";
      return kExitUsage;
    }
  }
  EvalResult r = evaluate_json_text(*policy, text, options);
  if (!r.ok()) {
    std::cerr << r.input_error << "\n";
    return 3;
  }
  bool text_format = a.format == "text" || (a.format.empty() && isatty(STDOUT_FILENO));
  if (text_format) std::cout << r.report.to_text(a.lang);
  else std::cout << r.report.to_json().dump(2) << "\n";
  return r.report.pass ? 0 : 1;
}

// Batch streams (cli/batch.cpp): memory stays flat whatever the input's size, output is in input order.
int cmd_batch(const Args& a) {
  if (a.positional.size() != 2) { std::cerr << kUsage; return kExitUsage; }
  auto policy = load_or_report(a.positional[0], a.lang);
  if (!policy) return 2;
  const std::string& path = a.positional[1];
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << (a.lang == Lang::Zh ? "无法读取输入文件 " : "cannot read input file ") << path << "\n";
      return 3;
    }
  }
  cli::BatchSettings settings;
  settings.options.subject = a.subject;
  settings.options.lang = a.lang;
  settings.jobs = a.jobs > 0 ? static_cast<unsigned>(a.jobs) : std::max(1u, std::thread::hardware_concurrency());
  settings.progress = isatty(STDERR_FILENO);
  // The size of a regular input file, for the progress line's ETA (0 when unknown, e.g. a pipe).
  struct stat st;
  if (path != "-" && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) settings.total_bytes = static_cast<uint64_t>(st.st_size);
  cli::BatchCounts counts;
  std::string error;
  std::cout.flush();  // nothing is buffered there today; batch writes to the descriptor itself
  bool ok = cli::run_batch(*policy, fd, STDOUT_FILENO, settings, counts, error);
  if (fd != STDIN_FILENO) ::close(fd);
  std::cerr << "records: " << counts.records << ", pass: " << counts.passed << ", fail: " << counts.failed
            << ", invalid: " << counts.invalid << ", records/s: " << static_cast<long>(counts.records / std::max(counts.seconds, 1e-9)) << "\n";
  if (!ok) {
    std::cerr << "zhiping: " << error << "\n";
    return 3;
  }
  return 0;
}

int cmd_test(const Args& a) {
  if (a.positional.size() != 1) { std::cerr << kUsage; return kExitUsage; }
  auto policy = load_or_report(a.positional[0], a.lang);
  if (!policy) return 2;
  EvalOptions options;
  options.lang = a.lang;
  TestSummary s = run_policy_tests(*policy, options);
  if (a.format == "json") {
    std::cout << s.to_json().dump(2) << "\n";
  } else {
    for (auto& f : s.failures)
      std::cout << f.file << ":" << f.line << ":" << f.column << ": " << (a.lang == Lang::Zh ? "测试“" : "test \"") << f.test
                << (a.lang == Lang::Zh ? "”失败：" : "\" failed: ") << f.message << "\n";
    std::cout << s.passed << " passed, " << s.failed << " failed\n";
  }
  return s.failed == 0 ? 0 : 1;
}

// Lists the rules of a policy: code, severity, clause and place. Policy staff use it as a table
// of contents; the coverage check of the test suite compares it with RULES.md.
int cmd_rules(const Args& a) {
  if (a.positional.size() != 1) { std::cerr << kUsage; return kExitUsage; }
  auto policy = load_or_report(a.positional[0], a.lang);
  if (!policy) return 2;
  auto rules = policy->rules(a.subject);
  if (a.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (auto& r : rules)
      out.push_back({{"subject", r.subject}, {"code", r.code}, {"title", r.title}, {"severity", r.severity}, {"cite", r.cite},
                     {"file", r.file}, {"line", r.line}, {"column", r.column}});
    std::cout << out.dump(2) << "\n";
  } else {
    for (auto& r : rules)
      std::cout << r.file << ":" << r.line << ": " << r.subject << " " << r.code << " [" << r.severity << "] " << r.cite
                << (r.title.empty() ? "" : " " + r.title) << "\n";
  }
  return 0;
}

int cmd_eval(const Args& a) {
  if (a.positional.size() != 1) { std::cerr << kUsage; return kExitUsage; }
  nlohmann::json bindings = nlohmann::json::object();
  if (!a.bindings.empty()) {
    try {
      bindings = nlohmann::json::parse(a.bindings);
    } catch (const std::exception& e) {
      std::cerr << "--bindings: " << e.what() << "\n";
      return kExitUsage;
    }
    if (!bindings.is_object()) {
      std::cerr << "--bindings takes a JSON object\n";
      return kExitUsage;
    }
  }
  ExpressionResult r = evaluate_expression(a.positional[0], bindings, !a.no_check, a.lang);
  bool json = a.format == "json";
  switch (r.status) {
    case ExpressionResult::Value:
      if (json) std::cout << r.json.dump() << "\n";
      else std::cout << r.literal << "\n";
      return 0;
    case ExpressionResult::EvalError:
      if (json) std::cout << r.json.dump() << "\n";
      else std::cerr << r.error << "\n";
      return 1;
    case ExpressionResult::CompileError:
      if (json) std::cout << r.json.dump() << "\n";
      std::cerr << r.error;
      return 2;
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // C++ streams need not stay in step with C stdio here; unsynchronised they buffer. (Batch reads and
  // writes the file descriptors itself, a block at a time.)
  std::ios::sync_with_stdio(false);
  Args a;
  std::string error;
  if (!parse_args(argc, argv, a, error)) {
    if (!error.empty()) std::cerr << "zhiping: " << error << "\n";
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (a.help || a.command == "help" || a.command == "--help" || a.command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (a.command == "--version" || a.command == "version") {
    std::cout << "zhiping 0.1.0\n";
    return 0;
  }
  if (a.command == "check") return cmd_check(a);
  if (a.command == "batch") return cmd_batch(a);
  if (a.command == "test") return cmd_test(a);
  if (a.command == "eval") return cmd_eval(a);
  if (a.command == "rules") return cmd_rules(a);
  std::cerr << "zhiping: unknown command " << a.command << "\n" << kUsage;
  return kExitUsage;
}
