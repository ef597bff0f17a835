#include "quarry/core/text.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace quarry {

Result<std::string> readTextFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return Status::NotFound(file.string() + ": no such file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(file.string() + ": cannot be opened for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int lineOfOffset(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace quarry
