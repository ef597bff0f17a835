// Duplicates (issue 16, item 3): the same bytes at another path are found at import; edited
// copies stay within a few bits of perceptual hash while unrelated pictures do not; the split
// keeps a group on one side; an export refuses a val image whose twin is in the train set.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/test_support.h"
#include "quarry/al/split.h"
#include "quarry/core/perceptual_hash.h"
#include "quarry/formats/formats.h"
#include "quarry/store/duplicates.h"
#include "quarry/store/project.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

// A picture of its own per seed: a smooth shading, a few blobs and a scratch, as an inspection
// image has (structure at low frequencies, which is what the hash looks at).
cv::Mat picture(int seed, int width = 240, int height = 180) {
  cv::RNG rng(static_cast<std::uint64_t>(seed) * 7919 + 13);
  cv::Mat img(height, width, CV_8UC1);
  const double gx = rng.uniform(-0.6, 0.6), gy = rng.uniform(-0.6, 0.6);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) img.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(120 + gx * x + gy * y);
  for (int k = 0; k < 4; ++k)
    cv::circle(img, {rng.uniform(0, width), rng.uniform(0, height)}, rng.uniform(10, 40),
               cv::Scalar(rng.uniform(20, 235)), cv::FILLED);
  cv::line(img, {rng.uniform(0, width), rng.uniform(0, height)}, {rng.uniform(0, width), rng.uniform(0, height)},
           cv::Scalar(rng.uniform(0, 255)), 3);
  return img;
}

std::uint64_t hashOf(const cv::Mat& m) { return perceptualHash(m.data, m.cols, m.rows, m.step); }

TEST(PerceptualHash, EditedCopiesStayCloseAndOtherPicturesDoNot) {
  for (int seed = 1; seed <= 5; ++seed) {
    const cv::Mat a = picture(seed);
    cv::Mat brighter, smaller, blurred, recoded;
    a.convertTo(brighter, -1, 1.0, 15);
    cv::resize(a, smaller, {}, 0.7, 0.7, cv::INTER_AREA);
    cv::GaussianBlur(a, blurred, {0, 0}, 1.0);
    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", a, jpeg, {cv::IMWRITE_JPEG_QUALITY, 75});
    recoded = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
    for (const cv::Mat* copy : {&brighter, &smaller, &blurred, &recoded})
      EXPECT_LE(hashDistance(hashOf(a), hashOf(*copy)), kDefaultDuplicateDistance) << "seed " << seed;
    for (int other = seed + 1; other <= 5; ++other)
      EXPECT_GT(hashDistance(hashOf(a), hashOf(picture(other))), kDefaultDuplicateDistance) << seed << " vs " << other;
  }
}

TEST(PerceptualHash, AFileHashEqualsTheHashItsImportStores) {
  TempDir tmp;
  cv::imwrite((tmp / "a.jpg").string(), picture(3, 800, 600));
  auto project = test::newProject(tmp / "project");
  ImportReport report;
  ASSERT_TRUE(importImageFiles(*project, {tmp / "a.jpg"}, {}, &report).ok());
  const auto stored = *project->perceptualHashes();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].second, *perceptualHashOfFile(tmp / "a.jpg"));
}

TEST(Duplicates, TheSameBytesAtAnotherPathAreAlreadyThereAndNamed) {
  TempDir tmp;
  fs::create_directories(tmp / "line");
  fs::create_directories(tmp / "copies");
  cv::imwrite((tmp / "line" / "a.png").string(), picture(1));
  fs::copy_file(tmp / "line" / "a.png", tmp / "copies" / "a-again.png");
  auto project = test::newProject(tmp / "project");
  ASSERT_TRUE(importDataset(*project, Format::kFolder, tmp / "line", {}, nullptr).ok());
  ImportOptions options;
  options.tags = {"VAL1"};
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kFolder, tmp / "copies", options, &report).ok());
  EXPECT_EQ(report.imagesAdded, 0u);
  EXPECT_EQ(report.imagesAlreadyThere, 1u);
  ASSERT_EQ(report.sameContent.size(), 1u);
  EXPECT_EQ(report.sameContent[0].file, (tmp / "copies" / "a-again.png").string());
  EXPECT_EQ(report.sameContent[0].existing, "$line/a.png");
  EXPECT_NE(reportText(report).find("the same content as $line/a.png"), std::string::npos);
  ImageQuery val;
  val.anyTags = {"VAL1"};
  EXPECT_EQ(*project->countImages(val), 0) << "the copy's tag does not reach the image it repeats";
}

TEST(Duplicates, GroupsLinkChainsOfClosePairsAndLeaveTheRestAlone) {
  const std::uint64_t a = 0x0123456789abcdefull;
  const std::vector<std::pair<ImageId, std::uint64_t>> hashes = {
      {1, a}, {2, a ^ 0x7}, {3, a ^ 0x7 ^ 0x70}, {4, ~a}, {5, ~a ^ 0x1}, {6, 0x5555555555555555ull}};
  const auto groups = groupNearDuplicates(hashes, 3);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], (std::vector<ImageId>{1, 2, 3})) << "3 is 6 bits from 1, but 3 from 2";
  EXPECT_EQ(groups[1], (std::vector<ImageId>{4, 5}));
  EXPECT_TRUE(groupNearDuplicates(hashes, 0).empty());
  // Many images: the pigeonhole search finds what comparing every pair finds.
  std::vector<std::pair<ImageId, std::uint64_t>> many;
  cv::RNG rng(5);
  for (ImageId id = 1; id <= 3000; ++id) {
    const std::uint64_t h = (static_cast<std::uint64_t>(rng.next()) << 32) | rng.next();
    many.emplace_back(id, h);
    if (id % 100 == 0) many.emplace_back(id + 100000, h ^ (1ull << (id % 64)) ^ (1ull << ((id * 7) % 64)));
  }
  const auto found = groupNearDuplicates(many, 4);
  EXPECT_EQ(found.size(), 30u);
  for (const auto& g : found) EXPECT_EQ(g.size(), 2u);
}

// A project of 20 pictures and a brightened copy of each of the first 5 (the copies' ids are
// 21..25, their originals 1..5).
std::unique_ptr<Project> withCopies(const TempDir& tmp) {
  for (int i = 0; i < 20; ++i) cv::imwrite((tmp / "images" / ("p" + std::to_string(100 + i) + ".png")).string(), picture(i));
  for (int i = 0; i < 5; ++i) {
    cv::Mat copy;
    picture(i).convertTo(copy, -1, 1.0, 12);
    cv::imwrite((tmp / "images" / ("z" + std::to_string(i) + ".png")).string(), copy);
  }
  auto project = test::newProject(tmp / "project");
  ImportReport report;
  EXPECT_TRUE(importDataset(*project, Format::kFolder, tmp / "images", {}, &report).ok());
  EXPECT_EQ(report.imagesAdded, 25u);
  return project;
}

TEST(Duplicates, TheSplitKeepsEachGroupOnOneSide) {
  TempDir tmp;
  fs::create_directories(tmp / "images");
  auto project = withCopies(tmp);
  const auto groups = *nearDuplicateGroups(*project, kDefaultDuplicateDistance);
  ASSERT_EQ(groups.size(), 5u) << "each copy with its original, nothing else";
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    SplitOptions options;
    options.val = {8, 0};
    options.gt = {8, 0};
    options.valTag = "VAL" + std::to_string(seed);
    options.gtTag = "GT" + std::to_string(seed);
    options.seed = seed;
    auto split = splitImages(*project, options);
    ASSERT_TRUE(split.ok()) << split.status().message();
    const std::set<ImageId> val(split->val.begin(), split->val.end()), gt(split->gt.begin(), split->gt.end());
    for (const auto& g : groups) {
      const bool inVal = std::any_of(g.begin(), g.end(), [&](ImageId id) { return val.count(id) > 0; });
      const bool inGt = std::any_of(g.begin(), g.end(), [&](ImageId id) { return gt.count(id) > 0; });
      EXPECT_FALSE(inVal && inGt) << "seed " << seed << ": group of " << g.front() << " on both sides";
      if (inVal) {
        EXPECT_TRUE(std::all_of(g.begin(), g.end(), [&](ImageId id) { return val.count(id) > 0; }));
      }
    }
    EXPECT_GE(split->gt.size(), 8u);
    EXPECT_TRUE(nearDuplicateLeaks(*project, options.valTag, {options.gtTag}, kDefaultDuplicateDistance)->empty());
  }
  // Off, the draw is the plain shuffle (the same as before near-duplicates were known).
  SplitOptions plain;
  plain.val = {8, 0};
  plain.gt = {8, 0};
  plain.valTag = "VALX";
  plain.gtTag = "GTX";
  plain.duplicateDistance = -1;
  EXPECT_EQ(splitImages(*project, plain)->movedForDuplicates, 0u);
}

TEST(Duplicates, AnExportRefusesAValImageWhoseTwinTrainsAndNamesThePair) {
  TempDir tmp;
  fs::create_directories(tmp / "images");
  auto project = withCopies(tmp);
  auto original = project->findImageByPath(project->storedPath(tmp / "images" / "p100.png"));
  auto copy = project->findImageByPath(project->storedPath(tmp / "images" / "z0.png"));
  ASSERT_TRUE(original.ok() && *original && copy.ok() && *copy);
  ASSERT_TRUE(project->tagImages("GT1", {(*original)->id}).ok());
  ASSERT_TRUE(project->tagImages("VAL1", {(*copy)->id}).ok());
  auto leaks = nearDuplicateLeaks(*project, "VAL1", {}, kDefaultDuplicateDistance);
  ASSERT_TRUE(leaks.ok());
  ASSERT_EQ(leaks->size(), 1u);
  EXPECT_EQ((*leaks)[0].valPath, (*copy)->path);
  EXPECT_EQ((*leaks)[0].trainPath, (*original)->path);

  ExportOptions options;
  options.trainTags = {"GT1"};
  options.valTags = {"VAL1"};
  ExportReport report;
  const Status refused = exportDataset(*project, Format::kYolo, tmp / "out", options, &report);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("VAL image " + (*copy)->path + " is a near-duplicate of training image " +
                                   (*original)->path),
            std::string::npos)
      << refused.message();
  EXPECT_FALSE(fs::exists(tmp / "out")) << "nothing written";
  options.allowNearDuplicates = true;
  ASSERT_TRUE(exportDataset(*project, Format::kYolo, tmp / "out", options, &report).ok());
  ASSERT_EQ(report.warnings.size(), 1u);
}

TEST(Duplicates, HashingLaterFillsWhatAnOlderImportLeftEmpty) {
  TempDir tmp;
  fs::create_directories(tmp / "images");
  auto project = withCopies(tmp);
  const auto before = *project->perceptualHashes();
  ASSERT_EQ(before.size(), 25u);
  // As a project made before perceptual hashes: every hash gone.
  std::vector<std::pair<ImageId, std::uint64_t>> none;
  for (ImageId id : *project->findImages({})) none.emplace_back(id, 0);
  ASSERT_TRUE(project->setPerceptualHashes(none).ok());
  auto report = computePerceptualHashes(*project, true, 2);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->hashed, 25u);
  EXPECT_EQ(*project->perceptualHashes(), before) << "the same hashes as the import stored";
  EXPECT_TRUE(project->imagesWithoutPerceptualHash()->empty());
}

}  // namespace
}  // namespace quarry
