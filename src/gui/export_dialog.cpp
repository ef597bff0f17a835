// The export dialog: a form to an ExportOptions, run as a job, the outcome shown.
#include "gui/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/job_runner.h"
#include "gui/qt_convert.h"

namespace quarry::gui {
namespace {

std::vector<std::string> tagList(const QString& text) {
  std::vector<std::string> out;
  for (const QString& t : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) out.push_back(ss(t));
  return out;
}

}  // namespace

ExportDialog::ExportDialog(Project* project, QWidget* parent)
    : QDialog(parent), project_(project), runner_(new JobRunner(this)) {
  setWindowTitle(tr("Export a data set"));
  format_ = new QComboBox;
  format_->setObjectName("exportFormat");
  format_->addItem(tr("COCO (annotations.json)"), static_cast<int>(Format::kCoco));
  format_->addItem(tr("Pascal VOC (one XML per image)"), static_cast<int>(Format::kVoc));
  format_->addItem(tr("YOLO (one TXT per image, classes.txt)"), static_cast<int>(Format::kYolo));
  format_->addItem(tr("Ultralytics-ready (data.yaml, images/ and labels/ train and val)"),
                   static_cast<int>(Format::kUltralytics));
  format_->addItem(tr("CVAT for images 1.1 (annotations.xml)"), static_cast<int>(Format::kCvat));
  format_->addItem(tr("Label Studio JSON (result.json, rectangles in percent)"), static_cast<int>(Format::kLabelStudio));
  dir_ = new QLineEdit(project ? qs((project->dir() / "exports" / "dataset").string()) : QString());
  auto* browse = new QToolButton;
  browse->setText("...");
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Export to"), dir_->text());
    if (!d.isEmpty()) dir_->setText(d);
  });
  auto* dirRow = new QHBoxLayout;
  dirRow->addWidget(dir_, 1);
  dirRow->addWidget(browse);
  // The project's own GT* and VAL* tags: a default naming a tag it lacks would be refused.
  QStringList gt, val;
  if (project)
    if (auto tags = project->tags(); tags.ok())
      for (const auto& t : *tags) {
        const QString name = qs(t.name);
        if (name.startsWith("GT")) gt << name;
        if (name.startsWith("VAL")) val << name;
      }
  gt.sort();
  val.sort();
  const QString valDefault = val.contains("VAL1") ? QString("VAL1") : val.value(0);
  train_ = new QLineEdit(gt.join(","));
  train_->setObjectName("exportTrainTags");
  train_->setToolTip(tr("Tags whose images form the train set, comma-separated"));
  val_ = new QLineEdit(valDefault);
  val_->setObjectName("exportValTags");
  val_->setToolTip(tr("Tags whose images form the val set (empty: one set of every image)"));
  reviewed_ = new QCheckBox(tr("Only reviewed images"));
  overwrite_ = new QCheckBox(tr("Replace an earlier Quarry export in this folder"));
  overwrite_->setObjectName("exportOverwrite");
  overwrite_->setToolTip(tr("A folder that is not empty is refused unless this is ticked; even then only a "
                            "folder an earlier export made is emptied (never the project or its images)"));
  copy_ = new QComboBox;
  copy_->addItem(tr("copy the images"), static_cast<int>(ImageCopy::kCopy));
  copy_->addItem(tr("hard-link the images"), static_cast<int>(ImageCopy::kHardLink));
  copy_->addItem(tr("labels only"), static_cast<int>(ImageCopy::kNone));
  classes_ = new QListWidget;
  classes_->setObjectName("classOrder");
  classes_->setToolTip(tr("The frozen class order: YOLO index = position, COCO category id = position + 1"));
  if (project)
    if (auto cls = project->classes(); cls.ok())
      for (std::size_t i = 0; i < cls->size(); ++i)
        classes_->addItem(QString("%1  %2").arg(i).arg(qs((*cls)[i].name)));
  classes_->setMaximumHeight(120);
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  result_ = new QLabel;
  result_->setObjectName("exportResult");
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  export_ = new QPushButton(tr("Export"));
  cancel_ = new QPushButton(tr("Cancel export"));
  cancel_->setEnabled(false);
  auto* close = new QPushButton(tr("Close"));
  connect(export_, &QPushButton::clicked, this, &ExportDialog::startExport);
  connect(cancel_, &QPushButton::clicked, runner_, &JobRunner::cancel);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  connect(runner_, &JobRunner::progress, this, [this](const JobProgress& p) {
    if (p.total > 0) bar_->setValue(static_cast<int>(1000 * p.done / p.total));
  });
  connect(runner_, &JobRunner::finished, this, &ExportDialog::onFinished);

  auto* form = new QFormLayout;
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Folder"), dirRow);
  form->addRow(tr("Train tags"), train_);
  form->addRow(tr("Val tags"), val_);
  form->addRow(QString(), reviewed_);
  form->addRow(QString(), overwrite_);
  form->addRow(tr("Images"), copy_);
  form->addRow(tr("Class order"), classes_);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch();
  buttons->addWidget(export_);
  buttons->addWidget(cancel_);
  buttons->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(bar_);
  layout->addWidget(result_);
  layout->addLayout(buttons);
  resize(620, 480);
}

void ExportDialog::setFormat(Format format) { format_->setCurrentIndex(format_->findData(static_cast<int>(format))); }
void ExportDialog::setTags(const QString& train, const QString& val) {
  train_->setText(train);
  val_->setText(val);
}
void ExportDialog::setOutputDir(const QString& dir) { dir_->setText(dir); }
void ExportDialog::setOnlyReviewed(bool on) { reviewed_->setChecked(on); }
void ExportDialog::setOverwrite(bool on) { overwrite_->setChecked(on); }
QString ExportDialog::trainTags() const { return train_->text(); }
QString ExportDialog::valTags() const { return val_->text(); }

JobRequest ExportDialog::request() const {
  JobRequest r;
  if (project_) r.projectDir = qs(project_->dir().string());
  ExportJob e;
  e.format = static_cast<Format>(format_->currentData().toInt());
  e.dir = dir_->text().trimmed();
  e.options.trainTags = tagList(train_->text());
  e.options.valTags = tagList(val_->text());
  // Without a val set, the train tags (if any) choose the images of the one set.
  if (e.options.valTags.empty()) {
    e.options.images.anyTags = e.options.trainTags;
    e.options.trainTags.clear();
  }
  e.options.onlyReviewed = reviewed_->isChecked();
  e.options.overwrite = overwrite_->isChecked();
  e.options.imageCopy = static_cast<ImageCopy>(copy_->currentData().toInt());
  r.options = e;
  return r;
}

quint64 ExportDialog::startExport() {
  const JobRequest r = request();
  if (r.as<ExportJob>().dir.isEmpty()) {
    result_->setText(tr("Choose a folder to export to."));
    return 0;
  }
  result_->setText(tr("Exporting..."));
  export_->setEnabled(false);
  cancel_->setEnabled(true);
  bar_->setValue(0);
  return runner_->start(r);
}

void ExportDialog::onFinished(const JobOutcome& outcome) {
  export_->setEnabled(true);
  cancel_->setEnabled(false);
  bar_->setValue(outcome.ok ? 1000 : 0);
  result_->setText(outcome.ok ? outcome.summary : tr("Not exported: %1").arg(outcome.summary));
  emit exported(outcome);
}

}  // namespace quarry::gui
