// Evaluating a run on VAL: the model's detections against the VAL images' truth, at the default
// score threshold and at the run's fitted operating point.
#include <nlohmann/json.hpp>

#include <chrono>

#include "detect/internal.h"
#include "detect/tiles.h"
#include "quarry/metrics/metrics_json.h"
#include "quarry/metrics/operating_point.h"

namespace quarry::detect {

nlohmann::json operatingPointJson(const std::string& valTag, const std::vector<ImageId>& images,
                                  const std::vector<ClassId>& ids, const std::vector<std::string>& names,
                                  const std::vector<GroundTruth>& truth, const std::vector<Detection>& detections,
                                  const EvalOptions& eo, const EvalResult& atDefault, std::uint64_t seed) {
  OperatingPointOptions op;
  op.eval = eo;
  const OperatingPoint fit = fitOperatingPoint(images, ids, truth, detections, op);
  const HeldOutBoost held = heldOutBoost(images, ids, truth, detections, op, seed);
  auto nameOf = [&](ClassId id) {
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids[i] == id) return names[i];
    return std::to_string(id);
  };
  nlohmann::json perClass = nlohmann::json::object();
  for (const auto& [id, t] : fit.perClass) perClass[nameOf(id)] = t;
  nlohmann::json fallback = nlohmann::json::array();
  for (ClassId id : fit.fallback) fallback.push_back(nameOf(id));
  return {{"val_tag", valTag},
          {"global", fit.globalThreshold},
          {"per_class", perClass},
          {"fallback", fallback},
          {"seed", seed},
          {"held_out_boost", jsonNumber(held.boost)},
          {"in_sample_boost", jsonNumber(fit.efficiencyBoost)},
          {"boost_at_default", jsonNumber(atDefault.efficiencyBoost)},
          {"default_threshold", eo.scoreThreshold}};
}

Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options, const ProgressFn& progress,
                               EvaluateRunReport* report) {
  EvaluateRunReport local;
  if (!report) report = &local;
  *report = EvaluateRunReport{};
  JobRuntime runtime;
  try {
    auto checkpoint = openRunCheckpoint(project, options.runName);
    if (!checkpoint.ok()) return checkpoint.status();
    const CheckpointMeta& meta = checkpoint->meta;
    auto tiling = inferenceTiling(meta.tiling, options.tiles);
    if (!tiling.ok()) return tiling.status();
    report->tiling = *tiling;
    const auto& ids = checkpoint->classIds;
    ImageQuery vq;
    vq.anyTags = {options.valTag};
    LoadReport loadReport;
    auto images = loadLabeledImages(project, vq, meta.preset.channels, &loadReport, progress);
    if (!images.ok()) return images.status();
    if (images->empty()) return Status::InvalidArgument("no images tagged " + options.valTag + " to evaluate on");
    Net net(meta.preset, static_cast<int>(ids.size()));
    QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(net, checkpoint->dir));
    net->fuseBatchNorm();
    useThreads(0);
    const auto inferStart = std::chrono::steady_clock::now();
    auto dets = predictImages(net, meta.preset, report->tiling, *images, ids, 0.01f, options.batchSize,
                              torch::Device(torch::kCPU));
    const double inferSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - inferStart).count();
    report->imagesPerSecond = inferSeconds > 0 ? static_cast<double>(images->size()) / inferSeconds : 0;
    std::vector<ImageId> imageIds;
    for (const auto& im : *images) imageIds.push_back(im.id);
    const auto truth = truthOf(*images, ids);
    // The project's own measured seconds per action where enough were recorded (issue 15).
    EvalOptions eval = options.eval;
    const MeasuredEffort measured = projectEffort(project);
    if (measured.any()) eval.effort = measured.model;
    report->effort = measured.describe();
    report->measuredEffort = measured.any();
    report->atDefault = evaluate(imageIds, ids, truth, dets, eval);
    nlohmann::json metrics = nlohmann::json::parse(checkpoint->metricsJson, nullptr, false);
    if (metrics.is_discarded() || !metrics.is_object()) metrics = nlohmann::json::object();
    metrics["val"] = evalResultJson(report->atDefault, checkpoint->classNames);
    EvalResult result = report->atDefault;
    const auto& point = checkpoint->operatingPoint;
    if (options.atOperatingPoint && point) {
      report->atOperatingPoint = true;
      report->operatingPoint = *point;
      report->heldOut = point->valTag == options.valTag;
      if (report->heldOut) {
        // The thresholds were fitted on these images: refit on halves, judge each on the other.
        OperatingPointOptions op;
        op.eval = eval;
        result = heldOutEvaluation(imageIds, ids, truth, dets, op, point->seed);
      } else {
        EvalOptions at = eval;
        at.scoreThreshold = point->global;
        at.classScoreThresholds = point->byId(ids, checkpoint->classNames);
        result = evaluate(imageIds, ids, truth, dets, at);
      }
      nlohmann::json j = evalResultJson(result, checkpoint->classNames);
      j["val_tag"] = options.valTag;
      j["held_out"] = report->heldOut;
      metrics["val_operating_point"] = j;
    }
    metrics["effort"] = measured.describe();
    if (measured.any()) report->citedBoost = boostAt(result, options.eval.effort);
    QUARRY_RETURN_IF_ERROR(project.setRunMetrics(checkpoint->run, metrics.dump()));
    return result;
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::Error(StatusCode::kInternal, e.what());
  }
}

}  // namespace quarry::detect
