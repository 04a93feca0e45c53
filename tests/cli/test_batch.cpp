// The batch pipeline (cli/batch.cpp) over files, with blocks from 1 byte to 4 KiB and 1–3 jobs: every
// input line gets exactly one output line, in order, whatever block a line starts or ends in; end of
// line variants, overlong lines that span blocks, and failing reads and writes.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/batch.hpp"
#include "interpreter/zhiping.hpp"

namespace {

const char* kPolicy = R"zp(subject applicant
input { n: int }
rule BIG "太大" {
  severity error
  cite "第1条"
  when n > 1
  message "n 为 {n}，超过 1。"
}
)zp";

std::shared_ptr<const zhiping::Policy> policy() {
  static auto loaded = zhiping::load_policy_sources({{"mem/batch.zp", kPolicy}});
  INFO(loaded.render_diagnostics(zhiping::Lang::En));
  REQUIRE(loaded.ok());
  return loaded.policy;
}

// A temporary file holding `text`, open for reading, closed on destruction.
struct TempFile {
  FILE* f = std::tmpfile();
  explicit TempFile(const std::string& text = "") {
    REQUIRE(f);
    if (!text.empty()) REQUIRE(std::fwrite(text.data(), 1, text.size(), f) == text.size());
    std::fflush(f);
    std::rewind(f);
  }
  ~TempFile() { std::fclose(f); }
  int fd() const { return fileno(f); }
  std::string contents() const {
    std::string out;
    std::rewind(f);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    return out;
  }
};

struct Outcome {
  bool ok = false;
  std::string error;
  zhiping::cli::BatchCounts counts;
  std::vector<nlohmann::json> lines;
};

Outcome run(const std::string& input, size_t block_bytes, unsigned jobs, size_t max_line = 1000) {
  TempFile in(input), out;
  zhiping::cli::BatchSettings settings;
  settings.options.lang = zhiping::Lang::En;
  settings.options.limits.max_input_bytes = max_line;
  settings.jobs = jobs;
  settings.block_bytes = block_bytes;
  Outcome o;
  o.ok = zhiping::cli::run_batch(*policy(), in.fd(), out.fd(), settings, o.counts, o.error);
  std::string text = out.contents();
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    o.lines.push_back(nlohmann::json::parse(text.substr(start, nl - start)));
  CHECK(start == text.size());  // every output line ends in a newline
  return o;
}

// "pass", "fail" or the error text, for each output line, after checking its line number.
std::vector<std::string> summary(const Outcome& o) {
  std::vector<std::string> s;
  for (size_t i = 0; i < o.lines.size(); ++i) {
    CHECK(o.lines[i]["line"] == i + 1);
    s.push_back(o.lines[i].contains("error") ? o.lines[i]["error"].get<std::string>() : o.lines[i]["decision"].get<std::string>());
  }
  return s;
}

}  // namespace

TEST_CASE("batch: one result per line, in order, for every block size and job count", "[batch]") {
  const std::string overlong = "{\"n\": 1, \"pad\": \"" + std::string(3000, 'x') + "\"}";
  struct Case {
    const char* name;
    std::string input;
    std::vector<std::string> expected;
  };
  const std::string too_long = "$: input too large (limit 1000 bytes)";
  std::vector<Case> cases = {
      {"empty input", "", {}},
      {"one empty line", "\n", {"empty line"}},
      {"no newline at the end", "{\"n\": 1}\n{\"n\": 2}", {"pass", "fail"}},
      {"CRLF line ends", "{\"n\": 2}\r\n\r\n{\"n\": 0}\r\n", {"fail", "empty line", "pass"}},
      {"blank lines between records", "{\"n\": 1}\n\n  \t\n{\"n\": 5}\n", {"pass", "empty line", "empty line", "fail"}},
      {"overlong line in the middle", "{\"n\": 1}\n" + overlong + "\n{\"n\": 3}\n", {"pass", too_long, "fail"}},
      {"overlong line first and last, no newline", overlong + "\n{\"n\": 0}\n" + overlong, {too_long, "pass", too_long}},
      {"two overlong lines in a row", overlong + "\n" + overlong + "\n{\"n\": 0}\n", {too_long, too_long, "pass"}},
  };
  // Many records, with invalid lines at the start, in the middle and at the end.
  Case many{"many records", "not json\n", {}};
  many.expected.push_back("");  // filled in below from the first run's error text
  for (int i = 0; i < 3000; ++i) {
    many.input += "{\"n\": " + std::to_string(i % 3) + "}\n";
    many.expected.push_back(i % 3 > 1 ? "fail" : "pass");
    if (i == 1500) {
      many.input += "{\"n\": \"x\"}\n";
      many.expected.push_back("");
    }
  }
  many.input += "[1, 2";
  many.expected.push_back("");
  cases.push_back(many);

  for (const Case& c : cases) {
    for (size_t block : {size_t(1), size_t(7), size_t(64), size_t(4096)}) {
      for (unsigned jobs : {1u, 2u, 3u}) {
        INFO(c.name << ", block " << block << " bytes, " << jobs << " jobs");
        Outcome o = run(c.input, block, jobs);
        REQUIRE(o.ok);
        std::vector<std::string> got = summary(o);
        REQUIRE(got.size() == c.expected.size());
        for (size_t i = 0; i < got.size(); ++i) {
          if (c.expected[i].empty()) CHECK(o.lines[i].contains("error"));  // invalid JSON or a wrong type
          else CHECK(got[i] == c.expected[i]);
        }
        CHECK(o.counts.records == c.expected.size());
        CHECK(o.counts.passed + o.counts.failed + o.counts.invalid == o.counts.records);
        CHECK(o.counts.passed == static_cast<size_t>(std::count(got.begin(), got.end(), "pass")));
        CHECK(o.counts.seconds > 0);  // the run's own clock, which the CLI's summary line reads
      }
    }
  }
}

TEST_CASE("batch: a report line is the record's report with its line number", "[batch]") {
  Outcome o = run("{\"n\": 2}\n", 4096, 1);
  REQUIRE(o.lines.size() == 1);
  const nlohmann::json& l = o.lines[0];
  CHECK(l["line"] == 1);
  CHECK(l["decision"] == "fail");
  REQUIRE(l["findings"].size() == 1);
  CHECK(l["findings"][0]["code"] == "BIG");
  CHECK(l["findings"][0]["message"] == "n 为 2，超过 1。");
}

TEST_CASE("batch: failing reads and writes are reported, not ignored", "[batch]") {
  zhiping::cli::BatchSettings settings;
  zhiping::cli::BatchCounts counts;
  std::string error;
  SECTION("reading a directory") {
    int dir = ::open("/", O_RDONLY);
    REQUIRE(dir >= 0);
    TempFile out;
    CHECK_FALSE(zhiping::cli::run_batch(*policy(), dir, out.fd(), settings, counts, error));
    ::close(dir);
    CHECK(error.find("读取输入时出错") == 0);
    CHECK(counts.records == 0);
  }
  SECTION("writing to a descriptor open only for reading") {
    TempFile in("{\"n\": 1}\n{\"n\": 2}\n");
    int ro = ::open("/dev/null", O_RDONLY);
    REQUIRE(ro >= 0);
    settings.options.lang = zhiping::Lang::En;
    CHECK_FALSE(zhiping::cli::run_batch(*policy(), in.fd(), ro, settings, counts, error));
    ::close(ro);
    CHECK(error.find("error writing the results") == 0);
  }
}
