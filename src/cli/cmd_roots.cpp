// quarry roots list | set NAME PATH [--here-only], and quarry relink NAME PATH (its short form)
#include <cstdio>
#include <filesystem>

#include "cli/cli_common.h"

namespace quarry::cli {
namespace {

struct RootArgs {
  std::string name;
  std::string path;
  bool hereOnly = false;
};

void runList(Context& ctx) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  auto roots = (*project)->imageRoots();
  if (!roots.ok()) { ctx.exitCode = fail(roots.status()); return; }
  std::error_code ec;
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *roots)
      out.push_back({{"name", r.name},
                     {"location", r.location.generic_string()},
                     {"here", r.localLocation.generic_string()},
                     {"effective", r.effective().generic_string()},
                     {"found", std::filesystem::is_directory(r.effective(), ec)},
                     {"images", r.images}});
    printJson({{"roots", out}, {"roots_file", localRootsFile().string()}});
    return;
  }
  if (roots->empty()) {
    std::printf("no image roots (images are stored inside the project folder or by absolute path)\n");
    return;
  }
  for (const auto& r : *roots) {
    const bool found = std::filesystem::is_directory(r.effective(), ec);
    std::printf("$%-16s %7lld images  %s%s%s\n", r.name.c_str(), static_cast<long long>(r.images),
                r.location.generic_string().c_str(),
                r.localLocation.empty() ? "" : ("  (here: " + r.localLocation.generic_string() + ")").c_str(),
                found ? "" : "  NOT FOUND on this machine");
  }
}

void runSet(Context& ctx, const RootArgs& args) {
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  std::error_code ec;
  if (!args.path.empty() && !std::filesystem::is_directory(args.path, ec))
    std::fprintf(stderr, "quarry: warning: %s is not a folder on this machine (set anyway)\n", args.path.c_str());
  if (args.hereOnly) {
    Status st = (*project)->setLocalImageRoot(args.name, args.path);
    if (!st.ok()) { ctx.exitCode = fail(st); return; }
    if (ctx.json) printJson({{"name", args.name}, {"here", args.path}, {"roots_file", localRootsFile().string()}});
    else if (args.path.empty())
      std::printf("$%s is at its default location on this machine again (%s)\n", args.name.c_str(), localRootsFile().c_str());
    else std::printf("$%s is %s on this machine (in %s)\n", args.name.c_str(), args.path.c_str(), localRootsFile().c_str());
    return;
  }
  if (args.path.empty()) { ctx.exitCode = fail(Status::InvalidArgument("roots set: a root needs a folder")); return; }
  auto converted = (*project)->setImageRoot(args.name, args.path);
  if (!converted.ok()) { ctx.exitCode = fail(converted.status()); return; }
  if (ctx.json) printJson({{"name", args.name}, {"location", args.path}, {"converted", *converted}});
  else std::printf("$%s is %s (%zu images with absolute paths there now follow it)\n", args.name.c_str(), args.path.c_str(),
                   *converted);
}

}  // namespace

void addRootCommands(CLI::App& app, Context& ctx) {
  auto* roots = app.add_subcommand("roots", "image roots: named folders that image paths are stored relative to");
  roots->require_subcommand(1);
  roots->add_subcommand("list", "each root, where it is (here and by default), how many images, whether it is found")
      ->callback([&ctx] { runList(ctx); });
  auto set = std::make_shared<RootArgs>();
  auto* s = roots->add_subcommand("set", "create a root or move it (the images under it follow)");
  s->add_option("name", set->name, "root name, as in $NAME/...")->required();
  s->add_option("path", set->path, "the folder (with --here-only, \"\" goes back to the default)")->required();
  s->add_flag("--here-only", set->hereOnly, "only on this machine, for this user (the per-user roots file)");
  s->callback([&ctx, set] { runSet(ctx, *set); });

  auto relink = std::make_shared<RootArgs>();
  auto* r = app.add_subcommand("relink", "a moved image folder: the same as `roots set NAME PATH`");
  r->add_option("name", relink->name, "root name")->required();
  r->add_option("path", relink->path, "where the folder is now")->required();
  r->callback([&ctx, relink] { runSet(ctx, *relink); });
}

}  // namespace quarry::cli
