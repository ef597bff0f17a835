#include "detect/net.h"

#include <algorithm>

namespace quarry::detect {
namespace {

namespace nn = torch::nn;

// A convolution with the batch norm after it folded in (eval mode: running statistics).
nn::Conv2d foldBatchNorm(const nn::Conv2d& conv, const nn::BatchNorm2d& bn) {
  torch::NoGradGuard noGrad;
  const auto& c = conv->options;
  nn::Conv2d fused(nn::Conv2dOptions(c.in_channels(), c.out_channels(), c.kernel_size())
                       .stride(c.stride())
                       .padding(c.padding())
                       .dilation(c.dilation())
                       .groups(c.groups())
                       .bias(true));
  fused->to(conv->weight.device());
  const auto scale = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
  fused->weight.copy_(conv->weight * scale.view({-1, 1, 1, 1}));
  const auto bias = conv->bias.defined() ? conv->bias : torch::zeros_like(bn->running_mean);
  fused->bias.copy_(bn->bias + (bias - bn->running_mean) * scale);
  return fused;
}

// conv3x3 - BN - ReLU - conv3x3 - BN, plus the input, then ReLU (a ResNet basic block).
class ResBlockImpl : public nn::Module {
 public:
  explicit ResBlockImpl(int width)
      : conv1_(register_module("conv1", nn::Conv2d(nn::Conv2dOptions(width, width, 3).padding(1).bias(false)))),
        bn1_(register_module("bn1", nn::BatchNorm2d(width))),
        conv2_(register_module("conv2", nn::Conv2d(nn::Conv2dOptions(width, width, 3).padding(1).bias(false)))),
        bn2_(register_module("bn2", nn::BatchNorm2d(width))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    if (fused_) return torch::relu(x + conv2_(torch::relu(conv1_(x))));
    auto y = torch::relu(bn1_(conv1_(x)));
    return torch::relu(x + bn2_(conv2_(y)));
  }
  void fuse() {
    conv1_ = replace_module("conv1", foldBatchNorm(conv1_, bn1_));
    conv2_ = replace_module("conv2", foldBatchNorm(conv2_, bn2_));
    unregister_module("bn1");
    unregister_module("bn2");
    fused_ = true;
  }

 private:
  bool fused_ = false;
  nn::Conv2d conv1_;
  nn::BatchNorm2d bn1_;
  nn::Conv2d conv2_;
  nn::BatchNorm2d bn2_;
};
TORCH_MODULE(ResBlock);

// A stride-2 conv-BN-ReLU followed by `blocks` residual blocks (flat: Sequentials do not nest).
nn::Sequential stage(int in, int out, int blocks) {
  nn::Sequential s(nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(2).padding(1).bias(false)), nn::BatchNorm2d(out),
                   nn::ReLU());
  for (int i = 0; i < blocks; ++i) s->push_back(ResBlock(out));
  return s;
}

nn::Conv2d conv1x1(int in, int out, bool bias = true) { return nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(bias)); }

torch::Tensor upTo(const torch::Tensor& x, const torch::Tensor& like) {
  return nn::functional::interpolate(
      x, nn::functional::InterpolateFuncOptions()
             .size(std::vector<int64_t>{like.size(2), like.size(3)})
             .mode(torch::kNearest));
}

// The same layers with each Conv2d + BatchNorm2d pair folded into one Conv2d, and residual
// blocks fused in place.
nn::Sequential fuseSequential(const nn::Sequential& seq) {
  nn::Sequential out;
  const std::size_t n = seq->size();
  for (std::size_t i = 0; i < n; ++i) {
    auto module = seq->ptr(i);
    auto conv = std::dynamic_pointer_cast<nn::Conv2dImpl>(module);
    auto bn = i + 1 < n ? std::dynamic_pointer_cast<nn::BatchNorm2dImpl>(seq->ptr(i + 1)) : nullptr;
    if (conv && bn) {
      out->push_back(foldBatchNorm(nn::Conv2d(conv), nn::BatchNorm2d(bn)));
      ++i;
      continue;
    }
    if (auto* block = dynamic_cast<ResBlockImpl*>(module.get())) block->fuse();
    out->push_back(*(seq->begin() + static_cast<std::ptrdiff_t>(i)));
  }
  return out;
}

}  // namespace

void NetImpl::fuseBatchNorm() {
  eval();
  if (fused_) return;  // the residual blocks' batch norms are gone after the first call
  fused_ = true;
  stem_ = replace_module("stem", fuseSequential(stem_));
  stage1_ = replace_module("stage1", fuseSequential(stage1_));
  stage2_ = replace_module("stage2", fuseSequential(stage2_));
  stage3_ = replace_module("stage3", fuseSequential(stage3_));
  stage4_ = replace_module("stage4", fuseSequential(stage4_));
  smooth_ = replace_module("smooth", fuseSequential(smooth_));
  headTrunk_ = replace_module("head", fuseSequential(headTrunk_));
  if (context_) ctxReduce_ = replace_module("ctx_reduce", fuseSequential(ctxReduce_));
}

NetImpl::NetImpl(const Preset& p, int numClasses)
    : numClasses_(numClasses), headWidth_(p.headWidth), stride_(p.outputStride), context_(p.context) {
  const auto& w = p.widths;
  stem_ = register_module("stem", nn::Sequential(
                                      nn::Conv2d(nn::Conv2dOptions(p.channels, w[0], 3).stride(2).padding(1).bias(false)),
                                      nn::BatchNorm2d(w[0]), nn::ReLU()));
  stage1_ = register_module("stage1", stage(w[0], w[0], p.blocks[0]));  // stride 4
  stage2_ = register_module("stage2", stage(w[0], w[1], p.blocks[1]));  // stride 8
  stage3_ = register_module("stage3", stage(w[1], w[2], p.blocks[2]));  // stride 16
  stage4_ = register_module("stage4", stage(w[2], w[3], p.blocks[3]));  // stride 32
  // The stride-4 lateral exists only for a stride-4 output; the names stay those of older
  // checkpoints, so they still load.
  if (stride_ == 4) lat1_ = register_module("lat1", conv1x1(w[0], p.neckWidth));
  lat2_ = register_module("lat2", conv1x1(w[1], p.neckWidth));
  lat3_ = register_module("lat3", conv1x1(w[2], p.neckWidth));
  if (context_) {
    const int half = std::max(8, w[3] / 2);
    ctxReduce_ = register_module("ctx_reduce", nn::Sequential(conv1x1(w[3], half, false), nn::BatchNorm2d(half), nn::ReLU()));
    ctxFuse_ = register_module("ctx_fuse", conv1x1(4 * half, p.neckWidth));
    ctxGlobal_ = register_module("ctx_global", conv1x1(w[3], p.neckWidth));
  } else {
    lat4_ = register_module("lat4", conv1x1(w[3], p.neckWidth));
  }
  // Without the smoothing convolution the neck's sum goes straight to the head.
  smooth_ = register_module("smooth", p.smooth ? nn::Sequential(nn::Conv2d(nn::Conv2dOptions(p.neckWidth, p.neckWidth, 3)
                                                                               .padding(1)
                                                                               .bias(false)),
                                                                nn::BatchNorm2d(p.neckWidth), nn::ReLU())
                                               : nn::Sequential(nn::Identity()));
  nn::Sequential trunk(nn::Conv2d(nn::Conv2dOptions(p.neckWidth, p.headWidth, 3).padding(1).bias(false)),
                       nn::BatchNorm2d(p.headWidth), nn::ReLU());
  if (p.headConvs == 2) {
    trunk->push_back(nn::Conv2d(nn::Conv2dOptions(p.headWidth, p.headWidth, 3).padding(1).bias(false)));
    trunk->push_back(nn::BatchNorm2d(p.headWidth));
    trunk->push_back(nn::ReLU());
  }
  headTrunk_ = register_module("head", trunk);
  dropout_ = register_module("dropout", nn::Dropout2d(nn::Dropout2dOptions(p.dropout)));
  heatOut_ = register_module("heat", conv1x1(p.headWidth, numClasses));
  boxOut_ = register_module("box", conv1x1(p.headWidth, 4));
  varOut_ = register_module("var", conv1x1(p.headWidth, 4));
  // Start the heatmap at a 1% prior, so the first steps are not swamped by background loss.
  torch::NoGradGuard noGrad;
  heatOut_->bias.fill_(-4.6);
  boxOut_->bias.zero_();
  varOut_->bias.zero_();
}

torch::Tensor NetImpl::features(const torch::Tensor& input) {
  auto c1 = stage1_->forward(stem_->forward(input));
  auto c2 = stage2_->forward(c1);
  auto c3 = stage3_->forward(c2);
  auto c4 = stage4_->forward(c3);
  torch::Tensor p;
  if (context_) {
    // SPPF: three chained 5x5 max-pools see most of a 7x7 stride-32 grid; the pooled vector adds
    // what the whole image looks like to every cell.
    auto r = ctxReduce_->forward(c4);
    auto m1 = torch::max_pool2d(r, 5, 1, 2), m2 = torch::max_pool2d(m1, 5, 1, 2), m3 = torch::max_pool2d(m2, 5, 1, 2);
    p = ctxFuse_(torch::cat({r, m1, m2, m3}, 1)) + ctxGlobal_(torch::adaptive_avg_pool2d(c4, {1, 1}));
  } else {
    p = lat4_(c4);
  }
  p = lat3_(c3) + upTo(p, c3);
  p = lat2_(c2) + upTo(p, c2);
  if (stride_ == 4) p = lat1_(c1) + upTo(p, c1);
  return smooth_->forward(p);
}

HeadOutput NetImpl::head(const torch::Tensor& features) { return outputs(dropout_(trunk(features))); }

torch::Tensor NetImpl::trunk(const torch::Tensor& features) { return headTrunk_->forward(features); }

HeadOutput NetImpl::outputsMasked(const torch::Tensor& trunk, const torch::Tensor& channelMask) {
  return outputs(trunk * channelMask.view({channelMask.size(0), channelMask.size(1), 1, 1}));
}

HeadOutput NetImpl::outputs(const torch::Tensor& h) { return finish(heatOut_(h), boxOut_(h), varOut_(h)); }

HeadOutput NetImpl::finish(torch::Tensor heat, torch::Tensor box, torch::Tensor var) {
  HeadOutput out;
  out.stride = stride_;
  out.heatmap = std::move(heat);
  // Distances in input pixels: exp keeps them positive; 16 px is a typical defect half-size.
  out.ltrb = torch::exp(box.clamp(-6.0, 6.0)) * 16.0;
  out.logVar = var.clamp(-10.0, 10.0);
  return out;
}

HeadOutput NetImpl::outputsSampled(const torch::Tensor& trunk, const torch::Tensor& masks) {
  const int64_t t = masks.size(0), b = trunk.size(0), c = trunk.size(1), h = trunk.size(2), w = trunk.size(3);
  // The three 1x1 layers as one [O, C] matrix; dropping input channel j of pass k zeroes its column.
  auto weight = torch::cat({heatOut_->weight, boxOut_->weight, varOut_->weight}, 0).flatten(1);  // [O, C]
  auto bias = torch::cat({heatOut_->bias, boxOut_->bias, varOut_->bias}, 0);                      // [O]
  const int64_t o = weight.size(0);
  auto masked = weight.view({1, 1, o, c}) * masks.view({t, b, 1, c});                         // [T, B, O, C]
  auto raw = torch::matmul(masked, trunk.view({1, b, c, h * w})) + bias.view({1, 1, o, 1});  // [T, B, O, HW]
  raw = raw.view({t * b, o, h, w});
  const int64_t classes = heatOut_->weight.size(0);
  return finish(raw.slice(1, 0, classes), raw.slice(1, classes, classes + 4), raw.slice(1, classes + 4, classes + 8));
}

}  // namespace quarry::detect
