// quarry experiment: the active-learning experiment on a project with true labels (quarry_detect).
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/workflow/experiment.h"

namespace quarry::cli {
namespace {

struct ExperimentArgs {
  detect::ExperimentOptions options;
  std::string seeds = "1,2", strategies = toString(SelectOptions{}.strategy);
};

void runExperimentCommand(Context& ctx, ExperimentArgs& args) {
  auto& o = args.options;
  o.seeds.clear();
  for (const auto& s : splitList(args.seeds)) {
    try {
      o.seeds.push_back(std::stoull(s));
    } catch (const std::exception&) {
      ctx.exitCode = fail(Status::InvalidArgument("experiment: --seeds: '" + s + "' is not a number"));
      return;
    }
  }
  o.strategies.clear();
  for (const auto& s : splitList(args.strategies)) {
    auto strategy = parseStrategy(s);
    if (!strategy || *strategy == Strategy::kRandom) {
      ctx.exitCode = fail(Status::InvalidArgument("experiment: --strategies: '" + s +
                                                  "' is not a strategy (random is the control, always run)"));
      return;
    }
    o.strategies.push_back(*strategy);
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  ProgressLine progress(!ctx.quiet);
  auto result = detect::runExperiment(**project, o, detect::linkedDetector(), progress.callback());
  progress.finish();
  if (!result.ok()) { ctx.exitCode = fail(result.status()); return; }
  if (ctx.json) {
    printJson({{"report", result->report.string()}, {"models", result->models.size()}, {"seconds", result->seconds}});
    return;
  }
  std::printf("trained %zu models in %.1f minutes; report: %s\n", result->models.size(), result->seconds / 60,
              result->report.string().c_str());
}

}  // namespace

void addExperimentCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ExperimentArgs>();
  auto& o = a->options;
  o.train.epochs = 30;
  auto* e = app.add_subcommand("experiment",
                               "active learning vs random picking on a fully labelled project (labels revealed as picked)");
  e->add_option("--name", o.name, "report folder: reports/NAME")->capture_default_str();
  e->add_option("--seeds", a->seeds, "comma-separated seeds, one paired repeat each")->capture_default_str();
  e->add_option("--val-tag", o.valTag, "use this tag's images as VAL in every seed (default: random --val images)");
  e->add_option("--val", o.valCount, "random VAL size when no --val-tag")->capture_default_str();
  e->add_option("--test-tag", o.testTag, "report every figure on this tag's images; all of VAL then selects "
                "(default: --test-share of VAL, drawn per seed)");
  e->add_option("--test-share", o.testShare, "share of VAL held out as TEST, which reports and never selects")
      ->capture_default_str()->check(CLI::Range(0.05, 0.95));
  e->add_option("--min-steps", o.train.minSteps, "the fewest optimiser steps per model (epochs x steps per epoch "
                "when more)")->capture_default_str()->check(CLI::Range(0L, 100000000L));
  e->add_option("--gt", o.gtCount, "GT1 size")->capture_default_str();
  e->add_option("--budget", o.budget, "images added per round")->capture_default_str()->check(CLI::PositiveNumber);
  e->add_option("--rounds", o.rounds, "selection rounds")->capture_default_str()->check(CLI::Range(1, 20));
  e->add_option("--strategies", a->strategies, "comma-separated strategies to compare with the random control")
      ->capture_default_str();
  e->add_option("--preset", o.train.preset, "model size")->capture_default_str();
  e->add_option("--epochs", o.train.epochs, "most epochs per model")->capture_default_str();
  e->add_option("--patience", o.train.patience, "early stop after this many VAL checks without better mAP")
      ->capture_default_str();
  e->add_option("--validate-every", o.train.validateEvery, "epochs between VAL checks")->capture_default_str()
      ->check(CLI::Range(1, 100000));
  e->add_option("--max-steps", o.train.maxSteps, "most optimiser steps per model (-1: no limit); the same "
                "for every arm, so arms get equal compute whatever else the machine does")->capture_default_str();
  e->add_option("--max-minutes", o.train.maxMinutes, "most minutes per model (0: no limit)")->capture_default_str();
  e->add_option("--batch", o.train.batchSize, "training batch")->capture_default_str();
  e->add_option("--threads", o.train.threads, "CPU threads (0: every core)")->capture_default_str();
  e->add_option("--passes,-T", o.mc.passes, "Monte-Carlo dropout passes")->capture_default_str();
  e->add_option("--combination", o.combination, "how components make the difficulty: auto | fixed | learned")
      ->capture_default_str()->check(CLI::IsMember({"auto", "fixed", "learned"}));
  e->add_flag("--flip", o.mc.flip, "also run images mirrored when scoring: the flip components");
  e->add_flag("--keep-work", o.keepWork, "keep the sandbox projects under reports/NAME/work");
  e->callback([&ctx, a] { runExperimentCommand(ctx, *a); });
}

}  // namespace quarry::cli
