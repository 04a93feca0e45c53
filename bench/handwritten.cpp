// The zz24-core rules by hand (see handwritten.hpp and shared/bench/WORKLOAD.md).
#include "bench/handwritten.hpp"

#include "stdlib/domain/text.hpp"

namespace zzbench {

namespace {
const char* kCivilServant = "CIVIL_SERVANT";
const char* kRetired = "RETIRED";
const char* kRetirementAge = "RETIREMENT_AGE";
const char* kSpecialty = "SPECIALTY_MISMATCH";
const char* kTenure = "TENURE";
const char* kDocNumber = "DOC_NUMBER";
const char* kUnpublished = "UNPUBLISHED";
const char* kLate = "LATE_ACHIEVEMENT";
const char* kUpload = "UPLOAD";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int required_years(std::string_view level, bool degree_certificate) {
  if (level == "硕士研究生") return degree_certificate ? 2 : 4;
  if (level == "本科") return 4;
  return 5;  // 大专
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Rules over plain values, shared by both variants.
inline void rules_head(Outcome& out, bool civil_servant, bool retired, int year, int birth_date, bool male,
                       bool professional, std::string_view specialty, std::string_view current_specialty, int obtained,
                       int appointed, std::string_view last_level, bool last_cert) {
  if (civil_servant) out.codes.push_back(kCivilServant);
  if (retired) out.codes.push_back(kRetired);
  int age = male ? 60 : professional ? 55 : 50;
  if (birth_date / 10000 + age <= year) out.codes.push_back(kRetirementAge);
  if (specialty != current_specialty) out.codes.push_back(kSpecialty);
  int start = obtained > appointed ? obtained : appointed;
  if (start > (year - required_years(last_level, last_cert)) * 10000 + 1231) out.codes.push_back(kTenure);
}
}  // namespace

int parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return 0;
  int v = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(s[i])) return 0;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool has_doc_number(std::string_view s) {
  static constexpr std::string_view open = "〔", close = "〕", hao = "号";
  size_t p = 0;
  while ((p = s.find(open, p)) != std::string_view::npos) {
    size_t at = p;
    p += open.size();
    // \p{Han}+ directly before: the code point that ends at `at` is Han.
    size_t start = at;
    int back = 0;
    while (start > 0 && back < 4) {
      --start;
      ++back;
      if ((static_cast<unsigned char>(s[start]) & 0xC0) != 0x80) break;
    }
    if (at == 0) continue;
    size_t q = start;
    char32_t c = zhiping::domain::decode_utf8(s, q);
    if (q != at || !zhiping::domain::is_han(c)) continue;
    // \d{4}〕
    size_t i = p;
    if (i + 4 > s.size() || !is_digit(s[i]) || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3])) continue;
    i += 4;
    if (s.compare(i, close.size(), close) != 0) continue;
    i += close.size();
    // \d+号
    size_t digits = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == digits) continue;
    if (s.compare(i, hao.size(), hao) == 0) return true;
  }
  return false;
}

bool to_applicant(const nlohmann::json& j, Applicant& a) {
  try {
    a.id = j.at("id").get<std::string>();
    a.year = j.at("year").get<int>();
    a.birth_date = parse_date(j.at("birth_date").get_ref<const std::string&>());
    a.male = j.at("gender").get_ref<const std::string&>() == "male";
    a.professional = j.at("staff_category").get_ref<const std::string&>() == "professional";
    a.civil_servant = j.at("civil_servant").get<bool>();
    a.retired = j.at("retired").get<bool>();
    a.series = j.at("series").get<std::string>();
    a.specialty = j.at("specialty").get<std::string>();
    a.current_specialty = j.at("current_specialty").get<std::string>();
    const auto& t = j.at("current_title");
    a.title_obtained = parse_date(t.at("obtained").get_ref<const std::string&>());
    a.title_appointed = parse_date(t.at("appointed").get_ref<const std::string&>());
    a.education.clear();
    for (const auto& e : j.at("education")) a.education.push_back({e.at("level").get<std::string>(), e.at("degree_certificate").get<bool>()});
    a.achievements.clear();
    for (const auto& e : j.at("achievements"))
      a.achievements.push_back({e.at("content").get<std::string>(), parse_date(e.at("obtained").get_ref<const std::string&>()),
                                e.at("evidence").get<std::string>()});
    a.uploads.clear();
    for (const auto& e : j.at("uploads")) a.uploads.push_back({e.at("name").get<std::string>(), e.at("copy_kind").get<std::string>()});
    a.recommend_date = parse_date(j.at("recommend_date").get_ref<const std::string&>());
    a.papers = j.at("papers").get<int>();
    return !a.education.empty();
  } catch (const std::exception&) {
    return false;
  }
}

void evaluate(const Applicant& a, Outcome& out) {
  out.codes.clear();
  const auto& last = a.education.back();
  rules_head(out, a.civil_servant, a.retired, a.year, a.birth_date, a.male, a.professional, a.specialty, a.current_specialty,
             a.title_obtained, a.title_appointed, last.level, last.degree_certificate);
  if (a.series == "中小学教师")
    for (const auto& x : a.achievements)
      if (!has_doc_number(x.content)) out.codes.push_back(kDocNumber);
  for (const auto& x : a.achievements)
    if (x.evidence == "proof" || x.evidence == "acceptance_notice") out.codes.push_back(kUnpublished);
  for (const auto& x : a.achievements)
    if (x.obtained > a.recommend_date) out.codes.push_back(kLate);
  for (const auto& u : a.uploads)
    if (!ends_with(u.name, ".pdf") || u.copy_kind == "photocopy") out.codes.push_back(kUpload);
  out.fee = 120 + 30 * static_cast<int64_t>(a.papers);
}

bool evaluate_dom(const nlohmann::json& j, Outcome& out) {
  out.codes.clear();
  try {
    const auto& str = [&](const nlohmann::json& o, const char* k) -> const std::string& { return o.at(k).get_ref<const std::string&>(); };
    const auto& education = j.at("education");
    if (education.empty()) return false;
    const auto& last = education.back();
    const auto& title = j.at("current_title");
    int year = j.at("year").get<int>();
    rules_head(out, j.at("civil_servant").get<bool>(), j.at("retired").get<bool>(), year, parse_date(str(j, "birth_date")),
               str(j, "gender") == "male", str(j, "staff_category") == "professional", str(j, "specialty"),
               str(j, "current_specialty"), parse_date(str(title, "obtained")), parse_date(str(title, "appointed")),
               str(last, "level"), last.at("degree_certificate").get<bool>());
    const auto& achievements = j.at("achievements");
    if (str(j, "series") == "中小学教师")
      for (const auto& x : achievements)
        if (!has_doc_number(str(x, "content"))) out.codes.push_back(kDocNumber);
    for (const auto& x : achievements) {
      const auto& ev = str(x, "evidence");
      if (ev == "proof" || ev == "acceptance_notice") out.codes.push_back(kUnpublished);
    }
    int recommend = parse_date(str(j, "recommend_date"));
    for (const auto& x : achievements)
      if (parse_date(str(x, "obtained")) > recommend) out.codes.push_back(kLate);
    for (const auto& u : j.at("uploads"))
      if (!ends_with(str(u, "name"), ".pdf") || str(u, "copy_kind") == "photocopy") out.codes.push_back(kUpload);
    out.fee = 120 + 30 * j.at("papers").get<int64_t>();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void Checksum::add_record(std::string_view id, const std::vector<std::string_view>& codes, int64_t fee) {
  add(id);
  add("|");
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i) add(",");
    add(codes[i]);
  }
  add("|");
  add(std::to_string(fee));
  add("\n");
}

}  // namespace zzbench
