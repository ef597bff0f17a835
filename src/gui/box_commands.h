// Undo commands over box edits. Each command writes to the store when pushed (Qt calls
// redo() on push), so nothing waits for a "Save"; undo and redo write again. A command whose
// first write fails marks itself obsolete, so the stack never holds an edit the store lacks.
#pragma once

#include <QUndoCommand>
#include <functional>
#include <vector>

#include "quarry/store/box_edit.h"

namespace quarry::gui {

class BoxEditCommand : public QUndoCommand {
 public:
  // `onApplied` runs after every write (redo or undo) with its status, e.g. to refresh views.
  BoxEditCommand(Project* project, std::vector<BoxEdit> edits, const QString& text,
                 std::function<void(const Status&)> onApplied);
  void redo() override;
  void undo() override;
  const std::vector<BoxEdit>& edits() const { return edits_; }

 private:
  Project* project_;
  std::vector<BoxEdit> edits_;
  std::function<void(const Status&)> onApplied_;
};

}  // namespace quarry::gui
