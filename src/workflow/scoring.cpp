// Scoring's torch-free part: which images, how their components combine, the bars fitted on
// VAL and judged on TEST, and what is stored. The detector's Monte-Carlo pass comes through
// DetectorBackend::scanUncertainty.
#include "quarry/workflow/scoring.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "quarry/al/calibration_json.h"
#include "quarry/al/difficulty_model.h"
#include "quarry/al/select.h"
#include "quarry/metrics/metrics.h"

namespace quarry::detect {
namespace {

// 1 - F1 of each VAL image's detections against its human boxes.
Result<std::map<ImageId, double>> valErrors(const Project& project, const std::vector<ImageId>& val,
                                            const std::map<ImageId, ImageUncertainty>& scored, const ScoreOptions& o) {
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  std::vector<ClassId> classIds;
  for (const auto& c : *classes) classIds.push_back(c.id);
  auto boxes = project.boxesOfImages(val);
  if (!boxes.ok()) return boxes.status();
  std::vector<GroundTruth> truth;
  for (const Box& b : *boxes)
    if (b.source != BoxSource::kAuto) truth.push_back({b.image, b.cls, b.x, b.y, b.w, b.h});
  std::vector<Detection> dets;
  for (ImageId id : val)
    for (const auto& d : scored.at(id).detections) dets.push_back({id, d.cls, d.x, d.y, d.w, d.h, d.score});
  EvalOptions eo;
  eo.iou = o.iou;
  eo.scoreThreshold = o.mc.scoreThreshold;
  const EvalResult r = evaluate(val, classIds, truth, dets, eo);
  std::map<ImageId, double> out;
  for (const auto& m : r.perImage) out[m.image] = imageError(m);
  return out;
}

// Chooses the combination on VAL's images with detections and, when it is the learned one, puts
// its predictions into `score`: out-of-fold ones for those VAL images (so the thresholds fitted
// on them are honest), the model fitted on all of them for every other image.
CombinationChoice combineScores(const ScoreOptions& o, const std::vector<ImageId>& valScored,
                                const std::map<ImageId, ImageUncertainty>& scored,
                                const std::map<ImageId, double>& errors, const Normalization& norm,
                                std::map<ImageId, std::optional<double>>* score) {
  std::vector<ImageId> ids;
  std::vector<std::vector<double>> x;
  std::vector<double> y, fixed;
  for (ImageId id : valScored)
    if ((*score)[id]) {
      ids.push_back(id);
      x.push_back(difficultyFeatures(scored.at(id), norm));
      y.push_back(errors.at(id));
      fixed.push_back(*(*score)[id]);
    }
  CombinationChoice choice = chooseCombination(o.combination, fixed, x, y, o.valTag, o.mc.seed);
  if (!choice.learned) return choice;
  const std::set<ImageId> inFit(ids.begin(), ids.end());
  for (auto& [id, s] : *score)
    if (s && !inFit.count(id)) s = choice.fit->model.predict(difficultyFeatures(scored.at(id), norm));
  for (std::size_t k = 0; k < ids.size(); ++k) (*score)[ids[k]] = choice.fit->outOfFold[k];
  return choice;
}

nlohmann::json combinationJson(const CombinationChoice& c, const Normalization& n) {
  nlohmann::json j{{"mode", c.learned ? "learned" : "fixed"}, {"why", c.why}};
  if (std::isfinite(c.fixedAurc)) j["fixed_aurc"] = c.fixedAurc;
  if (std::isfinite(c.learnedAurc)) j["learned_aurc"] = c.learnedAurc;
  if (c.fit) {
    // Enough to score a new image later the same way: the pool's normalisation and the model.
    const DifficultyModel& m = c.fit->model;
    j["model"] = {{"features", difficultyFeatureNames()}, {"mean", m.mean}, {"sd", m.sd},
                  {"weights", m.weights}, {"bias", m.bias}, {"lambda", m.lambda}};
    j["normalization"] = {{"mean", n.mean}, {"sd", n.sd}};
  }
  return j;
}

}  // namespace

Status scoreImages(Project& project, const ScoreOptions& options, DetectorBackend& detector, ScoreReport* report,
                   const ProgressFn& progress) {
  ScoreOptions o = options;
  if (o.combination != "auto" && o.combination != "fixed" && o.combination != "learned")
    return Status::InvalidArgument("score: unknown combination '" + o.combination + "' (auto, fixed or learned)");
  ScoreReport local;
  if (!report) report = &local;
  *report = ScoreReport{};
  const auto start = std::chrono::steady_clock::now();
  if (!o.testTag.empty()) o.pool.noTags.push_back(o.testTag);  // judged, never a candidate
  auto pool = unlabeledPool(project, o.pool, o.valTag);
  if (!pool.ok()) return pool.status();
  // VAL images count for calibration only when someone labelled them (status not unlabeled).
  ImageQuery vq;
  vq.anyTags = {o.valTag};
  vq.statuses = {ImageStatus::kLabeled, ImageStatus::kReviewed};
  auto val = project.findImages(vq);
  if (!val.ok()) return val.status();
  std::vector<ImageId> test;
  if (!o.testTag.empty()) {
    ImageQuery tq;
    tq.anyTags = {o.testTag};
    tq.noTags = {o.valTag};
    tq.statuses = {ImageStatus::kLabeled, ImageStatus::kReviewed};
    auto t = project.findImages(tq);
    if (!t.ok()) return t.status();
    test = std::move(*t);
  }
  if (pool->empty() && val->empty())
    return Status::NotFound("score: nothing to score: every image is labelled, tagged " + o.valTag + " or GT*");

  std::vector<ImageId> all = *pool;
  all.insert(all.end(), val->begin(), val->end());
  all.insert(all.end(), test.begin(), test.end());
  auto scan = detector.scanUncertainty(project, o, all, progress);
  if (!scan.ok()) return scan.status();
  o.mc.scoreThreshold = scan->scoreThreshold;  // the run's fitted one when asked for (< 0)
  report->missingImages = scan->missingImages;
  const std::map<ImageId, ImageUncertainty>* scored = &scan->images;
  std::vector<ImageUncertainty> poolU, valU;
  std::vector<ImageId> valScored, testScored;
  for (ImageId id : test)
    if (scored->count(id)) testScored.push_back(id);
  for (ImageId id : *pool)
    if (scored->count(id)) poolU.push_back(scored->at(id));
  for (ImageId id : *val)
    if (scored->count(id)) {
      valU.push_back(scored->at(id));
      valScored.push_back(id);
    }
  report->poolImages = poolU.size();
  report->valImages = valU.size();

  const Normalization norm = fitNormalization(poolU.empty() ? valU : poolU);
  std::map<ImageId, std::optional<double>> score;
  for (const auto& [id, u] : *scored) score[id] = imageScore(u, norm, o.combine);

  std::map<ImageId, double> errors;
  if (!valScored.empty()) {
    auto e = valErrors(project, valScored, *scored, o);
    if (!e.ok()) return e.status();
    errors = std::move(*e);
  }
  const CombinationChoice combination = combineScores(o, valScored, *scored, errors, norm, &score);
  report->combination = combination.learned ? "learned" : "fixed";
  report->combinationWhy = combination.why;

  std::optional<DifficultyThresholds> thresholds;
  std::vector<double> valS, valErr;  // VAL images with detections: their scores and true errors
  if (!valScored.empty()) {
    std::vector<double> s, err;
    for (ImageId id : valScored)
      if (score[id]) {
        s.push_back(*score[id]);
        err.push_back(errors[id]);
      }
    thresholds = fitThresholds(s, err);
    valS = std::move(s);
    valErr = std::move(err);
  }
  if (!thresholds) {
    std::vector<double> s;
    for (const auto& u : poolU.empty() ? valU : poolU)
      if (score[u.image]) s.push_back(*score[u.image]);
    thresholds = quantileThresholds(s);
  }
  if (!valScored.empty()) {
    // Easy must be safe to accept: the largest low-score set that is 90% fully correct on VAL.
    const SafeEasyFit safe = fitSafeEasy(valS, valErr);
    char why[256];
    if (safe.threshold) {
      thresholds->medium = *safe.threshold;
      thresholds->easyRule = "safe";
      std::snprintf(why, sizeof why,
                    "easy: the %d lowest-scored %s images with detections, %d of them (%.0f%%, 95%% lower bound %.0f%%) "
                    "fully correct", safe.images, o.valTag.c_str(), safe.fullyCorrect,
                    100.0 * safe.fullyCorrect / safe.images, 100 * safe.wilsonLower);
    } else {
      thresholds->medium = std::numeric_limits<double>::lowest();
      thresholds->easyRule = "none";
      std::snprintf(why, sizeof why,
                    "no image is easy: no score keeps 90%% of at least 5 %s images fully correct below it",
                    o.valTag.c_str());
    }
    thresholds->hard = std::max(thresholds->hard, thresholds->medium);
    report->easyWhy = why;
  } else {
    report->easyWhy = "easy is the lowest tercile of the pool's scores, unchecked: no labelled " + o.valTag + " images";
  }
  report->thresholds = *thresholds;
  if (!testScored.empty()) {
    auto e = valErrors(project, testScored, *scored, o);
    if (!e.ok()) return e.status();
    std::vector<std::optional<double>> s;
    std::vector<double> err;
    for (ImageId id : testScored) {
      s.push_back(score[id]);
      err.push_back(e->at(id));
    }
    report->testCalibration = calibrate(s, err, *thresholds);
    report->testImages = testScored.size();
  }
  if (!valScored.empty()) {
    std::vector<std::optional<double>> s;
    std::vector<double> err;
    for (ImageId id : valScored) {
      s.push_back(score[id]);
      err.push_back(errors[id]);
    }
    report->calibration = calibrate(s, err, *thresholds);
  }

  // An image without detections is stored with the run's highest score: it sorts with the hardest.
  double top = 0;
  for (const auto& [id, s] : score)
    if (s) top = std::max(top, *s);
  std::vector<ImageScore> rows;
  const std::set<ImageId> testSet(testScored.begin(), testScored.end());
  for (const auto& [id, u] : *scored) {
    if (testSet.count(id)) continue;  // judged, not stored: TEST images are neither pool nor VAL
    ImageScore row;
    row.run = scan->run;
    row.image = id;
    row.score = score[id].value_or(top);
    row.difficulty = difficultyOf(score[id], *thresholds);
    row.detections = static_cast<int>(u.detections.size());
    row.componentsJson = componentsJson(u, norm, o.combine);
    rows.push_back(std::move(row));
  }
  for (const auto& u : poolU) {
    ++report->perDifficulty[static_cast<int>(difficultyOf(score[u.image], *thresholds))];
    if (u.detections.empty()) ++report->withoutDetections;
  }
  QUARRY_RETURN_IF_ERROR(project.putScores(rows));

  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report->imagesPerSecond = report->seconds > 0 ? static_cast<double>(scored->size()) / report->seconds : 0;
  auto run = project.findRun(o.runName);
  if (!run.ok()) return run.status();
  nlohmann::json metrics = nlohmann::json::parse((*run)->metricsJson, nullptr, false);
  if (metrics.is_discarded() || !metrics.is_object()) metrics = nlohmann::json::object();
  nlohmann::json s{{"passes", o.mc.passes},
                   {"seed", o.mc.seed},
                   {"batched", o.mc.batched},
                   {"flip", o.mc.flip},
                   {"score_threshold", o.mc.scoreThreshold},
                   {"pool_images", report->poolImages},
                   {"val_images", report->valImages},
                   {"without_detections", report->withoutDetections},
                   {"thresholds", {{"medium", thresholds->medium}, {"hard", thresholds->hard}, {"source", thresholds->source},
                                   {"easy_rule", thresholds->easyRule}}},
                   {"easy", report->easyWhy},
                   {"combination", combinationJson(combination, norm)},
                   // What scoreArrivals needs to score a later image the same way.
                   {"normalization", {{"mean", norm.mean}, {"sd", norm.sd}}},
                   {"combine", {{"mode", o.combine.mode == CombineOptions::Mode::kMax ? "max" : "sum"},
                                {"aggregate", o.combine.aggregate == CombineOptions::Aggregate::kMean  ? "mean"
                                              : o.combine.aggregate == CombineOptions::Aggregate::kSum ? "sum"
                                                                                                      : "max"},
                                {"weights", o.combine.weights}}},
                   {"top_score", top},
                   {"images_per_second", report->imagesPerSecond}};
  for (int b = 0; b < 3; ++b) s["pool_per_difficulty"][toString(static_cast<Difficulty>(b))] = report->perDifficulty[b];
  if (report->calibration) s["calibration"] = calibrationJson(*report->calibration);
  if (report->testCalibration) {
    s["test_calibration"] = calibrationJson(*report->testCalibration);
    s["test_tag"] = o.testTag;
  }
  metrics["scoring"] = s;
  return project.setRunMetrics((*run)->id, metrics.dump());
}

Result<StoredScoring> storedScoring(const ModelRun& run) {
  const auto metrics = nlohmann::json::parse(run.metricsJson, nullptr, false);
  const auto none = Status::InvalidArgument("run " + run.name + " has not scored a pool yet (quarry score --run " +
                                            run.name + "), so there are no bars to judge new images by");
  if (metrics.is_discarded() || !metrics.is_object() || !metrics.contains("scoring")) return none;
  const auto& s = metrics["scoring"];
  if (!s.contains("normalization") || !s.contains("thresholds")) return none;
  try {
    StoredScoring out;
    for (int c = 0; c < kComponentCount; ++c) {
      out.normalization.mean[static_cast<std::size_t>(c)] = s["normalization"]["mean"].at(static_cast<std::size_t>(c));
      out.normalization.sd[static_cast<std::size_t>(c)] = s["normalization"]["sd"].at(static_cast<std::size_t>(c));
    }
    out.thresholds.medium = s["thresholds"].value("medium", 0.0);
    out.thresholds.hard = s["thresholds"].value("hard", 0.0);
    out.thresholds.source = s["thresholds"].value("source", std::string());
    out.thresholds.easyRule = s["thresholds"].value("easy_rule", std::string());
    if (s.contains("combine")) {
      const auto& c = s["combine"];
      out.combine.mode = c.value("mode", std::string("sum")) == "max" ? CombineOptions::Mode::kMax
                                                                      : CombineOptions::Mode::kWeightedSum;
      const std::string a = c.value("aggregate", std::string("max"));
      out.combine.aggregate = a == "mean"  ? CombineOptions::Aggregate::kMean
                              : a == "sum" ? CombineOptions::Aggregate::kSum
                                           : CombineOptions::Aggregate::kMax;
      if (c.contains("weights") && c["weights"].is_array() && c["weights"].size() == out.combine.weights.size())
        for (std::size_t k = 0; k < out.combine.weights.size(); ++k) out.combine.weights[k] = c["weights"][k];
    }
    out.scoreThreshold = s.value("score_threshold", 0.25);
    out.passes = s.value("passes", out.passes);
    out.flip = s.value("flip", false);
    out.topScore = s.value("top_score", 0.0);
    if (s.contains("combination") && s["combination"].value("mode", std::string()) == "learned" &&
        s["combination"].contains("model")) {
      const auto& m = s["combination"]["model"];
      DifficultyModel model;
      model.mean = m["mean"].get<std::vector<double>>();
      model.sd = m["sd"].get<std::vector<double>>();
      model.weights = m["weights"].get<std::vector<double>>();
      model.bias = m["bias"].get<double>();
      model.lambda = m.value("lambda", 0.0);
      out.learned = std::move(model);  // fitted on features z-scored by the same normalisation
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return Status::BadInput("run " + run.name + ": its stored scoring cannot be read: " + e.what());
  }
}

Result<std::vector<ImageScore>> scoreArrivals(Project& project, const std::string& runName,
                                              const std::vector<ImageId>& ids, DetectorBackend& detector,
                                              const ProgressFn& progress) {
  auto run = project.findRun(runName);
  if (!run.ok()) return run.status();
  if (!*run) return Status::NotFound("no model run '" + runName + "'");
  auto stored = storedScoring(**run);
  if (!stored.ok()) return stored.status();
  ScoreOptions o;
  o.runName = runName;
  o.mc.scoreThreshold = stored->scoreThreshold;
  o.mc.passes = stored->passes;
  o.mc.flip = stored->flip;
  auto scan = detector.scanUncertainty(project, o, ids, progress);
  if (!scan.ok()) return scan.status();
  std::vector<ImageScore> rows;
  for (const auto& [id, u] : scan->images) {
    std::optional<double> score = stored->learned && !u.detections.empty()
                                      ? std::optional<double>(stored->learned->predict(difficultyFeatures(u, stored->normalization)))
                                      : imageScore(u, stored->normalization, stored->combine);
    ImageScore row;
    row.run = scan->run;
    row.image = id;
    row.score = score.value_or(std::max(stored->topScore, 0.0));
    row.difficulty = difficultyOf(score, stored->thresholds);
    row.detections = static_cast<int>(u.detections.size());
    row.componentsJson = componentsJson(u, stored->normalization, stored->combine);
    rows.push_back(std::move(row));
  }
  QUARRY_RETURN_IF_ERROR(project.putScores(rows));
  return rows;
}

}  // namespace quarry::detect
