// Import of Label Studio JSON (its "JSON" export: a list of tasks): each task's `data.image` and
// the `rectanglelabels` results of its first annotation that was not cancelled, with x, y, width
// and height in percent of the image. Label Studio's own URL prefixes (/data/upload/N/,
// /data/local-files/?d=) are dropped; the rest is a path relative to the JSON's folder or its
// images/ sub-folder, found by its file name when the folders differ. Classes come in the order
// of classes.txt beside the JSON when there is one (Quarry's export writes it), else in the
// order they first appear.
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

#include "formats/import_common.h"
#include "quarry/core/paths.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace quarry::detail {
namespace {

Result<fs::path> findJson(const fs::path& source) {
  std::error_code ec;
  if (fs::is_regular_file(source, ec)) return source;
  for (const char* name : {"result.json", "tasks.json", "label_studio.json", "annotations.json"})
    if (fs::exists(source / name, ec)) return source / name;
  return Status::NotFound(source.string() + ": no Label Studio JSON (result.json or tasks.json) in this folder");
}

// "/data/upload/3/7f2a-a.jpg" -> "7f2a-a.jpg"; "/data/local-files/?d=line/a.jpg" -> "line/a.jpg".
std::string withoutServerPrefix(std::string ref) {
  if (auto q = ref.find("?d="); q != std::string::npos) return ref.substr(q + 3);
  for (const char* prefix : {"/data/upload/", "data/upload/"})
    if (ref.rfind(prefix, 0) == 0) {
      ref = ref.substr(std::string(prefix).size());
      if (auto slash = ref.find('/'); slash != std::string::npos) ref = ref.substr(slash + 1);  // the project number
      return ref;
    }
  return ref;
}

bool finite(const json& j) { return j.is_number() && std::isfinite(j.get<double>()); }

// The string at `key`, or "" when there is none or it is not a string (json::value throws on a
// field of another type: found by scripts/fuzz).
std::string stringAt(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Status parseLabelStudio(const fs::path& source, const ImportOptions& options, ParsedDataset* out, ImportReport* report) {
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
    return Status::BadInput(file + ": malformed JSON: " + e.what());
  }
  if (!doc.is_array()) return Status::BadInput(file + ": not a Label Studio export (a list of tasks)");
  auto issue = [&](const std::string& why) { return addIssue(report, options, file, 0, why); };
  auto stop = [&](const std::string& why) { return Status::BadInput(file + ": " + why); };

  std::set<std::string> known, seen;
  std::error_code ec;
  if (fs::exists(root / "classes.txt", ec)) {
    QUARRY_RETURN_IF_ERROR(readClassList(root / "classes.txt", &out->classNames));
    known.insert(out->classNames.begin(), out->classNames.end());
  }
  for (std::size_t t = 0; t < doc.size(); ++t) {
    const json& task = doc[t];
    const std::string where = "task " + std::to_string(t + 1);
    std::string why;
    if (!task.is_object() || !task.contains("data") || !task["data"].is_object() || !task["data"].contains("image") ||
        !task["data"]["image"].is_string())
      why = where + " needs `data.image`, a string";
    fs::path imagePath;
    if (why.empty()) {
      const std::string ref = withoutServerPrefix(task["data"]["image"].get<std::string>());
      if (ref.find("://") != std::string::npos) {
        why = where + ": image '" + ref + "' is a URL; put the files beside the JSON";
      } else if (!seen.insert(ref).second) {
        why = where + ": image '" + ref + "' is listed twice";
      } else {
        auto p = safeJoin(root, ref);
        if (!p.ok()) {
          why = where + ": " + p.status().message();
        } else {
          imagePath = *p;
          if (!fs::exists(imagePath, ec)) {
            const std::string base = fs::path(ref).filename().string();
            for (const auto& alt : {safeJoin(root / "images", ref), safeJoin(root, base), safeJoin(root / "images", base)})
              if (alt.ok() && fs::exists(*alt, ec)) {
                imagePath = *alt;
                break;
              }
          }
        }
      }
    }
    if (!why.empty()) {
      ++report->imagesSkipped;
      if (!issue(why)) return stop(why);
      continue;
    }
    ImportItem item;
    item.image = imagePath;
    item.declaredIn = file;
    const json* results = nullptr;
    if (task.contains("annotations") && task["annotations"].is_array())
      for (const json& a : task["annotations"])
        if (a.is_object() && !(a.contains("was_cancelled") && a["was_cancelled"].is_boolean() && a["was_cancelled"].get<bool>()) &&
            a.contains("result") && a["result"].is_array()) {
          results = &a["result"];
          break;
        }
    if (results) {
      for (std::size_t r = 0; r < results->size(); ++r) {
        const json& res = (*results)[r];
        const std::string at = where + ", result " + std::to_string(r + 1);
        if (stringAt(res, "type") != "rectanglelabels") {
          ++report->boxesSkipped;
          const std::string type = stringAt(res, "type");
          const std::string skip = at + ": not a rectangle (type " + (type.empty() ? "?" : type) + "); skipped";
          if (!issue(skip)) return stop(skip);
          continue;
        }
        const json v = res.contains("value") ? res["value"] : json::object();
        std::string bad;
        const auto field = [&](const char* key) { return v.is_object() && v.contains(key) ? v[key] : json(); };
        if (!v.is_object() || !finite(field("x")) || !finite(field("y")) || !finite(field("width")) ||
            !finite(field("height")))
          bad = at + " needs numbers value.x, y, width and height";
        else if (!v.contains("rectanglelabels") || !v["rectanglelabels"].is_array() || v["rectanglelabels"].size() != 1 ||
                 !v["rectanglelabels"][0].is_string())
          bad = at + " needs exactly one name in value.rectanglelabels";
        else if (v.contains("rotation") && finite(v["rotation"]) && v["rotation"].get<double>() != 0)
          bad = at + ": a rotated rectangle is not an axis-aligned box; skipped";
        if (!bad.empty()) {
          ++report->boxesSkipped;
          if (!issue(bad)) return stop(bad);
          continue;
        }
        // A declared size is a check against the image's own; one that is no pixel count is ignored.
        for (const auto& [key, field] : {std::pair{"original_width", &item.declaredWidth},
                                          std::pair{"original_height", &item.declaredHeight}})
          if (res.contains(key) && res[key].is_number_integer() && res[key].get<std::int64_t>() >= 1 &&
              res[key].get<std::int64_t>() <= 1'000'000'000)
            *field = static_cast<int>(res[key].get<std::int64_t>());
        const std::string label = v["rectanglelabels"][0].get<std::string>();
        if (known.insert(label).second) out->classNames.push_back(label);
        LabelBox box;
        box.className = label;
        // Percent of the image, top-left corner: the centre form takes fractions, so convert.
        const double x = v["x"].get<double>() / 100, y = v["y"].get<double>() / 100;
        const double w = v["width"].get<double>() / 100, h = v["height"].get<double>() / 100;
        box.geometry = NormalizedCenterBox{x + w / 2, y + h / 2, w, h};
        box.file = file;
        item.boxes.push_back(box);
      }
    }
    out->items.push_back(std::move(item));
  }
  return Status::Ok();
}

}  // namespace quarry::detail
