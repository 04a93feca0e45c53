// The parser: PEGTL grammar → parse tree → AST, with syntax errors as diagnostics.
#pragma once
#include <cstddef>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"

namespace zhiping {

// Parses a policy file. Syntax errors are reported to `sink` and the parser resumes at the next
// declaration, so one load reports the errors of every declaration.
FileSyntax parse_policy_file(const SourceFile& file, DiagnosticSink& sink);

// Parses one standalone expression (zhiping eval, the CEL conformance runner); nullptr on error.
ExprPtr parse_expression(const SourceFile& file, DiagnosticSink& sink);

// How many chunks of parse-tree nodes (256 each) this thread keeps for its next parse: at most 16
// after a parse, whatever the size of the declarations parsed (for tests).
size_t parse_node_chunks_held();

// The deepest nesting of parentheses, brackets, calls and ?: that the parser accepts.
constexpr int kMaxParseNesting = 64;

}  // namespace zhiping
