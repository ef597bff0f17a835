// Regression tests for the first-day defects (issue 21): ways the window silently mislabelled,
// lost its place or misled. Each drives the window as an annotator or an ML lead would, then
// reads the store back. Runs under QT_QPA_PLATFORM=offscreen.
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/canvas.h"
#include "gui/class_panel.h"
#include "gui/export_dialog.h"
#include "gui/filter_bar.h"
#include "gui/image_list_model.h"
#include "gui/main_window.h"
#include "gui/runs_view.h"
#include "gui/split_dialog.h"
#include "gui/tag_panel.h"
#include "gui_test_support.h"
#include "quarry/demo/demo.h"
#include "quarry/al/split.h"

using namespace quarry;
using namespace quarry::gui;

using test::drag;

namespace {

void press(QWidget* w, Qt::Key key, Qt::KeyboardModifiers mods = Qt::NoModifier) { QTest::keyClick(w, key, mods); }

// A question the window asked, and the answer given.
struct Asked {
  QStringList questions;
  bool answer = false;
  std::function<bool(const QString&)> fn() {
    return [this](const QString& q) {
      questions << q;
      return answer;
    };
  }
};

QStringList itemTexts(QListWidget* list) {
  QStringList out;
  for (int i = 0; i < list->count(); ++i) out << list->item(i)->text();
  return out;
}

}  // namespace

class FirstDayTest : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void aDigitReclassesTheBoxJustDrawnNotTheOneSelectedBefore();
  void markingReviewedOutOfALabeledFilterKeepsCanvasListAndNextInStep();
  void drawingTheFirstBoxOutOfAnUnlabeledFilterLetsDAndTagsFollowTheCanvas();
  void previousAfterTheImageLeftTheListGoesToTheRowBeforeIt();
  void drawingOnTheLastRowOfAnUnlabeledFilterKeepsTheImageAndItsUndo();
  void aFilterThatHidesTheShownImageLeavesTheTagPanelOnIt();
  void reorderingClassesAsksFirstNamingWhatChanges();
  void classNamesDifferingOnlyInCaseAreRefusedInThePanel();
  void anEmptyTagNameIsRefusedInThePanel();
  void theTagPanelShowsTheSelectedImagesTagsWithTheirCounts();
  void savingAViewUnderAnExistingNameAndDeletingOneAsk();
  void theExportDialogDefaultsToTheGtTagsThatExist();
  void theExportDialogCarriesReplaceOnlyWhenTicked();
  void splittingAgainAsksBeforeExtendingTheTags();
  void theDifficultyTooltipGivesTheScoreAndTheRun();
  void theRunsViewSaysTheScoreThresholdAndTheCalibration();
  void theTrainingCurveLinesAreTellableApart();
  void theAppIconIsThere();
  void markingReviewedSaysHowToTakeItBack();
  void aClosedModelPanelComesBackFromViewPanels();

 private:
  // The labelled demo (images have boxes, status labeled) or an unlabelled one.
  void open(bool labeled);
  std::vector<Box> boxesOf(ImageId id) const { return *window->project()->boxes(id); }
  ImageId at(int row) const { return window->listModel()->imageAt(row); }
  QModelIndexList highlighted() const { return window->imageTable()->selectionModel()->selectedRows(); }

  std::unique_ptr<QTemporaryDir> tmp;
  std::unique_ptr<MainWindow> window;
  QString dir;
};

void FirstDayTest::init() { tmp = std::make_unique<QTemporaryDir>(); }

void FirstDayTest::cleanup() { window.reset(); }

void FirstDayTest::open(bool labeled) {
  dir = tmp->path() + "/demo";
  DemoOptions options;
  options.images = 8;
  options.width = 200;
  options.height = 160;
  options.seed = 3;
  QVERIFY(createDemoProject(dir.toStdString(), options, labeled, nullptr).ok());
  window = test::openWindow(dir);
  QVERIFY(window);
  window->canvas()->setFocus();
}

void FirstDayTest::aDigitReclassesTheBoxJustDrawnNotTheOneSelectedBefore() {
  open(false);
  const auto classes = window->classPanel()->classes();
  const ImageId image = window->currentImage();
  drag(window->canvas(), {10, 10}, {60, 60});
  const BoxId a = boxesOf(image).at(0).id;
  window->canvas()->selectBoxes({a});
  press(window.get(), Qt::Key_2);
  drag(window->canvas(), {100, 80}, {160, 140});
  BoxId b = 0;
  for (const Box& x : boxesOf(image))
    if (x.id != a) b = x.id;
  QVERIFY(b);
  QCOMPARE(window->canvas()->selectedBoxes(), std::vector<BoxId>{b});
  press(window.get(), Qt::Key_4);
  for (const Box& x : boxesOf(image)) {
    if (x.id == a) QCOMPARE(x.cls, classes[1].id);  // A keeps the class it was given
    if (x.id == b) QCOMPARE(x.cls, classes[3].id);  // the digit went to B, the box shown selected
  }
}

void FirstDayTest::markingReviewedOutOfALabeledFilterKeepsCanvasListAndNextInStep() {
  open(true);
  QVERIFY(window->filterBar()->applyQueryText("status:labeled"));
  const int rows = window->listModel()->rowCount();
  QVERIFY(rows >= 4);
  // From the middle of the list: D must not fall back to the first row.
  const ImageId first = at(1), second = at(2), third = at(3);
  window->selectImage(first);
  press(window->canvas(), Qt::Key_Space);
  QCOMPARE(window->project()->image(first)->status, ImageStatus::kReviewed);
  QCOMPARE(window->listModel()->rowCount(), rows - 1);
  QCOMPARE(window->currentImage(), first);     // the canvas still shows what was marked
  QVERIFY(highlighted().isEmpty());             // and no other row pretends to be it
  press(window.get(), Qt::Key_D);
  QCOMPARE(window->currentImage(), second);    // the row that followed it, not the first row
  QCOMPARE(window->imageTable()->currentIndex().row(), window->listModel()->rowOf(second));
  press(window.get(), Qt::Key_D);
  QCOMPARE(window->currentImage(), third);
}

void FirstDayTest::drawingTheFirstBoxOutOfAnUnlabeledFilterLetsDAndTagsFollowTheCanvas() {
  open(false);
  QVERIFY(window->filterBar()->applyQueryText("status:unlabeled"));
  const ImageId first = at(2), second = at(3);
  window->selectImage(first);
  drag(window->canvas(), {20, 30}, {80, 90});
  QCOMPARE(boxesOf(first).size(), size_t(1));
  QCOMPARE(window->listModel()->rowOf(first), -1);  // labeled now: out of the list
  QCOMPARE(window->currentImage(), first);
  QVERIFY(highlighted().isEmpty());
  // The tag panel acts on the image the canvas shows.
  QCOMPARE(window->tagPanel()->selectedImages(), std::vector<ImageId>{first});
  QVERIFY(window->tagPanel()->addTagToSelection("CHECKED"));
  QCOMPARE(*window->project()->imageTags(first), std::vector<std::string>{"CHECKED"});
  QVERIFY(window->project()->imageTags(second)->empty());
  press(window.get(), Qt::Key_D);
  QCOMPARE(window->currentImage(), second);
}

void FirstDayTest::previousAfterTheImageLeftTheListGoesToTheRowBeforeIt() {
  open(false);
  QVERIFY(window->filterBar()->applyQueryText("status:unlabeled"));
  const ImageId before = at(1), middle = at(2);
  window->selectImage(middle);
  drag(window->canvas(), {20, 30}, {80, 90});
  QCOMPARE(window->listModel()->rowOf(middle), -1);
  press(window.get(), Qt::Key_A);
  QCOMPARE(window->currentImage(), before);
}

// Found in review: removing the last row moved the view's current row, which showed another image
// and switched the undo history with it.
void FirstDayTest::drawingOnTheLastRowOfAnUnlabeledFilterKeepsTheImageAndItsUndo() {
  open(false);
  QVERIFY(window->filterBar()->applyQueryText("status:unlabeled"));
  const int rows = window->listModel()->rowCount();
  const ImageId last = at(rows - 1);
  window->selectImage(last);
  drag(window->canvas(), {20, 30}, {80, 90});
  QCOMPARE(window->listModel()->rowCount(), rows - 1);
  QCOMPARE(window->currentImage(), last);
  QVERIFY(highlighted().isEmpty());
  press(window.get(), Qt::Key_Z, Qt::ControlModifier);
  QVERIFY(boxesOf(last).empty());  // the undo went to the box just drawn
}

void FirstDayTest::aFilterThatHidesTheShownImageLeavesTheTagPanelOnIt() {
  open(false);
  const ImageId shown = at(3);
  window->selectImage(shown);
  auto* selection = window->imageTable()->selectionModel();
  selection->select(window->listModel()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
  QVERIFY(window->project()->tagImages("HIDE", {shown}).ok());
  window->filterBar()->reload();
  QVERIFY(window->filterBar()->applyQueryText("notag:HIDE"));
  QCOMPARE(window->listModel()->rowOf(shown), -1);
  QCOMPARE(window->tagPanel()->selectedImages(), std::vector<ImageId>{shown});
}

void FirstDayTest::reorderingClassesAsksFirstNamingWhatChanges() {
  open(false);
  ModelRun run;
  run.name = "CAL1";
  QVERIFY(window->project()->addRun(run).ok());
  Asked asked;
  window->setConfirm(asked.fn());
  ClassPanel* panel = window->classPanel();
  const auto before = panel->classes();
  QVERIFY(panel->pick(0));
  asked.answer = false;
  QVERIFY(!panel->moveCurrent(+1));
  QCOMPARE(asked.questions.size(), 1);
  const QString q = asked.questions.front();
  QVERIFY2(q.contains("export") && q.contains("digit") && q.contains("CAL1"), qPrintable(q));
  QCOMPARE((*window->project()->classes())[0].id, before[0].id);  // no: the order stays
  asked.answer = true;
  QVERIFY(panel->moveCurrent(+1));
  QCOMPARE((*window->project()->classes())[1].id, before[0].id);
}

void FirstDayTest::classNamesDifferingOnlyInCaseAreRefusedInThePanel() {
  open(false);
  ClassPanel* panel = window->classPanel();
  QVERIFY(panel->addClass("weld"));
  QVERIFY(panel->message().isEmpty());
  QVERIFY(!panel->addClass("Weld"));
  QVERIFY2(panel->message().contains("only in case"), qPrintable(panel->message()));
  QVERIFY(panel->pick(0));
  QVERIFY(!panel->renameCurrent("WELD"));
  QVERIFY(panel->addClass("porosity"));
  QVERIFY(panel->message().isEmpty());  // the next change that works clears it
}

void FirstDayTest::anEmptyTagNameIsRefusedInThePanel() {
  open(false);
  TagPanel* panel = window->tagPanel();
  QVERIFY(!panel->addTagToSelection("  "));
  QVERIFY2(panel->message().contains("tag name"), qPrintable(panel->message()));
  QVERIFY(panel->addTagToSelection("GT1"));
  QVERIFY(panel->message().isEmpty());
}

void FirstDayTest::theTagPanelShowsTheSelectedImagesTagsWithTheirCounts() {
  open(false);
  Project* p = window->project();
  QVERIFY(p->tagImages("BOTH", {at(0), at(1)}).ok());
  QVERIFY(p->tagImages("ONE", {at(0)}).ok());
  QVERIFY(p->tagImages("ELSEWHERE", {at(4)}).ok());
  auto* selection = window->imageTable()->selectionModel();
  selection->select(window->listModel()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  selection->select(window->listModel()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
  auto* list = window->tagPanel()->findChild<QListWidget*>("tagList");
  QVERIFY(list);
  QCOMPARE(itemTexts(list), (QStringList{"BOTH  (2 of 2)", "ONE  (1 of 2)"}));
}

void FirstDayTest::savingAViewUnderAnExistingNameAndDeletingOneAsk() {
  open(false);
  Asked asked;
  window->setConfirm(asked.fn());
  FilterBar* bar = window->filterBar();
  QVERIFY(bar->applyQueryText("status:unlabeled"));
  QVERIFY(bar->saveViewAsking("todo"));
  QCOMPARE(asked.questions.size(), 0);  // a new name: nothing to ask
  QVERIFY(bar->applyQueryText("status:labeled"));
  asked.answer = false;
  QVERIFY(!bar->saveViewAsking("todo"));
  QCOMPARE(asked.questions.size(), 1);
  QVERIFY2(asked.questions[0].contains("todo") && asked.questions[0].contains("status:unlabeled"),
           qPrintable(asked.questions[0]));
  QCOMPARE((*window->project()->views())[0].second, std::string("status:unlabeled"));
  QVERIFY(!bar->removeViewAsking("todo"));
  QCOMPARE(window->project()->views()->size(), size_t(1));
  asked.answer = true;
  QVERIFY(bar->removeViewAsking("todo"));
  QVERIFY(window->project()->views()->empty());
}

void FirstDayTest::theExportDialogDefaultsToTheGtTagsThatExist() {
  open(true);
  SplitOptions o;
  o.val = {2, 0};
  o.gt = {3, 0};
  QVERIFY(splitImages(*window->project(), o).ok());
  ExportDialog dialog(window->project());
  QCOMPARE(dialog.trainTags(), QString("GT1"));  // no GT2 in this project
  QCOMPARE(dialog.valTags(), QString("VAL1"));
  QVERIFY(window->project()->tagImages("GT2", {at(7)}).ok());
  ExportDialog again(window->project());
  QCOMPARE(again.trainTags(), QString("GT1,GT2"));
}

void FirstDayTest::theExportDialogCarriesReplaceOnlyWhenTicked() {
  open(true);
  ExportDialog dialog(window->project());
  QVERIFY(!dialog.request().as<ExportJob>().options.overwrite);
  dialog.setOverwrite(true);
  QVERIFY(dialog.request().as<ExportJob>().options.overwrite);
}

void FirstDayTest::splittingAgainAsksBeforeExtendingTheTags() {
  open(true);
  Asked asked;
  SplitDialog dialog(window->project());
  dialog.setConfirm(asked.fn());
  dialog.setSizes("2", "2");
  QVERIFY(dialog.split());
  QCOMPARE(asked.questions.size(), 0);
  ImageQuery val;
  val.anyTags = {"VAL1"};
  QCOMPARE(*window->project()->countImages(val), std::int64_t(2));
  asked.answer = false;
  QVERIFY(!dialog.split());
  QCOMPARE(asked.questions.size(), 1);
  QVERIFY2(asked.questions[0].contains("VAL1 (2 images)"), qPrintable(asked.questions[0]));
  QCOMPARE(*window->project()->countImages(val), std::int64_t(2));
  asked.answer = true;
  QVERIFY(dialog.split());
  QCOMPARE(*window->project()->countImages(val), std::int64_t(4));
}

void FirstDayTest::theDifficultyTooltipGivesTheScoreAndTheRun() {
  open(true);
  ModelRun run;
  run.name = "CAL7";
  auto id = window->project()->addRun(run);
  QVERIFY(id.ok());
  ImageScore s;
  s.run = *id;
  s.image = at(0);
  s.score = 1.234;
  s.difficulty = Difficulty::kHard;
  QVERIFY(window->project()->putScores({s}).ok());
  window->filterBar()->reload();
  QVERIFY(window->filterBar()->setRun("CAL7"));
  const int row = window->listModel()->rowOf(s.image);
  const QString tip =
      window->listModel()->data(window->listModel()->index(row, ImageListModel::kDifficulty), Qt::ToolTipRole).toString();
  QVERIFY2(tip.contains("hard") && tip.contains("1.234") && tip.contains("CAL7"), qPrintable(tip));
}

void FirstDayTest::theRunsViewSaysTheScoreThresholdAndTheCalibration() {
  open(true);
  ModelRun run;
  run.name = "CAL1";
  run.paramsJson = R"({"preset": "tiny", "score_threshold": 0.3})";
  run.metricsJson = R"({"val": {"images": 5, "map50": 0.5, "map50_95": 0.2, "efficiency_boost": 1.5, "per_class": []},
    "scoring": {"thresholds": {"medium": 0.1, "hard": 0.9, "source": "val"},
                "combination": {"mode": "learned", "why": "learned: on 5 VAL images, risk-coverage area 0.1 learned"},
                "calibration": {"images": 5, "spearman": 0.61, "auroc": 0.82, "aurc": 0.123, "easy_share": 0,
                                "hard_to_easy_error_ratio": null,
                                "hard_to_easy_error_ratio_reason": "no easy images",
                                "bands": {"easy": {"images": 0}, "medium": {"images": 2, "mean_error": 0.25},
                                          "hard": {"images": 3, "mean_error": 0.5}}}}})";
  QVERIFY(window->project()->addRun(run).ok());
  RunsView* view = window->runsView();
  view->reload();
  QVERIFY(view->selectRuns({"CAL1"}));
  const QString text = view->summary()->text();
  QVERIFY2(text.contains("score ≥ 0.30"), qPrintable(text));
  QVERIFY2(text.contains("AUROC 0.82") && text.contains("Spearman 0.61") && text.contains("AURC 0.123"), qPrintable(text));
  QVERIFY2(text.contains("easy none of the images"), qPrintable(text));
  QVERIFY2(text.contains("combination learned: on 5 VAL images"), qPrintable(text));
  QVERIFY2(text.contains("- (no easy images)") && !text.contains("nan") && !text.contains("inf"), qPrintable(text));
}

void FirstDayTest::theTrainingCurveLinesAreTellableApart() {
  open(true);
  ModelRun run;
  run.name = "CAL1";
  run.metricsJson = R"({"curve": [{"epoch": 1, "loss": 2.0, "val_map50": 0.1}, {"epoch": 2, "loss": 1.0, "val_map50": 0.3}]})";
  QVERIFY(window->project()->addRun(run).ok());
  RunsView* view = window->runsView();
  view->reload();
  QVERIFY(view->selectRuns({"CAL1"}));
  const auto series = view->curveChart()->chart()->series();
  QCOMPARE(series.size(), 2);
  auto* loss = qobject_cast<QLineSeries*>(series[0]);
  auto* map = qobject_cast<QLineSeries*>(series[1]);
  QVERIFY(loss && map);
  QVERIFY(loss->pen().style() != map->pen().style());
  const int hueGap = std::abs(loss->pen().color().hue() - map->pen().color().hue());
  QVERIFY2(std::min(hueGap, 360 - hueGap) >= 60, qPrintable(QString::number(hueGap)));
}

void FirstDayTest::theAppIconIsThere() {
  open(false);
  QVERIFY(QFile::exists(":/quarry/quarry.svg"));
  QVERIFY(!window->windowIcon().isNull());
}

void FirstDayTest::markingReviewedSaysHowToTakeItBack() {
  open(true);
  window->toggleReviewed();
  QVERIFY2(window->statusBar()->currentMessage().contains("Space again"),
           qPrintable(window->statusBar()->currentMessage()));
}

void FirstDayTest::aClosedModelPanelComesBackFromViewPanels() {
  open(false);
  auto* dock = window->findChild<QDockWidget*>("modelDock");
  QVERIFY(dock);
  QVERIFY(window->panelsMenu());
  QAction* toggle = nullptr;
  for (QAction* a : window->panelsMenu()->actions())
    if (a->text().contains("Model")) toggle = a;
  QVERIFY(toggle);
  dock->close();
  QVERIFY(!dock->isVisible());
  toggle->trigger();
  QVERIFY(dock->isVisible());
}

QTEST_MAIN(FirstDayTest)
#include "first_day_test.moc"
