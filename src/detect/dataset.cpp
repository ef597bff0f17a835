#include "detect/dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string_view>

#include "quarry/core/log.h"

namespace quarry::detect {
namespace {

constexpr std::size_t kMaxNamedLeaks = 20;

// Reads one image as `channels`; an empty Mat when the file is missing or undecodable.
cv::Mat readPixels(const std::filesystem::path& file, int channels) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return {};  // spares OpenCV's own warning on stderr
  try {
    return cv::imread(file.string(), channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};  // a corrupt file is treated like a missing one
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

Result<std::vector<LabeledImage>> loadLabeledImages(const Project& project, const ImageQuery& query, int channels,
                                                    LoadReport* report, const ProgressFn& progress) {
  if (channels != 1 && channels != 3)
    return Status::InvalidArgument("images can be loaded with 1 or 3 channels, not " + std::to_string(channels));
  auto ids = project.findImages(query);
  if (!ids.ok()) return ids.status();
  auto records = project.images(*ids);
  if (!records.ok()) return records.status();
  auto classes = project.classes();
  if (!classes.ok()) return classes.status();
  auto boxes = project.boxesOfImages(*ids);
  if (!boxes.ok()) return boxes.status();

  // The network's class index is the class's place in the frozen order, not its id.
  std::vector<ClassInfo> order = *classes;
  std::stable_sort(order.begin(), order.end(), [](const ClassInfo& a, const ClassInfo& b) { return a.position < b.position; });
  std::map<ClassId, int> indexOf;
  for (std::size_t i = 0; i < order.size(); ++i) indexOf[order[i].id] = static_cast<int>(i);

  std::map<ImageId, std::vector<TargetBox>> truth;
  for (const Box& b : *boxes) {
    if (b.source == BoxSource::kAuto) continue;  // a model's guess is not truth until a person confirms it
    auto cls = indexOf.find(b.cls);
    if (cls == indexOf.end()) continue;
    truth[b.image].push_back({cls->second, static_cast<float>(b.x), static_cast<float>(b.y),
                              static_cast<float>(b.x + b.w), static_cast<float>(b.y + b.h)});
  }

  LoadReport local;
  LoadReport& rep = report ? *report : local;
  rep = LoadReport{};
  constexpr std::string_view kStage = "loading images";
  std::vector<LabeledImage> out;
  out.reserve(records->size());
  const std::size_t total = records->size();
  for (std::size_t i = 0; i < total; ++i) {
    if (!reportProgress(progress, i, total, kStage)) return Status::Cancelled();
    const ImageRecord& rec = (*records)[i];
    LabeledImage img;
    img.id = rec.id;
    img.file = project.resolve(rec.path).string();
    img.pixels = readPixels(img.file, channels);
    if (img.pixels.empty()) {
      ++rep.missing;
      coreLogger()->warn("{}: missing or unreadable, skipped", img.file);
      continue;
    }
    if (auto it = truth.find(rec.id); it != truth.end()) img.boxes = std::move(it->second);
    out.push_back(std::move(img));
  }
  reportProgress(progress, total, total, kStage);  // the work is done; a late cancel changes nothing
  return out;
}

Result<ImageQuery> trainingQuery(const Project& project, const std::vector<std::string>& trainTags,
                                 const std::string& valTag) {
  auto tags = project.tags();
  if (!tags.ok()) return tags.status();
  std::vector<std::string> train = trainTags;
  if (train.empty()) {
    for (const TagInfo& t : *tags)
      if (t.name.rfind("GT", 0) == 0) train.push_back(t.name);
    if (train.empty())
      return Status::InvalidArgument("no training tags: tag images GT1 (quarry split) or name --train-tags");
  } else {
    for (const auto& name : train) {
      const bool known = std::any_of(tags->begin(), tags->end(), [&](const TagInfo& t) { return t.name == name; });
      if (!known) return Status::InvalidArgument("no tag named '" + name + "' to train on");
    }
  }
  ImageQuery query;
  query.anyTags = train;
  if (valTag.empty()) return query;

  ImageQuery leak = query;
  leak.allTags = {valTag};
  auto leaked = project.findImages(leak);
  if (!leaked.ok()) return leaked.status();
  if (!leaked->empty()) {
    const std::vector<ImageId> shown(leaked->begin(),
                                     leaked->begin() + static_cast<std::ptrdiff_t>(std::min(kMaxNamedLeaks, leaked->size())));
    auto records = project.images(shown);
    if (!records.ok()) return records.status();
    std::vector<std::string> paths;
    for (const ImageRecord& r : *records) paths.push_back(r.path);
    std::string msg = "refusing to train on the validation set: " + std::to_string(leaked->size()) +
                      " image(s) carry both a training tag (" + joined(train) + ") and " + valTag + ": " + joined(paths);
    if (leaked->size() > shown.size()) msg += " and " + std::to_string(leaked->size() - shown.size()) + " more";
    return Status::InvalidArgument(msg + "; untag them from one side first");
  }
  // Belt and braces: the query itself also excludes VAL, should tags change before loading.
  query.noTags = {valTag};
  return query;
}

cv::Mat resizeToFit(const cv::Mat& image, int size, Letterbox* map) {
  Letterbox lb;
  cv::Mat out;
  if (!image.empty() && size > 0) {
    const double scale = std::min(static_cast<double>(size) / image.cols, static_cast<double>(size) / image.rows);
    const int w = std::clamp(static_cast<int>(std::lround(image.cols * scale)), 1, size);
    const int h = std::clamp(static_cast<int>(std::lround(image.rows * scale)), 1, size);
    if (w == image.cols && h == image.rows)
      out = image.clone();
    else  // INTER_AREA averages the pixels a shrink merges; bilinear aliases there
      cv::resize(image, out, cv::Size(w, h), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    lb.scale = static_cast<float>(scale);
    lb.padX = static_cast<float>((size - w) / 2);
    lb.padY = static_cast<float>((size - h) / 2);
  }
  if (map) *map = lb;
  return out;
}

std::vector<TargetBox> transformBoxes(const std::vector<TargetBox>& boxes, const cv::Matx23d& m, int size,
                                      double minVisible, float minSide) {
  std::vector<TargetBox> out;
  const double limit = size, inf = std::numeric_limits<double>::infinity();
  for (const TargetBox& b : boxes) {
    double x0 = inf, y0 = inf, x1 = -inf, y1 = -inf;
    for (const cv::Point2d p : {cv::Point2d(b.x0, b.y0), cv::Point2d(b.x1, b.y0), cv::Point2d(b.x0, b.y1),
                                cv::Point2d(b.x1, b.y1)}) {
      const double x = m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2);
      const double y = m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2);
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    const double area = (x1 - x0) * (y1 - y0);
    x0 = std::clamp(x0, 0.0, limit), x1 = std::clamp(x1, 0.0, limit);
    y0 = std::clamp(y0, 0.0, limit), y1 = std::clamp(y1, 0.0, limit);
    const double w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0 || w * h < minVisible * area || w < minSide || h < minSide) continue;
    out.push_back({b.cls, static_cast<float>(x0), static_cast<float>(y0), static_cast<float>(x1), static_cast<float>(y1)});
  }
  return out;
}

cv::Mat letterbox(const cv::Mat& image, int size, Letterbox* map) {
  Letterbox lb;
  cv::Mat resized = resizeToFit(image, size, &lb);
  cv::Mat out(size, size, CV_MAKETYPE(CV_8U, std::max(1, image.channels())), cv::Scalar::all(kPadValue));
  if (!resized.empty())
    resized.copyTo(out(cv::Rect(static_cast<int>(lb.padX), static_cast<int>(lb.padY), resized.cols, resized.rows)));
  if (map) *map = lb;
  return out;
}

Sample makeEvalSample(const LabeledImage& image, int size, Letterbox* map) {
  Letterbox lb;
  Sample s;
  s.input = letterbox(image.pixels, size, &lb);
  const cv::Matx23d m(lb.scale, 0, lb.padX, 0, lb.scale, lb.padY);
  s.boxes = transformBoxes(image.boxes, m, size);
  if (map) *map = lb;
  return s;
}

}  // namespace quarry::detect
