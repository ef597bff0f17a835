// A learned difficulty: how an image's uncertainty components combine into its expected
// auto-label error, fitted on labelled VAL images instead of fixed weights. A regularised
// logistic model of the error (1 - F1, a share in [0, 1]) on a few summaries of the image's
// detections; its strength is chosen by cross-validation, and the fit also returns every
// training image's out-of-fold prediction, so thresholds fitted on those predictions are not
// flattered by the images the model has already seen. Pure functions; call them from any thread.
//
//   std::vector<std::vector<double>> x;  for (...) x.push_back(difficultyFeatures(u, norm));
//   auto fit = fitDifficultyModel(x, errors);          // empty: too few images or no spread
//   double s = fit->model.predict(difficultyFeatures(poolImage, norm));  // expected error
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "quarry/al/uncertainty.h"

namespace quarry {

// The features of an image with at least one detection: per component the max and the mean of
// its z-scores over the detections, then log(1 + detections), the top, mean and lowest
// confidence, the distinct classes found, log(1 + near misses), the highest near miss and their
// summed score. Names in the same order.
std::vector<double> difficultyFeatures(const ImageUncertainty& image, const Normalization& n);
const std::vector<std::string>& difficultyFeatureNames();

struct DifficultyModel {
  std::vector<double> mean, sd;  // standardisation of each feature (sd 1 where it has no spread)
  std::vector<double> weights;   // per standardised feature
  double bias = 0;
  double lambda = 0;             // the L2 strength it was fitted with (per image)
  // The expected error of an image, in (0, 1). Features of the wrong length predict the bias.
  double predict(const std::vector<double>& features) const;
};

struct DifficultyModelFit {
  DifficultyModel model;            // fitted on every image, at the chosen strength
  std::vector<double> outOfFold;    // per training image, predicted by the model fitted without its fold
  int folds = 0;
  double crossValidatedLogLoss = 0;  // mean binomial cross-entropy of the out-of-fold predictions
};

// Fits the model on (features, error) pairs: minimises the binomial cross-entropy of the errors plus
// lambda * n / 2 * |weights|^2 by Newton's method, lambda chosen from a grid by `folds`-fold
// cross-validation (folds drawn from `seed`). Empty with fewer than 4 * folds images, features of
// unequal length, or errors that are all the same (there is nothing to learn).
std::optional<DifficultyModelFit> fitDifficultyModel(const std::vector<std::vector<double>>& features,
                                                     const std::vector<double>& errors, int folds = 5,
                                                     std::uint64_t seed = 1);

// Which score the images get: the fixed combination or the learned model, from VAL images with
// detections (their fixed scores, features and true errors, in the same order). `mode` "fixed"
// never fits; "learned" uses the model whenever one can be fitted; "auto" uses it only when its
// out-of-fold risk-coverage area (stats::riskCoverageArea) is lower than the fixed scores'.
// `why` says which, on how many `valTag` images, with both areas.
struct CombinationChoice {
  bool learned = false;
  std::string why;
  double fixedAurc = std::numeric_limits<double>::quiet_NaN();  // NaN when not compared
  double learnedAurc = std::numeric_limits<double>::quiet_NaN();
  std::optional<DifficultyModelFit> fit;  // when one was fitted, used or not
};
CombinationChoice chooseCombination(const std::string& mode, const std::vector<double>& fixedScores,
                                    const std::vector<std::vector<double>>& features, const std::vector<double>& errors,
                                    const std::string& valTag, std::uint64_t seed = 1);

}  // namespace quarry
