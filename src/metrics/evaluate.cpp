// evaluate(): checks and indexes the input, then lets class_metrics.cpp and review.cpp fill
// in their parts of the result; evaluateReview() runs the review part alone.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "metrics/eval_input.h"

namespace quarry {
namespace detail {
namespace {

bool usableRect(const Rect& r) {
  return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.w) && std::isfinite(r.h) && r.w > 0 && r.h > 0;
}

// Positions of the first occurrence of each id; repeats are dropped from `ids`.
template <typename Id>
std::unordered_map<Id, std::size_t> indexUnique(const std::vector<Id>& in, std::vector<Id>* ids) {
  std::unordered_map<Id, std::size_t> index;
  for (Id id : in)
    if (index.emplace(id, ids->size()).second) ids->push_back(id);
  return index;
}

// What both evaluations start from: one entry per image, and the ignored counts.
EvalResult emptyResult(const EvalInput& input) {
  EvalResult result;
  result.ignoredTruth = input.ignoredTruth;
  result.ignoredDetections = input.ignoredDetections;
  result.perImage.resize(input.images.size());
  for (std::size_t i = 0; i < input.images.size(); ++i) result.perImage[i].image = input.images[i];
  return result;
}

}  // namespace

EvalInput indexInput(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                     const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections) {
  EvalInput in;
  const auto imageIndex = indexUnique(images, &in.images);
  const auto classIndex = indexUnique(classes, &in.classes);

  // Returns false for a box that cannot be evaluated (see the conventions in metrics.h).
  auto locate = [&](ImageId image, ClassId cls, const Rect& r, IndexedBox* out) {
    const auto im = imageIndex.find(image);
    const auto c = classIndex.find(cls);
    if (im == imageIndex.end() || c == classIndex.end() || !usableRect(r)) return false;
    out->image = im->second;
    out->cls = c->second;
    out->rect = r;
    return true;
  };

  for (const GroundTruth& g : truth) {
    IndexedBox b;
    if (locate(g.image, g.cls, g.rect(), &b))
      in.truth.push_back(b);
    else
      ++in.ignoredTruth;
  }
  for (const Detection& d : detections) {
    IndexedBox b;
    if (std::isfinite(d.score) && locate(d.image, d.cls, d.rect(), &b)) {
      b.score = d.score;
      in.detections.push_back(b);
    } else {
      ++in.ignoredDetections;
    }
  }
  std::stable_sort(in.detections.begin(), in.detections.end(),
                   [](const IndexedBox& a, const IndexedBox& b) { return a.score > b.score; });

  in.truthOfImage.resize(in.images.size());
  in.detectionsOfImage.resize(in.images.size());
  for (std::size_t i = 0; i < in.truth.size(); ++i) in.truthOfImage[in.truth[i].image].push_back(i);
  for (std::size_t i = 0; i < in.detections.size(); ++i) in.detectionsOfImage[in.detections[i].image].push_back(i);
  return in;
}

std::vector<double> shownThresholds(const EvalInput& in, const EvalOptions& options) {
  std::vector<double> thresholds;
  thresholds.reserve(in.classes.size());
  for (ClassId cls : in.classes) thresholds.push_back(scoreThresholdOf(options, cls));
  return thresholds;
}

EvalResult evaluateReview(const EvalInput& input, const EvalOptions& options) {
  EvalResult result = emptyResult(input);
  result.map50 = result.map50to95 = std::numeric_limits<double>::quiet_NaN();
  addReviewMetrics(input, options, &result);
  return result;
}

}  // namespace detail

double scoreThresholdOf(const EvalOptions& options, ClassId cls) {
  for (const auto& [c, threshold] : options.classScoreThresholds)
    if (c == cls) return threshold;
  return options.scoreThreshold;
}

EvalResult evaluate(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                    const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                    const EvalOptions& options) {
  const detail::EvalInput input = detail::indexInput(images, classes, truth, detections);
  EvalResult result = detail::emptyResult(input);
  detail::addClassMetrics(input, options, &result);
  detail::addReviewMetrics(input, options, &result);
  return result;
}

}  // namespace quarry
