// Detector: a checkpoint loaded for inference, with its classes checked against the project.
#include <opencv2/imgcodecs.hpp>

#include "detect/internal.h"

namespace fs = std::filesystem;

namespace quarry::detect {

struct Detector::Impl {
  Net net{nullptr};
  CheckpointMeta meta;
  std::optional<RunOperatingPoint> operatingPoint;
  std::vector<ClassId> classIds;
  RunId run = 0;
  torch::Device device{torch::kCPU};
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::~Detector() = default;
const Preset& Detector::preset() const { return impl_->meta.preset; }
RunId Detector::run() const { return impl_->run; }
const std::optional<RunOperatingPoint>& Detector::operatingPoint() const { return impl_->operatingPoint; }

Result<std::unique_ptr<Detector>> Detector::load(const Project& project, const std::string& runName,
                                                 const std::string& device) {
  auto checkpoint = openRunCheckpoint(project, runName);
  if (!checkpoint.ok()) return checkpoint.status();
  auto impl = std::make_unique<Impl>();
  impl->run = checkpoint->run;
  impl->meta = checkpoint->meta;
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

// A batch of files as network inputs, with what maps each back to its original pixels.
struct FileBatch {
  std::vector<Sample> samples;
  std::vector<Letterbox> maps;
  std::vector<cv::Size> sizes;
};

Result<FileBatch> loadFiles(const std::vector<std::string>& files, const Preset& p) {
  FileBatch batch;
  for (const auto& file : files) {
    LabeledImage im;
    im.pixels = cv::imread(file, p.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (im.pixels.empty()) return Status::NotFound(file + ": missing or unreadable image");
    Letterbox map;
    batch.samples.push_back(makeEvalSample(im, p.inputSize, &map));
    batch.maps.push_back(map);
    batch.sizes.push_back(im.pixels.size());
  }
  return batch;
}

}  // namespace

Result<std::vector<std::vector<Prediction>>> Detector::detect(const std::vector<std::string>& files,
                                                              double scoreThreshold) {
  const Preset& p = impl_->meta.preset;
  std::vector<std::vector<Prediction>> out(files.size());
  auto batch = loadFiles(files, p);
  if (!batch.ok()) return batch.status();
  if (files.empty()) return out;
  try {
    torch::NoGradGuard noGrad;
    auto raw = decode(impl_->net->forward(toInput(batch->samples, p.channels).to(impl_->device)),
                      static_cast<float>(scoreThreshold));
    for (std::size_t k = 0; k < raw.size(); ++k)
      for (const RawDetection& d : raw[k]) {
        Prediction pr = toOriginal(d, batch->maps[k], batch->sizes[k].width, batch->sizes[k].height,
                                   impl_->classIds[static_cast<std::size_t>(d.cls)]);
        if (pr.w > 0 && pr.h > 0) out[k].push_back(pr);
      }
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  }
  return out;
}

Result<std::vector<ImageUncertainty>> Detector::monteCarlo(const std::vector<std::string>& files,
                                                           const McOptions& options) {
  const Preset& p = impl_->meta.preset;
  std::vector<ImageUncertainty> out(files.size());
  auto batch = loadFiles(files, p);
  if (!batch.ok()) return batch.status();
  if (files.empty()) return out;
  try {
    auto images = monteCarloBatch(impl_->net, toInput(batch->samples, p.channels).to(impl_->device), p.dropout,
                                  options, options.seed);
    for (std::size_t k = 0; k < images.size(); ++k) {
      out[k].embedding = std::move(images[k].embedding);
      for (const McDetection& m : images[k].detections) {
        const ClassId cls = impl_->classIds[static_cast<std::size_t>(m.det.cls)];
        Prediction pr = toOriginal(m.det, batch->maps[k], batch->sizes[k].width, batch->sizes[k].height, cls);
        if (pr.w <= 0 || pr.h <= 0) continue;
        DetectionUncertainty d;
        d.cls = cls;
        d.x = pr.x;
        d.y = pr.y;
        d.w = pr.w;
        d.h = pr.h;
        d.score = pr.score;
        d.components = m.components;
        out[k].detections.push_back(d);
      }
    }
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  }
  return out;
}

}  // namespace quarry::detect
