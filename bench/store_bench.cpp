// Store benchmarks (issue targets): inserting 100,000 image records with 250,000 boxes
// (< 10 s), a tag + difficulty + class query over that store (< 20 ms), and a COCO export of
// it (< 5 s). Side by side in the same run, the same inserts one transaction per write, to
// show what chunked batches buy.
//
// Run: build/bench/quarry_store_bench [--benchmark_format=json]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>

#include "bench_fill.h"
#include "quarry/formats/formats.h"
#include "quarry/store/project.h"

namespace fs = std::filesystem;
using namespace quarry;

namespace {

constexpr int kImages = 100'000;
constexpr int kBoxes = 250'000;

fs::path scratchDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("quarry_bench_" + name);
  fs::remove_all(dir);
  return dir;
}

void BM_Insert100kImages250kBoxes(benchmark::State& state) {
  for (auto _ : state) {
    const fs::path dir = scratchDir("insert");
    auto p = Project::create(dir);
    quarry::bench::fillRecords(**p, kImages, kBoxes, 1000);
    state.counters["images_per_s"] = benchmark::Counter(kImages, benchmark::Counter::kIsRate);
  }
}
BENCHMARK(BM_Insert100kImages250kBoxes)->Unit(benchmark::kSecond)->Iterations(1);

// The same mix, 2,000 images, one transaction per write: the baseline batches are compared to.
void BM_Insert2kImagesUnbatched(benchmark::State& state) {
  for (auto _ : state) {
    const fs::path dir = scratchDir("unbatched");
    auto p = Project::create(dir);
    quarry::bench::fillRecords(**p, 2000, 5000, 0);
    state.counters["images_per_s"] = benchmark::Counter(2000, benchmark::Counter::kIsRate);
  }
}
BENCHMARK(BM_Insert2kImagesUnbatched)->Unit(benchmark::kSecond)->Iterations(1);

// A 100k-image store with tags (VAL1 20%, GT1 20%, GT2 10%) and one model run's scores.
Project& bigStore() {
  static std::unique_ptr<Project> project = [] {
    const fs::path dir = scratchDir("query");
    auto p = std::move(Project::create(dir)).value();
    quarry::bench::fillRecords(*p, kImages, kBoxes, 1000);
    quarry::bench::tagAndScore(*p);
    return p;
  }();
  return *project;
}

void BM_QueryTagDifficultyClass(benchmark::State& state) {
  Project& p = bigStore();
  ImageQuery q;
  q.anyTags = {"GT2"};
  q.scoreRun = p.findRun("CAL1")->value().id;
  q.difficulties = {Difficulty::kMedium, Difficulty::kHard};
  q.classes = {"pitted_surface"};
  std::size_t found = 0;
  for (auto _ : state) {
    auto ids = p.findImages(q);
    found = ids->size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["images_found"] = static_cast<double>(found);
}
BENCHMARK(BM_QueryTagDifficultyClass)->Unit(benchmark::kMillisecond);

// The list's most common filter without a class: every image with a tag and a difficulty.
void BM_QueryTagDifficulty(benchmark::State& state) {
  Project& p = bigStore();
  ImageQuery q;
  q.anyTags = {"GT2"};
  q.scoreRun = p.findRun("CAL1")->value().id;
  q.difficulties = {Difficulty::kHard};
  std::size_t found = 0;
  for (auto _ : state) {
    found = p.findImages(q)->size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["images_found"] = static_cast<double>(found);
}
BENCHMARK(BM_QueryTagDifficulty)->Unit(benchmark::kMillisecond);

void BM_CocoExport100k(benchmark::State& state) {
  Project& p = bigStore();
  for (auto _ : state) {
    const fs::path out = scratchDir("coco");
    ExportOptions options;
    options.imageCopy = ImageCopy::kNone;
    ExportReport report;
    Status st = exportDataset(p, Format::kCoco, out, options, &report);
    if (!st.ok()) state.SkipWithError(st.message().c_str());
    state.counters["boxes"] = static_cast<double>(report.boxes);
  }
}
BENCHMARK(BM_CocoExport100k)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
