// ModelPanel: the active-learning loop's jobs in the window. A form per job (Train, Auto-label,
// Score uncertainty, Select next GT, Evaluate) with the library's parameters, a Run and a Cancel
// button, a progress bar with the stage and ETA, and the job log (what ran, with its parameters
// and outcome). Jobs run on JobRunner's worker thread; the panel only turns the form into a
// JobRequest and shows what comes back.
//
// GUI thread only. Reads runs and tags from the GUI's Project (setProject) to fill its lists;
// errors of a job appear in the log and through failed(message).
#pragma once

#include <QWidget>

#include "gui/job.h"
#include "gui/job_runner.h"
#include "quarry/store/project.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace quarry::gui {

class ModelPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ModelPanel(QWidget* parent = nullptr);

  // `project` (may be null) must outlive the panel or be replaced first. Cancels a running job:
  // its results belong to the project that is going away.
  void setProject(Project* project);
  // Re-reads the runs and tags for the lists, keeping the choices that still exist.
  void reload();

  // The form's job as a request (for the kind shown), and starting it; tests set the form or
  // start requests of their own. False (with the reason in *error) when a field does not make
  // sense, e.g. a query that does not parse.
  bool requestFromForm(JobRequest* out, QString* error) const;
  JobRequest requestFromForm() const;  // the same, ignoring such fields
  quint64 startJob(const JobRequest& request);
  void setKind(JobKind kind);
  JobRunner* runner() const { return runner_; }
  QString lastSummary() const { return lastSummary_; }

 public slots:
  void runForm();
  void cancel();

 signals:
  // A job ended with changes in the store (ok): the window refreshes its list and canvas.
  void storeChanged(const quarry::gui::JobOutcome& outcome);
  void failed(const QString& message);

 private:
  QWidget* buildTrainForm();
  QWidget* buildAutoLabelForm();
  QWidget* buildScoreForm();
  QWidget* buildSelectForm();
  QWidget* buildEvaluateForm();
  QComboBox* runCombo();
  void onStarted(quint64 job, const QString& description);
  void onProgress(const JobProgress& p);
  void onFinished(const JobOutcome& outcome);
  void fillLog();
  void setRunning(bool running);
  QString nextRunName() const;

  Project* project_ = nullptr;
  JobRunner* runner_;
  QComboBox* kind_;
  QStackedWidget* forms_;
  // Train
  QLineEdit* trainRun_;
  QLineEdit* trainTags_;
  QLineEdit* trainVal_;
  QComboBox* preset_;
  QComboBox* tiles_;
  QSpinBox* epochs_;
  QSpinBox* minSteps_;
  QDoubleSpinBox* maxMinutes_;
  // Auto-label, Score, Select, Evaluate: the run each uses
  QVector<QComboBox*> runs_;
  QDoubleSpinBox* labelThreshold_;
  QLineEdit* labelWhere_;
  QComboBox* combine_;
  QSpinBox* passes_;
  QLineEdit* scoreVal_;
  QComboBox* strategy_;
  QSpinBox* budget_;
  QLineEdit* selectTag_;
  QLineEdit* selectVal_;
  QLineEdit* evalVal_;
  QPushButton* run_;
  QPushButton* cancel_;
  QProgressBar* bar_;
  QLabel* stage_;
  QListWidget* log_;
  QString lastSummary_;
};

}  // namespace quarry::gui
