// Routing the watched folder's images (issue 17): what a scored arrival becomes, and how much of
// a daily queue budget may be spent so far. A stream cannot rank what has not arrived, so the
// budget is paced over the day: by a given hour, that hour's share of it, spent on the most
// uncertain candidates waiting. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quarry/core/types.h"
#include "quarry/store/stream.h"

namespace quarry {

// Easy images are easy; an image with no detection is failed (hard, and the model saw nothing);
// medium and hard ones are candidates for the queue.
StreamRoute routeOf(Difficulty difficulty, int detections);

inline constexpr std::int64_t kMillisPerDay = 24LL * 3600 * 1000;

// Of `budgetPerDay`, how many more images may join the queue at `msIntoDay` (0 at midnight to
// kMillisPerDay) when `queuedToday` already did: ceil(budget x the day's share gone) minus them,
// never below 0. The whole budget is there by the end of the day.
std::size_t queueAllowance(std::size_t budgetPerDay, std::int64_t msIntoDay, std::int64_t queuedToday);

// The stream's history by the hour its images arrived (UTC hours since the epoch): how many came,
// how they were routed, how many joined the queue. Hours without arrivals are left out.
struct StreamHour {
  std::int64_t hour = 0;  // arrivedAt / 3,600,000
  std::size_t images = 0, easy = 0, candidates = 0, failed = 0, unrouted = 0, queued = 0;
};
std::vector<StreamHour> streamHistory(const std::vector<StreamImage>& images);

}  // namespace quarry
