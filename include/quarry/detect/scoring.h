// Uncertainty scoring with Monte-Carlo dropout: its options and report, and the detector's part
// (scanUncertainty). Torch-free header. The whole job, which stores a score, its components and
// a difficulty per image, is scoreImages() in quarry/workflow/scoring.h.
//
// Threads: the caller's thread and Project, like the rest of quarry_detect.
#pragma once

#include <array>
#include <map>
#include <vector>
#include <cstdint>
#include <optional>
#include <string>

#include "quarry/store/image_query.h"
#include "quarry/core/progress.h"
#include "quarry/store/project.h"
#include "quarry/al/uncertainty.h"

namespace quarry::detect {

struct McOptions {
  int passes = 20;               // T stochastic head passes per image
  std::uint64_t seed = 1;        // the dropout masks
  bool batched = true;           // true: the deterministic part (backbone, head trunk) once, the
                                 // output layers T times; false: T full passes, the slow reference
  double scoreThreshold = 0.25;  // detections of the deterministic pass above it are scored; in
                                 // scoring, < 0 is the run's fitted global threshold (0.25 without one)
  int headBatch = 256;           // batched: at most this many head inputs per call (memory)
  // One more deterministic pass on the mirrored image: the flip components. Off by default: on
  // NEU-DET it lowered the learned bars' risk-coverage area by 0.2% and 1.2% (two models) for
  // one more full forward pass per image, 1.5x the scoring time (docs/results-2026-12-02.md).
  bool flip = false;
};

struct ScoreOptions {
  std::string runName;           // the model run whose checkpoint scores
  ImageQuery pool;               // narrows the pool: scored images carry no VAL or GT* tag and no human boxes
  std::string valTag = "VAL1";   // scored too, to fit the thresholds on true errors; absent: pool terciles
  std::string testTag;           // set: scored too, and the bars fitted on valTag are judged on it
  McOptions mc;
  int batchSize = 16;
  CombineOptions combine;        // the fixed combination: hybrid (epistemic + aleatoric), max over detections
  // How components become an image's score: "fixed" (`combine`), "learned" (fitDifficultyModel on
  // VAL's true errors, quarry/difficulty_model.h), or "auto": learned when its out-of-fold
  // risk-coverage area on VAL is lower than the fixed score's, fixed otherwise (and whenever VAL
  // is too small to fit on).
  std::string combination = "auto";
  double iou = 0.5;              // VAL's true error is 1 - F1 at this IoU
  std::string tiles = "auto";    // auto: as the run was trained; off: whole images letterboxed
};

struct ScoreReport {
  std::size_t poolImages = 0;
  std::size_t valImages = 0;
  std::size_t missingImages = 0;        // files not found: skipped with a warning
  std::size_t withoutDetections = 0;    // in the pool
  std::array<std::size_t, 3> perDifficulty{};  // pool images per Difficulty
  DifficultyThresholds thresholds;
  std::optional<Calibration> calibration;  // when VAL images with truth were scored (in-sample)
  std::optional<Calibration> testCalibration;  // on testTag's images, at the thresholds fitted on VAL
  std::size_t testImages = 0;
  std::string easyWhy;                  // how the easy boundary was set, in a sentence
  std::string combination;              // "fixed" or "learned": what the stored scores are
  std::string combinationWhy;           // why, with both risk-coverage areas when it was compared
  double seconds = 0;
  double imagesPerSecond = 0;           // pool and VAL images, Monte-Carlo included
};

// What the detector contributes to scoring: the Monte-Carlo uncertainty of each image.
struct UncertaintyScan {
  std::map<ImageId, ImageUncertainty> images;  // the images whose files were found
  std::size_t missingImages = 0;               // files not found: skipped with a warning
  RunId run = 0;
  double scoreThreshold = 0.25;                // the one used: options.mc's, or the run's fitted one
};

// Runs the run's model (Monte-Carlo dropout, options.mc, in batches of options.batchSize, tiled as
// options.tiles says) over `ids`. A negative mc.scoreThreshold is the run's fitted global
// threshold (0.25 for a run without one). Writes nothing. kNotFound for an unknown run.
// In quarry_detect (LibTorch); programs without it reach it through DetectorBackend.
Result<UncertaintyScan> scanUncertainty(Project& project, const ScoreOptions& options, const std::vector<ImageId>& ids,
                                        const ProgressFn& progress = {});

}  // namespace quarry::detect
