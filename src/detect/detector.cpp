// Detector: a checkpoint loaded for inference, with its classes checked against the project.
#include <opencv2/imgcodecs.hpp>

#include "detect/internal.h"
#include "detect/tiles.h"

namespace fs = std::filesystem;

namespace quarry::detect {

struct Detector::Impl {
  Net net{nullptr};
  CheckpointMeta meta;
  Tiling tiling;  // the checkpoint's, or off when asked
  std::optional<RunOperatingPoint> operatingPoint;
  std::vector<ClassId> classIds;
  RunId run = 0;
  torch::Device device{torch::kCPU};
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::~Detector() = default;
const Preset& Detector::preset() const { return impl_->meta.preset; }
const Tiling& Detector::tiling() const { return impl_->tiling; }
RunId Detector::run() const { return impl_->run; }
const std::optional<RunOperatingPoint>& Detector::operatingPoint() const { return impl_->operatingPoint; }

Result<std::unique_ptr<Detector>> Detector::load(const Project& project, const std::string& runName,
                                                 const std::string& device, const std::string& tiles) {
  auto checkpoint = openRunCheckpoint(project, runName);
  if (!checkpoint.ok()) return checkpoint.status();
  auto tiling = inferenceTiling(checkpoint->meta.tiling, tiles);
  if (!tiling.ok()) return tiling.status();
  auto impl = std::make_unique<Impl>();
  impl->run = checkpoint->run;
  impl->meta = checkpoint->meta;
  impl->tiling = *tiling;
  impl->classIds = checkpoint->classIds;
  impl->operatingPoint = checkpoint->operatingPoint;
  const fs::path dir = checkpoint->dir;
  auto dev = pickDevice(device);
  if (!dev.ok()) return dev.status();
  impl->device = *dev;
  useThreads(0);
  try {
    impl->net = Net(impl->meta.preset, static_cast<int>(impl->classIds.size()));
    QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(impl->net, dir));
    impl->net->to(impl->device);
    impl->net->fuseBatchNorm();  // inference only: one op per conv instead of two
  } catch (const std::exception& e) {
    return Status::BadInput((dir / "model.pt").string() + ": cannot build the model: " + e.what());
  }
  return std::unique_ptr<Detector>(new Detector(std::move(impl)));
}

namespace {

// The files' pixels in the preset's channels; kNotFound naming the first one that cannot be read.
Result<std::vector<cv::Mat>> loadFiles(const std::vector<std::string>& files, const Preset& p) {
  std::vector<cv::Mat> out;
  for (const auto& file : files) {
    cv::Mat m = cv::imread(file, p.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (m.empty()) return Status::NotFound(file + ": missing or unreadable image");
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<const cv::Mat*> pointers(const std::vector<cv::Mat>& images) {
  std::vector<const cv::Mat*> out;
  for (const auto& m : images) out.push_back(&m);
  return out;
}

}  // namespace

Result<std::vector<std::vector<Prediction>>> Detector::detect(const std::vector<std::string>& files,
                                                              double scoreThreshold) {
  const Preset& p = impl_->meta.preset;
  auto images = loadFiles(files, p);
  if (!images.ok()) return images.status();
  if (files.empty()) return std::vector<std::vector<Prediction>>{};
  try {
    return detectPixels(impl_->net, p, impl_->tiling, pointers(*images), impl_->classIds,
                        static_cast<float>(scoreThreshold), static_cast<int>(std::max<std::size_t>(16, files.size())),
                        impl_->device);
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  }
}

Result<std::vector<ImageUncertainty>> Detector::monteCarlo(const std::vector<std::string>& files,
                                                           const McOptions& options) {
  const Preset& p = impl_->meta.preset;
  auto images = loadFiles(files, p);
  if (!images.ok()) return images.status();
  if (files.empty()) return std::vector<ImageUncertainty>{};
  try {
    return monteCarloPixels(impl_->net, p, impl_->tiling, pointers(*images), impl_->classIds, options,
                            static_cast<int>(std::max<std::size_t>(16, files.size())), impl_->device);
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  }
}

}  // namespace quarry::detect
