// Private to quarry_detect, torch-free: what the detector's jobs (train, auto-label, evaluate,
// score) share around the network: the process settings a job runs under, and a batch of images
// checked on disk.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "quarry/metrics/measured_effort.h"
#include "quarry/store/project.h"

namespace quarry::detect {

// The seconds per action the boost and the threshold fit use for this project: its measured
// labelling times where enough were recorded, the cited constants elsewhere (and all cited when
// the times cannot be read).
MeasuredEffort projectEffort(const Project& project);

// What a job changes in the process while it runs, undone when it ends (the outermost one, when
// jobs nest):
// - OpenCV runs single-threaded. OpenCV's TBB workers and LibTorch's OpenMP team both spin while
//   waiting; alternating between them on 2 cores made training 20x slower.
// - glibc keeps freed memory in the heap. By default it hands blocks above its mmap threshold
//   (128 KiB at first) back to the kernel and trims the heap's top, so each training step's
//   activations came back with page faults on the next step; keeping them trained NEU-DET 13-29%
//   faster (docs/results-2026-12-02.md). The end restores glibc's default thresholds and gives
//   the free memory back (malloc_trim), so a window that ran a job does not keep its peak.
class JobRuntime {
 public:
  JobRuntime();
  ~JobRuntime();
  JobRuntime(const JobRuntime&) = delete;
  JobRuntime& operator=(const JobRuntime&) = delete;

 private:
  bool outermost_;
  int previousOpenCvThreads_ = 0;
};

// The files of a batch of images that exist, with their ids; the rest are counted and logged
// ("JOB: FILE is missing; skipped"), so a moved image never stops a job.
struct PresentImages {
  std::vector<std::string> files;
  std::vector<ImageId> ids;
  std::size_t missing = 0;
};
Result<PresentImages> presentImages(const Project& project, const std::vector<ImageId>& ids, const char* job);

}  // namespace quarry::detect
