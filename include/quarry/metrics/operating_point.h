// The operating point of a detector: the score threshold per class at which reviewing its
// detections costs a reviewer the least, fitted on VAL, and a held-out estimate of the labeling
// efficiency boost at that operating point, so that no figure is reported on the images that
// chose the thresholds.
//
//   OperatingPoint op = fitOperatingPoint(valImages, classIds, truth, detections);
//   EvalOptions o = withOperatingPoint(EvalOptions{}, op);   // evaluate() at the fitted thresholds
//   HeldOutBoost h = heldOutBoost(valImages, classIds, truth, detections);
//   std::printf("boost %.2fx at the fitted thresholds (held out)\n", h.boost);
//
// The cost fitted is evaluate()'s review seconds (class-agnostic matching at eval.iou, priced
// by eval.effort; see quarry/metrics.h), so what "best" means is the effort model's. Input that
// evaluate() leaves out is left out here too. Pure functions: call them from any thread. They
// never fail; what they do with odd options is written at each field.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "quarry/metrics/metrics.h"

namespace quarry {

struct OperatingPointOptions {
  EvalOptions eval;            // IoU and effort model; its score thresholds are ignored
  // A class with fewer usable truth boxes than this on the fitting images keeps the global
  // threshold: a threshold fitted to a handful of boxes says more about those boxes than the model.
  // 0 or less: every class is fitted.
  int minBoxesPerClass = 20;
  // Candidate thresholds, tried in ascending order; repeats and non-finite values are dropped.
  // Empty (or nothing finite): 0.05, 0.10, ..., 0.95.
  std::vector<double> grid;
};

struct OperatingPoint {
  // The grid value that minimises review seconds with one threshold for every class.
  double globalThreshold = 0.25;
  // Every class of `classes` (a repeat once, at its first place), in that order, with the
  // threshold it got: its own fit, or globalThreshold for a class in `fallback`.
  std::vector<std::pair<ClassId, double>> perClass;
  // The classes that took globalThreshold because they have too few truth boxes, in class order.
  std::vector<ClassId> fallback;
  // On the fitting images, with perClass applied: in-sample figures, optimistic by construction.
  double reviewSeconds = 0, manualSeconds = 0;
  double efficiencyBoost = 1.0;    // as EvalResult::efficiencyBoost
  double globalReviewSeconds = 0;  // review seconds at globalThreshold alone, for comparison
  int evaluations = 0;             // review evaluations the fit ran (its cost)
};

// Chooses the thresholds that minimise the effort model's review seconds on `images`:
// 1. globalThreshold: the grid value with the fewest review seconds for every class at once.
// 2. Coordinate descent, two sweeps over the classes with at least minBoxesPerClass truth boxes,
//    in class order, starting from globalThreshold for all: each class tries every grid value
//    with the others held where they are, and keeps the best. (The second sweep is skipped when
//    the first moved nothing, since it would try the same.) Descent never raises the seconds,
//    so reviewSeconds <= globalReviewSeconds, but it is a search, not a proof: another
//    combination of thresholds may cost less.
// Ties: a value replaces the current one only when it saves more than a relative 1e-9 of the
// seconds (so rounding never decides), and the grid is tried from low to high, so the global
// threshold is the lowest of the equally good ones, and a class moves off its current value
// only to a strictly better one, the lowest such. The lower threshold wins a tie because at
// equal cost it shows the reviewer more of the model's boxes. With nothing to review (no images,
// no classes) every threshold costs the same, so every class gets the lowest grid value.
[[nodiscard]] OperatingPoint fitOperatingPoint(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                                               const std::vector<GroundTruth>& truth,
                                               const std::vector<Detection>& detections,
                                               const OperatingPointOptions& options = {});

// `base` with the operating point's thresholds: scoreThreshold = globalThreshold and
// classScoreThresholds = perClass, the rest of `base` kept.
[[nodiscard]] EvalOptions withOperatingPoint(EvalOptions base, const OperatingPoint& point);

// The boost at a fitted operating point, measured on images that did not fit it (two-fold
// cross-validation):
// - `images` without repeats is shuffled with quarry::seededShuffle(seed); halfA is the first
//   ceil(n / 2) images of that order, halfB the rest.
// - fitA = fitOperatingPoint on halfA only; fitB = on halfB only (same options).
// - halfB is evaluated at fitA's thresholds and halfA at fitB's; reviewSeconds and manualSeconds
//   are the sums of those two held-out evaluations, and boost = manualSeconds / reviewSeconds
//   (1 when both are 0, +infinity when only reviewSeconds is 0, as in evaluate()).
// Every image is counted once, always with thresholds fitted without it. fitA's and fitB's own
// reviewSeconds are in-sample and are not part of the figure. With fewer than two images there
// is nothing to hold apart: boost stays NaN and the seconds 0.
struct HeldOutBoost {
  double boost = std::numeric_limits<double>::quiet_NaN();
  double reviewSeconds = 0, manualSeconds = 0;  // summed over both held-out halves
  std::vector<ImageId> halfA, halfB;
  OperatingPoint fitA;  // fitted on halfA, evaluated on halfB
  OperatingPoint fitB;  // fitted on halfB, evaluated on halfA
  double reviewSecondsB = 0, manualSecondsB = 0;  // halfB at fitA's thresholds
  double reviewSecondsA = 0, manualSecondsA = 0;  // halfA at fitB's thresholds
};
[[nodiscard]] HeldOutBoost heldOutBoost(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                                        const std::vector<GroundTruth>& truth,
                                        const std::vector<Detection>& detections,
                                        const OperatingPointOptions& options = {}, std::uint64_t seed = 1);

// The whole evaluation at a fitted operating point without a figure from the images that tuned
// it: the halves and fits of heldOutBoost(), each half evaluated at the other half's thresholds,
// and the threshold-dependent figures (per-class TP / FP / FN, precision, recall, the confusion
// matrix, review actions and seconds, the boost, per-image rows) summed over both halves. AP and
// mAP do not depend on a threshold and come from every image at once. `held`, when given, gets
// the halves and fits. With fewer than two images: evaluate() at options.eval's own thresholds.
[[nodiscard]] EvalResult heldOutEvaluation(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                                           const std::vector<GroundTruth>& truth,
                                           const std::vector<Detection>& detections,
                                           const OperatingPointOptions& options = {}, std::uint64_t seed = 1,
                                           HeldOutBoost* held = nullptr);

}  // namespace quarry
