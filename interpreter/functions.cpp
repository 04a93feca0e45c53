// The function registry and run-time type tests for dynamic dispatch.
#include "interpreter/functions.hpp"

namespace zhiping {

void FunctionRegistry::add(FunctionOverload overload) { by_name_[overload.name].push_back(std::move(overload)); }

const std::vector<FunctionOverload>* FunctionRegistry::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> out;
  for (auto& [n, _] : by_name_) out.push_back(n);
  return out;
}

const FunctionRegistry& FunctionRegistry::standard() {
  // Built once, thread-safely (C++11 static initialisation), and never changed afterwards.
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    register_core_functions(r);
    register_date_functions(r);
    register_calendar_functions(r);
    register_identity_functions(r);
    register_text_functions(r);
    return r;
  }();
  return registry;
}

bool value_has_type(const Value& v, const Type* t) {
  switch (t->kind) {
    case TypeKind::Dyn:
    case TypeKind::Error: return true;
    case TypeKind::Null: return v.kind == ValueKind::Null;
    case TypeKind::Bool: return v.kind == ValueKind::Bool;
    case TypeKind::Int: return v.kind == ValueKind::Int;
    case TypeKind::Uint: return v.kind == ValueKind::Uint;
    case TypeKind::Double: return v.kind == ValueKind::Double;
    case TypeKind::String:
    case TypeKind::Enum: return v.kind == ValueKind::String;
    case TypeKind::Bytes: return v.kind == ValueKind::Bytes;
    case TypeKind::Date: return v.kind == ValueKind::Date;
    case TypeKind::Timestamp: return v.kind == ValueKind::Timestamp;
    case TypeKind::Duration: return v.kind == ValueKind::Duration;
    case TypeKind::List: {
      if (v.kind != ValueKind::List) return false;
      if (t->elem->kind == TypeKind::Dyn) return true;
      for (auto& x : v.items())
        if (!value_has_type(x, t->elem)) return false;
      return true;
    }
    case TypeKind::Map: return v.kind == ValueKind::Map;
    case TypeKind::Record: return v.kind == ValueKind::Record && v.rec().type == t->record;
    case TypeKind::TypeValue: return v.kind == ValueKind::Type;
    case TypeKind::Calendar: return v.kind == ValueKind::Calendar;
  }
  return false;
}

}  // namespace zhiping
