#include "detect/tiles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace quarry::detect {
namespace {

// Starts of the tiles along one side: evenly spaced from 0 to length - tile.
std::vector<int> starts(int length, int tile, int overlap) {
  if (length <= tile) return {0};
  const int stride = std::max(1, tile - std::clamp(overlap, 0, tile - 1));
  const int count = 1 + (length - tile + stride - 1) / stride;  // ceil: the last tile ends at the side
  std::vector<int> out;
  for (int i = 0; i < count; ++i)
    out.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (length - tile) / (count - 1))));
  return out;
}

double iou(const TiledBox& a, const TiledBox& b) {
  const double iw = std::min(a.x1, b.x1) - std::max(a.x0, b.x0), ih = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  if (iw <= 0 || ih <= 0) return 0;
  const double inter = iw * ih;
  const double uni = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return uni > 0 ? inter / uni : 0;
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

std::string Tiling::describe() const {
  if (!enabled) return "off";
  char buf[128];
  std::snprintf(buf, sizeof buf, "on: %d px tiles at scale %.2f, overlap %d px", tile, scale, overlap);
  return buf;
}

bool isTiled(cv::Size image, const Tiling& tiling) {
  return tiling.enabled && tiling.tile > 0 && (image.width > tiling.tile || image.height > tiling.tile);
}

Result<Tiling> inferenceTiling(const Tiling& trained, const std::string& mode) {
  if (mode == "auto") return trained;
  if (mode == "off") return Tiling{};
  return Status::InvalidArgument("--tiles " + mode + ": a trained run infers with auto (as it was trained) or off");
}

std::vector<cv::Rect> tileGrid(cv::Size image, int tile, int overlap) {
  std::vector<cv::Rect> out;
  if (image.width <= 0 || image.height <= 0 || tile < 1) return out;
  for (int y : starts(image.height, tile, overlap))
    for (int x : starts(image.width, tile, overlap))
      out.emplace_back(x, y, std::min(tile, image.width), std::min(tile, image.height));
  return out;
}

std::vector<View> imageViews(const cv::Mat& pixels, int size, const Tiling& tiling) {
  std::vector<View> out;
  const cv::Rect all(0, 0, pixels.cols, pixels.rows);
  if (isTiled(pixels.size(), tiling)) {
    for (const cv::Rect& r : tileGrid(pixels.size(), tiling.tile, tiling.overlap)) {
      View v;
      v.input = letterbox(pixels(r), size, &v.map);
      v.map.offsetX = static_cast<float>(r.x);
      v.map.offsetY = static_cast<float>(r.y);
      v.region = r;
      v.whole = false;
      out.push_back(std::move(v));
    }
  }
  View whole;
  whole.input = letterbox(pixels, size, &whole.map);
  whole.region = all;
  out.push_back(std::move(whole));
  return out;
}

std::vector<std::size_t> mergeTiled(const std::vector<TiledBox>& boxes, cv::Size image, const Tiling& tiling,
                                    double nmsIou) {
  const double margin = 2.0 / std::max(1e-6, tiling.scale);  // 2 input pixels, in image pixels
  // An image no larger than a tile had only the whole pass (imageViews): it keeps every box.
  const bool tiled = isTiled(image, tiling);
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const TiledBox& b = boxes[i];
    if (b.whole) {
      if (!tiled || std::max(b.x1 - b.x0, b.y1 - b.y0) >= tiling.overlap) candidates.push_back(i);
      continue;
    }
    const cv::Rect& r = b.region;
    const bool cut = (r.x > 0 && b.x0 <= r.x + margin) || (r.y > 0 && b.y0 <= r.y + margin) ||
                     (r.x + r.width < image.width && b.x1 >= r.x + r.width - margin) ||
                     (r.y + r.height < image.height && b.y1 >= r.y + r.height - margin);
    if (!cut) candidates.push_back(i);
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return boxes[a].score > boxes[b].score; });
  std::vector<std::size_t> kept;
  for (std::size_t i : candidates) {
    const bool twin = std::any_of(kept.begin(), kept.end(), [&](std::size_t k) {
      return boxes[k].cls == boxes[i].cls && iou(boxes[k], boxes[i]) > nmsIou;
    });
    if (!twin) kept.push_back(i);
  }
  return kept;
}

Sample makeTiledTrainingSample(const LabeledImage& image, int size, const Tiling& tiling,
                               const AugmentOptions& options, std::mt19937_64& rng) {
  const int w = image.pixels.cols, h = image.pixels.rows, t = tiling.tile;
  // Untiled training draws exactly what it drew before tiles existed.
  if (!isTiled(image.pixels.size(), tiling)) return makeTrainingSample(image, size, options, rng);
  // Every draw is made whatever the branch, so one image's choice does not shift the next one's.
  const double kind = uniform01(rng), pick = uniform01(rng), u = uniform01(rng), v = uniform01(rng);
  if (kind < 0.2) return makeTrainingSample(image, size, options, rng);
  double cx = u * w, cy = v * h;
  if (!image.boxes.empty() && kind < 0.8) {
    // Near a box, not always centred on it, so a defect is also seen at a tile's side.
    const TargetBox& b = image.boxes[std::min(image.boxes.size() - 1, static_cast<std::size_t>(pick * image.boxes.size()))];
    cx = (b.x0 + b.x1) / 2 + (u - 0.5) * t * 0.6;
    cy = (b.y0 + b.y1) / 2 + (v - 0.5) * t * 0.6;
  }
  const int cw = std::min(t, w), ch = std::min(t, h);
  const int x = std::clamp(static_cast<int>(std::lround(cx - cw / 2.0)), 0, w - cw);
  const int y = std::clamp(static_cast<int>(std::lround(cy - ch / 2.0)), 0, h - ch);
  LabeledImage crop;
  crop.id = image.id;
  crop.pixels = image.pixels(cv::Rect(x, y, cw, ch));
  for (const TargetBox& b : image.boxes) {
    const float x0 = std::max(b.x0 - x, 0.0f), y0 = std::max(b.y0 - y, 0.0f);
    const float x1 = std::min(b.x1 - x, static_cast<float>(cw)), y1 = std::min(b.y1 - y, static_cast<float>(ch));
    if (x1 <= x0 || y1 <= y0) continue;
    const float area = (b.x1 - b.x0) * (b.y1 - b.y0);
    if ((x1 - x0) * (y1 - y0) < 0.25f * area) continue;
    crop.boxes.push_back({b.cls, x0, y0, x1, y1});
  }
  return makeTrainingSample(crop, size, options, rng);
}

}  // namespace quarry::detect
