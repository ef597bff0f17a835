// Display-only adjustments for inspection images: faint stains on grey steel need the contrast
// stretched to be seen. They change the pixels the window shows, never an image file, a
// thumbnail or what a model sees.
//
//   DisplayAdjustment a;
//   a.contrast = 40;
//   a.stretch = DisplayStretch::kClahe;
//   adjustForDisplay(bits, width, height, bytesPerLine, 1, a);  // in place, 8-bit grey
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace quarry {

enum class DisplayStretch {
  kOff,
  kLevels,  // the 1st to 99th percentile of the grey levels spread over 0..255
  kClahe,   // OpenCV's contrast-limited adaptive histogram equalisation (clip 2, 8x8 tiles)
};

struct DisplayAdjustment {
  static constexpr int kStep = 10;  // what one key press changes brightness or contrast by
  int brightness = 0;   // -100..100: percent of the full range added to every level
  int contrast = 0;     // -100..100: gain 2^(contrast / 50) about mid-grey, 0.25x to 4x
  double gamma = 1.0;   // 0.25..4: out = in^(1 / gamma); above 1 lifts the shadows
  DisplayStretch stretch = DisplayStretch::kOff;  // applied first, then contrast, brightness, gamma

  bool isIdentity() const;
  // The same with every field brought into its range.
  DisplayAdjustment clamped() const;
  bool operator==(const DisplayAdjustment& o) const {
    return brightness == o.brightness && contrast == o.contrast && gamma == o.gamma && stretch == o.stretch;
  }
};

// "brightness +10, contrast +20, gamma 1.40, CLAHE", or "none".
std::string describe(const DisplayAdjustment& a);

// A short text for settings files ("b=10;c=20;g=1.4;s=clahe") and back. Parsing is strict about
// names and numbers (nothing for a text it does not know, so a damaged setting is ignored rather
// than half applied) and clamps values into their ranges; an empty text is no adjustment.
std::string toSettingsText(const DisplayAdjustment& a);
std::optional<DisplayAdjustment> parseSettingsText(const std::string& text);

// Adjusts 8-bit pixels in place: `channels` 1 (grey) or 4 (B, G, R, A in memory, as Qt's
// ARGB32 on little-endian machines); alpha and the padding at the end of each line are left as
// they are. Colour images are stretched on their lightness (CIE L*a*b*), so hues stay. Returns
// false, touching nothing, for another channel count or a size that does not fit bytesPerLine.
bool adjustForDisplay(std::uint8_t* pixels, int width, int height, std::size_t bytesPerLine, int channels,
                      const DisplayAdjustment& a);

}  // namespace quarry
