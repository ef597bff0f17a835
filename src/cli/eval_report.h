// `quarry eval`'s report of an EvalResult (text and JSON), and the evaluation of a COCO results
// file against a project's VAL images. Needs no detector, so it builds without LibTorch.
// Runs on the caller's thread with the caller's Project.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "quarry/metrics/metrics.h"
#include "quarry/store/project.h"

namespace quarry::cli {

// Evaluates the detections in a COCO results file (category_id k = the project's k-th class)
// against the manual and corrected boxes of the images tagged `valTag`. kInvalidArgument when no
// image carries the tag; the errors of readCocoResults (naming the file) otherwise.
Result<EvalResult> evaluateCocoResults(const Project& project, const std::string& file, const std::string& valTag,
                                       const EvalOptions& options);

// evalResultJson (quarry/metrics_json.h) with per-image rows, the labels of the confusion matrix
// (the classes, then "background") and the IoU and score threshold used.
nlohmann::json evalJson(const EvalResult& result, const std::vector<ClassInfo>& classes, const EvalOptions& options);

// Prints the per-class table, the mAPs, the efficiency boost and the confusion matrix to stdout.
// `classes` names the class ids of `result` (an unknown id is shown as #id).
void printEvalReport(const EvalResult& result, const std::vector<ClassInfo>& classes, const EvalOptions& options);

}  // namespace quarry::cli
