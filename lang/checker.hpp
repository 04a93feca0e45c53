// The checker: resolves every name and type-checks every expression against the declared schema
// before any input is seen. It reports all errors it finds, not only the first.
#pragma once
#include <string>
#include <vector>

#include "interpreter/functions.hpp"
#include "interpreter/program.hpp"
#include "lang/diagnostic.hpp"

namespace zhiping {

// Checks a parsed program in place: fills in types, slots and resolved callees, builds the record
// types and the subjects. Errors go to `sink`.
void check_program(Program& program, DiagnosticSink& sink, const FunctionRegistry& registry);

// A variable of a standalone expression (`zhiping eval --bindings`).
struct ExpressionBinding {
  std::string name;
  const Type* type;
};

// Checks one standalone expression. With check_types false it only resolves names (CEL's
// unchecked evaluation): type errors become run-time errors. Returns the frame size it needs.
int check_expression(Expr& expr, const std::vector<ExpressionBinding>& bindings, bool check_types,
                     DiagnosticSink& sink, const FunctionRegistry& registry);

}  // namespace zhiping
