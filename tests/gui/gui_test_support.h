// Shared by the GUI tests: mouse drags on the canvas as a user makes them, and for the tests of
// the active-learning loop a small generated demo project (split into VAL1 and GT1 with their
// truth, the rest an unlabelled pool), opening it in a shown window, and quick training requests
// from the Model panel.
#pragma once

#include <QApplication>
#include <QMouseEvent>
#include <QString>
#include <QTest>
#include <memory>
#include <vector>

#include "gui/canvas.h"
#include "gui/main_window.h"
#include "quarry/demo/demo.h"
#include "quarry/store/project.h"
#include "quarry/al/split.h"
#include "gui/model_panel.h"

namespace quarry::test {

inline void sendMouse(QWidget* target, QEvent::Type type, const QPoint& pos, Qt::MouseButtons buttons,
                      Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
  const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
  QMouseEvent event(type, QPointF(pos), target->mapToGlobal(QPointF(pos)), button, buttons, modifiers);
  QApplication::sendEvent(target, &event);
}

// A left drag on the canvas between two points in image pixels.
inline void drag(gui::Canvas* canvas, const QPointF& from, const QPointF& to) {
  QWidget* vp = canvas->viewport();
  const QPoint a = canvas->mapFromScene(from), b = canvas->mapFromScene(to);
  sendMouse(vp, QEvent::MouseButtonPress, a, Qt::LeftButton);
  for (int i = 1; i <= 5; ++i) sendMouse(vp, QEvent::MouseMove, a + (b - a) * i / 5, Qt::LeftButton);
  sendMouse(vp, QEvent::MouseButtonRelease, b, Qt::NoButton);
}

// 40 images of 96 px: 10 VAL1, 16 GT1, 14 in the pool. Returns the pool's ids (empty on failure).
inline std::vector<ImageId> makeLoopProject(const QString& dir) {
  DemoOptions options;
  options.images = 40;
  options.width = options.height = 96;
  options.seed = 8;
  if (!createDemoProject(dir.toStdString(), options, true, nullptr).ok()) return {};
  auto opened = Project::open(dir.toStdString());
  if (!opened.ok()) return {};
  Project& p = **opened;
  SplitOptions split;
  split.val = {10, 0};
  split.gt = {16, 0};
  if (!splitImages(p, split).ok()) return {};
  ImageQuery rest;
  rest.noTags = {"VAL1", "GT1"};
  auto pool = p.findImages(rest);
  if (!pool.ok()) return {};
  for (const Box& b : *p.boxesOfImages(*pool))
    if (!p.removeBox(b.id).ok()) return {};
  for (ImageId id : *pool)
    if (!p.setImageStatus(id, ImageStatus::kUnlabeled).ok()) return {};
  return *pool;
}

// A shown window (no error dialogs) with the project in `dir` open; null when it cannot open it.
inline std::unique_ptr<gui::MainWindow> openWindow(const QString& dir) {
  auto window = std::make_unique<gui::MainWindow>();
  window->setErrorDialogs(false);
  window->resize(1300, 800);
  window->show();
  if (!QTest::qWaitForWindowExposed(window.get()) || !window->openProject(dir)) return nullptr;
  return window;
}

// The panel's training form with a tiny model and a fixed number of steps; `tags` empty: every GT*.
inline gui::JobRequest quickTrain(gui::ModelPanel* panel, const QString& run, long steps,
                                  const std::vector<std::string>& tags = {}) {
  panel->setKind(gui::JobKind::kTrain);
  gui::JobRequest r = panel->requestFromForm();
  auto& train = r.as<detect::TrainOptions>();
  train.runName = run.toStdString();
  train.trainTags = tags;
  train.preset = "tiny";
  train.batchSize = 8;
  train.maxSteps = steps;
  train.patience = 100000;  // a few steps per epoch: early stopping would end it at once
  train.epochs = 100000;
  train.warmupSteps = 5;
  train.learningRate = 4e-3;
  return r;
}

}  // namespace quarry::test
