// Uncertainty scoring with Monte-Carlo dropout: every pool image gets a score, its components and
// a difficulty (easy / medium / hard) from one model run, stored in the project (image_scores).
// Torch-free header over quarry_detect.
//
//   ScoreOptions o;  o.runName = "CAL1";            // T = 20 passes, batched, thresholds from VAL1
//   ScoreReport r;
//   scoreImages(project, o, &r, progress);          // then quarry::selectNextGroundTruth(...)
//
// Threads: the caller's thread and Project, like the rest of quarry_detect.
#pragma once

#include <array>
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
                                 // scoreImages() < 0 is the run's fitted global threshold (0.25 without one)
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

// Scores the pool and VAL with the run's model and stores, per image, the score, the difficulty
// and every component. With labelled VAL images, "easy" is made safe to accept: its boundary is
// fitSafeEasy() on VAL (the largest low-score set with at least 90% of its images fully correct),
// and when no boundary qualifies no image is easy (the report says so). With a learned
// combination a VAL image's score is its out-of-fold prediction, so the thresholds and VAL's
// calibration are not fitted on scores the model saw the answers for. (ImageScore; an image
// without detections is hard and stored with the highest score of the run.) Also writes the
// thresholds, the calibration, the combination (with the learned model) and the options into
// the run's metrics under "scoring". Nothing is written until the end: a cancel (kCancelled)
// leaves the earlier scores. kNotFound for an unknown run or an empty pool.
Status scoreImages(Project& project, const ScoreOptions& options, ScoreReport* report,
                   const ProgressFn& progress = {});

}  // namespace quarry::detect
