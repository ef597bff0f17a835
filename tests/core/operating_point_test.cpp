// Per-class score thresholds: how evaluate() counts with them, how fitOperatingPoint() chooses
// them, and how heldOutBoost() keeps the images that chose them out of the figure. Every
// expected number is worked out in a comment; a NEU-DET-sized fit is timed.
#include "quarry/metrics/operating_point.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "metrics/eval_input.h"
#include "quarry/al/split.h"

namespace quarry {
namespace {

constexpr ClassId kA = 11;  // ids that are not 0..n-1, so an index mix-up shows
constexpr ClassId kB = 22;
constexpr ClassId kC = 33;

GroundTruth truthBox(ImageId image, ClassId cls, double x, double y, double w, double h) {
  return {image, cls, x, y, w, h};
}
Detection detBox(ImageId image, ClassId cls, double x, double y, double w, double h, double score) {
  return {image, cls, x, y, w, h, score};
}

struct Boxes {
  std::vector<ImageId> images;
  std::vector<ClassId> classes;
  std::vector<GroundTruth> truth;
  std::vector<Detection> detections;
};

// Two classes that want different thresholds, on images of their own (so the class-agnostic
// review never matches across them):
// - image 1: six A boxes, each found exactly at score 0.9;
// - image 2: no truth, forty false A detections at score 0.3;
// - image 3: four B boxes, each found exactly at score 0.2, and nothing false.
// Review seconds (verify 1.6, delete 1, draw 10) by threshold t:
//   A: t <= 0.3: 6 x 1.6 + 40 x 1 = 49.6;  0.3 < t <= 0.9: 9.6;  t > 0.9: 6 x 10 = 60
//   B: t <= 0.2: 4 x 1.6 = 6.4;            t > 0.2: 4 x 10 = 40
// One threshold for both: t <= 0.2: 56;  0.2 < t <= 0.3: 89.6;  0.3 < t <= 0.9: 49.6;  t > 0.9: 100.
Boxes twoClassesWantingDifferentThresholds() {
  Boxes b;
  b.images = {1, 2, 3};
  b.classes = {kA, kB};
  for (int i = 0; i < 6; ++i) {
    b.truth.push_back(truthBox(1, kA, 20.0 * i, 0, 10, 10));
    b.detections.push_back(detBox(1, kA, 20.0 * i, 0, 10, 10, 0.9));
  }
  for (int i = 0; i < 40; ++i) b.detections.push_back(detBox(2, kA, 20.0 * i, 0, 10, 10, 0.3));
  for (int i = 0; i < 4; ++i) {
    b.truth.push_back(truthBox(3, kB, 20.0 * i, 0, 10, 10));
    b.detections.push_back(detBox(3, kB, 20.0 * i, 0, 10, 10, 0.2));
  }
  return b;
}

// NEU-DET's VAL in size: 360 images of 200 x 200 pixels, six classes, about 1,000 truth boxes and
// 10,000 detections at score >= 0.01 (most of them low-scored strays, as a detector decoded at
// 0.01 gives). Each class's true detections score differently, so the classes want different
// thresholds.
Boxes neuDetSized(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Boxes b;
  b.classes = {101, 102, 103, 104, 105, 106};
  for (ImageId image = 1; image <= 360; ++image) {
    b.images.push_back(image);
    const int nTruth = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < nTruth; ++k) {
      const std::size_t c = rng() % b.classes.size();
      const GroundTruth g = truthBox(image, b.classes[c], 150 * u(rng), 150 * u(rng), 20 + 30 * u(rng),
                                     20 + 30 * u(rng));
      b.truth.push_back(g);
      if (u(rng) < 0.85) {
        const ClassId cls = u(rng) < 0.9 ? g.cls : b.classes[rng() % b.classes.size()];
        const double score = std::min(1.0, 0.1 * static_cast<double>(c) + 0.4 * u(rng) + 0.1);
        b.detections.push_back(detBox(image, cls, g.x + 6 * (u(rng) - 0.5), g.y + 6 * (u(rng) - 0.5),
                                      g.w + 6 * (u(rng) - 0.5), g.h + 6 * (u(rng) - 0.5), score));
      }
    }
    for (int k = 0; k < 25; ++k) {
      const double v = u(rng);
      b.detections.push_back(detBox(image, b.classes[rng() % b.classes.size()], 180 * u(rng), 180 * u(rng),
                                    10 + 40 * u(rng), 10 + 40 * u(rng), 0.01 + 0.6 * v * v * v));
    }
  }
  return b;
}

bool sameNumber(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void expectSameActions(const ReviewActions& a, const ReviewActions& b, const std::string& where) {
  EXPECT_EQ(a.verify, b.verify) << where;
  EXPECT_EQ(a.adjust, b.adjust) << where;
  EXPECT_EQ(a.remove, b.remove) << where;
  EXPECT_EQ(a.draw, b.draw) << where;
}

// The review half of two results: per image, the totals and the confusion matrix.
void expectSameReview(const EvalResult& a, const EvalResult& b) {
  EXPECT_EQ(a.confusion, b.confusion);
  ASSERT_EQ(a.perImage.size(), b.perImage.size());
  for (std::size_t i = 0; i < a.perImage.size(); ++i) {
    const std::string where = "image " + std::to_string(a.perImage[i].image);
    EXPECT_EQ(a.perImage[i].image, b.perImage[i].image) << where;
    expectSameActions(a.perImage[i].actions, b.perImage[i].actions, where);
    EXPECT_EQ(a.perImage[i].reviewSeconds, b.perImage[i].reviewSeconds) << where;
    EXPECT_EQ(a.perImage[i].manualSeconds, b.perImage[i].manualSeconds) << where;
  }
  expectSameActions(a.actions, b.actions, "totals");
  EXPECT_EQ(a.reviewSeconds, b.reviewSeconds);
  EXPECT_EQ(a.manualSeconds, b.manualSeconds);
  EXPECT_TRUE(sameNumber(a.efficiencyBoost, b.efficiencyBoost));
  EXPECT_EQ(a.ignoredTruth, b.ignoredTruth);
  EXPECT_EQ(a.ignoredDetections, b.ignoredDetections);
}

// Every field, bit for bit (NaN equal to NaN).
void expectSameEvaluation(const EvalResult& a, const EvalResult& b) {
  expectSameReview(a, b);
  ASSERT_EQ(a.perClass.size(), b.perClass.size());
  for (std::size_t c = 0; c < a.perClass.size(); ++c) {
    const ClassMetrics &x = a.perClass[c], &y = b.perClass[c];
    EXPECT_EQ(x.cls, y.cls);
    EXPECT_EQ(x.groundTruth, y.groundTruth) << x.cls;
    EXPECT_EQ(x.truePositives, y.truePositives) << x.cls;
    EXPECT_EQ(x.falsePositives, y.falsePositives) << x.cls;
    EXPECT_EQ(x.falseNegatives, y.falseNegatives) << x.cls;
    EXPECT_TRUE(sameNumber(x.precision, y.precision)) << x.cls;
    EXPECT_TRUE(sameNumber(x.recall, y.recall)) << x.cls;
    EXPECT_TRUE(sameNumber(x.ap50, y.ap50)) << x.cls;
    EXPECT_TRUE(sameNumber(x.ap50to95, y.ap50to95)) << x.cls;
  }
  EXPECT_TRUE(sameNumber(a.map50, b.map50));
  EXPECT_TRUE(sameNumber(a.map50to95, b.map50to95));
  for (std::size_t i = 0; i < a.perImage.size() && i < b.perImage.size(); ++i) {
    EXPECT_EQ(a.perImage[i].truePositives, b.perImage[i].truePositives);
    EXPECT_EQ(a.perImage[i].falsePositives, b.perImage[i].falsePositives);
    EXPECT_EQ(a.perImage[i].falseNegatives, b.perImage[i].falseNegatives);
  }
}

// ---- evaluate() with per-class thresholds ------------------------------------------------

TEST(ClassScoreThresholds, EachClassCountsItsDetectionsAtItsOwnThreshold) {
  // One image; A is listed above its detection's score, B is not listed (global 0.25), C is
  // listed exactly at its detection's score. A's second entry is a repeat and is ignored.
  const std::vector<GroundTruth> truth = {truthBox(1, kA, 0, 0, 10, 10), truthBox(1, kB, 20, 0, 10, 10),
                                          truthBox(1, kC, 60, 0, 10, 10)};
  const std::vector<Detection> dets = {
      detBox(1, kA, 0, 0, 10, 10, 0.3),   // 0.3 < 0.5: hidden
      detBox(1, kB, 20, 0, 10, 10, 0.3),  // 0.3 >= 0.25: a hit
      detBox(1, kB, 40, 0, 10, 10, 0.3),  // 0.3 >= 0.25: on nothing
      detBox(1, kC, 60, 0, 10, 10, 0.1),  // 0.1 >= 0.1: a hit, at exactly the threshold
  };
  EvalOptions o;
  o.classScoreThresholds = {{kA, 0.5}, {kC, 0.1}, {kA, 0.05}};
  EXPECT_EQ(scoreThresholdOf(o, kA), 0.5);
  EXPECT_EQ(scoreThresholdOf(o, kB), 0.25);
  EXPECT_EQ(scoreThresholdOf(o, kC), 0.1);

  const EvalResult r = evaluate({1}, {kA, kB, kC}, truth, dets, o);
  const ClassMetrics &a = r.perClass.at(0), &b = r.perClass.at(1), &c = r.perClass.at(2);
  EXPECT_EQ(a.truePositives, 0);
  EXPECT_EQ(a.falsePositives, 0);
  EXPECT_EQ(a.falseNegatives, 1);
  EXPECT_TRUE(std::isnan(a.precision));
  EXPECT_EQ(b.truePositives, 1);
  EXPECT_EQ(b.falsePositives, 1);
  EXPECT_DOUBLE_EQ(b.precision, 0.5);
  EXPECT_EQ(c.truePositives, 1);
  EXPECT_DOUBLE_EQ(c.recall, 1.0);
  // AP uses every detection, thresholds or not: each class's best-scored detection is a hit.
  EXPECT_DOUBLE_EQ(a.ap50, 1.0);
  EXPECT_DOUBLE_EQ(b.ap50, 1.0);
  EXPECT_DOUBLE_EQ(c.ap50, 1.0);
  // Review: A drawn 10 s, B verified 1.6 s and its stray deleted 1 s, C verified 1.6 s = 14.2 s.
  EXPECT_EQ(r.actions.verify, 2);
  EXPECT_EQ(r.actions.remove, 1);
  EXPECT_EQ(r.actions.draw, 1);
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 14.2);
  // rows true A, B, C, background; columns predicted A, B, C, background
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{0, 0, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}}));
  EXPECT_EQ(r.perImage.at(0).truePositives, 2);
  EXPECT_EQ(r.perImage.at(0).falsePositives, 1);
  EXPECT_EQ(r.perImage.at(0).falseNegatives, 1);
}

TEST(ClassScoreThresholds, NoneListedGivesExactlyTheResultOfTheGlobalThreshold) {
  // Empty, every class listed at the global threshold, and only classes outside `classes`
  // listed must all be the same evaluation, field for field.
  const Boxes b = neuDetSized(7);
  EvalOptions none;
  none.scoreThreshold = 0.3;
  EvalOptions everyClass = none, strangers = none;
  for (ClassId cls : b.classes) everyClass.classScoreThresholds.emplace_back(cls, 0.3);
  strangers.classScoreThresholds = {{999, 0.9}, {-1, 0.0}};
  const EvalResult reference = evaluate(b.images, b.classes, b.truth, b.detections, none);
  {
    SCOPED_TRACE("every class listed at the global threshold");
    expectSameEvaluation(reference, evaluate(b.images, b.classes, b.truth, b.detections, everyClass));
  }
  {
    SCOPED_TRACE("only classes that are not evaluated listed");
    expectSameEvaluation(reference, evaluate(b.images, b.classes, b.truth, b.detections, strangers));
  }
}

TEST(ClassScoreThresholds, TheReviewOnlyPathAgreesWithEvaluate) {
  const Boxes b = neuDetSized(3);
  EvalOptions o;
  o.classScoreThresholds = {{101, 0.05}, {103, 0.6}, {106, 0.35}};
  const EvalResult full = evaluate(b.images, b.classes, b.truth, b.detections, o);
  const EvalResult review =
      detail::evaluateReview(detail::indexInput(b.images, b.classes, b.truth, b.detections), o);
  expectSameReview(full, review);
  EXPECT_TRUE(review.perClass.empty());
  EXPECT_TRUE(std::isnan(review.map50));
}

// ---- fitOperatingPoint() -----------------------------------------------------------------

TEST(OperatingPoint, EachClassGetsTheThresholdThatCostsItsReviewTheLeast) {
  const Boxes b = twoClassesWantingDifferentThresholds();
  OperatingPointOptions o;
  o.minBoxesPerClass = 4;
  const OperatingPoint p = fitOperatingPoint(b.images, b.classes, b.truth, b.detections, o);
  // Global: 49.6 s anywhere in 0.35 .. 0.90, the lowest of them wins.
  EXPECT_EQ(p.globalThreshold, 0.35);
  EXPECT_DOUBLE_EQ(p.globalReviewSeconds, 49.6);
  // A stays above its false detections; B goes down to its true ones, which the global 0.35
  // (or the default 0.25) throws away: 0.05 is the lowest of the equally good 0.05 .. 0.20.
  EXPECT_EQ(p.perClass, (std::vector<std::pair<ClassId, double>>{{kA, 0.35}, {kB, 0.05}}));
  EXPECT_TRUE(p.fallback.empty());
  // 9.6 + 6.4 = 16 s against 10 x 10 s by hand.
  EXPECT_DOUBLE_EQ(p.reviewSeconds, 16.0);
  EXPECT_DOUBLE_EQ(p.manualSeconds, 100.0);
  EXPECT_DOUBLE_EQ(p.efficiencyBoost, 100.0 / 16.0);
  // 19 global tries, 2 sweeps x 2 classes x 18 other values, 1 final review.
  EXPECT_EQ(p.evaluations, 19 + 2 * 2 * 18 + 1);

  // evaluate() at the operating point sees what the fit saw, and finds every B box.
  const EvalResult r = evaluate(b.images, b.classes, b.truth, b.detections, withOperatingPoint(EvalOptions{}, p));
  EXPECT_DOUBLE_EQ(r.reviewSeconds, p.reviewSeconds);
  EXPECT_DOUBLE_EQ(r.perClass.at(1).recall, 1.0);
  EXPECT_EQ(r.perClass.at(0).falsePositives, 0);
  EvalOptions global;
  global.scoreThreshold = p.globalThreshold;
  EXPECT_DOUBLE_EQ(evaluate(b.images, b.classes, b.truth, b.detections, global).perClass.at(1).recall, 0.0);
}

TEST(OperatingPoint, AClassWithTooFewBoxesKeepsTheGlobalThresholdAndIsListedAsFallback) {
  const Boxes b = twoClassesWantingDifferentThresholds();
  OperatingPointOptions o;
  o.minBoxesPerClass = 5;  // A has 6 boxes, B 4
  const OperatingPoint p = fitOperatingPoint(b.images, b.classes, b.truth, b.detections, o);
  EXPECT_EQ(p.globalThreshold, 0.35);
  EXPECT_EQ(p.perClass, (std::vector<std::pair<ClassId, double>>{{kA, 0.35}, {kB, 0.35}}));
  EXPECT_EQ(p.fallback, (std::vector<ClassId>{kB}));
  EXPECT_DOUBLE_EQ(p.reviewSeconds, 49.6);
}

TEST(OperatingPoint, AClassWhoseThresholdChangesNothingKeepsTheGlobalOne) {
  // C has four boxes on an image of its own and no detections: every threshold costs it 40 s,
  // so nothing is strictly better than where it starts.
  Boxes b = twoClassesWantingDifferentThresholds();
  b.images.push_back(4);
  b.classes.push_back(kC);
  for (int i = 0; i < 4; ++i) b.truth.push_back(truthBox(4, kC, 20.0 * i, 0, 10, 10));
  OperatingPointOptions o;
  o.minBoxesPerClass = 4;
  const OperatingPoint p = fitOperatingPoint(b.images, b.classes, b.truth, b.detections, o);
  EXPECT_EQ(p.perClass, (std::vector<std::pair<ClassId, double>>{{kA, 0.35}, {kB, 0.05}, {kC, 0.35}}));
  EXPECT_DOUBLE_EQ(p.reviewSeconds, 56.0);  // 16 + 4 x 10
}

TEST(OperatingPoint, OnEqualSecondsTheLowestThresholdWins) {
  // Every box found exactly at 0.2 and nothing false: 0.05 .. 0.20 all cost 4 x 1.6 s.
  std::vector<GroundTruth> truth;
  std::vector<Detection> dets;
  for (int i = 0; i < 4; ++i) {
    truth.push_back(truthBox(1, kA, 20.0 * i, 0, 10, 10));
    dets.push_back(detBox(1, kA, 20.0 * i, 0, 10, 10, 0.2));
  }
  const OperatingPoint p = fitOperatingPoint({1}, {kA}, truth, dets);
  EXPECT_EQ(p.globalThreshold, 0.05);
  EXPECT_DOUBLE_EQ(p.reviewSeconds, 6.4);
}

TEST(OperatingPoint, TheGridIsTriedSortedWithoutRepeatsOrNonFiniteValues) {
  const Boxes b = twoClassesWantingDifferentThresholds();
  OperatingPointOptions o;
  o.minBoxesPerClass = 4;
  o.grid = {0.9, std::nan(""), 0.35, 0.35, INFINITY, 0.05};
  const OperatingPoint p = fitOperatingPoint(b.images, b.classes, b.truth, b.detections, o);
  // Of 0.05 (56 s), 0.35 (49.6 s) and 0.90 (49.6 s) the global is 0.35; B then goes to 0.05.
  EXPECT_EQ(p.globalThreshold, 0.35);
  EXPECT_EQ(p.perClass, (std::vector<std::pair<ClassId, double>>{{kA, 0.35}, {kB, 0.05}}));
  EXPECT_EQ(p.evaluations, 3 + 2 * 2 * 2 + 1);
}

TEST(OperatingPoint, NothingToReviewGivesTheLowestGridValueToEveryClass) {
  const OperatingPoint p = fitOperatingPoint({}, {kA, kB}, {}, {});
  EXPECT_EQ(p.globalThreshold, 0.05);
  EXPECT_EQ(p.perClass, (std::vector<std::pair<ClassId, double>>{{kA, 0.05}, {kB, 0.05}}));
  EXPECT_EQ(p.fallback, (std::vector<ClassId>{kA, kB}));  // no boxes at all
  EXPECT_DOUBLE_EQ(p.efficiencyBoost, 1.0);
}

TEST(OperatingPoint, ANeuDetSizedFitTakesUnderASecond) {
  const Boxes b = neuDetSized(1);
  const auto start = std::chrono::steady_clock::now();
  const OperatingPoint p = fitOperatingPoint(b.images, b.classes, b.truth, b.detections);
  const double fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto start2 = std::chrono::steady_clock::now();
  const EvalResult full = evaluate(b.images, b.classes, b.truth, b.detections);
  const double evalSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count();
  std::printf("[  timing  ] %zu images, %zu truth boxes, %zu detections: fit %.3f s for %d review-only "
              "evaluations (%.2f ms each); one full evaluate() %.2f ms\n",
              b.images.size(), b.truth.size(), b.detections.size(), fitSeconds, p.evaluations,
              1000.0 * fitSeconds / p.evaluations, 1000.0 * evalSeconds);
  std::printf("[  timing  ] global %.2f, review %.0f s -> %.0f s, boost %.2fx (evaluate() at 0.25: %.2fx)\n",
              p.globalThreshold, p.globalReviewSeconds, p.reviewSeconds, p.efficiencyBoost, full.efficiencyBoost);
  RecordProperty("fit_seconds", std::to_string(fitSeconds));
  EXPECT_GT(b.truth.size(), 900u);
  EXPECT_GT(b.detections.size(), 9000u);
  EXPECT_LE(p.reviewSeconds, p.globalReviewSeconds);  // descent starts at the global and never climbs
  // Measured at about 0.03 s (Release, on the 2-core build machine); the bound leaves room for a
  // loaded machine or a debug build.
  EXPECT_LT(fitSeconds, 1.0);
}

// ---- heldOutBoost() ----------------------------------------------------------------------

// Ten images of one A box each. The split is the documented one (seededShuffle with seed 1,
// first half A), so halfA's images can be made to want a low threshold and halfB's a high one:
// - halfA: the box found exactly at 0.2, nothing false -> fitA: 0.05 (1.6 s an image);
// - halfB: the box found exactly at 0.9 and a false detection at 0.3 -> fitB: 0.35 (1.6 s).
struct HalvesThatDisagree {
  std::vector<ImageId> images = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<ImageId> order;  // the seeded shuffle: its first five are halfA
  std::vector<GroundTruth> truth;
  std::vector<Detection> dets;
  HalvesThatDisagree() : order(images) {
    seededShuffle(order, 1);
    for (std::size_t i = 0; i < order.size(); ++i) {
      truth.push_back(truthBox(order[i], kA, 0, 0, 10, 10));
      if (i < 5) {
        dets.push_back(detBox(order[i], kA, 0, 0, 10, 10, 0.2));
      } else {
        dets.push_back(detBox(order[i], kA, 0, 0, 10, 10, 0.9));
        dets.push_back(detBox(order[i], kA, 50, 50, 10, 10, 0.3));
      }
    }
  }
};

TEST(HeldOutBoost, EachHalfIsJudgedAtTheThresholdsTheOtherHalfChose) {
  const HalvesThatDisagree c;
  const auto& [images, order, truth, dets] = c;
  OperatingPointOptions o;
  o.minBoxesPerClass = 1;
  const HeldOutBoost h = heldOutBoost(images, {kA}, truth, dets, o, 1);
  EXPECT_EQ(h.halfA, std::vector<ImageId>(order.begin(), order.begin() + 5));
  EXPECT_EQ(h.halfB, std::vector<ImageId>(order.begin() + 5, order.end()));
  EXPECT_EQ(h.fitA.globalThreshold, 0.05);
  EXPECT_EQ(h.fitB.globalThreshold, 0.35);
  EXPECT_DOUBLE_EQ(h.fitA.reviewSeconds, 8.0);  // in-sample, 5 x 1.6: not the figure
  EXPECT_DOUBLE_EQ(h.fitB.reviewSeconds, 8.0);
  // halfB at 0.05 shows its false boxes: 5 x (1.6 + 1) = 13 s. halfA at 0.35 hides its true
  // boxes: 5 x 10 = 50 s. Boost 100 / 63, where in-sample it would be 100 / 16.
  EXPECT_DOUBLE_EQ(h.reviewSecondsB, 13.0);
  EXPECT_DOUBLE_EQ(h.reviewSecondsA, 50.0);
  EXPECT_DOUBLE_EQ(h.reviewSeconds, 63.0);
  EXPECT_DOUBLE_EQ(h.manualSeconds, 100.0);
  EXPECT_DOUBLE_EQ(h.boost, 100.0 / 63.0);
  // The same as evaluate() on each half at the other half's fit.
  EXPECT_DOUBLE_EQ(evaluate(h.halfB, {kA}, truth, dets, withOperatingPoint(EvalOptions{}, h.fitA)).reviewSeconds,
                   h.reviewSecondsB);
  EXPECT_DOUBLE_EQ(evaluate(h.halfA, {kA}, truth, dets, withOperatingPoint(EvalOptions{}, h.fitB)).reviewSeconds,
                   h.reviewSecondsA);
  // And not the figure of one fit on all ten images: 0.05, 5 x 1.6 + 13 = 21 s, boost 100 / 21.
  const OperatingPoint all = fitOperatingPoint(images, {kA}, truth, dets, o);
  EXPECT_DOUBLE_EQ(all.efficiencyBoost, 100.0 / 21.0);
  EXPECT_NE(h.boost, all.efficiencyBoost);
}

TEST(HeldOutBoost, TheHalvesShareNoImageAndCoverEveryOneOnce) {
  const Boxes b = neuDetSized(5);
  std::vector<ImageId> withRepeats = b.images;
  withRepeats.push_back(b.images.front());
  const HeldOutBoost h = heldOutBoost(withRepeats, b.classes, b.truth, b.detections, {}, 42);
  EXPECT_EQ(h.halfA.size(), 180u);
  EXPECT_EQ(h.halfB.size(), 180u);
  std::vector<ImageId> both = h.halfA;
  both.insert(both.end(), h.halfB.begin(), h.halfB.end());
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, b.images);
  // Manual seconds do not depend on thresholds: both halves together are the whole set.
  EXPECT_DOUBLE_EQ(h.manualSeconds, evaluate(b.images, b.classes, b.truth, b.detections).manualSeconds);
  EXPECT_DOUBLE_EQ(h.boost, h.manualSeconds / h.reviewSeconds);
  // Another seed is another split, and the same seed the same one.
  EXPECT_NE(heldOutBoost(b.images, b.classes, b.truth, b.detections, {}, 43).halfA, h.halfA);
  EXPECT_EQ(heldOutBoost(b.images, b.classes, b.truth, b.detections, {}, 42).halfA, h.halfA);
}

TEST(HeldOutBoost, FewerThanTwoImagesHaveNoHeldOutFigure) {
  const HeldOutBoost h = heldOutBoost({1, 1}, {kA}, {truthBox(1, kA, 0, 0, 10, 10)}, {});
  EXPECT_TRUE(std::isnan(h.boost));
  EXPECT_DOUBLE_EQ(h.reviewSeconds, 0.0);
  EXPECT_TRUE(h.halfA.empty());
  EXPECT_TRUE(h.halfB.empty());
}

// ---- heldOutEvaluation() -------------------------------------------------------------------

// HalvesThatDisagree as a whole evaluation: the threshold-dependent figures come from the
// held-out halves, AP from every image.
TEST(HeldOutEvaluation, CountsEachHalfAtTheOtherHalfsThresholdsAndKeepsTheAp) {
  const HalvesThatDisagree c;
  const auto& [images, order, truth, dets] = c;
  OperatingPointOptions o;
  o.minBoxesPerClass = 1;
  HeldOutBoost held;
  const EvalResult r = heldOutEvaluation(images, {kA}, truth, dets, o, 1, &held);
  // halfA (true boxes at 0.2) at fitB's 0.35: 5 misses. halfB at fitA's 0.05: 5 hits, 5 false.
  ASSERT_EQ(r.perClass.size(), 1u);
  EXPECT_EQ(r.perClass[0].truePositives, 5);
  EXPECT_EQ(r.perClass[0].falsePositives, 5);
  EXPECT_EQ(r.perClass[0].falseNegatives, 5);
  EXPECT_DOUBLE_EQ(r.perClass[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(r.perClass[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 63.0);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 100.0 / 63.0);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, held.boost);
  EXPECT_EQ(r.actions.draw, 5);
  EXPECT_EQ(r.actions.remove, 5);
  const EvalResult all = evaluate(images, {kA}, truth, dets);
  EXPECT_DOUBLE_EQ(r.map50, all.map50);
  EXPECT_EQ(r.perImage.size(), images.size());
}

}  // namespace
}  // namespace quarry
