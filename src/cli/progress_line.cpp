#include "cli/progress_line.h"

#include "cli/cli_common.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace quarry::cli {
namespace {

std::atomic<bool> gCancel{false};

extern "C" void onSigint(int) {
  if (gCancel.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}


}  // namespace

void installCancelHandler() { std::signal(SIGINT, onSigint); }
bool cancelRequested() { return gCancel.load(); }

ProgressLine::ProgressLine(bool enabled)
    : enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() { finish(); }

ProgressFn ProgressLine::callback() {
  return [this](std::size_t done, std::size_t total, std::string_view stage) { return update(done, total, stage); };
}

bool ProgressLine::update(std::size_t done, std::size_t total, std::string_view stage) {
  if (cancelRequested()) return false;
  if (!enabled_) return true;
  const auto now = std::chrono::steady_clock::now();
  if (stage != stage_) {
    finish();
    stage_ = std::string(stage);
    start_ = now;
    lastPercent_ = -1;
  }
  // The ETA follows the count, not the stage: a job whose stages share one count (an experiment's
  // models) keeps its rate across them, and a new count (another total, or one that starts over)
  // starts a new rate.
  if (total != etaTotal_ || done < etaLastDone_) {
    etaTotal_ = total;
    etaStart_ = now;
    etaStartDone_ = done;
  }
  etaLastDone_ = done;
  const int percent = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : -1;
  const double sinceLast = std::chrono::duration<double>(now - lastPrint_).count();
  // A terminal gets a live line; a log file gets a line per 10% so it stays readable.
  const bool due = tty_ ? (sinceLast > 0.1 || done == total) : (percent / 10 != lastPercent_ / 10 || sinceLast > 30);
  if (!due) return true;
  lastPrint_ = now;
  lastPercent_ = percent;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = "[" + stage_ + "] " + std::to_string(done);
  if (total) {
    line += "/" + std::to_string(total) + " (" + std::to_string(percent) + "%)";
    const double counted = std::chrono::duration<double>(now - etaStart_).count();
    if (done > etaStartDone_ && done < total)
      line += " ETA " + formatSeconds(counted / static_cast<double>(done - etaStartDone_) *
                                      static_cast<double>(total - done));
  }
  line += " " + formatSeconds(elapsed) + " elapsed";
  if (tty_) {
    std::fprintf(stderr, "\r%-72s", line.c_str());
    open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
  return true;
}

void ProgressLine::finish() {
  if (open_) std::fprintf(stderr, "\n");
  open_ = false;
}

}  // namespace quarry::cli
