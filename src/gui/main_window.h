// MainWindow: the annotation workbench. It wires the image list, the canvas and the panels
// to one Project opened on the GUI thread, and turns what the annotator does into undoable
// box edits that reach the store at once (there is no Save). It holds no logic the core
// lacks: edits, queries and sorting are quarry_core's.
//
// GUI thread only. Errors are shown in the status bar (and in a message box for a project
// that cannot be opened); lastError() keeps the latest for tests.
#pragma once

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "quarry/core/active_time.h"
#include "quarry/core/display_adjust.h"
#include "quarry/store/box_edit.h"
#include "quarry/store/project.h"

class QTableView;
class QUndoGroup;
class QUndoStack;
class QLabel;
class QAction;
class QKeySequence;
class QMenu;
class QDragEnterEvent;
class QDropEvent;
class QCloseEvent;

namespace Ui {
class MainWindow;
}

namespace quarry::gui {

class Canvas;
struct GeometryEdit;
class ClassPanel;
class FilterBar;
class ImageCache;
class ImportDialog;
class RootsDialog;
class SnapshotsDialog;
class ImageListModel;
struct JobOutcome;
class ModelPanel;
class RunsView;
class TagPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens the project in `dir`; on failure keeps the current one and reports why.
  bool openProject(const QString& dir);
  // The project opened last (the first of Open recent), if it is still there; false otherwise.
  bool openLastProject();
  // The window's size and place, its panels and the list's width as the user left them (the
  // settings); on a first start, 90% of the screen. saveLayout() is called on close.
  void restoreLayout();
  void saveLayout() const;
  // The list's and the panel column's widths before the user changes them.
  static constexpr int kListWidth = 340;
  static constexpr int kPanelWidth = 280;
  Project* project() const { return project_.get(); }

  // Shows an image and selects its row in the list; false when it is not in the project.
  bool selectImage(ImageId id);
  // By stored path, file name, or numeric id.
  bool selectImageByName(const QString& name);
  ImageId currentImage() const { return current_; }
  QString lastError() const { return lastError_; }
  // When false, errors go to the status bar only (tests, screenshots); default true.
  void setErrorDialogs(bool on) { errorDialogs_ = on; }

  // What the shortcuts do; public so tests can call them as a user's key would.
  void nextImage();
  void previousImage();
  void nextToReview();
  void toggleReviewed();
  void acceptImage();
  // Marks reviewed every image of the list's filter that the shown run rated easy and that has
  // only auto boxes, after confirm() agrees to a question naming how many images and boxes.
  // Returns how many it marked.
  int acceptEasyImages();
  // Image > Next mistake (M) / Previous mistake (Shift+M): the images where the list's run (the
  // filter's, else the newest) and the human labels disagree, heaviest first (the mistakes
  // queue, quarry/al/mistakes.h); turns the canvas's disagreement marks on. False (and a status
  // line saying why) when there is no run or nothing disagrees.
  bool nextMistake();
  bool previousMistake();
  // View > Show disagreements: the shown image's disagreements with the run, dashed, on the canvas.
  void setShowDisagreements(bool on);
  // The clock labelling time is measured with, in seconds (tests give a fake one); default: the wall clock.
  void setClock(std::function<double()> clock);
  // Asks the user yes or no; a message box unless replaced (tests, scripts).
  // The panels and dialogs the window opens ask through it too.
  void setConfirm(std::function<bool(const QString&)> confirm);
  // The Runs view (created on first use), showing this project.
  RunsView* runsView();
  void copyBoxes();
  void pasteBoxes();
  void deleteBoxes(const std::vector<BoxId>& ids);
  // Image > Remove from project: the list's selected images (or the shown one), after confirm()
  // agrees to a question naming how many images and boxes; the files on disk stay. Returns how
  // many it removed.
  int removeSelectedImages();
  // Project > Import: the import dialog on the open project (after asking for a folder for a new
  // project when none is open), prefilled with `source` (a folder or COCO file) or `files` (image
  // files) when given; the list, classes and tags follow each import it runs. Null when no
  // project was opened.
  ImportDialog* openImportDialog(const QString& source = {}, const QStringList& files = {});
  // Project > Image roots: move a root, map it on this machine; the canvas and list follow.
  RootsDialog* openRootsDialog();
  // Project > Snapshots: make, compare, restore; after a restore the project is opened again
  // (lists, classes, undo histories all start from the restored state).
  SnapshotsDialog* openSnapshotsDialog();
  // Edit > Ask for the class after drawing (labelImg's habit): each new box waits for a class,
  // the last used one offered first; declining drops the box. Remembered in the settings.
  void setAskClassAfterDraw(bool on);
  bool askClassAfterDraw() const { return askClassAfterDraw_; }
  // How the window asks for that class: a list dialog unless replaced (tests). Returns the
  // chosen class, or 0 when declined.
  void setClassChooser(std::function<ClassId(const std::vector<ClassInfo>&, ClassId offered)> chooser) {
    classChooser_ = std::move(chooser);
  }
  void reclassSelected(ClassId cls);
  void undo();
  void redo();

  Canvas* canvas() const { return canvas_; }
  ImageListModel* listModel() const { return model_; }
  QTableView* imageTable() const;
  FilterBar* filterBar() const { return filterBar_; }
  ClassPanel* classPanel() const { return classPanel_; }
  TagPanel* tagPanel() const { return tagPanel_; }
  ModelPanel* modelPanel() const { return modelPanel_; }
  // View > Panels: one checkable action per panel (Classes, Tags, Model), which can be closed.
  QMenu* panelsMenu() const { return panelsMenu_; }
  QUndoStack* undoStack() const;
  // View > Image adjustments: applied to the canvas and remembered for the open project (per
  // user, in the window's settings); display only, never written to an image.
  void setDisplayAdjustment(const DisplayAdjustment& adjustment);
  const DisplayAdjustment& displayAdjustment() const;

 private:
  // A window-wide shortcut action in `menu` (the keys work whichever widget has focus).
  QAction* windowAction(QMenu* menu, const QString& text, const QList<QKeySequence>& keys);
  void buildActions();
  void buildAdjustmentActions(QMenu* view);
  DisplayAdjustment savedDisplayAdjustment() const;
  // `row`: the image's row in the filtered list (-1: not in it), which the caller knows.
  void showImage(ImageId id, int row);
  // No row highlighted, without that counting as the annotator choosing an image.
  void clearHighlight();
  void reloadBoxes();
  // The shown run's uncertainty marks for the current image.
  void reloadUncertainty();
  // The shown run's disagreements with the labels of the current image, when they are shown.
  void reloadDisagreements();
  bool stepMistake(int direction);
  void afterEdit(const Status& st);
  // `timed`: the action this edit is, recorded with its active time once it is saved.
  void pushEdits(std::vector<BoxEdit> edits, const QString& text, std::optional<LabelAction> timed = std::nullopt);
  // Records `action` on the shown image with the active time since the last one (or since it was shown).
  void recordAction(LabelAction action, int boxes);
  double now() const;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void onBoxDrawn(const QRectF& rect);
  // The class for a box just drawn, `offered` first (0: declined).
  ClassId chooseClass(ClassId offered);
  void onBoxesEdited(const std::vector<GeometryEdit>& edits);
  void onFilterChanged();
  void onListSelection();
  void prefetchNeighbours();
  void updateStatus();
  void fail(const QString& message);
  void addRecent(const QString& dir);
  void fillRecentMenu();
  void chooseProject(bool create);
  void selectRow(int row);
  // Re-reads the list after the store changed. When that takes the shown image out of the
  // filtered list, the canvas keeps it, no row stays highlighted, and D / A continue from the
  // row it left (the rows that followed it have moved up into its place).
  void refreshList();
  // Selects the newest command's added boxes on the canvas (a box just drawn or pasted is the
  // selection, and only it, so a digit reclasses what is shown selected).
  void selectAddedBoxes();
  // A model job changed the store: runs, tags, auto boxes or scores are new.
  void afterJob(const JobOutcome& outcome);
  // An import ended (also cancelled or failed): classes, tags and the list may have changed.
  void afterImport();
  // Image roots changed: the same stored paths may now be other files.
  void afterRootsChanged();
  // Dropping a folder, a COCO file or image files opens the import dialog with them.
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

  std::unique_ptr<Ui::MainWindow> ui_;
  std::unique_ptr<Project> project_;
  Canvas* canvas_;
  ImageListModel* model_ = nullptr;
  FilterBar* filterBar_;
  ClassPanel* classPanel_;
  TagPanel* tagPanel_;
  ModelPanel* modelPanel_;
  ImageCache* cache_;
  QUndoGroup* undoGroup_;
  QHash<ImageId, QUndoStack*> stacks_;  // one undo history per image, for the session
  QLabel* statusImage_;
  QLabel* statusCursor_;
  QMenu* recentMenu_ = nullptr;
  QMenu* panelsMenu_ = nullptr;
  ImageId current_ = 0;
  std::vector<Box> clipboard_;
  QString lastError_;
  bool errorDialogs_ = true;
  std::function<bool(const QString&)> confirm_;
  std::function<ClassId(const std::vector<ClassInfo>&, ClassId)> classChooser_;
  bool askClassAfterDraw_ = false;
  bool showDisagreements_ = false;
  // Measured labelling time: input events on the canvas and the list keep it, each saved action
  // takes what accumulated (quarry/core/active_time.h).
  ActiveTime activeTime_;
  std::function<double()> clock_;
  std::optional<std::pair<LabelAction, int>> pendingTimed_;
  QAction* disagreementsAction_ = nullptr;
  QAction* askClassAction_ = nullptr;
  RunsView* runsView_ = nullptr;
  bool syncingSelection_ = false;
  int shownRow_ = -1; // the shown image's row in the list as last read; -1: not in it
  int leftRow_ = -1;  // the row the shown image had before an edit took it out of the list; -1: none
};

}  // namespace quarry::gui
