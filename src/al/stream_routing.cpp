#include "quarry/al/stream_routing.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace quarry {

StreamRoute routeOf(Difficulty difficulty, int detections) {
  if (detections == 0) return StreamRoute::kFailed;
  return difficulty == Difficulty::kEasy ? StreamRoute::kEasy : StreamRoute::kCandidate;
}

std::size_t queueAllowance(std::size_t budgetPerDay, std::int64_t msIntoDay, std::int64_t queuedToday) {
  const double share = std::clamp(static_cast<double>(msIntoDay) / static_cast<double>(kMillisPerDay), 0.0, 1.0);
  const auto target = static_cast<std::int64_t>(std::ceil(static_cast<double>(budgetPerDay) * share - 1e-9));
  return static_cast<std::size_t>(std::max<std::int64_t>(0, target - queuedToday));
}

std::vector<StreamHour> streamHistory(const std::vector<StreamImage>& images) {
  std::map<std::int64_t, StreamHour> byHour;
  for (const StreamImage& s : images) {
    StreamHour& h = byHour[s.arrivedAt / 3'600'000];
    h.hour = s.arrivedAt / 3'600'000;
    ++h.images;
    if (!s.routedAt) ++h.unrouted;
    else if (s.route == "easy") ++h.easy;
    else if (s.route == "failed") ++h.failed;
    else ++h.candidates;
    if (s.queuedAt) ++h.queued;
  }
  std::vector<StreamHour> out;
  for (auto& [hour, h] : byHour) out.push_back(h);
  return out;
}

}  // namespace quarry
