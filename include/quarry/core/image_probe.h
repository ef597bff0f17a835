// Reading what the store needs to know about an image file (size, content hash) and
// refusing files that would hurt later: missing, unreadable, not an image, truncated, or
// larger than a pixel limit (checked from the header, before anything is decoded, so a
// decompression bomb never allocates its pixels).
//
// Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "quarry/core/status.h"

namespace quarry {

struct ProbeOptions {
  std::int64_t maxPixels = 100'000'000;  // width x height above this is refused
  bool decode = true;  // also decode the pixels (catches corrupt data the header hides)
};

struct ImageInfo {
  // The size as the image is shown: a JPEG whose EXIF orientation turns it a quarter (5 to 8)
  // has its stored width and height swapped, as the window and the detector rotate its pixels.
  int width = 0;
  int height = 0;
  int orientation = 1;  // the JPEG's EXIF orientation (1 = as stored; 1 for other formats)
  std::string hash;    // XXH3-64 of the file's bytes, 16 lowercase hex digits
  std::string format;  // "jpeg", "png", "bmp" or "tiff"
  // The perceptual hash (core/perceptual_hash.h) of the decoded pixels; empty without decode.
  std::optional<std::uint64_t> phash;
};

// On failure the message starts with the file's path and says what is wrong with it:
// kNotFound (no such file), kIoError (cannot be read), kBadInput (not a supported image,
// truncated, corrupt, or over the pixel limit).
Result<ImageInfo> probeImage(const std::filesystem::path& file, const ProbeOptions& options = {});

// XXH3-64 of a file's bytes as 16 hex digits, read in pieces (a file of any size needs 1 MiB).
Result<std::string> hashFile(const std::filesystem::path& file);

}  // namespace quarry
