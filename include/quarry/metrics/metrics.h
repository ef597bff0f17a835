// Evaluation of box predictions against ground truth: IoU, greedy matching, COCO-style average
// precision, precision and recall, a confusion matrix, counts per image, and the expected
// labeling efficiency boost of reviewing predictions instead of drawing every box by hand.
//
// Works on plain values from any source (a model run in the store, a COCO results file, a test),
// so it knows nothing of projects or detectors. Pure functions: call them from any thread.
//
//   EvalResult r = evaluate(valImages, classIds, truth, detections);   // defaults: IoU 0.5, score 0.25
//   std::printf("mAP50 %.3f, boost %.1fx\n", r.map50, r.efficiencyBoost);
//
// Conventions, one place for all of them:
// - Boxes are in pixels, (x, y) the top-left corner, as in quarry::Box.
// - Matching ("greedy by score"): detections in priority order (score descending, input order on
//   equal scores); each takes the still-unmatched truth box with the highest IoU >= the threshold
//   (the earlier truth box in input order on equal IoU), or stays unmatched. IoU is compared as
//   computed, with no tolerance; boxes that do not overlap never match, even at threshold 0.
// - Class-aware matching (AP, precision, recall, TP/FP/FN): a detection may only take a truth box
//   of its own class on its own image. Class-agnostic matching (confusion matrix, review effort):
//   any truth box on its own image.
// - 0/0 is NaN: precision with no detections, recall with no ground truth, AP of a class with no
//   ground truth, mAP when no class has ground truth. Show NaN as "-"; never average it.
// - Input that cannot be evaluated is left out and counted in EvalResult::ignoredTruth /
//   ignoredDetections, never guessed at: a box on an image not in `images`, of a class not in
//   `classes`, with a non-finite coordinate, or with width or height <= 0, and a detection with a
//   non-finite score. A repeated id in `images` or `classes` counts once, at its first place.
// - AP is pycocotools' bbox AP for area "all", except where it rarely matters in practice: no cap on
//   detections per image (maxDets=100 is not applied), no crowd regions, an exact IoU tie goes to
//   the earlier truth box (pycocotools: the later), and recall points are compared exactly
//   (pycocotools compares with np.linspace's rounded values).
#pragma once

#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "quarry/core/status.h"
#include "quarry/core/types.h"

namespace quarry {

// An axis-aligned box in pixels; (x, y) is the top-left corner.
struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
};

struct Detection {
  ImageId image = 0;
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;  // pixels, (x, y) top-left
  double score = 0;                   // the model's confidence; higher goes first
  Rect rect() const { return {x, y, w, h}; }
};

struct GroundTruth {
  ImageId image = 0;
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;  // pixels, (x, y) top-left
  Rect rect() const { return {x, y, w, h}; }
};

// What a reviewer spends on each action, in seconds, for the efficiency estimate.
struct EffortModel {
  // Drawing a box by hand: Superb AI's own planning assumption; Su et al. 2012 ("Crowdsourcing
  // annotations for visual object detection") measured a 25.5 s median, so 10 s is conservative
  // for the boost.
  double drawSeconds = 10.0;
  // Verifying a good box: Papadopoulos et al. 2016 ("We don't need no bounding-boxes"), 1.6 s per
  // yes/no box verification.
  double verifySeconds = 1.6;
  // Adjusting or reclassing a proposed box (a few handle drags or a key press).
  double adjustSeconds = 4.0;
  // Deleting a false box (select and press Delete).
  double deleteSeconds = 1.0;
  // A same-class match at or above this IoU only needs a look (verify); below it, down to
  // EvalOptions::iou, it needs an adjustment.
  double goodIoU = 0.85;
};

struct EvalOptions {
  double iou = 0.5;             // IoU a match needs for TP/FP/FN, precision, recall, confusion, effort
  double scoreThreshold = 0.25; // detections below it are not shown to a reviewer; AP ignores it
  // Per-class score thresholds (an operating point, see quarry/operating_point.h): a class listed
  // here uses its own threshold instead of scoreThreshold, for everything scoreThreshold decides.
  // Empty: scoreThreshold for every class. A class listed twice uses its first entry.
  std::vector<std::pair<ClassId, double>> classScoreThresholds;
  EffortModel effort;
};

// The score a detection of class `cls` needs to be shown to a reviewer and counted (TP/FP,
// precision, recall, confusion, effort): its entry in options.classScoreThresholds, else
// options.scoreThreshold. The one place that lookup is made.
double scoreThresholdOf(const EvalOptions& options, ClassId cls);

struct ClassMetrics {
  ClassId cls = 0;
  int groundTruth = 0;      // truth boxes of this class on the evaluated images
  int truePositives = 0;    // at options.iou, detections with score >= scoreThresholdOf(options, cls)
  int falsePositives = 0;
  int falseNegatives = 0;   // groundTruth - truePositives
  double precision = 0;     // TP / (TP + FP); NaN with no detections above the threshold
  double recall = 0;        // TP / groundTruth; NaN with no ground truth
  double ap50 = 0;          // AP at IoU 0.5, all detections; NaN with no ground truth
  double ap50to95 = 0;      // mean AP over IoU 0.50, 0.55, ..., 0.95; NaN with no ground truth
};

// How a reviewer turns the detections at or above their class's score threshold into the truth
// (class-agnostic matching at options.iou).
struct ReviewActions {
  int verify = 0;  // matched, same class, IoU >= effort.goodIoU
  int adjust = 0;  // matched, another class or IoU below effort.goodIoU
  int remove = 0;  // detection matched to nothing
  int draw = 0;    // truth box matched by nothing
};
// The seconds the effort model gives these review actions.
double reviewSeconds(const ReviewActions& actions, const EffortModel& effort);


struct ImageMetrics {
  ImageId image = 0;
  int truePositives = 0;    // class-aware, as in ClassMetrics, summed over classes
  int falsePositives = 0;
  int falseNegatives = 0;
  ReviewActions actions;
  double reviewSeconds = 0; // the cost of `actions` under options.effort
  double manualSeconds = 0; // effort.drawSeconds x truth boxes on this image
};

struct EvalResult {
  std::vector<ClassMetrics> perClass;        // in the order of `classes`
  double map50 = 0;                          // mean ap50 over classes with ground truth, else NaN
  double map50to95 = 0;                      // mean ap50to95 over the same classes, else NaN
  // (n+1) x (n+1) for n classes: rows the true class, columns the predicted class, in the order of
  // `classes`; index n is background (row n: false detections, column n: missed truth boxes).
  std::vector<std::vector<int>> confusion;
  std::vector<ImageMetrics> perImage;        // every image in `images`, in that order
  ReviewActions actions;                     // summed over images
  double manualSeconds = 0;                  // summed over images
  double reviewSeconds = 0;
  // manualSeconds / reviewSeconds: 1.0 when both are 0 (nothing to label, nothing proposed);
  // +infinity when only reviewSeconds is 0, which needs an effort model with free actions.
  double efficiencyBoost = 1.0;
  int ignoredTruth = 0;                      // left out, see the conventions above
  int ignoredDetections = 0;
};

// Intersection over union; 0 when either box has width or height <= 0 or the boxes do not
// overlap (touching edges do not overlap).
double iou(const Rect& a, const Rect& b);

// Greedy matching (see the conventions) of detections, given in priority order, to truth boxes.
// Returns, per detection, the index of the truth box it took, or -1.
std::vector<int> matchGreedy(const std::vector<Rect>& detections, const std::vector<Rect>& truth,
                             double minIou);

// COCO 101-point interpolated average precision of one class at one IoU threshold.
// `truePositive` holds, for every detection of the class in priority order, whether it matched.
// Precision is made monotone from the right (each point takes the best precision at any higher
// recall); AP is the mean of that precision at recall 0, 0.01, ..., 1, and 0 at recall points
// never reached. Recall point k/100 counts as reached when TP * 100 >= k * groundTruth, in
// integers, so no rounding decides it. NaN when groundTruth <= 0; 0 with no detections.
double averagePrecision(const std::vector<bool>& truePositive, int groundTruth);

// Mean of the values that are not NaN; NaN when there are none.
double meanIgnoringNan(const std::vector<double>& values);

// The whole evaluation of `detections` against `truth` on `images` (every evaluated image,
// including those with no boxes and no detections) for `classes`. Never fails: input that cannot
// be evaluated is left out and counted (see the conventions). Runs in O(n log n) plus the
// matching, which is quadratic only within one image.
EvalResult evaluate(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                    const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                    const EvalOptions& options = {});

// Reads detections in COCO results format: a JSON array of objects with an integer `image_id`, an
// integer `category_id`, `bbox` = [x, y, w, h] in pixels and a `score`; other fields are ignored.
// category_id k maps to classes[k - 1], as Quarry's COCO export numbers the frozen class order.
// A missing file is kNotFound (kIoError when unreadable). Everything else that is wrong is
// kBadInput naming the file and, for JSON syntax, the line, or for content, the entry index
// (0-based): not an array, a missing or mistyped field, a category_id outside 1..classes.size(),
// a non-finite number, a negative width or height, or an image_id outside `knownImages` when it is
// given. Never throws.
Result<std::vector<Detection>> readCocoResults(const std::filesystem::path& file, const std::vector<ClassId>& classes,
                                               const std::set<ImageId>* knownImages = nullptr);

}  // namespace quarry
