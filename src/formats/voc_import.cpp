// Import of Pascal VOC: one XML file per image (under Annotations/ or anywhere below the
// root), with <filename>, <size> and <object><name/><bndbox/></object> entries. Images are
// looked for in JPEGImages/, beside the XML file, and under the root, in that order.
#include <pugixml.hpp>

#include <cmath>
#include <set>

#include "quarry/core/paths.h"
#include "formats/import_common.h"
#include "quarry/core/numbers.h"

namespace fs = std::filesystem;

namespace quarry::detail {
namespace {

std::vector<fs::path> findXml(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec) && lowerExtension(it->path()) == ".xml") out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// Where the image named in an XML file lies; every candidate stays inside the import root.
Result<fs::path> locateImage(const fs::path& root, const fs::path& xml, const std::string& folder,
                             const std::string& filename) {
  std::vector<fs::path> candidates;
  for (const fs::path& base : {root / "JPEGImages", xml.parent_path(), root}) {
    auto p = safeJoin(base, filename);
    if (!p.ok()) return p.status();
    candidates.push_back(*p);
  }
  if (!folder.empty()) {
    auto p = safeJoin(root, folder + "/" + filename);
    if (p.ok()) candidates.push_back(*p);
  }
  std::error_code ec;
  for (const auto& c : candidates)
    if (fs::exists(c, ec) && relativeInside(root, c)) return c;
  return Status::NotFound("image '" + filename + "' not found in JPEGImages/, beside the XML file, or under " +
                          root.string());
}

bool readNumber(const pugi::xml_node& parent, const char* name, double* v) {
  pugi::xml_node n = parent.child(name);
  if (!n) return false;
  const auto parsed = parseDouble(n.text().as_string());
  if (!parsed || !std::isfinite(*parsed)) return false;
  *v = *parsed;
  return true;
}

}  // namespace

Status parseVoc(const fs::path& root, const ImportOptions& options, ParsedDataset* out, ImportReport* report) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Status::InvalidArgument(root.string() + ": not a folder");
  // VOC has no class list; Quarry's own export writes classes.txt to keep the order.
  std::set<std::string> seen;
  if (fs::exists(root / "classes.txt", ec)) {
    QUARRY_RETURN_IF_ERROR(readClassList(root / "classes.txt", &out->classNames));
    seen.insert(out->classNames.begin(), out->classNames.end());
  }
  for (const fs::path& xml : findXml(root)) {
    auto text = readTextFile(xml);
    if (!text.ok()) {
      if (!addIssue(report, options, xml.string(), 0, text.status().message())) return text.status();
      continue;
    }
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(text->data(), text->size());
    if (!parsed) {
      const int line = lineOfOffset(*text, static_cast<std::size_t>(parsed.offset));
      const std::string why = std::string("malformed XML: ") + parsed.description();
      if (!addIssue(report, options, xml.string(), line, why))
        return Status::BadInput(xml.string() + ":" + std::to_string(line) + ": " + why);
      continue;
    }
    pugi::xml_node ann = doc.child("annotation");
    const std::string filename = ann.child("filename").text().as_string();
    if (!ann || filename.empty()) {
      const std::string why = "not a VOC annotation (no <annotation><filename>)";
      if (!addIssue(report, options, xml.string(), 0, why)) return Status::BadInput(xml.string() + ": " + why);
      continue;
    }
    auto image = locateImage(root, xml, ann.child("folder").text().as_string(), filename);
    if (!image.ok()) {
      ++report->imagesSkipped;
      if (!addIssue(report, options, xml.string(), 0, image.status().message()))
        return Status::BadInput(xml.string() + ": " + image.status().message());
      continue;
    }
    ImportItem item;
    item.image = *image;
    item.declaredIn = xml.string();
    if (options.folderTags) {
      const std::string sub = firstSubfolder(root, xml);
      if (!sub.empty() && sub != "Annotations") item.tags.push_back(sub);
    }
    double w = 0, h = 0;
    pugi::xml_node size = ann.child("size");
    if (readNumber(size, "width", &w) && readNumber(size, "height", &h)) {
      item.declaredWidth = static_cast<int>(w);
      item.declaredHeight = static_cast<int>(h);
    } else if (!addIssue(report, options, xml.string(), 0, "no usable <size>; using the image's own size")) {
      return Status::BadInput(xml.string() + ": no usable <size>");
    }
    for (pugi::xml_node obj : ann.children("object")) {
      const int line = lineOfOffset(*text, static_cast<std::size_t>(obj.offset_debug()));
      const std::string name = obj.child("name").text().as_string();
      double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      pugi::xml_node bb = obj.child("bndbox");
      std::string why;
      if (name.empty()) why = "object without a <name>";
      else if (!readNumber(bb, "xmin", &x0) || !readNumber(bb, "ymin", &y0) || !readNumber(bb, "xmax", &x1) ||
               !readNumber(bb, "ymax", &y1))
        why = "object '" + name + "' lacks a numeric <bndbox> xmin/ymin/xmax/ymax";
      if (!why.empty()) {
        ++report->boxesSkipped;
        if (!addIssue(report, options, xml.string(), line, why))
          return Status::BadInput(xml.string() + ":" + std::to_string(line) + ": " + why);
        continue;
      }
      if (seen.insert(name).second) out->classNames.push_back(name);
      LabelBox box;
      box.className = name;
      box.geometry = PixelBox{x0, y0, x1 - x0, y1 - y0};
      box.file = xml.string();
      box.line = line;
      item.boxes.push_back(box);
    }
    out->items.push_back(std::move(item));
  }
  return Status::Ok();
}

}  // namespace quarry::detail
