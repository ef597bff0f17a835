// The Model panel: forms to requests, runner signals to the progress bar and the log.
#include "gui/model_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QRegularExpression>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "gui/qt_convert.h"
#include "quarry/store/query_text.h"

namespace quarry::gui {
namespace {

std::vector<std::string> splitTags(const QString& text) {
  std::vector<std::string> out;
  for (const QString& t : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) out.push_back(ss(t));
  return out;
}

QString etaText(double seconds) {
  if (seconds < 0) return {};
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 60 ? QObject::tr("ETA %1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0')) : QObject::tr("ETA %1s").arg(s);
}

}  // namespace

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent), runner_(new JobRunner(this)) {
  kind_ = new QComboBox;
  kind_->setObjectName("jobKind");
  forms_ = new QStackedWidget;
  for (JobKind k : {JobKind::kTrain, JobKind::kAutoLabel, JobKind::kScore, JobKind::kSelect, JobKind::kEvaluate})
    kind_->addItem(k == JobKind::kScore ? tr("Score uncertainty") : k == JobKind::kSelect ? tr("Select next GT") : toString(k),
                   static_cast<int>(k));
  forms_->addWidget(buildTrainForm());
  forms_->addWidget(buildAutoLabelForm());
  forms_->addWidget(buildScoreForm());
  forms_->addWidget(buildSelectForm());
  forms_->addWidget(buildEvaluateForm());
  connect(kind_, &QComboBox::currentIndexChanged, forms_, &QStackedWidget::setCurrentIndex);

  run_ = new QPushButton(tr("Run"));
  run_->setObjectName("runJob");
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setObjectName("cancelJob");
  cancel_->setEnabled(false);
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  bar_->setTextVisible(false);
  stage_ = new QLabel(tr("idle"));
  stage_->setObjectName("jobStage");
  log_ = new QListWidget;
  log_->setObjectName("jobLog");
  log_->setWordWrap(true);
  connect(run_, &QPushButton::clicked, this, &ModelPanel::runForm);
  connect(cancel_, &QPushButton::clicked, this, &ModelPanel::cancel);
  connect(runner_, &JobRunner::started, this, &ModelPanel::onStarted);
  connect(runner_, &JobRunner::progress, this, &ModelPanel::onProgress);
  connect(runner_, &JobRunner::finished, this, &ModelPanel::onFinished);
  connect(runner_, &JobRunner::logChanged, this, &ModelPanel::fillLog);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(kind_);
  layout->addWidget(forms_);
  layout->addLayout(buttons);
  layout->addWidget(bar_);
  layout->addWidget(stage_);
  layout->addWidget(new QLabel(tr("Job log")));
  layout->addWidget(log_, 1);
  trainRun_->setText(nextRunName());
}

QComboBox* ModelPanel::runCombo() {
  auto* c = new QComboBox;
  c->setToolTip(tr("The model run the job uses"));
  runs_.push_back(c);
  return c;
}

QWidget* ModelPanel::buildTrainForm() {
  auto* w = new QWidget;
  auto* f = new QFormLayout(w);
  const detect::TrainOptions defaults;
  trainRun_ = new QLineEdit;  // reload() fills in the first free CALn
  trainRun_->setObjectName("trainRun");
  trainTags_ = new QLineEdit;
  trainTags_->setPlaceholderText(tr("every GT* tag"));
  trainVal_ = new QLineEdit(qs(defaults.valTag));
  preset_ = new QComboBox;
  preset_->addItem("auto");
  for (const std::string& name : detect::builtInPresets()) preset_->addItem(qs(name));
  preset_->setCurrentText(qs(defaults.preset));
  preset_->setToolTip(tr("auto chooses the input size from the images' and boxes' sizes and says why in the job log"));
  tiles_ = new QComboBox;
  tiles_->setObjectName("trainTiles");
  tiles_->addItems({"auto", "on", "off"});
  tiles_->setCurrentText(QString::fromStdString(defaults.tiles));
  tiles_->setToolTip(tr("Large images by overlapping tiles, so small defects keep their pixels. auto tiles when "
                        "letterboxing would shrink the median box below 12 px, and says why in the job log; "
                        "auto-labels and scores then use the run's tiles"));
  epochs_ = new QSpinBox;
  epochs_->setRange(1, 10000);
  epochs_->setValue(defaults.epochs);
  minSteps_ = new QSpinBox;
  minSteps_->setObjectName("trainMinSteps");
  minSteps_->setRange(0, 1000000);
  minSteps_->setSingleStep(100);
  minSteps_->setSuffix(tr(" steps"));
  minSteps_->setValue(static_cast<int>(defaults.minSteps));
  minSteps_->setToolTip(tr("A small ground truth gets at least this many optimiser steps, and early stopping "
                           "waits for them: the plan is the larger of this and epochs x steps per epoch"));
  maxMinutes_ = new QDoubleSpinBox;
  maxMinutes_->setRange(0, 10000);
  maxMinutes_->setSpecialValueText(tr("no limit"));
  maxMinutes_->setSuffix(tr(" min"));
  f->addRow(tr("Run name"), trainRun_);
  f->addRow(tr("Training tags"), trainTags_);
  f->addRow(tr("Validation tag"), trainVal_);
  f->addRow(tr("Preset"), preset_);
  f->addRow(tr("Tiles"), tiles_);
  f->addRow(tr("Epochs"), epochs_);
  f->addRow(tr("At least"), minSteps_);
  f->addRow(tr("Time limit"), maxMinutes_);
  return w;
}

QWidget* ModelPanel::buildAutoLabelForm() {
  auto* w = new QWidget;
  auto* f = new QFormLayout(w);
  labelThreshold_ = new QDoubleSpinBox;
  labelThreshold_->setObjectName("autoLabelThreshold");
  // 0 stands for the run's own per-class thresholds, fitted on VAL after training.
  labelThreshold_->setRange(0, 1);
  labelThreshold_->setSingleStep(0.05);
  labelThreshold_->setSpecialValueText(tr("the run's fitted thresholds"));
  labelThreshold_->setValue(0);
  labelThreshold_->setToolTip(tr("The score a detection needs to become an auto box. The lowest value stands for the "
                                 "run's per-class thresholds, fitted on VAL to minimise review time (0.25 for a run "
                                 "without them); the Runs view lists them"));
  labelWhere_ = new QLineEdit;
  labelWhere_->setObjectName("autoLabelWhere");
  labelWhere_->setPlaceholderText(tr("images without manual or corrected boxes"));
  labelWhere_->setToolTip(tr("Which images, as a query: e.g. tag:POOL, or difficulty:hard run:CAL1"));
  f->addRow(tr("Run"), runCombo());
  f->addRow(tr("Score threshold"), labelThreshold_);
  f->addRow(tr("Images"), labelWhere_);
  return w;
}

QWidget* ModelPanel::buildScoreForm() {
  auto* w = new QWidget;
  auto* f = new QFormLayout(w);
  const detect::ScoreOptions defaults;
  passes_ = new QSpinBox;
  passes_->setRange(1, 1000);
  passes_->setValue(defaults.mc.passes);
  scoreVal_ = new QLineEdit(qs(defaults.valTag));
  scoreVal_->setObjectName("scoreValTag");
  combine_ = new QComboBox;
  combine_->addItem(tr("weighted sum of z-scores (hybrid)"), static_cast<int>(CombineOptions::Mode::kWeightedSum));
  combine_->addItem(tr("largest z-score"), static_cast<int>(CombineOptions::Mode::kMax));
  combine_->setToolTip(tr("How an image's uncertainty components become one score"));
  f->addRow(tr("Run"), runCombo());
  f->addRow(tr("Dropout passes (T)"), passes_);
  f->addRow(tr("Components"), combine_);
  f->addRow(tr("Validation tag"), scoreVal_);
  return w;
}

QWidget* ModelPanel::buildSelectForm() {
  auto* w = new QWidget;
  auto* f = new QFormLayout(w);
  strategy_ = new QComboBox;
  for (Strategy s : allStrategies()) strategy_->addItem(qs(toString(s)), static_cast<int>(s));
  strategy_->setCurrentText(qs(toString(SelectOptions{}.strategy)));
  const SelectRequest defaults;
  budget_ = new QSpinBox;
  budget_->setRange(1, 1000000);
  budget_->setValue(static_cast<int>(kDefaultSelectBudget));
  selectTag_ = new QLineEdit(qs(defaults.tag));
  // The pool leaves out the VAL images: the run's own VAL tag, not the Score form's.
  selectVal_ = new QLineEdit(qs(defaults.valTag));
  selectVal_->setObjectName("selectValTag");
  selectVal_->setToolTip(tr("Images with this tag are never chosen"));
  f->addRow(tr("Scored run"), runCombo());
  f->addRow(tr("Strategy"), strategy_);
  f->addRow(tr("Budget"), budget_);
  f->addRow(tr("Tag"), selectTag_);
  f->addRow(tr("Validation tag"), selectVal_);
  return w;
}

QWidget* ModelPanel::buildEvaluateForm() {
  auto* w = new QWidget;
  auto* f = new QFormLayout(w);
  evalVal_ = new QLineEdit(qs(detect::EvaluateRunOptions{}.valTag));
  f->addRow(tr("Run"), runCombo());
  f->addRow(tr("Validation tag"), evalVal_);
  return w;
}

void ModelPanel::setProject(Project* project) {
  runner_->cancel();
  project_ = project;
  reload();
}

void ModelPanel::reload() {
  QStringList names;
  if (project_) {
    auto runs = project_->runs();
    if (!runs.ok()) {
      emit failed(describe(runs.status()));
      return;
    }
    for (const auto& r : *runs) names << qs(r.name);
  }
  for (QComboBox* c : runs_) {
    const QString before = c->currentText();
    c->clear();
    c->addItems(names);
    // Keep the choice; otherwise the newest run, the one a user most likely means.
    c->setCurrentIndex(names.contains(before) ? names.indexOf(before) : static_cast<int>(names.size()) - 1);
  }
  if (!runner_->busy()) trainRun_->setText(nextRunName());
  run_->setEnabled(project_ != nullptr);
}

QString ModelPanel::nextRunName() const {
  // CAL1, CAL2, ...: the first name no run has.
  for (int n = 1;; ++n) {
    const QString name = QString("CAL%1").arg(n);
    bool used = false;
    for (QComboBox* c : runs_)
      if (c->findText(name) >= 0) used = true;
    if (!used) return name;
  }
}

void ModelPanel::setKind(JobKind kind) { kind_->setCurrentIndex(kind_->findData(static_cast<int>(kind))); }

JobRequest ModelPanel::requestFromForm() const {
  JobRequest r;
  QString ignored;
  requestFromForm(&r, &ignored);
  return r;
}

bool ModelPanel::requestFromForm(JobRequest* out, QString* error) const {
  JobRequest& r = *out;
  r = JobRequest{};
  if (project_) r.projectDir = qs(project_->dir().string());
  const std::string run = ss(runs_.isEmpty() ? QString() : runs_[forms_->currentIndex() > 0 ? forms_->currentIndex() - 1 : 0]->currentText());
  switch (static_cast<JobKind>(kind_->currentData().toInt())) {
    case JobKind::kTrain: {
      detect::TrainOptions t;
      t.runName = ss(trainRun_->text().trimmed());
      t.trainTags = splitTags(trainTags_->text());
      t.valTag = ss(trainVal_->text().trimmed());
      t.preset = ss(preset_->currentText());
      t.tiles = ss(tiles_->currentText());
      t.epochs = epochs_->value();
      t.minSteps = minSteps_->value();
      t.maxMinutes = maxMinutes_->value();
      r.options = t;
      break;
    }
    case JobKind::kAutoLabel: {
      detect::AutoLabelOptions a;
      a.runName = run;
      a.scoreThreshold = labelThreshold_->value() > 0 ? labelThreshold_->value() : -1;
      if (!labelWhere_->text().trimmed().isEmpty() && project_) {
        Status st = resolveImageQuery(*project_, ss(labelWhere_->text().trimmed()), &a.images);
        if (!st.ok()) {
          *error = tr("Auto-label images: %1").arg(describe(st));
          return false;
        }
        a.useDefaultQuery = false;
      }
      r.options = a;
      break;
    }
    case JobKind::kScore: {
      detect::ScoreOptions o;
      o.runName = run;
      o.combine.mode = static_cast<CombineOptions::Mode>(combine_->currentData().toInt());
      o.mc.passes = passes_->value();
      o.mc.scoreThreshold = -1;  // the run's fitted global threshold, as the CLI's default
      o.valTag = ss(scoreVal_->text().trimmed());
      r.options = o;
      break;
    }
    case JobKind::kSelect: {
      SelectRequest o;
      o.runName = run;
      o.options.strategy = static_cast<Strategy>(strategy_->currentData().toInt());
      o.options.budget = static_cast<std::size_t>(budget_->value());
      o.tag = ss(selectTag_->text().trimmed());
      o.valTag = ss(selectVal_->text().trimmed());
      r.options = o;
      break;
    }
    case JobKind::kEvaluate: {
      detect::EvaluateRunOptions o;
      o.runName = run;
      o.valTag = ss(evalVal_->text().trimmed());
      r.options = o;
      break;
    }
    case JobKind::kExport:
      r.options = ExportJob{};  // the export dialog's
      break;
    case JobKind::kImport:
      r.options = ImportJob{};  // the import dialog's
      break;
  }
  return true;
}

void ModelPanel::runForm() {
  JobRequest r;
  QString error;
  if (requestFromForm(&r, &error)) startJob(r);
  else emit failed(error);
}

quint64 ModelPanel::startJob(const JobRequest& request) {
  if (!project_) return 0;
  if (request.usesRun() && request.runName().isEmpty()) {
    emit failed(tr("%1: choose a model run first (train one, or pick it in the list)").arg(toString(request.kind())));
    return 0;
  }
  return runner_->start(request);
}

void ModelPanel::cancel() { runner_->cancel(); }

void ModelPanel::onStarted(quint64, const QString& description) {
  setRunning(true);
  bar_->setRange(0, 0);  // busy until the first progress says how much there is
  stage_->setText(description);
}

void ModelPanel::onProgress(const JobProgress& p) {
  if (p.total > 0) {
    bar_->setRange(0, 1000);
    bar_->setValue(static_cast<int>(1000 * p.done / p.total));
  }
  QString text = p.stage;
  if (p.total > 0) text += QString("  %1/%2").arg(p.done).arg(p.total);
  const QString eta = etaText(p.etaSeconds);
  if (!eta.isEmpty()) text += "  " + eta;
  stage_->setText(text);
}

void ModelPanel::onFinished(const JobOutcome& outcome) {
  setRunning(false);
  bar_->setRange(0, 1000);
  bar_->setValue(outcome.ok ? 1000 : 0);
  lastSummary_ = outcome.summary;
  stage_->setText(QString("%1 %2: %3").arg(toString(outcome.kind), outcome.runName, outcome.summary));
  if (outcome.ok) {
    reload();
    emit storeChanged(outcome);
  } else if (!outcome.cancelled) {
    emit failed(QString("%1 %2: %3").arg(toString(outcome.kind), outcome.runName, outcome.summary));
  }
}

void ModelPanel::fillLog() {
  log_->clear();
  // Newest first: the job a user is waiting for is on top.
  const auto& entries = runner_->log();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    QString line = it->description + "\n  " + it->outcome;
    if (it->finished && it->seconds > 0) line += tr(" (%1 s)").arg(it->seconds, 0, 'f', 1);
    auto* item = new QListWidgetItem(line);
    if (it->finished && !it->ok) item->setForeground(QColor("#b03030"));
    log_->addItem(item);
  }
}

void ModelPanel::setRunning(bool running) {
  run_->setEnabled(!running && project_);
  cancel_->setEnabled(running);
}

}  // namespace quarry::gui
