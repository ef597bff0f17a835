// RunsView: the model runs of a project compared. The list gives each run with what it was
// trained on and its VAL figures; for one chosen run the per-class precision / recall table,
// mAP and efficiency boost; for two, both side by side with the differences (second minus
// first). Charts (Qt Charts): the training curves, per-class precision and recall bars, the
// histogram of the run's difficulty scores with its thresholds, and the learning curves of the
// experiment reports under reports/. Reads only; every figure comes from quarry/run_figures.h.
//
// GUI thread only; uses the GUI thread's Project. Store errors go to failed(message).
#pragma once

#include <QDialog>
#include <vector>

#include "quarry/store/project.h"
#include "quarry/report/run_figures.h"

class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;
class QTabWidget;

namespace quarry::gui {

class RunsView : public QDialog {
  Q_OBJECT

 public:
  explicit RunsView(QWidget* parent = nullptr);
  // `project` (may be null) must outlive the view or be replaced first.
  void setProject(Project* project);
  // Re-reads the runs, keeping the chosen ones that still exist.
  void reload();
  // Chooses runs by name (one or two; more are ignored); false when one is unknown.
  bool selectRuns(const QStringList& names);
  QStringList selectedRuns() const;

  QTableWidget* runsTable() const { return runs_; }
  QTableWidget* figuresTable() const { return figures_; }
  QLabel* summary() const { return summary_; }
  QChartView* curveChart() const { return curve_; }
  QChartView* classChart() const { return classes_; }
  QChartView* difficultyChart() const { return difficulty_; }
  QChartView* experimentChart() const { return experiment_; }
  QTabWidget* tabs() const { return tabs_; }

 signals:
  void failed(const QString& message);

 private:
  void showSelection();
  void fillFigures(const std::vector<RunFigures>& runs);
  void fillCurve(const std::vector<RunFigures>& runs);
  void fillClasses(const std::vector<RunFigures>& runs);
  void fillDifficulty(const std::vector<RunFigures>& runs);
  void fillExperiments();
  void showExperiment(const QString& resultsJson);

  Project* project_ = nullptr;
  std::vector<ModelRun> all_;
  QTableWidget* runs_;
  QLabel* summary_;
  // What the run was trained on and how much of it changed since (issue 16), one line.
  QString provenanceLine(const std::string& name) const;
  QTabWidget* tabs_;
  QTableWidget* figures_;
  QChartView* curve_;
  QChartView* classes_;
  QChartView* difficulty_;
  QComboBox* reports_;
  QChartView* experiment_;
};

}  // namespace quarry::gui
