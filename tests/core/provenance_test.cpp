// Provenance (issue 16, item 2): a run records the truth boxes of the images it trained and
// validated on, and says later exactly how many of them changed since.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/store/project.h"
#include "quarry/store/provenance.h"

namespace quarry {
namespace {

using test::TempDir;

struct Labelled {
  std::unique_ptr<Project> project;
  std::vector<ImageId> train, val;
  ClassId crack = 0, pit = 0;
  RunId run = 0;
};

// Four training and two VAL images, each with a manual crack box and an auto pit box (auto
// boxes are not truth, so they are not part of what a run trained on).
Labelled makeLabelled(const std::filesystem::path& dir) {
  Labelled l;
  l.project = test::newProject(dir);
  l.crack = *l.project->addClass("crack");
  l.pit = *l.project->addClass("pit");
  for (int i = 0; i < 6; ++i) {
    ImageRecord rec;
    rec.path = "images/" + std::to_string(i) + ".png";
    rec.width = 64;
    rec.height = 48;
    rec.hash = std::to_string(i);
    const ImageId id = *l.project->addImage(rec);
    (i < 4 ? l.train : l.val).push_back(id);
    Box b;
    b.image = id;
    b.cls = l.crack;
    b.x = 3;
    b.y = 4;
    b.w = 10;
    b.h = 6;
    EXPECT_TRUE(l.project->addBox(b).ok());
    b.cls = l.pit;
    b.source = BoxSource::kAuto;
    b.x = 30;
    EXPECT_TRUE(l.project->addBox(b).ok());
  }
  ModelRun run;
  run.name = "CAL1";
  l.run = *l.project->addRun(run);
  return l;
}

std::vector<Box> truthOf(const Project& p, ImageId id) {
  std::vector<Box> out;
  for (const Box& b : *p.boxes(id))
    if (b.source != BoxSource::kAuto) out.push_back(b);
  return out;
}

TEST(Provenance, ARunSaysWhatItTrainedOnAndExactlyWhatChangedSince) {
  TempDir tmp;
  Labelled l = makeLabelled(tmp / "project");
  Project& p = *l.project;
  auto state = captureLabelState(p, l.train, l.val);
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(state->digest.size(), 16u);
  ASSERT_TRUE(recordLabelState(p, l.run, *state).ok());

  auto now = runProvenance(p, l.run);
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_TRUE(now->recorded);
  EXPECT_EQ(now->digest, state->digest);
  EXPECT_EQ(now->trainImages, 4);
  EXPECT_EQ(now->trainBoxes, 4) << "manual boxes only";
  EXPECT_EQ(now->valImages, 2);
  EXPECT_EQ(now->valBoxes, 2);
  EXPECT_EQ(now->trainSince.added + now->trainSince.removed + now->trainSince.changed, 0);

  // One edit on a training image: its crack box moved. An auto box added elsewhere is no truth.
  Box moved = truthOf(p, l.train[1])[0];
  moved.x += 2;
  ASSERT_TRUE(p.updateBox(moved).ok());
  Box proposal;
  proposal.image = l.train[2];
  proposal.cls = l.pit;
  proposal.x = 40;
  proposal.y = 4;
  proposal.w = 5;
  proposal.h = 5;
  proposal.source = BoxSource::kAuto;
  ASSERT_TRUE(p.addBox(proposal).ok());
  auto after = runProvenance(p, l.run);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->trainSince.changed, 1);
  EXPECT_EQ(after->trainSince.added, 0);
  EXPECT_EQ(after->trainSince.removed, 0);
  EXPECT_EQ(after->trainSince.imagesChanged, 1);
  EXPECT_EQ(after->valSince.imagesChanged, 0);

  // Then a VAL box deleted, one drawn, and a VAL image removed from the project.
  ASSERT_TRUE(p.removeBox(truthOf(p, l.val[0])[0].id).ok());
  Box drawn = moved;
  drawn.id = 0;
  drawn.image = l.val[0];
  ASSERT_TRUE(p.addBox(drawn).ok());
  ASSERT_TRUE(p.removeImages({l.val[1]}).ok());
  after = runProvenance(p, l.run);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->valSince.added, 1);
  EXPECT_EQ(after->valSince.removed, 2) << "the deleted box and the removed image's box";
  EXPECT_EQ(after->valSince.imagesGone, 1);
  EXPECT_EQ(after->valSince.imagesChanged, 2);
  EXPECT_EQ(after->trainSince.changed, 1) << "the training side is as it was";

  // The same labels give the same digest; a changed one another.
  auto again = captureLabelState(p, l.train, {});
  auto first = captureLabelState(p, l.train, {});
  EXPECT_EQ(again->digest, first->digest);
  EXPECT_NE(again->digest, state->digest);
}

TEST(Provenance, ARunWithoutARecordSaysSoAndAnUnknownRunIsNotFound) {
  TempDir tmp;
  Labelled l = makeLabelled(tmp / "project");
  auto none = runProvenance(*l.project, l.run);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->recorded);
  EXPECT_EQ(runProvenance(*l.project, 999).status().code(), StatusCode::kNotFound);
  auto state = captureLabelState(*l.project, l.train, l.val);
  EXPECT_EQ(recordLabelState(*l.project, 999, *state).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace quarry
