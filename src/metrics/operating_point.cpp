// The per-class score threshold fit (a global grid search, then coordinate descent over the
// classes on review seconds) and its two-fold held-out estimate. The input is indexed once per
// set of images and then evaluated review-only, since the fit runs a few hundred evaluations
// and AP, which ignores thresholds, is most of what a full evaluate() costs.
#include "quarry/metrics/operating_point.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "metrics/eval_input.h"
#include "quarry/core/random.h"

namespace quarry {
namespace {

// A change must save more than this share of the seconds, so that the rounding of two sums of
// different counts never decides between thresholds that cost the same.
constexpr double kTieShare = 1e-9;

bool saves(double candidate, double current) { return candidate < current - kTieShare * std::abs(current); }

std::vector<double> candidateGrid(std::vector<double> grid) {
  grid.erase(std::remove_if(grid.begin(), grid.end(), [](double v) { return !std::isfinite(v); }), grid.end());
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  // Written as hundredths, so that 0.35 is the same double a caller writes.
  if (grid.empty())
    for (int k = 5; k <= 95; k += 5) grid.push_back(k / 100.0);
  return grid;
}

// The review of one indexed input under a threshold per class index; counts its evaluations.
class ReviewCost {
 public:
  ReviewCost(const detail::EvalInput& in, EvalOptions eval) : in_(in), eval_(std::move(eval)) {
    // Every class is listed, so the options' own thresholds never reach the evaluation.
    eval_.classScoreThresholds.clear();
    for (ClassId cls : in.classes) eval_.classScoreThresholds.emplace_back(cls, 0.0);
  }
  EvalResult review(const std::vector<double>& threshold) {
    for (std::size_t c = 0; c < threshold.size(); ++c) eval_.classScoreThresholds[c].second = threshold[c];
    ++evaluations_;
    return detail::evaluateReview(in_, eval_);
  }
  double seconds(const std::vector<double>& threshold) { return review(threshold).reviewSeconds; }
  int evaluations() const { return evaluations_; }

 private:
  const detail::EvalInput& in_;
  EvalOptions eval_;
  int evaluations_ = 0;
};

OperatingPoint fit(const detail::EvalInput& in, const OperatingPointOptions& options) {
  const std::vector<double> grid = candidateGrid(options.grid);
  const std::size_t n = in.classes.size();
  ReviewCost cost(in, options.eval);
  OperatingPoint point;

  // 1. One threshold for every class; scanning upwards with strict improvement keeps the lowest
  // of equally good values.
  std::vector<double> threshold(n, grid[0]);
  double best = cost.seconds(threshold);
  point.globalThreshold = grid[0];
  for (std::size_t g = 1; g < grid.size(); ++g) {
    threshold.assign(n, grid[g]);
    const double s = cost.seconds(threshold);
    if (saves(s, best)) {
      best = s;
      point.globalThreshold = grid[g];
    }
  }
  point.globalReviewSeconds = best;
  threshold.assign(n, point.globalThreshold);

  // 2. Coordinate descent over the classes with enough boxes. Matching is class-agnostic, so a
  // class's threshold changes what other classes' boxes cost, and each try is a whole review.
  std::vector<int> boxes(n, 0);
  for (const detail::IndexedBox& g : in.truth) ++boxes[g.cls];
  std::vector<std::size_t> fitted;
  for (std::size_t c = 0; c < n; ++c) {
    if (boxes[c] >= options.minBoxesPerClass)
      fitted.push_back(c);
    else
      point.fallback.push_back(in.classes[c]);
  }
  for (int sweep = 0; sweep < 2; ++sweep) {
    bool moved = false;
    for (std::size_t c : fitted) {
      const double current = threshold[c];
      double chosen = current;
      for (double v : grid) {
        if (v == current) continue;
        threshold[c] = v;
        const double s = cost.seconds(threshold);
        if (saves(s, best)) {
          best = s;
          chosen = v;
        }
      }
      threshold[c] = chosen;
      moved = moved || chosen != current;
    }
    if (!moved) break;  // the next sweep would start from the same thresholds and move nothing
  }

  const EvalResult r = cost.review(threshold);
  point.reviewSeconds = r.reviewSeconds;
  point.manualSeconds = r.manualSeconds;
  point.efficiencyBoost = r.efficiencyBoost;
  for (std::size_t c = 0; c < n; ++c) point.perClass.emplace_back(in.classes[c], threshold[c]);
  point.evaluations = cost.evaluations();
  return point;
}

}  // namespace

OperatingPoint fitOperatingPoint(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                                 const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                                 const OperatingPointOptions& options) {
  return fit(detail::indexInput(images, classes, truth, detections), options);
}

EvalOptions withOperatingPoint(EvalOptions base, const OperatingPoint& point) {
  base.scoreThreshold = point.globalThreshold;
  base.classScoreThresholds = point.perClass;
  return base;
}

HeldOutBoost heldOutBoost(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                          const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                          const OperatingPointOptions& options, std::uint64_t seed) {
  HeldOutBoost h;
  std::vector<ImageId> order;
  std::unordered_set<ImageId> seen;
  for (ImageId id : images)
    if (seen.insert(id).second) order.push_back(id);
  if (order.size() < 2) return h;
  seededShuffle(order, seed);
  const auto middle = order.begin() + static_cast<std::ptrdiff_t>((order.size() + 1) / 2);
  h.halfA.assign(order.begin(), middle);
  h.halfB.assign(middle, order.end());

  // Each half is indexed once: it fits its own thresholds and is judged at the other's.
  const detail::EvalInput inA = detail::indexInput(h.halfA, classes, truth, detections);
  const detail::EvalInput inB = detail::indexInput(h.halfB, classes, truth, detections);
  h.fitA = fit(inA, options);
  h.fitB = fit(inB, options);
  const EvalResult onB = detail::evaluateReview(inB, withOperatingPoint(options.eval, h.fitA));
  const EvalResult onA = detail::evaluateReview(inA, withOperatingPoint(options.eval, h.fitB));
  h.reviewSecondsB = onB.reviewSeconds;
  h.manualSecondsB = onB.manualSeconds;
  h.reviewSecondsA = onA.reviewSeconds;
  h.manualSecondsA = onA.manualSeconds;
  h.reviewSeconds = onA.reviewSeconds + onB.reviewSeconds;
  h.manualSeconds = onA.manualSeconds + onB.manualSeconds;
  h.boost = detail::boostOf(h.manualSeconds, h.reviewSeconds);
  return h;
}

EvalResult heldOutEvaluation(const std::vector<ImageId>& images, const std::vector<ClassId>& classes,
                             const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                             const OperatingPointOptions& options, std::uint64_t seed, HeldOutBoost* held) {
  HeldOutBoost h = heldOutBoost(images, classes, truth, detections, options, seed);
  EvalResult all = evaluate(images, classes, truth, detections, options.eval);
  if (held) *held = h;
  if (h.halfA.empty() || h.halfB.empty()) return all;
  const EvalResult onB = evaluate(h.halfB, classes, truth, detections, withOperatingPoint(options.eval, h.fitA));
  const EvalResult onA = evaluate(h.halfA, classes, truth, detections, withOperatingPoint(options.eval, h.fitB));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t c = 0; c < all.perClass.size(); ++c) {
    ClassMetrics& m = all.perClass[c];
    const ClassMetrics &a = onA.perClass[c], &b = onB.perClass[c];
    m.truePositives = a.truePositives + b.truePositives;
    m.falsePositives = a.falsePositives + b.falsePositives;
    m.falseNegatives = a.falseNegatives + b.falseNegatives;
    const int shown = m.truePositives + m.falsePositives;
    m.precision = shown > 0 ? static_cast<double>(m.truePositives) / shown : nan;
    m.recall = m.groundTruth > 0 ? static_cast<double>(m.truePositives) / m.groundTruth : nan;
  }
  for (std::size_t r = 0; r < all.confusion.size(); ++r)
    for (std::size_t c = 0; c < all.confusion[r].size(); ++c)
      all.confusion[r][c] = onA.confusion[r][c] + onB.confusion[r][c];
  // Per-image rows in the order of `images`, each from the half that held it out.
  std::unordered_map<ImageId, const ImageMetrics*> rows;
  for (const EvalResult* half : {&onA, &onB})
    for (const ImageMetrics& im : half->perImage) rows[im.image] = &im;
  for (ImageMetrics& im : all.perImage)
    if (auto it = rows.find(im.image); it != rows.end()) im = *it->second;
  all.actions = ReviewActions{};
  for (const EvalResult* half : {&onA, &onB}) {
    all.actions.verify += half->actions.verify;
    all.actions.adjust += half->actions.adjust;
    all.actions.remove += half->actions.remove;
    all.actions.draw += half->actions.draw;
  }
  all.reviewSeconds = h.reviewSeconds;
  all.manualSeconds = h.manualSeconds;
  all.efficiencyBoost = h.boost;
  return all;
}

}  // namespace quarry
