// MainWindow: the mistakes queue (where a run and the human labels disagree) and its marks.
#include <QAction>
#include <QStatusBar>

#include "gui/canvas.h"
#include "gui/class_panel.h"
#include "gui/filter_bar.h"
#include "gui/image_list_model.h"
#include "gui/main_window.h"
#include "gui/qt_convert.h"
#include "quarry/al/box_uncertainty.h"
#include "quarry/al/mistakes.h"
#include "quarry/report/run_figures.h"

namespace quarry::gui {
namespace {

// The run's fitted thresholds (0.25 without them), as the queue and the marks use them.
MistakeOptions optionsFor(const Project& project, RunId run, const std::vector<ClassInfo>& classes) {
  MistakeOptions o;
  auto runs = project.runs();
  if (!runs.ok()) return o;
  for (const ModelRun& r : *runs)
    if (r.id == run)
      if (auto op = runOperatingPoint(r.metricsJson)) {
        o.thresholds = op->byId(classes);
        o.defaultThreshold = op->global;
      }
  return o;
}

QString describeItem(const Disagreement& d, const std::vector<ClassInfo>& classes) {
  auto name = [&](ClassId id) {
    for (const auto& c : classes)
      if (c.id == id) return qs(c.name);
    return QString("?");
  };
  switch (d.kind) {
    case DisagreementKind::kUnlabeledDetection:
      return QObject::tr("no label? %1 %2").arg(name(d.cls)).arg(d.confidence, 0, 'f', 2);
    case DisagreementKind::kMissedLabel: return QObject::tr("missed: %1").arg(name(d.cls));
    case DisagreementKind::kClassConfusion:
      return QObject::tr("%1 %2? labelled %3").arg(name(d.cls)).arg(d.confidence, 0, 'f', 2).arg(name(d.labelCls));
  }
  return {};
}

QColor colorOf(DisagreementKind kind) {
  switch (kind) {
    case DisagreementKind::kUnlabeledDetection: return QColor(255, 0, 200);
    case DisagreementKind::kMissedLabel: return QColor(255, 140, 0);
    case DisagreementKind::kClassConfusion: return QColor(0, 200, 255);
  }
  return Qt::white;
}

}  // namespace

void MainWindow::setShowDisagreements(bool on) {
  showDisagreements_ = on;
  if (disagreementsAction_ && disagreementsAction_->isChecked() != on) disagreementsAction_->setChecked(on);
  reloadDisagreements();
}

void MainWindow::reloadDisagreements() {
  std::vector<DisagreementMark> marks;
  const auto run = model_ ? model_->request().difficultyRun : std::nullopt;
  if (showDisagreements_ && project_ && run && current_) {
    auto score = project_->score(*run, current_);
    auto boxes = project_->boxes(current_);
    if (score.ok() && *score && boxes.ok()) {
      std::vector<Box> labels;
      for (const Box& b : *boxes)
        if (b.source != BoxSource::kAuto) labels.push_back(b);
      std::vector<DetectionUncertainty> detections;
      if (auto scored = boxUncertainties(**score); scored.ok())
        for (const BoxUncertainty& b : *scored) detections.push_back(b.detection);
      const auto& classes = classPanel_->classes();
      const ImageDisagreement d = compareWithLabels(current_, labels, detections, optionsFor(*project_, *run, classes));
      for (const Disagreement& item : d.items)
        marks.push_back({QRectF(item.x, item.y, item.w, item.h), describeItem(item, classes), colorOf(item.kind)});
    }
  }
  canvas_->setDisagreements(marks);
}

bool MainWindow::nextMistake() { return stepMistake(+1); }
bool MainWindow::previousMistake() { return stepMistake(-1); }

bool MainWindow::stepMistake(int direction) {
  const auto run = model_ ? model_->request().difficultyRun : std::nullopt;
  if (!project_ || !run) {
    statusBar()->showMessage(tr("Mistakes: choose a scored model run in the filter first."), 6000);
    return false;
  }
  MistakeOptions o = optionsFor(*project_, *run, classPanel_->classes());
  o.images = filterBar_->query();  // the list's images
  auto queue = mistakesQueue(*project_, *run, o);
  if (!queue.ok()) {
    fail(describe(queue.status()));
    return false;
  }
  if (queue->empty()) {
    statusBar()->showMessage(tr("Mistakes: the run and the labels agree on every scored image of the list."), 6000);
    return false;
  }
  const int n = static_cast<int>(queue->size());
  int at = -1;
  for (int i = 0; i < n; ++i)
    if ((*queue)[static_cast<std::size_t>(i)].image == current_) at = i;
  // From an image not in the queue, M starts at its top and Shift+M at its end.
  const int next = at < 0 ? (direction > 0 ? 0 : n - 1) : (at + direction + n) % n;
  const ImageDisagreement& d = (*queue)[static_cast<std::size_t>(next)];
  setShowDisagreements(true);
  selectImage(d.image);
  int unlabeled = 0, missed = 0, confused = 0;
  for (const auto& item : d.items)
    (item.kind == DisagreementKind::kUnlabeledDetection ? unlabeled
     : item.kind == DisagreementKind::kMissedLabel     ? missed
                                                       : confused)++;
  statusBar()->showMessage(tr("Mistake %1 of %2: %3 detection(s) without a label, %4 label(s) missed, %5 class "
                              "confusion(s)")
                               .arg(next + 1)
                               .arg(n)
                               .arg(unlabeled)
                               .arg(missed)
                               .arg(confused),
                           10000);
  return true;
}

}  // namespace quarry::gui
