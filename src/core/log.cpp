#include "quarry/core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

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

namespace {

// The one project-log sink: its child changes under the sink's own lock, so a project switch
// never races a job thread that is logging. The logger's sink list changes only once, when the
// first project log is attached.
std::shared_ptr<spdlog::sinks::dist_sink_mt> projectSink() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::sinks::dist_sink_mt> sink;
  std::call_once(once, [] {
    sink = std::make_shared<spdlog::sinks::dist_sink_mt>();
    sink->set_level(spdlog::level::info);
    coreLogger()->sinks().push_back(sink);
  });
  return sink;
}

}  // namespace

Status logToProject(const std::filesystem::path& projectDir) {
  const auto file = projectDir / "logs" / "quarry.log";
  auto sink = projectSink();
  try {
    auto fileSink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string());
    fileSink->set_level(spdlog::level::info);
    sink->set_sinks({fileSink});
  } catch (const spdlog::spdlog_ex& e) {
    sink->set_sinks({});
    return Status::Error(StatusCode::kIoError, file.string() + ": cannot write the project log: " + e.what());
  }
  return Status::Ok();
}

}  // namespace quarry
