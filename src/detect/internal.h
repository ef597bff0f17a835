// Private to quarry_detect: the pieces between the network and the public API, each in its own
// file (targets.cpp, loss.cpp, decode.cpp, checkpoint.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "detect/dataset.h"
#include "detect/job_support.h"
#include "detect/net.h"
#include "quarry/detect/scoring.h"
#include "quarry/al/uncertainty.h"

namespace quarry::detect {

// Samples to a normalised [B, C, S, S] float tensor.
torch::Tensor toInput(const std::vector<Sample>& samples, int channels);

// Training targets on the stride-4 grid.
struct Targets {
  torch::Tensor heatmap;  // [B, C, H, W] in 0..1, exactly 1 at box centres
  torch::Tensor boxes;    // [B, 4, H, W] x0, y0, x1, y1 (input pixels) of the box a cell regresses
  torch::Tensor weight;   // [B, 1, H, W] regression weight (0 where a cell regresses nothing)
};
Targets makeTargets(const std::vector<Sample>& samples, int numClasses, int size, int stride);

struct LossParts {
  torch::Tensor total, heatmap, box, nll;
};
LossParts detectionLoss(const HeadOutput& out, const Targets& targets, bool aleatoric);

// Peaks of the heatmap as boxes in input pixels, best first, at most `topK` per image.
struct RawDetection {
  int cls = 0;
  float score = 0;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float logVar[4] = {0, 0, 0, 0};
  int cellY = 0, cellX = 0;  // where it was found, for aligning Monte-Carlo samples
};
std::vector<std::vector<RawDetection>> decode(const HeadOutput& out, float scoreThreshold, int topK = 100);

// Monte-Carlo dropout on one batch: the deterministic pass gives the detections (the auto-labels);
// T head passes with dropout masks drawn from `seed` give, at each detection's cell, the samples
// its uncertainty components come from. Batched runs everything before the dropout (backbone,
// head trunk) once and the T passes of the output layers as one batched matmul (in chunks of at
// most headBatch image-passes); naive runs T full passes.
// Both draw the same masks, so they agree up to float rounding.
struct McDetection {
  RawDetection det;                                  // of the deterministic pass, input pixels
  std::array<double, kComponentCount> components{};  // indexed by quarry::Component
};
struct McImage {
  std::vector<McDetection> detections;
  std::vector<float> embedding;  // the features averaged over the image
  NearMisses nearMisses;         // peaks of the deterministic pass just below the threshold
};
std::vector<McImage> monteCarloBatch(Net& net, const torch::Tensor& input, double dropout, const McOptions& options,
                                     std::uint64_t seed);

// Back to the original image's pixels, clipped to it.
Prediction toOriginal(const RawDetection& d, const Letterbox& map, int width, int height, ClassId cls);

// A checkpoint folder: model.pt (the weights) and model.json (what they mean).
struct CheckpointMeta {
  Preset preset;
  Tiling tiling;                     // how it was trained and infers (off for checkpoints before tiles)
  std::vector<std::string> classes;  // names in the frozen order
  bool aleatoric = true;
  std::string run;
  int bestEpoch = 0;
};
// Writes `net` as the model (model.pt, model.json) and, when given, the raw weights it was averaged
// from (raw.pt), each renamed into place so a crash never leaves half a checkpoint.
// Fits the run's operating point on VAL's detections (quarry/operating_point.h) and describes it
// as runs store it under "operating_point": the thresholds by class name, the classes that fell
// back to the global one, the held-out boost and the boost of `atDefault` (the evaluation of the
// same detections at eo.scoreThreshold, which the caller has already made).
nlohmann::json operatingPointJson(const std::string& valTag, const std::vector<ImageId>& images,
                                  const std::vector<ClassId>& ids, const std::vector<std::string>& names,
                                  const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                                  const EvalOptions& eo, const EvalResult& atDefault, std::uint64_t seed);

Status saveCheckpoint(Net& net, const CheckpointMeta& meta, const std::filesystem::path& dir, Net* raw = nullptr);
Status loadCheckpointMeta(const std::filesystem::path& dir, CheckpointMeta* meta);
Status loadCheckpointWeights(Net& net, const std::filesystem::path& dir);

// A run's checkpoint, checked against the project: where it is, what it means, and the
// project's class ids and names in the frozen order (which must be the checkpoint's).
struct RunCheckpoint {
  RunId run = 0;
  std::filesystem::path dir;
  CheckpointMeta meta;
  std::vector<ClassId> classIds;
  std::vector<std::string> classNames;
  std::string metricsJson;                         // the run's stored metrics, as read
  std::optional<RunOperatingPoint> operatingPoint; // fitted on VAL after training, when it was
};
// kNotFound for an unknown run or one without a checkpoint; kIncompatible, naming both class
// lists, when the project's classes differ from the checkpoint's.
Result<RunCheckpoint> openRunCheckpoint(const Project& project, const std::string& runName);

// Runs the network (eval mode) on images, letterboxed or by tiles (tiles.h), in batches of at
// most `batchSize` views; per image, its detections in its own pixels with class ids.
std::vector<std::vector<Prediction>> detectPixels(Net& net, const Preset& preset, const Tiling& tiling,
                                                  const std::vector<const cv::Mat*>& images,
                                                  const std::vector<ClassId>& classIds, float scoreThreshold,
                                                  int batchSize, const torch::Device& device);
// Monte-Carlo dropout (monteCarloBatch) the same way; a tiled image's detections are merged like
// detectPixels' and its embedding is the mean over its views. Image ids are left 0.
std::vector<ImageUncertainty> monteCarloPixels(Net& net, const Preset& preset, const Tiling& tiling,
                                               const std::vector<const cv::Mat*>& images,
                                               const std::vector<ClassId>& classIds, const McOptions& options,
                                               int batchSize, const torch::Device& device);

// detectPixels on labelled images, as one list of Detections with their image ids.
std::vector<Detection> predictImages(Net& net, const Preset& preset, const Tiling& tiling,
                                     const std::vector<LabeledImage>& images, const std::vector<ClassId>& classIds,
                                     float scoreThreshold, int batchSize, const torch::Device& device);

// The truth boxes of labelled images, with class indexes turned back into class ids.
std::vector<GroundTruth> truthOf(const std::vector<LabeledImage>& images, const std::vector<ClassId>& classIds);

// Sets LibTorch's intra-op threads (0: every core). LibTorch starts with one otherwise.
void useThreads(int threads);


// A torch::Device from "cpu" / "cuda", refusing cuda when LibTorch has none.
Result<torch::Device> pickDevice(const std::string& name);

}  // namespace quarry::detect
