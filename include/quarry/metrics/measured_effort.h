// The effort model from the project's own measured labelling times (what the window records,
// quarry/core/active_time.h) instead of the cited per-action seconds, one action at a time:
// an action's constant is replaced only when at least `minimumBoxes` of its boxes were timed,
// so a handful of timings (or none) leaves the cited figure, and the description says which
// figure came from where.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "quarry/core/types.h"
#include "quarry/metrics/metrics.h"

namespace quarry {

// "Enough": 20 timed boxes of an action give its mean to within about a fifth when the times
// spread as much as their mean (standard error 1/sqrt(20) = 0.22 of it).
inline constexpr std::int64_t kMinimumTimedBoxes = 20;

struct MeasuredEffort {
  EffortModel model;                                   // measured where enough, cited elsewhere
  std::array<bool, kLabelActionCount> measured{};      // by LabelAction
  std::array<std::int64_t, kLabelActionCount> boxes{}; // timed boxes per action
  std::int64_t minimumBoxes = kMinimumTimedBoxes;
  bool any() const;  // at least one action measured
  // "draw 7.9 s/box (measured, 143 boxes), adjust 4.0 s/box (cited; 12 boxes timed, 20 needed), ...".
  std::string describe() const;
};

MeasuredEffort measuredEffort(const std::vector<ActionSummary>& times, std::int64_t minimumBoxes = kMinimumTimedBoxes,
                              const EffortModel& cited = EffortModel{});

// The seconds of `action` in `model` (per box).
double secondsOf(const EffortModel& model, LabelAction action);

// The efficiency boost of `result`'s review actions priced with `model` instead of the model it
// was evaluated with: every truth box drawn by hand against the review. NaN without truth boxes.
double boostAt(const EvalResult& result, const EffortModel& model);

}  // namespace quarry
