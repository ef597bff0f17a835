// Canvas: the image being annotated and its boxes, in image pixel coordinates (scene
// coordinates are pixels: (0,0) is the image's top-left corner).
//
// The canvas is a view: it never writes to the store. It shows what setBoxes() gives it and
// reports what the annotator did through signals; the main window turns those into undoable
// edits and calls setBoxes() again. GUI thread only.
//
// Interaction: a drag on empty canvas draws a box (as does any drag in draw mode, `W`, which
// also shows a crosshair); a drag on a box moves it, on a handle resizes it; arrow keys nudge
// the selection by 1 px (Shift: 10 px); the wheel zooms around the cursor; space+drag or the
// middle button pans; a tap of Space (no pan) is reported as spaceTapped().
#pragma once

#include <QGraphicsView>
#include <QImage>
#include <QRectF>
#include <vector>

#include "quarry/core/display_adjust.h"
#include "quarry/core/types.h"

namespace quarry::gui {

class BoxItem;

// One box's new geometry after a move, resize or nudge, clipped to the image.
struct GeometryEdit {
  quarry::BoxId id = 0;
  QRectF rect;
};

// One scored detection as the canvas shows it with uncertainty on: its box, a colour from how
// uncertain it is, the spread of its Monte-Carlo boxes, and a tooltip listing the components.
struct UncertaintyMark {
  QRectF box;          // image pixels
  double combined = 0; // z-score units: <= 0 green, 1 yellow, >= 2 red
  double spread = 0;   // pixels the Monte-Carlo boxes' sides spread (one standard deviation)
  QString tooltip;
};

// A place where the shown run and the human labels disagree (the mistakes queue): drawn dashed
// in `color` with `text` above it, over the boxes.
struct DisagreementMark {
  QRectF box;  // image pixels
  QString text;
  QColor color;
};

class Canvas : public QGraphicsView {
  Q_OBJECT

 public:
  explicit Canvas(QWidget* parent = nullptr);
  ~Canvas() override;

  // Shows an image (through the display adjustment) and fits it to the window. A null image
  // clears the canvas.
  void setImage(const QImage& image);
  QSize imageSize() const;
  // Brightness, contrast, gamma and stretch for what is shown: the image given to setImage()
  // stays as it is, and the zoom and scroll position stay where they are.
  void setDisplayAdjustment(const DisplayAdjustment& adjustment);
  const DisplayAdjustment& displayAdjustment() const;
  // The pixels on screen now, adjusted (a null image without one).
  QImage shownImage() const;
  // Class names and colours for drawing; boxes of unknown classes are drawn grey.
  void setClasses(const std::vector<ClassInfo>& classes);
  // Replaces the boxes shown; the selection is kept for boxes whose ids remain.
  void setBoxes(const std::vector<quarry::Box>& boxes);
  const std::vector<quarry::Box>& boxes() const { return boxes_; }
  // The current image's uncertainty marks (replacing the earlier ones); shown while
  // showUncertainty() is on. setImage() with a new image does not clear them: the owner sets both.
  void setUncertainty(const std::vector<UncertaintyMark>& marks);
  void setShowUncertainty(bool on);
  bool showUncertainty() const;
  int uncertaintyMarkCount() const;  // marks set, shown or not
  // The current image's disagreements (replacing the earlier ones; empty clears them). Like the
  // uncertainty marks, the owner sets them with each image.
  void setDisagreements(const std::vector<DisagreementMark>& marks);
  int disagreementCount() const;

  void setDrawMode(bool on);
  bool drawMode() const { return drawMode_; }

  std::vector<BoxId> selectedBoxes() const;
  void selectBoxes(const std::vector<BoxId>& ids);

  void fitToWindow();
  void zoomActualSize();  // 1 image pixel = 1 screen pixel
  double zoom() const;    // screen pixels per image pixel

 signals:
  // The annotator finished drawing a box (already clipped to the image, at least 2 x 2 image
  // pixels and 6 x 6 screen pixels: a smaller drag is a slip and draws nothing).
  void boxDrawn(const QRectF& rect);
  // The annotator finished moving, resizing or nudging boxes: one signal per gesture, with every
  // box it changed (a drag of a selection of N boxes is one edit of N boxes, undone as one).
  void boxesGeometryEdited(const std::vector<quarry::gui::GeometryEdit>& edits);
  void deleteRequested(const std::vector<quarry::BoxId>& ids);
  void selectionChanged();
  void drawModeChanged(bool on);
  void cursorMoved(const QPointF& imagePos);
  // Space pressed and released without panning (the window marks the image reviewed).
  void spaceTapped();

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // Implementation state is the helper's to choose; these are the ones the header needs.
  std::vector<quarry::Box> boxes_;
  bool drawMode_ = false;
  struct State;
  State* state_;

  bool hasImage() const;
  QRectF imageRect() const;
  QPointF toScene(const QPointF& viewPos) const;
  // The smallest box under a viewport point (a few screen pixels of slack), or null.
  BoxItem* boxAt(const QPoint& viewPos) const;
  // The selected box whose handle is under a viewport point, or null; sets `*handle`.
  BoxItem* handleAt(const QPoint& viewPos, int* handle) const;
  // `ids` sorted and unique; emits selectionChanged() when it differs from the current one.
  void applySelection(std::vector<BoxId> ids);
  void clickSelect(const QPoint& viewPos, Qt::KeyboardModifiers modifiers);
  void dragTo(const QPointF& scenePos);
  void finishDrag(const QPoint& viewPos, const QPointF& scenePos);
  void cancelDrag();
  // Writes the dragged items' rects into boxes_ and emits boxesGeometryEdited() once with the changes.
  void commitGeometry();
  void nudgeSelection(const QPointF& delta);
  void zoomAround(double zoom, const QPointF& viewPos);
  void zoomChanged();
  void updateCursor(const QPoint& viewPos);
  void moveCrosshair(const QPointF& scenePos, bool inside);
  void updateCrosshairArea();
};

}  // namespace quarry::gui

Q_DECLARE_METATYPE(std::vector<quarry::gui::GeometryEdit>)
