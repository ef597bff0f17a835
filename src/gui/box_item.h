// BoxItem: how one box looks on the canvas. The outline has the class colour: dashed for a
// detector's proposal (BoxSource::kAuto), solid once a person drew or corrected it. A label
// names the class (and gives a proposal's score); a selected box gets a translucent fill and
// eight resize handles.
//
// The item only draws. The Canvas does all hit testing and editing, so that draw mode,
// panning and "one signal per finished edit" live in one place. The item stays at pos (0,0)
// and rect() is the box in image pixels (scene coordinates). Handles and the label keep
// their size on screen at any zoom, so the Canvas passes the zoom to setViewScale().
// GUI thread only.
#pragma once

#include <QColor>
#include <QGraphicsRectItem>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <optional>
#include <vector>

#include "quarry/core/types.h"

namespace quarry::gui {

class BoxLabel;

class BoxItem : public QGraphicsRectItem {
 public:
  // The resize handles, clockwise from the top-left corner.
  enum Handle { kTopLeft, kTop, kTopRight, kRight, kBottomRight, kBottom, kBottomLeft, kLeft };
  static constexpr int kHandleCount = 8;
  static constexpr double kHandleSize = 8;  // screen pixels

  explicit BoxItem(const Box& box);

  BoxId id() const { return id_; }
  // The label reads "name" or, for a proposal with a score, "name 0.87".
  void setStyle(const QString& className, const QColor& color);
  void setBoxSelected(bool on);
  bool isBoxSelected() const { return selected_; }
  // Moves the box (and its label) to `rect`, in image pixels.
  void setGeometry(const QRectF& rect);
  void setViewScale(double screenPixelsPerImagePixel);
  // Centre of a handle, in scene coordinates.
  QPointF handlePos(Handle handle) const;

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  void placeLabel();

  BoxId id_;
  BoxSource source_;
  std::optional<double> score_;
  QColor color_;
  bool selected_ = false;
  double scale_ = 1;
  BoxLabel* label_;  // child item, deleted with this one
};

// The geometry of edits, in image pixels; `bounds` is the image rectangle. Edges that the
// annotator places land on whole pixels, the pixel boundaries they see when zoomed in.

// The box spanned by two drag points, normalised, snapped and clipped to `bounds`; it may
// be empty when the drag lay outside the image.
QRectF drawnRect(const QPointF& from, const QPointF& to, const QRectF& bounds);

// `start` with the edges that `handle` controls moved to `pos` (snapped, inside `bounds`);
// an edge stops 1 px before the opposite one, so the box never flips or vanishes.
QRectF resizedRect(const QRectF& start, BoxItem::Handle handle, const QPointF& pos,
                   const QRectF& bounds);

// `delta` rounded to whole pixels and shortened so that no rect of `rects` moves out of
// `bounds` (a rect already partly outside may not move further out). Moving all rects by
// one delta keeps a multi-selection's layout.
QPointF clampedDelta(const std::vector<QRectF>& rects, const QPointF& delta,
                     const QRectF& bounds);

}  // namespace quarry::gui
