// Detector throughput on this machine: one training step (forward, loss, backward, AdamW) and
// batched inference, per preset, in images per second. LibTorch uses every core. small-s4 is the
// stride-4 small preset that the stride-8 default replaced (issue 12), and small-s8h2 the stride-8
// one with two head convolutions that was the default in between, for the ratios in one run.
#include <benchmark/benchmark.h>

#include "detect/internal.h"

using namespace quarry::detect;

namespace {

std::vector<Sample> randomBatch(const Preset& p, int n) {
  std::vector<Sample> batch(static_cast<std::size_t>(n));
  cv::RNG rng(1);
  for (auto& s : batch) {
    s.input = cv::Mat(p.inputSize, p.inputSize, p.channels == 1 ? CV_8UC1 : CV_8UC3);
    rng.fill(s.input, cv::RNG::UNIFORM, 0, 255);
    const float q = static_cast<float>(p.inputSize) / 4;
    s.boxes = {{0, q, q, 2 * q, 2 * q}, {1, 2 * q, q, 3 * q, 3 * q}};
  }
  return batch;
}

void BM_TrainStep(benchmark::State& state, const std::string& presetName, int batch) {
  const JobRuntime runtime;  // as training runs
  useThreads(0);
  const Preset p = *findPreset(presetName);
  Net net(p, 6);
  net->train();
  torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-3));
  const auto samples = randomBatch(p, batch);
  const auto input = toInput(samples, p.channels);
  const Targets targets = makeTargets(samples, 6, p.inputSize, p.outputStride);
  for (auto _ : state) {
    opt.zero_grad();
    auto loss = detectionLoss(net->forward(input), targets, true);
    loss.total.backward();
    opt.step();
  }
  state.counters["images_per_s"] = benchmark::Counter(static_cast<double>(batch) * state.iterations(),
                                                      benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_TrainStep, tiny, std::string("tiny"), 16)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_TrainStep, small, std::string("small"), 16)->Unit(benchmark::kMillisecond)->MinTime(3);
// The stride-4 small preset of before issue 12, side by side with the default that replaced it.
BENCHMARK_CAPTURE(BM_TrainStep, small_s4, std::string("small-s4"), 16)->Unit(benchmark::kMillisecond)->MinTime(3);
// The stride-8 small preset with two head convolutions, the default between the two (issue 12).
BENCHMARK_CAPTURE(BM_TrainStep, small_s8h2, std::string(QUARRY_SOURCE_DIR "/bench/presets/small-s8h2.json"), 16)
    ->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_Inference(benchmark::State& state, const std::string& presetName, int batch, bool fused = true,
                  bool channelsLast = false) {
  const JobRuntime runtime;  // as evaluation and scoring run
  useThreads(0);
  const Preset p = *findPreset(presetName);
  Net net(p, 6);
  net->eval();
  if (fused) net->fuseBatchNorm();  // as Detector::load does
  torch::NoGradGuard noGrad;
  auto input = toInput(randomBatch(p, batch), p.channels);
  if (channelsLast) {
    // NHWC weights and input, which oneDNN's convolutions may prefer on CPU.
    for (auto& w : net->parameters())
      if (w.dim() == 4) w.set_data(w.contiguous(torch::MemoryFormat::ChannelsLast));
    input = input.contiguous(torch::MemoryFormat::ChannelsLast);
  }
  for (auto _ : state) benchmark::DoNotOptimize(decode(net->forward(input), 0.1f));
  state.counters["images_per_s"] = benchmark::Counter(static_cast<double>(batch) * state.iterations(),
                                                      benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Inference, tiny, std::string("tiny"), 16)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_Inference, small, std::string("small"), 16)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_Inference, small_s4, std::string("small-s4"), 16)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_Inference, small_s8h2, std::string(QUARRY_SOURCE_DIR "/bench/presets/small-s8h2.json"), 16)
    ->Unit(benchmark::kMillisecond)->MinTime(3);
// Batch norm kept as separate ops: what folding it into the convolutions saves.
BENCHMARK_CAPTURE(BM_Inference, small_unfused, std::string("small"), 16, false)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_Inference, small_s4_unfused, std::string("small-s4"), 16, false)->Unit(benchmark::kMillisecond)->MinTime(3);
// Channels-last (NHWC) weights and input against the default layout, both fused.
BENCHMARK_CAPTURE(BM_Inference, small_channels_last, std::string("small"), 16, true, true)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace

BENCHMARK_MAIN();
