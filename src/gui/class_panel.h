// ClassPanel: the project's classes in their frozen export order, with add, rename,
// recolour and reorder (ids never change). Picking a class (click or digit key) makes it the
// class of new boxes and is reported so the main window can reclass selected boxes.
// Writes go straight to the store. GUI thread only.
#pragma once

#include <QColor>
#include <QWidget>
#include <vector>

#include "quarry/project.h"

class QListWidget;

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

  // The panel's actions, also used by its buttons (which ask for names and colours first).
  bool addClass(const QString& name);
  bool renameCurrent(const QString& name);
  bool recolorCurrent(const QColor& color);
  bool moveCurrent(int delta);  // -1 up, +1 down

 signals:
  void classesChanged();
  void classPicked(quarry::ClassId id);
  void failed(const QString& message);

 private:
  void askAdd();
  void askRename();
  void askColor();
  bool check(const Status& st);

  Project* project_ = nullptr;
  std::vector<ClassInfo> classes_;
  QListWidget* list_;
};

}  // namespace quarry::gui
