// The mistakes queue: matching a run's stored detections with the human labels.
#include "quarry/al/mistakes.h"

#include <algorithm>
#include <map>

#include "quarry/al/box_uncertainty.h"
#include "quarry/metrics/metrics.h"

namespace quarry {

const char* toString(DisagreementKind kind) {
  switch (kind) {
    case DisagreementKind::kUnlabeledDetection: return "unlabeled detection";
    case DisagreementKind::kMissedLabel: return "missed label";
    case DisagreementKind::kClassConfusion: return "class confusion";
  }
  return "?";
}

ImageDisagreement compareWithLabels(ImageId image, const std::vector<Box>& labels,
                                    const std::vector<DetectionUncertainty>& detections, const MistakeOptions& o) {
  std::map<ClassId, double> threshold(o.thresholds.begin(), o.thresholds.end());
  const auto thresholdOf = [&](ClassId c) {
    auto it = threshold.find(c);
    return it == threshold.end() ? o.defaultThreshold : it->second;
  };
  std::vector<const DetectionUncertainty*> confident;
  for (const auto& d : detections)
    if (d.score >= thresholdOf(d.cls)) confident.push_back(&d);
  std::stable_sort(confident.begin(), confident.end(), [](auto* a, auto* b) { return a->score > b->score; });

  ImageDisagreement out;
  out.image = image;
  std::vector<bool> matched(labels.size(), false);
  for (const DetectionUncertainty* d : confident) {
    const Rect det{d->x, d->y, d->w, d->h};
    std::size_t best = labels.size();
    double bestIou = o.iou;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (matched[i]) continue;
      const double v = iou(det, Rect{labels[i].x, labels[i].y, labels[i].w, labels[i].h});
      if (v >= bestIou) {
        bestIou = v;
        best = i;
      }
    }
    if (best < labels.size()) {
      matched[best] = true;
      if (labels[best].cls == d->cls) continue;  // agreement
      out.items.push_back({DisagreementKind::kClassConfusion, d->x, d->y, d->w, d->h, d->cls, labels[best].cls, d->score});
      out.weight += d->score;
      continue;
    }
    out.items.push_back({DisagreementKind::kUnlabeledDetection, d->x, d->y, d->w, d->h, d->cls, 0, d->score});
    out.weight += d->score;
  }
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (!matched[i]) {
      const Box& b = labels[i];
      out.items.push_back({DisagreementKind::kMissedLabel, b.x, b.y, b.w, b.h, b.cls, b.cls, 0});
      out.weight += kMissedWeight;
    }
  return out;
}

Result<std::vector<ImageDisagreement>> mistakesQueue(const Project& project, RunId run, const MistakeOptions& o) {
  auto scores = project.scores(run);
  if (!scores.ok()) return scores.status();
  auto wanted = project.findImages(o.images);
  if (!wanted.ok()) return wanted.status();
  std::vector<ImageId> in = *wanted;
  std::sort(in.begin(), in.end());
  std::vector<ImageDisagreement> out;
  for (const ImageScore& s : *scores) {
    if (!std::binary_search(in.begin(), in.end(), s.image)) continue;
    auto boxes = project.boxes(s.image);
    if (!boxes.ok()) return boxes.status();
    std::vector<Box> labels;
    for (const Box& b : *boxes)
      if (b.source != BoxSource::kAuto) labels.push_back(b);
    if (labels.empty()) continue;  // nothing human to disagree with
    auto scored = boxUncertainties(s);
    if (!scored.ok()) return scored.status();
    std::vector<DetectionUncertainty> detections;
    for (const BoxUncertainty& b : *scored) detections.push_back(b.detection);
    ImageDisagreement d = compareWithLabels(s.image, labels, detections, o);
    if (!d.items.empty()) out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const ImageDisagreement& a, const ImageDisagreement& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.image < b.image;
  });
  return out;
}

}  // namespace quarry
