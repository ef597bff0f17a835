// The watched folder's bookkeeping (issue 17): which images came from the stream and when, how
// each was routed (easy, candidate, failed) and by which run, and when it joined the queue. Kept
// in the project (schema 9), so a restart after a crash, even kill -9, goes on where the stream
// stopped: imported but unrouted images are routed again, routed ones keep their routing.
//
// Functions open a connection of their own on the project's store; call them when the caller's
// Project has no write batch open. Times are milliseconds since the epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quarry/store/project.h"

namespace quarry {

enum class StreamRoute { kEasy, kCandidate, kFailed };
const char* toString(StreamRoute r);  // "easy", "candidate", "failed"

struct StreamImage {
  ImageId image = 0;
  std::string file;
  std::int64_t arrivedAt = 0;
  std::optional<std::int64_t> routedAt;
  std::string run, route;
  double score = 0;
  std::optional<std::int64_t> queuedAt;
};

// Records that these images arrived: each its file and when the file was complete (the camera's
// last write, so latency counts from the line, not from the watch); an image already recorded
// keeps its first record.
struct Arrival {
  ImageId image = 0;
  std::string file;
  std::int64_t at = 0;
};
Status recordArrivals(const Project& project, const std::vector<Arrival>& images);
// Arrived images not routed yet, by id: their records, and only their ids.
Result<std::vector<StreamImage>> unroutedStreamImages(const Project& project);
Result<std::vector<ImageId>> unroutedArrivals(const Project& project);

struct RouteRecord {
  ImageId image = 0;
  StreamRoute route = StreamRoute::kCandidate;
  double score = 0;
};
Status recordRoutes(const Project& project, const std::string& run, const std::vector<RouteRecord>& routes,
                    std::int64_t at);

// Candidates and failed images that arrived at or after `since` and are not queued, the most
// uncertain (highest score) first.
Result<std::vector<StreamImage>> waitingCandidates(const Project& project, std::int64_t since);
// How many images were queued at or after `since`.
Result<std::int64_t> queuedSince(const Project& project, std::int64_t since);
Status recordQueued(const Project& project, const std::vector<ImageId>& images, std::int64_t at);

// Every stream image, by arrival.
Result<std::vector<StreamImage>> streamImages(const Project& project);

}  // namespace quarry
