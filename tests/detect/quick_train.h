// Shared by the detector tests: training options for a tiny model that runs a fixed number of
// steps in seconds (no early stop, fixed seed), so tests are about behaviour, not accuracy.
#pragma once

#include <string>

#include "quarry/detect/detector.h"

namespace quarry::test {

inline detect::TrainOptions quickTraining(const std::string& run, long steps) {
  detect::TrainOptions o;
  o.runName = run;
  o.preset = "tiny";
  o.batchSize = 8;
  o.epochs = 200;  // more than any test's steps need: maxSteps ends the training
  o.maxSteps = steps;
  o.learningRate = 4e-3;
  o.warmupSteps = 10;
  o.seed = 3;
  o.patience = 1000;  // a fixed number of steps, no early stop
  return o;
}

}  // namespace quarry::test
