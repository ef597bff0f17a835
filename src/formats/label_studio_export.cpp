// Label Studio JSON export: <out>/result.json, a list of tasks, one per image, whose
// `data.image` is its path below <out> (images/...); the boxes are one annotation's
// `rectanglelabels` results in percent of the image (as Label Studio stores them), with the
// image's size beside each. A split export writes train.json and val.json. Label Studio keeps
// its labels in the project's labelling config, not in the export, so classes.txt beside the
// JSON holds the frozen class order (Quarry's importer reads it back, as for VOC).
#include <nlohmann/json.hpp>

#include "formats/export_common.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace quarry::detail {

Status exportLabelStudio(const Project& project, const ExportPlan& plan, const fs::path& out,
                         const ExportOptions& options, ExportReport* report, const ProgressFn& progress) {
  std::string classes;
  for (const auto& c : plan.classes) classes += c.name + "\n";
  QUARRY_RETURN_IF_ERROR(writeTextFile(out / "classes.txt", classes));
  const std::size_t total = plan.imageCount();
  std::size_t done = 0;
  long long taskId = 1, resultId = 1;
  for (const ExportSet& set : plan.sets) {
    json tasks = json::array();
    for (const ImageRecord& im : set.images) {
      if (!reportProgress(progress, done++, total, "export")) return Status::Cancelled();
      const std::string& name = plan.names.at(im.id);
      QUARRY_RETURN_IF_ERROR(placeImage(project, im, out / "images" / name, options.imageCopy, report));
      json results = json::array();
      if (auto it = plan.boxes.find(im.id); it != plan.boxes.end())
        for (const Box& b : it->second) {
          const std::string& label = plan.classes[static_cast<std::size_t>(plan.classIndex.at(b.cls))].name;
          json r = {{"id", "q" + std::to_string(resultId++)},
                    {"type", "rectanglelabels"},
                    {"from_name", "label"},
                    {"to_name", "image"},
                    {"original_width", im.width},
                    {"original_height", im.height},
                    {"image_rotation", 0},
                    {"value",
                     {{"x", 100.0 * b.x / im.width},
                      {"y", 100.0 * b.y / im.height},
                      {"width", 100.0 * b.w / im.width},
                      {"height", 100.0 * b.h / im.height},
                      {"rotation", 0},
                      {"rectanglelabels", {label}}}}};
          if (b.score) r["score"] = *b.score;
          results.push_back(std::move(r));
          ++report->boxes;
        }
      tasks.push_back({{"id", taskId++},
                       {"data", {{"image", "images/" + name}}},
                       {"annotations", json::array({{{"id", taskId - 1}, {"result", std::move(results)}}})}});
    }
    report->images += set.images.size();
    const fs::path file = out / ((set.name.empty() ? std::string("result") : set.name) + ".json");
    QUARRY_RETURN_IF_ERROR(writeTextFile(file, tasks.dump(1)));
    report->files.push_back(file.string());
  }
  reportProgress(progress, total, total, "export");
  return Status::Ok();
}

}  // namespace quarry::detail
