// Shared by the libFuzzer targets: the readers take files, so each input is written into a
// small data set in a private temporary folder (made once per process) and parsed there.
// Only parsing runs (detail::parse*), not the SQLite ingest: the readers are what takes
// untrusted bytes, and parsing alone runs thousands of inputs a second.
#pragma once

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "formats/import_common.h"

namespace quarry::fuzz {

inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "quarry-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    return std::filesystem::path(pattern);
  }();
  return dir;
}

inline void write(const std::filesystem::path& file, const std::uint8_t* data, std::size_t size) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

inline void write(const std::filesystem::path& file, const std::string& text) {
  write(file, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// Parses and checks what every reader promises: an issue names a file, a box is finite.
template <typename Parse>
void parseAndCheck(Parse parse) {
  detail::ParsedDataset data;
  ImportReport report;
  ImportOptions options;
  (void)parse(options, &data, &report);
  for (const ImportIssue& issue : report.issues)
    if (issue.file.empty()) std::abort();
  for (const detail::ImportItem& item : data.items)
    for (const detail::LabelBox& b : item.boxes) {
      auto allFinite = [](double p, double q, double r, double t) {
        return std::isfinite(p) && std::isfinite(q) && std::isfinite(r) && std::isfinite(t);
      };
      const auto* px = std::get_if<detail::PixelBox>(&b.geometry);
      const auto* nc = std::get_if<detail::NormalizedCenterBox>(&b.geometry);
      const bool finite = px ? allFinite(px->x, px->y, px->w, px->h) : allFinite(nc->cx, nc->cy, nc->w, nc->h);
      if (!finite) std::abort();
    }
}

}  // namespace quarry::fuzz
