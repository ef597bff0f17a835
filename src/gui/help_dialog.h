// The keyboard reference (F1). The table below is the one list of shortcuts: the dialog
// shows it and the README copies it.
#pragma once

#include <QDialog>
#include <vector>

namespace quarry::gui {

struct ShortcutHelp {
  const char* keys;
  const char* action;
};
const std::vector<ShortcutHelp>& shortcutTable();

class HelpDialog : public QDialog {
  Q_OBJECT

 public:
  explicit HelpDialog(QWidget* parent = nullptr);
};

}  // namespace quarry::gui
