// The active-learning experiment: does choosing the next ground truth by uncertainty beat
// choosing it at random? Runs the published workflow on a project whose images already carry
// their true boxes, revealing them (as an oracle) only to the images each arm selects.
//
//   ExperimentOptions o;  o.seeds = {1, 2, 3, 4, 5};  o.valTag = "val";  o.gtCount = 180;  o.budget = 250;
//   auto r = runExperiment(project, o, progress);   // writes reports/<name>/report.md, charts, results.json
//
// Per seed: a random VAL (or the images of valTag) and a random GT1; CAL1 trained on GT1. Then
// per arm (each strategy, and "control": random picks) and round: score with the arm's last
// model, select `budget` images, reveal their truth, train on every GT set, evaluate on TEST.
// Model selection never sees the reported figure: VAL is split, per seed, into a selection part
// (tag VAL in the sandboxes: the best epoch, the fitted thresholds, the difficulty fit) and a test
// part (tag TEST: every reported mAP, boost, precision and recall), or TEST is testTag's images.
// Arms of one seed share VAL, GT1 and CAL1 (paired). Each arm works in its own sandbox project
// under reports/<name>/work/, whose images point at the source files; the source project is only
// read (and gets the report). Threads: the caller's; it trains many models, so it takes long.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "quarry/detect/backend.h"
#include "quarry/detect/detector.h"
#include "quarry/detect/scoring.h"
#include "quarry/al/select.h"

namespace quarry::detect {

struct ExperimentOptions {
  std::string name = "experiment";      // the report goes to reports/<name>/
  std::vector<std::uint64_t> seeds{1, 2};
  std::string valTag;                   // set: this tag's images are VAL in every seed; empty: random valCount
  std::size_t valCount = 178;
  std::string testTag;                  // set: this tag's images are TEST and all of VAL selects
  double testShare = 0.5;               // without testTag: this share of VAL (drawn per seed) is TEST
  std::size_t gtCount = 177;            // GT1
  std::size_t budget = 251;             // images added per round
  int rounds = 1;
  std::vector<Strategy> strategies{SelectOptions{}.strategy};  // the random control arm is always added
  TrainOptions train;                   // preset, epochs, minutes...; run names and tags are set here
  McOptions mc;
  CombineOptions combine;
  std::string combination = "auto";   // ScoreOptions::combination of every scoring
  bool keepWork = false;                // keep the sandbox projects and their checkpoints
};

// One trained model of the experiment, measured on its seed's VAL.
struct ExperimentModel {
  std::uint64_t seed = 0;
  std::string arm;                      // "CAL1" for round 0, else the strategy's name or "control"
  int round = 0;
  std::size_t labelled = 0;             // ground-truth images it was trained on
  EvalResult eval;                      // on TEST, at the thresholds fitted on the selection part
  long steps = 0;                       // optimiser steps it trained
  double trainSeconds = 0;
  std::array<std::size_t, 3> chosenPerDifficulty{};   // of the images this round added (uncertainty arms)
  std::optional<Calibration> calibration;              // of the scoring that chose them
  std::string combination;                             // that scoring's: "learned" or "fixed"
};

struct ExperimentResult {
  std::vector<std::string> classNames;  // the frozen class order of every EvalResult
  std::vector<ExperimentModel> models;
  std::filesystem::path report;         // reports/<name>/report.md
  double seconds = 0;
};

// kInvalidArgument when the source has too few labelled images for VAL + GT1 + the rounds, or
// when valTag names no images; kCancelled when `progress` says stop (sandboxes are removed).
// Progress counts trained models (done, total), the stage saying which.
// The detector comes in as an interface (quarry/detect/backend.h): the experiment itself is
// torch-free, and its tests can drive it with a stand-in.
Result<ExperimentResult> runExperiment(Project& source, const ExperimentOptions& options, DetectorBackend& detector,
                                       const ProgressFn& progress = {});

// Writes report.md, results.json and the SVG charts for a result into `dir`.
Status writeExperimentReport(const ExperimentResult& result, const ExperimentOptions& options,
                             const std::filesystem::path& dir);

}  // namespace quarry::detect
