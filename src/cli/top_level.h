// The CLI's outermost frame: parses and runs a CLI11 app so that nothing thrown escapes main().
#pragma once

#include <CLI/CLI.hpp>

namespace quarry::cli {

// Parses argv with `app` (which runs the chosen command) and returns the process's exit code:
// - help and --version: printed as CLI11 prints them, 0;
// - a parse error: CLI11's message, 2;
// - anything else thrown, by a library or a bug, std::exception or not: one line on stderr,
//   "quarry: error: CMD failed unexpectedly: WHAT", naming the command (the subcommands given),
//   and 1; never std::terminate();
// - otherwise *commandExitCode, what the command set (0 unless it failed).
int runTopLevel(CLI::App& app, int argc, const char* const* argv, const int* commandExitCode);

}  // namespace quarry::cli
