// quarry init | stats | demo
#include <cstdio>
#include <ctime>

#include "cli/cli_common.h"
#include "quarry/al/stream_routing.h"
#include "quarry/core/active_time.h"
#include "quarry/metrics/measured_effort.h"
#include "cli/progress_line.h"
#include "quarry/demo/demo.h"
#include "quarry/formats/formats.h"

namespace quarry::cli {
namespace {

void runInit(Context& ctx, const std::string& dir) {
  auto project = Project::create(dir);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (ctx.json) printJson({{"project", (*project)->dir().string()}, {"schema_version", (*project)->schemaVersion()}});
  else std::printf("created project %s\n", (*project)->dir().string().c_str());
}

nlohmann::json statsJson(const ProjectStats& s) {
  nlohmann::json classes = nlohmann::json::array(), tags = nlohmann::json::array();
  for (const auto& c : s.perClass) classes.push_back({{"name", c.name}, {"boxes", c.boxes}, {"images", c.images}});
  for (const auto& t : s.perTag) tags.push_back({{"name", t.name}, {"images", t.imageCount}});
  nlohmann::json status, source;
  for (int i = 0; i < 3; ++i) {
    status[toString(static_cast<ImageStatus>(i))] = s.perStatus[i];
    source[toString(static_cast<BoxSource>(i))] = s.perSource[i];
  }
  return {{"images", s.images}, {"boxes", s.boxes}, {"classes", classes}, {"tags", tags},
          {"status", status}, {"box_source", source}};
}

// quarry stats --time: the labelling time the window measured, per action, and the effort model
// it gives (each constant measured once enough boxes were timed, cited otherwise).
void runTimeStats(Context& ctx, Project& project, const std::string& user) {
  auto times = project.actionTimes(user);
  if (!times.ok()) { ctx.exitCode = fail(times.status()); return; }
  const MeasuredEffort effort = measuredEffort(*times);
  if (ctx.json) {
    nlohmann::json actions = nlohmann::json::object();
    for (const ActionSummary& t : *times)
      actions[toString(t.action)] = {{"actions", t.actions},
                                     {"boxes", t.boxes},
                                     {"images", t.images},
                                     {"seconds", t.seconds},
                                     {"seconds_per_box", t.secondsPerBox()},
                                     {"seconds_per_image", t.images > 0 ? t.seconds / static_cast<double>(t.images) : 0.0},
                                     {"effort_seconds", secondsOf(effort.model, t.action)},
                                     {"source", effort.measured[static_cast<int>(t.action)] ? "measured" : "cited"}};
    printJson({{"user", user}, {"actions", actions}, {"minimum_boxes", effort.minimumBoxes}, {"effort", effort.describe()}});
    return;
  }
  std::printf("labelling time%s (active seconds, idle gaps over %.0f s cut):\n", user.empty() ? "" : (" of " + user).c_str(),
              ActiveTime::kDefaultIdleSeconds);
  std::printf("  %-8s %8s %8s %8s %10s %9s %11s\n", "action", "actions", "boxes", "images", "seconds", "s/box", "s/image");
  for (const ActionSummary& t : *times)
    std::printf("  %-8s %8lld %8lld %8lld %10.1f %9.2f %11.2f\n", toString(t.action), static_cast<long long>(t.actions),
                static_cast<long long>(t.boxes), static_cast<long long>(t.images), t.seconds, t.secondsPerBox(),
                t.images > 0 ? t.seconds / static_cast<double>(t.images) : 0.0);
  std::printf("effort model for the efficiency boost: %s\n", effort.describe().c_str());
}

// quarry stats --stream: what the watched folder brought, hour by hour, and how it was routed.
void runStreamStats(Context& ctx, Project& project) {
  auto images = streamImages(project);
  if (!images.ok()) { ctx.exitCode = fail(images.status()); return; }
  const auto hours = streamHistory(*images);
  auto label = [](std::int64_t hour) {
    const std::time_t t = static_cast<std::time_t>(hour * 3600);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:00", &tm);
    return std::string(buf);
  };
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const StreamHour& h : hours)
      out.push_back({{"hour", label(h.hour)}, {"images", h.images}, {"easy", h.easy}, {"candidates", h.candidates},
                     {"failed", h.failed}, {"unrouted", h.unrouted}, {"queued", h.queued}});
    printJson({{"hours", out}, {"images", images->size()}});
    return;
  }
  if (hours.empty()) {
    std::printf("no stream images (quarry watch brings them)\n");
    return;
  }
  std::printf("%-16s %7s %6s %10s %6s %8s %7s\n", "hour", "images", "easy", "candidates", "failed", "unrouted", "queued");
  for (const StreamHour& h : hours) {
    const auto pct = [&](std::size_t n) { return 100.0 * static_cast<double>(n) / static_cast<double>(h.images); };
    std::printf("%-16s %7zu %5.0f%% %9.0f%% %5.0f%% %8zu %7zu\n", label(h.hour).c_str(), h.images, pct(h.easy),
                pct(h.candidates), pct(h.failed), h.unrouted, h.queued);
  }
}

void runStats(Context& ctx, bool time, bool stream, const std::string& user) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  if (time) return runTimeStats(ctx, **project, user);
  if (stream) return runStreamStats(ctx, **project);
  auto s = (*project)->stats();
  if (!s.ok()) { ctx.exitCode = fail(s.status()); return; }
  if (ctx.json) { printJson(statsJson(*s)); return; }
  std::printf("%s\n  images: %lld   boxes: %lld\n", (*project)->dir().string().c_str(),
              static_cast<long long>(s->images), static_cast<long long>(s->boxes));
  std::printf("  status: %lld unlabeled, %lld labeled, %lld reviewed\n", static_cast<long long>(s->perStatus[0]),
              static_cast<long long>(s->perStatus[1]), static_cast<long long>(s->perStatus[2]));
  std::printf("  boxes by source: %lld manual, %lld auto, %lld corrected\n", static_cast<long long>(s->perSource[0]),
              static_cast<long long>(s->perSource[1]), static_cast<long long>(s->perSource[2]));
  std::printf("  classes (export order):\n");
  int i = 0;
  for (const auto& c : s->perClass)
    std::printf("    %2d %-20s %7lld boxes in %6lld images\n", i++, c.name.c_str(), static_cast<long long>(c.boxes),
                static_cast<long long>(c.images));
  std::printf("  tags:%s\n", s->perTag.empty() ? " none" : "");
  for (const auto& t : s->perTag)
    std::printf("    %-20s %7lld images\n", t.name.c_str(), static_cast<long long>(t.imageCount));
}

void runClasses(Context& ctx) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto classes = (*project)->classes();
  if (!classes.ok()) { ctx.exitCode = fail(classes.status()); return; }
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *classes) out.push_back({{"name", c.name}, {"position", c.position}, {"group", c.group}, {"color", c.color}});
    printJson({{"classes", out}});
    return;
  }
  for (const auto& c : *classes)
    std::printf("%3d %-24s %s\n", c.position, c.name.c_str(), c.group.empty() ? "" : ("group " + c.group).c_str());
}

void runClassGroup(Context& ctx, const std::string& name, const std::string& group) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto classes = (*project)->classes();
  if (!classes.ok()) { ctx.exitCode = fail(classes.status()); return; }
  for (const auto& c : *classes)
    if (c.name == name) {
      if (Status st = (*project)->setClassGroup(c.id, group); !st.ok()) { ctx.exitCode = fail(st); return; }
      if (!ctx.json) std::printf(group.empty() ? "%s is in no group\n" : "%s is in group %s\n", name.c_str(), group.c_str());
      return;
    }
  ctx.exitCode = fail(Status::NotFound("no class '" + name + "' in the project (quarry classes lists them)"));
}

void runDemo(Context& ctx, const std::string& dir, const DemoOptions& options, bool unlabeled) {
  ProgressLine progress(!ctx.quiet);
  ImportReport report;
  Status st = createDemoProject(dir, options, !unlabeled, &report, progress.callback());
  progress.finish();
  if (!st.ok()) { ctx.exitCode = fail(st); return; }
  if (ctx.json) {
    printJson({{"project", dir}, {"images", report.imagesAdded}, {"boxes", report.boxesAdded}});
    return;
  }
  std::printf("demo project %s: %zu images, %zu boxes%s\n", dir.c_str(), report.imagesAdded, report.boxesAdded,
              unlabeled ? " (truth kept in dataset/labels/)" : "");
}

}  // namespace

void addProjectCommands(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", "create an empty project in a folder");
  auto initDir = std::make_shared<std::string>();
  init->add_option("dir", *initDir, "project folder (created if missing)")->required();
  init->callback([&ctx, initDir] { runInit(ctx, *initDir); });

  auto* stats = app.add_subcommand("stats", "images, boxes per class, per tag, per status");
  auto time = std::make_shared<bool>(false);
  auto user = std::make_shared<std::string>();
  stats->add_flag("--time", *time, "the labelling time the window measured, per action, and the effort model it gives");
  stats->add_option("--user", *user, "with --time: one annotator's times only");
  auto stream = std::make_shared<bool>(false);
  stats->add_flag("--stream", *stream, "what quarry watch brought, hour by hour: images, how they were routed, queued");
  stats->callback([&ctx, time, stream, user] { runStats(ctx, *time, *stream, *user); });

  auto* classes = app.add_subcommand("classes", "the classes in their frozen export order, with their groups");
  classes->callback([&ctx, classes] {
    if (classes->get_subcommands().empty()) runClasses(ctx);
  });
  auto groupArgs = std::make_shared<std::pair<std::string, std::string>>();
  auto* group = classes->add_subcommand("group", "put a class in a group (\"\" takes it out); group:NAME in queries");
  group->add_option("class", groupArgs->first, "class name")->required();
  group->add_option("group", groupArgs->second, "group name")->required();
  group->callback([&ctx, groupArgs] { runClassGroup(ctx, groupArgs->first, groupArgs->second); });

  auto* demo = app.add_subcommand("demo", "create a project of generated steel-surface images with defects");
  auto demoDir = std::make_shared<std::string>();
  auto options = std::make_shared<DemoOptions>();
  auto unlabeled = std::make_shared<bool>(false);
  demo->add_option("dir", *demoDir, "project folder to create")->required();
  demo->add_option("--images", options->images, "number of images")->capture_default_str()->check(CLI::Range(1, 1000000));
  demo->add_option("--seed", options->seed, "random seed; the same seed gives the same images")->capture_default_str();
  demo->add_option("--size", options->width, "image width and height in pixels")->capture_default_str()
      ->check(CLI::Range(32, 4096))->each([options](const std::string& v) { options->height = std::stoi(v); });
  demo->add_option("--defect-scale", options->defectScale,
                   "defect sizes as on an image of this many times 256 px (0: they grow with the image; 1 with "
                   "--size 2048: small defects on large images)")
      ->capture_default_str()->check(CLI::Range(0.0, 64.0));
  demo->add_option("--contrast", options->contrast, "defect tone times this (0.5: faint defects)")
      ->capture_default_str()->check(CLI::Range(0.01, 4.0));
  demo->add_flag("--split-polarity", options->splitPolarity,
                 "scratches and patches become bright and dark classes (8 classes that differ only in tone)");
  demo->add_flag("--unlabeled", *unlabeled, "import the images without their boxes (truth stays in dataset/labels/)");
  demo->callback([&ctx, demoDir, options, unlabeled] { runDemo(ctx, *demoDir, *options, *unlabeled); });
}

}  // namespace quarry::cli
