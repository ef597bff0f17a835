// Scoring a run that has no model to run: an external run (imported predictions,
// al/external_predictions.h) has only its boxes and their scores. This backend hands scoreImages
// those boxes as a scan of one pass: least confidence, margin and entropy of each box's score (as
// a class-or-background distribution), its near misses from the boxes just under the threshold,
// and zero for what only Monte-Carlo passes can tell (BALD, variances, instability, flips). The
// thresholds are then fitted on VAL as for a Quarry run, so the bars, the review queue and
// accepting easy images work with another model's predictions.
//
//   detect::ScoreOptions o;  o.runName = "YOLO8";
//   detect::scoreImages(project, o, storedScoresBackend(), &report);   // quarry score --from-scores
//
// Threads: the caller's Project.
#pragma once

#include "quarry/detect/backend.h"

namespace quarry::detect {

// The backend; its other calls (train, autoLabel, evaluateRun) say that an external run has no
// model. One instance serves every caller.
DetectorBackend& storedScoresBackend();

}  // namespace quarry::detect
