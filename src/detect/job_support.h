// Private to quarry_detect, torch-free: what the detector's jobs (train, auto-label, evaluate,
// score) share around the network: OpenCV's threads, and a batch of images checked on disk.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "quarry/store/project.h"

namespace quarry::detect {

// While alive, OpenCV runs single-threaded. OpenCV's TBB workers and LibTorch's OpenMP team
// both spin while waiting; alternating between them on 2 cores made training 20x slower.
class OpenCvSingleThreaded {
 public:
  OpenCvSingleThreaded();
  ~OpenCvSingleThreaded();
  OpenCvSingleThreaded(const OpenCvSingleThreaded&) = delete;
  OpenCvSingleThreaded& operator=(const OpenCvSingleThreaded&) = delete;

 private:
  int previous_;
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
