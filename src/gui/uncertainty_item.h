// UncertaintyItem: draws one UncertaintyMark under its box: a translucent fill whose colour runs
// from green (sure) through yellow to red (unsure), and two faint outlines one Monte-Carlo
// spread outside and inside the box, where the sampled boxes' sides mostly fall. It only draws
// and carries the tooltip; the Canvas owns it. GUI thread only.
#pragma once

#include <QGraphicsItem>

#include "gui/canvas.h"

namespace quarry::gui {

// The colour of an uncertainty: green at or below 0, yellow at 1, red at or above 2.
QColor uncertaintyColor(double combined);

class UncertaintyItem : public QGraphicsItem {
 public:
  explicit UncertaintyItem(const UncertaintyMark& mark);
  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  UncertaintyMark mark_;
};

}  // namespace quarry::gui
