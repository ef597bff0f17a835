// Private to the canvas: the state that canvas.cpp (the view: image, boxes, selection,
// zoom, crosshair) and canvas_input.cpp (mouse and keyboard: drawing, moving, resizing,
// panning) share. Not part of the contract; include only from those two files.
#pragma once

#include <QGraphicsPixmapItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QObject>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gui/box_item.h"
#include "gui/canvas.h"

namespace quarry::gui {

namespace canvas_detail {

constexpr double kZoomStep = 1.15;  // per wheel notch
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 50;
constexpr int kDragThreshold = 3;  // screen pixels a press moves before it counts as a drag
constexpr int kHandleReach = 6;    // screen pixels around a handle's centre that grab it
constexpr int kBoxReach = 3;       // screen pixels around a box that still pick it
constexpr double kMinDrawn = 2;    // image pixels: a smaller box is a slip, not a box
constexpr int kMinDrawnScreen = 6; // screen pixels each side must span: at a low zoom a 2 px slip
                                   // of the hand would otherwise make a 5 x 4 px box

enum class Drag { kNone, kDraw, kMove, kResize, kPan };

// Lets the Canvas see events it has no virtual override for (its header fixes that list).
class EventHook : public QObject {
 public:
  explicit EventHook(std::function<bool(QObject*, QEvent*)> fn) : fn_(std::move(fn)) {}
  bool eventFilter(QObject* watched, QEvent* event) override { return fn_(watched, event); }

 private:
  std::function<bool(QObject*, QEvent*)> fn_;
};

}  // namespace canvas_detail

struct Canvas::State {
  using Drag = canvas_detail::Drag;
  using EventHook = canvas_detail::EventHook;

  QGraphicsScene* scene = nullptr;  // child of the Canvas
  QGraphicsPixmapItem* pixmap = nullptr;
  QImage original;                 // as given to setImage(); the pixmap shows it adjusted
  DisplayAdjustment adjustment;
  QGraphicsRectItem* rubberBand = nullptr;
  QSize imageSize;
  std::unordered_map<ClassId, std::pair<QString, QColor>> classes;
  std::vector<BoxItem*> items;   // items[i] shows boxes_[i]
  std::vector<QGraphicsItem*> marks;  // uncertainty marks, drawn under the boxes, never hit-tested
  bool marksShown = false;
  std::vector<QGraphicsItem*> disagreements;  // the mistakes queue's marks, over the boxes
  std::vector<BoxId> selection;  // sorted
  bool fitted = false;           // refit on resize until the annotator zooms
  bool spaceHeld = false;
  bool pannedWithSpace = false;  // a Space press that panned is not a tap

  // The press in progress; `dragging` once the pointer moved past kDragThreshold.
  Drag drag = Drag::kNone;
  bool dragging = false;
  Qt::MouseButton button = Qt::NoButton;
  Qt::KeyboardModifiers modifiers;
  QPoint pressView, lastView;
  QPointF pressScene;
  BoxId pressedId = 0;
  bool pressedWasSelected = false;
  int handle = 0;
  std::vector<std::pair<BoxItem*, QRectF>> edited;  // items being moved or resized, start rects

  bool crosshairShown = false;
  QPointF crosshair;  // scene position, whole pixels
  std::unique_ptr<EventHook> hook;

  void style(BoxItem* item, ClassId cls) const {
    const auto it = classes.find(cls);
    if (it == classes.end()) item->setStyle(QStringLiteral("class %1").arg(cls), Qt::gray);
    else item->setStyle(it->second.first, it->second.second);
  }
};

}  // namespace quarry::gui
