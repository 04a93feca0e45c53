// The fast path (see fast.hpp): compiling checked expressions, and the functions that run the
// compiled form.
#include "interpreter/fast.hpp"

#include <limits>

#include "interpreter/evaluator.hpp"
#include "interpreter/functions.hpp"

namespace zhiping {

Rep rep_of(const Type* t) {
  if (!t) return Rep::V;
  switch (t->kind) {
    case TypeKind::Bool: return Rep::B;
    case TypeKind::Int: return Rep::I;
    case TypeKind::Date: return Rep::D;
    default: return Rep::V;
  }
}

namespace {
// Reads `v` as representation R; false when its kind is not the one expected (or an error).
template <Rep R>
inline bool unbox(const Value& v, FastSlot& out) {
  // A bool is read only from a bool: another kind's bytes (a pointer, an int) are no valid bool.
  if constexpr (R == Rep::B) {
    if (v.kind != ValueKind::Bool) return false;
    out.b = v.b;
    return true;
  }
  if constexpr (R == Rep::I) { out.i = v.i; return v.kind == ValueKind::Int; }
  if constexpr (R == Rep::D) { out.i = v.i; return v.kind == ValueKind::Date; }
  if constexpr (R == Rep::V) { out.v = &v; return !v.is_error() && !v.is_absent(); }
}

inline bool unbox(const Value& v, Rep rep, FastSlot& out) {
  switch (rep) {
    case Rep::B: return unbox<Rep::B>(v, out);
    case Rep::I: return unbox<Rep::I>(v, out);
    case Rep::D: return unbox<Rep::D>(v, out);
    case Rep::V: return unbox<Rep::V>(v, out);
  }
  return false;
}
}  // namespace

FastNode& FastPlans::add(FastOp op, Rep rep, const Expr& e) {
  FastNode& n = nodes_.emplace_back();
  n.op = op;
  n.rep = rep;
  n.expr = &e;
  return n;
}

void FastPlans::compile(const Expr& root, ValueArena& arena, const Program& program) {
  const FastNode* n = node(root, arena, program);
  if (n->op != FastOp::Generic) root.fast = n;
}

namespace {
constexpr size_t kMaxFastArgs = FastArgs::kMax;

bool is_ordering(const std::string& op) { return op == "<" || op == "<=" || op == ">" || op == ">="; }

// Whether a decision table can be matched without the tree-walker: every cell `_` or a literal of
// the kind its argument is held as (so that equality is plain equality), every result a literal of
// the call's representation.
bool literal_table(const Decl& table, const FastNode& call) {
  if (table.kind != DeclKind::Decision || table.rows.empty()) return false;
  auto same_kind = [](const Value& v, Rep rep) {
    switch (rep) {
      case Rep::B: return v.kind == ValueKind::Bool;
      case Rep::I: return v.kind == ValueKind::Int;
      case Rep::D: return v.kind == ValueKind::Date;
      case Rep::V: return v.kind == ValueKind::String;
    }
    return false;
  };
  for (const DecisionRow& row : table.rows) {
    if (row.cells.size() != call.args.size() || row.modes.size() != row.cells.size()) return false;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (row.modes[i] == CellMode::Any) continue;
      const Expr* cell = row.cells[i].get();
      if (row.modes[i] != CellMode::Equal || !cell || cell->kind != ExprKind::Literal || !same_kind(cell->literal, call.args[i]->rep))
        return false;
    }
    if (!row.result || row.result->kind != ExprKind::Literal) return false;
    const Value& result = row.result->literal;
    if (call.rep == Rep::V ? result.is_error() || result.is_absent() : !same_kind(result, call.rep)) return false;
  }
  return true;
}

// Whether a call can take the function's unboxed implementation: it has one, and the arguments and
// the result are held as its parameter and result types say (a dyn argument is not).
bool unboxed_native(const FunctionOverload& f, const FastNode& call) {
  if (!f.fast || f.params.size() != call.args.size() || rep_of(f.result) != call.rep || call.rep == Rep::V) return false;
  for (size_t i = 0; i < call.args.size(); ++i)
    if (call.args[i]->rep != rep_of(f.params[i])) return false;
  return true;
}

bool is_text_constant(const FastNode& n) { return n.op == FastOp::Const && n.rep == Rep::V && n.constant.v->kind == ValueKind::String; }

// The comparison that answers the opposite of `code` (for operands that compare at all: a NaN or
// values of two kinds bail before either answers).
char opposite_compare(char code) {
  switch (code) {
    case '=': return '!';
    case '!': return '=';
    case '<': return 'g';
    case 'l': return '>';
    case '>': return 'l';
    default: return '<';  // 'g'
  }
}

char compare_code(const std::string& op) {
  if (op == "==") return '=';
  if (op == "!=") return '!';
  if (op == "<=") return 'l';
  if (op == ">=") return 'g';
  return op[0];
}
}  // namespace

const FastNode* FastPlans::node(const Expr& e, ValueArena& arena, const Program& program) {
  const Rep rep = rep_of(e.type);
  auto generic = [&]() -> const FastNode* { return finish(add(FastOp::Generic, rep, e)); };
  auto children = [&](FastNode& n) -> FastNode& {
    for (auto& a : e.args) n.args.push_back(node(*a, arena, program));
    return n;
  };
  switch (e.kind) {
    case ExprKind::Literal: {
      FastNode& n = add(FastOp::Const, rep, e);
      // Unboxed when its kind is the representation's; else held as a value (the operations that
      // read it check its kind); an error or absent literal is the tree-walker's.
      if (unbox(e.literal, rep, n.constant)) return finish(n);
      n.rep = Rep::V;
      if (!unbox(e.literal, Rep::V, n.constant)) return generic();
      return finish(n);
    }
    case ExprKind::List: {
      // A list of literals (`x in ["proof", "acceptance_notice"]`) is made once, here.
      std::vector<Value> items;
      for (auto& a : e.args) {
        if (a->kind != ExprKind::Literal || a->literal.is_error() || a->literal.is_absent()) return generic();
        items.push_back(a->literal);
      }
      ArenaScope scope(&arena);
      constants_.push_back(Value::list(std::move(items)));
      FastNode& n = add(FastOp::Const, Rep::V, e);
      n.constant.v = &constants_.back();
      return finish(n);
    }
    case ExprKind::Ident: {
      FastOp op;
      switch (e.name_kind) {
        case NameKind::Local: op = FastOp::Local; break;
        case NameKind::InputField: op = FastOp::Input; break;
        case NameKind::Let:
        case NameKind::Table: op = FastOp::Let; break;
        default: return generic();
      }
      // A shared let or a table is computed at load: its value is a constant of the plan, read
      // like a literal, unless it is not of the kind its representation expects.
      const Value* c = op == FastOp::Let ? let_constant(program, e.slot) : nullptr;
      FastSlot constant;
      if (c && unbox(*c, rep, constant)) {
        FastNode& n = add(FastOp::Const, rep, e);
        n.constant = constant;
        return finish(n);
      }
      FastNode& n = add(op, rep, e);
      n.slot = e.slot;
      if (c) n.code = 'c';  // a constant of another kind than expected: the let operation reads it
      return finish(n);
    }
    case ExprKind::Select: {
      if (e.slot < 0 || !e.record_type) return generic();
      const FastNode* base = node(*e.args[0], arena, program);
      if (base->rep != Rep::V) return generic();
      FastNode& n = add(FastOp::Select, rep, e);
      n.slot = e.slot;
      n.record_type = e.record_type;
      n.args.push_back(base);
      // `a.content`, `current_title.obtained`: the record is read where it is held, in one node.
      if (base->op == FastOp::Local || base->op == FastOp::Input) n.base_slot = base->slot;
      return finish(n);
    }
    case ExprKind::Index: {
      const FastNode* list = node(*e.args[0], arena, program);
      const FastNode* index = node(*e.args[1], arena, program);
      if (list->rep != Rep::V || index->rep != Rep::I || !e.args[0]->type || e.args[0]->type->kind != TypeKind::List)
        return generic();
      FastNode& n = add(FastOp::Index, rep, e);
      n.args = {list, index};
      return finish(n);
    }
    case ExprKind::Unary: {
      if (e.name != "!" || rep != Rep::B) return generic();
      FastNode& n = children(add(FastOp::Not, rep, e));
      if (n.args[0]->rep != Rep::B) return generic();
      // `!` of a comparison or of an unboxed call (`!tenure_met(…)`, `!u.name.endsWith(".pdf")`) is
      // folded into it: the comparison's opposite, the call's negated form. One node and one
      // indirect call fewer; the weight stays that of the two nodes, as the tree-walker counts.
      // (A folded node answers exactly when the pair did; a bail re-evaluates the source.)
      FastNode& child = const_cast<FastNode&>(*n.args[0]);  // made just now by this plan, for this operand only
      if (child.op == FastOp::Compare || (child.op == FastOp::Unboxed && !child.negated)) {
        if (child.op == FastOp::Compare) child.code = opposite_compare(child.code);
        else child.negated = true;
        finish(child);
        child.weight += 1;
        return &child;
      }
      return finish(n);
    }
    case ExprKind::And:
    case ExprKind::Or: {
      FastNode& n = children((add(e.kind == ExprKind::And ? FastOp::And : FastOp::Or, Rep::B, e)));
      n.decisive = e.kind == ExprKind::Or;
      return n.args[0]->rep == Rep::B && n.args[1]->rep == Rep::B ? finish(n) : generic();
    }
    case ExprKind::Conditional: {
      FastNode& n = children((add(FastOp::Cond, rep, e)));
      return n.args[0]->rep == Rep::B && n.args[1]->rep == rep && n.args[2]->rep == rep ? finish(n) : generic();
    }
    case ExprKind::Binary: {
      const std::string& op = e.name;
      const FastNode* a = node(*e.args[0], arena, program);
      const FastNode* b = node(*e.args[1], arena, program);
      if (op == "in") {
        if (b->rep != Rep::V) return generic();
        FastNode& n = add(FastOp::In, Rep::B, e);
        n.args = {a, b};
        return finish(n);
      }
      if (op == "==" || op == "!=" || is_ordering(op)) {
        // Operands of one representation; bools only for equality. Mixed numeric comparisons (an
        // int against a double) are left to the tree-walker.
        if (a->rep != b->rep || (a->rep == Rep::B && is_ordering(op))) return generic();
        FastNode& n = add(FastOp::Compare, Rep::B, e);
        n.code = compare_code(op);
        // Equality is symmetric: a text literal goes second, where compare_text expects it.
        if ((n.code == '=' || n.code == '!') && is_text_constant(*a)) std::swap(a, b);
        n.args = {a, b};
        return finish(n);
      }
      if ((op == "+" || op == "-" || op == "*" || op == "/" || op == "%") && rep == Rep::I && a->rep == Rep::I && b->rep == Rep::I) {
        FastNode& n = add(FastOp::Arith, Rep::I, e);
        n.code = op[0];
        n.args = {a, b};
        return finish(n);
      }
      return generic();
    }
    case ExprKind::Call: {
      if (e.args.size() > kMaxFastArgs || (!e.callee && !e.overload)) return generic();
      FastNode& n = children((add(e.callee ? FastOp::User : FastOp::Native, rep, e)));
      if (e.callee && literal_table(*e.callee, n)) n.op = FastOp::Table;
      if (!e.callee && unboxed_native(*e.overload, n)) n.op = FastOp::Unboxed;
      return finish(n);
    }
    default:
      return generic();
  }
}

// ---- running the compiled form -----------------------------------------------------------------

namespace {
inline Value box(const FastSlot& s, Rep rep) {
  switch (rep) {
    case Rep::B: return Value::boolean(s.b);
    case Rep::I: return Value::int64(s.i);
    case Rep::D: return Value::date(s.i);
    case Rep::V: return *s.v;
  }
  return Value();
}

inline bool run(const FastNode* n, FastEnv& env, FastSlot& out) { return n->fn(*n, env, out); }

template <char Code>
inline bool order(int c) {
  if constexpr (Code == '=') return c == 0;
  if constexpr (Code == '!') return c != 0;
  if constexpr (Code == '<') return c < 0;
  if constexpr (Code == 'l') return c <= 0;
  if constexpr (Code == '>') return c > 0;
  if constexpr (Code == 'g') return c >= 0;
}

inline bool order(int c, char code) {
  switch (code) {
    case '=': return order<'='>(c);
    case '!': return order<'!'>(c);
    case '<': return order<'<'>(c);
    case 'l': return order<'l'>(c);
    case '>': return order<'>'>(c);
    default: return order<'g'>(c);
  }
}
}  // namespace

namespace {
// A let or output being computed by its fast root: marked as computing (a definition that reaches
// itself bails there, and the tree-walker reports it) one level deeper, until the root is done —
// also when a limit unwinds through a let it reads. Left unmarked unless the value was stored.
struct Computing {
  uint8_t& state;
  int& depth;
  Computing(uint8_t& s, int& d) : state(s), depth(d) {
    state = 1;
    ++depth;
  }
  ~Computing() {
    if (state == 1) state = 0;
    --depth;
  }
  Computing(const Computing&) = delete;
  Computing& operator=(const Computing&) = delete;
};
}  // namespace

// The operations. Members of a struct so that they may use the Evaluator's private parts.
struct FastOps {
  static bool constant(const FastNode& n, FastEnv&, FastSlot& out) {
    out = n.constant;
    return true;
  }
  template <Rep R>
  static bool local(const FastNode& n, FastEnv& env, FastSlot& out) { return unbox<R>(env.frame[n.slot], out); }
  template <Rep R>
  static bool input(const FastNode& n, FastEnv& env, FastSlot& out) { return unbox<R>(env.input[n.slot], out); }
  template <Rep R>
  static bool let(const FastNode& n, FastEnv& env, FastSlot& out) {
    EvalContext& ctx = env.ctx;
    uint8_t& state = ctx.let_state[n.slot];
    Value& cache = ctx.lets[n.slot];
    // Computed for this record already: the common case, checked first.
    if (state == 2) return unbox<R>(cache, out);
    // Constants are compiled as literals (see FastPlans::node); those that are not, say so.
    if (n.code == 'c') return unbox<R>(*env.ev.let_constant(n.slot), out);
    if (compute_let(*ctx.program->lets[n.slot], env, cache, state)) return unbox<R>(cache, out);
    if (env.ev.compute_fast(*ctx.program->lets[n.slot], cache, state)) return unbox<R>(cache, out);
    // The tree-walker's turn: it memoizes the value (an error too, which makes this bail), or
    // returns an error without memoizing it (a let that reaches itself): nothing to hold either way,
    // so a let needs no temporaries.
    env.ev.let_value(n.slot);
    return state == 2 && unbox<R>(cache, out);
  }
  // compute_fast for the usual let, in place: a compiled root that keeps no temporaries and needs
  // no frame runs with the reading node's environment (no frame, no second environment, no call).
  // False, with nothing changed, when the let is not of that kind or its root bails.
  static bool compute_let(const Decl& d, FastEnv& env, Value& cache, uint8_t& state) {
    const FastNode* root = env.ev.computable_root(d, state);
    if (!root || root->holds || d.frame_size != 0) return false;
    EvalContext& ctx = env.ctx;
    const int64_t steps = ctx.steps_left;
    if (steps < root->weight) return false;
    ctx.steps_left = steps - root->weight;
    Computing computing(state, ctx.depth);
    FastEnv own{env.ev, ctx, nullptr, env.input};
    FastSlot s;
    if (!root->fn(*root, own, s)) {
      ctx.steps_left = steps;
      return false;
    }
    cache = box(s, root->rep);
    state = 2;
    return true;
  }
  // The field n.slot of `r`, a record of the checked type (anything else bails).
  template <Rep R>
  static bool field(const FastNode& n, const Value& r, FastSlot& out) {
    if (r.kind != ValueKind::Record || r.rec().type != n.record_type) return false;
    return unbox<R>(r.rec().fields[n.slot], out);
  }
  template <Rep R>
  static bool select(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot base;
    return run(n.args[0], env, base) && field<R>(n, *base.v, out);
  }
  // A select whose record is a local (Base = false) or an input field (Base = true).
  template <Rep R, bool Base>
  static bool select_held(const FastNode& n, FastEnv& env, FastSlot& out) {
    return field<R>(n, Base ? env.input[n.base_slot] : env.frame[n.base_slot], out);
  }
  static bool index(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot list, i;
    if (!run(n.args[0], env, list) || !run(n.args[1], env, i)) return false;
    if (list.v->kind != ValueKind::List) return false;
    const ValueSpan& items = list.v->items();
    if (i.i < 0 || static_cast<uint64_t>(i.i) >= items.size()) return false;
    return unbox(items[static_cast<size_t>(i.i)], n.rep, out);
  }
  static bool negate(const FastNode& n, FastEnv& env, FastSlot& out) {
    if (!run(n.args[0], env, out)) return false;
    out.b = !out.b;
    return true;
  }
  // Only the error-free case is answered here: if either side bails, the tree-walker applies CEL's
  // rule that a decisive operand wins over an error on the other side.
  static bool logic(const FastNode& n, FastEnv& env, FastSlot& out) {
    if (!run(n.args[0], env, out)) return false;
    if (out.b == n.decisive) return true;
    return run(n.args[1], env, out);
  }
  static bool choose(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot c;
    if (!run(n.args[0], env, c)) return false;
    return run(n.args[c.b ? 1 : 2], env, out);
  }
  template <char Code>
  static bool compare_int(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a, b;
    if (!run(n.args[0], env, a) || !run(n.args[1], env, b)) return false;
    out.b = order<Code>(a.i < b.i ? -1 : a.i > b.i ? 1 : 0);
    return true;
  }
  static bool compare_bool(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a, b;
    if (!run(n.args[0], env, a) || !run(n.args[1], env, b)) return false;
    out.b = (a.b == b.b) == (n.code == '=');
    return true;
  }
  static bool compare_value(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a, b;
    if (!run(n.args[0], env, a) || !run(n.args[1], env, b)) return false;
    const Value& x = *a.v;
    const Value& y = *b.v;
    if (n.code == '=' || n.code == '!') {
      // Texts (and enum values) compared directly, the common case.
      bool equal = x.kind == ValueKind::String && y.kind == ValueKind::String ? same_text(x.str(), y.str()) : values_equal(x, y);
      out.b = equal == (n.code == '=');
      return true;
    }
    // Ordering of values of one kind; NaN and mixed numbers are the tree-walker's.
    if (x.kind != y.kind || x.kind == ValueKind::Double) return false;
    bool ok;
    int c = compare_values(x, y, ok);
    out.b = order(c, n.code);
    return ok;
  }
  // == or != against a text literal (`series == "中小学教师"`, `copy_kind == "photocopy"`); a
  // value that is not a text (an error, a null) is the tree-walker's.
  static bool compare_text(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a;
    if (!run(n.args[0], env, a) || a.v->kind != ValueKind::String) return false;
    out.b = same_text(a.v->str(), n.args[1]->constant.v->str()) == (n.code == '=');
    return true;
  }
  template <char Op>
  static bool arith(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a, b;
    if (!run(n.args[0], env, a) || !run(n.args[1], env, b)) return false;
    if constexpr (Op == '+') return !__builtin_add_overflow(a.i, b.i, &out.i);
    if constexpr (Op == '-') return !__builtin_sub_overflow(a.i, b.i, &out.i);
    if constexpr (Op == '*') return !__builtin_mul_overflow(a.i, b.i, &out.i);
    if constexpr (Op == '/' || Op == '%') {
      if (b.i == 0 || (a.i == std::numeric_limits<int64_t>::min() && b.i == -1)) return false;
      out.i = Op == '/' ? a.i / b.i : a.i % b.i;
      return true;
    }
  }
  static bool member(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot a, b;
    if (!run(n.args[0], env, a) || !run(n.args[1], env, b)) return false;
    if (b.v->kind != ValueKind::List) return false;
    const Rep r = n.args[0]->rep;
    out.b = false;
    if (r == Rep::V && a.v->kind == ValueKind::String) {
      // Text in a list of texts, the common case (`evidence in ["proof", …]`).
      const std::string_view text = a.v->str();
      for (const Value& x : b.v->items())
        if (x.kind == ValueKind::String && same_text(x.str(), text)) { out.b = true; break; }
      return true;
    }
    const Value key = box(a, r);
    for (const Value& x : b.v->items())
      if (values_equal(key, x)) { out.b = true; break; }
    return true;
  }
  static bool call(const FastNode& n, FastEnv& env, FastSlot& out) {
    const size_t count = n.args.size();
    Value args[kMaxFastArgs];
    for (size_t i = 0; i < count; ++i) {
      FastSlot s;
      if (!run(n.args[i], env, s)) return false;
      args[i] = box(s, n.args[i]->rep);
    }
    const Expr& e = *n.expr;
    if (n.op == FastOp::User) return env.ev.hold(env.ev.call_user(*e.callee, args, count, e.span), n.rep, out);
    CallContext cc{e.span, &env.ctx};
    return env.ev.hold(e.overload->impl(args, count, cc), n.rep, out);
  }
  // An unboxed call, unrolled for one and two arguments (most functions); Negate: a folded `!`.
  template <size_t Arity, bool Negate>
  static bool unboxed(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot args[kMaxFastArgs];
    const size_t count = Arity ? Arity : n.args.size();
    for (size_t i = 0; i < count; ++i)
      if (!run(n.args[i], env, args[i])) return false;
    if (!n.native(args, out)) return false;
    if constexpr (Negate) out.b = !out.b;
    return true;
  }
  // The first row whose cells all match (hit first), or the only one (hit unique: a second match
  // bails, and the tree-walker reports the overlap); no matching row bails too.
  static bool table(const FastNode& n, FastEnv& env, FastSlot& out) {
    FastSlot args[kMaxFastArgs];
    const size_t count = n.args.size();
    for (size_t i = 0; i < count; ++i)
      if (!run(n.args[i], env, args[i])) return false;
    const Decl& t = *n.expr->callee;
    const DecisionRow* hit = nullptr;
    for (const DecisionRow& row : t.rows) {
      bool match = true;
      for (size_t i = 0; i < count && match; ++i) {
        if (row.modes[i] == CellMode::Any) continue;
        const Value& cell = row.cells[i]->literal;
        switch (n.args[i]->rep) {
          case Rep::B: match = cell.b == args[i].b; break;
          case Rep::I:
          case Rep::D: match = cell.i == args[i].i; break;
          case Rep::V: match = args[i].v->kind == ValueKind::String && same_text(cell.str(), args[i].v->str()); break;
        }
      }
      if (!match) continue;
      if (hit) return false;
      hit = &row;
      if (!t.hit_unique) break;
    }
    if (!hit) return false;
    --env.ctx.steps_left;  // the result, as call_user's eval would count it
    return unbox(hit->result->literal, n.rep, out);
  }
  static bool generic(const FastNode& n, FastEnv& env, FastSlot& out) {
    return env.ev.hold(env.ev.eval(*n.expr, env.frame), n.rep, out);
  }
};

namespace {
// The one of an operation's four instantiations that reads representation `r`.
FastFn by_rep(Rep r, FastFn b, FastFn i, FastFn d, FastFn v) {
  switch (r) {
    case Rep::B: return b;
    case Rep::I: return i;
    case Rep::D: return d;
    default: return v;
  }
}

FastFn compare_fn(const FastNode& n) {
  const Rep r = n.args[0]->rep;
  if (r == Rep::B) return &FastOps::compare_bool;
  if (r == Rep::V) {
    const bool equality = n.code == '=' || n.code == '!';
    return equality && is_text_constant(*n.args[1]) ? &FastOps::compare_text : &FastOps::compare_value;
  }
  switch (n.code) {
    case '=': return &FastOps::compare_int<'='>;
    case '!': return &FastOps::compare_int<'!'>;
    case '<': return &FastOps::compare_int<'<'>;
    case 'l': return &FastOps::compare_int<'l'>;
    case '>': return &FastOps::compare_int<'>'>;
    default: return &FastOps::compare_int<'g'>;
  }
}

FastFn arith_fn(char op) {
  switch (op) {
    case '+': return &FastOps::arith<'+'>;
    case '-': return &FastOps::arith<'-'>;
    case '*': return &FastOps::arith<'*'>;
    case '/': return &FastOps::arith<'/'>;
    default: return &FastOps::arith<'%'>;
  }
}
}  // namespace

const FastNode* FastPlans::finish(FastNode& n) {
  switch (n.op) {
    case FastOp::Const: n.fn = &FastOps::constant; break;
    case FastOp::Local:
      n.fn = by_rep(n.rep, FastOps::local<Rep::B>, FastOps::local<Rep::I>, FastOps::local<Rep::D>, FastOps::local<Rep::V>);
      break;
    case FastOp::Input:
      n.fn = by_rep(n.rep, FastOps::input<Rep::B>, FastOps::input<Rep::I>, FastOps::input<Rep::D>, FastOps::input<Rep::V>);
      break;
    case FastOp::Let: n.fn = by_rep(n.rep, FastOps::let<Rep::B>, FastOps::let<Rep::I>, FastOps::let<Rep::D>, FastOps::let<Rep::V>); break;
    case FastOp::Select:
      if (n.base_slot < 0)
        n.fn = by_rep(n.rep, FastOps::select<Rep::B>, FastOps::select<Rep::I>, FastOps::select<Rep::D>, FastOps::select<Rep::V>);
      else if (n.args[0]->op == FastOp::Input)
        n.fn = by_rep(n.rep, FastOps::select_held<Rep::B, true>, FastOps::select_held<Rep::I, true>,
                      FastOps::select_held<Rep::D, true>, FastOps::select_held<Rep::V, true>);
      else
        n.fn = by_rep(n.rep, FastOps::select_held<Rep::B, false>, FastOps::select_held<Rep::I, false>,
                      FastOps::select_held<Rep::D, false>, FastOps::select_held<Rep::V, false>);
      break;
    case FastOp::Index: n.fn = &FastOps::index; break;
    case FastOp::Not: n.fn = &FastOps::negate; break;
    case FastOp::And:
    case FastOp::Or: n.fn = &FastOps::logic; break;
    case FastOp::Cond: n.fn = &FastOps::choose; break;
    case FastOp::Compare: n.fn = compare_fn(n); break;
    case FastOp::Arith: n.fn = arith_fn(n.code); break;
    case FastOp::In: n.fn = &FastOps::member; break;
    case FastOp::Native:
    case FastOp::User: n.fn = &FastOps::call; break;
    case FastOp::Table: n.fn = &FastOps::table; break;
    case FastOp::Unboxed:
      n.native = n.expr->overload->fast;
      switch (n.args.size()) {
        case 1: n.fn = n.negated ? &FastOps::unboxed<1, true> : &FastOps::unboxed<1, false>; break;
        case 2: n.fn = n.negated ? &FastOps::unboxed<2, true> : &FastOps::unboxed<2, false>; break;
        default: n.fn = n.negated ? &FastOps::unboxed<0, true> : &FastOps::unboxed<0, false>; break;
      }
      break;
    case FastOp::Generic: n.fn = &FastOps::generic; break;
  }
  n.weight = 1;
  // What may keep a temporary: a call of a boxed function, the tree-walker's result. (A let's value
  // is memoized in the context; a table's result is a literal; unboxed functions return unboxed values.)
  n.holds = n.op == FastOp::Native || n.op == FastOp::User || n.op == FastOp::Generic;
  for (const FastNode* a : n.args) {
    n.weight += a->weight;
    n.holds = n.holds || a->holds;
  }
  return &n;
}

// Temporaries a node made (results of calls and of tree-walked nodes) live in ctx.fast_temps until
// the root's evaluation ends; nodes point at them. The vector never reallocates while in use: when
// it is full, the evaluation bails.
bool Evaluator::hold(Value v, Rep rep, FastSlot& out) {
  if (rep != Rep::V) return unbox(v, rep, out);
  if (v.is_error() || v.is_absent()) return false;
  auto& temps = ctx_.fast_temps;
  if (temps.size() == temps.capacity()) return false;
  temps.push_back(std::move(v));
  out.v = &temps.back();
  return true;
}

// A root charges the steps of all its nodes up front (the nodes it may evaluate: no node runs
// twice, as comprehensions and calls of user functions are the tree-walker's, which counts its own),
// plus `extra` for whatever the caller counts with it. On a bail the budget is given back: the
// tree-walker starts over with what the root had.
bool Evaluator::run_root(const FastNode& root, Value* frame, FastSlot& out, int extra) {
  const int64_t steps = ctx_.steps_left;
  if ((ctx_.steps_left -= root.weight + extra) >= 0) {
    FastEnv env{*this, ctx_, frame, ctx_.input_fields};
    if (root.holds ? run_holding(root, env, out) : root.fn(root, env, out)) return true;
  }
  ctx_.steps_left = steps;
  return false;
}

// A root that may keep temporaries: they go when it is done, also when a limit unwinds through it.
bool Evaluator::run_holding(const FastNode& root, FastEnv& env, FastSlot& out) {
  auto& temps = ctx_.fast_temps;
  if (temps.capacity() == 0) temps.reserve(256);
  struct Truncate {
    std::vector<Value>& temps;
    size_t mark;
    ~Truncate() { if (temps.size() > mark) temps.resize(mark); }
  } truncate{temps, temps.size()};
  if (!root.fn(root, env, out)) return false;
  if (root.rep == Rep::V) {
    // The result may point at a temporary about to go: move it to the caller's side of the mark.
    held_result_ = *out.v;
    out.v = &held_result_;
  }
  return true;
}

// The compiled root that may compute let or output `d` now (its `state` as compute_fast takes it),
// or nullptr: it has none, the fast path is off, it is being computed or was, it has a `when`
// condition (left to output_value), or the depth limit is reached — lets computed from lets nest
// like the tree-walker's calls and count against the same limit, which the tree-walker reports.
const FastNode* Evaluator::computable_root(const Decl& d, uint8_t state) const {
  const FastNode* root = d.value ? d.value->fast : nullptr;
  if (!root || !ctx_.use_fast || state != 0 || d.condition || ctx_.depth >= ctx_.limits.max_depth) return nullptr;
  return root;
}

// A let or output of the record computed by its fast root and memoized as let_value and
// output_value would; false (and nothing changed) when it has none or it bails. Outputs with a
// `when` condition are left to output_value. `result`, when given, also gets the unboxed value.
bool Evaluator::compute_fast(const Decl& d, Value& cache, uint8_t& state, FastSlot* result) {
  const FastNode* root = computable_root(d, state);
  if (!root) return false;
  Computing computing(state, ctx_.depth);
  FastSlot s;
  if (d.frame_size == 0) {
    // The usual definition needs no locals: no frame to make and unmake.
    if (!run_root(*root, nullptr, s)) return false;
  } else {
    Frame frame(static_cast<size_t>(d.frame_size));
    if (!run_root(*root, frame.data(), s)) return false;
  }
  cache = box(s, root->rep);
  state = 2;
  if (result) *result = s;
  return true;
}

bool Evaluator::output_scalar(int index, FastSlot& out, Rep& rep) {
  const Decl& d = *ctx_.program->outputs[index];
  const FastNode* root = d.value ? d.value->fast : nullptr;
  // A value without temporaries is all the report needs; a text or a list takes output_value.
  if (!root || root->rep == Rep::V || root->holds) return false;
  if (!compute_fast(d, ctx_.outputs[index], ctx_.output_state[index], &out)) return false;
  rep = root->rep;
  return true;
}

int interpolation_steps(const Expr& e) {
  if (e.kind != ExprKind::Interpolation || e.args.size() > kMaxFastMessageOperands) return 0;
  int steps = 1;  // the interpolation's own node, as eval_text counts it
  for (const auto& a : e.args) {
    if (!a->fast || a->fast->holds) return 0;
    steps += a->fast->weight;
  }
  return steps;
}

bool Evaluator::interpolate_fast(const Expr& e, int steps, Value* frame, std::string& out) {
  const int64_t before = ctx_.steps_left;
  if (before < steps) return false;
  ctx_.steps_left = before - steps;
  // The operands first, so that the text is sized once (write_interpolation).
  const size_t count = e.args.size();
  FastEnv env = fast_env(frame);
  FastSlot slots[kMaxFastMessageOperands];
  size_t size = 0;
  for (size_t i = 0; i < count; ++i) {
    const FastNode& root = *e.args[i]->fast;
    if (!root.fn(root, env, slots[i])) {
      ctx_.steps_left = before;
      return false;
    }
    size += root.rep == Rep::V ? display_bytes(*slots[i].v) : 16;
  }
  write_interpolation(e, size, out, [&](size_t i) {
    const Rep rep = e.args[i]->fast->rep;
    if (rep == Rep::V) append_display(out, *slots[i].v);
    else append_display(out, box(slots[i], rep));
  });
  return true;
}

bool Evaluator::run_fast(const FastNode& root, Value* frame, Value& out) {
  FastSlot s;
  if (!run_root(root, frame, s)) return false;
  out = box(s, root.rep);
  return true;
}

bool Evaluator::try_condition(const Expr& e, Value* frame, bool& result) {
  const FastNode* root = ctx_.use_fast ? compiled_condition(e) : nullptr;
  if (!root) return false;
  const Answer answer = run_condition(*root, frame);
  result = answer == Answer::True;
  return answer != Answer::Unknown;
}

Evaluator::Answer Evaluator::run_condition(const FastNode& root, Value* frame) {
  // The condition node itself counts one step, as in eval(), which stops here when none is left.
  if (ctx_.steps_left < 1) limit_exceeded();
  FastSlot s;
  if (!run_root(root, frame, s, 1)) return Answer::Unknown;
  return s.b ? Answer::True : Answer::False;
}

}  // namespace zhiping
