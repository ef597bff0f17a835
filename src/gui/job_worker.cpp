// The worker side of model jobs: open the project, call the library, report, catch everything.
#include "gui/job_worker.h"

#include <QElapsedTimer>
#include <cmath>
#include <exception>

#include "gui/qt_convert.h"
#include "quarry/core/figure.h"
#include "quarry/detect/backend.h"
#include "quarry/workflow/scoring.h"

namespace quarry::gui {
namespace {

// What a finished job says in the log, from the library's report.
QString summaryOf(const detect::TrainResult& r) {
  QString s = QObject::tr("preset %1, best epoch %2, VAL mAP@0.5 %3, %4 images/s")
                  .arg(qs(r.presetChoice.preset))
                  .arg(r.bestEpoch)
                  .arg(std::isnan(r.bestMap50) ? QStringLiteral("-") : QString::number(r.bestMap50, 'f', 3))
                  .arg(r.imagesPerSecond, 0, 'f', 1);
  if (!r.presetChoice.why.empty()) s += QObject::tr(" (auto: %1)").arg(qs(r.presetChoice.why));
  s += QObject::tr("; %1").arg(qs(r.tilingWhy));
  if (r.operatingPoint && std::isfinite(r.operatingPoint->heldOutBoost))
    s += QObject::tr("; boost %1x at the thresholds fitted on %2 (held out)")
             .arg(r.operatingPoint->heldOutBoost, 0, 'f', 2)
             .arg(qs(r.operatingPoint->valTag));
  return s;
}

QString summaryOf(const detect::AutoLabelReport& r) {
  return QObject::tr("%1 images, %2 auto boxes, %3 without detections, %4 missing")
      .arg(r.images)
      .arg(r.boxes)
      .arg(r.imagesWithoutDetections)
      .arg(r.missingImages);
}

QString summaryOf(const detect::ScoreReport& r) {
  QString s = QObject::tr("%1 pool images: %2 easy, %3 medium, %4 hard (%5 without detections); %6 VAL images")
                  .arg(r.poolImages)
                  .arg(r.perDifficulty[0])
                  .arg(r.perDifficulty[1])
                  .arg(r.perDifficulty[2])
                  .arg(r.withoutDetections)
                  .arg(r.valImages);
  if (r.calibration)
    s += QObject::tr("; Spearman %1, AUROC %2")
             .arg(qs(figureText(r.calibration->spearman, 2, r.calibration->spearmanWhy)),
                  qs(figureText(r.calibration->auroc, 2, r.calibration->aurocWhy)));
  return s;
}

QString summaryOf(const SelectReport& r, const SelectRequest& request) {
  return QObject::tr("tagged %1 of %2 pool images %3: %4 easy, %5 medium, %6 hard")
      .arg(r.chosen.size())
      .arg(r.poolSize)
      .arg(qs(request.tag))
      .arg(r.perDifficulty[0])
      .arg(r.perDifficulty[1])
      .arg(r.perDifficulty[2]);
}

QString summaryOf(const ExportReport& r, const QString& dir) {
  QString s = QObject::tr("wrote %1 images and %2 boxes to %3").arg(r.images).arg(r.boxes).arg(dir);
  if (!r.missingImages.empty()) s += QObject::tr(" (%1 image files missing: labels written)").arg(r.missingImages.size());
  return s;
}

QString summaryOf(const EvalResult& r) {
  return QObject::tr("mAP@0.5 %1, mAP@[.5:.95] %2, efficiency boost %3x")
      .arg(r.map50, 0, 'f', 3)
      .arg(r.map50to95, 0, 'f', 3)
      .arg(r.efficiencyBoost, 0, 'f', 2);
}

// The detector plugin (and LibTorch) for a model job, loaded on the first one.
Result<detect::DetectorBackend*> detectorFor(const JobRequest& request) {
  auto loaded = detect::loadDetector();
  if (!loaded.ok())
    return Status::Error(loaded.status().code(), toString(request.kind()).toStdString() + ": " + loaded.status().message());
  return loaded;
}

// Runs the job of `request` on `project`; what it did goes to `summary` (and `details`).
Status runJob(Project& project, const JobRequest& request, const ProgressFn& report, QString* summary,
              QString* details) {
  switch (request.kind()) {
    case JobKind::kImport: {
      const auto& i = request.as<ImportJob>();
      ImportReport r;
      Status st;
      if (i.files.isEmpty()) {
        st = importDataset(project, i.format, ss(i.source), i.options, &r, report);
      } else {
        std::vector<std::filesystem::path> files;
        for (const QString& f : i.files) files.emplace_back(ss(f));
        st = importImageFiles(project, files, i.options, &r, report);
      }
      *summary = qs(summaryLine(r));
      *details = qs(reportText(r));
      return st;
    }
    case JobKind::kSelect: {
      const auto& select = request.as<SelectRequest>();
      auto r = selectNextGroundTruth(project, select);
      if (r.ok()) *summary = summaryOf(*r, select);
      return r.status();
    }
    case JobKind::kExport: {
      const auto& e = request.as<ExportJob>();
      ExportReport r;
      Status st = exportDataset(project, e.format, ss(e.dir), e.options, &r, report);
      if (st.ok()) *summary = summaryOf(r, e.dir);
      return st;
    }
    case JobKind::kTrain: {
      auto detector = detectorFor(request);
      if (!detector.ok()) return detector.status();
      auto r = (*detector)->train(project, request.as<detect::TrainOptions>(), [&](const detect::TrainProgress& p) {
        return report(static_cast<std::size_t>(p.step), static_cast<std::size_t>(p.steps), p.stage);
      });
      if (r.ok()) *summary = summaryOf(*r);
      return r.status();
    }
    case JobKind::kAutoLabel: {
      auto detector = detectorFor(request);
      if (!detector.ok()) return detector.status();
      detect::AutoLabelReport r;
      Status st = (*detector)->autoLabel(project, request.as<detect::AutoLabelOptions>(), &r, report);
      if (st.ok()) *summary = summaryOf(r);
      return st;
    }
    case JobKind::kScore: {
      auto detector = detectorFor(request);
      if (!detector.ok()) return detector.status();
      detect::ScoreReport r;
      Status st = detect::scoreImages(project, request.as<detect::ScoreOptions>(), **detector, &r, report);
      if (st.ok()) *summary = summaryOf(r);
      return st;
    }
    case JobKind::kEvaluate: {
      auto detector = detectorFor(request);
      if (!detector.ok()) return detector.status();
      auto r = (*detector)->evaluateRun(project, request.as<detect::EvaluateRunOptions>(), report);
      if (r.ok()) *summary = summaryOf(*r);
      return r.status();
    }
  }
  return Status::Error(StatusCode::kInternal, "unknown job kind");
}

}  // namespace

void JobWorker::cancel(quint64 job) {
  quint64 seen = cancelledUpTo_.load();
  while (seen < job && !cancelledUpTo_.compare_exchange_weak(seen, job)) {
  }
}

void JobWorker::run(quint64 job, const JobRequest& request) {
  QElapsedTimer clock;
  clock.start();
  JobOutcome outcome;
  outcome.job = job;
  outcome.kind = request.kind();
  outcome.runName = request.runName();
  qint64 lastEmit = -kProgressIntervalMs;
  // One callback for every library job: throttled signals, an ETA, and the cancel check.
  auto report = [&](std::size_t done, std::size_t total, std::string_view stage) {
    if (job <= cancelledUpTo_.load()) return false;
    const qint64 now = clock.elapsed();
    if (now - lastEmit >= kProgressIntervalMs || (total > 0 && done >= total)) {
      lastEmit = now;
      JobProgress p{job, static_cast<qint64>(done), static_cast<qint64>(total), qs(std::string(stage)), -1};
      if (total > 0 && done > 0) p.etaSeconds = now / 1000.0 * static_cast<double>(total - done) / static_cast<double>(done);
      emit progress(p);
    }
    return true;
  };
  Status status;
  try {
    auto opened = Project::open(ss(request.projectDir));
    if (!opened.ok()) {
      status = opened.status();
    } else {
      Project& project = **opened;
      status = runJob(project, request, report, &outcome.summary, &outcome.details);
    }
  } catch (const std::exception& e) {
    status = Status::Error(StatusCode::kInternal, std::string("unexpected error: ") + e.what());
  } catch (...) {
    status = Status::Error(StatusCode::kInternal, "unexpected error");
  }
  outcome.ok = status.ok();
  outcome.cancelled = status.code() == StatusCode::kCancelled;
  if (!status.ok()) outcome.summary = outcome.cancelled ? QObject::tr("cancelled") : describe(status);
  outcome.seconds = clock.elapsed() / 1000.0;
  emit finished(outcome);
}

}  // namespace quarry::gui
