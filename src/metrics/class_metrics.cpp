// Class-aware metrics: AP at ten IoU thresholds, and TP/FP/FN, precision and recall at the
// options' IoU and each class's score threshold, per class and per image.
#include <algorithm>
#include <limits>

#include "metrics/eval_input.h"

namespace quarry::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Slot 0 is options.iou (for the counts); slots 1..10 are 0.50, 0.55, ..., 0.95, written as
// hundredths so that 0.75 is the same double a caller writes.
std::vector<double> thresholds(double iouForCounts) {
  std::vector<double> t{iouForCounts};
  for (int k = 0; k < 10; ++k) t.push_back((50 + 5 * k) / 100.0);
  return t;
}

// Stable sort of box indices by class; the order within a class is kept.
void sortByClass(std::vector<std::size_t>* ids, const std::vector<IndexedBox>& boxes) {
  std::stable_sort(ids->begin(), ids->end(),
                   [&](std::size_t a, std::size_t b) { return boxes[a].cls < boxes[b].cls; });
}

double ratio(int num, int den) { return den > 0 ? static_cast<double>(num) / den : kNaN; }

}  // namespace

void addClassMetrics(const EvalInput& in, const EvalOptions& options, EvalResult* result) {
  const std::vector<double> thr = thresholds(options.iou);
  // matched[t][d]: detection d (priority order) took a truth box of its class at threshold t.
  std::vector<std::vector<char>> matched(thr.size(), std::vector<char>(in.detections.size(), 0));

  // Matching never crosses images or classes, so each (image, class) group is matched alone; the
  // priority order inside a group is the global one.
  for (std::size_t image = 0; image < in.images.size(); ++image) {
    std::vector<std::size_t> dets = in.detectionsOfImage[image], truths = in.truthOfImage[image];
    if (dets.empty() || truths.empty()) continue;
    sortByClass(&dets, in.detections);
    sortByClass(&truths, in.truth);
    std::size_t d0 = 0, t0 = 0;
    while (d0 < dets.size()) {
      const std::size_t cls = in.detections[dets[d0]].cls;
      std::size_t d1 = d0, t1;
      while (d1 < dets.size() && in.detections[dets[d1]].cls == cls) ++d1;
      while (t0 < truths.size() && in.truth[truths[t0]].cls < cls) ++t0;
      for (t1 = t0; t1 < truths.size() && in.truth[truths[t1]].cls == cls; ++t1) {}
      std::vector<Rect> dRects, tRects;
      for (std::size_t i = d0; i < d1; ++i) dRects.push_back(in.detections[dets[i]].rect);
      for (std::size_t i = t0; i < t1; ++i) tRects.push_back(in.truth[truths[i]].rect);
      if (!tRects.empty()) {
        for (std::size_t t = 0; t < thr.size(); ++t) {
          const std::vector<int> m = matchGreedy(dRects, tRects, thr[t]);
          for (std::size_t i = 0; i < m.size(); ++i) matched[t][dets[d0 + i]] = m[i] >= 0;
        }
      }
      d0 = d1;
      t0 = t1;
    }
  }

  const std::size_t nClasses = in.classes.size();
  result->perClass.assign(nClasses, ClassMetrics{});
  for (std::size_t c = 0; c < nClasses; ++c) result->perClass[c].cls = in.classes[c];
  for (const IndexedBox& g : in.truth) {
    ++result->perClass[g.cls].groundTruth;
    ++result->perImage[g.image].falseNegatives;  // a true positive takes it back below
  }

  // Per class, per threshold: the match flags of its detections in priority order, for AP.
  const std::vector<double> threshold = shownThresholds(in, options);
  std::vector<std::vector<std::vector<bool>>> flags(nClasses, std::vector<std::vector<bool>>(thr.size()));
  for (std::size_t d = 0; d < in.detections.size(); ++d) {
    const IndexedBox& det = in.detections[d];
    for (std::size_t t = 0; t < thr.size(); ++t) flags[det.cls][t].push_back(matched[t][d] != 0);
    if (!(det.score >= threshold[det.cls])) continue;  // the same test as review.cpp's
    ClassMetrics& cm = result->perClass[det.cls];
    ImageMetrics& im = result->perImage[det.image];
    if (matched[0][d]) {
      ++cm.truePositives;
      ++im.truePositives;
      --im.falseNegatives;
    } else {
      ++cm.falsePositives;
      ++im.falsePositives;
    }
  }

  std::vector<double> ap50s, ap50to95s;
  for (std::size_t c = 0; c < nClasses; ++c) {
    ClassMetrics& cm = result->perClass[c];
    cm.falseNegatives = cm.groundTruth - cm.truePositives;
    cm.precision = ratio(cm.truePositives, cm.truePositives + cm.falsePositives);
    cm.recall = ratio(cm.truePositives, cm.groundTruth);
    cm.ap50 = averagePrecision(flags[c][1], cm.groundTruth);
    double sum = 0;
    for (std::size_t t = 1; t < thr.size(); ++t) sum += averagePrecision(flags[c][t], cm.groundTruth);
    cm.ap50to95 = sum / static_cast<double>(thr.size() - 1);  // NaN stays NaN without ground truth
    ap50s.push_back(cm.ap50);
    ap50to95s.push_back(cm.ap50to95);
  }
  result->map50 = meanIgnoringNan(ap50s);
  result->map50to95 = meanIgnoringNan(ap50to95s);
}

}  // namespace quarry::detail
