// The learned difficulty: image features, a ridge-regularised fractional logistic regression
// fitted by Newton's method (OpenCV solves the small normal equations), lambda by k-fold CV.
#include "quarry/al/difficulty_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <opencv2/core.hpp>

#include "quarry/core/random.h"
#include "quarry/core/stats.h"

namespace quarry {
namespace {

double sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }

// Binomial cross-entropy of one prediction against an error share, clamped away from log(0).
double logLoss(double y, double p) {
  const double q = std::clamp(p, 1e-9, 1 - 1e-9);
  return -2 * (y * std::log(q) + (1 - y) * std::log(1 - q));
}

// Standardisation of the columns of `rows` (only the rows listed in `use`).
void standardise(const std::vector<std::vector<double>>& rows, const std::vector<std::size_t>& use,
                 DifficultyModel* m) {
  const std::size_t d = rows.front().size();
  m->mean.assign(d, 0);
  m->sd.assign(d, 1);
  for (std::size_t j = 0; j < d; ++j) {
    double sum = 0, sumSq = 0;
    for (std::size_t i : use) {
      sum += rows[i][j];
      sumSq += rows[i][j] * rows[i][j];
    }
    const double n = static_cast<double>(use.size());
    m->mean[j] = sum / n;
    const double var = sumSq / n - m->mean[j] * m->mean[j];
    m->sd[j] = var > 1e-12 ? std::sqrt(var) : 1;  // a constant feature stays 0 after centring
  }
}

// Newton's method on the penalised cross-entropy; the bias is not penalised.
DifficultyModel fitOn(const std::vector<std::vector<double>>& rows, const std::vector<double>& y,
                      const std::vector<std::size_t>& use, double lambda) {
  DifficultyModel m;
  standardise(rows, use, &m);
  m.lambda = lambda;
  const int d = static_cast<int>(rows.front().size()), p = d + 1;  // index d is the bias
  const double n = static_cast<double>(use.size());
  std::vector<double> beta(static_cast<std::size_t>(p), 0.0);
  double meanY = 0;
  for (std::size_t i : use) meanY += y[i] / n;
  meanY = std::clamp(meanY, 1e-4, 1 - 1e-4);
  beta[static_cast<std::size_t>(d)] = std::log(meanY / (1 - meanY));
  std::vector<double> z(static_cast<std::size_t>(p));
  for (int iter = 0; iter < 50; ++iter) {
    cv::Mat hessian = cv::Mat::zeros(p, p, CV_64F), gradient = cv::Mat::zeros(p, 1, CV_64F);
    for (std::size_t i : use) {
      double eta = beta[static_cast<std::size_t>(d)];
      for (int j = 0; j < d; ++j) {
        z[static_cast<std::size_t>(j)] = (rows[i][static_cast<std::size_t>(j)] - m.mean[static_cast<std::size_t>(j)]) /
                                         m.sd[static_cast<std::size_t>(j)];
        eta += beta[static_cast<std::size_t>(j)] * z[static_cast<std::size_t>(j)];
      }
      z[static_cast<std::size_t>(d)] = 1;
      const double prob = sigmoid(eta), w = std::max(prob * (1 - prob), 1e-9), r = prob - y[i];
      for (int a = 0; a < p; ++a) {
        gradient.at<double>(a) += r * z[static_cast<std::size_t>(a)];
        for (int b = 0; b <= a; ++b) hessian.at<double>(a, b) += w * z[static_cast<std::size_t>(a)] * z[static_cast<std::size_t>(b)];
      }
    }
    for (int a = 0; a < p; ++a)
      for (int b = 0; b < a; ++b) hessian.at<double>(b, a) = hessian.at<double>(a, b);
    for (int j = 0; j < d; ++j) {
      hessian.at<double>(j, j) += lambda * n;
      gradient.at<double>(j) += lambda * n * beta[static_cast<std::size_t>(j)];
    }
    hessian.at<double>(d, d) += 1e-9 * n;  // keeps the bias solvable when every error is 0 or 1
    cv::Mat step;
    if (!cv::solve(hessian, gradient, step, cv::DECOMP_CHOLESKY)) break;
    double largest = 0;
    for (int a = 0; a < p; ++a) {
      beta[static_cast<std::size_t>(a)] -= step.at<double>(a);
      largest = std::max(largest, std::fabs(step.at<double>(a)));
    }
    if (largest < 1e-8) break;
  }
  m.weights.assign(beta.begin(), beta.begin() + d);
  m.bias = beta[static_cast<std::size_t>(d)];
  return m;
}

}  // namespace

const std::vector<std::string>& difficultyFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (int c = 0; c < kComponentCount; ++c) out.push_back(std::string("max_") + toString(static_cast<Component>(c)));
    for (int c = 0; c < kComponentCount; ++c) out.push_back(std::string("mean_") + toString(static_cast<Component>(c)));
    for (const char* n : {"log_detections", "top_score", "mean_score", "lowest_score", "classes", "log_near_misses",
                          "near_miss_max", "near_miss_mass"})
      out.push_back(n);
    return out;
  }();
  return names;
}

std::vector<double> difficultyFeatures(const ImageUncertainty& image, const Normalization& n) {
  std::vector<double> maxZ(kComponentCount, -std::numeric_limits<double>::infinity()), meanZ(kComponentCount, 0);
  double top = 0, lowest = 1, scoreSum = 0;
  std::vector<ClassId> classes;
  for (const auto& d : image.detections) {
    for (int c = 0; c < kComponentCount; ++c) {
      const double z = (d.components[c] - n.mean[c]) / n.sd[c];
      maxZ[c] = std::max(maxZ[c], z);
      meanZ[c] += z;
    }
    top = std::max(top, d.score);
    lowest = std::min(lowest, d.score);
    scoreSum += d.score;
    if (std::find(classes.begin(), classes.end(), d.cls) == classes.end()) classes.push_back(d.cls);
  }
  const double count = static_cast<double>(image.detections.size());
  std::vector<double> out;
  for (int c = 0; c < kComponentCount; ++c) out.push_back(count > 0 ? maxZ[c] : 0);
  for (int c = 0; c < kComponentCount; ++c) out.push_back(count > 0 ? meanZ[c] / count : 0);
  out.push_back(std::log1p(count));
  out.push_back(top);
  out.push_back(count > 0 ? scoreSum / count : 0);
  out.push_back(count > 0 ? lowest : 0);
  out.push_back(static_cast<double>(classes.size()));
  out.push_back(std::log1p(static_cast<double>(image.nearMisses.count)));
  out.push_back(image.nearMisses.max);
  out.push_back(image.nearMisses.mass);
  return out;
}

double DifficultyModel::predict(const std::vector<double>& features) const {
  double eta = bias;
  if (features.size() == weights.size())
    for (std::size_t j = 0; j < weights.size(); ++j) eta += weights[j] * (features[j] - mean[j]) / sd[j];
  return sigmoid(eta);
}

std::optional<DifficultyModelFit> fitDifficultyModel(const std::vector<std::vector<double>>& features,
                                                     const std::vector<double>& errors, int folds,
                                                     std::uint64_t seed) {
  const std::size_t n = features.size();
  folds = std::max(2, folds);
  if (n != errors.size() || n < static_cast<std::size_t>(4 * folds) || features.front().empty()) return std::nullopt;
  for (const auto& row : features)
    if (row.size() != features.front().size()) return std::nullopt;
  if (std::all_of(errors.begin(), errors.end(), [&](double e) { return e == errors.front(); })) return std::nullopt;
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = std::clamp(errors[i], 0.0, 1.0);

  // Folds from a seeded shuffle of the indexes (as image ids, which is all seededShuffle needs).
  std::vector<ImageId> order(n);
  std::iota(order.begin(), order.end(), ImageId{0});
  seededShuffle(order, seed);
  std::vector<int> foldOf(n);
  for (std::size_t k = 0; k < n; ++k) foldOf[static_cast<std::size_t>(order[k])] = static_cast<int>(k % folds);

  // Strengths per image from almost none to strong; the grid is wide because the features'
  // usefulness differs by model and data set, which is what cross-validation is for.
  const double grid[] = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0};
  DifficultyModelFit best;
  best.crossValidatedLogLoss = std::numeric_limits<double>::infinity();
  for (double lambda : grid) {
    std::vector<double> oof(n, 0);
    for (int f = 0; f < folds; ++f) {
      std::vector<std::size_t> train;
      for (std::size_t i = 0; i < n; ++i)
        if (foldOf[i] != f) train.push_back(i);
      const DifficultyModel m = fitOn(features, y, train, lambda);
      for (std::size_t i = 0; i < n; ++i)
        if (foldOf[i] == f) oof[i] = m.predict(features[i]);
    }
    double dev = 0;
    for (std::size_t i = 0; i < n; ++i) dev += logLoss(y[i], oof[i]) / static_cast<double>(n);
    if (dev < best.crossValidatedLogLoss) {
      best.crossValidatedLogLoss = dev;
      best.outOfFold = std::move(oof);
      best.model.lambda = lambda;
    }
  }
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  best.model = fitOn(features, y, all, best.model.lambda);
  best.folds = folds;
  return best;
}

CombinationChoice chooseCombination(const std::string& mode, const std::vector<double>& fixedScores,
                                    const std::vector<std::vector<double>>& features, const std::vector<double>& errors,
                                    const std::string& valTag, std::uint64_t seed) {
  CombinationChoice c;
  if (mode == "fixed") {
    c.why = "fixed: the hybrid combination of z-scores, as asked";
    return c;
  }
  c.fit = fitDifficultyModel(features, errors, 5, seed);
  if (!c.fit) {
    c.why = "fixed: " + std::to_string(features.size()) + " " + valTag +
            " images with detections are too few to learn from (at least 20, and not all equally wrong)";
    return c;
  }
  c.fixedAurc = stats::riskCoverageArea(fixedScores, errors);
  c.learnedAurc = stats::riskCoverageArea(c.fit->outOfFold, errors);
  c.learned = mode == "learned" || c.learnedAurc < c.fixedAurc;
  char why[256];
  std::snprintf(why, sizeof why, "%s: on %zu %s images, risk-coverage area %.4f learned (out of fold) against %.4f fixed%s",
                c.learned ? "learned" : "fixed", features.size(), valTag.c_str(), c.learnedAurc, c.fixedAurc,
                mode == "learned" ? ", learned as asked" : "");
  c.why = why;
  return c;
}

}  // namespace quarry
