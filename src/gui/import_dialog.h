// ImportDialog: adds images to the open project from the window. A folder of images, or a YOLO,
// Pascal VOC or COCO data set (the CLI's importers and their options: a tag for the batch, tags
// from the first sub-folder, strict, the pixel limit, the decode check), or image files dropped
// on the window. The import runs on a worker thread (JobRunner) with a progress bar and Cancel;
// what it committed before a cancel or an error stays. The report (added, already there,
// skipped with file and reason) is shown in a read-only text box the user can select and copy.
//
// GUI thread only; the job opens its own connection to the project's folder.
#pragma once

#include <QDialog>
#include <QStringList>

#include "gui/job.h"
#include "quarry/store/project.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace quarry::gui {

class JobRunner;

class ImportDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ImportDialog(Project* project, QWidget* parent = nullptr);

  // A data set or folder to import; the format is guessed from its layout (guessFormat).
  void setSource(const QString& path);
  // Image files to import one by one (a drop); replaces the source.
  void setFiles(const QStringList& files);
  void setFormat(Format format);
  void setTags(const QString& tags);  // comma- or space-separated
  void setFolderTags(bool on);
  void setStrict(bool on);
  Format format() const;

  // The form as a request, and starting it (tests set the widgets or start requests directly).
  JobRequest request() const;
  quint64 startImport();
  void cancelImport();
  JobRunner* runner() const { return runner_; }
  // The report of the last import, selectable and copyable.
  QPlainTextEdit* report() const { return report_; }

 signals:
  // Every started import ends with one (ok, failed or cancelled), once the worker has returned:
  // the store may have changed in all three, and the report says how.
  void imported(const quarry::gui::JobOutcome& outcome);

 private:
  void onReported(const JobOutcome& outcome);
  Project* project_;
  quint64 job_ = 0;  // the import started last
  JobRunner* runner_;
  QStringList files_;
  QComboBox* format_;
  QLineEdit* source_;
  QLabel* filesLabel_;
  QLineEdit* tags_;
  QCheckBox* folderTags_;
  QCheckBox* strict_;
  QCheckBox* decode_;
  QSpinBox* megapixels_;
  QProgressBar* bar_;
  QPlainTextEdit* report_;
  QPushButton* import_;
  QPushButton* cancel_;
};

}  // namespace quarry::gui
