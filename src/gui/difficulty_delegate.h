// DifficultyDelegate: the difficulty column as a signal-strength icon: one green bar for easy,
// two yellow bars for medium, three red bars for hard, read from ImageListModel's
// kDifficultyRole; an unscored image shows nothing. The tooltip comes from the model.
// GUI thread only, like every delegate.
#pragma once

#include <QColor>
#include <QStyledItemDelegate>

class QPainter;
class QRectF;

namespace quarry::gui {

class DifficultyDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

// The colour of a difficulty level (0 easy, 1 medium, 2 hard); invalid for other values.
QColor difficultyColor(int level);
// Draws the bars of `level` (0..2) centred in `rect`: level + 1 coloured bars of rising height,
// the rest faint grey so the scale stays readable. Draws nothing for other values.
// The filter bar uses it for its check boxes' icons.
void paintDifficultyBars(QPainter* painter, const QRectF& rect, int level);

}  // namespace quarry::gui
