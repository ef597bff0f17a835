// "Accept the auto boxes of the easy images": which images the plan takes, and what accepting
// changes in the store (the review state) and leaves alone (the boxes).
#include "quarry/al/accept.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace quarry {
namespace {

class AcceptEasy : public ::testing::Test {
 protected:
  void SetUp() override {
    p = test::newProject(tmp / "p");
    cls = *p->addClass("pit");
    run = *p->addRun(ModelRun{0, "CAL1", "GT1", "{}", "{}", "", 0});
    // 0: easy, 2 auto boxes        1: easy, 1 auto + 1 human box   2: medium, 1 auto box
    // 3: easy, already reviewed    4: easy, 1 auto box, tag POOL   5: easy, no boxes at all
    const Difficulty rated[] = {Difficulty::kEasy, Difficulty::kEasy, Difficulty::kMedium,
                                Difficulty::kEasy, Difficulty::kEasy, Difficulty::kEasy};
    const int autoBoxes[] = {2, 1, 1, 1, 1, 0};
    std::vector<ImageScore> scores;
    for (int i = 0; i < 6; ++i) {
      ImageRecord r;
      r.path = "img" + std::to_string(i) + ".png";
      r.width = r.height = 64;
      ids.push_back(*p->addImage(r));
      for (int k = 0; k < autoBoxes[i]; ++k) addBox(ids.back(), BoxSource::kAuto);
      scores.push_back({run, ids.back(), 0.1 * i, rated[i], autoBoxes[i], "{}"});
    }
    addBox(ids[1], BoxSource::kManual);
    ASSERT_TRUE(p->putScores(scores).ok());
    ASSERT_TRUE(p->setImageStatus(ids[3], ImageStatus::kReviewed).ok());
    ASSERT_TRUE(p->tagImages("POOL", {ids[4]}).ok());
  }
  void addBox(ImageId image, BoxSource source) {
    Box b;
    b.image = image;
    b.cls = cls;
    b.x = b.y = 2;
    b.w = b.h = 8;
    b.source = source;
    if (source == BoxSource::kAuto) {
      b.run = run;
      b.score = 0.9;
    }
    ASSERT_TRUE(p->addBox(b).ok());
  }

  test::TempDir tmp;
  std::unique_ptr<Project> p;
  ClassId cls = 0;
  RunId run = 0;
  std::vector<ImageId> ids;
};

TEST_F(AcceptEasy, ThePlanTakesEasyUnreviewedImagesWithOnlyAutoBoxes) {
  auto plan = planAcceptEasy(*p, {}, run);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->images, (std::vector<ImageId>{ids[0], ids[4]}));
  EXPECT_EQ(plan->autoBoxes, 3u);
}

TEST_F(AcceptEasy, TheFilterNarrowsThePlan) {
  ImageQuery q;
  q.anyTags = {"POOL"};
  q.difficulties = {Difficulty::kHard};  // replaced: the plan is about easy images
  auto plan = planAcceptEasy(*p, q, run);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->images, (std::vector<ImageId>{ids[4]}));
  EXPECT_EQ(plan->autoBoxes, 1u);
}

TEST_F(AcceptEasy, AcceptingMarksReviewedAndKeepsTheAutoBoxes) {
  auto plan = *planAcceptEasy(*p, {}, run);
  ASSERT_TRUE(acceptImages(*p, plan).ok());
  EXPECT_EQ(p->image(ids[0])->status, ImageStatus::kReviewed);
  EXPECT_EQ(p->image(ids[4])->status, ImageStatus::kReviewed);
  EXPECT_NE(p->image(ids[2])->status, ImageStatus::kReviewed) << "medium images wait for a person";
  EXPECT_NE(p->image(ids[1])->status, ImageStatus::kReviewed) << "an image a person drew on is theirs";
  const auto boxes = *p->boxes(ids[0]);
  ASSERT_EQ(boxes.size(), 2u);
  for (const Box& b : boxes) EXPECT_EQ(b.source, BoxSource::kAuto);
  EXPECT_TRUE(planAcceptEasy(*p, {}, run)->images.empty()) << "nothing left to accept";
}

TEST_F(AcceptEasy, AnUnknownRunIsNotFound) {
  EXPECT_EQ(planAcceptEasy(*p, {}, run + 100).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace quarry
