// `zhiping batch`: one JSON result per line of JSON Lines input, in input order (shared/spec/CLI.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "interpreter/zhiping.hpp"

namespace zhiping::cli {

struct BatchSettings {
  EvalOptions options;          // subject, limits (max_input_bytes bounds one line), language
  unsigned jobs = 1;            // threads evaluating, this one included
  bool progress = false;        // a progress line on standard error (a terminal)
  uint64_t total_bytes = 0;     // the input's size when known (a regular file), for the ETA
  size_t block_bytes = 256u << 10;  // input bytes read at a time by one job
};

struct BatchCounts {
  size_t records = 0, passed = 0, failed = 0, invalid = 0;
  double seconds = 0;  // of the whole run (run_batch's clock, which the progress line reads too); 0 per block
};

// Reads JSON Lines from `in_fd` and writes one result line per input line to `out_fd`. Returns false
// when reading or writing failed; `error` then says why (in the options' language), and what was
// written so far is a prefix of the full output.
bool run_batch(const Policy& policy, int in_fd, int out_fd, const BatchSettings& settings, BatchCounts& counts,
               std::string& error);

}  // namespace zhiping::cli
