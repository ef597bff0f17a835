// Plain value types shared by the store, the formats, the CLI and the GUI.
// No behaviour lives here; see store.h for what reads and writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace quarry {

using ImageId = std::int64_t;
using ClassId = std::int64_t;
using TagId = std::int64_t;
using BoxId = std::int64_t;
using RunId = std::int64_t;

// Stored as integers; the numeric values are part of the file format, never renumber.
enum class ImageStatus { kUnlabeled = 0, kLabeled = 1, kReviewed = 2 };
enum class BoxSource { kManual = 0, kAuto = 1, kCorrected = 2 };
enum class Difficulty { kEasy = 0, kMedium = 1, kHard = 2 };

const char* toString(ImageStatus s);
const char* toString(BoxSource s);
const char* toString(Difficulty d);
std::optional<ImageStatus> parseImageStatus(const std::string& s);
std::optional<BoxSource> parseBoxSource(const std::string& s);
std::optional<Difficulty> parseDifficulty(const std::string& s);

// A class keeps its id for life; `position` is its place in the frozen class order that
// every export writes (YOLO index = position, COCO category id = position + 1).
struct ClassInfo {
  ClassId id = 0;
  std::string name;
  int position = 0;
  std::string color;  // "#rrggbb"
  // The class's group, when a project has dozens or hundreds of classes (e.g. "weld" for porosity,
  // undercut, crack); empty: none. Groups are for finding classes, never for the order.
  std::string group;
};

struct ImageRecord {
  ImageId id = 0;
  std::string path;  // relative to the project folder when inside it, absolute otherwise
  int width = 0;     // pixels
  int height = 0;
  std::string hash;  // XXH3-64 of the file's bytes, 16 hex digits
  ImageStatus status = ImageStatus::kUnlabeled;
  // The perceptual hash of its pixels (core/perceptual_hash.h): near-duplicates are a few bits
  // apart. Empty for images added before it existed, until `quarry hash`.
  std::optional<std::uint64_t> phash;
};

// A box in pixel coordinates of its image: (x, y) is the top-left corner.
struct Box {
  BoxId id = 0;
  ImageId image = 0;
  ClassId cls = 0;
  double x = 0, y = 0, w = 0, h = 0;
  BoxSource source = BoxSource::kManual;
  std::optional<RunId> run;     // the model run that proposed it (auto and corrected boxes)
  std::optional<double> score;  // that run's confidence, 0..1
  std::string author;
  std::int64_t createdAt = 0;   // unix milliseconds, set by the store
  std::int64_t updatedAt = 0;
};

struct ModelRun {
  RunId id = 0;
  std::string name;         // unique, e.g. "CAL1"
  std::string trainedOn;    // the tag query it was trained on, e.g. "GT1,GT2"
  std::string paramsJson = "{}";
  std::string metricsJson = "{}";
  std::string checkpoint;   // path relative to the project folder
  std::int64_t createdAt = 0;
};

// What one model run thinks of one image.
struct ImageScore {
  RunId run = 0;
  ImageId image = 0;
  double score = 0;              // combined uncertainty; higher is harder
  Difficulty difficulty = Difficulty::kEasy;
  int detections = 0;            // detections above the run's threshold
  std::string componentsJson = "{}";  // the uncertainty components behind `score`
};

// What an annotator does to an image, as the window times it (issue 15): drawing a box,
// adjusting or reclassing one, deleting one, and verifying the image (marking it reviewed or
// accepting its proposals). Stored by name; the names are part of the file format.
enum class LabelAction { kDraw = 0, kAdjust = 1, kDelete = 2, kVerify = 3 };
inline constexpr int kLabelActionCount = 4;
const char* toString(LabelAction a);  // "draw", "adjust", "delete", "verify"
std::optional<LabelAction> parseLabelAction(const std::string& s);

// One timed action: the active seconds since the annotator's previous action on the image.
struct ActionTime {
  ImageId image = 0;
  LabelAction action = LabelAction::kDraw;
  int boxes = 1;         // the boxes it touched (verify: the image's boxes)
  double seconds = 0;
  std::string user;
  std::int64_t at = 0;   // milliseconds since the epoch; 0: now
};

// The recorded times of one action, summed over the project.
struct ActionSummary {
  LabelAction action = LabelAction::kDraw;
  std::int64_t actions = 0, boxes = 0, images = 0;
  double seconds = 0;
  double secondsPerBox() const { return boxes > 0 ? seconds / static_cast<double>(boxes) : 0; }
};

}  // namespace quarry
