// Detector: a checkpoint loaded for inference, with its classes checked against the project.
#include <opencv2/imgcodecs.hpp>

#include "detect/internal.h"

namespace fs = std::filesystem;

namespace quarry::detect {

struct Detector::Impl {
  Net net{nullptr};
  CheckpointMeta meta;
  std::vector<ClassId> classIds;
  RunId run = 0;
  torch::Device device{torch::kCPU};
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::~Detector() = default;
const Preset& Detector::preset() const { return impl_->meta.preset; }
RunId Detector::run() const { return impl_->run; }

Result<std::unique_ptr<Detector>> Detector::load(const Project& project, const std::string& runName,
                                                 const std::string& device) {
  auto checkpoint = openRunCheckpoint(project, runName);
  if (!checkpoint.ok()) return checkpoint.status();
  auto impl = std::make_unique<Impl>();
  impl->run = checkpoint->run;
  impl->meta = checkpoint->meta;
  impl->classIds = checkpoint->classIds;
  const fs::path dir = checkpoint->dir;
  auto dev = pickDevice(device);
  if (!dev.ok()) return dev.status();
  impl->device = *dev;
  useThreads(0);
  try {
    impl->net = Net(impl->meta.preset, static_cast<int>(impl->classIds.size()));
    QUARRY_RETURN_IF_ERROR(loadCheckpointWeights(impl->net, dir));
    impl->net->to(impl->device);
    impl->net->eval();
  } catch (const std::exception& e) {
    return Status::BadInput((dir / "model.pt").string() + ": cannot build the model: " + e.what());
  }
  return std::unique_ptr<Detector>(new Detector(std::move(impl)));
}

Result<std::vector<std::vector<Prediction>>> Detector::detect(const std::vector<std::string>& files,
                                                              double scoreThreshold) {
  const Preset& p = impl_->meta.preset;
  std::vector<std::vector<Prediction>> out(files.size());
  std::vector<Sample> samples;
  std::vector<Letterbox> maps;
  std::vector<cv::Size> sizes;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < files.size(); ++i) {
    LabeledImage im;
    im.pixels = cv::imread(files[i], p.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (im.pixels.empty()) return Status::NotFound(files[i] + ": missing or unreadable image");
    Letterbox map;
    samples.push_back(makeEvalSample(im, p.inputSize, &map));
    maps.push_back(map);
    sizes.push_back(im.pixels.size());
    which.push_back(i);
  }
  if (samples.empty()) return out;
  try {
    torch::NoGradGuard noGrad;
    auto raw = decode(impl_->net->forward(toInput(samples, p.channels).to(impl_->device)),
                      static_cast<float>(scoreThreshold));
    for (std::size_t k = 0; k < raw.size(); ++k)
      for (const RawDetection& d : raw[k]) {
        Prediction pr = toOriginal(d, maps[k], sizes[k].width, sizes[k].height,
                                   impl_->classIds[static_cast<std::size_t>(d.cls)]);
        if (pr.w > 0 && pr.h > 0) out[which[k]].push_back(pr);
      }
  } catch (const c10::Error& e) {
    return Status::Error(StatusCode::kInternal, std::string("LibTorch: ") + e.what_without_backtrace());
  }
  return out;
}

}  // namespace quarry::detect
