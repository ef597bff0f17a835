// quarry mistakes: the images where a run's detections and the human labels disagree, most first
// (core only, no LibTorch: it reads what `quarry score` stored).
#include <cstdio>
#include <map>

#include "cli/cli_common.h"
#include "quarry/al/mistakes.h"
#include "quarry/report/run_figures.h"

namespace quarry::cli {
namespace {

struct MistakeArgs {
  std::string run;
  std::string where;
  std::size_t limit = 50;
};

void runMistakes(Context& ctx, const MistakeArgs& args) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  Project& p = **project;
  auto run = p.findRun(args.run);
  if (!run.ok()) { ctx.exitCode = fail(run.status()); return; }
  if (!*run) { ctx.exitCode = fail(Status::NotFound("no model run '" + args.run + "' (quarry runs lists them)")); return; }
  auto classes = p.classes();
  if (!classes.ok()) { ctx.exitCode = fail(classes.status()); return; }
  MistakeOptions o;
  if (Status st = resolveQuery(p, args.where, &o.images); !st.ok()) { ctx.exitCode = fail(st); return; }
  const auto op = runOperatingPoint((*run)->metricsJson);
  if (op) {
    o.thresholds = op->byId(*classes);
    o.defaultThreshold = op->global;
  }
  auto queue = mistakesQueue(p, (*run)->id, o);
  if (!queue.ok()) { ctx.exitCode = fail(queue.status()); return; }
  std::map<ClassId, std::string> name;
  for (const auto& c : *classes) name[c.id] = c.name;
  const std::size_t shown = std::min(queue->size(), args.limit);
  std::vector<ImageId> ids;
  for (std::size_t i = 0; i < shown; ++i) ids.push_back((*queue)[i].image);
  auto records = p.images(ids);
  if (!records.ok()) { ctx.exitCode = fail(records.status()); return; }
  const std::string thresholds = op ? "the run's fitted thresholds" : "score 0.25 (the run has no fitted thresholds)";
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < shown; ++i) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& d : (*queue)[i].items)
        items.push_back({{"kind", toString(d.kind)}, {"class", name[d.cls]}, {"label_class", d.kind == DisagreementKind::kClassConfusion ? name[d.labelCls] : ""},
                         {"confidence", d.confidence}, {"box", {d.x, d.y, d.w, d.h}}});
      out.push_back({{"image", (*queue)[i].image}, {"path", (*records)[i].path}, {"weight", (*queue)[i].weight}, {"items", items}});
    }
    printJson({{"run", args.run}, {"images", queue->size()}, {"thresholds", thresholds}, {"queue", out}});
    return;
  }
  std::printf("%zu images disagree with %s (at %s); the %zu heaviest:\n", queue->size(), args.run.c_str(),
              thresholds.c_str(), shown);
  for (std::size_t i = 0; i < shown; ++i) {
    std::printf("%6.2f  %s\n", (*queue)[i].weight, (*records)[i].path.c_str());
    for (const auto& d : (*queue)[i].items) {
      std::string what = toString(d.kind);
      what += " " + name[d.cls];
      if (d.kind == DisagreementKind::kClassConfusion) what += " on a " + name[d.labelCls] + " label";
      char confidence[16] = "";
      if (d.kind != DisagreementKind::kMissedLabel) std::snprintf(confidence, sizeof confidence, " %.2f", d.confidence);
      std::printf("        %s%s at %.0f,%.0f %.0fx%.0f\n", what.c_str(), confidence, d.x, d.y, d.w, d.h);
    }
  }
}

}  // namespace

void addMistakesCommand(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<MistakeArgs>();
  auto* m = app.add_subcommand("mistakes",
                               "images where a scored run and the human labels disagree, most first: confident "
                               "detections no label matches, labels it misses, class confusions");
  m->add_option("--run", a->run, "the scored model run, e.g. CAL1")->required();
  m->add_option("-w,--where", a->where, "narrow the images, e.g. \"tag:VAL1\"");
  m->add_option("--limit", a->limit, "list at most this many images")->capture_default_str();
  m->callback([&ctx, a] { runMistakes(ctx, *a); });
}

}  // namespace quarry::cli
