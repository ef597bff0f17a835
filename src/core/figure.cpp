#include "quarry/core/figure.h"

#include <fmt/format.h>

#include <cmath>

namespace quarry {

std::string figureText(double value, int decimals, std::string_view why, std::string_view suffix) {
  if (std::isfinite(value)) return fmt::format("{:.{}f}{}", value, decimals, suffix);
  if (why.empty()) return "-";
  return fmt::format("- ({})", why);
}

void setFigure(nlohmann::json& j, const std::string& key, double value, std::string_view why) {
  if (std::isfinite(value)) {
    j[key] = value;
    return;
  }
  j[key] = nullptr;
  j[key + "_reason"] = why.empty() ? std::string("not computable") : std::string(why);
}

}  // namespace quarry
