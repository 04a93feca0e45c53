// Input records: JSON converted once per record into the policy's typed slots, validated against
// the declared schema as it goes; every mismatch names its JSON path.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace zhiping {

struct InputProblem {
  std::string path;  // "$.education[1].graduated"
  std::string message_zh, message_en;
};

// Converts `json` to a value of `type`; problems are appended (at most a few dozen are kept).
Value json_to_value(const nlohmann::json& json, const Type* type, const Program& program, const std::string& path,
                    std::vector<InputProblem>& problems);

// The fast path for JSON text: converts straight into typed values with scan_json (json_scan.hpp),
// building no DOM. Returns false (and leaves `out` unspecified) when the text is not valid for the
// type or exceeds the depth limit; the caller then takes the DOM path, which names every problem.
bool json_text_to_value(std::string_view text, const Type* type, const Program& program, int max_depth, Value& out);

// Converts JSON without a schema (bindings of `zhiping eval`): integers → int, other numbers →
// double, objects → maps with string keys.
Value json_to_dynamic(const nlohmann::json& json);
// The static type of such a value, for the checker.
const Type* dynamic_type_of(const Value& v);

// Converts a value to JSON for reports: dates as "YYYY-MM-DD", records as objects.
nlohmann::json value_to_json(const Value& v);

// Parses JSON text with the limits on size and nesting; on failure returns false and a message.
bool parse_json_limited(std::string_view text, size_t max_bytes, int max_depth, nlohmann::json& out, std::string& error_zh,
                        std::string& error_en);

}  // namespace zhiping
