// Class-agnostic metrics: the confusion matrix and what a reviewer would spend turning the
// detections at or above their class's score threshold into the truth, against drawing every
// box by hand.
#include <limits>

#include "metrics/eval_input.h"

namespace quarry {

double reviewSeconds(const ReviewActions& a, const EffortModel& e) {
  return a.verify * e.verifySeconds + a.adjust * e.adjustSeconds + a.remove * e.deleteSeconds +
         a.draw * e.drawSeconds;
}

}  // namespace quarry

namespace quarry::detail {
namespace {

void add(ReviewActions* into, const ReviewActions& a) {
  into->verify += a.verify;
  into->adjust += a.adjust;
  into->remove += a.remove;
  into->draw += a.draw;
}

}  // namespace

void addReviewMetrics(const EvalInput& in, const EvalOptions& options, EvalResult* result) {
  const std::size_t background = in.classes.size();
  result->confusion.assign(background + 1, std::vector<int>(background + 1, 0));
  const EffortModel& effort = options.effort;
  const std::vector<double> threshold = shownThresholds(in, options);

  for (std::size_t image = 0; image < in.images.size(); ++image) {
    // The detections a reviewer would be shown, still in priority order.
    std::vector<std::size_t> dets;
    for (std::size_t d : in.detectionsOfImage[image])
      if (in.detections[d].score >= threshold[in.detections[d].cls]) dets.push_back(d);
    const std::vector<std::size_t>& truths = in.truthOfImage[image];

    std::vector<Rect> dRects, tRects;
    for (std::size_t d : dets) dRects.push_back(in.detections[d].rect);
    for (std::size_t t : truths) tRects.push_back(in.truth[t].rect);
    const std::vector<int> match = matchGreedy(dRects, tRects, options.iou);

    ReviewActions a;
    std::vector<char> found(truths.size(), 0);
    for (std::size_t i = 0; i < dets.size(); ++i) {
      const IndexedBox& det = in.detections[dets[i]];
      if (match[i] < 0) {
        ++result->confusion[background][det.cls];
        ++a.remove;
        continue;
      }
      const std::size_t t = static_cast<std::size_t>(match[i]);
      found[t] = 1;
      const IndexedBox& truth = in.truth[truths[t]];
      ++result->confusion[truth.cls][det.cls];
      if (truth.cls == det.cls && iou(det.rect, truth.rect) >= effort.goodIoU)
        ++a.verify;
      else
        ++a.adjust;
    }
    for (std::size_t t = 0; t < truths.size(); ++t) {
      if (found[t]) continue;
      ++result->confusion[in.truth[truths[t]].cls][background];
      ++a.draw;
    }

    ImageMetrics& im = result->perImage[image];
    im.actions = a;
    im.reviewSeconds = reviewSeconds(a, effort);
    im.manualSeconds = static_cast<double>(truths.size()) * effort.drawSeconds;
    add(&result->actions, a);
  }

  // From the summed counts rather than summed per-image seconds, so no rounding piles up.
  result->reviewSeconds = reviewSeconds(result->actions, effort);
  result->manualSeconds = static_cast<double>(in.truth.size()) * effort.drawSeconds;

  result->efficiencyBoost = boostOf(result->manualSeconds, result->reviewSeconds);
}

double boostOf(double manualSeconds, double reviewSeconds) {
  if (reviewSeconds > 0) return manualSeconds / reviewSeconds;
  if (manualSeconds > 0) return std::numeric_limits<double>::infinity();  // some action is free
  return 1.0;  // nothing proposed and nothing to draw: reviewing is no better and no worse
}

}  // namespace quarry::detail
