// `zhiping batch` as an ordered pipeline. Every job (thread) loops: read the next block of input
// bytes (in turn, under a lock), split and evaluate its lines, and hand the block's output to the
// writer, which prints blocks strictly in input order. A block is read, evaluated and rendered by
// one thread, so its bytes never move between cores; the only serial work is one read() and one
// write() per block. An earlier design read and wrote on the main thread and shared each block's
// lines among the workers: that serial part and the lines crossing cores held two jobs to ~1.5×.
#include "cli/batch.hpp"

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace zhiping::cli {
namespace {

// A growable byte buffer that, unlike std::string, does not zero what a read() is about to fill, and
// keeps its memory from block to block (a fresh 256 KiB buffer per block is a fresh mmap in glibc).
class Bytes {
 public:
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  // Sets the size; new bytes are uninitialised.
  void resize(size_t n) {
    if (n > capacity_) {
      size_t cap = std::max(n, capacity_ * 2);
      std::unique_ptr<char[]> bigger(new char[cap]);
      if (size_) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = cap;
    }
    size_ = n;
  }
  void assign(const char* p, size_t n) {
    resize(n);
    if (n) std::memmove(data_.get(), p, n);
  }
  // Removes [at, at + n).
  void erase(size_t at, size_t n) {
    std::memmove(data_.get() + at, data_.get() + at + n, size_ - at - n);
    size_ -= n;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// Bytes of input lines and, once evaluated, their output.
struct Block {
  struct Line {
    size_t begin = 0, size = 0;  // in `bytes`, without the end of line
    bool too_long = false;       // longer than one record may be; its bytes were not kept
  };
  uint64_t seq = 0;              // blocks are written in this order
  size_t first_line = 1;         // 1-based number of lines[0]
  Bytes bytes;
  std::vector<Line> lines;
  std::string out;
  BatchCounts counts;
};

// Cuts the input into blocks of whole lines. A line longer than `limit` is answered as too long: its
// bytes are skipped as they are read, so one enormous line cannot make memory grow with the file.
class BlockReader {
 public:
  BlockReader(int fd, size_t limit, size_t block_bytes) : fd_(fd), limit_(limit), block_bytes_(std::max<size_t>(block_bytes, 1)) {}

  // Fills `b` with the next lines; false when the input has no more. Check error() afterwards.
  bool next(Block& b) {
    b.seq = seq_++;
    b.first_line = line_no_ + 1;
    b.lines.clear();
    b.out.clear();
    b.counts = BatchCounts{};
    b.bytes.assign(carry_.data(), carry_.size());  // the part line left over from the previous block starts this one
    size_t scanned = 0;    // b.bytes[0, scanned) is cut into lines
    for (;;) {
      scanned = cut_lines(b, scanned);
      if (!skipping_ && b.bytes.size() - scanned > limit_) {
        // The line in progress is already too long: answer it as such and drop the rest of it.
        b.lines.push_back({scanned, 0, true});
        b.bytes.resize(scanned);
        skipping_ = true;
      }
      if (eof_ || (!b.lines.empty() && b.bytes.size() >= block_bytes_)) break;
      if (!read_more(b.bytes, scanned)) eof_ = true;
    }
    if (eof_ && scanned < b.bytes.size()) {
      add_line(b, scanned, b.bytes.size());  // the last line has no end of line
      scanned = b.bytes.size();
    }
    carry_.assign(b.bytes.data() + scanned, b.bytes.size() - scanned);
    b.bytes.resize(scanned);
    line_no_ += b.lines.size();
    return !b.lines.empty();
  }
  uint64_t bytes_read() const { return consumed_.load(std::memory_order_relaxed); }
  const std::string& error() const { return error_; }

 private:
  // Cuts the complete lines of b.bytes after `from`; returns where the first incomplete one starts.
  size_t cut_lines(Block& b, size_t from) {
    const char* data = b.bytes.data();
    const size_t size = b.bytes.size();
    while (from < size) {
      const void* nl = std::memchr(data + from, '\n', size - from);
      if (!nl) break;
      size_t end = static_cast<size_t>(static_cast<const char*>(nl) - data);
      add_line(b, from, end);
      from = end + 1;
    }
    return from;
  }
  void add_line(Block& b, size_t begin, size_t end) {
    if (end > begin && b.bytes.data()[end - 1] == '\r') --end;
    b.lines.push_back({begin, end - begin, end - begin > limit_});
  }
  // Appends what one read() gives to `bytes`; while skipping an overlong line, drops what precedes its
  // end of line instead. False at the end of the input or on an error.
  bool read_more(Bytes& bytes, size_t scanned) {
    const size_t chunk = std::max<size_t>(block_bytes_, 64u << 10);
    for (;;) {
      size_t old = bytes.size();
      bytes.resize(old + chunk);
      ssize_t n = ::read(fd_, bytes.data() + old, chunk);
      if (n < 0 && errno == EINTR) { bytes.resize(old); continue; }
      if (n <= 0) {
        bytes.resize(old);
        if (n < 0) error_ = std::strerror(errno);
        return false;
      }
      bytes.resize(old + static_cast<size_t>(n));
      consumed_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      if (!skipping_) return true;
      const char* at = bytes.data() + old;
      const void* nl = std::memchr(at, '\n', static_cast<size_t>(n));
      if (!nl) { bytes.resize(scanned); continue; }
      // The overlong line ends here: keep only what follows it.
      bytes.erase(scanned, static_cast<size_t>(static_cast<const char*>(nl) - bytes.data()) + 1 - scanned);
      skipping_ = false;
      return true;
    }
  }

  int fd_;
  size_t limit_, block_bytes_;
  Bytes carry_;
  uint64_t seq_ = 0;
  size_t line_no_ = 0;
  bool eof_ = false, skipping_ = false;
  std::string error_;
  std::atomic<uint64_t> consumed_{0};
};

class Pipeline {
 public:
  Pipeline(const Policy& policy, int in_fd, int out_fd, const BatchSettings& s)
      : policy_(policy), settings_(s), reader_(in_fd, s.options.limits.max_input_bytes, s.block_bytes), out_fd_(out_fd) {}

  bool run(BatchCounts& counts, std::string& error) {
    start_ = std::chrono::steady_clock::now();
    std::vector<std::thread> helpers;
    // jobs - 1 threads: this one is the last job, so no more threads run than were asked for.
    for (unsigned t = 1; t < std::max(1u, settings_.jobs); ++t) helpers.emplace_back([this] { job(); });
    job();
    for (auto& t : helpers) t.join();
    if (settings_.progress && counts_.records > 0) std::cerr << "\n";
    counts = counts_;
    counts.seconds = seconds_since_start();
    bool zh = settings_.options.lang == Lang::Zh;
    if (!reader_.error().empty()) error = (zh ? "读取输入时出错：" : "error reading the input: ") + reader_.error();
    else if (!write_error_.empty()) error = (zh ? "写出结果时出错：" : "error writing the results: ") + write_error_;
    return error.empty();
  }

 private:
  void job() {
    auto block = std::make_unique<Block>();
    EvalResult result;  // one per job, reused: its report keeps its memory from line to line
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(read_mutex_);
        if (stop_.load() || !reader_.next(*block)) return;
      }
      for (size_t i = 0; i < block->lines.size(); ++i) evaluate_line(*block, i, result);
      block = deliver(std::move(block));
    }
  }

  void evaluate_line(Block& b, size_t i, EvalResult& r) {
    const Block::Line& line = b.lines[i];
    const int64_t line_no = static_cast<int64_t>(b.first_line + i);
    const EvalOptions& options = settings_.options;
    const bool zh = options.lang == Lang::Zh;
    std::string_view text(b.bytes.data() + line.begin, line.size);
    std::string problem;
    if (line.too_long) {
      problem = "$: " + std::string(zh ? "输入过大（上限 " : "input too large (limit ") +
                std::to_string(options.limits.max_input_bytes) + (zh ? " 字节）" : " bytes)");
    } else if (text.find_first_not_of(" \t") == std::string_view::npos) {
      problem = zh ? "空行" : "empty line";
    } else {
      evaluate_json_text(policy_, text, r, options);
      if (r.ok()) {
        // A report, the common line, is written as text directly: building its JSON document only to
        // print it cost about as much as evaluating the record.
        r.report.append_json(b.out, line_no);
        b.out += '\n';
        ++(r.report.pass ? b.counts.passed : b.counts.failed);
        return;
      }
      problem = r.input_error;
    }
    b.out += nlohmann::json{{"line", line_no}, {"error", problem}}.dump();
    b.out += '\n';
    ++b.counts.invalid;
  }

  // Queues an evaluated block and writes every block whose turn has come; returns an empty block for
  // the caller's next read. A job that runs ahead waits once a few blocks are queued, so memory is
  // bounded by the number of jobs, not by the input.
  std::unique_ptr<Block> deliver(std::unique_ptr<Block> block) {
    std::unique_lock<std::mutex> lock(write_mutex_);
    const uint64_t seq = block->seq;
    const size_t max_queued = 2 * static_cast<size_t>(std::max(1u, settings_.jobs));
    turn_.wait(lock, [&] { return seq == next_to_write_ || queued_.size() < max_queued; });
    queued_.emplace(seq, std::move(block));
    for (auto it = queued_.begin(); it != queued_.end() && it->first == next_to_write_; it = queued_.begin()) {
      write_out(*it->second);
      spare_.push_back(std::move(it->second));
      queued_.erase(it);
      ++next_to_write_;
    }
    turn_.notify_all();
    if (spare_.empty()) return std::make_unique<Block>();
    std::unique_ptr<Block> b = std::move(spare_.back());
    spare_.pop_back();
    return b;
  }

  void write_out(const Block& b) {
    const char* p = b.out.data();
    size_t left = b.out.size();
    while (left > 0 && write_error_.empty()) {
      ssize_t n = ::write(out_fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        write_error_ = std::strerror(errno);
        stop_ = true;  // nobody would read the rest
        break;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    counts_.records += b.lines.size();
    counts_.passed += b.counts.passed;
    counts_.failed += b.counts.failed;
    counts_.invalid += b.counts.invalid;
    if (settings_.progress) show_progress();
  }

  double seconds_since_start() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

  void show_progress() {
    double secs = seconds_since_start();
    std::cerr << "\r" << counts_.records << " records, " << static_cast<long>(counts_.records / std::max(secs, 1e-9)) << " records/s";
    uint64_t done = reader_.bytes_read(), total = settings_.total_bytes;
    if (total > 0 && done > 0 && done <= total)
      std::cerr << ", ETA " << static_cast<long>(secs * static_cast<double>(total - done) / static_cast<double>(done)) << " s   ";
    std::cerr << std::flush;
  }

  const Policy& policy_;
  const BatchSettings& settings_;
  std::chrono::steady_clock::time_point start_;
  std::mutex read_mutex_;
  BlockReader reader_;
  std::mutex write_mutex_;
  std::condition_variable turn_;
  std::map<uint64_t, std::unique_ptr<Block>> queued_;
  std::vector<std::unique_ptr<Block>> spare_;
  uint64_t next_to_write_ = 0;
  int out_fd_;
  BatchCounts counts_;
  std::string write_error_;
  std::atomic<bool> stop_{false};
};

}  // namespace

bool run_batch(const Policy& policy, int in_fd, int out_fd, const BatchSettings& settings, BatchCounts& counts,
               std::string& error) {
  Pipeline pipeline(policy, in_fd, out_fd, settings);
  return pipeline.run(counts, error);
}

}  // namespace zhiping::cli
