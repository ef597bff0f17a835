// Pascal VOC export: Annotations/<name>.xml, JPEGImages/<name>, ImageSets/Main/<set>.txt,
// and classes.txt (VOC itself has no class list; Quarry's importer reads it back).
// Coordinates are written as exact decimals with xmax = x + w, not rounded to pixels.
#include <pugixml.hpp>

#include <sstream>

#include "formats/export_common.h"

namespace fs = std::filesystem;

namespace quarry::detail {
namespace {

std::string vocXml(const ImageRecord& im, const std::string& name, const std::vector<Box>& boxes,
                   const ExportPlan& plan) {
  pugi::xml_document doc;
  pugi::xml_node ann = doc.append_child("annotation");
  ann.append_child("folder").text().set("JPEGImages");
  ann.append_child("filename").text().set(name.c_str());
  pugi::xml_node size = ann.append_child("size");
  size.append_child("width").text().set(im.width);
  size.append_child("height").text().set(im.height);
  size.append_child("depth").text().set(3);
  ann.append_child("segmented").text().set(0);
  for (const Box& b : boxes) {
    pugi::xml_node obj = ann.append_child("object");
    obj.append_child("name").text().set(plan.classes[static_cast<std::size_t>(plan.classIndex.at(b.cls))].name.c_str());
    obj.append_child("pose").text().set("Unspecified");
    obj.append_child("truncated").text().set(0);
    obj.append_child("difficult").text().set(0);
    pugi::xml_node bb = obj.append_child("bndbox");
    bb.append_child("xmin").text().set(formatNumber(b.x).c_str());
    bb.append_child("ymin").text().set(formatNumber(b.y).c_str());
    bb.append_child("xmax").text().set(formatNumber(b.x + b.w).c_str());
    bb.append_child("ymax").text().set(formatNumber(b.y + b.h).c_str());
  }
  std::ostringstream os;
  doc.save(os, "  ");
  return os.str();
}

}  // namespace

Status exportVoc(const Project& project, const ExportPlan& plan, const fs::path& out, const ExportOptions& options,
                 ExportReport* report, const ProgressFn& progress) {
  std::string classes;
  for (const auto& c : plan.classes) classes += c.name + "\n";
  QUARRY_RETURN_IF_ERROR(writeTextFile(out / "classes.txt", classes));
  const std::size_t total = plan.imageCount();
  std::size_t done = 0;
  static const std::vector<Box> kNoBoxes;
  for (const ExportSet& set : plan.sets) {
    std::string list;
    for (const ImageRecord& im : set.images) {
      if (!reportProgress(progress, done++, total, "export")) return Status::Cancelled();
      const std::string& name = plan.names.at(im.id);
      QUARRY_RETURN_IF_ERROR(placeImage(project, im, out / "JPEGImages" / name, options.imageCopy, report));
      auto it = plan.boxes.find(im.id);
      const auto& boxes = it == plan.boxes.end() ? kNoBoxes : it->second;
      const fs::path xml = (out / "Annotations" / name).replace_extension(".xml");
      QUARRY_RETURN_IF_ERROR(writeTextFile(xml, vocXml(im, name, boxes, plan)));
      report->files.push_back(xml.string());
      report->boxes += boxes.size();
      list += fs::path(name).replace_extension().generic_string() + "\n";
    }
    report->images += set.images.size();
    QUARRY_RETURN_IF_ERROR(writeTextFile(out / "ImageSets" / "Main" / ((set.name.empty() ? "all" : set.name) + ".txt"), list));
  }
  reportProgress(progress, total, total, "export");
  return Status::Ok();
}

}  // namespace quarry::detail
