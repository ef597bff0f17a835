// Filling a project from the window (issue 15, items 1 and 3): Project > Import with its report,
// progress and cancel, drops of folders and files, relinking a moved folder through its image
// root, Image > Remove from project, and asking for the class right after drawing. Each drives the real window under QT_QPA_PLATFORM=offscreen and
// reads the store back.
#include <QDir>
#include <QFileInfo>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "gui/class_panel.h"
#include "gui/image_list_model.h"
#include "gui/import_dialog.h"
#include "gui/job_runner.h"
#include "gui/main_window.h"
#include "gui/roots_dialog.h"
#include "gui_test_support.h"
#include "quarry/demo/demo.h"

using namespace quarry;
using namespace quarry::gui;

namespace {

constexpr int kImportTimeoutMs = 60000;

// `count` small grey PNGs named img_000.png ... in `dir`, each with content of its own (the same
// bytes twice would be one image: the import finds exact duplicates).
void writeImages(const QString& dir, int count) {
  std::filesystem::create_directories(dir.toStdString());
  const int salt = static_cast<int>(qHash(dir) % 256);
  for (int i = 0; i < count; ++i) {
    cv::Mat m(48, 64, CV_8UC1, cv::Scalar(40 + i % 200));
    m.at<std::uint8_t>(0, 0) = static_cast<std::uint8_t>(i % 256);
    m.at<std::uint8_t>(0, 1) = static_cast<std::uint8_t>(i / 256);
    m.at<std::uint8_t>(0, 2) = static_cast<std::uint8_t>(salt);
    cv::imwrite((dir + QString("/img_%1.png").arg(i, 3, 10, QChar('0'))).toStdString(), m);
  }
}

// Drops these local paths on the window as a file manager would.
void dropOn(QWidget* window, const QStringList& paths) {
  auto* mime = new QMimeData;
  QList<QUrl> urls;
  for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
  mime->setUrls(urls);
  const QPointF at(window->width() / 2.0, window->height() / 2.0);
  QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &drop);
  delete mime;
}

std::int64_t imagesIn(const Project* p) { return p->stats()->images; }

}  // namespace

class ImportTest : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void importingAYoloSetFillsTheListClassesAndTagsWithProgress();
  void aCancelledImportKeepsWhatItCommittedAndTheReportSaysHowMuch();
  void theReportNamesEverySkippedFileAndWhy();
  void droppingAFolderOpensTheImportWithItsFormatGuessed();
  void droppingImageFilesImportsThemOneByOne();
  void removingImagesAsksWithTheCountsAndNeverDeletesTheFiles();
  void relinkingAMovedFolderShowsItsImagesAgainWithOneChange();
  void askingForTheClassAfterDrawingUsesTheChosenOneAndOffersItNext();

 private:
  // An empty project, open in the window.
  void openEmpty();
  // Starts the dialog's import and waits for its report; the outcome.
  JobOutcome runImport(ImportDialog* dialog);

  std::unique_ptr<QTemporaryDir> tmp;
  std::unique_ptr<MainWindow> window;
};

void ImportTest::init() { tmp = std::make_unique<QTemporaryDir>(); }

void ImportTest::cleanup() { window.reset(); }

void ImportTest::openEmpty() {
  const QString dir = tmp->path() + "/project";
  QVERIFY(Project::create(dir.toStdString()).ok());
  window = test::openWindow(dir);
  QVERIFY(window);
}

JobOutcome ImportTest::runImport(ImportDialog* dialog) {
  QSignalSpy done(dialog, &ImportDialog::imported);
  if (!dialog->startImport()) return {};
  if (!done.wait(kImportTimeoutMs)) return {};
  return done.at(0).at(0).value<JobOutcome>();
}

void ImportTest::importingAYoloSetFillsTheListClassesAndTagsWithProgress() {
  openEmpty();
  DemoOptions demo;
  demo.images = 6;
  demo.width = demo.height = 96;
  const QString data = tmp->path() + "/yolo";
  QVERIFY(generateDemoDataset(data.toStdString(), demo).ok());
  ImportDialog* dialog = window->openImportDialog(data);
  QVERIFY(dialog);
  QCOMPARE(dialog->format(), Format::kYolo);
  dialog->setTags("batch1");
  QSignalSpy progress(dialog->runner(), &JobRunner::progress);
  const JobOutcome outcome = runImport(dialog);
  QVERIFY2(outcome.ok, qPrintable(outcome.summary));
  QVERIFY(!progress.isEmpty());
  QCOMPARE(dialog->findChild<QProgressBar*>()->value(), 1000);
  QVERIFY2(dialog->report()->toPlainText().startsWith("imported 6 images (0 already there, 0 skipped)"),
           qPrintable(dialog->report()->toPlainText()));
  QCOMPARE(window->listModel()->rowCount(), 6);
  QCOMPARE(window->classPanel()->classes().size(), demoClassNames().size());
  QVERIFY(window->currentImage() != 0);  // the first image is shown, as opening the project would
  QCOMPARE(window->project()->tags()->at(0).name, std::string("batch1"));
  QCOMPARE(window->project()->tags()->at(0).imageCount, 6);

  // The same set again: nothing doubles, and the report says so.
  const JobOutcome again = runImport(dialog);
  QVERIFY(again.ok);
  QVERIFY2(dialog->report()->toPlainText().startsWith("imported 0 images (6 already there"),
           qPrintable(dialog->report()->toPlainText()));
  QCOMPARE(imagesIn(window->project()), 6);
}

void ImportTest::aCancelledImportKeepsWhatItCommittedAndTheReportSaysHowMuch() {
  openEmpty();
  const QString folder = tmp->path() + "/many";
  writeImages(folder, 400);
  ImportDialog* dialog = window->openImportDialog(folder);
  QSignalSpy done(dialog, &ImportDialog::imported);
  QVERIFY(dialog->startImport());
  dialog->cancelImport();
  QVERIFY(done.wait(kImportTimeoutMs));
  const JobOutcome outcome = done.at(0).at(0).value<JobOutcome>();
  QVERIFY(outcome.cancelled);
  const std::int64_t kept = imagesIn(window->project());
  QVERIFY2(kept < 400, "the import stopped before the end");
  const QString report = dialog->report()->toPlainText();
  QVERIFY2(report.startsWith("Cancelled."), qPrintable(report));
  QVERIFY2(report.contains(QString("imported %1 images").arg(kept)), qPrintable(report));
  QCOMPARE(window->listModel()->rowCount(), static_cast<int>(kept));

  // Running it again finishes the job without doubling what the first run committed.
  const JobOutcome rest = runImport(dialog);
  QVERIFY2(rest.ok, qPrintable(rest.summary));
  QCOMPARE(imagesIn(window->project()), 400);
}

void ImportTest::theReportNamesEverySkippedFileAndWhy() {
  openEmpty();
  const QString folder = tmp->path() + "/mixed";
  writeImages(folder, 2);
  QFile broken(folder + "/broken.png");
  QVERIFY(broken.open(QIODevice::WriteOnly));
  broken.write("not a png");
  broken.close();
  ImportDialog* dialog = window->openImportDialog(folder);
  QCOMPARE(dialog->format(), Format::kFolder);
  const JobOutcome outcome = runImport(dialog);
  QVERIFY(outcome.ok);
  const QString report = dialog->report()->toPlainText();
  QVERIFY2(report.startsWith("imported 2 images (0 already there, 1 skipped)"), qPrintable(report));
  QVERIFY2(report.contains(folder + "/broken.png: "), qPrintable(report));
  QCOMPARE(report.count('\n'), 2);  // the summary and one line per issue
}

void ImportTest::droppingAFolderOpensTheImportWithItsFormatGuessed() {
  openEmpty();
  DemoOptions demo;
  demo.images = 3;
  demo.width = demo.height = 64;
  const QString data = tmp->path() + "/dropped";
  QVERIFY(generateDemoDataset(data.toStdString(), demo).ok());
  dropOn(window.get(), {data});
  auto* dialog = window->findChild<ImportDialog*>();
  QVERIFY(dialog);
  QCOMPARE(dialog->format(), Format::kYolo);
  QCOMPARE(dialog->request().as<ImportJob>().source, data);
  QVERIFY(runImport(dialog).ok);
  QCOMPARE(window->listModel()->rowCount(), 3);
}

void ImportTest::droppingImageFilesImportsThemOneByOne() {
  openEmpty();
  writeImages(tmp->path() + "/a", 2);
  writeImages(tmp->path() + "/b", 1);
  const QStringList files{tmp->path() + "/a/img_000.png", tmp->path() + "/a/img_001.png", tmp->path() + "/b/img_000.png"};
  dropOn(window.get(), files);
  auto* dialog = window->findChild<ImportDialog*>();
  QVERIFY(dialog);
  QCOMPARE(dialog->request().as<ImportJob>().files, files);
  const JobOutcome outcome = runImport(dialog);
  QVERIFY2(outcome.ok, qPrintable(outcome.summary));
  QCOMPARE(imagesIn(window->project()), 3);  // two files of the same name in two folders are two images
}

void ImportTest::relinkingAMovedFolderShowsItsImagesAgainWithOneChange() {
  openEmpty();
  qputenv("QUARRY_ROOTS_FILE", (tmp->path() + "/roots.json").toUtf8());
  writeImages(tmp->path() + "/line", 5);
  ImportDialog* dialog = window->openImportDialog(tmp->path() + "/line");
  QVERIFY(runImport(dialog).ok);
  dialog->close();
  QVERIFY2(dialog->report()->toPlainText().contains("new image root $line"), qPrintable(dialog->report()->toPlainText()));
  const ImageId shown = window->currentImage();
  QVERIFY(!window->canvas()->shownImage().isNull());
  QCOMPARE(window->project()->image(shown)->path, std::string("$line/img_000.png"));

  QVERIFY(QDir().rename(tmp->path() + "/line", tmp->path() + "/moved"));
  // An image of the moved folder the window has not read ahead (it reads the rows beside the shown one).
  QVERIFY(window->selectImage(window->listModel()->imageAt(4)));
  QVERIFY(window->canvas()->shownImage().isNull());
  QVERIFY2(window->lastError().contains("missing"), qPrintable(window->lastError()));

  RootsDialog* roots = window->openRootsDialog();
  QVERIFY(roots);
  QCOMPARE(roots->table()->rowCount(), 1);
  QCOMPARE(roots->table()->item(0, 4)->text(), QString("NOT FOUND"));
  QVERIFY2(roots->moveRoot("line", tmp->path() + "/moved"), qPrintable(roots->message()));
  QCOMPARE(roots->table()->item(0, 4)->text(), QString("yes"));
  QVERIFY(!window->canvas()->shownImage().isNull());  // the image on the canvas is read again
  QCOMPARE(window->project()->image(shown)->path, std::string("$line/img_000.png"));  // no path rewritten
  qunsetenv("QUARRY_ROOTS_FILE");
}

void ImportTest::removingImagesAsksWithTheCountsAndNeverDeletesTheFiles() {
  const QString dir = tmp->path() + "/demo";
  DemoOptions demo;
  demo.images = 8;
  demo.width = demo.height = 96;
  QVERIFY(createDemoProject(dir.toStdString(), demo, true, nullptr).ok());
  window = test::openWindow(dir);
  QVERIFY(window);
  QStringList questions;
  bool answer = false;
  window->setConfirm([&](const QString& q) {
    questions << q;
    return answer;
  });
  QTableView* table = window->imageTable();
  table->selectRow(0);
  table->selectionModel()->select(window->listModel()->index(1, 0),
                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
  const ImageId first = window->listModel()->imageAt(0), second = window->listModel()->imageAt(1);
  const std::size_t boxes = window->project()->boxesOfImages({first, second})->size();
  const QString file = QString::fromStdString(window->project()->resolve(window->project()->image(first)->path).string());

  QCOMPARE(window->removeSelectedImages(), 0);  // declined
  QCOMPARE(questions.size(), 1);
  QVERIFY2(questions[0].contains(QString("Remove 2 image(s) from the project, with their %1 box(es)").arg(boxes)),
           qPrintable(questions[0]));
  QVERIFY2(questions[0].contains("not deleted"), qPrintable(questions[0]));
  QCOMPARE(imagesIn(window->project()), 8);

  answer = true;
  QCOMPARE(window->removeSelectedImages(), 2);
  QCOMPARE(imagesIn(window->project()), 6);
  QCOMPARE(window->listModel()->rowCount(), 6);
  QVERIFY(window->project()->boxesOfImages({first, second})->empty());
  QVERIFY(QFileInfo::exists(file));
  QVERIFY(window->currentImage() != first && window->currentImage() != second);
  QVERIFY(window->currentImage() != 0);
}

void ImportTest::askingForTheClassAfterDrawingUsesTheChosenOneAndOffersItNext() {
  const QString dir = tmp->path() + "/demo";
  DemoOptions demo;
  demo.images = 4;
  demo.width = 200;
  demo.height = 160;
  QVERIFY(createDemoProject(dir.toStdString(), demo, false, nullptr).ok());
  window = test::openWindow(dir);
  QVERIFY(window);
  const auto classes = window->classPanel()->classes();
  QVERIFY(classes.size() >= 3);
  window->setAskClassAfterDraw(true);
  std::vector<ClassId> offered;
  ClassId answer = classes[2].id;
  window->setClassChooser([&](const std::vector<ClassInfo>& all, ClassId first) {
    offered.push_back(first);
    return all.size() == classes.size() ? answer : ClassId{0};
  });
  const ImageId image = window->currentImage();
  test::drag(window->canvas(), {10, 10}, {60, 60});
  auto boxes = *window->project()->boxes(image);
  QCOMPARE(boxes.size(), std::size_t{1});
  QCOMPARE(boxes[0].cls, classes[2].id);

  answer = 0;  // declined: no box
  test::drag(window->canvas(), {80, 80}, {120, 120});
  QCOMPARE(offered.size(), std::size_t{2});
  QCOMPARE(offered[1], classes[2].id);  // the class used last is offered first
  QCOMPARE(window->project()->boxes(image)->size(), std::size_t{1});
  QCOMPARE(window->canvas()->boxes().size(), std::size_t{1});

  window->setAskClassAfterDraw(false);
  test::drag(window->canvas(), {130, 20}, {170, 60});
  QCOMPARE(offered.size(), std::size_t{2});  // not asked
  QCOMPARE(window->project()->boxes(image)->size(), std::size_t{2});
}

QTEST_MAIN(ImportTest)
#include "import_test.moc"
