#include "quarry/workflow/stored_scores.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace quarry::detect {
namespace {

Status noModel() {
  return Status::InvalidArgument("an external run (imported predictions) has no model to train, run or evaluate; "
                                 "quarry eval --run measures its stored boxes");
}

class StoredScores final : public DetectorBackend {
 public:
  Result<TrainResult> train(Project&, const TrainOptions&, const TrainProgressFn&) override { return noModel(); }
  Status autoLabel(Project&, const AutoLabelOptions&, AutoLabelReport*, const ProgressFn&) override { return noModel(); }
  Result<EvalResult> evaluateRun(Project&, const EvaluateRunOptions&, const ProgressFn&) override { return noModel(); }

  Result<UncertaintyScan> scanUncertainty(Project& project, const ScoreOptions& options, const std::vector<ImageId>& ids,
                                          const ProgressFn& progress) override {
    auto run = project.findRun(options.runName);
    if (!run.ok()) return run.status();
    if (!*run) return Status::NotFound("no model run '" + options.runName + "'");
    UncertaintyScan scan;
    scan.run = (*run)->id;
    // No fitted threshold of its own: an asked-for one, else the usual 0.25.
    scan.scoreThreshold = options.mc.scoreThreshold >= 0 ? options.mc.scoreThreshold : 0.25;
    auto boxes = project.boxesOfImages(ids);
    if (!boxes.ok()) return boxes.status();
    std::map<ImageId, std::vector<const Box*>> byImage;
    for (const Box& b : *boxes)
      if (b.source == BoxSource::kAuto && b.run && *b.run == scan.run) byImage[b.image].push_back(&b);
    std::size_t done = 0;
    for (ImageId id : ids) {
      if (!reportProgress(progress, done++, ids.size(), "score")) return Status::Cancelled();
      ImageUncertainty u;
      u.image = id;
      for (const Box* b : byImage[id]) {
        const double s = std::clamp(b->score.value_or(0.0), 0.0, 1.0);
        if (s < scan.scoreThreshold) {
          if (s >= kNearMissFloor * scan.scoreThreshold) u.nearMisses.add(s);
          continue;
        }
        DetectionUncertainty d;
        d.cls = b->cls;
        d.x = b->x;
        d.y = b->y;
        d.w = b->w;
        d.h = b->h;
        d.score = s;
        // The box's class against background: p = its score.
        const auto plogp = [](double p) { return p > 0 ? p * std::log(p) : 0.0; };
        d[Component::kLeastConfidence] = 1 - s;
        d[Component::kMargin] = 1 - std::fabs(2 * s - 1);
        d[Component::kEntropy] = -(plogp(s) + plogp(1 - s));
        u.detections.push_back(d);
      }
      scan.images[id] = std::move(u);
    }
    (void)reportProgress(progress, ids.size(), ids.size(), "score");
    return scan;
  }
};

}  // namespace

DetectorBackend& storedScoresBackend() {
  static StoredScores backend;
  return backend;
}

}  // namespace quarry::detect
