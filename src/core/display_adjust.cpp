#include "quarry/core/display_adjust.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "quarry/core/numbers.h"

namespace quarry {
namespace {

constexpr double kMinGamma = 0.25, kMaxGamma = 4.0;

std::vector<std::string> fieldsOf(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (std::size_t at; (at = text.find(';', from)) != std::string::npos; from = at + 1) out.push_back(text.substr(from, at - from));
  out.push_back(text.substr(from));
  return out;
}

const char* stretchName(DisplayStretch s) {
  switch (s) {
    case DisplayStretch::kLevels: return "levels";
    case DisplayStretch::kClahe: return "clahe";
    case DisplayStretch::kOff: break;
  }
  return "off";
}

// Contrast, brightness and gamma as one table of 256 levels.
cv::Mat toneTable(const DisplayAdjustment& a) {
  cv::Mat lut(1, 256, CV_8U);
  const double gain = std::pow(2.0, a.contrast / 50.0), offset = a.brightness * 255.0 / 100.0;
  for (int v = 0; v < 256; ++v) {
    double x = (v - 127.5) * gain + 127.5 + offset;
    x = std::clamp(x, 0.0, 255.0);
    if (a.gamma != 1.0) x = 255.0 * std::pow(x / 255.0, 1.0 / a.gamma);
    lut.at<std::uint8_t>(v) = cv::saturate_cast<std::uint8_t>(x);
  }
  return lut;
}

// The levels at the 1st and 99th percentile of `grey`, spread over 0..255 (nothing when flat).
void stretchLevels(cv::Mat& grey) {
  int histogram[256] = {0};
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* row = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) ++histogram[row[x]];
  }
  const double total = static_cast<double>(grey.total());
  int lo = 0, hi = 255;
  for (double seen = 0; lo < 255 && (seen += histogram[lo]) <= 0.01 * total;) ++lo;
  for (double seen = 0; hi > 0 && (seen += histogram[hi]) <= 0.01 * total;) --hi;
  if (hi <= lo) return;
  cv::Mat out;
  grey.convertTo(out, CV_8U, 255.0 / (hi - lo), -255.0 * lo / (hi - lo));
  out.copyTo(grey);
}

void stretch(cv::Mat& grey, DisplayStretch s) {
  if (s == DisplayStretch::kLevels) stretchLevels(grey);
  if (s == DisplayStretch::kClahe) {
    cv::Mat out;
    cv::createCLAHE(2.0, cv::Size(8, 8))->apply(grey, out);
    out.copyTo(grey);  // into the caller's pixels (grey may wrap them)
  }
}

}  // namespace

bool DisplayAdjustment::isIdentity() const {
  return brightness == 0 && contrast == 0 && gamma == 1.0 && stretch == DisplayStretch::kOff;
}

DisplayAdjustment DisplayAdjustment::clamped() const {
  DisplayAdjustment c = *this;
  c.brightness = std::clamp(brightness, -100, 100);
  c.contrast = std::clamp(contrast, -100, 100);
  c.gamma = std::isfinite(gamma) ? std::clamp(gamma, kMinGamma, kMaxGamma) : 1.0;
  return c;
}

std::string describe(const DisplayAdjustment& a) {
  if (a.isIdentity()) return "none";
  std::vector<std::string> parts;
  if (a.brightness != 0) parts.push_back("brightness " + std::string(a.brightness > 0 ? "+" : "") + std::to_string(a.brightness));
  if (a.contrast != 0) parts.push_back("contrast " + std::string(a.contrast > 0 ? "+" : "") + std::to_string(a.contrast));
  if (a.gamma != 1.0) {
    char g[32];
    std::snprintf(g, sizeof g, "gamma %.2f", a.gamma);
    parts.push_back(g);
  }
  if (a.stretch == DisplayStretch::kLevels) parts.push_back("levels stretched");
  if (a.stretch == DisplayStretch::kClahe) parts.push_back("CLAHE");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string toSettingsText(const DisplayAdjustment& a) {
  char g[32];
  std::snprintf(g, sizeof g, "%.4g", a.gamma);
  return "b=" + std::to_string(a.brightness) + ";c=" + std::to_string(a.contrast) + ";g=" + g +
         ";s=" + stretchName(a.stretch);
}

std::optional<DisplayAdjustment> parseSettingsText(const std::string& text) {
  DisplayAdjustment a;
  if (text.empty()) return a;
  for (const std::string& field : fieldsOf(text)) {
    const auto eq = field.find('=');
    if (eq == std::string::npos) return std::nullopt;
    const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "s") {
      if (value == "off") a.stretch = DisplayStretch::kOff;
      else if (value == "levels") a.stretch = DisplayStretch::kLevels;
      else if (value == "clahe") a.stretch = DisplayStretch::kClahe;
      else return std::nullopt;
    } else if (key == "g") {
      const auto g = parseDouble(value);
      if (!g || !std::isfinite(*g)) return std::nullopt;
      a.gamma = *g;
    } else if (key == "b" || key == "c") {
      const auto v = parseInteger(value);
      if (!v) return std::nullopt;
      (key == "b" ? a.brightness : a.contrast) = static_cast<int>(std::clamp<std::int64_t>(*v, -1000, 1000));
    } else {
      return std::nullopt;
    }
  }
  return a.clamped();
}

bool adjustForDisplay(std::uint8_t* pixels, int width, int height, std::size_t bytesPerLine, int channels,
                      const DisplayAdjustment& adjustment) {
  if ((channels != 1 && channels != 4) || width <= 0 || height <= 0 || !pixels ||
      bytesPerLine < static_cast<std::size_t>(width) * static_cast<std::size_t>(channels))
    return false;
  const DisplayAdjustment a = adjustment.clamped();
  if (a.isIdentity()) return true;
  cv::Mat image(height, width, channels == 1 ? CV_8UC1 : CV_8UC4, pixels, bytesPerLine);  // wraps, no copy
  const cv::Mat lut = toneTable(a);
  if (channels == 1) {
    stretch(image, a.stretch);
    cv::LUT(image, lut, image);
    return true;
  }
  // Colour: stretch the lightness, then the tone table on B, G and R; alpha stays.
  cv::Mat bgr, alpha;
  cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  cv::extractChannel(image, alpha, 3);
  if (a.stretch != DisplayStretch::kOff) {
    cv::Mat lab;
    cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
    std::vector<cv::Mat> planes;
    cv::split(lab, planes);
    stretch(planes[0], a.stretch);
    cv::merge(planes, lab);
    cv::cvtColor(lab, bgr, cv::COLOR_Lab2BGR);
  }
  cv::LUT(bgr, lut, bgr);
  const cv::Mat in[] = {bgr, alpha};
  const int fromTo[] = {0, 0, 1, 1, 2, 2, 3, 3};
  cv::mixChannels(in, 2, &image, 1, fromTo, 4);
  return true;
}

}  // namespace quarry
