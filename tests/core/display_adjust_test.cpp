// Display adjustments: what each control does to a level, that they work in place on the
// window's pixel layouts without touching alpha or line padding, and that the setting round-trips.
#include "quarry/core/display_adjust.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace quarry {
namespace {

// A grey image of one level, `width` x 2, with 3 bytes of padding per line set to 7.
struct Grey {
  int width;
  std::vector<std::uint8_t> bytes;
  Grey(int w, std::uint8_t level) : width(w), bytes(static_cast<std::size_t>((w + 3) * 2), 7) {
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < w; ++x) bytes[static_cast<std::size_t>(y * (w + 3) + x)] = level;
  }
  std::size_t stride() const { return static_cast<std::size_t>(width + 3); }
  std::uint8_t at(int x, int y = 0) const { return bytes[static_cast<std::size_t>(y) * stride() + static_cast<std::size_t>(x)]; }
  bool apply(const DisplayAdjustment& a) { return adjustForDisplay(bytes.data(), width, 2, stride(), 1, a); }
};

std::uint8_t adjusted(std::uint8_t level, const DisplayAdjustment& a) {
  Grey g(4, level);
  EXPECT_TRUE(g.apply(a));
  return g.at(0);
}

TEST(DisplayAdjust, NoAdjustmentLeavesEveryByte) {
  Grey g(5, 100);
  const auto before = g.bytes;
  EXPECT_TRUE(DisplayAdjustment{}.isIdentity());
  EXPECT_TRUE(g.apply(DisplayAdjustment{}));
  EXPECT_EQ(g.bytes, before);
}

TEST(DisplayAdjust, BrightnessContrastAndGammaMoveALevelAsDocumented) {
  DisplayAdjustment a;
  a.brightness = 20;  // + 51 levels
  EXPECT_EQ(adjusted(100, a), 151);
  a = {};
  a.contrast = 25;  // gain 2^0.5 about 127.5: 127.5 - 27.5 * 1.414
  EXPECT_EQ(adjusted(100, a), 89);
  a.contrast = 50;  // gain 2
  EXPECT_EQ(adjusted(200, a), 255) << "saturates";
  a = {};
  a.gamma = 2;  // 255 * (64 / 255)^0.5
  EXPECT_EQ(adjusted(64, a), 128);
  a = {};
  a.contrast = -100;  // gain 0.25
  EXPECT_EQ(adjusted(0, a), 96);
}

TEST(DisplayAdjust, LevelsStretchSpreadsAFaintRangeOverTheFullScale) {
  // 100 columns of levels 100..149 (each level twice): the 1st and 99th percentiles become 0 and 255.
  Grey g(100, 0);
  for (int x = 0; x < 100; ++x) g.bytes[static_cast<std::size_t>(x)] = g.bytes[g.stride() + static_cast<std::size_t>(x)] =
      static_cast<std::uint8_t>(100 + x / 2);
  DisplayAdjustment a;
  a.stretch = DisplayStretch::kLevels;
  ASSERT_TRUE(g.apply(a));
  EXPECT_EQ(g.at(0), 0);
  EXPECT_EQ(g.at(99), 255);
  EXPECT_GT(g.at(50), 100);
  EXPECT_LT(g.at(50), 160);
  EXPECT_EQ(g.bytes[100], 7) << "line padding is not touched";
}

TEST(DisplayAdjust, ClaheWidensTheLevelsOfAFaintTexture) {
  // A 64 x 64 texture of 5 neighbouring levels (118..122): CLAHE spreads them apart.
  const int w = 64;
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w * w));
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x) px[static_cast<std::size_t>(y * w + x)] = static_cast<std::uint8_t>(118 + (x * 7 + y * 3) % 5);
  auto spread = [&] {
    const auto [lo, hi] = std::minmax_element(px.begin(), px.end());
    return *hi - *lo;
  };
  ASSERT_EQ(spread(), 4);
  DisplayAdjustment a;
  a.stretch = DisplayStretch::kClahe;
  ASSERT_TRUE(adjustForDisplay(px.data(), w, w, w, 1, a));
  EXPECT_GE(spread(), 12);
}

TEST(DisplayAdjust, ColourKeepsAlphaAndGetsTheSameToneOnEveryChannel) {
  std::vector<std::uint8_t> px{100, 100, 100, 200, 50, 60, 70, 255};  // two BGRA pixels
  DisplayAdjustment a;
  a.brightness = 20;
  ASSERT_TRUE(adjustForDisplay(px.data(), 2, 1, 8, 4, a));
  EXPECT_EQ(px, (std::vector<std::uint8_t>{151, 151, 151, 200, 101, 111, 121, 255}));
}

TEST(DisplayAdjust, RefusesALayoutItCannotAdjust) {
  std::vector<std::uint8_t> px(12, 9);
  DisplayAdjustment a;
  a.brightness = 10;
  EXPECT_FALSE(adjustForDisplay(px.data(), 4, 1, 12, 3, a)) << "3 channels";
  EXPECT_FALSE(adjustForDisplay(px.data(), 4, 1, 8, 4, a)) << "a line shorter than its pixels";
  EXPECT_EQ(px, std::vector<std::uint8_t>(12, 9));
}

TEST(DisplayAdjust, TheSettingTextRoundTripsAndADamagedOneIsIgnored) {
  DisplayAdjustment a;
  a.brightness = -30;
  a.contrast = 40;
  a.gamma = 1.4;
  a.stretch = DisplayStretch::kClahe;
  const auto back = parseSettingsText(toSettingsText(a));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
  EXPECT_EQ(describe(a), "brightness -30, contrast +40, gamma 1.40, CLAHE");
  EXPECT_EQ(describe(DisplayAdjustment{}), "none");
  EXPECT_TRUE(parseSettingsText("")->isIdentity());
  EXPECT_FALSE(parseSettingsText("b=ten"));
  EXPECT_FALSE(parseSettingsText("s=sharpen"));
  EXPECT_FALSE(parseSettingsText("x=1"));
  EXPECT_EQ(parseSettingsText("b=500;g=99")->brightness, 100) << "clamped into range";
  EXPECT_EQ(parseSettingsText("b=500;g=99")->gamma, 4.0);
}

}  // namespace
}  // namespace quarry
