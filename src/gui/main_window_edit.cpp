// MainWindow: actions and shortcuts, and turning what the annotator does into box edits.
#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QInputDialog>
#include <QSettings>
#include <QKeySequence>
#include <QMenu>
#include <QMessageBox>
#include <QShortcut>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoStack>
#include <algorithm>
#include <functional>

#include "gui/box_commands.h"
#include "gui/canvas.h"
#include "gui/class_panel.h"
#include "gui/filter_bar.h"
#include "gui/help_dialog.h"
#include "gui/image_list_model.h"
#include "gui/main_window.h"
#include "gui/export_dialog.h"
#include "gui/qt_convert.h"
#include "gui/runs_view.h"
#include "gui/split_dialog.h"
#include "gui/tag_panel.h"
#include "quarry/al/accept.h"
#include "ui_main_window.h"

namespace quarry::gui {

QAction* MainWindow::windowAction(QMenu* menu, const QString& text, const QList<QKeySequence>& keys) {
  auto* a = new QAction(text, this);
  a->setShortcuts(keys);
  // Window-wide, so the keys work whether the list or the canvas has focus.
  a->setShortcutContext(Qt::WindowShortcut);
  menu->addAction(a);
  addAction(a);
  return a;
}

void MainWindow::buildActions() {
  auto action = [this](QMenu* menu, const QString& text, const QList<QKeySequence>& keys, auto slot) {
    QAction* a = windowAction(menu, text, keys);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  QMenu* project = ui_->menuProject;
  action(project, tr("&Open project..."), {QKeySequence::Open}, [this] { chooseProject(false); });
  action(project, tr("&New project..."), {QKeySequence::New}, [this] { chooseProject(true); });
  recentMenu_ = project->addMenu(tr("Open &recent"));
  fillRecentMenu();
  project->addSeparator();
  action(project, tr("&Import images or a data set..."), {QKeySequence("Ctrl+I")}, [this] { openImportDialog(); });
  action(project, tr("Image &roots..."), {}, [this] { openRootsDialog(); });
  action(project, tr("S&napshots..."), {}, [this] { openSnapshotsDialog(); });
  action(project, tr("&Split into VAL and GT..."), {}, [this] {
    if (!project_) return;
    auto* dialog = new SplitDialog(project_.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (confirm_) dialog->setConfirm(confirm_);
    connect(dialog, &SplitDialog::tagsChanged, this, [this] {
      filterBar_->reload();
      tagPanel_->reload();
      refreshList();
    });
    dialog->open();
  });
  // Export needs no detector: it is in the menu of every build.
  action(project, tr("&Export data set..."), {QKeySequence("Ctrl+E")}, [this] {
    if (!project_) return;
    auto* dialog = new ExportDialog(project_.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
  });
  project->addSeparator();
  action(project, tr("&Quit"), {QKeySequence::Quit}, [this] { close(); });

  QMenu* edit = ui_->menuEdit;
  auto* undoAction = action(edit, tr("&Undo"), {QKeySequence::Undo}, [this] { undo(); });
  auto* redoAction = action(edit, tr("&Redo"), {QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")}, [this] { redo(); });
  connect(undoGroup_, &QUndoGroup::canUndoChanged, undoAction, &QAction::setEnabled);
  connect(undoGroup_, &QUndoGroup::canRedoChanged, redoAction, &QAction::setEnabled);
  edit->addSeparator();
  auto* draw = action(edit, tr("&Draw boxes"), {QKeySequence("W")}, [this] { canvas_->setDrawMode(!canvas_->drawMode()); });
  draw->setCheckable(true);
  connect(canvas_, &Canvas::drawModeChanged, draw, &QAction::setChecked);
  action(edit, tr("&Copy boxes"), {QKeySequence::Copy}, [this] { copyBoxes(); });
  action(edit, tr("&Paste boxes"), {QKeySequence::Paste}, [this] { pasteBoxes(); });
  askClassAction_ = edit->addAction(tr("As&k for the class after drawing"));
  askClassAction_->setObjectName("askClassAfterDraw");
  askClassAction_->setCheckable(true);
  askClassAction_->setToolTip(tr("Each new box waits for its class (the last used one is offered first); "
                                 "declining drops the box"));
  // Read at start-up without writing it back; the toggle (connected after) writes a change.
  askClassAfterDraw_ = QSettings("Quarry", "quarry-gui").value("draw/askClass", false).toBool();
  askClassAction_->setChecked(askClassAfterDraw_);
  connect(askClassAction_, &QAction::toggled, this, [this](bool on) { setAskClassAfterDraw(on); });
  for (int digit = 1; digit <= 9; ++digit) {
    auto* shortcut = new QShortcut(QKeySequence(QString::number(digit)), this);
    connect(shortcut, &QShortcut::activated, this, [this, digit] { classPanel_->pick(digit - 1); });
  }

  QMenu* image = ui_->menuImage;
  action(image, tr("&Next image"), {QKeySequence("D")}, [this] { nextImage(); });
  action(image, tr("&Previous image"), {QKeySequence("A")}, [this] { previousImage(); });
  action(image, tr("Next to &review (hard first)"), {QKeySequence("Shift+D")}, [this] { nextToReview(); });
  QAction* nextMistakeAction =
      action(image, tr("Next &mistake (the run and the labels disagree)"), {QKeySequence("M")}, [this] { nextMistake(); });
  QAction* previousMistakeAction = action(image, tr("Previous m&istake"), {QKeySequence("Shift+M")}, [this] { previousMistake(); });
  action(image, tr("Mark &reviewed"), {QKeySequence(Qt::Key_Space)}, [this] { toggleReviewed(); });
  action(image, tr("&Accept auto boxes"), {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)},
         [this] { acceptImage(); });
  image->addAction(tr("Accept auto boxes on all &easy images..."), this, [this] { acceptEasyImages(); });
  QAction* removeAction = image->addAction(tr("Re&move from project..."), this, [this] { removeSelectedImages(); });

  QMenu* view = ui_->menuView;
  action(view, tr("&Fit image"), {QKeySequence("F")}, [this] { canvas_->fitToWindow(); });
  action(view, tr("&Actual size"), {QKeySequence("Ctrl+1")}, [this] { canvas_->zoomActualSize(); });
  auto* uncertainty = action(view, tr("Show &uncertainty"), {QKeySequence("U")},
                             [this](bool on) { canvas_->setShowUncertainty(on); });
  uncertainty->setCheckable(true);
  uncertainty->setToolTip(tr("Colour each scored detection by how unsure the model is (green to red), with the "
                             "spread of its Monte-Carlo boxes dotted around it; hover for the components"));
  disagreementsAction_ = action(view, tr("Show &disagreements with the run"), {}, [this](bool on) { setShowDisagreements(on); });
  disagreementsAction_->setCheckable(true);
  disagreementsAction_->setToolTip(tr("Dashed: a confident detection no label matches (magenta), a label the run misses "
                                      "(orange), a detection of another class on a label (cyan)"));
  buildAdjustmentActions(view->addMenu(tr("Image &adjustments")));
  view->addSeparator();
  panelsMenu_ = view->addMenu(tr("&Panels"));
  panelsMenu_->setObjectName("panelsMenu");
  action(view, tr("Model &runs..."), {QKeySequence("Ctrl+R")}, [this] {
    runsView()->show();
    runsView()->raise();
  });

  action(ui_->menuHelp, tr("&Keyboard and mouse"), {QKeySequence::HelpContents}, [this] {
    HelpDialog(this).exec();
  });

  for (QAction* a : ui_->menuEdit->actions())
    if (a == undoAction || a == redoAction || a == draw) ui_->toolBar->addAction(a);
  ui_->toolBar->addSeparator();
  for (QAction* a : ui_->menuImage->actions())
    // Nothing that cannot be undone one click away; the mistakes walk has its keys (the bar is full at 1366 px).
    if (a != removeAction && a != nextMistakeAction && a != previousMistakeAction) ui_->toolBar->addAction(a);
}

void MainWindow::buildAdjustmentActions(QMenu* menu) {
  menu->setObjectName("adjustmentsMenu");
  auto change = [this](auto edit) {
    return [this, edit] {
      DisplayAdjustment a = displayAdjustment();
      edit(a);
      setDisplayAdjustment(a);
    };
  };
  auto add = [this, menu](const QString& text, const QKeySequence& key, std::function<void()> slot) {
    connect(windowAction(menu, text, {key}), &QAction::triggered, this, slot);
  };
  constexpr int step = DisplayAdjustment::kStep;
  add(tr("&Brighter"), QKeySequence("]"), change([](DisplayAdjustment& a) { a.brightness += step; }));
  add(tr("&Darker"), QKeySequence("["), change([](DisplayAdjustment& a) { a.brightness -= step; }));
  add(tr("&More contrast"), QKeySequence("}"), change([](DisplayAdjustment& a) { a.contrast += step; }));
  add(tr("&Less contrast"), QKeySequence("{"), change([](DisplayAdjustment& a) { a.contrast -= step; }));
  add(tr("&Gamma up (lift the shadows)"), QKeySequence("G"), change([](DisplayAdjustment& a) { a.gamma *= 1.1; }));
  add(tr("Gamma d&own"), QKeySequence("Shift+G"), change([](DisplayAdjustment& a) { a.gamma /= 1.1; }));
  add(tr("&Stretch: off, levels, CLAHE"), QKeySequence("C"), change([](DisplayAdjustment& a) {
        a.stretch = a.stretch == DisplayStretch::kOff      ? DisplayStretch::kLevels
                    : a.stretch == DisplayStretch::kLevels ? DisplayStretch::kClahe
                                                           : DisplayStretch::kOff;
      }));
  menu->addSeparator();
  add(tr("&Reset"), QKeySequence("Ctrl+0"), [this] { setDisplayAdjustment({}); });
}

void MainWindow::pushEdits(std::vector<BoxEdit> edits, const QString& text, std::optional<LabelAction> timed) {
  if (!project_ || edits.empty() || !undoStack()) return;
  // Pushing applies the edit at once (afterEdit runs inside push); undo and redo are not timed.
  if (timed) pendingTimed_ = std::make_pair(*timed, static_cast<int>(edits.size()));
  undoStack()->push(new BoxEditCommand(project_.get(), std::move(edits), text,
                                       [this](const Status& st) { afterEdit(st); }));
  pendingTimed_.reset();
}

void MainWindow::afterEdit(const Status& st) {
  if (!st.ok()) fail(tr("Not saved: %1").arg(describe(st)));
  if (st.ok() && pendingTimed_) recordAction(pendingTimed_->first, pendingTimed_->second);
  pendingTimed_.reset();
  reloadBoxes();
  refreshList();
}

void MainWindow::selectAddedBoxes() {
  const auto* cmd = undoStack() ? dynamic_cast<const BoxEditCommand*>(undoStack()->command(undoStack()->index() - 1))
                                : nullptr;
  std::vector<BoxId> ids;
  if (cmd)
    for (const BoxEdit& e : cmd->edits())
      if (e.after.id) ids.push_back(e.after.id);
  canvas_->selectBoxes(ids);
}

void MainWindow::undo() {
  if (undoStack()) undoStack()->undo();
}

void MainWindow::redo() {
  if (undoStack()) undoStack()->redo();
}

void MainWindow::setAskClassAfterDraw(bool on) {
  askClassAfterDraw_ = on;
  if (askClassAction_ && askClassAction_->isChecked() != on) askClassAction_->setChecked(on);
  QSettings("Quarry", "quarry-gui").setValue("draw/askClass", on);
}

ClassId MainWindow::chooseClass(ClassId offered) {
  const auto& classes = classPanel_->classes();
  if (classChooser_) return classChooser_(classes, offered);
  QStringList names;
  int current = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    names << QString("%1  %2").arg(i + 1).arg(qs(classes[i].name));
    if (classes[i].id == offered) current = static_cast<int>(i);
  }
  bool ok = false;
  const QString picked = QInputDialog::getItem(this, tr("Class of the new box"), tr("Class"), names, current, false, &ok);
  if (!ok) return 0;
  const int index = static_cast<int>(names.indexOf(picked));
  return index >= 0 ? classes[static_cast<std::size_t>(index)].id : 0;
}

void MainWindow::onBoxDrawn(const QRectF& rect) {
  if (!project_ || !current_) return;
  ClassId cls = classPanel_->currentClass();
  if (!cls) return fail(tr("Add a class first (the + in the Classes panel)."));
  if (askClassAfterDraw_) {
    cls = chooseClass(cls);
    if (!cls) {
      reloadBoxes();  // the canvas forgets the rectangle it showed
      statusBar()->showMessage(tr("No class chosen: the box was not added."), 4000);
      return;
    }
    classPanel_->setCurrentClass(cls);  // the class just used is offered next time
  }
  Box b;
  b.image = current_;
  b.cls = cls;
  b.x = rect.x();
  b.y = rect.y();
  b.w = rect.width();
  b.h = rect.height();
  b.source = BoxSource::kManual;
  b.author = ss(qEnvironmentVariable("USER", "annotator"));
  pushEdits({addEdit(b)}, tr("Draw box"), LabelAction::kDraw);
  selectAddedBoxes();
}

void MainWindow::onBoxesEdited(const std::vector<GeometryEdit>& changes) {
  // The boxes as stored, not as the canvas shows them: the canvas already moved its copies.
  auto stored = project_->boxes(current_);
  if (!stored.ok()) return fail(describe(stored.status()));
  std::vector<BoxEdit> edits;
  for (const GeometryEdit& c : changes) {
    auto it = std::find_if(stored->begin(), stored->end(), [&](const Box& b) { return b.id == c.id; });
    if (it == stored->end()) continue;
    edits.push_back(changeEdit(*it, editedBox(*it, c.rect.x(), c.rect.y(), c.rect.width(), c.rect.height(), it->cls)));
  }
  const QString text = edits.size() == 1 ? tr("Move box") : tr("Move boxes");
  pushEdits(std::move(edits), text, LabelAction::kAdjust);
}

void MainWindow::deleteBoxes(const std::vector<BoxId>& ids) {
  std::vector<BoxEdit> edits;
  for (const Box& b : canvas_->boxes())
    if (std::find(ids.begin(), ids.end(), b.id) != ids.end()) edits.push_back(removeEdit(b));
  pushEdits(std::move(edits), tr("Delete boxes"), LabelAction::kDelete);
}

void MainWindow::reclassSelected(ClassId cls) {
  const std::vector<BoxId> selected = canvas_->selectedBoxes();
  std::vector<BoxEdit> edits;
  for (const Box& b : canvas_->boxes())
    if (b.cls != cls && std::find(selected.begin(), selected.end(), b.id) != selected.end())
      edits.push_back(changeEdit(b, editedBox(b, b.x, b.y, b.w, b.h, cls)));
  pushEdits(std::move(edits), tr("Change class"), LabelAction::kAdjust);
  canvas_->selectBoxes(selected);
}

void MainWindow::copyBoxes() {
  const std::vector<BoxId> selected = canvas_->selectedBoxes();
  clipboard_.clear();
  for (const Box& b : canvas_->boxes())
    if (selected.empty() || std::find(selected.begin(), selected.end(), b.id) != selected.end())
      clipboard_.push_back(b);
  statusBar()->showMessage(tr("%n box(es) copied", nullptr, static_cast<int>(clipboard_.size())), 3000);
}

void MainWindow::pasteBoxes() {
  if (!current_ || clipboard_.empty()) return;
  const QSize size = canvas_->imageSize();
  std::vector<BoxEdit> edits;
  for (const Box& source : clipboard_) {
    // A pasted box is the annotator's own, clipped to this image's bounds.
    const QRectF r = rectOf(source).intersected(QRectF(0, 0, size.width(), size.height()));
    if (r.width() < 1 || r.height() < 1) continue;
    Box b;
    b.image = current_;
    b.cls = source.cls;
    b.x = r.x();
    b.y = r.y();
    b.w = r.width();
    b.h = r.height();
    b.author = ss(qEnvironmentVariable("USER", "annotator"));
    edits.push_back(addEdit(b));
  }
  pushEdits(std::move(edits), tr("Paste boxes"));
  selectAddedBoxes();
}

void MainWindow::toggleReviewed() {
  if (!project_ || !current_) return;
  auto rec = project_->image(current_);
  if (!rec.ok()) return fail(describe(rec.status()));
  const ImageStatus next = rec->status != ImageStatus::kReviewed ? ImageStatus::kReviewed
                           : canvas_->boxes().empty()          ? ImageStatus::kUnlabeled
                                                               : ImageStatus::kLabeled;
  Status st = project_->setImageStatus(current_, next);
  if (!st.ok()) return fail(describe(st));
  if (next == ImageStatus::kReviewed) recordAction(LabelAction::kVerify, static_cast<int>(canvas_->boxes().size()));
  // The undo history holds box edits only; say how to take this back.
  statusBar()->showMessage(next == ImageStatus::kReviewed
                               ? tr("Marked reviewed. Space again unmarks it (Ctrl+Z undoes box edits only).")
                               : tr("Review mark taken off. Space marks it again."),
                           8000);
  refreshList();
}

int MainWindow::acceptEasyImages() {
  if (!project_ || !model_) return 0;
  const auto run = model_->request().difficultyRun;
  if (!run) {
    fail(tr("Accept easy images: choose the model run whose difficulty to trust (the filter's run)."));
    return 0;
  }
  auto plan = planAcceptEasy(*project_, model_->request().filter, *run);
  if (!plan.ok()) {
    fail(describe(plan.status()));
    return 0;
  }
  if (plan->images.empty()) {
    statusBar()->showMessage(tr("No easy image with auto boxes waits for review in this list."), 5000);
    return 0;
  }
  const QString question = tr("Accept the %1 auto box(es) on %2 easy image(s) of the list as they are, and mark "
                              "these images reviewed?")
                               .arg(plan->autoBoxes)
                               .arg(plan->images.size());
  const bool yes = confirm_ ? confirm_(question)
                            : QMessageBox::question(this, tr("Accept easy images"), question) == QMessageBox::Yes;
  if (!yes) return 0;
  if (Status st = acceptImages(*project_, *plan); !st.ok()) fail(describe(st));
  refreshList();
  return static_cast<int>(plan->images.size());
}

void MainWindow::acceptImage() {
  if (!project_ || !current_) return;
  // The auto boxes stay as the model drew them (source `auto`); the image's review is what
  // records that a person checked them.
  Status st = project_->setImageStatus(current_, ImageStatus::kReviewed);
  if (!st.ok()) return fail(describe(st));
  recordAction(LabelAction::kVerify, static_cast<int>(canvas_->boxes().size()));
  statusBar()->showMessage(tr("Auto boxes accepted and the image marked reviewed. Space unmarks it "
                              "(Ctrl+Z undoes box edits only)."),
                           8000);
  refreshList();
}

void MainWindow::setClock(std::function<double()> clock) {
  clock_ = std::move(clock);
  activeTime_.reset(now());
}

double MainWindow::now() const {
  if (clock_) return clock_();
  return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

void MainWindow::recordAction(LabelAction action, int boxes) {
  if (!project_ || !current_) return;
  ActionTime t;
  t.image = current_;
  t.action = action;
  t.boxes = boxes;
  t.seconds = activeTime_.take(now());
  t.user = ss(qEnvironmentVariable("USER", "annotator"));
  // A time that cannot be written is a status line; the edit it times is saved already.
  if (Status st = project_->recordActionTime(t); !st.ok()) fail(tr("Labelling time not recorded: %1").arg(describe(st)));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseMove:
    case QEvent::KeyPress:
    case QEvent::ShortcutOverride:  // a window shortcut's key may never arrive as a KeyPress
    case QEvent::Wheel:
      activeTime_.input(now());
      break;
    default:
      break;
  }
  return QMainWindow::eventFilter(watched, event);
}

}  // namespace quarry::gui
