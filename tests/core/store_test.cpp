// The project store: what a project holds and the guarantees every write gives.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"
#include "quarry/store/project.h"

namespace quarry {
namespace {

using test::TempDir;

ImageRecord img(const std::string& path) {
  ImageRecord r;
  r.path = path;
  r.width = 100;
  r.height = 80;
  r.hash = "00000000000000" + std::to_string(path.size() % 10) + "0";
  return r;
}

Box box(ImageId image, ClassId cls, double x = 10, double y = 10, double w = 20, double h = 15) {
  Box b;
  b.image = image;
  b.cls = cls;
  b.x = x;
  b.y = y;
  b.w = w;
  b.h = h;
  return b;
}

TEST(ProjectStore, CreatesTheFolderLayoutAndAWalStoreWithForeignKeys) {
  TempDir tmp;
  auto p = test::newProject(tmp / "proj");
  ASSERT_TRUE(p);
  for (const char* sub : {"models", "exports", "reports", "logs"}) EXPECT_TRUE(std::filesystem::is_directory(tmp / "proj" / sub));
  SQLite::Database db((tmp / "proj" / "project.quarry").string());
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), Project::currentSchemaVersion());
}

TEST(ProjectStore, RefusesToCreateOverAnExistingProject) {
  TempDir tmp;
  ASSERT_TRUE(test::newProject(tmp.path()));
  auto again = Project::create(tmp.path());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST(ProjectStore, OpeningAFolderWithoutAProjectSaysSo) {
  TempDir tmp;
  auto p = Project::open(tmp.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_NE(p.status().message().find("project.quarry"), std::string::npos);
}

TEST(ProjectStore, ClassesKeepTheirIdsWhenRenamedAndReordered) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId a = *p->addClass("scratch"), b = *p->addClass("pit"), c = *p->addClass("crack", "#112233");
  ASSERT_TRUE(p->renameClass(b, "pitting").ok());
  ASSERT_TRUE(p->moveClass(c, 0).ok());
  auto classes = *p->classes();
  ASSERT_EQ(classes.size(), 3u);
  EXPECT_EQ(classes[0].id, c);
  EXPECT_EQ(classes[0].color, "#112233");
  EXPECT_EQ(classes[1].id, a);
  EXPECT_EQ(classes[2].id, b);
  EXPECT_EQ(classes[2].name, "pitting");
  EXPECT_EQ(p->addClass("scratch").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(p->renameClass(a, "crack").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(p->setClassColor(a, "red").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->moveClass(a, 3).code(), StatusCode::kInvalidArgument);
}

TEST(ProjectStore, AnImageBecomesLabeledWithItsFirstBox) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId cls = *p->addClass("scratch");
  const ImageId id = *p->addImage(img("images/a.png"));
  EXPECT_EQ(p->image(id)->status, ImageStatus::kUnlabeled);
  auto boxId = p->addBox(box(id, cls));
  ASSERT_TRUE(boxId.ok()) << boxId.status().message();
  EXPECT_EQ(p->image(id)->status, ImageStatus::kLabeled);
  auto boxes = *p->boxes(id);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].source, BoxSource::kManual);
  EXPECT_GT(boxes[0].createdAt, 0);
}

TEST(ProjectStore, RejectsBoxesWithoutAreaOrWithAnUnknownClass) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId cls = *p->addClass("scratch");
  const ImageId id = *p->addImage(img("a.png"));
  EXPECT_EQ(p->addBox(box(id, cls, 0, 0, 0, 5)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->addBox(box(id, cls, 0, 0, 5, -1)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->addBox(box(id, cls, std::nan(""), 0, 5, 5)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->addBox(box(id, cls + 100)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(p->boxes(id)->empty());
}

TEST(ProjectStore, UpdatesAndRemovesBoxes) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId a = *p->addClass("a"), b = *p->addClass("b");
  const ImageId id = *p->addImage(img("a.png"));
  Box bx = box(id, a);
  bx.id = *p->addBox(bx);
  bx.cls = b;
  bx.x = 12.5;
  bx.source = BoxSource::kCorrected;
  ASSERT_TRUE(p->updateBox(bx).ok());
  auto stored = p->boxes(id)->at(0);
  EXPECT_EQ(stored.cls, b);
  EXPECT_DOUBLE_EQ(stored.x, 12.5);
  EXPECT_EQ(stored.source, BoxSource::kCorrected);
  ASSERT_TRUE(p->removeBox(bx.id).ok());
  EXPECT_TRUE(p->boxes(id)->empty());
  EXPECT_EQ(p->removeBox(bx.id).code(), StatusCode::kNotFound);
}

TEST(ProjectStore, TheSamePathIsNeverAddedTwice) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  ASSERT_TRUE(p->addImage(img("a.png")).ok());
  EXPECT_EQ(p->addImage(img("a.png")).status().code(), StatusCode::kAlreadyExists);
}

TEST(ProjectStore, StoresPathsRelativeInsideTheProjectAndAbsoluteOutside) {
  TempDir tmp;
  auto p = test::newProject(tmp / "proj");
  EXPECT_EQ(p->storedPath(tmp / "proj" / "images" / "a.png"), "images/a.png");
  EXPECT_EQ(p->storedPath(tmp / "elsewhere" / "a.png"), (tmp / "elsewhere" / "a.png").generic_string());
  EXPECT_EQ(p->resolve("images/a.png"), tmp / "proj" / "images" / "a.png");
}

TEST(ProjectStore, TagsLinkImagesOnceAndCountThem) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ImageId a = *p->addImage(img("a.png")), b = *p->addImage(img("b.png"));
  EXPECT_EQ(*p->tagImages("GT1", {a, b}), 2);
  EXPECT_EQ(*p->tagImages("GT1", {a}), 0);
  EXPECT_EQ(*p->untagImages("GT1", {b}), 1);
  auto tags = *p->tags();
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].name, "GT1");
  EXPECT_EQ(tags[0].imageCount, 1);
  EXPECT_EQ(*p->imageTags(a), std::vector<std::string>{"GT1"});
  EXPECT_EQ(p->ensureTag("bad tag").status().code(), StatusCode::kInvalidArgument);
}

TEST(ProjectStore, TheTagsOfSomeImagesAreCountedWithinThem) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ImageId a = *p->addImage(img("a.png")), b = *p->addImage(img("b.png")), c = *p->addImage(img("c.png"));
  ASSERT_TRUE(p->tagImages("BOTH", {a, b}).ok());
  ASSERT_TRUE(p->tagImages("ONE", {b}).ok());
  ASSERT_TRUE(p->tagImages("OTHER", {c}).ok());
  auto tags = *p->tagsOfImages({a, b});
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].name, "BOTH");
  EXPECT_EQ(tags[0].imageCount, 2);
  EXPECT_EQ(tags[1].name, "ONE");
  EXPECT_EQ(tags[1].imageCount, 1);
  EXPECT_TRUE(p->tagsOfImages({})->empty());
}

// Regression (issue 21): "scratch" and "Scratch" were both accepted as classes.
TEST(ProjectStore, ClassNamesThatDifferOnlyInCaseAreRefused) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId scratch = *p->addClass("scratch");
  auto twin = p->addClass("Scratch");
  ASSERT_EQ(twin.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(twin.status().message().find("differs only in case from the existing class 'scratch'"), std::string::npos)
      << twin.status().message();
  const ClassId dent = *p->addClass("dent");
  EXPECT_EQ(p->renameClass(dent, "SCRATCH").code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(p->renameClass(scratch, "Scratch").ok()) << "a class may change its own case";
  EXPECT_EQ(p->classes()->size(), 2u);
}

TEST(ProjectStore, ModelRunsAndScoresRoundTrip) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ImageId a = *p->addImage(img("a.png"));
  ModelRun run;
  run.name = "CAL1";
  run.trainedOn = "GT1";
  const RunId id = *p->addRun(run);
  EXPECT_EQ(p->addRun(run).status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(p->setRunMetrics(id, R"({"map50":0.5})").ok());
  EXPECT_EQ((*p->findRun("CAL1"))->metricsJson, R"({"map50":0.5})");
  ImageScore s{id, a, 1.5, Difficulty::kHard, 0, R"({"entropy":1})"};
  ASSERT_TRUE(p->putScores({s}).ok());
  s.difficulty = Difficulty::kMedium;
  ASSERT_TRUE(p->putScores({s}).ok());  // replaces, never duplicates
  auto back = *p->score(id, a);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->difficulty, Difficulty::kMedium);
  EXPECT_DOUBLE_EQ(back->score, 1.5);
}

TEST(ProjectStore, RemovingImagesTakesTheirBoxesTagsAndScoresButNeverTheFiles) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  test::writeImage(tmp / "gone.png", 40, 30);
  const ImageId gone = *p->addImage(img("gone.png")), kept = *p->addImage(img("kept.png"));
  const ClassId cls = *p->addClass("a");
  ASSERT_TRUE(p->addBox(box(gone, cls)).ok());
  const BoxId keptBox = *p->addBox(box(kept, cls));
  ASSERT_TRUE(p->tagImages("GT1", {gone, kept}).ok());
  const RunId run = *p->addRun(ModelRun{0, "CAL1"});
  ASSERT_TRUE(p->putScores({ImageScore{run, gone, 1.0, Difficulty::kHard, 0, "{}"}}).ok());

  EXPECT_EQ(*p->removeImages({gone, 999}), 1u) << "an unknown id is skipped";
  EXPECT_EQ(p->image(gone).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(p->boxes(gone)->empty());
  EXPECT_FALSE(*p->score(run, gone));
  EXPECT_EQ((*p->tags())[0].imageCount, 1) << "the tag keeps only the image still there";
  ASSERT_EQ(p->boxes(kept)->size(), 1u);
  EXPECT_EQ((*p->boxes(kept))[0].id, keptBox);
  EXPECT_TRUE(std::filesystem::exists(tmp / "gone.png")) << "the file on disk stays";
  EXPECT_EQ(*p->removeImages({gone}), 0u);
}

TEST(WriteBatch, CommittedChunksSurviveAndTheOpenChunkIsRolledBack) {
  TempDir tmp;
  {
    auto p = test::newProject(tmp.path());
    Project::WriteBatch batch(*p);
    ASSERT_TRUE(batch.status().ok());
    ASSERT_TRUE(p->addImage(img("committed.png")).ok());
    ASSERT_TRUE(batch.commit().ok());
    ASSERT_TRUE(p->addImage(img("in-flight.png")).ok());
    // The batch is destroyed without commit, as when a job fails or is cancelled.
  }
  auto p = Project::open(tmp.path());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(*(*p)->findImageByPath("committed.png"));
  EXPECT_FALSE(*(*p)->findImageByPath("in-flight.png"));
}

TEST(WriteBatch, AFailedWriteInsideABatchUndoesOnlyItself) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId cls = *p->addClass("a");
  Project::WriteBatch batch(*p);
  const ImageId id = *p->addImage(img("a.png"));
  EXPECT_FALSE(p->addBox(box(id, cls + 7)).ok());
  ASSERT_TRUE(p->addBox(box(id, cls)).ok());
  ASSERT_TRUE(batch.commit().ok());
  EXPECT_EQ(p->boxes(id)->size(), 1u);
}

TEST(ProjectStore, AnotherConnectionSeesCommittedWrites) {
  TempDir tmp;
  auto writer = test::newProject(tmp.path());
  auto reader = Project::open(tmp.path());
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(writer->addImage(img("a.png")).ok());
  EXPECT_EQ((*reader)->stats()->images, 1);
}

TEST(ProjectStats, CountsPerClassTagStatusAndSource) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  const ClassId a = *p->addClass("a"), b = *p->addClass("b");
  const ImageId i1 = *p->addImage(img("1.png")), i2 = *p->addImage(img("2.png"));
  EXPECT_TRUE(p->addImage(img("3.png")).ok());
  EXPECT_TRUE(p->addBox(box(i1, a)).ok());
  EXPECT_TRUE(p->addBox(box(i1, a)).ok());
  Box autoBox = box(i2, b);
  autoBox.source = BoxSource::kAuto;
  EXPECT_TRUE(p->addBox(autoBox).ok());
  EXPECT_TRUE(p->setImageStatus(i2, ImageStatus::kReviewed).ok());
  EXPECT_TRUE(p->tagImages("VAL1", {i1}).ok());
  auto s = *p->stats();
  EXPECT_EQ(s.images, 3);
  EXPECT_EQ(s.boxes, 3);
  ASSERT_EQ(s.perClass.size(), 2u);
  EXPECT_EQ(s.perClass[0].boxes, 2);
  EXPECT_EQ(s.perClass[0].images, 1);
  EXPECT_EQ(s.perStatus[0], 1);
  EXPECT_EQ(s.perStatus[1], 1);
  EXPECT_EQ(s.perStatus[2], 1);
  EXPECT_EQ(s.perSource[1], 1);
  ASSERT_EQ(s.perTag.size(), 1u);
  EXPECT_EQ(s.perTag[0].imageCount, 1);
}

}  // namespace
}  // namespace quarry
