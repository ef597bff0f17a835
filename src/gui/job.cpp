// Names and one-line descriptions of model jobs, for the panel and its log.
#include "gui/job.h"

#include <QObject>
#include <QStringList>
#include <type_traits>

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
    case JobKind::kImport: return QObject::tr("Import");
  }
  return {};
}

QString JobRequest::runName() const {
  return std::visit(
      [](const auto& o) -> QString {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, ExportJob> || std::is_same_v<T, ImportJob>) return {};
        else return qs(o.runName);
      },
      options);
}

QString JobRequest::describe() const {
  QString head = toString(kind()) + ' ' + runName();
  if (kind() == JobKind::kExport) head = toString(kind()) + ' ' + qs(toString(as<ExportJob>().format));
  if (kind() == JobKind::kImport) head = toString(kind()) + ' ' + qs(toString(as<ImportJob>().format));
  switch (kind()) {
    case JobKind::kTrain: {
      const auto& train = as<detect::TrainOptions>();
      QString limits = QObject::tr("%1 epochs, at least %2 steps").arg(train.epochs).arg(train.minSteps);
      if (train.maxSteps > 0) limits += QObject::tr(", %1 steps").arg(train.maxSteps);
      if (train.maxMinutes > 0) limits += QObject::tr(", %1 min").arg(train.maxMinutes);
      return head + QObject::tr(" (preset %1, tags %2, VAL %3, %4)")
                        .arg(qs(train.preset), tagsText(train.trainTags), qs(train.valTag), limits);
    }
    case JobKind::kAutoLabel: {
      const auto& autoLabel = as<detect::AutoLabelOptions>();
      return head + QObject::tr(" (score >= %1, %2)")
                        .arg(autoLabel.scoreThreshold < 0 ? QObject::tr("the run's fitted thresholds")
                                                          : QString::number(autoLabel.scoreThreshold))
                        .arg(autoLabel.useDefaultQuery ? QObject::tr("images without human boxes")
                                                       : QObject::tr("the chosen images"));
    }
    case JobKind::kScore: {
      const auto& score = as<detect::ScoreOptions>();
      return head + QObject::tr(" (T = %1, VAL %2, %3)")
                        .arg(score.mc.passes)
                        .arg(qs(score.valTag), score.mc.batched ? QObject::tr("batched") : QObject::tr("naive"));
    }
    case JobKind::kSelect: {
      const auto& select = as<SelectRequest>();
      return head + QObject::tr(" (%1, budget %2, tag %3)")
                        .arg(qs(toString(select.options.strategy)))
                        .arg(select.options.budget)
                        .arg(qs(select.tag));
    }
    case JobKind::kEvaluate: return head + QObject::tr(" (on %1)").arg(qs(as<detect::EvaluateRunOptions>().valTag));
    case JobKind::kExport: {
      const auto& e = as<ExportJob>();
      return head + QObject::tr(" to %1 (train %2, val %3%4)")
                        .arg(e.dir, tagsText(e.options.trainTags, QObject::tr("-")), tagsText(e.options.valTags, QObject::tr("-")),
                             e.options.onlyReviewed ? QObject::tr(", reviewed only") : QString());
    }
    case JobKind::kImport: {
      const auto& i = as<ImportJob>();
      const QString what = i.files.isEmpty() ? i.source : QObject::tr("%n file(s)", nullptr, static_cast<int>(i.files.size()));
      QString options = QObject::tr("tags %1").arg(tagsText(i.options.tags, QObject::tr("-")));
      if (i.options.folderTags) options += QObject::tr(", sub-folder tags");
      if (i.options.strict) options += QObject::tr(", strict");
      return head + QObject::tr(" from %1 (%2)").arg(what, options);
    }
  }
  return head;
}

}  // namespace quarry::gui
