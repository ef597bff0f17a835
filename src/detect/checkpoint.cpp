// Checkpoints (models/<run>/model.pt + model.json), threads and devices, and batched
// prediction over labelled images.
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "detect/internal.h"

namespace fs = std::filesystem;

namespace quarry::detect {

Status saveCheckpoint(Net& net, const CheckpointMeta& meta, const fs::path& dir, Net* raw) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir.string() + ": cannot create folder: " + ec.message());
  nlohmann::json j = {{"format", "quarry-detector"},
                      {"version", 1},
                      {"run", meta.run},
                      {"best_epoch", meta.bestEpoch},
                      {"classes", meta.classes},
                      {"aleatoric", meta.aleatoric},
                      {"preset",
                       {{"name", meta.preset.name},
                        {"input_size", meta.preset.inputSize},
                        {"channels", meta.preset.channels},
                        {"widths", meta.preset.widths},
                        {"neck_width", meta.preset.neckWidth},
                        {"head_width", meta.preset.headWidth},
                        {"dropout", meta.preset.dropout},
                        {"output_stride", meta.preset.outputStride},
                        {"context", meta.preset.context},
                        {"blocks", meta.preset.blocks},
                        {"smooth", meta.preset.smooth},
                        {"head_convs", meta.preset.headConvs}}},
                      {"tiling",
                       {{"enabled", meta.tiling.enabled},
                        {"scale", meta.tiling.scale},
                        {"tile", meta.tiling.tile},
                        {"overlap", meta.tiling.overlap}}},
                      {"preprocessing",
                       {{"letterbox_pad", 114}, {"pixel_mean", kPixelMean}, {"pixel_std", kPixelStd},
                        {"stride", meta.preset.outputStride}}}};
  try {
    // Written to temporary names and renamed, so a crash never leaves half a checkpoint.
    torch::save(net, (dir / "model.pt.part").string());
    if (raw) torch::save(*raw, (dir / "raw.pt.part").string());
    std::ofstream out(dir / "model.json.part");
    out << j.dump(2) << "\n";
    if (!out) return Status::IoError((dir / "model.json").string() + ": write failed");
    out.close();
    fs::rename(dir / "model.pt.part", dir / "model.pt");
    if (raw) fs::rename(dir / "raw.pt.part", dir / "raw.pt");
    fs::rename(dir / "model.json.part", dir / "model.json");
  } catch (const std::exception& e) {
    return Status::IoError(dir.string() + ": cannot save the checkpoint: " + e.what());
  }
  return Status::Ok();
}

Status loadCheckpointMeta(const fs::path& dir, CheckpointMeta* meta) {
  const fs::path file = dir / "model.json";
  std::ifstream in(file);
  if (!in) return Status::NotFound(file.string() + ": no checkpoint here");
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("format", "") != "quarry-detector")
      return Status::BadInput(file.string() + ": not a Quarry detector checkpoint");
    const auto& p = j.at("preset");
    meta->preset = {p.at("name").get<std::string>(), p.at("input_size").get<int>(), p.at("channels").get<int>(),
                    p.at("widths").get<std::vector<int>>(), p.at("neck_width").get<int>(),
                    p.at("head_width").get<int>(), p.at("dropout").get<double>()};
    // Checkpoints from before these fields are the stride-4 network without context.
    meta->preset.outputStride = p.value("output_stride", 4);
    meta->preset.context = p.value("context", false);
    // Checkpoints from before the cost knobs are the network of their defaults.
    meta->preset.blocks = p.value("blocks", Preset{}.blocks);
    meta->preset.smooth = p.value("smooth", Preset{}.smooth);
    meta->preset.headConvs = p.value("head_convs", Preset{}.headConvs);
    if (Status s = checkCostKnobs(meta->preset, file.string()); !s.ok()) return s;
    if (meta->preset.outputStride != 4 && meta->preset.outputStride != 8)
      return Status::BadInput(file.string() + ": output_stride " + std::to_string(meta->preset.outputStride) +
                              " is not 4 or 8; this checkpoint needs another Quarry version");
    // Checkpoints from before tiles letterbox whole images.
    meta->tiling = Tiling{};
    if (j.contains("tiling")) {
      const auto& t = j.at("tiling");
      meta->tiling.enabled = t.value("enabled", false);
      meta->tiling.scale = t.value("scale", 1.0);
      meta->tiling.tile = t.value("tile", 0);
      meta->tiling.overlap = t.value("overlap", 0);
      if (meta->tiling.enabled && (meta->tiling.scale <= 0 || meta->tiling.scale > 1 || meta->tiling.tile < 1 ||
                                   meta->tiling.overlap < 0 || meta->tiling.overlap >= meta->tiling.tile))
        return Status::BadInput(file.string() + ": the tiling needs a scale in (0, 1], a tile of at least 1 px and "
                                "an overlap smaller than the tile");
    }
    meta->classes = j.at("classes").get<std::vector<std::string>>();
    meta->aleatoric = j.value("aleatoric", true);
    meta->run = j.value("run", "");
    meta->bestEpoch = j.value("best_epoch", 0);
    if (meta->preset.widths.size() != 4) return Status::BadInput(file.string() + ": the preset needs 4 widths");
  } catch (const std::exception& e) {
    return Status::BadInput(file.string() + ": corrupt checkpoint description: " + e.what());
  }
  return Status::Ok();
}

Status loadCheckpointWeights(Net& net, const fs::path& dir) {
  const fs::path file = dir / "model.pt";
  std::error_code ec;
  if (!fs::exists(file, ec)) return Status::NotFound(file.string() + ": no weights here");
  try {
    torch::load(net, file.string());
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    return Status::BadInput(file.string() + ": corrupt or incompatible weights: " + what);
  }
  return Status::Ok();
}

Result<RunCheckpoint> openRunCheckpoint(const Project& project, const std::string& runName) {
  auto run = project.findRun(runName);
  if (!run.ok()) return run.status();
  if (!*run) return Status::NotFound("no model run named '" + runName + "'");
  if ((*run)->checkpoint.empty()) return Status::NotFound("model run '" + runName + "' has no checkpoint");
  RunCheckpoint out;
  out.run = (*run)->id;
  out.dir = project.resolve((*run)->checkpoint);
  out.metricsJson = (*run)->metricsJson;
  out.operatingPoint = runOperatingPoint(out.metricsJson);
  QUARRY_RETURN_IF_ERROR(loadCheckpointMeta(out.dir, &out.meta));
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  for (const auto& c : *classes) {
    out.classIds.push_back(c.id);
    out.classNames.push_back(c.name);
  }
  if (out.classNames != out.meta.classes) {
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
      return "[" + s + "]";
    };
    return Status::Error(StatusCode::kIncompatible,
                         (out.dir / "model.json").string() + ": the checkpoint was trained on the classes " +
                             list(out.meta.classes) + " but the project has " + list(out.classNames) +
                             "; retrain, or restore the class names and order");
  }
  return out;
}

void useThreads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
}

Result<torch::Device> pickDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda") {
    if (!torch::cuda::is_available()) return Status::InvalidArgument("--device cuda: this LibTorch has no CUDA device");
    return torch::Device(torch::kCUDA);
  }
  return Status::InvalidArgument("unknown device '" + name + "' (cpu or cuda)");
}

std::vector<GroundTruth> truthOf(const std::vector<LabeledImage>& images, const std::vector<ClassId>& classIds) {
  std::vector<GroundTruth> out;
  for (const auto& im : images)
    for (const auto& b : im.boxes)
      out.push_back({im.id, classIds[static_cast<std::size_t>(b.cls)], b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0});
  return out;
}

std::vector<Detection> predictImages(Net& net, const Preset& preset, const Tiling& tiling,
                                     const std::vector<LabeledImage>& images, const std::vector<ClassId>& classIds,
                                     float scoreThreshold, int batchSize, const torch::Device& device) {
  std::vector<Detection> out;
  // A few images at a time, so a tiled image's views do not all wait in memory at once.
  const std::size_t step = static_cast<std::size_t>(std::max(1, batchSize));
  for (std::size_t start = 0; start < images.size(); start += step) {
    const std::size_t end = std::min(images.size(), start + step);
    std::vector<const cv::Mat*> pixels;
    for (std::size_t i = start; i < end; ++i) pixels.push_back(&images[i].pixels);
    const auto found = detectPixels(net, preset, tiling, pixels, classIds, scoreThreshold, batchSize, device);
    for (std::size_t i = start; i < end; ++i)
      for (const Prediction& p : found[i - start]) out.push_back({images[i].id, p.cls, p.x, p.y, p.w, p.h, p.score});
  }
  return out;
}

}  // namespace quarry::detect
