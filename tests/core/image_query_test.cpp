// ImageQuery: every filter narrows, filters combine, and the CLI syntax maps onto them.
#include "quarry/store/image_query.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/store/query_text.h"

namespace quarry {
namespace {

using test::TempDir;

// Six images: 1-3 tagged GT1, 4-5 VAL1; 1 has a scratch, 2 a pit (auto), 4 both;
// image 6 is called "weld_6.png"; run CAL1 scores 1 easy, 2 hard, 3 hard.
class ImageQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    p = test::newProject(tmp.path());
    scratch = *p->addClass("scratch");
    pit = *p->addClass("pit");
    for (int i = 1; i <= 6; ++i) {
      ImageRecord r;
      r.path = i == 6 ? "images/weld_6.png" : "images/img_" + std::to_string(i) + ".png";
      r.width = r.height = 64;
      ids.push_back(*p->addImage(r));
    }
    EXPECT_TRUE(p->tagImages("GT1", {id(1), id(2), id(3)}).ok());
    EXPECT_TRUE(p->tagImages("VAL1", {id(4), id(5)}).ok());
    addBox(1, scratch, BoxSource::kManual);
    addBox(2, pit, BoxSource::kAuto);
    addBox(4, scratch, BoxSource::kManual);
    addBox(4, pit, BoxSource::kCorrected);
    EXPECT_TRUE(p->setImageStatus(id(5), ImageStatus::kReviewed).ok());
    ModelRun run;
    run.name = "CAL1";
    runId = *p->addRun(run);
    EXPECT_TRUE(p->putScores({{runId, id(1), 0.1, Difficulty::kEasy, 1, "{}"},
                              {runId, id(2), 0.9, Difficulty::kHard, 1, "{}"},
                              {runId, id(3), 0.8, Difficulty::kHard, 0, "{}"}})
                    .ok());
  }
  ImageId id(int i) const { return ids[static_cast<std::size_t>(i - 1)]; }
  void addBox(int i, ClassId cls, BoxSource source) {
    Box b;
    b.image = id(i);
    b.cls = cls;
    b.w = b.h = 5;
    b.source = source;
    ASSERT_TRUE(p->addBox(b).ok());
  }
  std::vector<int> find(const ImageQuery& q) {
    auto r = p->findImages(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<int> out;
    for (ImageId x : *r)
      for (int i = 1; i <= 6; ++i)
        if (id(i) == x) out.push_back(i);
    EXPECT_EQ(static_cast<std::int64_t>(out.size()), *p->countImages(q));
    return out;
  }

  TempDir tmp;
  std::unique_ptr<Project> p;
  ClassId scratch = 0, pit = 0;
  RunId runId = 0;
  std::vector<ImageId> ids;
};

TEST_F(ImageQueryTest, AnEmptyQueryMatchesEveryImage) { EXPECT_EQ(find({}), (std::vector<int>{1, 2, 3, 4, 5, 6})); }

TEST_F(ImageQueryTest, FiltersByTags) {
  ImageQuery q;
  q.anyTags = {"GT1", "VAL1"};
  EXPECT_EQ(find(q), (std::vector<int>{1, 2, 3, 4, 5}));
  q = {};
  q.noTags = {"GT1", "VAL1"};
  EXPECT_EQ(find(q), (std::vector<int>{6}));
  q = {};
  q.allTags = {"GT1", "VAL1"};
  EXPECT_TRUE(find(q).empty());
  q.allTags = {"no-such-tag"};
  EXPECT_TRUE(find(q).empty());
}

TEST_F(ImageQueryTest, FiltersByClassPresentStatusAndSource) {
  ImageQuery q;
  q.classes = {"pit"};
  EXPECT_EQ(find(q), (std::vector<int>{2, 4}));
  q = {};
  q.statuses = {ImageStatus::kUnlabeled};
  EXPECT_EQ(find(q), (std::vector<int>{3, 6}));
  q = {};
  q.sources = {BoxSource::kAuto, BoxSource::kCorrected};
  EXPECT_EQ(find(q), (std::vector<int>{2, 4}));
}

TEST_F(ImageQueryTest, FiltersByDifficultyOfOneRunAndCombinesWithTagAndClass) {
  ImageQuery q;
  q.scoreRun = runId;
  q.difficulties = {Difficulty::kHard};
  EXPECT_EQ(find(q), (std::vector<int>{2, 3}));
  q.anyTags = {"GT1"};
  q.classes = {"pit"};
  EXPECT_EQ(find(q), (std::vector<int>{2}));
}

TEST_F(ImageQueryTest, ColumnFiltersAndExclusionsCombineWithARelatedFilter) {
  ImageQuery q;
  q.anyTags = {"GT1", "VAL1"};
  q.statuses = {ImageStatus::kUnlabeled};
  EXPECT_EQ(find(q), (std::vector<int>{3}));
  q = {};
  q.classes = {"scratch"};
  q.noTags = {"VAL1"};
  EXPECT_EQ(find(q), (std::vector<int>{1}));
  q = {};
  q.sources = {BoxSource::kManual};
  q.nameContains = "img_4";
  EXPECT_EQ(find(q), (std::vector<int>{4}));
}

TEST_F(ImageQueryTest, AnImageMatchingSeveralWaysIsListedOnce) {
  EXPECT_TRUE(p->tagImages("VAL1", {id(1)}).ok());
  addBox(1, scratch, BoxSource::kManual);
  ImageQuery q;
  q.anyTags = {"GT1", "VAL1"};
  EXPECT_EQ(find(q), (std::vector<int>{1, 2, 3, 4, 5}));
  q = {};
  q.classes = {"scratch"};
  EXPECT_EQ(find(q), (std::vector<int>{1, 4}));
}

TEST_F(ImageQueryTest, NameSearchIsASubstringAndTreatsWildcardsLiterally) {
  ImageQuery q;
  q.nameContains = "WELD";
  EXPECT_EQ(find(q), (std::vector<int>{6}));
  q.nameContains = "%";
  EXPECT_TRUE(find(q).empty());
  q.nameContains = "img_";
  EXPECT_EQ(find(q).size(), 5u);
}

TEST_F(ImageQueryTest, PagesWithLimitAndOffset) {
  ImageQuery q;
  q.limit = 2;
  q.offset = 3;
  EXPECT_EQ(*p->findImages(q), (std::vector<ImageId>{id(4), id(5)}));
}

TEST(ParseImageQuery, ReadsEveryKey) {
  ParsedQuery pq;
  std::string error;
  ASSERT_TRUE(parseImageQuery("tag:GT1,GT2 notag:VAL1 class:pit status:labeled source:auto difficulty:hard,medium "
                              "run:CAL1 name:weld alltags:A",
                              &pq, &error))
      << error;
  EXPECT_EQ(pq.query.anyTags, (std::vector<std::string>{"GT1", "GT2"}));
  EXPECT_EQ(pq.query.noTags, (std::vector<std::string>{"VAL1"}));
  EXPECT_EQ(pq.query.allTags, (std::vector<std::string>{"A"}));
  EXPECT_EQ(pq.query.classes, (std::vector<std::string>{"pit"}));
  EXPECT_EQ(pq.query.statuses, (std::vector<ImageStatus>{ImageStatus::kLabeled}));
  EXPECT_EQ(pq.query.sources, (std::vector<BoxSource>{BoxSource::kAuto}));
  EXPECT_EQ(pq.query.difficulties, (std::vector<Difficulty>{Difficulty::kHard, Difficulty::kMedium}));
  EXPECT_EQ(pq.runName, "CAL1");
  EXPECT_EQ(pq.query.nameContains, "weld");
}

TEST(ParseImageQuery, RejectsUnknownKeysAndValuesWithAMessage) {
  ParsedQuery pq;
  std::string error;
  EXPECT_FALSE(parseImageQuery("colour:red", &pq, &error));
  EXPECT_NE(error.find("colour"), std::string::npos);
  EXPECT_FALSE(parseImageQuery("status:done", &pq, &error));
  EXPECT_NE(error.find("done"), std::string::npos);
  EXPECT_FALSE(parseImageQuery("justaword", &pq, &error));
}

// A query may rightly match nothing, but a tag that no image carries is usually a typo: the
// CLI warns about the ones this names.
TEST_F(ImageQueryTest, TagsNoImageHasAreNamedOnceInOrder) {
  ImageQuery q;
  ASSERT_TRUE(resolveImageQuery(*p, "tag:GT1,GT01 notag:VAL2 alltags:GT01", &q).ok());
  EXPECT_EQ(*tagsNoImageHas(*p, q), (std::vector<std::string>{"GT01", "VAL2"}));
  ASSERT_TRUE(resolveImageQuery(*p, "tag:GT1 notag:VAL1", &q).ok());
  EXPECT_TRUE(tagsNoImageHas(*p, q)->empty());
  // A tag whose images were all untagged is as good as gone.
  ASSERT_TRUE(p->untagImages("VAL1", {id(4), id(5)}).ok());
  EXPECT_EQ(*tagsNoImageHas(*p, q), std::vector<std::string>{"VAL1"});
}

// The filter bar shows its state as query text and reads typed text back: the two must agree.
TEST(QueryText, WritesAQueryThatParsesBackToTheSameFilter) {
  ImageQuery q;
  q.anyTags = {"GT1", "GT2"};
  q.noTags = {"VAL1"};
  q.classes = {"scratch"};
  q.statuses = {ImageStatus::kReviewed};
  q.sources = {BoxSource::kAuto};
  q.difficulties = {Difficulty::kMedium, Difficulty::kHard};
  q.nameContains = "weld";
  const std::string text = toQueryText(q, "CAL1");
  EXPECT_EQ(text, "tag:GT1,GT2 notag:VAL1 class:scratch status:reviewed source:auto difficulty:medium,hard run:CAL1 name:weld");
  ParsedQuery back;
  std::string error;
  ASSERT_TRUE(parseImageQuery(text, &back, &error)) << error;
  EXPECT_TRUE(sameFilter(back.query, q));
  EXPECT_EQ(back.runName, "CAL1");
  // Without a run, difficulty terms cannot be written (they need one) and are left out.
  EXPECT_EQ(toQueryText(q, "").find("difficulty"), std::string::npos);
  ImageQuery other = q;
  other.noTags.clear();
  EXPECT_FALSE(sameFilter(other, q));
}

}  // namespace
}  // namespace quarry
