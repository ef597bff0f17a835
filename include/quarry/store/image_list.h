// The rows the GUI's image list shows, a page at a time, sorted and filtered inside SQLite.
// A list of 100,000 images never holds more than the pages on screen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/core/types.h"

namespace quarry {

enum class ImageSort { kName, kStatus, kBoxCount, kTags, kDifficulty };

struct ImageListRequest {
  ImageQuery filter;                  // its limit and offset are ignored; use the ones below
  ImageSort sort = ImageSort::kName;
  bool descending = false;
  std::optional<RunId> difficultyRun; // whose scores fill the difficulty column
  std::int64_t offset = 0;
  std::int64_t limit = 200;
};

struct ImageListRow {
  ImageId id = 0;
  std::string path;                   // as stored
  ImageStatus status = ImageStatus::kUnlabeled;
  int boxCount = 0;
  std::string tags;                   // comma-separated, sorted
  std::optional<Difficulty> difficulty;  // empty when the run did not score the image
  std::optional<double> score;
};

}  // namespace quarry
