// Round trips: import -> export -> import keeps every box to 1e-3 pixel and every class name
// and its order, in every format; re-importing never duplicates images.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/test_support.h"
#include "quarry/demo/demo.h"
#include "quarry/formats/formats.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

struct FlatBox {
  std::string cls;
  double x, y, w, h;
};

// Every box of a project keyed by the image's file name, sorted so projects compare.
std::map<std::string, std::vector<FlatBox>> boxesByName(const Project& p) {
  std::map<ClassId, std::string> names;
  for (const auto& c : *p.classes()) names[c.id] = c.name;
  std::map<std::string, std::vector<FlatBox>> out;
  auto ids = *p.findImages({});
  for (const auto& im : *p.images(ids)) {
    auto& v = out[fs::path(im.path).filename().string()];
    for (const auto& b : *p.boxes(im.id)) v.push_back({names[b.cls], b.x, b.y, b.w, b.h});
    std::sort(v.begin(), v.end(), [](const FlatBox& a, const FlatBox& b) {
      return std::tie(a.cls, a.x, a.y) < std::tie(b.cls, b.x, b.y);
    });
  }
  return out;
}

std::vector<std::string> classOrder(const Project& p) {
  std::vector<std::string> out;
  for (const auto& c : *p.classes()) out.push_back(c.name);
  return out;
}

void expectSameBoxes(const Project& a, const Project& b) {
  auto ba = boxesByName(a), bb = boxesByName(b);
  ASSERT_EQ(ba.size(), bb.size());
  for (const auto& [name, boxes] : ba) {
    ASSERT_TRUE(bb.count(name)) << name;
    const auto& other = bb.at(name);
    ASSERT_EQ(boxes.size(), other.size()) << name;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      EXPECT_EQ(boxes[i].cls, other[i].cls) << name;
      EXPECT_NEAR(boxes[i].x, other[i].x, 1e-3) << name;
      EXPECT_NEAR(boxes[i].y, other[i].y, 1e-3) << name;
      EXPECT_NEAR(boxes[i].w, other[i].w, 1e-3) << name;
      EXPECT_NEAR(boxes[i].h, other[i].h, 1e-3) << name;
    }
  }
}

class RoundTrip : public ::testing::TestWithParam<Format> {
 protected:
  void SetUp() override {
    DemoOptions demo;
    demo.images = 16;
    demo.seed = 11;
    demo.width = 96;
    demo.height = 80;
    ASSERT_TRUE(generateDemoDataset(tmp / "data", demo).ok());
    source = test::newProject(tmp / "a");
    ImportReport report;
    ASSERT_TRUE(importDataset(*source, Format::kYolo, tmp / "data", {}, &report).ok());
    ASSERT_GT(report.boxesAdded, 10u);
    // Move a class so the project's order differs from the data set's: exports must follow
    // the project, not the order the classes were first seen in.
    ASSERT_TRUE(source->moveClass(source->classes()->back().id, 0).ok());
    auto ids = *source->findImages({});
    EXPECT_TRUE(source->tagImages("GT1", std::vector<ImageId>(ids.begin(), ids.begin() + 10)).ok());
    EXPECT_TRUE(source->tagImages("VAL1", std::vector<ImageId>(ids.begin() + 10, ids.end())).ok());
  }
  TempDir tmp;
  std::unique_ptr<Project> source;
};

TEST_P(RoundTrip, KeepsEveryBoxAndTheClassOrder) {
  const Format format = GetParam();
  ExportOptions options;
  if (format == Format::kUltralytics) {
    options.trainTags = {"GT1"};
    options.valTags = {"VAL1"};
  }
  ExportReport exported;
  ASSERT_TRUE(exportDataset(*source, format, tmp / "out", options, &exported).ok());
  EXPECT_EQ(exported.images, 16u);
  EXPECT_EQ(static_cast<std::int64_t>(exported.boxes), source->stats()->boxes);

  auto copy = test::newProject(tmp / "b");
  ImportReport report;
  const fs::path in = format == Format::kCoco ? tmp / "out" / "annotations.json" : tmp / "out";
  Status st = importDataset(*copy, format == Format::kUltralytics ? Format::kYolo : format, in, {}, &report);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(report.issues.empty()) << report.issues.front().toString();
  EXPECT_EQ(report.imagesAdded, 16u);
  EXPECT_EQ(classOrder(*copy), classOrder(*source));
  expectSameBoxes(*source, *copy);
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(Format::kCoco, Format::kVoc, Format::kYolo, Format::kUltralytics,
                                           Format::kCvat, Format::kLabelStudio),
                         [](const auto& info) {
                           std::string name = toString(info.param);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Reimport, TheSameFilesAreNotAddedTwiceButGainNewTags) {
  TempDir tmp;
  DemoOptions demo;
  demo.images = 6;
  ASSERT_TRUE(generateDemoDataset(tmp / "data", demo).ok());
  auto p = test::newProject(tmp / "p");
  ImportReport first, second;
  ASSERT_TRUE(importDataset(*p, Format::kYolo, tmp / "data", {}, &first).ok());
  ImportOptions again;
  again.tags = {"batch2"};
  ASSERT_TRUE(importDataset(*p, Format::kYolo, tmp / "data", again, &second).ok());
  EXPECT_EQ(second.imagesAdded, 0u);
  EXPECT_EQ(second.imagesAlreadyThere, 6u);
  EXPECT_EQ(p->stats()->images, 6);
  EXPECT_EQ(p->stats()->boxes, static_cast<std::int64_t>(first.boxesAdded));
  EXPECT_EQ(p->tags()->at(0).imageCount, 6);
}

TEST(ImportFiles, AddsImagesFromAnyFolderAndSkipsWhatIsNotAnImageNamingIt) {
  TempDir tmp;
  test::writeImage(tmp / "line1" / "a.png", 40, 30);
  test::writeImage(tmp / "line2" / "b.jpg", 50, 20);
  test::writeText(tmp / "line2" / "notes.txt", "not an image");
  auto p = test::newProject(tmp / "p");
  ImportOptions options;
  options.tags = {"dropped"};
  ImportReport report;
  ASSERT_TRUE(importImageFiles(*p, {tmp / "line1" / "a.png", tmp / "line2" / "b.jpg", tmp / "line2" / "notes.txt"},
                               options, &report)
                  .ok());
  EXPECT_EQ(report.imagesAdded, 2u);
  EXPECT_EQ(report.imagesSkipped, 1u);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].file, (tmp / "line2" / "notes.txt").string());
  EXPECT_EQ(p->tags()->at(0).imageCount, 2);
  const std::string text = reportText(report);
  EXPECT_EQ(text.rfind("imported 2 images (0 already there, 1 skipped), 0 boxes (0 skipped)\n", 0), 0u) << text;
  EXPECT_NE(text.find("notes.txt: not an image file"), std::string::npos) << text;

  ImportReport again;
  ASSERT_TRUE(importImageFiles(*p, {tmp / "line1" / "a.png"}, {}, &again).ok());
  EXPECT_EQ(again.imagesAlreadyThere, 1u);
  EXPECT_EQ(p->stats()->images, 2);
}

TEST(ImportFiles, StrictStopsAtTheFirstFileThatIsNotAnImage) {
  TempDir tmp;
  test::writeText(tmp / "notes.txt", "x");
  auto p = test::newProject(tmp / "p");
  ImportOptions options;
  options.strict = true;
  const Status st = importImageFiles(*p, {tmp / "notes.txt"}, options, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find("notes.txt"), std::string::npos) << st.message();
}

TEST(GuessFormat, ReadsTheLayoutOfEachKindOfDataSet) {
  TempDir tmp;
  test::writeImage(tmp / "plain" / "sub" / "a.png", 8, 8);
  test::writeImage(tmp / "yolo" / "images" / "a.png", 8, 8);
  test::writeText(tmp / "yolo" / "labels" / "a.txt", "0 0.5 0.5 0.2 0.2\n");
  test::writeText(tmp / "voc" / "Annotations" / "a.xml", "<annotation/>");
  test::writeText(tmp / "coco" / "annotations.json", "{}");
  EXPECT_EQ(guessFormat(tmp / "plain"), Format::kFolder);
  EXPECT_EQ(guessFormat(tmp / "yolo"), Format::kYolo);
  EXPECT_EQ(guessFormat(tmp / "voc"), Format::kVoc);
  EXPECT_EQ(guessFormat(tmp / "coco"), Format::kCoco);
  EXPECT_EQ(guessFormat(tmp / "coco" / "annotations.json"), Format::kCoco);
  EXPECT_EQ(guessFormat(tmp / "missing"), Format::kFolder);
}

TEST(UltralyticsExport, WritesDataYamlThatNamesTheClassesAndBothSets) {
  TempDir tmp;
  DemoOptions demo;
  demo.images = 4;
  ASSERT_TRUE(generateDemoDataset(tmp / "data", demo).ok());
  auto p = test::newProject(tmp / "p");
  ASSERT_TRUE(importDataset(*p, Format::kYolo, tmp / "data", {}, nullptr).ok());
  auto ids = *p->findImages({});
  EXPECT_TRUE(p->tagImages("GT1", {ids[0], ids[1]}).ok());
  EXPECT_TRUE(p->tagImages("VAL1", {ids[2]}).ok());
  ExportOptions options;
  options.trainTags = {"GT1"};
  options.valTags = {"VAL1"};
  ExportReport report;
  ASSERT_TRUE(exportDataset(*p, Format::kUltralytics, tmp / "u", options, &report).ok());
  const std::string yaml = test::readText(tmp / "u" / "data.yaml");
  EXPECT_NE(yaml.find("train: images/train"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("val: images/val"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("0: scratch"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("5: stain"), std::string::npos) << yaml;
  EXPECT_EQ(report.images, 3u);
  EXPECT_TRUE(fs::exists(tmp / "u" / "labels" / "train"));
  EXPECT_TRUE(fs::exists(tmp / "u" / "images" / "val"));
}

TEST(Export, RefusesAnImageInBothTrainAndValAndNamesIt) {
  TempDir tmp;
  test::writeImage(tmp / "imgs" / "shared.png", 32, 32);
  auto p = test::newProject(tmp / "p");
  ASSERT_TRUE(importDataset(*p, Format::kFolder, tmp / "imgs", {}, nullptr).ok());
  auto ids = *p->findImages({});
  EXPECT_TRUE(p->tagImages("GT1", ids).ok());
  EXPECT_TRUE(p->tagImages("VAL1", ids).ok());
  ExportOptions options;
  options.trainTags = {"GT1"};
  options.valTags = {"VAL1"};
  Status st = exportDataset(*p, Format::kUltralytics, tmp / "u", options, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("shared.png"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(tmp / "u" / "data.yaml"));
}

// An Ultralytics export set up as the demo makes it: GT1 for train, VAL1 for val.
class ExportTarget : public ::testing::Test {
 protected:
  void SetUp() override {
    DemoOptions demo;
    demo.images = 6;
    ASSERT_TRUE(generateDemoDataset(tmp / "data", demo).ok());
    p = test::newProject(tmp / "p");
    ASSERT_TRUE(importDataset(*p, Format::kYolo, tmp / "data", {}, nullptr).ok());
    ids = *p->findImages({});
    EXPECT_TRUE(p->tagImages("GT1", {ids[0], ids[1], ids[2]}).ok());
    EXPECT_TRUE(p->tagImages("GT2", {ids[3]}).ok());
    EXPECT_TRUE(p->tagImages("VAL1", {ids[4], ids[5]}).ok());
    options.trainTags = {"GT1"};
    options.valTags = {"VAL1"};
  }
  std::size_t trainLabels(const fs::path& out) const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(out / "labels" / "train")) n += e.is_regular_file() ? 1 : 0;
    return n;
  }
  TempDir tmp;
  std::unique_ptr<Project> p;
  std::vector<ImageId> ids;
  ExportOptions options;
};

// Regression (issue 21): a second export into the same folder left the first one's label files,
// and data.yaml pointed at both.
TEST_F(ExportTarget, ANonEmptyFolderIsRefusedUnlessReplacingAnEarlierExport) {
  ASSERT_TRUE(exportDataset(*p, Format::kUltralytics, tmp / "u", options, nullptr).ok());
  EXPECT_TRUE(fs::exists(tmp / "u" / kExportMarker));
  EXPECT_EQ(trainLabels(tmp / "u"), 3u);
  options.trainTags = {"GT2"};
  Status again = exportDataset(*p, Format::kUltralytics, tmp / "u", options, nullptr);
  ASSERT_EQ(again.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(again.message().find("not empty"), std::string::npos) << again.message();
  EXPECT_NE(again.message().find((tmp / "u").string()), std::string::npos) << again.message();
  EXPECT_EQ(trainLabels(tmp / "u"), 3u) << "a refused export leaves the folder as it was";
  options.overwrite = true;
  ASSERT_TRUE(exportDataset(*p, Format::kUltralytics, tmp / "u", options, nullptr).ok());
  EXPECT_EQ(trainLabels(tmp / "u"), 1u) << "only GT2's one image: the old files are gone";
}

TEST_F(ExportTarget, AFolderNoExportMadeIsNeverReplaced) {
  test::writeText(tmp / "mine" / "notes.txt", "keep me");
  options.overwrite = true;
  Status st = exportDataset(*p, Format::kUltralytics, tmp / "mine", options, nullptr);
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find(kExportMarker), std::string::npos) << st.message();
  EXPECT_EQ(test::readText(tmp / "mine" / "notes.txt"), "keep me");
}

TEST_F(ExportTarget, NeverTheProjectFolderNorAFolderHoldingItsImages) {
  options.overwrite = true;
  EXPECT_EQ(exportDataset(*p, Format::kUltralytics, tmp / "p", options, nullptr).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(exportDataset(*p, Format::kUltralytics, tmp.path(), options, nullptr).code(), StatusCode::kInvalidArgument);
  // Even a folder with the marker: the project's images are there.
  test::writeText(tmp / "data" / kExportMarker, "planted");
  Status st = exportDataset(*p, Format::kUltralytics, tmp / "data", options, nullptr);
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("holds the project's image"), std::string::npos) << st.message();
  EXPECT_EQ(p->stats()->images, 6);
  for (ImageId id : ids) EXPECT_TRUE(fs::exists(p->resolve(p->image(id)->path))) << id;
}

// Review of issue 21's fix: a marker planted in the project's own folder must not let --overwrite
// empty it (its images lie elsewhere, so only the folder rule stands between them).
TEST_F(ExportTarget, TheProjectFolderIsRefusedEvenWithAMarkerInIt) {
  test::writeText(tmp / "p" / kExportMarker, "planted");
  options.overwrite = true;
  Status st = exportDataset(*p, Format::kUltralytics, tmp / "p", options, nullptr);
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("project's folder"), std::string::npos) << st.message();
  EXPECT_TRUE(fs::exists(p->storeFile()));
  EXPECT_EQ(p->stats()->images, 6);
}

TEST(Import, AClassNameThatDiffersOnlyInCaseIsTheProjectsClass) {
  TempDir tmp;
  test::writeImage(tmp / "y" / "images" / "a.png", 40, 30);
  test::writeText(tmp / "y" / "labels" / "a.txt", "0 0.5 0.5 0.2 0.2\n");
  test::writeText(tmp / "y" / "classes.txt", "Crack\n");
  auto p = test::newProject(tmp / "p");
  const ClassId crack = *p->addClass("crack");
  ImportReport report;
  ASSERT_TRUE(importDataset(*p, Format::kYolo, tmp / "y", {}, &report).ok());
  EXPECT_EQ(p->classes()->size(), 1u);
  const auto ids = *p->findImages({});
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_EQ(p->boxes(ids[0])->size(), 1u);
  EXPECT_EQ(p->boxes(ids[0])->front().cls, crack);
  bool said = false;
  for (const auto& issue : report.issues) said = said || issue.message.find("only in case") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(Export, UltralyticsNeedsBothSets) {
  TempDir tmp;
  auto p = test::newProject(tmp / "p");
  EXPECT_EQ(exportDataset(*p, Format::kUltralytics, tmp / "u", {}, nullptr).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace quarry
