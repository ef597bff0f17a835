// The training loss: CenterNet's focal loss on the heatmap, GIoU on the boxes of regression
// cells, and (with aleatoric on) a Gaussian negative log-likelihood of each box side, so the
// log-variance head learns how far off the model expects that side to be.
#include "detect/internal.h"

namespace quarry::detect {
namespace {

// Cell centres in input pixels, [1, 1, H, W] each.
std::pair<torch::Tensor, torch::Tensor> cellCentres(int64_t h, int64_t w, int stride, const torch::Device& device) {
  auto ys = (torch::arange(h, torch::TensorOptions().dtype(torch::kFloat).device(device)) + 0.5) * stride;
  auto xs = (torch::arange(w, torch::TensorOptions().dtype(torch::kFloat).device(device)) + 0.5) * stride;
  return {xs.view({1, 1, 1, w}).expand({1, 1, h, w}), ys.view({1, 1, h, 1}).expand({1, 1, h, w})};
}

}  // namespace

LossParts detectionLoss(const HeadOutput& out, const Targets& t, bool aleatoric) {
  const auto device = out.heatmap.device();
  const auto heatT = t.heatmap.to(device), boxT = t.boxes.to(device), weight = t.weight.to(device);

  // Focal loss (alpha 2, beta 4), normalised by the number of box centres.
  auto p = torch::sigmoid(out.heatmap).clamp(1e-4, 1 - 1e-4);
  auto pos = heatT.eq(1.0f).to(torch::kFloat);
  auto posLoss = torch::log(p) * torch::pow(1 - p, 2) * pos;
  auto negLoss = torch::log(1 - p) * torch::pow(p, 2) * torch::pow(1 - heatT, 4) * (1 - pos);
  auto numPos = pos.sum().clamp_min(1.0);
  LossParts parts;
  parts.heatmap = -(posLoss.sum() + negLoss.sum()) / numPos;

  auto [cx, cy] = cellCentres(out.ltrb.size(2), out.ltrb.size(3), out.stride, device);
  auto l = out.ltrb.select(1, 0).unsqueeze(1), top = out.ltrb.select(1, 1).unsqueeze(1);
  auto r = out.ltrb.select(1, 2).unsqueeze(1), bottom = out.ltrb.select(1, 3).unsqueeze(1);
  auto px0 = cx - l, py0 = cy - top, px1 = cx + r, py1 = cy + bottom;
  auto gx0 = boxT.select(1, 0).unsqueeze(1), gy0 = boxT.select(1, 1).unsqueeze(1);
  auto gx1 = boxT.select(1, 2).unsqueeze(1), gy1 = boxT.select(1, 3).unsqueeze(1);
  auto mask = weight.gt(0).to(torch::kFloat);
  auto wsum = weight.sum().clamp_min(1e-6);

  // GIoU where a cell regresses a box.
  auto iw = (torch::min(px1, gx1) - torch::max(px0, gx0)).clamp_min(0);
  auto ih = (torch::min(py1, gy1) - torch::max(py0, gy0)).clamp_min(0);
  auto inter = iw * ih;
  auto areaP = (px1 - px0) * (py1 - py0), areaG = ((gx1 - gx0) * (gy1 - gy0)).clamp_min(1e-6);
  auto uni = (areaP + areaG - inter).clamp_min(1e-6);
  auto cw = torch::max(px1, gx1) - torch::min(px0, gx0), chh = torch::max(py1, gy1) - torch::min(py0, gy0);
  auto hull = (cw * chh).clamp_min(1e-6);
  auto giou = inter / uni - (hull - uni) / hull;
  parts.box = ((1 - giou) * weight * mask).sum() / wsum;

  if (aleatoric) {
    // Residuals in units of the box's size, so large and small defects weigh alike.
    auto gw = (gx1 - gx0).clamp_min(1.0), gh = (gy1 - gy0).clamp_min(1.0);
    auto res = torch::cat({(px0 - gx0) / gw, (py0 - gy0) / gh, (px1 - gx1) / gw, (py1 - gy1) / gh}, 1);
    auto nll = 0.5 * torch::exp(-out.logVar) * res.pow(2) + 0.5 * out.logVar;
    parts.nll = (nll * weight * mask).sum() / (4 * wsum);
  } else {
    parts.nll = torch::zeros({}, out.heatmap.options());
  }
  parts.total = parts.heatmap + 5.0 * parts.box + 0.5 * parts.nll;
  return parts;
}

}  // namespace quarry::detect
