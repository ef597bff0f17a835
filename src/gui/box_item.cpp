#include "gui/box_item.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPen>
#include <algorithm>
#include <cmath>

namespace quarry::gui {

namespace {

constexpr int kFillAlpha = 60;        // of 255, the fill of a selected box
constexpr double kOutlineWidth = 2;   // screen pixels
constexpr double kLabelPaddingX = 3;  // screen pixels
constexpr double kLabelPaddingY = 1;

QFont labelFont() {
  QFont font;
  font.setPixelSize(12);
  return font;
}

// Black or white, whichever reads better on `background`.
QColor textColorOn(const QColor& background) {
  const double luma =
      0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue();
  return luma > 150 ? Qt::black : Qt::white;
}

double snap(double v) { return std::round(v); }

}  // namespace

// The class-name tag at a box's top-left corner. It ignores the view's scale, so its own
// coordinates are screen pixels and the text stays readable at any zoom.
class BoxLabel : public QGraphicsItem {
 public:
  explicit BoxLabel(QGraphicsItem* parent) : QGraphicsItem(parent) {
    setFlag(ItemIgnoresTransformations);
    setAcceptedMouseButtons(Qt::NoButton);
  }

  void setText(const QString& text, const QColor& color) {
    prepareGeometryChange();
    text_ = text;
    color_ = color;
    const QFontMetricsF metrics(labelFont());
    size_ = QSizeF(metrics.horizontalAdvance(text) + 2 * kLabelPaddingX,
                   metrics.height() + 2 * kLabelPaddingY);
  }
  double height() const { return size_.height(); }
  // Above the box's top edge, or just inside it when there is no room above the image.
  void setAbove(bool above) {
    if (above == above_) return;
    prepareGeometryChange();
    above_ = above;
  }

  QRectF boundingRect() const override {
    return QRectF(QPointF(0, above_ ? -size_.height() : 0), size_);
  }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
    const QRectF r = boundingRect();
    painter->fillRect(r, color_);
    painter->setFont(labelFont());
    painter->setPen(textColorOn(color_));
    painter->drawText(r.adjusted(kLabelPaddingX, 0, -kLabelPaddingX, 0),
                      Qt::AlignLeft | Qt::AlignVCenter, text_);
  }

 private:
  QString text_;
  QColor color_;
  QSizeF size_;
  bool above_ = true;
};

BoxItem::BoxItem(const Box& box)
    : QGraphicsRectItem(QRectF(box.x, box.y, box.w, box.h)),
      id_(box.id),
      source_(box.source),
      score_(box.score),
      color_(Qt::gray),
      label_(new BoxLabel(this)) {
  setAcceptedMouseButtons(Qt::NoButton);
  setStyle(QString(), color_);
}

void BoxItem::setStyle(const QString& className, const QColor& color) {
  color_ = color;
  QString text = className;
  if (source_ == BoxSource::kAuto && score_) text += QStringLiteral(" %1").arg(*score_, 0, 'f', 2);
  label_->setText(text, color);
  update();
}

void BoxItem::setBoxSelected(bool on) {
  if (on == selected_) return;
  prepareGeometryChange();  // handles widen the bounding rect
  selected_ = on;
  placeLabel();
}

void BoxItem::setGeometry(const QRectF& rect) {
  if (rect == this->rect()) return;
  setRect(rect);
  placeLabel();
}

void BoxItem::setViewScale(double screenPixelsPerImagePixel) {
  if (screenPixelsPerImagePixel <= 0 || screenPixelsPerImagePixel == scale_) return;
  prepareGeometryChange();
  scale_ = screenPixelsPerImagePixel;
  placeLabel();
}

void BoxItem::placeLabel() {
  // A selected box's label sits above its handles so that it does not hide them.
  const double lift = selected_ ? kHandleSize / 2 : 0;
  const QRectF r = rect();
  const bool above = r.top() - (label_->height() + lift) / scale_ >= 0;
  label_->setAbove(above);
  label_->setPos(r.left(), above ? r.top() - lift / scale_ : r.top());
}

QPointF BoxItem::handlePos(Handle handle) const {
  const QRectF r = rect();
  switch (handle) {
    case kTopLeft: return r.topLeft();
    case kTop: return QPointF(r.center().x(), r.top());
    case kTopRight: return r.topRight();
    case kRight: return QPointF(r.right(), r.center().y());
    case kBottomRight: return r.bottomRight();
    case kBottom: return QPointF(r.center().x(), r.bottom());
    case kBottomLeft: return r.bottomLeft();
    case kLeft: return QPointF(r.left(), r.center().y());
  }
  return r.center();
}

QRectF BoxItem::boundingRect() const {
  const double margin = ((selected_ ? kHandleSize / 2 : 0) + kOutlineWidth + 1) / scale_;
  return rect().adjusted(-margin, -margin, margin, margin);
}

void BoxItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  QPen pen(color_, kOutlineWidth);
  pen.setCosmetic(true);
  if (source_ == BoxSource::kAuto) pen.setDashPattern({4, 3});
  painter->setPen(pen);
  if (selected_) {
    QColor fill = color_;
    fill.setAlpha(kFillAlpha);
    painter->setBrush(fill);
  } else {
    painter->setBrush(Qt::NoBrush);
  }
  painter->drawRect(rect());
  if (!selected_) return;

  QPen handlePen(color_.darker(150), 1);
  handlePen.setCosmetic(true);
  painter->setPen(handlePen);
  painter->setBrush(Qt::white);
  const double size = kHandleSize / scale_;
  for (int h = 0; h < kHandleCount; ++h) {
    const QPointF c = handlePos(static_cast<Handle>(h));
    painter->drawRect(QRectF(c.x() - size / 2, c.y() - size / 2, size, size));
  }
}

QRectF drawnRect(const QPointF& from, const QPointF& to, const QRectF& bounds) {
  const QRectF r = QRectF(QPointF(snap(from.x()), snap(from.y())),
                          QPointF(snap(to.x()), snap(to.y())))
                       .normalized();
  return r.intersected(bounds);
}

QRectF resizedRect(const QRectF& start, BoxItem::Handle handle, const QPointF& pos,
                   const QRectF& bounds) {
  const double x = std::clamp(snap(pos.x()), bounds.left(), bounds.right());
  const double y = std::clamp(snap(pos.y()), bounds.top(), bounds.bottom());
  double left = start.left(), top = start.top(), right = start.right(), bottom = start.bottom();
  using H = BoxItem::Handle;
  if (handle == H::kTopLeft || handle == H::kLeft || handle == H::kBottomLeft)
    left = std::min(x, right - 1);
  if (handle == H::kTopRight || handle == H::kRight || handle == H::kBottomRight)
    right = std::max(x, left + 1);
  if (handle == H::kTopLeft || handle == H::kTop || handle == H::kTopRight)
    top = std::min(y, bottom - 1);
  if (handle == H::kBottomLeft || handle == H::kBottom || handle == H::kBottomRight)
    bottom = std::max(y, top + 1);
  return QRectF(QPointF(left, top), QPointF(right, bottom)).intersected(bounds);
}

QPointF clampedDelta(const std::vector<QRectF>& rects, const QPointF& delta,
                     const QRectF& bounds) {
  double dx = snap(delta.x()), dy = snap(delta.y());
  for (const QRectF& r : rects) {
    dx = std::clamp(dx, std::min(0.0, bounds.left() - r.left()),
                    std::max(0.0, bounds.right() - r.right()));
    dy = std::clamp(dy, std::min(0.0, bounds.top() - r.top()),
                    std::max(0.0, bounds.bottom() - r.bottom()));
  }
  return QPointF(dx, dy);
}

}  // namespace quarry::gui
