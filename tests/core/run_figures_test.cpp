// Reading what a model run stored, as the Runs view shows it: the figures written by training,
// evaluation and scoring come back; two runs compare class by class; score histograms; an
// experiment's learning curves from its results.json.
#include "quarry/report/run_figures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/test_support.h"
#include "quarry/metrics/metrics_json.h"

namespace quarry {
namespace {

EvalResult evalWith(std::vector<std::pair<double, double>> precisionRecall, double map50) {
  EvalResult r;
  for (std::size_t i = 0; i < precisionRecall.size(); ++i) {
    ClassMetrics c;
    c.cls = static_cast<ClassId>(i + 1);
    c.groundTruth = 10;
    c.truePositives = static_cast<int>(precisionRecall[i].second * 10);
    c.falseNegatives = 10 - c.truePositives;
    c.precision = precisionRecall[i].first;
    c.recall = precisionRecall[i].second;
    c.ap50 = map50;
    c.ap50to95 = map50 / 2;
    r.perClass.push_back(c);
  }
  r.map50 = map50;
  r.map50to95 = map50 / 2;
  r.efficiencyBoost = 2.5;
  r.perImage.resize(12);
  return r;
}

ModelRun runWith(const std::string& name, const EvalResult& eval, const std::vector<std::string>& classes) {
  ModelRun run;
  run.name = name;
  run.trainedOn = "GT1,GT2";
  run.paramsJson = R"({"preset": "tiny"})";
  nlohmann::json metrics = {
      {"curve", {{{"epoch", 1}, {"loss", 3.5}, {"val_map50", 0.1}, {"seconds", 2.0}},
                 {{"epoch", 2}, {"loss", 2.5}, {"val_map50", nullptr}, {"seconds", 4.0}}}},
      {"val", evalResultJson(eval, classes)},
      {"train_images", 40},
      {"train_seconds", 4.0},
      {"scoring", {{"thresholds", {{"medium", 0.2}, {"hard", 1.1}, {"source", "val"}}},
                   {"combination", {{"mode", "learned"}, {"why", "learned: because"}}},
                   {"calibration", {{"spearman", 0.4}, {"auroc", 0.7}, {"aurc", 0.2}, {"easy_share", 0.25}}}}}};
  run.metricsJson = metrics.dump();
  return run;
}

TEST(RunFigures, ReadBackWhatTrainingEvaluationAndScoringStored) {
  const auto f = runFigures(runWith("CAL2", evalWith({{0.5, 0.6}, {NAN, 0.0}}, 0.4), {"scratch", "pit"}));
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->name, "CAL2");
  EXPECT_EQ(f->trainedOn, "GT1,GT2");
  EXPECT_EQ(f->preset, "tiny");
  EXPECT_EQ(f->trainImages, 40);
  ASSERT_TRUE(f->evaluated);
  EXPECT_EQ(f->valImages, 12);
  EXPECT_DOUBLE_EQ(f->map50, 0.4);
  EXPECT_DOUBLE_EQ(f->map50to95, 0.2);
  EXPECT_DOUBLE_EQ(f->efficiencyBoost, 2.5);
  ASSERT_EQ(f->perClass.size(), 2u);
  EXPECT_EQ(f->perClass[0].name, "scratch");
  EXPECT_DOUBLE_EQ(f->perClass[0].precision, 0.5);
  EXPECT_EQ(f->perClass[0].truePositives, 6);
  EXPECT_TRUE(std::isnan(f->perClass[1].precision)) << "no detections: no precision, not zero";
  ASSERT_EQ(f->curve.size(), 2u);
  EXPECT_DOUBLE_EQ(f->curve[0].valMap50, 0.1);
  EXPECT_TRUE(std::isnan(f->curve[1].valMap50)) << "an epoch without a VAL check";
  ASSERT_TRUE(f->scored);
  EXPECT_DOUBLE_EQ(f->mediumThreshold, 0.2);
  EXPECT_DOUBLE_EQ(f->hardThreshold, 1.1);
  EXPECT_EQ(f->thresholdSource, "val");
  EXPECT_DOUBLE_EQ(f->spearman, 0.4);
  EXPECT_DOUBLE_EQ(f->aurc, 0.2);
  EXPECT_DOUBLE_EQ(f->easyShare, 0.25);
  EXPECT_EQ(f->combinationWhy, "learned: because");
}

TEST(RunFigures, ARunNeverEvaluatedOrScoredHasNoFigures) {
  ModelRun run;
  run.name = "BARE";
  const auto f = runFigures(run);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->evaluated);
  EXPECT_FALSE(f->scored);
  EXPECT_TRUE(std::isnan(f->map50));
  EXPECT_TRUE(f->perClass.empty());
}

TEST(RunFigures, MetricsThatAreNotJsonNameTheRun) {
  ModelRun run;
  run.name = "BROKEN";
  run.metricsJson = "{\"val\": ";
  const auto f = runFigures(run);
  ASSERT_EQ(f.status().code(), StatusCode::kBadInput);
  EXPECT_NE(f.status().message().find("BROKEN"), std::string::npos);
}

TEST(RunFigures, ComparingSubtractsTheFirstRunClassByName) {
  const auto a = *runFigures(runWith("A", evalWith({{0.5, 0.6}, {0.2, 0.1}}, 0.3), {"scratch", "pit"}));
  const auto b = *runFigures(runWith("B", evalWith({{0.7, 0.5}, {0.4, 0.3}}, 0.5), {"pit", "crack"}));
  const RunDifference d = compareRuns(a, b);
  EXPECT_NEAR(d.map50, 0.2, 1e-12);
  ASSERT_EQ(d.perClass.size(), 3u);
  EXPECT_EQ(d.perClass[0].name, "scratch");
  EXPECT_TRUE(std::isnan(d.perClass[0].recall)) << "only A knows scratch";
  EXPECT_EQ(d.perClass[1].name, "pit");
  EXPECT_NEAR(d.perClass[1].precision, 0.7 - 0.2, 1e-12) << "B's pit is its first class";
  EXPECT_NEAR(d.perClass[1].recall, 0.5 - 0.1, 1e-12);
  EXPECT_EQ(d.perClass[2].name, "crack");
}

TEST(RunFigures, HistogramBinsCoverEveryValueAndSkipNaN) {
  const Histogram h = histogram({0, 1, 2, 3, 4, NAN, 4}, 4);
  EXPECT_DOUBLE_EQ(h.lo, 0);
  EXPECT_DOUBLE_EQ(h.hi, 4);
  EXPECT_EQ(h.counts, (std::vector<int>{1, 1, 1, 3})) << "the largest value closes the last bin";
  EXPECT_DOUBLE_EQ(h.binWidth(), 1);
  EXPECT_TRUE(histogram({}, 5).counts.empty());
  EXPECT_EQ(histogram({2, 2}, 3).counts, (std::vector<int>{2, 0, 0}));
}

TEST(RunFigures, ExperimentCurvesAreMeansOverSeedsStartingAtCal1) {
  test::TempDir tmp;
  nlohmann::json models = nlohmann::json::array();
  auto add = [&](int seed, const char* arm, int round, int labelled, double map) {
    models.push_back({{"seed", seed}, {"arm", arm}, {"round", round}, {"labelled", labelled}, {"val", {{"map50", map}}}});
  };
  add(1, "CAL1", 0, 100, 0.30);
  add(2, "CAL1", 0, 100, 0.40);
  add(1, "hybrid", 1, 150, 0.50);
  add(2, "hybrid", 1, 150, 0.60);
  add(1, "control", 1, 150, 0.40);
  add(2, "control", 1, 150, 0.40);
  test::writeText(tmp / "results.json", nlohmann::json{{"models", models}}.dump());
  const auto curves = readExperimentCurves(tmp / "results.json");
  ASSERT_TRUE(curves.ok()) << curves.status().message();
  ASSERT_EQ(curves->size(), 2u);
  EXPECT_EQ((*curves)[0].arm, "hybrid");
  ASSERT_EQ((*curves)[0].points.size(), 2u);
  EXPECT_DOUBLE_EQ((*curves)[0].points[0].labelled, 100);
  EXPECT_NEAR((*curves)[0].points[0].map50, 0.35, 1e-12);
  EXPECT_NEAR((*curves)[0].points[1].map50, 0.55, 1e-12);
  EXPECT_NEAR((*curves)[0].points[1].spread, std::sqrt(0.005), 1e-12);
  EXPECT_EQ((*curves)[1].arm, "control");
  EXPECT_EQ((*curves)[1].points[1].spread, 0);

  EXPECT_EQ(readExperimentCurves(tmp / "none.json").status().code(), StatusCode::kNotFound);
  test::writeText(tmp / "bad.json", "[1, 2");
  const auto bad = readExperimentCurves(tmp / "bad.json");
  EXPECT_EQ(bad.status().code(), StatusCode::kBadInput);
  EXPECT_NE(bad.status().message().find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace quarry
