// Private to quarry_detect, torch-free: how a large image becomes overlapping tiles, how a
// training crop is drawn at the tiles' scale, and how the tiles' detections become one list.
// The policy is quarry::detect::Tiling (detector.h); this is the geometry.
#pragma once

#include <opencv2/core.hpp>
#include <random>
#include <vector>

#include "detect/dataset.h"
#include "quarry/detect/detector.h"

namespace quarry::detect {

// Tiles of side `tile` covering an image, neighbours sharing at least `overlap` pixels, spaced
// evenly from the top-left corner to the bottom-right one, row by row. A side no longer than the
// tile gets one tile as long as the side. Empty for an empty image or a tile < 1.
std::vector<cv::Rect> tileGrid(cv::Size image, int tile, int overlap);

// Whether `tiling` cuts an image of this size into tiles: on, and the image larger than one tile.
bool isTiled(cv::Size image, const Tiling& tiling);

// The tiling a trained run infers with: "auto" the one it was trained with, "off" none;
// kInvalidArgument naming the flag for anything else.
Result<Tiling> inferenceTiling(const Tiling& trained, const std::string& mode);

// One network input and where it comes from in the image.
struct View {
  cv::Mat input;        // size x size
  Letterbox map;        // input pixels back to image pixels (offset included)
  cv::Rect region;      // the tile in image pixels; the whole image for the whole pass
  bool whole = true;    // the letterboxed pass of the whole image
};
// Without tiling (or for an image no larger than one tile): the letterboxed image alone. With
// it: every tile of tileGrid(), then the whole image.
std::vector<View> imageViews(const cv::Mat& pixels, int size, const Tiling& tiling);

// A detection in image pixels and the view that saw it, for mergeTiled().
struct TiledBox {
  int cls = 0;
  float score = 0;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  cv::Rect region;       // the view's region
  bool whole = true;
};
// Which of `boxes` (of one image) to keep, best score first: a tile's box that touches one of its
// tile's edges inside the image (within 2 input pixels) is cut and dropped, since a box smaller
// than the overlap lies whole in a neighbour and a larger one is the whole pass's; the whole pass
// keeps only boxes whose long side reaches the overlap, leaving small ones to the sharper tiles;
// then class-wise NMS at `nmsIou` removes the twins that overlapping views both saw. An image no
// larger than a tile (one whole view) keeps all its boxes.
std::vector<std::size_t> mergeTiled(const std::vector<TiledBox>& boxes, cv::Size image, const Tiling& tiling,
                                    double nmsIou = 0.5);

// A training sample under tiling: about one in five is the whole image (makeTrainingSample), the
// rest a tile-sized crop at the tiling's scale, most of them centred near a random box (so small
// defects are seen often) and the others anywhere (so the background is learnt too), then
// augmented like a whole image. Boxes cut by the crop keep their visible part when at least a
// quarter of them is inside. Without tiling it is makeTrainingSample().
Sample makeTiledTrainingSample(const LabeledImage& image, int size, const Tiling& tiling,
                               const AugmentOptions& options, std::mt19937_64& rng);

}  // namespace quarry::detect
