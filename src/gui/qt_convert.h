// Conversions between core value types and Qt types, in one place.
#pragma once

#include <QColor>
#include <QRectF>
#include <QString>
#include <string>

#include "quarry/core/status.h"
#include "quarry/core/types.h"

namespace quarry::gui {

inline QString qs(const std::string& s) { return QString::fromStdString(s); }
inline std::string ss(const QString& s) { return s.toStdString(); }
inline QRectF rectOf(const Box& b) { return QRectF(b.x, b.y, b.w, b.h); }
inline QColor colorOf(const ClassInfo& c) { return QColor(qs(c.color)); }
QString describe(const Status& status);

}  // namespace quarry::gui
