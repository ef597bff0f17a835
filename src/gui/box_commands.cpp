#include "gui/box_commands.h"

#include <algorithm>

namespace quarry::gui {

BoxEditCommand::BoxEditCommand(Project* project, std::vector<BoxEdit> edits, const QString& text,
                               std::function<void(const Status&)> onApplied)
    : QUndoCommand(text), project_(project), edits_(std::move(edits)), onApplied_(std::move(onApplied)) {}

void BoxEditCommand::redo() {
  // applyEdits stores new ids back into the edits, so a later undo removes the right boxes.
  Status st = applyEdits(*project_, &edits_);
  if (!st.ok()) setObsolete(true);
  if (onApplied_) onApplied_(st);
}

void BoxEditCommand::undo() {
  std::vector<BoxEdit> inverses;
  for (auto it = edits_.rbegin(); it != edits_.rend(); ++it) inverses.push_back(inverse(*it));
  Status st = applyEdits(*project_, &inverses);
  if (onApplied_) onApplied_(st);
}

}  // namespace quarry::gui
