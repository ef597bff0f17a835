// The import dialog: a form to an ImportJob, run as a job, the report shown.
#include "gui/import_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "gui/job_runner.h"
#include "gui/qt_convert.h"

namespace quarry::gui {

ImportDialog::ImportDialog(Project* project, QWidget* parent)
    : QDialog(parent), project_(project), runner_(new JobRunner(this)) {
  setWindowTitle(tr("Import images"));
  format_ = new QComboBox;
  format_->setObjectName("importFormat");
  format_->addItem(tr("A folder of images (no labels; sub-folders too)"), static_cast<int>(Format::kFolder));
  format_->addItem(tr("YOLO (images/ and labels/, classes.txt or data.yaml)"), static_cast<int>(Format::kYolo));
  format_->addItem(tr("Pascal VOC (one XML per image)"), static_cast<int>(Format::kVoc));
  format_->addItem(tr("COCO (a .json file, or the folder holding one)"), static_cast<int>(Format::kCoco));
  format_->addItem(tr("CVAT for images 1.1 (annotations.xml)"), static_cast<int>(Format::kCvat));
  format_->addItem(tr("Label Studio JSON (a list of tasks, rectangles)"), static_cast<int>(Format::kLabelStudio));
  source_ = new QLineEdit;
  source_->setObjectName("importSource");
  auto* browseFolder = new QToolButton;
  browseFolder->setText(tr("Folder..."));
  connect(browseFolder, &QToolButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Import from"), source_->text());
    if (!d.isEmpty()) setSource(d);
  });
  auto* browseFile = new QToolButton;
  browseFile->setText(tr("COCO file..."));
  connect(browseFile, &QToolButton::clicked, this, [this] {
    const QString f = QFileDialog::getOpenFileName(this, tr("COCO annotations"), source_->text(), tr("JSON (*.json)"));
    if (!f.isEmpty()) setSource(f);
  });
  auto* sourceRow = new QHBoxLayout;
  sourceRow->addWidget(source_, 1);
  sourceRow->addWidget(browseFolder);
  sourceRow->addWidget(browseFile);
  filesLabel_ = new QLabel;
  filesLabel_->setWordWrap(true);
  filesLabel_->hide();
  tags_ = new QLineEdit;
  tags_->setObjectName("importTags");
  tags_->setToolTip(tr("Tags added to every imported image (and to images already there), comma-separated"));
  folderTags_ = new QCheckBox(tr("Also tag each image with its first sub-folder (train, val...)"));
  strict_ = new QCheckBox(tr("Stop at the first problem (otherwise the item is skipped and reported)"));
  decode_ = new QCheckBox(tr("Decode every image (slower; finds corrupt pixel data)"));
  decode_->setChecked(ProbeOptions{}.decode);
  megapixels_ = new QSpinBox;
  megapixels_->setRange(1, 100000);
  megapixels_->setSuffix(tr(" megapixels"));
  megapixels_->setValue(static_cast<int>(ProbeOptions{}.maxPixels / 1'000'000));
  megapixels_->setToolTip(tr("Images larger than this are skipped and reported"));
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  report_ = new QPlainTextEdit;
  report_->setObjectName("importReport");
  report_->setReadOnly(true);
  report_->setPlaceholderText(tr("The import's report: what was added, what was already there, what was skipped and why."));
  import_ = new QPushButton(tr("Import"));
  import_->setDefault(true);
  cancel_ = new QPushButton(tr("Cancel import"));
  cancel_->setEnabled(false);
  auto* copy = new QPushButton(tr("Copy report"));
  auto* close = new QPushButton(tr("Close"));
  connect(import_, &QPushButton::clicked, this, &ImportDialog::startImport);
  connect(cancel_, &QPushButton::clicked, this, &ImportDialog::cancelImport);
  connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(report_->toPlainText()); });
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  connect(runner_, &JobRunner::progress, this, [this](const JobProgress& p) {
    if (p.total > 0) bar_->setValue(static_cast<int>(1000 * p.done / p.total));
  });
  // The worker's own outcome, not finished(): a cancelled import's report says what it committed.
  connect(runner_, &JobRunner::reported, this, &ImportDialog::onReported);

  auto* form = new QFormLayout;
  form->addRow(tr("What"), format_);
  form->addRow(tr("From"), sourceRow);
  form->addRow(QString(), filesLabel_);
  form->addRow(tr("Tag the batch"), tags_);
  form->addRow(QString(), folderTags_);
  form->addRow(QString(), strict_);
  form->addRow(QString(), decode_);
  form->addRow(tr("Largest image"), megapixels_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(copy);
  buttons->addStretch();
  buttons->addWidget(import_);
  buttons->addWidget(cancel_);
  buttons->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(bar_);
  layout->addWidget(report_, 1);
  layout->addLayout(buttons);
  resize(680, 520);
}

void ImportDialog::setSource(const QString& path) {
  files_.clear();
  filesLabel_->hide();
  source_->setEnabled(true);
  format_->setEnabled(true);
  source_->setText(path);
  setFormat(guessFormat(ss(path)));
}

void ImportDialog::setFiles(const QStringList& files) {
  files_ = files;
  source_->clear();
  source_->setEnabled(false);
  setFormat(Format::kFolder);
  format_->setEnabled(false);  // single files carry no labels
  filesLabel_->setText(tr("%n image file(s): %1", nullptr, static_cast<int>(files.size()))
                           .arg(files.mid(0, 3).join(", ") + (files.size() > 3 ? ", ..." : "")));
  filesLabel_->show();
}

void ImportDialog::setFormat(Format format) {
  const int i = format_->findData(static_cast<int>(format));
  if (i >= 0) format_->setCurrentIndex(i);
}
void ImportDialog::setTags(const QString& tags) { tags_->setText(tags); }
void ImportDialog::setFolderTags(bool on) { folderTags_->setChecked(on); }
void ImportDialog::setStrict(bool on) { strict_->setChecked(on); }
Format ImportDialog::format() const { return static_cast<Format>(format_->currentData().toInt()); }

JobRequest ImportDialog::request() const {
  JobRequest r;
  if (project_) r.projectDir = qs(project_->dir().string());
  ImportJob i;
  i.format = format();
  i.source = source_->text().trimmed();
  i.files = files_;
  for (const QString& t : tags_->text().split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts))
    i.options.tags.push_back(ss(t));
  i.options.folderTags = folderTags_->isChecked();
  i.options.strict = strict_->isChecked();
  i.options.probe.decode = decode_->isChecked();
  i.options.probe.maxPixels = static_cast<std::int64_t>(megapixels_->value()) * 1'000'000;
  r.options = i;
  return r;
}

quint64 ImportDialog::startImport() {
  const JobRequest r = request();
  if (!project_) {
    report_->setPlainText(tr("Open or create a project first."));
    return 0;
  }
  if (r.as<ImportJob>().source.isEmpty() && r.as<ImportJob>().files.isEmpty()) {
    report_->setPlainText(tr("Choose a folder or a COCO file to import from."));
    return 0;
  }
  report_->setPlainText(tr("Importing..."));
  import_->setEnabled(false);
  cancel_->setEnabled(true);
  bar_->setValue(0);
  job_ = runner_->start(r);
  return job_;
}

void ImportDialog::cancelImport() {
  if (!runner_->busy()) return;
  report_->setPlainText(tr("Cancelling..."));
  cancel_->setEnabled(false);
  runner_->cancel();
}

void ImportDialog::onReported(const JobOutcome& outcome) {
  if (outcome.job != job_) return;
  import_->setEnabled(true);
  cancel_->setEnabled(false);
  bar_->setValue(outcome.ok ? 1000 : 0);
  QString text;
  if (outcome.cancelled) text = tr("Cancelled. What was imported before it stays in the project.\n");
  else if (!outcome.ok) text = tr("Stopped: %1\nWhat was imported before it stays in the project.\n").arg(outcome.summary);
  text += outcome.details.isEmpty() ? outcome.summary : outcome.details;
  report_->setPlainText(text);
  emit imported(outcome);
}

}  // namespace quarry::gui
