// The one public header of Zhiping: load a policy, evaluate records, run a policy's tests. The CLI,
// the playground (through WebAssembly) and the tests use only this.
//
//   auto loaded = zhiping::load_policy("policies/zhengzhou-2024");
//   if (!loaded.ok()) { std::cerr << loaded.render_diagnostics(); return 2; }
//   auto result = zhiping::evaluate_json_text(*loaded.policy, json_text);
//   if (result.ok()) std::cout << result.report.to_json().dump(2);
//
// A Policy is immutable once loaded and may be evaluated from any number of threads at once.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lang/diagnostic.hpp"

namespace zhiping {

struct Program;

// Explicit limits: exceeding one is a clear error, never a hang or a crash.
struct Limits {
  int64_t max_steps = 1000000;          // evaluation steps per rule or output
  int max_depth = 200;                  // nested evaluation depth (expressions, function calls)
  size_t max_input_bytes = 16u << 20;   // one JSON record
  int max_json_depth = 64;              // nesting of arrays and objects in a record
  size_t max_list_items = 100000;       // elements of one list built during evaluation
};

// One source text of a policy given from memory (the playground, embedders). `.zp` files are
// parsed; other files (e.g. `examples/*.json`) are data that tests may name.
struct PolicySource {
  std::string path;
  std::string text;
};

class Policy {
 public:
  explicit Policy(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  const Program& program() const { return *program_; }
  const std::shared_ptr<const Program>& program_ptr() const { return program_; }
  // Subject names in declaration order; the first is the default.
  std::vector<std::string> subjects() const;
  // The declared input schema of a subject as JSON (fields, types, labels, enums), for forms.
  nlohmann::json schema(const std::string& subject = "") const;
  // The rules of a subject ("" = every subject), in evaluation order: what `zhiping rules` lists.
  struct RuleInfo {
    std::string subject, code, title, severity, cite, file;
    uint32_t line = 0, column = 0;
  };
  std::vector<RuleInfo> rules(const std::string& subject = "") const;
  // The text of a data file that was loaded with the policy (from memory or disk), or nullptr.
  const std::string* data_file(const std::string& path) const;

 private:
  std::shared_ptr<const Program> program_;
};

struct LoadResult {
  std::shared_ptr<const Policy> policy;  // null when loading failed
  std::vector<Diagnostic> diagnostics;   // errors, and warnings even when loading succeeded
  std::shared_ptr<const void> sources;   // keeps the source texts that diagnostics point into alive
  bool ok() const { return policy != nullptr; }
  std::string render_diagnostics(Lang lang = Lang::Zh) const { return render_diagnostics_text(diagnostics, lang); }
  static std::string render_diagnostics_text(const std::vector<Diagnostic>& ds, Lang lang);
};

// Loads a `.zp` file or a folder of them (all `*.zp` files in name order, plus `import`s, plus the
// folder's `*.json` files as data for tests).
LoadResult load_policy(const std::string& path);
// Loads from memory; paths are used in messages and to resolve imports and test inputs.
LoadResult load_policy_sources(const std::vector<PolicySource>& sources);

enum class FindingSeverity { Error, Warning, Info };

struct Finding {
  std::string code;
  FindingSeverity severity = FindingSeverity::Error;
  std::string message;
  std::string cite;
  std::string item;           // "achievements[2]" for per-item findings, else ""
  std::string file;           // the rule's place in the policy
  uint32_t line = 0, column = 0;
};

// A report's findings: used like a std::vector<Finding> (range-for, size, [], push_back), with one
// difference that callers do not see: when a reused report ends up with fewer findings than the
// record before it, the findings past the end are kept (up to kKept of them), strings and all, and
// the next record that needs more writes into them. Records differ in how many findings they have;
// with a plain vector (and a per-thread list of spare findings) each difference moved findings out
// and back, which cost ~12 % of the benchmark's eval-only time over 20,000 records. Copies and moves
// carry the findings only.
class FindingList {
 public:
  using value_type = Finding;
  using iterator = Finding*;
  using const_iterator = const Finding*;
  static constexpr size_t kKept = 64;

  FindingList() = default;
  FindingList(std::initializer_list<Finding> fs) : items_(fs), size_(fs.size()) {}
  FindingList(const FindingList& o) : items_(o.begin(), o.end()), size_(o.size_) {}
  FindingList(FindingList&& o) noexcept : items_(std::move(o.items_)), size_(o.size_) { o.size_ = 0; }
  FindingList& operator=(const FindingList& o) {
    if (this != &o) {
      truncate(0);
      for (const Finding& f : o) next() = f;
    }
    return *this;
  }
  FindingList& operator=(FindingList&& o) noexcept {
    items_ = std::move(o.items_);
    size_ = o.size_;
    o.size_ = 0;
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Finding* begin() { return items_.data(); }
  Finding* end() { return items_.data() + size_; }
  const Finding* begin() const { return items_.data(); }
  const Finding* end() const { return items_.data() + size_; }
  Finding& operator[](size_t i) { return items_[i]; }
  const Finding& operator[](size_t i) const { return items_[i]; }
  Finding& front() { return items_[0]; }
  const Finding& front() const { return items_[0]; }
  Finding& back() { return items_[size_ - 1]; }
  const Finding& back() const { return items_[size_ - 1]; }

  void push_back(Finding f) { next() = std::move(f); }
  void pop_back() { --size_; }
  void clear() { truncate(0); }
  // The next finding, appended: a kept one holding an earlier record's text (to be overwritten
  // field by field, as the evaluator does), or a new one.
  Finding& next() {
    if (size_ == items_.size()) items_.emplace_back();
    return items_[size_++];
  }
  // Keeps the first n findings; up to kKept of the rest stay for next().
  void truncate(size_t n) {
    size_ = n < size_ ? n : size_;
    if (items_.size() > size_ + kKept) items_.resize(size_ + kKept);
  }

 private:
  std::vector<Finding> items_;  // [0, size_) are the findings, the rest are kept for reuse
  size_t size_ = 0;
};

// The value of one output for one record.
struct OutputValue {
  std::string name;
  std::string label;      // what applicants read (评审费（元）); "" when the policy gives none
  nlohmann::json value;
};

struct Report {
  bool pass = true;
  FindingList findings;
  // Outputs in declaration order; an output without a value for this record is left out. A plain
  // list rather than a JSON object because a JSON object costs several allocations per record
  // (map, node, and its destruction's own stack) for what is usually one number; to_json() and
  // append_json() write the object {"name": value, …}.
  std::vector<OutputValue> values;
  // The value of output `name`, or nullptr when the report has none.
  const nlohmann::json* value(std::string_view name) const;
  nlohmann::json to_json() const;
  // Appends to `out` the compact JSON text of to_json() (with "line" added when line >= 0), byte for
  // byte what dump() prints, without building the JSON document: the one line per record of batch.
  // Strings must be UTF-8; if one is not, this throws nlohmann's type_error as dump() does.
  void append_json(std::string& out, int64_t line = -1) const;
  // The readable Chinese (or English) report: decision, findings grouped by severity with clauses.
  std::string to_text(Lang lang = Lang::Zh) const;
};

struct EvalOptions {
  std::string subject;        // "" = the policy's first subject
  Limits limits;
  Lang lang = Lang::Zh;
  // Conditions, lets and outputs run compiled (see interpreter/fast.hpp), falling back to the
  // tree-walker for anything unusual. false runs the tree-walker alone: the reference, which the
  // tests compare the fast path with. Reports are the same either way, except that near a limit
  // the fast path, which counts fewer steps and levels, may answer where the tree-walker stops.
  bool fast_path = true;
};

struct EvalResult {
  Report report;
  std::string input_error;    // non-empty when the input was not valid: "$.path: message"
  bool ok() const { return input_error.empty(); }
};

EvalResult evaluate_json(const Policy& policy, const nlohmann::json& input, const EvalOptions& options = {});
EvalResult evaluate_json_text(const Policy& policy, std::string_view json_text, const EvalOptions& options = {});
// The same into `result`, which is overwritten completely but keeps its memory: a loop that
// evaluates many records into one EvalResult (a batch, a service's worker) allocates nothing for
// the report once its strings have grown to size. The result is as evaluate_json_text's.
void evaluate_json_text(const Policy& policy, std::string_view json_text, EvalResult& result, const EvalOptions& options = {});

// A record already validated and converted to the input form of one subject of one policy, so that
// it can be evaluated without JSON work (benchmarks' "eval-only", or one record evaluated several
// times). Immutable: one PreparedInput may be evaluated from any number of threads at once. It must
// be evaluated with the Policy (and subject) it was prepared for, and keeps no reference to the JSON.
struct PreparedInput {
  std::shared_ptr<const void> record;  // the converted record (opaque); null when not ok
  const void* subject = nullptr;       // the subject it was prepared for (opaque)
  std::string input_error;             // as EvalResult::input_error
  bool ok() const { return record != nullptr; }
};
// Validates and converts `input` for options.subject (limits and lang are used for messages).
PreparedInput prepare_input(const Policy& policy, const nlohmann::json& input, const EvalOptions& options = {});
// The same from JSON text: converted straight into the typed slots (no DOM) when the text is valid;
// an invalid text is reported exactly as the DOM path reports it, every problem with its path.
PreparedInput prepare_input_text(const Policy& policy, std::string_view json_text, const EvalOptions& options = {});
// Evaluates a prepared record: the same result as evaluate_json on the JSON it was prepared from.
// A PreparedInput that is not ok, or that was prepared for another subject, gives its input_error.
EvalResult evaluate_prepared(const Policy& policy, const PreparedInput& input, const EvalOptions& options = {});
// The same into `result`, reusing its memory (as evaluate_json_text above).
void evaluate_prepared(const Policy& policy, const PreparedInput& input, EvalResult& result, const EvalOptions& options = {});

struct TestFailure {
  std::string test;
  std::string file;
  uint32_t line = 0, column = 0;
  std::string message;
};

struct TestSummary {
  int passed = 0, failed = 0;
  std::vector<TestFailure> failures;
  std::vector<std::string> codes_raised;  // every code raised by some test (for coverage checks)
  nlohmann::json to_json() const;
};

// Runs every `test` block of the policy.
TestSummary run_policy_tests(const Policy& policy, const EvalOptions& options = {});

// Evaluates one standalone expression (`zhiping eval`). bindings: a JSON object of variables.
struct ExpressionResult {
  enum Status { Value, EvalError, CompileError } status = Value;
  std::string literal;            // the value in expression-literal form (status Value)
  nlohmann::json json;            // {"type": …, "value": …} or {"error": …}
  std::string error;              // rendered diagnostics or the evaluation error
};
ExpressionResult evaluate_expression(const std::string& expr, const nlohmann::json& bindings, bool check,
                                     Lang lang = Lang::Zh, const Limits& limits = {});

}  // namespace zhiping
