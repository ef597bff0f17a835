// ExportDialog: writes a data set for training elsewhere. The format (COCO, Pascal VOC, YOLO,
// Ultralytics-ready), the tags that form the train and the val set, reviewed images only or all,
// how images travel (copy, hard link, none), and the frozen class order the labels will use.
// The export runs on a worker thread (JobRunner) with a progress bar and Cancel; the store's
// refusal of an image in both train and val is shown with the images it names, and so is the
// refusal of a folder that is not empty unless "Replace an earlier export" is ticked (a folder no
// Quarry export made is never replaced); the dialog then says what it wrote.
//
// GUI thread only; reads tags and classes from the GUI's Project.
#pragma once

#include <QDialog>

#include "gui/job.h"
#include "quarry/store/project.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace quarry::gui {

class JobRunner;

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ExportDialog(Project* project, QWidget* parent = nullptr);

  // The form as a request, and starting it (tests set the widgets or start requests directly).
  JobRequest request() const;
  quint64 startExport();
  JobRunner* runner() const { return runner_; }
  QLabel* result() const { return result_; }
  QListWidget* classOrder() const { return classes_; }
  void setFormat(Format format);
  void setTags(const QString& train, const QString& val);
  void setOutputDir(const QString& dir);
  void setOnlyReviewed(bool on);
  void setOverwrite(bool on);
  // The tags the form starts with: every GT* tag of the project, and VAL1 (or the first VAL* tag).
  QString trainTags() const;
  QString valTags() const;

 signals:
  void exported(const quarry::gui::JobOutcome& outcome);

 private:
  void onFinished(const JobOutcome& outcome);
  Project* project_;
  JobRunner* runner_;
  QComboBox* format_;
  QLineEdit* dir_;
  QLineEdit* train_;
  QLineEdit* val_;
  QCheckBox* reviewed_;
  QCheckBox* overwrite_;
  QComboBox* copy_;
  QListWidget* classes_;
  QProgressBar* bar_;
  QLabel* result_;
  QPushButton* export_;
  QPushButton* cancel_;
};

}  // namespace quarry::gui
