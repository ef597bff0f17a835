// The checked-in corpus of malformed files (tests/data/bad, described in its README): each
// import reports exactly the problems listed here, each with its file (and line where the
// format has lines), imports what is sound, and leaves the work saved before it as it was.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "core/test_support.h"
#include "quarry/formats/formats.h"
#include "quarry/core/image_probe.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

const fs::path kCorpus = QUARRY_BAD_DATA_DIR;

struct Expected {
  std::string file;  // relative to the corpus
  int line;          // 0: the problem has no line
  std::string phrase;
};

struct CorpusCase {
  const char* name;
  Format format;
  const char* source;  // relative to the corpus
  std::size_t imagesAdded, imagesSkipped, boxesAdded, boxesSkipped;
  std::vector<Expected> issues;
};

class BadCorpus : public ::testing::TestWithParam<CorpusCase> {
 protected:
  void SetUp() override {
    project = test::newProject(tmp / "p");
    saved = test::addSavedWork(*project);  // which no bad file may disturb
  }

  test::TempDir tmp;
  std::unique_ptr<Project> project;
  ImageId saved = 0;
};

TEST_P(BadCorpus, ReportsEachProblemWithItsFileAndKeepsTheRest) {
  const CorpusCase& c = GetParam();
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, c.format, kCorpus / c.source, {}, &report).ok());
  EXPECT_EQ(report.imagesAdded, c.imagesAdded);
  EXPECT_EQ(report.imagesSkipped, c.imagesSkipped);
  EXPECT_EQ(report.boxesAdded, c.boxesAdded);
  EXPECT_EQ(report.boxesSkipped, c.boxesSkipped);

  std::multiset<std::string> unmatched;
  for (const ImportIssue& issue : report.issues) unmatched.insert(issue.toString());
  for (const Expected& want : c.issues) {
    const std::string file = (kCorpus / want.file).string();
    auto hit = std::find_if(report.issues.begin(), report.issues.end(), [&](const ImportIssue& i) {
      return i.file == file && i.line == want.line && i.message.find(want.phrase) != std::string::npos;
    });
    if (hit == report.issues.end()) {
      ADD_FAILURE() << "no issue '" << want.phrase << "' for " << want.file << ":" << want.line;
    } else {
      unmatched.erase(unmatched.find(hit->toString()));
    }
  }
  for (const std::string& extra : unmatched) ADD_FAILURE() << "unexpected issue: " << extra;

  test::expectSavedWorkIntact(*project, saved);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadCorpus,
    ::testing::Values(
        CorpusCase{"images", Format::kFolder, "images", 1, 5, 0, 0,
                   {{"images/truncated.jpg", 0, "truncated JPEG (no end-of-image marker)"},
                    {"images/truncated.png", 0, "truncated PNG (no IEND chunk)"},
                    {"images/zero.jpg", 0, "empty file"},
                    {"images/text.jpg", 0, "not a supported image"},
                    {"images/bomb.png", 0, "20000 x 20000 pixels is over the limit of 100000000"}}},
        CorpusCase{"yolo", Format::kYolo, "yolo", 4, 0, 4, 4,
                   {{"yolo/labels/fields.txt", 2, "expected 5 fields"},
                    {"yolo/labels/nan.txt", 2, "'nan' is not a finite number"},
                    {"yolo/labels/negative.txt", 2, "zero or negative size"},
                    {"yolo/labels/unknown_class.txt", 2, "unknown class id 7"}}},
        CorpusCase{"voc", Format::kVoc, "voc", 1, 1, 1, 0,
                   {{"voc/Annotations/malformed.xml", 3, "malformed XML"},
                    {"voc/Annotations/nosize.xml", 0, "no usable <size>; using the image's own size"},
                    {"voc/Annotations/escape.xml", 0, "escapes the import root"}}},
        CorpusCase{"coco", Format::kCoco, "coco/problems.json", 1, 3, 1, 3,
                   {{"coco/problems.json", 0, "categories[2]: duplicate category id 2"},
                    {"coco/problems.json", 0, "images[1]: duplicate image id 1"},
                    {"coco/problems.json", 0, "images[2]: path '../../../../etc/passwd' escapes the import root"},
                    {"coco/problems.json", 0, "images[3]: absolute path '/etc/passwd' is not allowed"},
                    {"coco/problems.json", 0, "annotations[1]: duplicate annotation id 1"},
                    {"coco/problems.json", 0, "annotations[2]: refers to image id 99"},
                    {"coco/problems.json", 0, "annotations[3]: refers to category id 42"}}},
        CorpusCase{"cvat", Format::kCvat, "cvat/problems.xml", 1, 3, 1, 4,
                   {{"cvat/problems.xml", 7, "<box> label 'zzz' is not among the labels of <meta>"},
                    {"cvat/problems.xml", 8, "<box> needs numbers xtl, ytl, xbr and ybr"},
                    {"cvat/problems.xml", 9, "a rotated <box> is not an axis-aligned box"},
                    {"cvat/problems.xml", 10, "<polygon> is not a box"},
                    {"cvat/problems.xml", 12, "image 'images/a.png' is listed twice"},
                    {"cvat/problems.xml", 13, "path '../../../etc/passwd' escapes the import root"},
                    {"cvat/problems.xml", 14, "absolute path '/etc/passwd' is not allowed"}}},
        CorpusCase{"label_studio", Format::kLabelStudio, "label-studio/problems.json", 1, 4, 1, 4,
                   {{"label-studio/problems.json", 0, "task 1, result 2: not a rectangle (type polygonlabels)"},
                    {"label-studio/problems.json", 0, "task 1, result 3 needs numbers value.x, y, width and height"},
                    {"label-studio/problems.json", 0, "task 1, result 4: a rotated rectangle"},
                    {"label-studio/problems.json", 0, "task 1, result 5 needs exactly one name in value.rectanglelabels"},
                    {"label-studio/problems.json", 0, "task 2: image 'a.png' is listed twice"},
                    {"label-studio/problems.json", 0, "task 3: path '../../../etc/passwd' escapes the import root"},
                    {"label-studio/problems.json", 0, "task 4: image 'https://example.com/x.png' is a URL"},
                    {"label-studio/problems.json", 0, "task 5 needs `data.image`, a string"}}},
        // Found by scripts/fuzz: a width no int holds, a `type` that is an object.
        CorpusCase{"cvat_huge_width", Format::kCvat, "cvat/huge_width.xml", 1, 0, 1, 0, {}},
        CorpusCase{"label_studio_object_type", Format::kLabelStudio, "label-studio/object_type.json", 1, 0, 1, 1,
                   {{"label-studio/object_type.json", 0, "task 1, result 1: not a rectangle (type ?)"}}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BadCorpusFile, MalformedCocoJsonStopsTheImportWithFileAndLineAndAddsNothing) {
  test::TempDir tmp;
  auto project = test::newProject(tmp / "p");
  const fs::path file = kCorpus / "coco" / "malformed.json";
  ImportReport report;
  Status st = importDataset(*project, Format::kCoco, file, {}, &report);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find(file.string() + ":4: malformed JSON"), std::string::npos) << st.message();
  EXPECT_EQ(project->stats()->images, 0);
}

TEST(BadCorpusFile, MalformedCvatAndLabelStudioFilesStopTheImportWithFileAndLine) {
  for (const auto& [format, rel, where] : {std::tuple{Format::kCvat, "cvat/malformed.xml", ":4: malformed XML"},
                                           std::tuple{Format::kLabelStudio, "label-studio/malformed.json", ":4: malformed JSON"}}) {
    test::TempDir tmp;
    auto project = test::newProject(tmp / "p");
    const fs::path file = kCorpus / rel;
    Status st = importDataset(*project, format, file, {}, nullptr);
    ASSERT_FALSE(st.ok()) << rel;
    EXPECT_EQ(st.code(), StatusCode::kBadInput);
    EXPECT_NE(st.message().find(file.string() + where), std::string::npos) << st.message();
    EXPECT_EQ(project->stats()->images, 0);
  }
}

TEST(BadCorpusFile, ANumberTooLargeForADoubleIsMalformedJsonNotACrash) {
  // Found by scripts/fuzz: the JSON library throws out_of_range, not parse_error, for it.
  test::TempDir tmp;
  auto project = test::newProject(tmp / "p");
  const fs::path file = kCorpus / "coco" / "number_overflow.json";
  Status st = importDataset(*project, Format::kCoco, file, {}, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kBadInput);
  EXPECT_NE(st.message().find(file.string() + ": malformed JSON"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("number overflow"), std::string::npos) << st.message();
  EXPECT_EQ(project->stats()->images, 0);
}

TEST(BadCorpusFile, TheBombIsRefusedFromItsHeaderWithoutDecoding) {
  // 400 megapixels in 48 KB: decoding it would take 400 MB. The probe reads the header only
  // and refuses it, under the default limit and under --no-decode alike.
  const fs::path bomb = kCorpus / "images" / "bomb.png";
  ASSERT_LT(fs::file_size(bomb), 64u * 1024);
  for (bool decode : {true, false}) {
    ProbeOptions options;
    options.decode = decode;
    auto probed = probeImage(bomb, options);
    ASSERT_FALSE(probed.ok());
    EXPECT_NE(probed.status().message().find("over the limit"), std::string::npos) << probed.status().message();
  }
}

}  // namespace
}  // namespace quarry
