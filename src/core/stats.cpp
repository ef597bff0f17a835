// Summaries over seeds, rank correlation, AUROC and the paired t-test of the experiment report.
#include "quarry/core/stats.h"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>

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

double riskCoverageArea(const std::vector<double>& score, const std::vector<double>& error) {
  const std::size_t n = score.size();
  if (n == 0 || n != error.size()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  double sum = 0, area = 0;
  for (std::size_t k = 0; k < n; ++k) {
    sum += error[order[k]];
    area += sum / static_cast<double>(k + 1);
  }
  return area / static_cast<double>(n);
}

double studentTCdf(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  return boost::math::cdf(boost::math::students_t_distribution<double>(dof), t);
}

double studentTUpperTail(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 0 : 1;
  // The complement keeps its precision far out in the tail, where 1 - cdf would round to 0.
  return boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(dof), t));
}

SignTest signTest(const std::vector<double>& a, const std::vector<double>& b) {
  SignTest r;
  if (a.size() != b.size()) {
    r.pOneSided = kNaN;
    return r;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) {
      r.pOneSided = kNaN;
      return r;
    }
    if (a[i] > b[i]) ++r.wins;
    else if (a[i] < b[i]) ++r.losses;
    else ++r.ties;
  }
  const int n = r.wins + r.losses;
  if (n == 0) {
    r.pOneSided = kNaN;
    return r;
  }
  // P(X >= wins) for X ~ Binomial(n, 1/2): the chance of winning this often by luck alone.
  r.pOneSided = r.wins == 0 ? 1.0
                            : boost::math::cdf(boost::math::complement(
                                  boost::math::binomial_distribution<double>(n, 0.5), r.wins - 1));
  return r;
}

double wilsonLowerBound(double successes, double n, double z) {
  if (!(n > 0) || successes < 0 || successes > n) return kNaN;
  const double p = successes / n, z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return std::max(0.0, (centre - half) / (1 + z2 / n));
}

double areaUnderCurve(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) return kNaN;
  double area = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i]) || std::isnan(x[i + 1]) || std::isnan(y[i + 1]) || !(x[i + 1] > x[i]))
      return kNaN;
    area += (x[i + 1] - x[i]) * (y[i] + y[i + 1]) / 2;
  }
  return area / (x.back() - x.front());
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
  const double lower = studentTCdf(r.t, dof), upper = studentTUpperTail(r.t, dof);
  r.pOneSided = upper;
  r.pTwoSided = std::min(1.0, 2 * std::min(lower, upper));
  return r;
}

}  // namespace quarry::stats
