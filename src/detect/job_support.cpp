// OpenCV's thread count while a job runs; the batch of image files a job can read.
#include "detect/job_support.h"

#include <filesystem>
#include <opencv2/core.hpp>

#include "quarry/core/log.h"

namespace quarry::detect {

OpenCvSingleThreaded::OpenCvSingleThreaded() : previous_(cv::getNumThreads()) { cv::setNumThreads(1); }
OpenCvSingleThreaded::~OpenCvSingleThreaded() { cv::setNumThreads(previous_); }

Result<PresentImages> presentImages(const Project& project, const std::vector<ImageId>& ids, const char* job) {
  auto records = project.images(ids);
  if (!records.ok()) return records.status();
  PresentImages out;
  for (const auto& r : *records) {
    const auto file = project.resolve(r.path);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      ++out.missing;
      coreLogger()->warn("{}: {} is missing; skipped", job, file.string());
      continue;
    }
    out.files.push_back(file.string());
    out.ids.push_back(r.id);
  }
  return out;
}

}  // namespace quarry::detect
