// What every exporter shares: choosing the images and their train/val sets, naming each
// image inside the export, placing image files, and writing text files safely.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "quarry/formats/formats.h"

namespace quarry::detail {

struct ExportSet {
  std::string name;  // "train", "val", or "" for a single unnamed set
  std::vector<ImageRecord> images;
};

struct ExportPlan {
  std::vector<ClassInfo> classes;          // the frozen order
  std::map<ClassId, int> classIndex;       // class id -> 0-based index in that order
  std::vector<ExportSet> sets;
  std::map<ImageId, std::string> names;    // image -> relative name inside the export ("a/b.jpg")
  std::map<ImageId, std::vector<Box>> boxes;
  std::size_t imageCount() const;
};

// Chooses the images. With `requireSplit` both train and val tags must be given.
Status planExport(const Project& project, const ExportOptions& options, bool requireSplit, ExportPlan* plan);

// Copies (or links) an image into the export; a missing source is recorded, not fatal.
Status placeImage(const Project& project, const ImageRecord& image, const std::filesystem::path& dest,
                  ImageCopy mode, ExportReport* report);

// Writes `text` to `file` through a temporary file and a rename, so a reader never sees half.
Status writeTextFile(const std::filesystem::path& file, const std::string& text);

// Shortest decimal that reads back as the same double.
std::string formatNumber(double v);

Status exportCoco(const Project& project, const ExportPlan& plan, const std::filesystem::path& out,
                  const ExportOptions& options, ExportReport* report, const ProgressFn& progress);
Status exportVoc(const Project& project, const ExportPlan& plan, const std::filesystem::path& out,
                 const ExportOptions& options, ExportReport* report, const ProgressFn& progress);
Status exportYolo(const Project& project, const ExportPlan& plan, const std::filesystem::path& out,
                  const ExportOptions& options, ExportReport* report, const ProgressFn& progress);
Status exportCvat(const Project& project, const ExportPlan& plan, const std::filesystem::path& out,
                  const ExportOptions& options, ExportReport* report, const ProgressFn& progress);
Status exportLabelStudio(const Project& project, const ExportPlan& plan, const std::filesystem::path& out,
                         const ExportOptions& options, ExportReport* report, const ProgressFn& progress);

}  // namespace quarry::detail
