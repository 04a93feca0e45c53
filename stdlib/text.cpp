// Placeholder until the domain bindings land: registers no functions yet.
#include "stdlib/support.hpp"

namespace zhiping {
void register_text_functions(FunctionRegistry&) {}
}  // namespace zhiping
