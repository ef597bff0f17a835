// TagPanel: the project's tags with their image counts, and adding or removing a tag on the
// images selected in the list. Writes go straight to the store. GUI thread only.
#pragma once

#include <QWidget>
#include <vector>

#include "quarry/project.h"

class QLabel;
class QLineEdit;
class QListWidget;

namespace quarry::gui {

class TagPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TagPanel(QWidget* parent = nullptr);
  void setProject(Project* project);
  void reload();
  void setSelectedImages(const std::vector<ImageId>& ids);

  // Adds or removes `tag` on the selected images; false (and failed()) on error.
  bool addTagToSelection(const QString& tag);
  bool removeTagFromSelection(const QString& tag);

 signals:
  void tagsChanged();
  void failed(const QString& message);

 private:
  QString chosenTag() const;
  bool changeSelection(const QString& tag, bool add);
  Project* project_ = nullptr;
  std::vector<ImageId> selected_;
  QListWidget* list_;
  QLineEdit* name_;
  QLabel* selection_;
};

}  // namespace quarry::gui
