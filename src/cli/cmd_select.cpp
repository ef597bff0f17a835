// quarry select: tag the next ground truth from a run's scores (core only, no LibTorch).
#include <cstdio>

#include "cli/cli_common.h"
#include "quarry/al/select.h"

namespace quarry::cli {
namespace {

struct SelectArgs {
  SelectRequest request;
  std::string strategy = toString(SelectOptions{}.strategy);
  std::string where;
};

void runSelect(Context& ctx, SelectArgs& args) {
  auto strategy = parseStrategy(args.strategy);
  if (!strategy) {
    ctx.exitCode = fail(Status::InvalidArgument("select: unknown strategy '" + args.strategy + "'"));
    return;
  }
  args.request.options.strategy = *strategy;
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (Status st = resolveQuery(**project, args.where, &args.request.pool); !st.ok()) {
    ctx.exitCode = fail(st);
    return;
  }
  auto report = selectNextGroundTruth(**project, args.request);
  if (!report.ok()) { ctx.exitCode = fail(report.status()); return; }
  const auto& d = report->perDifficulty;
  if (ctx.json) {
    printJson({{"run", args.request.runName},
               {"strategy", args.strategy},
               {"tag", args.request.tag},
               {"pool", report->poolSize},
               {"chosen", report->chosen.size()},
               {"per_difficulty", {{"easy", d[0]}, {"medium", d[1]}, {"hard", d[2]}}},
               {"images", report->chosen}});
    return;
  }
  std::printf("tagged %zu of %zu pool images %s (strategy %s, run %s): %zu easy, %zu medium, %zu hard\n",
              report->chosen.size(), report->poolSize, args.request.tag.c_str(), args.strategy.c_str(),
              args.request.runName.c_str(), d[0], d[1], d[2]);
}

}  // namespace

void addSelectCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SelectArgs>();
  auto* select = app.add_subcommand("select", "tag the next ground-truth images, chosen from a run's scores");
  auto& r = a->request;
  select->add_option("--run", r.runName, "the scored model run, e.g. CAL1")->required();
  select->add_option("--budget", r.options.budget, "how many images to choose")->required()
      ->check(CLI::PositiveNumber);
  select->add_option("--tag", r.tag, "tag for the chosen images")->capture_default_str();
  std::string names;
  for (Strategy s : allStrategies()) names += std::string(names.empty() ? "" : " | ") + toString(s);
  select->add_option("--strategy", a->strategy, names)->capture_default_str();
  select->add_option("--seed", r.options.seed, "random seed (random strategy, ties)")->capture_default_str();
  select->add_option("--val-tag", r.valTag, "validation tag, never chosen")->capture_default_str();
  select->add_option("--where", a->where, "narrow the pool with a query, e.g. \"class:crack\"");
  select->add_option("--shortlist", r.options.shortlistFactor, "diverse: shortlist budget x this by uncertainty")
      ->capture_default_str()->check(CLI::Range(1.0, 100.0));
  select->add_flag("!--no-class-balance", r.options.classBalance, "diverse: do not let classes take turns");
  select->callback([&ctx, a] { runSelect(ctx, *a); });
}

}  // namespace quarry::cli
