// The function registry: typed overloads that the checker resolves at load time and the evaluator
// calls by pointer. The standard library (stdlib/) fills it once; it is immutable afterwards, so many
// programs and threads share it.
#pragma once
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/value.hpp"
#include "lang/types.hpp"

namespace zhiping {

struct CallContext;
union FastSlot;  // interpreter/fast.hpp

// The same function over unboxed arguments, for the fast path: bools, int64 for ints and dates
// (days), and pointers to other values, as the parameter types say. It answers false wherever the
// boxed function would return an error value; the tree-walker then calls the boxed one, which says
// why.
using FastNativeFunction = bool (*)(const FastSlot* args, FastSlot& out);

// A native implementation: receives the evaluated arguments (receiver first for receiver-style
// calls) and returns a value or an error value. It must not throw.
using NativeFunction = Value (*)(const Value* args, size_t count, CallContext& ctx);

struct FunctionOverload {
  std::string name;
  std::string id;                    // unique, e.g. "add_days_date_int"
  bool receiver_style = false;       // x.f(y) rather than f(x, y)
  std::vector<const Type*> params;   // the receiver first when receiver_style
  const Type* result = nullptr;
  NativeFunction impl = nullptr;
  FastNativeFunction fast = nullptr;  // optional
  std::string doc;                   // one line for docs and the playground
};

class FunctionRegistry {
 public:
  void add(FunctionOverload overload);
  // All overloads of a name (global and receiver-style), or nullptr.
  const std::vector<FunctionOverload>* find(const std::string& name) const;
  std::vector<std::string> names() const;
  // The registry with the CEL core and every stdlib module; built on first use, then read-only.
  static const FunctionRegistry& standard();

 private:
  std::unordered_map<std::string, std::vector<FunctionOverload>> by_name_;
};

// True if a run-time value can be passed where `t` is expected (dynamic dispatch, --no-check).
bool value_has_type(const Value& v, const Type* t);

// Registration entry points, one per stdlib module (stdlib/*.cpp).
void register_core_functions(FunctionRegistry& r);
void register_date_functions(FunctionRegistry& r);
void register_calendar_functions(FunctionRegistry& r);
void register_identity_functions(FunctionRegistry& r);
void register_text_functions(FunctionRegistry& r);

}  // namespace zhiping
