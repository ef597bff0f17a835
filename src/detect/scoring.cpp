// The detector's part of scoring: Monte-Carlo dropout over the images asked for, in batches.
// The rest of `quarry score` (combination, bars, storage) is quarry/workflow/scoring.h.
#include "quarry/detect/scoring.h"

#include <algorithm>
#include <map>

#include "detect/job_support.h"
#include "quarry/detect/detector.h"

namespace quarry::detect {
namespace {

// Runs Monte-Carlo dropout over `ids` in batches; missing files are skipped and counted.
Result<std::map<ImageId, ImageUncertainty>> scoreAll(Project& project, Detector& detector,
                                                      const std::vector<ImageId>& ids, const ScoreOptions& o,
                                                      std::size_t* missing, const ProgressFn& progress) {
  std::map<ImageId, ImageUncertainty> out;
  const std::size_t batch = static_cast<std::size_t>(std::max(1, o.batchSize));
  for (std::size_t at = 0, index = 0; at < ids.size(); at += batch, ++index) {
    if (!reportProgress(progress, at, ids.size(), "score")) return Status::Cancelled();
    const std::vector<ImageId> chunk(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                     ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + batch)));
    auto batchFiles = presentImages(project, chunk, "score");
    if (!batchFiles.ok()) return batchFiles.status();
    *missing += batchFiles->missing;
    const std::vector<ImageId>& present = batchFiles->ids;
    McOptions mc = o.mc;
    mc.seed = o.mc.seed * 1000003u + index;  // fresh masks per batch, the same on every run
    auto result = detector.monteCarlo(batchFiles->files, mc);
    if (!result.ok()) return result.status();
    for (std::size_t i = 0; i < present.size(); ++i) {
      (*result)[i].image = present[i];
      out[present[i]] = std::move((*result)[i]);
    }
  }
  reportProgress(progress, ids.size(), ids.size(), "score");
  return out;
}

}  // namespace

Result<UncertaintyScan> scanUncertainty(Project& project, const ScoreOptions& options, const std::vector<ImageId>& ids,
                                        const ProgressFn& progress) {
  JobRuntime runtime;
  auto detector = Detector::load(project, options.runName, "cpu", options.tiles);
  if (!detector.ok()) return detector.status();
  ScoreOptions o = options;
  // A negative threshold is the run's fitted global one (0.25 for a run without one).
  if (o.mc.scoreThreshold < 0) {
    const auto& point = (*detector)->operatingPoint();
    o.mc.scoreThreshold = point ? point->global : 0.25;
  }
  UncertaintyScan scan;
  auto scored = scoreAll(project, **detector, ids, o, &scan.missingImages, progress);
  if (!scored.ok()) return scored.status();
  scan.images = std::move(*scored);
  scan.run = (*detector)->run();
  scan.scoreThreshold = o.mc.scoreThreshold;
  return scan;
}

}  // namespace quarry::detect
