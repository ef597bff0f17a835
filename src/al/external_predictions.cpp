#include "quarry/al/external_predictions.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace quarry {

bool isExternalRun(const ModelRun& run) {
  if (!run.checkpoint.empty()) return false;
  const auto params = nlohmann::json::parse(run.paramsJson, nullptr, false);
  return params.is_object() && params.value("external", false);
}

namespace {

// Writes `detections` as the auto boxes of external run `runName` (see importPredictions).
Result<PredictionImport> storePredictions(Project& project, const std::vector<Detection>& detections,
                                          const std::vector<ImageId>& all, const std::filesystem::path& source,
                                          const std::string& runName, const ProgressFn& progress) {
  PredictionImport out;
  auto existing = project.findRun(runName);
  if (!existing.ok()) return existing.status();
  if (*existing && !isExternalRun(**existing))
    return Status::Error(StatusCode::kAlreadyExists, "run '" + runName +
                                                         "' is a Quarry model run; import the predictions under "
                                                         "another name");
  std::map<ImageId, std::vector<Box>> byImage;
  for (const Detection& d : detections) {
    if (!(d.w > 0) || !(d.h > 0)) {
      ++out.degenerate;
      continue;
    }
    Box b;
    b.image = d.image;
    b.cls = d.cls;
    b.x = d.x;
    b.y = d.y;
    b.w = d.w;
    b.h = d.h;
    b.source = BoxSource::kAuto;
    b.score = d.score;
    b.author = "import";
    byImage[d.image].push_back(b);
  }
  Project::WriteBatch batch(project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  if (*existing) {
    out.run = (*existing)->id;
  } else {
    ModelRun run;
    run.name = runName;
    run.trainedOn = "";
    run.paramsJson = nlohmann::json{{"external", true}, {"predictions", source.string()}}.dump();
    auto id = project.addRun(run);
    if (!id.ok()) return id.status();
    out.run = *id;
    out.runAdded = true;
  }
  // Every image: an image the new file has nothing for loses the run's earlier boxes too.
  std::size_t done = 0;
  for (ImageId image : all) {
    if (!reportProgress(progress, done++, all.size(), "predictions")) return Status::Cancelled();  // batch rolls back
    auto it = byImage.find(image);
    if (it == byImage.end() && out.runAdded) continue;
    for (Box& b : it == byImage.end() ? byImage[image] : it->second) b.run = out.run;
    QUARRY_RETURN_IF_ERROR(project.replaceAutoBoxes(image, out.run, byImage[image]));
    if (!byImage[image].empty()) {
      ++out.images;
      out.boxes += byImage[image].size();
    }
  }
  QUARRY_RETURN_IF_ERROR(batch.commit());
  (void)reportProgress(progress, all.size(), all.size(), "predictions");
  return out;
}

std::vector<ClassId> classOrder(const std::vector<ClassInfo>& classes) {
  std::vector<ClassId> ids;
  for (const auto& c : classes) ids.push_back(c.id);
  return ids;
}

}  // namespace

Result<PredictionImport> importPredictions(Project& project, const std::filesystem::path& file,
                                           const std::string& runName, const ProgressFn& progress) {
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  auto all = project.findImages({});
  if (!all.ok()) return all.status();
  const std::set<ImageId> known(all->begin(), all->end());
  auto detections = readCocoResults(file, classOrder(*classes), &known);
  if (!detections.ok()) return detections.status();
  return storePredictions(project, *detections, *all, file, runName, progress);
}

Result<PredictionImport> importYoloPredictions(Project& project, const std::filesystem::path& folder,
                                               const std::string& runName, std::vector<std::string>* problems,
                                               const ProgressFn& progress) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Status::NotFound(folder.string() + ": no such folder of label files");
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  const std::vector<ClassId> order = classOrder(*classes);
  auto all = project.findImages({});
  if (!all.ok()) return all.status();
  auto records = project.images(*all);
  if (!records.ok()) return records.status();
  // An image is found by its file name without the extension, as Ultralytics names its labels.
  std::map<std::string, std::vector<const ImageRecord*>> byStem;
  for (const ImageRecord& r : *records) byStem[fs::path(r.path).stem().string()].push_back(&r);
  std::vector<Detection> detections;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(folder, ec))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  auto note = [&](const std::string& p) {
    if (problems) problems->push_back(p);
  };
  for (const fs::path& file : files) {
    const auto match = byStem.find(file.stem().string());
    if (match == byStem.end()) {
      note(file.string() + ": no image of the project is named " + file.stem().string() + "; skipped");
      continue;
    }
    if (match->second.size() > 1) {
      note(file.string() + ": " + std::to_string(match->second.size()) + " images of the project are named " +
           file.stem().string() + "; skipped");
      continue;
    }
    const ImageRecord& im = *match->second.front();
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::istringstream fields(line);
      long long cls = -1;
      double cx = 0, cy = 0, w = 0, h = 0, conf = 0;
      std::string extra;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!(fields >> cls >> cx >> cy >> w >> h >> conf) || (fields >> extra)) {
        note(file.string() + ":" + std::to_string(n) + ": expected 6 fields (class cx cy w h confidence); skipped");
        continue;
      }
      if (cls < 0 || cls >= static_cast<long long>(order.size()) || !std::isfinite(cx) || !std::isfinite(cy) ||
          !std::isfinite(w) || !std::isfinite(h) || !std::isfinite(conf) || w < 0 || h < 0) {
        note(file.string() + ":" + std::to_string(n) + ": class outside the project's " + std::to_string(order.size()) +
             " or a value that is not a finite, non-negative number; skipped");
        continue;
      }
      detections.push_back({im.id, order[static_cast<std::size_t>(cls)], (cx - w / 2) * im.width,
                            (cy - h / 2) * im.height, w * im.width, h * im.height, conf});
    }
  }
  return storePredictions(project, detections, *all, folder, runName, progress);
}

Result<ValTruth> valTruth(const Project& project, const std::string& valTag) {
  ValTruth out;
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  out.classes = classOrder(*classes);
  ImageQuery val;
  val.anyTags = {valTag};
  auto images = project.findImages(val);
  if (!images.ok()) return images.status();
  if (images->empty())
    return Status::InvalidArgument("no image is tagged " + valTag + " (run `quarry split` or pass --val-tag)");
  out.images = std::move(*images);
  auto boxes = project.boxesOfImages(out.images);
  if (!boxes.ok()) return boxes.status();
  out.boxes = std::move(*boxes);
  // What a person drew or corrected is the truth; proposals of any run are not.
  for (const Box& b : out.boxes)
    if (b.source != BoxSource::kAuto) out.truth.push_back({b.image, b.cls, b.x, b.y, b.w, b.h});
  return out;
}

Result<EvalResult> evaluateStoredRun(const Project& project, RunId run, const std::string& valTag,
                                     const EvalOptions& options) {
  auto val = valTruth(project, valTag);
  if (!val.ok()) return val.status();
  std::vector<Detection> detections;
  for (const Box& b : val->boxes)
    if (b.source == BoxSource::kAuto && b.run && *b.run == run)
      detections.push_back({b.image, b.cls, b.x, b.y, b.w, b.h, b.score.value_or(0)});
  return evaluate(val->images, val->classes, val->truth, detections, options);
}

}  // namespace quarry
