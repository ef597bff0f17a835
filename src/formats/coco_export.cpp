// COCO export: <out>/annotations.json (or train.json and val.json) with images under
// <out>/images/; category ids run from 1 in the frozen class order.
#include <nlohmann/json.hpp>

#include "formats/export_common.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace quarry::detail {

Status exportCoco(const Project& project, const ExportPlan& plan, const fs::path& out, const ExportOptions& options,
                  ExportReport* report, const ProgressFn& progress) {
  json categories = json::array();
  for (std::size_t i = 0; i < plan.classes.size(); ++i) {
    // The class's group where it has one (what COCO's supercategory is for); "defect" otherwise.
    const std::string super = plan.classes[i].group.empty() ? "defect" : plan.classes[i].group;
    categories.push_back({{"id", i + 1}, {"name", plan.classes[i].name}, {"supercategory", super}});
  }
  const std::size_t total = plan.imageCount();
  std::size_t done = 0;
  std::int64_t annotationId = 1;
  for (const ExportSet& set : plan.sets) {
    json images = json::array(), annotations = json::array();
    for (const ImageRecord& im : set.images) {
      if (!reportProgress(progress, done++, total, "export")) return Status::Cancelled();
      const std::string& name = plan.names.at(im.id);
      QUARRY_RETURN_IF_ERROR(placeImage(project, im, out / "images" / name, options.imageCopy, report));
      images.push_back({{"id", im.id}, {"file_name", name}, {"width", im.width}, {"height", im.height}});
      auto it = plan.boxes.find(im.id);
      if (it == plan.boxes.end()) continue;
      for (const Box& b : it->second) {
        json a = {{"id", annotationId++},
                  {"image_id", im.id},
                  {"category_id", plan.classIndex.at(b.cls) + 1},
                  {"bbox", {b.x, b.y, b.w, b.h}},
                  {"area", b.w * b.h},
                  {"iscrowd", 0}};
        if (b.score) a["score"] = *b.score;
        annotations.push_back(std::move(a));
        ++report->boxes;
      }
    }
    report->images += set.images.size();
    json doc = {{"info", {{"description", "exported by Quarry"}}},
                {"images", std::move(images)},
                {"annotations", std::move(annotations)},
                {"categories", categories}};
    const fs::path file = out / ((set.name.empty() ? std::string("annotations") : set.name) + ".json");
    QUARRY_RETURN_IF_ERROR(writeTextFile(file, doc.dump()));
    report->files.push_back(file.string());
  }
  reportProgress(progress, total, total, "export");
  return Status::Ok();
}

}  // namespace quarry::detail
