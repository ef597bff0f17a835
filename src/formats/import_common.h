// What every importer shares: a parser turns a data set into a ParsedDataset (class names
// in the data set's order, one item per image with its label boxes), and ingest() writes it
// to the project in chunks. Parsers only read files; ingest() is the only writer.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "quarry/core/text.h"  // readTextFile, lineOfOffset: every parser uses them
#include "quarry/formats/formats.h"

namespace quarry::detail {

// A box as a label file writes it: its corner and size in pixels (VOC, COCO), or its centre and
// size as fractions of the image (YOLO), which only the image's size turns into pixels.
struct PixelBox {
  double x = 0, y = 0, w = 0, h = 0;
};
struct NormalizedCenterBox {
  double cx = 0, cy = 0, w = 0, h = 0;
};

struct LabelBox {
  std::string className;
  std::variant<PixelBox, NormalizedCenterBox> geometry;
  std::string file;  // where it came from, for messages
  int line = 0;
};

struct ImportItem {
  std::filesystem::path image;
  std::vector<LabelBox> boxes;
  std::vector<std::string> tags;         // e.g. from folderTags
  std::optional<int> declaredWidth;      // VOC <size>, COCO width/height
  std::optional<int> declaredHeight;
  std::string declaredIn;                // the label file that declared the size
};

struct ParsedDataset {
  std::filesystem::path root;           // the data set's folder: no image may resolve outside it
  std::vector<std::string> classNames;  // the data set's own class order
  std::vector<ImportItem> items;
};

// Records an issue; returns false when the import must stop (strict mode).
bool addIssue(ImportReport* report, const ImportOptions& options, const std::string& file, int line,
              const std::string& message);

// Where `file` really is, when following its symbolic links leads out of `realRoot` (a
// canonical path); nothing when it stays inside, or when `realRoot` is empty.
std::optional<std::string> resolvesOutside(const std::filesystem::path& realRoot, const std::filesystem::path& file);

// Every image under `dir` (recursive, sorted), by extension.
std::vector<std::filesystem::path> findImages(const std::filesystem::path& dir);

// The first folder of `image` below `root` ("train" for root/train/a.jpg), or empty.
std::string firstSubfolder(const std::filesystem::path& root, const std::filesystem::path& image);

// Reads a class list, one name per line (classes.txt); blank lines are ignored.
Status readClassList(const std::filesystem::path& file, std::vector<std::string>* names);

Status parseFolder(const std::filesystem::path& root, const ImportOptions& options, ParsedDataset* out,
                   ImportReport* report);
Status parseYolo(const std::filesystem::path& root, const ImportOptions& options, ParsedDataset* out,
                 ImportReport* report);
Status parseVoc(const std::filesystem::path& root, const ImportOptions& options, ParsedDataset* out,
                ImportReport* report);
Status parseCoco(const std::filesystem::path& source, const ImportOptions& options, ParsedDataset* out,
                 ImportReport* report);

Status parseCvat(const std::filesystem::path& source, const ImportOptions& options, ParsedDataset* out,
                 ImportReport* report);
Status parseLabelStudio(const std::filesystem::path& source, const ImportOptions& options, ParsedDataset* out,
                        ImportReport* report);

Status ingest(Project& project, ParsedDataset& data, const ImportOptions& options, ImportReport* report,
              const ProgressFn& progress);

}  // namespace quarry::detail
