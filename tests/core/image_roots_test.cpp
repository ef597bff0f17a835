// Image roots (issue 15, item 1): images outside the project are stored relative to a named
// root, so a moved or remounted folder needs one change, and a machine may map a root to its
// own folder in a per-user file without changing the project.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/test_support.h"
#include "quarry/formats/formats.h"
#include "quarry/store/project.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

// Points the per-user roots file at `file` for the test's lifetime.
class RootsFile {
 public:
  explicit RootsFile(const fs::path& file) {
    const char* old = std::getenv("QUARRY_ROOTS_FILE");
    if (old) old_ = old;
    had_ = old != nullptr;
    setenv("QUARRY_ROOTS_FILE", file.c_str(), 1);
  }
  ~RootsFile() {
    if (had_) setenv("QUARRY_ROOTS_FILE", old_.c_str(), 1);
    else unsetenv("QUARRY_ROOTS_FILE");
  }

 private:
  std::string old_;
  bool had_ = false;
};

std::vector<std::string> storedPaths(const Project& p) {
  std::vector<std::string> out;
  for (const auto& im : *p.images(*p.findImages({}))) out.push_back(im.path);
  return out;
}

TEST(ImageRoots, AnImportFromOutsideMakesARootAndAMovedFolderNeedsOneChange) {
  TempDir tmp;
  RootsFile roots(tmp / "roots.json");
  test::writeImage(tmp / "line1" / "a.png", 20, 10);
  test::writeImage(tmp / "line1" / "sub" / "b.png", 20, 10);
  auto p = test::newProject(tmp / "project");
  ImportReport report;
  ASSERT_TRUE(importDataset(*p, Format::kFolder, tmp / "line1", {}, &report).ok());
  EXPECT_EQ(report.imageRoot, "line1");
  EXPECT_TRUE(report.imageRootAdded);
  EXPECT_NE(summaryLine(report).find("new image root $line1"), std::string::npos) << summaryLine(report);
  EXPECT_EQ(storedPaths(*p), (std::vector<std::string>{"$line1/a.png", "$line1/sub/b.png"}));

  fs::rename(tmp / "line1", tmp / "moved");
  EXPECT_FALSE(fs::exists(p->resolve("$line1/a.png")));
  EXPECT_EQ(*p->setImageRoot("line1", tmp / "moved"), 0u) << "nothing absolute to convert";
  EXPECT_EQ(p->resolve("$line1/sub/b.png"), tmp / "moved" / "sub" / "b.png");
  EXPECT_TRUE(fs::exists(p->resolve("$line1/a.png")));

  // The moved folder imported again is the same images, under the same root.
  ImportReport again;
  ASSERT_TRUE(importDataset(*p, Format::kFolder, tmp / "moved", {}, &again).ok());
  EXPECT_EQ(again.imagesAlreadyThere, 2u);
  EXPECT_FALSE(again.imageRootAdded);
  EXPECT_EQ(p->stats()->images, 2);
  auto list = *p->imageRoots();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].images, 2);
  EXPECT_EQ(list[0].location, tmp / "moved");
}

TEST(ImageRoots, AbsolutePathsOfAnOlderProjectKeepWorkingAndARootConvertsThem) {
  TempDir tmp;
  RootsFile roots(tmp / "roots.json");
  test::writeImage(tmp / "data" / "a.png", 20, 10);
  test::writeImage(tmp / "other" / "c.png", 20, 10);
  auto p = test::newProject(tmp / "project");
  ImageRecord a, c;
  a.path = (tmp / "data" / "a.png").generic_string();  // as stored before roots existed
  c.path = (tmp / "other" / "c.png").generic_string();
  a.width = c.width = 20;
  a.height = c.height = 10;
  const ImageId ia = *p->addImage(a);
  ASSERT_TRUE(p->addImage(c).ok());
  EXPECT_TRUE(fs::exists(p->resolve(p->image(ia)->path)));

  EXPECT_EQ(*p->setImageRoot("data", tmp / "data"), 1u);
  EXPECT_EQ(p->image(ia)->path, "$data/a.png");
  EXPECT_TRUE(fs::exists(p->resolve("$data/a.png")));
  EXPECT_EQ(storedPaths(*p)[1], c.path) << "a path outside the root stays absolute";
  EXPECT_EQ(p->storedPath(tmp / "data" / "new.png"), "$data/new.png");
}

// An open window and `quarry roots set --here-only` in a terminal: the window's Project sees the
// new location within a second, without reopening.
TEST(ImageRoots, AnOpenProjectSeesThisMachinesRootsFileChangeWithinASecond) {
  TempDir tmp;
  RootsFile machine(tmp / "roots.json");
  auto window = test::newProject(tmp / "project");
  ASSERT_TRUE(window->setImageRoot("share", tmp / "share").ok());
  EXPECT_EQ(window->resolve("$share/a.png"), tmp / "share" / "a.png");
  {
    auto terminal = Project::open(tmp / "project");
    ASSERT_TRUE(terminal.ok());
    ASSERT_TRUE((*terminal)->setLocalImageRoot("share", tmp / "mnt").ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(window->resolve("$share/a.png"), tmp / "mnt" / "a.png");
}

TEST(ImageRoots, AMachinesOwnLocationWinsThereAndOnlyThere) {
  TempDir tmp;
  test::writeImage(tmp / "share" / "a.png", 20, 10);
  test::writeImage(tmp / "mnt" / "a.png", 20, 10);
  {
    RootsFile machineA(tmp / "a.json");
    auto p = test::newProject(tmp / "project");
    ASSERT_TRUE(p->setImageRoot("share", tmp / "share").ok());
    ASSERT_TRUE(p->setLocalImageRoot("share", tmp / "mnt").ok());
    EXPECT_EQ(p->resolve("$share/a.png"), tmp / "mnt" / "a.png");
    EXPECT_EQ(p->storedPath(tmp / "mnt" / "b.png"), "$share/b.png") << "stored by where the root is here";
    EXPECT_EQ(p->setLocalImageRoot("nope", tmp.path()).code(), StatusCode::kNotFound);
  }
  {
    RootsFile machineA(tmp / "a.json");
    auto p = Project::open(tmp / "project");
    ASSERT_TRUE(p.ok());
    EXPECT_EQ((*p)->resolve("$share/a.png"), tmp / "mnt" / "a.png") << "remembered for this user";
    EXPECT_EQ((*(*p)->imageRoots())[0].localLocation, tmp / "mnt");
  }
  {
    RootsFile machineB(tmp / "b.json");  // another machine: no mapping of its own
    auto p = Project::open(tmp / "project");
    ASSERT_TRUE(p.ok());
    EXPECT_EQ((*p)->resolve("$share/a.png"), tmp / "share" / "a.png");
    ASSERT_TRUE((*p)->setLocalImageRoot("share", tmp / "elsewhere").ok());
    EXPECT_EQ((*p)->resolve("$share/a.png"), tmp / "elsewhere" / "a.png");
    ASSERT_TRUE((*p)->setLocalImageRoot("share", {}).ok());  // removed again
    EXPECT_EQ((*p)->resolve("$share/a.png"), tmp / "share" / "a.png");
  }
}

TEST(ImageRoots, ARootMadeOrMovedByAnotherConnectionIsSeenWithoutReopening) {
  TempDir tmp;
  RootsFile roots(tmp / "roots.json");
  auto window = test::newProject(tmp / "project");
  auto job = Project::open(tmp / "project");  // a worker's or the CLI's own connection
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(window->resolve("$data/a.png"), tmp / "project" / "$data" / "a.png") << "no such root yet";
  ASSERT_TRUE((*job)->setImageRoot("data", tmp / "data").ok());
  EXPECT_EQ(window->resolve("$data/a.png"), tmp / "data" / "a.png");
  ASSERT_TRUE((*job)->setImageRoot("data", tmp / "moved").ok());
  EXPECT_EQ(window->resolve("$data/a.png"), tmp / "moved" / "a.png");
  EXPECT_EQ(window->storedPath(tmp / "moved" / "b.png"), "$data/b.png");
}

TEST(ImageRoots, ADamagedRootsFileLeavesTheDefaultsAndRefusesToBeWrittenOver) {
  TempDir tmp;
  RootsFile roots(tmp / "roots.json");
  auto p = test::newProject(tmp / "project");
  ASSERT_TRUE(p->setImageRoot("data", tmp / "data").ok());
  test::writeText(tmp / "roots.json", "{ not json");
  auto reopened = Project::open(tmp / "project");
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ((*reopened)->resolve("$data/a.png"), tmp / "data" / "a.png");
  const Status st = (*reopened)->setLocalImageRoot("data", tmp / "x");
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find("roots.json"), std::string::npos) << st.message();
  EXPECT_EQ(test::readText(tmp / "roots.json"), "{ not json") << "the user's file is not replaced";
}

TEST(ImageRoots, NamesAreCheckedTheInnermostRootWinsAndTheProjectFolderNeedsNone) {
  TempDir tmp;
  RootsFile roots(tmp / "roots.json");
  auto p = test::newProject(tmp / "project");
  EXPECT_EQ(p->setImageRoot("bad name", tmp.path()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->setImageRoot("../x", tmp.path()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p->setImageRoot("root", "/").status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(p->setImageRoot("data", tmp / "data").ok());
  ASSERT_TRUE(p->setImageRoot("line2", tmp / "data" / "line2").ok());
  EXPECT_EQ(p->storedPath(tmp / "data" / "line2" / "a.png"), "$line2/a.png");
  EXPECT_EQ(p->storedPath(tmp / "data" / "line1" / "a.png"), "$data/line1/a.png");
  EXPECT_EQ(p->storedPath(tmp / "project" / "images" / "a.png"), "images/a.png");
  EXPECT_FALSE(p->imageRootFor(tmp / "project")->has_value());
  EXPECT_FALSE(p->imageRootFor(tmp / "project" / "images")->has_value());
  EXPECT_EQ(**p->imageRootFor(tmp / "data" / "line2" / "x"), "line2");
  bool added = false;
  EXPECT_EQ(**p->imageRootFor(tmp / "elsewhere" / "line 2", &added), "line-2");
  EXPECT_TRUE(added);
  EXPECT_EQ(**p->imageRootFor(tmp / "again" / "data", &added), "data-2") << "a name already taken is made unique";
  EXPECT_EQ(**p->imageRootFor(tmp / "weld-2024" / "images"), "weld-2024-images") << "\"images\" alone says too little";
}

}  // namespace
}  // namespace quarry
