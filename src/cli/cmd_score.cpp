// quarry score: Monte-Carlo dropout uncertainty and difficulty for the pool (quarry_detect).
#include <cmath>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/detect/backend.h"
#include "quarry/workflow/scoring.h"
#include "quarry/workflow/stored_scores.h"
#include "quarry/al/external_predictions.h"
#include "quarry/core/figure.h"
#include "quarry/al/calibration_json.h"
#include "quarry/metrics/metrics_json.h"

namespace quarry::cli {
namespace {

struct ScoreArgs {
  detect::ScoreOptions options;
  std::string where, combine = "sum", aggregate = "max";
  bool naive = false;
  bool fromScores = false;
};

nlohmann::json reportJson(const detect::ScoreOptions& o, const detect::ScoreReport& r) {
  nlohmann::json j{{"run", o.runName},
                   {"passes", o.mc.passes},
                   {"batched", o.mc.batched},
                   {"flip", o.mc.flip},
                   {"pool_images", r.poolImages},
                   {"val_images", r.valImages},
                   {"missing_images", r.missingImages},
                   {"without_detections", r.withoutDetections},
                   {"per_difficulty", {{"easy", r.perDifficulty[0]}, {"medium", r.perDifficulty[1]}, {"hard", r.perDifficulty[2]}}},
                   {"thresholds", {{"medium", r.thresholds.medium}, {"hard", r.thresholds.hard}, {"source", r.thresholds.source},
                                   {"easy_rule", r.thresholds.easyRule}}},
                   {"easy", r.easyWhy},
                   {"combination", r.combination},
                   {"combination_why", r.combinationWhy},
                   {"seconds", r.seconds},
                   {"images_per_second", r.imagesPerSecond}};
  if (r.calibration) j["calibration"] = calibrationJson(*r.calibration);
  if (r.testCalibration) {
    j["test_calibration"] = calibrationJson(*r.testCalibration);
    j["test_tag"] = o.testTag;
    j["test_images"] = r.testImages;
  }
  return j;
}

void runScore(Context& ctx, ScoreArgs& args) {
  auto& o = args.options;
  o.mc.batched = !args.naive;
  o.combine.mode = args.combine == "max" ? CombineOptions::Mode::kMax : CombineOptions::Mode::kWeightedSum;
  o.combine.aggregate = args.aggregate == "mean"  ? CombineOptions::Aggregate::kMean
                        : args.aggregate == "sum" ? CombineOptions::Aggregate::kSum
                                                  : CombineOptions::Aggregate::kMax;
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (Status st = resolveQuery(**project, args.where, &o.pool); !st.ok()) {
    ctx.exitCode = fail(st);
    return;
  }
  // An external run (imported predictions) is scored from its stored boxes' scores.
  auto run = (*project)->findRun(o.runName);
  if (!run.ok()) { ctx.exitCode = fail(run.status()); return; }
  const bool external = *run && isExternalRun(**run);
  if (external && !args.fromScores) {
    ctx.exitCode = fail(Status::InvalidArgument("run " + o.runName + " is external (imported predictions): it has no "
                                                "model to run; score it with --from-scores"));
    return;
  }
  if (args.fromScores) o.mc.passes = 1;
  detect::ScoreReport report;
  ProgressLine progress(!ctx.quiet);
  Status st = detect::scoreImages(**project, o, args.fromScores ? detect::storedScoresBackend() : detect::linkedDetector(),
                                  &report, progress.callback());
  progress.finish();
  if (!st.ok()) { ctx.exitCode = fail(st); return; }
  if (ctx.json) { printJson(reportJson(o, report)); return; }
  const auto& d = report.perDifficulty;
  if (args.fromScores)
    std::printf("scored %zu pool and %zu VAL images with run %s from its stored boxes' scores\n", report.poolImages,
                report.valImages, o.runName.c_str());
  else
    std::printf("scored %zu pool and %zu VAL images with run %s (T = %d, %s, %.1f images/s)\n", report.poolImages,
                report.valImages, o.runName.c_str(), o.mc.passes, o.mc.batched ? "batched" : "naive",
                report.imagesPerSecond);
  std::printf("  pool: %zu easy, %zu medium, %zu hard (%zu without detections); %zu files missing\n", d[0], d[1], d[2],
              report.withoutDetections, report.missingImages);
  if (report.thresholds.easyRule == "none")
    std::printf("  thresholds (%s): nothing is easy, medium below %.3f, hard >= %.3f\n", report.thresholds.source.c_str(),
                report.thresholds.hard, report.thresholds.hard);
  else
    std::printf("  thresholds (%s): medium >= %.3f, hard >= %.3f\n", report.thresholds.source.c_str(),
                report.thresholds.medium, report.thresholds.hard);
  std::printf("  combination %s\n", report.combinationWhy.c_str());
  std::printf("  %s\n", report.easyWhy.c_str());
  auto show = [](const char* what, const Calibration& c) {
    const std::string easy =
        c.bands[0].images == 0
            ? std::string("no image easy")
            : "easy " + figureText(100 * c.easyShare, 0, "no images", "%") + " of the images, " +
                  figureText(100 * c.easyFullyCorrect, 0, {}, "%") + " of them fully correct (95% lower bound " +
                  figureText(100 * c.easyWilsonLower, 0, {}, "%") + ")";
    std::printf("  calibration on %d %s images: Spearman %s, AUROC %s, AURC %s, hard/easy error %s; %s\n", c.images,
                what, figureText(c.spearman, 3, c.spearmanWhy).c_str(), figureText(c.auroc, 3, c.aurocWhy).c_str(),
                figureText(c.aurc, 3, "no images").c_str(), figureText(c.hardToEasyErrorRatio, 2, c.ratioWhy, "x").c_str(),
                easy.c_str());
    for (int b = 0; b < 3; ++b)
      std::printf("    %-6s %4d images, mean error %s, with any error %s\n", toString(static_cast<Difficulty>(b)),
                  c.bands[b].images, figureText(c.bands[b].meanError, 3, "no images").c_str(),
                  figureText(100 * c.bands[b].anyErrorRate, 0, "no images", "%").c_str());
  };
  if (report.calibration) show("VAL (in sample: they fitted the bars)", *report.calibration);
  if (report.testCalibration) show(("held-out " + o.testTag).c_str(), *report.testCalibration);
}

}  // namespace

void addScoreCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ScoreArgs>();
  auto* score = app.add_subcommand("score", "Monte-Carlo dropout uncertainty and difficulty for the unlabelled pool");
  auto& o = a->options;
  score->add_option("--run", o.runName, "the model run that scores, e.g. CAL1")->required();
  score->add_option("--passes,-T", o.mc.passes, "Monte-Carlo dropout passes")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  score->add_option("--seed", o.mc.seed, "seed of the dropout masks")->capture_default_str();
  score->add_flag("--flip", o.mc.flip, "also run the image mirrored: the flip components (off: they stay 0)");
  score->add_flag("--from-scores", a->fromScores,
                  "score from the run's stored auto boxes and their scores (least confidence, margin, entropy) "
                  "instead of Monte-Carlo passes: for an external run (imported predictions)");
  score->add_flag("--naive", a->naive, "run T full passes instead of the head T times (slow; for comparison)");
  o.mc.scoreThreshold = -1;  // the run's fitted global threshold unless given
  score->add_option("--score-threshold", o.mc.scoreThreshold,
                    "detections above it are scored (default: the run's fitted global threshold, 0.25 without one)")
      ->check(CLI::Range(0.0, 1.0));
  score->add_option("--val-tag", o.valTag, "scored too, to fit the difficulty thresholds")->capture_default_str();
  score->add_option("--test-tag", o.testTag, "scored too, to judge the bars fitted on --val-tag on images that did not fit them");
  score->add_option("--where", a->where, "narrow the pool with a query");
  score->add_option("--tiles", o.tiles, "auto: as the run was trained | off: whole images letterboxed")
      ->capture_default_str()->check(CLI::IsMember({"auto", "off"}));
  score->add_option("--combination", o.combination,
                    "auto: learned on VAL when it ranks VAL's errors better out of fold | fixed | learned")
      ->capture_default_str()->check(CLI::IsMember({"auto", "fixed", "learned"}));
  score->add_option("--combine", a->combine, "components: sum (weighted z-scores) | max")->capture_default_str()
      ->check(CLI::IsMember({"sum", "max"}));
  score->add_option("--aggregate", a->aggregate, "over an image's detections: max | mean | sum")->capture_default_str()
      ->check(CLI::IsMember({"max", "mean", "sum"}));
  score->add_option("--batch", o.batchSize, "images per batch")->capture_default_str()->check(CLI::Range(1, 1024));
  score->callback([&ctx, a] { runScore(ctx, *a); });
}

}  // namespace quarry::cli
