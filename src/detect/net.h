// Private to quarry_detect: the network. A compact anchor-free detector in the CenterNet
// family: a residual backbone with batch norm (strides 4 to 32), an upsampling path back to
// stride 4, and a head that predicts per cell a class heatmap, the distances from the cell to
// the box sides, and their log-variances (the box's aleatoric uncertainty).
//
// Dropout sits in the head only, after its convolutional trunk and before the 1x1 output layers.
// Everything before the dropout is deterministic, so Monte-Carlo passes run it once (features()
// then trunk()) and only the output layers T times, each with its own mask (outputsMasked()).
#pragma once

#include <torch/torch.h>

#include "quarry/detect/detector.h"

namespace quarry::detect {

struct HeadOutput {
  int stride = 4;         // input pixels per output cell (the preset's outputStride)
  torch::Tensor heatmap;  // [B, C, H, W] logits
  torch::Tensor ltrb;     // [B, 4, H, W] distances to left, top, right, bottom, in input pixels (> 0)
  torch::Tensor logVar;   // [B, 4, H, W] log-variance of those distances, normalised by box size
};

class NetImpl : public torch::nn::Module {
 public:
  NetImpl(const Preset& preset, int numClasses);
  torch::Tensor features(const torch::Tensor& input);  // [B, neck, H/s, W/s], s the output stride
  HeadOutput head(const torch::Tensor& features);      // dropout active when the head is in training mode
  // The head in two parts. trunk() is the deterministic part before the dropout: [B, headWidth,
  // H/4, W/4]. outputsMasked() is the stochastic rest with explicit dropout: `channelMask`
  // [N, headWidth] (0 or 1 / (1 - p)) multiplies the trunk's channels, as Dropout2d would, and N
  // may be a multiple of the trunk's batch when the caller repeated it. Monte-Carlo scoring draws
  // the masks itself so that a batched and a pass-by-pass run see the same ones.
  torch::Tensor trunk(const torch::Tensor& features);
  HeadOutput outputs(const torch::Tensor& trunk);  // no dropout
  HeadOutput outputsMasked(const torch::Tensor& trunk, const torch::Tensor& channelMask);
  // T masked passes at once: `masks` [T, B, headWidth] on `trunk` [B, ...] give outputs of
  // [T * B, ...] (pass-major), equal to outputsMasked(trunk repeated T times, masks flattened).
  // The output layers are 1x1, so each pass is the trunk times a masked weight matrix: one
  // batched matmul, without materialising the trunk T times.
  HeadOutput outputsSampled(const torch::Tensor& trunk, const torch::Tensor& masks);
  HeadOutput forward(const torch::Tensor& input) { return head(features(input)); }
  // For inference only: folds every batch norm into the convolution before it (its statistics
  // and scale become the conv's weights and bias) and drops it from the forward pass. The outputs
  // stay the same to float rounding in eval mode; training afterwards is not supported.
  void fuseBatchNorm();
  // Switches the head's dropout on or off independently of train()/eval() (MC dropout).
  void setDropout(bool on) { dropout_->train(on); }
  int numClasses() const { return numClasses_; }
  int stride() const { return stride_; }
  int64_t headWidth() const { return headWidth_; }

 private:
  // The activations of the output layers' raw values (heatmap logits, box sides, log-variances).
  HeadOutput finish(torch::Tensor heat, torch::Tensor box, torch::Tensor var);
  int numClasses_;
  int64_t headWidth_;
  int stride_;
  bool context_;
  bool fused_ = false;  // fuseBatchNorm() ran
  torch::nn::Sequential stem_{nullptr}, stage1_{nullptr}, stage2_{nullptr}, stage3_{nullptr}, stage4_{nullptr};
  torch::nn::Conv2d lat1_{nullptr}, lat2_{nullptr}, lat3_{nullptr}, lat4_{nullptr};
  // Global context (Preset::context): SPPF on stride 32 and a pooled image vector, both in the neck's width.
  torch::nn::Sequential ctxReduce_{nullptr};
  torch::nn::Conv2d ctxFuse_{nullptr}, ctxGlobal_{nullptr};
  torch::nn::Sequential smooth_{nullptr};
  torch::nn::Sequential headTrunk_{nullptr};
  torch::nn::Dropout2d dropout_{nullptr};
  torch::nn::Conv2d heatOut_{nullptr}, boxOut_{nullptr}, varOut_{nullptr};
};
TORCH_MODULE(Net);

// The normalisation every input goes through (also written into checkpoints).
constexpr float kPixelMean = 0.5f;
constexpr float kPixelStd = 0.25f;

}  // namespace quarry::detect
