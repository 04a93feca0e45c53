// PEGTL's grammar analysis: no rule can loop without consuming input, and there is no left
// recursion, in the declaration grammar and the standalone expression grammar.
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "lang/grammar.hpp"

TEST_CASE("the grammar passes PEGTL's analysis", "[grammar]") {
  CHECK(tao::pegtl::analyze<zhiping::grammar::one_declaration>(-1) == 0);
  CHECK(tao::pegtl::analyze<zhiping::grammar::expression_only>(-1) == 0);
}
