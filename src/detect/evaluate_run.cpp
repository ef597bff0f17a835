// Evaluating a run on VAL: the model's detections against the VAL images' truth.
#include <nlohmann/json.hpp>

#include "detect/internal.h"
#include "quarry/metrics_json.h"

namespace quarry::detect {

Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options, const ProgressFn& progress) {
  OpenCvSingleThreaded opencv;
  try {
    auto checkpoint = openRunCheckpoint(project, options.runName);
    if (!checkpoint.ok()) return checkpoint.status();
    const CheckpointMeta& meta = checkpoint->meta;
    const auto& ids = checkpoint->classIds;
    ImageQuery vq;
    vq.anyTags = {options.valTag};
    LoadReport report;
    auto images = loadLabeledImages(project, vq, meta.preset.channels, &report, progress);
    if (!images.ok()) return images.status();
    if (images->empty()) return Status::InvalidArgument("no images tagged " + options.valTag + " to evaluate on");
    Net net(meta.preset, static_cast<int>(ids.size()));
    QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(net, checkpoint->dir));
    useThreads(0);
    auto dets = predictImages(net, meta.preset, *images, ids, 0.01f, options.batchSize, torch::Device(torch::kCPU));
    std::vector<ImageId> imageIds;
    for (const auto& im : *images) imageIds.push_back(im.id);
    EvalResult result = evaluate(imageIds, ids, truthOf(*images, ids), dets, options.eval);
    auto run = project.findRun(options.runName);
    if (!run.ok()) return run.status();
    nlohmann::json metrics = nlohmann::json::parse((*run)->metricsJson, nullptr, false);
    if (metrics.is_discarded() || !metrics.is_object()) metrics = nlohmann::json::object();
    metrics["val"] = evalResultJson(result, checkpoint->classNames);
    QUARRY_RETURN_IF_ERROR(project.setRunMetrics(checkpoint->run, metrics.dump()));
    return result;
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::Error(StatusCode::kInternal, e.what());
  }
}

}  // namespace quarry::detect
