// TagPanel: the tags of the images selected in the list (or of the image on the canvas when no
// row is selected), each with how many of them carry it, and adding or removing a tag on those
// images. Writes go straight to the store; a refusal (an empty or malformed name) is shown in
// the panel itself, not only in the status bar. GUI thread only.
#pragma once

#include <QWidget>
#include <vector>

#include "quarry/store/project.h"

class QLabel;
class QLineEdit;
class QListWidget;

namespace quarry::gui {

class TagPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TagPanel(QWidget* parent = nullptr);
  void setProject(Project* project);
  // Re-reads the selected images' tags.
  void reload();
  void setSelectedImages(const std::vector<ImageId>& ids);
  const std::vector<ImageId>& selectedImages() const { return selected_; }

  // Adds or removes `tag` on the selected images; false (and failed(), and the panel's message)
  // on error or when the name is empty.
  bool addTagToSelection(const QString& tag);
  bool removeTagFromSelection(const QString& tag);
  // The panel's last refusal; empty after a change that worked.
  QString message() const;

 signals:
  void tagsChanged();
  void failed(const QString& message);

 private:
  QString chosenTag() const;
  bool changeSelection(const QString& tag, bool add);
  void refuse(const QString& message);
  Project* project_ = nullptr;
  std::vector<ImageId> selected_;
  QListWidget* list_;
  QLineEdit* name_;
  QLabel* selection_;
  QLabel* message_;
};

}  // namespace quarry::gui
