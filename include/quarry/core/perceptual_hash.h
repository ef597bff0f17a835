// Perceptual hashes: 64 bits that change little when an image is re-encoded, resized, slightly
// brightened or cropped at the edges, so two files of one picture are found however their bytes
// differ. The DCT hash: the image in grey at 32x32, its 8x8 lowest spatial frequencies (the
// constant term left out), one bit per coefficient above their median.
//
// Thread-safe: no shared state.
#pragma once

#include <bitset>
#include <cstdint>
#include <filesystem>

#include "quarry/core/status.h"

namespace quarry {

// Of 8-bit grey pixels, row by row (`stride` bytes apart). Any size of at least 1x1.
std::uint64_t perceptualHash(const std::uint8_t* grey, int width, int height, std::size_t stride);

// Of an image file, decoded in grey as the import's probe decodes it (a large JPEG at a reduced
// size, at least 64 pixels a side), so it equals the hash an import stores. kNotFound, kIoError
// or kBadInput naming the file.
Result<std::uint64_t> perceptualHashOfFile(const std::filesystem::path& file);

// The number of bits in which two hashes differ, 0 to 64.
inline int hashDistance(std::uint64_t a, std::uint64_t b) { return static_cast<int>(std::bitset<64>(a ^ b).count()); }

}  // namespace quarry
