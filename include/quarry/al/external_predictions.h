// Predictions from other models: a COCO results file (what a GPU-trained Ultralytics or any
// other detector writes) becomes the auto boxes of an external run, so Quarry's review loop
// (the Runs view, evaluation on VAL, the review of auto boxes) works without a Quarry model.
//
//   auto made = importPredictions(project, "yolo-results.json", "YOLO8");  // every detection
//   auto eval = evaluateStoredRun(project, made->run, "VAL1", {});          // = eval --predictions
//
// Threads: the caller's Project.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "quarry/core/progress.h"
#include "quarry/metrics/metrics.h"
#include "quarry/store/project.h"

namespace quarry {

// An external run has no checkpoint: its boxes are all there is of it.
bool isExternalRun(const ModelRun& run);

struct PredictionImport {
  RunId run = 0;
  bool runAdded = false;       // false: an external run of that name was there; its boxes are replaced
  std::size_t images = 0;      // images that got boxes
  std::size_t boxes = 0;
  std::size_t degenerate = 0;  // detections of zero width or height: the store keeps no such box
};

// Reads `file` (COCO results: image_id is the project's image id, category_id k is the k-th class
// of the frozen order, as Quarry's COCO export numbers both) and stores every detection, with no
// score floor and no cap per image, as an auto box of run `runName` with its score. The run is
// made when missing (kAlreadyExists when a run of that name has a checkpoint: it is Quarry's);
// an existing external run's auto boxes are replaced on every image of the project. One write
// batch; nothing changes on an error. Errors of the file name it (readCocoResults).
Result<PredictionImport> importPredictions(Project& project, const std::filesystem::path& file,
                                           const std::string& runName, const ProgressFn& progress = {});

// The same from a folder of YOLO label files with a confidence column (`class cx cy w h conf`,
// normalised, as Ultralytics' `predict save_txt=True save_conf=True` writes them): each file goes
// to the project's image of that file name (without extension), class k is the k-th class of the
// frozen order. Files and lines that do not fit are skipped and described in `problems`.
Result<PredictionImport> importYoloPredictions(Project& project, const std::filesystem::path& folder,
                                               const std::string& runName, std::vector<std::string>* problems,
                                               const ProgressFn& progress = {});

// What any evaluation on VAL measures against: the images tagged `valTag`, the frozen class order
// and the images' manual and corrected boxes. kInvalidArgument when no image carries the tag.
struct ValTruth {
  std::vector<ImageId> images;
  std::vector<ClassId> classes;
  std::vector<GroundTruth> truth;
  std::vector<Box> boxes;  // every box of those images (auto ones too)
};
Result<ValTruth> valTruth(const Project& project, const std::string& valTag);

// Measures a run's stored auto boxes against the manual and corrected boxes of the images tagged
// `valTag`, as `quarry eval --predictions` measures a results file.
Result<EvalResult> evaluateStoredRun(const Project& project, RunId run, const std::string& valTag,
                                     const EvalOptions& options);

}  // namespace quarry
