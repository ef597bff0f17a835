// The image list side of the GUI: the paged model over the store, sorting and filtering through
// the filter bar, saved views, the difficulty bars and thumbnails loaded off the GUI thread.
#include <sqlite3.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <functional>
#include <memory>

#include "gui/difficulty_delegate.h"
#include "gui/filter_bar.h"
#include "gui/image_list_model.h"
#include "gui/thumbnail_loader.h"

using namespace quarry;
using namespace quarry::gui;

namespace {

// Five images, sorted by name:
//   a.png       0 boxes  unlabeled  GT2       easy
//   b.png       1 pit    reviewed   GT1       unscored
//   c.png       2 scratch (auto)  labeled  GT1,VAL1  hard
//   d.png       3 (scratch, pit, pit)  labeled  VAL1  medium
//   weld_e.png  0 boxes  unlabeled  -         unscored
struct SmallProject {
  QTemporaryDir dir;
  std::unique_ptr<Project> p;
  ImageId a = 0, b = 0, c = 0, d = 0, e = 0;
  RunId run = 0;

  SmallProject() {
    p = *Project::create(dir.path().toStdString());
    const ClassId scratch = *p->addClass("scratch");
    const ClassId pit = *p->addClass("pit");
    a = add("a.png");
    b = add("b.png");
    c = add("c.png");
    d = add("d.png");
    e = add("weld_e.png");
    box(b, pit);
    box(c, scratch, BoxSource::kAuto);
    box(c, scratch, BoxSource::kAuto);
    box(d, scratch);
    box(d, pit);
    box(d, pit);
    QVERIFY(p->setImageStatus(b, ImageStatus::kReviewed).ok());
    QVERIFY(p->tagImages("GT1", {b, c}).ok());
    QVERIFY(p->tagImages("VAL1", {c, d}).ok());
    QVERIFY(p->tagImages("GT2", {a}).ok());
    ModelRun r;
    r.name = "CAL1";
    run = *p->addRun(r);
    QVERIFY(p->putScores({{run, a, 0.1, Difficulty::kEasy, 0, "{}"},
                          {run, c, 2.0, Difficulty::kHard, 0, "{}"},
                          {run, d, 0.9, Difficulty::kMedium, 0, "{}"}})
                .ok());
  }
  ImageId add(const std::string& path) {
    QImage pixels(8, 8, QImage::Format_Grayscale8);
    pixels.fill(128);
    pixels.save(dir.filePath(QString::fromStdString(path)));  // on disk, so the list does not say "missing"
    ImageRecord r;
    r.path = path;
    r.width = r.height = 8;
    return *p->addImage(r);
  }
  void box(ImageId image, ClassId cls, BoxSource source = BoxSource::kManual) {
    Box bx;
    bx.image = image;
    bx.cls = cls;
    bx.w = bx.h = 3;
    bx.source = source;
    QVERIFY(p->addBox(bx).ok());
  }
};

// A project of `n` images named img_00000.png, img_00001.png, ... (name order = number).
std::unique_ptr<Project> numberedProject(const QTemporaryDir& dir, int n) {
  auto p = *Project::create(dir.path().toStdString());
  Project::WriteBatch batch(*p);
  for (int i = 0; i < n; ++i) {
    ImageRecord r;
    r.path = QString("img_%1.png").arg(i, 5, 10, QChar('0')).toStdString();
    r.width = r.height = 8;
    if (!p->addImage(r).ok()) return nullptr;
  }
  if (!batch.commit().ok()) return nullptr;
  return p;
}

QString nameAt(const ImageListModel& model, int row) {
  return model.data(model.index(row, ImageListModel::kName)).toString();
}

ImageListRequest requestFrom(const FilterBar& bar) {
  ImageListRequest request;
  request.filter = bar.query();
  request.difficultyRun = bar.run();
  return request;
}

enum class Hue { kGreen, kYellow, kRed };

bool is(QRgb px, Hue hue) {
  const int r = qRed(px), g = qGreen(px), b = qBlue(px);
  switch (hue) {
    case Hue::kGreen: return g > r + 60 && g > b + 60;
    case Hue::kYellow: return r > 150 && g > 120 && b < 80 && r - g < 80;
    case Hue::kRed: return r > g + 80 && r > b + 80;
  }
  return false;
}

// The heights of the runs of columns holding pixels of `hue`, left to right: one per bar.
QVector<int> barHeights(const QImage& image, Hue hue) {
  QVector<int> bars;
  bool inBar = false;
  for (int x = 0; x < image.width(); ++x) {
    int height = 0;
    for (int y = 0; y < image.height(); ++y) height += is(image.pixel(x, y), hue) ? 1 : 0;
    if (height > 0 && !inBar) bars.append(height);
    if (height > 0) bars.last() = std::max(bars.last(), height);
    inBar = height > 0;
  }
  return bars;
}

}  // namespace

class ImageListTest : public QObject {
  Q_OBJECT

 private slots:
  void modelPassesTheModelTesterThroughRequestsSortsAndRefreshes();
  void largeProjectReadsRightAtPageBoundaries();
  void pagesDroppedFromTheCacheReadRightAgain();
  void cellsShowNameStatusBoxesTagsAndTooltips();
  void imageWhoseFileIsGoneShowsMissingAndComesBackWhenRestored();
  void sortingByEachColumnGivesTheExpectedFirstRow_data();
  void sortingByEachColumnGivesTheExpectedFirstRow();
  void rowOfFindsAnImageInTheSortedFilteredList();
  void difficultyRoleIsTheLevelOrInvalidWhenUnscored();
  void filterBarWidgetsNarrowTheList();
  void searchWaitsForTypingToPause();
  void savedViewRestoresTheFilter();
  void viewTermsTheWidgetsCannotShowStillFilter();
  void filterThatDoesNotFitTheQuerySyntaxIsNotSaved();
  void delegatePaintsOneTwoOrThreeBarsInTheLevelsColour();
  void thumbnailArrivesOffTheGuiThread();
  void thumbnailLoaderAsksOnceAndDropsTheOldestWhenFlooded();
  void brokenStoreReportsInsteadOfCrashing();
};

void ImageListTest::modelPassesTheModelTesterThroughRequestsSortsAndRefreshes() {
  SmallProject s;
  ImageListModel model(s.p.get());
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  QCOMPARE(model.rowCount(), 5);

  ImageListRequest request;
  request.difficultyRun = s.run;
  request.filter.anyTags = {"GT1"};
  model.setRequest(request);
  QCOMPARE(model.rowCount(), 2);
  for (int column = 0; column < ImageListModel::kColumnCount; ++column) {
    model.sort(column, Qt::AscendingOrder);
    model.sort(column, Qt::DescendingOrder);
  }
  model.sort(-1);  // a header with no sort indicator

  // A new image in the filter grows the list; an untagged one shrinks it.
  QVERIFY(s.p->tagImages("GT1", {s.d}).ok());
  model.refresh();
  QCOMPARE(model.rowCount(), 3);
  QVERIFY(s.p->untagImages("GT1", {s.b, s.c}).ok());
  model.refresh();
  QCOMPARE(model.rowCount(), 1);
  model.refresh();
  QCOMPARE(model.rowCount(), 1);
  QVERIFY(s.p->untagImages("GT1", {s.d}).ok());
  model.refresh();
  QCOMPARE(model.rowCount(), 0);
  model.setRequest({});
  QCOMPARE(model.rowCount(), 5);
}

void ImageListTest::largeProjectReadsRightAtPageBoundaries() {
  QTemporaryDir dir;
  auto p = numberedProject(dir, 5000);
  ImageListModel model(p.get());
  QCOMPARE(model.rowCount(), 5000);
  QCOMPARE(model.pageSize(), 200);
  for (int row : {0, 199, 200, 201, 399, 400, 2500, 4799, 4800, 4999, 0})
    QCOMPARE(nameAt(model, row), QString("img_%1.png").arg(row, 5, 10, QChar('0')));
  QVERIFY(!model.index(5000, 0).isValid());
  QCOMPARE(model.imageAt(5000), ImageId(0));

  model.sort(ImageListModel::kName, Qt::DescendingOrder);
  QCOMPARE(nameAt(model, 0), QString("img_04999.png"));
  QCOMPARE(nameAt(model, 200), QString("img_04799.png"));
  QCOMPARE(nameAt(model, 4999), QString("img_00000.png"));
}

void ImageListTest::pagesDroppedFromTheCacheReadRightAgain() {
  // 40 pages, more than the cache keeps: reading them all and back again must refetch.
  QTemporaryDir dir;
  auto p = numberedProject(dir, 8000);
  ImageListModel model(p.get());
  for (int pass = 0; pass < 2; ++pass) {
    for (int row = 0; row < 8000; row += 199)
      QCOMPARE(nameAt(model, row), QString("img_%1.png").arg(row, 5, 10, QChar('0')));
  }
  QCOMPARE(nameAt(model, 7999), QString("img_07999.png"));
  QCOMPARE(nameAt(model, 0), QString("img_00000.png"));
}

void ImageListTest::imageWhoseFileIsGoneShowsMissingAndComesBackWhenRestored() {
  SmallProject s;
  const QString file = s.dir.filePath("c.png");
  const QString moved = s.dir.filePath("c.moved");
  QVERIFY(QFile::rename(file, moved));
  ImageListModel model(s.p.get());
  auto cell = [&](ImageId id, int column, int role = Qt::DisplayRole) {
    return model.index(model.rowOf(id), column).data(role);
  };
  QCOMPARE(cell(s.c, ImageListModel::kStatus).toString(), QString("missing"));
  QCOMPARE(cell(s.c, 0, ImageListModel::kMissingRole).toBool(), true);
  QCOMPARE(cell(s.c, ImageListModel::kStatus, Qt::ForegroundRole).value<QColor>(), QColor(Qt::red));
  const QString tip = cell(s.c, ImageListModel::kStatus, Qt::ToolTipRole).toString();
  QVERIFY2(tip.contains("c.png") && tip.contains("labeled"), qPrintable(tip));
  QCOMPARE(cell(s.c, ImageListModel::kBoxes).toInt(), 2);  // its boxes are still there
  QCOMPARE(cell(s.d, ImageListModel::kStatus).toString(), QString("labeled"));
  QCOMPARE(cell(s.d, 0, ImageListModel::kMissingRole).toBool(), false);

  QVERIFY(QFile::rename(moved, file));
  model.refresh();
  QCOMPARE(cell(s.c, ImageListModel::kStatus).toString(), QString("labeled"));
}

void ImageListTest::cellsShowNameStatusBoxesTagsAndTooltips() {
  SmallProject s;
  const std::string outside = (std::filesystem::path(s.dir.path().toStdString()).parent_path() / "far" / "f.png").string();
  ImageRecord far;
  far.path = outside;  // outside the project: stored absolute, shown by file name
  far.width = far.height = 8;
  const ImageId farId = *s.p->addImage(far);
  ImageListModel model(s.p.get());
  auto cell = [&](ImageId id, int column, int role = Qt::DisplayRole) {
    return model.index(model.rowOf(id), column).data(role);
  };
  QCOMPARE(cell(s.c, ImageListModel::kName).toString(), QString("c.png"));
  QCOMPARE(cell(s.c, ImageListModel::kStatus).toString(), QString("labeled"));
  QCOMPARE(cell(s.c, ImageListModel::kBoxes).toInt(), 2);
  QCOMPARE(cell(s.c, ImageListModel::kTags).toString(), QString("GT1,VAL1"));
  QVERIFY(!cell(s.c, ImageListModel::kDifficulty).isValid());
  QCOMPARE(cell(s.b, ImageListModel::kStatus).toString(), QString("reviewed"));
  QCOMPARE(cell(s.a, ImageListModel::kStatus).toString(), QString("unlabeled"));
  QCOMPARE(cell(s.a, ImageListModel::kBoxes, Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight,
           Qt::AlignRight);
  QCOMPARE(model.imageAt(model.rowOf(s.c)), s.c);
  QCOMPARE(cell(s.c, 0, ImageListModel::kImageIdRole).value<qint64>(), s.c);

  QCOMPARE(cell(farId, ImageListModel::kName).toString(), QString("f.png"));
  QCOMPARE(cell(farId, ImageListModel::kName, Qt::ToolTipRole).toString(), QString::fromStdString(outside));
  QCOMPARE(cell(farId, 0, ImageListModel::kPathRole).toString(), QString::fromStdString(outside));
  QCOMPARE(model.headerData(ImageListModel::kBoxes, Qt::Horizontal).toString(), QString("Boxes"));
}

void ImageListTest::sortingByEachColumnGivesTheExpectedFirstRow_data() {
  QTest::addColumn<int>("column");
  QTest::addColumn<bool>("descending");
  QTest::addColumn<QString>("first");
  QTest::newRow("name") << int(ImageListModel::kName) << false << "a.png";
  QTest::newRow("name desc") << int(ImageListModel::kName) << true << "weld_e.png";
  QTest::newRow("status") << int(ImageListModel::kStatus) << false << "a.png";
  QTest::newRow("status desc") << int(ImageListModel::kStatus) << true << "b.png";
  QTest::newRow("boxes") << int(ImageListModel::kBoxes) << false << "a.png";
  QTest::newRow("boxes desc") << int(ImageListModel::kBoxes) << true << "d.png";
  QTest::newRow("tags") << int(ImageListModel::kTags) << false << "weld_e.png";  // no tags first
  QTest::newRow("tags desc") << int(ImageListModel::kTags) << true << "d.png";     // VAL1
  QTest::newRow("difficulty") << int(ImageListModel::kDifficulty) << false << "b.png";  // unscored first
  QTest::newRow("difficulty desc") << int(ImageListModel::kDifficulty) << true << "c.png";
}

void ImageListTest::sortingByEachColumnGivesTheExpectedFirstRow() {
  QFETCH(int, column);
  QFETCH(bool, descending);
  QFETCH(QString, first);
  SmallProject s;
  ImageListModel model(s.p.get());
  ImageListRequest request;
  request.difficultyRun = s.run;
  model.setRequest(request);
  model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
  QCOMPARE(nameAt(model, 0), first);
  QCOMPARE(model.rowCount(), 5);
  QCOMPARE(model.request().descending, descending);
}

void ImageListTest::rowOfFindsAnImageInTheSortedFilteredList() {
  SmallProject s;
  ImageListModel model(s.p.get());
  QCOMPARE(model.rowOf(s.d), 3);
  model.sort(ImageListModel::kBoxes, Qt::DescendingOrder);
  QCOMPARE(model.rowOf(s.d), 0);
  ImageListRequest request = model.request();
  request.filter.anyTags = {"GT1"};
  model.setRequest(request);
  QCOMPARE(model.rowOf(s.d), -1);
  QCOMPARE(model.imageAt(model.rowOf(s.b)), s.b);
}

void ImageListTest::difficultyRoleIsTheLevelOrInvalidWhenUnscored() {
  SmallProject s;
  ImageListModel model(s.p.get());
  auto level = [&](ImageId id) { return model.index(model.rowOf(id), ImageListModel::kDifficulty).data(ImageListModel::kDifficultyRole); };
  QVERIFY(!level(s.a).isValid());  // no run chosen: nothing is scored
  ImageListRequest request;
  request.difficultyRun = s.run;
  model.setRequest(request);
  QCOMPARE(level(s.a), QVariant(0));
  QCOMPARE(level(s.d), QVariant(1));
  QCOMPARE(level(s.c), QVariant(2));
  QVERIFY(!level(s.b).isValid());
  QVERIFY(!level(s.e).isValid());
  const QModelIndex hard = model.index(model.rowOf(s.c), ImageListModel::kDifficulty);
  // The band, its score and the run that gave it (issue 21: the band alone said too little).
  QCOMPARE(hard.data(Qt::ToolTipRole).toString(), QString("hard: score 2.000 under run CAL1 (higher is harder)"));
  QVERIFY(!hard.data(Qt::DisplayRole).isValid());
}

void ImageListTest::filterBarWidgetsNarrowTheList() {
  SmallProject s;
  ImageListModel model(s.p.get());
  FilterBar bar;
  QObject::connect(&bar, &FilterBar::filterChanged, &model, [&] { model.setRequest(requestFrom(bar)); });
  bar.setProject(s.p.get());
  QCOMPARE(bar.run(), std::optional<RunId>(s.run));  // the newest run is chosen
  QCOMPARE(model.rowCount(), 5);

  auto* status = bar.findChild<QComboBox*>("statusFilter");
  QVERIFY(status);
  status->setCurrentIndex(status->findText("labeled"));
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(bar.queryText(), QString("status:labeled"));
  status->setCurrentIndex(0);
  QCOMPARE(model.rowCount(), 5);

  auto* cls = bar.findChild<QComboBox*>("classFilter");
  cls->setCurrentIndex(cls->findText("pit"));
  QCOMPARE(model.rowCount(), 2);
  cls->setCurrentIndex(0);

  auto* source = bar.findChild<QComboBox*>("sourceFilter");
  source->setCurrentIndex(source->findText("auto"));
  QCOMPARE(model.rowCount(), 1);
  source->setCurrentIndex(0);

  auto tagAction = [&](const QString& tag) -> QAction* {
    for (QAction* action : bar.findChild<QToolButton*>("tagFilter")->menu()->actions())
      if (action->data().toString() == tag) return action;
    return nullptr;
  };
  QVERIFY(tagAction("GT1") && tagAction("VAL1") && tagAction("GT2"));
  tagAction("GT1")->setChecked(true);
  QCOMPARE(model.rowCount(), 2);
  tagAction("VAL1")->setChecked(true);
  QCOMPARE(model.rowCount(), 3);  // any of GT1, VAL1
  bar.findChild<QComboBox*>("tagMode")->setCurrentIndex(1);
  QCOMPARE(model.rowCount(), 1);  // all of them: c.png
  QCOMPARE(bar.queryText(), QString("alltags:GT1,VAL1"));
  tagAction("GT1")->setChecked(false);
  tagAction("VAL1")->setChecked(false);
  QCOMPARE(model.rowCount(), 5);

  bar.findChild<QCheckBox*>("difficultyHard")->setChecked(true);
  QCOMPARE(model.rowCount(), 1);
  bar.findChild<QCheckBox*>("difficultyEasy")->setChecked(true);
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(bar.queryText(), QString("difficulty:easy,hard run:CAL1"));
  auto* run = bar.findChild<QComboBox*>("runFilter");
  run->setCurrentIndex(0);  // without a run the difficulty boxes do not filter
  QVERIFY(!bar.findChild<QCheckBox*>("difficultyHard")->isEnabled());
  QCOMPARE(model.rowCount(), 5);
  QVERIFY(!bar.query().scoreRun);

  bar.clearFilter();
  QCOMPARE(model.rowCount(), 5);
  QCOMPARE(bar.queryText(), QString());
}

void ImageListTest::searchWaitsForTypingToPause() {
  SmallProject s;
  ImageListModel model(s.p.get());
  FilterBar bar;
  QObject::connect(&bar, &FilterBar::filterChanged, &model, [&] { model.setRequest(requestFrom(bar)); });
  bar.setProject(s.p.get());
  QSignalSpy changed(&bar, &FilterBar::filterChanged);
  auto* search = bar.findChild<QLineEdit*>("searchEdit");
  QVERIFY(search);
  QTest::keyClicks(search, "weld");
  QCOMPARE(changed.count(), 0);  // not after every key
  QCOMPARE(model.rowCount(), 5);
  QVERIFY(changed.wait(2000));
  QCOMPARE(changed.count(), 1);
  QCOMPARE(model.rowCount(), 1);
  QCOMPARE(nameAt(model, 0), QString("weld_e.png"));
  QCOMPARE(bar.queryText(), QString("name:weld"));
}

void ImageListTest::savedViewRestoresTheFilter() {
  SmallProject s;
  ImageListModel model(s.p.get());
  FilterBar bar;
  QObject::connect(&bar, &FilterBar::filterChanged, &model, [&] { model.setRequest(requestFrom(bar)); });
  bar.setProject(s.p.get());
  QVERIFY(bar.applyQueryText("tag:GT1,VAL1 status:labeled difficulty:hard run:CAL1"));
  QCOMPARE(model.rowCount(), 1);
  const QString saved = bar.queryText();
  QVERIFY(bar.saveView("hard labeled"));
  auto views = *s.p->views();
  QCOMPARE(views.size(), size_t(1));
  QCOMPARE(QString::fromStdString(views[0].second), saved);
  QCOMPARE(bar.findChild<QComboBox*>("viewCombo")->currentText(), QString("hard labeled"));

  bar.clearFilter();
  QCOMPARE(model.rowCount(), 5);
  QCOMPARE(bar.findChild<QComboBox*>("viewCombo")->currentIndex(), 0);
  QVERIFY(bar.loadView("hard labeled"));
  QCOMPARE(bar.queryText(), saved);
  QCOMPARE(bar.findChild<QComboBox*>("statusFilter")->currentText(), QString("labeled"));
  QVERIFY(bar.findChild<QCheckBox*>("difficultyHard")->isChecked());
  QCOMPARE(model.rowCount(), 1);

  // Another bar on the same project (the next session) sees the view too.
  FilterBar other;
  other.setProject(s.p.get());
  QVERIFY(other.loadView("hard labeled"));
  QCOMPARE(other.queryText(), saved);

  QSignalSpy failed(&bar, &FilterBar::failed);
  QVERIFY(!bar.loadView("no such view"));
  QCOMPARE(failed.count(), 1);
  QVERIFY(bar.removeView("hard labeled"));
  QVERIFY(s.p->views()->empty());
  QCOMPARE(bar.findChild<QComboBox*>("viewCombo")->count(), 1);
}

void ImageListTest::viewTermsTheWidgetsCannotShowStillFilter() {
  SmallProject s;
  ImageListModel model(s.p.get());
  FilterBar bar;
  QObject::connect(&bar, &FilterBar::filterChanged, &model, [&] { model.setRequest(requestFrom(bar)); });
  bar.setProject(s.p.get());
  QVERIFY(bar.applyQueryText("notag:VAL1 status:labeled,reviewed"));
  QCOMPARE(model.rowCount(), 1);  // b.png
  QVERIFY(!bar.findChild<QLabel*>("extraTerms")->isHidden());
  QCOMPARE(bar.queryText(), QString("notag:VAL1 status:labeled,reviewed"));
  bar.findChild<QComboBox*>("classFilter")->setCurrentIndex(1);  // scratch: kept with the extras
  QCOMPARE(model.rowCount(), 0);
  QCOMPARE(bar.queryText(), QString("notag:VAL1 class:scratch status:labeled,reviewed"));
  // A status the user picks replaces the view's statuses rather than widening them.
  bar.findChild<QComboBox*>("classFilter")->setCurrentIndex(0);
  auto* status = bar.findChild<QComboBox*>("statusFilter");
  status->setCurrentIndex(status->findText("unlabeled"));
  QCOMPARE(bar.queryText(), QString("notag:VAL1 status:unlabeled"));
  QCOMPARE(model.rowCount(), 2);
  bar.clearFilter();
  QVERIFY(bar.findChild<QLabel*>("extraTerms")->isHidden());
  QCOMPARE(model.rowCount(), 5);

  QSignalSpy failed(&bar, &FilterBar::failed);
  QVERIFY(!bar.applyQueryText("colour:red"));
  QCOMPARE(failed.count(), 1);
}

void ImageListTest::filterThatDoesNotFitTheQuerySyntaxIsNotSaved() {
  SmallProject s;
  FilterBar bar;
  bar.setProject(s.p.get());
  QSignalSpy failed(&bar, &FilterBar::failed);
  bar.findChild<QLineEdit*>("searchEdit")->setText("weld e");
  QVERIFY(!bar.saveView("spaces"));
  QCOMPARE(failed.count(), 1);
  QVERIFY(s.p->views()->empty());
  bar.findChild<QLineEdit*>("searchEdit")->setText("weld");
  QVERIFY(!bar.saveView(""));  // a view needs a name
  QCOMPARE(failed.count(), 2);
}

void ImageListTest::delegatePaintsOneTwoOrThreeBarsInTheLevelsColour() {
  SmallProject s;
  ImageListModel model(s.p.get());
  ImageListRequest request;
  request.difficultyRun = s.run;
  model.setRequest(request);
  DifficultyDelegate delegate;
  auto paint = [&](ImageId id) {
    QImage image(40, 24, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.state = QStyle::State_Enabled;
    delegate.paint(&painter, option, model.index(model.rowOf(id), ImageListModel::kDifficulty));
    return image;
  };
  struct Case { ImageId id; Hue hue; int bars; };
  for (const Case& c : {Case{s.a, Hue::kGreen, 1}, Case{s.d, Hue::kYellow, 2}, Case{s.c, Hue::kRed, 3}}) {
    const QImage image = paint(c.id);
    for (Hue hue : {Hue::kGreen, Hue::kYellow, Hue::kRed}) {
      const QVector<int> bars = barHeights(image, hue);
      QCOMPARE(bars.size(), hue == c.hue ? c.bars : 0);
      for (int i = 1; i < bars.size(); ++i) QVERIFY(bars[i] > bars[i - 1]);  // rising heights
    }
  }
  const QImage unscored = paint(s.b);
  for (Hue hue : {Hue::kGreen, Hue::kYellow, Hue::kRed}) QVERIFY(barHeights(unscored, hue).isEmpty());
  for (int x = 0; x < unscored.width(); ++x)
    for (int y = 0; y < unscored.height(); ++y) QCOMPARE(unscored.pixel(x, y), qRgb(255, 255, 255));

  const QSize hint = delegate.sizeHint(QStyleOptionViewItem(), model.index(0, ImageListModel::kDifficulty));
  QVERIFY(hint.width() >= 16 && hint.height() >= 16);
}

void ImageListTest::thumbnailArrivesOffTheGuiThread() {
  QTemporaryDir dir;
  auto p = *Project::create(dir.path().toStdString());
  QImage picture(200, 100, QImage::Format_RGB32);
  picture.fill(Qt::darkCyan);
  const QString file = dir.filePath("wide.png");
  QVERIFY(picture.save(file));
  ImageRecord r;
  r.path = p->storedPath(file.toStdString());
  r.width = 200;
  r.height = 100;
  const ImageId id = *p->addImage(r);
  ImageRecord missing;
  missing.path = "missing.png";
  missing.width = missing.height = 8;
  QVERIFY(p->addImage(missing).ok());

  ImageListModel model(p.get());
  auto* loader = model.findChild<ThumbnailLoader*>();
  QVERIFY(loader);
  QSignalSpy ready(loader, &ThumbnailLoader::thumbnailReady);
  QSignalSpy changed(&model, &ImageListModel::dataChanged);
  const QModelIndex name = model.index(model.rowOf(id), ImageListModel::kName);
  QVERIFY(!name.data(Qt::DecorationRole).isValid());  // asked for, not there yet
  model.index(model.rowOf(id) == 0 ? 1 : 0, ImageListModel::kName).data(Qt::DecorationRole);  // the missing file
  QVERIFY(ready.count() > 0 || ready.wait(5000));
  QCOMPARE(ready.first().first().value<qint64>(), id);
  QCOMPARE(changed.count(), 1);
  QCOMPARE(changed.first().first().value<QModelIndex>(), name);
  const QPixmap thumbnail = name.data(Qt::DecorationRole).value<QPixmap>();
  QVERIFY(!thumbnail.isNull());
  QCOMPARE(thumbnail.size(), QSize(48, 24));
  QTest::qWait(100);  // the missing file fails quietly
  QCOMPARE(ready.count(), 1);
}

void ImageListTest::thumbnailLoaderAsksOnceAndDropsTheOldestWhenFlooded() {
  QTemporaryDir dir;
  QImage picture(64, 64, QImage::Format_RGB32);
  picture.fill(Qt::gray);
  const QString file = dir.filePath("p.png");
  QVERIFY(picture.save(file));
  ThumbnailLoader loader(32);
  QSignalSpy ready(&loader, &ThumbnailLoader::thumbnailReady);
  auto settle = [&] {
    while (ready.wait(500)) {
    }
  };
  for (int i = 0; i < 3; ++i) QVERIFY(loader.thumbnail(1, file).isNull());
  settle();
  QCOMPARE(ready.count(), 1);
  QCOMPARE(loader.thumbnail(1, file).size(), QSize(32, 32));

  // A list scrolled fast: the newest requests load, the oldest waiting ones are dropped.
  ready.clear();
  const int flood = ThumbnailLoader::kMaxQueued + 150;
  for (qint64 id = 100; id < 100 + flood; ++id) loader.thumbnail(id, file);
  settle();
  QSet<qint64> arrived;
  for (const auto& args : ready) arrived.insert(args.first().value<qint64>());
  QVERIFY(arrived.size() >= ThumbnailLoader::kMaxQueued);
  QVERIFY(arrived.size() < flood);
  QVERIFY(arrived.contains(100 + flood - 1));
  QVERIFY(!arrived.contains(100 + 50));
  // A dropped row asked for again (scrolled back to) loads then.
  ready.clear();
  QVERIFY(loader.thumbnail(150, file).isNull());
  QVERIFY(ready.wait(5000));
  QVERIFY(!loader.thumbnail(150, file).isNull());
}

void ImageListTest::brokenStoreReportsInsteadOfCrashing() {
  SmallProject s;
  ImageListModel model(s.p.get());
  QSignalSpy failed(&model, &ImageListModel::queryFailed);
  // Another connection takes the images table away under the model's feet.
  sqlite3* db = nullptr;
  QCOMPARE(sqlite3_open(s.p->storeFile().string().c_str(), &db), SQLITE_OK);
  QCOMPARE(sqlite3_exec(db, "ALTER TABLE images RENAME TO images_gone", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  QVERIFY(!model.index(0, 0).data().isValid());  // the cached count, an unreadable page
  QCOMPARE(model.imageAt(0), ImageId(0));
  QCOMPARE(model.rowOf(s.a), -1);
  model.refresh();
  QCOMPARE(model.rowCount(), 0);
  model.sort(ImageListModel::kTags);
  QVERIFY(failed.wait(2000));
  QVERIFY(failed.count() >= 3);
  QVERIFY(!failed.first().first().toString().isEmpty());
}

QTEST_MAIN(ImageListTest)
#include "image_list_test.moc"
