// The evaluation's input after checking and indexing: what evaluate() hands to its parts
// (class_metrics.cpp for AP and TP/FP/FN, review.cpp for the confusion matrix and effort).
#pragma once

#include <cstddef>
#include <vector>

#include "quarry/metrics.h"

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

// Fills perClass, map50, map50to95 and the TP/FP/FN of perImage (which must already hold one
// entry per image).
void addClassMetrics(const EvalInput& input, const EvalOptions& options, EvalResult* result);

// Fills the confusion matrix, the review actions and seconds of perImage, and the totals.
void addReviewMetrics(const EvalInput& input, const EvalOptions& options, EvalResult* result);

}  // namespace quarry::detail
