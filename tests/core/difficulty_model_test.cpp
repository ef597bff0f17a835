// The learned difficulty on hand-built features whose answer is known: it finds the features that
// carry the error and their signs, its out-of-fold predictions do not see their own answers, it
// refuses what it cannot learn from, and the automatic choice takes it only when it ranks better.
#include "quarry/al/difficulty_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "quarry/core/stats.h"

namespace quarry {
namespace {

// A reproducible uniform draw in [-1, 1) (SplitMix64), the same on every standard library.
class Draw {
 public:
  explicit Draw(std::uint64_t seed) : state_(seed) {}
  double operator()() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-52 - 1.0;
  }

 private:
  std::uint64_t state_;
};

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// n images with three features: the error rises with the first, falls with the second and
// ignores the third.
void knownCase(int n, std::vector<std::vector<double>>* x, std::vector<double>* y) {
  Draw draw(42);
  for (int i = 0; i < n; ++i) {
    const double a = draw(), b = draw(), noise = draw();
    x->push_back({a, b, noise});
    y->push_back(sigmoid(3 * a - 2 * b - 0.5));
  }
}

TEST(DifficultyModel, FindsTheFeaturesThatCarryTheErrorWithTheirSigns) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  knownCase(200, &x, &y);
  auto fit = fitDifficultyModel(x, y);
  ASSERT_TRUE(fit.has_value());
  const auto& w = fit->model.weights;
  ASSERT_EQ(w.size(), 3u);
  EXPECT_GT(w[0], 0.5);
  EXPECT_LT(w[1], -0.5);
  EXPECT_LT(std::fabs(w[2]), 0.2 * w[0]) << "the noise feature must not matter";
  EXPECT_GT(std::fabs(w[0]), std::fabs(w[1])) << "the first feature carries more";
  ASSERT_EQ(fit->outOfFold.size(), y.size());
  EXPECT_GT(stats::spearman(fit->outOfFold, y), 0.95);
  // The model predicts errors as shares: close to the truth on a new image.
  EXPECT_NEAR(fit->model.predict({0.5, -0.5, 0.9}), sigmoid(1.5 + 1 - 0.5), 0.05);
  EXPECT_NEAR(fit->model.predict({}), sigmoid(fit->model.bias), 1e-12) << "features of the wrong length";
}

TEST(DifficultyModel, OutOfFoldPredictionsDoNotSeeTheirOwnAnswers) {
  // Errors unrelated to the features: a model that memorised them would still rank them in
  // sample; out of fold it cannot.
  Draw draw(7);
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int i = 0; i < 120; ++i) {
    std::vector<double> row;
    for (int j = 0; j < 10; ++j) row.push_back(draw());
    x.push_back(row);
    y.push_back((draw() + 1) / 2);
  }
  auto fit = fitDifficultyModel(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(stats::spearman(fit->outOfFold, y), 0.25);
  // The same model judged on the images it was fitted on does see them: that is what leaks.
  std::vector<double> inSample;
  for (const auto& row : x) inSample.push_back(fit->model.predict(row));
  EXPECT_GT(stats::spearman(inSample, y), stats::spearman(fit->outOfFold, y));
}

TEST(DifficultyModel, RefusesWhatItCannotLearnFrom) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  knownCase(19, &x, &y);
  EXPECT_FALSE(fitDifficultyModel(x, y).has_value()) << "fewer than 4 images per fold";
  knownCase(40, &x, &y);
  EXPECT_TRUE(fitDifficultyModel(x, y).has_value());
  auto ragged = x;
  ragged[3].pop_back();
  EXPECT_FALSE(fitDifficultyModel(ragged, y).has_value()) << "features of unequal length";
  EXPECT_FALSE(fitDifficultyModel(x, std::vector<double>(x.size(), 0.0)).has_value()) << "every image correct";
}

TEST(DifficultyModel, TheAutomaticChoiceTakesTheLearnedScoreOnlyWhenItRanksBetter) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  knownCase(200, &x, &y);
  // A fixed score that ranks by the wrong feature loses to the model...
  std::vector<double> wrong, right;
  for (const auto& row : x) {
    wrong.push_back(row[2]);
    right.push_back(3 * row[0] - 2 * row[1]);
  }
  const CombinationChoice learned = chooseCombination("auto", wrong, x, y, "VAL");
  EXPECT_TRUE(learned.learned);
  EXPECT_LT(learned.learnedAurc, learned.fixedAurc);
  EXPECT_EQ(learned.why.rfind("learned: on 200 VAL images", 0), 0u) << learned.why;
  // ...and a fixed score that is already the true order keeps it (the model cannot rank better
  // than exactly, and its out-of-fold estimate is a little worse).
  const CombinationChoice fixed = chooseCombination("auto", right, x, y, "VAL");
  EXPECT_FALSE(fixed.learned) << fixed.why;
  EXPECT_TRUE(fixed.fit.has_value());
  EXPECT_TRUE(chooseCombination("learned", right, x, y, "VAL").learned) << "asked for";
  EXPECT_FALSE(chooseCombination("fixed", wrong, x, y, "VAL").fit.has_value()) << "fixed never fits";
  std::vector<std::vector<double>> few(x.begin(), x.begin() + 10);
  const CombinationChoice tooFew =
      chooseCombination("learned", std::vector<double>(10, 0.0), few, std::vector<double>(y.begin(), y.begin() + 10), "VAL1");
  EXPECT_FALSE(tooFew.learned);
  EXPECT_NE(tooFew.why.find("10 VAL1 images with detections are too few"), std::string::npos) << tooFew.why;
}

TEST(DifficultyModel, TheFeaturesSummariseTheDetectionsAndTheNearMisses) {
  ImageUncertainty u;
  DetectionUncertainty a, b;
  a.cls = 1;
  a.score = 0.9;
  a[Component::kEntropy] = 2;
  b.cls = 2;
  b.score = 0.3;
  b[Component::kEntropy] = 4;
  u.detections = {a, b};
  u.nearMisses = {3, 0.2, 0.45};
  Normalization n;  // the identity: z = raw value
  const auto f = difficultyFeatures(u, n);
  const auto& names = difficultyFeatureNames();
  ASSERT_EQ(f.size(), names.size());
  auto at = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return f[i];
    ADD_FAILURE() << "no feature " << name;
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(at("max_entropy"), 4);
  EXPECT_DOUBLE_EQ(at("mean_entropy"), 3);
  EXPECT_DOUBLE_EQ(at("log_detections"), std::log1p(2.0));
  EXPECT_DOUBLE_EQ(at("top_score"), 0.9);
  EXPECT_DOUBLE_EQ(at("mean_score"), 0.6);
  EXPECT_DOUBLE_EQ(at("lowest_score"), 0.3);
  EXPECT_DOUBLE_EQ(at("classes"), 2);
  EXPECT_DOUBLE_EQ(at("log_near_misses"), std::log1p(3.0));
  EXPECT_DOUBLE_EQ(at("near_miss_max"), 0.2);
  EXPECT_DOUBLE_EQ(at("near_miss_mass"), 0.45);
}

}  // namespace
}  // namespace quarry
