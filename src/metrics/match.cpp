// IoU and the greedy matching every metric is built on.
#include <algorithm>

#include "quarry/metrics/metrics.h"

namespace quarry {

double iou(const Rect& a, const Rect& b) {
  // `!(w > 0)` also refuses NaN, so a broken box never matches anything.
  if (!(a.w > 0) || !(a.h > 0) || !(b.w > 0) || !(b.h > 0)) return 0.0;
  const double iw = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const double ih = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0.0;
  const double inter = iw * ih;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

std::vector<int> matchGreedy(const std::vector<Rect>& detections, const std::vector<Rect>& truth, double minIou) {
  std::vector<int> match(detections.size(), -1);
  std::vector<char> taken(truth.size(), 0);
  for (std::size_t d = 0; d < detections.size(); ++d) {
    double best = minIou;
    int bestTruth = -1;
    for (std::size_t t = 0; t < truth.size(); ++t) {
      if (taken[t]) continue;
      const double v = iou(detections[d], truth[t]);
      if (v <= 0) continue;  // even at minIou 0, boxes that do not overlap are no match
      // Strictly better replaces, so the earlier truth box wins a tie; >= lets the first one
      // reach exactly minIou.
      if (bestTruth < 0 ? v >= best : v > best) {
        best = v;
        bestTruth = static_cast<int>(t);
      }
    }
    if (bestTruth >= 0) {
      match[d] = bestTruth;
      taken[static_cast<std::size_t>(bestTruth)] = 1;
    }
  }
  return match;
}

}  // namespace quarry
