#include "quarry/al/calibration_json.h"

#include "quarry/core/figure.h"

namespace quarry {

nlohmann::json calibrationJson(const Calibration& c) {
  nlohmann::json j{{"images", c.images}};
  setFigure(j, "spearman", c.spearman, c.spearmanWhy);
  setFigure(j, "auroc", c.auroc, c.aurocWhy);
  setFigure(j, "hard_to_easy_error_ratio", c.hardToEasyErrorRatio, c.ratioWhy);
  setFigure(j, "easy_share", c.easyShare, "no images");
  setFigure(j, "aurc", c.aurc, "no images");
  setFigure(j, "easy_fully_correct", c.easyFullyCorrect, "no easy images");
  setFigure(j, "easy_fully_correct_wilson_lower", c.easyWilsonLower, "no easy images");
  for (int b = 0; b < 3; ++b) {
    nlohmann::json band{{"images", c.bands[b].images}};
    setFigure(band, "mean_error", c.bands[b].meanError, "no images");
    setFigure(band, "any_error_rate", c.bands[b].anyErrorRate, "no images");
    j["bands"][toString(static_cast<Difficulty>(b))] = band;
  }
  return j;
}

}  // namespace quarry
