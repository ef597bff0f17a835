#include "gui/difficulty_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <algorithm>
#include <cmath>

#include "gui/image_list_model.h"

namespace quarry::gui {
namespace {

constexpr int kIconHeight = 16;  // pixels, the tallest bar
constexpr int kMargin = 3;       // pixels around the icon

}  // namespace

QColor difficultyColor(int level) {
  switch (level) {
    case 0: return QColor(0x2e, 0x9d, 0x3e);  // green
    case 1: return QColor(0xe0, 0xb0, 0x00);  // yellow, dark enough to read on white
    case 2: return QColor(0xd8, 0x3a, 0x34);  // red
    default: return {};
  }
}

void paintDifficultyBars(QPainter* painter, const QRectF& rect, int level) {
  if (level < 0 || level > 2) return;
  // Whole pixels keep the bars crisp at this size.
  const int height = std::max(6, std::min(kIconHeight, static_cast<int>(rect.height()) - 2 * kMargin));
  const int barWidth = std::max(2, height / 4);
  const int gap = std::max(1, barWidth / 2);
  const int width = 3 * barWidth + 2 * gap;
  const int left = static_cast<int>(std::lround(rect.center().x() - width / 2.0));
  const int bottom = static_cast<int>(std::lround(rect.center().y() + height / 2.0));
  const QColor on = difficultyColor(level);
  const QColor off(128, 128, 128, 70);

  painter->save();
  painter->setRenderHint(QPainter::Antialiasing, false);
  painter->setPen(Qt::NoPen);
  for (int bar = 0; bar < 3; ++bar) {
    const int barHeight = height * (bar + 1) / 3;
    painter->setBrush(bar <= level ? on : off);
    painter->drawRect(QRect(left + bar * (barWidth + gap), bottom - barHeight, barWidth, barHeight));
  }
  painter->restore();
}

void DifficultyDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                               const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  // The style draws the background (selection, hover, focus); the bars replace any text.
  opt.text.clear();
  opt.icon = QIcon();
  opt.features &= ~(QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration);
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

  const QVariant level = index.data(ImageListModel::kDifficultyRole);
  if (level.isValid()) paintDifficultyBars(painter, opt.rect, level.toInt());
}

QSize DifficultyDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  const QSize base = QStyledItemDelegate::sizeHint(option, index);
  const int iconWidth = 3 * (kIconHeight / 4) + 2 * (kIconHeight / 8);
  return QSize(std::max(base.width(), iconWidth + 2 * kMargin + 8), std::max(base.height(), kIconHeight + 2 * kMargin));
}

}  // namespace quarry::gui
