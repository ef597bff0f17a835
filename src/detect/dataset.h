// Private to quarry_detect, torch-free: the images a model learns from or is measured on, and
// how each becomes a network input (letterbox, augmentation). OpenCV only, so it is tested
// without LibTorch.
#pragma once

#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "quarry/store/image_query.h"
#include "quarry/core/progress.h"
#include "quarry/store/project.h"

namespace quarry::detect {

// A box as the network sees it: class index in the frozen class order, corners in pixels.
struct TargetBox {
  int cls = 0;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct LabeledImage {
  ImageId id = 0;
  std::string file;            // absolute path
  cv::Mat pixels;              // the original image, CV_8UC1 (channels 1) or CV_8UC3 BGR (channels 3)
  std::vector<TargetBox> boxes;  // manual and corrected boxes only: auto boxes are not truth
};

struct LoadReport {
  std::size_t missing = 0;     // files not found or unreadable: skipped (and logged)
};

// Loads the images a query matches with their truth boxes, converted to `channels`.
// Cancel through `progress` gives kCancelled.
Result<std::vector<LabeledImage>> loadLabeledImages(const Project& project, const ImageQuery& query, int channels,
                                                    LoadReport* report, const ProgressFn& progress = {});

// The query of the training images: any of `trainTags` (empty: every tag starting with "GT").
// Fails with kInvalidArgument when no such tag exists, and when an image also carries `valTag`,
// naming up to 20 of them: training on VAL would make every VAL figure a lie.
Result<ImageQuery> trainingQuery(const Project& project, const std::vector<std::string>& trainTags,
                                 const std::string& valTag);

// How a letterboxed input maps back to the original image: original = (input - pad) / scale +
// offset, the offset being where a tile starts (0 for a whole image).
struct Letterbox {
  float scale = 1;
  float padX = 0, padY = 0;
  float offsetX = 0, offsetY = 0;
};

// Resizes keeping the aspect ratio to fit size x size and pads with grey 114.
cv::Mat letterbox(const cv::Mat& image, int size, Letterbox* map);

// --- shared by letterbox and augmentation -------------------------------------------------
constexpr int kPadValue = 114;  // the grey of padding and of everything warped out of view
// letterbox() without the padding: the resized image (INTER_AREA when shrinking, INTER_LINEAR
// otherwise) and, in `map`, the scale and the offset that centre it. Empty in, empty out.
cv::Mat resizeToFit(const cv::Mat& image, int size, Letterbox* map);
// Maps boxes through `m` (pixel-edge coordinates), takes the bounds of the 4 mapped corners and
// clips them to [0, size]. Drops boxes with nothing left in view, with less than `minVisible` of
// their mapped area left, or with a side shorter than `minSide` pixels.
std::vector<TargetBox> transformBoxes(const std::vector<TargetBox>& boxes, const cv::Matx23d& m, int size,
                                      double minVisible = 0, float minSide = 0);

struct AugmentOptions {
  bool horizontalFlip = true;   // p = 0.5
  bool verticalFlip = true;     // p = 0.5 (surface defects have no "up")
  double scaleJitter = 0.25;    // scale drawn from [1 - j, 1 + j]
  double translate = 0.1;       // shift up to this fraction of the input size
  double brightness = 0.15;     // add up to +-this x 255
  double contrast = 0.2;        // multiply by [1 - c, 1 + c] around the mean
};

struct Sample {
  cv::Mat input;                // size x size, the preset's channels, CV_8U
  std::vector<TargetBox> boxes; // in input pixels; boxes pushed out of view are dropped, the rest clipped
};

// One augmented training sample; the same rng state gives the same sample. Boxes less than 25%
// in view or under 2 px in a side are dropped. With every option off it equals makeEvalSample
// (pixels byte for byte; boxes too, but for those under 2 px, which the eval sample keeps).
Sample makeTrainingSample(const LabeledImage& image, int size, const AugmentOptions& options, std::mt19937_64& rng);
// The sample for evaluation and inference: letterbox only.
Sample makeEvalSample(const LabeledImage& image, int size, Letterbox* map);

}  // namespace quarry::detect
