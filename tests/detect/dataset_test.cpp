// The detector's data side: which images and boxes a model learns from, and how they become inputs.
#include "detect/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "core/test_support.h"

namespace quarry::detect {
namespace {

namespace fs = std::filesystem;

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = Project::create(dir_);
    ASSERT_TRUE(p.ok()) << p.status().message();
    project_ = std::move(p).value();
  }
  void TearDown() override { project_.reset(); }  // closed before tmp_ removes the folder

  // Writes a colour PNG inside the project and adds it.
  ImageId addImage(const std::string& name, int width = 64, int height = 48) {
    const fs::path file = dir_ / "images" / name;
    fs::create_directories(file.parent_path());
    EXPECT_TRUE(cv::imwrite(file.string(), cv::Mat(height, width, CV_8UC3, cv::Scalar(10, 120, 240))));
    ImageRecord rec;
    rec.path = project_->storedPath(file), rec.width = width, rec.height = height;
    auto id = project_->addImage(rec);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  ClassId addClass(const std::string& name) {
    auto id = project_->addClass(name);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  void addBox(ImageId image, ClassId cls, double x, BoxSource source) {
    Box b;
    b.image = image, b.cls = cls, b.source = source;
    b.x = x, b.y = 5, b.w = 10, b.h = 20;
    ASSERT_TRUE(project_->addBox(b).ok());
  }
  void tag(const std::string& name, const std::vector<ImageId>& ids) { ASSERT_TRUE(project_->tagImages(name, ids).ok()); }

  test::TempDir tmp_;
  const fs::path dir_ = tmp_.path();
  std::unique_ptr<Project> project_;
};

TEST_F(DatasetTest, LoadKeepsOnlyManualAndCorrectedBoxesIndexedByClassOrder) {
  const ClassId crack = addClass("crack");
  const ClassId pit = addClass("pit");
  ASSERT_TRUE(project_->moveClass(pit, 0).ok());  // order is now pit, crack: ids no longer match
  const ImageId a = addImage("a.png");
  addBox(a, crack, 1, BoxSource::kManual);
  addBox(a, pit, 2, BoxSource::kAuto);
  addBox(a, pit, 3, BoxSource::kCorrected);

  LoadReport report;
  auto images = loadLabeledImages(*project_, {}, 3, &report);
  ASSERT_TRUE(images.ok()) << images.status().message();
  ASSERT_EQ(images->size(), 1u);
  const LabeledImage& img = images->front();
  EXPECT_EQ(img.id, a);
  EXPECT_TRUE(fs::equivalent(img.file, dir_ / "images" / "a.png"));
  ASSERT_EQ(img.boxes.size(), 2u);
  std::map<float, int> classAtX;
  for (const TargetBox& b : img.boxes) {
    classAtX[b.x0] = b.cls;
    EXPECT_FLOAT_EQ(b.x1 - b.x0, 10);
    EXPECT_FLOAT_EQ(b.y1 - b.y0, 20);
  }
  EXPECT_EQ(classAtX.at(1), 1);  // crack, second in the order
  EXPECT_EQ(classAtX.at(3), 0);  // pit, first
  EXPECT_EQ(classAtX.count(2), 0u);
  EXPECT_EQ(report.missing, 0u);
}

TEST_F(DatasetTest, LoadSkipsAndCountsMissingFiles) {
  const ImageId kept = addImage("kept.png");
  addImage("gone.png");
  fs::remove(dir_ / "images" / "gone.png");
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
  spdlog::drop("quarry");
  spdlog::register_logger(std::make_shared<spdlog::logger>("quarry", sink));
  LoadReport report;
  auto images = loadLabeledImages(*project_, {}, 1, &report);
  spdlog::drop("quarry");
  ASSERT_TRUE(images.ok()) << images.status().message();
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ(images->front().id, kept);
  EXPECT_EQ(report.missing, 1u);
  const auto logged = sink->last_formatted();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("gone.png"), std::string::npos) << logged[0];
}

TEST_F(DatasetTest, LoadConvertsToTheRequestedChannels) {
  addImage("a.png");
  auto grey = loadLabeledImages(*project_, {}, 1, nullptr);
  auto colour = loadLabeledImages(*project_, {}, 3, nullptr);
  ASSERT_TRUE(grey.ok() && colour.ok());
  EXPECT_EQ(grey->front().pixels.type(), CV_8UC1);
  EXPECT_EQ(colour->front().pixels.type(), CV_8UC3);
  EXPECT_EQ(loadLabeledImages(*project_, {}, 2, nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatasetTest, LoadStopsWhenProgressCancels) {
  addImage("a.png");
  addImage("b.png");
  auto r = loadLabeledImages(*project_, {}, 1, nullptr, [](std::size_t done, std::size_t, std::string_view) {
    return done < 1;
  });
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
}

TEST_F(DatasetTest, TrainingQueryDefaultsToEveryGtTag) {
  const ImageId a = addImage("a.png"), b = addImage("b.png"), c = addImage("c.png"), d = addImage("d.png");
  tag("GT1", {a});
  tag("GT2", {b});
  tag("VAL", {c});
  tag("other", {d});
  auto q = trainingQuery(*project_, {}, "VAL");
  ASSERT_TRUE(q.ok()) << q.status().message();
  auto ids = project_->findImages(*q);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(std::set<ImageId>(ids->begin(), ids->end()), (std::set<ImageId>{a, b}));

  auto named = trainingQuery(*project_, {"other"}, "VAL");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(*project_->findImages(*named), std::vector<ImageId>{d});
  EXPECT_EQ(trainingQuery(*project_, {"nope"}, "VAL").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatasetTest, TrainingQueryFailsWithoutGtTags) {
  tag("VAL", {addImage("a.png")});
  auto q = trainingQuery(*project_, {}, "VAL");
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(q.status().message().find("no training tags"), std::string::npos);
}

TEST_F(DatasetTest, TrainingQueryRefusesImagesAlsoInVal) {
  const ImageId a = addImage("leak.png"), b = addImage("fine.png");
  tag("GT1", {a, b});
  tag("VAL", {a});
  auto q = trainingQuery(*project_, {}, "VAL");
  ASSERT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = q.status().message();
  EXPECT_NE(m.find("validation set"), std::string::npos) << m;
  EXPECT_NE(m.find("1 image"), std::string::npos) << m;
  EXPECT_NE(m.find("images/leak.png"), std::string::npos) << m;
  EXPECT_EQ(m.find("fine.png"), std::string::npos) << m;
}

TEST_F(DatasetTest, TrainingQueryNamesAtMostTwentyLeakedImages) {
  std::vector<ImageId> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(addImage("leak" + std::to_string(i) + ".png", 8, 8));
  tag("GT1", ids);
  tag("VAL", ids);
  const std::string m = trainingQuery(*project_, {"GT1"}, "VAL").status().message();
  EXPECT_NE(m.find("25 image"), std::string::npos) << m;
  EXPECT_NE(m.find("and 5 more"), std::string::npos) << m;
  std::size_t named = 0;
  for (std::size_t at = m.find("leak"); at != std::string::npos; at = m.find("leak", at + 1)) ++named;
  EXPECT_EQ(named, 20u) << m;
}

// --- letterbox and augmentation: images built in memory ------------------------------------

// A black image with one white object, and its box.
LabeledImage objectImage(int width, int height, cv::Rect object, int channels = 1) {
  LabeledImage img;
  img.pixels = cv::Mat(height, width, CV_8UC(channels), cv::Scalar::all(0));
  cv::rectangle(img.pixels, object, cv::Scalar::all(255), cv::FILLED);
  img.boxes.push_back({0, float(object.x), float(object.y), float(object.br().x), float(object.br().y)});
  return img;
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}
bool sameBoxes(const std::vector<TargetBox>& a, const std::vector<TargetBox>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const TargetBox& p, const TargetBox& q) {
    return p.cls == q.cls && p.x0 == q.x0 && p.y0 == q.y0 && p.x1 == q.x1 && p.y1 == q.y1;
  });
}

// The mean grey inside a box, its partly covered edge pixels left out.
double meanInside(const cv::Mat& input, const TargetBox& b) {
  const cv::Rect r(cv::Point(int(std::ceil(b.x0)), int(std::ceil(b.y0))), cv::Point(int(b.x1), int(b.y1)));
  return cv::mean(input(r & cv::Rect(0, 0, input.cols, input.rows)))[0];
}

AugmentOptions noAugmentation() {
  AugmentOptions o;
  o.horizontalFlip = o.verticalFlip = false;
  o.scaleJitter = o.translate = o.brightness = o.contrast = 0;
  return o;
}

TEST(Letterbox, WideImageIsCentredAndMapsBack) {
  const LabeledImage img = objectImage(200, 100, {50, 20, 100, 50}, 3);
  Letterbox map;
  const Sample s = makeEvalSample(img, 256, &map);
  EXPECT_FLOAT_EQ(map.scale, 1.28f);
  EXPECT_TRUE(map.padX == 0 && map.padY == 64);
  ASSERT_TRUE(s.input.size() == cv::Size(256, 256) && s.input.type() == CV_8UC3);
  EXPECT_EQ(s.input.at<cv::Vec3b>(10, 128), cv::Vec3b(114, 114, 114));   // padding above
  EXPECT_EQ(s.input.at<cv::Vec3b>(250, 128), cv::Vec3b(114, 114, 114));  // and below
  ASSERT_EQ(s.boxes.size(), 1u);
  const TargetBox& b = s.boxes[0];
  EXPECT_NEAR((b.x0 - map.padX) / map.scale, 50, 1e-4);
  EXPECT_NEAR((b.y0 - map.padY) / map.scale, 20, 1e-4);
  EXPECT_NEAR((b.x1 - map.padX) / map.scale, 150, 1e-4);
  EXPECT_NEAR((b.y1 - map.padY) / map.scale, 70, 1e-4);
  EXPECT_GT(meanInside(s.input, b), 250);
}

TEST(Augment, WithEveryOptionOffEqualsTheEvalSample) {
  for (const auto& img : {objectImage(200, 100, {50, 20, 100, 50}), objectImage(300, 500, {10, 400, 80, 90}, 3)}) {
    std::mt19937_64 rng(7);
    const Sample train = makeTrainingSample(img, 256, noAugmentation(), rng);
    const Sample eval = makeEvalSample(img, 256, nullptr);
    EXPECT_TRUE(sameBytes(train.input, eval.input));
    EXPECT_EQ(eval.boxes.size(), 1u);
    EXPECT_TRUE(sameBoxes(train.boxes, eval.boxes));
  }
}

TEST(Augment, FlipsMoveABoxAcrossAndKeepItsPixels) {
  AugmentOptions flips = noAugmentation();
  flips.horizontalFlip = flips.verticalFlip = true;
  const LabeledImage img = objectImage(200, 200, {4, 4, 30, 20});  // near the top-left corner
  bool seenRight = false, seenBottom = false, seenLeft = false;
  for (int seed = 0; seed < 32; ++seed) {
    std::mt19937_64 rng(seed);
    const Sample s = makeTrainingSample(img, 256, flips, rng);
    ASSERT_EQ(s.boxes.size(), 1u);
    const float cx = (s.boxes[0].x0 + s.boxes[0].x1) / 2, cy = (s.boxes[0].y0 + s.boxes[0].y1) / 2;
    seenRight |= cx > 200;
    seenLeft |= cx < 56;
    seenBottom |= cy > 200;
    EXPECT_GT(meanInside(s.input, s.boxes[0]), 250) << "seed " << seed;
  }
  EXPECT_TRUE(seenRight && seenLeft && seenBottom);
}

TEST(Augment, BoxesStayInsideAndCoverTheObject) {
  const LabeledImage img = objectImage(200, 150, {60, 40, 50, 40});
  for (int seed = 0; seed < 64; ++seed) {
    std::mt19937_64 rng(seed);
    const Sample s = makeTrainingSample(img, 160, AugmentOptions{}, rng);
    ASSERT_EQ(s.input.size(), cv::Size(160, 160));
    for (const TargetBox& b : s.boxes) {
      EXPECT_TRUE(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= 160 && b.y1 <= 160) << "seed " << seed;
      EXPECT_TRUE(b.x1 - b.x0 >= 2 && b.y1 - b.y0 >= 2) << "seed " << seed;
      // Contrast and brightness move white to at least about 255 * 0.8 - 0.15 * 255.
      EXPECT_GT(meanInside(s.input, b), 150) << "seed " << seed;
    }
    EXPECT_LT(cv::mean(s.input)[0], 150);
  }
}

TEST(Augment, SameSeedGivesTheSameSampleAndOtherSeedsDiffer) {
  const LabeledImage img = objectImage(200, 150, {60, 40, 50, 40}, 3);
  std::mt19937_64 a(42), b(42), c(43);
  const Sample sa = makeTrainingSample(img, 128, AugmentOptions{}, a);
  const Sample sb = makeTrainingSample(img, 128, AugmentOptions{}, b);
  const Sample sc = makeTrainingSample(img, 128, AugmentOptions{}, c);
  EXPECT_TRUE(sameBytes(sa.input, sb.input));
  EXPECT_TRUE(sameBoxes(sa.boxes, sb.boxes));
  EXPECT_FALSE(sameBytes(sa.input, sc.input));
}

TEST(Augment, BoxesPushedOutOfViewAreDropped) {
  AugmentOptions shift = noAugmentation();
  shift.translate = 0.45;
  const LabeledImage img = objectImage(100, 100, {0, 0, 10, 10});  // in the corner
  int dropped = 0;
  for (int seed = 0; seed < 64; ++seed) {
    std::mt19937_64 rng(seed);
    const Sample s = makeTrainingSample(img, 100, shift, rng);
    if (s.boxes.empty()) {
      ++dropped;
      // Under a quarter of the 10 x 10 object may still show.
      EXPECT_LT(cv::countNonZero(s.input > 200), 25) << "seed " << seed;
    } else {
      EXPECT_GT(meanInside(s.input, s.boxes[0]), 200) << "seed " << seed;
    }
  }
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, 64);
}

}  // namespace
}  // namespace quarry::detect
