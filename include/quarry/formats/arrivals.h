// Which files of a watched folder have arrived whole (issue 17, stream-based sampling): a line
// camera writes images into a folder all day, and a file may be read only once the camera is done
// with it. A file counts as complete once its size and modification time read the same at two
// looks at least `settle` apart; a file renamed into the folder when complete passes the same way.
// A file that is later replaced (the same name, another size or time) arrives again.
//
//   ArrivalTracker arrivals(std::chrono::seconds(2));
//   for (;;) {
//     for (const auto& file : arrivals.look(listFolder(dir, true, "*.png"), clock.now())) import(file);
//     sleep(poll);
//   }
//
// ArrivalTracker is pure (the caller lists the folder and says the time, so tests run on a fake
// clock); not thread-safe. listFolder reads the file system.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace quarry {

struct FileSighting {
  std::filesystem::path path;
  std::uintmax_t size = 0;
  std::int64_t modified = 0;  // the modification time, in the file clock's ticks
};

class ArrivalTracker {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ArrivalTracker(Clock::duration settle) : settle_(settle) {}

  // One listing of the folder, made at `now`. Returns the files that are complete as of it (not
  // returned before, or changed since they were), in path order. Files missing from the listing
  // are forgotten: one deleted before it settled never arrives.
  std::vector<std::filesystem::path> look(const std::vector<FileSighting>& listing, Clock::time_point now);

  // Files seen but not yet complete.
  std::size_t pending() const;

 private:
  struct State {
    std::uintmax_t size = 0;
    std::int64_t modified = 0;
    Clock::time_point stableSince;
    bool delivered = false;
  };
  Clock::duration settle_;
  std::map<std::filesystem::path, State> files_;
};

// The image files (by extension, as an import finds them) under `dir`, with their size and time;
// below sub-folders too when `recursive`. `glob` (fnmatch(3) against the path relative to `dir`,
// e.g. "cam1/*.png"; `*` also matches across folders; empty: every image) narrows them. Entries
// that vanish or cannot be read while listing are left out. In path order.
std::vector<FileSighting> listFolder(const std::filesystem::path& dir, bool recursive, const std::string& glob = "");

}  // namespace quarry
