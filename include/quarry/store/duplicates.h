// Near-duplicates: images whose perceptual hashes (core/perceptual_hash.h) are a few bits apart,
// such as a re-encoded, resized or slightly brightened copy, or two frames of a line camera that
// did not move. A VAL image with such a twin among the training images makes every VAL figure
// flatter than the truth, so the split keeps a group on one side and training, export and the
// experiment refuse (or warn about) VAL images with a twin in the training tags.
//
//   auto groups = nearDuplicateGroups(project, kDefaultDuplicateDistance);
//   auto leaks = nearDuplicateLeaks(project, "VAL1", {"GT1", "GT2"}, kDefaultDuplicateDistance);
//
// Threads: the caller's Project; computeMissingHashes reads and decodes on `threads` workers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "quarry/core/progress.h"
#include "quarry/store/project.h"

namespace quarry {

// At most this many differing bits make two images near-duplicates by default. Chosen from the
// false-pair rate measured on NEU-DET (grey steel, the hardest case for such hashes) and on the
// demo's generated images, and the share of edited copies found (docs/results-2026-12-02.md,
// "near-duplicates").
inline constexpr int kDefaultDuplicateDistance = 8;

// Groups of two or more images linked by hashes at most `distance` apart (a chain of close pairs
// is one group), each group by id, the groups by their first id.
std::vector<std::vector<ImageId>> groupNearDuplicates(const std::vector<std::pair<ImageId, std::uint64_t>>& hashes,
                                                      int distance);

// The same for every image of the project that has a perceptual hash.
Result<std::vector<std::vector<ImageId>>> nearDuplicateGroups(const Project& project, int distance);

struct DuplicatePair {
  ImageId val = 0, train = 0;
  int distance = 0;
  std::string valPath, trainPath;
};

// VAL images (tag `valTag`) with a near-duplicate among the training images (any of `trainTags`;
// empty: every tag starting with "GT"), closest first. Images without a hash are not compared
// (quarry hash computes them).
Result<std::vector<DuplicatePair>> nearDuplicateLeaks(const Project& project, const std::string& valTag,
                                                      const std::vector<std::string>& trainTags, int distance);

// The same between two lists of images (pairs of an image with itself are left out).
Result<std::vector<DuplicatePair>> nearDuplicatePairs(const Project& project, const std::vector<ImageId>& val,
                                                      const std::vector<ImageId>& train, int distance);

// "VAL image A is a near-duplicate of training image B (3 bits apart); ..." for the first
// `shown` pairs, and how many more.
std::string describeLeaks(const std::vector<DuplicatePair>& pairs, std::size_t shown = 10);

// Computes the perceptual hash of every image that has none (`all`: of every image), `threads`
// files at once (0: every core), storing them as it goes. Files that cannot be read are skipped
// and counted. Cancel through `progress` keeps what was stored.
struct HashReport {
  std::size_t hashed = 0, failed = 0;
  std::vector<std::string> problems;  // the first failures, each naming its file
};
Result<HashReport> computePerceptualHashes(Project& project, bool all, unsigned threads = 0,
                                           const ProgressFn& progress = {});

}  // namespace quarry
