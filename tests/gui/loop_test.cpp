// The rest of the active-learning loop in the window, as an ML lead and an annotator use it:
// the Runs view compares two runs side by side and charts them, a scored run draws its
// uncertainty on the canvas, the easy images' auto boxes are accepted after a question that
// names the counts, and the export dialog refuses an overlap and says what it wrote. Runs under
// QT_QPA_PLATFORM=offscreen with the tiny preset.
#include <QBarSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "gui/canvas.h"
#include "gui/export_dialog.h"
#include "gui/filter_bar.h"
#include "gui/job_runner.h"
#include "gui/main_window.h"
#include "gui/model_panel.h"
#include "gui/runs_view.h"
#include "gui/split_dialog.h"
#include "gui_test_support.h"
#include "quarry/al/accept.h"

using namespace quarry;
using namespace quarry::gui;

namespace {
constexpr int kJobTimeoutMs = 180000;
}

class LoopTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void theRunsViewComparesTwoRunsSideBySide();
  void aScoredRunDrawsItsUncertaintyOnTheCanvas();
  void acceptingEasyImagesAsksWithTheCountsFirst();
  void theExportDialogRefusesAnOverlapAndSaysWhatItWrote();
  void experimentReportsShowAsLearningCurves();
  void theSplitDialogTagsASeededSplitAndExplainsARefusal();

 private:
  // Runs a job through the Model panel and waits for its outcome.
  JobOutcome runJob(const JobRequest& request);
  JobRequest trainRequest(const QString& run, const std::vector<std::string>& tags, long steps) const {
    return test::quickTrain(panel(), run, steps, tags);
  }
  ModelPanel* panel() const { return window->modelPanel(); }

  std::unique_ptr<QTemporaryDir> tmp;
  std::unique_ptr<MainWindow> window;
  QString dir;
  std::vector<ImageId> pool;
};

JobOutcome LoopTest::runJob(const JobRequest& request) {
  QSignalSpy finished(panel()->runner(), &JobRunner::finished);
  panel()->startJob(request);
  if (!finished.wait(kJobTimeoutMs)) return {};
  return finished.at(0).at(0).value<JobOutcome>();
}

// One project for the whole suite: CAL1 on GT1, auto-labels and scores on the pool, CAL2 on
// GT1 plus a GTX tag, as the loop would leave it.
void LoopTest::initTestCase() {
  tmp = std::make_unique<QTemporaryDir>();
  dir = tmp->path() + "/demo";
  pool = test::makeLoopProject(dir);
  QVERIFY(!pool.empty());
  window = test::openWindow(dir);
  QVERIFY(window);
  QVERIFY(runJob(trainRequest("CAL1", {"GT1"}, 400)).ok);
  panel()->setKind(JobKind::kAutoLabel);
  JobRequest label = panel()->requestFromForm();
  label.as<detect::AutoLabelOptions>().scoreThreshold = 0.05;  // a briefly trained model: keep its weak proposals
  QVERIFY(runJob(label).ok);
  panel()->setKind(JobKind::kScore);
  JobRequest score = panel()->requestFromForm();
  score.as<detect::ScoreOptions>().mc.passes = 4;
  score.as<detect::ScoreOptions>().mc.scoreThreshold = 0.05;
  const JobOutcome scored = runJob(score);
  QVERIFY2(scored.ok, qPrintable(scored.summary));
  QVERIFY(window->project()->tagImages("GTX", {pool[0], pool[1]}).ok());
  QVERIFY(runJob(trainRequest("CAL2", {"GT1", "GTX"}, 40)).ok);
}

void LoopTest::cleanupTestCase() { window.reset(); }

void LoopTest::theRunsViewComparesTwoRunsSideBySide() {
  RunsView* view = window->runsView();
  QCOMPARE(view->runsTable()->rowCount(), 2);
  QVERIFY(view->selectRuns({"CAL1", "CAL2"}));
  QCOMPARE(view->selectedRuns(), QStringList({"CAL1", "CAL2"}));
  QTableWidget* t = view->figuresTable();
  QCOMPARE(t->rowCount(), 6);  // the demo's six classes
  QStringList header;
  for (int c = 0; c < t->columnCount(); ++c) header << t->horizontalHeaderItem(c)->text();
  QVERIFY2(header.contains("CAL1 P") && header.contains("CAL2 R") && header.contains(QString::fromUtf8("Δ AP50")),
           qPrintable(header.join(", ")));
  QVERIFY(view->summary()->text().contains("CAL2 minus CAL1"));
  QVERIFY(view->summary()->text().contains("trained on GT1,GTX"));
  // And the labels each was trained on (issue 16), with nothing changed since.
  QVERIFY2(view->summary()->text().contains(QRegularExpression("Labels \\(digest [0-9a-f]{16}\\): trained on [1-9]")),
           qPrintable(view->summary()->text()));
  QVERIFY(view->summary()->text().contains("none changed since"));
  // Loss and VAL mAP per run; precision and recall per run.
  QCOMPARE(view->curveChart()->chart()->series().size(), 4);
  auto* bars = qobject_cast<QBarSeries*>(view->classChart()->chart()->series().value(0));
  QVERIFY(bars);
  QCOMPARE(bars->count(), 4);
  // One run: no difference columns.
  QVERIFY(view->selectRuns({"CAL1"}));
  QCOMPARE(view->figuresTable()->columnCount(), 5);
  QVERIFY(!view->selectRuns({"NOPE"}));
}

void LoopTest::aScoredRunDrawsItsUncertaintyOnTheCanvas() {
  QVERIFY(window->filterBar()->setRun("CAL1"));
  const RunId run = (*window->project()->findRun("CAL1"))->id;
  // A pool image the model found something on.
  ImageId withDetections = 0;
  int detections = 0;
  for (ImageId id : pool) {
    auto s = window->project()->score(run, id);
    if (s.ok() && *s && (*s)->detections > 0) {
      withDetections = id;
      detections = (*s)->detections;
      break;
    }
  }
  QVERIFY2(withDetections, "the model should detect something in the pool at threshold 0.05");
  QVERIFY(window->selectImage(withDetections));
  QCOMPARE(window->canvas()->uncertaintyMarkCount(), detections);
  QVERIFY(!window->canvas()->showUncertainty());
  QTest::keyClick(window.get(), Qt::Key_U);
  QVERIFY(window->canvas()->showUncertainty());
  QTest::keyClick(window.get(), Qt::Key_U);
  QVERIFY(!window->canvas()->showUncertainty());
  // The difficulty chart of the scored run has its bars.
  RunsView* view = window->runsView();
  QVERIFY(view->selectRuns({"CAL1"}));
  QVERIFY(view->difficultyChart()->chart()->title().contains("difficulty scores of"));
  QCOMPARE(view->difficultyChart()->chart()->series().size(), 1);
}

void LoopTest::acceptingEasyImagesAsksWithTheCountsFirst() {
  QVERIFY(window->filterBar()->setRun("CAL1"));
  const RunId run = (*window->project()->findRun("CAL1"))->id;
  // Easy means safe to accept (issue 13), and a model trained for 400 steps may rate nothing easy;
  // what the window asks does not depend on that. Rate three pool images with auto boxes easy,
  // as a good model would.
  auto scores = window->project()->scores(run);
  QVERIFY(scores.ok());
  int rated = 0;
  for (ImageScore& s : *scores) {
    auto boxes = window->project()->boxesOfImages({s.image});
    QVERIFY(boxes.ok());
    const bool autoBoxes = std::any_of(boxes->begin(), boxes->end(), [](const Box& b) { return b.source == BoxSource::kAuto; });
    if (rated < 3 && autoBoxes) {
      s.difficulty = Difficulty::kEasy;
      ++rated;
    }
  }
  QCOMPARE(rated, 3);
  QVERIFY(window->project()->putScores(*scores).ok());
  const auto plan = planAcceptEasy(*window->project(), {}, run);
  QVERIFY(plan.ok());
  QString asked;
  window->setConfirm([&](const QString& q) {
    asked = q;
    return false;  // the user says no: nothing changes
  });
  QCOMPARE(window->acceptEasyImages(), 0);
  QVERIFY2(!plan->images.empty(), "the model should rate some pool images with auto boxes easy");
  QVERIFY2(asked.contains(QString("%1 auto box").arg(plan->autoBoxes)), qPrintable(asked));
  QVERIFY2(asked.contains(QString("%1 easy image").arg(plan->images.size())), qPrintable(asked));
  for (ImageId id : plan->images) QVERIFY(window->project()->image(id)->status != ImageStatus::kReviewed);
  window->setConfirm([](const QString&) { return true; });
  QCOMPARE(window->acceptEasyImages(), static_cast<int>(plan->images.size()));
  for (ImageId id : plan->images) QCOMPARE(window->project()->image(id)->status, ImageStatus::kReviewed);
}

void LoopTest::theExportDialogRefusesAnOverlapAndSaysWhatItWrote() {
  ExportDialog dialog(window->project());
  QCOMPARE(dialog.classOrder()->count(), 6);
  QVERIFY(dialog.classOrder()->item(0)->text().startsWith("0  "));
  const QString out = tmp->path() + "/export";
  dialog.setOutputDir(out);
  dialog.setFormat(Format::kUltralytics);
  QVERIFY(window->project()->tagImages("GT1", {pool[2]}).ok());
  QVERIFY(window->project()->tagImages("VAL1", {pool[2]}).ok());  // now in both
  dialog.setTags("GT1", "VAL1");
  QSignalSpy done(&dialog, &ExportDialog::exported);
  dialog.startExport();
  QVERIFY(done.wait(kJobTimeoutMs));
  QVERIFY(!done.at(0).at(0).value<JobOutcome>().ok);
  QVERIFY2(dialog.result()->text().contains("both"), qPrintable(dialog.result()->text()));
  const QString name = QString::fromStdString(window->project()->image(pool[2])->path).section('/', -1);
  QVERIFY2(dialog.result()->text().contains(name), qPrintable(dialog.result()->text()));
  QVERIFY(window->project()->untagImages("VAL1", {pool[2]}).ok());
  dialog.startExport();
  QVERIFY(done.wait(kJobTimeoutMs));
  const auto outcome = done.at(1).at(0).value<JobOutcome>();
  QVERIFY2(outcome.ok, qPrintable(outcome.summary));
  QVERIFY(dialog.result()->text().startsWith("wrote "));
  QVERIFY(QFileInfo::exists(out + "/data.yaml"));
}

void LoopTest::experimentReportsShowAsLearningCurves() {
  QDir().mkpath(dir + "/reports/demo");
  std::ofstream(QString(dir + "/reports/demo/results.json").toStdString())
      << R"({"models": [{"arm": "CAL1", "round": 0, "labelled": 16, "val": {"map50": 0.2}},)"
      << R"({"arm": "hybrid", "round": 1, "labelled": 26, "val": {"map50": 0.3}},)"
      << R"({"arm": "control", "round": 1, "labelled": 26, "val": {"map50": 0.25}}]})";
  RunsView* view = window->runsView();
  view->reload();
  auto* reports = view->findChild<QComboBox*>("experimentReports");
  QVERIFY(reports);
  QCOMPARE(reports->currentText(), QString("demo"));
  // A line and its dots per arm.
  QCOMPARE(view->experimentChart()->chart()->series().size(), 4);
}

void LoopTest::theSplitDialogTagsASeededSplitAndExplainsARefusal() {
  SplitDialog dialog(window->project());
  // The fixture's split made VAL1 and GT1: the dialog asks before adding to them (issue 21).
  QStringList asked;
  dialog.setConfirm([&](const QString& q) {
    asked << q;
    return true;
  });
  QSignalSpy changed(&dialog, &SplitDialog::tagsChanged);
  dialog.setSizes("three", "2");
  QVERIFY(!dialog.split());
  QVERIFY(dialog.result()->text().contains("count"));
  dialog.setSizes("1000", "2");
  QVERIFY(!dialog.split());
  QVERIFY2(dialog.result()->text().startsWith("Not split"), qPrintable(dialog.result()->text()));
  QCOMPARE(changed.size(), 0);
  dialog.setSizes("3", "2");
  QVERIFY2(dialog.split(), qPrintable(dialog.result()->text()));
  QCOMPARE(changed.size(), 1);
  // The defaults' tags already exist from the fixture's split: the dialog adds to them.
  QVERIFY2(dialog.result()->text().contains("3 tagged VAL1, 2 tagged GT1"), qPrintable(dialog.result()->text()));
  QVERIFY(!asked.isEmpty());
  QVERIFY2(asked.back().contains("VAL1 (10 images)"), qPrintable(asked.back()));
  ImageQuery val;
  val.anyTags = {"VAL1"};
  QCOMPARE(*window->project()->countImages(val), 10 + 3);
}

QTEST_MAIN(LoopTest)
#include "loop_test.moc"
