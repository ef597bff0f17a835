#include "quarry/store/box_edit.h"

namespace quarry {

Box editedBox(const Box& box, double x, double y, double w, double h, ClassId cls) {
  Box out = box;
  out.x = x;
  out.y = y;
  out.w = w;
  out.h = h;
  out.cls = cls;
  const bool changed = box.x != x || box.y != y || box.w != w || box.h != h || box.cls != cls;
  if (changed && box.source == BoxSource::kAuto) out.source = BoxSource::kCorrected;
  return out;
}

BoxEdit addEdit(const Box& box) { return {BoxEdit::Kind::kAdd, {}, box}; }
BoxEdit removeEdit(const Box& box) { return {BoxEdit::Kind::kRemove, box, {}}; }
BoxEdit changeEdit(const Box& before, const Box& after) { return {BoxEdit::Kind::kChange, before, after}; }

BoxEdit inverse(const BoxEdit& edit) {
  switch (edit.kind) {
    case BoxEdit::Kind::kAdd: return removeEdit(edit.after);
    case BoxEdit::Kind::kRemove: return addEdit(edit.before);
    case BoxEdit::Kind::kChange: return changeEdit(edit.after, edit.before);
  }
  return edit;
}

Status applyEdit(Project& project, BoxEdit* edit) {
  switch (edit->kind) {
    case BoxEdit::Kind::kAdd: {
      if (edit->after.id > 0) return project.restoreBox(edit->after);
      auto id = project.addBox(edit->after);
      if (!id.ok()) return id.status();
      edit->after.id = *id;
      return Status::Ok();
    }
    case BoxEdit::Kind::kRemove: return project.removeBox(edit->before.id);
    case BoxEdit::Kind::kChange: return project.updateBox(edit->after);
  }
  return Status::InvalidArgument("unknown edit");
}

Status applyEdits(Project& project, std::vector<BoxEdit>* edits) {
  Project::WriteBatch batch(project);
  QUARRY_RETURN_IF_ERROR(batch.status());
  for (BoxEdit& e : *edits) QUARRY_RETURN_IF_ERROR(applyEdit(project, &e));
  return batch.commit();
}

}  // namespace quarry
