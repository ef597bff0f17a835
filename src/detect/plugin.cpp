// The detector plugin's one exported function: a backend that forwards to the detector's
// functions. Everything else in the plugin (the detector, LibTorch's users, the layers below) is
// hidden, so its copies of the shared code never stand in for the program's.
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
  Status scoreImages(Project& project, const ScoreOptions& options, ScoreReport* report,
                     const ProgressFn& progress) override {
    return detect::scoreImages(project, options, report, progress);
  }
  Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options,
                                 const ProgressFn& progress) override {
    return detect::evaluateRun(project, options, progress);
  }
};

}  // namespace
}  // namespace quarry::detect

extern "C" __attribute__((visibility("default"))) quarry::detect::DetectorBackend* quarry_detector_backend(
    int abiVersion) {
  if (abiVersion != quarry::detect::kDetectorAbiVersion) return nullptr;
  static quarry::detect::LinkedDetector backend;
  return &backend;
}
