// Inference over whole images, tiled or letterboxed: every view of an image goes through the
// network in batches, its peaks are mapped back to the image's pixels, and a tiled image's views
// are merged into one list (tiles.h).
#include "detect/internal.h"
#include "detect/tiles.h"

namespace quarry::detect {
namespace {

// The views of a run of images, flattened, with the image each belongs to.
struct Flat {
  std::vector<View> views;
  std::vector<std::size_t> owner;
};

Flat flatten(const std::vector<const cv::Mat*>& images, int size, const Tiling& tiling) {
  Flat f;
  for (std::size_t i = 0; i < images.size(); ++i)
    for (View& v : imageViews(*images[i], size, tiling)) {
      f.views.push_back(std::move(v));
      f.owner.push_back(i);
    }
  return f;
}

torch::Tensor inputOf(const Flat& f, std::size_t from, std::size_t to, int channels) {
  std::vector<Sample> samples;
  for (std::size_t k = from; k < to; ++k) samples.push_back({f.views[k].input, {}});
  return toInput(samples, channels);
}

// Keeps, per image, the detections mergeTiled() chooses (all of them for a single view).
template <typename T>
void mergeViews(std::vector<std::vector<T>>& perImage, const std::vector<std::vector<TiledBox>>& placed,
                const std::vector<const cv::Mat*>& images, const Tiling& tiling) {
  for (std::size_t i = 0; i < perImage.size(); ++i) {
    if (!tiling.enabled || perImage[i].empty()) continue;
    const auto keep = mergeTiled(placed[i], images[i]->size(), tiling);
    std::vector<T> merged;
    for (std::size_t k : keep) merged.push_back(std::move(perImage[i][k]));
    perImage[i] = std::move(merged);
  }
}

TiledBox placedOf(const Prediction& p, int cls, const View& v) {
  return {cls, static_cast<float>(p.score), p.x, p.y, p.x + p.w, p.y + p.h, v.region, v.whole};
}

}  // namespace

std::vector<std::vector<Prediction>> detectPixels(Net& net, const Preset& preset, const Tiling& tiling,
                                                  const std::vector<const cv::Mat*>& images,
                                                  const std::vector<ClassId>& classIds, float scoreThreshold,
                                                  int batchSize, const torch::Device& device) {
  torch::NoGradGuard noGrad;
  net->eval();
  const Flat f = flatten(images, preset.inputSize, tiling);
  std::vector<std::vector<Prediction>> out(images.size());
  std::vector<std::vector<TiledBox>> placed(images.size());
  const std::size_t step = static_cast<std::size_t>(std::max(1, batchSize));
  for (std::size_t from = 0; from < f.views.size(); from += step) {
    const std::size_t to = std::min(f.views.size(), from + step);
    auto raw = decode(net->forward(inputOf(f, from, to, preset.channels).to(device)), scoreThreshold);
    for (std::size_t k = from; k < to; ++k) {
      const std::size_t i = f.owner[k];
      for (const RawDetection& d : raw[k - from]) {
        Prediction p = toOriginal(d, f.views[k].map, images[i]->cols, images[i]->rows,
                                  classIds[static_cast<std::size_t>(d.cls)]);
        if (p.w <= 0 || p.h <= 0) continue;
        placed[i].push_back(placedOf(p, d.cls, f.views[k]));
        out[i].push_back(p);
      }
    }
  }
  mergeViews(out, placed, images, tiling);
  return out;
}

std::vector<ImageUncertainty> monteCarloPixels(Net& net, const Preset& preset, const Tiling& tiling,
                                               const std::vector<const cv::Mat*>& images,
                                               const std::vector<ClassId>& classIds, const McOptions& options,
                                               int batchSize, const torch::Device& device) {
  const Flat f = flatten(images, preset.inputSize, tiling);
  std::vector<ImageUncertainty> out(images.size());
  std::vector<std::vector<DetectionUncertainty>> dets(images.size());
  std::vector<std::vector<TiledBox>> placed(images.size());
  std::vector<std::size_t> viewsOf(images.size(), 0);
  const std::size_t step = static_cast<std::size_t>(std::max(1, batchSize));
  for (std::size_t from = 0, chunk = 0; from < f.views.size(); from += step, ++chunk) {
    const std::size_t to = std::min(f.views.size(), from + step);
    // Each chunk draws its own masks; the first one's are those of an untiled batch.
    auto mc = monteCarloBatch(net, inputOf(f, from, to, preset.channels).to(device), preset.dropout, options,
                              options.seed + 7919u * chunk);
    for (std::size_t k = from; k < to; ++k) {
      const std::size_t i = f.owner[k];
      McImage& m = mc[k - from];
      if (out[i].embedding.empty()) out[i].embedding.assign(m.embedding.size(), 0.0f);
      for (std::size_t q = 0; q < m.embedding.size() && q < out[i].embedding.size(); ++q) out[i].embedding[q] += m.embedding[q];
      ++viewsOf[i];
      out[i].nearMisses.merge(m.nearMisses);
      for (const McDetection& md : m.detections) {
        const ClassId cls = classIds[static_cast<std::size_t>(md.det.cls)];
        Prediction p = toOriginal(md.det, f.views[k].map, images[i]->cols, images[i]->rows, cls);
        if (p.w <= 0 || p.h <= 0) continue;
        DetectionUncertainty d;
        d.cls = cls;
        d.x = p.x;
        d.y = p.y;
        d.w = p.w;
        d.h = p.h;
        d.score = p.score;
        d.components = md.components;
        dets[i].push_back(d);
        placed[i].push_back(placedOf(p, md.det.cls, f.views[k]));
      }
    }
  }
  mergeViews(dets, placed, images, tiling);
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (viewsOf[i] > 1)
      for (float& e : out[i].embedding) e /= static_cast<float>(viewsOf[i]);  // the mean over the image's views
    out[i].detections = std::move(dets[i]);
  }
  return out;
}

}  // namespace quarry::detect
