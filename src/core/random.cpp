#include "quarry/core/random.h"

#include <limits>
#include <random>
#include <utility>

namespace quarry {
namespace {

// A uniform draw in [0, n). std::uniform_int_distribution differs between standard libraries;
// rejection sampling keeps the draw unbiased and the same everywhere.
std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t r;
  do r = rng(); while (r >= limit);
  return r % n;
}

}  // namespace

void seededShuffle(std::vector<ImageId>& items, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(rng, i)]);
}

}  // namespace quarry
