// Store benchmarks (issue targets): inserting 100,000 image records with 250,000 boxes
// (< 10 s), a tag + difficulty + class query over that store (< 20 ms), and a COCO export of
// it (< 5 s). Side by side in the same run, the same inserts one transaction per write, to
// show what chunked batches buy.
//
// And importing 100,000 image files (read, decoded, content- and perceptually hashed, stored),
// with the files probed on one thread and on two, side by side: the ratio is what the second
// core buys (the files are small and in the page cache, so the disk does not decide).
// QUARRY_BENCH_IMPORT_FILES sets a smaller count for a quick look.
//
// Run: build/bench/quarry_store_bench [--benchmark_format=json]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

// 100,000 distinct 96x72 PNGs (a shading and a spot that move with the index), written once.
const fs::path& importFiles(std::size_t* count) {
  static std::size_t n = [] {
    const char* env = std::getenv("QUARRY_BENCH_IMPORT_FILES");
    return env && std::atoi(env) > 0 ? static_cast<std::size_t>(std::atoi(env)) : std::size_t{100'000};
  }();
  static fs::path dir = [] {
    const fs::path d = scratchDir("import_files");
    fs::create_directories(d);
    for (std::size_t i = 0; i < n; ++i) {
      cv::Mat img(72, 96, CV_8UC1);
      for (int y = 0; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x)
          img.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>((x * (i % 7 + 1) + y * (i % 5 + 1) + i) % 256);
      cv::circle(img, {static_cast<int>(i % 96), static_cast<int>((i / 96) % 72)}, 6, cv::Scalar(static_cast<double>(i % 251)),
                 cv::FILLED);
      char name[64];
      std::snprintf(name, sizeof name, "f%03zu/img_%06zu.png", i / 1000, i);
      fs::create_directories((d / name).parent_path());
      cv::imwrite((d / name).string(), img);
    }
    return d;
  }();
  *count = n;
  return dir;
}

void BM_Import100kFiles(benchmark::State& state) {
  std::size_t n = 0;
  const fs::path& files = importFiles(&n);
  for (auto _ : state) {
    const fs::path dir = scratchDir("import");
    auto p = Project::create(dir);
    ImportOptions options;
    options.threads = static_cast<unsigned>(state.range(0));
    ImportReport report;
    const Status st = importDataset(**p, Format::kFolder, files, options, &report);
    if (!st.ok() || report.imagesAdded != n) state.SkipWithError(st.ok() ? "not every file was added" : st.message().c_str());
    state.counters["images_per_s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
  }
}
BENCHMARK(BM_Import100kFiles)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

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
