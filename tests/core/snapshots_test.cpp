// Snapshots (issue 16, item 1): a named copy of the store made while the project is open, a diff
// that counts exactly what changed, and a restore that brings every box, tag and status back
// without losing the state it replaces.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "core/test_support.h"
#include "quarry/al/accept.h"
#include "quarry/store/project.h"
#include "quarry/store/snapshots.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

// Six images of 64x48 with two auto boxes each from run CAL1, classes "crack" and "pit".
struct Fixture {
  std::unique_ptr<Project> project;
  std::vector<ImageId> images;
  ClassId crack = 0, pit = 0;
  RunId run = 0;
};

Fixture makeProject(const fs::path& dir) {
  Fixture f;
  f.project = test::newProject(dir);
  f.crack = *f.project->addClass("crack");
  f.pit = *f.project->addClass("pit");
  ModelRun run;
  run.name = "CAL1";
  f.run = *f.project->addRun(run);
  for (int i = 0; i < 6; ++i) {
    const std::string rel = "images/" + std::to_string(i) + ".png";
    test::writeImage(dir / rel, 64, 48, i);
    ImageRecord rec;
    rec.path = rel;
    rec.width = 64;
    rec.height = 48;
    rec.hash = std::to_string(i);
    const ImageId id = *f.project->addImage(rec);
    f.images.push_back(id);
    for (int k = 0; k < 2; ++k) {
      Box b;
      b.image = id;
      b.cls = k == 0 ? f.crack : f.pit;
      b.x = 2 + k * 20;
      b.y = 3;
      b.w = 10;
      b.h = 8;
      b.source = BoxSource::kAuto;
      b.run = f.run;
      b.score = 0.9;
      EXPECT_TRUE(f.project->addBox(b).ok());
    }
  }
  return f;
}

std::vector<std::tuple<BoxId, ClassId, double, double, int>> allBoxes(const Project& p, const std::vector<ImageId>& ids) {
  std::vector<std::tuple<BoxId, ClassId, double, double, int>> out;
  for (const Box& b : *p.boxesOfImages(ids)) out.emplace_back(b.id, b.cls, b.x, b.w, static_cast<int>(b.source));
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t taggedGt1(const Project& p) {
  ImageQuery q;
  q.anyTags = {"GT1"};
  return p.findImages(q)->size();
}

std::vector<ImageStatus> statuses(const Project& p, const std::vector<ImageId>& ids) {
  std::vector<ImageStatus> out;
  for (const auto& im : *p.images(ids)) out.push_back(im.status);
  return out;
}

TEST(Snapshots, ARestoreAfterABulkAcceptAndEditsBringsEveryBoxTagAndStatusBack) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  Project& p = *f.project;
  const auto boxesBefore = allBoxes(p, f.images);
  const auto statusBefore = statuses(p, f.images);
  auto made = createSnapshot(p.dir(), "before-accept", "the team's state on Monday");
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->images, 6);
  EXPECT_EQ(made->boxes, 12);
  EXPECT_EQ(made->note, "the team's state on Monday");
  EXPECT_TRUE(fs::exists(p.dir() / "snapshots" / "before-accept.quarry"));

  // The bad afternoon: every image accepted, a class's boxes deleted, one box moved, a tag.
  AcceptPlan plan;
  plan.images = f.images;
  ASSERT_TRUE(acceptImages(p, plan).ok());
  for (const Box& b : *p.boxesOfImages({f.images[0], f.images[1], f.images[2]}))
    if (b.cls == f.pit) {
      ASSERT_TRUE(p.removeBox(b.id).ok());
    }
  Box moved = (*p.boxes(f.images[5]))[0];
  moved.x += 5;
  ASSERT_TRUE(p.updateBox(moved).ok());
  ASSERT_TRUE(p.tagImages("GT1", {f.images[3], f.images[4]}).ok());

  auto diff = diffSnapshots(p.dir(), "before-accept", kCurrentState);
  ASSERT_TRUE(diff.ok()) << diff.status().message();
  EXPECT_EQ(diff->classes["pit"].removed, 3);
  EXPECT_EQ(diff->classes["crack"].changed, 1);
  EXPECT_EQ(diff->totalBoxes().added, 0);
  EXPECT_EQ(diff->imagesWithBoxChanges, 4);
  EXPECT_EQ(diff->tags["GT1"].added, 2);
  EXPECT_EQ(diff->statusChanged, 6);

  auto safety = restoreSnapshot(p.dir(), "before-accept");
  ASSERT_TRUE(safety.ok()) << safety.status().message();
  EXPECT_EQ(allBoxes(p, f.images), boxesBefore) << "the open Project reads the restored store";
  EXPECT_EQ(statuses(p, f.images), statusBefore);
  EXPECT_EQ(taggedGt1(p), 0u);
  EXPECT_TRUE(diffSnapshots(p.dir(), "before-accept", kCurrentState)->empty());

  // The afternoon is not lost: it is the safety snapshot, and restoring that undoes the restore.
  EXPECT_EQ(safety->note, "before restoring before-accept");
  EXPECT_EQ(safety->boxes, 9);
  ASSERT_TRUE(restoreSnapshot(p.dir(), safety->name).ok());
  EXPECT_EQ(p.boxesOfImages(f.images)->size(), 9u);
  EXPECT_EQ(taggedGt1(p), 2u);
}

TEST(Snapshots, ListShowsSizeAndDateOldestFirstAndDeleteRemovesOne) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  ASSERT_TRUE(createSnapshot(f.project->dir(), "first").ok());
  ASSERT_TRUE(f.project->removeBox((*f.project->boxes(f.images[0]))[0].id).ok());
  auto automatic = createSnapshot(f.project->dir(), "");  // named by the time
  ASSERT_TRUE(automatic.ok());
  EXPECT_EQ(automatic->name.size(), std::string("20261202-183005").size());
  auto all = listSnapshots(f.project->dir());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "first");
  EXPECT_EQ((*all)[0].boxes, 12);
  EXPECT_EQ((*all)[1].boxes, 11);
  EXPECT_GT((*all)[0].bytes, 0u);
  EXPECT_GT((*all)[0].createdAt, 1'700'000'000'000);
  EXPECT_LE((*all)[0].createdAt, (*all)[1].createdAt);
  EXPECT_EQ(createSnapshot(f.project->dir(), "first").status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(deleteSnapshot(f.project->dir(), "first").ok());
  EXPECT_EQ(listSnapshots(f.project->dir())->size(), 1u);
  EXPECT_EQ(deleteSnapshot(f.project->dir(), "first").code(), StatusCode::kNotFound);
}

TEST(Snapshots, ASnapshotIsAPlainCompleteFileNotTheWalOfTheLiveStore) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  // The project's writes sit in its WAL until a checkpoint; a file copy would miss them.
  auto made = createSnapshot(f.project->dir(), "now");
  ASSERT_TRUE(made.ok());
  SQLite::Database db(made->file.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM boxes").getInt(), 12);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_FALSE(fs::exists(made->file.string() + ".part"));
}

TEST(Snapshots, ACancelledSnapshotLeavesNothing) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  auto made = createSnapshot(f.project->dir(), "never", "", [](std::size_t, std::size_t, std::string_view) { return false; });
  EXPECT_EQ(made.status().code(), StatusCode::kCancelled);
  EXPECT_TRUE(listSnapshots(f.project->dir())->empty());
  EXPECT_FALSE(fs::exists(f.project->dir() / "snapshots" / "never.quarry.part"));
}

TEST(Snapshots, BadNamesAndUnknownSnapshotsAreRefusedByName) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  for (const std::string& bad : std::vector<std::string>{"../x", "a b", "current", "-x", std::string(65, 'a')})
    EXPECT_EQ(createSnapshot(f.project->dir(), bad).status().code(), StatusCode::kInvalidArgument) << bad;
  auto missing = restoreSnapshot(f.project->dir(), "nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("'nope'"), std::string::npos);
  EXPECT_EQ(f.project->boxesOfImages(f.images)->size(), 12u) << "nothing was touched";
  EXPECT_TRUE(listSnapshots(f.project->dir())->empty()) << "no safety snapshot for a restore that never ran";
}

TEST(Snapshots, RestoreIntoANewFolderShowsTheSameFilesUnderAnImageRoot) {
  TempDir tmp;
  Fixture f = makeProject(tmp / "project");
  ASSERT_TRUE(createSnapshot(f.project->dir(), "v1").ok());
  const Status into = restoreSnapshotInto(f.project->dir(), "v1", tmp / "copy");
  ASSERT_TRUE(into.ok()) << into.message();
  auto copy = Project::open(tmp / "copy");
  ASSERT_TRUE(copy.ok());
  const auto images = *(*copy)->images(*(*copy)->findImages({}));
  ASSERT_EQ(images.size(), 6u);
  for (const auto& im : images) {
    EXPECT_EQ(im.path.rfind("$project/images/", 0), 0u) << im.path;
    EXPECT_TRUE(fs::exists((*copy)->resolve(im.path))) << im.path;
  }
  EXPECT_NE((*copy)->projectId(), f.project->projectId());
  EXPECT_EQ((*copy)->boxesOfImages(*(*copy)->findImages({}))->size(), 12u);
  EXPECT_EQ(restoreSnapshotInto(f.project->dir(), "v1", tmp / "copy").code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace quarry
