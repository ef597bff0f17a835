#include "quarry/log.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

namespace quarry {

std::shared_ptr<spdlog::logger> coreLogger() {
  if (auto existing = spdlog::get("quarry")) return existing;
  // Two threads may race to create it; the loser finds the winner's through spdlog::get.
  try {
    auto logger = std::make_shared<spdlog::logger>("quarry", std::make_shared<spdlog::sinks::null_sink_mt>());
    spdlog::register_logger(logger);
    return logger;
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get("quarry");
  }
}

}  // namespace quarry
