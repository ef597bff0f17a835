// JobWorker: runs one model job at a time on the thread it lives on (a QThread of JobRunner's).
// Each job opens its own Project on the folder, so the GUI thread's connection is never shared,
// and loads its own detector. Every exception is caught and becomes a failed outcome; nothing
// escapes run().
//
// Threads: run() on the worker's thread (invoke it queued); cancel() from any thread.
#pragma once

#include <QObject>
#include <atomic>

#include "gui/job.h"

namespace quarry::gui {

class JobWorker : public QObject {
  Q_OBJECT

 public:
  // Progress signals are at most this often (training calls back every step).
  static constexpr int kProgressIntervalMs = 100;

  // Asks the job `job`, and every earlier one, to stop at its next safe point (the library's
  // progress callback); what they had committed stays, and a training run leaves nothing. Job ids
  // only grow, so one watermark covers a superseded job that is still running while a queued one
  // is cancelled in its turn.
  void cancel(quint64 job);

 public slots:
  void run(quint64 job, const quarry::gui::JobRequest& request);

 signals:
  void progress(const quarry::gui::JobProgress& progress);
  void finished(const quarry::gui::JobOutcome& outcome);

 private:
  std::atomic<quint64> cancelledUpTo_{0};  // jobs with an id at most this stop
};

}  // namespace quarry::gui
