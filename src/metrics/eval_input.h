// The evaluation's input after checking and indexing: what evaluate() hands to its parts
// (class_metrics.cpp for AP and TP/FP/FN, review.cpp for the confusion matrix and effort), and
// what operating_point.cpp reuses to evaluate one input many times.
#pragma once

#include <cstddef>
#include <vector>

#include "quarry/metrics/metrics.h"

namespace quarry::detail {

struct IndexedBox {
  std::size_t image = 0;  // index into EvalInput::images
  std::size_t cls = 0;    // index into EvalInput::classes
  Rect rect;
  double score = 0;       // detections only
};

struct EvalInput {
  std::vector<ImageId> images;   // without repeats, in the caller's order
  std::vector<ClassId> classes;  // without repeats, in the caller's order
  std::vector<IndexedBox> truth;       // the usable ones, in input order
  std::vector<IndexedBox> detections;  // the usable ones, in priority order (score descending, stable)
  // Per image: indices into `truth` (input order) and `detections` (priority order).
  std::vector<std::vector<std::size_t>> truthOfImage;
  std::vector<std::vector<std::size_t>> detectionsOfImage;
  int ignoredTruth = 0;
  int ignoredDetections = 0;
};

EvalInput indexInput(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                     const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections);

// Per class index of `in.classes`: scoreThresholdOf(options, class), looked up once so that the
// parts test each detection against the same number.
std::vector<double> shownThresholds(const EvalInput& in, const EvalOptions& options);

// Fills perClass, map50, map50to95 and the TP/FP/FN of perImage (which must already hold one
// entry per image).
void addClassMetrics(const EvalInput& input, const EvalOptions& options, EvalResult* result);

// Fills the confusion matrix, the review actions and seconds of perImage, and the totals.
void addReviewMetrics(const EvalInput& input, const EvalOptions& options, EvalResult* result);

// EvalResult::efficiencyBoost from its two sums: manual / review, 1 when both are 0, +infinity
// when only review is 0.
double boostOf(double manualSeconds, double reviewSeconds);

// The review part of evaluate() alone, for callers that evaluate one input under many
// thresholds (operating_point.cpp): perImage (ids, actions, seconds; TP/FP/FN 0), confusion,
// actions, seconds, boost and the ignored counts as evaluate() gives them; perClass empty and
// map50, map50to95 NaN, since AP is what it skips.
EvalResult evaluateReview(const EvalInput& input, const EvalOptions& options);

}  // namespace quarry::detail
