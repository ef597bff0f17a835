// From network output to boxes: heatmap peaks (a 3x3 max-pool keeps local maxima, CenterNet's
// substitute for NMS), their class and score, and the box sides at that cell.
#include <algorithm>

#include "detect/internal.h"

namespace quarry::detect {

std::vector<std::vector<RawDetection>> decode(const HeadOutput& out, float scoreThreshold, int topK) {
  torch::NoGradGuard noGrad;
  auto heat = torch::sigmoid(out.heatmap).to(torch::kCPU);
  auto pooled = torch::max_pool2d(heat, 3, 1, 1);
  heat = heat * heat.eq(pooled).to(torch::kFloat);
  const int64_t b = heat.size(0), c = heat.size(1), h = heat.size(2), w = heat.size(3);
  auto flat = heat.reshape({b, c * h * w});
  const int64_t k = std::min<int64_t>(topK, c * h * w);
  auto [scores, indices] = flat.topk(k, 1);
  auto ltrb = out.ltrb.to(torch::kCPU).contiguous();
  auto logVar = out.logVar.to(torch::kCPU).contiguous();
  auto sa = scores.accessor<float, 2>();
  auto ia = indices.accessor<int64_t, 2>();
  auto la = ltrb.accessor<float, 4>();
  auto va = logVar.accessor<float, 4>();
  std::vector<std::vector<RawDetection>> all(static_cast<std::size_t>(b));
  for (int64_t i = 0; i < b; ++i) {
    for (int64_t j = 0; j < k; ++j) {
      if (sa[i][j] < scoreThreshold) break;  // topk is sorted
      const int64_t idx = ia[i][j];
      RawDetection d;
      d.cls = static_cast<int>(idx / (h * w));
      d.cellY = static_cast<int>((idx % (h * w)) / w);
      d.cellX = static_cast<int>(idx % w);
      d.score = sa[i][j];
      const float cx = (d.cellX + 0.5f) * out.stride, cy = (d.cellY + 0.5f) * out.stride;
      d.x0 = cx - la[i][0][d.cellY][d.cellX];
      d.y0 = cy - la[i][1][d.cellY][d.cellX];
      d.x1 = cx + la[i][2][d.cellY][d.cellX];
      d.y1 = cy + la[i][3][d.cellY][d.cellX];
      for (int q = 0; q < 4; ++q) d.logVar[q] = va[i][q][d.cellY][d.cellX];
      all[static_cast<std::size_t>(i)].push_back(d);
    }
  }
  return all;
}

Prediction toOriginal(const RawDetection& d, const Letterbox& map, int width, int height, ClassId cls) {
  auto back = [&](float v, float pad, float offset, int limit) {
    return std::clamp(static_cast<double>((v - pad) / map.scale) + offset, 0.0, static_cast<double>(limit));
  };
  const double x0 = back(d.x0, map.padX, map.offsetX, width), y0 = back(d.y0, map.padY, map.offsetY, height);
  const double x1 = back(d.x1, map.padX, map.offsetX, width), y1 = back(d.y1, map.padY, map.offsetY, height);
  Prediction p;
  p.cls = cls;
  p.x = x0;
  p.y = y0;
  p.w = x1 - x0;
  p.h = y1 - y0;
  p.score = d.score;
  for (int q = 0; q < 4; ++q) p.logVar[q] = d.logVar[q];
  return p;
}

}  // namespace quarry::detect
