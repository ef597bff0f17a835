// Logging: the libraries log through named spdlog loggers; executables choose the sinks.
// Without a registered logger of that name the library logs nowhere (a null sink), so a
// test or an embedding program sees no output it did not ask for.
#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace quarry {

// The core's logger, "quarry". Thread-safe.
std::shared_ptr<spdlog::logger> coreLogger();

}  // namespace quarry
