// Tiling geometry: the grid covers the image with the promised overlap, a box cut by a tile edge
// comes back once and whole, small boxes come from tiles and large ones from the whole pass, and
// training crops are taken at the tiles' scale.
#include "detect/tiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace quarry::detect {
namespace {

Tiling tiles(int tile, int overlap, double scale = 1) {
  Tiling t;
  t.enabled = true;
  t.tile = tile;
  t.overlap = overlap;
  t.scale = scale;
  return t;
}

TEST(TileGrid, CoversTheImageWithAtLeastTheOverlapAndEndsAtItsSides) {
  const auto grid = tileGrid({1000, 700}, 320, 80);
  // Along 1000 px: ceil((1000 - 320) / 240) + 1 = 4 tiles; along 700 px: ceil(380 / 240) + 1 = 3.
  ASSERT_EQ(grid.size(), 12u);
  for (const auto& r : grid) {
    EXPECT_EQ(r.width, 320);
    EXPECT_EQ(r.height, 320);
    EXPECT_GE(r.x, 0);
    EXPECT_LE(r.x + r.width, 1000);
    EXPECT_LE(r.y + r.height, 700);
  }
  EXPECT_EQ(grid.front(), cv::Rect(0, 0, 320, 320));
  EXPECT_EQ(grid.back(), cv::Rect(680, 380, 320, 320));
  for (int i = 0; i + 1 < 4; ++i) EXPECT_GE(grid[i].x + 320 - grid[i + 1].x, 80) << "tile " << i;
}

TEST(TileGrid, ASideShorterThanATileGetsOneTileAsLongAsTheSide) {
  const auto grid = tileGrid({900, 200}, 320, 64);
  ASSERT_EQ(grid.size(), 4u);
  for (const auto& r : grid) EXPECT_EQ(r.height, 200);
  EXPECT_TRUE(tileGrid({0, 0}, 320, 64).empty());
  EXPECT_EQ(tileGrid({100, 100}, 320, 64), std::vector<cv::Rect>{cv::Rect(0, 0, 100, 100)});
}

TEST(ImageViews, TilesThenTheWholeImageAndOneViewWithoutTiling) {
  const cv::Mat image(600, 600, CV_8UC1, cv::Scalar(50));
  const auto views = imageViews(image, 224, tiles(224, 56));
  ASSERT_EQ(views.size(), tileGrid(image.size(), 224, 56).size() + 1);
  EXPECT_TRUE(views.back().whole);
  EXPECT_FALSE(views.front().whole);
  // A tile at scale 1 maps input pixel (10, 20) to image pixel (x + 10, y + 20).
  const View& second = views[1];
  EXPECT_FLOAT_EQ((10 - second.map.padX) / second.map.scale + second.map.offsetX, second.region.x + 10.0f);
  EXPECT_FLOAT_EQ((20 - second.map.padY) / second.map.scale + second.map.offsetY, second.region.y + 20.0f);
  EXPECT_EQ(imageViews(image, 224, Tiling{}).size(), 1u);
  EXPECT_EQ(imageViews(cv::Mat(200, 200, CV_8UC1), 224, tiles(224, 56)).size(), 1u) << "fits one tile";
}

TEST(MergeTiled, ABoxCutByATileEdgeComesBackOnceAndWhole) {
  // Tiles of 320 px with 80 px overlap on a 640 x 320 image: [0, 320) and [320 - 0 ..., see grid].
  const cv::Size image(560, 320);
  const auto grid = tileGrid(image, 320, 80);
  ASSERT_EQ(grid.size(), 2u);  // [0, 320) and [240, 560)
  const Tiling t = tiles(320, 80);
  // A 40 px defect at x 290..330 crosses the first tile's right edge (320).
  std::vector<TiledBox> boxes;
  boxes.push_back({0, 0.9f, 290, 100, 320, 140, grid[0], false});  // the first tile sees its left part, cut
  boxes.push_back({0, 0.8f, 290, 100, 330, 140, grid[1], false});  // the second sees it whole
  boxes.push_back({0, 0.7f, 288, 98, 331, 141, cv::Rect(0, 0, 560, 320), true});  // whole pass: small, left to tiles
  const auto kept = mergeTiled(boxes, image, t);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], 1u);
  EXPECT_DOUBLE_EQ(boxes[kept[0]].x1, 330);
}

TEST(MergeTiled, TwinsInTheOverlapAreMergedAndOtherClassesKept) {
  const cv::Size image(560, 320);
  const auto grid = tileGrid(image, 320, 80);
  std::vector<TiledBox> boxes;
  boxes.push_back({1, 0.6f, 260, 50, 290, 80, grid[0], false});  // inside both tiles
  boxes.push_back({1, 0.7f, 261, 51, 291, 81, grid[1], false});
  boxes.push_back({2, 0.5f, 260, 50, 290, 80, grid[1], false});  // another class at the same place
  const auto kept = mergeTiled(boxes, image, tiles(320, 80));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], 1u) << "the better of the twins, best first";
  EXPECT_EQ(kept[1], 2u);
}

TEST(MergeTiled, LargeBoxesComeFromTheWholePassAndImageSidesDoNotCut) {
  const cv::Size image(560, 320);
  const auto grid = tileGrid(image, 320, 80);
  std::vector<TiledBox> boxes;
  boxes.push_back({0, 0.9f, 100, 20, 400, 300, grid[0], false});        // cut by the first tile's edge
  boxes.push_back({0, 0.8f, 100, 20, 400, 300, grid[1], false});        // cut by the second's left edge
  boxes.push_back({0, 0.6f, 98, 22, 402, 298, cv::Rect({}, image), true});  // the whole pass, larger than the overlap
  boxes.push_back({3, 0.5f, 0, 0, 30, 30, grid[0], false});             // touches the image's corner: not cut
  const auto kept = mergeTiled(boxes, image, tiles(320, 80));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], 2u);
  EXPECT_EQ(kept[1], 3u);
}

TEST(MergeTiled, AnImageNoLargerThanATileKeepsEveryBoxOfItsWholePass) {
  // Regression: the whole pass dropped every box smaller than the overlap even where it was the
  // only view, and a run forced to tile large images lost most of its detections.
  const cv::Size image(300, 300);
  std::vector<TiledBox> boxes;
  boxes.push_back({0, 0.9f, 10, 10, 30, 30, cv::Rect({}, image), true});
  boxes.push_back({1, 0.8f, 100, 100, 120, 130, cv::Rect({}, image), true});
  EXPECT_EQ(mergeTiled(boxes, image, tiles(320, 80)).size(), 2u);
  EXPECT_EQ(mergeTiled(boxes, cv::Size(700, 300), tiles(320, 80)).size(), 0u) << "larger: tiles own the small boxes";
}

TEST(TiledTraining, CropsAreTileSizedAtTheTilesScaleAndKeepTheirBoxes) {
  LabeledImage image;
  image.pixels = cv::Mat(1000, 1000, CV_8UC1, cv::Scalar(100));
  cv::rectangle(image.pixels, cv::Rect(500, 500, 20, 20), cv::Scalar(255), cv::FILLED);
  image.boxes.push_back({0, 500, 500, 520, 520});
  AugmentOptions none;
  none.horizontalFlip = none.verticalFlip = false;
  none.scaleJitter = none.translate = none.brightness = none.contrast = 0;
  std::mt19937_64 rng(5);
  int crops = 0, whole = 0, withBox = 0;
  for (int i = 0; i < 200; ++i) {
    const Sample s = makeTiledTrainingSample(image, 250, tiles(250, 60), none, rng);
    ASSERT_EQ(s.input.rows, 250);
    ASSERT_EQ(s.input.cols, 250);
    bool small = false, large = false;
    for (const auto& b : s.boxes) {
      const float side = b.x1 - b.x0;
      if (std::abs(side - 20) < 0.5f) small = true;  // scale 1: the defect keeps its 20 px
      if (std::abs(side - 5) < 0.5f) large = true;   // the whole image at 0.25
    }
    if (small) ++crops, ++withBox;
    if (large) ++whole;
  }
  EXPECT_GT(whole, 10) << "some whole images";
  EXPECT_GT(crops, 100) << "most samples are crops near the box";
  EXPECT_GT(withBox, 0);
}

TEST(TiledTraining, WithoutTilingItIsTheUsualSample) {
  LabeledImage image;
  image.pixels = cv::Mat(300, 300, CV_8UC1, cv::Scalar(80));
  image.boxes.push_back({0, 10, 10, 60, 60});
  std::mt19937_64 a(3), b(3);
  const Sample s = makeTiledTrainingSample(image, 128, Tiling{}, AugmentOptions{}, a);
  const Sample u = makeTrainingSample(image, 128, AugmentOptions{}, b);
  EXPECT_EQ(cv::norm(s.input, u.input, cv::NORM_INF), 0);
  ASSERT_EQ(s.boxes.size(), u.boxes.size());
}

}  // namespace
}  // namespace quarry::detect
