// What the CLI's commands share: exit codes, output helpers, opening the project, logging.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "quarry/store/project.h"
#include "quarry/core/status.h"

namespace quarry::cli {

struct Context {
  std::string projectDir = ".";
  bool json = false;
  bool quiet = false;
  int verbosity = 0;
  int exitCode = kExitOk;
};

// Prints a failed status to stderr and returns its exit code.
int fail(const Status& st);
// Opens the project named by --project and sends the log to its logs/quarry.log too.
Result<std::unique_ptr<Project>> openProject(const Context& ctx);
void attachProjectLog(const Project& project);
void printJson(const nlohmann::json& j);

// "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& s);
// 75 -> "1m15s".
std::string formatSeconds(double seconds);
// Parses a CLI query and resolves `run:NAME` to the run's id; `difficulty:` needs a run.
Status resolveQuery(const Project& project, const std::string& text, ImageQuery* query);

void addProjectCommands(CLI::App& app, Context& ctx);  // init, stats, demo
void addFormatCommands(CLI::App& app, Context& ctx);   // import, export
void addRootCommands(CLI::App& app, Context& ctx);     // roots, relink
void addSnapshotCommands(CLI::App& app, Context& ctx); // snapshot create/list/diff/restore/delete
void addRunCommands(CLI::App& app, Context& ctx);      // runs list/show
void addDuplicateCommands(CLI::App& app, Context& ctx); // hash, duplicates
void addTagCommands(CLI::App& app, Context& ctx);      // tag, split
void addDetectCommands(CLI::App& app, Context& ctx);   // train, autolabel, eval (with LibTorch)
void addSelectCommand(CLI::App& app, Context& ctx);    // select
void addMistakesCommand(CLI::App& app, Context& ctx);  // mistakes
void addScoreCommand(CLI::App& app, Context& ctx);     // score (with LibTorch)
void addExperimentCommand(CLI::App& app, Context& ctx);  // experiment (with LibTorch)
void addWatchCommand(CLI::App& app, Context& ctx);       // watch (stream-based sampling)

}  // namespace quarry::cli
