#include "quarry/core/paths.h"

#include <algorithm>
#include <cctype>

namespace fs = std::filesystem;

namespace quarry {

std::optional<fs::path> relativeInside(const fs::path& root, const fs::path& path) {
  const fs::path r = root.lexically_normal();
  const fs::path p = path.lexically_normal();
  auto ri = r.begin(), pi = p.begin();
  for (; ri != r.end(); ++ri) {
    if (ri->empty()) continue;  // a trailing separator gives an empty last element
    if (pi == p.end() || *ri != *pi) return std::nullopt;
    ++pi;
  }
  fs::path rel;
  for (; pi != p.end(); ++pi) rel /= *pi;
  if (rel.empty()) return std::nullopt;
  return rel;
}

Result<fs::path> safeJoin(const fs::path& root, const std::string& rel) {
  if (rel.empty()) return Status::BadInput("empty path");
  if (rel.find('\0') != std::string::npos) return Status::BadInput("path contains a NUL byte");
  const fs::path p(rel);
  if (p.is_absolute() || p.has_root_name() || p.has_root_directory() || rel[0] == '/' || rel[0] == '\\')
    return Status::BadInput("absolute path '" + rel + "' is not allowed; paths must be relative to the import root");
  // Windows-style separators are common in files written on Windows; treat them as separators.
  std::string unixy = rel;
  std::replace(unixy.begin(), unixy.end(), '\\', '/');
  int depth = 0;
  for (const auto& part : fs::path(unixy)) {
    if (part == "..") {
      if (--depth < 0) return Status::BadInput("path '" + rel + "' escapes the import root");
    } else if (part != "." && !part.empty()) {
      ++depth;
    }
  }
  return (root / fs::path(unixy)).lexically_normal();
}

std::string lowerExtension(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  return e;
}

bool isImageExtension(const fs::path& p) {
  static const char* const exts[] = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"};
  const std::string e = lowerExtension(p);
  return std::any_of(std::begin(exts), std::end(exts), [&](const char* x) { return e == x; });
}

}  // namespace quarry
