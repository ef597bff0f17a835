// The mistakes queue: images where a model run and the human labels disagree, most first. This
// is where label errors are found: a confident detection that no label matches (a missing
// label?), a label the model does not find (a missed object, or a box where there is nothing),
// and a detection on a label of another class (a confusion, or a wrong class).
//
//   MistakeOptions o;  o.thresholds = runOperatingPoint(run.metricsJson)->byId(classes);
//   auto queue = mistakesQueue(project, run.id, o);   // queue->front() disagrees most
//
// The model's side is what `quarry score` stored for the run (the detections of its deterministic
// pass), so only scored images can be in the queue. Pure apart from reading the store.
#pragma once

#include <utility>
#include <vector>

#include "quarry/al/uncertainty.h"
#include "quarry/store/image_query.h"
#include "quarry/store/project.h"

namespace quarry {

enum class DisagreementKind {
  kUnlabeledDetection,  // a confident detection no label matches
  kMissedLabel,         // a label no confident detection matches
  kClassConfusion,      // a confident detection on a label of another class
};
const char* toString(DisagreementKind kind);  // "unlabeled detection", "missed label", "class confusion"

struct Disagreement {
  DisagreementKind kind = DisagreementKind::kUnlabeledDetection;
  double x = 0, y = 0, w = 0, h = 0;  // the detection (unlabeled, confusion) or the label (missed)
  ClassId cls = 0;                    // the model's class, or the label's for a missed label
  ClassId labelCls = 0;               // a confusion: the label's class
  double confidence = 0;              // the detection's score; 0 for a missed label
};

struct ImageDisagreement {
  ImageId image = 0;
  // Confident detections count their confidence; a missed label counts kMissedWeight, since a
  // miss is more often the model's failure than the label's.
  double weight = 0;
  std::vector<Disagreement> items;
};
inline constexpr double kMissedWeight = 0.5;

struct MistakeOptions {
  std::vector<std::pair<ClassId, double>> thresholds;  // per class (the run's operating point)
  double defaultThreshold = 0.25;                      // for classes not listed
  double iou = 0.5;                                    // a match needs at least this
  ImageQuery images;                                   // narrows the images compared (default: all)
};

// One image: detections taken from the most confident down, each matched to the unmatched label
// of highest IoU (any class) at options.iou or more; detections under their class's threshold
// are ignored. Items are in that order, then the missed labels in the order given.
ImageDisagreement compareWithLabels(ImageId image, const std::vector<Box>& labels,
                                    const std::vector<DetectionUncertainty>& detections, const MistakeOptions& options);

// Every image the run scored that has human boxes (manual or corrected) and matches
// options.images, with at least one disagreement: heaviest first, ties by image id (a run with
// no scores has an empty queue). kBadInput naming the image for a score the store cannot read.
Result<std::vector<ImageDisagreement>> mistakesQueue(const Project& project, RunId run, const MistakeOptions& options);

}  // namespace quarry
