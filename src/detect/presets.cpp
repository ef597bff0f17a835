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
  Preset small{"small", 224, 1, {24, 48, 96, 160}, 64, 64, 0.1, 8, false};
  small.headConvs = 1;
  return small;
}

}  // namespace

Status checkCostKnobs(const Preset& p, const std::string& where) {
  const bool blocksOk = p.blocks.size() == 4 && std::all_of(p.blocks.begin(), p.blocks.end(), [](int b) { return b >= 0 && b <= 2; });
  if (!blocksOk || p.headConvs < 1 || p.headConvs > 2)
    return Status::BadInput(where + ": a preset needs 4 block counts of 0 to 2 and head_convs of 1 or 2");
  return Status::Ok();
}

namespace {

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
    p.blocks = j.value("blocks", Preset{}.blocks);
    p.smooth = j.value("smooth", Preset{}.smooth);
    p.headConvs = j.value("head_convs", Preset{}.headConvs);
    if (Status s = checkCostKnobs(p, file.string()); !s.ok()) return s;
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
  const auto& names = builtInPresets();
  if (std::find(names.begin(), names.end(), nameOrPath) != names.end()) return builtIn(nameOrPath);
  std::string list;
  for (const auto& n : names) list += n + ", ";
  return Status::InvalidArgument("unknown preset '" + nameOrPath + "' (" + list + "or a .json file)");
}

namespace {

// Sizes of a sample of the project's images and their boxes, in image pixels.
struct Sizes {
  double longSide = 0;      // the median image's long side
  double boxShort = 0;      // the median box's short side; 0 without boxes
  double boxLong90 = 0;     // the 90th percentile of the boxes' long sides
  double relativeBox = 0;   // the median of box short side / its image's long side
  bool hasBoxes = false;
};

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::ptrdiff_t>(std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size()))));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

Result<Sizes> measure(const Project& project, const ImageQuery& images) {
  ImageQuery q = images;
  q.limit = 500;
  auto ids = project.findImages(q);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::InvalidArgument("no images to choose a preset for");
  auto records = project.images(*ids);
  if (!records.ok()) return records.status();
  auto boxes = project.boxesOfImages(*ids);
  if (!boxes.ok()) return boxes.status();
  std::vector<double> sides, shorts, longs, relative;
  std::map<ImageId, int> longSide;
  for (const auto& r : *records) {
    sides.push_back(std::max(r.width, r.height));
    longSide[r.id] = std::max(r.width, r.height);
  }
  for (const Box& b : *boxes) {
    auto it = longSide.find(b.image);
    if (it == longSide.end() || it->second <= 0) continue;
    shorts.push_back(std::min(b.w, b.h));
    longs.push_back(std::max(b.w, b.h));
    relative.push_back(std::min(b.w, b.h) / it->second);
  }
  Sizes s;
  s.longSide = quantile(sides, 0.5);
  s.hasBoxes = !shorts.empty();
  s.boxShort = quantile(shorts, 0.5);
  s.boxLong90 = quantile(longs, 0.9);
  s.relativeBox = quantile(relative, 0.5);
  return s;
}

constexpr double kLetterboxedBoxFloor = 12;  // below this many input pixels a defect starts to vanish
constexpr double kTiledBoxTarget = 16;       // what tiles bring the median box's short side to
constexpr int kMaxTilesPerSide = 12;         // at most 144 tiles an image, whatever the boxes say

}  // namespace

Result<PresetChoice> choosePreset(const Project& project, const ImageQuery& images) {
  auto sizes = measure(project, images);
  if (!sizes.ok()) return sizes.status();
  const double side = sizes->longSide;
  PresetChoice c;
  c.preset = side <= 288 ? "small" : "medium";
  const int input = c.preset == "small" ? 224 : 320;
  char buf[256];
  std::snprintf(buf, sizeof buf, "median image side %.0f px%s: %s (%d px input)", side,
                sizes->hasBoxes ? (", median box's short side " + std::to_string(static_cast<int>(sizes->boxShort + 0.5)) + " px").c_str() : "",
                c.preset.c_str(), input);
  c.why = buf;
  const double boxAtInput = sizes->relativeBox * input;
  if (sizes->hasBoxes && boxAtInput < 8)
    c.why += "; letterboxed, the median box becomes " + std::to_string(static_cast<int>(boxAtInput + 0.5)) +
             " px (tiles keep it larger)";
  return c;
}

Result<Tiling> chooseTiling(const Project& project, const ImageQuery& images, int inputSize, const std::string& mode,
                            std::string* why) {
  std::string local;
  if (!why) why = &local;
  if (mode != "auto" && mode != "on" && mode != "off")
    return Status::InvalidArgument("unknown tiles mode '" + mode + "' (auto, on or off)");
  Tiling t;
  if (mode == "off") {
    *why = "tiles off (asked)";
    return t;
  }
  auto sizes = measure(project, images);
  if (!sizes.ok()) return sizes.status();
  const double side = sizes->longSide;
  const double letterboxScale = side > 0 ? std::min(1.0, inputSize / side) : 1.0;
  char buf[320];
  if (side <= inputSize) {
    std::snprintf(buf, sizeof buf, "tiles off: the median image (%.0f px) fits the %d px input", side, inputSize);
    *why = buf;
    return t;
  }
  double scale = 1;
  if (sizes->hasBoxes && sizes->boxShort > 0) scale = std::min(1.0, kTiledBoxTarget / sizes->boxShort);
  // About side x scale / (0.75 x input) tiles along the median image's long side: at most kMaxTilesPerSide.
  scale = std::min(scale, kMaxTilesPerSide * 0.75 * inputSize / side);
  scale = std::max(scale, letterboxScale);
  // Forced on, tiles keep at least twice the letterbox's resolution, as auto would demand.
  if (mode == "on") scale = std::max(scale, std::min(1.0, 2 * letterboxScale));
  const double boxLetterboxed = sizes->boxShort * letterboxScale;
  if (mode == "auto") {
    if (!sizes->hasBoxes) {
      *why = "tiles off: no boxes yet to size them by (--tiles on forces them)";
      return t;
    }
    if (boxLetterboxed >= kLetterboxedBoxFloor) {
      std::snprintf(buf, sizeof buf, "tiles off: letterboxed, the median box keeps %.0f px of its short side", boxLetterboxed);
      *why = buf;
      return t;
    }
    if (scale < 2 * letterboxScale) {
      std::snprintf(buf, sizeof buf, "tiles off: tiles would keep less than twice the letterbox's %.2f scale", letterboxScale);
      *why = buf;
      return t;
    }
  }
  t.enabled = true;
  t.scale = scale;
  t.tile = static_cast<int>(std::lround(inputSize / scale));
  // Boxes up to the overlap lie whole in one tile: most boxes, within a quarter to half a tile.
  t.overlap = static_cast<int>(std::lround(std::clamp(sizes->boxLong90, t.tile / 4.0, t.tile / 2.0)));
  std::snprintf(buf, sizeof buf,
                "tiles %s: letterboxed, the median box's short side would be %.1f px; tiles at scale %.2f keep %.1f px",
                t.describe().c_str(), boxLetterboxed, scale, sizes->boxShort * scale);
  *why = buf;
  return t;
}

}  // namespace quarry::detect
