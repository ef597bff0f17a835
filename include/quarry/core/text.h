// Reading text files and placing byte offsets, for every reader that names a file and a line in
// its messages (the importers, COCO results, label lists).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "quarry/core/status.h"

namespace quarry {

// Reads a whole file as bytes; kNotFound (no such file) and kIoError name the file.
Result<std::string> readTextFile(const std::filesystem::path& file);

// The 1-based line of a byte offset in a text buffer (for XML and JSON messages); an offset past
// the end is the last line.
int lineOfOffset(const std::string& text, std::size_t offset);

}  // namespace quarry
