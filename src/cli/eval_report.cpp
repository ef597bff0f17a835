#include "cli/eval_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "quarry/al/external_predictions.h"
#include "quarry/core/figure.h"
#include "quarry/metrics/metrics_json.h"

namespace quarry::cli {
namespace {

std::string className(const std::vector<ClassInfo>& classes, ClassId id) {
  for (const auto& c : classes)
    if (c.id == id) return c.name;
  return "#" + std::to_string(id);
}

// NaN is "nothing to measure" (see metrics.h) and shows as "-"; the report's last line says why.
std::string number(double v, int decimals = 3) { return figureText(v, decimals, {}); }

// "0.25", or "the per-class thresholds" when the classes have their own.
std::string thresholdText(const EvalOptions& o) {
  if (!o.classScoreThresholds.empty()) return "the per-class thresholds";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", o.scoreThreshold);
  return buf;
}

// Labels of the confusion matrix: the classes in the order of the result, then background.
std::vector<std::string> confusionLabels(const EvalResult& r, const std::vector<ClassInfo>& classes) {
  std::vector<std::string> labels;
  for (const auto& c : r.perClass) labels.push_back(className(classes, c.cls));
  labels.emplace_back("background");
  return labels;
}

void printConfusion(const EvalResult& r, const std::vector<ClassInfo>& classes, const EvalOptions& options) {
  const auto labels = confusionLabels(r, classes);
  if (r.confusion.size() != labels.size()) return;
  int rowWidth = 10;
  for (const auto& l : labels) rowWidth = std::max(rowWidth, static_cast<int>(l.size()));
  std::printf("confusion matrix (rows: truth, columns: predicted; IoU %.2f, score >= %s):\n", options.iou,
              thresholdText(options).c_str());
  std::printf("  %-*s", rowWidth, "");
  for (const auto& l : labels) std::printf(" %*s", std::max(6, static_cast<int>(l.size())), l.c_str());
  std::printf("\n");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::printf("  %-*s", rowWidth, labels[i].c_str());
    for (std::size_t j = 0; j < labels.size() && j < r.confusion[i].size(); ++j)
      std::printf(" %*d", std::max(6, static_cast<int>(labels[j].size())), r.confusion[i][j]);
    std::printf("\n");
  }
}

}  // namespace

Result<EvalResult> evaluateCocoResults(const Project& project, const std::string& file, const std::string& valTag,
                                       const EvalOptions& options) {
  auto val = valTruth(project, valTag);
  if (!val.ok()) return val.status();
  const std::set<ImageId> known(val->images.begin(), val->images.end());
  auto detections = readCocoResults(file, val->classes, &known);
  if (!detections.ok()) return detections.status();
  return evaluate(val->images, val->classes, val->truth, *detections, options);
}

nlohmann::json evalJson(const EvalResult& r, const std::vector<ClassInfo>& classes, const EvalOptions& options) {
  std::vector<std::string> names;
  for (const auto& c : r.perClass) names.push_back(className(classes, c.cls));
  nlohmann::json j = evalResultJson(r, names, /*perImage=*/true);
  j["confusion_labels"] = confusionLabels(r, classes);
  j["iou"] = options.iou;
  j["score_threshold"] = options.scoreThreshold;
  return j;
}

void printEvalReport(const EvalResult& r, const std::vector<ClassInfo>& classes, const EvalOptions& options) {
  int nameWidth = 10;
  for (const auto& c : r.perClass) nameWidth = std::max(nameWidth, static_cast<int>(className(classes, c.cls).size()));
  std::printf("%-*s %6s %6s %6s %6s %9s %7s %6s %8s\n", nameWidth, "class", "GT", "TP", "FP", "FN", "precision",
              "recall", "AP50", "AP50:95");
  for (const auto& c : r.perClass) {
    std::printf("%-*s %6d %6d %6d %6d %9s %7s %6s %8s\n", nameWidth, className(classes, c.cls).c_str(), c.groundTruth,
                c.truePositives, c.falsePositives, c.falseNegatives, number(c.precision).c_str(),
                number(c.recall).c_str(), number(c.ap50).c_str(), number(c.ap50to95).c_str());
  }
  std::printf("mAP@0.5 %s   mAP@[.5:.95] %s   (%zu images; TP/FP/FN at IoU %.2f, score >= %s)\n",
              number(r.map50).c_str(), number(r.map50to95).c_str(), r.perImage.size(), options.iou,
              thresholdText(options).c_str());
  std::printf("efficiency boost %sx: %.0f s to draw every box by hand vs %.0f s to review the proposals "
              "(%d verify, %d adjust, %d delete, %d draw)\n",
              number(r.efficiencyBoost, 1).c_str(), r.manualSeconds, r.reviewSeconds, r.actions.verify,
              r.actions.adjust, r.actions.remove, r.actions.draw);
  bool dashes = !std::isfinite(r.map50) || !std::isfinite(r.efficiencyBoost);
  for (const auto& c : r.perClass)
    dashes = dashes || !std::isfinite(c.precision) || !std::isfinite(c.recall) || !std::isfinite(c.ap50);
  if (dashes)
    std::printf("- : not computable: precision without detections above the score, recall and AP without truth "
                "boxes, the boost without any box to draw or review\n");
  printConfusion(r, classes, options);
  if (r.ignoredTruth > 0 || r.ignoredDetections > 0)
    std::printf("left out (cannot be evaluated): %d truth boxes, %d detections\n", r.ignoredTruth,
                r.ignoredDetections);
}

}  // namespace quarry::cli
