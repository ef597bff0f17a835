// The model jobs in the window, as an ML lead runs them: a training job runs to the end and its
// run appears, a cancelled job leaves the store as it was, scoring puts difficulty bars in the
// list, annotators keep drawing while a job runs, a failing job says why, and a new job
// supersedes the running one. Runs under QT_QPA_PLATFORM=offscreen with the tiny preset.
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/canvas.h"
#include "gui/filter_bar.h"
#include "gui/image_list_model.h"
#include "gui/job_worker.h"
#include "gui/main_window.h"
#include "gui/model_panel.h"
#include "gui_test_support.h"

using namespace quarry;
using namespace quarry::gui;

namespace {
constexpr int kJobTimeoutMs = 180000;
}  // namespace

using test::drag;

class ModelPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();
  void aTrainJobRunsToTheEndAndItsRunAppears();
  void aCancelledJobLeavesTheStoreAsItWas();
  void scoringPutsDifficultyBarsInTheList();
  void annotatorsKeepDrawingWhileAJobRuns();
  void aFailingJobSaysWhyAndTheWindowGoesOn();
  void aNewJobSupersedesTheRunningOne();
  void cancellingALaterJobStopsEveryEarlierOne();
  void eachFormStartsFromTheLibrarysDefaultsAndReadsItsOwnFields();

 private:
  // A quick training request on every GT* tag, measured on VAL1.
  JobRequest trainRequest(const QString& run, long steps) const { return test::quickTrain(panel(), run, steps); }
  // Waits until the runner has ended `job` and the worker returned from it.
  bool waitSettled(quint64 job);
  ModelPanel* panel() const { return window->modelPanel(); }

  std::unique_ptr<QTemporaryDir> tmp;
  std::unique_ptr<MainWindow> window;
  QString dir;
  std::vector<ImageId> pool;
};

void ModelPanelTest::init() {
  tmp = std::make_unique<QTemporaryDir>();
  dir = tmp->path() + "/demo";
  pool = test::makeLoopProject(dir);
  QVERIFY(!pool.empty());
  window = test::openWindow(dir);
  QVERIFY(window);
}

void ModelPanelTest::cleanup() { window.reset(); }

bool ModelPanelTest::waitSettled(quint64 job) {
  QSignalSpy settled(panel()->runner(), &JobRunner::settled);
  for (int waited = 0; waited < kJobTimeoutMs; waited += 100) {
    for (const auto& args : settled)
      if (args.at(0).value<quint64>() == job) return true;
    QTest::qWait(100);
  }
  return false;
}

void ModelPanelTest::aTrainJobRunsToTheEndAndItsRunAppears() {
  QSignalSpy progress(panel()->runner(), &JobRunner::progress);
  QSignalSpy finished(panel(), &ModelPanel::storeChanged);
  const quint64 job = panel()->startJob(trainRequest("CAL1", 40));
  QVERIFY(job > 0);
  QVERIFY(panel()->runner()->busy());
  QVERIFY(finished.wait(kJobTimeoutMs));
  const auto outcome = finished.at(0).at(0).value<JobOutcome>();
  QVERIFY2(outcome.ok, qPrintable(outcome.summary));
  QVERIFY(outcome.summary.contains("VAL mAP@0.5"));
  QVERIFY(!progress.isEmpty());
  // The GUI's own connection sees the run, and the lists offer it.
  auto run = window->project()->findRun("CAL1");
  QVERIFY(run.ok() && run->has_value());
  QVERIFY(window->filterBar()->setRun("CAL1"));
  QCOMPARE(panel()->runner()->log().size(), 1);
  QVERIFY(panel()->runner()->log()[0].description.contains("Train CAL1"));
  QVERIFY(panel()->runner()->log()[0].ok);
  QCOMPARE(panel()->requestFromForm().as<detect::TrainOptions>().runName, std::string("CAL2"));  // the next free name
}

void ModelPanelTest::aCancelledJobLeavesTheStoreAsItWas() {
  const auto runsBefore = window->project()->runs()->size();
  QSignalSpy progress(panel()->runner(), &JobRunner::progress);
  QSignalSpy finished(panel()->runner(), &JobRunner::finished);
  const quint64 job = panel()->startJob(trainRequest("LONG", 100000));
  QVERIFY(progress.wait(kJobTimeoutMs));  // training has begun
  panel()->cancel();
  QCOMPARE(finished.size(), 1);           // at once, as far as the window is concerned
  QVERIFY(finished.at(0).at(0).value<JobOutcome>().cancelled);
  QVERIFY(!panel()->runner()->busy());
  QVERIFY(waitSettled(job));
  QCOMPARE(window->project()->runs()->size(), runsBefore);
  QVERIFY(!window->project()->findRun("LONG")->has_value());
  QVERIFY(!QFileInfo::exists(dir + "/models/LONG"));
  QVERIFY(panel()->runner()->log().back().outcome.contains("cancelled"));
}

void ModelPanelTest::scoringPutsDifficultyBarsInTheList() {
  QSignalSpy finished(panel(), &ModelPanel::storeChanged);
  panel()->startJob(trainRequest("CAL1", 60));
  QVERIFY(finished.wait(kJobTimeoutMs));
  panel()->setKind(JobKind::kScore);
  JobRequest score = panel()->requestFromForm();
  QCOMPARE(score.as<detect::ScoreOptions>().runName, std::string("CAL1"));  // the form offers the new run
  score.as<detect::ScoreOptions>().mc.passes = 4;
  panel()->startJob(score);
  QVERIFY(finished.wait(kJobTimeoutMs));
  const auto outcome = finished.last().at(0).value<JobOutcome>();
  QVERIFY2(outcome.ok, qPrintable(outcome.summary));
  QVERIFY(outcome.summary.contains(QString("%1 pool images").arg(pool.size())));
  // The list now shows CAL1's bars: every pool image has a difficulty.
  QVERIFY(window->filterBar()->run().has_value());
  ImageListModel* model = window->listModel();
  int scored = 0;
  for (int row = 0; row < model->rowCount(); ++row) {
    const ImageId id = model->imageAt(row);
    const QVariant d = model->data(model->index(row, ImageListModel::kDifficulty), ImageListModel::kDifficultyRole);
    if (std::find(pool.begin(), pool.end(), id) != pool.end()) {
      QVERIFY2(d.isValid(), "a pool image without bars");
      ++scored;
    }
  }
  QCOMPARE(scored, static_cast<int>(pool.size()));
}

void ModelPanelTest::annotatorsKeepDrawingWhileAJobRuns() {
  QSignalSpy progress(panel()->runner(), &JobRunner::progress);
  const quint64 job = panel()->startJob(trainRequest("LONG", 100000));
  QVERIFY(progress.wait(kJobTimeoutMs));
  const ImageId image = pool.front();
  QVERIFY(window->selectImage(image));
  window->canvas()->setFocus();
  const auto before = window->project()->boxes(image)->size();
  drag(window->canvas(), {10, 10}, {50, 40});
  QCOMPARE(window->project()->boxes(image)->size(), before + 1);  // in the store at once
  QVERIFY(panel()->runner()->busy());                             // while the job still runs
  panel()->cancel();
  QVERIFY(waitSettled(job));
  // The worker's connection sees the annotator's box too.
  auto other = std::move(Project::open(dir.toStdString())).value();
  QCOMPARE(other->boxes(image)->size(), before + 1);
}

void ModelPanelTest::aFailingJobSaysWhyAndTheWindowGoesOn() {
  QSignalSpy failed(panel(), &ModelPanel::failed);
  panel()->setKind(JobKind::kScore);
  JobRequest r = panel()->requestFromForm();
  r.as<detect::ScoreOptions>().runName = "NOPE";
  panel()->startJob(r);
  QVERIFY(failed.wait(kJobTimeoutMs));
  QVERIFY2(failed.at(0).at(0).toString().contains("NOPE"), qPrintable(failed.at(0).at(0).toString()));
  QVERIFY(!panel()->runner()->log().back().ok);
  QVERIFY(window->lastError().contains("NOPE"));
  // And the next job runs as usual.
  QSignalSpy finished(panel(), &ModelPanel::storeChanged);
  panel()->startJob(trainRequest("CAL1", 10));
  QVERIFY(finished.wait(kJobTimeoutMs));
}

void ModelPanelTest::aNewJobSupersedesTheRunningOne() {
  QSignalSpy progress(panel()->runner(), &JobRunner::progress);
  QSignalSpy finished(panel()->runner(), &JobRunner::finished);
  const quint64 first = panel()->startJob(trainRequest("LONG", 100000));
  QVERIFY(progress.wait(kJobTimeoutMs));
  const quint64 second = panel()->startJob(trainRequest("CAL1", 10));
  const auto forwardedBefore = progress.size();
  QCOMPARE(finished.size(), 1);
  QCOMPARE(finished.at(0).at(0).value<JobOutcome>().job, first);
  QVERIFY(finished.at(0).at(0).value<JobOutcome>().cancelled);
  QVERIFY(finished.wait(kJobTimeoutMs));
  QCOMPARE(finished.size(), 2);
  QCOMPARE(finished.at(1).at(0).value<JobOutcome>().job, second);
  QVERIFY(finished.at(1).at(0).value<JobOutcome>().ok);
  // Whatever the first job still reported after it was superseded was dropped.
  for (auto i = forwardedBefore; i < progress.size(); ++i) QCOMPARE(progress.at(i).at(0).value<JobProgress>().job, second);
  QVERIFY(!window->project()->findRun("LONG")->has_value());
  QVERIFY(window->project()->findRun("CAL1")->has_value());
}

// Job 1 was superseded by job 2 (cancelled) and job 2 by job 3 before job 1 had stopped: the
// worker's cancel must still reach job 1, or it runs to its end and writes its run.
void ModelPanelTest::cancellingALaterJobStopsEveryEarlierOne() {
  JobWorker worker;  // on this thread: run() is called directly
  worker.cancel(1);
  worker.cancel(2);
  QSignalSpy finished(&worker, &JobWorker::finished);
  JobRequest request;
  request.projectDir = dir;
  ExportJob e;
  e.format = Format::kYolo;
  e.dir = tmp->path() + "/export";
  e.options.overwrite = true;  // job 1 may have begun the folder
  request.options = e;
  worker.run(1, request);
  QCOMPARE(finished.size(), 1);
  const auto outcome = finished.at(0).at(0).value<JobOutcome>();
  QVERIFY2(outcome.cancelled, qPrintable(outcome.summary));
  // A job after the watermark runs.
  worker.run(3, request);
  QCOMPARE(finished.size(), 2);
  QVERIFY2(finished.at(1).at(0).value<JobOutcome>().ok, qPrintable(finished.at(1).at(0).value<JobOutcome>().summary));
}

// The forms show what the CLI would do without options, and the Select form's VAL tag is its
// own (it once read the Score form's).
void ModelPanelTest::eachFormStartsFromTheLibrarysDefaultsAndReadsItsOwnFields() {
  panel()->setKind(JobKind::kTrain);
  const auto train = panel()->requestFromForm().as<detect::TrainOptions>();
  QCOMPARE(train.preset, detect::TrainOptions{}.preset);
  QCOMPARE(train.valTag, detect::TrainOptions{}.valTag);
  QCOMPARE(train.epochs, detect::TrainOptions{}.epochs);
  QCOMPARE(train.runName, std::string("CAL1"));  // the first name no run has
  panel()->setKind(JobKind::kScore);
  QCOMPARE(panel()->requestFromForm().as<detect::ScoreOptions>().mc.passes, detect::ScoreOptions{}.mc.passes);
  panel()->findChild<QLineEdit*>("scoreValTag")->setText("OTHER");
  panel()->setKind(JobKind::kSelect);
  auto select = panel()->requestFromForm().as<SelectRequest>();
  QCOMPARE(select.options.strategy, SelectOptions{}.strategy);
  QCOMPARE(select.options.budget, kDefaultSelectBudget);
  QCOMPARE(select.valTag, SelectRequest{}.valTag);
  panel()->findChild<QLineEdit*>("selectValTag")->setText("VALX");
  QCOMPARE(panel()->requestFromForm().as<SelectRequest>().valTag, std::string("VALX"));
}

QTEST_MAIN(ModelPanelTest)
#include "model_panel_test.moc"
