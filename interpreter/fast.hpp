// The fast path of evaluation: checked expressions compiled at load into a tree of typed nodes that
// pass bools, integers and dates unboxed and every other value by pointer to where it is held (a
// literal, a field of the immutable input, a let already computed, a frame slot).
//
// It only ever answers the common case. Whenever anything unusual happens — an error value, an
// absent field, an overflow, a value whose run-time kind is not the one the checker expected, a
// step budget running out — the fast evaluation gives up ("bails") and the whole root expression is
// evaluated again by the tree-walker (evaluator.cpp), which is the reference semantics and builds
// the error values and messages. Evaluation is pure (lets are memoized with the values the
// tree-walker would compute), so evaluating twice is only slower, never different. That is what
// keeps this second evaluator small: it never has to agree with the first on anything but
// successful results, and the tests compare the two on every policy, example and generated record.
#pragma once
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <stdexcept>
#include <memory>
#include <vector>

#include "interpreter/value.hpp"
#include "lang/ast.hpp"

namespace zhiping {

// How a node's result is held.
enum class Rep : uint8_t {
  B,  // bool
  I,  // int64 (Int)
  D,  // int64 days (Date)
  V,  // a pointer to a Value held elsewhere (strings, records, lists, everything else)
};

enum class FastOp : uint8_t {
  Const,    // a literal (or a list of literals, made once at load)
  Local,    // frame[slot]
  Input,    // a top-level input field
  Let,      // a let or table (computed once per record, or at load)
  Select,   // a field of a record of the checked type
  Index,    // list[int]
  Not, And, Or, Cond,
  Compare,  // == != < <= > >= on two operands of one representation
  Arith,    // + - * / % on ints
  In,       // x in list
  Native,   // a built-in or stdlib function (arguments boxed)
  Unboxed,  // a stdlib function with an unboxed implementation (FunctionOverload::fast)
  User,     // a user function or decision table (arguments boxed; the tree-walker runs it)
  Table,    // a decision table whose cells and results are all literals (or `_`), matched unboxed
  Generic,  // any other node, evaluated by the tree-walker
};

// A node's result: which member is set follows from the node's Rep.
union FastSlot {
  bool b;
  int64_t i;
  const Value* v;
};

struct FastNode;
struct Program;
class Evaluator;
struct EvalContext;
// What a running node reads: the evaluator, the frame of locals, the input record's fields.
struct FastEnv {
  Evaluator& ev;
  EvalContext& ctx;
  Value* frame;
  const Value* input;
};
// Each node is run by a small function chosen for its operation and representation at compile
// time: no dispatch on the node's kind at run time, and a leaf costs a call and a load or two.
using FastFn = bool (*)(const FastNode& n, FastEnv& env, FastSlot& out);

// A node's operands, held in the node itself: at most four (a call with more is left to the
// tree-walker; `?:` has three), and a node and its operands' addresses then share a cache line
// instead of the node pointing at a vector somewhere else on the heap.
class FastArgs {
 public:
  static constexpr size_t kMax = 4;
  FastArgs() = default;
  FastArgs(std::initializer_list<const FastNode*> nodes) {
    for (const FastNode* n : nodes) push_back(n);
  }
  void push_back(const FastNode* n) {
    if (size_ == kMax) throw std::logic_error("a compiled node has at most four operands");
    items_[size_++] = n;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const FastNode* operator[](size_t i) const { return items_[i]; }
  const FastNode* const* begin() const { return items_; }
  const FastNode* const* end() const { return items_ + size_; }

 private:
  const FastNode* items_[kMax] = {};
  uint8_t size_ = 0;
};

// What a node reads on every run comes first (function, slots, constant, the record type a select
// checks, operands); the source node, read by few operations, and the weight, read by roots, last.
struct FastNode {
  FastFn fn = nullptr;
  FastOp op = FastOp::Generic;
  Rep rep = Rep::V;
  char code = 0;                 // Compare: = ! < l(<=) > g(>=); Arith: + - * / %; Let: c (computed at load)
  bool decisive = false;         // And/Or: the operand value that decides (false for &&, true for ||)
  bool negated = false;          // Unboxed: answers the opposite (a `!` folded into the call)
  int slot = -1;
  int base_slot = -1;            // Select of a local or an input field: that slot, read in place
  bool holds = false;            // this subtree may keep temporaries (calls, tree-walked nodes)
  FastSlot constant{};
  const RecordType* record_type = nullptr;
  bool (*native)(const FastSlot* args, FastSlot& out) = nullptr;  // Unboxed: the function's fast form
  FastArgs args;
  const Expr* expr = nullptr;    // the source node: span, overload, callee, literal
  int weight = 1;                // nodes in this subtree: the steps a root charges up front
};

// The compiled forms of a program's expressions; Expr::fast points into it.
class FastPlans {
 public:
  // Compiles `root` and points root.fast at the result, unless the result would only hand the root
  // to the tree-walker. Constants the plans need (lists of literals) are made in `arena`; the
  // program's lets and tables computed at load are read from `program` and become literals.
  void compile(const Expr& root, ValueArena& arena, const Program& program);
  size_t size() const { return nodes_.size(); }

 private:
  const FastNode* node(const Expr& e, ValueArena& arena, const Program& program);
  const FastNode* finish(FastNode& n);  // chooses n.fn and sums the weight
  FastNode& add(FastOp op, Rep rep, const Expr& e);
  std::deque<FastNode> nodes_;  // a deque: nodes never move, and come a block at a time
  std::deque<Value> constants_;
};

// The representation of values of a checked type.
Rep rep_of(const Type* t);

}  // namespace zhiping
