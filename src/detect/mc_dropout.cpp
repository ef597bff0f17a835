// Monte-Carlo dropout on a batch: one deterministic pass for the detections, T stochastic head
// passes for their uncertainty. Only the head's output layers follow the dropout, so the samples
// of a detection are read at its own output cell: no matching of boxes across passes is needed.
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

#include "detect/internal.h"
#include "quarry/metrics/metrics.h"

namespace quarry::detect {
namespace {

struct Samples {
  torch::Tensor heat;    // [T, B, C, H, W] probabilities
  torch::Tensor peak;    // [T, B, C, H, W] 3x3 max of heat (does a detection appear near the cell?)
  torch::Tensor ltrb;    // [T, B, 4, H, W]
  torch::Tensor logVar;  // [T, B, 4, H, W]
  int stride = 4;        // input pixels per cell
};

Samples stack(const std::vector<HeadOutput>& outs, int64_t t, int64_t b) {
  std::vector<torch::Tensor> heat, ltrb, logVar;
  for (const auto& o : outs) {
    heat.push_back(torch::sigmoid(o.heatmap));
    ltrb.push_back(o.ltrb);
    logVar.push_back(o.logVar);
  }
  Samples s;
  if (!outs.empty()) s.stride = outs.front().stride;
  auto h = torch::cat(heat, 0);
  s.peak = torch::max_pool2d(h, 3, 1, 1);
  auto shape = [&](const torch::Tensor& x) {
    return x.view({t, b, x.size(1), x.size(2), x.size(3)}).to(torch::kCPU).contiguous();
  };
  s.heat = shape(h);
  s.peak = shape(s.peak);
  s.ltrb = shape(torch::cat(ltrb, 0));
  s.logVar = shape(torch::cat(logVar, 0));
  return s;
}

double entropyOf(const std::vector<double>& p) {
  double h = 0;
  for (double v : p)
    if (v > 0) h -= v * std::log(v);
  return h;
}

// The components of the detection at (cls, y, x) of image i from its T samples.
std::array<double, kComponentCount> componentsAt(const Samples& s, int64_t i, const RawDetection& d,
                                                 double threshold) {
  const int64_t t = s.heat.size(0), classes = s.heat.size(2);
  auto heat = s.heat.accessor<float, 5>();
  auto peak = s.peak.accessor<float, 5>();
  auto ltrb = s.ltrb.accessor<float, 5>();
  auto lv = s.logVar.accessor<float, 5>();
  const int y = d.cellY, x = d.cellX, c = d.cls;
  const double cx = (x + 0.5) * s.stride, cy = (y + 0.5) * s.stride;
  std::vector<double> meanP(static_cast<std::size_t>(classes + 1), 0), p(meanP.size());
  double meanH = 0, o = 0, oSq = 0, appear = 0, aleatoric = 0;
  double box[4] = {0, 0, 0, 0}, boxSq[4] = {0, 0, 0, 0};
  for (int64_t k = 0; k < t; ++k) {
    // Class-or-background distribution from the per-class sigmoids: background is what the
    // most confident class leaves, and everything is normalised to sum to one.
    double sum = 0, top = 0;
    for (int64_t q = 0; q < classes; ++q) {
      p[static_cast<std::size_t>(q)] = heat[k][i][q][y][x];
      sum += p[static_cast<std::size_t>(q)];
      top = std::max(top, p[static_cast<std::size_t>(q)]);
    }
    p[static_cast<std::size_t>(classes)] = 1 - top;
    const double z = sum + 1 - top;
    for (double& v : p) v /= z;
    for (std::size_t q = 0; q < p.size(); ++q) meanP[q] += p[q] / static_cast<double>(t);
    meanH += entropyOf(p) / static_cast<double>(t);
    const double oc = heat[k][i][c][y][x];
    o += oc;
    oSq += oc * oc;
    if (peak[k][i][c][y][x] >= threshold) appear += 1;
    const double b[4] = {cx - ltrb[k][i][0][y][x], cy - ltrb[k][i][1][y][x], cx + ltrb[k][i][2][y][x],
                         cy + ltrb[k][i][3][y][x]};
    for (int q = 0; q < 4; ++q) {
      box[q] += b[q];
      boxSq[q] += b[q] * b[q];
      aleatoric += std::exp(0.5 * lv[k][i][q][y][x]) / 4.0;
    }
  }
  const double n = static_cast<double>(t);
  std::array<double, kComponentCount> out{};
  auto set = [&](Component comp, double v) { out[static_cast<int>(comp)] = v; };
  const double meanO = o / n;
  set(Component::kLeastConfidence, 1 - meanO);
  std::vector<double> sorted = meanP;
  std::sort(sorted.rbegin(), sorted.rend());
  set(Component::kMargin, 1 - (sorted[0] - (sorted.size() > 1 ? sorted[1] : 0)));
  const double entropy = entropyOf(meanP);
  set(Component::kEntropy, entropy);
  set(Component::kBald, std::max(0.0, entropy - meanH));
  set(Component::kScoreVariance, std::max(0.0, oSq / n - meanO * meanO));
  double mean[4], spread = 0;
  for (int q = 0; q < 4; ++q) {
    mean[q] = box[q] / n;
    spread += std::sqrt(std::max(0.0, boxSq[q] / n - mean[q] * mean[q])) / 4.0;
  }
  const double size = std::sqrt(std::max(1.0, (mean[2] - mean[0]) * (mean[3] - mean[1])));
  set(Component::kBoxVariance, spread / size);
  set(Component::kAleatoric, aleatoric / n);  // the log-variances are already relative to box size
  set(Component::kInstability, 1 - appear / n);
  return out;
}

// The mirrored pass (the input flipped left to right), as the flip components read it.
struct Mirrored {
  torch::Tensor peak;  // [B, C, H, W] 3x3 max of the probabilities: a one-cell shift still agrees
  torch::Tensor ltrb;  // [B, 4, H, W]
  int stride = 4;
};

// kFlipScore and kFlipBox of detection d of image i. Cell x of the image is cell W - 1 - x of its
// mirror, so the mirrored box there maps back with left and right swapped.
void setFlip(const Mirrored& m, int64_t i, const RawDetection& d, std::array<double, kComponentCount>* out) {
  auto peak = m.peak.accessor<float, 4>();
  auto ltrb = m.ltrb.accessor<float, 4>();
  const int64_t xm = m.peak.size(3) - 1 - d.cellX, y = d.cellY;
  const double cx = (d.cellX + 0.5) * m.stride, cy = (y + 0.5) * m.stride;
  const double x0 = cx - ltrb[i][2][y][xm], x1 = cx + ltrb[i][0][y][xm];
  const double y0 = cy - ltrb[i][1][y][xm], y1 = cy + ltrb[i][3][y][xm];
  (*out)[static_cast<int>(Component::kFlipScore)] = std::fabs(d.score - peak[i][d.cls][y][xm]);
  (*out)[static_cast<int>(Component::kFlipBox)] =
      1 - iou(Rect{d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0}, Rect{x0, y0, x1 - x0, y1 - y0});
}

}  // namespace

std::vector<McImage> monteCarloBatch(Net& net, const torch::Tensor& input, double dropout, const McOptions& o,
                                     std::uint64_t seed) {
  torch::NoGradGuard noGrad;
  net->eval();
  const int64_t b = input.size(0), t = std::max(1, o.passes);
  auto features = net->features(input);
  auto trunk = net->trunk(features);
  // Decoded from below the threshold: the peaks under it are the image's near misses.
  auto detections = decode(net->outputs(trunk), static_cast<float>(o.scoreThreshold * kNearMissFloor));

  Mirrored mirrored;
  if (o.flip) {
    const HeadOutput m = net->outputs(net->trunk(net->features(input.flip({3}))));
    mirrored.peak = torch::max_pool2d(torch::sigmoid(m.heatmap), 3, 1, 1).to(torch::kCPU).contiguous();
    mirrored.ltrb = m.ltrb.to(torch::kCPU).contiguous();
    mirrored.stride = m.stride;
  }

  // Masks [T, B, width], as Dropout2d draws them: keep a channel with 1 - p, scale by 1 / (1 - p).
  const int64_t width = net->headWidth();
  auto gen = at::detail::createCPUGenerator(seed);
  const double keep = 1.0 - dropout;
  auto masks = at::bernoulli(torch::full({t, b, width}, keep), gen) / keep;
  masks = masks.to(features.device());

  // Pass-major order in both modes: sample k of image i is row k * b + i.
  std::vector<HeadOutput> outs;
  if (o.batched) {
    const int64_t perCall = std::max<int64_t>(1, o.headBatch / std::max<int64_t>(1, b));
    for (int64_t t0 = 0; t0 < t; t0 += perCall) {
      const int64_t k = std::min(perCall, t - t0);
      outs.push_back(net->outputsSampled(trunk, masks.slice(0, t0, t0 + k)));
    }
  } else {
    for (int64_t k = 0; k < t; ++k) outs.push_back(net->outputsMasked(net->trunk(net->features(input)), masks[k]));
  }
  const Samples samples = stack(outs, t, b);

  auto pooled = features.mean({2, 3}).to(torch::kCPU).contiguous();
  auto pa = pooled.accessor<float, 2>();
  std::vector<McImage> images(static_cast<std::size_t>(b));
  for (int64_t i = 0; i < b; ++i) {
    McImage& im = images[static_cast<std::size_t>(i)];
    for (int64_t q = 0; q < pooled.size(1); ++q) im.embedding.push_back(pa[i][q]);
    for (const RawDetection& d : detections[static_cast<std::size_t>(i)]) {
      if (d.score >= o.scoreThreshold) {
        im.detections.push_back({d, componentsAt(samples, i, d, o.scoreThreshold)});
        if (o.flip) setFlip(mirrored, i, d, &im.detections.back().components);
      } else {
        im.nearMisses.add(d.score);
      }
    }
  }
  return images;
}

}  // namespace quarry::detect
