// Monte-Carlo scoring and the experiment on generated data with the tiny preset: the batched
// scorer equals the pass-by-pass one, scores and difficulties reach the store, a cancel keeps the
// earlier scores, and a two-seed experiment writes its report.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/test_support.h"
#include "detect/quick_train.h"
#include "quarry/demo/demo.h"
#include "quarry/detect/detector.h"
#include "quarry/workflow/experiment.h"
#include "quarry/workflow/scoring.h"
#include "quarry/al/split.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

using test::TempDir;


// A demo project (96 images, 128 px): 16 VAL1 and 48 GT1 with their truth, 32 pool images whose
// boxes were removed (unlabelled), and a model trained briefly on GT1.
class ScoredProject : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp = new TempDir;
    DemoOptions demo;
    demo.images = 96;
    demo.width = demo.height = 128;
    demo.seed = 11;
    ASSERT_TRUE(createDemoProject(*tmp / "p", demo, true, nullptr).ok());
    project = Project::open(*tmp / "p")->release();
    SplitOptions split;
    split.val = {16, 0};
    split.gt = {48, 0};
    auto s = splitImages(*project, split);
    ASSERT_TRUE(s.ok());
    ImageQuery rest;
    rest.noTags = {"VAL1", "GT1"};
    pool = *project->findImages(rest);
    for (const Box& b : *project->boxesOfImages(pool)) ASSERT_TRUE(project->removeBox(b.id).ok());
    for (ImageId id : pool) ASSERT_TRUE(project->setImageStatus(id, ImageStatus::kUnlabeled).ok());
    ASSERT_TRUE(train(*project, test::quickTraining("CAL1", 300)).ok());
  }
  static void TearDownTestSuite() {
    delete project;
    delete tmp;
  }
  static std::vector<std::string> files(std::size_t n) {
    std::vector<std::string> out;
    for (const auto& r : *project->images(pool)) {
      if (out.size() == n) break;
      out.push_back(project->resolve(r.path).string());
    }
    return out;
  }
  static TempDir* tmp;
  static Project* project;
  static std::vector<ImageId> pool;
};
TempDir* ScoredProject::tmp = nullptr;
Project* ScoredProject::project = nullptr;
std::vector<ImageId> ScoredProject::pool;

TEST_F(ScoredProject, BatchedHeadPassesGiveTheSameStatisticsAsFullPasses) {
  auto detector = Detector::load(*project, "CAL1");
  ASSERT_TRUE(detector.ok()) << detector.status().message();
  McOptions o;
  o.passes = 12;
  o.seed = 5;
  o.scoreThreshold = 0.1;
  o.headBatch = 40;  // several head calls per batch, so chunking is exercised too
  const auto images = files(8);
  auto batched = (*detector)->monteCarlo(images, o);
  o.batched = false;
  auto naive = (*detector)->monteCarlo(images, o);
  ASSERT_TRUE(batched.ok() && naive.ok());
  std::size_t detections = 0;
  double bald = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    ASSERT_EQ((*batched)[i].detections.size(), (*naive)[i].detections.size());
    for (std::size_t k = 0; k < (*batched)[i].detections.size(); ++k) {
      const auto& a = (*batched)[i].detections[k];
      const auto& b = (*naive)[i].detections[k];
      EXPECT_EQ(a.cls, b.cls);
      EXPECT_NEAR(a.x, b.x, 1e-3);
      for (int c = 0; c < kComponentCount; ++c)
        EXPECT_NEAR(a.components[c], b.components[c], 1e-4 + 1e-3 * std::fabs(b.components[c]))
            << toString(static_cast<Component>(c));
      bald += a[Component::kBald];
      ++detections;
    }
  }
  ASSERT_GT(detections, 0u) << "the model should find something at threshold 0.1";
  EXPECT_GT(bald, 0.0) << "dropout should make the samples disagree somewhere";

  // Other masks, other samples: the equality above is not a coincidence of constant output.
  o.batched = true;
  o.seed = 6;
  auto other = (*detector)->monteCarlo(images, o);
  double diff = 0;
  for (std::size_t i = 0; i < images.size(); ++i)
    for (std::size_t k = 0; k < (*other)[i].detections.size(); ++k)
      diff += std::fabs((*other)[i].detections[k][Component::kEntropy] - (*batched)[i].detections[k][Component::kEntropy]);
  EXPECT_GT(diff, 0.0);
}

TEST_F(ScoredProject, TheMirroredPassAddsTheFlipComponentsAndChangesNothingElse) {
  auto detector = Detector::load(*project, "CAL1");
  ASSERT_TRUE(detector.ok()) << detector.status().message();
  McOptions o;
  o.passes = 4;
  o.scoreThreshold = 0.1;
  o.flip = true;
  const auto images = files(8);
  auto with = (*detector)->monteCarlo(images, o);
  o.flip = false;
  auto without = (*detector)->monteCarlo(images, o);
  ASSERT_TRUE(with.ok() && without.ok());
  double flipScore = 0, flipBox = 0;
  std::size_t detections = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    ASSERT_EQ((*with)[i].detections.size(), (*without)[i].detections.size());
    for (std::size_t k = 0; k < (*with)[i].detections.size(); ++k) {
      const auto& a = (*with)[i].detections[k];
      const auto& b = (*without)[i].detections[k];
      EXPECT_EQ(b[Component::kFlipScore], 0.0);
      EXPECT_EQ(b[Component::kFlipBox], 0.0);
      EXPECT_EQ(a[Component::kEntropy], b[Component::kEntropy]) << "the dropout samples must not move";
      EXPECT_GE(a[Component::kFlipScore], 0.0);
      EXPECT_LE(a[Component::kFlipScore], 1.0);
      EXPECT_GE(a[Component::kFlipBox], 0.0);
      EXPECT_LE(a[Component::kFlipBox], 1.0);
      flipScore += a[Component::kFlipScore];
      flipBox += a[Component::kFlipBox];
      ++detections;
    }
  }
  ASSERT_GT(detections, 0u);
  EXPECT_GT(flipScore, 0.0) << "a briefly trained model is not mirror-symmetric";
  // A mirrored box that lands on the detection is the common case: on average the boxes overlap.
  EXPECT_LT(flipBox / static_cast<double>(detections), 0.5);
}

TEST_F(ScoredProject, ScoringStoresEveryPoolAndValImageWithDifficultyAndCalibration) {
  ScoreOptions o;
  o.runName = "CAL1";
  o.mc.passes = 6;
  ScoreReport report;
  ASSERT_TRUE(scoreImages(*project, o, linkedDetector(), &report).ok());
  // VAL counts only where someone labelled it: a demo image without defects stays unlabelled.
  ImageQuery labelledVal;
  labelledVal.anyTags = {"VAL1"};
  labelledVal.statuses = {ImageStatus::kLabeled, ImageStatus::kReviewed};
  const auto val = static_cast<std::size_t>(*project->countImages(labelledVal));
  ASSERT_GT(val, 8u);
  EXPECT_EQ(report.poolImages, pool.size());
  EXPECT_EQ(report.valImages, val);
  EXPECT_EQ(report.perDifficulty[0] + report.perDifficulty[1] + report.perDifficulty[2], pool.size());
  ASSERT_TRUE(report.calibration.has_value());
  EXPECT_EQ(report.calibration->images, static_cast<int>(val));
  EXPECT_LE(report.thresholds.medium, report.thresholds.hard);
  const RunId run = (*project->findRun("CAL1"))->id;
  const auto scores = *project->scores(run);
  EXPECT_EQ(scores.size(), pool.size() + val);
  for (const auto& s : scores) {
    auto u = parseComponentsJson(s.componentsJson, s.image);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(static_cast<int>(u->detections.size()), s.detections);
    if (s.detections == 0) {
      EXPECT_EQ(s.difficulty, Difficulty::kHard) << "nothing found must be hard";
    }
    EXPECT_FALSE(u->embedding.empty());
  }
  const auto metrics = nlohmann::json::parse((*project->findRun("CAL1"))->metricsJson);
  EXPECT_EQ(metrics["scoring"]["passes"], 6);
  EXPECT_TRUE(metrics["scoring"].contains("calibration"));
  EXPECT_TRUE(metrics.contains("val")) << "scoring must keep the run's other metrics";
  // 16 VAL images are too few to learn a combination from: the fixed one, and the reason, stored.
  EXPECT_EQ(report.combination, "fixed");
  EXPECT_NE(report.combinationWhy.find("too few to learn from"), std::string::npos) << report.combinationWhy;
  EXPECT_EQ(metrics["scoring"]["combination"]["mode"], "fixed");
}

TEST_F(ScoredProject, AnUnknownCombinationIsRefusedBeforeAnythingIsScored) {
  ScoreOptions o;
  o.runName = "CAL1";
  o.combination = "median";
  Status st = scoreImages(*project, o, linkedDetector(), nullptr);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("median"), std::string::npos);
}

TEST_F(ScoredProject, ACancelledScoringKeepsTheEarlierScores) {
  ASSERT_TRUE(train(*project, test::quickTraining("CANCEL", 20)).ok());
  ScoreOptions o;
  o.runName = "CANCEL";
  o.mc.passes = 2;
  o.batchSize = 4;
  int calls = 0;
  Status st = scoreImages(*project, o, linkedDetector(), nullptr, [&](std::size_t, std::size_t, std::string_view) { return ++calls < 3; });
  EXPECT_EQ(st.code(), StatusCode::kCancelled);
  EXPECT_TRUE(project->scores((*project->findRun("CANCEL"))->id)->empty());
}

TEST(Experiment, TwoSeedsOnDemoDataWriteAReportWithEveryModel) {
  TempDir tmp;
  DemoOptions demo;
  demo.images = 80;
  demo.width = demo.height = 128;
  demo.seed = 4;
  ASSERT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  auto p = std::move(Project::open(tmp / "p")).value();
  ExperimentOptions o;
  o.name = "demo";
  o.seeds = {1, 2};
  o.valCount = 20;
  o.gtCount = 16;
  o.budget = 16;
  o.rounds = 1;
  o.strategies = {Strategy::kHybrid};
  o.train = test::quickTraining("", 40);
  o.mc.passes = 4;
  o.keepWork = true;
  std::size_t lastTotal = 0, lastDone = 0;
  bool backwards = false;
  auto r = runExperiment(*p, o, linkedDetector(), [&](std::size_t done, std::size_t total, std::string_view) {
    if (done < lastDone) backwards = true;
    lastDone = done;
    lastTotal = total;
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->models.size(), 2u * (1 + 2));  // per seed: CAL1, hybrid round 1, control round 1
  for (const auto& m : r->models) {
    EXPECT_EQ(m.labelled, m.round == 0 ? 16u : 32u) << m.arm;
    EXPECT_EQ(m.eval.perImage.size(), 10u) << "every model is measured on its seed's TEST half of VAL";
    EXPECT_GE(m.steps, 40) << "quickTraining's steps";
  }
  EXPECT_FALSE(backwards) << "progress never goes back";
  EXPECT_EQ(lastTotal, 6u * 100);
  EXPECT_EQ(lastDone, lastTotal) << "and ends at 100%";
  const fs::path dir = p->dir() / "reports" / "demo";
  EXPECT_TRUE(fs::exists(dir / "report.md"));
  EXPECT_TRUE(fs::exists(dir / "learning_curve.svg"));
  EXPECT_TRUE(fs::exists(dir / "results.json"));
  // The selection part (VAL) and the test part (TEST) are disjoint, and neither is trained on or picked.
  for (const char* arm : {"hybrid", "control"}) {
    auto sandbox = Project::open(dir / "work" / "seed-1" / arm);
    ASSERT_TRUE(sandbox.ok()) << sandbox.status().message();
    ImageQuery val, test, both, leaked;
    val.anyTags = {"VAL"};
    test.anyTags = {"TEST"};
    both.allTags = {"VAL", "TEST"};
    leaked.anyTags = {"GT1", "GT2"};
    leaked.allTags = {"TEST"};
    EXPECT_EQ(*(*sandbox)->countImages(val), 10);
    EXPECT_EQ(*(*sandbox)->countImages(test), 10);
    EXPECT_EQ(*(*sandbox)->countImages(both), 0);
    EXPECT_EQ(*(*sandbox)->countImages(leaked), 0) << arm;
  }
  const std::string report = test::readText(dir / "report.md");
  EXPECT_NE(report.find("hybrid"), std::string::npos);
  EXPECT_NE(report.find("p (one-sided)"), std::string::npos);
  EXPECT_NE(report.find("## Area under the learning curve (AULC)"), std::string::npos);
  EXPECT_NE(report.find("p (sign, one-sided)"), std::string::npos);
  // The source project is only read: no new runs, tags or boxes there.
  EXPECT_TRUE(p->runs()->empty());
  EXPECT_EQ(*p->countImages({}), 80);
}

}  // namespace
}  // namespace quarry::detect
