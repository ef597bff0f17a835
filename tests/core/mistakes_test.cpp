// The mistakes queue (issue 15, item 6): where a run's detections and the human labels disagree,
// on hand-built cases whose answer is known.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/al/mistakes.h"

namespace quarry {
namespace {

Box label(ClassId cls, double x, double y, double w = 10, double h = 10, BoxSource source = BoxSource::kManual) {
  Box b;
  b.cls = cls;
  b.x = x;
  b.y = y;
  b.w = w;
  b.h = h;
  b.source = source;
  return b;
}

DetectionUncertainty detection(ClassId cls, double x, double y, double score, double w = 10, double h = 10) {
  DetectionUncertainty d;
  d.cls = cls;
  d.x = x;
  d.y = y;
  d.w = w;
  d.h = h;
  d.score = score;
  return d;
}

// A: agreed; B: the model says class 3 on a class-2 label; C: found only below the threshold;
// and a confident detection where there is no label.
const std::vector<Box> kLabels = {label(1, 0, 0), label(2, 50, 50), label(1, 100, 100)};
const std::vector<DetectionUncertainty> kDetections = {detection(1, 200, 200, 0.7), detection(1, 1, 0, 0.9),
                                                       detection(3, 50, 51, 0.8), detection(1, 100, 100, 0.1)};

TEST(Mistakes, EachKindOfDisagreementIsFoundOnceWithItsWeight) {
  const ImageDisagreement d = compareWithLabels(7, kLabels, kDetections, MistakeOptions{});
  EXPECT_EQ(d.image, 7);
  ASSERT_EQ(d.items.size(), 3u);
  EXPECT_EQ(d.items[0].kind, DisagreementKind::kClassConfusion);  // most confident first
  EXPECT_EQ(d.items[0].cls, 3);
  EXPECT_EQ(d.items[0].labelCls, 2);
  EXPECT_DOUBLE_EQ(d.items[0].confidence, 0.8);
  EXPECT_EQ(d.items[1].kind, DisagreementKind::kUnlabeledDetection);
  EXPECT_DOUBLE_EQ(d.items[1].x, 200);
  EXPECT_EQ(d.items[2].kind, DisagreementKind::kMissedLabel);
  EXPECT_DOUBLE_EQ(d.items[2].x, 100);
  EXPECT_EQ(d.items[2].cls, 1);
  EXPECT_DOUBLE_EQ(d.weight, 0.8 + 0.7 + kMissedWeight);
}

TEST(Mistakes, APerClassThresholdDecidesWhatCountsAsFound) {
  MistakeOptions o;
  o.thresholds = {{1, 0.05}};  // class 1's fitted threshold is low: the 0.1 detection counts
  const ImageDisagreement d = compareWithLabels(7, kLabels, kDetections, o);
  ASSERT_EQ(d.items.size(), 2u);
  EXPECT_EQ(d.items[0].kind, DisagreementKind::kClassConfusion);
  EXPECT_EQ(d.items[1].kind, DisagreementKind::kUnlabeledDetection);
  EXPECT_DOUBLE_EQ(d.weight, 1.5);
}

TEST(Mistakes, AnImageWhereModelAndLabelsAgreeHasNothing) {
  const ImageDisagreement d = compareWithLabels(1, {label(1, 0, 0)}, {detection(1, 0, 1, 0.9)}, MistakeOptions{});
  EXPECT_TRUE(d.items.empty());
  EXPECT_DOUBLE_EQ(d.weight, 0);
}

TEST(Mistakes, TheQueueOrdersScoredLabelledImagesByWeightAndSkipsTheRest) {
  test::TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId a = *p->addClass("a");
  auto image = [&](const char* name) {
    ImageRecord r;
    r.path = name;
    r.width = r.height = 300;
    return *p->addImage(r);
  };
  const ImageId light = image("light.png"), heavy = image("heavy.png"), agreed = image("agreed.png"),
                unlabeled = image("unlabeled.png"), autoOnly = image("auto.png");
  for (auto [id, x] : {std::pair{light, 0.0}, {heavy, 0.0}, {agreed, 0.0}}) {
    Box b = label(a, x, 0);
    b.image = id;
    ASSERT_TRUE(p->addBox(b).ok());
  }
  Box proposed = label(a, 0, 0, 10, 10, BoxSource::kAuto);
  proposed.image = autoOnly;
  ASSERT_TRUE(p->addBox(proposed).ok());
  const RunId run = *p->addRun(ModelRun{0, "CAL1"});
  auto score = [&](ImageId id, std::vector<DetectionUncertainty> dets) {
    ImageUncertainty u;
    u.image = id;
    u.detections = std::move(dets);
    return ImageScore{run, id, 0, Difficulty::kEasy, static_cast<int>(u.detections.size()),
                      componentsJson(u, Normalization{}, CombineOptions{})};
  };
  ASSERT_TRUE(p->putScores({score(light, {detection(a, 0, 0, 0.9), detection(a, 150, 150, 0.3)}),
                            score(heavy, {detection(a, 150, 150, 0.95)}),  // and its label is missed
                            score(agreed, {detection(a, 0, 0, 0.9)}), score(unlabeled, {detection(a, 0, 0, 0.9)}),
                            score(autoOnly, {detection(a, 100, 100, 0.9)})})
                  .ok());
  auto queue = mistakesQueue(*p, run, MistakeOptions{});
  ASSERT_TRUE(queue.ok()) << queue.status().message();
  ASSERT_EQ(queue->size(), 2u) << "agreement, no human box and auto boxes only are not mistakes";
  EXPECT_EQ((*queue)[0].image, heavy);
  EXPECT_DOUBLE_EQ((*queue)[0].weight, 0.95 + kMissedWeight);
  EXPECT_EQ((*queue)[1].image, light);

  MistakeOptions narrow;
  narrow.images.nameContains = "light";
  auto some = mistakesQueue(*p, run, narrow);
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].image, light);
}

}  // namespace
}  // namespace quarry
