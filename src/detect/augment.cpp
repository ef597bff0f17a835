// makeTrainingSample: one random geometric and photometric variation of a labeled image.
//
// The image is first resized to fit the input exactly as letterbox() does (INTER_AREA when
// shrinking, so large images do not alias), then placed by one affine warp that combines the
// centring, the random scale, the flips and the shift; the boxes go through the same matrix.
// With every option off that warp is an integer shift, so the sample equals the eval sample.
#include <opencv2/imgproc.hpp>

#include "detect/dataset.h"

namespace quarry::detect {
namespace {

// Uniform in [0, 1) from the top 53 bits of one draw: the same numbers on every standard
// library, which std::uniform_real_distribution does not promise.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
double uniform(std::mt19937_64& rng, double lo, double hi) { return lo + (hi - lo) * uniform01(rng); }

struct Variation {
  bool flipX = false, flipY = false;
  double scale = 1, shiftX = 0, shiftY = 0;  // scale about the input centre; shift in pixels
  double contrast = 1, brightness = 0;       // gain around the mean; offset in grey levels
};

// Draws every number whatever the options, so a sample always takes the same amount of the rng
// and turning one option off leaves the others' draws unchanged.
Variation drawVariation(const AugmentOptions& o, int size, std::mt19937_64& rng) {
  Variation v;
  const bool flipX = uniform01(rng) < 0.5;
  const bool flipY = uniform01(rng) < 0.5;
  v.flipX = o.horizontalFlip && flipX;
  v.flipY = o.verticalFlip && flipY;
  v.scale = 1 + uniform(rng, -o.scaleJitter, o.scaleJitter);
  v.shiftX = uniform(rng, -o.translate, o.translate) * size;
  v.shiftY = uniform(rng, -o.translate, o.translate) * size;
  v.contrast = 1 + uniform(rng, -o.contrast, o.contrast);
  v.brightness = uniform(rng, -o.brightness, o.brightness) * 255;
  return v;
}

// Brightness and contrast in one saturating pass: out = contrast * (in - mean) + mean + brightness.
void adjustPhotometry(cv::Mat& image, const Variation& v) {
  const cv::Scalar m = cv::mean(image);
  double mean = 0;
  for (int c = 0; c < image.channels(); ++c) mean += m[c];
  mean /= image.channels();  // one grey mean for all channels, so the colour balance stays
  const double beta = (1 - v.contrast) * mean + v.brightness;
  if (v.contrast != 1 || beta != 0) image.convertTo(image, CV_8U, v.contrast, beta);
}

}  // namespace

Sample makeTrainingSample(const LabeledImage& image, int size, const AugmentOptions& options, std::mt19937_64& rng) {
  const Variation v = drawVariation(options, size, rng);
  Letterbox lb;
  cv::Mat fitted = resizeToFit(image.pixels, size, &lb);
  Sample s;
  if (fitted.empty()) {
    s.input = cv::Mat(size, size, CV_8UC1, cv::Scalar::all(kPadValue));
    return s;
  }
  adjustPhotometry(fitted, v);

  // The variation in pixel-edge coordinates of the input (a pixel i spans [i, i + 1)):
  // p' = centre + shift + scale * flip(p - centre), with p the fitted image placed at the padding.
  const double c = size / 2.0;
  const double ax = v.scale * (v.flipX ? -1 : 1), ay = v.scale * (v.flipY ? -1 : 1);
  const double bx = ax * lb.padX + c + v.shiftX - ax * c;
  const double by = ay * lb.padY + c + v.shiftY - ay * c;
  // warpAffine works on pixel centres (edge coordinate - 0.5), which moves the offset.
  const cv::Matx23d warp(ax, 0, bx + 0.5 * ax - 0.5, 0, ay, by + 0.5 * ay - 0.5);
  cv::warpAffine(fitted, s.input, warp, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(kPadValue));

  // Boxes start in original pixels, which the fit scales by lb.scale.
  const cv::Matx23d boxMap(ax * lb.scale, 0, bx, 0, ay * lb.scale, by);
  s.boxes = transformBoxes(image.boxes, boxMap, size, /*minVisible=*/0.25, /*minSide=*/2);
  return s;
}

}  // namespace quarry::detect
