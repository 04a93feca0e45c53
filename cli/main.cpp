// The `zhiping` command line (see shared/spec/CLI.md): check, batch, test and eval, all through the
// public header interpreter/zhiping.hpp.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

// Reads lines of at most `limit` bytes in big chunks. A longer line is cut, flagged and the rest of
// it skipped, so that one enormous line cannot make batch's memory grow with the file.
class LineReader {
 public:
  LineReader(std::istream& in, size_t limit) : in_(in), limit_(limit), buffer_(1 << 20) {}
  // The next line without its end of line; false at the end of the input.
  bool next(std::string& line, bool& too_long) {
    line.clear();
    too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == len_ && !fill()) return any;
      any = true;
      const char* begin = buffer_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', len_ - pos_));
      size_t chunk = nl ? static_cast<size_t>(nl - begin) : len_ - pos_;
      if (!too_long) {
        if (line.size() + chunk > limit_) too_long = true;
        else line.append(begin, chunk);
      }
      pos_ += chunk + (nl ? 1 : 0);
      consumed_ += chunk + (nl ? 1 : 0);
      if (nl) break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  uint64_t bytes_read() const { return consumed_; }

 private:
  bool fill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    len_ = static_cast<size_t>(in_.gcount());
    pos_ = 0;
    return len_ > 0;
  }
  std::istream& in_;
  size_t limit_;
  std::vector<char> buffer_;
  size_t pos_ = 0, len_ = 0;
  uint64_t consumed_ = 0;
};

// Batch: lines are read in blocks; each block is evaluated by the worker threads and written in
// input order before the next block is read, so memory stays flat and no record is reordered.
int cmd_batch(const Args& a) {
  if (a.positional.size() != 2) { std::cerr << kUsage; return kExitUsage; }
  auto policy = load_or_report(a.positional[0], a.lang);
  if (!policy) return 2;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.positional[1] != "-") {
    file.open(a.positional[1], std::ios::binary);
    if (!file) {
      std::cerr << (a.lang == Lang::Zh ? "无法读取输入文件 " : "cannot read input file ") << a.positional[1] << "\n";
      return 3;
    }
    in = &file;
  }
  EvalOptions options;
  options.subject = a.subject;
  options.lang = a.lang;
  unsigned jobs = a.jobs > 0 ? static_cast<unsigned>(a.jobs) : std::max(1u, std::thread::hardware_concurrency());
  // A block of lines with its results; `first_line` is the 1-based number of its first line.
  struct Block {
    std::vector<std::string> lines, outputs;
    std::vector<int> status;  // 0 pass, 1 fail, 2 invalid
    std::vector<char> too_long;
    size_t first_line = 1;
  };
  const size_t block_size = 4096;
  size_t line_no = 0, records = 0, passed = 0, failed = 0, invalid = 0;
  bool progress = isatty(STDERR_FILENO);
  auto start = std::chrono::steady_clock::now();
  bool eof = false;
  LineReader reader(*in, options.limits.max_input_bytes);
  // The size of a regular input file, for the progress line's ETA (0 when unknown, e.g. a pipe).
  std::error_code size_error;
  uint64_t total_bytes = a.positional[1] == "-" ? 0 : std::filesystem::file_size(a.positional[1], size_error);
  if (size_error) total_bytes = 0;
  auto read_block = [&](Block& b) {
    b.lines.clear();
    b.too_long.clear();
    b.first_line = line_no + 1;
    std::string line;
    bool too_long = false;
    while (!eof && b.lines.size() < block_size) {
      if (!reader.next(line, too_long)) { eof = true; break; }
      b.lines.push_back(std::move(line));
      b.too_long.push_back(too_long);
    }
    line_no += b.lines.size();
    b.outputs.assign(b.lines.size(), std::string());
    b.status.assign(b.lines.size(), 0);
  };
  auto evaluate_line = [&](Block& b, size_t i) {
    {
      nlohmann::json out;
      if (b.too_long[i]) {
        out = {{"line", b.first_line + i},
               {"error", "$: " + std::string(a.lang == Lang::Zh ? "输入过大（上限 " : "input too large (limit ") +
                             std::to_string(options.limits.max_input_bytes) + (a.lang == Lang::Zh ? " 字节）" : " bytes)")}};
        b.status[i] = 2;
      } else if (b.lines[i].find_first_not_of(" \t") == std::string::npos) {
        out = {{"line", b.first_line + i}, {"error", a.lang == Lang::Zh ? "空行" : "empty line"}};
        b.status[i] = 2;
      } else {
        EvalResult r = evaluate_json_text(*policy, b.lines[i], options);
        if (!r.ok()) {
          out = {{"line", b.first_line + i}, {"error", r.input_error}};
          b.status[i] = 2;
        } else {
          // A report, the common line, is written as text directly: building its JSON document only
          // to print it cost about as much as evaluating the record.
          r.report.append_json(b.outputs[i], static_cast<int64_t>(b.first_line + i));
          b.status[i] = r.report.pass ? 0 : 1;
          return;
        }
      }
      b.outputs[i] = out.dump();
    }
  };
  // Workers take runs of 64 lines from a shared counter until the block is done: contiguous runs keep
  // threads from writing results into the same cache line, and taking them on demand keeps every
  // thread busy to the end of the block.
  std::atomic<size_t> next_line{0};
  auto work = [&](Block& b) {
    const size_t n = b.lines.size();
    for (;;) {
      size_t first = next_line.fetch_add(64);
      if (first >= n) break;
      for (size_t i = first; i < std::min(n, first + 64); ++i) evaluate_line(b, i);
    }
  };
  auto write_block = [&](const Block& b) {
    for (size_t i = 0; i < b.outputs.size(); ++i) {
      std::cout << b.outputs[i] << '\n';
      ++records;
      if (b.status[i] == 0) ++passed;
      else if (b.status[i] == 1) ++failed;
      else ++invalid;
    }
    if (progress && !b.outputs.empty()) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "\r" << records << " records, " << static_cast<long>(records / std::max(secs, 1e-9)) << " records/s";
      uint64_t done = reader.bytes_read();
      if (total_bytes > 0 && done > 0 && done <= total_bytes)
        std::cerr << ", ETA " << static_cast<long>(secs * static_cast<double>(total_bytes - done) / static_cast<double>(done)) << " s   ";
      std::cerr << std::flush;
    }
  };
  // With one job everything runs on this thread. With more, the workers evaluate block k while this
  // thread writes block k-1 and reads block k+1, then joins them on block k: reading and writing are
  // serial, so they must not wait for the evaluation. Output order is input order because blocks are
  // written in turn. The workers live for the whole run, not one block: a thread keeps per-thread
  // state (compiled patterns, its evaluation context and arena) that a new thread would rebuild.
  Block previous, current, next;
  std::mutex pool_mutex;
  std::condition_variable pool_wake, pool_done;
  size_t generation = 0, busy = 0;
  bool stopping = false;
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < jobs; ++t) {
    // jobs - 1 workers: this thread is the last job, so no more threads run than were asked for.
    workers.emplace_back([&] {
      size_t seen = 0;
      for (;;) {
        {
          std::unique_lock<std::mutex> lock(pool_mutex);
          pool_wake.wait(lock, [&] { return stopping || generation != seen; });
          if (stopping) return;
          seen = generation;
        }
        work(current);
        std::lock_guard<std::mutex> lock(pool_mutex);
        if (--busy == 0) pool_done.notify_one();
      }
    });
  }
  read_block(current);
  while (!current.lines.empty()) {
    if (jobs == 1) {
      for (size_t i = 0; i < current.lines.size(); ++i) evaluate_line(current, i);
      write_block(current);
      read_block(current);
      continue;
    }
    next_line = 0;
    {
      std::lock_guard<std::mutex> lock(pool_mutex);
      busy = workers.size();
      ++generation;
    }
    pool_wake.notify_all();
    write_block(previous);
    previous.outputs.clear();
    read_block(next);
    work(current);  // this thread helps once its reading and writing are done
    {
      std::unique_lock<std::mutex> lock(pool_mutex);
      pool_done.wait(lock, [&] { return busy == 0; });
    }
    std::swap(previous, current);
    std::swap(current, next);
  }
  {
    std::lock_guard<std::mutex> lock(pool_mutex);
    stopping = true;
  }
  pool_wake.notify_all();
  for (auto& t : workers) t.join();
  write_block(previous);
  std::cout.flush();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) std::cerr << "\n";
  std::cerr << "records: " << records << ", pass: " << passed << ", fail: " << failed << ", invalid: " << invalid
            << ", records/s: " << static_cast<long>(records / std::max(secs, 1e-9)) << "\n";
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
  // C++ streams need not stay in step with C stdio here; unsynchronised they buffer, which matters
  // for batch, where reading and writing are the serial part of the work.
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
