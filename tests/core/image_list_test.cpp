// The image list's pages: sorting by every column, paging, the difficulty of one run,
// positions, and saved views.
#include <gtest/gtest.h>

#include "core/test_support.h"

namespace quarry {
namespace {

using test::TempDir;

// c.png (2 boxes, tags GT1+VAL9, hard), a.png (0 boxes, easy), b.png (1 box, reviewed, unscored).
class ImageListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    p = test::newProject(tmp.path());
    const ClassId cls = *p->addClass("x");
    c = add("c.png");
    a = add("a.png");
    b = add("b.png");
    for (ImageId id : {c, c, b}) {
      Box bx;
      bx.image = id;
      bx.cls = cls;
      bx.w = bx.h = 3;
      EXPECT_TRUE(p->addBox(bx).ok());
    }
    EXPECT_TRUE(p->setImageStatus(b, ImageStatus::kReviewed).ok());
    EXPECT_TRUE(p->tagImages("VAL9", {c}).ok());
    EXPECT_TRUE(p->tagImages("GT1", {c, a}).ok());
    ModelRun r;
    r.name = "CAL1";
    run = *p->addRun(r);
    EXPECT_TRUE(p->putScores({{run, c, 2.0, Difficulty::kHard, 0, "{}"}, {run, a, 0.1, Difficulty::kEasy, 3, "{}"}}).ok());
  }
  ImageId add(const std::string& path) {
    ImageRecord r;
    r.path = path;
    r.width = r.height = 8;
    return *p->addImage(r);
  }
  std::vector<ImageId> order(ImageSort sort, bool descending = false) {
    ImageListRequest req;
    req.sort = sort;
    req.descending = descending;
    req.difficultyRun = run;
    std::vector<ImageId> ids;
    for (const auto& row : *p->listImages(req)) ids.push_back(row.id);
    return ids;
  }
  TempDir tmp;
  std::unique_ptr<Project> p;
  ImageId a = 0, b = 0, c = 0;
  RunId run = 0;
};

TEST_F(ImageListTest, RowsCarryStatusBoxCountTagsAndDifficulty) {
  ImageListRequest req;
  req.difficultyRun = run;
  auto rows = *p->listImages(req);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].path, "a.png");
  EXPECT_EQ(rows[0].difficulty, Difficulty::kEasy);
  EXPECT_EQ(rows[1].path, "b.png");
  EXPECT_EQ(rows[1].status, ImageStatus::kReviewed);
  EXPECT_FALSE(rows[1].difficulty);
  EXPECT_EQ(rows[2].boxCount, 2);
  EXPECT_EQ(rows[2].tags, "GT1,VAL9");
  EXPECT_EQ(rows[2].status, ImageStatus::kLabeled);
}

TEST_F(ImageListTest, SortsByEveryColumnBothWays) {
  EXPECT_EQ(order(ImageSort::kName), (std::vector<ImageId>{a, b, c}));
  EXPECT_EQ(order(ImageSort::kName, true), (std::vector<ImageId>{c, b, a}));
  EXPECT_EQ(order(ImageSort::kStatus), (std::vector<ImageId>{a, c, b}));
  EXPECT_EQ(order(ImageSort::kBoxCount, true), (std::vector<ImageId>{c, b, a}));
  EXPECT_EQ(order(ImageSort::kTags), (std::vector<ImageId>{b, a, c}));
  EXPECT_EQ(order(ImageSort::kDifficulty), (std::vector<ImageId>{b, a, c}));
  EXPECT_EQ(order(ImageSort::kDifficulty, true), (std::vector<ImageId>{c, a, b}));
}

// Regression (issue 21): the Name column showed file names but sorted by the whole path, so
// 90100083.jpg came before 00041000.jpg.
TEST_F(ImageListTest, TheNameColumnSortsByTheFileNameItShows) {
  const ImageId late = add("a_folder/90100083.jpg");
  const ImageId early = add("z_folder/00041000.jpg");
  const auto ids = order(ImageSort::kName);
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[0], early);
  EXPECT_EQ(ids[1], late);
  EXPECT_EQ(ids[2], a);
  ImageListRequest req;
  req.sort = ImageSort::kName;
  EXPECT_EQ(*p->listPosition(req, early), 0);
}

TEST_F(ImageListTest, PagesAndFiltersInsideTheStore) {
  ImageListRequest req;
  req.limit = 1;
  req.offset = 1;
  auto page = *p->listImages(req);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, b);
  req = {};
  req.filter.anyTags = {"GT1"};
  req.sort = ImageSort::kBoxCount;
  auto rows = *p->listImages(req);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, a);
  EXPECT_EQ(rows[1].id, c);
}

TEST_F(ImageListTest, PositionFollowsTheSortAndTheFilter) {
  ImageListRequest req;
  req.sort = ImageSort::kName;
  req.descending = true;
  EXPECT_EQ(*p->listPosition(req, a), 2);
  req.filter.anyTags = {"GT1"};
  EXPECT_EQ(*p->listPosition(req, b), -1);
  EXPECT_EQ(*p->listPosition(req, c), 0);
  req.sort = ImageSort::kTags;
  req.descending = false;
  EXPECT_EQ(*p->listPosition(req, c), 1);
}

TEST_F(ImageListTest, BoxCountsFollowRemovedBoxes) {
  auto boxes = *p->boxes(c);
  ASSERT_TRUE(p->removeBox(boxes[0].id).ok());
  ImageListRequest req;
  req.filter.nameContains = "c.png";
  EXPECT_EQ(p->listImages(req)->at(0).boxCount, 1);
}

TEST(SavedViews, AreStoredByNameAndMustParse) {
  TempDir tmp;
  auto p = test::newProject(tmp.path());
  ASSERT_TRUE(p->saveView("hard GT2", "tag:GT2 difficulty:hard run:CAL1").ok());
  ASSERT_TRUE(p->saveView("hard GT2", "tag:GT2").ok());  // same name replaces
  EXPECT_EQ(p->saveView("bad", "colour:red").code(), StatusCode::kInvalidArgument);
  auto views = *p->views();
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].second, "tag:GT2");
  EXPECT_TRUE(p->removeView("hard GT2").ok());
  EXPECT_EQ(p->removeView("hard GT2").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace quarry
