// MainWindow: filling the project from the window (Project > Import, drops) and taking images
// out of it (Image > Remove from project).
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTableView>
#include <QUndoStack>
#include <QUrl>

#include "gui/canvas.h"
#include "gui/class_panel.h"
#include "gui/filter_bar.h"
#include "gui/image_list_model.h"
#include "gui/image_cache.h"
#include "gui/import_dialog.h"
#include "gui/roots_dialog.h"
#include "gui/snapshots_dialog.h"
#include "gui/main_window.h"
#include "gui/qt_convert.h"
#include "gui/tag_panel.h"
#include "ui_main_window.h"

namespace quarry::gui {
namespace {

// The local paths of a drop; empty when anything dropped is not a local file or folder.
QStringList droppedPaths(const QMimeData* mime) {
  QStringList out;
  if (!mime || !mime->hasUrls()) return out;
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) return {};
    out << url.toLocalFile();
  }
  return out;
}

}  // namespace

ImportDialog* MainWindow::openImportDialog(const QString& source, const QStringList& files) {
  if (!project_) {
    chooseProject(true);  // into a new project: its folder first
    if (!project_) return nullptr;
  }
  auto* dialog = new ImportDialog(project_.get(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (!files.isEmpty()) dialog->setFiles(files);
  else if (!source.isEmpty()) dialog->setSource(source);
  connect(dialog, &ImportDialog::imported, this, [this](const JobOutcome& outcome) {
    afterImport();
    statusBar()->showMessage(outcome.cancelled ? tr("Import cancelled: %1").arg(outcome.summary)
                                               : tr("Import: %1").arg(outcome.summary),
                             10000);
  });
  dialog->open();
  return dialog;
}

void MainWindow::afterImport() {
  if (!project_) return;
  classPanel_->reload();
  canvas_->setClasses(classPanel_->classes());
  filterBar_->reload();
  tagPanel_->reload();
  refreshList();
  // A project that was empty shows its first image, as opening it would have.
  if (!current_ && model_ && model_->rowCount() > 0) selectRow(0);
  updateStatus();
}

RootsDialog* MainWindow::openRootsDialog() {
  if (!project_) return nullptr;
  auto* dialog = new RootsDialog(project_.get(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &RootsDialog::rootsChanged, this, &MainWindow::afterRootsChanged);
  dialog->open();
  return dialog;
}

SnapshotsDialog* MainWindow::openSnapshotsDialog() {
  if (!project_) return nullptr;
  auto* dialog = new SnapshotsDialog(qs(project_->dir().string()), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (confirm_) dialog->setConfirm(confirm_);
  connect(dialog, &SnapshotsDialog::restored, this, [this] {
    const QString dir = qs(project_->dir().string());
    const ImageId shown = current_;
    if (openProject(dir) && shown) selectImage(shown);
  });
  dialog->open();
  return dialog;
}

void MainWindow::afterRootsChanged() {
  cache_->clear();
  refreshList();
  if (current_) showImage(current_, shownRow_);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!droppedPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QStringList paths = droppedPaths(event->mimeData());
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  // One folder (or COCO file) is a data set with its own layout; anything else is image files.
  if (paths.size() == 1 && (QFileInfo(paths[0]).isDir() || paths[0].endsWith(".json", Qt::CaseInsensitive))) {
    openImportDialog(paths[0]);
    return;
  }
  for (const QString& p : paths)
    if (QFileInfo(p).isDir()) {
      fail(tr("Drop one folder at a time, or image files: %1 is a folder").arg(p));
      return;
    }
  openImportDialog({}, paths);
}

int MainWindow::removeSelectedImages() {
  if (!project_ || !model_) return 0;
  std::vector<ImageId> ids;
  for (const QModelIndex& index : ui_->imageTable->selectionModel()->selectedRows())
    ids.push_back(model_->imageAt(index.row()));
  if (ids.empty() && current_) ids.push_back(current_);
  if (ids.empty()) return 0;
  auto records = project_->images(ids);
  if (!records.ok()) {
    fail(describe(records.status()));
    return 0;
  }
  auto boxes = project_->boxesOfImages(ids);
  if (!boxes.ok()) {
    fail(describe(boxes.status()));
    return 0;
  }
  const QString question =
      tr("Remove %n image(s) from the project, with their %1 box(es), tags and scores? "
         "The image files on disk are not deleted, and this cannot be undone.",
         nullptr, static_cast<int>(ids.size()))
          .arg(boxes->size());
  const bool yes = confirm_ ? confirm_(question)
                            : QMessageBox::question(this, tr("Remove from project"), question) == QMessageBox::Yes;
  if (!yes) return 0;
  auto removed = project_->removeImages(ids);
  if (!removed.ok()) {
    fail(describe(removed.status()));
    return 0;
  }
  // Undo histories of removed images would edit rows that are gone.
  bool shownGone = false;
  for (ImageId id : ids) {
    if (QUndoStack* stack = stacks_.take(id)) delete stack;
    if (id == current_) shownGone = true;
  }
  if (shownGone) {
    current_ = 0;
    canvas_->setImage({});
    canvas_->setBoxes({});
  }
  const int row = shownRow_;
  filterBar_->reload();
  tagPanel_->reload();
  refreshList();
  // The row that followed the shown image is in its place now (the view's current row may not
  // even change, so show it directly).
  if (shownGone && model_->rowCount() > 0) selectImage(model_->imageAt(std::clamp(row, 0, model_->rowCount() - 1)));
  statusBar()->showMessage(tr("Removed %n image(s) from the project (the files stay on disk).", nullptr,
                              static_cast<int>(*removed)),
                           8000);
  updateStatus();
  return static_cast<int>(*removed);
}

}  // namespace quarry::gui
