// The image probe: sizes from headers, and each kind of bad image refused with its reason.
#include "quarry/core/image_probe.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/test_support.h"

namespace quarry {
namespace {

using test::TempDir;

class ReadsEveryFormat : public ::testing::TestWithParam<const char*> {};

TEST_P(ReadsEveryFormat, SizeAndHashFromTheFile) {
  TempDir tmp;
  const auto file = tmp / (std::string("a.") + GetParam());
  test::writeImage(file, 123, 45);
  auto info = probeImage(file);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->width, 123);
  EXPECT_EQ(info->height, 45);
  EXPECT_EQ(info->hash.size(), 16u);
  EXPECT_EQ(info->hash, *hashFile(file));
}

INSTANTIATE_TEST_SUITE_P(Formats, ReadsEveryFormat, ::testing::Values("png", "jpg", "bmp", "tif"));

// A 60 x 20 JPEG whose APP1 segment carries EXIF orientation `orientation` (big- or
// little-endian TIFF inside), as phone cameras write them.
std::filesystem::path orientedJpeg(const TempDir& tmp, int orientation, bool littleEndian) {
  const auto plain = tmp / "plain.jpg";
  test::writeImage(plain, 60, 20);
  const std::string jpeg = test::readText(plain);
  auto u16 = [&](unsigned v) {
    return littleEndian ? std::string{char(v & 0xFF), char(v >> 8)} : std::string{char(v >> 8), char(v & 0xFF)};
  };
  auto u32 = [&](unsigned v) { return littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF); };
  std::string tiff = littleEndian ? "II" : "MM";
  tiff += u16(42) + u32(8);                               // header, IFD0 right after it
  tiff += u16(1);                                         // one entry:
  tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0);  // orientation, SHORT
  tiff += u32(0);                                         // no next IFD
  const std::string app1 = std::string("Exif\0\0", 6) + tiff;
  const unsigned len = static_cast<unsigned>(app1.size() + 2);
  const std::string segment = std::string("\xFF\xE1") + char(len >> 8) + char(len & 0xFF) + app1;
  const auto file = tmp / ("o" + std::to_string(orientation) + (littleEndian ? "le" : "be") + ".jpg");
  test::writeText(file, jpeg.substr(0, 2) + segment + jpeg.substr(2));
  return file;
}

// A phone JPEG taken upright is stored on its side with an orientation tag; the window and the
// detector turn its pixels, so its width and height (and the boxes drawn on it) must be the
// turned ones.
TEST(ImageProbe, ReadsTheSizeAsShownUnderEveryExifOrientation) {
  TempDir tmp;
  for (bool le : {false, true})
    for (int o = 1; o <= 8; ++o) {
      const auto file = orientedJpeg(tmp, o, le);
      auto info = probeImage(file);
      ASSERT_TRUE(info.ok()) << info.status().message();
      EXPECT_EQ(info->orientation, o);
      const bool turned = o >= 5;
      EXPECT_EQ(info->width, turned ? 20 : 60) << "orientation " << o;
      EXPECT_EQ(info->height, turned ? 60 : 20) << "orientation " << o;
      // What the detector loads has the same size.
      const cv::Mat pixels = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
      EXPECT_EQ(pixels.cols, info->width) << "orientation " << o;
      EXPECT_EQ(pixels.rows, info->height) << "orientation " << o;
    }
}

std::string truncated(const std::filesystem::path& file, double keep) {
  std::string bytes = test::readText(file);
  return bytes.substr(0, static_cast<std::size_t>(bytes.size() * keep));
}

struct BadCase {
  const char* name;
  const char* expected;  // a phrase the message must contain
};

class RefusesBadImages : public ::testing::TestWithParam<BadCase> {};

TEST_P(RefusesBadImages, WithTheFileAndTheReason) {
  TempDir tmp;
  const std::string name = GetParam().name;
  std::filesystem::path file = tmp / "bad.jpg";
  if (name == "zero-byte") {
    test::writeText(file, "");
  } else if (name == "text-named-jpg") {
    test::writeText(file, "this is not an image\n");
  } else if (name == "truncated-jpeg") {
    test::writeImage(tmp / "good.jpg", 300, 200);
    test::writeText(file, truncated(tmp / "good.jpg", 0.6));
  } else if (name == "truncated-png") {
    file = tmp / "bad.png";
    test::writeImage(tmp / "good.png", 300, 200);
    test::writeText(file, truncated(tmp / "good.png", 0.6));
  } else if (name == "bomb") {
    // A valid PNG header claiming 200,000 x 200,000 pixels; it must be refused before decoding.
    file = tmp / "bomb.png";
    test::writeImage(tmp / "small.png", 8, 8);
    std::string bytes = test::readText(tmp / "small.png");
    const unsigned v = 200000;
    for (int k = 0; k < 2; ++k)
      for (int i = 0; i < 4; ++i) bytes[16 + 4 * k + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
    test::writeText(file, bytes);
  } else if (name == "missing") {
    file = tmp / "nowhere.png";
  }
  auto info = probeImage(file);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find(file.string()), std::string::npos) << info.status().message();
  EXPECT_NE(info.status().message().find(GetParam().expected), std::string::npos) << info.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusesBadImages,
    ::testing::Values(BadCase{"zero-byte", "empty file"}, BadCase{"text-named-jpg", "not a supported image"},
                      BadCase{"truncated-jpeg", "truncated JPEG"}, BadCase{"truncated-png", "truncated PNG"},
                      BadCase{"bomb", "over the limit"}, BadCase{"missing", "no such file"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n) if (c == '-') c = '_';
      return n;
    });

TEST(ImageProbe, ThePixelLimitIsConfigurable) {
  TempDir tmp;
  test::writeImage(tmp / "a.png", 100, 100);
  ProbeOptions options;
  options.maxPixels = 9999;
  EXPECT_EQ(probeImage(tmp / "a.png", options).status().code(), StatusCode::kBadInput);
  options.maxPixels = 10000;
  EXPECT_TRUE(probeImage(tmp / "a.png", options).ok());
}

}  // namespace
}  // namespace quarry
