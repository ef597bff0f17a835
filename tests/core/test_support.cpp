#include "core/test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace quarry::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  path_ = fs::temp_directory_path() / ("quarry_test_" + std::to_string(now) + "_" + std::to_string(counter++));
  fs::create_directories(path_);
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

}  // namespace quarry::test
