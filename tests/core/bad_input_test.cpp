// Bad input: each problem is reported with its file (and line where there is one), the rest
// of the import goes on (or stops with `strict`), and nothing already saved is lost.
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "quarry/formats/formats.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    project = test::newProject(tmp / "p");
    savedImage = test::addSavedWork(*project);  // must survive every bad import
  }
  void TearDown() override { test::expectSavedWorkIntact(*project, savedImage); }
  // A YOLO data set with classes a, b and the given label files (name -> content).
  fs::path yolo(const std::vector<std::pair<std::string, std::string>>& labels) {
    const fs::path root = tmp / "yolo";
    test::writeText(root / "classes.txt", "a\nb\n");
    int seed = 0;
    for (const auto& [name, text] : labels) {
      test::writeImage(root / "images" / (name + ".png"), 100, 50, ++seed);
      test::writeText(root / "labels" / (name + ".txt"), text);
    }
    return root;
  }
  const ImportIssue* issueAbout(const ImportReport& r, const std::string& phrase) {
    for (const auto& i : r.issues)
      if (i.message.find(phrase) != std::string::npos) return &i;
    ADD_FAILURE() << "no issue mentions '" << phrase << "'";
    return nullptr;
  }

  TempDir tmp;
  std::unique_ptr<Project> project;
  ImageId savedImage = 0;
};

struct YoloLineCase {
  const char* name;
  const char* line;
  const char* phrase;
};

class BadYoloLine : public BadInput, public ::testing::WithParamInterface<YoloLineCase> {};

TEST_P(BadYoloLine, IsSkippedWithFileAndLineWhileGoodLinesAreKept) {
  const std::string text = std::string("0 0.5 0.5 0.2 0.2\n") + GetParam().line + "\n1 0.25 0.25 0.1 0.1\n";
  const fs::path root = yolo({{"img", text}});
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kYolo, root, {}, &report).ok());
  EXPECT_EQ(report.boxesAdded, 2u);
  EXPECT_EQ(report.boxesSkipped, 1u);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].file, (root / "labels" / "img.txt").string());
  EXPECT_EQ(report.issues[0].line, 2);
  EXPECT_NE(report.issues[0].message.find(GetParam().phrase), std::string::npos) << report.issues[0].message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadYoloLine,
    ::testing::Values(YoloLineCase{"too_few_fields", "0 0.5 0.5 0.1", "expected 5 fields"},
                      YoloLineCase{"too_many_fields", "0 0.5 0.5 0.1 0.1 0.9", "expected 5 fields"},
                      YoloLineCase{"nan", "0 nan 0.5 0.1 0.1", "not a finite number"},
                      YoloLineCase{"inf", "0 0.5 inf 0.1 0.1", "not a finite number"},
                      YoloLineCase{"negative_size", "0 0.5 0.5 -0.1 0.1", "zero or negative size"},
                      YoloLineCase{"zero_size", "0 0.5 0.5 0.1 0", "zero or negative size"},
                      YoloLineCase{"out_of_range", "0 1.5 0.5 0.1 0.1", "outside 0..1"},
                      YoloLineCase{"unknown_class", "7 0.5 0.5 0.1 0.1", "unknown class id 7"},
                      YoloLineCase{"fractional_class", "1.5 0.5 0.5 0.1 0.1", "not a non-negative integer"},
                      YoloLineCase{"text", "scratch 0.5 0.5 0.1 0.1", "not a non-negative integer"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(BadInput, StrictStopsAtTheFirstProblemAndAddsNothing) {
  const fs::path root = yolo({{"a", "0 0.5 0.5 0.2 0.2\n"}, {"b", "0 0.5 0.5\n"}});
  ImportOptions options;
  options.strict = true;
  ImportReport report;
  Status st = importDataset(*project, Format::kYolo, root, options, &report);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find("b.txt:1"), std::string::npos) << st.message();
  EXPECT_EQ(project->stats()->images, 1);
}

TEST_F(BadInput, UnreadableImagesAreSkippedAndTheRestImported) {
  const fs::path root = tmp / "imgs";
  test::writeImage(root / "good.png", 20, 20);
  test::writeText(root / "empty.jpg", "");
  test::writeText(root / "text.jpg", "hello");
  test::writeImage(root / "big.png", 200, 200);
  ImportOptions options;
  options.probe.maxPixels = 100 * 100;
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kFolder, root, options, &report).ok());
  EXPECT_EQ(report.imagesAdded, 1u);
  EXPECT_EQ(report.imagesSkipped, 3u);
  const ImportIssue* big = issueAbout(report, "over the limit");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->file, (root / "big.png").string());
  issueAbout(report, "empty file");
  issueAbout(report, "not a supported image");
}

TEST_F(BadInput, MalformedVocXmlIsReportedWithItsLine) {
  const fs::path root = tmp / "voc";
  test::writeImage(root / "JPEGImages" / "a.png", 50, 40);
  test::writeText(root / "Annotations" / "a.xml", "<annotation>\n<filename>a.png</filename>\n<object><name>a</name>\n");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kVoc, root, {}, &report).ok());
  const ImportIssue* issue = issueAbout(report, "malformed XML");
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->file, (root / "Annotations" / "a.xml").string());
  EXPECT_GT(issue->line, 1);
  EXPECT_EQ(report.imagesAdded, 0u);
}

TEST_F(BadInput, VocWithoutSizeUsesTheImagesOwnSizeAndSaysSo) {
  const fs::path root = tmp / "voc";
  test::writeImage(root / "JPEGImages" / "a.png", 50, 40);
  test::writeText(root / "Annotations" / "a.xml",
                  "<annotation><filename>a.png</filename><object><name>a</name><bndbox><xmin>1</xmin><ymin>2</ymin>"
                  "<xmax>11</xmax><ymax>12</ymax></bndbox></object></annotation>");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kVoc, root, {}, &report).ok());
  issueAbout(report, "no usable <size>");
  EXPECT_EQ(report.boxesAdded, 1u);
}

// A data set's folder may hold symbolic links; one that leads out of it (to a file, or through a
// linked folder) is refused with the file and where it leads, while links that stay inside and
// the other images are imported.
TEST_F(BadInput, ASymbolicLinkLeadingOutOfTheRootIsRefused) {
  const fs::path root = tmp / "folder";
  test::writeImage(root / "a.png", 40, 30, 1);
  test::writeImage(tmp / "elsewhere" / "secret.png", 40, 30, 2);
  fs::create_symlink(tmp / "elsewhere" / "secret.png", root / "out.png");
  fs::create_symlink(root / "a.png", root / "alias.png");  // stays inside: fine
  fs::create_directories(root / "sub");
  fs::create_directory_symlink(tmp / "elsewhere", root / "sub" / "linked");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kFolder, root, {}, &report).ok());
  EXPECT_EQ(report.imagesAdded, 1u);  // a.png; alias.png is the same file, so the same content
  ASSERT_EQ(report.sameContent.size(), 1u);
  EXPECT_EQ(report.sameContent[0].file, (root / "alias.png").string());
  const ImportIssue* issue = issueAbout(report, "symbolic link that leads out of the import root");
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->file, (root / "out.png").string());
  EXPECT_NE(issue->message.find("secret.png"), std::string::npos);
}

TEST_F(BadInput, AYoloImageThroughALinkedFolderOutsideTheRootIsRefused) {
  const fs::path root = tmp / "yolo";
  test::writeText(root / "classes.txt", "a\n");
  test::writeImage(tmp / "elsewhere" / "x.png", 40, 30, 3);
  fs::create_directories(root);
  fs::create_directory_symlink(tmp / "elsewhere", root / "images");
  test::writeText(root / "labels" / "x.txt", "0 0.5 0.5 0.2 0.2\n");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kYolo, root, {}, &report).ok());
  EXPECT_EQ(report.imagesAdded, 0u);
  ASSERT_TRUE(issueAbout(report, "leads out of the import root"));
}

TEST_F(BadInput, VocFilenameEscapingTheRootIsRefused) {
  const fs::path root = tmp / "voc";
  test::writeText(root / "Annotations" / "a.xml",
                  "<annotation><filename>../../p/saved.png</filename><size><width>40</width><height>30</height>"
                  "</size></annotation>");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kVoc, root, {}, &report).ok());
  issueAbout(report, "escapes the import root");
  EXPECT_EQ(report.imagesAdded, 0u);
}

TEST_F(BadInput, MalformedCocoJsonFailsWithFileAndLine) {
  test::writeText(tmp / "coco" / "annotations.json", "{\n  \"images\": [\n    {\"id\": 1,\n");
  ImportReport report;
  Status st = importDataset(*project, Format::kCoco, tmp / "coco" / "annotations.json", {}, &report);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find("annotations.json:4"), std::string::npos) << st.message();
}

TEST_F(BadInput, CocoProblemsAreEachReportedAndTheGoodPartsImported) {
  const fs::path root = tmp / "coco";
  test::writeImage(root / "images" / "a.png", 60, 40, 1);
  test::writeImage(root / "images" / "b.png", 60, 40, 2);
  test::writeText(root / "annotations.json", R"({
    "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 2, "name": "c"}],
    "images": [
      {"id": 1, "file_name": "a.png", "width": 60, "height": 40},
      {"id": 1, "file_name": "b.png", "width": 60, "height": 40},
      {"id": 3, "file_name": "../../p/saved.png"},
      {"id": 4, "file_name": "/etc/passwd"}
    ],
    "annotations": [
      {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 10, 10]},
      {"id": 1, "image_id": 1, "category_id": 2, "bbox": [5, 5, 10, 10]},
      {"id": 2, "image_id": 99, "category_id": 1, "bbox": [1, 2, 10, 10]},
      {"id": 3, "image_id": 1, "category_id": 42, "bbox": [1, 2, 10, 10]},
      {"id": 4, "image_id": 1, "category_id": 2, "bbox": [1, 2, 0, 10]}
    ]})");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kCoco, root, {}, &report).ok());
  issueAbout(report, "duplicate category id 2");
  issueAbout(report, "duplicate image id 1");
  issueAbout(report, "escapes the import root");
  issueAbout(report, "absolute path");
  issueAbout(report, "duplicate annotation id 1");
  issueAbout(report, "image id 99, which is not in `images`");
  issueAbout(report, "category id 42");
  issueAbout(report, "zero or negative size");
  EXPECT_EQ(report.imagesAdded, 1u);
  EXPECT_EQ(report.boxesAdded, 1u);
}

TEST_F(BadInput, AMissingDataSetIsAClearError) {
  Status st = importDataset(*project, Format::kYolo, tmp / "nothing-here", {}, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("nothing-here"), std::string::npos);
}

TEST_F(BadInput, YoloWithoutClassNamesSaysWhatIsMissing) {
  test::writeImage(tmp / "y" / "images" / "a.png", 10, 10);
  Status st = importDataset(*project, Format::kYolo, tmp / "y", {}, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find("classes.txt or data.yaml"), std::string::npos);
}

TEST_F(BadInput, DataYamlNamesAsAMapAreRead) {
  test::writeImage(tmp / "y" / "images" / "a.png", 10, 10);
  test::writeText(tmp / "y" / "data.yaml", "names:\n  0: a\n  1: weld\n");
  test::writeText(tmp / "y" / "labels" / "a.txt", "1 0.5 0.5 0.5 0.5\n");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kYolo, tmp / "y", {}, &report).ok());
  EXPECT_EQ(report.classesAdded, std::vector<std::string>{"weld"});
  EXPECT_EQ(report.boxesAdded, 1u);
}

}  // namespace
}  // namespace quarry
