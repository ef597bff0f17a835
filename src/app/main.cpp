// quarry-gui: the annotation workbench. `quarry-gui [PROJECT_DIR]` opens a project (without one,
// the project opened last), in the layout the user left;
// `--screenshot FILE.png [--select IMAGE] [--run NAME] [--uncertainty] [--runs A,B --tab N]` renders the window
// (or, with --runs, the Runs view) to a PNG and exits (it works offscreen: QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QCommandLineParser>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>

#include "gui/canvas.h"
#include "gui/filter_bar.h"
#include "gui/main_window.h"
#include "gui/memory_policy.h"
#include "gui/runs_view.h"

int main(int argc, char** argv) {
  quarry::gui::returnLargeBuffersPromptly();
  QApplication app(argc, argv);
  QApplication::setApplicationName("quarry-gui");
  QApplication::setOrganizationName("Quarry");
  QApplication::setApplicationVersion("0.1.0");

  QCommandLineParser parser;
  parser.setApplicationDescription("Quarry: bounding-box annotation and active learning");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("project", "project folder to open");
  QCommandLineOption screenshot("screenshot", "render the window to FILE.png and exit", "FILE");
  QCommandLineOption select("select", "image to show (stored path, file name or id)", "IMAGE");
  QCommandLineOption size("size", "window size for --screenshot, WIDTHxHEIGHT", "SIZE", "1400x860");
  QCommandLineOption run("run", "show this model run's difficulty in the list", "NAME");
  QCommandLineOption runs("runs", "with --screenshot: render the Runs view with these runs (one or two)", "A,B");
  QCommandLineOption tab("tab", "with --runs: the Runs view's tab to show (0-4)", "N", "0");
  QCommandLineOption uncertainty("uncertainty", "show the run's uncertainty on the canvas (as the U key does)");
  parser.addOptions({screenshot, select, size, run, runs, tab, uncertainty});
  parser.process(app);

  quarry::gui::MainWindow window;
  const bool shooting = parser.isSet(screenshot);
  window.setErrorDialogs(!shooting);
  // A screenshot is the same picture on every machine: no remembered layout or project.
  if (!shooting) window.restoreLayout();
  if (!parser.positionalArguments().isEmpty()) {
    if (!window.openProject(parser.positionalArguments().first()) && shooting) {
      std::fprintf(stderr, "quarry-gui: %s\n", qPrintable(window.lastError()));
      return 1;
    }
  } else if (!shooting) {
    window.openLastProject();
  }
  if (parser.isSet(run) && !window.filterBar()->setRun(parser.value(run))) {
    std::fprintf(stderr, "quarry-gui: no model run '%s' in the project\n", qPrintable(parser.value(run)));
    if (shooting) return 1;
  }
  if (parser.isSet(select) && !window.selectImageByName(parser.value(select))) {
    std::fprintf(stderr, "quarry-gui: no image '%s' in the project\n", qPrintable(parser.value(select)));
    if (shooting) return 1;
  }
  if (parser.isSet(uncertainty)) window.canvas()->setShowUncertainty(true);
  if (!shooting) {
    window.show();
    return app.exec();
  }
  const QStringList wh = parser.value(size).split('x');
  window.resize(wh.value(0).toInt() > 0 ? wh.value(0).toInt() : 1400, wh.value(1).toInt() > 0 ? wh.value(1).toInt() : 860);
  window.show();
  QWidget* shot = &window;
  if (parser.isSet(runs)) {
    quarry::gui::RunsView* view = window.runsView();
    if (!view->selectRuns(parser.value(runs).split(','))) {
      std::fprintf(stderr, "quarry-gui: no model run among '%s'\n", qPrintable(parser.value(runs)));
      return 1;
    }
    view->tabs()->setCurrentIndex(parser.value(tab).toInt());
    view->show();
    shot = view;
  }
  // Let layouts, the list's first page and the thumbnails settle before the picture.
  QTimer::singleShot(600, [&] {
    const bool saved = shot->grab().save(parser.value(screenshot));
    if (!saved) std::fprintf(stderr, "quarry-gui: cannot write %s\n", qPrintable(parser.value(screenshot)));
    app.exit(saved ? 0 : 1);
  });
  return app.exec();
}
