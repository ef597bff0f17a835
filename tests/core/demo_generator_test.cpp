#include "quarry/demo/demo.h"

#include "core/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> readLines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string stem(int i) {
  std::string digits = std::to_string(i);
  return "img_" + std::string(5 - digits.size(), '0') + digits;
}

DemoOptions smallOptions(std::uint64_t seed) {
  DemoOptions o;
  o.images = 8;
  o.seed = seed;
  o.width = 96;
  o.height = 64;
  o.maxDefects = 4;
  return o;
}

TEST(DemoGenerator, SameSeedGivesIdenticalBytes) {
  TempDir a, b;
  const DemoOptions o = smallOptions(7);
  ASSERT_TRUE(generateDemoDataset(a.path(), o).ok());
  ASSERT_TRUE(generateDemoDataset(b.path(), o).ok());

  EXPECT_EQ(readFile(a.path() / "classes.txt"), readFile(b.path() / "classes.txt"));
  for (int i = 0; i < o.images; ++i) {
    const fs::path image = fs::path("images") / (stem(i) + ".png");
    const fs::path label = fs::path("labels") / (stem(i) + ".txt");
    const std::string bytes = readFile(a.path() / image);
    ASSERT_FALSE(bytes.empty()) << image;
    EXPECT_EQ(bytes, readFile(b.path() / image)) << image;
    EXPECT_EQ(readFile(a.path() / label), readFile(b.path() / label)) << label;
  }
}

TEST(DemoGenerator, DifferentSeedsGiveDifferentImages) {
  TempDir a, b;
  ASSERT_TRUE(generateDemoDataset(a.path(), smallOptions(1)).ok());
  ASSERT_TRUE(generateDemoDataset(b.path(), smallOptions(2)).ok());
  const fs::path image = fs::path("images") / "img_00000.png";
  EXPECT_NE(readFile(a.path() / image), readFile(b.path() / image));
}

TEST(DemoGenerator, EveryLabelLineHasFiveNormalisedFieldsAndAKnownClass) {
  TempDir dir;
  DemoOptions o = smallOptions(3);
  o.images = 30;
  ASSERT_TRUE(generateDemoDataset(dir.path(), o).ok());

  int boxes = 0;
  for (int i = 0; i < o.images; ++i) {
    const fs::path label = dir.path() / "labels" / (stem(i) + ".txt");
    ASSERT_TRUE(fs::exists(label)) << label;  // images without defects still get an empty file
    for (const std::string& line : readLines(label)) {
      std::istringstream in(line);
      in.imbue(std::locale::classic());
      std::vector<std::string> fields{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
      ASSERT_EQ(fields.size(), 5u) << label << ": " << line;

      std::size_t used = 0;
      const int cls = std::stoi(fields[0], &used);
      EXPECT_EQ(used, fields[0].size()) << line;
      EXPECT_GE(cls, 0) << line;
      EXPECT_LT(cls, 6) << line;
      double v[4];
      for (int k = 0; k < 4; ++k) {
        v[k] = std::stod(fields[k + 1]);
        EXPECT_GE(v[k], 0.0) << line;
        EXPECT_LE(v[k], 1.0) << line;
      }
      EXPECT_GT(v[2], 0.0) << line;
      EXPECT_GT(v[3], 0.0) << line;
      // The box lies inside the image, give or take the 6-decimal rounding.
      EXPECT_GE(v[0] - v[2] / 2, -1e-5) << line;
      EXPECT_LE(v[0] + v[2] / 2, 1 + 1e-5) << line;
      EXPECT_GE(v[1] - v[3] / 2, -1e-5) << line;
      EXPECT_LE(v[1] + v[3] / 2, 1 + 1e-5) << line;
      ++boxes;
    }
  }
  EXPECT_GT(boxes, 0);
}

TEST(DemoGenerator, ClassesFileListsTheSixNamesInOrder) {
  TempDir dir;
  DemoOptions o = smallOptions(1);
  o.images = 1;
  ASSERT_TRUE(generateDemoDataset(dir.path(), o).ok());
  const std::vector<std::string> expected = {"scratch", "inclusion", "patch", "pit", "crack", "stain"};
  EXPECT_EQ(demoClassNames(), expected);
  EXPECT_EQ(readLines(dir.path() / "classes.txt"), expected);
}

TEST(DemoGenerator, AHarderSetHasFaintDefectsAndClassesThatDifferOnlyInTone) {
  TempDir dir;
  DemoOptions base = smallOptions(3);
  base.images = 6;
  DemoOptions faint = base;
  faint.contrast = 0.5;
  DemoOptions split = base;
  split.splitPolarity = true;
  ASSERT_TRUE(generateDemoDataset(dir.path() / "base", base).ok());
  ASSERT_TRUE(generateDemoDataset(dir.path() / "faint", faint).ok());
  ASSERT_TRUE(generateDemoDataset(dir.path() / "split", split).ok());
  // Faint: the same defects in the same places, with half the tone difference.
  double baseDeviation = 0, faintDeviation = 0;
  for (int i = 0; i < base.images; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img_%05d", i);
    EXPECT_EQ(readLines(dir.path() / "base" / "labels" / (std::string(name) + ".txt")),
              readLines(dir.path() / "faint" / "labels" / (std::string(name) + ".txt")));
    const cv::Mat a = cv::imread((dir.path() / "base" / "images" / (std::string(name) + ".png")).string(), cv::IMREAD_GRAYSCALE);
    const cv::Mat b = cv::imread((dir.path() / "faint" / "images" / (std::string(name) + ".png")).string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(a.empty() || b.empty());
    cv::Mat blurred;
    cv::GaussianBlur(a, blurred, cv::Size(31, 31), 0);
    baseDeviation += cv::norm(a, blurred, cv::NORM_L1);
    cv::GaussianBlur(b, blurred, cv::Size(31, 31), 0);
    faintDeviation += cv::norm(b, blurred, cv::NORM_L1);
  }
  EXPECT_LT(faintDeviation, baseDeviation) << "faint defects stand out less from their surroundings";
  const std::vector<std::string> eight = {"scratch_bright", "scratch_dark", "inclusion", "patch_light",
                                          "patch_dark",     "pit",          "crack",     "stain"};
  EXPECT_EQ(demoClassNames(split), eight);
  EXPECT_EQ(readLines(dir.path() / "split" / "classes.txt"), eight);
  std::set<int> used;
  for (int i = 0; i < split.images; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img_%05d.txt", i);
    for (const auto& line : readLines(dir.path() / "split" / "labels" / name)) used.insert(std::stoi(line));
  }
  EXPECT_TRUE(std::all_of(used.begin(), used.end(), [](int c) { return c >= 0 && c < 8; }));
  DemoOptions bad = base;
  bad.contrast = 0;
  EXPECT_EQ(generateDemoDataset(dir.path() / "bad", bad).code(), StatusCode::kInvalidArgument);
}

TEST(DemoGenerator, InvalidOptionsGiveInvalidArgumentAndWriteNothing) {
  TempDir dir;
  const fs::path out = dir.path() / "out";
  DemoOptions negativeImages = smallOptions(1);
  negativeImages.images = -1;
  DemoOptions narrow = smallOptions(1);
  narrow.width = 31;
  DemoOptions short_ = smallOptions(1);
  short_.height = 0;
  DemoOptions negativeDefects = smallOptions(1);
  negativeDefects.maxDefects = -1;

  for (const DemoOptions& o : {negativeImages, narrow, short_, negativeDefects}) {
    const Status st = generateDemoDataset(out, o);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.message();
    EXPECT_FALSE(st.message().empty());
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(DemoGenerator, ProgressCallbackReturningFalseGivesCancelled) {
  TempDir dir;
  int calls = 0;
  const Status st = generateDemoDataset(dir.path(), smallOptions(1), [&](std::size_t, std::size_t, std::string_view) {
    ++calls;
    return false;
  });
  EXPECT_EQ(st.code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(fs::exists(dir.path() / "images" / "img_00000.png"));
  EXPECT_FALSE(fs::exists(dir.path() / "images" / "img_00001.png"));
}

TEST(DemoGenerator, ReportsProgressOncePerImage) {
  TempDir dir;
  const DemoOptions o = smallOptions(1);
  std::vector<std::size_t> done;
  const Status st = generateDemoDataset(dir.path(), o, [&](std::size_t d, std::size_t total, std::string_view stage) {
    EXPECT_EQ(total, static_cast<std::size_t>(o.images));
    EXPECT_EQ(stage, "generate");
    done.push_back(d);
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(done.size(), static_cast<std::size_t>(o.images));
  for (std::size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i], i + 1);
}

TEST(DemoGenerator, ZeroMaxDefectsGivesEmptyLabelFiles) {
  TempDir dir;
  DemoOptions o = smallOptions(5);
  o.maxDefects = 0;
  ASSERT_TRUE(generateDemoDataset(dir.path(), o).ok());
  for (int i = 0; i < o.images; ++i)
    EXPECT_EQ(readFile(dir.path() / "labels" / (stem(i) + ".txt")), "") << i;
}

TEST(DemoGenerator, UnwritableFolderGivesIoError) {
  TempDir dir;
  const fs::path blocker = dir.path() / "blocker";
  std::ofstream(blocker) << "a file where a folder should be";
  const Status st = generateDemoDataset(blocker / "data", smallOptions(1));
  EXPECT_EQ(st.code(), StatusCode::kIoError) << st.message();
  EXPECT_NE(st.message().find("blocker"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace quarry
