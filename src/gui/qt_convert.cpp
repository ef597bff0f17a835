#include "gui/qt_convert.h"

namespace quarry::gui {

QString describe(const Status& status) { return status.ok() ? QString() : qs(status.message()); }

}  // namespace quarry::gui
