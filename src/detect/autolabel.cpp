// Auto-labeling: the run's detections written as `auto` boxes, batch by batch.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>

#include "detect/internal.h"
#include "quarry/core/log.h"

namespace quarry::detect {

Status autoLabel(Project& project, const AutoLabelOptions& options, AutoLabelReport* report,
                 const ProgressFn& progress) {
  AutoLabelReport local;
  if (!report) report = &local;
  JobRuntime runtime;
  auto detector = Detector::load(project, options.runName, "cpu", options.tiles);
  if (!detector.ok()) return detector.status();
  report->tiling = (*detector)->tiling().describe();
  // Which detections become boxes: one threshold, or the run's fitted one per class.
  double keep = options.scoreThreshold;
  std::map<ClassId, double> perClass;
  if (keep < 0) {
    if (const auto& point = (*detector)->operatingPoint()) {
      auto classes = project.classes();
      if (!classes.ok()) return classes.status();
      for (const auto& [id, t] : point->byId(*classes)) perClass[id] = t;
      keep = point->lowest();
      report->thresholds = "the run's thresholds fitted on " + point->valTag + " (" + point->describe(*classes) + ")";
    } else {
      keep = 0.25;
      report->thresholds = "0.25 (the run has no fitted thresholds)";
    }
  } else {
    report->thresholds = fmt::format("{:.2f}", keep);
  }
  auto ids = project.findImages(options.images);
  if (!ids.ok()) return ids.status();
  std::vector<ImageId> targets = *ids;
  if (options.useDefaultQuery) {
    // Images a person labelled (manual or corrected boxes) keep their truth untouched.
    ImageQuery labelled;
    labelled.sources = {BoxSource::kManual, BoxSource::kCorrected};
    auto skip = project.findImages(labelled);
    if (!skip.ok()) return skip.status();
    const std::set<ImageId> done(skip->begin(), skip->end());
    targets.erase(std::remove_if(targets.begin(), targets.end(), [&](ImageId id) { return done.count(id) > 0; }),
                  targets.end());
  }
  const auto start = std::chrono::steady_clock::now();
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batchSize));
  for (std::size_t at = 0; at < targets.size(); at += batch) {
    if (!reportProgress(progress, at, targets.size(), "autolabel")) return Status::Cancelled();
    const std::vector<ImageId> chunk(targets.begin() + static_cast<std::ptrdiff_t>(at),
                                     targets.begin() + static_cast<std::ptrdiff_t>(std::min(targets.size(), at + batch)));
    auto batchFiles = presentImages(project, chunk, "autolabel");
    if (!batchFiles.ok()) return batchFiles.status();
    report->missingImages += batchFiles->missing;
    const std::vector<ImageId>& present = batchFiles->ids;
    auto predictions = (*detector)->detect(batchFiles->files, keep);
    if (!predictions.ok()) return predictions.status();
    Project::WriteBatch write(project);
    QUARRY_RETURN_IF_ERROR(write.status());
    for (std::size_t i = 0; i < present.size(); ++i) {
      std::vector<Box> boxes;
      for (const Prediction& p : (*predictions)[i]) {
        if (auto t = perClass.find(p.cls); t != perClass.end() && p.score < t->second) continue;
        Box b;
        b.image = present[i];
        b.cls = p.cls;
        b.x = p.x;
        b.y = p.y;
        b.w = p.w;
        b.h = p.h;
        b.score = p.score;
        b.author = options.runName;
        boxes.push_back(b);
      }
      QUARRY_RETURN_IF_ERROR(project.replaceAutoBoxes(present[i], (*detector)->run(), boxes));
      ++report->images;
      report->boxes += boxes.size();
      if (boxes.empty()) ++report->imagesWithoutDetections;
    }
    QUARRY_RETURN_IF_ERROR(write.commit());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report->imagesPerSecond = seconds > 0 ? static_cast<double>(report->images) / seconds : 0;
  reportProgress(progress, targets.size(), targets.size(), "autolabel");
  return Status::Ok();
}

}  // namespace quarry::detect
