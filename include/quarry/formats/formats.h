// Import and export of labelled data sets: a folder of images, YOLO, Ultralytics-ready YOLO,
// Pascal VOC XML and COCO JSON.
//
// The class order is frozen: an import maps class names onto the project's classes, keeping
// the position of every class the project already has and appending new ones in the order
// the data set gives them; an export writes the project's order (YOLO index = position,
// COCO category id = position + 1) and names it in classes.txt / data.yaml / categories.
//
// Bad input never stops an import (unless `strict`): each problem becomes an ImportIssue with
// the file and line, the item is skipped, and the rest goes on. Images are committed in
// chunks, so a killed import keeps every finished chunk and can simply be run again: images
// already in the project (same stored path) are not added twice.
//
// Threads: runs on the caller's thread with the caller's Project; report progress per image.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "quarry/core/image_probe.h"
#include "quarry/store/image_query.h"
#include "quarry/core/progress.h"
#include "quarry/store/duplicates.h"
#include "quarry/store/project.h"
#include "quarry/core/status.h"

namespace quarry {

enum class Format { kFolder, kYolo, kUltralytics, kVoc, kCoco, kCvat, kLabelStudio };
const char* toString(Format f);
std::optional<Format> parseFormat(const std::string& name);  // "folder", "yolo", ..., "cvat", "label-studio"

struct ImportOptions {
  bool strict = false;              // stop at the first problem, keeping what was committed
  ProbeOptions probe;               // pixel limit and decode check for every image
  std::vector<std::string> tags;    // added to every imported image
  bool folderTags = false;          // also tag each image with its first sub-folder (train, val...)
  std::string author = "import";    // recorded on the imported boxes
  std::size_t chunkImages = 256;    // images per committed transaction
  unsigned threads = 0;             // files read, decoded and hashed at once (0: every core)
};

struct ImportIssue {
  std::string file;
  int line = 0;  // 0 when the problem is with the whole file
  std::string message;
  std::string toString() const;
};

struct ImportReport {
  std::size_t imagesSeen = 0;
  std::size_t imagesAdded = 0;
  std::size_t imagesAlreadyThere = 0;  // same stored path or same content: left as it was, boxes not re-added
  std::size_t imagesSkipped = 0;       // unreadable, not an image, over the pixel limit...
  std::size_t boxesAdded = 0;
  std::size_t boxesSkipped = 0;        // malformed lines, unknown classes, bad geometry
  std::vector<std::string> classesAdded;
  std::vector<ImportIssue> issues;
  // Files whose bytes an image of the project already has (counted as already there): the
  // file, and the stored path of the image it repeats.
  struct SameContent {
    std::string file, existing;
  };
  std::vector<SameContent> sameContent;
  // The image root the images are stored under (empty: inside the project folder, or files
  // chosen one by one), and whether this import made it.
  std::string imageRoot;
  bool imageRootAdded = false;
};

// Imports `source` (a folder for folder/yolo/voc; a .json file or a folder holding one for
// coco) into `project`. Fills `report` as it goes, also when it fails or is cancelled. A source
// outside the project folder is stored under an image root (Project::imageRootFor), so moving
// it later needs one `quarry roots set`.
Status importDataset(Project& project, Format format, const std::filesystem::path& source,
                     const ImportOptions& options, ImportReport* report, const ProgressFn& progress = {});

// Adds these image files, with no labels (what a window does with files dropped on it). A file
// whose extension is not an image's is skipped with that reason, like an unreadable one; the
// files need no common folder.
Status importImageFiles(Project& project, const std::vector<std::filesystem::path>& files,
                        const ImportOptions& options, ImportReport* report, const ProgressFn& progress = {});

// What `source` most likely holds, for a form's first guess (the user can still choose): kCoco for
// a .json file or a folder with a .json file at its top, kVoc with an Annotations/ folder or .xml
// files among its first 5,000 entries, kYolo when it has a labels/ folder or a classes.txt or
// data.yaml, and kFolder otherwise.
Format guessFormat(const std::filesystem::path& source);

// One line for a person: "imported 12 images (3 already there, 1 skipped), 40 boxes (2 skipped);
// new classes: a b".
std::string summaryLine(const ImportReport& report);
// The summary line, then one line per issue (file:line: message): the report a user can copy.
std::string reportText(const ImportReport& report);

enum class ImageCopy { kCopy, kHardLink, kNone };

struct ExportOptions {
  ImageQuery images;                   // which images (default: all)
  std::vector<std::string> trainTags;  // with valTags: write train and val sets from these tags
  std::vector<std::string> valTags;    //   (required for Ultralytics; optional for the others)
  bool onlyReviewed = false;           // leave out images whose status is not reviewed
  ImageCopy imageCopy = ImageCopy::kCopy;  // hard links fall back to copies across file systems
  // A folder that is not empty is refused unless this is set, and even then only a folder an
  // earlier Quarry export made (it holds kExportMarker) is emptied and written again.
  bool overwrite = false;
  // A val image with a near-duplicate (store/duplicates.h) in the train set is refused, naming
  // the pairs; with this set it is a warning in the report instead. -1 distance: not checked.
  bool allowNearDuplicates = false;
  int duplicateDistance = kDefaultDuplicateDistance;
};

// The file every export leaves in its folder, so that --overwrite knows what it may replace.
inline constexpr const char* kExportMarker = ".quarry-export";

struct ExportReport {
  std::size_t images = 0;
  std::size_t boxes = 0;
  std::vector<std::string> files;  // the label files written (not the copied images)
  std::vector<std::string> missingImages;  // referenced images not found on disk (labels still written)
  std::vector<std::string> warnings;       // e.g. near-duplicates across train and val, when allowed
};

// Writes the chosen images of `project` to `outDir` in `format`. Refuses (kInvalidArgument,
// naming up to 20 images) when an image is in both the train and the val set, and (naming the
// folder) when `outDir` is not empty and options.overwrite is off, or is on but the folder was
// not made by a Quarry export, is the project's folder or holds it or any of its images. Nothing
// is removed before those checks pass.
Status exportDataset(const Project& project, Format format, const std::filesystem::path& outDir,
                     const ExportOptions& options, ExportReport* report, const ProgressFn& progress = {});

}  // namespace quarry
