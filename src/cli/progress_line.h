// The CLI's progress line on stderr, and Ctrl+C as "cancel": the first SIGINT makes the
// progress callback return false so the job stops at a safe point and keeps what it
// committed; a second SIGINT kills the process as usual.
#pragma once

#include <chrono>
#include <string>

#include "quarry/core/progress.h"

namespace quarry::cli {

class ProgressLine {
 public:
  // `enabled` false prints nothing (--quiet) but still honours Ctrl+C.
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  ProgressFn callback();
  // Ends the line (a newline after the last \r update).
  void finish();

 private:
  bool update(std::size_t done, std::size_t total, std::string_view stage);
  bool enabled_;
  bool tty_;
  bool open_ = false;
  std::chrono::steady_clock::time_point start_, lastPrint_;
  std::string stage_;
  int lastPercent_ = -1;
  // The rate the ETA comes from: since etaStart_, when the count was etaStartDone_ of etaTotal_.
  std::chrono::steady_clock::time_point etaStart_;
  std::size_t etaTotal_ = static_cast<std::size_t>(-1), etaStartDone_ = 0, etaLastDone_ = 0;
};

// Installs the SIGINT handler; call once at start-up.
void installCancelHandler();
bool cancelRequested();

}  // namespace quarry::cli
