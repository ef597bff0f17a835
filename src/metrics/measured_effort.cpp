// The effort model from measured times.
#include "quarry/metrics/measured_effort.h"

#include <cstdio>
#include <limits>

namespace quarry {
namespace {

double& slot(EffortModel& m, LabelAction a) {
  switch (a) {
    case LabelAction::kDraw: return m.drawSeconds;
    case LabelAction::kAdjust: return m.adjustSeconds;
    case LabelAction::kDelete: return m.deleteSeconds;
    case LabelAction::kVerify: return m.verifySeconds;
  }
  return m.drawSeconds;
}

}  // namespace

double secondsOf(const EffortModel& model, LabelAction action) {
  EffortModel copy = model;
  return slot(copy, action);
}

double boostAt(const EvalResult& r, const EffortModel& m) {
  double truth = 0;
  for (const auto& c : r.perClass) truth += c.groundTruth;
  const double review = reviewSeconds(r.actions, m);
  if (truth <= 0 || review <= 0) return std::numeric_limits<double>::quiet_NaN();
  return truth * m.drawSeconds / review;
}

bool MeasuredEffort::any() const {
  for (bool m : measured)
    if (m) return true;
  return false;
}

std::string MeasuredEffort::describe() const {
  std::string out;
  for (int i = 0; i < kLabelActionCount; ++i) {
    const auto a = static_cast<LabelAction>(i);
    char line[160];
    if (measured[i])
      std::snprintf(line, sizeof line, "%s %.1f s/box (measured, %lld boxes)", toString(a), secondsOf(model, a),
                    static_cast<long long>(boxes[i]));
    else
      std::snprintf(line, sizeof line, "%s %.1f s/box (cited; %lld boxes timed, %lld needed)", toString(a),
                    secondsOf(model, a), static_cast<long long>(boxes[i]), static_cast<long long>(minimumBoxes));
    out += (out.empty() ? "" : ", ") + std::string(line);
  }
  return out;
}

MeasuredEffort measuredEffort(const std::vector<ActionSummary>& times, std::int64_t minimumBoxes, const EffortModel& cited) {
  MeasuredEffort out;
  out.model = cited;
  out.minimumBoxes = minimumBoxes;
  // Summed per action first, so several summaries of one action (per user, say) count together.
  std::array<double, kLabelActionCount> seconds{};
  for (const ActionSummary& t : times) {
    const int i = static_cast<int>(t.action);
    if (i < 0 || i >= kLabelActionCount) continue;
    out.boxes[i] += t.boxes;
    seconds[i] += t.seconds;
  }
  for (int i = 0; i < kLabelActionCount; ++i) {
    if (out.boxes[i] < minimumBoxes || out.boxes[i] <= 0) continue;
    slot(out.model, static_cast<LabelAction>(i)) = seconds[i] / static_cast<double>(out.boxes[i]);
    out.measured[i] = true;
  }
  return out;
}

}  // namespace quarry
