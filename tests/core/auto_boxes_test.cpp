// Auto boxes of a model run: re-running a run replaces only its own proposals and leaves every
// box a person drew or corrected, and every other run's proposals, where they are.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/test_support.h"
#include "quarry/store/project.h"

namespace quarry {
namespace {

using test::TempDir;

struct Fixture {
  TempDir tmp;
  std::unique_ptr<Project> p = test::newProject(tmp.path());
  ImageId a = 0, b = 0;
  ClassId scratch = 0, pit = 0;
  RunId run1 = 0, run2 = 0;

  Fixture() {
    scratch = *p->addClass("scratch");
    pit = *p->addClass("pit");
    a = *p->addImage(image("a.png"));
    b = *p->addImage(image("b.png"));
    run1 = *p->addRun(run("CAL1"));
    run2 = *p->addRun(run("CAL2"));
  }
  static ImageRecord image(const std::string& path) {
    ImageRecord r;
    r.path = path;
    r.width = 100;
    r.height = 80;
    r.hash = "0000000000000000";
    return r;
  }
  static ModelRun run(const std::string& name) {
    ModelRun r;
    r.name = name;
    return r;
  }
  BoxId add(ImageId image, BoxSource source, std::optional<RunId> run = std::nullopt) {
    Box box = proposal(scratch, 5);
    box.image = image;
    box.source = source;
    box.run = run;
    return *p->addBox(box);
  }
  static Box proposal(ClassId cls, double x, double score = 0.9) {
    Box box;
    box.cls = cls;
    box.x = x;
    box.y = 10;
    box.w = 20;
    box.h = 15;
    box.score = score;
    return box;
  }
  int count(ImageId image, BoxSource source, std::optional<RunId> run = std::nullopt) const {
    const auto boxes = *p->boxes(image);
    return static_cast<int>(std::count_if(boxes.begin(), boxes.end(), [&](const Box& box) {
      return box.source == source && (!run || box.run == run);
    }));
  }
  std::int64_t boxCountColumn(ImageId image) const {
    ImageListRequest all;
    for (const auto& row : *p->listImages(all))
      if (row.id == image) return row.boxCount;
    return -1;
  }
};

TEST(AutoBoxes, ReRunningARunReplacesItsOwnProposalsOnly) {
  Fixture f;
  const BoxId manual = f.add(f.a, BoxSource::kManual);
  const BoxId corrected = f.add(f.a, BoxSource::kCorrected, f.run1);
  const BoxId otherRun = f.add(f.a, BoxSource::kAuto, f.run2);

  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 40), Fixture::proposal(f.pit, 60)}).ok());
  EXPECT_EQ(f.count(f.a, BoxSource::kAuto, f.run1), 2);
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.pit, 70, 0.4)}).ok());

  const auto boxes = *f.p->boxes(f.a);
  ASSERT_EQ(boxes.size(), 4u);
  EXPECT_EQ(boxes[0].id, manual);
  EXPECT_EQ(boxes[1].id, corrected);
  EXPECT_EQ(boxes[2].id, otherRun);
  const Box& fresh = boxes[3];
  EXPECT_EQ(fresh.source, BoxSource::kAuto);
  EXPECT_EQ(fresh.run, f.run1);
  EXPECT_EQ(fresh.cls, f.pit);
  EXPECT_DOUBLE_EQ(fresh.x, 70);
  EXPECT_DOUBLE_EQ(*fresh.score, 0.4);
}

TEST(AutoBoxes, TheGivenBoxesBecomeAutoBoxesOfTheRunWhateverTheySay) {
  Fixture f;
  Box claimsManual = Fixture::proposal(f.scratch, 40);
  claimsManual.source = BoxSource::kManual;
  claimsManual.run = f.run2;
  claimsManual.id = 12345;
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {claimsManual}).ok());
  const auto boxes = *f.p->boxes(f.a);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].source, BoxSource::kAuto);
  EXPECT_EQ(boxes[0].run, f.run1);
  EXPECT_EQ(boxes[0].image, f.a);
  EXPECT_NE(boxes[0].id, 12345);
}

TEST(AutoBoxes, AnEmptyProposalClearsTheRunsBoxesOnThatImageOnly) {
  Fixture f;
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 40)}).ok());
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.b, f.run1, {Fixture::proposal(f.scratch, 40)}).ok());
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {}).ok());
  EXPECT_EQ(f.count(f.a, BoxSource::kAuto), 0);
  EXPECT_EQ(f.count(f.b, BoxSource::kAuto, f.run1), 1);
}

TEST(AutoBoxes, TheImagesBoxCountFollowsEveryReplacement) {
  Fixture f;
  f.add(f.a, BoxSource::kManual);
  f.add(f.a, BoxSource::kAuto, f.run2);
  for (int boxes : {3, 1, 0, 2}) {
    std::vector<Box> proposals;
    for (int i = 0; i < boxes; ++i) proposals.push_back(Fixture::proposal(f.scratch, 10.0 * i));
    ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, proposals).ok());
    EXPECT_EQ(f.boxCountColumn(f.a), 2 + boxes) << boxes << " proposals";
    EXPECT_EQ(static_cast<int>(f.p->boxes(f.a)->size()), 2 + boxes);
  }
  EXPECT_EQ(f.p->stats()->boxes, 4);
}

TEST(AutoBoxes, ABadProposalChangesNothing) {
  Fixture f;
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 40)}).ok());
  const BoxId before = (*f.p->boxes(f.a))[0].id;

  Box flat = Fixture::proposal(f.scratch, 50);
  flat.h = 0;
  EXPECT_EQ(f.p->replaceAutoBoxes(f.a, f.run1, {flat}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 1), Fixture::proposal(999, 2)}).code(),
            StatusCode::kNotFound);
  Box elsewhere = Fixture::proposal(f.scratch, 50);
  elsewhere.image = f.b;
  EXPECT_EQ(f.p->replaceAutoBoxes(f.a, f.run1, {elsewhere}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(f.p->replaceAutoBoxes(f.a, 999, {}).code(), StatusCode::kNotFound);
  EXPECT_EQ(f.p->replaceAutoBoxes(999, f.run1, {}).code(), StatusCode::kNotFound);

  const auto boxes = *f.p->boxes(f.a);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].id, before);
  EXPECT_TRUE(f.p->boxes(f.b)->empty());
}

TEST(AutoBoxes, InsideABatchAFailedReplacementUndoesOnlyItself) {
  Fixture f;
  {
    Project::WriteBatch batch(*f.p);
    ASSERT_TRUE(batch.status().ok());
    ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 40)}).ok());
    EXPECT_FALSE(f.p->replaceAutoBoxes(f.b, f.run1, {Fixture::proposal(f.scratch, 1), Fixture::proposal(999, 2)}).ok());
    ASSERT_TRUE(batch.commit().ok());
  }
  EXPECT_EQ(f.count(f.a, BoxSource::kAuto, f.run1), 1);
  EXPECT_TRUE(f.p->boxes(f.b)->empty());
}

TEST(AutoBoxes, RemovingARunsAutoBoxesKeepsEverythingElse) {
  Fixture f;
  f.add(f.a, BoxSource::kManual);
  f.add(f.a, BoxSource::kCorrected, f.run1);
  f.add(f.b, BoxSource::kAuto, f.run2);
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.a, f.run1, {Fixture::proposal(f.scratch, 40), Fixture::proposal(f.pit, 60)}).ok());
  ASSERT_TRUE(f.p->replaceAutoBoxes(f.b, f.run1, {Fixture::proposal(f.pit, 60)}).ok());

  auto removed = f.p->removeAutoBoxes(f.run1);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(f.count(f.a, BoxSource::kManual), 1);
  EXPECT_EQ(f.count(f.a, BoxSource::kCorrected, f.run1), 1);
  EXPECT_EQ(f.count(f.b, BoxSource::kAuto, f.run2), 1);
  EXPECT_EQ(f.boxCountColumn(f.a), 2);
  EXPECT_EQ(f.boxCountColumn(f.b), 1);
  EXPECT_EQ(*f.p->removeAutoBoxes(f.run1), 0);
}

}  // namespace
}  // namespace quarry
