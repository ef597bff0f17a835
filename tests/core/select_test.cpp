// Query strategies on synthetic pools whose right answer is known, and the selection step on a
// project: the pool leaves out VAL, GT sets and human-labelled images, and the chosen get the tag.
#include "quarry/al/select.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>

#include "core/test_support.h"

namespace quarry {
namespace {

// A candidate with one detection whose `component` is `value`, and a combined score.
Candidate scored(ImageId id, double score, Component component = Component::kEntropy, double value = 0,
                 Difficulty difficulty = Difficulty::kEasy, ClassId cls = 1) {
  Candidate c;
  c.image = id;
  c.score = score;
  c.difficulty = difficulty;
  c.uncertainty.image = id;
  DetectionUncertainty d;
  d.cls = cls;
  d.score = 0.5;
  d[component] = value;
  c.uncertainty.detections.push_back(d);
  return c;
}

Candidate nothingFound(ImageId id) {
  Candidate c;
  c.image = id;
  c.difficulty = Difficulty::kHard;
  c.uncertainty.image = id;
  return c;
}

SelectOptions by(Strategy s, std::size_t budget) {
  SelectOptions o;
  o.strategy = s;
  o.budget = budget;
  return o;
}

TEST(Select, SingleCriterionStrategiesTakeTheHighestValuesFirst) {
  const struct {
    Strategy strategy;
    Component component;
  } cases[] = {{Strategy::kLeastConfidence, Component::kLeastConfidence},
               {Strategy::kMargin, Component::kMargin},
               {Strategy::kEntropy, Component::kEntropy},
               {Strategy::kBald, Component::kBald},
               {Strategy::kBoxVariance, Component::kBoxVariance}};
  for (const auto& c : cases) {
    std::vector<Candidate> pool;
    for (int i = 1; i <= 6; ++i) pool.push_back(scored(i, 0, c.component, i % 3 == 0 ? 10.0 + i : 1.0));
    EXPECT_EQ(selectImages(pool, by(c.strategy, 2)), (std::vector<ImageId>{6, 3})) << toString(c.strategy);
  }
}

TEST(Select, ImagesWithoutDetectionsComeFirstForUncertaintyStrategies) {
  std::vector<Candidate> pool = {scored(1, 5.0, Component::kEntropy, 9), nothingFound(2), scored(3, 1.0)};
  EXPECT_EQ(selectImages(pool, by(Strategy::kHybrid, 2)), (std::vector<ImageId>{2, 1}));
  EXPECT_EQ(selectImages(pool, by(Strategy::kEntropy, 1)), (std::vector<ImageId>{2}));
}

TEST(Select, HybridRanksByTheCombinedScore) {
  std::vector<Candidate> pool = {scored(4, 1.0), scored(2, 3.0), scored(3, 2.0), scored(1, -1.0)};
  EXPECT_EQ(selectImages(pool, by(Strategy::kHybrid, 3)), (std::vector<ImageId>{2, 3, 4}));
}

// Regression: ties went to the lower id, so when hundreds of images had no detection the first
// files by name (often one class) filled the budget.
TEST(Select, TiesAreBrokenByASeededDrawNotById) {
  std::vector<Candidate> pool;
  for (ImageId id = 1; id <= 40; ++id) pool.push_back(nothingFound(id));
  SelectOptions o = by(Strategy::kHybrid, 10);
  const auto first = selectImages(pool, o);
  ASSERT_EQ(first.size(), 10u);
  EXPECT_EQ(selectImages(pool, o), first) << "the same seed, the same picks";
  EXPECT_NE(first, (std::vector<ImageId>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(std::set<ImageId>(first.begin(), first.end()).size(), 10u) << "no image twice";
  o.seed = 2;
  EXPECT_NE(selectImages(pool, o), first) << "another seed, another draw";
}

TEST(Select, WorkflowTakesMediumAndHardOnlyUpToTheBudget) {
  std::vector<Candidate> pool = {scored(1, 0.1, Component::kEntropy, 0, Difficulty::kEasy),
                                 scored(2, 0.5, Component::kEntropy, 0, Difficulty::kMedium),
                                 scored(3, 0.9, Component::kEntropy, 0, Difficulty::kHard), nothingFound(4)};
  EXPECT_EQ(selectImages(pool, by(Strategy::kWorkflow, 10)), (std::vector<ImageId>{4, 3, 2}));
  EXPECT_EQ(selectImages(pool, by(Strategy::kWorkflow, 2)), (std::vector<ImageId>{4, 3}));
}

TEST(Select, RandomIsSeededAndIgnoresThePoolOrder) {
  std::vector<Candidate> pool;
  for (int i = 1; i <= 50; ++i) pool.push_back(scored(i, i));
  auto a = selectImages(pool, by(Strategy::kRandom, 10));
  std::reverse(pool.begin(), pool.end());
  EXPECT_EQ(selectImages(pool, by(Strategy::kRandom, 10)), a);
  SelectOptions other = by(Strategy::kRandom, 10);
  other.seed = 2;
  EXPECT_NE(selectImages(pool, other), a);
  EXPECT_EQ(std::set<ImageId>(a.begin(), a.end()).size(), 10u);
}

TEST(Select, DiverseSpreadsOverClustersThatUncertaintyAloneWouldNot) {
  // Cluster A (ids 1-10) is the most uncertain and nearly identical; cluster B (11-20) is a bit
  // less uncertain and far away. By uncertainty alone, 4 picks are all from A.
  std::vector<Candidate> pool;
  for (int i = 1; i <= 20; ++i) {
    Candidate c = scored(i, i <= 10 ? 10.0 - i * 0.01 : 5.0 - i * 0.01);
    c.uncertainty.embedding = i <= 10 ? std::vector<float>{1.0f, 0.001f * i} : std::vector<float>{0.001f * i, 1.0f};
    pool.push_back(c);
  }
  auto hybrid = selectImages(pool, by(Strategy::kHybrid, 4));
  EXPECT_TRUE(std::all_of(hybrid.begin(), hybrid.end(), [](ImageId id) { return id <= 10; }));
  SelectOptions o = by(Strategy::kDiverse, 4);
  o.shortlistFactor = 5;
  auto diverse = selectImages(pool, o);
  ASSERT_EQ(diverse.size(), 4u);
  EXPECT_EQ(diverse[0], 1);  // the most uncertain starts
  EXPECT_TRUE(std::any_of(diverse.begin(), diverse.end(), [](ImageId id) { return id > 10; }));
}

TEST(Select, DiverseLetsClassesTakeTurns) {
  // Eight uncertain images of class 1, two less uncertain of class 2, all at one point.
  std::vector<Candidate> pool;
  for (int i = 1; i <= 10; ++i) {
    Candidate c = scored(i, 10.0 - i, Component::kEntropy, 0, Difficulty::kEasy, i <= 8 ? 1 : 2);
    c.uncertainty.embedding = {1.0f, 0.0f};
    pool.push_back(c);
  }
  SelectOptions o = by(Strategy::kDiverse, 4);
  o.shortlistFactor = 3;
  auto chosen = selectImages(pool, o);
  EXPECT_EQ(std::count_if(chosen.begin(), chosen.end(), [](ImageId id) { return id > 8; }), 2);
  o.classBalance = false;
  chosen = selectImages(pool, o);
  EXPECT_EQ(std::count_if(chosen.begin(), chosen.end(), [](ImageId id) { return id > 8; }), 0);
}

// A pool like the one that sank the literal rule: many images without detections, a hard band
// dominated by one class, then medium and easy images: 40 of each, so the thirds by score rank
// are the bands.
std::vector<Candidate> mixedPool() {
  std::vector<Candidate> pool;
  ImageId id = 1;
  for (int i = 0; i < 40; ++i) pool.push_back(nothingFound(id++));
  for (int i = 0; i < 40; ++i) {
    Candidate c = scored(id++, 10.0 - 0.01 * i, Component::kEntropy, 0, Difficulty::kHard, i >= 20 && i < 26 ? 2 : 1);
    c.uncertainty.embedding = {1.0f, 0.01f * static_cast<float>(i)};
    pool.push_back(c);
  }
  for (int i = 0; i < 40; ++i) {
    Candidate c = scored(id++, 5.0 - 0.01 * i, Component::kEntropy, 0, Difficulty::kMedium, 1 + i % 3);
    c.uncertainty.embedding = {0.01f * static_cast<float>(i), 1.0f};
    pool.push_back(c);
  }
  for (int i = 0; i < 40; ++i) {
    Candidate c = scored(id++, 1.0 - 0.001 * i, Component::kEntropy, 0, Difficulty::kEasy, 1 + i % 3);
    c.uncertainty.embedding = {0.5f, 0.5f + 0.001f * static_cast<float>(i)};
    pool.push_back(c);
  }
  return pool;
}

std::array<int, 4> bandsOf(const std::vector<Candidate>& pool, const std::vector<ImageId>& chosen) {
  std::array<int, 4> n{};  // easy, medium, hard, nothing found
  for (ImageId id : chosen) {
    const Candidate& c = pool[static_cast<std::size_t>(id - 1)];
    ++n[c.score ? static_cast<int>(c.difficulty) : 3];
  }
  return n;
}

TEST(Select, BalancedCapsTheFailedShareAndMixesTheBandsByQuota) {
  const auto pool = mixedPool();
  // The literal rule takes every image without detections first: 20 of 20.
  EXPECT_EQ(bandsOf(pool, selectImages(pool, by(Strategy::kWorkflow, 20)))[3], 20);
  const auto chosen = selectImages(pool, by(Strategy::kBalanced, 20));
  ASSERT_EQ(chosen.size(), 20u);
  EXPECT_EQ(std::set<ImageId>(chosen.begin(), chosen.end()).size(), 20u);
  const auto n = bandsOf(pool, chosen);
  EXPECT_EQ(n[3], 2) << "10% of the budget without detections";
  // The other 18: hard 40%, medium 40%, easy 20% -> 7.2, 7.2, 3.6, rounded towards the hard bands.
  EXPECT_EQ(n[2], 8);
  EXPECT_EQ(n[1], 7);
  EXPECT_EQ(n[0], 3);
}

TEST(Select, BalancedLetsClassesTakeTurnsInsideABand) {
  const auto pool = mixedPool();
  SelectOptions o = by(Strategy::kBalanced, 20);
  const auto chosen = selectImages(pool, o);
  int hardOfClass2 = 0;
  for (ImageId id : chosen) {
    const Candidate& c = pool[static_cast<std::size_t>(id - 1)];
    if (c.score && c.difficulty == Difficulty::kHard && c.uncertainty.detections[0].cls == 2) ++hardOfClass2;
  }
  // 6 of the 40 hard images are class 2, ranked 21st to 26th: the top 8 by score hold none.
  EXPECT_GE(hardOfClass2, 3);
  o.classBalance = false;
  o.shortlistFactor = 1;
  hardOfClass2 = 0;
  for (ImageId id : selectImages(pool, o)) {
    const Candidate& c = pool[static_cast<std::size_t>(id - 1)];
    if (c.score && c.difficulty == Difficulty::kHard && c.uncertainty.detections[0].cls == 2) ++hardOfClass2;
  }
  EXPECT_EQ(hardOfClass2, 0);
}

TEST(Select, BalancedPassesUnusedQuotasOnAndFillsTheBudget) {
  // Four scored images cannot fill quotas of 8, 7 and 3: all four are taken, and the images
  // without detections fill the rest, beyond their share, rather than leave the budget unspent.
  std::vector<Candidate> pool;
  for (int i = 1; i <= 4; ++i) pool.push_back(scored(i, 1.0 / i));
  for (int i = 5; i <= 30; ++i) pool.push_back(nothingFound(i));
  const auto chosen = selectImages(pool, by(Strategy::kBalanced, 20));
  ASSERT_EQ(chosen.size(), 20u);
  EXPECT_EQ(std::set<ImageId>(chosen.begin(), chosen.end()).size(), 20u);
  for (ImageId id = 1; id <= 4; ++id) EXPECT_NE(std::find(chosen.begin(), chosen.end(), id), chosen.end()) << id;
  // A pool of nothing but failed images still fills the budget.
  std::vector<Candidate> failed;
  for (int i = 1; i <= 10; ++i) failed.push_back(nothingFound(i));
  EXPECT_EQ(selectImages(failed, by(Strategy::kBalanced, 6)).size(), 6u);
  EXPECT_EQ(selectImages(failed, by(Strategy::kPower, 6)).size(), 6u);
}

TEST(Select, PowerSamplingFavoursUncertainImagesWithoutTakingOnlyTheTop) {
  std::vector<Candidate> pool;
  for (int i = 1; i <= 200; ++i) pool.push_back(scored(i, 1000.0 - i));  // id 1 the most uncertain
  for (int i = 201; i <= 240; ++i) pool.push_back(nothingFound(i));
  const auto chosen = selectImages(pool, by(Strategy::kPower, 40));
  ASSERT_EQ(chosen.size(), 40u);
  EXPECT_EQ(bandsOf(pool, chosen)[3], 4) << "10% without detections";
  int topHalf = 0, beyondTop = 0;
  for (ImageId id : chosen)
    if (id <= 200) {
      topHalf += id <= 100;
      beyondTop += id > 36;
    }
  EXPECT_GT(topHalf, 20) << "weights favour the uncertain half (3 in 4 of the picks, in expectation)";
  EXPECT_GT(beyondTop, 0) << "not the deterministic top 36";
  SelectOptions again = by(Strategy::kPower, 40);
  EXPECT_EQ(selectImages(pool, again), chosen) << "the same seed, the same draw";
  again.seed = 2;
  EXPECT_NE(selectImages(pool, again), chosen);
  again.powerBeta = 50;
  const auto sharp = selectImages(pool, again);
  EXPECT_EQ(std::count_if(sharp.begin(), sharp.end(), [](ImageId id) { return id > 80 && id <= 200; }), 0)
      << "a large beta approaches the top-k";
}

TEST(Select, NeverMoreThanTheBudgetOrThePool) {
  std::vector<Candidate> pool = {scored(1, 1), scored(2, 2)};
  for (Strategy s : allStrategies()) {
    EXPECT_LE(selectImages(pool, by(s, 5)).size(), 2u) << toString(s);
    EXPECT_TRUE(selectImages(pool, by(s, 0)).empty()) << toString(s);
  }
}

TEST(Select, StrategyNamesRoundTrip) {
  for (Strategy s : allStrategies()) EXPECT_EQ(parseStrategy(toString(s)), s);
  EXPECT_FALSE(parseStrategy("uncertain").has_value());
}

TEST(SelectProject, ThePoolLeavesOutValGtAndHumanLabelsAndTheChosenAreTagged) {
  test::TempDir tmp;
  auto p = test::newProject(tmp / "p");
  auto cls = *p->addClass("pit");
  RunId run = *p->addRun(ModelRun{0, "CAL1", "GT1", "{}", "{}", "", 0});
  std::vector<ImageId> ids;
  std::vector<ImageScore> scores;
  for (int i = 0; i < 8; ++i) {
    ImageRecord r;
    r.path = "img" + std::to_string(i) + ".png";
    r.width = r.height = 64;
    ids.push_back(*p->addImage(r));
    DetectionUncertainty d;
    d.cls = cls;
    d.w = d.h = 5;
    ImageUncertainty u;
    u.image = ids.back();
    u.detections.push_back(d);
    scores.push_back({run, ids.back(), 10.0 - i, Difficulty::kHard, 1, componentsJson(u, Normalization{}, {})});
  }
  ASSERT_TRUE(p->putScores(scores).ok());
  ASSERT_TRUE(p->tagImages("VAL1", {ids[0]}).ok());
  ASSERT_TRUE(p->tagImages("GT1", {ids[1]}).ok());
  Box human;
  human.image = ids[2];
  human.cls = cls;
  human.w = human.h = 4;
  ASSERT_TRUE(p->addBox(human).ok());

  SelectRequest r;
  r.runName = "CAL1";
  r.options.budget = 2;
  auto report = selectNextGroundTruth(*p, r);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->poolSize, 5u);
  EXPECT_EQ(report->chosen, (std::vector<ImageId>{ids[3], ids[4]}));  // the highest scores left
  EXPECT_EQ(report->perDifficulty[2], 2u);
  ImageQuery q;
  q.anyTags = {"GT2"};
  EXPECT_EQ(*p->findImages(q), report->chosen);
}

TEST(SelectProject, RefusesAZeroBudgetTheValTagAndAnUnscoredRun) {
  test::TempDir tmp;
  auto p = test::newProject(tmp / "p");
  ASSERT_TRUE(p->addRun(ModelRun{0, "CAL1", "GT1", "{}", "{}", "", 0}).ok());
  SelectRequest r;
  r.runName = "CAL1";
  EXPECT_EQ(selectNextGroundTruth(*p, r).status().code(), StatusCode::kInvalidArgument);
  r.options.budget = 3;
  r.tag = "VAL1";
  EXPECT_EQ(selectNextGroundTruth(*p, r).status().code(), StatusCode::kInvalidArgument);
  r.tag = "GT2";
  EXPECT_EQ(selectNextGroundTruth(*p, r).status().code(), StatusCode::kNotFound);
  r.runName = "CAL9";
  EXPECT_EQ(selectNextGroundTruth(*p, r).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace quarry
