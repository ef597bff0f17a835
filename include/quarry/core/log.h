// Logging: the libraries log through named spdlog loggers; executables choose the sinks.
// Without a registered logger of that name the library logs nowhere (a null sink), so a
// test or an embedding program sees no output it did not ask for.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>

#include "quarry/core/status.h"

namespace quarry {

// The core's logger, "quarry". Thread-safe.
std::shared_ptr<spdlog::logger> coreLogger();

// Sends the core logger's messages of level info and above to PROJECT_DIR/logs/quarry.log (made
// if missing, appended to) as well as to its other sinks, in place of the project log named
// before: the CLI and the window write one project's log at a time, and a window that opens
// another project moves its log with it. Safe while other threads log. An error names the file
// that cannot be opened; logging elsewhere goes on either way.
Status logToProject(const std::filesystem::path& projectDir);

}  // namespace quarry
