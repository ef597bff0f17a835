// ClassPanel: the project's classes in their frozen export order, with add, rename,
// recolour and reorder (ids never change). Picking a class (click or digit key) makes it the
// class of new boxes and is reported so the main window can reclass selected boxes.
// Reordering changes the export order, the digit keys and which trained runs still load, so it
// asks first, naming those. A class may belong to a group: it is listed under the group's row,
// which folds away (projects with dozens of classes), while the order stays the frozen one. Writes go straight to the store; a refusal (a duplicate name, one
// that differs only in case) is shown in the panel itself. GUI thread only.
#pragma once

#include <QColor>
#include <QSet>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

#include "quarry/store/project.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace quarry::gui {

class ClassPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ClassPanel(QWidget* parent = nullptr);
  void setProject(Project* project);
  void reload();

  const std::vector<ClassInfo>& classes() const { return classes_; }
  ClassId currentClass() const;  // 0 when there are no classes
  // Picks the class at `index` in the order (digit keys: index = digit - 1); false when none.
  bool pick(int index);
  // Makes `id` the class the next box is drawn with, without reclassing anything; false when unknown.
  bool setCurrentClass(ClassId id);
  // Puts the current class in `group` ("" takes it out): it shows under the group's row, which
  // folds away; the order (exports, digits) does not change.
  bool setGroupOfCurrent(const QString& group);
  // The group rows shown, "NAME (count)", in the order they appear.
  QStringList groups() const;

  // The panel's actions, also used by its buttons (which ask for names and colours first).
  bool addClass(const QString& name);
  bool renameCurrent(const QString& name);
  bool recolorCurrent(const QColor& color);
  // -1 up, +1 down; only after confirm() agrees to a question saying what the move changes.
  bool moveCurrent(int delta);
  // Asks the user yes or no; a message box unless replaced (tests, scripts).
  void setConfirm(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }
  // The panel's last refusal; empty after a change that worked.
  QString message() const;

 signals:
  void classesChanged();
  void classPicked(quarry::ClassId id);
  void failed(const QString& message);

 private:
  void askAdd();
  void askRename();
  void askColor();
  void askGroup();
  int currentPosition() const;  // the current class's place in the order; -1: none
  bool check(const Status& st);
  void clearMessage();

  Project* project_ = nullptr;
  std::vector<ClassInfo> classes_;
  QTreeWidget* list_;
  std::vector<QTreeWidgetItem*> items_;  // items_[i] shows classes_[i]
  QSet<QString> collapsed_;              // group rows folded by the user
  QLabel* message_;
  std::function<bool(const QString&)> confirm_;
};

}  // namespace quarry::gui
