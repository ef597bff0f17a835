// What a model run's stored metrics say, as values for views and reports: the VAL figures (per
// class and overall), the training curve, the scoring's thresholds; two runs side by side; the
// histogram of a run's image scores; and the learning curves of an experiment's results.json.
// Pure functions on the values the store and the report files hold; call them from any thread.
//
//   auto a = runFigures(run);                 // Result<RunFigures>
//   RunDifference d = compareRuns(*a, *b);    // b minus a, classes matched by name
#pragma once

#include <filesystem>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quarry/core/status.h"
#include "quarry/core/types.h"

namespace quarry {

constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();  // nothing to measure

struct ClassFigures {
  std::string name;
  int groundTruth = 0, truePositives = 0, falsePositives = 0, falseNegatives = 0;
  double precision = kNoFigure, recall = kNoFigure, ap50 = kNoFigure, ap50to95 = kNoFigure;
};

struct EpochFigures {
  int epoch = 0;
  double loss = kNoFigure, valMap50 = kNoFigure, seconds = 0;
};

// The per-class score thresholds fitted on VAL after training (quarry/operating_point.h), as the
// run stores them under "operating_point" in its metrics: what autolabel and eval use by default.
struct RunOperatingPoint {
  std::string valTag;                                   // the images it was fitted on
  double global = 0.25;                                 // for classes not listed
  std::vector<std::pair<std::string, double>> perClass; // by class name
  std::vector<std::string> fallback;                    // too few VAL boxes: they took `global`
  double heldOutBoost = kNoFigure;                      // two halves of valTag, each at the other's fit
  double boostAtDefault = kNoFigure;                    // the same images at the default 0.25
  std::uint64_t seed = 1;                               // of the halves the held-out figures use
  // The thresholds by class id, for the classes in `ids` / `names` (same order); unknown names
  // take `global`.
  std::vector<std::pair<ClassId, double>> byId(const std::vector<ClassId>& ids,
                                               const std::vector<std::string>& names) const;
  std::vector<std::pair<ClassId, double>> byId(const std::vector<ClassInfo>& classes) const;
  // "crazing 0.20, inclusion 0.35 (global: few boxes), ..." in the order of `classes`.
  std::string describe(const std::vector<ClassInfo>& classes) const;
  // The lowest threshold of any class: what a detector must keep to filter per class afterwards.
  double lowest() const;
};
// The run's operating point; empty when its metrics hold none (older runs, no VAL) or do not parse.
std::optional<RunOperatingPoint> runOperatingPoint(const std::string& metricsJson);

struct RunFigures {
  std::string name, trainedOn;      // trainedOn: the training tags, e.g. "GT1,GT2"
  std::string preset;
  std::string tiling;               // Tiling::describe() of the run; empty for runs from before tiles
  int trainImages = 0;              // 0 when the run predates the figure
  double trainSeconds = 0;
  bool evaluated = false;           // has VAL figures
  int valImages = 0;
  double map50 = kNoFigure, map50to95 = kNoFigure, efficiencyBoost = kNoFigure;
  std::vector<ClassFigures> perClass;
  std::vector<EpochFigures> curve;
  bool scored = false;              // quarry score ran with this run
  double mediumThreshold = kNoFigure, hardThreshold = kNoFigure;
  std::string thresholdSource;      // "val" or "pool-quantiles"
  std::string combinationWhy;       // how the components made the score ("learned: ...")
  std::string easyRule, easyWhy;    // how the easy boundary was set ("safe", "none", ""), in words
  double easyFullyCorrect = kNoFigure, easyWilsonLower = kNoFigure;  // of the easy VAL images
  double spearman = kNoFigure, auroc = kNoFigure;  // the scoring's calibration on VAL
  double aurc = kNoFigure, easyShare = kNoFigure;  // risk-coverage area; share of VAL images easy
  double hardToEasyErrorRatio = kNoFigure;
  int calibrationImages = 0;
  double bandError[3] = {kNoFigure, kNoFigure, kNoFigure};  // mean error of easy, medium, hard VAL images
  int bandImages[3] = {0, 0, 0};
  std::string spearmanWhy, aurocWhy, ratioWhy;     // why a calibration figure is missing, when it is
  double scoreThreshold = kNoFigure;               // the score the VAL precision and recall counted from
  std::optional<RunOperatingPoint> operatingPoint;
};

// Reads the run's params and metrics JSON; kBadInput naming the run when they do not parse.
// Missing parts (never evaluated, never scored) are left at their defaults.
Result<RunFigures> runFigures(const ModelRun& run);

struct ClassDifference {
  std::string name;
  double precision = kNoFigure, recall = kNoFigure, ap50 = kNoFigure;  // b - a
};
struct RunDifference {
  double map50 = kNoFigure, map50to95 = kNoFigure, efficiencyBoost = kNoFigure;
  std::vector<ClassDifference> perClass;  // the classes of either run, in a's order then b's
};
RunDifference compareRuns(const RunFigures& a, const RunFigures& b);

struct Histogram {
  double lo = 0, hi = 0;     // the range the bins cover
  std::vector<int> counts;   // equal-width bins; empty for no values
  double binWidth() const { return counts.empty() ? 0 : (hi - lo) / static_cast<double>(counts.size()); }
};
// `bins` (>= 1) equal bins from the smallest to the largest finite value; NaNs are left out.
Histogram histogram(const std::vector<double>& values, int bins);

struct CurvePoint {
  double labelled = 0, map50 = kNoFigure, spread = 0;  // means over seeds; spread: sample sd (0 for one seed)
};
struct ArmCurve {
  std::string arm;                 // a strategy, or "control"; each starts at CAL1 (round 0)
  std::vector<CurvePoint> points;  // by round
};
// One trained model of an experiment: which arm and round, how many labelled images, its mAP.
struct CurveSample {
  std::string arm;  // "CAL1" for round 0, shared by every arm
  int round = 0;
  double labelled = 0, map50 = kNoFigure;
};
// The mean curve of every arm (in the order the samples first name them), each from CAL1 through
// its rounds until one is missing; the spread is over the samples (seeds) of a point.
std::vector<ArmCurve> learningCurves(const std::vector<CurveSample>& samples);

// The learning curves of a `quarry experiment` report (reports/NAME/results.json); kNotFound or
// kBadInput naming the file.
Result<std::vector<ArmCurve>> readExperimentCurves(const std::filesystem::path& resultsJson);

}  // namespace quarry
