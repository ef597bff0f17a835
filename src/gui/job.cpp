// Names and one-line descriptions of model jobs, for the panel and its log.
#include "gui/job.h"

#include <QObject>
#include <QStringList>

#include "gui/qt_convert.h"

namespace quarry::gui {
namespace {

QString tagsText(const std::vector<std::string>& tags, const QString& none = QObject::tr("every GT*")) {
  if (tags.empty()) return none;
  QStringList out;
  for (const auto& t : tags) out << qs(t);
  return out.join(',');
}

}  // namespace

QString toString(JobKind kind) {
  switch (kind) {
    case JobKind::kTrain: return QObject::tr("Train");
    case JobKind::kAutoLabel: return QObject::tr("Auto-label");
    case JobKind::kScore: return QObject::tr("Score");
    case JobKind::kSelect: return QObject::tr("Select");
    case JobKind::kEvaluate: return QObject::tr("Evaluate");
    case JobKind::kExport: return QObject::tr("Export");
  }
  return {};
}

QString JobRequest::runName() const {
  switch (kind) {
    case JobKind::kTrain: return qs(train.runName);
    case JobKind::kAutoLabel: return qs(autoLabel.runName);
    case JobKind::kScore: return qs(score.runName);
    case JobKind::kSelect: return qs(select.runName);
    case JobKind::kEvaluate: return qs(evaluate.runName);
    case JobKind::kExport: return qs(toString(exportFormat));
  }
  return {};
}

QString JobRequest::describe() const {
  const QString head = toString(kind) + ' ' + runName();
  switch (kind) {
    case JobKind::kTrain: {
      QString limits = QObject::tr("%1 epochs, at least %2 steps").arg(train.epochs).arg(train.minSteps);
      if (train.maxSteps > 0) limits += QObject::tr(", %1 steps").arg(train.maxSteps);
      if (train.maxMinutes > 0) limits += QObject::tr(", %1 min").arg(train.maxMinutes);
      return head + QObject::tr(" (preset %1, tags %2, VAL %3, %4)")
                        .arg(qs(train.preset), tagsText(train.trainTags), qs(train.valTag), limits);
    }
    case JobKind::kAutoLabel:
      return head + QObject::tr(" (score >= %1, %2)")
                        .arg(autoLabel.scoreThreshold < 0 ? QObject::tr("the run's fitted thresholds")
                                                          : QString::number(autoLabel.scoreThreshold))
                        .arg(autoLabel.useDefaultQuery ? QObject::tr("images without human boxes")
                                                       : QObject::tr("the chosen images"));
    case JobKind::kScore:
      return head + QObject::tr(" (T = %1, VAL %2, %3)")
                        .arg(score.mc.passes)
                        .arg(qs(score.valTag), score.mc.batched ? QObject::tr("batched") : QObject::tr("naive"));
    case JobKind::kSelect:
      return head + QObject::tr(" (%1, budget %2, tag %3)")
                        .arg(qs(toString(select.options.strategy)))
                        .arg(select.options.budget)
                        .arg(qs(select.tag));
    case JobKind::kEvaluate: return head + QObject::tr(" (on %1)").arg(qs(evaluate.valTag));
    case JobKind::kExport:
      return head + QObject::tr(" to %1 (train %2, val %3%4)")
                        .arg(exportDir, tagsText(exportOptions.trainTags, QObject::tr("-")), tagsText(exportOptions.valTags, QObject::tr("-")),
                             exportOptions.onlyReviewed ? QObject::tr(", reviewed only") : QString());
  }
  return head;
}

}  // namespace quarry::gui
