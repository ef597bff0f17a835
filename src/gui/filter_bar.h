// FilterBar: the image list's filter: tags (any or all of them), difficulty under one model
// run, class, status, box source and a file-name search, plus named views saved in the store.
//
// The bar only reads the store (tags, classes, runs, views) and writes saved views; the owner
// turns query() and run() into an ImageListRequest when filterChanged() fires. A saved view is
// the CLI's query syntax (quarry/image_query.h), so `quarry export --where` accepts it as well.
// Terms of a view that the widgets cannot show (notag:, several classes) are kept and applied
// until another view is chosen or the filter is cleared. GUI thread only.
//
// Errors from the store are reported through failed(message); the bar then keeps what it had.
#pragma once

#include <QWidget>
#include <functional>
#include <optional>

#include "quarry/store/image_query.h"
#include "quarry/store/project.h"

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTimer;
class QToolButton;

namespace quarry::gui {

class FilterBar : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSearchDelayMs = 200;  // typing pauses this long before the list follows

  explicit FilterBar(QWidget* parent = nullptr);

  // `project` (may be null) must outlive the bar or be replaced first; reloads the lists.
  void setProject(Project* project);
  // Re-reads tags, classes, runs and views, keeping the current choices that still exist.
  // Emits filterChanged() only when a chosen tag, class or run disappeared.
  void reload();

  // The filter the widgets show. Difficulties are set only with a run (see run()).
  ImageQuery query() const;
  // The run whose difficulty the filter uses and the list shows; empty when none is chosen.
  std::optional<RunId> run() const;
  // query() in the CLI syntax, e.g. "tag:GT1,GT2 status:labeled difficulty:hard run:CAL1".
  QString queryText() const;

  // Asks the user yes or no; a message box unless replaced (tests, scripts).
  void setConfirm(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }

 public slots:
  // Sets every widget from a query in the CLI syntax; false (and failed()) when it does not
  // parse. An unknown run leaves the run as it is.
  bool applyQueryText(const QString& text);
  // Saves the current filter under `name` (replacing a view of that name); false (and
  // failed()) when the store refuses it or the filter cannot be written in the query syntax
  // (a search with spaces, say).
  bool saveView(const QString& name);
  // Applies the saved view `name`; false (and failed()) when there is none.
  bool loadView(const QString& name);
  bool removeView(const QString& name);
  // What the Save and Delete buttons do: saving under a name a view already has asks confirm()
  // first whether to replace it, deleting always asks; false when the user says no.
  bool saveViewAsking(const QString& name);
  bool removeViewAsking(const QString& name);
  // Every widget back to "any"; keeps the run.
  void clearFilter();
  // Shows the difficulty of the run named `name` (e.g. after scoring it); false when the bar
  // has no such run. Emits filterChanged() when the run changes.
  bool setRun(const QString& name);

 signals:
  void filterChanged();
  void failed(const QString& message);

 private:
  void buildWidgets();
  void reloadLists();  // tags, classes, runs, views; keeps choices, emits nothing
  void reloadTags();
  void reloadViews(const QString& select);
  bool apply(const QString& text);  // applyQueryText without filterChanged()
  void userChanged();  // a widget changed: back to "no view", then filterChanged()
  void updateLabels();  // the tag button's text and the extra terms
  void askAndSaveView();
  QStringList checkedTags() const;

  Project* project_ = nullptr;
  bool applying_ = false;       // widgets being set from code: no signals
  bool ask(const QString& title, const QString& question);
  std::function<bool(const QString&)> confirm_;
  ImageQuery extra_;            // terms of the applied view that no widget shows
  QToolButton* tags_;
  QMenu* tagMenu_;
  QComboBox* tagMode_;
  QCheckBox* difficulty_[3];    // easy, medium, hard
  QComboBox* run_;
  QComboBox* class_;
  QComboBox* status_;
  QComboBox* source_;
  QLineEdit* search_;
  QTimer* searchDelay_;
  QLabel* extraLabel_;
  QComboBox* views_;
  QToolButton* saveView_;
  QToolButton* removeView_;
};

}  // namespace quarry::gui
