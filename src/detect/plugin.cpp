// The detector plugin's one exported function. Everything else in the plugin (the detector,
// LibTorch's users, the layers below) is hidden, so its copies of the shared code never stand in
// for the program's.
#include "quarry/detect/backend.h"

extern "C" __attribute__((visibility("default"))) quarry::detect::DetectorBackend* quarry_detector_backend(
    int abiVersion) {
  if (abiVersion != quarry::detect::kDetectorAbiVersion) return nullptr;
  return &quarry::detect::linkedDetector();
}
