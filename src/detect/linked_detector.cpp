// The detector's functions behind the DetectorBackend interface, for programs that link
// quarry_detect and for the plugin, which hands this same object out.
#include "quarry/detect/backend.h"

namespace quarry::detect {
namespace {

class LinkedDetector final : public DetectorBackend {
 public:
  Result<TrainResult> train(Project& project, const TrainOptions& options, const TrainProgressFn& progress) override {
    return detect::train(project, options, progress);
  }
  Status autoLabel(Project& project, const AutoLabelOptions& options, AutoLabelReport* report,
                   const ProgressFn& progress) override {
    return detect::autoLabel(project, options, report, progress);
  }
  Result<UncertaintyScan> scanUncertainty(Project& project, const ScoreOptions& options, const std::vector<ImageId>& ids,
                                          const ProgressFn& progress) override {
    return detect::scanUncertainty(project, options, ids, progress);
  }
  Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options,
                                 const ProgressFn& progress) override {
    return detect::evaluateRun(project, options, progress);
  }
};

}  // namespace

DetectorBackend& linkedDetector() {
  static LinkedDetector detector;
  return detector;
}

}  // namespace quarry::detect

