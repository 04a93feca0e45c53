// The zz24-core rules (shared/bench/WORKLOAD.md) written by hand in plain C++: the baseline that
// Zhiping is measured against. Two variants:
//   - over a struct (`Applicant`), converted beforehand: the eval-only baseline;
//   - over an nlohmann::json DOM parsed from each line: the end-to-end baseline.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zzbench {

// Dates as YYYYMMDD integers: ordered like the dates.
struct Applicant {
  std::string id;
  int year = 0;
  int birth_date = 0;
  bool male = false;
  bool professional = false;
  bool civil_servant = false, retired = false;
  std::string series, specialty, current_specialty;
  int title_obtained = 0, title_appointed = 0;
  struct Education { std::string level; bool degree_certificate = false; };
  std::vector<Education> education;
  struct Achievement { std::string content; int obtained = 0; std::string evidence; };
  std::vector<Achievement> achievements;
  struct Upload { std::string name; std::string copy_kind; };
  std::vector<Upload> uploads;
  int recommend_date = 0;
  int papers = 0;
};

// The result of one record: codes in rule order (WORKLOAD.md spelling, with underscores) and the fee.
struct Outcome {
  std::vector<const char*> codes;
  int64_t fee = 0;
  bool pass() const { return codes.empty(); }
};

// "2024-10-18" → 20241018 (0 if malformed).
int parse_date(std::string_view s);
// Converts a parsed record to the struct; false if a field is missing or of the wrong type.
bool to_applicant(const nlohmann::json& j, Applicant& out);
// The rules over the struct.
void evaluate(const Applicant& a, Outcome& out);
// The rules over a DOM, reading fields as it goes (what a hand-written service would do).
bool evaluate_dom(const nlohmann::json& j, Outcome& out);
// R6's pattern \p{Han}+〔\d{4}〕\d+号, searched by hand.
bool has_doc_number(std::string_view s);

// FNV-1a 32-bit over `id|codes|fee\n`, as WORKLOAD.md defines it.
struct Checksum {
  uint32_t h = 0x811c9dc5u;
  void add(std::string_view s) {
    for (unsigned char c : s) { h ^= c; h *= 0x01000193u; }
  }
  void add_record(std::string_view id, const std::vector<std::string_view>& codes, int64_t fee);
};

}  // namespace zzbench
