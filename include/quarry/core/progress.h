// Progress reporting for long jobs (import, export, train, auto-label, score).
//
// A job calls the callback with how much is done out of a total (total 0 = unknown) and a
// short stage name. The callback returns false to cancel: the job then stops at the next
// safe point, keeps what it had already committed, and returns Status::Cancelled().
// The callback is called on the job's thread; the GUI turns it into signals, the CLI prints it.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace quarry {

using ProgressFn = std::function<bool(std::size_t done, std::size_t total, std::string_view stage)>;

// Calls `fn` when set; a job without a callback never cancels.
inline bool reportProgress(const ProgressFn& fn, std::size_t done, std::size_t total,
                           std::string_view stage) {
  return !fn || fn(done, total, stage);
}

}  // namespace quarry
