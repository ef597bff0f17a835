// Monte-Carlo dropout scoring cost, side by side in one run: the batched scorer (the
// deterministic part once, the stochastic head T times) against the naive one (T full passes),
// and both against the cost model "one backbone pass + T head passes", each part timed alone.
// The "backbone" pass is everything before the dropout (backbone, neck, head trunk); a "head"
// pass is what follows it (masked 1x1 output layers) on one batch. Ratios are printed after the
// table: naive / batched (target >= 5 at T = 20) and batched / model (target <= 1.5), and what
// the mirrored pass of the flip components adds.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

#include "detect/internal.h"

using namespace quarry::detect;

namespace {

constexpr int kBatch = 16;
constexpr int kPasses = 20;

struct Setup {
  Preset preset;
  Net net{nullptr};
  torch::Tensor input;
  explicit Setup(const std::string& name) : preset(*findPreset(name)) {
    useThreads(0);
    torch::manual_seed(1);
    net = Net(preset, 6);
    net->eval();
    // Random weights give almost no detections; a positive heatmap bias makes the benchmark
    // score a realistic number of them (topK caps them at 100 per image).
    for (auto& p : net->named_parameters())
      if (p.key() == "heat.bias") p.value().data().fill_(-1.0);
    input = torch::rand({kBatch, preset.channels, preset.inputSize, preset.inputSize}) * 4 - 2;
  }
};

void BM_Backbone(benchmark::State& state, const std::string& preset) {
  Setup s(preset);
  torch::NoGradGuard noGrad;
  for (auto _ : state) benchmark::DoNotOptimize(s.net->trunk(s.net->features(s.input)));
}

void BM_HeadPass(benchmark::State& state, const std::string& preset) {
  Setup s(preset);
  torch::NoGradGuard noGrad;
  auto trunk = s.net->trunk(s.net->features(s.input));
  auto mask = torch::ones({kBatch, s.net->headWidth()});
  for (auto _ : state) {
    auto out = s.net->outputsMasked(trunk, mask);
    benchmark::DoNotOptimize(out.heatmap);
    benchmark::DoNotOptimize(out.logVar);
  }
}

void BM_MonteCarlo(benchmark::State& state, const std::string& preset, bool batched, bool flip = false) {
  Setup s(preset);
  McOptions o;
  o.passes = kPasses;
  o.batched = batched;
  o.flip = flip;
  o.scoreThreshold = 0.25;
  std::size_t detections = 0;
  for (auto _ : state) {
    auto images = monteCarloBatch(s.net, s.input, s.preset.dropout, o, 7);
    for (const auto& im : images) detections += im.detections.size();
  }
  state.counters["images_per_s"] =
      benchmark::Counter(static_cast<double>(kBatch) * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["detections_per_image"] =
      static_cast<double>(detections) / static_cast<double>(kBatch * state.iterations());
}

BENCHMARK_CAPTURE(BM_Backbone, small, std::string("small"))->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_HeadPass, small, std::string("small"))->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_MonteCarlo, small_batched, std::string("small"), true)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_MonteCarlo, small_naive, std::string("small"), false)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_MonteCarlo, small_batched_flip, std::string("small"), true, true)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK_CAPTURE(BM_Backbone, tiny, std::string("tiny"))->Unit(benchmark::kMillisecond)->MinTime(1);
BENCHMARK_CAPTURE(BM_HeadPass, tiny, std::string("tiny"))->Unit(benchmark::kMillisecond)->MinTime(1);
BENCHMARK_CAPTURE(BM_MonteCarlo, tiny_batched, std::string("tiny"), true)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_MonteCarlo, tiny_naive, std::string("tiny"), false)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_MonteCarlo, tiny_batched_flip, std::string("tiny"), true, true)->Unit(benchmark::kMillisecond)->MinTime(2);

// Keeps each benchmark's time per iteration so the ratios can be printed after the table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      std::string name = r.benchmark_name();
      name = name.substr(0, name.find("/min_time:"));  // keyed without the options
      seconds_[name] = r.GetAdjustedRealTime() / 1e3;  // ms -> s
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const std::string preset : {"small", "tiny"}) {
      const double backbone = get("BM_Backbone/" + preset), head = get("BM_HeadPass/" + preset);
      const double batched = get("BM_MonteCarlo/" + preset + "_batched"), naive = get("BM_MonteCarlo/" + preset + "_naive");
      if (backbone <= 0 || head <= 0 || batched <= 0 || naive <= 0) continue;
      const double model = backbone + kPasses * head;
      std::printf("%s, batch %d, T = %d: naive / batched = %.2fx (target >= 5: %s); batched / cost model "
                  "(backbone %.1f ms + T x head %.1f ms = %.1f ms) = %.2f (target <= 1.5: %s); batched %.1f images/s\n",
                  preset.c_str(), kBatch, kPasses, naive / batched, naive / batched >= 5 ? "met" : "NOT met",
                  backbone * 1e3, head * 1e3, model * 1e3, batched / model, batched / model <= 1.5 ? "met" : "NOT met",
                  kBatch / batched);
      if (const double flip = get("BM_MonteCarlo/" + preset + "_batched_flip"); flip > 0)
        std::printf("%s: the mirrored pass (McOptions::flip) costs %.2fx the batched scoring (%.1f images/s)\n",
                    preset.c_str(), flip / batched, kBatch / flip);
    }
  }

 private:
  double get(const std::string& name) const {
    auto it = seconds_.find(name);
    return it == seconds_.end() ? 0 : it->second;
  }
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
