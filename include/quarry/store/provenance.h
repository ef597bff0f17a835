// What a model run was trained and validated on: the truth boxes (manual and corrected) of each
// image it used, as they were when training read them, and a digest of that state. Later edits
// do not change the record, so "what exactly was CAL2 trained on, and how much has changed
// since?" has an answer, per image and per box.
//
//   auto state = captureLabelState(project, trainIds, valIds);   // when training loads its data
//   ... training ...
//   recordLabelState(project, runId, *state);                    // once the run exists
//   auto since = runProvenance(project, runId);                   // quarry runs show, Runs view
//
// Threads: the caller's Project. A record is written in one transaction of its own connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quarry/core/types.h"
#include "quarry/store/project.h"

namespace quarry {

struct ImageLabelState {
  ImageId image = 0;
  bool validation = false;  // false: trained on
  std::vector<Box> boxes;   // its manual and corrected boxes, by id
};

struct LabelState {
  std::vector<ImageLabelState> images;  // training images, then validation images, each by id
  // XXH3-64 (16 hex digits) of the images' roles and boxes (ids, classes, geometry): two runs
  // with the same digest saw the same labels.
  std::string digest;
  std::int64_t capturedAt = 0;  // milliseconds since the epoch
};

// Reads the truth boxes of these images now.
Result<LabelState> captureLabelState(const Project& project, const std::vector<ImageId>& train,
                                     const std::vector<ImageId>& validation);

// Stores `state` as run `run`'s provenance (replacing an earlier record of that run).
Status recordLabelState(Project& project, RunId run, const LabelState& state);

struct LabelChanges {
  std::int64_t added = 0, removed = 0, changed = 0;  // truth boxes, against the record
  std::int64_t imagesChanged = 0;  // images with any of those
  std::int64_t imagesGone = 0;     // images since removed from the project
};

struct RunProvenance {
  bool recorded = false;  // false: a run made before provenance existed, or imported
  std::string digest;
  std::int64_t capturedAt = 0;
  std::int64_t trainImages = 0, trainBoxes = 0, valImages = 0, valBoxes = 0;
  LabelChanges trainSince, valSince;  // what changed on those images since
};

// The record of `run` compared with the project's boxes now. kNotFound for an unknown run.
Result<RunProvenance> runProvenance(const Project& project, RunId run);

}  // namespace quarry
