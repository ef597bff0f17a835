// CVAT for images 1.1 export: <out>/annotations.xml with the labels in the frozen class order
// under <meta><task>, one <image> per image (with its subset, train or val, when the export is
// split) and a <box> per box; images under <out>/images/. Coordinates are exact decimals
// (CVAT itself writes two places; its importer reads any).
#include <pugixml.hpp>

#include <sstream>

#include "formats/export_common.h"

namespace fs = std::filesystem;

namespace quarry::detail {

Status exportCvat(const Project& project, const ExportPlan& plan, const fs::path& out, const ExportOptions& options,
                  ExportReport* report, const ProgressFn& progress) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  pugi::xml_node root = doc.append_child("annotations");
  root.append_child("version").text().set("1.1");
  pugi::xml_node task = root.append_child("meta").append_child("task");
  task.append_child("name").text().set("exported by Quarry");
  task.append_child("size").text().set(static_cast<unsigned long long>(plan.imageCount()));
  pugi::xml_node labels = task.append_child("labels");
  for (const ClassInfo& c : plan.classes) {
    pugi::xml_node l = labels.append_child("label");
    l.append_child("name").text().set(c.name.c_str());
    l.append_child("color").text().set(c.color.c_str());
    l.append_child("type").text().set("rectangle");
  }
  const std::size_t total = plan.imageCount();
  std::size_t done = 0;
  long long id = 0;
  for (const ExportSet& set : plan.sets) {
    for (const ImageRecord& im : set.images) {
      if (!reportProgress(progress, done++, total, "export")) return Status::Cancelled();
      const std::string& name = plan.names.at(im.id);
      QUARRY_RETURN_IF_ERROR(placeImage(project, im, out / "images" / name, options.imageCopy, report));
      pugi::xml_node node = root.append_child("image");
      node.append_attribute("id") = id++;
      node.append_attribute("name") = ("images/" + name).c_str();
      if (!set.name.empty()) node.append_attribute("subset") = set.name.c_str();
      node.append_attribute("width") = im.width;
      node.append_attribute("height") = im.height;
      auto it = plan.boxes.find(im.id);
      if (it == plan.boxes.end()) continue;
      for (const Box& b : it->second) {
        pugi::xml_node box = node.append_child("box");
        box.append_attribute("label") = plan.classes[static_cast<std::size_t>(plan.classIndex.at(b.cls))].name.c_str();
        box.append_attribute("source") = b.source == BoxSource::kAuto ? "auto" : "manual";
        box.append_attribute("occluded") = 0;
        box.append_attribute("xtl") = formatNumber(b.x).c_str();
        box.append_attribute("ytl") = formatNumber(b.y).c_str();
        box.append_attribute("xbr") = formatNumber(b.x + b.w).c_str();
        box.append_attribute("ybr") = formatNumber(b.y + b.h).c_str();
        box.append_attribute("z_order") = 0;
        ++report->boxes;
      }
    }
    report->images += set.images.size();
  }
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
  const fs::path file = out / "annotations.xml";
  QUARRY_RETURN_IF_ERROR(writeTextFile(file, os.str()));
  report->files.push_back(file.string());
  reportProgress(progress, total, total, "export");
  return Status::Ok();
}

}  // namespace quarry::detail
