// Uncertainty components to image scores: z-scores across the pool, the combination of
// components, and the aggregation over an image's detections.
#include "quarry/al/uncertainty.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace quarry {
namespace {

constexpr const char* kNames[kComponentCount] = {"least_confidence", "margin",     "entropy",   "bald",
                                                 "score_variance",   "box_variance", "aleatoric", "instability",
                                                 "flip_score",       "flip_box"};

}  // namespace

const char* toString(Component c) { return kNames[static_cast<int>(c)]; }

std::optional<Component> parseComponent(const std::string& name) {
  for (int i = 0; i < kComponentCount; ++i)
    if (name == kNames[i]) return static_cast<Component>(i);
  return std::nullopt;
}

CombineOptions CombineOptions::only(Component c) {
  CombineOptions o;
  o.weights.fill(0);
  o.weights[static_cast<int>(c)] = 1;
  return o;
}

Normalization fitNormalization(const std::vector<ImageUncertainty>& pool) {
  Normalization n;
  std::array<double, kComponentCount> sum{}, sumSq{};
  double count = 0;
  for (const auto& image : pool)
    for (const auto& d : image.detections) {
      for (int c = 0; c < kComponentCount; ++c) {
        sum[c] += d.components[c];
        sumSq[c] += d.components[c] * d.components[c];
      }
      ++count;
    }
  for (int c = 0; c < kComponentCount; ++c) {
    n.mean[c] = count > 0 ? sum[c] / count : 0;
    const double var = count > 1 ? (sumSq[c] - count * n.mean[c] * n.mean[c]) / (count - 1) : 0;
    // A component with no spread says nothing about which detection is harder: z = 0.
    n.sd[c] = var > 1e-18 ? std::sqrt(var) : 1;
  }
  return n;
}

double detectionScore(const DetectionUncertainty& d, const Normalization& n, const CombineOptions& o) {
  double sum = 0, best = -std::numeric_limits<double>::infinity();
  for (int c = 0; c < kComponentCount; ++c) {
    if (o.weights[c] == 0) continue;
    const double z = (d.components[c] - n.mean[c]) / n.sd[c];
    sum += o.weights[c] * z;
    best = std::max(best, o.weights[c] * z);
  }
  if (o.mode == CombineOptions::Mode::kMax) return std::isfinite(best) ? best : 0;
  return sum;
}

std::optional<double> imageScore(const ImageUncertainty& image, const Normalization& n, const CombineOptions& o) {
  if (image.detections.empty()) return std::nullopt;
  double sum = 0, best = -std::numeric_limits<double>::infinity();
  for (const auto& d : image.detections) {
    const double s = detectionScore(d, n, o);
    sum += s;
    best = std::max(best, s);
  }
  switch (o.aggregate) {
    case CombineOptions::Aggregate::kMax: return best;
    case CombineOptions::Aggregate::kMean: return sum / static_cast<double>(image.detections.size());
    case CombineOptions::Aggregate::kSum: return sum;
  }
  return best;
}

Difficulty difficultyOf(std::optional<double> score, const DifficultyThresholds& t) {
  if (!score) return Difficulty::kHard;
  if (*score >= t.hard) return Difficulty::kHard;
  if (*score >= t.medium) return Difficulty::kMedium;
  return Difficulty::kEasy;
}

double imageError(const ImageMetrics& m) {
  const double denom = 2.0 * m.truePositives + m.falsePositives + m.falseNegatives;
  if (denom <= 0) return 0;
  return 1.0 - 2.0 * m.truePositives / denom;
}

}  // namespace quarry
