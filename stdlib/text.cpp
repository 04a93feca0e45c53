// Text functions: document numbers (文号), trimming, file names and the annual-review file names.
// The matching itself is domain/docnum.hpp and domain/text.hpp.
#include <string>
#include <string_view>
#include <vector>

#include "stdlib/domain/docnum.hpp"
#include "stdlib/domain/text.hpp"
#include "stdlib/support.hpp"

namespace zhiping {
namespace {
using namespace types;

// The built-in record type of doc_numbers(): one per process, shared by every program, so that
// `doc_numbers(s)[0].year` type-checks like a field of a declared type.
const RecordType& doc_number_type() {
  static const RecordType t = [] {
    RecordType r;
    r.name = "DocNumber";
    r.label = "文号";
    auto field = [&](const char* name, const char* label, const Type* type) {
      FieldDecl f;
      f.name = name;
      f.label = label;
      f.type = type;
      r.fields.push_back(std::move(f));
    };
    field("agency", "发文机关代字", types::string());
    field("year", "年份", types::int64());
    field("serial", "序号", types::int64());
    field("text", "文号全文", types::string());
    field("canonical", "符合规范写法", types::boolean());
    return r;
  }();
  return t;
}

// The name without its last extension: the part after the last '.' of the final path component,
// when that '.' is not the component's first character (".profile" has no extension).
std::string_view stem_of(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  size_t start = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot <= start) return name;
  return name.substr(0, dot);
}

Value doc_numbers(const Value* a, size_t, CallContext&) {
  const RecordType* type = &doc_number_type();
  std::vector<Value> out;
  for (auto& d : domain::find_doc_numbers(a[0].str()))
    out.push_back(Value::record(type, {Value::string(d.agency), Value::int64(d.year), Value::int64(d.serial),
                                       Value::string(d.text), Value::boolean(d.canonical)}));
  return Value::list(std::move(out));
}

Value has_extension(const Value* a, size_t, CallContext&) {
  std::string ext(a[1].str());
  if (ext.empty()) return Value::boolean(false);
  if (ext[0] != '.') ext.insert(ext.begin(), '.');
  return Value::boolean(domain::ends_with_ci(a[0].str(), ext));
}

Value annual_review_years(const Value* a, size_t, CallContext&) {
  std::vector<Value> out;
  if (auto r = domain::parse_annual_review_file_name(a[0].str())) {
    out.push_back(Value::int64(r->first_year));
    out.push_back(Value::int64(r->last_year));
  }
  return Value::list(std::move(out));
}

}  // namespace

void register_text_functions(FunctionRegistry& r) {
  add_function(r, "has_doc_number", {string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(domain::has_doc_number(a[0].str()));
  }, false, "has_doc_number(s): s contains a document number such as 郑教〔2023〕15号");
  add_function(r, "doc_numbers", {string()}, list(record(&doc_number_type())), doc_numbers, false,
               "doc_numbers(s): every document number in s (agency, year, serial, text, canonical)");
  add_function(r, "trim", {string()}, string(), [](const Value* a, size_t, CallContext&) {
    return Value::string(domain::trim(a[0].str()));
  }, false, "trim(s): s without white space at both ends (also U+3000 and U+00A0)");
  add_function(r, "has_extension", {string(), string()}, boolean(), has_extension, false,
               "has_extension(name, ext): name ends with ext, ignoring letter case (\".pdf\" or \"pdf\")");
  add_function(r, "file_stem", {string()}, string(), [](const Value* a, size_t, CallContext&) {
    return Value::string(stem_of(a[0].str()));
  }, false, "file_stem(name): the name without its last extension");
  add_function(r, "name_mentions", {string(), string()}, boolean(), [](const Value* a, size_t, CallContext&) {
    return Value::boolean(stem_of(a[0].str()).find(a[1].str()) != std::string_view::npos);
  }, false, "name_mentions(name, material): the file name without its extension contains material");
  add_function(r, "annual_review_years", {string()}, list(int64()), annual_review_years, false,
               "annual_review_years(name): [first, last] for YYYY[-YYYY]年度考核表.pdf, else []");
}

}  // namespace zhiping
