// Seeded randomness that gives the same draw on every machine and standard library: the split,
// the cross-validation folds, the threshold halves and random picking all shuffle through here.
#pragma once

#include <cstdint>
#include <vector>

#include "quarry/core/types.h"

namespace quarry {

// Shuffles `items` in place with a seeded generator (Fisher-Yates over std::mt19937_64, with
// unbiased bounded draws); the same seed gives the same order everywhere.
void seededShuffle(std::vector<ImageId>& items, std::uint64_t seed);

}  // namespace quarry
