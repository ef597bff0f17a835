// Import of CVAT for images 1.1 (XML): the labels of <meta> (task or project) give the class
// order, each <image name=... width=... height=...> its <box label xtl ytl xbr ybr> children;
// names are relative to the XML's folder or its images/ sub-folder. Polygons, points and other
// shapes are not boxes: skipped and counted.
#include <pugixml.hpp>

#include <cmath>
#include <map>
#include <set>

#include "formats/import_common.h"
#include "quarry/core/paths.h"

namespace fs = std::filesystem;

namespace quarry::detail {
namespace {

Result<fs::path> findXml(const fs::path& source) {
  std::error_code ec;
  if (fs::is_regular_file(source, ec)) return source;
  if (fs::exists(source / "annotations.xml", ec)) return source / "annotations.xml";
  return Status::NotFound(source.string() + ": no CVAT annotations.xml in this folder");
}

std::optional<double> number(const pugi::xml_node& n, const char* name) {
  const pugi::xml_attribute a = n.attribute(name);
  if (!a) return std::nullopt;
  const std::string text = a.value();
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// pugixml gives byte offsets; messages name lines.
int lineOf(const std::string& text, const pugi::xml_node& n) {
  return static_cast<int>(lineOfOffset(text, static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, n.offset_debug()))));
}

}  // namespace

Status parseCvat(const fs::path& source, const ImportOptions& options, ParsedDataset* out, ImportReport* report) {
  auto xmlFile = findXml(source);
  if (!xmlFile.ok()) return xmlFile.status();
  const std::string file = xmlFile->string();
  const fs::path root = xmlFile->parent_path();
  auto text = readTextFile(*xmlFile);
  if (!text.ok()) return text.status();
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(text->data(), text->size());
  if (!parsed)
    return Status::BadInput(file + ":" + std::to_string(lineOfOffset(*text, static_cast<std::size_t>(parsed.offset))) +
                            ": malformed XML: " + parsed.description());
  const pugi::xml_node annotations = doc.child("annotations");
  if (!annotations) return Status::BadInput(file + ": not a CVAT for images file (no <annotations>)");

  std::set<std::string> known;
  for (const char* owner : {"task", "project", "job"})
    for (pugi::xml_node label : annotations.child("meta").child(owner).child("labels").children("label")) {
      const std::string name = label.child_value("name");
      if (!name.empty() && known.insert(name).second) out->classNames.push_back(name);
    }
  const bool declared = !out->classNames.empty();

  std::set<std::string> names;
  for (pugi::xml_node im : annotations.children("image")) {
    const int line = lineOf(*text, im);
    const std::string name = im.attribute("name").value();
    auto issue = [&](int at, const std::string& why) { return addIssue(report, options, file, at, why); };
    auto stop = [&](int at, const std::string& why) { return Status::BadInput(file + ":" + std::to_string(at) + ": " + why); };
    std::string why;
    if (name.empty()) why = "<image> without a name";
    else if (!names.insert(name).second) why = "image '" + name + "' is listed twice";
    fs::path imagePath;
    if (why.empty()) {
      auto p = safeJoin(root, name);
      if (!p.ok()) {
        why = p.status().message();
      } else {
        std::error_code ec;
        imagePath = *p;
        if (!fs::exists(imagePath, ec))
          if (auto q = safeJoin(root / "images", name); q.ok() && fs::exists(*q, ec)) imagePath = *q;
      }
    }
    if (!why.empty()) {
      ++report->imagesSkipped;
      if (!issue(line, why)) return stop(line, why);
      continue;
    }
    ImportItem item;
    item.image = imagePath;
    item.declaredIn = file;
    // A declared size is a check against the image's own; one that is no pixel count is ignored
    // (found by scripts/fuzz: width="6e9" does not fit an int).
    const auto size = [&](const char* name) -> std::optional<int> {
      const auto v = number(im, name);
      if (!v || *v < 1 || *v > 1e9 || std::floor(*v) != *v) return std::nullopt;
      return static_cast<int>(*v);
    };
    item.declaredWidth = size("width");
    item.declaredHeight = size("height");
    if (options.folderTags && im.attribute("subset")) item.tags.push_back(im.attribute("subset").value());
    for (pugi::xml_node shape : im.children()) {
      const int at = lineOf(*text, shape);
      const std::string kind = shape.name();
      if (kind != "box") {
        if (kind == "tag") continue;  // an image-level label, not a region
        ++report->boxesSkipped;
        const std::string skip = "<" + kind + "> is not a box; skipped";
        if (!issue(at, skip)) return stop(at, skip);
        continue;
      }
      const std::string label = shape.attribute("label").value();
      const auto x0 = number(shape, "xtl"), y0 = number(shape, "ytl"), x1 = number(shape, "xbr"), y1 = number(shape, "ybr");
      std::string bad;
      if (label.empty()) bad = "<box> without a label";
      else if (!x0 || !y0 || !x1 || !y1) bad = "<box> needs numbers xtl, ytl, xbr and ybr";
      else if (number(shape, "rotation").value_or(0) != 0) bad = "a rotated <box> is not an axis-aligned box; skipped";
      else if (declared && !known.count(label)) bad = "<box> label '" + label + "' is not among the labels of <meta>";
      if (!bad.empty()) {
        ++report->boxesSkipped;
        if (!issue(at, bad)) return stop(at, bad);
        continue;
      }
      if (known.insert(label).second) out->classNames.push_back(label);
      LabelBox box;
      box.className = label;
      box.geometry = PixelBox{*x0, *y0, *x1 - *x0, *y1 - *y0};
      box.file = file;
      box.line = at;
      item.boxes.push_back(box);
    }
    out->items.push_back(std::move(item));
  }
  return Status::Ok();
}

}  // namespace quarry::detail
