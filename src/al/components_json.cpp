// A scored image's components as JSON in the store (image_scores.components): what the GUI's
// tooltips show and what the strategies rank by, without running the model again; and the
// canvas's per-box view of it (box_uncertainty.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "quarry/al/box_uncertainty.h"
#include "quarry/al/uncertainty.h"

namespace quarry {
namespace {

// Six significant digits: the store stays small and nothing downstream needs more.
double rounded(double v) {
  if (!std::isfinite(v) || v == 0) return v;
  const double scale = std::pow(10.0, 5 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

}  // namespace

std::string componentsJson(const ImageUncertainty& image, const Normalization& n, const CombineOptions& o) {
  nlohmann::json j;
  j["no_detections"] = image.detections.empty();
  nlohmann::json maxZ = nlohmann::json::object();
  nlohmann::json dets = nlohmann::json::array();
  for (const auto& d : image.detections) {
    nlohmann::json dj;
    dj["cls"] = d.cls;
    dj["x"] = rounded(d.x);
    dj["y"] = rounded(d.y);
    dj["w"] = rounded(d.w);
    dj["h"] = rounded(d.h);
    dj["score"] = rounded(d.score);
    dj["combined"] = rounded(detectionScore(d, n, o));
    for (int c = 0; c < kComponentCount; ++c) {
      const char* name = toString(static_cast<Component>(c));
      dj[name] = rounded(d.components[c]);
      const double z = rounded((d.components[c] - n.mean[c]) / n.sd[c]);
      if (!maxZ.contains(name) || maxZ[name].get<double>() < z) maxZ[name] = z;
    }
    dets.push_back(std::move(dj));
  }
  j["max_z"] = maxZ;
  j["near_misses"] = {{"count", image.nearMisses.count},
                      {"max", rounded(image.nearMisses.max)},
                      {"mass", rounded(image.nearMisses.mass)}};
  j["detections"] = dets;
  nlohmann::json emb = nlohmann::json::array();
  for (float v : image.embedding) emb.push_back(rounded(v));
  j["embedding"] = emb;
  return j.dump();
}

Result<ImageUncertainty> parseComponentsJson(const std::string& text, ImageId image) {
  const std::string where = "scores of image " + std::to_string(image) + ": ";
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::BadInput(where + "components are not a JSON object");
  ImageUncertainty out;
  out.image = image;
  try {
    for (const auto& dj : j.value("detections", nlohmann::json::array())) {
      DetectionUncertainty d;
      d.cls = dj.at("cls").get<ClassId>();
      d.x = dj.at("x").get<double>();
      d.y = dj.at("y").get<double>();
      d.w = dj.at("w").get<double>();
      d.h = dj.at("h").get<double>();
      d.score = dj.at("score").get<double>();
      for (int c = 0; c < kComponentCount; ++c) d.components[c] = dj.value(toString(static_cast<Component>(c)), 0.0);
      out.detections.push_back(d);
    }
    for (const auto& v : j.value("embedding", nlohmann::json::array())) out.embedding.push_back(v.get<float>());
    if (j.contains("near_misses")) {  // absent in scores stored before near misses were kept
      const auto& nm = j.at("near_misses");
      out.nearMisses.count = nm.value("count", 0);
      out.nearMisses.max = nm.value("max", 0.0);
      out.nearMisses.mass = nm.value("mass", 0.0);
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::BadInput(where + e.what());
  }
  return out;
}

}  // namespace quarry

namespace quarry {

double BoxUncertainty::spreadPixels() const {
  return detection[Component::kBoxVariance] * std::sqrt(std::max(0.0, detection.w * detection.h));
}

Result<std::vector<BoxUncertainty>> boxUncertainties(const ImageScore& score) {
  auto parsed = parseComponentsJson(score.componentsJson, score.image);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json j = nlohmann::json::parse(score.componentsJson, nullptr, false);
  const auto dets = j.value("detections", nlohmann::json::array());
  std::vector<BoxUncertainty> out;
  for (std::size_t i = 0; i < parsed->detections.size(); ++i) {
    BoxUncertainty b;
    b.detection = parsed->detections[i];
    if (i < dets.size() && dets[i].contains("combined") && dets[i]["combined"].is_number())
      b.combined = dets[i]["combined"].get<double>();
    out.push_back(b);
  }
  return out;
}

std::string describe(const BoxUncertainty& b) {
  char line[96];
  std::snprintf(line, sizeof line, "uncertainty %.2f (combined z-score), confidence %.2f", b.combined,
                b.detection.score);
  std::string text = line;
  for (int c = 0; c < kComponentCount; ++c) {
    std::snprintf(line, sizeof line, "\n  %s %.3g", toString(static_cast<Component>(c)), b.detection.components[c]);
    text += line;
  }
  return text;
}

}  // namespace quarry
