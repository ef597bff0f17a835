// YOLO export, also the Ultralytics-ready layout: images/<set>/, labels/<set>/,
// classes.txt and data.yaml (names by index, train and val folders relative to the
// data.yaml, so `yolo train data=<out>/data.yaml` runs with no editing).
#include <yaml-cpp/yaml.h>

#include "formats/export_common.h"

namespace fs = std::filesystem;

namespace quarry::detail {
namespace {

std::string dataYaml(const ExportPlan& plan) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  auto folder = [&](const std::string& set) { return set.empty() ? std::string("images") : "images/" + set; };
  const std::string train = folder(plan.sets.empty() ? "" : plan.sets.front().name);
  const std::string val = folder(plan.sets.empty() ? "" : plan.sets.back().name);
  y << YAML::Key << "train" << YAML::Value << train;
  y << YAML::Key << "val" << YAML::Value << val;
  y << YAML::Key << "nc" << YAML::Value << plan.classes.size();
  y << YAML::Key << "names" << YAML::Value << YAML::BeginMap;
  for (std::size_t i = 0; i < plan.classes.size(); ++i) y << YAML::Key << i << YAML::Value << plan.classes[i].name;
  y << YAML::EndMap << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace

Status exportYolo(const Project& project, const ExportPlan& plan, const fs::path& out, const ExportOptions& options,
                  ExportReport* report, const ProgressFn& progress) {
  std::string classes;
  for (const auto& c : plan.classes) classes += c.name + "\n";
  QUARRY_RETURN_IF_ERROR(writeTextFile(out / "classes.txt", classes));
  QUARRY_RETURN_IF_ERROR(writeTextFile(out / "data.yaml", dataYaml(plan)));
  const std::size_t total = plan.imageCount();
  std::size_t done = 0;
  for (const ExportSet& set : plan.sets) {
    const fs::path images = set.name.empty() ? out / "images" : out / "images" / set.name;
    const fs::path labels = set.name.empty() ? out / "labels" : out / "labels" / set.name;
    for (const ImageRecord& im : set.images) {
      if (!reportProgress(progress, done++, total, "export")) return Status::Cancelled();
      const std::string& name = plan.names.at(im.id);
      QUARRY_RETURN_IF_ERROR(placeImage(project, im, images / name, options.imageCopy, report));
      std::string text;
      auto it = plan.boxes.find(im.id);
      if (it != plan.boxes.end()) {
        for (const Box& b : it->second) {
          text += std::to_string(plan.classIndex.at(b.cls)) + " " + formatNumber((b.x + b.w / 2) / im.width) + " " +
                  formatNumber((b.y + b.h / 2) / im.height) + " " + formatNumber(b.w / im.width) + " " +
                  formatNumber(b.h / im.height) + "\n";
          ++report->boxes;
        }
      }
      // An empty label file marks a reviewed image with no defects (a true negative).
      const fs::path file = (labels / name).replace_extension(".txt");
      QUARRY_RETURN_IF_ERROR(writeTextFile(file, text));
      report->files.push_back(file.string());
    }
    report->images += set.images.size();
  }
  reportProgress(progress, total, total, "export");
  return Status::Ok();
}

}  // namespace quarry::detail
