// Summaries over seeds, rank correlation, AUROC and the paired t-test of the experiment report.
#include "quarry/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace quarry::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

// Continued fraction of the regularised incomplete beta function (Numerical Recipes' betacf),
// converging fast for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 300;
  constexpr double kEpsilon = 1e-15, kTiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return h;
}

// I_x(a, b), the regularised incomplete beta function, for 0 <= x <= 1.
double incompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(logFront);
  // The fraction converges on one side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
  return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

}  // namespace

double mean(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stddev(const std::vector<double>& v) {
  if (v.size() < 2) return kNaN;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

std::vector<double> averageRanks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1;
    while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
    // Ranks i+1 .. j share their mean.
    const double r = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k) ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) return kNaN;
  return pearson(averageRanks(x), averageRanks(y));
}

double auroc(const std::vector<double>& score, const std::vector<bool>& positive) {
  if (score.size() != positive.size()) return kNaN;
  const std::vector<double> ranks = averageRanks(score);
  double rankSum = 0, positives = 0;
  for (std::size_t i = 0; i < score.size(); ++i)
    if (positive[i]) {
      rankSum += ranks[i];
      positives += 1;
    }
  const double negatives = static_cast<double>(score.size()) - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  // Mann-Whitney U of the positives, from their rank sum.
  const double u = rankSum - positives * (positives + 1) / 2;
  return u / (positives * negatives);
}

double studentTCdf(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // P(|T| >= |t|) = I_{dof / (dof + t^2)}(dof / 2, 1 / 2).
  const double tail = incompleteBeta(dof / 2, 0.5, dof / (dof + t * t));
  return t > 0 ? 1 - tail / 2 : tail / 2;
}

PairedTest pairedTTest(const std::vector<double>& a, const std::vector<double>& b) {
  PairedTest r;
  if (a.size() != b.size() || a.size() < 2) {
    r.n = static_cast<int>(std::min(a.size(), b.size()));
    r.meanDifference = r.sdDifference = r.t = r.pTwoSided = r.pOneSided = kNaN;
    return r;
  }
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  r.n = static_cast<int>(d.size());
  r.meanDifference = mean(d);
  r.sdDifference = stddev(d);
  const double dof = static_cast<double>(d.size() - 1);
  if (r.sdDifference == 0) {
    if (r.meanDifference == 0) {
      r.t = r.pTwoSided = r.pOneSided = kNaN;
      return r;
    }
    r.t = r.meanDifference > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  } else {
    r.t = r.meanDifference / (r.sdDifference / std::sqrt(static_cast<double>(d.size())));
  }
  const double cdf = studentTCdf(r.t, dof);
  r.pOneSided = 1 - cdf;
  r.pTwoSided = std::min(1.0, 2 * std::min(cdf, 1 - cdf));
  return r;
}

}  // namespace quarry::stats
