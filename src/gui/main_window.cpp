// MainWindow: construction, projects, the image list and showing an image.
// The editing actions are in main_window_edit.cpp.
#include "gui/main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QUrl>
#include <QShortcut>
#include <QTableView>
#include <QUndoGroup>
#include <QUndoStack>
#include <algorithm>

#include "gui/canvas.h"
#include "gui/class_panel.h"
#include "gui/difficulty_delegate.h"
#include "gui/filter_bar.h"
#include "gui/help_dialog.h"
#include "gui/image_cache.h"
#include "gui/image_list_model.h"
#include "gui/model_panel.h"
#include "gui/qt_convert.h"
#include "gui/runs_view.h"
#include "gui/tag_panel.h"
#include "quarry/al/box_uncertainty.h"
#include "quarry/core/log.h"
#include "ui_main_window.h"

// The icon lives in quarry_gui, a static library: its resources register only when asked to.
static void initResources() { Q_INIT_RESOURCE(quarry); }

namespace quarry::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      ui_(std::make_unique<Ui::MainWindow>()),
      canvas_(new Canvas),
      filterBar_(new FilterBar),
      classPanel_(new ClassPanel),
      tagPanel_(new TagPanel),
      modelPanel_(new ModelPanel),
      cache_(new ImageCache(6, this)),
      undoGroup_(new QUndoGroup(this)),
      statusImage_(new QLabel),
      statusCursor_(new QLabel) {
  initResources();
  ui_->setupUi(this);
  setWindowIcon(QIcon(":/quarry/quarry.svg"));
  ui_->listLayout->insertWidget(0, filterBar_);
  ui_->canvasLayout->addWidget(canvas_);
  // The list beside the canvas; the canvas takes what the window gains.
  ui_->mainSplitter->setStretchFactor(0, 0);
  ui_->mainSplitter->setStretchFactor(1, 1);
  ui_->mainSplitter->setSizes({kListWidth, 1000});
  ui_->imageTable->setItemDelegateForColumn(ImageListModel::kDifficulty, new DifficultyDelegate(this));
  // Small thumbnails keep many rows on screen; the name tooltip gives the full path.
  ui_->imageTable->setIconSize(QSize(32, 32));
  ui_->imageTable->verticalHeader()->setDefaultSectionSize(34);
  ui_->imageTable->verticalHeader()->hide();
  setAcceptDrops(true);  // a folder or image files dropped on the window are imported
  statusBar()->addWidget(statusImage_, 1);
  statusBar()->addPermanentWidget(statusCursor_);

  // Input on the canvas and the list is what the labelling time counts as the annotator working.
  for (QObject* watched : {static_cast<QObject*>(canvas_), static_cast<QObject*>(canvas_->viewport()),
                           static_cast<QObject*>(ui_->imageTable), static_cast<QObject*>(ui_->imageTable->viewport())})
    watched->installEventFilter(this);
  connect(canvas_, &Canvas::boxDrawn, this, &MainWindow::onBoxDrawn);
  connect(canvas_, &Canvas::boxesGeometryEdited, this, &MainWindow::onBoxesEdited);
  connect(canvas_, &Canvas::deleteRequested, this, &MainWindow::deleteBoxes);
  connect(canvas_, &Canvas::spaceTapped, this, &MainWindow::toggleReviewed);
  connect(canvas_, &Canvas::cursorMoved, this, [this](const QPointF& p) {
    statusCursor_->setText(QString("%1, %2  %3%").arg(p.x(), 0, 'f', 0).arg(p.y(), 0, 'f', 0).arg(canvas_->zoom() * 100, 0, 'f', 0));
  });
  connect(filterBar_, &FilterBar::filterChanged, this, &MainWindow::onFilterChanged);
  connect(classPanel_, &ClassPanel::classPicked, this, &MainWindow::reclassSelected);
  connect(classPanel_, &ClassPanel::classesChanged, this, [this] {
    canvas_->setClasses(classPanel_->classes());
    filterBar_->reload();
    refreshList();
    statusBar()->showMessage(tr("Classes changed. Class changes are not on the undo history (Ctrl+Z undoes box edits)."),
                             8000);
  });
  connect(classPanel_, &ClassPanel::failed, this, &MainWindow::fail);
  connect(tagPanel_, &TagPanel::tagsChanged, this, [this] {
    filterBar_->reload();
    refreshList();
    statusBar()->showMessage(tr("Tags changed. Tag changes are not on the undo history (Ctrl+Z undoes box edits): "
                                "Remove from selected takes one back."),
                             8000);
  });
  connect(tagPanel_, &TagPanel::failed, this, &MainWindow::fail);
  // The panels share one dock column on the right, so the canvas keeps the room (at least half
  // the window's width at 1366 px): the classes always in view, the tags and the Model panel
  // as tabs below them. Each can be closed, moved or floated, and comes back from View > Panels.
  auto dock = [this](const QString& title, const char* name, QWidget* panel) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(panel);
    addDockWidget(Qt::RightDockWidgetArea, d);
    return d;
  };
  auto* classDock = dock(tr("Classes"), "classDock", classPanel_);
  auto* tagDock = dock(tr("Tags"), "tagDock", tagPanel_);
  auto* modelDock = dock(tr("Model"), "modelDock", modelPanel_);
  splitDockWidget(classDock, tagDock, Qt::Vertical);
  tabifyDockWidget(tagDock, modelDock);
  tagDock->raise();
  resizeDocks({classDock}, {kPanelWidth}, Qt::Horizontal);
  modelPanel_->setMaximumWidth(kPanelWidth + 20);  // the canvas keeps most of the width
  connect(modelPanel_, &ModelPanel::storeChanged, this, &MainWindow::afterJob);
  connect(modelPanel_, &ModelPanel::failed, this, &MainWindow::fail);
  buildActions();
  for (QDockWidget* d : {classDock, tagDock, modelDock}) panelsMenu_->addAction(d->toggleViewAction());
  updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::restoreLayout() {
  QSettings settings("Quarry", "quarry-gui");
  if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
    // First start: most of the screen, not a fixed size that is cramped on one and lost on another.
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
      const QRect free = screen->availableGeometry();
      resize(free.width() * 9 / 10, free.height() * 9 / 10);
      move(free.center() - rect().center());
    }
  }
  restoreState(settings.value("window/state").toByteArray());
  const QList<int> sizes = settings.value("window/splitter").value<QList<int>>();
  if (sizes.size() == 2 && sizes[0] > 0 && sizes[1] > 0) ui_->mainSplitter->setSizes(sizes);
}

void MainWindow::saveLayout() const {
  QSettings settings("Quarry", "quarry-gui");
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/splitter", QVariant::fromValue(ui_->mainSplitter->sizes()));
}

bool MainWindow::openLastProject() {
  const QStringList recent = QSettings("Quarry", "quarry-gui").value("recentProjects").toStringList();
  if (recent.isEmpty() || !QFileInfo::exists(recent.first() + "/" + qs(Project::kStoreFile))) return false;
  const bool dialogs = errorDialogs_;
  errorDialogs_ = false;  // a project that no longer opens is a status line, not a box at start
  const bool opened = openProject(recent.first());
  errorDialogs_ = dialogs;
  return opened;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveLayout();
  QMainWindow::closeEvent(event);
}

QTableView* MainWindow::imageTable() const { return ui_->imageTable; }

void MainWindow::setConfirm(std::function<bool(const QString&)> confirm) {
  confirm_ = std::move(confirm);
  classPanel_->setConfirm(confirm_);
  filterBar_->setConfirm(confirm_);
}

QUndoStack* MainWindow::undoStack() const { return undoGroup_->activeStack(); }

void MainWindow::fail(const QString& message) {
  lastError_ = message;
  statusBar()->showMessage(message, 10000);
}

bool MainWindow::openProject(const QString& dir) {
  auto opened = Project::open(ss(dir));
  if (!opened.ok()) {
    fail(describe(opened.status()));
    if (errorDialogs_) QMessageBox::warning(this, tr("Cannot open project"), lastError_);
    return false;
  }
  // Views hold pointers into the old project: detach them before it goes.
  for (auto* stack : stacks_) delete stack;
  stacks_.clear();
  cache_->clear();
  current_ = 0;
  canvas_->setImage({});
  canvas_->setBoxes({});
  auto* oldModel = model_;
  project_ = std::move(opened).value();
  // Jobs and edits log as the CLI's do, into this project's logs/quarry.log.
  if (const Status logged = logToProject(project_->dir()); !logged.ok()) fail(describe(logged));
  coreLogger()->info("window: opened project {}", project_->dir().string());
  model_ = new ImageListModel(project_.get(), this);
  connect(model_, &ImageListModel::queryFailed, this, &MainWindow::fail);
  // A new filter or sort (a model reset) moves every row: find the shown image's again.
  connect(model_, &QAbstractItemModel::modelReset, this, [this] {
    shownRow_ = current_ ? model_->rowOf(current_) : -1;
    leftRow_ = -1;
  });
  ui_->imageTable->setModel(model_);
  delete oldModel;
  connect(ui_->imageTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& index) {
            if (!syncingSelection_ && index.isValid()) showImage(model_->imageAt(index.row()), index.row());
          });
  connect(ui_->imageTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::onListSelection);
  classPanel_->setProject(project_.get());
  tagPanel_->setProject(project_.get());
  modelPanel_->setProject(project_.get());
  if (runsView_) runsView_->setProject(project_.get());
  filterBar_->setProject(project_.get());
  canvas_->setClasses(classPanel_->classes());
  canvas_->setDisplayAdjustment(savedDisplayAdjustment());
  onFilterChanged();
  ui_->imageTable->horizontalHeader()->setSectionResizeMode(ImageListModel::kName, QHeaderView::Stretch);
  // The name keeps what the fixed columns leave (its tooltip has the whole path).
  ui_->imageTable->setColumnWidth(ImageListModel::kStatus, 66);
  ui_->imageTable->setColumnWidth(ImageListModel::kBoxes, 44);
  ui_->imageTable->setColumnWidth(ImageListModel::kTags, 56);
  ui_->imageTable->setColumnWidth(ImageListModel::kDifficulty, 62);
  setWindowTitle(QString("Quarry — %1").arg(qs(project_->dir().string())));
  addRecent(qs(project_->dir().string()));
  if (model_->rowCount() > 0) selectRow(0);
  updateStatus();
  return true;
}

void MainWindow::onFilterChanged() {
  if (!model_) return;
  ImageListRequest request = model_->request();
  request.filter = filterBar_->query();
  request.difficultyRun = filterBar_->run();
  if (!request.difficultyRun) {
    // Without a chosen run the difficulty column shows the newest run's scores.
    auto runs = project_->runs();
    if (runs.ok() && !runs->empty()) request.difficultyRun = runs->back().id;
  }
  model_->setRequest(request);  // its reset sets shownRow_
  reloadUncertainty();
  const int row = shownRow_;
  if (row >= 0) selectRow(row);
  else onListSelection();  // the reset dropped the selection without a signal
  updateStatus();
}

void MainWindow::refreshList() {
  if (!model_) return;
  // The store has already changed: the row the image had is the one remembered when it was shown.
  const int before = shownRow_;
  // Removing rows may move the view's current row; that is not the annotator choosing an image.
  syncingSelection_ = true;
  model_->refresh();
  syncingSelection_ = false;
  const int after = current_ ? model_->rowOf(current_) : -1;
  shownRow_ = after;
  if (after >= 0) {
    leftRow_ = -1;
    if (ui_->imageTable->selectionModel()->currentIndex().row() != after) {
      syncingSelection_ = true;
      selectRow(after);
      syncingSelection_ = false;
    }
  } else if (current_) {
    if (before >= 0) leftRow_ = before;
    // No row stands for the shown image: highlighting its successor would say it is shown.
    clearHighlight();
  }
  // Rows that stayed keep their indexes but may now show other images: read the selection again.
  onListSelection();
  updateStatus();
}

void MainWindow::afterJob(const JobOutcome& outcome) {
  if (!project_) return;
  filterBar_->reload();
  tagPanel_->reload();
  // Scores are what the list's bars show: show the run just scored.
  if (outcome.kind != JobKind::kScore || !filterBar_->setRun(outcome.runName)) onFilterChanged();
  refreshList();
  if (current_) {
    reloadBoxes();
    reloadUncertainty();
  }
  if (runsView_) runsView_->reload();
  statusBar()->showMessage(QString("%1 %2: %3").arg(toString(outcome.kind), outcome.runName, outcome.summary), 10000);
  updateStatus();
}

RunsView* MainWindow::runsView() {
  if (!runsView_) {
    runsView_ = new RunsView(this);
    connect(runsView_, &RunsView::failed, this, &MainWindow::fail);
    runsView_->setProject(project_.get());
  }
  return runsView_;
}

void MainWindow::selectRow(int row) {
  if (!model_ || row < 0 || row >= model_->rowCount()) return;
  const QModelIndex index = model_->index(row, 0);
  ui_->imageTable->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  ui_->imageTable->scrollTo(index);
}

bool MainWindow::selectImage(ImageId id) {
  if (!project_ || !project_->image(id).ok()) return false;
  const int row = model_->rowOf(id);
  if (row >= 0) {
    selectRow(row);
    if (current_ != id) showImage(id, row);
  } else {
    showImage(id, -1);  // filtered out of the list: still show it, with no row pretending to be it
    clearHighlight();
    onListSelection();
  }
  return current_ == id;
}

bool MainWindow::selectImageByName(const QString& name) {
  if (!project_) return false;
  bool isNumber = false;
  const qint64 id = name.toLongLong(&isNumber);
  if (isNumber) return selectImage(id);
  auto exact = project_->findImageByPath(ss(name));
  if (exact.ok() && *exact) return selectImage((*exact)->id);
  ImageQuery q;
  q.nameContains = ss(name);
  q.limit = 1;
  auto ids = project_->findImages(q);
  return ids.ok() && !ids->empty() && selectImage(ids->front());
}

void MainWindow::clearHighlight() {
  syncingSelection_ = true;
  ui_->imageTable->selectionModel()->clear();
  syncingSelection_ = false;
}

void MainWindow::showImage(ImageId id, int row) {
  if (!project_ || id == 0) return;
  auto rec = project_->image(id);
  if (!rec.ok()) {
    fail(describe(rec.status()));
    return;
  }
  current_ = id;
  leftRow_ = -1;
  shownRow_ = row;
  activeTime_.reset(now());  // time spent on the last image is not this one's
  QString error;
  const QImage image = cache_->get(qs(project_->resolve(rec->path).string()), &error);
  canvas_->setImage(image);
  if (image.isNull()) fail(tr("Image missing or unreadable: %1").arg(error));
  reloadBoxes();
  reloadUncertainty();
  if (!stacks_.contains(id)) {
    auto* stack = new QUndoStack(undoGroup_);
    stacks_.insert(id, stack);
  }
  undoGroup_->setActiveStack(stacks_.value(id));
  prefetchNeighbours();
  updateStatus();
}

void MainWindow::reloadBoxes() {
  auto boxes = project_->boxes(current_);
  if (!boxes.ok()) {
    fail(describe(boxes.status()));
    return;
  }
  canvas_->setBoxes(*boxes);
  reloadDisagreements();  // a label just drawn or fixed may settle one
}

void MainWindow::reloadUncertainty() {
  std::vector<UncertaintyMark> marks;
  const auto run = model_ ? model_->request().difficultyRun : std::nullopt;
  if (project_ && run && current_) {
    auto score = project_->score(*run, current_);
    if (!score.ok()) return fail(describe(score.status()));
    if (*score) {
      auto boxes = boxUncertainties(**score);
      if (!boxes.ok()) return fail(describe(boxes.status()));
      for (const BoxUncertainty& b : *boxes) {
        const auto& d = b.detection;
        marks.push_back({QRectF(d.x, d.y, d.w, d.h), b.combined, b.spreadPixels(), qs(describe(b))});
      }
    }
  }
  canvas_->setUncertainty(marks);
}

void MainWindow::prefetchNeighbours() {
  const int row = shownRow_;  // set by showImage(): no second lookup of the same position
  if (row < 0) return;
  QStringList files;
  for (int r : {row + 1, row - 1, row + 2}) {
    const ImageId id = model_->imageAt(r);
    if (!id) continue;
    auto rec = project_->image(id);
    if (rec.ok()) files << qs(project_->resolve(rec->path).string());
  }
  cache_->prefetch(files);
}

void MainWindow::onListSelection() {
  std::vector<ImageId> ids;
  for (const QModelIndex& index : ui_->imageTable->selectionModel()->selectedRows())
    ids.push_back(model_->imageAt(index.row()));
  // With no row selected (the shown image left the filtered list) the panels act on the canvas.
  if (ids.empty() && current_) ids.push_back(current_);
  tagPanel_->setSelectedImages(ids);
}

void MainWindow::updateStatus() {
  if (!project_) {
    statusImage_->setText(tr("Open a project (Ctrl+O) or create one (Ctrl+N). F1 lists the shortcuts."));
    return;
  }
  QString text = tr("%n image(s) in the list", nullptr, model_ ? model_->rowCount() : 0);
  if (current_) {
    auto rec = project_->image(current_);
    if (rec.ok())
      text = QString("%1   %2 x %3   %4   %5")
                 .arg(qs(rec->path))
                 .arg(rec->width)
                 .arg(rec->height)
                 .arg(qs(toString(rec->status)))
                 .arg(text);
  }
  statusImage_->setText(text);
}

void MainWindow::nextImage() {
  if (!model_) return;
  const int row = model_->rowOf(current_);
  // The image left the list: the row that followed it now sits where it was.
  if (row < 0 && leftRow_ >= 0) return selectRow(leftRow_);
  selectRow(row + 1);
}

void MainWindow::previousImage() {
  if (!model_) return;
  const int row = model_->rowOf(current_);
  if (row < 0 && leftRow_ > 0) return selectRow(std::min(leftRow_, model_->rowCount()) - 1);
  if (row > 0) selectRow(row - 1);
}

void MainWindow::nextToReview() {
  if (!model_) return;
  // Hard images first, then medium, then any image not yet reviewed, in list order.
  ImageListRequest base = model_->request();
  base.limit = 2;
  base.offset = 0;
  base.filter.statuses = {ImageStatus::kUnlabeled, ImageStatus::kLabeled};
  std::vector<std::vector<Difficulty>> tiers;
  if (base.difficultyRun) tiers = {{Difficulty::kHard}, {Difficulty::kMedium}};
  tiers.push_back({});
  for (const auto& tier : tiers) {
    ImageListRequest r = base;
    r.filter.scoreRun = tier.empty() ? std::nullopt : base.difficultyRun;
    r.filter.difficulties = tier;
    auto rows = project_->listImages(r);
    if (!rows.ok()) return fail(describe(rows.status()));
    for (const auto& row : *rows)
      if (row.id != current_) {
        selectImage(row.id);
        return;
      }
  }
  statusBar()->showMessage(tr("Every image in the list is reviewed."), 5000);
}

namespace {

// The settings key of a project's display adjustment (one per project folder, per user).
QString displayKey(const Project& project) {
  return "display/" + QString::fromLatin1(QUrl::toPercentEncoding(qs(project.dir().string())));
}

}  // namespace

const DisplayAdjustment& MainWindow::displayAdjustment() const { return canvas_->displayAdjustment(); }

DisplayAdjustment MainWindow::savedDisplayAdjustment() const {
  if (!project_) return {};
  const QString text = QSettings("Quarry", "quarry-gui").value(displayKey(*project_)).toString();
  // A damaged setting shows the image as it is rather than half adjusted.
  return parseSettingsText(ss(text)).value_or(DisplayAdjustment{});
}

void MainWindow::setDisplayAdjustment(const DisplayAdjustment& adjustment) {
  const DisplayAdjustment a = adjustment.clamped();
  canvas_->setDisplayAdjustment(a);
  if (project_) {
    QSettings settings("Quarry", "quarry-gui");
    if (a.isIdentity()) settings.remove(displayKey(*project_));  // no entry left for a plain view
    else settings.setValue(displayKey(*project_), qs(toSettingsText(a)));
  }
  statusBar()->showMessage(tr("Display: %1 (the image file is not changed)").arg(qs(describe(a))), 4000);
}

void MainWindow::addRecent(const QString& dir) {
  QSettings settings("Quarry", "quarry-gui");
  QStringList recent = settings.value("recentProjects").toStringList();
  recent.removeAll(dir);
  recent.prepend(dir);
  while (recent.size() > 8) recent.removeLast();
  settings.setValue("recentProjects", recent);
  fillRecentMenu();
}

void MainWindow::fillRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  QSettings settings("Quarry", "quarry-gui");
  for (const QString& dir : settings.value("recentProjects").toStringList())
    recentMenu_->addAction(dir, this, [this, dir] { openProject(dir); });
  recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

void MainWindow::chooseProject(bool create) {
  const QString dir = QFileDialog::getExistingDirectory(
      this, create ? tr("Folder for the new project") : tr("Open a project folder"));
  if (dir.isEmpty()) return;
  if (create) {
    auto made = Project::create(ss(dir));
    if (!made.ok()) {
      fail(describe(made.status()));
      QMessageBox::warning(this, tr("Cannot create project"), lastError_);
      return;
    }
  }
  openProject(dir);
}

}  // namespace quarry::gui
