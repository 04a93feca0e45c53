// Small helpers shared by the stdlib modules for declaring overloads and converting values.
#pragma once
#include <string>
#include <vector>

#include "interpreter/evaluator.hpp"
#include "interpreter/fast.hpp"
#include "interpreter/functions.hpp"
#include "stdlib/domain/date.hpp"

namespace zhiping {

inline void add_function(FunctionRegistry& r, const std::string& name, std::vector<const Type*> params, const Type* result,
                         NativeFunction impl, bool receiver_style, const std::string& doc,
                         FastNativeFunction fast = nullptr) {
  FunctionOverload o;
  o.name = name;
  o.receiver_style = receiver_style;
  o.id = name + (receiver_style ? "_member" : "");
  for (auto* p : params) o.id += "_" + type_name(p);
  o.params = std::move(params);
  o.result = result;
  o.impl = impl;
  o.fast = fast;
  o.doc = doc;
  r.add(std::move(o));
}

inline domain::Date as_date(const Value& v) { return domain::Date{static_cast<int32_t>(v.i)}; }
inline Value date_value(domain::Date d) { return Value::date(d.days); }

}  // namespace zhiping
