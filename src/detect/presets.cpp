#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "quarry/detect/detector.h"

namespace fs = std::filesystem;

namespace quarry::detect {
namespace {

// The same as models/*.json, for a binary run away from its source tree.
Preset builtIn(const std::string& name) {
  if (name == "tiny") return {"tiny", 128, 1, {16, 24, 32, 48}, 24, 24, 0.1};
  if (name == "medium") return {"medium", 320, 1, {32, 64, 128, 256}, 96, 96, 0.1};
  if (name == "small-s4") return {"small-s4", 224, 1, {24, 48, 96, 160}, 64, 64, 0.1};
  return {"small", 224, 1, {24, 48, 96, 160}, 64, 64, 0.1, 8, false};
}

Result<Preset> parse(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return Status::NotFound(file.string() + ": cannot be read");
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    Preset p;
    p.name = j.value("name", file.stem().string());
    p.inputSize = j.at("input_size").get<int>();
    p.channels = j.value("channels", 1);
    p.widths = j.at("widths").get<std::vector<int>>();
    p.neckWidth = j.at("neck_width").get<int>();
    p.headWidth = j.at("head_width").get<int>();
    p.dropout = j.value("dropout", 0.1);
    p.outputStride = j.value("output_stride", 4);
    p.context = j.value("context", false);
    if (p.widths.size() != 4 || p.inputSize < 32 || p.inputSize % 32 != 0 || (p.channels != 1 && p.channels != 3) ||
        p.dropout < 0 || p.dropout >= 1 || (p.outputStride != 4 && p.outputStride != 8))
      return Status::BadInput(file.string() +
                              ": a preset needs 4 widths, an input size that is a multiple of 32, 1 or 3 channels, "
                              "a dropout in [0, 1) and an output_stride of 4 or 8");
    return p;
  } catch (const std::exception& e) {
    return Status::BadInput(file.string() + ": " + e.what());
  }
}

}  // namespace

Result<Preset> findPreset(const std::string& nameOrPath) {
  std::error_code ec;
  if (nameOrPath.size() > 5 && nameOrPath.substr(nameOrPath.size() - 5) == ".json") return parse(nameOrPath);
  const fs::path file = fs::path(QUARRY_MODELS_DIR) / (nameOrPath + ".json");
  if (fs::exists(file, ec)) return parse(file);
  if (nameOrPath == "tiny" || nameOrPath == "small" || nameOrPath == "small-s4" || nameOrPath == "medium")
    return builtIn(nameOrPath);
  return Status::InvalidArgument("unknown preset '" + nameOrPath + "' (tiny, small, small-s4, medium, or a .json file)");
}

Result<PresetChoice> choosePreset(const Project& project, const ImageQuery& images) {
  ImageQuery q = images;
  q.limit = 500;
  auto ids = project.findImages(q);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::InvalidArgument("no images to choose a preset for");
  auto records = project.images(*ids);
  if (!records.ok()) return records.status();
  auto boxes = project.boxesOfImages(*ids);
  if (!boxes.ok()) return boxes.status();
  auto median = [](std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> sides, boxSides;
  std::map<ImageId, int> longSide;
  for (const auto& r : *records) {
    sides.push_back(std::max(r.width, r.height));
    longSide[r.id] = std::max(r.width, r.height);
  }
  for (const Box& b : *boxes)
    if (longSide.count(b.image)) boxSides.push_back(std::min(b.w, b.h) / longSide[b.image]);  // relative
  const double side = median(sides);
  PresetChoice c;
  c.preset = side <= 288 ? "small" : "medium";
  const int input = c.preset == "small" ? 224 : 320;
  const double boxAtInput = median(boxSides) * input;
  char buf[256];
  std::snprintf(buf, sizeof buf, "median image side %.0f px%s: %s (%d px input)", side,
                boxSides.empty() ? "" : (", median box's short side " + std::to_string(static_cast<int>(median(boxSides) * side + 0.5)) + " px").c_str(),
                c.preset.c_str(), input);
  c.why = buf;
  if (!boxSides.empty() && boxAtInput < 8)
    c.why += "; the median box becomes " + std::to_string(static_cast<int>(boxAtInput + 0.5)) +
             " px at that input and small defects may be lost (tiling large images is not built yet)";
  return c;
}

}  // namespace quarry::detect
