// How an uncertainty mark looks.
#include "gui/uncertainty_item.h"

#include <QPainter>
#include <algorithm>

namespace quarry::gui {

QColor uncertaintyColor(double combined) {
  const double t = std::clamp(combined / 2.0, 0.0, 1.0);  // 0 green, 0.5 yellow, 1 red
  const QColor green(44, 160, 44), yellow(230, 190, 0), red(214, 39, 40);
  const QColor& a = t < 0.5 ? green : yellow;
  const QColor& b = t < 0.5 ? yellow : red;
  const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * u, a.greenF() + (b.greenF() - a.greenF()) * u,
                          a.blueF() + (b.blueF() - a.blueF()) * u);
}

UncertaintyItem::UncertaintyItem(const UncertaintyMark& mark) : mark_(mark) {
  setToolTip(mark.tooltip);
  setAcceptedMouseButtons(Qt::NoButton);
}

QRectF UncertaintyItem::boundingRect() const {
  const double grow = mark_.spread + 1;
  return mark_.box.adjusted(-grow, -grow, grow, grow);
}

void UncertaintyItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  QColor fill = uncertaintyColor(mark_.combined);
  fill.setAlphaF(0.28);
  painter->setPen(Qt::NoPen);
  painter->setBrush(fill);
  painter->drawRect(mark_.box);
  if (mark_.spread <= 0) return;
  QColor line = uncertaintyColor(mark_.combined);
  line.setAlphaF(0.75);
  QPen pen(line, 0, Qt::DotLine);  // cosmetic: one screen pixel at any zoom
  painter->setPen(pen);
  painter->setBrush(Qt::NoBrush);
  const double s = mark_.spread;
  painter->drawRect(mark_.box.adjusted(-s, -s, s, s));
  if (mark_.box.width() > 2 * s && mark_.box.height() > 2 * s) painter->drawRect(mark_.box.adjusted(s, s, -s, -s));
}

}  // namespace quarry::gui
