// The process settings a job runs under; the batch of image files a job can read.
#include "detect/job_support.h"

#include <atomic>
#include <filesystem>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <opencv2/core.hpp>

#include "quarry/core/log.h"

namespace quarry::detect {

namespace {

std::atomic<int> runningJobs{0};

// glibc's own defaults (M_MMAP_THRESHOLD and M_TRIM_THRESHOLD, 128 KiB) and what a job uses: the
// largest mmap threshold glibc accepts on 64-bit (32 MiB: a batch of 16 stem activations at
// 224 px is 19 MiB), and a trim threshold no step's garbage reaches.
constexpr int kGlibcDefault = 128 * 1024;
constexpr int kJobMmapThreshold = 32 * 1024 * 1024;
constexpr int kJobTrimThreshold = 1024 * 1024 * 1024;

}  // namespace

JobRuntime::JobRuntime() : outermost_(runningJobs.fetch_add(1) == 0) {
  if (!outermost_) return;
  previousOpenCvThreads_ = cv::getNumThreads();
  cv::setNumThreads(1);
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, kJobMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kJobTrimThreshold);
#endif
}

JobRuntime::~JobRuntime() {
  runningJobs.fetch_sub(1);
  if (!outermost_) return;
  cv::setNumThreads(previousOpenCvThreads_);
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, kGlibcDefault);
  mallopt(M_TRIM_THRESHOLD, kGlibcDefault);
  malloc_trim(0);
#endif
}

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

MeasuredEffort projectEffort(const Project& project) {
  const auto times = project.actionTimes();
  return measuredEffort(times.ok() ? *times : std::vector<ActionSummary>{});
}

}  // namespace quarry::detect
