#include "core/test_support.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace quarry::test {

TempDir::TempDir() {
  // mkdtemp, not a clock reading: CTest runs each test in its own process, in parallel, and two
  // processes read the same steady_clock value often enough to share a folder (seen on CI).
  std::string pattern = (fs::temp_directory_path() / "quarry_test_XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void writeImage(const fs::path& file, int width, int height, int seed) {
  fs::create_directories(file.parent_path());
  cv::Mat img(height, width, CV_8UC1);
  cv::randu(img, cv::Scalar(seed % 50), cv::Scalar(200 + seed % 50));
  cv::rectangle(img, {width / 4, height / 4, width / 2, height / 2}, cv::Scalar(seed % 255), 2);
  ASSERT_TRUE(cv::imwrite(file.string(), img)) << file;
}

void writeText(const fs::path& file, const std::string& text) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << file;
}

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<Project> newProject(const fs::path& dir) {
  auto p = Project::create(dir);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? std::move(p).value() : nullptr;
}

ImageId addSavedWork(Project& project) {
  writeImage(project.dir() / "saved.png", 40, 30);
  ImageRecord r;
  r.path = "saved.png";
  r.width = 40;
  r.height = 30;
  auto id = project.addImage(r);
  EXPECT_TRUE(id.ok());
  Box b;
  b.image = *id;
  b.cls = *project.addClass("a");
  b.x = 3;
  b.w = b.h = 5;
  EXPECT_TRUE(project.addBox(b).ok());
  EXPECT_TRUE(project.tagImages("GT1", {*id}).ok());
  return *id;
}

void expectSavedWorkIntact(const Project& project, ImageId saved) {
  auto found = project.findImageByPath("saved.png");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, saved);
  auto boxes = project.boxes(saved);
  ASSERT_TRUE(boxes.ok());
  ASSERT_EQ(boxes->size(), 1u);
  EXPECT_EQ((*boxes)[0].x, 3);
  ImageQuery gt;
  gt.anyTags = {"GT1"};
  EXPECT_EQ(*project.findImages(gt), std::vector<ImageId>{saved});
}

}  // namespace quarry::test
