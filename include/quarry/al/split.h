// The seeded random split of the first step of the workflow: a validation set (VAL) and a
// first ground-truth set (GT1), kept apart by tags.
//
// Reproducible: the same project content, options and seed choose the same images on every
// machine (a Mersenne Twister with our own Fisher-Yates shuffle, not std::shuffle, whose
// draws differ between standard libraries).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quarry/store/duplicates.h"
#include "quarry/store/image_query.h"
#include "quarry/core/random.h"  // seededShuffle, which the split uses
#include "quarry/store/project.h"

namespace quarry {

// How many images a set gets: a count, or a fraction of the pool (exactly one is used).
struct SplitAmount {
  std::int64_t count = -1;  // -1: use the fraction
  double fraction = 0.0;    // 0..1 of the pool
  static SplitAmount parse(const std::string& text, bool* ok);  // "178" or "0.2"
};

struct SplitOptions {
  ImageQuery pool;             // which images to draw from (default: all)
  SplitAmount val{-1, 0.2};
  SplitAmount gt{-1, 0.2};
  std::string valTag = "VAL1";
  std::string gtTag = "GT1";
  std::uint64_t seed = 1;
  bool stratify = false;       // keep each class's share of images alike in both sets
  bool extend = false;         // add to a VAL or GT tag that already holds images (else refused)
  // Near-duplicates (store/duplicates.h) at most this many bits apart stay on one side: a group
  // goes where its first member was drawn (or where a member already is), whole. -1: off.
  int duplicateDistance = kDefaultDuplicateDistance;
};

struct SplitResult {
  std::vector<ImageId> val;
  std::vector<ImageId> gt;
  std::size_t poolSize = 0;
  // Images the draw moved to keep near-duplicate groups on one side (so a set may hold a few
  // more images than asked).
  std::size_t movedForDuplicates = 0;
};

// Draws VAL, then GT from the rest of the pool, and tags them in one transaction. Images that
// already carry either tag are left out of the pool, so VAL and GT never share an image and a
// second split with `extend` adds to the sets instead of reshuffling them. Fails
// (kInvalidArgument) when the pool is smaller than asked, both tags are the same, or a tag that
// would get images already holds some and `extend` is off (the message names the tag).
Result<SplitResult> splitImages(Project& project, const SplitOptions& options);

// The tags the split would add images to that already hold images, with their counts (empty:
// the split starts new sets). The split dialog asks before extending them.
struct TagInUse {
  std::string tag;
  std::size_t images = 0;
};
Result<std::vector<TagInUse>> splitTagsInUse(const Project& project, const SplitOptions& options);


}  // namespace quarry
