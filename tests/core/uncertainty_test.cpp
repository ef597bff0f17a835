// Uncertainty to difficulty: z-scores, combination, aggregation, thresholds fitted on VAL errors,
// the calibration figures, and the stored JSON, on hand-built cases whose answers are known.
#include "quarry/al/uncertainty.h"
#include "quarry/al/box_uncertainty.h"
#include "quarry/core/figure.h"
#include "quarry/al/calibration_json.h"
#include "quarry/metrics/metrics_json.h"

#include <gtest/gtest.h>

#include <cmath>

namespace quarry {
namespace {

DetectionUncertainty det(std::initializer_list<std::pair<Component, double>> values, double score = 0.5) {
  DetectionUncertainty d;
  d.score = score;
  d.w = d.h = 10;
  for (auto [c, v] : values) d[c] = v;
  return d;
}

ImageUncertainty image(ImageId id, std::vector<DetectionUncertainty> dets) {
  ImageUncertainty u;
  u.image = id;
  u.detections = std::move(dets);
  return u;
}

TEST(Uncertainty, NormalizationIsTheMeanAndSampleSdOverEveryDetectionOfThePool) {
  const std::vector<ImageUncertainty> pool = {image(1, {det({{Component::kEntropy, 1}}), det({{Component::kEntropy, 3}})}),
                                              image(2, {det({{Component::kEntropy, 5}})}), image(3, {})};
  const Normalization n = fitNormalization(pool);
  const int e = static_cast<int>(Component::kEntropy);
  EXPECT_DOUBLE_EQ(n.mean[e], 3.0);
  EXPECT_DOUBLE_EQ(n.sd[e], 2.0);
  // A component without spread gets sd 1, so its z-scores are 0 and it cannot decide anything.
  const int b = static_cast<int>(Component::kBald);
  EXPECT_DOUBLE_EQ(n.sd[b], 1.0);
  EXPECT_DOUBLE_EQ(detectionScore(det({{Component::kBald, 0}}), n, CombineOptions::only(Component::kBald)), 0.0);
}

TEST(Uncertainty, WeightedSumAddsWeightedZScoresAndMaxTakesTheLargest) {
  Normalization n;
  n.sd.fill(1);
  CombineOptions o;
  o.weights.fill(0);
  o.weights[static_cast<int>(Component::kEntropy)] = 1;
  o.weights[static_cast<int>(Component::kAleatoric)] = 2;
  const auto d = det({{Component::kEntropy, 1.5}, {Component::kAleatoric, 0.5}, {Component::kMargin, 9}});
  EXPECT_DOUBLE_EQ(detectionScore(d, n, o), 1.5 + 2 * 0.5);  // margin has weight 0
  o.mode = CombineOptions::Mode::kMax;
  EXPECT_DOUBLE_EQ(detectionScore(d, n, o), 1.5);
}

TEST(Uncertainty, AnImageScoreAggregatesItsDetectionsAndIsEmptyWithoutAny) {
  Normalization n;
  n.sd.fill(1);
  CombineOptions o = CombineOptions::only(Component::kEntropy);
  const auto u = image(1, {det({{Component::kEntropy, 1}}), det({{Component::kEntropy, 4}})});
  EXPECT_DOUBLE_EQ(*imageScore(u, n, o), 4.0);
  o.aggregate = CombineOptions::Aggregate::kMean;
  EXPECT_DOUBLE_EQ(*imageScore(u, n, o), 2.5);
  o.aggregate = CombineOptions::Aggregate::kSum;
  EXPECT_DOUBLE_EQ(*imageScore(u, n, o), 5.0);
  EXPECT_FALSE(imageScore(image(2, {}), n, o).has_value());
}

TEST(Uncertainty, AnImageWithoutDetectionsIsHardWhateverTheThresholds) {
  DifficultyThresholds t{1.0, 2.0, "val"};
  EXPECT_EQ(difficultyOf(std::nullopt, t), Difficulty::kHard);
  EXPECT_EQ(difficultyOf(0.5, t), Difficulty::kEasy);
  EXPECT_EQ(difficultyOf(1.0, t), Difficulty::kMedium);
  EXPECT_EQ(difficultyOf(2.0, t), Difficulty::kHard);
}

TEST(Uncertainty, ThresholdsFallWhereTheErrorStepsUp) {
  // Scores 0..29; errors 0 below 10, 0.5 from 10 to 19, 1 from 20: the bands are exact.
  std::vector<double> scores, errors;
  for (int i = 0; i < 30; ++i) {
    scores.push_back(i);
    errors.push_back(i < 10 ? 0.0 : i < 20 ? 0.5 : 1.0);
  }
  auto t = fitThresholds(scores, errors);
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(t->medium, 9.5);
  EXPECT_DOUBLE_EQ(t->hard, 19.5);
  EXPECT_EQ(t->source, "val");
}

TEST(Uncertainty, NoThresholdsWhenTheErrorFallsAsTheScoreRises) {
  std::vector<double> scores, errors;
  for (int i = 0; i < 30; ++i) {
    scores.push_back(i);
    errors.push_back(1.0 - i / 29.0);
  }
  EXPECT_FALSE(fitThresholds(scores, errors).has_value());
  EXPECT_FALSE(fitThresholds({1, 2}, {0, 1}).has_value());  // too few images for three bands
}

TEST(Uncertainty, EachBandHoldsAtLeastTheMinimumShare) {
  // One outlier error at the top must not make a one-image hard band.
  std::vector<double> scores, errors;
  for (int i = 0; i < 20; ++i) {
    scores.push_back(i);
    errors.push_back(i == 19 ? 1.0 : i >= 10 ? 0.2 : 0.0);
  }
  auto t = fitThresholds(scores, errors, 0.2);
  ASSERT_TRUE(t);
  int hard = 0;
  for (double s : scores) hard += s >= t->hard;
  EXPECT_GE(hard, 4);
}

TEST(Uncertainty, QuantileFallbackSplitsThePoolIntoTerciles) {
  const auto t = quantileThresholds({0, 1, 2, 3, 4, 5, 6});
  EXPECT_DOUBLE_EQ(t.medium, 2.0);
  EXPECT_DOUBLE_EQ(t.hard, 4.0);
  EXPECT_EQ(t.source, "pool-quantiles");
}

TEST(Uncertainty, CalibrationOfAPerfectScoreRanksErrorsExactly) {
  const DifficultyThresholds t{1.0, 2.0, "val"};
  // Scores 0.5 (easy), 1.5 (medium), 2.5 (hard), and no detections (hard, ranked top).
  const std::vector<std::optional<double>> scores = {0.5, 0.6, 1.5, 2.5, std::nullopt};
  const std::vector<double> errors = {0.0, 0.0, 0.3, 0.6, 1.0};
  const Calibration c = calibrate(scores, errors, t);
  EXPECT_EQ(c.images, 5);
  EXPECT_GT(c.spearman, 0.95);  // below 1 only because two error-free images tie
  EXPECT_NEAR(c.auroc, 1.0, 1e-12);
  EXPECT_EQ(c.bands[0].images, 2);
  EXPECT_EQ(c.bands[1].images, 1);
  EXPECT_EQ(c.bands[2].images, 2);
  EXPECT_DOUBLE_EQ(c.bands[2].meanError, 0.8);
  EXPECT_DOUBLE_EQ(c.bands[0].anyErrorRate, 0.0);
  // Easy images made no error at all: no ratio, and the reason instead of inf.
  EXPECT_TRUE(std::isnan(c.hardToEasyErrorRatio));
  EXPECT_EQ(c.ratioWhy, "the easy images have no error");
  EXPECT_TRUE(c.spearmanWhy.empty());
  EXPECT_TRUE(c.aurocWhy.empty());
  // Risk at each coverage, lowest scores first: 0, 0, 0.1, 0.225, 0.38; AURC is their mean.
  EXPECT_NEAR(c.aurc, (0 + 0 + 0.1 + 0.225 + 0.38) / 5, 1e-12);
  const Calibration reversed = calibrate({2.5, 1.5, 0.6, 0.5, 0.4}, errors, t);
  EXPECT_GT(reversed.aurc, c.aurc) << "a score that puts the errors first covers them first";
}

// Regression (issue 21): a model that found nothing printed "Spearman nan, AUROC nan, hard/easy
// error infx". Every image is hard and wrong: each missing figure names why.
TEST(Uncertainty, CalibrationThatCannotBeComputedSaysWhy) {
  const DifficultyThresholds t{1.0, 2.0, "val"};
  const std::vector<std::optional<double>> scores(4, std::nullopt);
  const std::vector<double> errors(4, 1.0);
  const Calibration c = calibrate(scores, errors, t);
  EXPECT_TRUE(std::isnan(c.spearman));
  EXPECT_EQ(c.spearmanWhy, "every VAL image has the same error");
  EXPECT_TRUE(std::isnan(c.auroc));
  EXPECT_EQ(c.aurocWhy, "every VAL image has an error");
  EXPECT_EQ(c.ratioWhy, "no easy images");
  EXPECT_EQ(figureText(c.hardToEasyErrorRatio, 2, c.ratioWhy, "x"), "- (no easy images)");
  EXPECT_EQ(figureText(3.14159, 2, "unused", "x"), "3.14x");
  const nlohmann::json j = calibrationJson(c);
  EXPECT_TRUE(j["auroc"].is_null());
  EXPECT_EQ(j["auroc_reason"], "every VAL image has an error");
  EXPECT_EQ(j["hard_to_easy_error_ratio_reason"], "no easy images");
  EXPECT_EQ(j["bands"]["easy"]["mean_error_reason"], "no images");
  EXPECT_EQ(j.dump().find("nan"), std::string::npos);
}

TEST(Uncertainty, ImageErrorIsOneMinusF1) {
  ImageMetrics m;
  m.truePositives = 2;
  m.falsePositives = 1;
  m.falseNegatives = 1;
  EXPECT_DOUBLE_EQ(imageError(m), 1.0 - 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(imageError(ImageMetrics{}), 0.0);  // nothing there, nothing found
  m = ImageMetrics{};
  m.falseNegatives = 3;
  EXPECT_DOUBLE_EQ(imageError(m), 1.0);
}

TEST(Uncertainty, ComponentsSurviveTheStoredJson) {
  auto u = image(7, {det({{Component::kEntropy, 0.25}, {Component::kAleatoric, 0.125}}, 0.75)});
  u.detections[0].cls = 3;
  u.embedding = {0.5f, -1.25f};
  u.nearMisses = {3, 0.2, 0.5};
  Normalization n;
  n.sd.fill(1);
  const std::string json = componentsJson(u, n, CombineOptions{});
  auto back = parseComponentsJson(json, 7);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->detections.size(), 1u);
  EXPECT_EQ(back->detections[0].cls, 3);
  EXPECT_DOUBLE_EQ(back->detections[0].score, 0.75);
  EXPECT_DOUBLE_EQ(back->detections[0][Component::kEntropy], 0.25);
  EXPECT_DOUBLE_EQ(back->detections[0][Component::kAleatoric], 0.125);
  EXPECT_EQ(back->embedding, (std::vector<float>{0.5f, -1.25f}));
  EXPECT_EQ(back->nearMisses.count, 3);
  EXPECT_DOUBLE_EQ(back->nearMisses.max, 0.2);
  EXPECT_DOUBLE_EQ(back->nearMisses.mass, 0.5);
  EXPECT_EQ(parseComponentsJson(R"({"detections": []})", 7)->nearMisses.count, 0) << "scores stored before near misses";
  EXPECT_NE(json.find("\"no_detections\":false"), std::string::npos);
  EXPECT_FALSE(parseComponentsJson("[1,2", 7).ok());
}

TEST(Uncertainty, ComponentNamesRoundTrip) {
  for (int c = 0; c < kComponentCount; ++c)
    EXPECT_EQ(parseComponent(toString(static_cast<Component>(c))), static_cast<Component>(c));
  EXPECT_FALSE(parseComponent("confidence").has_value());
}

// Issue 13: "easy" means safe to accept.
TEST(SafeEasy, TheLargestLowScoreSetThatIsNinetyPercentFullyCorrect) {
  std::vector<double> scores, errors;
  for (int i = 1; i <= 20; ++i) {
    scores.push_back(i);
    // The 10 lowest hold one error (at score 5), the rest all have errors.
    errors.push_back(i == 5 || i > 10 ? 0.5 : 0.0);
  }
  const SafeEasyFit fit = fitSafeEasy(scores, errors);
  ASSERT_TRUE(fit.threshold);
  EXPECT_DOUBLE_EQ(*fit.threshold, 10.5) << "9 of 10 correct below it; 9 of 11 is too few";
  EXPECT_EQ(fit.images, 10);
  EXPECT_EQ(fit.fullyCorrect, 9);
  EXPECT_NEAR(fit.wilsonLower, 0.5959, 1e-3);
  DifficultyThresholds t;
  t.medium = *fit.threshold;
  t.hard = 15;
  std::vector<std::optional<double>> opt(scores.begin(), scores.end());
  const Calibration c = calibrate(opt, errors, t);
  EXPECT_EQ(c.bands[0].images, 10);
  EXPECT_DOUBLE_EQ(c.easyFullyCorrect, 0.9);
  EXPECT_DOUBLE_EQ(c.easyShare, 0.5);
  EXPECT_NEAR(c.easyWilsonLower, 0.5959, 1e-3);
}

TEST(SafeEasy, NothingIsEasyWhenNoSetQualifiesOrTiesWouldSplit) {
  // Four correct images and then errors: 4 of 5 is 80%, and 4 alone are fewer than 5.
  EXPECT_FALSE(fitSafeEasy({1, 2, 3, 4, 5, 6}, {0, 0, 0, 0, 1, 1}).threshold);
  EXPECT_FALSE(fitSafeEasy({}, {}).threshold);
  // Ties: a boundary never falls between equal scores, so the tied wrong images come in together.
  const auto tied = fitSafeEasy({1, 2, 3, 4, 5, 6, 6, 6}, {0, 0, 0, 0, 0, 0, 1, 1});
  ASSERT_TRUE(tied.threshold);
  EXPECT_DOUBLE_EQ(*tied.threshold, 5.5);
  // Every image correct: the whole set is easy.
  const auto all = fitSafeEasy({1, 2, 3, 4, 5}, {0, 0, 0, 0, 0});
  ASSERT_TRUE(all.threshold);
  EXPECT_GT(*all.threshold, 5);
  EXPECT_EQ(all.images, 5);
}

}  // namespace
}  // namespace quarry

namespace quarry {
namespace {

TEST(BoxUncertainty, TheCanvasReadsEachDetectionWithItsCombinedScoreAndSpread) {
  ImageUncertainty u;
  u.image = 7;
  DetectionUncertainty d;
  d.cls = 2;
  d.x = 10;
  d.y = 20;
  d.w = 30;
  d.h = 40;
  d.score = 0.6;
  d[Component::kBoxVariance] = 0.1;
  d[Component::kBald] = 0.25;
  u.detections = {d};
  Normalization n;  // identity: z = raw value
  CombineOptions o;
  const ImageScore s{1, 7, 0.5, Difficulty::kMedium, 1, componentsJson(u, n, o)};
  const auto boxes = boxUncertainties(s);
  ASSERT_TRUE(boxes.ok()) << boxes.status().message();
  ASSERT_EQ(boxes->size(), 1u);
  const BoxUncertainty& b = (*boxes)[0];
  EXPECT_DOUBLE_EQ(b.detection.x, 10);
  EXPECT_NEAR(b.combined, detectionScore(d, n, o), 1e-4);
  EXPECT_NEAR(b.spreadPixels(), 0.1 * std::sqrt(30.0 * 40.0), 1e-3);
  const std::string text = describe(b);
  EXPECT_NE(text.find("bald 0.25"), std::string::npos) << text;
  EXPECT_NE(text.find("confidence 0.60"), std::string::npos) << text;

  const ImageScore broken{1, 7, 0.5, Difficulty::kMedium, 1, "[1, 2"};
  EXPECT_EQ(boxUncertainties(broken).status().code(), StatusCode::kBadInput);
}

}  // namespace
}  // namespace quarry
