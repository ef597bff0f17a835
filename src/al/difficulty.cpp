// Difficulty thresholds (fitted on VAL's true errors, or pool quantiles) and the calibration
// report: does the score rank images by how wrong the auto-labels are?
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "quarry/core/stats.h"
#include "quarry/al/uncertainty.h"

namespace quarry {
namespace {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double at = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(sorted.size() - 1, lo + 1);
  return sorted[lo] + (at - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::optional<DifficultyThresholds> fitThresholds(const std::vector<double>& scores, const std::vector<double>& errors,
                                                  double minShare) {
  const std::size_t n = scores.size();
  if (n != errors.size() || n < 3) return std::nullopt;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  std::vector<double> s(n), e(n), sum(n + 1, 0), sumSq(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    s[k] = scores[order[k]];
    e[k] = errors[order[k]];
    sum[k + 1] = sum[k] + e[k];
    sumSq[k + 1] = sumSq[k] + e[k] * e[k];
  }
  const std::size_t m = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(minShare * static_cast<double>(n))));
  auto bandMean = [&](std::size_t a, std::size_t b) { return (sum[b] - sum[a]) / static_cast<double>(b - a); };
  auto bandSse = [&](std::size_t a, std::size_t b) {
    const double t = sum[b] - sum[a];
    return (sumSq[b] - sumSq[a]) - t * t / static_cast<double>(b - a);
  };
  double best = std::numeric_limits<double>::infinity();
  std::size_t bestI = 0, bestJ = 0;
  // Bands [0, i), [i, j), [j, n); a boundary must fall between two different scores.
  for (std::size_t i = m; i + 2 * m <= n; ++i) {
    if (!(s[i - 1] < s[i])) continue;
    for (std::size_t j = i + m; j + m <= n; ++j) {
      if (!(s[j - 1] < s[j])) continue;
      const double easy = bandMean(0, i), medium = bandMean(i, j), hard = bandMean(j, n);
      if (easy > medium || medium > hard || !(easy < hard)) continue;
      const double sse = bandSse(0, i) + bandSse(i, j) + bandSse(j, n);
      if (sse < best) {
        best = sse;
        bestI = i;
        bestJ = j;
      }
    }
  }
  if (!std::isfinite(best)) return std::nullopt;
  DifficultyThresholds t;
  t.medium = (s[bestI - 1] + s[bestI]) / 2;
  t.hard = (s[bestJ - 1] + s[bestJ]) / 2;
  t.source = "val";
  return t;
}

SafeEasyFit fitSafeEasy(const std::vector<double>& scores, const std::vector<double>& errors, double target,
                        int minImages) {
  SafeEasyFit fit;
  const std::size_t n = std::min(scores.size(), errors.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  int correct = 0;
  for (std::size_t k = 0; k < n; ++k) {
    correct += errors[order[k]] == 0 ? 1 : 0;
    const int count = static_cast<int>(k + 1);
    // A boundary must fall between two different scores (or after the last one).
    const bool boundary = k + 1 == n || scores[order[k]] < scores[order[k + 1]];
    if (!boundary || count < minImages || correct < target * count) continue;
    fit.images = count;
    fit.fullyCorrect = correct;
    fit.threshold = k + 1 == n ? std::nextafter(scores[order[k]], std::numeric_limits<double>::infinity())
                               : (scores[order[k]] + scores[order[k + 1]]) / 2;
  }
  fit.wilsonLower = fit.threshold ? stats::wilsonLowerBound(fit.fullyCorrect, fit.images) : std::nan("");
  return fit;
}

DifficultyThresholds quantileThresholds(std::vector<double> scores, double medium, double hard) {
  std::sort(scores.begin(), scores.end());
  DifficultyThresholds t;
  t.medium = quantile(scores, medium);
  t.hard = quantile(scores, hard);
  t.source = "pool-quantiles";
  return t;
}

Calibration calibrate(const std::vector<std::optional<double>>& scores, const std::vector<double>& errors,
                      const DifficultyThresholds& t) {
  Calibration c;
  const std::size_t n = std::min(scores.size(), errors.size());
  c.images = static_cast<int>(n);
  // Images without detections rank above every scored image (they are the hardest).
  double top = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (scores[k]) top = std::max(top, *scores[k]);
  std::vector<double> ranked(n), err(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(n));
  std::vector<bool> anyError(n);
  std::array<double, 3> errorSum{}, anySum{};
  int easyCorrect = 0;
  for (std::size_t k = 0; k < n; ++k) {
    ranked[k] = scores[k] ? *scores[k] : top + 1;
    anyError[k] = errors[k] > 0;
    const int band = static_cast<int>(difficultyOf(scores[k], t));
    ++c.bands[band].images;
    errorSum[band] += errors[k];
    anySum[band] += anyError[k] ? 1 : 0;
    if (band == 0 && errors[k] == 0) ++easyCorrect;
  }
  c.aurc = stats::riskCoverageArea(ranked, err);
  c.spearman = stats::spearman(ranked, err);
  c.auroc = stats::auroc(ranked, anyError);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int b = 0; b < 3; ++b) {
    const double count = c.bands[b].images;
    c.bands[b].meanError = count > 0 ? errorSum[b] / count : nan;
    c.bands[b].anyErrorRate = count > 0 ? anySum[b] / count : nan;
  }
  c.easyShare = n > 0 ? static_cast<double>(c.bands[0].images) / static_cast<double>(n) : nan;
  c.easyFullyCorrect = c.bands[0].images > 0 ? static_cast<double>(easyCorrect) / c.bands[0].images : nan;
  c.easyWilsonLower = stats::wilsonLowerBound(easyCorrect, c.bands[0].images);
  const double easy = c.bands[0].meanError, hard = c.bands[2].meanError;
  c.hardToEasyErrorRatio = easy > 0 ? hard / easy : nan;
  if (c.bands[0].images == 0) c.ratioWhy = "no easy images";
  else if (c.bands[2].images == 0) c.ratioWhy = "no hard images";
  else if (!(easy > 0)) c.ratioWhy = "the easy images have no error";
  const auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double x) { return x == v.front(); });
  };
  if (n < 2) c.spearmanWhy = c.aurocWhy = "fewer than 2 VAL images";
  else if (constant(err)) c.spearmanWhy = "every VAL image has the same error";
  else if (constant(ranked)) c.spearmanWhy = "every VAL image has the same score";
  if (n >= 2 && std::isnan(c.auroc))
    c.aurocWhy = std::any_of(anyError.begin(), anyError.end(), [](bool b) { return b; }) ? "every VAL image has an error"
                                                                                          : "no VAL image has an error";
  if (std::isnan(c.spearman) && c.spearmanWhy.empty()) c.spearmanWhy = "not computable";
  return c;
}

}  // namespace quarry
