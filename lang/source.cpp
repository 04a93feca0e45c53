// Line tables and line/column lookup for source files.
#include "lang/source.hpp"

#include <algorithm>

namespace zhiping {

SourceFile::SourceFile(std::string path_, std::string text_) : path(std::move(path_)), text(std::move(text_)) {
  line_starts.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
}

void SourceFile::line_col(uint32_t offset, uint32_t& line, uint32_t& column) const {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  line = static_cast<uint32_t>(it - line_starts.begin());
  uint32_t start = line_starts[line - 1];
  // Columns count code points, not bytes, so that a caret under Chinese text lands where an editor
  // says the error is; continuation bytes (10xxxxxx) do not start a new character.
  column = 1;
  for (uint32_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  uint32_t start = line_starts[line - 1];
  uint32_t end = line < line_starts.size() ? line_starts[line] - 1 : static_cast<uint32_t>(text.size());
  if (end > start && text[end - 1] == '\r') --end;
  return std::string_view(text).substr(start, end - start);
}

}  // namespace zhiping
