// The annotation canvas, driven as an annotator would: real mouse, wheel and key events on
// the shown widget (QT_QPA_PLATFORM=offscreen), positions given in image pixels.
#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <cmath>
#include <memory>

#include "gui/canvas.h"

using quarry::Box;
using quarry::BoxId;
using quarry::BoxSource;
using quarry::gui::Canvas;
using quarry::gui::GeometryEdit;

namespace {

Box makeBox(BoxId id, const QRectF& r, BoxSource source = BoxSource::kManual) {
  Box box;
  box.id = id;
  box.image = 1;
  box.cls = 1;
  box.x = r.x();
  box.y = r.y();
  box.w = r.width();
  box.h = r.height();
  box.source = source;
  return box;
}

QRectF boxRect(const Box& b) { return QRectF(b.x, b.y, b.w, b.h); }

// Mapping image pixels to whole screen pixels at the fit zoom (about 2x) may move a point by
// a fraction of an image pixel, which snapping can round either way.
bool near(const QRectF& a, const QRectF& b, double tolerance = 1.0) {
  return std::abs(a.left() - b.left()) <= tolerance && std::abs(a.top() - b.top()) <= tolerance &&
         std::abs(a.right() - b.right()) <= tolerance &&
         std::abs(a.bottom() - b.bottom()) <= tolerance;
}

QString show(const QRectF& r) {
  return QStringLiteral("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// The edits the canvas reported in its `i`-th boxesGeometryEdited signal.
std::vector<GeometryEdit> editsOf(const QSignalSpy& spy, int i) {
  return spy.at(i).at(0).value<std::vector<GeometryEdit>>();
}
// The rect of the only box edited in that signal.
QRectF rectOf(const QSignalSpy& spy, int i) {
  const auto edits = editsOf(spy, i);
  return edits.size() == 1 ? edits[0].rect : QRectF();
}

}  // namespace

class CanvasTest : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void dragOnEmptyCanvasDrawsBox();
  void clickWithoutDragDrawsNothing();
  void dragSmallerThanTwoPixelsDrawsNothing();
  void aSlipOfAFewScreenPixelsDrawsNothingAtALowZoom();
  void boxDrawnOutsideImageIsClipped();
  void drawnBoxIsNotAddedByCanvas();
  void clickSelectsAndCtrlClickToggles();
  void clickOnEmptySpaceClearsSelection();
  void setBoxesKeepsSelectionOfRemainingIds();
  void draggingBoxMovesItOnceOnRelease();
  void draggingBoxStopsAtImageEdge();
  void draggingCornerHandleResizes();
  void resizeKeepsAtLeastOnePixel();
  void arrowKeysNudgeSelection();
  void nudgeStopsAtImageEdge();
  void deleteRequestsSelectedBoxes();
  void drawModeDrawsOverBoxesUntilEscape();
  void escapeCancelsDrag();
  void wheelZoomKeepsPointUnderCursor();
  void wheelZoomIsClamped();
  void zoomActualSizeIsOneToOne();
  void mouseMoveReportsImagePosition();
  void slotsMayCallSetBoxesWhileCanvasEmits();

 private:
  QPoint toView(const QPointF& imagePos) const;
  void send(QEvent::Type type, const QPointF& imagePos, Qt::MouseButton button,
            Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
  void drag(const QPointF& from, const QPointF& to,
            Qt::KeyboardModifiers modifiers = Qt::NoModifier);
  void click(const QPointF& at, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
  void wheel(const QPointF& imagePos, int notches);

  std::unique_ptr<Canvas> canvas_;
};

void CanvasTest::init() {
  canvas_ = std::make_unique<Canvas>();
  canvas_->resize(800, 600);
  canvas_->show();
  QVERIFY(QTest::qWaitForWindowExposed(canvas_.get()));
  QImage image(400, 300, QImage::Format_RGB32);
  image.fill(QColor(120, 120, 120));
  canvas_->setImage(image);
  canvas_->setClasses({{1, "scratch", 0, "#ff8000"}});
}

void CanvasTest::cleanup() { canvas_.reset(); }

QPoint CanvasTest::toView(const QPointF& imagePos) const {
  return canvas_->viewportTransform().map(imagePos).toPoint();
}

// QTest::mouseMove cannot hold a button in Qt 6, so the events are built by hand.
void CanvasTest::send(QEvent::Type type, const QPointF& imagePos, Qt::MouseButton button,
                      Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers) {
  QWidget* viewport = canvas_->viewport();
  const QPoint local = toView(imagePos);
  QMouseEvent event(type, QPointF(local), QPointF(viewport->mapToGlobal(local)), button, buttons,
                    modifiers);
  QApplication::sendEvent(viewport, &event);
}

void CanvasTest::drag(const QPointF& from, const QPointF& to, Qt::KeyboardModifiers modifiers) {
  send(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, modifiers);
  constexpr int kSteps = 5;
  for (int i = 1; i <= kSteps; ++i)
    send(QEvent::MouseMove, from + (to - from) * i / kSteps, Qt::NoButton, Qt::LeftButton,
         modifiers);
  send(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, modifiers);
}

void CanvasTest::click(const QPointF& at, Qt::KeyboardModifiers modifiers) {
  send(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton, modifiers);
  send(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton, modifiers);
}

void CanvasTest::wheel(const QPointF& imagePos, int notches) {
  QWidget* viewport = canvas_->viewport();
  const QPoint local = toView(imagePos);
  QWheelEvent event(QPointF(local), QPointF(viewport->mapToGlobal(local)), QPoint(),
                    QPoint(0, 120 * notches), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                    false);
  QApplication::sendEvent(viewport, &event);
}

void CanvasTest::dragOnEmptyCanvasDrawsBox() {
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  drag({50, 40}, {150, 120});
  QCOMPARE(drawn.count(), 1);
  const QRectF r = drawn.at(0).at(0).toRectF();
  QVERIFY2(near(r, QRectF(50, 40, 100, 80)), qPrintable(show(r)));
}

void CanvasTest::clickWithoutDragDrawsNothing() {
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  click({200, 150});
  QCOMPARE(drawn.count(), 0);
}

void CanvasTest::dragSmallerThanTwoPixelsDrawsNothing() {
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  drag({100, 100}, {101, 110});  // far enough on screen to be a drag, but 1 px wide
  QCOMPARE(drawn.count(), 0);
}

// Regression (issue 21): on a large image shown small, a 2-4 px slip of the hand made a 5 x 4 px box.
void CanvasTest::aSlipOfAFewScreenPixelsDrawsNothingAtALowZoom() {
  QImage large(2400, 1800, QImage::Format_RGB32);
  large.fill(QColor(120, 120, 120));
  canvas_->setImage(large);
  QVERIFY(canvas_->zoom() < 0.5);
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  const double px = 1 / canvas_->zoom();  // image pixels per screen pixel
  drag({1000, 800}, {1000 + 4 * px, 800 + 4 * px});  // past the drag threshold, but 4 screen pixels
  QCOMPARE(drawn.count(), 0);
  drag({1000, 800}, {1000 + 40 * px, 800 + 30 * px});  // a deliberate box
  QCOMPARE(drawn.count(), 1);
}

void CanvasTest::boxDrawnOutsideImageIsClipped() {
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  drag({350, 250}, {450, 330});  // past the bottom-right corner
  drag({-30, -20}, {40, 30});    // from above-left of the image
  QCOMPARE(drawn.count(), 2);
  const QRectF a = drawn.at(0).at(0).toRectF(), b = drawn.at(1).at(0).toRectF();
  QVERIFY2(near(a, QRectF(350, 250, 50, 50)), qPrintable(show(a)));
  QVERIFY2(QRectF(0, 0, 400, 300).contains(a), qPrintable(show(a)));
  QVERIFY2(near(b, QRectF(0, 0, 40, 30)), qPrintable(show(b)));
  QVERIFY2(QRectF(0, 0, 400, 300).contains(b), qPrintable(show(b)));
}

void CanvasTest::drawnBoxIsNotAddedByCanvas() {
  drag({50, 40}, {150, 120});
  QVERIFY(canvas_->boxes().empty());
}

void CanvasTest::clickSelectsAndCtrlClickToggles() {
  canvas_->setBoxes({makeBox(1, {50, 50, 60, 40}), makeBox(2, {200, 100, 80, 60})});
  QSignalSpy changed(canvas_.get(), &Canvas::selectionChanged);
  click({80, 70});
  QCOMPARE(canvas_->selectedBoxes(), std::vector<BoxId>{1});
  click({240, 130}, Qt::ControlModifier);
  QCOMPARE(canvas_->selectedBoxes(), (std::vector<BoxId>{1, 2}));
  click({80, 70}, Qt::ControlModifier);
  QCOMPARE(canvas_->selectedBoxes(), std::vector<BoxId>{2});
  QCOMPARE(changed.count(), 3);
}

void CanvasTest::clickOnEmptySpaceClearsSelection() {
  canvas_->setBoxes({makeBox(1, {50, 50, 60, 40})});
  canvas_->selectBoxes({1});
  QSignalSpy changed(canvas_.get(), &Canvas::selectionChanged);
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  click({300, 250});
  QVERIFY(canvas_->selectedBoxes().empty());
  QCOMPARE(changed.count(), 1);
  QCOMPARE(drawn.count(), 0);
}

void CanvasTest::setBoxesKeepsSelectionOfRemainingIds() {
  canvas_->setBoxes({makeBox(1, {10, 10, 20, 20}), makeBox(2, {50, 50, 20, 20})});
  canvas_->selectBoxes({1, 2});
  QSignalSpy changed(canvas_.get(), &Canvas::selectionChanged);
  canvas_->setBoxes({makeBox(2, {60, 60, 20, 20}), makeBox(3, {90, 90, 20, 20})});
  QCOMPARE(canvas_->selectedBoxes(), std::vector<BoxId>{2});
  QCOMPARE(changed.count(), 1);
  canvas_->setBoxes({makeBox(2, {70, 70, 20, 20})});
  QCOMPARE(changed.count(), 1);  // nothing changed, nothing said
}

void CanvasTest::draggingBoxMovesItOnceOnRelease() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40})});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  drag({125, 120}, {165, 140});
  QCOMPARE(drawn.count(), 0);
  QCOMPARE(edited.count(), 1);
  QCOMPARE(editsOf(edited, 0).at(0).id, BoxId{7});
  const QRectF r = rectOf(edited, 0);
  QVERIFY2(near(r, QRectF(140, 120, 50, 40)), qPrintable(show(r)));
  QCOMPARE(r.size(), QSizeF(50, 40));
  QCOMPARE(canvas_->selectedBoxes(), std::vector<BoxId>{7});
}

void CanvasTest::draggingBoxStopsAtImageEdge() {
  canvas_->setBoxes({makeBox(7, {300, 200, 50, 40})});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  drag({320, 220}, {420, 320});
  QCOMPARE(edited.count(), 1);
  QCOMPARE(rectOf(edited, 0), QRectF(350, 260, 50, 40));
}

void CanvasTest::draggingCornerHandleResizes() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40})});
  canvas_->selectBoxes({7});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  drag({150, 140}, {180, 170});  // the bottom-right handle
  QCOMPARE(edited.count(), 1);
  const QRectF r = rectOf(edited, 0);
  QVERIFY2(near(r, QRectF(100, 100, 80, 70)), qPrintable(show(r)));
  QCOMPARE(r.topLeft(), QPointF(100, 100));
}

void CanvasTest::resizeKeepsAtLeastOnePixel() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40})});
  canvas_->selectBoxes({7});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  drag({150, 140}, {60, 60});  // bottom-right dragged past the top-left corner
  QCOMPARE(edited.count(), 1);
  QCOMPARE(rectOf(edited, 0), QRectF(100, 100, 1, 1));
}

void CanvasTest::arrowKeysNudgeSelection() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40}), makeBox(8, {200, 200, 10, 10})});
  canvas_->selectBoxes({7});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  QTest::keyClick(canvas_.get(), Qt::Key_Right);
  QCOMPARE(edited.count(), 1);
  QCOMPARE(rectOf(edited, 0), QRectF(101, 100, 50, 40));
  QTest::keyClick(canvas_.get(), Qt::Key_Down, Qt::ShiftModifier);
  QCOMPARE(edited.count(), 2);
  QCOMPARE(rectOf(edited, 1), QRectF(101, 110, 50, 40));

  canvas_->selectBoxes({7, 8});
  QTest::keyClick(canvas_.get(), Qt::Key_Left);
  QCOMPARE(edited.count(), 3);  // one signal for the gesture, with both boxes
  QCOMPARE(editsOf(edited, 2).size(), size_t(2));
  QCOMPARE(editsOf(edited, 2).at(0).rect, QRectF(100, 110, 50, 40));
  QCOMPARE(editsOf(edited, 2).at(1).rect, QRectF(199, 200, 10, 10));
}

void CanvasTest::nudgeStopsAtImageEdge() {
  canvas_->setBoxes({makeBox(7, {392, 10, 5, 5})});
  canvas_->selectBoxes({7});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  QTest::keyClick(canvas_.get(), Qt::Key_Right, Qt::ShiftModifier);
  QCOMPARE(edited.count(), 1);
  QCOMPARE(rectOf(edited, 0), QRectF(395, 10, 5, 5));
  QTest::keyClick(canvas_.get(), Qt::Key_Right);
  QCOMPARE(edited.count(), 1);  // already at the edge: no edit
}

void CanvasTest::deleteRequestsSelectedBoxes() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40}), makeBox(8, {200, 200, 10, 10})});
  QSignalSpy requested(canvas_.get(), &Canvas::deleteRequested);
  QTest::keyClick(canvas_.get(), Qt::Key_Delete);
  QCOMPARE(requested.count(), 0);  // nothing selected
  canvas_->selectBoxes({8});
  QTest::keyClick(canvas_.get(), Qt::Key_Delete);
  QCOMPARE(requested.count(), 1);
  QCOMPARE(requested.at(0).at(0).value<std::vector<BoxId>>(), std::vector<BoxId>{8});
  QTest::keyClick(canvas_.get(), Qt::Key_Backspace);
  QCOMPARE(requested.count(), 2);
  QCOMPARE(canvas_->boxes().size(), std::size_t{2});  // the main window deletes, not the canvas
}

void CanvasTest::drawModeDrawsOverBoxesUntilEscape() {
  canvas_->setBoxes({makeBox(7, {100, 100, 100, 80})});
  QSignalSpy mode(canvas_.get(), &Canvas::drawModeChanged);
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  canvas_->setDrawMode(true);
  QCOMPARE(mode.count(), 1);
  QCOMPARE(mode.at(0).at(0).toBool(), true);
  QCOMPARE(canvas_->viewport()->cursor().shape(), Qt::CrossCursor);

  drag({120, 120}, {160, 150});  // starts on the box: draws, does not move it
  QCOMPARE(edited.count(), 0);
  QCOMPARE(drawn.count(), 1);
  const QRectF r = drawn.at(0).at(0).toRectF();
  QVERIFY2(near(r, QRectF(120, 120, 40, 30)), qPrintable(show(r)));
  QVERIFY(canvas_->drawMode());  // stays on for the next box

  drag({20, 20}, {60, 60});
  QCOMPARE(drawn.count(), 2);

  QTest::keyClick(canvas_.get(), Qt::Key_Escape);
  QVERIFY(!canvas_->drawMode());
  QCOMPARE(mode.count(), 2);
  QCOMPARE(mode.at(1).at(0).toBool(), false);
}

void CanvasTest::escapeCancelsDrag() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40})});
  QSignalSpy edited(canvas_.get(), &Canvas::boxesGeometryEdited);
  QSignalSpy drawn(canvas_.get(), &Canvas::boxDrawn);
  send(QEvent::MouseButtonPress, {120, 120}, Qt::LeftButton, Qt::LeftButton);
  send(QEvent::MouseMove, {180, 160}, Qt::NoButton, Qt::LeftButton);
  QTest::keyClick(canvas_.get(), Qt::Key_Escape);
  send(QEvent::MouseButtonRelease, {180, 160}, Qt::LeftButton, Qt::NoButton);
  QCOMPARE(edited.count(), 0);
  QCOMPARE(boxRect(canvas_->boxes().at(0)), QRectF(100, 100, 50, 40));

  send(QEvent::MouseButtonPress, {300, 200}, Qt::LeftButton, Qt::LeftButton);
  send(QEvent::MouseMove, {350, 250}, Qt::NoButton, Qt::LeftButton);
  QTest::keyClick(canvas_.get(), Qt::Key_Escape);
  send(QEvent::MouseButtonRelease, {350, 250}, Qt::LeftButton, Qt::NoButton);
  QCOMPARE(drawn.count(), 0);
}

void CanvasTest::wheelZoomKeepsPointUnderCursor() {
  const QPointF anchor(150, 100);
  const QPoint cursor = toView(anchor);
  const QPointF before = canvas_->mapToScene(cursor);
  const double zoom = canvas_->zoom();
  wheel(anchor, 1);
  QVERIFY2(std::abs(canvas_->zoom() - zoom * 1.15) < 1e-6,
           qPrintable(QString::number(canvas_->zoom())));
  const QPointF after = canvas_->mapToScene(cursor);
  QVERIFY2(QLineF(before, after).length() <= 1.0,
           qPrintable(QStringLiteral("moved from %1,%2 to %3,%4")
                          .arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
  wheel(anchor, -1);
  QVERIFY(std::abs(canvas_->zoom() - zoom) < 1e-6);
}

void CanvasTest::wheelZoomIsClamped() {
  wheel({200, 150}, 60);
  QCOMPARE(canvas_->zoom(), 50.0);
  wheel({200, 150}, -120);
  QCOMPARE(canvas_->zoom(), 0.05);
}

void CanvasTest::zoomActualSizeIsOneToOne() {
  canvas_->zoomActualSize();
  QCOMPARE(canvas_->zoom(), 1.0);
  canvas_->fitToWindow();
  QVERIFY(canvas_->zoom() > 1.5);  // 400x300 in 800x600, less a margin
  QVERIFY(canvas_->zoom() <= 2.0);
}

void CanvasTest::mouseMoveReportsImagePosition() {
  QSignalSpy moved(canvas_.get(), &Canvas::cursorMoved);
  send(QEvent::MouseMove, {123, 45}, Qt::NoButton, Qt::NoButton);
  QCOMPARE(moved.count(), 1);
  const QPointF p = moved.at(0).at(0).toPointF();
  QVERIFY(QLineF(p, QPointF(123, 45)).length() < 1.0);
}

// The main window answers every edit with setBoxes(), from inside the signal, which deletes
// the items the canvas was editing.
void CanvasTest::slotsMayCallSetBoxesWhileCanvasEmits() {
  canvas_->setBoxes({makeBox(7, {100, 100, 50, 40}), makeBox(8, {200, 200, 10, 10})});
  BoxId nextId = 100;
  connect(canvas_.get(), &Canvas::boxesGeometryEdited, this, [this](const std::vector<GeometryEdit>& edits) {
    std::vector<Box> boxes = canvas_->boxes();
    for (const GeometryEdit& e : edits)
      for (Box& b : boxes)
        if (b.id == e.id) b = makeBox(e.id, e.rect);
    canvas_->setBoxes(boxes);
  });
  connect(canvas_.get(), &Canvas::boxDrawn, this, [this, &nextId](const QRectF& r) {
    std::vector<Box> boxes = canvas_->boxes();
    boxes.push_back(makeBox(nextId++, r));
    canvas_->setBoxes(boxes);
  });
  canvas_->selectBoxes({7, 8});
  QTest::keyClick(canvas_.get(), Qt::Key_Up, Qt::ShiftModifier);
  QCOMPARE(boxRect(canvas_->boxes().at(0)), QRectF(100, 90, 50, 40));
  QCOMPARE(boxRect(canvas_->boxes().at(1)), QRectF(200, 190, 10, 10));
  drag({120, 110}, {130, 110});  // moves both selected boxes
  QCOMPARE(boxRect(canvas_->boxes().at(1)).topLeft(), QPointF(210, 190));
  drag({300, 30}, {340, 60});
  QCOMPARE(canvas_->boxes().size(), std::size_t{3});
  QCOMPARE(canvas_->selectedBoxes(), (std::vector<BoxId>{7, 8}));
}

QTEST_MAIN(CanvasTest)
#include "canvas_test.moc"
