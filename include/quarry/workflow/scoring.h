// Scoring a run's pool: every pool image gets a score, its components and a difficulty (easy /
// medium / hard), stored in the project (image_scores). Torch-free: the Monte-Carlo pass comes
// from the detector through DetectorBackend (quarry/detect/backend.h).
//
//   ScoreOptions o;  o.runName = "CAL1";                   // T = 20 passes, thresholds from VAL1
//   ScoreReport r;
//   scoreImages(project, o, linkedDetector(), &r, progress);  // then quarry::selectNextGroundTruth(...)
//
// Threads: the caller's thread and Project.
#pragma once

#include "quarry/detect/backend.h"
#include "quarry/detect/scoring.h"
#include "quarry/al/difficulty_model.h"

namespace quarry::detect {

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
Status scoreImages(Project& project, const ScoreOptions& options, DetectorBackend& detector, ScoreReport* report,
                   const ProgressFn& progress = {});

// What a scoring stored with its run, enough to judge a later image the same way: the pool's
// normalisation, the combination (and the learned model when it won), the thresholds.
struct StoredScoring {
  Normalization normalization;
  CombineOptions combine;
  std::optional<DifficultyModel> learned;
  DifficultyThresholds thresholds;
  double scoreThreshold = 0.25;
  double topScore = 0;  // what an image without detections is stored with
  int passes = McOptions{}.passes;  // the Monte-Carlo passes it scored with
  bool flip = false;
};
// kInvalidArgument for a run that never scored a pool (or scored before Quarry stored this).
Result<StoredScoring> storedScoring(const ModelRun& run);

// Scores images that arrived after the run scored its pool (the watched folder, issue 17) with
// what that scoring stored: nothing is refitted, so a stream of single images gets the same bars
// the pool did. Stores and returns the rows. Errors as storedScoring and scanUncertainty.
Result<std::vector<ImageScore>> scoreArrivals(Project& project, const std::string& runName,
                                              const std::vector<ImageId>& ids, DetectorBackend& detector,
                                              const ProgressFn& progress = {});

}  // namespace quarry::detect
