// Finding and opening the detector plugin with dlopen. Torch-free: this is what the window links.
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "quarry/core/log.h"
#include "quarry/detect/backend.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

std::atomic<bool> loaded{false};

fs::path runningProgram() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec);
}

std::vector<fs::path> candidates() {
  std::vector<fs::path> out;
  if (const char* env = std::getenv("QUARRY_DETECTOR_PLUGIN"); env && *env) out.emplace_back(env);
  if (const fs::path exe = runningProgram(); !exe.empty()) out.push_back(exe.parent_path() / kDetectorPluginFile);
#ifdef QUARRY_PLUGIN_BUILD_DIR
  out.push_back(fs::path(QUARRY_PLUGIN_BUILD_DIR) / kDetectorPluginFile);
#endif
#ifdef QUARRY_PLUGIN_INSTALL_DIR
  out.push_back(fs::path(QUARRY_PLUGIN_INSTALL_DIR) / kDetectorPluginFile);
#endif
  return out;
}

Result<DetectorBackend*> open() {
  std::string looked;
  for (const fs::path& file : candidates()) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      looked += (looked.empty() ? "" : ", ") + file.string();
      continue;
    }
    // RTLD_LOCAL: the plugin's symbols (and LibTorch's) stay its own.
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) return Status::Error(StatusCode::kIoError, file.string() + ": cannot load the detector: " + dlerror());
    using Entry = DetectorBackend* (*)(int);
    auto entry = reinterpret_cast<Entry>(dlsym(handle, kDetectorPluginEntry));
    if (!entry) return Status::Error(StatusCode::kIncompatible, file.string() + ": not a Quarry detector plugin");
    DetectorBackend* backend = entry(kDetectorAbiVersion);
    if (!backend)
      return Status::Error(StatusCode::kIncompatible,
                           file.string() + ": a detector plugin of another Quarry version (install the matching one)");
    coreLogger()->info("detector plugin loaded from {}", file.string());
    loaded = true;
    return backend;
  }
  return Status::NotFound("the detector plugin " + std::string(kDetectorPluginFile) +
                          " is not installed (looked at: " + looked +
                          "); model jobs need it, annotation does not");
}

}  // namespace

Result<DetectorBackend*> loadDetector() {
  // The first answer stays: a process does not load two detectors, or retry a broken one.
  static std::once_flag once;
  static Result<DetectorBackend*> result = Status::NotFound("not loaded");
  std::call_once(once, [] { result = open(); });
  return result;
}

bool detectorLoaded() { return loaded.load(); }

}  // namespace quarry::detect
