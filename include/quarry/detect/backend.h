// The detector as an interface, so that a program pays for LibTorch only once it runs a model
// job. The window loads the detector plugin (libquarry_detector.so, which carries LibTorch) on
// its first model job; a window used only to annotate never maps LibTorch at all.
//
//   auto detector = loadDetector();                  // the plugin, loaded once per process
//   if (!detector.ok()) ...                          // names where it looked and why it failed
//   (*detector)->train(project, options, progress);
//
// The calls are those of detector.h and scoring.h (scanUncertainty: the detector's part of scoring,
// whose whole job is quarry/workflow/scoring.h), with their contracts; an implementation is
// used from one thread at a time per Project, as those functions are.
#pragma once

#include <filesystem>
#include <string>

#include "quarry/core/status.h"
#include "quarry/detect/detector.h"
#include "quarry/detect/scoring.h"

namespace quarry::detect {

class DetectorBackend {
 public:
  virtual ~DetectorBackend() = default;
  virtual Result<TrainResult> train(Project& project, const TrainOptions& options, const TrainProgressFn& progress) = 0;
  virtual Status autoLabel(Project& project, const AutoLabelOptions& options, AutoLabelReport* report,
                           const ProgressFn& progress) = 0;
  virtual Result<UncertaintyScan> scanUncertainty(Project& project, const ScoreOptions& options,
                                                  const std::vector<ImageId>& ids, const ProgressFn& progress) = 0;
  virtual Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options,
                                         const ProgressFn& progress) = 0;
};

// Bumped whenever DetectorBackend or the option structs change, so a stale plugin is refused
// instead of misread.
inline constexpr int kDetectorAbiVersion = 2;

// The plugin's file name, and the function it exports: `DetectorBackend* NAME(int abiVersion)`,
// null when it was built for another ABI version.
inline constexpr const char* kDetectorPluginFile = "libquarry_detector.so";
inline constexpr const char* kDetectorPluginEntry = "quarry_detector_backend";

// Loads the detector plugin once per process (later calls return the same backend, or the same
// error). It looks, in order, at $QUARRY_DETECTOR_PLUGIN (a file), beside the running program,
// in the build's plugin folder, and in the installed library folder. kNotFound names every place
// it looked; kIncompatible a plugin of another ABI version; the loader's own message otherwise.
// Thread-safe.
Result<DetectorBackend*> loadDetector();

// The detector of a program that links quarry_detect (the CLI, tests, benchmarks): the same
// calls without a plugin. Defined in quarry_detect, so only such programs can name it.
DetectorBackend& linkedDetector();

// Whether the plugin's libraries (LibTorch) are mapped into this process: false until
// loadDetector() has succeeded. For the window's memory benchmark and tests.
bool detectorLoaded();

}  // namespace quarry::detect
