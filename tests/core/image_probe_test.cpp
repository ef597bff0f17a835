// The image probe: sizes from headers, and each kind of bad image refused with its reason.
#include "quarry/image_probe.h"

#include <gtest/gtest.h>

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
