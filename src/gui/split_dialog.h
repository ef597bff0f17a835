// SplitDialog: the workflow's first step in the window: a seeded random split of the images
// into a validation set and a first ground-truth set (counts or fractions, tag names, seed,
// stratified by class or not). Calls quarry::splitImages on the GUI's Project (one short
// transaction); shows the store's refusal (a pool too small, equal tags) and keeps the dialog open.
// When the tags already hold images it asks first whether to extend them or cancel.
// GUI thread only.
#pragma once

#include <QDialog>
#include <functional>

#include "quarry/store/project.h"
#include "quarry/al/split.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace quarry::gui {

class SplitDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SplitDialog(Project* project, QWidget* parent = nullptr);
  // The form as options; false (and the reason in result()) when a size does not parse.
  bool options(SplitOptions* out) const;
  // Splits with the form's options; true on success (then tagsChanged()). When a tag that would
  // get images already holds some, asks confirm() (a message box unless replaced) whether to add
  // to it; no adds nothing.
  bool split();
  void setConfirm(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }
  QLabel* result() const { return result_; }
  void setSizes(const QString& val, const QString& gt);

 signals:
  void tagsChanged();

 private:
  Project* project_;
  QLineEdit* val_;
  QLineEdit* gt_;
  QLineEdit* valTag_;
  QLineEdit* gtTag_;
  QSpinBox* seed_;
  QCheckBox* stratify_;
  QLabel* result_;
  std::function<bool(const QString&)> confirm_;
};

}  // namespace quarry::gui
