// A long job the GUI runs off its thread (train, auto-label, score, select, evaluate, export, import): the
// library's own option struct for it, and what the job reports back. Plain values, copied
// between threads through queued signals. The GUI holds no job logic: JobWorker calls the same
// library functions as the CLI.
//
// The detector's option structs come from its torch-free headers, so requests (and the export
// job) exist in a window built without LibTorch; only running a model job needs the detector.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <variant>

#include "quarry/al/select.h"
#include "quarry/detect/detector.h"
#include "quarry/detect/scoring.h"
#include "quarry/formats/formats.h"

namespace quarry::gui {

enum class JobKind { kTrain, kAutoLabel, kScore, kSelect, kEvaluate, kExport, kImport };
QString toString(JobKind kind);  // "Train", "Auto-label", "Score", "Select", "Evaluate", "Export", "Import"

// Writing a data set from the project (the export dialog's job).
struct ExportJob {
  Format format = Format::kCoco;
  QString dir;
  ExportOptions options;
};

// Adding images (and their labels) to the project (the import dialog's job): the data set at
// `source` in `format`, or, when `files` is not empty, these image files (dropped on the window).
struct ImportJob {
  Format format = Format::kFolder;
  QString source;
  QStringList files;
  ImportOptions options;
};

// One alternative per JobKind, in the enum's order.
using JobOptions = std::variant<detect::TrainOptions, detect::AutoLabelOptions, detect::ScoreOptions, SelectRequest,
                                detect::EvaluateRunOptions, ExportJob, ImportJob>;

struct JobRequest {
  QString projectDir;  // the worker opens its own connection here
  JobOptions options;

  JobKind kind() const { return static_cast<JobKind>(options.index()); }
  // The options of the alternative held; reading another is a bug (std::bad_variant_access).
  template <typename T>
  T& as() { return std::get<T>(options); }
  template <typename T>
  const T& as() const { return std::get<T>(options); }

  // Whether the job makes or reads a model run (every kind but export and import).
  bool usesRun() const { return kind() != JobKind::kExport && kind() != JobKind::kImport; }
  // The model run the job makes (train) or reads; empty for an export or import, which have none.
  QString runName() const;
  // One line for the job log: the kind and the parameters that matter, e.g.
  // "Train CAL1 (preset tiny, tags every GT*, VAL VAL1, 40 epochs)".
  QString describe() const;
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
  // The whole report where there is more than the summary: an import's counts and every file it
  // skipped with the reason, also when it failed or was cancelled part way (what it committed).
  QString details;
  QString runName;  // empty for an export or import
  double seconds = 0;
};

}  // namespace quarry::gui

Q_DECLARE_METATYPE(quarry::gui::JobRequest)
Q_DECLARE_METATYPE(quarry::gui::JobProgress)
Q_DECLARE_METATYPE(quarry::gui::JobOutcome)
