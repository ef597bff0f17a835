#include "quarry/metrics/metrics_json.h"

#include <cmath>

#include "quarry/core/figure.h"

namespace quarry {
namespace {

nlohmann::json actionsJson(const ReviewActions& a) {
  return {{"verify", a.verify}, {"adjust", a.adjust}, {"remove", a.remove}, {"draw", a.draw}};
}

}  // namespace

nlohmann::json jsonNumber(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json evalResultJson(const EvalResult& r, const std::vector<std::string>& names, bool perImage) {
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t i = 0; i < r.perClass.size(); ++i) {
    const ClassMetrics& c = r.perClass[i];
    nlohmann::json row = {{"class", i < names.size() ? names[i] : std::to_string(c.cls)},
                          {"ground_truth", c.groundTruth},
                          {"true_positives", c.truePositives},
                          {"false_positives", c.falsePositives},
                          {"false_negatives", c.falseNegatives}};
    setFigure(row, "precision", c.precision, "no detections above the score threshold");
    setFigure(row, "recall", c.recall, "no truth boxes");
    setFigure(row, "ap50", c.ap50, "no truth boxes");
    setFigure(row, "ap50_95", c.ap50to95, "no truth boxes");
    classes.push_back(row);
  }
  nlohmann::json j = {{"per_class", classes},
                      {"confusion", r.confusion},
                      {"review_actions", actionsJson(r.actions)},
                      {"manual_seconds", r.manualSeconds},
                      {"review_seconds", r.reviewSeconds},

                      {"images", r.perImage.size()},
                      {"ignored_truth", r.ignoredTruth},
                      {"ignored_detections", r.ignoredDetections}};
  setFigure(j, "map50", r.map50, "no class has truth boxes");
  setFigure(j, "map50_95", r.map50to95, "no class has truth boxes");
  setFigure(j, "efficiency_boost", r.efficiencyBoost, "nothing to review and every action free");
  if (perImage) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ImageMetrics& m : r.perImage)
      rows.push_back({{"image", m.image},
                      {"true_positives", m.truePositives},
                      {"false_positives", m.falsePositives},
                      {"false_negatives", m.falseNegatives},
                      {"review_seconds", m.reviewSeconds},
                      {"manual_seconds", m.manualSeconds}});
    j["per_image"] = rows;
  }
  return j;
}

}  // namespace quarry
