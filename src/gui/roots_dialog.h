// RootsDialog (Project > Image roots): the project's image roots, where each is by default and
// on this machine, how many images each holds and whether its folder is found here. Move a
// root (every image under it follows: the relink after a folder moved or was remounted), map it
// to another folder on this machine only (the per-user roots file), or make a new root over a
// folder, which takes over the absolute paths of images stored there.
//
// GUI thread only; changes go through the window's Project at once.
#pragma once

#include <QDialog>

#include "quarry/store/project.h"

class QLabel;
class QTableWidget;

namespace quarry::gui {

class RootsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit RootsDialog(Project* project, QWidget* parent = nullptr);

  // What the buttons do once they have a folder (tests call these directly).
  bool moveRoot(const QString& name, const QString& folder);
  bool setHere(const QString& name, const QString& folder);  // empty folder: the default again
  QTableWidget* table() const { return table_; }
  QString message() const;

 signals:
  // Images may now resolve to other files: views showing them should read them again.
  void rootsChanged();

 private:
  void reload();
  QString selectedRoot() const;
  bool report(const Status& st, const QString& done);
  Project* project_;
  QTableWidget* table_;
  QLabel* message_;
};

}  // namespace quarry::gui
