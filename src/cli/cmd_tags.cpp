// quarry tag add|remove|list | split
#include <cstdio>

#include "cli/cli_common.h"
#include "quarry/al/split.h"

namespace quarry::cli {
namespace {


void runTag(Context& ctx, bool add, const std::string& tag, const std::string& where) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  ImageQuery query;
  if (Status st = resolveQuery(**project, where, &query); !st.ok()) { ctx.exitCode = fail(st); return; }
  auto ids = (*project)->findImages(query);
  if (!ids.ok()) { ctx.exitCode = fail(ids.status()); return; }
  auto changed = add ? (*project)->tagImages(tag, *ids) : (*project)->untagImages(tag, *ids);
  if (!changed.ok()) { ctx.exitCode = fail(changed.status()); return; }
  if (ctx.json) printJson({{"tag", tag}, {"matched", ids->size()}, {"changed", *changed}});
  else std::printf("%s tag %s: %lld of %zu matching images changed\n", add ? "added" : "removed", tag.c_str(),
                   static_cast<long long>(*changed), ids->size());
}

void runTagList(Context& ctx) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto tags = (*project)->tags();
  if (!tags.ok()) { ctx.exitCode = fail(tags.status()); return; }
  nlohmann::json j = nlohmann::json::array();
  for (const auto& t : *tags) {
    if (ctx.json) j.push_back({{"name", t.name}, {"images", t.imageCount}});
    else std::printf("%-20s %lld\n", t.name.c_str(), static_cast<long long>(t.imageCount));
  }
  if (ctx.json) printJson(j);
}

struct SplitArgs {
  std::string val = "0.2", gt = "0.2", where;
  SplitOptions options;
};

void runSplit(Context& ctx, SplitArgs& args) {
  bool okVal = false, okGt = false;
  args.options.val = SplitAmount::parse(args.val, &okVal);
  args.options.gt = SplitAmount::parse(args.gt, &okGt);
  if (!okVal || !okGt) {
    ctx.exitCode = fail(Status::InvalidArgument("--val and --gt take a count (178) or a fraction (0.2)"));
    return;
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (Status st = resolveQuery(**project, args.where, &args.options.pool); !st.ok()) { ctx.exitCode = fail(st); return; }
  auto result = splitImages(**project, args.options);
  if (!result.ok()) { ctx.exitCode = fail(result.status()); return; }
  if (ctx.json) {
    printJson({{"pool", result->poolSize}, {args.options.valTag, result->val.size()},
               {args.options.gtTag, result->gt.size()}, {"seed", args.options.seed},
               {"moved_for_duplicates", result->movedForDuplicates}});
  } else {
    std::printf("split %zu images (seed %llu): %zu tagged %s, %zu tagged %s\n", result->poolSize,
                static_cast<unsigned long long>(args.options.seed), result->val.size(), args.options.valTag.c_str(),
                result->gt.size(), args.options.gtTag.c_str());
    if (result->movedForDuplicates > 0)
      std::printf("%zu images moved so that near-duplicates stay on one side\n", result->movedForDuplicates);
  }
}

}  // namespace

void addTagCommands(CLI::App& app, Context& ctx) {
  auto* tag = app.add_subcommand("tag", "add, remove or list tags");
  tag->require_subcommand(1);
  for (bool add : {true, false}) {
    auto* sub = tag->add_subcommand(add ? "add" : "remove", add ? "tag the images a query matches"
                                                                : "untag the images a query matches");
    auto name = std::make_shared<std::string>();
    auto where = std::make_shared<std::string>();
    sub->add_option("tag", *name, "tag name, e.g. GT2")->required();
    sub->add_option("-w,--where", *where,
                    "image query: tag:A,B alltags:A,B notag:A class:C status:S source:S difficulty:D run:R name:TEXT")
        ->required();
    sub->callback([&ctx, add, name, where] { runTag(ctx, add, *name, *where); });
  }
  tag->add_subcommand("list", "tags and their image counts")->callback([&ctx] { runTagList(ctx); });

  auto args = std::make_shared<SplitArgs>();
  auto* split = app.add_subcommand("split", "seeded random split into VAL and GT tags");
  split->add_option("--val", args->val, "VAL size: a count (178) or a fraction of the pool (0.2)")->capture_default_str();
  split->add_option("--gt", args->gt, "GT size: a count or a fraction of the pool")->capture_default_str();
  split->add_option("--val-tag", args->options.valTag, "tag for the validation set")->capture_default_str();
  split->add_option("--gt-tag", args->options.gtTag, "tag for the ground-truth set")->capture_default_str();
  split->add_option("--seed", args->options.seed, "random seed")->capture_default_str();
  split->add_flag("--stratify", args->options.stratify, "keep each class's share alike in both sets");
  split->add_flag("--extend", args->options.extend, "add to VAL or GT tags that already hold images");
  split->add_option("-w,--where", args->where, "draw only from the images this query matches");
  split->add_option("--duplicate-distance", args->options.duplicateDistance,
                    "near-duplicates this many bits apart stay on one side (-1: off)")
      ->capture_default_str();
  split->callback([&ctx, args] { runSplit(ctx, *args); });
}

}  // namespace quarry::cli
