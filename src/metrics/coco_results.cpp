// Reading detections in COCO results format, the list that pycocotools' loadRes() takes and
// most detectors write: [{"image_id", "category_id", "bbox": [x, y, w, h], "score"}, ...].
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "quarry/core/text.h"
#include "quarry/metrics/metrics.h"

using nlohmann::json;

namespace quarry {
namespace {

// Finds where parsing failed. json::parse reports the byte only for syntax errors, not for a number
// too large for a double (1e999), so the text is parsed again with a SAX handler that only
// listens for the error.
class ErrorLocator : public json::json_sax_t {
 public:
  std::size_t byte = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    byte = position;
    return false;
  }
};

// nlohmann's what() without its "[json.exception.parse_error.101] " tag, which means nothing to a user.
std::string withoutTag(const char* what) {
  const std::string m = what;
  const std::size_t end = m.find("] ");
  return !m.empty() && m[0] == '[' && end != std::string::npos ? m.substr(end + 2) : m;
}

bool isInt(const json& j) { return j.is_number_integer() || j.is_number_unsigned(); }

bool isFiniteNumber(const json& j) { return j.is_number() && std::isfinite(j.get<double>()); }

// Reads one entry; returns why it is wrong, or an empty string.
std::string readEntry(const json& e, const std::vector<ClassId>& classes, const std::set<ImageId>* knownImages,
                      Detection* out) {
  if (!e.is_object()) return "not an object";
  for (const char* key : {"image_id", "category_id"})
    if (!e.contains(key) || !isInt(e[key])) return std::string("needs an integer `") + key + "`";
  if (!e.contains("bbox") || !e["bbox"].is_array() || e["bbox"].size() != 4)
    return "needs `bbox` = [x, y, w, h]";
  if (!e.contains("score") || !e["score"].is_number()) return "needs a number `score`";
  for (const json& v : e["bbox"])
    if (!isFiniteNumber(v)) return "`bbox` holds a value that is not a finite number";
  if (!isFiniteNumber(e["score"])) return "`score` is not a finite number";

  // Read as signed first: an unsigned id above INT64_MAX must not wrap into a valid one.
  if (e["category_id"].is_number_unsigned() && e["category_id"].get<std::uint64_t>() > classes.size())
    return "category_id " + e["category_id"].dump() + " is not a class (expected 1.." + std::to_string(classes.size()) + ")";
  const std::int64_t category = e["category_id"].get<std::int64_t>();
  if (category < 1 || category > static_cast<std::int64_t>(classes.size()))
    return "category_id " + std::to_string(category) + " is not a class (expected 1.." + std::to_string(classes.size()) + ")";
  if (e["image_id"].is_number_unsigned() && e["image_id"].get<std::uint64_t>() > INT64_MAX)
    return "image_id " + e["image_id"].dump() + " is out of range";
  const ImageId image = e["image_id"].get<std::int64_t>();
  if (knownImages && !knownImages->count(image)) return "image_id " + std::to_string(image) + " is not a known image";

  const json& b = e["bbox"];
  out->image = image;
  out->cls = classes[static_cast<std::size_t>(category - 1)];
  out->x = b[0].get<double>();
  out->y = b[1].get<double>();
  out->w = b[2].get<double>();
  out->h = b[3].get<double>();
  out->score = e["score"].get<double>();
  if (out->w < 0 || out->h < 0) return "`bbox` has a negative width or height";
  return {};
}

}  // namespace

Result<std::vector<Detection>> readCocoResults(const std::filesystem::path& file, const std::vector<ClassId>& classes,
                                               const std::set<ImageId>* knownImages) {
  const std::string name = file.string();
  auto text = readTextFile(file);
  if (!text.ok()) return text.status();
  try {
    json doc;
    try {
      doc = json::parse(*text);
    } catch (const json::exception& e) {
      ErrorLocator locator;
      json::sax_parse(*text, &locator);
      return Status::BadInput(name + ":" + std::to_string(lineOfOffset(*text, locator.byte)) +
                              ": malformed JSON: " + withoutTag(e.what()));
    }
    if (!doc.is_array()) return Status::BadInput(name + ": not COCO results (expected a JSON array of detections)");
    std::vector<Detection> detections;
    detections.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
      Detection d;
      const std::string why = readEntry(doc[i], classes, knownImages, &d);
      if (!why.empty()) return Status::BadInput(name + ": entry " + std::to_string(i) + ": " + why);
      detections.push_back(d);
    }
    return detections;
  } catch (const std::exception& e) {
    // The checks above should leave nothing to throw; this keeps the promise if one is missed.
    return Status::BadInput(name + ": " + withoutTag(e.what()));
  }
}

}  // namespace quarry
