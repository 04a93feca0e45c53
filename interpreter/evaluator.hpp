// The evaluator of checked expressions and the per-record state it keeps (lets computed on demand,
// outputs, the step budget). One EvalContext per record and thread; the Program is only read.
#pragma once
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "interpreter/fast.hpp"
#include "interpreter/program.hpp"
#include "interpreter/value.hpp"
#include "interpreter/zhiping.hpp"

namespace zhiping {

// Thrown when a limit is exceeded; caught where a rule or output is evaluated, so that the other
// rules still run. Never escapes the public API.
struct EvalLimitExceeded : std::runtime_error {
  std::string message_zh;
  explicit EvalLimitExceeded(std::string en, std::string zh) : std::runtime_error(std::move(en)), message_zh(std::move(zh)) {}
};

struct EvalContext {
  const Program* program = nullptr;
  const SubjectInfo* subject = nullptr;
  Value input;                          // the input record
  const Value* input_fields = nullptr;  // its fields, for the fast path (set with `input`)
  std::vector<Value> lets;              // per let index: the value once computed
  std::vector<uint8_t> let_state;       // 0 not computed, 1 computing, 2 done
  std::vector<Value> outputs;
  std::vector<uint8_t> output_state;
  std::vector<Value> bindings;          // zhiping eval
  std::vector<Value> fast_temps;        // values the fast path made, while a root is evaluated
  bool use_fast = true;                 // false: the tree-walker only (EvalOptions::fast_path)
  Limits limits;
  int64_t steps_left = 0;
  int depth = 0;
};

// What a native function may use: where it was called from, to put on errors it returns.
struct CallContext {
  Span span;
  EvalContext* eval = nullptr;
  Value error(std::string zh, std::string en) const { return Value::error(span, std::move(zh), std::move(en)); }
};

// Locals of one evaluation unit (a rule, a let, a function call). Small frames, the common case, live
// on the C++ stack: evaluation allocates no memory for its own bookkeeping.
class Frame {
 public:
  explicit Frame(size_t size) : size_(size) {
    data_ = size <= kInline ? reinterpret_cast<Value*>(inline_) : static_cast<Value*>(::operator new(size * sizeof(Value)));
    // Only the slots asked for are constructed: a call with one argument pays for one value.
    for (size_t i = 0; i < size; ++i) new (data_ + i) Value();
  }
  ~Frame() {
    for (size_t i = 0; i < size_; ++i) data_[i].~Value();
    if (size_ > kInline) ::operator delete(data_);
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;
  Value* data() { return data_; }

 private:
  static constexpr size_t kInline = 8;
  alignas(Value) unsigned char inline_[kInline * sizeof(Value)];
  Value* data_;
  size_t size_;
};

// The compiled root of a condition when it answers a bool, else nullptr (the tree-walker's).
inline const FastNode* compiled_condition(const Expr& e) { return e.fast && e.fast->rep == Rep::B ? e.fast : nullptr; }

// What a value is expected to take in a message (the size a text is written at once): a text its
// size, anything else up to 16 bytes.
inline size_t display_bytes(const Value& v) { return v.kind == ValueKind::String ? v.str().size() : 16; }

// Appends the text of interpolation `e` to `out`: its literal parts, with operand i appended by
// append_operand(i) between parts i and i + 1. The text is sized once, from the parts and
// `operand_bytes` (what the operands are expected to take): a message quotes the applicant's own
// texts, which a guess would miss, and growing a string copies it.
template <typename AppendOperand>
void write_interpolation(const Expr& e, size_t operand_bytes, std::string& out, AppendOperand append_operand) {
  size_t size = operand_bytes;
  for (const std::string& part : e.parts) size += part.size();
  out.reserve(out.size() + size);
  if (!e.parts.empty()) out += e.parts[0];
  for (size_t i = 0; i < e.args.size(); ++i) {
    append_operand(i);
    if (i + 1 < e.parts.size()) out += e.parts[i + 1];
  }
}

// The operands an interpolation may have for interpolate_fast.
constexpr size_t kMaxFastMessageOperands = 8;
// The steps interpolate_fast charges for `e`, or 0 when it cannot write it (not an interpolation,
// too many operands, one without a compiled root or whose root keeps temporaries).
int interpolation_steps(const Expr& e);

// The load-time value of let or table `index` (see Evaluator::let_constant), or nullptr.
const Value* let_constant(const Program& p, int index);

class Evaluator {
 public:
  explicit Evaluator(EvalContext& ctx) : ctx_(ctx) {}
  // Evaluates an expression with the given frame of locals (sized by the checker).
  Value eval(const Expr& e, Value* frame);
  Value let_value(int index);
  // A condition's value when the fast path answers it (true), counted like eval(); false when the
  // condition must be evaluated with eval().
  bool try_condition(const Expr& e, Value* frame, bool& result);
  // The same for a condition's compiled root (see compiled_condition), which a rule's plan keeps:
  // its answer, or Unknown when the tree-walker must evaluate it.
  enum class Answer : uint8_t { False, True, Unknown };
  bool fast_enabled() const { return ctx_.use_fast; }
  Answer run_condition(const FastNode& root, Value* frame);
  // The same for a caller that runs one condition over many items (a rule's for-each) and keeps
  // the environment: inline, it answers the common case (the budget suffices, no temporaries) with
  // one indirect call, and leaves the rest to run_condition. (Per item, run_condition cost ~40
  // instructions more: a call, the environment made again, the checks split over two functions.)
  Answer run_condition(const FastNode& root, FastEnv& env) {
    const int64_t steps = ctx_.steps_left;
    const int64_t cost = root.weight + 1;  // as run_condition charges: the nodes, and the condition
    if (root.holds || steps < cost) return run_condition(root, env.frame);
    ctx_.steps_left = steps - cost;
    FastSlot s;
    if (root.fn(root, env, s)) return s.b ? Answer::True : Answer::False;
    ctx_.steps_left = steps;
    return Answer::Unknown;
  }
  // The environment compiled nodes run in, with `frame` for locals.
  FastEnv fast_env(Value* frame) { return FastEnv{*this, ctx_, frame, ctx_.input_fields}; }
  // Input field `slot` when it holds a list, counted as operand() counts it (one step), or nullptr:
  // operand() then says why (absent, not a list, no step left).
  const Value* input_list(int slot) {
    const Value* v = ctx_.input_fields ? &ctx_.input_fields[slot] : nullptr;
    if (!v || v->kind != ValueKind::List || ctx_.steps_left < 1) return nullptr;
    --ctx_.steps_left;
    return v;
  }
  Value output_value(int index);
  // The usual output (a bool, int or date computed by its compiled root, without `when` or
  // temporaries) not yet computed for this record: computed and memoized by compute_fast, as
  // output_value does, and handed over unboxed (`rep` says which); false, with nothing changed, for
  // any other: output_value's.
  bool output_scalar(int index, FastSlot& out, Rep& rep);
  // Appends the text of `e` (a message: an interpolation, or any expression, shown as an applicant
  // reads it) to `out`; returns the error value when one arose, else null.
  Value eval_text(const Expr& e, Value* frame, std::string& out);
  // The same for an interpolation whose operands all have compiled roots keeping no temporaries,
  // by those roots (`steps`: its node and theirs, see interpolation_steps); false, with nothing
  // written or counted, when a root bails or the budget does not suffice: eval_text's turn then.
  bool interpolate_fast(const Expr& e, int steps, Value* frame, std::string& out);
  // The value of `e`, counted like eval(): read in place when it is held somewhere (a literal, a
  // local, an input field, a computed let, a field of one of these), else evaluated into `scratch`.
  const Value& operand(const Expr& e, Value* frame, Value& scratch);
  // Calls a user function or decision table with evaluated arguments.
  Value call_user(const Decl& callee, const Value* args, size_t count, Span span);

 private:
  Value eval_inner(const Expr& e, Value* frame);
  const Value* peek(const Expr& e, Value* frame);
  const Value* locate(const Expr& e, Value* frame, int& nodes);
  const Value* let_constant(int index) const;
  Value eval_call(const Expr& e, Value* frame);
  Value eval_binary(const Expr& e, const Value& a, const Value& b);
  Value eval_comprehension(const Expr& e, Value* frame);
  Value eval_select(const Expr& e, const Value& operand);
  Value eval_index(const Expr& e, const Value& container, const Value& index);
  Value eval_record(const Expr& e, Value* frame);
  Value eval_interpolation(const Expr& e, Value* frame);
  Value interpolate(const Expr& e, Value* frame, std::string& out);
  [[noreturn]] void limit_exceeded();
  // The fast path (fast.cpp): false when it bails and the tree-walker must evaluate the root.
  bool run_fast(const FastNode& root, Value* frame, Value& out);
  bool run_root(const FastNode& root, Value* frame, FastSlot& out, int extra = 0);
  bool run_holding(const FastNode& root, FastEnv& env, FastSlot& out);
  bool compute_fast(const Decl& d, Value& cache, uint8_t& state, FastSlot* result = nullptr);
  const FastNode* computable_root(const Decl& d, uint8_t state) const;
  bool hold(Value v, Rep rep, FastSlot& out);
  friend struct FastOps;

  EvalContext& ctx_;
  Value held_result_;  // a fast root's result that was a temporary (see run_root)
};

// Evaluates a checked standalone expression (`zhiping eval`, the CEL conformance runner) with the
// values of its bindings; an exceeded limit comes back as an error value.
Value evaluate_standalone(const Expr& expr, std::vector<Value> bindings, int frame_size, const Limits& limits);

// Dispatches a call by the run-time types of its arguments (unchecked expressions).
Value dispatch_dynamic(const std::string& name, bool receiver_style, const std::vector<Value>& args, CallContext& ctx);

// The error value CEL calls "no such overload".
Value no_overload_error(Span span, const std::string& name, const std::vector<Value>& args);

}  // namespace zhiping
