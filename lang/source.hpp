// Source files and spans: every AST node and diagnostic points into a SourceFile by byte offsets;
// line and column are computed only when a message is rendered.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping {

// A loaded source text. Files are owned by the Program (or a SourceSet while loading) and never move,
// so spans can hold a plain pointer to them.
struct SourceFile {
  std::string path;          // as given by the user, used in messages
  std::string text;          // UTF-8 contents
  std::vector<uint32_t> line_starts;  // byte offset of the start of every line

  SourceFile(std::string path_, std::string text_);
  // 1-based line and column (column counted in code points, as an editor shows it).
  void line_col(uint32_t offset, uint32_t& line, uint32_t& column) const;
  // The text of a 1-based line, without its newline.
  std::string_view line_text(uint32_t line) const;
};

// A half-open byte range [begin, end) in one file; file == nullptr means "no position" (built-ins).
struct Span {
  const SourceFile* file = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != nullptr; }
};

}  // namespace zhiping
