// The tree-walking evaluator. Names were resolved to slots by the checker, so evaluation indexes
// vectors and never looks a name up by string (except in unchecked `zhiping eval`). Errors are CEL
// error values; only exceeded limits unwind, as exceptions caught per rule.
#include "interpreter/evaluator.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "interpreter/functions.hpp"
#include "stdlib/domain/date.hpp"

namespace zhiping {
namespace {

Value type_error_value(Span span, const std::string& op, const Value& a, const Value& b) {
  return Value::error(span, "运算 " + op + " 不适用于 " + value_type_name(a) + " 和 " + value_type_name(b),
                      "no such overload: " + value_type_name(a) + " " + op + " " + value_type_name(b));
}

Value overflow(Span span) { return Value::error(span, "整数溢出", "integer overflow"); }

// Timestamps must stay within 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999999999Z, as in CEL.
constexpr int64_t kMinTimestamp = -62135596800;
constexpr int64_t kMaxTimestamp = 253402300799;

Value make_duration(Span span, int64_t secs, int64_t nanos) {
  secs += nanos / 1000000000;
  nanos %= 1000000000;
  if (secs > 0 && nanos < 0) { --secs; nanos += 1000000000; }
  if (secs < 0 && nanos > 0) { ++secs; nanos -= 1000000000; }
  // Durations are limited to an int64 of nanoseconds (about ±292 years), as in cel-go.
  if (secs > 9223372036 || secs < -9223372036 || (secs == 9223372036 && nanos > 854775807) ||
      (secs == -9223372036 && nanos < -854775808))
    return Value::error(span, "时长超出范围", "duration out of range");
  return Value::duration(secs, static_cast<int32_t>(nanos));
}

Value make_timestamp(Span span, int64_t secs, int64_t nanos) {
  secs += nanos / 1000000000;
  nanos %= 1000000000;
  if (nanos < 0) { --secs; nanos += 1000000000; }
  if (secs < kMinTimestamp || secs > kMaxTimestamp) return Value::error(span, "时间戳超出范围", "timestamp out of range");
  return Value::timestamp(secs, static_cast<int32_t>(nanos));
}

}  // namespace

Value no_overload_error(Span span, const std::string& name, const std::vector<Value>& args) {
  std::string types;
  for (size_t i = 0; i < args.size(); ++i) types += (i ? ", " : "") + value_type_name(args[i]);
  return Value::error(span, "函数 " + name + " 不接受参数类型 (" + types + ")",
                      "no matching overload for '" + name + "' applied to (" + types + ")");
}

Value evaluate_standalone(const Expr& expr, std::vector<Value> bindings, int frame_size, const Limits& limits) {
  static const Program empty_program;
  EvalContext ctx;
  ctx.program = &empty_program;
  ctx.bindings = std::move(bindings);
  ctx.limits = limits;
  ctx.steps_left = limits.max_steps;
  Evaluator ev(ctx);
  Frame frame(static_cast<size_t>(std::max(frame_size, 1)));
  try {
    return ev.eval(expr, frame.data());
  } catch (const EvalLimitExceeded& e) {
    return Value::error(expr.span, e.message_zh, e.what());
  }
}

Value dispatch_dynamic(const std::string& name, bool receiver_style, const std::vector<Value>& args, CallContext& ctx) {
  const auto* overloads = FunctionRegistry::standard().find(name);
  if (overloads) {
    for (auto& o : *overloads) {
      if (o.receiver_style != receiver_style || o.params.size() != args.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < args.size() && ok; ++i) ok = value_has_type(args[i], o.params[i]);
      if (ok) return o.impl(args.data(), args.size(), ctx);
    }
    // A receiver-style overload called globally (or the reverse) is still the same function in CEL
    // when the first argument is the receiver.
    for (auto& o : *overloads) {
      if (o.params.size() != args.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < args.size() && ok; ++i) ok = value_has_type(args[i], o.params[i]);
      if (ok && !receiver_style && o.receiver_style) return o.impl(args.data(), args.size(), ctx);
    }
    return no_overload_error(ctx.span, name, args);
  }
  return Value::error(ctx.span, "未知函数 " + name, "unknown function '" + name + "'");
}

void Evaluator::limit_exceeded() {
  if (ctx_.steps_left < 0)
    throw EvalLimitExceeded("evaluation step budget exceeded (" + std::to_string(ctx_.limits.max_steps) + " steps)",
                            "超出计算步数上限（" + std::to_string(ctx_.limits.max_steps) + " 步）");
  throw EvalLimitExceeded("evaluation nested too deeply (limit " + std::to_string(ctx_.limits.max_depth) + ")",
                          "计算嵌套过深（上限 " + std::to_string(ctx_.limits.max_depth) + " 层）");
}

// The depth is not restored when a limit unwinds: whoever catches EvalLimitExceeded (a rule, an
// output, a constant) starts the next unit of work with depth 0.
Value Evaluator::eval(const Expr& e, Value* frame) {
  if (--ctx_.steps_left < 0 || ++ctx_.depth > ctx_.limits.max_depth) limit_exceeded();
  if (e.fast && ctx_.use_fast) {
    Value v;
    if (run_fast(*e.fast, frame, v)) {
      --ctx_.depth;
      return v;
    }
  }
  Value v = eval_inner(e, frame);
  --ctx_.depth;
  return v;
}

// A value the node already holds somewhere, read in place instead of copied out through eval: a
// literal, a local (its slot stays live while the node is evaluated), a provided input field (the
// record is immutable), a let already computed, or a provided field of any of these. It counts as
// the steps its nodes are (locate finds it without counting). nullptr when the node must be
// evaluated (anything else, or an absent field, whose error eval builds).
const Value* Evaluator::peek(const Expr& e, Value* frame) {
  int nodes = 0;
  const Value* v = locate(e, frame, nodes);
  if (!v) return nullptr;
  ctx_.steps_left -= nodes;
  if (ctx_.steps_left < 0) limit_exceeded();
  return v;
}

const Value& Evaluator::operand(const Expr& e, Value* frame, Value& scratch) {
  if (const Value* held = peek(e, frame)) return *held;
  scratch = eval(e, frame);
  return scratch;
}

const Value* Evaluator::locate(const Expr& e, Value* frame, int& nodes) {
  const Value* v;
  if (e.kind == ExprKind::Literal) {
    v = &e.literal;
  } else if (e.kind == ExprKind::Ident && e.name_kind == NameKind::Local) {
    v = &frame[e.slot];
  } else if (e.kind == ExprKind::Ident && e.name_kind == NameKind::InputField) {
    v = &ctx_.input.rec().fields[e.slot];
    if (v->is_absent()) return nullptr;
  } else if (e.kind == ExprKind::Ident && (e.name_kind == NameKind::Let || e.name_kind == NameKind::Table)) {
    // A let computed at load or already for this record (its cache entry is never written again).
    v = let_constant(e.slot);
    if (!v) {
      if (ctx_.let_state[e.slot] != 2) return nullptr;
      v = &ctx_.lets[e.slot];
    }
  } else if (e.kind == ExprKind::Select) {
    // A provided field of a record held in one of those places (`a.content`, `highest.level`): the
    // record is immutable, so the field is read in place too. Anything else (an absent field, a
    // record of another type than the checked one, a map) takes eval_select, which says why.
    int base_nodes = 0;
    const Value* base = locate(*e.args[0], frame, base_nodes);
    if (!base || base->kind != ValueKind::Record || e.slot < 0) return nullptr;
    const RecordObject& r = base->rec();
    if (r.type != e.record_type) return nullptr;
    v = &r.fields[e.slot];
    if (v->is_absent()) return nullptr;
    nodes += base_nodes;
  } else {
    return nullptr;
  }
  ++nodes;
  return v;
}

namespace {
// Lets and outputs are computed once per record, on first use; a definition that reaches itself
// while being computed is an error value, and an exceeded limit leaves it to be computed again.
template <typename Compute>
Value memoized(std::vector<Value>& cache, std::vector<uint8_t>& state, int index, const Decl& d, Compute compute) {
  if (state[index] == 2) return cache[index];
  if (state[index] == 1)
    return Value::error(d.name_span, "“" + d.name + "”的定义引用了自身", "'" + d.name + "' refers to itself");
  state[index] = 1;
  Value v;
  try {
    v = compute();
  } catch (...) {
    state[index] = 0;
    throw;
  }
  cache[index] = v;
  state[index] = 2;
  return v;
}
}  // namespace

// Shared lets and every table (a table has rows, not a value expression) are computed at load;
// the value, or nullptr for a let of a subject, computed per record.
const Value* let_constant(const Program& p, int index) {
  const Decl& d = *p.lets[index];
  if ((d.subject.empty() || d.kind == DeclKind::Table) && index < static_cast<int>(p.constants.size()) &&
      p.constants[index].kind != ValueKind::Absent)
    return &p.constants[index];
  return nullptr;
}
const Value* Evaluator::let_constant(int index) const { return zhiping::let_constant(*ctx_.program, index); }

Value Evaluator::let_value(int index) {
  if (const Value* constant = let_constant(index)) return *constant;
  const Decl& d = *ctx_.program->lets[index];
  return memoized(ctx_.lets, ctx_.let_state, index, d, [&] {
    Frame frame(d.frame_size);
    return eval(*d.value, frame.data());
  });
}

Value Evaluator::output_value(int index) {
  const Decl& d = *ctx_.program->outputs[index];
  if (ctx_.output_state[index] == 2 || compute_fast(d, ctx_.outputs[index], ctx_.output_state[index])) return ctx_.outputs[index];
  return memoized(ctx_.outputs, ctx_.output_state, index, d, [&] {
    Frame frame(d.frame_size);
    if (d.condition) {
      Value c = eval(*d.condition, frame.data());
      if (c.is_error()) return c;
      if (c.kind != ValueKind::Bool) return Value::error(d.condition->span, "条件不是布尔值", "condition is not a bool");
      if (!c.b) return Value::absent();
    }
    return eval(*d.value, frame.data());
  });
}

Value Evaluator::call_user(const Decl& callee, const Value* args, size_t count, Span span) {
  Frame frame_buffer(std::max<size_t>(callee.frame_size, count));
  Value* frame = frame_buffer.data();
  for (size_t i = 0; i < count; ++i) frame[callee.param_slots.empty() ? i : callee.param_slots[i]] = args[i];
  if (callee.kind == DeclKind::Function) return eval(*callee.value, frame);
  // A decision table: the first matching row (hit first), or the only one (hit unique).
  const DecisionRow* hit = nullptr;
  for (auto& row : callee.rows) {
    bool match = true;
    for (size_t i = 0; i < row.cells.size() && match; ++i) {
      if (i >= row.modes.size() || row.modes[i] == CellMode::Any) continue;
      Value scratch;
      const Value& cell = operand(*row.cells[i], frame, scratch);  // most cells are literals
      if (cell.is_error()) return cell;
      switch (row.modes[i]) {
        case CellMode::Equal: match = values_equal(args[i], cell); break;
        case CellMode::Member: {
          bool found = false;
          if (cell.kind == ValueKind::List)
            for (auto& x : cell.items()) found = found || values_equal(args[i], x);
          match = found;
          break;
        }
        case CellMode::Condition: match = cell.kind == ValueKind::Bool && cell.b; break;
        case CellMode::Any: break;
      }
    }
    if (!match) continue;
    if (!callee.hit_unique) { hit = &row; break; }
    if (hit) {
      uint32_t l1, c1, l2, c2;
      hit->span.file->line_col(hit->span.begin, l1, c1);
      row.span.file->line_col(row.span.begin, l2, c2);
      return Value::error(span, "决策表 " + callee.name + " 有多行同时匹配（第 " + std::to_string(l1) + " 行和第 " + std::to_string(l2) + " 行）",
                          "decision " + callee.name + " (hit unique): rows at lines " + std::to_string(l1) + " and " +
                              std::to_string(l2) + " both match");
    }
    hit = &row;
  }
  if (!hit) {
    std::string shown;
    for (size_t i = 0; i < count; ++i)
      shown += (i ? ", " : "") + callee.params[i].name + " = " + value_literal(args[i]);
    return Value::error(span, "决策表 " + callee.name + " 没有与（" + shown + "）匹配的行",
                        "decision " + callee.name + ": no row matches (" + shown + ")");
  }
  return eval(*hit->result, frame);
}

Value Evaluator::eval_select(const Expr& e, const Value& operand) {
  if (operand.is_error()) return operand;
  if (operand.kind == ValueKind::Record) {
    const auto& r = operand.rec();
    int idx = e.slot;
    // The checker's slot is trusted when the record has the type it checked against; otherwise
    // (unchecked expressions, dyn) the field is found by name.
    if (idx < 0 || r.type != e.record_type) idx = r.type ? r.type->field_index(e.name) : -1;
    if (idx < 0) return Value::error(e.span, "没有字段 " + e.name, "no such key: " + e.name);
    const Value& v = r.fields[idx];
    if (v.is_absent()) {
      const std::string& label = r.type->fields[idx].label;
      return Value::error(e.span, "“" + (label.empty() ? e.name : label) + "”（" + e.name + "）未填写",
                          "no such key: " + e.name + " (not provided)");
    }
    return v;
  }
  if (operand.kind == ValueKind::Map) {
    for (auto& [k, v] : operand.entries())
      if (k.kind == ValueKind::String && k.str() == e.name) return v;
    return Value::error(e.span, "没有键 " + e.name, "no such key: " + e.name);
  }
  return Value::error(e.span, "不能对 " + value_type_name(operand) + " 取字段 " + e.name,
                      "type '" + value_type_name(operand) + "' does not support field selection");
}

Value Evaluator::eval_index(const Expr& e, const Value& c, const Value& i) {
  if (c.is_error()) return c;
  if (i.is_error()) return i;
  if (c.kind == ValueKind::List) {
    int64_t idx;
    if (i.kind == ValueKind::Int) idx = i.i;
    else if (i.kind == ValueKind::Uint && i.u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) idx = static_cast<int64_t>(i.u);
    else if (i.kind == ValueKind::Double && std::trunc(i.d) == i.d && std::abs(i.d) < 9e18) idx = static_cast<int64_t>(i.d);
    else return Value::error(e.span, "列表下标必须是整数", "invalid_argument: list index must be an integer");
    if (idx < 0 || idx >= static_cast<int64_t>(c.items().size()))
      return Value::error(e.span, "下标 " + std::to_string(idx) + " 超出列表长度 " + std::to_string(c.items().size()),
                          "index out of range: " + std::to_string(idx));
    return c.items()[idx];
  }
  if (c.kind == ValueKind::Map) {
    for (auto& [k, v] : c.entries())
      if (values_equal(k, i) && (k.kind == i.kind || (k.kind != ValueKind::String && i.kind != ValueKind::String && k.kind != ValueKind::Bool && i.kind != ValueKind::Bool))) return v;
    return Value::error(e.span, "没有键 " + value_literal(i), "no such key: " + value_literal(i));
  }
  return Value::error(e.span, "不能对 " + value_type_name(c) + " 取下标", "no such overload: index on " + value_type_name(c));
}

Value Evaluator::eval_binary(const Expr& e, const Value& a, const Value& b) {
  const std::string& op = e.name;
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  // Operators are told apart by their characters, not by string comparison: this is the hot path.
  const char c0 = op[0], c1 = op.size() > 1 ? op[1] : '\0';
  if (c0 == '=' ) return Value::boolean(values_equal(a, b));
  if (c0 == '!') return Value::boolean(!values_equal(a, b));
  if ((c0 == '<' || c0 == '>') && (c1 == '\0' || c1 == '=')) {
    bool ok;
    int c;
    // Ordering between a double and an int or uint converts the integer to double, as CEL does
    // (equality stays exact).
    if ((a.kind == ValueKind::Double) != (b.kind == ValueKind::Double) &&
        (a.kind == ValueKind::Int || a.kind == ValueKind::Uint || b.kind == ValueKind::Int || b.kind == ValueKind::Uint) &&
        (a.kind == ValueKind::Double || b.kind == ValueKind::Double)) {
      auto as_double = [](const Value& v) {
        return v.kind == ValueKind::Double ? v.d : v.kind == ValueKind::Int ? static_cast<double>(v.i) : static_cast<double>(v.u);
      };
      c = compare_values(Value::float64(as_double(a)), Value::float64(as_double(b)), ok);
    } else {
      c = compare_values(a, b, ok);
    }
    if (!ok) {
      if ((a.kind == ValueKind::Double && std::isnan(a.d)) || (b.kind == ValueKind::Double && std::isnan(b.d)))
        return Value::boolean(false);
      return type_error_value(e.span, op, a, b);
    }
    if (c0 == '<') return Value::boolean(c1 ? c <= 0 : c < 0);
    return Value::boolean(c1 ? c >= 0 : c > 0);
  }
  if (c0 == 'i') {
    if (b.kind == ValueKind::List) {
      for (auto& x : b.items())
        if (values_equal(a, x)) return Value::boolean(true);
      return Value::boolean(false);
    }
    if (b.kind == ValueKind::Map) {
      for (auto& [k, v] : b.entries())
        if (values_equal(a, k)) return Value::boolean(true);
      return Value::boolean(false);
    }
    return type_error_value(e.span, op, a, b);
  }
  char o = op[0];
  if (a.kind == ValueKind::Int && b.kind == ValueKind::Int) {
    int64_t r;
    switch (o) {
      case '+': if (__builtin_add_overflow(a.i, b.i, &r)) return overflow(e.span); return Value::int64(r);
      case '-': if (__builtin_sub_overflow(a.i, b.i, &r)) return overflow(e.span); return Value::int64(r);
      case '*': if (__builtin_mul_overflow(a.i, b.i, &r)) return overflow(e.span); return Value::int64(r);
      case '/':
        if (b.i == 0) return Value::error(e.span, "除数为零", "division by zero");
        if (a.i == std::numeric_limits<int64_t>::min() && b.i == -1) return overflow(e.span);
        return Value::int64(a.i / b.i);
      case '%':
        if (b.i == 0) return Value::error(e.span, "除数为零", "modulus by zero");
        if (a.i == std::numeric_limits<int64_t>::min() && b.i == -1) return overflow(e.span);
        return Value::int64(a.i % b.i);
    }
  }
  if (a.kind == ValueKind::Uint && b.kind == ValueKind::Uint) {
    uint64_t r;
    switch (o) {
      case '+': if (__builtin_add_overflow(a.u, b.u, &r)) return overflow(e.span); return Value::uint64(r);
      case '-': if (__builtin_sub_overflow(a.u, b.u, &r)) return overflow(e.span); return Value::uint64(r);
      case '*': if (__builtin_mul_overflow(a.u, b.u, &r)) return overflow(e.span); return Value::uint64(r);
      case '/': if (b.u == 0) return Value::error(e.span, "除数为零", "division by zero"); return Value::uint64(a.u / b.u);
      case '%': if (b.u == 0) return Value::error(e.span, "除数为零", "modulus by zero"); return Value::uint64(a.u % b.u);
    }
  }
  if (a.kind == ValueKind::Double && b.kind == ValueKind::Double) {
    switch (o) {
      case '+': return Value::float64(a.d + b.d);
      case '-': return Value::float64(a.d - b.d);
      case '*': return Value::float64(a.d * b.d);
      case '/': return Value::float64(a.d / b.d);
    }
  }
  if (o == '+' && a.kind == b.kind && (a.kind == ValueKind::String || a.kind == ValueKind::Bytes)) {
    std::string joined;
    joined.reserve(a.str().size() + b.str().size());
    joined.append(a.str()).append(b.str());
    Value v = Value::string(joined);
    v.kind = a.kind;
    return v;
  }
  if (o == '+' && a.kind == ValueKind::List && b.kind == ValueKind::List) {
    if (a.items().size() + b.items().size() > ctx_.limits.max_list_items)
      return Value::error(e.span, "列表过长", "list too long");
    std::vector<Value> items = a.items();
    items.insert(items.end(), b.items().begin(), b.items().end());
    return Value::list(std::move(items));
  }
  if (a.kind == ValueKind::Duration && b.kind == ValueKind::Duration && (o == '+' || o == '-')) {
    int64_t s;
    if (o == '+' ? __builtin_add_overflow(a.i, b.i, &s) : __builtin_sub_overflow(a.i, b.i, &s)) return overflow(e.span);
    return make_duration(e.span, s, o == '+' ? int64_t(a.nanos) + b.nanos : int64_t(a.nanos) - b.nanos);
  }
  if (a.kind == ValueKind::Timestamp && b.kind == ValueKind::Duration && (o == '+' || o == '-')) {
    int64_t s;
    if (o == '+' ? __builtin_add_overflow(a.i, b.i, &s) : __builtin_sub_overflow(a.i, b.i, &s)) return overflow(e.span);
    return make_timestamp(e.span, s, o == '+' ? int64_t(a.nanos) + b.nanos : int64_t(a.nanos) - b.nanos);
  }
  if (a.kind == ValueKind::Duration && b.kind == ValueKind::Timestamp && o == '+')
    return make_timestamp(e.span, a.i + b.i, int64_t(a.nanos) + b.nanos);
  if (a.kind == ValueKind::Timestamp && b.kind == ValueKind::Timestamp && o == '-')
    return make_duration(e.span, a.i - b.i, int64_t(a.nanos) - b.nanos);
  return type_error_value(e.span, op, a, b);
}

Value Evaluator::eval_comprehension(const Expr& e, Value* frame) {
  Value range = eval(*e.args[0], frame);
  if (range.is_error()) return range;
  if (range.kind != ValueKind::List && range.kind != ValueKind::Map)
    return Value::error(e.span, "不能遍历 " + value_type_name(range), "expression of type '" + value_type_name(range) + "' cannot be the range of a comprehension");
  const bool is_list = range.kind == ValueKind::List;
  const bool two_vars = !e.var2.empty();
  const size_t n = is_list ? range.items().size() : range.entries().size();
  // One variable: the element (or the map key). Two variables: index and element (or key and value).
  auto bind = [&](size_t i) {
    if (!two_vars) {
      frame[e.var_slot] = is_list ? range.items()[i] : range.entries()[i].first;
    } else if (is_list) {
      frame[e.var_slot] = Value::int64(static_cast<int64_t>(i));
      frame[e.var2_slot] = range.items()[i];
    } else {
      frame[e.var_slot] = range.entries()[i].first;
      frame[e.var2_slot] = range.entries()[i].second;
    }
  };
  auto not_bool = [&](const Expr& p) { return Value::error(p.span, "条件不是布尔值", "no matching overload: predicate is not a bool"); };
  switch (e.macro) {
    case Macro::All:
    case Macro::Exists: {
      // CEL: a decisive result (false for all, true for exists) wins over an error in another element.
      bool decisive = e.macro == Macro::Exists;
      Value first_error;
      bool has_error = false;
      for (size_t i = 0; i < n; ++i) {
        bind(i);
        Value p = eval(*e.args[1], frame);
        if (p.kind == ValueKind::Bool) {
          if (p.b == decisive) return Value::boolean(decisive);
        } else if (!has_error) {
          has_error = true;
          first_error = p.is_error() ? p : not_bool(*e.args[1]);
        }
      }
      if (has_error) return first_error;
      return Value::boolean(!decisive);
    }
    case Macro::ExistsOne: {
      int64_t count = 0;
      for (size_t i = 0; i < n; ++i) {
        bind(i);
        Value p = eval(*e.args[1], frame);
        if (p.is_error()) return p;
        if (p.kind != ValueKind::Bool) return not_bool(*e.args[1]);
        if (p.b) ++count;
      }
      return Value::boolean(count == 1);
    }
    case Macro::Map:
    case Macro::MapFilter:
    case Macro::Filter:
    case Macro::TransformList:
    case Macro::TransformListFilter:
    case Macro::TransformMap:
    case Macro::TransformMapFilter: {
      const bool filter = e.macro == Macro::MapFilter || e.macro == Macro::Filter || e.macro == Macro::TransformListFilter ||
                          e.macro == Macro::TransformMapFilter;
      const bool to_map = e.macro == Macro::TransformMap || e.macro == Macro::TransformMapFilter;
      std::vector<Value> out;
      std::vector<std::pair<Value, Value>> entries;
      for (size_t i = 0; i < n; ++i) {
        bind(i);
        if (filter) {
          Value p = eval(*e.args[1], frame);
          if (p.is_error()) return p;
          if (p.kind != ValueKind::Bool) return not_bool(*e.args[1]);
          if (!p.b) continue;
        }
        if (e.macro == Macro::Filter) {
          out.push_back(frame[e.var_slot]);
          continue;
        }
        Value m = eval(*e.args[filter ? 2 : 1], frame);
        if (m.is_error()) return m;
        if (to_map) entries.emplace_back(frame[e.var_slot], std::move(m));
        else out.push_back(std::move(m));
      }
      return to_map ? Value::map(std::move(entries)) : Value::list(std::move(out));
    }
  }
  return Value::error(e.span, "不支持的推导式", "unsupported comprehension");
}

Value Evaluator::eval_record(const Expr& e, Value* frame) {
  const RecordType* r = e.record_type;
  if (!r) return Value::error(e.span, "未知类型 " + e.name, "unknown type '" + e.name + "'");
  std::vector<Value> fields(r->fields.size(), Value::absent());
  for (size_t i = 0; i < e.field_names.size(); ++i) {
    int idx = r->field_index(e.field_names[i]);
    Value v = eval(*e.args[i], frame);
    if (v.is_error()) return v;
    if (idx >= 0) fields[idx] = v.kind == ValueKind::Null && r->fields[idx].optional ? Value::absent() : v;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i].is_absent()) continue;
    auto it = ctx_.program->field_defaults.find({r, static_cast<int>(i)});
    if (it != ctx_.program->field_defaults.end()) fields[i] = it->second;
  }
  return Value::record(r, std::move(fields));
}

Value Evaluator::eval_interpolation(const Expr& e, Value* frame) {
  std::string out;
  Value failed = interpolate(e, frame, out);
  if (failed.is_error()) return failed;
  return Value::string(out);
}

Value Evaluator::interpolate(const Expr& e, Value* frame, std::string& out) {
  // The operands first, so that the text is sized once (write_interpolation). Operands are read
  // where they are held, else evaluated into scratch slots (a Frame: on the stack for the usual
  // few); the pointers to them sit on the stack too unless there are many.
  const size_t count = e.args.size();
  Frame scratch(count);
  const Value* few[8];
  std::unique_ptr<const Value*[]> many(count > std::size(few) ? new const Value*[count] : nullptr);
  const Value** values = many ? many.get() : few;
  size_t size = 0;
  for (size_t i = 0; i < count; ++i) {
    values[i] = &operand(*e.args[i], frame, scratch.data()[i]);
    if (values[i]->is_error()) return *values[i];
    size += display_bytes(*values[i]);
  }
  write_interpolation(e, size, out, [&](size_t i) { append_display(out, *values[i]); });
  return Value::null();
}

Value Evaluator::eval_text(const Expr& e, Value* frame, std::string& out) {
  if (e.kind == ExprKind::Interpolation) {
    // Counted like any other node, then built straight into `out`: no string value in between.
    if (--ctx_.steps_left < 0) limit_exceeded();
    return interpolate(e, frame, out);
  }
  Value v = eval(e, frame);
  if (v.is_error()) return v;
  append_display(out, v);
  return Value::null();
}

Value Evaluator::eval_call(const Expr& e, Value* frame) {
  // Arguments of the usual calls (up to four) stay on the stack.
  const size_t count = e.args.size();
  Frame buffer(count);
  Value* args = buffer.data();
  for (size_t i = 0; i < count; ++i) {
    if (const Value* held = peek(*e.args[i], frame)) args[i] = *held;  // copied: natives take an array
    else args[i] = eval(*e.args[i], frame);
    // Functions are strict in CEL: an error argument is the result.
    if (args[i].is_error()) return args[i];
  }
  if (e.callee) return call_user(*e.callee, args, count, e.span);
  CallContext cc{e.span, &ctx_};
  if (e.overload) return e.overload->impl(args, count, cc);
  return dispatch_dynamic(e.name, e.receiver_style, std::vector<Value>(args, args + count), cc);
}

Value Evaluator::eval_inner(const Expr& e, Value* frame) {
  switch (e.kind) {
    case ExprKind::Literal: return e.literal;
    case ExprKind::Ident:
      switch (e.name_kind) {
        case NameKind::Local: return frame[e.slot];
        case NameKind::InputField: {
          const Value& v = ctx_.input.rec().fields[e.slot];
          if (v.is_absent()) {
            const auto& f = ctx_.subject->input->fields[e.slot];
            return Value::error(e.span, "“" + (f.label.empty() ? f.name : f.label) + "”（" + f.name + "）未填写",
                                "no such key: " + f.name + " (not provided)");
          }
          return v;
        }
        case NameKind::Let:
        case NameKind::Table: return let_value(e.slot);
        case NameKind::Output: {
          Value v = output_value(e.slot);
          if (v.is_absent()) return Value::error(e.span, "输出 " + e.name + " 没有值", "output '" + e.name + "' has no value");
          return v;
        }
        case NameKind::Calendar: return ctx_.program->calendars[e.slot];
        case NameKind::Binding: return ctx_.bindings[e.slot];
        case NameKind::Unresolved:
          return Value::error(e.span, "未知名称 " + e.name, "no such attribute: '" + e.name + "'");
      }
      return Value::null();
    case ExprKind::Select: {
      Value scratch;
      return eval_select(e, operand(*e.args[0], frame, scratch));
    }
    case ExprKind::Has: {
      const Expr& sel = *e.args[0];
      if (sel.kind == ExprKind::Ident)
        return Value::boolean(sel.name_kind == NameKind::InputField && !ctx_.input.rec().fields[sel.slot].is_absent());
      Value operand = eval(*sel.args[0], frame);
      if (operand.is_error()) return operand;
      if (operand.kind == ValueKind::Record) {
        int idx = operand.rec().type ? operand.rec().type->field_index(sel.name) : -1;
        if (idx < 0) return Value::error(e.span, "没有字段 " + sel.name, "no such field: " + sel.name);
        return Value::boolean(!operand.rec().fields[idx].is_absent());
      }
      if (operand.kind == ValueKind::Map) {
        for (auto& [k, v] : operand.entries())
          if (k.kind == ValueKind::String && k.str() == sel.name) return Value::boolean(true);
        return Value::boolean(false);
      }
      return Value::error(e.span, "has() 不适用于 " + value_type_name(operand), "no such overload: has() on " + value_type_name(operand));
    }
    case ExprKind::Index: {
      Value c = eval(*e.args[0], frame);
      Value i = eval(*e.args[1], frame);
      return eval_index(e, c, i);
    }
    case ExprKind::Call: return eval_call(e, frame);
    case ExprKind::List: {
      std::vector<Value> items;
      items.reserve(e.args.size());
      for (auto& a : e.args) {
        items.push_back(eval(*a, frame));
        if (items.back().is_error()) return items.back();
      }
      return Value::list(std::move(items));
    }
    case ExprKind::Map: {
      std::vector<std::pair<Value, Value>> entries;
      for (size_t i = 0; i < e.args.size(); i += 2) {
        Value k = eval(*e.args[i], frame);
        if (k.is_error()) return k;
        Value v = eval(*e.args[i + 1], frame);
        if (v.is_error()) return v;
        if (k.kind != ValueKind::Int && k.kind != ValueKind::Uint && k.kind != ValueKind::Bool && k.kind != ValueKind::String)
          return Value::error(e.args[i]->span, "映射的键必须是整数、布尔值或文本", "unsupported key type: " + value_type_name(k));
        for (auto& [k2, v2] : entries)
          if (values_equal(k, k2)) return Value::error(e.args[i]->span, "映射中的键重复：" + value_literal(k), "Failed with repeated key: " + value_literal(k));
        entries.emplace_back(std::move(k), std::move(v));
      }
      return Value::map(std::move(entries));
    }
    case ExprKind::Record: return eval_record(e, frame);
    case ExprKind::Unary: {
      Value a = eval(*e.args[0], frame);
      if (a.is_error()) return a;
      if (e.name[0] == '!') {
        if (a.kind != ValueKind::Bool) return Value::error(e.span, "! 需要布尔值", "no matching overload for '!_' applied to " + value_type_name(a));
        return Value::boolean(!a.b);
      }
      if (a.kind == ValueKind::Int) {
        if (a.i == std::numeric_limits<int64_t>::min()) return overflow(e.span);
        return Value::int64(-a.i);
      }
      if (a.kind == ValueKind::Double) return Value::float64(-a.d);
      if (a.kind == ValueKind::Duration) return make_duration(e.span, -a.i, -int64_t(a.nanos));
      return Value::error(e.span, "- 不适用于 " + value_type_name(a), "no matching overload for '-_' applied to " + value_type_name(a));
    }
    case ExprKind::Binary: {
      // `x == "中小学教师"`, `a.obtained > recommend_date`: operands held somewhere are read in
      // place (see peek); others are evaluated, left first.
      Value left, right;
      const Value& a = operand(*e.args[0], frame, left);
      const Value& b = operand(*e.args[1], frame, right);
      return eval_binary(e, a, b);
    }
    case ExprKind::And:
    case ExprKind::Or: {
      // CEL's commutative logic: a decisive operand (false for &&, true for ||) wins over an error
      // on the other side; otherwise the error is the result.
      bool decisive = e.kind == ExprKind::Or;
      Value a = eval(*e.args[0], frame);
      if (a.kind == ValueKind::Bool && a.b == decisive) return a;
      Value b = eval(*e.args[1], frame);
      if (b.kind == ValueKind::Bool && b.b == decisive) return b;
      if (a.is_error()) return a;
      if (b.is_error()) return b;
      if (a.kind != ValueKind::Bool) return Value::error(e.args[0]->span, "逻辑运算需要布尔值", "no matching overload: logical operator on " + value_type_name(a));
      if (b.kind != ValueKind::Bool) return Value::error(e.args[1]->span, "逻辑运算需要布尔值", "no matching overload: logical operator on " + value_type_name(b));
      return Value::boolean(!decisive);
    }
    case ExprKind::Conditional: {
      Value c = eval(*e.args[0], frame);
      if (c.is_error()) return c;
      if (c.kind != ValueKind::Bool) return Value::error(e.args[0]->span, "条件不是布尔值", "no matching overload: condition is " + value_type_name(c));
      return eval(*e.args[c.b ? 1 : 2], frame);
    }
    case ExprKind::Comprehension: return eval_comprehension(e, frame);
    case ExprKind::Interpolation: return eval_interpolation(e, frame);
  }
  return Value::null();
}

}  // namespace zhiping
