// quarry snapshot create [NAME] [--note TEXT] | list | diff A [B] | restore NAME [--into DIR] [--yes] | delete NAME
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/store/snapshots.h"

namespace quarry::cli {
namespace {

struct SnapshotArgs {
  std::string name, other = kCurrentState, note, into;
  bool yes = false;
};

std::string humanBytes(std::uintmax_t bytes) {
  char buf[32];
  if (bytes >= (1u << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1u << 30));
  else if (bytes >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1u << 20));
  else std::snprintf(buf, sizeof buf, "%.0f KiB", static_cast<double>(bytes) / 1024.0);
  return buf;
}

std::string localTime(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

nlohmann::json toJson(const SnapshotInfo& s) {
  return {{"name", s.name},       {"file", s.file.string()},  {"bytes", s.bytes},
          {"created_at", s.createdAt}, {"note", s.note},   {"schema_version", s.schemaVersion},
          {"images", s.images},   {"boxes", s.boxes}};
}

// Snapshots work on the folder; opening the project first checks it is one and starts its log.
bool projectOk(Context& ctx) {
  auto project = openProject(ctx);
  if (!project.ok()) {
    ctx.exitCode = fail(project.status());
    return false;
  }
  return true;
}

void runCreate(Context& ctx, const SnapshotArgs& a) {
  if (!projectOk(ctx)) return;
  ProgressLine progress(!ctx.quiet && !ctx.json);
  auto made = createSnapshot(ctx.projectDir, a.name, a.note, progress.callback());
  progress.finish();
  if (!made.ok()) { ctx.exitCode = fail(made.status()); return; }
  if (ctx.json) printJson(toJson(*made));
  else std::printf("snapshot %s: %lld images, %lld boxes, %s (%s)\n", made->name.c_str(),
                   static_cast<long long>(made->images), static_cast<long long>(made->boxes),
                   humanBytes(made->bytes).c_str(), made->file.c_str());
}

void runList(Context& ctx) {
  if (!projectOk(ctx)) return;
  auto all = listSnapshots(ctx.projectDir);
  if (!all.ok()) { ctx.exitCode = fail(all.status()); return; }
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *all) out.push_back(toJson(s));
    printJson({{"snapshots", out}});
    return;
  }
  if (all->empty()) {
    std::printf("no snapshots (quarry snapshot create [NAME] makes one)\n");
    return;
  }
  for (const auto& s : *all)
    std::printf("%-32s %s  %9s  %7lld images %8lld boxes%s%s\n", s.name.c_str(), localTime(s.createdAt).c_str(),
                humanBytes(s.bytes).c_str(), static_cast<long long>(s.images), static_cast<long long>(s.boxes),
                s.note.empty() ? "" : "  ", s.note.c_str());
}

void printDiff(const SnapshotDiff& d) {
  std::printf("from %s to %s:\n", d.from.c_str(), d.to.c_str());
  if (d.empty()) {
    std::printf("  no changes\n");
    return;
  }
  if (d.imagesAdded || d.imagesRemoved)
    std::printf("  images: %lld added, %lld removed\n", static_cast<long long>(d.imagesAdded),
                static_cast<long long>(d.imagesRemoved));
  if (d.statusChanged) std::printf("  status (unlabeled, labeled, reviewed) changed on %lld images\n",
                                   static_cast<long long>(d.statusChanged));
  if (!d.classes.empty()) {
    const ClassChange t = d.totalBoxes();
    std::printf("  boxes: %lld added, %lld removed, %lld changed, on %lld images\n", static_cast<long long>(t.added),
                static_cast<long long>(t.removed), static_cast<long long>(t.changed),
                static_cast<long long>(d.imagesWithBoxChanges));
    for (const auto& [name, c] : d.classes)
      std::printf("    %-24s +%lld -%lld ~%lld\n", name.c_str(), static_cast<long long>(c.added),
                  static_cast<long long>(c.removed), static_cast<long long>(c.changed));
  }
  if (!d.tags.empty()) {
    std::printf("  tags (images):\n");
    for (const auto& [name, t] : d.tags)
      std::printf("    %-24s +%lld -%lld\n", name.c_str(), static_cast<long long>(t.added), static_cast<long long>(t.removed));
  }
}

void runDiff(Context& ctx, const SnapshotArgs& a) {
  if (!projectOk(ctx)) return;
  auto d = diffSnapshots(ctx.projectDir, a.name, a.other);
  if (!d.ok()) { ctx.exitCode = fail(d.status()); return; }
  if (!ctx.json) {
    printDiff(*d);
    return;
  }
  nlohmann::json classes = nlohmann::json::object(), tags = nlohmann::json::object();
  for (const auto& [name, c] : d->classes) classes[name] = {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}};
  for (const auto& [name, t] : d->tags) tags[name] = {{"added", t.added}, {"removed", t.removed}};
  const ClassChange t = d->totalBoxes();
  printJson({{"from", d->from},
             {"to", d->to},
             {"images_added", d->imagesAdded},
             {"images_removed", d->imagesRemoved},
             {"images_with_box_changes", d->imagesWithBoxChanges},
             {"status_changed", d->statusChanged},
             {"boxes", {{"added", t.added}, {"removed", t.removed}, {"changed", t.changed}}},
             {"classes", classes},
             {"tags", tags}});
}

// A restore replaces every box and tag: it asks first unless --yes (and refuses to guess when
// nobody can answer).
bool confirmed(const SnapshotArgs& a, const SnapshotDiff& d) {
  if (a.yes) return true;
  if (!isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "quarry: snapshot restore replaces the project's boxes and tags: add --yes to confirm\n");
    return false;
  }
  const ClassChange t = d.totalBoxes();
  std::fprintf(stderr,
               "Restoring %s changes %lld images' boxes (%lld added, %lld removed, %lld changed back) and "
               "%lld images' status. "
               "The current state is saved as a snapshot first. Restore? [y/N] ",
               a.name.c_str(), static_cast<long long>(d.imagesWithBoxChanges), static_cast<long long>(t.added),
               static_cast<long long>(t.removed), static_cast<long long>(t.changed),
               static_cast<long long>(d.statusChanged));
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

void runRestore(Context& ctx, const SnapshotArgs& a) {
  if (!projectOk(ctx)) return;
  if (!a.into.empty()) {
    Status st = restoreSnapshotInto(ctx.projectDir, a.name, a.into);
    if (!st.ok()) { ctx.exitCode = fail(st); return; }
    if (ctx.json) printJson({{"restored", a.name}, {"into", a.into}});
    else std::printf("snapshot %s is now the project in %s\n", a.name.c_str(), a.into.c_str());
    return;
  }
  auto d = diffSnapshots(ctx.projectDir, kCurrentState, a.name);
  if (!d.ok()) { ctx.exitCode = fail(d.status()); return; }
  if (!confirmed(a, *d)) { ctx.exitCode = kExitUsage; return; }
  ProgressLine progress(!ctx.quiet && !ctx.json);
  auto safety = restoreSnapshot(ctx.projectDir, a.name, progress.callback());
  progress.finish();
  if (!safety.ok()) { ctx.exitCode = fail(safety.status()); return; }
  if (ctx.json) printJson({{"restored", a.name}, {"saved_before", safety->name}});
  else std::printf("restored %s; the state before is snapshot %s (restore it to undo)\n", a.name.c_str(),
                   safety->name.c_str());
}

void runDelete(Context& ctx, const SnapshotArgs& a) {
  if (!projectOk(ctx)) return;
  Status st = deleteSnapshot(ctx.projectDir, a.name);
  if (!st.ok()) { ctx.exitCode = fail(st); return; }
  if (ctx.json) printJson({{"deleted", a.name}});
  else std::printf("deleted snapshot %s\n", a.name.c_str());
}

}  // namespace

void addSnapshotCommands(CLI::App& app, Context& ctx) {
  auto* snap = app.add_subcommand("snapshot", "named copies of the project's store: make, compare, restore");
  snap->require_subcommand(1);
  auto args = std::make_shared<SnapshotArgs>();
  auto* c = snap->add_subcommand("create", "copy the store now into snapshots/NAME.quarry (online, while others work)");
  c->add_option("name", args->name, "snapshot name (default: the UTC time, e.g. 20261202-183005)");
  c->add_option("--note", args->note, "why it was made, shown by list");
  c->callback([&ctx, args] { runCreate(ctx, *args); });
  snap->add_subcommand("list", "each snapshot with its date, size, images and boxes, oldest first")
      ->callback([&ctx] { runList(ctx); });
  auto* d = snap->add_subcommand("diff", "boxes and tags added, removed and changed from A to B, per class");
  d->add_option("a", args->name, "snapshot name, or `current`")->required();
  d->add_option("b", args->other, "snapshot name, or `current` (the default)")->capture_default_str();
  d->callback([&ctx, args] { runDiff(ctx, *args); });
  auto* r = snap->add_subcommand("restore", "put the project back to a snapshot (the current state is saved first)");
  r->add_option("name", args->name, "snapshot name")->required();
  r->add_option("--into", args->into, "make a new project in this folder instead of changing this one");
  r->add_flag("--yes,-y", args->yes, "do not ask for confirmation");
  r->callback([&ctx, args] { runRestore(ctx, *args); });
  auto* x = snap->add_subcommand("delete", "delete a snapshot's file");
  x->add_option("name", args->name, "snapshot name")->required();
  x->callback([&ctx, args] { runDelete(ctx, *args); });
}

}  // namespace quarry::cli
