// The view side of the canvas: image, boxes, selection, zoom and the draw-mode crosshair.
// Mouse and keyboard handling is in canvas_input.cpp; the state both share, canvas_state.h.
#include "gui/canvas.h"

#include <QGraphicsSimpleTextItem>

#include <QKeyEvent>

#include <QCursor>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "gui/canvas_state.h"
#include "gui/uncertainty_item.h"

namespace quarry::gui {

using namespace canvas_detail;

namespace {

// A copy of `image` with the adjustment applied: grey images as they are, anything else as
// 32-bit (B, G, R, A in memory, as the core expects); `image` itself is never written.
QImage adjustedForDisplay(const QImage& image, const DisplayAdjustment& a) {
  if (image.isNull() || a.isIdentity()) return image;
  QImage out = image.format() == QImage::Format_Grayscale8 ? image.copy() : image.convertToFormat(QImage::Format_ARGB32);
  const int channels = out.format() == QImage::Format_Grayscale8 ? 1 : 4;
  if (!adjustForDisplay(out.bits(), out.width(), out.height(), static_cast<std::size_t>(out.bytesPerLine()), channels, a))
    return image;
  return out;
}

}  // namespace

Canvas::Canvas(QWidget* parent) : QGraphicsView(parent), state_(new State) {
  State& s = *state_;
  s.scene = new QGraphicsScene(this);
  setScene(s.scene);
  // zoomAround() keeps the point under the cursor fixed itself: Qt's AnchorUnderMouse reads
  // QCursor::pos(), which synthetic and tablet events do not move.
  setTransformationAnchor(NoAnchor);
  setResizeAnchor(AnchorViewCenter);
  setFocusPolicy(Qt::StrongFocus);
  setBackgroundBrush(QColor(45, 45, 48));
  viewport()->setMouseTracking(true);

  QPen bandPen(QColor(255, 214, 0), 1, Qt::DashLine);
  bandPen.setCosmetic(true);
  s.rubberBand = s.scene->addRect(QRectF(), bandPen);
  s.rubberBand->setZValue(10);
  s.rubberBand->hide();

  s.hook = std::make_unique<EventHook>([this](QObject* watched, QEvent* event) {
    switch (event->type()) {
      case QEvent::Leave: moveCrosshair(state_->crosshair, false); break;
      case QEvent::FocusOut: state_->spaceHeld = false; break;
      case QEvent::ShortcutOverride: {
        // Space belongs to the canvas while it has focus (tap: spaceTapped, hold: pan), so
        // a window-wide Space shortcut does not take the key away from it.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier) {
          event->accept();
          return true;
        }
        break;
      }
      case QEvent::MouseButtonDblClick:
        // A quick second press arrives as a double click; it must start the next box.
        if (watched != viewport()) break;
        mousePressEvent(static_cast<QMouseEvent*>(event));
        return true;
      default: break;
    }
    return false;
  });
  viewport()->installEventFilter(s.hook.get());
  installEventFilter(s.hook.get());
}

Canvas::~Canvas() { delete state_; }

void Canvas::setImage(const QImage& image) {
  State& s = *state_;
  cancelDrag();
  s.imageSize = image.size();
  s.original = image;
  if (image.isNull()) {
    delete s.pixmap;
    s.pixmap = nullptr;
    setBoxes({});
    s.scene->setSceneRect(QRectF());
    resetTransform();
    return;
  }
  if (!s.pixmap) {
    s.pixmap = s.scene->addPixmap(QPixmap());
    s.pixmap->setZValue(-1);
  }
  s.pixmap->setPixmap(QPixmap::fromImage(adjustedForDisplay(image, s.adjustment)));
  s.scene->setSceneRect(imageRect());
  fitToWindow();
}

QSize Canvas::imageSize() const { return state_->imageSize; }

void Canvas::setDisplayAdjustment(const DisplayAdjustment& adjustment) {
  State& s = *state_;
  if (adjustment == s.adjustment) return;
  s.adjustment = adjustment;
  if (s.pixmap) s.pixmap->setPixmap(QPixmap::fromImage(adjustedForDisplay(s.original, s.adjustment)));
}

const DisplayAdjustment& Canvas::displayAdjustment() const { return state_->adjustment; }

QImage Canvas::shownImage() const { return state_->pixmap ? state_->pixmap->pixmap().toImage() : QImage(); }

void Canvas::setClasses(const std::vector<ClassInfo>& classes) {
  State& s = *state_;
  s.classes.clear();
  for (const ClassInfo& c : classes) {
    QColor color(QString::fromStdString(c.color));
    if (!color.isValid()) color = Qt::gray;
    s.classes[c.id] = {QString::fromStdString(c.name), color};
  }
  for (std::size_t i = 0; i < s.items.size(); ++i) s.style(s.items[i], boxes_[i].cls);
}

void Canvas::setBoxes(const std::vector<quarry::Box>& boxes) {
  State& s = *state_;
  cancelDrag();  // its items are about to go
  for (BoxItem* item : s.items) delete item;
  s.items.clear();
  boxes_ = boxes;
  std::vector<BoxId> kept;
  for (const quarry::Box& box : boxes_) {
    const bool selected = std::binary_search(s.selection.begin(), s.selection.end(), box.id);
    if (selected) kept.push_back(box.id);
    auto* item = new BoxItem(box);
    s.style(item, box.cls);
    item->setViewScale(zoom());
    item->setBoxSelected(selected);
    item->setZValue(selected ? 2 : 1);
    s.scene->addItem(item);
    s.items.push_back(item);
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  applySelection(std::move(kept));
}

void Canvas::setUncertainty(const std::vector<UncertaintyMark>& marks) {
  State& s = *state_;
  for (QGraphicsItem* item : s.marks) delete item;
  s.marks.clear();
  for (const UncertaintyMark& m : marks) {
    auto* item = new UncertaintyItem(m);
    item->setZValue(0.5);  // above the image, under the boxes
    item->setVisible(s.marksShown);
    s.scene->addItem(item);
    s.marks.push_back(item);
  }
}

void Canvas::setDisagreements(const std::vector<DisagreementMark>& marks) {
  State& s = *state_;
  for (QGraphicsItem* item : s.disagreements) delete item;
  s.disagreements.clear();
  for (const DisagreementMark& m : marks) {
    auto* rect = new QGraphicsRectItem(m.box);
    QPen pen(m.color, 2, Qt::DashLine);
    pen.setCosmetic(true);  // the same on screen at any zoom
    rect->setPen(pen);
    rect->setZValue(2);  // over the boxes
    rect->setAcceptedMouseButtons(Qt::NoButton);
    rect->setToolTip(m.text);
    auto* label = new QGraphicsSimpleTextItem(m.text, rect);
    label->setBrush(m.color);
    label->setFlag(QGraphicsItem::ItemIgnoresTransformations);  // readable at any zoom
    label->setPos(m.box.bottomLeft());
    s.scene->addItem(rect);
    s.disagreements.push_back(rect);
  }
}

int Canvas::disagreementCount() const { return static_cast<int>(state_->disagreements.size()); }

void Canvas::setShowUncertainty(bool on) {
  state_->marksShown = on;
  for (QGraphicsItem* item : state_->marks) item->setVisible(on);
}

bool Canvas::showUncertainty() const { return state_->marksShown; }

int Canvas::uncertaintyMarkCount() const { return static_cast<int>(state_->marks.size()); }

void Canvas::setDrawMode(bool on) {
  if (on == drawMode_) return;
  drawMode_ = on;
  viewport()->update();  // shows or hides the crosshair
  updateCursor(viewport()->mapFromGlobal(QCursor::pos()));
  emit drawModeChanged(on);
}

std::vector<BoxId> Canvas::selectedBoxes() const {
  std::vector<BoxId> ids;
  for (const BoxItem* item : state_->items)
    if (item->isBoxSelected()) ids.push_back(item->id());
  return ids;
}

void Canvas::selectBoxes(const std::vector<BoxId>& ids) {
  std::vector<BoxId> known;
  for (BoxId id : ids)
    if (std::any_of(boxes_.begin(), boxes_.end(),
                    [id](const quarry::Box& b) { return b.id == id; }))
      known.push_back(id);
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  applySelection(std::move(known));
}

void Canvas::fitToWindow() {
  if (!hasImage()) return;
  fitInView(imageRect(), Qt::KeepAspectRatio);
  state_->fitted = true;
  zoomChanged();
}

void Canvas::zoomActualSize() {
  if (!hasImage()) return;
  const QPointF centre = toScene(QRectF(viewport()->rect()).center());
  setTransform(QTransform());
  centerOn(centre);
  state_->fitted = false;
  zoomChanged();
}

double Canvas::zoom() const { return transform().m11(); }

bool Canvas::hasImage() const { return state_->pixmap != nullptr; }

QRectF Canvas::imageRect() const { return QRectF(QPointF(0, 0), QSizeF(state_->imageSize)); }

QPointF Canvas::toScene(const QPointF& viewPos) const {
  return viewportTransform().inverted().map(viewPos);
}

BoxItem* Canvas::boxAt(const QPoint& viewPos) const {
  const QPointF p = toScene(viewPos);
  const double reach = kBoxReach / zoom();
  BoxItem* best = nullptr;
  double bestArea = 0;
  // The smallest box wins, so that a box inside another can still be picked.
  for (BoxItem* item : state_->items) {
    const QRectF r = item->rect();
    if (!r.adjusted(-reach, -reach, reach, reach).contains(p)) continue;
    if (!best || r.width() * r.height() < bestArea) {
      best = item;
      bestArea = r.width() * r.height();
    }
  }
  return best;
}

BoxItem* Canvas::handleAt(const QPoint& viewPos, int* handle) const {
  // Corners first: on a small box they overlap the edge handles and matter more.
  using H = BoxItem::Handle;
  static constexpr H kOrder[] = {H::kTopLeft, H::kTopRight, H::kBottomRight, H::kBottomLeft,
                                 H::kTop,     H::kRight,    H::kBottom,      H::kLeft};
  const QTransform toView = viewportTransform();
  for (auto it = state_->items.rbegin(); it != state_->items.rend(); ++it) {
    if (!(*it)->isBoxSelected()) continue;
    for (H h : kOrder) {
      const QPointF c = toView.map((*it)->handlePos(h));
      if (std::abs(c.x() - viewPos.x()) <= kHandleReach &&
          std::abs(c.y() - viewPos.y()) <= kHandleReach) {
        *handle = h;
        return *it;
      }
    }
  }
  return nullptr;
}

void Canvas::applySelection(std::vector<BoxId> ids) {
  State& s = *state_;
  if (ids == s.selection) return;
  s.selection = std::move(ids);
  for (BoxItem* item : s.items) {
    const bool on = std::binary_search(s.selection.begin(), s.selection.end(), item->id());
    item->setBoxSelected(on);
    item->setZValue(on ? 2 : 1);
  }
  emit selectionChanged();
}

void Canvas::clickSelect(const QPoint& viewPos, Qt::KeyboardModifiers modifiers) {
  BoxItem* item = boxAt(viewPos);
  if (!(modifiers & Qt::ControlModifier)) {
    applySelection(item ? std::vector<BoxId>{item->id()} : std::vector<BoxId>{});
    return;
  }
  if (!item) return;
  std::vector<BoxId> ids = state_->selection;
  const auto at = std::lower_bound(ids.begin(), ids.end(), item->id());
  if (at != ids.end() && *at == item->id()) ids.erase(at);
  else ids.insert(at, item->id());
  applySelection(std::move(ids));
}

void Canvas::zoomAround(double target, const QPointF& viewPos) {
  const double current = zoom();
  // An image fitted below kMinZoom may stay there; the clamp only stops zooming further out.
  target = std::clamp(target, std::min(kMinZoom, current), std::max(kMaxZoom, current));
  if (target == current) return;
  const QPointF anchor = toScene(viewPos);
  setTransform(QTransform::fromScale(target, target));
  const QPointF drift = viewportTransform().map(anchor) - viewPos;
  horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(drift.x()));
  verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(drift.y()));
  state_->fitted = false;
  zoomChanged();
}

void Canvas::zoomChanged() {
  const double z = zoom();
  for (BoxItem* item : state_->items) item->setViewScale(z);
  // Zoomed in, pixels stay sharp squares so that box edges can be put between them.
  if (state_->pixmap)
    state_->pixmap->setTransformationMode(z < 1 ? Qt::SmoothTransformation
                                                : Qt::FastTransformation);
}

void Canvas::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (state_->fitted) fitToWindow();
}

void Canvas::wheelEvent(QWheelEvent* event) {
  const double notches = event->angleDelta().y() / 120.0;
  if (!hasImage() || notches == 0) {
    QGraphicsView::wheelEvent(event);
    return;
  }
  zoomAround(zoom() * std::pow(kZoomStep, notches), event->position());
  event->accept();
}

void Canvas::drawForeground(QPainter* painter, const QRectF&) {
  const State& s = *state_;
  const QRectF image = imageRect();
  if (!drawMode_ || !s.crosshairShown || !hasImage() || !image.contains(s.crosshair)) return;
  const QLineF across(image.left(), s.crosshair.y(), image.right(), s.crosshair.y());
  const QLineF down(s.crosshair.x(), image.top(), s.crosshair.x(), image.bottom());
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing, false);
  // White under black dashes reads on both dark and bright steel.
  QPen pen(QColor(255, 255, 255, 220), 0);
  painter->setPen(pen);
  painter->drawLine(across);
  painter->drawLine(down);
  pen.setColor(QColor(0, 0, 0, 220));
  pen.setDashPattern({4, 4});
  painter->setPen(pen);
  painter->drawLine(across);
  painter->drawLine(down);
  painter->restore();
}

void Canvas::moveCrosshair(const QPointF& scenePos, bool inside) {
  State& s = *state_;
  const QPointF snapped(std::round(scenePos.x()), std::round(scenePos.y()));
  if (snapped == s.crosshair && inside == s.crosshairShown) return;
  if (drawMode_ && s.crosshairShown) updateCrosshairArea();
  s.crosshair = snapped;
  s.crosshairShown = inside;
  if (drawMode_ && inside) updateCrosshairArea();
}

void Canvas::updateCrosshairArea() {
  // Two thin strips instead of the whole viewport: this runs on every mouse move.
  const QPointF v = viewportTransform().map(state_->crosshair);
  const QRect area = viewport()->rect();
  viewport()->update(QRect(area.left(), int(std::floor(v.y())) - 2, area.width(), 5));
  viewport()->update(QRect(int(std::floor(v.x())) - 2, area.top(), 5, area.height()));
}

void Canvas::updateCursor(const QPoint& viewPos) {
  // Indexed by BoxItem::Handle.
  static constexpr Qt::CursorShape kHandleCursors[] = {
      Qt::SizeFDiagCursor, Qt::SizeVerCursor, Qt::SizeBDiagCursor, Qt::SizeHorCursor,
      Qt::SizeFDiagCursor, Qt::SizeVerCursor, Qt::SizeBDiagCursor, Qt::SizeHorCursor};
  const State& s = *state_;
  Qt::CursorShape shape = Qt::ArrowCursor;
  int handle = 0;
  if (s.drag == Drag::kPan) shape = Qt::ClosedHandCursor;
  else if (s.spaceHeld) shape = Qt::OpenHandCursor;
  else if (drawMode_) shape = Qt::CrossCursor;
  else if (s.drag == Drag::kNone && handleAt(viewPos, &handle)) shape = kHandleCursors[handle];
  else if (s.drag == Drag::kNone && boxAt(viewPos)) shape = Qt::SizeAllCursor;
  if (viewport()->cursor().shape() != shape) viewport()->setCursor(shape);
}

}  // namespace quarry::gui
