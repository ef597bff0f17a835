// Tensors in: images to a normalised batch, boxes to CenterNet-style training targets.
#include <algorithm>
#include <cmath>

#include "detect/internal.h"

namespace quarry::detect {

torch::Tensor toInput(const std::vector<Sample>& samples, int channels) {
  const int64_t b = static_cast<int64_t>(samples.size());
  const int64_t size = samples.empty() ? 0 : samples[0].input.rows;
  auto batch = torch::empty({b, size, size, channels}, torch::kUInt8);
  for (int64_t i = 0; i < b; ++i) {
    const cv::Mat& m = samples[static_cast<std::size_t>(i)].input;
    CV_Assert(m.isContinuous() && m.rows == size && m.channels() == channels);
    std::memcpy(batch[i].data_ptr<uint8_t>(), m.data, static_cast<std::size_t>(size * size * channels));
  }
  return batch.permute({0, 3, 1, 2}).to(torch::kFloat).div_(255.0f).sub_(kPixelMean).div_(kPixelStd).contiguous();
}

Targets makeTargets(const std::vector<Sample>& samples, int numClasses, int size, int stride) {
  const int64_t b = static_cast<int64_t>(samples.size());
  const int g = size / stride;
  const float kStride = static_cast<float>(stride);
  Targets t;
  t.heatmap = torch::zeros({b, numClasses, g, g});
  t.boxes = torch::zeros({b, 4, g, g});
  t.weight = torch::zeros({b, 1, g, g});
  auto heat = t.heatmap.accessor<float, 4>();
  auto boxes = t.boxes.accessor<float, 4>();
  auto weight = t.weight.accessor<float, 4>();
  for (int64_t i = 0; i < b; ++i) {
    // Large boxes first, so where boxes overlap the smaller one owns the regression cells.
    std::vector<TargetBox> order = samples[static_cast<std::size_t>(i)].boxes;
    std::sort(order.begin(), order.end(), [](const TargetBox& a, const TargetBox& c) {
      return (a.x1 - a.x0) * (a.y1 - a.y0) > (c.x1 - c.x0) * (c.y1 - c.y0);
    });
    for (const TargetBox& box : order) {
      const float cx = (box.x0 + box.x1) / 2 / kStride, cy = (box.y0 + box.y1) / 2 / kStride;
      const float w = (box.x1 - box.x0) / kStride, h = (box.y1 - box.y0) / kStride;
      // An elliptical Gaussian as wide as the box (TTFNet), so long thin defects get long blobs.
      const float sx = std::max(0.5f, w / 6), sy = std::max(0.5f, h / 6);
      const int ci = std::clamp(static_cast<int>(cx), 0, g - 1), cj = std::clamp(static_cast<int>(cy), 0, g - 1);
      const int x0 = std::max(0, static_cast<int>(cx - 3 * sx)), x1 = std::min(g - 1, static_cast<int>(cx + 3 * sx));
      const int y0 = std::max(0, static_cast<int>(cy - 3 * sy)), y1 = std::min(g - 1, static_cast<int>(cy + 3 * sy));
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
          const float dx = (x + 0.5f - cx) / sx, dy = (y + 0.5f - cy) / sy;
          const float v = std::exp(-0.5f * (dx * dx + dy * dy));
          float& cell = heat[i][box.cls][y][x];
          cell = std::max(cell, v);
          // Cells near the centre whose centre lies inside the box learn its sides.
          const float px = (x + 0.5f) * kStride, py = (y + 0.5f) * kStride;
          if (v >= 0.3f && px > box.x0 && px < box.x1 && py > box.y0 && py < box.y1) {
            boxes[i][0][y][x] = box.x0;
            boxes[i][1][y][x] = box.y0;
            boxes[i][2][y][x] = box.x1;
            boxes[i][3][y][x] = box.y1;
            weight[i][0][y][x] = v;
          }
        }
      heat[i][box.cls][cj][ci] = 1.0f;
      const float px = (ci + 0.5f) * kStride, py = (cj + 0.5f) * kStride;
      // The centre cell always regresses its box, even when the box is smaller than a cell.
      boxes[i][0][cj][ci] = std::min(box.x0, px - 0.5f);
      boxes[i][1][cj][ci] = std::min(box.y0, py - 0.5f);
      boxes[i][2][cj][ci] = std::max(box.x1, px + 0.5f);
      boxes[i][3][cj][ci] = std::max(box.y1, py + 0.5f);
      weight[i][0][cj][ci] = 1.0f;
    }
  }
  return t;
}

}  // namespace quarry::detect
