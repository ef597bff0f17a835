// The active-learning experiment without LibTorch: a stand-in detector takes the place of the
// real one behind DetectorBackend, so these tests check the experiment's own rules (what may be
// trained on, what is measured where, the arms, the progress, the report) in seconds.
#include "quarry/workflow/experiment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/test_support.h"
#include "quarry/demo/demo.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

using test::TempDir;

// "Trains" by noting which images it was given, "scores" the pool by a hash of each image id,
// and "detects" a share of each measured image's truth boxes that grows with the images it was
// trained on, so more labels make a better model, as they should.
class StandInDetector final : public DetectorBackend {
 public:
  struct Training {
    std::size_t images = 0;
    std::size_t alsoValOrTest = 0;  // must stay 0: VAL chooses, TEST measures, neither trains
  };
  std::vector<Training> trainings;
  std::vector<std::string> measuredOn;  // the tag of every evaluation

  Result<TrainResult> train(Project& p, const TrainOptions& o, const TrainProgressFn& progress) override {
    ImageQuery gt;
    for (const TagInfo& t : *p.tags())
      if (t.name.rfind("GT", 0) == 0) gt.anyTags.push_back(t.name);
    Training t;
    t.images = static_cast<std::size_t>(*p.countImages(gt));
    for (const char* held : {"VAL", "TEST"}) {
      ImageQuery leak = gt;
      leak.allTags = {held};
      t.alsoValOrTest += static_cast<std::size_t>(*p.countImages(leak));
    }
    trainings.push_back(t);
    const long steps = std::max<long>(o.minSteps, 10);
    for (long s = 1; s <= steps; ++s) {
      TrainProgress tp;
      tp.stage = "train";
      tp.step = s;
      tp.steps = steps;
      if (progress && !progress(tp)) return Status::Cancelled();
    }
    ModelRun run;
    run.name = o.runName;
    auto id = p.addRun(run);
    if (!id.ok()) return id.status();
    TrainResult r;
    r.run = *id;
    r.steps = steps;
    return r;
  }

  Status autoLabel(Project&, const AutoLabelOptions&, AutoLabelReport*, const ProgressFn&) override {
    return Status::Error(StatusCode::kInternal, "the experiment does not auto-label");
  }

  // Every image gets one detection: its human boxes' first one where it has any (VAL and TEST
  // images), a small box otherwise, with components drawn from a hash of its id.
  Result<UncertaintyScan> scanUncertainty(Project& p, const ScoreOptions& o, const std::vector<ImageId>& ids,
                                          const ProgressFn&) override {
    auto run = p.findRun(o.runName);
    if (!run.ok() || !*run) return Status::NotFound("no run " + o.runName);
    const ClassId first = p.classes()->front().id;
    UncertaintyScan scan;
    scan.run = (*run)->id;
    scan.scoreThreshold = o.mc.scoreThreshold < 0 ? 0.25 : o.mc.scoreThreshold;
    for (ImageId id : ids) {
      const auto h = static_cast<std::uint64_t>(id) * 2654435761u;
      ImageUncertainty u;
      u.image = id;
      DetectionUncertainty d;
      const auto boxes = *p.boxes(id);
      if (!boxes.empty()) d = {boxes[0].cls, boxes[0].x, boxes[0].y, boxes[0].w, boxes[0].h, 0.9, {}};
      else d = {first, 1, 1, 10, 10, 0.5, {}};
      for (std::size_t k = 0; k < d.components.size(); ++k) d.components[k] = static_cast<double>((h >> k) % 97) / 97.0;
      u.detections.push_back(d);
      u.embedding = {static_cast<float>(h % 13), static_cast<float>(h % 7)};
      scan.images[id] = u;
    }
    return scan;
  }

  Result<EvalResult> evaluateRun(Project& p, const EvaluateRunOptions& o, const ProgressFn&) override {
    measuredOn.push_back(o.valTag);
    ImageQuery q;
    q.anyTags = {o.valTag};
    auto images = p.findImages(q);
    if (!images.ok()) return images.status();
    std::vector<ClassId> classes;
    for (const ClassInfo& c : *p.classes()) classes.push_back(c.id);
    std::vector<GroundTruth> truth;
    std::vector<Detection> found;
    const double share = std::min(1.0, static_cast<double>(trainings.back().images) / 60.0);
    std::size_t k = 0;
    for (const Box& b : *p.boxesOfImages(*images)) {
      truth.push_back({b.image, b.cls, b.x, b.y, b.w, b.h});
      if (static_cast<double>(k++ % 10) < 10 * share) found.push_back({b.image, b.cls, b.x, b.y, b.w, b.h, 0.9});
    }
    return evaluate(*images, classes, truth, found);
  }
};

std::unique_ptr<Project> demoProject(const TempDir& tmp, int images) {
  DemoOptions demo;
  demo.images = images;
  demo.width = demo.height = 64;
  demo.seed = 4;
  EXPECT_TRUE(createDemoProject(tmp / "p", demo, true, nullptr).ok());
  return std::move(Project::open(tmp / "p")).value();
}

ExperimentOptions smallExperiment() {
  ExperimentOptions o;
  o.name = "standin";
  o.seeds = {1, 2};
  o.valCount = 20;
  o.gtCount = 12;
  o.budget = 8;
  o.rounds = 2;
  o.strategies = {Strategy::kDiverse};
  o.train.minSteps = 10;
  o.mc.passes = 2;
  return o;
}

TEST(ExperimentWithAStandIn, TrainsOnlyOnGroundTruthAndMeasuresEveryModelOnTest) {
  TempDir tmp;
  auto p = demoProject(tmp, 80);
  StandInDetector detector;
  std::size_t lastDone = 0, lastTotal = 0;
  bool backwards = false;
  auto r = runExperiment(*p, smallExperiment(), detector, [&](std::size_t done, std::size_t total, std::string_view) {
    backwards = backwards || done < lastDone;
    lastDone = done;
    lastTotal = total;
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Per seed: CAL1, then two rounds of the rule and two of the random control.
  EXPECT_EQ(r->models.size(), 2u * (1 + 2 * 2));
  EXPECT_EQ(detector.trainings.size(), r->models.size());
  for (const auto& t : detector.trainings) EXPECT_EQ(t.alsoValOrTest, 0u) << "an image of VAL or TEST was trained on";
  for (const auto& tag : detector.measuredOn) EXPECT_EQ(tag, "TEST");
  for (const auto& m : r->models) EXPECT_EQ(m.labelled, 12u + 8u * static_cast<std::size_t>(m.round)) << m.arm;
  EXPECT_FALSE(backwards) << "progress never goes back";
  EXPECT_EQ(lastDone, lastTotal) << "and ends at 100%";
  EXPECT_TRUE(fs::exists(p->dir() / "reports" / "standin" / "report.md"));
  // More labels made the stand-in better, so every arm's last round beats CAL1 on TEST.
  for (const auto& m : r->models)
    if (m.round == 2) {
      const auto cal1 = std::find_if(r->models.begin(), r->models.end(),
                                     [&](const ExperimentModel& c) { return c.round == 0 && c.seed == m.seed; });
      EXPECT_GT(m.eval.map50, cal1->eval.map50) << m.arm;
    }
  // The source project is only read.
  EXPECT_TRUE(p->runs()->empty());
}

TEST(ExperimentWithAStandIn, ACancelStopsItAndSaysSo) {
  TempDir tmp;
  auto p = demoProject(tmp, 80);
  StandInDetector detector;
  int calls = 0;
  auto r = runExperiment(*p, smallExperiment(), detector,
                         [&](std::size_t, std::size_t, std::string_view) { return ++calls < 30; });
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
}

TEST(ExperimentWithAStandIn, RefusesAProjectTooSmallForItsSizesBeforeTrainingAnything) {
  TempDir tmp;
  auto p = demoProject(tmp, 20);
  StandInDetector detector;
  ImageQuery labelled;
  labelled.statuses = {ImageStatus::kLabeled};
  const std::string count = std::to_string(*p->countImages(labelled));
  ExperimentOptions o;
  auto r = runExperiment(*p, o, detector);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("needs 606 labelled images"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("the project has " + count), std::string::npos) << r.status().message();
  o.testShare = 1;
  EXPECT_EQ(runExperiment(*p, o, detector).status().code(), StatusCode::kInvalidArgument)
      << "VAL would have no selection part";
  EXPECT_TRUE(detector.trainings.empty());
}

}  // namespace
}  // namespace quarry::detect
