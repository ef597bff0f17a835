// Path rules shared by the store and the importers: where a path lies relative to a root,
// and joining an untrusted relative path (from a label file) without escaping the root.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "quarry/core/status.h"

namespace quarry {

// `path` relative to `root` when it lies inside it (lexically, after normalising), else empty.
std::optional<std::filesystem::path> relativeInside(const std::filesystem::path& root,
                                                    const std::filesystem::path& path);

// root / rel, refusing absolute paths, drive or root names, and any `..` that climbs out of
// root. The message says which rule `rel` broke.
Result<std::filesystem::path> safeJoin(const std::filesystem::path& root, const std::string& rel);

// Lower-cased extension with its dot (".jpg"), for matching image files.
std::string lowerExtension(const std::filesystem::path& p);
bool isImageExtension(const std::filesystem::path& p);

}  // namespace quarry
