// Mouse and keyboard: drawing, selecting, moving, resizing, nudging, panning. The view
// side (image, boxes, zoom, crosshair) is in canvas.cpp.
#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>

#include "gui/canvas.h"
#include "gui/canvas_state.h"

namespace quarry::gui {

using namespace canvas_detail;

void Canvas::mousePressEvent(QMouseEvent* event) {
  State& s = *state_;
  const QPoint vp = event->position().toPoint();
  const bool pan = event->button() == Qt::MiddleButton ||
                   (event->button() == Qt::LeftButton && s.spaceHeld);
  if (s.drag != Drag::kNone) return;  // another button during a drag
  if (!hasImage() || (!pan && event->button() != Qt::LeftButton)) {
    QGraphicsView::mousePressEvent(event);
    return;
  }
  event->accept();
  setFocus(Qt::MouseFocusReason);
  s.button = event->button();
  s.modifiers = event->modifiers();
  s.pressView = s.lastView = vp;
  s.pressScene = toScene(event->position());
  s.dragging = false;
  s.edited.clear();
  if (pan) {
    if (s.spaceHeld) s.pannedWithSpace = true;
    s.drag = Drag::kPan;
    updateCursor(vp);
    return;
  }
  if (drawMode_) {
    s.drag = Drag::kDraw;  // a click without a drag still selects, on release
    return;
  }
  if (BoxItem* item = handleAt(vp, &s.handle)) {
    s.drag = Drag::kResize;
    s.edited.emplace_back(item, item->rect());
    return;
  }
  BoxItem* item = boxAt(vp);
  if (!item) {
    s.drag = Drag::kDraw;
    return;
  }
  if (s.modifiers & Qt::ControlModifier) {
    clickSelect(vp, s.modifiers);
    return;
  }
  s.pressedId = item->id();
  s.pressedWasSelected = item->isBoxSelected();
  // Select on press so that one drag both picks a box and moves it; a selected box keeps
  // the rest of the selection so that the drag moves them all.
  if (!s.pressedWasSelected) applySelection({s.pressedId});
  s.drag = Drag::kMove;
  for (BoxItem* selected : s.items)
    if (selected->isBoxSelected()) s.edited.emplace_back(selected, selected->rect());
}

void Canvas::mouseMoveEvent(QMouseEvent* event) {
  State& s = *state_;
  const QPoint vp = event->position().toPoint();
  const QPointF scenePos = toScene(event->position());
  event->accept();
  moveCrosshair(scenePos, true);
  if (hasImage()) emit cursorMoved(scenePos);
  if (s.drag == Drag::kPan) {
    const QPoint step = vp - s.lastView;
    s.lastView = vp;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - step.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - step.y());
    // Scrolling shifts the painted crosshair along with the image; repaint it in place.
    if (drawMode_) viewport()->update();
    return;
  }
  if (s.drag == Drag::kNone) {
    updateCursor(vp);
    return;
  }
  if (!s.dragging) {
    if ((vp - s.pressView).manhattanLength() < kDragThreshold) return;
    s.dragging = true;
  }
  dragTo(scenePos);
}

void Canvas::mouseReleaseEvent(QMouseEvent* event) {
  if (state_->drag == Drag::kNone || event->button() != state_->button) {
    QGraphicsView::mouseReleaseEvent(event);
    return;
  }
  event->accept();
  finishDrag(event->position().toPoint(), toScene(event->position()));
}

void Canvas::dragTo(const QPointF& scenePos) {
  State& s = *state_;
  const QRectF bounds = imageRect();
  if (s.drag == Drag::kDraw) {
    s.rubberBand->setRect(drawnRect(s.pressScene, scenePos, bounds));
    s.rubberBand->show();
  } else if (s.drag == Drag::kMove) {
    std::vector<QRectF> starts;
    for (const auto& [item, start] : s.edited) starts.push_back(start);
    const QPointF delta = clampedDelta(starts, scenePos - s.pressScene, bounds);
    for (const auto& [item, start] : s.edited) item->setGeometry(start.translated(delta));
  } else if (s.drag == Drag::kResize) {
    const auto& [item, start] = s.edited.front();
    item->setGeometry(
        resizedRect(start, static_cast<BoxItem::Handle>(s.handle), scenePos, bounds));
  }
}

void Canvas::finishDrag(const QPoint& viewPos, const QPointF& scenePos) {
  State& s = *state_;
  const Drag drag = s.drag;
  const bool dragged = s.dragging;
  s.drag = Drag::kNone;
  s.dragging = false;
  s.rubberBand->hide();
  if (drag == Drag::kDraw && !dragged) {
    clickSelect(viewPos, s.modifiers);
  } else if (drag == Drag::kDraw) {
    const QRectF r = drawnRect(s.pressScene, scenePos, imageRect());
    const QRect onScreen = mapFromScene(r).boundingRect();
    if (r.width() >= kMinDrawn && r.height() >= kMinDrawn && onScreen.width() >= kMinDrawnScreen &&
        onScreen.height() >= kMinDrawnScreen)
      emit boxDrawn(r);
  } else if ((drag == Drag::kMove || drag == Drag::kResize) && dragged) {
    commitGeometry();
  } else if (drag == Drag::kMove) {
    s.edited.clear();
    if (s.pressedWasSelected) applySelection({s.pressedId});  // a click narrows the selection
  }
  updateCursor(viewPos);
}

void Canvas::cancelDrag() {
  State& s = *state_;
  for (const auto& [item, start] : s.edited) item->setGeometry(start);
  s.edited.clear();
  s.rubberBand->hide();
  s.drag = Drag::kNone;
  s.dragging = false;
}

void Canvas::commitGeometry() {
  State& s = *state_;
  std::vector<GeometryEdit> changes;
  for (const auto& [item, start] : s.edited) {
    const QRectF r = item->rect().intersected(imageRect());
    item->setGeometry(r);
    if (r != start) changes.push_back({item->id(), r});
  }
  s.edited.clear();
  if (changes.empty()) return;
  // boxes_ follows what is shown until the main window answers with setBoxes().
  for (const GeometryEdit& c : changes)
    for (quarry::Box& box : boxes_)
      if (box.id == c.id) box.x = c.rect.x(), box.y = c.rect.y(), box.w = c.rect.width(), box.h = c.rect.height();
  // A slot may call setBoxes(), which deletes the items: the signal carries copies.
  emit boxesGeometryEdited(changes);
}

void Canvas::nudgeSelection(const QPointF& delta) {
  State& s = *state_;
  s.edited.clear();
  std::vector<QRectF> starts;
  for (BoxItem* item : s.items) {
    if (!item->isBoxSelected()) continue;
    s.edited.emplace_back(item, item->rect());
    starts.push_back(item->rect());
  }
  const QPointF d = clampedDelta(starts, delta, imageRect());
  for (const auto& [item, start] : s.edited) item->setGeometry(start.translated(d));
  commitGeometry();
}

void Canvas::keyPressEvent(QKeyEvent* event) {
  State& s = *state_;
  const double step = (event->modifiers() & Qt::ShiftModifier) ? 10 : 1;
  QPointF nudge;
  switch (event->key()) {
    case Qt::Key_Space:
      if (!event->isAutoRepeat()) {
        s.spaceHeld = true;
        s.pannedWithSpace = false;
        updateCursor(viewport()->mapFromGlobal(QCursor::pos()));
      }
      return;
    case Qt::Key_Escape:
      if (s.drag == Drag::kNone && !drawMode_) break;  // let a dialog around us see it
      cancelDrag();
      setDrawMode(false);
      return;
    case Qt::Key_W:
      if (event->modifiers() != Qt::NoModifier) break;
      setDrawMode(!drawMode_);
      return;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
      if (s.selection.empty()) break;
      emit deleteRequested(selectedBoxes());
      return;
    case Qt::Key_Left: nudge = QPointF(-step, 0); break;
    case Qt::Key_Right: nudge = QPointF(step, 0); break;
    case Qt::Key_Up: nudge = QPointF(0, -step); break;
    case Qt::Key_Down: nudge = QPointF(0, step); break;
    default: break;
  }
  if (!nudge.isNull() && !s.selection.empty() && s.drag == Drag::kNone) {
    nudgeSelection(nudge);
    return;
  }
  QGraphicsView::keyPressEvent(event);  // arrows without a selection scroll
}

void Canvas::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    state_->spaceHeld = false;
    updateCursor(viewport()->mapFromGlobal(QCursor::pos()));
    if (!state_->pannedWithSpace) emit spaceTapped();
    return;
  }
  QGraphicsView::keyReleaseEvent(event);
}

}  // namespace quarry::gui
