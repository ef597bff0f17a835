// Evaluating a run on VAL: the model's detections against the VAL images' truth.
#include <nlohmann/json.hpp>

#include "detect/internal.h"
#include "quarry/metrics_json.h"

namespace quarry::detect {

Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options, const ProgressFn& progress) {
  OpenCvSingleThreaded opencv;
  try {
    auto run = project.findRun(options.runName);
    if (!run.ok()) return run.status();
    if (!*run) return Status::NotFound("no model run named '" + options.runName + "'");
    CheckpointMeta meta;
    const auto dir = project.resolve((*run)->checkpoint);
    QUARRY_RETURN_IF_ERROR(loadCheckpointMeta(dir, &meta));
    auto detector = Detector::load(project, options.runName);  // checks the classes
    if (!detector.ok()) return detector.status();
    ImageQuery vq;
    vq.anyTags = {options.valTag};
    LoadReport report;
    auto images = loadLabeledImages(project, vq, meta.preset.channels, &report, progress);
    if (!images.ok()) return images.status();
    if (images->empty()) return Status::InvalidArgument("no images tagged " + options.valTag + " to evaluate on");
    auto classes = project.classes();
    if (!classes.ok()) return classes.status();
    std::vector<ClassId> ids;
    std::vector<std::string> names;
    for (const auto& c : *classes) {
      ids.push_back(c.id);
      names.push_back(c.name);
    }
    Net net(meta.preset, static_cast<int>(ids.size()));
    QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(net, dir));
    useThreads(0);
    auto dets = predictImages(net, meta.preset, *images, ids, 0.01f, options.batchSize, torch::Device(torch::kCPU));
    std::vector<ImageId> imageIds;
    std::vector<GroundTruth> truth;
    for (const auto& im : *images) {
      imageIds.push_back(im.id);
      for (const auto& b : im.boxes)
        truth.push_back({im.id, ids[static_cast<std::size_t>(b.cls)], b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0});
    }
    EvalResult result = evaluate(imageIds, ids, truth, dets, options.eval);
    nlohmann::json metrics = nlohmann::json::parse((*run)->metricsJson, nullptr, false);
    if (metrics.is_discarded() || !metrics.is_object()) metrics = nlohmann::json::object();
    metrics["val"] = evalResultJson(result, names);
    QUARRY_RETURN_IF_ERROR(project.setRunMetrics((*run)->id, metrics.dump()));
    return result;
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::Error(StatusCode::kInternal, e.what());
  }
}

}  // namespace quarry::detect
