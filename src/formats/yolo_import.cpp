// Import of a YOLO data set: images/ and labels/ side by side (any sub-folders, e.g.
// train/ and val/, mirrored between them), class names from classes.txt or data.yaml, and
// one `class cx cy w h` line per box, normalised to 0..1.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>
#include <sstream>

#include "quarry/core/paths.h"
#include "formats/import_common.h"
#include "quarry/core/numbers.h"

namespace fs = std::filesystem;

namespace quarry::detail {
namespace {

// Ultralytics writes `names` either as a list or as a map from index to name.
Status readDataYaml(const fs::path& file, std::vector<std::string>* names) {
  try {
    YAML::Node root = YAML::LoadFile(file.string());
    YAML::Node n = root["names"];
    if (!n) return Status::BadInput(file.string() + ": has no `names` entry");
    if (n.IsSequence()) {
      for (const auto& v : n) names->push_back(v.as<std::string>());
    } else if (n.IsMap()) {
      std::map<int, std::string> byIndex;
      for (const auto& kv : n) byIndex[kv.first.as<int>()] = kv.second.as<std::string>();
      int expected = 0;
      for (const auto& [index, name] : byIndex) {
        if (index != expected++)
          return Status::BadInput(file.string() + ": class indices in `names` must run 0, 1, 2... without gaps");
        names->push_back(name);
      }
    } else {
      return Status::BadInput(file.string() + ": `names` must be a list or a map");
    }
  } catch (const YAML::Exception& e) {
    return Status::BadInput(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (names->empty()) return Status::BadInput(file.string() + ": lists no class names");
  return Status::Ok();
}

bool parseNumber(const std::string& s, double* v) {
  const auto parsed = parseDouble(s);
  if (parsed) *v = *parsed;
  return parsed.has_value();
}

// Parses one label file; malformed lines become issues and are skipped.
bool parseLabelFile(const fs::path& file, const std::vector<std::string>& classes, const ImportOptions& options,
                    ImportItem* item, ImportReport* report) {
  auto text = readTextFile(file);
  if (!text.ok()) return addIssue(report, options, file.string(), 0, text.status().message());
  std::istringstream in(*text);
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    if (f.empty()) continue;
    auto fail = [&](const std::string& why) {
      ++report->boxesSkipped;
      return addIssue(report, options, file.string(), lineNo, why);
    };
    if (f.size() != 5) {
      if (!fail("expected 5 fields `class cx cy w h`, found " + std::to_string(f.size()))) return false;
      continue;
    }
    double cls = 0, v[4];
    if (!parseNumber(f[0], &cls) || cls != std::floor(cls) || cls < 0) {
      if (!fail("class id '" + f[0] + "' is not a non-negative integer")) return false;
      continue;
    }
    if (cls >= static_cast<double>(classes.size())) {
      if (!fail("unknown class id " + f[0] + " (the data set names " + std::to_string(classes.size()) + " classes)"))
        return false;
      continue;
    }
    bool ok = true;
    std::string why;
    for (int k = 0; k < 4 && ok; ++k) {
      if (!parseNumber(f[k + 1], &v[k]) || !std::isfinite(v[k])) {
        ok = false;
        why = "'" + f[k + 1] + "' is not a finite number";
      } else if (k >= 2 && v[k] <= 0) {
        ok = false;
        why = "box has zero or negative size";
      } else if (v[k] < -1e-6 || v[k] > 1 + 1e-6) {
        ok = false;
        why = "'" + f[k + 1] + "' is outside 0..1 (YOLO coordinates are normalised)";
      }
    }
    if (!ok) {
      if (!fail(why)) return false;
      continue;
    }
    LabelBox box;
    box.className = classes[static_cast<std::size_t>(cls)];
    box.geometry = NormalizedCenterBox{v[0], v[1], v[2], v[3]};
    box.file = file.string();
    box.line = lineNo;
    item->boxes.push_back(box);
  }
  return true;
}

}  // namespace

Status parseYolo(const fs::path& root, const ImportOptions& options, ParsedDataset* out, ImportReport* report) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Status::InvalidArgument(root.string() + ": not a folder");
  if (fs::exists(root / "classes.txt", ec)) {
    QUARRY_RETURN_IF_ERROR(readClassList(root / "classes.txt", &out->classNames));
  } else if (fs::exists(root / "data.yaml", ec)) {
    QUARRY_RETURN_IF_ERROR(readDataYaml(root / "data.yaml", &out->classNames));
  } else {
    return Status::BadInput(root.string() + ": a YOLO data set needs classes.txt or data.yaml with the class names");
  }
  const fs::path imagesDir = root / "images";
  const fs::path labelsDir = root / "labels";
  if (!fs::is_directory(imagesDir, ec)) return Status::BadInput(root.string() + ": no images/ folder");
  for (const auto& image : findImages(imagesDir)) {
    ImportItem item;
    item.image = image;
    if (options.folderTags) {
      const std::string sub = firstSubfolder(imagesDir, image);
      if (!sub.empty()) item.tags.push_back(sub);
    }
    fs::path label = labelsDir / relativeInside(imagesDir, image)->replace_extension(".txt");
    if (fs::exists(label, ec) && !parseLabelFile(label, out->classNames, options, &item, report))
      return Status::BadInput(report->issues.back().toString());
    out->items.push_back(std::move(item));
  }
  return Status::Ok();
}

}  // namespace quarry::detail
