// The seeded VAL/GT split.
#include "quarry/al/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/test_support.h"

namespace quarry {
namespace {

using test::TempDir;

// 100 images; the first 80 show class "common", the last 20 class "rare".
std::unique_ptr<Project> pool(const TempDir& tmp) {
  auto p = test::newProject(tmp.path());
  const ClassId common = *p->addClass("common"), rare = *p->addClass("rare");
  Project::WriteBatch batch(*p);
  for (int i = 0; i < 100; ++i) {
    ImageRecord r;
    r.path = "img_" + std::to_string(i) + ".png";
    r.width = r.height = 10;
    Box b;
    b.image = *p->addImage(r);
    b.cls = i < 80 ? common : rare;
    b.w = b.h = 2;
    EXPECT_TRUE(p->addBox(b).ok());
  }
  EXPECT_TRUE(batch.commit().ok());
  return p;
}

TEST(Split, TheSameSeedChoosesTheSameImagesAndAnotherSeedOthers) {
  TempDir t1, t2, t3;
  auto a = pool(t1), b = pool(t2), c = pool(t3);
  SplitOptions o;
  o.val = {30, 0};
  o.gt = {20, 0};
  o.seed = 5;
  auto ra = *splitImages(*a, o), rb = *splitImages(*b, o);
  o.seed = 6;
  auto rc = *splitImages(*c, o);
  EXPECT_EQ(ra.val, rb.val);
  EXPECT_EQ(ra.gt, rb.gt);
  EXPECT_NE(ra.val, rc.val);
}

TEST(Split, ValAndGtAreDisjointAndTaggedWithTheAskedSizes) {
  TempDir tmp;
  auto p = pool(tmp);
  SplitOptions o;
  o.val = {-1, 0.25};
  o.gt = {10, 0};
  auto r = *splitImages(*p, o);
  EXPECT_EQ(r.poolSize, 100u);
  EXPECT_EQ(r.val.size(), 25u);
  EXPECT_EQ(r.gt.size(), 10u);
  std::set<ImageId> both(r.val.begin(), r.val.end());
  for (ImageId id : r.gt) EXPECT_FALSE(both.count(id));
  ImageQuery q;
  q.allTags = {"VAL1", "GT1"};
  EXPECT_EQ(*p->countImages(q), 0);
  q = {};
  q.anyTags = {"VAL1"};
  EXPECT_EQ(*p->countImages(q), 25);
}

TEST(Split, ASecondSplitIntoTagsThatHoldImagesIsRefusedUnlessExtending) {
  TempDir tmp;
  auto p = pool(tmp);
  SplitOptions o;
  o.val = {24, 0};
  o.gt = {24, 0};
  ASSERT_TRUE(splitImages(*p, o).ok());
  auto inUse = *splitTagsInUse(*p, o);
  ASSERT_EQ(inUse.size(), 2u);
  EXPECT_EQ(inUse[0].tag, "VAL1");
  EXPECT_EQ(inUse[0].images, 24u);
  auto again = splitImages(*p, o);
  ASSERT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(again.status().message().find("VAL1 already holds 24 images"), std::string::npos)
      << again.status().message();
  ImageQuery q;
  q.anyTags = {"VAL1"};
  EXPECT_EQ(*p->countImages(q), 24) << "a refused split tags nothing";
  // New tags, or none for VAL, start new sets as before.
  o.val = {0, 0};
  o.gtTag = "GT2";
  EXPECT_TRUE(splitTagsInUse(*p, o)->empty());
  EXPECT_TRUE(splitImages(*p, o).ok());
}

TEST(Split, ASecondSplitDrawsOnlyFromUntaggedImages) {
  TempDir tmp;
  auto p = pool(tmp);
  SplitOptions o;
  o.val = {40, 0};
  o.gt = {40, 0};
  o.extend = true;
  ASSERT_TRUE(splitImages(*p, o).ok());
  auto second = splitImages(*p, o);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("only 20"), std::string::npos) << second.status().message();
  o.val = {10, 0};
  o.gt = {10, 0};
  auto third = *splitImages(*p, o);
  EXPECT_EQ(third.poolSize, 20u);
  ImageQuery q;
  q.anyTags = {"VAL1"};
  EXPECT_EQ(*p->countImages(q), 50);
}

TEST(Split, StratifiedSplitKeepsTheRareClassShareInBothSets) {
  TempDir tmp;
  auto p = pool(tmp);
  SplitOptions o;
  o.val = {50, 0};
  o.gt = {50, 0};
  o.stratify = true;
  o.seed = 3;
  ASSERT_TRUE(splitImages(*p, o).ok());
  for (const char* tag : {"VAL1", "GT1"}) {
    ImageQuery q;
    q.anyTags = {tag};
    q.classes = {"rare"};
    EXPECT_EQ(*p->countImages(q), 10) << tag;
  }
}

TEST(Split, RefusesTheSameTagForBothSets) {
  TempDir tmp;
  auto p = pool(tmp);
  SplitOptions o;
  o.gtTag = o.valTag;
  EXPECT_EQ(splitImages(*p, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(SplitAmount, ParsesCountsAndFractions) {
  bool ok = false;
  EXPECT_EQ(SplitAmount::parse("178", &ok).count, 178);
  EXPECT_TRUE(ok);
  EXPECT_DOUBLE_EQ(SplitAmount::parse("0.2", &ok).fraction, 0.2);
  EXPECT_TRUE(ok);
  SplitAmount::parse("1.5", &ok);
  EXPECT_FALSE(ok);
  SplitAmount::parse("-3", &ok);
  EXPECT_FALSE(ok);
  SplitAmount::parse("many", &ok);
  EXPECT_FALSE(ok);
}

TEST(SeededShuffle, IsAPermutationAndDependsOnlyOnTheSeed) {
  std::vector<ImageId> a(50), b;
  for (int i = 0; i < 50; ++i) a[static_cast<std::size_t>(i)] = i;
  b = a;
  seededShuffle(a, 42);
  seededShuffle(b, 42);
  EXPECT_EQ(a, b);
  std::vector<ImageId> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(sorted[static_cast<std::size_t>(i)], i);
}

}  // namespace
}  // namespace quarry
