// The evaluation module: IoU, greedy matching, 101-point AP, counts, the confusion matrix, the
// review effort, and reading COCO results. Every expected number is worked out in a comment.
#include "quarry/metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"

namespace quarry {
namespace {

constexpr ClassId kA = 11;  // ids that are not 0..n-1, so an index mix-up shows
constexpr ClassId kB = 22;
// AP adds up to 101 precisions, so a hand-computed fraction can be a few ulps away.
constexpr double kApTolerance = 1e-12;

GroundTruth truthBox(ImageId image, ClassId cls, double x, double y, double w, double h) {
  return {image, cls, x, y, w, h};
}
Detection detBox(ImageId image, ClassId cls, double x, double y, double w, double h, double score) {
  return {image, cls, x, y, w, h, score};
}

// ---- IoU and matching ----------------------------------------------------------------------

TEST(Iou, OfIdenticalDisjointTouchingAndOverlappingBoxes) {
  struct Case {
    const char* what;
    Rect a, b;
    double expected;
  };
  const Case cases[] = {
      {"identical", {0, 0, 10, 10}, {0, 0, 10, 10}, 1.0},
      {"disjoint", {0, 0, 10, 10}, {20, 20, 10, 10}, 0.0},
      {"touching edges", {0, 0, 10, 10}, {10, 0, 10, 10}, 0.0},
      // overlap 5 x 10 = 50; union 100 + 100 - 50 = 150
      {"half shifted", {0, 0, 10, 10}, {5, 0, 10, 10}, 50.0 / 150.0},
      // the lower half inside the whole: 50 / 100
      {"half inside", {0, 0, 10, 10}, {0, 0, 10, 5}, 0.5},
      {"zero width", {0, 0, 0, 10}, {0, 0, 10, 10}, 0.0},
      {"negative height", {0, 0, 10, -10}, {0, -10, 10, 10}, 0.0},
  };
  for (const Case& c : cases) {
    EXPECT_DOUBLE_EQ(iou(c.a, c.b), c.expected) << c.what;
    EXPECT_DOUBLE_EQ(iou(c.b, c.a), c.expected) << c.what << " (swapped)";
  }
}

TEST(Iou, GreedyMatchingTakesTheBestUnmatchedTruthAndTheEarlierOneOnTies) {
  const std::vector<Rect> truth = {{0, 0, 10, 10}, {0, 0, 10, 10}, {3, 0, 10, 10}};
  // Three detections on the first box: the two identical truth boxes go first, in order; the third
  // detection is left the shifted box at IoU 70 / 130 = 0.54, which passes 0.5 but not 0.6.
  const std::vector<Rect> dets = {{0, 0, 10, 10}, {0, 0, 10, 10}, {0, 0, 10, 10}};
  EXPECT_EQ(matchGreedy(dets, truth, 0.5), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(matchGreedy(dets, truth, 0.6), (std::vector<int>{0, 1, -1}));
  // Exactly at the threshold matches: 50 / 100 = 0.5 >= 0.5.
  EXPECT_EQ(matchGreedy({{0, 0, 10, 5}}, {{0, 0, 10, 10}}, 0.5), (std::vector<int>{0}));
  EXPECT_EQ(matchGreedy({}, truth, 0.5), (std::vector<int>{}));
  // Boxes that do not overlap never match, even at threshold 0.
  EXPECT_EQ(matchGreedy({{50, 50, 5, 5}}, {{0, 0, 10, 10}}, 0.0), (std::vector<int>{-1}));
}

// ---- AP on match flags ---------------------------------------------------------------------

TEST(AveragePrecision, OfHandComputedCurves) {
  struct Case {
    const char* what;
    std::vector<bool> tp;  // in score order
    int groundTruth;
    double expected;
  };
  const Case cases[] = {
      {"no detections", {}, 1, 0.0},
      {"one hit", {true}, 1, 1.0},
      // precision 1, 1/2; recall 1 is reached at the first, envelope 1 there: every point is 1
      {"hit then miss", {true, false}, 1, 1.0},
      // precision 0, 1/2 -> envelope 1/2, 1/2; every recall point reads 1/2
      {"miss then hit", {false, true}, 1, 0.5},
      // recall 1/2: points k with 100 >= 2k, k = 0..50, read 1; 51..100 read 0 -> 51 / 101
      {"half the truth", {true}, 2, 51.0 / 101.0},
      // tp 1,1,2,2 of 3; precision 1, 1/2, 2/3, 1/2 -> envelope 1, 2/3, 2/3, 1/2.
      // k = 0..33 (100 >= 3k) read 1: 34; k = 34..66 (200 >= 3k) read 2/3: 33 * 2/3 = 22;
      // k = 67..100 never reached: 0. AP = (34 + 22) / 101 = 56 / 101.
      {"three truth, four detections", {true, false, true, false}, 3, 56.0 / 101.0},
  };
  for (const Case& c : cases) EXPECT_NEAR(averagePrecision(c.tp, c.groundTruth), c.expected, kApTolerance) << c.what;
  EXPECT_TRUE(std::isnan(averagePrecision({false}, 0)));
}

TEST(AveragePrecision, MeanLeavesOutNan) {
  const double nan = std::nan("");
  EXPECT_DOUBLE_EQ(meanIgnoringNan({1.0, nan, 0.5}), 0.75);
  EXPECT_TRUE(std::isnan(meanIgnoringNan({nan})));
  EXPECT_TRUE(std::isnan(meanIgnoringNan({})));
}

// ---- evaluate() ----------------------------------------------------------------------------

TEST(Metrics, PerfectPredictionsScoreOneAndReviewOnlyVerifies) {
  const std::vector<GroundTruth> truth = {truthBox(1, kA, 10, 10, 20, 20), truthBox(1, kB, 50, 50, 30, 10),
                                          truthBox(2, kA, 0, 0, 5, 5)};
  std::vector<Detection> dets;
  for (const auto& g : truth) dets.push_back(detBox(g.image, g.cls, g.x, g.y, g.w, g.h, 0.9));
  const EvalResult r = evaluate({1, 2}, {kA, kB}, truth, dets);

  ASSERT_EQ(r.perClass.size(), 2u);
  EXPECT_EQ(r.perClass[0].cls, kA);
  EXPECT_EQ(r.perClass[0].truePositives, 2);
  EXPECT_EQ(r.perClass[1].truePositives, 1);
  for (const ClassMetrics& c : r.perClass) {
    EXPECT_EQ(c.falsePositives, 0);
    EXPECT_EQ(c.falseNegatives, 0);
    EXPECT_DOUBLE_EQ(c.precision, 1.0);
    EXPECT_DOUBLE_EQ(c.recall, 1.0);
    EXPECT_DOUBLE_EQ(c.ap50, 1.0);
    EXPECT_DOUBLE_EQ(c.ap50to95, 1.0);
  }
  EXPECT_DOUBLE_EQ(r.map50, 1.0);
  EXPECT_DOUBLE_EQ(r.map50to95, 1.0);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{2, 0, 0}, {0, 1, 0}, {0, 0, 0}}));
  // manual 3 x 10 s = 30 s; review 3 x 1.6 s = 4.8 s; 30 / 4.8 = 10 / 1.6 = 6.25
  EXPECT_EQ(r.actions.verify, 3);
  EXPECT_DOUBLE_EQ(r.manualSeconds, 30.0);
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 4.8);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 6.25);
}

TEST(Metrics, NoPredictionsCostAsMuchAsDrawingByHand) {
  const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 10, 10), truthBox(1, kA, 20, 0, 10, 10)}, {});
  const ClassMetrics& a = r.perClass.at(0);
  EXPECT_DOUBLE_EQ(a.ap50, 0.0);
  EXPECT_DOUBLE_EQ(a.ap50to95, 0.0);
  EXPECT_DOUBLE_EQ(a.recall, 0.0);
  EXPECT_TRUE(std::isnan(a.precision));  // 0/0: no detections
  EXPECT_EQ(a.falseNegatives, 2);
  EXPECT_EQ(r.actions.draw, 2);
  // 2 x 10 s both ways
  EXPECT_DOUBLE_EQ(r.manualSeconds, 20.0);
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 20.0);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 1.0);
}

TEST(Metrics, DetectionsOnAnImageWithoutTruthAreAllFalsePositives) {
  const EvalResult r = evaluate({1}, {kA}, {},
                                {detBox(1, kA, 0, 0, 10, 10, 0.9), detBox(1, kA, 30, 0, 10, 10, 0.8),
                                 detBox(1, kA, 60, 0, 10, 10, 0.7)});
  const ClassMetrics& a = r.perClass.at(0);
  EXPECT_EQ(a.falsePositives, 3);
  EXPECT_DOUBLE_EQ(a.precision, 0.0);
  EXPECT_TRUE(std::isnan(a.recall));
  EXPECT_TRUE(std::isnan(a.ap50));
  EXPECT_TRUE(std::isnan(r.map50));
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{0, 0}, {3, 0}}));  // background row, column A
  EXPECT_EQ(r.perImage.at(0).falsePositives, 3);
  // review 3 x 1 s delete; manual 0 s: boost 0 / 3 = 0
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 3.0);
  EXPECT_DOUBLE_EQ(r.manualSeconds, 0.0);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 0.0);
}

TEST(Metrics, ADuplicateDetectionIsOneTruePositiveAndOneFalsePositive) {
  // The better-scored duplicate is the looser one: IoU 60 x 100 / 100 x 100 = 0.6; the other is exact.
  const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 100, 100)},
                                {detBox(1, kA, 0, 0, 100, 60, 0.9), detBox(1, kA, 0, 0, 100, 100, 0.8)});
  const ClassMetrics& a = r.perClass.at(0);
  EXPECT_EQ(a.truePositives, 1);
  EXPECT_EQ(a.falsePositives, 1);
  EXPECT_DOUBLE_EQ(a.precision, 0.5);
  EXPECT_DOUBLE_EQ(a.recall, 1.0);
  // IoU 0.50, 0.55, 0.60: the loose one takes the truth first -> hit, miss -> AP 1 (3 thresholds).
  // IoU 0.65 .. 0.95: the loose one misses, the exact one hits -> precision 0, 1/2 -> envelope
  // 1/2 everywhere -> AP 1/2 (7 thresholds). AP50:95 = (3 x 1 + 7 x 0.5) / 10 = 0.65.
  EXPECT_DOUBLE_EQ(a.ap50, 1.0);
  EXPECT_DOUBLE_EQ(a.ap50to95, 0.65);
  // Review: the loose box is adjusted (0.6 < 0.85), the duplicate deleted: 4 + 1 = 5 s; 10 / 5 = 2.
  EXPECT_EQ(r.actions.adjust, 1);
  EXPECT_EQ(r.actions.remove, 1);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 2.0);
}

TEST(Metrics, ThreeTruthBoxesAndFourDetectionsGiveTheHandComputedAp) {
  // Truth on image 1 at x = 0, 20, 40. In score order: 0.9 exact on x=0 (hit), 0.8 on image 2
  // where there is no truth (miss), 0.7 exact on x=20 (hit), 0.6 on x=0 again (miss, taken).
  // Flags hit, miss, hit, miss with 3 truth boxes: AP = 56 / 101 (worked out in
  // AveragePrecision.OfHandComputedCurves). All IoUs are 1 or 0, so every threshold agrees.
  const std::vector<GroundTruth> truth = {truthBox(1, kA, 0, 0, 10, 10), truthBox(1, kA, 20, 0, 10, 10),
                                          truthBox(1, kA, 40, 0, 10, 10)};
  const std::vector<Detection> dets = {detBox(1, kA, 20, 0, 10, 10, 0.7), detBox(1, kA, 0, 0, 10, 10, 0.6),
                                       detBox(2, kA, 0, 0, 10, 10, 0.8), detBox(1, kA, 0, 0, 10, 10, 0.9)};
  const EvalResult r = evaluate({1, 2}, {kA}, truth, dets);
  const ClassMetrics& a = r.perClass.at(0);
  EXPECT_NEAR(a.ap50, 56.0 / 101.0, kApTolerance);
  EXPECT_NEAR(a.ap50to95, 56.0 / 101.0, kApTolerance);
  EXPECT_EQ(a.truePositives, 2);
  EXPECT_EQ(a.falsePositives, 2);
  EXPECT_EQ(a.falseNegatives, 1);
  EXPECT_DOUBLE_EQ(a.precision, 0.5);
  EXPECT_DOUBLE_EQ(a.recall, 2.0 / 3.0);
}

TEST(Metrics, AnIouOfExactlyPoint75CountsAtThresholdsUpToPoint75) {
  // 100 x 75 inside 100 x 100: IoU 7500 / 10000 = 0.75, exact in floating point.
  const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 100, 100)}, {detBox(1, kA, 0, 0, 100, 75, 0.9)});
  // AP 1 at 0.50, 0.55, 0.60, 0.65, 0.70, 0.75 and 0 at 0.80 .. 0.95: 6 / 10
  EXPECT_DOUBLE_EQ(r.perClass.at(0).ap50, 1.0);
  EXPECT_DOUBLE_EQ(r.perClass.at(0).ap50to95, 0.6);
  EXPECT_EQ(r.actions.adjust, 1);  // 0.75 is below goodIoU 0.85
}

TEST(Metrics, GreedyMatchingInCrowdedTruthFollowsTheScores) {
  // Two overlapping truth boxes T1 = [0,0,10,10] and T2 = [4,0,10,10], and two detections:
  // Da = [3,0,10,10]: IoU with T1 = 70/130 = 0.54, with T2 = 90/110 = 0.82
  // Db = [4,0,10,10]: IoU with T1 = 60/140 = 0.43, with T2 = 1
  // If Da goes first it takes T2 (its best), and Db has only T1 at 0.43 < 0.5 left: 1 hit, 1 miss,
  // AP = flags hit, miss of 2 truth = recall 1/2 at precision 1 = 51 / 101. If Db goes first it
  // takes T2, and Da still reaches T1 at 0.54: 2 hits, AP 1.
  struct Case {
    double scoreA, scoreB;
    int truePositives;
    double ap50;
  };
  const Case cases[] = {{0.9, 0.8, 1, 51.0 / 101.0}, {0.8, 0.9, 2, 1.0}};
  for (const Case& c : cases) {
    const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 10, 10), truthBox(1, kA, 4, 0, 10, 10)},
                                  {detBox(1, kA, 3, 0, 10, 10, c.scoreA), detBox(1, kA, 4, 0, 10, 10, c.scoreB)});
    EXPECT_EQ(r.perClass.at(0).truePositives, c.truePositives) << "Da scores " << c.scoreA;
    EXPECT_NEAR(r.perClass.at(0).ap50, c.ap50, kApTolerance) << "Da scores " << c.scoreA;
  }
}

TEST(Metrics, AWrongClassDetectionIsConfusedAndCostsAnAdjustment) {
  const EvalResult r = evaluate({1}, {kA, kB}, {truthBox(1, kA, 0, 0, 10, 10)}, {detBox(1, kB, 0, 0, 10, 10, 0.9)});
  // rows true A, B, background; columns predicted A, B, background
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{0, 1, 0}, {0, 0, 0}, {0, 0, 0}}));
  EXPECT_EQ(r.perClass[0].falseNegatives, 1);
  EXPECT_DOUBLE_EQ(r.perClass[0].ap50, 0.0);
  EXPECT_EQ(r.perClass[1].falsePositives, 1);
  EXPECT_TRUE(std::isnan(r.perClass[1].ap50));
  EXPECT_DOUBLE_EQ(r.map50, 0.0);  // only A has truth
  // one reclass 4 s against drawing 10 s: 2.5
  EXPECT_EQ(r.actions.adjust, 1);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 2.5);
}

TEST(Metrics, TheBoostWeighsVerifyAdjustDeleteAndDraw) {
  const std::vector<GroundTruth> truth = {
      truthBox(1, kA, 0, 0, 100, 100),    // T1: exact A detection -> verify 1.6 s
      truthBox(1, kA, 200, 0, 100, 100),  // T2: A detection at IoU 0.6 -> adjust 4 s
      truthBox(1, kB, 400, 0, 100, 100),  // T3: exact but class A -> adjust 4 s
      truthBox(1, kB, 600, 0, 100, 100),  // T4: nothing -> draw 10 s
  };
  const std::vector<Detection> dets = {
      detBox(1, kA, 0, 0, 100, 100, 0.9),   detBox(1, kA, 200, 0, 100, 60, 0.8),
      detBox(1, kA, 400, 0, 100, 100, 0.7),
      detBox(1, kA, 800, 0, 50, 50, 0.6),   // on nothing -> delete 1 s
      detBox(1, kA, 0, 400, 10, 10, 0.1),   // below the score threshold: never shown, costs nothing
  };
  const EvalResult r = evaluate({1}, {kA, kB}, truth, dets);
  EXPECT_EQ(r.actions.verify, 1);
  EXPECT_EQ(r.actions.adjust, 2);
  EXPECT_EQ(r.actions.remove, 1);
  EXPECT_EQ(r.actions.draw, 1);
  // manual 4 x 10 = 40 s; review 1.6 + 4 + 4 + 1 + 10 = 20.6 s; boost 40 / 20.6 = 1.9417...
  EXPECT_DOUBLE_EQ(r.manualSeconds, 40.0);
  EXPECT_DOUBLE_EQ(r.reviewSeconds, 20.6);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 40.0 / 20.6);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{2, 0, 0}, {1, 0, 1}, {1, 0, 0}}));
  // Class-aware at score >= 0.25: A hits T1 and T2, the reclass and the stray box are false.
  EXPECT_EQ(r.perClass[0].truePositives, 2);
  EXPECT_EQ(r.perClass[0].falsePositives, 2);
  EXPECT_EQ(r.perClass[1].falseNegatives, 2);
  EXPECT_TRUE(std::isnan(r.perClass[1].precision));
}

TEST(Metrics, CountsPerImageCoverEveryListedImage) {
  // Image 1: a hit. Image 2: a missed box and a stray detection. Image 3: nothing at all.
  const EvalResult r = evaluate({1, 2, 3}, {kA}, {truthBox(1, kA, 0, 0, 10, 10), truthBox(2, kA, 0, 0, 10, 10)},
                                {detBox(1, kA, 0, 0, 10, 10, 0.9), detBox(2, kA, 50, 50, 10, 10, 0.9)});
  ASSERT_EQ(r.perImage.size(), 3u);
  struct Row {
    ImageId image;
    int tp, fp, fn;
    double review, manual;
  };
  const Row expected[] = {
      {1, 1, 0, 0, 1.6, 10.0},   // verify
      {2, 0, 1, 1, 11.0, 10.0},  // draw 10 + delete 1
      {3, 0, 0, 0, 0.0, 0.0},
  };
  for (std::size_t i = 0; i < 3; ++i) {
    const ImageMetrics& m = r.perImage[i];
    const Row& e = expected[i];
    EXPECT_EQ(m.image, e.image);
    EXPECT_EQ(m.truePositives, e.tp) << "image " << e.image;
    EXPECT_EQ(m.falsePositives, e.fp) << "image " << e.image;
    EXPECT_EQ(m.falseNegatives, e.fn) << "image " << e.image;
    EXPECT_DOUBLE_EQ(m.reviewSeconds, e.review) << "image " << e.image;
    EXPECT_DOUBLE_EQ(m.manualSeconds, e.manual) << "image " << e.image;
  }
}

TEST(Metrics, AClassWithoutTruthIsLeftOutOfTheMeanAp) {
  // A is perfect (AP 1); B has only a stray detection (AP NaN). mAP = 1, not (1 + 0) / 2.
  const EvalResult r = evaluate({1}, {kA, kB}, {truthBox(1, kA, 0, 0, 10, 10)},
                                {detBox(1, kA, 0, 0, 10, 10, 0.9), detBox(1, kB, 50, 50, 10, 10, 0.9)});
  EXPECT_TRUE(std::isnan(r.perClass[1].ap50));
  EXPECT_TRUE(std::isnan(r.perClass[1].ap50to95));
  EXPECT_DOUBLE_EQ(r.map50, 1.0);
  EXPECT_DOUBLE_EQ(r.map50to95, 1.0);
}

TEST(Metrics, TheScoreThresholdHidesDetectionsFromCountsButNotFromAp) {
  const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 10, 10)}, {detBox(1, kA, 0, 0, 10, 10, 0.1)});
  const ClassMetrics& a = r.perClass.at(0);
  EXPECT_DOUBLE_EQ(a.ap50, 1.0);
  EXPECT_EQ(a.truePositives, 0);
  EXPECT_EQ(a.falsePositives, 0);
  EXPECT_EQ(a.falseNegatives, 1);
  EXPECT_TRUE(std::isnan(a.precision));
  EXPECT_DOUBLE_EQ(a.recall, 0.0);
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 1.0);  // the box is drawn by hand either way
}

TEST(Metrics, InputThatCannotBeEvaluatedIsCountedAndLeftOut) {
  const double inf = INFINITY;
  const std::vector<GroundTruth> truth = {
      truthBox(1, kA, 0, 0, 10, 10),
      truthBox(9, kA, 0, 0, 10, 10),   // image not evaluated
      truthBox(1, kA, 50, 0, 10, -1),  // negative height
  };
  const std::vector<Detection> dets = {
      detBox(1, kA, 0, 0, 10, 10, 0.9),
      detBox(9, kA, 0, 0, 10, 10, 0.9),      // image not evaluated
      detBox(1, 99, 0, 0, 10, 10, 0.9),      // class not evaluated
      detBox(1, kA, 0, 0, 0, 10, 0.9),       // zero width
      detBox(1, kA, inf, 0, 10, 10, 0.9),    // infinite x
      detBox(1, kA, 0, 0, 10, 10, std::nan("")),  // no score
  };
  // Repeated ids count once, at their first place.
  const EvalResult r = evaluate({1, 1}, {kA, kA}, truth, dets);
  EXPECT_EQ(r.ignoredTruth, 2);
  EXPECT_EQ(r.ignoredDetections, 5);
  ASSERT_EQ(r.perImage.size(), 1u);
  ASSERT_EQ(r.perClass.size(), 1u);
  EXPECT_EQ(r.perClass[0].truePositives, 1);
  EXPECT_EQ(r.perClass[0].falsePositives, 0);
  EXPECT_DOUBLE_EQ(r.map50, 1.0);
}

TEST(Metrics, AFreeReviewIsAnInfiniteBoost) {
  EvalOptions o;
  o.effort.verifySeconds = 0;  // 10 s by hand against 0 s to verify
  const EvalResult r = evaluate({1}, {kA}, {truthBox(1, kA, 0, 0, 10, 10)}, {detBox(1, kA, 0, 0, 10, 10, 0.9)}, o);
  EXPECT_TRUE(std::isinf(r.efficiencyBoost));
}

TEST(Metrics, NothingToEvaluateGivesAnEmptyResult) {
  const EvalResult r = evaluate({}, {}, {}, {});
  EXPECT_TRUE(r.perClass.empty());
  EXPECT_TRUE(r.perImage.empty());
  EXPECT_TRUE(std::isnan(r.map50));
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{0}}));
  EXPECT_DOUBLE_EQ(r.efficiencyBoost, 1.0);  // 0 s / 0 s
}

// ---- readCocoResults -----------------------------------------------------------------------

TEST(CocoResults, AGoodFileMapsCategoryIdsToTheClassOrder) {
  test::TempDir tmp;
  test::writeText(tmp / "results.json", R"([
    {"image_id": 4, "category_id": 2, "bbox": [1.5, 2, 30, 40.25], "score": 0.875, "segmentation": []},
    {"image_id": 5, "category_id": 1, "bbox": [0, 0, 0, 0], "score": 1}
  ])");
  const std::set<ImageId> known = {4, 5};
  auto r = readCocoResults(tmp / "results.json", {kA, kB}, &known);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  const Detection& d = (*r)[0];
  EXPECT_EQ(d.image, 4);
  EXPECT_EQ(d.cls, kB);  // category 2 = the second class
  EXPECT_DOUBLE_EQ(d.x, 1.5);
  EXPECT_DOUBLE_EQ(d.y, 2.0);
  EXPECT_DOUBLE_EQ(d.w, 30.0);
  EXPECT_DOUBLE_EQ(d.h, 40.25);
  EXPECT_DOUBLE_EQ(d.score, 0.875);
  EXPECT_EQ((*r)[1].cls, kA);
  test::writeText(tmp / "empty.json", "[]");
  auto empty = readCocoResults(tmp / "empty.json", {kA});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CocoResults, MalformedJsonNamesTheFileAndLine) {
  test::TempDir tmp;
  test::writeText(tmp / "results.json", "[\n  {\"image_id\": 1,\n   oops }\n]\n");
  auto r = readCocoResults(tmp / "results.json", {kA});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
  // "parse error at line 3" comes from the JSON reader; the "FILE:3:" prefix from us
  EXPECT_EQ(r.status().message().rfind((tmp / "results.json").string() + ":3: malformed JSON: ", 0), 0u)
      << r.status().message();
}

TEST(CocoResults, BadEntriesNameTheFileTheEntryAndTheProblem) {
  const std::string good = R"({"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.5})";
  struct Case {
    const char* what;
    std::string json;
    const char* expected;  // in the message, after the file name
  };
  const Case cases[] = {
      {"not an array", R"({"image_id": 1})", ": not COCO results (expected a JSON array of detections)"},
      {"unknown category", R"([{"image_id": 1, "category_id": 3, "bbox": [0, 0, 5, 5], "score": 0.5}])",
       ": entry 0: category_id 3 is not a class (expected 1..2)"},
      {"category zero", R"([{"image_id": 1, "category_id": 0, "bbox": [0, 0, 5, 5], "score": 0.5}])",
       ": entry 0: category_id 0"},
      {"missing bbox", R"([{"image_id": 1, "category_id": 1, "score": 0.5}])", ": entry 0: needs `bbox`"},
      {"short bbox", R"([{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5], "score": 0.5}])",
       ": entry 0: needs `bbox`"},
      {"missing score", R"([{"image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5]}])",
       ": entry 0: needs a number `score`"},
      {"string image id", R"([{"image_id": "1", "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.5}])",
       ": entry 0: needs an integer `image_id`"},
      {"negative width", R"([{"image_id": 1, "category_id": 1, "bbox": [0, 0, -5, 5], "score": 0.5}])",
       ": entry 0: `bbox` has a negative width"},
      {"unknown image", "[" + good + R"(, {"image_id": 7, "category_id": 1, "bbox": [0, 0, 5, 5], "score": 0.5}])",
       ": entry 1: image_id 7 is not a known image"},
      // JSON has no NaN or Infinity; a number too large for a double is how one gets in, and the
      // JSON reader refuses it, on line 3 here.
      {"non-finite", "[\n" + good + ",\n" + R"({"image_id": 1, "category_id": 1, "bbox": [0, 0, 1e999, 5], "score": 0.5}])",
       ":3: malformed JSON: number overflow parsing '1e999'"},
  };
  const std::set<ImageId> known = {1};
  test::TempDir tmp;
  const std::string file = (tmp / "results.json").string();
  for (const Case& c : cases) {
    test::writeText(file, c.json);
    auto r = readCocoResults(file, {kA, kB}, &known);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().code(), StatusCode::kBadInput) << c.what;
    EXPECT_EQ(r.status().message().rfind(file, 0), 0u) << c.what << ": " << r.status().message();
    EXPECT_NE(r.status().message().find(file + c.expected), std::string::npos) << c.what << ": " << r.status().message();
  }
}

TEST(CocoResults, AMissingFileIsNotFound) {
  test::TempDir tmp;
  auto r = readCocoResults(tmp / "nope.json", {kA});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace quarry
