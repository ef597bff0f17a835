// Choosing the next ground truth: the query strategies of active learning over a scored pool,
// and the project-level step that tags the chosen images (e.g. GT2). Pure strategies on values,
// plus one function that reads the run's scores from the store and writes the tag.
//
//   SelectRequest r;  r.runName = "CAL1";  r.tag = "GT2";  r.options.budget = 250;
//   auto chosen = selectNextGroundTruth(project, r);   // tags 250 images GT2
//
// Threads: selectImages is pure; selectNextGroundTruth uses the caller's Project.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/store/project.h"
#include "quarry/al/uncertainty.h"

namespace quarry {

enum class Strategy {
  kRandom,          // seeded, the control
  kLeastConfidence, // per image, the max over detections of each criterion
  kMargin,
  kEntropy,
  kBald,
  kBoxVariance,
  kHybrid,          // the stored image score (the combined or learned difficulty), highest first
  kWorkflow,        // the published rule: every medium and hard image (no detections included), hardest first
  kDiverse,         // the default: shortlist by the stored score, then k-center on backbone
                    // features, classes in turn (docs/results-2026-12-02.md: the best of the
                    // rules measured on NEU-DET, where the literal hybrid and workflow rules
                    // lose to random picking)
  kBalanced,        // the seed's rule made robust: a capped share without detections, then the
                    // thirds of the scored pool by rank (most, middle, least uncertain) mixed by
                    // quota, k-center with classes in turn inside each
  kPower,           // stochastic power sampling: drawn without replacement with weight
                    // (rank percentile of the hybrid score)^beta, capped share without detections
};
const char* toString(Strategy s);  // "random", "least_confidence", "margin", "entropy", "bald", ...
std::optional<Strategy> parseStrategy(const std::string& name);
std::vector<Strategy> allStrategies();

// One scored image of the pool.
struct Candidate {
  ImageId image = 0;
  std::optional<double> score;  // the combined score; empty: the model found nothing (hard)
  Difficulty difficulty = Difficulty::kEasy;
  ImageUncertainty uncertainty; // raw components per detection, and the embedding
};

struct SelectOptions {
  Strategy strategy = Strategy::kDiverse;  // what `quarry select`, the Model panel and `quarry experiment` start from
  std::size_t budget = 0;
  std::uint64_t seed = 1;        // random picks and tie-breaks
  double shortlistFactor = 3.0;  // kDiverse, kBalanced: shortlist budget (or quota) x this by the hybrid score
  bool classBalance = true;      // kDiverse, kBalanced: classes (of each image's most confident detection) take turns
  // kBalanced, kPower: at most this share of the budget goes to images without detections, which
  // are often images the model cannot learn from yet (or clean ones), chosen among them at random.
  double failedShare = 0.1;
  // kBalanced: how the rest of the budget splits over the thirds (most uncertain "hard", middle,
  // least uncertain "easy"); a third with too few images passes its unused quota on.
  double hardShare = 0.4, mediumShare = 0.4, easyShare = 0.2;
  double powerBeta = 1.0;        // kPower: 0 is random picking, large values approach the top-k
};

// The chosen images, most wanted first: at most `budget`, fewer when the pool is smaller or the
// workflow rule finds fewer medium and hard images. Uncertainty strategies put images without
// detections first (the detector failed there), then the highest values; ties in an order drawn
// from `seed`. Deterministic for the same pool and options.
std::vector<ImageId> selectImages(const std::vector<Candidate>& pool, const SelectOptions& options);

// The budget the window's Select form starts from (the CLI asks for one).
inline constexpr std::size_t kDefaultSelectBudget = 250;

struct SelectRequest {
  std::string runName;        // whose scores (quarry score must have run)
  std::string tag = "GT2";    // added to the chosen images
  ImageQuery pool;            // narrows the pool further (default: no narrowing)
  std::string valTag = "VAL1";
  SelectOptions options;
};
struct SelectReport {
  std::size_t poolSize = 0;
  std::vector<ImageId> chosen;
  std::array<std::size_t, 3> perDifficulty{};  // of the chosen
};
// Reads the pool (images the run scored that carry neither the VAL tag nor any GT* tag, nor
// manual or corrected boxes, narrowed by `pool`), selects and tags. kNotFound for an unknown run
// or a run with no scores; kInvalidArgument for a zero budget or a tag that is the VAL tag.
Result<SelectReport> selectNextGroundTruth(Project& project, const SelectRequest& request);

// The images still to label: no `valTag`, no tag starting with "GT", no manual or corrected box;
// narrowed by `narrow`. In id order.
Result<std::vector<ImageId>> unlabeledPool(const Project& project, const ImageQuery& narrow, const std::string& valTag);

// The scored pool of a run, as candidates (images without a score are left out).
Result<std::vector<Candidate>> loadCandidates(const Project& project, RunId run, const std::vector<ImageId>& images);

}  // namespace quarry
