// A long job the GUI runs off its thread (train, auto-label, score, select, evaluate, export): the
// kind, the library's own option struct for it, and what the job reports back. Plain values,
// copied between threads through queued signals. The GUI holds no job logic: JobWorker calls the
// same quarry_detect / quarry_core functions as the CLI.
#pragma once

#include <QMetaType>
#include <QString>

#include "quarry/detect/detector.h"
#include "quarry/detect/scoring.h"
#include "quarry/formats.h"
#include "quarry/select.h"

namespace quarry::gui {

enum class JobKind { kTrain, kAutoLabel, kScore, kSelect, kEvaluate, kExport };
QString toString(JobKind kind);  // "Train", "Auto-label", "Score", "Select", "Evaluate", "Export"

struct JobRequest {
  JobKind kind = JobKind::kTrain;
  QString projectDir;  // the worker opens its own connection here
  // Only the struct of `kind` is read.
  detect::TrainOptions train;
  detect::AutoLabelOptions autoLabel;
  detect::ScoreOptions score;
  SelectRequest select;
  detect::EvaluateRunOptions evaluate;
  Format exportFormat = Format::kCoco;
  QString exportDir;
  ExportOptions exportOptions;

  // One line for the job log: the kind and the parameters that matter, e.g.
  // "Train CAL1 (preset tiny, tags every GT*, VAL VAL1, 40 epochs)".
  QString describe() const;
  // The model run the job makes or uses.
  QString runName() const;
};

struct JobProgress {
  quint64 job = 0;
  qint64 done = 0, total = 0;  // total 0: unknown
  QString stage;
  double etaSeconds = -1;      // -1: not known yet
};

struct JobOutcome {
  quint64 job = 0;
  JobKind kind = JobKind::kTrain;
  bool ok = false;
  bool cancelled = false;
  QString summary;  // what it did (ok), or the error a user can act on
  QString runName;
  double seconds = 0;
};

}  // namespace quarry::gui

Q_DECLARE_METATYPE(quarry::gui::JobRequest)
Q_DECLARE_METATYPE(quarry::gui::JobProgress)
Q_DECLARE_METATYPE(quarry::gui::JobOutcome)
