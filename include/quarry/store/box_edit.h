// Box edits as values: what an annotator did to one image's boxes, applied to the store at
// once and undoable. The GUI's undo stack holds these; tests apply them without a GUI.
//
// The source rule lives here: moving, resizing or reclassing an auto box makes it
// `corrected` (it keeps its run and score so the review can be measured later).
#pragma once

#include <vector>

#include "quarry/store/project.h"

namespace quarry {

struct BoxEdit {
  enum class Kind { kAdd, kRemove, kChange };
  Kind kind = Kind::kAdd;
  Box before;  // kRemove, kChange: the box as it was
  Box after;   // kAdd, kChange: the box as it becomes
};

// The box after an annotator gives it this geometry and class.
Box editedBox(const Box& box, double x, double y, double w, double h, ClassId cls);

BoxEdit addEdit(const Box& box);
BoxEdit removeEdit(const Box& box);
BoxEdit changeEdit(const Box& before, const Box& after);

// The edit that undoes `edit`.
BoxEdit inverse(const BoxEdit& edit);

// Writes the edit to the store in one transaction. An add of a box without an id gets one
// (stored back into edit->after.id, so redo after undo reuses it); an add with an id
// restores that box. Fails without writing anything when the store refuses.
Status applyEdit(Project& project, BoxEdit* edit);

// Applies several edits as one transaction (paste of many boxes, delete of a selection).
Status applyEdits(Project& project, std::vector<BoxEdit>* edits);

}  // namespace quarry
