// From Monte-Carlo dropout samples to a difficulty per image: the uncertainty components of each
// detection, their z-scores across the scored pool, one score per image, the easy / medium / hard
// thresholds (fitted on VAL, where the true error is known) and how well the score predicts that
// error. Torch-free and store-free: the detector library produces DetectionUncertainty, the store
// keeps the result as ImageScore. Pure functions; call them from any thread.
//
//   Normalization n = fitNormalization(pool);                    // z-score statistics of the pool
//   std::optional<double> s = imageScore(pool[i], n, {});        // higher is harder; empty: none found
//   DifficultyThresholds t = fitThresholds(valScores, valErrors);
//   Difficulty d = difficultyOf(s, t);                           // no detections: hard
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "quarry/metrics/metrics.h"
#include "quarry/core/status.h"
#include "quarry/core/types.h"

namespace quarry {

// The uncertainty components of one detection. All are "higher is more uncertain".
enum class Component {
  kLeastConfidence,  // 1 - mean probability of the detection's class
  kMargin,           // 1 - (top-1 minus top-2) of the mean class-or-background distribution
  kEntropy,          // predictive entropy of that distribution (nats)
  kBald,             // mutual information: entropy of the mean minus mean entropy of the samples
  kScoreVariance,    // variance of the class probability across samples
  kBoxVariance,      // epistemic: std of the box sides across samples / sqrt(box area)
  kAleatoric,        // the model's own predicted std of the box sides / box size, mean of samples
  kInstability,      // 1 - the fraction of samples in which the detection appears
  // Whole-network disagreement at the cost of one more deterministic pass: the image mirrored
  // left to right (McOptions::flip), read at the mirrored cell. 0 when no mirrored pass ran.
  kFlipScore,        // |confidence - the mirrored pass's (3x3 peak of the) same class there|
  kFlipBox,          // 1 - IoU of the box and the mirrored pass's box at that cell, mirrored back
};
constexpr int kComponentCount = 10;
const char* toString(Component c);  // "least_confidence", "margin", "entropy", "bald", ...
std::optional<Component> parseComponent(const std::string& name);

// One detection of the deterministic pass (the auto-label) with what the T dropout samples at
// the same output cell say about it. Only the head is stochastic, so samples align by cell.
struct DetectionUncertainty {
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;   // the detection, original image pixels
  double score = 0;                    // its confidence in the deterministic pass
  std::array<double, kComponentCount> components{};  // indexed by Component
  double& operator[](Component c) { return components[static_cast<int>(c)]; }
  double operator[](Component c) const { return components[static_cast<int>(c)]; }
};

// Peaks of the deterministic pass that scored just below the threshold (from kNearMissFloor of it
// up to it): objects the model nearly found. Per-detection uncertainty cannot see a missed object,
// so these are what hints at false negatives (and at a second class competing for a box).
constexpr double kNearMissFloor = 0.4;
struct NearMisses {
  int count = 0;    // such peaks (at most the decoder's top-k)
  double max = 0;   // the highest score among them, 0 without any
  double mass = 0;  // the sum of their scores
  void add(double score) { merge({1, score, score}); }
  void merge(const NearMisses& o) {
    count += o.count;
    max = o.max > max ? o.max : max;
    mass += o.mass;
  }
};

struct ImageUncertainty {
  ImageId image = 0;
  std::vector<DetectionUncertainty> detections;  // above the score threshold; empty: nothing found
  std::vector<float> embedding;                  // pooled backbone features, for diversity sampling
  NearMisses nearMisses;                         // a tiled image sums its views' (overlaps count twice)
};

// Mean and standard deviation of each component over every detection of a pool.
struct Normalization {
  Normalization() { sd.fill(1); }  // the identity: z = raw value
  std::array<double, kComponentCount> mean{};
  std::array<double, kComponentCount> sd;  // 1 where the pool has no spread (z is then 0)
};
Normalization fitNormalization(const std::vector<ImageUncertainty>& pool);

struct CombineOptions {
  enum class Mode { kWeightedSum, kMax };
  enum class Aggregate { kMax, kMean, kSum };
  Mode mode = Mode::kWeightedSum;
  Aggregate aggregate = Aggregate::kMax;  // over the image's detections
  // Component weights. The default ("hybrid") mixes epistemic (entropy, BALD, box variance,
  // instability) with aleatoric; least confidence, margin and score variance are left at 0
  // because they repeat what entropy and BALD already say. With kMax, components of weight 0
  // are ignored and the others are scaled by their weight.
  // The flip components are left at 0 too: the learned combination (difficulty_model.h) weighs
  // them where VAL says they help.
  std::array<double, kComponentCount> weights{0, 0, 1, 1, 0, 1, 1, 1, 0, 0};
  // Only this component (weight 1, the rest 0): the single-criterion strategies.
  static CombineOptions only(Component c);
};

// A detection's combined score: the weighted z-scores of its components.
double detectionScore(const DetectionUncertainty& d, const Normalization& n, const CombineOptions& o);
// An image's score, aggregated over its detections; empty when it has none (it is then hard,
// whatever the score: the detector failed there).
std::optional<double> imageScore(const ImageUncertainty& image, const Normalization& n, const CombineOptions& o);

// Score boundaries: easy below `medium`, hard at or above `hard`.
struct DifficultyThresholds {
  double medium = 0, hard = 0;
  std::string source;  // "val" (fitted on VAL's true errors) or "pool-quantiles" (the fallback)
  // How the easy boundary was set: "safe" (fitSafeEasy), "none" (no score keeps easy images
  // safe: nothing is easy), or empty (no VAL to check it on: the fit or quantile above).
  std::string easyRule;
};
Difficulty difficultyOf(std::optional<double> score, const DifficultyThresholds& t);

// Fits the thresholds on VAL images that have detections: of all splits into three score bands,
// each holding at least `minShare` of the images and with mean error not decreasing from easy to
// hard, the one whose bands explain the error best (least within-band squared error), so easy
// holds the error-free images and hard the errors. Empty when no split qualifies (too few images,
// or errors that do not grow with the score): the caller falls back to quantiles.
std::optional<DifficultyThresholds> fitThresholds(const std::vector<double>& scores, const std::vector<double>& errors,
                                                  double minShare = 0.1);
// "Easy" means safe to accept. Of VAL images with detections, the largest set of the lowest
// scores in which at least `target` of the images are fully correct (error 0: every truth box
// found with its class, no false box), holding at least `minImages`; the threshold lies halfway
// between the last score in it and the next. Empty threshold when no set qualifies: nothing is
// easy. `wilsonLower` is the 95% Wilson lower bound of the share fully correct in the set.
struct SafeEasyFit {
  std::optional<double> threshold;
  int images = 0;
  int fullyCorrect = 0;
  double wilsonLower = 0;
};
SafeEasyFit fitSafeEasy(const std::vector<double>& scores, const std::vector<double>& errors, double target = 0.9,
                        int minImages = 5);

// The fallback without VAL: the scores' quantiles (terciles by default).
DifficultyThresholds quantileThresholds(std::vector<double> scores, double medium = 1.0 / 3, double hard = 2.0 / 3);

// The true auto-label error of an image: 1 - F1 at the evaluation's IoU (class-aware). 0 for an
// image with neither truth nor detections.
double imageError(const ImageMetrics& m);

// How well the score predicts the true error on VAL.
struct Calibration {
  int images = 0;
  double spearman = 0;     // rank correlation of score and error (no-detection images at the top score)
  double auroc = 0;        // of the score for "the image has any error"
  struct Band {
    int images = 0;
    double meanError = 0;  // NaN when empty
    double anyErrorRate = 0;
  };
  std::array<Band, 3> bands{};  // indexed by Difficulty
  double hardToEasyErrorRatio = 0;  // bands[hard].meanError / bands[easy].meanError
  double easyFullyCorrect = 0;      // share of the easy images with error 0; NaN without easy images
  double easyWilsonLower = 0;       // its 95% Wilson lower bound
  double easyShare = 0;             // easy images / images
  // Area under the risk-coverage curve: accept images from the lowest score up; the risk at a
  // coverage is the mean error of the accepted ones; AURC is its mean over every coverage.
  // Lower is better; a score that ranks errors perfectly reaches the least possible value.
  double aurc = 0;
  // Why a figure above is NaN ("no easy images", "every VAL image has an error"); empty when it
  // is a number. Print them with figureText() (quarry/figure.h), never as nan or inf.
  std::string spearmanWhy, aurocWhy, ratioWhy;
};
// `scores` empty where the image had no detection (ranked with the highest score).
Calibration calibrate(const std::vector<std::optional<double>>& scores, const std::vector<double>& errors,
                      const DifficultyThresholds& t);

// The components of a scored image as stored in ImageScore::componentsJson:
// {"no_detections": bool, "max": {component: z-score max}, "detections": [{cls, x, y, w, h, score,
//  combined, <component>: raw value...}], "embedding": [...]}.
std::string componentsJson(const ImageUncertainty& image, const Normalization& n, const CombineOptions& o);
// Reads it back (for the strategies and the GUI's tooltips); kBadInput naming the problem.
Result<ImageUncertainty> parseComponentsJson(const std::string& json, ImageId image);

}  // namespace quarry
