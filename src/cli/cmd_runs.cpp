// quarry runs list | show NAME: the project's model runs, and what one was trained on
#include <cstdio>
#include <ctime>
#include <memory>

#include "cli/cli_common.h"
#include "quarry/store/provenance.h"

namespace quarry::cli {
namespace {

std::string localTime(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// mAP@0.5 on VAL as training measured it, when it did.
std::optional<double> valMap50(const ModelRun& r) {
  const auto m = nlohmann::json::parse(r.metricsJson, nullptr, false);
  if (m.is_discarded() || !m.contains("val")) return std::nullopt;
  const auto& v = m["val"];
  if (v.contains("map50") && v["map50"].is_number()) return v["map50"].get<double>();
  return std::nullopt;
}

nlohmann::json changesJson(const LabelChanges& c) {
  return {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed},
          {"images_changed", c.imagesChanged}, {"images_gone", c.imagesGone}};
}

std::string changesText(const LabelChanges& c) {
  if (!c.added && !c.removed && !c.changed && !c.imagesGone) return "no box changed since";
  char buf[200];
  std::snprintf(buf, sizeof buf, "since then %lld boxes added, %lld removed, %lld changed on %lld images%s",
                static_cast<long long>(c.added), static_cast<long long>(c.removed), static_cast<long long>(c.changed),
                static_cast<long long>(c.imagesChanged),
                c.imagesGone ? (", " + std::to_string(c.imagesGone) + " images removed").c_str() : "");
  return buf;
}

void runList(Context& ctx) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto runs = (*project)->runs();
  if (!runs.ok()) { ctx.exitCode = fail(runs.status()); return; }
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *runs) {
      const auto map = valMap50(r);
      out.push_back({{"name", r.name}, {"created_at", r.createdAt}, {"trained_on", r.trainedOn},
                     {"val_map50", map ? nlohmann::json(*map) : nlohmann::json()}});
    }
    printJson({{"runs", out}});
    return;
  }
  if (runs->empty()) {
    std::printf("no model runs (quarry train makes one)\n");
    return;
  }
  for (const auto& r : *runs) {
    const auto map = valMap50(r);
    char figure[32] = "";
    if (map) std::snprintf(figure, sizeof figure, "VAL mAP@0.5 %.3f", *map);
    std::printf("%-20s %s  on %-16s %s\n", r.name.c_str(), localTime(r.createdAt).c_str(),
                r.trainedOn.empty() ? "-" : r.trainedOn.c_str(), figure);
  }
}

void runShow(Context& ctx, const std::string& name) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto run = (*project)->findRun(name);
  if (!run.ok()) { ctx.exitCode = fail(run.status()); return; }
  if (!*run) { ctx.exitCode = fail(Status::NotFound("no model run '" + name + "' (quarry runs list shows them)")); return; }
  const ModelRun& r = **run;
  auto p = runProvenance(**project, r.id);
  if (!p.ok()) { ctx.exitCode = fail(p.status()); return; }
  if (ctx.json) {
    nlohmann::json prov = {{"recorded", p->recorded}};
    if (p->recorded)
      prov.update({{"digest", p->digest},
                   {"captured_at", p->capturedAt},
                   {"train", {{"images", p->trainImages}, {"boxes", p->trainBoxes}, {"since", changesJson(p->trainSince)}}},
                   {"val", {{"images", p->valImages}, {"boxes", p->valBoxes}, {"since", changesJson(p->valSince)}}}});
    printJson({{"name", r.name},
               {"created_at", r.createdAt},
               {"trained_on", r.trainedOn},
               {"checkpoint", r.checkpoint},
               {"params", nlohmann::json::parse(r.paramsJson, nullptr, false)},
               {"provenance", prov}});
    return;
  }
  std::printf("run %s, made %s\n", r.name.c_str(), localTime(r.createdAt).c_str());
  std::printf("  tags trained on: %s\n", r.trainedOn.empty() ? "-" : r.trainedOn.c_str());
  if (const auto map = valMap50(r)) std::printf("  VAL mAP@0.5 when trained: %.3f\n", *map);
  if (!r.checkpoint.empty()) std::printf("  checkpoint: %s\n", r.checkpoint.c_str());
  if (!p->recorded) {
    std::printf("  labels: not recorded (a run made before Quarry recorded them, or one imported)\n");
    return;
  }
  std::printf("  labels as read at %s, digest %s:\n", localTime(p->capturedAt).c_str(), p->digest.c_str());
  std::printf("    trained on %lld images with %lld boxes; %s\n", static_cast<long long>(p->trainImages),
              static_cast<long long>(p->trainBoxes), changesText(p->trainSince).c_str());
  std::printf("    validated on %lld images with %lld boxes; %s\n", static_cast<long long>(p->valImages),
              static_cast<long long>(p->valBoxes), changesText(p->valSince).c_str());
}

}  // namespace

void addRunCommands(CLI::App& app, Context& ctx) {
  auto* runs = app.add_subcommand("runs", "model runs: list them, or show what one was trained on");
  runs->require_subcommand(1);
  runs->add_subcommand("list", "each run with its date, its training tags and its VAL mAP@0.5")
      ->callback([&ctx] { runList(ctx); });
  auto name = std::make_shared<std::string>();
  auto* show = runs->add_subcommand("show", "a run's settings, the labels it was trained and validated on, and how "
                                            "many of those boxes changed since");
  show->add_option("name", *name, "run name")->required();
  show->callback([&ctx, name] { runShow(ctx, *name); });
}

}  // namespace quarry::cli
