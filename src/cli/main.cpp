// quarry: the headless command line over quarry_core. Each command is a thin layer: parse
// options, call one library function, print its result (text or --json).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "cli/top_level.h"
#include "quarry/core/log.h"

namespace quarry::cli {

int fail(const Status& st) {
  if (st.cancelled()) {
    std::fprintf(stderr, "quarry: cancelled; what was committed before is kept\n");
    return kExitCancelled;
  }
  std::fprintf(stderr, "quarry: error: %s\n", st.message().c_str());
  return st.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

void attachProjectLog(const Project& project) {
  const Status st = logToProject(project.dir());
  if (!st.ok()) std::fprintf(stderr, "quarry: warning: %s\n", st.message().c_str());
}

Result<std::unique_ptr<Project>> openProject(const Context& ctx) {
  auto project = Project::open(ctx.projectDir);
  if (project.ok()) attachProjectLog(**project);
  return project;
}

void printJson(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

}  // namespace quarry::cli

int main(int argc, char** argv) {
  using namespace quarry::cli;
  Context ctx;
  CLI::App app{"quarry: annotation and active learning for defect detection (headless)"};
  app.set_version_flag("--version", "quarry 0.1.0");
  app.require_subcommand(1);
  // Global options (--json, -p...) may also follow the command: `quarry stats --json`.
  app.fallthrough();
  app.add_option("-p,--project", ctx.projectDir, "project folder")->capture_default_str();
  app.add_flag("--json", ctx.json, "print results as JSON on stdout");
  app.add_flag("-q,--quiet", ctx.quiet, "no progress line");
  app.add_flag("-v,--verbose", ctx.verbosity, "more log output on stderr (-vv: debug)");
  addProjectCommands(app, ctx);
  addFormatCommands(app, ctx);
  addRootCommands(app, ctx);
  addSnapshotCommands(app, ctx);
  addRunCommands(app, ctx);
  addDuplicateCommands(app, ctx);
  addTagCommands(app, ctx);
  addSelectCommand(app, ctx);
  addMistakesCommand(app, ctx);
#ifdef QUARRY_HAVE_DETECT
  addDetectCommands(app, ctx);
  addScoreCommand(app, ctx);
  addExperimentCommand(app, ctx);
  addWatchCommand(app, ctx);
#endif

  // The library logs through "quarry"; the executable decides where it goes.
  auto stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  stderrSink->set_pattern("quarry: %^%l%$: %v");
  auto logger = std::make_shared<spdlog::logger>("quarry", stderrSink);
  logger->set_level(spdlog::level::debug);
  spdlog::register_logger(logger);
  app.parse_complete_callback([&] {
    stderrSink->set_level(ctx.verbosity >= 2 ? spdlog::level::debug
                          : ctx.verbosity == 1 ? spdlog::level::info
                                               : spdlog::level::warn);
  });
  installCancelHandler();
  return runTopLevel(app, argc, argv, &ctx.exitCode);
}
