// Small statistics for the active-learning reports: summaries over seeds, rank correlation,
// AUROC and a paired t-test. Pure functions on plain vectors; call them from any thread.
//
// Conventions: NaN inputs are never skipped silently; a function that cannot give an answer
// (too few values, zero variance) returns NaN, which reports show as "-".
#pragma once

#include <vector>

namespace quarry::stats {

double mean(const std::vector<double>& v);    // NaN when empty
// Sample standard deviation (n - 1 in the denominator); NaN with fewer than two values.
double stddev(const std::vector<double>& v);

// Ranks 1..n, ties sharing the mean of the ranks they span (as Spearman needs).
std::vector<double> averageRanks(const std::vector<double>& v);

// Spearman's rank correlation: Pearson's correlation of the average ranks. NaN when the sizes
// differ, with fewer than two values, or when either side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// Area under the ROC curve of `score` for telling positives from negatives: the probability that
// a random positive scores higher than a random negative, ties counting one half
// (Mann-Whitney U / (n+ n-)). NaN when either class is empty or the sizes differ.
double auroc(const std::vector<double>& score, const std::vector<bool>& positive);

// Area under the risk-coverage curve (AURC): accept items from the lowest score up (ties in
// input order); the risk at k accepted is their mean error; the area is the mean over k = 1..n.
// Lower is better. NaN when empty or the sizes differ.
double riskCoverageArea(const std::vector<double>& score, const std::vector<double>& error);

// Student's t distribution (Boost.Math): P(T <= t) and P(T >= t) with `dof` degrees of freedom
// (> 0); the upper tail is computed directly, so it keeps its precision where 1 - cdf is 0.
double studentTCdf(double t, double dof);
double studentTUpperTail(double t, double dof);

struct PairedTest {
  int n = 0;
  double meanDifference = 0;  // mean of a[i] - b[i]
  double sdDifference = 0;    // sample standard deviation of the differences
  double t = 0;               // meanDifference / (sdDifference / sqrt(n))
  double pTwoSided = 0;       // P(|T| >= |t|) under "no difference"
  double pOneSided = 0;       // P(T >= t): the evidence that a beats b
};
// Paired t-test of a against b (same length, n >= 2). With zero spread in the differences, t is
// +-infinity (p 0) when the mean difference is not 0, and NaN (p NaN) when it is.
PairedTest pairedTTest(const std::vector<double>& a, const std::vector<double>& b);

// The exact sign test of a against b over pairs: wins (a > b), losses and ties, and the one-sided
// p-value P(X >= wins) for X ~ Binomial(wins + losses, 1/2), ties left out. NaN when the sizes
// differ, a value is NaN, or every pair is tied.
struct SignTest {
  int wins = 0, losses = 0, ties = 0;
  double pOneSided = 0;
};
SignTest signTest(const std::vector<double>& a, const std::vector<double>& b);

// The lower end of the Wilson score interval for a proportion of `successes` in `n` trials at
// normal quantile `z` (1.96: 95% two-sided). NaN for n <= 0.
double wilsonLowerBound(double successes, double n, double z = 1.959964);

// The trapezoid area under y(x) divided by the range of x, so it reads as a mean of y (the
// experiment's AULC: mAP against labelled images). x must rise strictly; NaN with fewer than
// two points, different sizes or a NaN.
double areaUnderCurve(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace quarry::stats
