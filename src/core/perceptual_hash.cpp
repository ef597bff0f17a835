#include "quarry/core/perceptual_hash.h"

#include <algorithm>
#include <array>
#include <limits>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "quarry/core/image_probe.h"

namespace quarry {

std::uint64_t perceptualHash(const std::uint8_t* grey, int width, int height, std::size_t stride) {
  const cv::Mat image(height, width, CV_8UC1, const_cast<std::uint8_t*>(grey), stride);
  cv::Mat small, f, dct;
  // INTER_AREA averages every source pixel into the 32x32, so no detail aliases into the hash.
  cv::resize(image, small, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
  small.convertTo(f, CV_32F);
  cv::dct(f, dct);
  std::array<float, 64> low{};
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) low[static_cast<std::size_t>(y * 8 + x)] = dct.at<float>(y, x);
  // The median of the 63 coefficients after the constant term (brightness does not count).
  std::array<float, 63> ac{};
  std::copy(low.begin() + 1, low.end(), ac.begin());
  std::nth_element(ac.begin(), ac.begin() + 31, ac.end());
  const float median = ac[31];
  std::uint64_t bits = 0;
  for (std::size_t i = 1; i < 64; ++i)
    if (low[i] > median) bits |= std::uint64_t{1} << i;
  return bits;
}

Result<std::uint64_t> perceptualHashOfFile(const std::filesystem::path& file) {
  // The import's own probe, so a hash computed later equals the one an import stores.
  ProbeOptions options;
  options.maxPixels = std::numeric_limits<std::int64_t>::max();
  auto info = probeImage(file, options);
  if (!info.ok()) return info.status();
  return *info->phash;
}

}  // namespace quarry
