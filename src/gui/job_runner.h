// JobRunner: the GUI's side of model jobs. It owns a worker thread with one JobWorker, starts
// jobs on it, forwards their progress and outcome as signals on the GUI thread, and keeps the
// job log. One job runs at a time: starting another cancels the running one, whose late
// progress and outcome are then dropped (by job id), so the window only ever shows the newest.
//
// GUI thread only. The worker opens its own Project, so the GUI keeps editing while a job runs
// (SQLite in WAL mode with a busy timeout lets both write).
#pragma once

#include <QObject>
#include <QThread>
#include <QVector>

#include "gui/job.h"

namespace quarry::gui {

class JobWorker;

struct JobLogEntry {
  quint64 job = 0;
  JobKind kind = JobKind::kTrain;
  QString runName;
  QString description;  // JobRequest::describe()
  QString outcome;      // "running", then the summary or the error
  bool ok = false, finished = false;
  double seconds = 0;
};

class JobRunner : public QObject {
  Q_OBJECT

 public:
  explicit JobRunner(QObject* parent = nullptr);
  ~JobRunner() override;  // cancels a running job and waits for the thread

  // Starts `request` (cancelling a running job first); returns its id (> 0).
  quint64 start(const JobRequest& request);
  // Cancels the running job at once as far as the window is concerned: its outcome is
  // reported as cancelled now and anything it still sends is dropped. No-op when idle.
  void cancel();
  bool busy() const { return current_ != 0; }
  quint64 currentJob() const { return current_; }
  const QVector<JobLogEntry>& log() const { return log_; }

 signals:
  void started(quint64 job, const QString& description);
  void progress(const quarry::gui::JobProgress& progress);
  // Every job ends with exactly one of these (a cancelled one too).
  void finished(const quarry::gui::JobOutcome& outcome);
  void logChanged();
  // The worker has returned from `job` (also one whose outcome was dropped): what the job
  // wrote or cleaned up is in the store now.
  void settled(quint64 job);
  // The worker's own outcome of every job, sent just before settled(): for a cancelled job it
  // says what the job had done when it stopped (an import's report), where finished() only
  // said "cancelled".
  void reported(const quarry::gui::JobOutcome& outcome);

 private:
  void onProgress(const JobProgress& p);
  void onFinished(const JobOutcome& outcome);
  JobLogEntry* entry(quint64 job);
  void end(const JobOutcome& outcome);

  QThread thread_;
  JobWorker* worker_;
  quint64 next_ = 1, current_ = 0;
  QVector<JobLogEntry> log_;
};

}  // namespace quarry::gui
