// Starting, cancelling and logging model jobs; the worker thread's lifetime.
#include "gui/job_runner.h"

#include <QMetaObject>

#include "gui/job_worker.h"
#include "quarry/core/log.h"

namespace quarry::gui {

JobRunner::JobRunner(QObject* parent) : QObject(parent), worker_(new JobWorker) {
  qRegisterMetaType<JobRequest>();
  qRegisterMetaType<JobProgress>();
  qRegisterMetaType<JobOutcome>();
  thread_.setObjectName("quarry-jobs");
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &JobWorker::progress, this, &JobRunner::onProgress, Qt::QueuedConnection);
  connect(worker_, &JobWorker::finished, this, &JobRunner::onFinished, Qt::QueuedConnection);
  thread_.start();
}

JobRunner::~JobRunner() {
  if (current_) worker_->cancel(current_);
  thread_.quit();
  thread_.wait();
}

quint64 JobRunner::start(const JobRequest& request) {
  cancel();
  const quint64 job = next_++;
  current_ = job;
  JobLogEntry e;
  e.job = job;
  e.kind = request.kind();
  e.runName = request.runName();
  e.description = request.describe();
  e.outcome = tr("running");
  log_.push_back(e);
  coreLogger()->info("gui job {}: {}", job, e.description.toStdString());
  emit started(job, e.description);
  emit logChanged();
  // Queued: the worker runs it after whatever it is finishing (a cancelled job stops soon).
  QMetaObject::invokeMethod(worker_, "run", Qt::QueuedConnection, Q_ARG(quint64, job),
                            Q_ARG(quarry::gui::JobRequest, request));
  return job;
}

void JobRunner::cancel() {
  if (!current_) return;
  worker_->cancel(current_);
  JobOutcome outcome;
  outcome.job = current_;
  outcome.cancelled = true;
  outcome.summary = tr("cancelled");
  if (const auto* e = entry(current_)) {
    outcome.kind = e->kind;
    outcome.runName = e->runName;
  }
  end(outcome);
}

JobLogEntry* JobRunner::entry(quint64 job) {
  for (auto& e : log_)
    if (e.job == job) return &e;
  return nullptr;
}

void JobRunner::onProgress(const JobProgress& p) {
  if (p.job == current_) emit progress(p);
}

void JobRunner::onFinished(const JobOutcome& outcome) {
  if (outcome.job == current_) end(outcome);  // else superseded or cancelled: already ended
  emit reported(outcome);
  emit settled(outcome.job);
}

void JobRunner::end(const JobOutcome& outcome) {
  current_ = 0;
  if (auto* e = entry(outcome.job)) {
    e->finished = true;
    e->ok = outcome.ok;
    e->outcome = outcome.summary;
    e->seconds = outcome.seconds;
  }
  coreLogger()->info("gui job {}: {}", outcome.job, outcome.summary.toStdString());
  emit finished(outcome);
  emit logChanged();
}

}  // namespace quarry::gui
