// An annotation script for the fault tests: the real main window (offscreen) edits boxes the way
// a user does, and a checker that reads the store afterwards.
//
//   gui_edit_script edit DIR SECONDS [WHERE]
//                                      for SECONDS (or until killed), goes through the images
//                                      (the list's order, or those of the query WHERE, round and
//                                      round), deletes the boxes an image has with the delete
//                                      action and draws six with mouse drags; after each edit
//                                      has returned it prints one line to stdout:
//                                        visit IMAGE           IMAGE shown, before its edits
//                                        draw IMAGE X Y W H    a box drawn on IMAGE
//                                        clear IMAGE           every box of IMAGE deleted
//                                      An error the window reports (e.g. "database is locked")
//                                      is printed as "error: ..." and exits 3.
//   gui_edit_script verify DIR LOG     checks that every edit LOG lists is in the store: each
//                                      image shows exactly the boxes drawn since its last clear,
//                                      except that the last image visited may also show the one
//                                      edit a kill interrupted after its commit and before its
//                                      line: one box more, or none at all.
//                                      Exit 0 when it all holds, 1 with the differences otherwise.
#include <QApplication>
#include <QElapsedTimer>
#include <QTest>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "gui/canvas.h"
#include "gui/image_list_model.h"
#include "gui/main_window.h"
#include "gui_test_support.h"
#include "quarry/store/project.h"
#include "quarry/store/query_text.h"

using namespace quarry;

namespace {

struct Rect {
  double x, y, w, h;
};

// Six slots, a 3 x 2 grid over the image, that do not overlap, so a drag never grabs an
// earlier box.
Rect slot(int i, double width, double height) {
  const double cw = width / 3, ch = height / 2;
  return {cw * (i % 3) + 0.2 * cw, ch * ((i / 3) % 2) + 0.2 * ch, 0.6 * cw, 0.6 * ch};
}

int edit(const QString& dir, double seconds, const QString& where) {
  auto window = test::openWindow(dir);
  if (!window) {
    std::printf("error: cannot open %s\n", qPrintable(dir));
    return 2;
  }
  window->canvas()->setFocus();
  std::vector<ImageId> images;  // empty: the list's order, with the Next action
  if (!where.isEmpty()) {
    ImageQuery query;
    const Status parsed = resolveImageQuery(*window->project(), where.toStdString(), &query);
    auto found = parsed.ok() ? window->project()->findImages(query) : Result<std::vector<ImageId>>(parsed);
    if (!found.ok() || found->empty()) {
      std::printf("error: no images match %s: %s\n", qPrintable(where),
                  found.ok() ? "none" : found.status().message().c_str());
      return 2;
    }
    images = *found;
  }
  auto failed = [&] {
    if (window->lastError().isEmpty()) return false;
    std::printf("error: %s\n", qPrintable(window->lastError()));
    std::fflush(stdout);
    return true;
  };
  QElapsedTimer clock;
  clock.start();
  int drawn = 0;
  for (std::size_t visit = 0; clock.elapsed() < seconds * 1000; ++visit) {
    if (!images.empty()) {
      window->selectImage(images[visit % images.size()]);
    } else if (visit > 0) {
      const ImageId before = window->currentImage();
      window->nextImage();
      // Next stays on the last row; go round to the first, as the usage says.
      if (window->currentImage() == before) window->selectImage(window->listModel()->imageAt(0));
    }
    const ImageId image = window->currentImage();
    // Said before any edit of this image, so that a kill during its first edit (a clear, say)
    // still leaves this image as the log's last one.
    std::printf("visit %lld\n", static_cast<long long>(image));
    std::fflush(stdout);
    auto record = window->project()->image(image);
    if (!record.ok()) return 3;
    // Start from an empty image, so a drag in a slot never grabs a box that was there.
    auto boxes = window->project()->boxes(image);
    if (!boxes.ok()) return 3;
    if (!boxes->empty()) {
      std::vector<BoxId> ids;
      for (const Box& b : *boxes) ids.push_back(b.id);
      window->deleteBoxes(ids);
      if (failed()) return 3;
      std::printf("clear %lld\n", static_cast<long long>(image));
      std::fflush(stdout);
    }
    for (int i = 0; i < 6 && clock.elapsed() < seconds * 1000; ++i) {
      const Rect r = slot(i, record->width, record->height);
      test::drag(window->canvas(), {r.x, r.y}, {r.x + r.w, r.y + r.h});
      if (failed()) return 3;
      std::printf("draw %lld %.2f %.2f %.2f %.2f\n", static_cast<long long>(image), r.x, r.y, r.w, r.h);
      std::fflush(stdout);
      ++drawn;
    }
  }
  std::printf("done %d boxes drawn\n", drawn);
  return 0;
}

bool near(const Box& b, const Rect& r) {
  return std::abs(b.x - r.x) <= 2 && std::abs(b.y - r.y) <= 2 && std::abs(b.w - r.w) <= 2 && std::abs(b.h - r.h) <= 2;
}

int verify(const QString& dir, const QString& logFile) {
  std::ifstream log(logFile.toStdString());
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  // A line without its newline was cut by the kill: the edit may or may not be in the store.
  if (!text.empty() && text.back() != '\n') text.erase(text.find_last_of('\n') + 1);
  std::map<ImageId, std::vector<Rect>> expected;
  ImageId last = 0;           // the image of the log's last line
  bool lastIsVisit = false;   // so the edit a kill cut may be the clear that follows a visit
  int edits = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    std::string kind;
    long long image = 0;
    in >> kind >> image;
    if (kind == "draw") {
      Rect r{};
      in >> r.x >> r.y >> r.w >> r.h;
      expected[image].push_back(r);
    } else if (kind == "clear") {
      expected[image].clear();
    } else if (kind != "visit") {
      continue;
    }
    last = image;
    lastIsVisit = kind == "visit";
    if (!lastIsVisit) ++edits;
  }
  auto project = Project::open(dir.toStdString());
  if (!project.ok()) {
    std::cout << "cannot open the project: " << project.status().message() << "\n";
    return 1;
  }
  int problems = 0;
  for (const auto& [image, rects] : expected) {
    auto stored = (*project)->boxes(image);
    if (!stored.ok()) return 1;
    std::vector<Box> manual;
    for (const Box& b : *stored)
      if (b.source == BoxSource::kManual) manual.push_back(b);
    // The interrupted edit, on the last image only: one more box, or, right after its visit,
    // the clear of every box.
    const bool extraAllowed = image == last;
    if (extraAllowed && lastIsVisit && manual.empty()) continue;
    for (const Rect& r : rects) {
      const bool found = std::any_of(manual.begin(), manual.end(), [&](const Box& b) { return near(b, r); });
      if (!found) {
        std::cout << "image " << image << ": the box at " << r.x << "," << r.y << " was drawn but is not stored\n";
        ++problems;
      }
    }
    const bool exact = manual.size() == rects.size();
    const bool oneMore = manual.size() == rects.size() + 1;
    if (!exact && !(extraAllowed && oneMore)) {
      std::cout << "image " << image << ": " << manual.size() << " manual boxes stored, " << rects.size()
                << " expected\n";
      ++problems;
    }
  }
  std::cout << edits << " edits logged on " << expected.size() << " images, " << problems << " problems\n";
  return problems == 0 && edits > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  const QStringList args = app.arguments();
  if ((args.size() == 4 || args.size() == 5) && args[1] == "edit")
    return edit(args[2], args[3].toDouble(), args.size() == 5 ? args[4] : QString());
  if (args.size() == 4 && args[1] == "verify") return verify(args[2], args[3]);
  std::cerr << "usage: gui_edit_script edit DIR SECONDS [WHERE] | verify DIR LOG\n";
  return 2;
}
