#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

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

}  // namespace quarry::detect
