// COCO-style 101-point interpolated average precision.
#include <algorithm>
#include <cmath>
#include <limits>

#include "quarry/metrics/metrics.h"

namespace quarry {

double averagePrecision(const std::vector<bool>& truePositive, int groundTruth) {
  if (groundTruth <= 0) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = truePositive.size();
  std::vector<long long> tpSoFar(n);
  std::vector<double> precision(n);
  long long tp = 0;
  for (std::size_t i = 0; i < n; ++i) {
    tp += truePositive[i] ? 1 : 0;
    tpSoFar[i] = tp;
    precision[i] = static_cast<double>(tp) / static_cast<double>(i + 1);
  }
  // The envelope from the right: a reviewer who goes deeper down the list never sees a better
  // precision than the best one still ahead, which is what makes the curve monotone.
  for (std::size_t i = n; i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);

  double sum = 0;
  std::size_t i = 0;  // recall only grows down the list, so one pass serves all 101 points
  for (long long k = 0; k <= 100; ++k) {
    while (i < n && tpSoFar[i] * 100 < k * groundTruth) ++i;
    if (i == n) break;  // this and every higher recall point is never reached: precision 0
    sum += precision[i];
  }
  return sum / 101.0;
}

double meanIgnoringNan(const std::vector<double>& values) {
  double sum = 0;
  int count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  return count ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace quarry
