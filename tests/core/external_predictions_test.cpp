// Predictions from other models (issue 16, item 4): a COCO results file becomes the auto boxes
// of an external run, every detection kept, and measuring those stored boxes on VAL gives what
// measuring the file gives.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <cstdio>
#include <algorithm>
#include <map>
#include <set>

#include "core/test_support.h"
#include "quarry/al/accept.h"
#include "quarry/al/external_predictions.h"
#include "quarry/workflow/scoring.h"
#include "quarry/workflow/stored_scores.h"
#include "quarry/al/split.h"
#include "quarry/demo/demo.h"

namespace quarry {
namespace {

using test::TempDir;

// A labelled demo project split into VAL1 and GT1, and a results file as another detector would
// write it: for every image, each truth box shifted a little (some far), a false box, scores
// spread over 0..1 (low ones included: nothing may be dropped).
struct Fixture {
  std::unique_ptr<Project> project;
  std::filesystem::path results;
  std::size_t detections = 0;
};

// `clean`: a detector that is sure and right on two images in three, unsure (0.5) and off on the
// third, with its false boxes under the threshold: what makes some images safe to accept.
Fixture make(const TempDir& tmp, bool clean = false) {
  Fixture f;
  DemoOptions demo;
  demo.images = 24;
  demo.width = demo.height = 128;
  demo.seed = 9;
  EXPECT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  f.project = std::move(Project::open(tmp / "p")).value();
  SplitOptions split;
  split.val = {12, 0};
  split.gt = {12, 0};
  EXPECT_TRUE(splitImages(*f.project, split).ok());
  const auto classes = *f.project->classes();
  std::map<ClassId, int> position;
  for (std::size_t i = 0; i < classes.size(); ++i) position[classes[i].id] = static_cast<int>(i);
  nlohmann::json out = nlohmann::json::array();
  int k = 0, n = 0;
  for (ImageId id : *f.project->findImages({})) {
    const bool sure = n++ % 3 != 0;
    for (const Box& b : *f.project->boxes(id)) {
      const double shift = clean ? (sure ? 0.0 : b.w) : (k % 5 == 0) ? b.w : 1.5;  // misses
      const double score = clean ? (sure ? 0.97 : 0.5) : 0.05 + 0.9 * ((k * 37) % 100) / 100.0;
      out.push_back({{"image_id", id}, {"category_id", position[b.cls] + 1},
                     {"bbox", {b.x + shift, b.y, b.w, b.h}}, {"score", score}});
      ++k;
    }
    out.push_back({{"image_id", id}, {"category_id", 1}, {"bbox", {2, 2, 9, 7}},
                   {"score", clean ? 0.05 : 0.01 * (k % 50)}});
    ++k;
  }
  f.detections = out.size();
  f.results = tmp / "results.json";
  test::writeText(f.results, out.dump());
  return f;
}

TEST(ExternalPredictions, EveryDetectionBecomesAnAutoBoxOfAnExternalRun) {
  TempDir tmp;
  Fixture f = make(tmp);
  auto made = importPredictions(*f.project, f.results, "YOLO8");
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_TRUE(made->runAdded);
  EXPECT_EQ(made->boxes, f.detections);
  const ModelRun run = **f.project->findRun("YOLO8");
  EXPECT_TRUE(isExternalRun(run));
  std::size_t autoBoxes = 0;
  for (const Box& b : *f.project->boxesOfImages(*f.project->findImages({})))
    if (b.source == BoxSource::kAuto) {
      ++autoBoxes;
      EXPECT_EQ(b.run, run.id);
      EXPECT_TRUE(b.score.has_value());
    }
  EXPECT_EQ(autoBoxes, f.detections);
  // A second import replaces the run's boxes instead of adding to them.
  auto again = importPredictions(*f.project, f.results, "YOLO8");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->runAdded);
  std::size_t after = 0;
  for (const Box& b : *f.project->boxesOfImages(*f.project->findImages({}))) after += b.source == BoxSource::kAuto;
  EXPECT_EQ(after, f.detections);
}

TEST(ExternalPredictions, TheStoredBoxesMeasureAsTheFileDoes) {
  TempDir tmp;
  Fixture f = make(tmp);
  auto made = importPredictions(*f.project, f.results, "YOLO8");
  ASSERT_TRUE(made.ok());
  // The file measured directly: truth from VAL's manual boxes, detections from the file.
  const auto classes = *f.project->classes();
  std::vector<ClassId> ids;
  for (const auto& c : classes) ids.push_back(c.id);
  ImageQuery val;
  val.anyTags = {"VAL1"};
  const auto images = *f.project->findImages(val);
  const std::set<ImageId> valSet(images.begin(), images.end());
  std::vector<Detection> fromFile;
  for (const Detection& d : *readCocoResults(f.results, ids))
    if (valSet.count(d.image)) fromFile.push_back(d);
  std::vector<GroundTruth> truth;
  for (const Box& b : *f.project->boxesOfImages(images))
    if (b.source != BoxSource::kAuto) truth.push_back({b.image, b.cls, b.x, b.y, b.w, b.h});
  for (double threshold : {0.0, 0.25, 0.6}) {
    EvalOptions options;
    options.scoreThreshold = threshold;
    const EvalResult direct = evaluate(images, ids, truth, fromFile, options);
    auto stored = evaluateStoredRun(*f.project, made->run, "VAL1", options);
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_DOUBLE_EQ(stored->map50, direct.map50) << threshold;
    EXPECT_DOUBLE_EQ(stored->map50to95, direct.map50to95);
    EXPECT_DOUBLE_EQ(stored->efficiencyBoost, direct.efficiencyBoost);
    ASSERT_EQ(stored->perClass.size(), direct.perClass.size());
    for (std::size_t c = 0; c < direct.perClass.size(); ++c) {
      EXPECT_EQ(stored->perClass[c].truePositives, direct.perClass[c].truePositives);
      EXPECT_EQ(stored->perClass[c].falsePositives, direct.perClass[c].falsePositives);
    }
  }
}

// Ultralytics' `predict save_txt save_conf`: one label file per image, named after it, with a
// confidence column. The same detections as the COCO file give the same figures.
TEST(ExternalPredictions, YoloLabelFilesWithAConfidenceColumnAreTheSameDetections) {
  TempDir tmp;
  Fixture f = make(tmp);
  const auto classes = *f.project->classes();
  std::map<ClassId, int> position;
  for (std::size_t i = 0; i < classes.size(); ++i) position[classes[i].id] = static_cast<int>(i);
  std::vector<ClassId> ids;
  for (const auto& c : classes) ids.push_back(c.id);
  std::map<ImageId, std::string> lines;
  for (const Detection& d : *readCocoResults(f.results, ids)) {
    const ImageRecord im = *f.project->image(d.image);
    char buf[200];
    std::snprintf(buf, sizeof buf, "%d %.17g %.17g %.17g %.17g %.17g\n", position[d.cls], (d.x + d.w / 2) / im.width,
                  (d.y + d.h / 2) / im.height, d.w / im.width, d.h / im.height, d.score);
    lines[d.image] += buf;
  }
  for (const auto& [id, text] : lines)
    test::writeText(tmp / "labels" / (std::filesystem::path(f.project->image(id)->path).stem().string() + ".txt"), text);
  test::writeText(tmp / "labels" / "stranger.txt", "0 0.5 0.5 0.1 0.1 0.9\n");
  test::writeText(tmp / "labels" / "bad.txt", "");
  std::vector<std::string> problems;
  auto yolo = importYoloPredictions(*f.project, tmp / "labels", "Y", &problems);
  ASSERT_TRUE(yolo.ok()) << yolo.status().message();
  EXPECT_EQ(yolo->boxes, f.detections);
  ASSERT_EQ(problems.size(), 2u) << "stranger.txt and bad.txt name no image";
  EXPECT_NE(problems[0].find("no image of the project is named"), std::string::npos) << problems[0];
  auto coco = importPredictions(*f.project, f.results, "C");
  ASSERT_TRUE(coco.ok());
  for (double threshold : {0.0, 0.25}) {
    EvalOptions options;
    options.scoreThreshold = threshold;
    auto a = evaluateStoredRun(*f.project, yolo->run, "VAL1", options);
    auto b = evaluateStoredRun(*f.project, coco->run, "VAL1", options);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NEAR(a->map50, b->map50, 1e-9);
    for (std::size_t c = 0; c < a->perClass.size(); ++c)
      EXPECT_EQ(a->perClass[c].truePositives, b->perClass[c].truePositives);
  }
}

// quarry score --from-scores: the bars of an external run from its boxes' scores, fitted on VAL,
// and the easy ones can be accepted.
TEST(ExternalPredictions, ItsScoresGiveDifficultyBarsFittedOnValAndEasyImagesCanBeAccepted) {
  TempDir tmp;
  Fixture f = make(tmp, true);
  // Six images that no one labelled yet: the pool (their truth stays in the results file only).
  ImageQuery untagged;
  untagged.noTags = {"VAL1", "GT1"};
  const auto poolIds = *f.project->findImages(untagged);
  ASSERT_EQ(poolIds.size(), 0u) << "the split took every image";
  ImageQuery gt;
  gt.anyTags = {"GT1"};
  const auto gtIds = *f.project->findImages(gt);
  const std::vector<ImageId> pool(gtIds.begin(), gtIds.begin() + 6);
  ASSERT_TRUE(f.project->untagImages("GT1", pool).ok());
  for (const Box& b : *f.project->boxesOfImages(pool)) ASSERT_TRUE(f.project->removeBox(b.id).ok());
  for (ImageId id : pool) ASSERT_TRUE(f.project->setImageStatus(id, ImageStatus::kUnlabeled).ok());
  auto made = importPredictions(*f.project, f.results, "YOLO8");
  ASSERT_TRUE(made.ok());

  detect::ScoreOptions o;
  o.runName = "YOLO8";
  o.mc.passes = 1;
  detect::ScoreReport report;
  ASSERT_TRUE(detect::scoreImages(*f.project, o, detect::storedScoresBackend(), &report).ok());
  EXPECT_EQ(report.poolImages, 6u);
  EXPECT_EQ(report.valImages, 12u);
  EXPECT_TRUE(report.calibration.has_value()) << "fitted on VAL's true errors";
  EXPECT_FALSE(report.easyWhy.empty());
  ImageQuery scored;
  scored.scoreRun = made->run;
  scored.difficulties = {Difficulty::kEasy, Difficulty::kMedium, Difficulty::kHard};
  EXPECT_EQ(f.project->findImages(scored)->size(), 18u) << "every pool and VAL image has its bar";

  auto plan = planAcceptEasy(*f.project, {}, made->run);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  scored.difficulties = {Difficulty::kEasy};
  const auto easy = *f.project->findImages(scored);
  for (ImageId id : plan->images) EXPECT_NE(std::find(easy.begin(), easy.end(), id), easy.end());
  EXPECT_FALSE(plan->images.empty()) << report.easyWhy;
  ASSERT_TRUE(acceptImages(*f.project, *plan).ok());
  for (ImageId id : plan->images) EXPECT_EQ(f.project->image(id)->status, ImageStatus::kReviewed);

  // A Monte-Carlo scoring of it is refused by the backend: there is no model.
  EXPECT_EQ(detect::storedScoresBackend().train(*f.project, {}, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(ExternalPredictions, AQuarryRunsNameAndABadFileAreRefusedAndNothingChanges) {
  TempDir tmp;
  Fixture f = make(tmp);
  ModelRun quarryRun;
  quarryRun.name = "CAL1";
  quarryRun.checkpoint = "models/CAL1";
  ASSERT_TRUE(f.project->addRun(quarryRun).ok());
  const auto before = f.project->stats()->boxes;
  EXPECT_EQ(importPredictions(*f.project, f.results, "CAL1").status().code(), StatusCode::kAlreadyExists);
  test::writeText(tmp / "bad.json", R"([{"image_id": 1, "category_id": 99, "bbox": [1, 2, 3, 4], "score": 0.5}])");
  auto bad = importPredictions(*f.project, tmp / "bad.json", "X");
  EXPECT_EQ(bad.status().code(), StatusCode::kBadInput);
  EXPECT_NE(bad.status().message().find("bad.json"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(*f.project->findRun("X"));
  EXPECT_EQ(f.project->stats()->boxes, before);
}

}  // namespace
}  // namespace quarry
