// Import of COCO detection JSON: categories (sorted by id give the class order), images
// (file_name relative to the JSON's folder or its images/ sub-folder) and annotations
// with `bbox` = [x, y, w, h] in pixels.
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

#include "quarry/core/paths.h"
#include "formats/import_common.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace quarry::detail {
namespace {

Result<fs::path> findJson(const fs::path& source) {
  std::error_code ec;
  if (fs::is_regular_file(source, ec)) return source;
  if (fs::exists(source / "annotations.json", ec)) return source / "annotations.json";
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(source, ec))
    if (e.is_regular_file() && lowerExtension(e.path()) == ".json") found.push_back(e.path());
  if (found.size() == 1) return found[0];
  if (found.empty()) return Status::NotFound(source.string() + ": no COCO .json file in this folder");
  return Status::InvalidArgument(source.string() + ": several .json files here; name the one to import");
}

bool isInt(const json& j) { return j.is_number_integer() || j.is_number_unsigned(); }

}  // namespace

Status parseCoco(const fs::path& source, const ImportOptions& options, ParsedDataset* out, ImportReport* report) {
  auto jsonFile = findJson(source);
  if (!jsonFile.ok()) return jsonFile.status();
  const std::string file = jsonFile->string();
  const fs::path root = jsonFile->parent_path();
  auto text = readTextFile(*jsonFile);
  if (!text.ok()) return text.status();
  json doc;
  try {
    doc = json::parse(*text);
  } catch (const json::parse_error& e) {
    return Status::BadInput(file + ":" + std::to_string(lineOfOffset(*text, e.byte)) + ": malformed JSON: " + e.what());
  } catch (const json::exception& e) {
    // Well-formed text the library still refuses, e.g. a number too large for a double
    // (found by scripts/fuzz): no byte offset comes with these.
    return Status::BadInput(file + ": malformed JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("images") || !doc["images"].is_array())
    return Status::BadInput(file + ": not a COCO file (no `images` array)");
  const json empty = json::array();
  const json& categories = doc.contains("categories") && doc["categories"].is_array() ? doc["categories"] : empty;
  const json& annotations = doc.contains("annotations") && doc["annotations"].is_array() ? doc["annotations"] : empty;

  auto issue = [&](const std::string& why) { return addIssue(report, options, file, 0, why); };
  auto stop = [&](const std::string& why) { return Status::BadInput(file + ": " + why); };

  std::map<std::int64_t, std::string> classById;
  std::set<std::string> names;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const json& c = categories[i];
    const std::string where = "categories[" + std::to_string(i) + "]";
    std::string why;
    if (!c.is_object() || !c.contains("id") || !isInt(c["id"]) || !c.contains("name") || !c["name"].is_string())
      why = where + " needs an integer `id` and a string `name`";
    else if (classById.count(c["id"].get<std::int64_t>()))
      why = where + ": duplicate category id " + std::to_string(c["id"].get<std::int64_t>());
    else if (names.count(c["name"].get<std::string>()))
      why = where + ": duplicate category name '" + c["name"].get<std::string>() + "'";
    if (!why.empty()) {
      if (!issue(why)) return stop(why);
      continue;
    }
    classById[c["id"].get<std::int64_t>()] = c["name"].get<std::string>();
    names.insert(c["name"].get<std::string>());
  }
  for (const auto& [id, name] : classById) out->classNames.push_back(name);

  std::map<std::int64_t, std::size_t> itemById;
  std::set<std::int64_t> badImageIds;  // their annotations are skipped without more noise
  const json& images = doc["images"];
  for (std::size_t i = 0; i < images.size(); ++i) {
    const json& im = images[i];
    const std::string where = "images[" + std::to_string(i) + "]";
    std::string why;
    if (!im.is_object() || !im.contains("id") || !isInt(im["id"]) || !im.contains("file_name") ||
        !im["file_name"].is_string()) {
      why = where + " needs an integer `id` and a string `file_name`";
    } else if (itemById.count(im["id"].get<std::int64_t>()) || badImageIds.count(im["id"].get<std::int64_t>())) {
      why = where + ": duplicate image id " + std::to_string(im["id"].get<std::int64_t>());
    }
    fs::path imagePath;
    if (why.empty()) {
      const std::string name = im["file_name"].get<std::string>();
      auto p = safeJoin(root, name);
      if (!p.ok()) {
        why = where + ": " + p.status().message();
      } else {
        std::error_code ec;
        imagePath = *p;
        if (!fs::exists(imagePath, ec)) {
          auto q = safeJoin(root / "images", name);
          if (q.ok() && fs::exists(*q, ec)) imagePath = *q;
        }
      }
      if (!why.empty()) badImageIds.insert(im["id"].get<std::int64_t>());
    }
    if (!why.empty()) {
      ++report->imagesSkipped;
      if (!issue(why)) return stop(why);
      continue;
    }
    ImportItem item;
    item.image = imagePath;
    item.declaredIn = file;
    if (im.contains("width") && isInt(im["width"])) item.declaredWidth = im["width"].get<int>();
    if (im.contains("height") && isInt(im["height"])) item.declaredHeight = im["height"].get<int>();
    if (options.folderTags) {
      const std::string sub = firstSubfolder(root / "images", imagePath);
      if (!sub.empty()) item.tags.push_back(sub);
    }
    itemById[im["id"].get<std::int64_t>()] = out->items.size();
    out->items.push_back(std::move(item));
  }

  std::set<std::int64_t> annotationIds;
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const json& a = annotations[i];
    const std::string where = "annotations[" + std::to_string(i) + "]";
    std::string why;
    const bool shaped = a.is_object() && a.contains("image_id") && isInt(a["image_id"]) && a.contains("category_id") &&
                        isInt(a["category_id"]) && a.contains("bbox") && a["bbox"].is_array() && a["bbox"].size() == 4;
    if (!shaped) {
      why = where + " needs integer `image_id` and `category_id` and a 4-number `bbox`";
    } else if (a.contains("id") && isInt(a["id"]) && !annotationIds.insert(a["id"].get<std::int64_t>()).second) {
      why = where + ": duplicate annotation id " + std::to_string(a["id"].get<std::int64_t>());
    } else if (badImageIds.count(a["image_id"].get<std::int64_t>())) {
      ++report->boxesSkipped;
      continue;
    } else if (!itemById.count(a["image_id"].get<std::int64_t>())) {
      why = where + ": refers to image id " + std::to_string(a["image_id"].get<std::int64_t>()) + ", which is not in `images`";
    } else if (!classById.count(a["category_id"].get<std::int64_t>())) {
      why = where + ": refers to category id " + std::to_string(a["category_id"].get<std::int64_t>()) +
            ", which is not in `categories`";
    } else if (a.contains("iscrowd") && isInt(a["iscrowd"]) && a["iscrowd"].get<int>() != 0) {
      why = where + ": crowd regions are not boxes; skipped";
    } else {
      for (const json& v : a["bbox"])
        if (!v.is_number() || !std::isfinite(v.get<double>())) why = where + ": `bbox` holds a value that is not a finite number";
    }
    if (!why.empty()) {
      ++report->boxesSkipped;
      if (!issue(why)) return stop(why);
      continue;
    }
    LabelBox box;
    box.className = classById[a["category_id"].get<std::int64_t>()];
    box.geometry = PixelBox{a["bbox"][0].get<double>(), a["bbox"][1].get<double>(), a["bbox"][2].get<double>(),
                            a["bbox"][3].get<double>()};
    box.file = file;
    out->items[itemById[a["image_id"].get<std::int64_t>()]].boxes.push_back(box);
  }
  return Status::Ok();
}

}  // namespace quarry::detail
