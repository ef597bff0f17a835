// Private to quarry_detect: the network. A compact anchor-free detector in the CenterNet
// family: a residual backbone with batch norm (strides 4 to 32), an upsampling path back to
// stride 4, and a head that predicts per cell a class heatmap, the distances from the cell to
// the box sides, and their log-variances (the box's aleatoric uncertainty).
//
// Dropout sits in the head only, so Monte-Carlo passes can run the backbone once and the head
// many times on the same features (features() then head()).
#pragma once

#include <torch/torch.h>

#include "quarry/detect/detector.h"

namespace quarry::detect {

constexpr int kStride = 4;  // output cells per input pixel: 1 / 4

struct HeadOutput {
  torch::Tensor heatmap;  // [B, C, H, W] logits
  torch::Tensor ltrb;     // [B, 4, H, W] distances to left, top, right, bottom, in input pixels (> 0)
  torch::Tensor logVar;   // [B, 4, H, W] log-variance of those distances, normalised by box size
};

class NetImpl : public torch::nn::Module {
 public:
  NetImpl(const Preset& preset, int numClasses);
  torch::Tensor features(const torch::Tensor& input);  // [B, neck, H/4, W/4]
  HeadOutput head(const torch::Tensor& features);      // dropout active when the head is in training mode
  HeadOutput forward(const torch::Tensor& input) { return head(features(input)); }
  // Switches the head's dropout on or off independently of train()/eval() (MC dropout).
  void setDropout(bool on) { dropout_->train(on); }
  int numClasses() const { return numClasses_; }

 private:
  int numClasses_;
  torch::nn::Sequential stem_{nullptr}, stage1_{nullptr}, stage2_{nullptr}, stage3_{nullptr}, stage4_{nullptr};
  torch::nn::Conv2d lat1_{nullptr}, lat2_{nullptr}, lat3_{nullptr}, lat4_{nullptr};
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
