// quarry_detect: the project's own detector, trained from scratch on its ground truth, used to
// auto-label the pool and measured on VAL. The only library that includes LibTorch; this header
// is torch-free (the model lives behind a pimpl), so the CLI and the GUI build without torch.
//
//   TrainOptions o;  o.runName = "CAL1";  o.preset = "small";          // trains on every GT* tag
//   auto trained = train(project, o, progress);                        // refuses images tagged VAL
//   AutoLabelOptions a;  a.runName = "CAL1";
//   autoLabel(project, a, progressFn);                                 // writes `auto` boxes
//
// Threads: every call runs on the caller's thread with the caller's Project (a GUI worker opens
// its own). LibTorch's intra-op threads are set to the core count (TrainOptions::threads).
// Errors are values; exceptions from LibTorch and OpenCV are caught here and named.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/metrics/metrics.h"
#include "quarry/core/progress.h"
#include "quarry/store/duplicates.h"
#include "quarry/store/project.h"
#include "quarry/report/run_figures.h"
#include "quarry/detect/scoring.h"

namespace quarry::detect {

// A model size: input resolution and channel widths. Presets are JSON files in models/
// (tiny for tests, small the default, medium larger); see models/README.md.
struct Preset {
  std::string name;
  int inputSize = 256;            // square input, pixels; images are letterboxed to it
  int channels = 1;               // 1: grey, 3: colour; images are converted to this
  std::vector<int> widths;        // backbone stage widths, strides 4, 8, 16, 32
  int neckWidth = 64;             // feature width at the output stride after the upsampling path
  int headWidth = 64;
  double dropout = 0.1;           // in the head only, so MC passes can share one backbone pass
  int outputStride = 4;           // 4 or 8: input pixels per output cell (8 costs about half the FLOPs)
  bool context = false;           // SPPF pooling plus a pooled image vector at stride 32, for defects
                                  // that span the whole image
  // The cost knobs (issue 12's speed screen); the defaults are the network of every earlier preset.
  std::vector<int> blocks{1, 1, 1, 1};  // residual blocks per backbone stage (0 to 2 each)
  bool smooth = true;                   // a 3x3 convolution after the upsampling path
  int headConvs = 2;                    // 3x3 convolutions in the head's trunk (1 or 2)
};
// Reads models/<name>.json next to the executable's source tree or the given path; the built-in
// presets (tiny, small, small-s4, medium) work without the files.
Result<Preset> findPreset(const std::string& nameOrPath);
// kBadInput, naming `where`, when the cost knobs are out of range (blocks, headConvs).
Status checkCostKnobs(const Preset& preset, const std::string& where);

// What `--preset auto` chose for a project and why, in a sentence a user can check.
struct PresetChoice {
  std::string preset;  // a built-in preset's name
  std::string why;     // e.g. "median image 200 x 200 px, median box 38 px: small (224 px input)"
};
// Chooses the input size from the images' and boxes' sizes (a sample of at most 500 of `images`):
// small (224 px) when the median image's long side is at most 288 px, medium (320 px) above it.
// Says so when the median box would shrink below 8 px at that input and tiles are off.
// Fails only on a store error or when there are no images.
Result<PresetChoice> choosePreset(const Project& project, const ImageQuery& images);

// Large images by tiles. Without tiles an image is letterboxed to the input, so a 20 px defect on a
// 2,048 px image becomes 2 px. With tiles the network sees overlapping crops at `scale` input pixels
// per image pixel, plus one letterboxed pass of the whole image for boxes larger than the overlap;
// detections are merged (a box cut by a tile edge is taken from the tile that holds it whole) and
// class-wise NMS removes the twins of the overlaps. Training draws crops at the same scale, around
// boxes and between them, and some whole images.
struct Tiling {
  bool enabled = false;
  double scale = 1;   // input pixels per image pixel inside a tile (at most 1: tiles never upscale)
  int tile = 0;       // tile side in image pixels: the input size / scale
  int overlap = 0;    // image pixels neighbouring tiles share; a box up to this size lies whole in one
  // e.g. "off" or "on: 224 px tiles at scale 1.00, overlap 56 px".
  std::string describe() const;
};
// The tiling for a project's images at `inputSize`: mode "off" never tiles; "on" tiles whenever
// the median image is larger than the input; "auto" tiles only when, letterboxed, the median box's
// short side would fall below 12 px and tiles keep at least twice as many pixels of it. The scale
// brings the median box's short side to about 16 input pixels, never above 1 (and forced on, at
// least twice the letterbox's scale, so large boxes still get tiles worth the name). `why` (optional)
// gets the reason in a sentence. kInvalidArgument for another mode or a project without images.
Result<Tiling> chooseTiling(const Project& project, const ImageQuery& images, int inputSize, const std::string& mode,
                            std::string* why = nullptr);

// The built-in presets, smallest first; a preset may also be a .json file, or "auto".
inline const std::vector<std::string>& builtInPresets() {
  static const std::vector<std::string> names{"tiny", "small", "small-s4", "medium"};
  return names;
}

struct TrainOptions {
  std::string runName;                     // required, unique in the project (e.g. "CAL1")
  std::string preset = "auto";             // a preset's name or .json file; auto: choosePreset()
  std::vector<std::string> trainTags;      // empty: every tag whose name starts with "GT"
  std::string valTag = "VAL1";             // for early stopping and final metrics; may be absent
  // The planned optimiser steps are max(minSteps, epochs x steps per epoch), capped by maxSteps:
  // a small ground truth (60 images are 3 steps an epoch) still gets enough steps to learn.
  int epochs = 40;
  long minSteps = 1000;                    // the fewest steps planned; early stopping waits for them too
  int batchSize = 16;
  double learningRate = 2e-3;              // AdamW, peak after warm-up, cosine decay to 5%
  double weightDecay = 1e-4;
  int warmupSteps = 100;
  int patience = 8;                        // early stop after this many validations without a better VAL mAP@0.5,
                                           // counted only once minSteps are done
  int validateEvery = 0;                   // epochs between VAL checks (the last epoch is always checked);
                                           // 0: auto, every epoch but at most one check per
                                           // min(planned steps / 20, 100) steps, so short epochs do not
                                           // spend the budget on validation
  long maxSteps = -1;                      // at most this many optimiser steps, whatever minSteps says; -1: no limit
  double maxMinutes = 0;                   // stop training after this wall time; 0: no limit
  std::uint64_t seed = 1;                  // sampling, augmentation and initial weights
  bool aleatoric = true;                   // also learn a log-variance per box coordinate (Gaussian NLL)
  int threads = 0;                         // LibTorch intra-op threads; 0: every core
  std::string device = "cpu";              // "cpu" or "cuda" (when LibTorch has it)
  double scoreThreshold = 0.25;            // for the run's precision/recall and auto-labels
  // An exponential moving average of the weights (batch-norm statistics too) validates, is saved
  // as the model and infers; the raw weights are saved beside it (raw.pt). Its decay ramps up as
  // emaDecay x (1 - exp(-step / emaRampSteps)), so early steps are not averaged with the random start.
  double emaDecay = 0.998;                 // 0: no average, the raw weights are the model
  double emaRampSteps = 200;
  std::string tiles = "auto";              // auto | on | off: chooseTiling(); stored with the checkpoint
  // VAL images with a near-duplicate (store/duplicates.h, this many bits apart; -1: not checked)
  // among the training images are refused, naming the pairs; allowed, they are logged.
  int duplicateDistance = kDefaultDuplicateDistance;
  bool allowNearDuplicates = false;
};

// How many steps and epochs a training plans for a training set of `stepsPerEpoch` batches,
// how often it validates, and how many steps pass before early stopping may end it.
struct StepPlan {
  long steps = 0;          // max(minSteps, epochs x stepsPerEpoch), capped by maxSteps
  int epochs = 0;          // enough epochs to hold `steps`
  long minSteps = 0;       // early stopping counts only after these (never more than `steps`)
  int validateEvery = 1;   // epochs between VAL checks
};
StepPlan planSteps(const TrainOptions& options, long stepsPerEpoch);

// What train() would do with these options, without training: the preset and tiling it would
// choose and why, how many images it would train on and the step plan. Fails as train() would
// on bad tags or options.
struct TrainPlan {
  PresetChoice presetChoice;
  Preset preset;
  Tiling tiling;
  std::string tilingWhy;
  std::size_t trainImages = 0;
  long stepsPerEpoch = 0;
  StepPlan steps;
};
Result<TrainPlan> planTraining(const Project& project, const TrainOptions& options);

struct TrainProgress {
  int epoch = 0, epochs = 0;
  long step = 0, steps = 0;                // optimiser steps done / planned
  double loss = 0;                         // running mean of the last steps
  double etaSeconds = 0;
  double valMap50 = std::numeric_limits<double>::quiet_NaN();  // latest VAL mAP@0.5
  std::string stage;                       // "load", "train", "validate"
};
using TrainProgressFn = std::function<bool(const TrainProgress&)>;  // false cancels

struct EpochRecord {
  int epoch = 0;
  double loss = 0;
  double valMap50 = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0;                      // wall time since training started
};

struct TrainResult {
  RunId run = 0;
  long plannedSteps = 0;                   // max(minSteps, epochs x steps per epoch), capped by maxSteps
  int plannedEpochs = 0;
  long stepsPerEpoch = 0;
  long steps = 0;                          // optimiser steps done (fewer on early stop or maxMinutes)
  std::string checkpoint;                  // relative to the project folder
  int bestEpoch = 0;
  double bestMap50 = std::numeric_limits<double>::quiet_NaN();
  std::vector<EpochRecord> curve;
  double trainSeconds = 0;
  double imagesPerSecond = 0;              // training throughput
  std::optional<RunOperatingPoint> operatingPoint;  // fitted on VAL after training; empty without VAL
  PresetChoice presetChoice;               // the preset trained, and why when it was chosen (auto)
  Tiling tiling;                           // what training and every later inference use
  std::string tilingWhy;                   // why, in a sentence
};

// Trains a model on the images of the train tags, refusing (kInvalidArgument, listing them) any
// image that also carries the validation tag. Saves the best checkpoint (by VAL mAP@0.5, or the
// last without VAL) under models/<run>/ with its classes, preset and preprocessing, and adds a
// model run whose metrics hold the training curve and the VAL evaluation. A cancel keeps nothing.
Result<TrainResult> train(Project& project, const TrainOptions& options, const TrainProgressFn& progress = {});

struct Prediction {
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;       // pixels of the original image, (x, y) top-left
  double score = 0;
  double logVar[4] = {0, 0, 0, 0};         // predicted log-variance of x0, y0, x1, y1 (input pixels)
};

// A trained model loaded for inference.
class Detector {
 public:
  // Loads the checkpoint of `runName`; fails when it is missing or corrupt, or when its classes
  // are not the project's classes (same names in the same order).
  // `tiles`: "auto" infers as the run was trained (its stored tiling), "off" letterboxes whole
  // images even when the run tiles.
  static Result<std::unique_ptr<Detector>> load(const Project& project, const std::string& runName,
                                                const std::string& device = "cpu", const std::string& tiles = "auto");
  ~Detector();
  // Detections per image for a batch of image files, above `scoreThreshold`.
  Result<std::vector<std::vector<Prediction>>> detect(const std::vector<std::string>& files, double scoreThreshold);
  // Monte-Carlo dropout (see scoring.h) on a batch of files: per image, the detections of the
  // deterministic pass above options.scoreThreshold with their uncertainty components, and the
  // image's pooled features. Image ids are left 0 for the caller. kNotFound for a missing file.
  Result<std::vector<ImageUncertainty>> monteCarlo(const std::vector<std::string>& files, const McOptions& options);
  const Preset& preset() const;
  const Tiling& tiling() const;            // the one in use (off when load() was told "off")
  RunId run() const;
  // The per-class thresholds the run fitted on VAL after training; empty for older runs.
  const std::optional<RunOperatingPoint>& operatingPoint() const;

 private:
  struct Impl;
  explicit Detector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct AutoLabelOptions {
  std::string runName;
  ImageQuery images;                       // default (empty): images without manual or corrected boxes
  bool useDefaultQuery = true;             // false: exactly `images`
  double scoreThreshold = -1;              // < 0: the run's fitted per-class thresholds (0.25 without them)
  int batchSize = 16;
  std::string tiles = "auto";              // auto: as the run was trained; off: whole images letterboxed
};

struct AutoLabelReport {
  std::string thresholds;                  // what was kept, e.g. "the run's fitted thresholds (...)"
  std::string tiling;                      // Tiling::describe() of the one used
  std::size_t images = 0;
  std::size_t boxes = 0;
  std::size_t imagesWithoutDetections = 0;
  std::size_t missingImages = 0;           // files not found; skipped with a warning
  double imagesPerSecond = 0;
};

// Writes `auto` boxes of the run to the chosen images, replacing that run's earlier auto boxes on
// them and never touching manual or corrected boxes. Commits per batch.
Status autoLabel(Project& project, const AutoLabelOptions& options, AutoLabelReport* report,
                 const ProgressFn& progress = {});

struct EvaluateRunOptions {
  std::string runName;
  std::string valTag = "VAL1";
  EvalOptions eval;
  int batchSize = 16;
  // Evaluate at the run's fitted per-class thresholds when it has them (eval.scoreThreshold
  // otherwise). On the images they were fitted on, every threshold-dependent figure is held out:
  // each half of them at the thresholds fitted on the other half (quarry/operating_point.h).
  bool atOperatingPoint = true;
  std::string tiles = "auto";              // auto: as the run was trained; off: whole images letterboxed
};

// What evaluateRun() did besides its result.
struct EvaluateRunReport {
  bool atOperatingPoint = false;           // the result is at the run's fitted thresholds
  bool heldOut = false;                    // ... measured on halves, each at the other's fit
  RunOperatingPoint operatingPoint;        // the run's, when atOperatingPoint
  EvalResult atDefault;                    // the same images at eval.scoreThreshold
  Tiling tiling;                           // how the images were seen
  double imagesPerSecond = 0;              // inference, tiles included
  // The per-action seconds the boost used: the project's measured labelling times where enough
  // were recorded, the cited constants elsewhere (quarry/metrics/measured_effort.h).
  std::string effort;
  bool measuredEffort = false;             // at least one action measured
  double citedBoost = 0;                   // measuredEffort: the result's boost at the cited constants
};

// Runs the model on the VAL images and evaluates it against their boxes (manual and corrected
// ones are the truth). Stores the evaluation at eval.scoreThreshold in the run's metrics under
// "val", and the one at the operating point under "val_operating_point".
Result<EvalResult> evaluateRun(Project& project, const EvaluateRunOptions& options, const ProgressFn& progress = {},
                               EvaluateRunReport* report = nullptr);

}  // namespace quarry::detect
