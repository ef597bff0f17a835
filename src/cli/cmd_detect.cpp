// quarry train | autolabel | eval: thin layers over quarry_detect (quarry/detect/detector.h).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/eval_report.h"
#include "cli/progress_line.h"
#include "quarry/al/external_predictions.h"
#include "quarry/detect/detector.h"
#include "quarry/core/figure.h"
#include "quarry/metrics/metrics_json.h"

namespace quarry::cli {
namespace {



// Training progress in ProgressLine's style: a live line on a terminal, and in a log one line
// per epoch (at most one per 10 s, at least one per 30 s), so a long run stays readable. Ctrl+C cancels.
class TrainProgressLine {
 public:
  explicit TrainProgressLine(bool enabled)
      : enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}
  ~TrainProgressLine() { finish(); }
  TrainProgressLine(const TrainProgressLine&) = delete;
  TrainProgressLine& operator=(const TrainProgressLine&) = delete;

  detect::TrainProgressFn callback() {
    return [this](const detect::TrainProgress& p) { return update(p); };
  }
  void finish() {
    if (open_) std::fprintf(stderr, "\n");
    open_ = false;
  }

 private:
  bool update(const detect::TrainProgress& p) {
    if (cancelRequested()) return false;
    if (!enabled_) return true;
    const auto now = std::chrono::steady_clock::now();
    const double sinceLast = std::chrono::duration<double>(now - lastPrint_).count();
    const bool newEpoch = p.epoch != epoch_;
    // In a log, a line per epoch reads well for long epochs; short ones (a small ground truth is
    // a few steps an epoch) would flood it, so a new epoch waits 10 s after the last line.
    const bool due = tty_ ? (sinceLast > 0.1 || newEpoch || p.stage != stage_)
                          : ((newEpoch && sinceLast > 10) || sinceLast > 30 || epoch_ < 0);
    if (!due) return true;
    lastPrint_ = now;
    stage_ = p.stage;
    epoch_ = p.epoch;
    std::string line = "[" + (p.stage.empty() ? std::string("train") : p.stage) + "]";
    char buf[160];
    if (p.epochs > 0) {
      std::snprintf(buf, sizeof buf, " epoch %d/%d", p.epoch, p.epochs);
      line += buf;
    }
    if (p.steps > 0) {
      std::snprintf(buf, sizeof buf, " step %ld/%ld (%d%%)", p.step, p.steps,
                    static_cast<int>(100.0 * static_cast<double>(p.step) / static_cast<double>(p.steps)));
      line += buf;
    }
    if (p.step > 0) {
      std::snprintf(buf, sizeof buf, " loss %.4f", p.loss);
      line += buf;
    }
    if (!std::isnan(p.valMap50)) {
      std::snprintf(buf, sizeof buf, " VAL mAP50 %.3f", p.valMap50);
      line += buf;
    }
    if (p.etaSeconds > 0) line += " ETA " + formatSeconds(p.etaSeconds);
    line += " " + formatSeconds(std::chrono::duration<double>(now - start_).count()) + " elapsed";
    if (tty_) {
      std::fprintf(stderr, "\r%-96s", line.c_str());
      open_ = true;
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
    return true;
  }

  bool enabled_;
  bool tty_;
  bool open_ = false;
  std::chrono::steady_clock::time_point start_, lastPrint_;
  std::string stage_;
  int epoch_ = -1;
};

// --- train -----------------------------------------------------------------------------

struct TrainArgs {
  detect::TrainOptions options;
  std::string trainTags;
  bool noAleatoric = false;
  bool plan = false;
};

// train --plan: what a training would choose, without training.
void printPlan(const Context& ctx, const detect::TrainPlan& p) {
  if (ctx.json) {
    printJson({{"preset", p.presetChoice.preset}, {"preset_choice", p.presetChoice.why},
               {"input_size", p.preset.inputSize}, {"tiling", p.tiling.describe()}, {"tiling_choice", p.tilingWhy},
               {"train_images", p.trainImages}, {"steps_per_epoch", p.stepsPerEpoch},
               {"planned_steps", p.steps.steps}, {"planned_epochs", p.steps.epochs}});
    return;
  }
  std::printf("preset %s (%d px input)%s%s\n", p.presetChoice.preset.c_str(), p.preset.inputSize,
              p.presetChoice.why.empty() ? "" : ": ", p.presetChoice.why.c_str());
  std::printf("%s\n", p.tilingWhy.c_str());
  std::printf("%zu training images, %ld planned steps (%d epochs of %ld steps)\n", p.trainImages, p.steps.steps,
              p.steps.epochs, p.stepsPerEpoch);
}

nlohmann::json trainJson(const detect::TrainOptions& o, const detect::TrainResult& r) {
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& e : r.curve)
    curve.push_back({{"epoch", e.epoch}, {"loss", jsonNumber(e.loss)}, {"val_map50", jsonNumber(e.valMap50)},
                     {"seconds", e.seconds}});
  return {{"run", o.runName},
          {"run_id", r.run},
          {"preset", r.presetChoice.preset},
          {"preset_choice", r.presetChoice.why},
          {"tiling", r.tiling.describe()},
          {"tiling_choice", r.tilingWhy},
          {"best_epoch", r.bestEpoch},
          {"best_map50", jsonNumber(r.bestMap50)},
          {"planned_steps", r.plannedSteps},
          {"planned_epochs", r.plannedEpochs},
          {"steps", r.steps},
          {"checkpoint", r.checkpoint},
          {"train_seconds", r.trainSeconds},
          {"minutes", r.trainSeconds / 60.0},
          {"images_per_second", r.imagesPerSecond},
          {"curve", curve}};
}

std::string boostText(double boost) { return figureText(boost, 2, {}, "x"); }

void runTrain(Context& ctx, TrainArgs& args) {
  args.options.trainTags = splitList(args.trainTags);
  args.options.aleatoric = !args.noAleatoric;
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (args.plan) {
    auto plan = detect::planTraining(**project, args.options);
    if (!plan.ok()) { ctx.exitCode = fail(plan.status()); return; }
    printPlan(ctx, *plan);
    return;
  }
  TrainProgressLine progress(!ctx.quiet);
  auto result = detect::train(**project, args.options, progress.callback());
  progress.finish();
  if (!result.ok()) { ctx.exitCode = fail(result.status()); return; }
  if (ctx.json) { printJson(trainJson(args.options, *result)); return; }
  char map50[32] = "- (no VAL images)";
  if (!std::isnan(result->bestMap50)) std::snprintf(map50, sizeof map50, "%.3f", result->bestMap50);
  std::printf("trained run %s (preset %s): best epoch %d, VAL mAP@0.5 %s\n", args.options.runName.c_str(),
              result->presetChoice.preset.c_str(), result->bestEpoch, map50);
  if (!result->presetChoice.why.empty())
    std::printf("  preset auto: %s\n", result->presetChoice.why.c_str());
  std::printf("  %s\n", result->tilingWhy.c_str());
  std::printf("  %ld of %ld planned steps (%d epochs of %ld steps), checkpoint %s, %.1f minutes, %.1f images/s\n",
              result->steps, result->plannedSteps, result->plannedEpochs, result->stepsPerEpoch,
              result->checkpoint.c_str(), result->trainSeconds / 60.0, result->imagesPerSecond);
  if (const auto& p = result->operatingPoint) {
    auto classes = (*project)->classes();
    std::printf("  thresholds fitted on %s to minimise review time: %s\n", p->valTag.c_str(),
                classes.ok() ? p->describe(*classes).c_str() : "?");
    std::printf("  efficiency boost %s held out (each half of %s at the other half's thresholds), %s at score %.2f\n",
                boostText(p->heldOutBoost).c_str(), p->valTag.c_str(), boostText(p->boostAtDefault).c_str(),
                args.options.scoreThreshold);
  }
}

// --- autolabel -------------------------------------------------------------------------

struct AutoLabelArgs {
  detect::AutoLabelOptions options;
  std::string where;
  CLI::Option* whereOption = nullptr;
};

void runAutoLabel(Context& ctx, AutoLabelArgs& args) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  // An explicit --where (even an empty one, meaning every image) replaces the default choice.
  if (args.whereOption->count() > 0) {
    if (Status st = resolveQuery(**project, args.where, &args.options.images); !st.ok()) {
      ctx.exitCode = fail(st);
      return;
    }
    args.options.useDefaultQuery = false;
  }
  detect::AutoLabelReport report;
  ProgressLine progress(!ctx.quiet);
  Status st = detect::autoLabel(**project, args.options, &report, progress.callback());
  progress.finish();
  if (!st.ok()) { ctx.exitCode = fail(st); return; }
  if (ctx.json) {
    printJson({{"run", args.options.runName},
               {"images", report.images},
               {"boxes", report.boxes},
               {"images_without_detections", report.imagesWithoutDetections},
               {"missing_images", report.missingImages},
               {"thresholds", report.thresholds},
               {"tiling", report.tiling},
               {"images_per_second", report.imagesPerSecond}});
    return;
  }
  std::printf("auto-labeled %zu images with run %s: %zu boxes, %zu images without detections, %zu files missing "
              "(%.1f images/s)\n  kept detections at %s; tiles %s\n",
              report.images, args.options.runName.c_str(), report.boxes, report.imagesWithoutDetections,
              report.missingImages, report.imagesPerSecond, report.thresholds.c_str(), report.tiling.c_str());
}

// --- eval ------------------------------------------------------------------------------

struct EvalArgs {
  std::string run, predictions;
  std::string valTag = "VAL1";
  std::string tiles = "auto";
  EvalOptions eval;
  CLI::Option* thresholdOption = nullptr;
};

Result<EvalResult> evaluateModelRun(const Context& ctx, Project& project, const EvalArgs& args,
                                    detect::EvaluateRunReport* report) {
  detect::EvaluateRunOptions options;
  options.runName = args.run;
  options.valTag = args.valTag;
  options.eval = args.eval;
  options.tiles = args.tiles;
  // An explicit --score-threshold replaces the run's fitted thresholds.
  options.atOperatingPoint = args.thresholdOption->count() == 0;
  ProgressLine progress(!ctx.quiet);
  auto result = detect::evaluateRun(project, options, progress.callback(), report);
  progress.finish();
  return result;
}

void runEval(Context& ctx, const EvalArgs& args) {
  if (args.run.empty() == args.predictions.empty()) {
    ctx.exitCode = fail(Status::InvalidArgument("eval needs one of --run NAME or --predictions FILE.json"));
    return;
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto classes = (*project)->classes();
  if (!classes.ok()) { ctx.exitCode = fail(classes.status()); return; }
  detect::EvaluateRunReport report;
  // An external run (imported predictions) has no model to run: its stored boxes are measured.
  std::optional<ModelRun> external;
  if (!args.run.empty()) {
    auto found = (*project)->findRun(args.run);
    if (!found.ok()) { ctx.exitCode = fail(found.status()); return; }
    if (*found && isExternalRun(**found)) external = **found;
  }
  auto result = !args.run.empty() && external ? evaluateStoredRun(**project, external->id, args.valTag, args.eval)
                : args.run.empty()           ? evaluateCocoResults(**project, args.predictions, args.valTag, args.eval)
                                             : evaluateModelRun(ctx, **project, args, &report);
  if (!result.ok()) { ctx.exitCode = fail(result.status()); return; }
  EvalOptions shown = args.eval;
  if (report.atOperatingPoint) {
    shown.scoreThreshold = report.operatingPoint.global;
    shown.classScoreThresholds = report.operatingPoint.byId(*classes);
  }
  if (ctx.json) {
    nlohmann::json j = evalJson(*result, *classes, args.eval);
    j["val_tag"] = args.valTag;
    if (external) {
      j["run"] = args.run;
      j["external"] = true;
    } else if (!args.run.empty()) {
      j["run"] = args.run;
      j["tiling"] = report.tiling.describe();
      j["images_per_second"] = report.imagesPerSecond;
    } else {
      j["predictions"] = args.predictions;
    }
    if (report.atOperatingPoint) {
      const auto& p = report.operatingPoint;
      nlohmann::json perClass = nlohmann::json::object();
      for (const auto& [name, t] : p.perClass) perClass[name] = t;
      j["score_threshold"] = nullptr;
      j["operating_point"] = {{"fitted_on", p.valTag}, {"global", p.global}, {"per_class", perClass},
                              {"fallback", p.fallback}, {"held_out", report.heldOut}};
      j["at_default"] = {{"score_threshold", args.eval.scoreThreshold},
                         {"efficiency_boost", jsonNumber(report.atDefault.efficiencyBoost)}};
    }
    if (!args.run.empty() && !external) {
      j["effort"] = report.effort;
      j["measured_effort"] = report.measuredEffort;
      if (report.measuredEffort) j["efficiency_boost_cited"] = jsonNumber(report.citedBoost);
    }
    printJson(j);
    return;
  }
  const std::string what = args.run.empty() ? args.predictions : "run " + args.run;
  std::printf("evaluation of %s on %s\n", what.c_str(), args.valTag.c_str());
  if (external) std::printf("the stored boxes of external run %s (imported predictions)\n", args.run.c_str());
  else if (!args.run.empty())
    std::printf("tiles %s; inference %.1f images/s\n", report.tiling.describe().c_str(), report.imagesPerSecond);
  printEvalReport(*result, *classes, shown);
  if (report.atOperatingPoint) {
    const auto& p = report.operatingPoint;
    std::printf("operating point: thresholds fitted on %s to minimise review time: %s\n", p.valTag.c_str(),
                p.describe(*classes).c_str());
    if (report.heldOut)
      std::printf("  TP/FP/FN, precision, recall, review and boost above are held out: each half of %s at the "
                  "thresholds fitted on the other half\n", args.valTag.c_str());
    std::printf("  efficiency boost %s at the fitted thresholds, %s at score %.2f (--score-threshold T evaluates at one "
                "threshold)\n", boostText(result->efficiencyBoost).c_str(),
                boostText(report.atDefault.efficiencyBoost).c_str(), args.eval.scoreThreshold);
  }
  if (!args.run.empty() && !external) {
    std::printf("seconds per action: %s\n", report.effort.c_str());
    if (report.measuredEffort)
      std::printf("  efficiency boost %s at the cited constants instead (quarry stats --time shows the measured times)\n",
                  boostText(report.citedBoost).c_str());
  }
}

}  // namespace

void addDetectCommands(CLI::App& app, Context& ctx) {
  auto t = std::make_shared<TrainArgs>();
  auto* train = app.add_subcommand("train", "train a detector on the GT tags and measure it on VAL");
  auto& o = t->options;
  train->add_option("--run", o.runName, "name of the new model run, e.g. CAL1")->required();
  train->add_option("--preset", o.preset,
                    "model size: auto (from the images' and boxes' sizes) | tiny | small | small-s4 | medium | FILE.json")
      ->capture_default_str();
  train->add_option("--tiles", o.tiles,
                    "large images by overlapping tiles: auto (when letterboxing would shrink the boxes too much) | on | off")
      ->capture_default_str()->check(CLI::IsMember({"auto", "on", "off"}));
  train->add_option("--train-tags", t->trainTags, "tags to train on, comma-separated (default: every GT* tag)");
  train->add_option("--val-tag", o.valTag, "validation tag (never trained on)")->capture_default_str();
  train->add_option("--epochs", o.epochs, "epochs to plan (raised to reach --min-steps)")->capture_default_str()
      ->check(CLI::Range(1, 100000));
  train->add_option("--min-steps", o.minSteps, "the fewest optimiser steps to plan; early stopping waits for them")
      ->capture_default_str()->check(CLI::Range(0L, 100000000L));
  train->add_option("--batch", o.batchSize, "images per step")->capture_default_str()->check(CLI::Range(2, 4096));
  train->add_option("--lr", o.learningRate, "peak learning rate (AdamW)")->capture_default_str()
      ->check(CLI::PositiveNumber);
  train->add_option("--max-steps", o.maxSteps, "stop after this many steps (-1: no limit)")->capture_default_str();
  train->add_option("--validate-every", o.validateEvery,
                    "epochs between VAL checks (0: auto, about 20 checks a run, at most 100 steps apart)")
      ->capture_default_str()->check(CLI::Range(0, 100000));
  train->add_option("--patience", o.patience, "stop after this many VAL checks without a better mAP@0.5")
      ->capture_default_str();
  train->add_option("--max-minutes", o.maxMinutes, "stop after this wall time (0: no limit)")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  train->add_option("--seed", o.seed, "random seed (sampling, augmentation, weights)")->capture_default_str();
  train->add_option("--ema-decay", o.emaDecay, "decay of the weights' moving average that is saved (0: raw weights)")
      ->capture_default_str()->check(CLI::Range(0.0, 0.99999));
  train->add_flag("--plan", t->plan, "say which preset, tiling and steps the training would use, and stop");
  train->add_flag("--no-aleatoric", t->noAleatoric, "do not learn a variance per box coordinate");
  train->add_flag("--allow-near-duplicates", o.allowNearDuplicates,
                  "train even when VAL images have near-duplicates among the training images (logged)");
  train->add_option("--threads", o.threads, "CPU threads (0: every core)")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  train->add_option("--device", o.device, "cpu | cuda")->capture_default_str()->check(CLI::IsMember({"cpu", "cuda"}));
  train->add_option("--score-threshold", o.scoreThreshold, "score a detection needs for precision/recall")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  train->callback([&ctx, t] { runTrain(ctx, *t); });

  auto a = std::make_shared<AutoLabelArgs>();
  auto* autolabel = app.add_subcommand("autolabel", "write a model run's boxes (source auto) to images");
  autolabel->add_option("--run", a->options.runName, "the trained model run")->required();
  a->whereOption = autolabel->add_option("-w,--where", a->where,
                                         "exactly these images (default: images without manual or corrected boxes)");
  autolabel->add_option("--score-threshold", a->options.scoreThreshold,
                        "lowest score kept (default: the run's fitted per-class thresholds, 0.25 without them)")
      ->check(CLI::Range(0.0, 1.0));
  autolabel->add_option("--tiles", a->options.tiles, "auto: as the run was trained | off: whole images letterboxed")
      ->capture_default_str()->check(CLI::IsMember({"auto", "off"}));
  autolabel->add_option("--batch", a->options.batchSize, "images per inference batch")->capture_default_str()
      ->check(CLI::Range(1, 4096));
  autolabel->callback([&ctx, a] { runAutoLabel(ctx, *a); });

  auto e = std::make_shared<EvalArgs>();
  auto* eval = app.add_subcommand("eval", "measure a model run or a COCO results file on the VAL images");
  auto* run = eval->add_option("--run", e->run, "evaluate this model run on VAL");
  eval->add_option("--predictions", e->predictions, "evaluate this COCO results file (JSON) instead")->excludes(run);
  eval->add_option("--val-tag", e->valTag, "the images to evaluate on")->capture_default_str();
  eval->add_option("--tiles", e->tiles, "auto: as the run was trained | off: whole images letterboxed")
      ->capture_default_str()->check(CLI::IsMember({"auto", "off"}));
  eval->add_option("--iou", e->eval.iou, "IoU a match needs")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  e->thresholdOption =
      eval->add_option("--score-threshold", e->eval.scoreThreshold,
                       "one score every detection needs to count (AP uses all); default: the run's fitted per-class "
                       "thresholds, beside this figure")
          ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  eval->callback([&ctx, e] { runEval(ctx, *e); });
}

}  // namespace quarry::cli
