// The zz24-core benchmark harness (shared/bench/WORKLOAD.md; see bench/README.md):
//   zhiping_bench [--n N] [--runs R] [--repeat K] [--data FILE] [--skip-load] [--only TEXT]
// (--only runs just the timed variants whose name contains TEXT, e.g. "Zhiping (prepared", to profile;
// --repeat makes each timed run K passes over the records: a few hundred records then stay in cache)
// Measures, in one run and on the same records, Zhiping and the hand-written C++ of the same rules:
// eval-only (records already converted), end-to-end (JSON text → report), policy load times, and the
// memory of a loaded policy. Prints the WORKLOAD.md checksum of each implementation: they must agree.
#include <malloc.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/handwritten.hpp"
#include "interpreter/zhiping.hpp"

#ifndef ZHIPING_SOURCE_DIR
#define ZHIPING_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kRepo = ZHIPING_SOURCE_DIR;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of the calling thread: what is timed below, because the machines this runs on are often
// shared (other builds on the same cores); wall-clock figures are printed alongside.
double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string hex32(uint32_t h) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

long rss_kib() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

size_t heap_bytes() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

std::shared_ptr<const zhiping::Policy> load_or_die(const std::string& path) {
  auto r = zhiping::load_policy(path);
  if (!r.ok()) {
    std::cerr << r.render_diagnostics(zhiping::Lang::En);
    std::exit(2);
  }
  return r.policy;
}

// A policy of `rules` rules, in files of 500 rules each, over a small input: three kinds of rules
// (scalar conditions, per-item conditions with string tests, decision-table calls) with messages.
std::string generate_policy(const fs::path& dir, int rules) {
  fs::create_directories(dir);
  {
    std::ofstream s(dir / "00-schema.zp");
    s << "type Ach \"业绩\" { content \"内容\": string  obtained \"取得时间\": date  evidence \"证明\": \"certificate\" | \"proof\" }\n"
         "decision band(age: int, series: string) -> int {\n"
         "  | age < 30 | \"工程\" | 1 |\n  | age < 45 | _ | 2 |\n  | _ | [\"工程\", \"农业\"] | 3 |\n  | _ | _ | 4 |\n}\n";
  }
  int files = (rules + 499) / 500;
  for (int f = 0; f < files; ++f) {
    char name[32];
    std::snprintf(name, sizeof name, "%02d-rules.zp", f + 10);
    std::ofstream s(dir / name);
    s << "subject applicant\n\n";
    if (f == 0)
      s << "input \"申报人\" {\n  name \"姓名\": string\n  age \"年龄\": int\n  series \"系列\": string\n  papers \"论文数\": int = 0\n"
         "  recommend \"推荐时间\": date\n  achievements \"业绩\": list<Ach> = []\n}\n\n";
    for (int k = 0; k < 500 && f * 500 + k < rules; ++k) {
      int i = f * 500 + k;
      s << "rule GEN-" << i << " \"生成规则" << i << "\" {\n  severity " << (i % 4 == 0 ? "warning" : "error") << "\n  cite \"" << i << "\"\n";
      switch (i % 3) {
        case 0:
          s << "  when age > " << (20 + i % 50) << " && series == \"系列" << (i % 7) << "\" && papers < " << (i % 5) << "\n"
            << "  message \"{name}（{age}岁）不符合第" << i << "条。\"\n";
          break;
        case 1:
          s << "  for each a, j in achievements\n  when a.content.contains(\"关键词" << i << "\") && a.obtained > recommend\n"
            << "  message \"第{j + 1}条业绩“{a.content}”不符合第" << i << "条。\"\n";
          break;
        default:
          s << "  when band(age, series) == " << (1 + i % 4) << " && size(achievements) > " << (i % 6) << "\n"
            << "  message \"第" << i << "条：档次{band(age, series)}。\"\n";
      }
      s << "}\n\n";
    }
  }
  return dir.string();
}

struct LoadFigure {
  std::string what;
  int rules = 0;
  double median_ms = 0;
  long rss_kib = 0;
  size_t heap = 0;
};

LoadFigure measure_load(const std::string& what, const std::string& path, int rules, int reps) {
  LoadFigure f{what, rules};
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    double c0 = thread_cpu_seconds();
    auto res = zhiping::load_policy(path);
    ms.push_back((thread_cpu_seconds() - c0) * 1e3);
    if (!res.ok()) {
      std::cerr << what << ": did not load\n" << res.render_diagnostics(zhiping::Lang::En);
      std::exit(2);
    }
  }
  f.median_ms = median(ms);
  malloc_trim(0);
  long rss0 = rss_kib();
  size_t heap0 = heap_bytes();
  auto keep = zhiping::load_policy(path);
  f.rss_kib = rss_kib() - rss0;
  f.heap = heap_bytes() - heap0;
  return f;
}

struct Args {
  long n = 100000;
  int runs = 5;
  int repeat = 1;  // passes over the records per timed run (a few hundred records, many passes: in cache)
  std::string data;
  bool skip_load = false;
  std::string only;  // run only the timed variants whose name contains this (for profiling)
};

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto next = [&]() -> std::string { if (i + 1 >= argc) { std::cerr << "missing value for " << s << "\n"; std::exit(64); } return argv[++i]; };
    if (s == "--n") a.n = std::atol(next().c_str());
    else if (s == "--runs") a.runs = std::max(1, std::atoi(next().c_str()));
    else if (s == "--repeat") a.repeat = std::max(1, std::atoi(next().c_str()));
    else if (s == "--data") a.data = next();
    else if (s == "--skip-load") a.skip_load = true;
    else if (s == "--only") a.only = next();
    else { std::cerr << "usage: zhiping_bench [--n N] [--runs R] [--repeat K] [--data FILE] [--skip-load] [--only TEXT]\n"; return 64; }
  }

  // --- Environment ---
  {
    struct utsname u;
    uname(&u);
    std::ifstream cpu("/proc/cpuinfo");
    std::string line, model;
    while (std::getline(cpu, line))
      if (line.rfind("model name", 0) == 0) { model = line.substr(line.find(':') + 2); break; }
    std::ifstream la("/proc/loadavg");
    std::string load;
    std::getline(la, load);
    std::cout << "zz24-core benchmark: " << u.sysname << " " << u.release << ", " << model << ", "
              << std::thread::hardware_concurrency() << " hardware threads; /proc/loadavg at start: " << load << "\n";
  }

  // --- Policy load times and memory (first, while the heap is small) ---
  if (!a.skip_load) {
    load_or_die(kRepo + "/bench/zz24-core.zp");  // warms the standard library's registries
    fs::path tmp = fs::temp_directory_path() / ("zhiping-bench-" + std::to_string(getpid()));
    std::vector<LoadFigure> figures;
    figures.push_back(measure_load("policies/zhengzhou-2024", kRepo + "/policies/zhengzhou-2024", 0, 21));
    figures.push_back(measure_load("bench/zz24-core.zp", kRepo + "/bench/zz24-core.zp", 9, 21));
    figures.push_back(measure_load("generated, 1,000 rules", generate_policy(tmp / "gen1000", 1000), 1000, 7));
    figures.push_back(measure_load("generated, 10,000 rules", generate_policy(tmp / "gen10000", 10000), 10000, 3));
    std::error_code ec;
    fs::remove_all(tmp, ec);
    std::cout << "\n## Policy load (read + parse + resolve + check + constants), median CPU time\n";
    for (auto& f : figures) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "  %-26s %9.2f ms   RSS +%6ld KiB   heap +%7.1f KiB\n", f.what.c_str(), f.median_ms,
                    f.rss_kib, f.heap / 1024.0);
      std::cout << buf;
    }
    std::cout << "  Zhengzhou load target < 5 ms: " << (figures[0].median_ms < 5 ? "met" : "NOT met") << "\n";
  }

  // --- Data ---
  if (a.data.empty()) a.data = "data/applicants-" + std::to_string(a.n) + ".jsonl";
  if (!fs::exists(a.data)) {
    fs::create_directories(fs::path(a.data).parent_path().empty() ? fs::path(".") : fs::path(a.data).parent_path());
    std::string cmd = "node '" + kRepo + "/../shared/bench/gen.js' " + std::to_string(a.n) + " '" + a.data + "'";
    std::cerr << "generating: " << cmd << "\n";
    if (std::system(cmd.c_str()) != 0) { std::cerr << "gen.js failed\n"; return 1; }
  }
  std::vector<std::string> lines;
  {
    std::ifstream in(a.data, std::ios::binary);
    std::string line;
    while ((long)lines.size() < a.n && std::getline(in, line))
      if (!line.empty()) lines.push_back(std::move(line));
  }
  const size_t n = lines.size();
  size_t bytes = 0;
  for (auto& l : lines) bytes += l.size();
  std::cout << "\n## Data: " << n << " records from " << a.data << " (" << bytes / n << " bytes per record on average)\n";

  auto policy = load_or_die(kRepo + "/bench/zz24-core.zp");
  const zhiping::EvalOptions options;

  // --- Prepared inputs (untimed for eval-only; the conversion time is reported on its own) ---
  std::vector<zzbench::Applicant> applicants(n);
  std::vector<zhiping::PreparedInput> prepared(n);
  double t_dom = 0, t_convert_hw = 0, t_convert_zp = 0;
  size_t prepared_heap = 0;  // malloc heap the prepared inputs hold, all of them
  {
    std::vector<nlohmann::json> doms(n);
    double t0 = thread_cpu_seconds();
    for (size_t i = 0; i < n; ++i) doms[i] = nlohmann::json::parse(lines[i]);
    t_dom = thread_cpu_seconds() - t0;
    t0 = thread_cpu_seconds();
    for (size_t i = 0; i < n; ++i)
      if (!zzbench::to_applicant(doms[i], applicants[i])) { std::cerr << "line " << i + 1 << ": bad record\n"; return 1; }
    t_convert_hw = thread_cpu_seconds() - t0;
    t0 = thread_cpu_seconds();
    const size_t heap_before = heap_bytes();
    for (size_t i = 0; i < n; ++i) {
      prepared[i] = zhiping::prepare_input(*policy, doms[i], options);
      if (!prepared[i].ok()) { std::cerr << "line " << i + 1 << ": " << prepared[i].input_error << "\n"; return 1; }
    }
    t_convert_zp = thread_cpu_seconds() - t0;
    prepared_heap = heap_bytes() - heap_before;
  }

  // --- Checksums: every implementation on every record (untimed) ---
  if (a.only.empty()) {
    zzbench::Checksum c_zp_text, c_zp_prep, c_hw, c_hw_dom;
    uint32_t at20k[4] = {0, 0, 0, 0};
    std::vector<std::string> zp_codes;
    std::vector<std::string_view> views;
    zzbench::Outcome out;
    for (size_t i = 0; i < n; ++i) {
      const std::string& id = applicants[i].id;
      auto add_zp = [&](zzbench::Checksum& c, const zhiping::EvalResult& r) {
        zp_codes.clear();
        for (auto& f : r.report.findings) {
          std::string code = f.code;
          std::replace(code.begin(), code.end(), '-', '_');  // Zhiping codes use hyphens (bench/README.md)
          zp_codes.push_back(std::move(code));
        }
        views.assign(zp_codes.begin(), zp_codes.end());
        const nlohmann::json* fee = r.report.value("fee");
        c.add_record(id, views, fee ? fee->get<int64_t>() : -1);
      };
      add_zp(c_zp_text, zhiping::evaluate_json_text(*policy, lines[i], options));
      add_zp(c_zp_prep, zhiping::evaluate_prepared(*policy, prepared[i], options));
      zzbench::evaluate(applicants[i], out);
      views.assign(out.codes.begin(), out.codes.end());
      c_hw.add_record(id, views, out.fee);
      zzbench::evaluate_dom(nlohmann::json::parse(lines[i]), out);
      views.assign(out.codes.begin(), out.codes.end());
      c_hw_dom.add_record(id, views, out.fee);
      if (i + 1 == 20000) at20k[0] = c_zp_text.h, at20k[1] = c_zp_prep.h, at20k[2] = c_hw.h, at20k[3] = c_hw_dom.h;
    }
    std::cout << "\n## Checksums (FNV-1a of WORKLOAD.md; expected e0b6ba70 for 100,000 records, 46745cc9 for the first 20,000)\n";
    auto row = [&](const char* what, uint32_t all, uint32_t first) {
      std::cout << "  " << what << ": " << hex32(all) << " (" << n << " records)";
      if (n >= 20000) std::cout << ", " << hex32(first) << " (first 20000)";
      std::cout << "\n";
    };
    row("Zhiping, JSON text     ", c_zp_text.h, at20k[0]);
    row("Zhiping, prepared input", c_zp_prep.h, at20k[1]);
    row("C++ by hand, struct    ", c_hw.h, at20k[2]);
    row("C++ by hand, nlohmann  ", c_hw_dom.h, at20k[3]);
    bool equal = c_zp_text.h == c_hw.h && c_zp_prep.h == c_hw.h && c_hw_dom.h == c_hw.h;
    std::cout << "  all equal: " << (equal ? "yes" : "NO") << "\n";
    if (!equal) return 1;
  }

  // --- Timed runs: the variants interleaved in every run, medians over runs ---
  struct Variant {
    const char* name;
    std::function<size_t()> run;  // returns a sink value so that nothing is optimised away
    std::vector<double> rate, wall_rate;
  };
  std::vector<Variant> variants;
  variants.push_back({"eval-only  C++ by hand (struct)", [&] {
                        size_t sink = 0;
                        zzbench::Outcome out;
                        for (size_t i = 0; i < n; ++i) { zzbench::evaluate(applicants[i], out); sink += out.codes.size() + out.fee; }
                        return sink; }, {}});
  // Zhiping as a loop over many records is meant to be written: one EvalResult, reused (its memory
  // is kept). The same with a new EvalResult per record is timed further down.
  variants.push_back({"eval-only  Zhiping (prepared input)", [&] {
                        size_t sink = 0;
                        zhiping::EvalResult r;
                        for (size_t i = 0; i < n; ++i) {
                          zhiping::evaluate_prepared(*policy, prepared[i], r, options);
                          sink += r.report.findings.size() + r.report.pass;
                        }
                        return sink; }, {}});
  variants.push_back({"end-to-end C++ by hand (nlohmann DOM)", [&] {
                        size_t sink = 0;
                        zzbench::Outcome out;
                        for (size_t i = 0; i < n; ++i) { zzbench::evaluate_dom(nlohmann::json::parse(lines[i]), out); sink += out.codes.size() + out.fee; }
                        return sink; }, {}});
  variants.push_back({"end-to-end Zhiping (text -> Report)", [&] {
                        size_t sink = 0;
                        zhiping::EvalResult r;
                        for (size_t i = 0; i < n; ++i) {
                          zhiping::evaluate_json_text(*policy, lines[i], r, options);
                          sink += r.report.findings.size() + r.report.pass;
                        }
                        return sink; }, {}});
  // The line `zhiping batch` writes for a record, built as batch builds it: a new string per line.
  variants.push_back({"end-to-end Zhiping (text -> report JSON text)", [&] {
                        size_t sink = 0;
                        for (size_t i = 0; i < n; ++i) {
                          auto r = zhiping::evaluate_json_text(*policy, lines[i], options);
                          std::string report_line;
                          r.report.append_json(report_line, static_cast<int64_t>(i + 1));
                          sink += report_line.size();
                        }
                        return sink; }, {}});
  variants.push_back({"eval-only  Zhiping by value (prepared input)", [&] {
                        size_t sink = 0;
                        for (size_t i = 0; i < n; ++i) {
                          auto r = zhiping::evaluate_prepared(*policy, prepared[i], options);
                          sink += r.report.findings.size() + r.report.pass;
                        }
                        return sink; }, {}});
  variants.push_back({"end-to-end Zhiping by value (text -> Report)", [&] {
                        size_t sink = 0;
                        for (size_t i = 0; i < n; ++i) {
                          auto r = zhiping::evaluate_json_text(*policy, lines[i], options);
                          sink += r.report.findings.size() + r.report.pass;
                        }
                        return sink; }, {}});
  if (!a.only.empty()) {
    variants.erase(std::remove_if(variants.begin(), variants.end(),
                                  [&](const Variant& v) { return std::string(v.name).find(a.only) == std::string::npos; }),
                   variants.end());
    size_t sink = 0;
    for (int run = 0; run < a.runs; ++run)
      for (auto& v : variants) sink += v.run();
    std::cerr << "(sink " << sink << ")\n";
    return 0;
  }
  size_t sink = 0;
  for (int run = 0; run < a.runs; ++run) {
    for (auto& v : variants) {
      auto t0 = Clock::now();
      double c0 = thread_cpu_seconds();
      for (int k = 0; k < a.repeat; ++k) sink += v.run();
      v.rate.push_back(static_cast<double>(n) * a.repeat / (thread_cpu_seconds() - c0));
      v.wall_rate.push_back(static_cast<double>(n) * a.repeat / seconds_since(t0));
    }
    std::cerr << "run " << run + 1 << "/" << a.runs << " done\n";
  }
  std::cout << "\n## Records per CPU-second of the thread, median of " << a.runs << " runs (min–max); wall-clock median";
  if (a.repeat > 1) std::cout << "; each run " << a.repeat << " passes over the records";
  std::cout << "\n";
  std::vector<double> med;
  for (auto& v : variants) {
    double m = median(v.rate);
    med.push_back(m);
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-46s %12.0f   (%.0f–%.0f)   wall %.0f\n", v.name, m, *std::min_element(v.rate.begin(), v.rate.end()),
                  *std::max_element(v.rate.begin(), v.rate.end()), median(v.wall_rate));
    std::cout << buf;
  }
  char buf[512];
  std::cout << "\n## Ratios (targets of the issue)\n";
  std::snprintf(buf, sizeof buf, "  eval-only: Zhiping / C++ by hand        = %.3f  (target >= 0.333: %s)\n", med[1] / med[0],
                med[1] / med[0] >= 1.0 / 3 ? "met" : "NOT met");
  std::cout << buf;
  std::snprintf(buf, sizeof buf, "  end-to-end: Zhiping / nlohmann-DOM C++  = %.3f  (target >= 2: %s)\n", med[3] / med[2],
                med[3] / med[2] >= 2 ? "met" : "NOT met");
  std::cout << buf;
  std::snprintf(buf, sizeof buf, "  end-to-end with report JSON / nlohmann-DOM C++ = %.3f\n", med[4] / med[2]);
  std::cout << buf;
  std::snprintf(buf, sizeof buf, "  with a new EvalResult per record: eval-only %.3f, end-to-end %.3f\n", med[5] / med[0], med[6] / med[2]);
  std::cout << buf;
  // --- Threads: the library alone, without batch's reading and writing ---
  // The same records evaluated end to end by one thread, then split between two threads that share
  // the policy; wall clock, median of the runs. This separates how the interpreter scales from how
  // `zhiping batch` (one thread reads and writes, all evaluate) does.
  {
    // Each range also reports the CPU time of its thread: on a shared VM one vCPU is at times much
    // slower than the other, and then no program scales, which these two figures show.
    auto evaluate_range = [&](size_t from, size_t to, size_t& out, double& cpu) {
      double c0 = thread_cpu_seconds();
      size_t sink_local = 0;
      for (size_t i = from; i < to; ++i) sink_local += zhiping::evaluate_json_text(*policy, lines[i], options).report.findings.size();
      out = sink_local;
      cpu = thread_cpu_seconds() - c0;
    };
    std::vector<double> one, two, cpu_a, cpu_b;
    for (int run = 0; run < a.runs; ++run) {
      size_t s1 = 0, s2 = 0, s3 = 0;
      double c1 = 0, c2 = 0, c3 = 0;
      auto t0 = Clock::now();
      evaluate_range(0, n, s1, c1);
      one.push_back(seconds_since(t0));
      t0 = Clock::now();
      std::thread other(evaluate_range, n / 2, n, std::ref(s3), std::ref(c3));
      evaluate_range(0, n / 2, s2, c2);
      other.join();
      two.push_back(seconds_since(t0));
      cpu_a.push_back(c2);
      cpu_b.push_back(c3);
      if (s1 != s2 + s3) { std::cerr << "thread results differ\n"; return 1; }
      sink += s1;
    }
    std::snprintf(buf, sizeof buf,
                  "\n## Threads: evaluate_json_text over the same records, wall clock, median of %d runs\n"
                  "  1 thread %.0f records/s, 2 threads %.0f records/s: %.2fx "
                  "(CPU seconds of the two threads for equal halves: %.3f and %.3f)\n",
                  a.runs, n / median(one), n / median(two), median(one) / median(two), median(cpu_a), median(cpu_b));
    std::cout << buf;
  }
  std::cout << "\n## One-off conversion costs (single pass, records per CPU-second)\n";
  std::snprintf(buf, sizeof buf,
                "  nlohmann::json::parse                    %12.0f\n  DOM -> struct (by hand)                  %12.0f\n"
                "  DOM -> Zhiping input (prepare_input)     %12.0f\n",
                n / t_dom, n / t_convert_hw, n / t_convert_zp);
  std::cout << buf;
  std::snprintf(buf, sizeof buf, "  memory of a prepared input: %.0f bytes per record (malloc heap; the JSON line: %.0f bytes)\n",
                static_cast<double>(prepared_heap) / n, static_cast<double>(bytes) / n);
  std::cout << buf;
  std::cerr << "(sink " << sink << ")\n";
  return 0;
}
