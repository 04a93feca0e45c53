// Placeholder until the domain bindings land: registers no functions yet.
#include "stdlib/support.hpp"

namespace zhiping {
void register_date_functions(FunctionRegistry&) {}
}  // namespace zhiping
